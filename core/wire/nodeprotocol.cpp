#include "nodeprotocol.h"

#include <sodium.h>

#include <string_view>

namespace hive::wire::proto {

namespace {

constexpr std::string_view CertificateDomain {"hive device certificate v1\0", 27};

// Decodes one message of type T: reads it, then rejects any error or trailing byte.
template <typename T>
Result<T> decodeMessage(ByteView bytes)
{
    Reader r(bytes);
    T value = T::read(r);
    HIVE_CHECK(r.finish());
    return value;
}

template <typename T>
Bytes encodeMessage(const T& value)
{
    Writer w;
    value.write(w);
    return w.take();
}

template <std::size_t N>
void readFixed(Reader& r, std::array<std::uint8_t, N>& out)
{
    r.fixed(std::span<std::uint8_t>(out));
}

// Reads a nested struct, counting its depth.
template <typename T>
T readNested(Reader& r)
{
    r.enter();
    T value = T::read(r);
    r.leave();
    return value;
}

std::uint16_t readLimit(Reader& r)
{
    return r.u16();
}

} // namespace

#define HIVE_PROTO_CODEC(Type)                                                                    \
    Bytes Type::encode() const { return encodeMessage(*this); }                                   \
    Result<Type> Type::decode(ByteView bytes) { return decodeMessage<Type>(bytes); }

std::string_view roleName(Role role)
{
    switch (role) {
    case Role::Anonymous: return "anonymous";
    case Role::Friend: return "friend";
    case Role::Owner: return "owner";
    }
    return "unknown";
}

Frame requestFrame(std::uint16_t version, std::uint64_t requestId, Service service, std::uint16_t method, Bytes payload)
{
    Frame f;
    f.version = version;
    f.kind = FrameKind::Request;
    f.requestId = requestId;
    f.service = static_cast<std::uint16_t>(service);
    f.method = method;
    f.payload = std::move(payload);
    return f;
}

Frame responseFrame(const Frame& request, Bytes payload)
{
    Frame f;
    f.version = request.version;
    f.kind = FrameKind::Response;
    f.requestId = request.requestId;
    f.service = request.service;
    f.method = request.method;
    f.payload = std::move(payload);
    return f;
}

Frame errorFrame(const Frame& request, const Error& error)
{
    Frame f = responseFrame(request, encodeErrorPayload(error));
    f.kind = FrameKind::Error;
    return f;
}

ObjectId objectIdOf(ByteView content)
{
    ObjectId id {};
    crypto_generichash_blake2b(id.data(), id.size(), content.data(), content.size(), nullptr, 0);
    return id;
}

// ---- Empty ----

HIVE_PROTO_CODEC(Empty)
void Empty::write(Writer&) const {}
Empty Empty::read(Reader&) { return {}; }

// ---- DeviceCertificate ----

HIVE_PROTO_CODEC(DeviceCertificate)

DeviceCertificate DeviceCertificate::issue(const SigningKey& identity, const noise::PublicKey& noiseKey,
                                           std::uint64_t notBefore, std::uint64_t notAfter)
{
    DeviceCertificate c;
    c.identity = identity.publicKey;
    c.noiseKey = noiseKey;
    c.notBefore = notBefore;
    c.notAfter = notAfter;
    c.signature = identity.sign(c.signedBytes());
    return c;
}

Bytes DeviceCertificate::signedBytes() const
{
    Writer w;
    w.fixed(asBytes(CertificateDomain));
    w.u8(version).fixed(identity).fixed(noiseKey).u64(notBefore).u64(notAfter);
    return w.take();
}

bool DeviceCertificate::hasValidSignature() const
{
    return verifySignature(identity, signedBytes(), signature);
}

Status DeviceCertificate::verify(const noise::PublicKey& remoteStatic, std::uint64_t now) const
{
    if (!hasValidSignature())
        return Error(ErrorCode::Crypto, "device certificate signature does not verify");
    if (!constantTimeEqual(noiseKey, remoteStatic))
        return Error(ErrorCode::PermissionDenied, "device certificate is for another Noise key than this connection's");
    if (notBefore >= notAfter)
        return Error(ErrorCode::PermissionDenied, "device certificate has an empty validity window");
    if (now < notBefore)
        return Error(ErrorCode::PermissionDenied, "device certificate is not valid yet (check the device clock)");
    if (now >= notAfter)
        return Error(ErrorCode::PermissionDenied, "device certificate has expired; the app must issue a new one");
    return success();
}

void DeviceCertificate::write(Writer& w) const
{
    w.u8(version).fixed(identity).fixed(noiseKey).u64(notBefore).u64(notAfter).fixed(signature);
}

DeviceCertificate DeviceCertificate::read(Reader& r)
{
    DeviceCertificate c;
    c.version = r.u8();
    if (r.ok() && c.version != CurrentVersion)
        r.fail(ErrorCode::Unsupported, "unknown device certificate version");
    readFixed(r, c.identity);
    readFixed(r, c.noiseKey);
    c.notBefore = r.u64();
    c.notAfter = r.u64();
    readFixed(r, c.signature);
    return c;
}

// ---- handshake payloads ----

HIVE_PROTO_CODEC(ClientHello)

void ClientHello::write(Writer& w) const
{
    w.u8(format).boolean(certificate.has_value());
    if (certificate)
        certificate->write(w);
    w.bytes(grantChain);
}

ClientHello ClientHello::read(Reader& r)
{
    ClientHello h;
    h.format = r.u8();
    if (r.ok() && h.format != CurrentFormat)
        r.fail(ErrorCode::Unsupported, "unknown ClientHello format");
    if (r.boolean())
        h.certificate = readNested<DeviceCertificate>(r);
    h.grantChain = r.bytes(1 + MaxChainLinks * GrantLink::EncodedSize);
    return h;
}

HIVE_PROTO_CODEC(NodeHello)

void NodeHello::write(Writer& w) const
{
    w.u8(format).u16(static_cast<std::uint16_t>(status)).text(message).fixed(owner);
    w.u16(minVersion).u16(maxVersion).u8(static_cast<std::uint8_t>(role)).boolean(grantAccepted);
    w.u64(nodeTime).u32(maxFrame).text(software);
}

NodeHello NodeHello::read(Reader& r)
{
    NodeHello h;
    h.format = r.u8();
    if (r.ok() && h.format != CurrentFormat)
        r.fail(ErrorCode::Unsupported, "unknown NodeHello format");
    const std::uint16_t status = r.u16();
    if (r.ok() && status > static_cast<std::uint16_t>(ErrorCode::Internal))
        r.fail(ErrorCode::Malformed, "unknown status code in NodeHello");
    h.status = static_cast<ErrorCode>(status);
    h.message = r.text(MaxMessageText);
    readFixed(r, h.owner);
    h.minVersion = r.u16();
    h.maxVersion = r.u16();
    const std::uint8_t role = r.u8();
    if (r.ok() && role > static_cast<std::uint8_t>(Role::Owner))
        r.fail(ErrorCode::Malformed, "unknown role in NodeHello");
    h.role = static_cast<Role>(role);
    h.grantAccepted = r.boolean();
    h.nodeTime = r.u64();
    h.maxFrame = r.u32();
    h.software = r.text(MaxSoftwareText);
    return h;
}

// ---- session ----

HIVE_PROTO_CODEC(Pong)
void Pong::write(Writer& w) const { w.u64(nodeTime); }
Pong Pong::read(Reader& r)
{
    Pong p;
    p.nodeTime = r.u64();
    return p;
}

HIVE_PROTO_CODEC(PresentGrant)
void PresentGrant::write(Writer& w) const { w.bytes(grantChain); }
PresentGrant PresentGrant::read(Reader& r)
{
    PresentGrant p;
    p.grantChain = r.bytes(1 + MaxChainLinks * GrantLink::EncodedSize);
    return p;
}

HIVE_PROTO_CODEC(GrantInfo)
void GrantInfo::write(Writer& w) const { w.fixed(leaf).u64(storageQuota).u64(storageUsed).u64(notAfter).u8(depth); }
GrantInfo GrantInfo::read(Reader& r)
{
    GrantInfo g;
    readFixed(r, g.leaf);
    g.storageQuota = r.u64();
    g.storageUsed = r.u64();
    g.notAfter = r.u64();
    g.depth = r.u8();
    return g;
}

// ---- mailbox ----

HIVE_PROTO_CODEC(MailboxPost)
void MailboxPost::write(Writer& w) const { w.fixed(mailbox).bytes(envelope); }
MailboxPost MailboxPost::read(Reader& r)
{
    MailboxPost p;
    readFixed(r, p.mailbox);
    p.envelope = r.bytes(MaxEnvelope);
    if (r.ok() && p.envelope.empty())
        r.fail(ErrorCode::Malformed, "empty envelope");
    return p;
}

HIVE_PROTO_CODEC(MailboxPostResult)
void MailboxPostResult::write(Writer& w) const { w.u64(messageId); }
MailboxPostResult MailboxPostResult::read(Reader& r)
{
    MailboxPostResult p;
    p.messageId = r.u64();
    return p;
}

HIVE_PROTO_CODEC(MailboxFetch)
void MailboxFetch::write(Writer& w) const { w.fixed(mailbox).u64(after).u16(limit); }
MailboxFetch MailboxFetch::read(Reader& r)
{
    MailboxFetch f;
    readFixed(r, f.mailbox);
    f.after = r.u64();
    f.limit = readLimit(r);
    return f;
}

HIVE_PROTO_CODEC(Envelope)
void Envelope::write(Writer& w) const { w.u64(id).u64(receivedAt).fixed(sender).bytes(body); }
Envelope Envelope::read(Reader& r)
{
    Envelope e;
    e.id = r.u64();
    e.receivedAt = r.u64();
    readFixed(r, e.sender);
    e.body = r.bytes(MaxEnvelope);
    return e;
}

HIVE_PROTO_CODEC(MailboxFetchResult)
void MailboxFetchResult::write(Writer& w) const
{
    w.listCount(envelopes.size());
    for (const auto& e : envelopes)
        e.write(w);
    w.boolean(more);
}
MailboxFetchResult MailboxFetchResult::read(Reader& r)
{
    MailboxFetchResult f;
    const std::size_t n = r.listCount(MaxListResults, 8 + 8 + 32 + 1);
    for (std::size_t i = 0; i < n && r.ok(); ++i)
        f.envelopes.push_back(readNested<Envelope>(r));
    f.more = r.boolean();
    return f;
}

HIVE_PROTO_CODEC(MailboxAck)
void MailboxAck::write(Writer& w) const
{
    w.fixed(mailbox).listCount(ids.size());
    for (auto id : ids)
        w.u64(id);
}
MailboxAck MailboxAck::read(Reader& r)
{
    MailboxAck a;
    readFixed(r, a.mailbox);
    const std::size_t n = r.listCount(MaxIdsPerRequest, 8);
    for (std::size_t i = 0; i < n && r.ok(); ++i)
        a.ids.push_back(r.u64());
    return a;
}

HIVE_PROTO_CODEC(MailboxAckResult)
void MailboxAckResult::write(Writer& w) const { w.u32(removed); }
MailboxAckResult MailboxAckResult::read(Reader& r)
{
    MailboxAckResult a;
    a.removed = r.u32();
    return a;
}

// ---- directory ----

HIVE_PROTO_CODEC(DirectoryPublish)
void DirectoryPublish::write(Writer& w) const { w.u16(kind).bytes(entry); }
DirectoryPublish DirectoryPublish::read(Reader& r)
{
    DirectoryPublish p;
    p.kind = r.u16();
    if (r.ok() && p.kind == 0)
        r.fail(ErrorCode::Malformed, "directory kind 0 is reserved");
    p.entry = r.bytes(MaxDirectoryEntry);
    return p;
}

HIVE_PROTO_CODEC(DirectoryPublishResult)
void DirectoryPublishResult::write(Writer& w) const { w.u64(publishedAt); }
DirectoryPublishResult DirectoryPublishResult::read(Reader& r)
{
    DirectoryPublishResult p;
    p.publishedAt = r.u64();
    return p;
}

HIVE_PROTO_CODEC(DirectoryFetch)
void DirectoryFetch::write(Writer& w) const { w.fixed(owner).u16(kind); }
DirectoryFetch DirectoryFetch::read(Reader& r)
{
    DirectoryFetch f;
    readFixed(r, f.owner);
    f.kind = r.u16();
    return f;
}

HIVE_PROTO_CODEC(DirectoryEntry)
void DirectoryEntry::write(Writer& w) const { w.u16(kind).u64(publishedAt).bytes(entry); }
DirectoryEntry DirectoryEntry::read(Reader& r)
{
    DirectoryEntry e;
    e.kind = r.u16();
    e.publishedAt = r.u64();
    e.entry = r.bytes(MaxDirectoryEntry);
    return e;
}

HIVE_PROTO_CODEC(DirectoryFetchResult)
void DirectoryFetchResult::write(Writer& w) const
{
    w.fixed(owner).listCount(entries.size());
    for (const auto& e : entries)
        e.write(w);
}
DirectoryFetchResult DirectoryFetchResult::read(Reader& r)
{
    DirectoryFetchResult f;
    readFixed(r, f.owner);
    const std::size_t n = r.listCount(MaxListResults, 2 + 8 + 1);
    for (std::size_t i = 0; i < n && r.ok(); ++i)
        f.entries.push_back(readNested<DirectoryEntry>(r));
    return f;
}

// ---- objects ----

namespace {

void writeIds(Writer& w, const std::vector<ObjectId>& ids)
{
    w.listCount(ids.size());
    for (const auto& id : ids)
        w.fixed(id);
}

std::vector<ObjectId> readIds(Reader& r)
{
    std::vector<ObjectId> ids;
    const std::size_t n = r.listCount(MaxIdsPerRequest, 32);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        ObjectId id {};
        readFixed(r, id);
        ids.push_back(id);
    }
    return ids;
}

} // namespace

HIVE_PROTO_CODEC(ObjectPut)
void ObjectPut::write(Writer& w) const { w.fixed(id).bytes(content); }
ObjectPut ObjectPut::read(Reader& r)
{
    ObjectPut p;
    readFixed(r, p.id);
    p.content = r.bytes(MaxObjectSize);
    return p;
}

HIVE_PROTO_CODEC(ObjectPutResult)
void ObjectPutResult::write(Writer& w) const { w.boolean(created).u64(storageUsed).u64(storageQuota); }
ObjectPutResult ObjectPutResult::read(Reader& r)
{
    ObjectPutResult p;
    p.created = r.boolean();
    p.storageUsed = r.u64();
    p.storageQuota = r.u64();
    return p;
}

HIVE_PROTO_CODEC(ObjectGet)
void ObjectGet::write(Writer& w) const { w.fixed(id); }
ObjectGet ObjectGet::read(Reader& r)
{
    ObjectGet g;
    readFixed(r, g.id);
    return g;
}

HIVE_PROTO_CODEC(ObjectContent)
void ObjectContent::write(Writer& w) const { w.bytes(content); }
ObjectContent ObjectContent::read(Reader& r)
{
    ObjectContent c;
    c.content = r.bytes(MaxObjectSize);
    return c;
}

HIVE_PROTO_CODEC(ObjectHas)
void ObjectHas::write(Writer& w) const { writeIds(w, ids); }
ObjectHas ObjectHas::read(Reader& r)
{
    ObjectHas h;
    h.ids = readIds(r);
    return h;
}

HIVE_PROTO_CODEC(ObjectHasResult)
void ObjectHasResult::write(Writer& w) const
{
    w.listCount(present.size());
    for (bool p : present)
        w.boolean(p);
}
ObjectHasResult ObjectHasResult::read(Reader& r)
{
    ObjectHasResult h;
    const std::size_t n = r.listCount(MaxIdsPerRequest, 1);
    for (std::size_t i = 0; i < n && r.ok(); ++i)
        h.present.push_back(r.boolean());
    return h;
}

HIVE_PROTO_CODEC(ObjectList)
void ObjectList::write(Writer& w) const
{
    w.boolean(after.has_value());
    if (after)
        w.fixed(*after);
    w.u16(limit);
}
ObjectList ObjectList::read(Reader& r)
{
    ObjectList l;
    if (r.boolean()) {
        ObjectId id {};
        readFixed(r, id);
        l.after = id;
    }
    l.limit = readLimit(r);
    return l;
}

HIVE_PROTO_CODEC(ObjectEntry)
void ObjectEntry::write(Writer& w) const { w.fixed(id).u32(size); }
ObjectEntry ObjectEntry::read(Reader& r)
{
    ObjectEntry e;
    readFixed(r, e.id);
    e.size = r.u32();
    return e;
}

HIVE_PROTO_CODEC(ObjectListResult)
void ObjectListResult::write(Writer& w) const
{
    w.listCount(objects.size());
    for (const auto& o : objects)
        o.write(w);
    w.boolean(more);
}
ObjectListResult ObjectListResult::read(Reader& r)
{
    ObjectListResult l;
    const std::size_t n = r.listCount(MaxListResults, 36);
    for (std::size_t i = 0; i < n && r.ok(); ++i)
        l.objects.push_back(readNested<ObjectEntry>(r));
    l.more = r.boolean();
    return l;
}

HIVE_PROTO_CODEC(ObjectDelete)
void ObjectDelete::write(Writer& w) const { writeIds(w, ids); }
ObjectDelete ObjectDelete::read(Reader& r)
{
    ObjectDelete d;
    d.ids = readIds(r);
    return d;
}

HIVE_PROTO_CODEC(ObjectDeleteResult)
void ObjectDeleteResult::write(Writer& w) const { w.u32(deleted).u64(storageUsed); }
ObjectDeleteResult ObjectDeleteResult::read(Reader& r)
{
    ObjectDeleteResult d;
    d.deleted = r.u32();
    d.storageUsed = r.u64();
    return d;
}

// ---- presence ----

HIVE_PROTO_CODEC(PresencePublish)
void PresencePublish::write(Writer& w) const
{
    w.listCount(audience.size());
    for (const auto& k : audience)
        w.fixed(k);
    w.u32(ttlSeconds).bytes(blob);
}
PresencePublish PresencePublish::read(Reader& r)
{
    PresencePublish p;
    const std::size_t n = r.listCount(MaxAudience, 32);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        Key32 k {};
        readFixed(r, k);
        p.audience.push_back(k);
    }
    p.ttlSeconds = r.u32();
    p.blob = r.bytes(MaxPresenceBlob);
    return p;
}

HIVE_PROTO_CODEC(PresencePublishResult)
void PresencePublishResult::write(Writer& w) const { w.u64(sequence).u32(delivered); }
PresencePublishResult PresencePublishResult::read(Reader& r)
{
    PresencePublishResult p;
    p.sequence = r.u64();
    p.delivered = r.u32();
    return p;
}

HIVE_PROTO_CODEC(PresenceSubscribeResult)
void PresenceSubscribeResult::write(Writer& w) const { w.u64(subscriptionId); }
PresenceSubscribeResult PresenceSubscribeResult::read(Reader& r)
{
    PresenceSubscribeResult p;
    p.subscriptionId = r.u64();
    return p;
}

HIVE_PROTO_CODEC(PresenceUpdate)
void PresenceUpdate::write(Writer& w) const { w.fixed(publisher).u64(sequence).u64(publishedAt).u64(expiresAt).bytes(blob); }
PresenceUpdate PresenceUpdate::read(Reader& r)
{
    PresenceUpdate u;
    readFixed(r, u.publisher);
    u.sequence = r.u64();
    u.publishedAt = r.u64();
    u.expiresAt = r.u64();
    u.blob = r.bytes(MaxPresenceBlob);
    return u;
}

// ---- admin ----

HIVE_PROTO_CODEC(StoreUse)
void StoreUse::write(Writer& w) const { w.u64(liveBytes).u64(deadBytes).u64(freeBytes).u64(capacityBytes).u64(objectCount); }
StoreUse StoreUse::read(Reader& r)
{
    StoreUse s;
    s.liveBytes = r.u64();
    s.deadBytes = r.u64();
    s.freeBytes = r.u64();
    s.capacityBytes = r.u64();
    s.objectCount = r.u64();
    return s;
}

HIVE_PROTO_CODEC(GrantUsage)
void GrantUsage::write(Writer& w) const
{
    w.fixed(leaf).fixed(holder).u64(storageQuota).u64(storageUsed).u64(notAfter).boolean(revoked);
}
GrantUsage GrantUsage::read(Reader& r)
{
    GrantUsage g;
    readFixed(r, g.leaf);
    readFixed(r, g.holder);
    g.storageQuota = r.u64();
    g.storageUsed = r.u64();
    g.notAfter = r.u64();
    g.revoked = r.boolean();
    return g;
}

HIVE_PROTO_CODEC(AdminStatus)
void AdminStatus::write(Writer& w) const
{
    w.u64(uptimeSeconds).u32(connections);
    store.write(w);
    w.u64(mailboxMessages).u64(mailboxBytes).listCount(grants.size());
    for (const auto& g : grants)
        g.write(w);
    w.u32(revocationCount).listCount(revocations.size());
    for (const auto& h : revocations)
        w.fixed(h);
    w.u64(sharedReads).u64(sharedBytes).u32(invitesOutstanding);
}
AdminStatus AdminStatus::read(Reader& r)
{
    AdminStatus s;
    s.uptimeSeconds = r.u64();
    s.connections = r.u32();
    s.store = readNested<StoreUse>(r);
    s.mailboxMessages = r.u64();
    s.mailboxBytes = r.u64();
    const std::size_t grants = r.listCount(MaxGrantsListed, 32 + 32 + 8 * 3 + 1);
    for (std::size_t i = 0; i < grants && r.ok(); ++i)
        s.grants.push_back(readNested<GrantUsage>(r));
    s.revocationCount = r.u32();
    const std::size_t revocations = r.listCount(MaxRevocationsListed, 32);
    for (std::size_t i = 0; i < revocations && r.ok(); ++i) {
        LinkHash h {};
        readFixed(r, h);
        s.revocations.push_back(h);
    }
    s.sharedReads = r.u64();
    s.sharedBytes = r.u64();
    s.invitesOutstanding = r.u32();
    return s;
}

HIVE_PROTO_CODEC(AdminRevoke)
void AdminRevoke::write(Writer& w) const { w.bytes(revocation.encode()); }
AdminRevoke AdminRevoke::read(Reader& r)
{
    AdminRevoke a;
    ByteView bytes = r.bytesView(Revocation::EncodedSize);
    if (!r.ok())
        return a;
    auto decoded = Revocation::decode(bytes);
    if (!decoded)
        r.fail(decoded.error().code(), decoded.error().messageView());
    else
        a.revocation = *decoded;
    return a;
}

HIVE_PROTO_CODEC(AdminRevokeResult)
void AdminRevokeResult::write(Writer& w) const { w.boolean(added); }
AdminRevokeResult AdminRevokeResult::read(Reader& r)
{
    AdminRevokeResult a;
    a.added = r.boolean();
    return a;
}

HIVE_PROTO_CODEC(InviteToken)
void InviteToken::write(Writer& w) const { w.fixed(hash).u64(expiresAt); }
InviteToken InviteToken::read(Reader& r)
{
    InviteToken t;
    readFixed(r, t.hash);
    t.expiresAt = r.u64();
    return t;
}

HIVE_PROTO_CODEC(AdminRegisterInvites)
void AdminRegisterInvites::write(Writer& w) const
{
    w.listCount(tokens.size());
    for (const auto& t : tokens)
        t.write(w);
}
AdminRegisterInvites AdminRegisterInvites::read(Reader& r)
{
    AdminRegisterInvites a;
    const std::size_t n = r.listCount(MaxInvites, 32 + 8);
    for (std::size_t i = 0; i < n && r.ok(); ++i)
        a.tokens.push_back(readNested<InviteToken>(r));
    return a;
}

HIVE_PROTO_CODEC(AdminRegisterInvitesResult)
void AdminRegisterInvitesResult::write(Writer& w) const { w.u32(added); }
AdminRegisterInvitesResult AdminRegisterInvitesResult::read(Reader& r)
{
    AdminRegisterInvitesResult a;
    a.added = r.u32();
    return a;
}

// ---- additions to mailbox, directory and objects ----

HIVE_PROTO_CODEC(MailboxPostWithInvite)
void MailboxPostWithInvite::write(Writer& w) const { w.fixed(mailbox).bytes(invite).bytes(envelope); }
MailboxPostWithInvite MailboxPostWithInvite::read(Reader& r)
{
    MailboxPostWithInvite p;
    readFixed(r, p.mailbox);
    p.invite = r.bytes(MaxInviteSecret);
    if (r.ok() && p.invite.size() < MinInviteSecret)
        r.fail(ErrorCode::Malformed, "invite secret shorter than 16 bytes");
    p.envelope = r.bytes(MaxEnvelope);
    if (r.ok() && p.envelope.empty())
        r.fail(ErrorCode::Malformed, "empty envelope");
    return p;
}

HIVE_PROTO_CODEC(MailboxWatch)
void MailboxWatch::write(Writer& w) const
{
    w.listCount(mailboxes.size());
    for (const auto& m : mailboxes)
        w.fixed(m);
}
MailboxWatch MailboxWatch::read(Reader& r)
{
    MailboxWatch m;
    const std::size_t n = r.listCount(MaxWatchedMailboxes, 32);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        MailboxId id {};
        readFixed(r, id);
        m.mailboxes.push_back(id);
    }
    return m;
}

HIVE_PROTO_CODEC(MailboxNotify)
void MailboxNotify::write(Writer& w) const { w.fixed(mailbox).u64(messageId); }
MailboxNotify MailboxNotify::read(Reader& r)
{
    MailboxNotify n;
    readFixed(r, n.mailbox);
    n.messageId = r.u64();
    return n;
}

HIVE_PROTO_CODEC(DirectoryPublishPrekeys)
void DirectoryPublishPrekeys::write(Writer& w) const
{
    w.u32(deviceId).listCount(prekeys.size());
    for (const auto& p : prekeys)
        w.bytes(p);
}
DirectoryPublishPrekeys DirectoryPublishPrekeys::read(Reader& r)
{
    DirectoryPublishPrekeys p;
    p.deviceId = r.u32();
    const std::size_t n = r.listCount(MaxPrekeysPerRequest, 2);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        Bytes key = r.bytes(MaxPrekey);
        if (r.ok() && key.empty())
            r.fail(ErrorCode::Malformed, "empty prekey");
        p.prekeys.push_back(std::move(key));
    }
    return p;
}

HIVE_PROTO_CODEC(DirectoryPublishPrekeysResult)
void DirectoryPublishPrekeysResult::write(Writer& w) const { w.u32(stored).u32(remaining); }
DirectoryPublishPrekeysResult DirectoryPublishPrekeysResult::read(Reader& r)
{
    DirectoryPublishPrekeysResult p;
    p.stored = r.u32();
    p.remaining = r.u32();
    return p;
}

HIVE_PROTO_CODEC(DirectoryTakePrekey)
void DirectoryTakePrekey::write(Writer& w) const { w.fixed(owner).u32(deviceId); }
DirectoryTakePrekey DirectoryTakePrekey::read(Reader& r)
{
    DirectoryTakePrekey t;
    readFixed(r, t.owner);
    t.deviceId = r.u32();
    return t;
}

HIVE_PROTO_CODEC(DirectoryTakePrekeyResult)
void DirectoryTakePrekeyResult::write(Writer& w) const { w.boolean(found).bytes(prekey).u32(remaining); }
DirectoryTakePrekeyResult DirectoryTakePrekeyResult::read(Reader& r)
{
    DirectoryTakePrekeyResult t;
    t.found = r.boolean();
    t.prekey = r.bytes(MaxPrekey);
    if (r.ok() && t.found == t.prekey.empty())
        r.fail(ErrorCode::Malformed, "a found prekey must be non-empty, a missing one empty");
    t.remaining = r.u32();
    return t;
}

HIVE_PROTO_CODEC(DirectoryCountPrekeys)
void DirectoryCountPrekeys::write(Writer& w) const { w.u32(deviceId); }
DirectoryCountPrekeys DirectoryCountPrekeys::read(Reader& r)
{
    DirectoryCountPrekeys c;
    c.deviceId = r.u32();
    return c;
}

HIVE_PROTO_CODEC(DirectoryCountPrekeysResult)
void DirectoryCountPrekeysResult::write(Writer& w) const { w.u32(remaining); }
DirectoryCountPrekeysResult DirectoryCountPrekeysResult::read(Reader& r)
{
    DirectoryCountPrekeysResult c;
    c.remaining = r.u32();
    return c;
}

HIVE_PROTO_CODEC(ObjectGetShared)
void ObjectGetShared::write(Writer& w) const { w.fixed(id); }
ObjectGetShared ObjectGetShared::read(Reader& r)
{
    ObjectGetShared g;
    readFixed(r, g.id);
    return g;
}

#undef HIVE_PROTO_CODEC

} // namespace hive::wire::proto

namespace hive::wire {

proto::Key32 inviteTokenHash(ByteView secret)
{
    static constexpr std::string_view Domain = "hive-invite-v1";
    proto::Key32 hash {};
    crypto_generichash_blake2b_state state;
    crypto_generichash_blake2b_init(&state, nullptr, 0, hash.size());
    crypto_generichash_blake2b_update(&state, reinterpret_cast<const unsigned char*>(Domain.data()), Domain.size());
    crypto_generichash_blake2b_update(&state, secret.data(), secret.size());
    crypto_generichash_blake2b_final(&state, hash.data(), hash.size());
    sodium_memzero(&state, sizeof state);
    return hash;
}

} // namespace hive::wire
