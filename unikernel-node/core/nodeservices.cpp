#include "nodeservices.h"

#include "wire/codec.h"

#include <algorithm>

namespace hive::node {

using namespace hive::wire;
using proto::Role;

namespace {

constexpr std::uint8_t IdentityRecordVersion = 1;
constexpr std::size_t ScanPage = 1024;

void putBe64(Bytes& out, std::uint64_t v)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint64_t getBe64(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | p[i];
    return v;
}

template <std::size_t N>
void append(Bytes& out, const std::array<std::uint8_t, N>& a)
{
    out.insert(out.end(), a.begin(), a.end());
}

Bytes objectKey(const proto::Key32& space, const proto::ObjectId& id)
{
    Bytes k {'o'};
    append(k, space);
    append(k, id);
    return k;
}

Bytes objectPrefix(const proto::Key32& space)
{
    Bytes k {'o'};
    append(k, space);
    return k;
}

Bytes mailboxPrefix(const proto::MailboxId& mailbox)
{
    Bytes k {'m'};
    append(k, mailbox);
    return k;
}

Bytes mailboxKey(const proto::MailboxId& mailbox, std::uint64_t id)
{
    Bytes k = mailboxPrefix(mailbox);
    putBe64(k, id);
    return k;
}

const Bytes& counterKey()
{
    static const Bytes key {'c', 'm', 's', 'g', 'i', 'd'};
    return key;
}

Bytes directoryKey(std::uint16_t kind)
{
    return Bytes {'d', static_cast<std::uint8_t>(kind >> 8), static_cast<std::uint8_t>(kind)};
}

Bytes revocationKey(const Revocation& r)
{
    Bytes k {'r'};
    append(k, r.link);
    append(k, r.revoker);
    return k;
}

Bytes grantKey(const proto::Key32& space)
{
    Bytes k {'g'};
    append(k, space);
    return k;
}

Bytes inviteKey(const proto::Key32& hash)
{
    Bytes k {'i'};
    append(k, hash);
    return k;
}

constexpr std::uint8_t InviteRecordVersion = 1;
// Used invites are remembered (to answer "already used") until they expire, within this bound.
constexpr std::size_t MaxInviteRecords = 4 * proto::MaxInvites;

Bytes encodeInviteRecord(bool used, std::uint64_t expiresAt)
{
    Writer w;
    w.u8(InviteRecordVersion).boolean(used).u64(expiresAt);
    return w.take();
}

Bytes prekeyPrefix(std::uint32_t device)
{
    return Bytes {'p', static_cast<std::uint8_t>(device >> 24), static_cast<std::uint8_t>(device >> 16),
                  static_cast<std::uint8_t>(device >> 8), static_cast<std::uint8_t>(device)};
}

Bytes prekeyKey(std::uint32_t device, std::uint64_t seq)
{
    Bytes k = prekeyPrefix(device);
    putBe64(k, seq);
    return k;
}

Bytes encodeGrantRecord(const EffectiveGrant& g)
{
    Writer w;
    w.u8(1).fixed(g.holder).u64(g.notBefore).u64(g.notAfter).u8(g.depth);
    w.u16(g.shares.storage).u16(g.shares.cpu).u16(g.shares.bandwidth).listCount(g.path.size());
    for (const auto& e : g.path)
        w.fixed(e.link).u16(e.effective.storage).u16(e.effective.cpu).u16(e.effective.bandwidth);
    return w.take();
}

Result<EffectiveGrant> decodeGrantRecord(ByteView bytes)
{
    Reader r(bytes);
    EffectiveGrant g;
    if (r.u8() != 1)
        r.fail(ErrorCode::Unsupported, "unknown grant record version");
    r.fixed(std::span<std::uint8_t>(g.holder));
    g.notBefore = r.u64();
    g.notAfter = r.u64();
    g.depth = r.u8();
    g.shares.storage = r.u16();
    g.shares.cpu = r.u16();
    g.shares.bandwidth = r.u16();
    const std::size_t n = r.listCount(MaxChainLinks, 38);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
        GrantPathEntry e;
        r.fixed(std::span<std::uint8_t>(e.link));
        e.effective.storage = r.u16();
        e.effective.cpu = r.u16();
        e.effective.bandwidth = r.u16();
        g.path.push_back(e);
    }
    if (r.ok() && g.path.empty())
        r.fail(ErrorCode::Malformed, "grant record without links");
    HIVE_CHECK(r.finish());
    return g;
}

Bytes encodeStoredEnvelope(std::uint64_t receivedAt, const proto::Key32& sender, ByteView body)
{
    Writer w;
    w.u64(receivedAt).fixed(sender).bytes(body);
    return w.take();
}

Result<proto::Envelope> decodeStoredEnvelope(std::uint64_t id, ByteView bytes)
{
    Reader r(bytes);
    proto::Envelope e;
    e.id = id;
    e.receivedAt = r.u64();
    r.fixed(std::span<std::uint8_t>(e.sender));
    e.body = r.bytes(proto::MaxEnvelope);
    HIVE_CHECK(r.finish());
    return e;
}

// Decodes a request payload, turning a decode failure into a Malformed error naming it.
template <typename T>
Result<T> decodeRequest(ByteView payload, std::string_view what)
{
    auto decoded = T::decode(payload);
    if (!decoded) {
        const ErrorCode code = decoded.error().code() == ErrorCode::TooLarge ? ErrorCode::TooLarge : ErrorCode::Malformed;
        Error e(code, what);
        return e.append(": ").append(decoded.error().messageView());
    }
    return decoded;
}

Status requireRole(const Caller& caller, Role minimum, std::string_view what)
{
    if (static_cast<std::uint8_t>(caller.role) >= static_cast<std::uint8_t>(minimum))
        return success();
    Error e(ErrorCode::PermissionDenied, what);
    e.append(" is for ").append(proto::roleName(minimum)).append(minimum == Role::Owner ? "" : "s and the owner");
    return e.append(" only; this connection is ").append(proto::roleName(caller.role));
}

std::uint16_t effectiveLimit(std::uint16_t limit)
{
    return limit == 0 || limit > proto::MaxListResults ? static_cast<std::uint16_t>(proto::MaxListResults) : limit;
}

Error unknownMethod(const Frame& request)
{
    Error e(ErrorCode::Unsupported, "unknown method ");
    e.appendNumber(request.method).append(" of service ").appendNumber(request.service);
    return e;
}

bool isZero(const proto::Key32& key)
{
    return std::all_of(key.begin(), key.end(), [](std::uint8_t b) { return b == 0; });
}

} // namespace

// ---- identity and opening ----

Status NodeServices::initialize(BlockRef block, const NodeIdentity& identity, std::uint64_t storeId)
{
    HIVE_CHECK(Store::format(block, FormatOptions {.storeId = storeId, .maxObjectSize = 0}));
    auto store = HIVE_TRY(Store::open(block));
    Writer key;
    key.u8(IdentityRecordVersion).fixed(identity.key.secretKey.view());
    Bytes keyBytes = key.take();
    Status s = store->setConfig(NodeKeySlot, keyBytes);
    noise::wipeBytes(keyBytes.data(), keyBytes.size());
    HIVE_CHECK(s);
    Writer owner;
    owner.u8(IdentityRecordVersion).fixed(identity.owner);
    return store->setConfig(OwnerSlot, owner.data());
}

Result<NodeIdentity> NodeServices::readIdentity(const Store& store)
{
    auto keyRecord = store.config(NodeKeySlot);
    if (!keyRecord)
        return keyRecord.error().withContext("reading the node key (was `hive-node init` run?)");
    Bytes keyBytes = keyRecord.release();
    if (keyBytes.size() != 1 + noise::DhSize || keyBytes[0] != IdentityRecordVersion) {
        noise::wipeBytes(keyBytes.data(), keyBytes.size());
        return Error(ErrorCode::Corrupt, "the node key record has an unknown format");
    }
    auto key = noise::KeyPair::fromSecret(ByteView(keyBytes).subspan(1));
    noise::wipeBytes(keyBytes.data(), keyBytes.size());
    if (!key)
        return key.error().withContext("the stored node key is unusable");
    auto ownerRecord = store.config(OwnerSlot);
    if (!ownerRecord)
        return ownerRecord.error().withContext("reading the owner binding");
    const Bytes& ob = *ownerRecord;
    if (ob.size() != 33 || ob[0] != IdentityRecordVersion)
        return Error(ErrorCode::Corrupt, "the owner binding has an unknown format");
    NodeIdentity identity;
    identity.key = key.release();
    std::copy(ob.begin() + 1, ob.end(), identity.owner.begin());
    return identity;
}

Result<std::unique_ptr<NodeServices>> NodeServices::open(BlockRef block, ServiceLimits limits, EventLog& log)
{
    auto store = HIVE_TRY(Store::open(block));
    auto identity = HIVE_TRY(readIdentity(*store));
    std::unique_ptr<NodeServices> services(new NodeServices(std::move(store), std::move(identity), limits, log));
    HIVE_CHECK(services->rebuild());
    return services;
}

NodeServices::NodeServices(std::unique_ptr<Store> store, NodeIdentity identity, ServiceLimits limits, EventLog& log)
    : m_store(std::move(store))
    , m_identity(std::move(identity))
    , m_limits(limits)
    , m_log(log)
    , m_ledger(Capacity {.storage = m_store->usage().capacityBytes, .cpu = 0, .bandwidth = 0})
{
}

NodeServices::~NodeServices() = default;

// Rebuilds the in-memory indexes (mailbox sizes, space usage, revocations, grant charges)
// from the store, so nothing but the store is the source of truth after a crash.
Status NodeServices::reload() { return rebuild(); }

Status NodeServices::rebuild()
{
    m_revocations = RevocationSet {};
    m_ledger = UsageLedger(Capacity {.storage = m_store->usage().capacityBytes, .cpu = 0, .bandwidth = 0});
    m_mailboxes.clear();
    m_mailboxMessages = 0;
    m_mailboxBytes = 0;
    m_spaceBytes.clear();
    m_grantRecords.clear();
    m_invites.clear();
    m_prekeys.clear();

    auto scan = [this](std::uint8_t prefixByte, auto&& visit) -> Status {
        const Bytes prefix {prefixByte};
        Bytes after;
        for (;;) {
            auto page = m_store->list(prefix, after, ScanPage);
            for (const auto& info : page)
                HIVE_CHECK(visit(info));
            if (page.size() < ScanPage)
                return success();
            after = page.back().key;
        }
    };

    HIVE_CHECK(scan('m', [this](const ObjectInfo& info) -> Status {
        if (info.key.size() != 1 + 32 + 8)
            return success();
        proto::MailboxId mailbox {};
        std::copy(info.key.begin() + 1, info.key.begin() + 33, mailbox.begin());
        const std::uint64_t id = getBe64(info.key.data() + 33);
        auto& state = m_mailboxes[mailbox];
        // The stored value carries 8 + 32 + a length prefix besides the body; count the
        // value size, which bounds the body and is what the store spends.
        state.bytes += info.size;
        state.messages += 1;
        m_mailboxBytes += info.size;
        m_mailboxMessages += 1;
        m_lastMessageId = std::max(m_lastMessageId, id);
        return success();
    }));
    if (auto counter = m_store->get(counterKey()); counter && counter->size() == 8)
        m_lastMessageId = std::max(m_lastMessageId, getBe64(counter->data()));

    HIVE_CHECK(scan('o', [this](const ObjectInfo& info) -> Status {
        if (info.key.size() != 1 + 32 + 32)
            return success();
        proto::Key32 space {};
        std::copy(info.key.begin() + 1, info.key.begin() + 33, space.begin());
        m_spaceBytes[space] += info.size;
        return success();
    }));

    HIVE_CHECK(scan('r', [this](const ObjectInfo& info) -> Status {
        auto value = m_store->get(info.key);
        if (!value) {
            m_log.logLine(Error(value.error()).withContext("skipping an unreadable revocation").messageView());
            return success();
        }
        auto revocation = Revocation::decode(*value);
        if (!revocation || !m_revocations.add(*revocation))
            m_log.logLine("skipping a stored revocation that does not verify");
        return success();
    }));

    HIVE_CHECK(scan('g', [this](const ObjectInfo& info) -> Status {
        if (info.key.size() != 33)
            return success();
        proto::Key32 space {};
        std::copy(info.key.begin() + 1, info.key.end(), space.begin());
        auto value = m_store->get(info.key);
        auto grant = value ? decodeGrantRecord(*value) : Result<EffectiveGrant>(value.error());
        if (!grant) {
            m_log.logLine(Error(grant.error()).withContext("skipping an unreadable grant record").messageView());
            return success();
        }
        const std::uint64_t used = m_spaceBytes[space];
        if (used > 0 && !m_ledger.charge(*grant, Resource::Storage, used))
            m_log.logLine("a grant's stored data exceeds its quota after restart; its holder can only delete");
        m_grantRecords[space] = GrantRecord {grant.release()};
        return success();
    }));

    HIVE_CHECK(scan('i', [this](const ObjectInfo& info) -> Status {
        if (info.key.size() != 33)
            return success();
        auto value = m_store->get(info.key);
        if (!value) {
            m_log.logLine(Error(value.error()).withContext("skipping an unreadable invite").messageView());
            return success();
        }
        Reader r(*value);
        InviteState state;
        const std::uint8_t version = r.u8();
        state.used = r.boolean();
        state.expiresAt = r.u64();
        if (!r.finish() || version != InviteRecordVersion) {
            m_log.logLine("skipping a stored invite of an unknown format");
            return success();
        }
        proto::Key32 hash {};
        std::copy(info.key.begin() + 1, info.key.end(), hash.begin());
        m_invites[hash] = state;
        return success();
    }));

    HIVE_CHECK(scan('p', [this](const ObjectInfo& info) -> Status {
        if (info.key.size() != 1 + 4 + 8)
            return success();
        const std::uint32_t device = (std::uint32_t(info.key[1]) << 24) | (std::uint32_t(info.key[2]) << 16)
            | (std::uint32_t(info.key[3]) << 8) | info.key[4];
        PrekeyState& state = m_prekeys[device];
        state.count += 1;
        state.nextSeq = std::max(state.nextSeq, getBe64(info.key.data() + 5) + 1);
        return success();
    }));
    return success();
}

std::uint32_t NodeServices::invitesOutstanding(std::uint64_t nowSeconds) const
{
    std::uint32_t n = 0;
    for (const auto& [hash, state] : m_invites)
        n += !state.used && nowSeconds < state.expiresAt ? 1 : 0;
    return n;
}

std::uint32_t NodeServices::prekeyCount(std::uint32_t deviceId) const
{
    auto it = m_prekeys.find(deviceId);
    return it == m_prekeys.end() ? 0 : it->second.count;
}

Role NodeServices::roleFor(const std::optional<SigningPublicKey>& identity) const
{
    if (!identity)
        return Role::Anonymous;
    return constantTimeEqual(*identity, m_identity.owner) ? Role::Owner : Role::Friend;
}

Result<EffectiveGrant> NodeServices::verifyGrant(const GrantChain& chain, const SigningPublicKey& holder,
                                                 std::uint64_t nowSeconds) const
{
    auto grant = verifyChain(chain, m_identity.owner, m_identity.key.publicKey, nowSeconds, m_revocations);
    if (!grant)
        return Error(ErrorCode::PermissionDenied, "grant refused: ").append(grant.error().messageView());
    if (grant->holder != holder)
        return Error(ErrorCode::PermissionDenied, "grant refused: the chain was issued to another identity than this device's");
    return grant;
}

// ---- dispatch ----

Result<Bytes> NodeServices::handle(Caller& caller, const Frame& request, const RequestContext& context, PresenceHub& hub)
{
    switch (static_cast<proto::Service>(request.service)) {
    case proto::Service::Session: return session(caller, request, context);
    case proto::Service::Mailbox: return mailbox(caller, request, context, hub);
    case proto::Service::Directory: return directory(caller, request, context);
    case proto::Service::Objects: return objects(caller, request, context);
    case proto::Service::Presence: return presence(caller, request, context, hub);
    case proto::Service::Admin: return admin(caller, request, context);
    }
    Error e(ErrorCode::Unsupported, "unknown service ");
    return e.appendNumber(request.service);
}

Result<Bytes> NodeServices::session(Caller& caller, const Frame& request, const RequestContext& context)
{
    switch (static_cast<proto::SessionMethod>(request.method)) {
    case proto::SessionMethod::Ping:
        HIVE_TRY(decodeRequest<proto::Empty>(request.payload, "session.ping"));
        return proto::Pong {.nodeTime = context.nowSeconds}.encode();
    case proto::SessionMethod::PresentGrant: {
        HIVE_CHECK(requireRole(caller, Role::Friend, "session.presentGrant"));
        auto req = HIVE_TRY(decodeRequest<proto::PresentGrant>(request.payload, "session.presentGrant"));
        auto chain = GrantChain::decode(req.grantChain);
        if (!chain)
            return Error(ErrorCode::Malformed, "grant chain does not decode: ").append(chain.error().messageView());
        auto grant = HIVE_TRY(verifyGrant(*chain, caller.identity, context.nowSeconds));
        caller.grant = chain.release();
        proto::GrantInfo info;
        info.leaf = grant.leaf();
        info.storageQuota = m_ledger.quota(grant.shares, Resource::Storage);
        info.storageUsed = m_ledger.used(grant.leaf(), Resource::Storage);
        info.notAfter = grant.notAfter;
        info.depth = grant.depth;
        return info.encode();
    }
    }
    return unknownMethod(request);
}

// ---- mailbox ----

Status NodeServices::takeToken(std::map<proto::Key32, Bucket>& buckets, const proto::Key32& key, std::uint32_t perMinute,
                               std::uint32_t burst, Nanos now, std::string_view what)
{
    const std::uint64_t full = std::uint64_t(burst) * 1000;
    auto [it, inserted] = buckets.try_emplace(key, Bucket {full, now});
    Bucket& b = it->second;
    if (!inserted && now > b.updated) {
        // Tokens are kept in thousandths; the elapsed time is capped so the product fits.
        const std::uint64_t elapsed = std::min<std::uint64_t>(now - b.updated, 3600ull * 1000000000ull);
        b.milliTokens = std::min<std::uint64_t>(full, b.milliTokens + elapsed * perMinute / 60000000ull);
        b.updated = now;
    }
    if (b.milliTokens >= 1000) {
        b.milliTokens -= 1000;
        return success();
    }
    const std::uint64_t missing = 1000 - b.milliTokens;
    const std::uint64_t waitSeconds = perMinute == 0 ? 60 : (missing * 60 + perMinute * 1000ull - 1) / (perMinute * 1000ull);
    Error e(ErrorCode::Unavailable, "rate limit: too many ");
    e.append(what).append(" from this sender; try again in ");
    return e.appendNumber(static_cast<std::int64_t>(std::max<std::uint64_t>(waitSeconds, 1))).append(" s");
}

void NodeServices::prune(Nanos now)
{
    auto refilled = [&](const Bucket& b, std::uint32_t perMinute, std::uint32_t burst) {
        const std::uint64_t elapsed = now > b.updated ? std::min<std::uint64_t>(now - b.updated, 3600ull * 1000000000ull) : 0;
        return b.milliTokens + elapsed * perMinute / 60000000ull >= std::uint64_t(burst) * 1000;
    };
    for (auto* buckets : {&m_senderBuckets, &m_takeBuckets}) {
        std::erase_if(*buckets, [&](const auto& entry) {
            return refilled(entry.second, m_limits.postsPerMinute, m_limits.postBurst);
        });
    }
    std::erase_if(m_sharedBuckets, [&](const auto& entry) {
        return refilled(entry.second, m_limits.sharedReadsPerMinute, m_limits.sharedReadBurst);
    });
}

Result<std::uint64_t> NodeServices::storePost(const Caller& caller, const proto::MailboxId& mailbox, ByteView envelope,
                                              const RequestContext& context, PresenceHub& hub, const StoreBatch* extra)
{
    const proto::Key32 sender = caller.role == Role::Anonymous ? proto::Key32 {} : caller.identity;
    const Bytes value = encodeStoredEnvelope(context.nowSeconds, sender, envelope);
    // Looked up, not inserted, so refused posts to random ids leave nothing behind.
    auto found = m_mailboxes.find(mailbox);
    const MailboxState state = found == m_mailboxes.end() ? MailboxState {} : found->second;
    if (state.messages >= m_limits.mailboxMaxMessages || state.bytes + value.size() > m_limits.mailboxMaxBytes) {
        Error e(ErrorCode::NoSpace, "mailbox is full (");
        e.appendNumber(state.messages).append(" messages, ").appendNumber(static_cast<std::int64_t>(state.bytes));
        return e.append(" bytes); its owner must fetch and acknowledge messages first");
    }
    const std::uint64_t budget = m_ledger.quota(Shares {FullShare, 0, 0}, Resource::Storage) / 100 * m_limits.mailboxBudgetPercent;
    if (m_mailboxBytes + value.size() > budget)
        return Error(ErrorCode::NoSpace, "this node's mailboxes are full; try again after its owner fetched messages");
    // Anonymous posts (sealed sender) share one node-wide bucket. A bucket per connection
    // would add nothing: every new anonymous connection brings a new Noise key, so it
    // only slowed senders that keep their connection. Known senders have one each.
    if (caller.role == Role::Anonymous)
        HIVE_CHECK(takeToken(m_anonymousBucket, proto::Key32 {}, m_limits.anonymousPostsPerMinute,
                             m_limits.anonymousPostsPerMinute / 2 + 1, context.nowMonotonic));
    else if (caller.role != Role::Owner)
        HIVE_CHECK(takeToken(m_senderBuckets, caller.identity, m_limits.postsPerMinute, m_limits.postBurst, context.nowMonotonic));
    const std::uint64_t id = m_lastMessageId + 1;
    StoreBatch batch = extra ? *extra : StoreBatch {};
    batch.put(mailboxKey(mailbox, id), value);
    Bytes counter;
    putBe64(counter, id);
    batch.put(counterKey(), counter);
    if (auto s = m_store->commit(batch); !s)
        return s.error().withContext("storing the message");
    m_lastMessageId = id;
    MailboxState& stored = m_mailboxes[mailbox];
    stored.messages += 1;
    stored.bytes += value.size();
    m_mailboxMessages += 1;
    m_mailboxBytes += value.size();
    hub.mailboxPosted(proto::MailboxNotify {.mailbox = mailbox, .messageId = id});
    return id;
}

Result<Bytes> NodeServices::mailbox(Caller& caller, const Frame& request, const RequestContext& context, PresenceHub& hub)
{
    switch (static_cast<proto::MailboxMethod>(request.method)) {
    case proto::MailboxMethod::Post: {
        auto req = HIVE_TRY(decodeRequest<proto::MailboxPost>(request.payload, "mailbox.post"));
        const std::uint64_t id = HIVE_TRY(storePost(caller, req.mailbox, req.envelope, context, hub, nullptr));
        return proto::MailboxPostResult {.messageId = id}.encode();
    }
    case proto::MailboxMethod::PostWithInvite: {
        auto req = HIVE_TRY(decodeRequest<proto::MailboxPostWithInvite>(request.payload, "mailbox.postWithInvite"));
        const proto::Key32 hash = inviteTokenHash(req.invite);
        auto it = m_invites.find(hash);
        if (it == m_invites.end())
            return Error(ErrorCode::PermissionDenied, "unknown invite");
        if (it->second.used)
            return Error(ErrorCode::PermissionDenied, "invite already used");
        if (context.nowSeconds >= it->second.expiresAt)
            return Error(ErrorCode::PermissionDenied, "invite expired");
        // Spent in the same durable write as the post: either both happened or neither.
        StoreBatch spend;
        spend.put(inviteKey(hash), encodeInviteRecord(true, it->second.expiresAt));
        const std::uint64_t id = HIVE_TRY(storePost(caller, req.mailbox, req.envelope, context, hub, &spend));
        it->second.used = true;
        return proto::MailboxPostResult {.messageId = id}.encode();
    }
    case proto::MailboxMethod::Watch: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "mailbox.watch"));
        auto req = HIVE_TRY(decodeRequest<proto::MailboxWatch>(request.payload, "mailbox.watch"));
        std::sort(req.mailboxes.begin(), req.mailboxes.end());
        req.mailboxes.erase(std::unique(req.mailboxes.begin(), req.mailboxes.end()), req.mailboxes.end());
        caller.watched = std::move(req.mailboxes);
        return proto::Empty {}.encode();
    }
    case proto::MailboxMethod::Notify: break;
    case proto::MailboxMethod::Fetch: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "mailbox.fetch"));
        auto req = HIVE_TRY(decodeRequest<proto::MailboxFetch>(request.payload, "mailbox.fetch"));
        const std::uint16_t limit = effectiveLimit(req.limit);
        const auto page = m_store->list(mailboxPrefix(req.mailbox), mailboxKey(req.mailbox, req.after), std::size_t(limit) + 1);
        proto::MailboxFetchResult result;
        std::size_t bytes = 0;
        for (const auto& info : page) {
            if (result.envelopes.size() == limit || bytes + info.size > proto::ResponseBudget) {
                result.more = true;
                break;
            }
            const std::uint64_t id = getBe64(info.key.data() + 33);
            auto value = m_store->get(info.key);
            if (!value)
                return value.error().withContext("reading a mailbox message");
            auto envelope = decodeStoredEnvelope(id, *value);
            if (!envelope)
                return Error(ErrorCode::Corrupt, "a stored mailbox message does not decode");
            bytes += info.size;
            result.envelopes.push_back(envelope.release());
        }
        return result.encode();
    }
    case proto::MailboxMethod::Ack: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "mailbox.ack"));
        auto req = HIVE_TRY(decodeRequest<proto::MailboxAck>(request.payload, "mailbox.ack"));
        StoreBatch batch;
        std::uint64_t freed = 0;
        std::vector<std::uint64_t> ids = req.ids;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (auto id : ids) {
            const Bytes key = mailboxKey(req.mailbox, id);
            if (auto size = m_store->objectSize(key)) {
                batch.remove(key);
                freed += *size;
            }
        }
        if (!batch.empty()) {
            if (auto s = m_store->commit(batch); !s)
                return s.error().withContext("removing acknowledged messages");
            MailboxState& state = m_mailboxes[req.mailbox];
            state.messages -= static_cast<std::uint32_t>(batch.size());
            state.bytes -= freed;
            m_mailboxMessages -= batch.size();
            m_mailboxBytes -= freed;
            if (state.messages == 0)
                m_mailboxes.erase(req.mailbox);
        }
        return proto::MailboxAckResult {.removed = static_cast<std::uint32_t>(batch.size())}.encode();
    }
    }
    return unknownMethod(request);
}

// ---- directory ----

Result<Bytes> NodeServices::directory(Caller& caller, const Frame& request, const RequestContext& context)
{
    switch (static_cast<proto::DirectoryMethod>(request.method)) {
    case proto::DirectoryMethod::Publish: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "directory.publish"));
        auto req = HIVE_TRY(decodeRequest<proto::DirectoryPublish>(request.payload, "directory.publish"));
        const Bytes key = directoryKey(req.kind);
        if (req.entry.empty()) {
            if (m_store->has(key))
                HIVE_CHECK(m_store->remove(key));
        } else {
            proto::DirectoryEntry entry {.kind = req.kind, .publishedAt = context.nowSeconds, .entry = std::move(req.entry)};
            if (auto s = m_store->put(key, entry.encode()); !s)
                return s.error().withContext("storing the directory entry");
        }
        return proto::DirectoryPublishResult {.publishedAt = context.nowSeconds}.encode();
    }
    case proto::DirectoryMethod::Fetch: {
        HIVE_CHECK(requireRole(caller, Role::Friend, "directory.fetch"));
        auto req = HIVE_TRY(decodeRequest<proto::DirectoryFetch>(request.payload, "directory.fetch"));
        if (!isZero(req.owner) && req.owner != m_identity.owner)
            return Error(ErrorCode::NotFound, "this node holds only its owner's directory, not that identity's");
        proto::DirectoryFetchResult result;
        result.owner = m_identity.owner;
        auto add = [&](ByteView key) -> Status {
            auto value = m_store->get(key);
            if (!value)
                return value.error().withContext("reading a directory entry");
            auto entry = proto::DirectoryEntry::decode(*value);
            if (!entry)
                return Error(ErrorCode::Corrupt, "a stored directory entry does not decode");
            result.entries.push_back(entry.release());
            return success();
        };
        if (req.kind != 0) {
            const Bytes key = directoryKey(req.kind);
            if (!m_store->has(key))
                return Error(ErrorCode::NotFound, "the owner has not published an entry of this kind");
            HIVE_CHECK(add(key));
        } else {
            std::size_t bytes = 0;
            for (const auto& info : m_store->list(Bytes {'d'}, {}, proto::MaxListResults)) {
                if (bytes + info.size > proto::ResponseBudget)
                    break;
                bytes += info.size;
                HIVE_CHECK(add(info.key));
            }
        }
        return result.encode();
    }
    case proto::DirectoryMethod::PublishPrekeys: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "directory.publishPrekeys"));
        auto req = HIVE_TRY(decodeRequest<proto::DirectoryPublishPrekeys>(request.payload, "directory.publishPrekeys"));
        const PrekeyState state = m_prekeys.contains(req.deviceId) ? m_prekeys[req.deviceId] : PrekeyState {};
        if (state.count + req.prekeys.size() > proto::MaxPrekeysPerDevice) {
            Error e(ErrorCode::NoSpace, "a device may have at most ");
            e.appendNumber(static_cast<std::int64_t>(proto::MaxPrekeysPerDevice)).append(" one-time prekeys; ");
            return e.appendNumber(state.count).append(" are stored");
        }
        StoreBatch batch;
        for (std::size_t i = 0; i < req.prekeys.size(); ++i)
            batch.put(prekeyKey(req.deviceId, state.nextSeq + i), req.prekeys[i]);
        if (!batch.empty()) {
            if (auto st = m_store->commit(batch); !st)
                return st.error().withContext("storing one-time prekeys");
            PrekeyState& stored = m_prekeys[req.deviceId];
            stored.nextSeq = state.nextSeq + req.prekeys.size();
            stored.count = state.count + static_cast<std::uint32_t>(req.prekeys.size());
        }
        return proto::DirectoryPublishPrekeysResult {.stored = static_cast<std::uint32_t>(req.prekeys.size()),
                                                     .remaining = prekeyCount(req.deviceId)}
            .encode();
    }
    case proto::DirectoryMethod::TakePrekey: {
        HIVE_CHECK(requireRole(caller, Role::Friend, "directory.takePrekey"));
        auto req = HIVE_TRY(decodeRequest<proto::DirectoryTakePrekey>(request.payload, "directory.takePrekey"));
        if (!isZero(req.owner) && req.owner != m_identity.owner)
            return Error(ErrorCode::NotFound, "this node holds only its owner's prekeys, not that identity's");
        // Bounded per friend, so one friend cannot drain every prekey at once.
        if (caller.role != Role::Owner)
            HIVE_CHECK(takeToken(m_takeBuckets, caller.identity, m_limits.postsPerMinute, m_limits.postBurst,
                                 context.nowMonotonic, "prekey requests"));
        proto::DirectoryTakePrekeyResult result;
        const auto first = m_store->list(prekeyPrefix(req.deviceId), {}, 1);
        if (first.empty())
            return result.encode();
        auto value = m_store->get(first.front().key);
        if (!value)
            return value.error().withContext("reading a one-time prekey");
        // Removed durably before it is handed out: a crash after the answer cannot hand the
        // same prekey to someone else.
        StoreBatch batch;
        batch.remove(first.front().key);
        if (auto st = m_store->commit(batch); !st)
            return st.error().withContext("removing the prekey handed out");
        PrekeyState& state = m_prekeys[req.deviceId];
        state.count -= std::min<std::uint32_t>(state.count, 1);
        if (state.count == 0)
            m_prekeys.erase(req.deviceId);
        result.found = true;
        result.prekey = value.release();
        result.remaining = prekeyCount(req.deviceId);
        return result.encode();
    }
    case proto::DirectoryMethod::CountPrekeys: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "directory.countPrekeys"));
        auto req = HIVE_TRY(decodeRequest<proto::DirectoryCountPrekeys>(request.payload, "directory.countPrekeys"));
        return proto::DirectoryCountPrekeysResult {.remaining = prekeyCount(req.deviceId)}.encode();
    }
    }
    return unknownMethod(request);
}

// ---- objects ----

Result<NodeServices::ObjectAccess> NodeServices::objectAccess(const Caller& caller, std::uint64_t nowSeconds)
{
    ObjectAccess access;
    if (caller.role == Role::Owner) {
        access.space = caller.identity;
        return access;
    }
    if (caller.role == Role::Anonymous)
        return Error(ErrorCode::PermissionDenied, "objects need a certified identity and a grant from the node's owner");
    if (!caller.grant)
        return Error(ErrorCode::PermissionDenied, "objects need a grant from the node's owner; present one (session.presentGrant)");
    EffectiveGrant grant = HIVE_TRY(verifyGrant(*caller.grant, caller.identity, nowSeconds));
    access.space = caller.identity;
    const std::uint64_t used = m_spaceBytes.contains(access.space) ? m_spaceBytes[access.space] : 0;
    auto it = m_grantRecords.find(access.space);
    if (it == m_grantRecords.end()) {
        if (used > 0 && !m_ledger.charge(grant, Resource::Storage, used))
            return Error(ErrorCode::NoSpace, "your stored data exceeds the quota of the grant you presented");
        m_grantRecords[access.space] = GrantRecord {grant};
        access.recordChanged = true;
    } else if (it->second.grant.leaf() != grant.leaf()) {
        // The holder now presents another chain: move its usage to the new path.
        if (used > 0) {
            (void)m_ledger.release(it->second.grant, Resource::Storage, used);
            if (!m_ledger.charge(grant, Resource::Storage, used)) {
                (void)m_ledger.charge(it->second.grant, Resource::Storage, used);
                return Error(ErrorCode::NoSpace, "your stored data exceeds the quota of the grant you presented");
            }
        }
        it->second.grant = grant;
        access.recordChanged = true;
    }
    access.grant = std::move(grant);
    return access;
}

std::uint64_t NodeServices::quotaOf(const ObjectAccess& access) const
{
    if (!access.grant)
        return m_store->usage().capacityBytes;
    return m_ledger.quota(access.grant->shares, Resource::Storage);
}

std::uint64_t NodeServices::usedBy(const ObjectAccess& access) const
{
    if (!access.grant) {
        auto it = m_spaceBytes.find(access.space);
        return it == m_spaceBytes.end() ? 0 : it->second;
    }
    return m_ledger.used(access.grant->leaf(), Resource::Storage);
}

Result<Bytes> NodeServices::objects(Caller& caller, const Frame& request, const RequestContext& context)
{
    if (request.method == static_cast<std::uint16_t>(proto::ObjectsMethod::GetShared)) {
        // Reads the owner's space by exact id; no grant needed, since the id is the capability.
        HIVE_CHECK(requireRole(caller, Role::Friend, "objects.getShared"));
        auto req = HIVE_TRY(decodeRequest<proto::ObjectGetShared>(request.payload, "objects.getShared"));
        if (caller.role != Role::Owner)
            HIVE_CHECK(takeToken(m_sharedBuckets, caller.identity, m_limits.sharedReadsPerMinute,
                                 m_limits.sharedReadBurst, context.nowMonotonic, "shared object reads"));
        auto value = m_store->get(objectKey(m_identity.owner, req.id));
        if (!value) {
            if (value.error().code() == ErrorCode::NotFound)
                return Error(ErrorCode::NotFound, "no shared object with this id");
            return value.error().withContext("reading the shared object");
        }
        m_sharedReads += 1;
        m_sharedBytes += value->size();
        return proto::ObjectContent {.content = value.release()}.encode();
    }
    ObjectAccess access = HIVE_TRY(objectAccess(caller, context.nowSeconds));
    // A changed grant record is persisted with the next write, or on its own here for reads.
    auto persistRecord = [&](StoreBatch* batch) -> Status {
        if (!access.recordChanged || !access.grant)
            return success();
        const Bytes value = encodeGrantRecord(*access.grant);
        if (batch) {
            batch->put(grantKey(access.space), value);
            return success();
        }
        return m_store->put(grantKey(access.space), value);
    };

    switch (static_cast<proto::ObjectsMethod>(request.method)) {
    case proto::ObjectsMethod::Put: {
        auto req = HIVE_TRY(decodeRequest<proto::ObjectPut>(request.payload, "objects.put"));
        const std::size_t maxSize = std::min<std::size_t>(proto::MaxObjectSize, m_store->maxObjectSize());
        if (req.content.size() > maxSize) {
            Error e(ErrorCode::TooLarge, "object of ");
            e.appendNumber(static_cast<std::int64_t>(req.content.size())).append(" bytes exceeds this node's limit of ");
            return e.appendNumber(static_cast<std::int64_t>(maxSize)).append(" bytes");
        }
        if (!constantTimeEqual(proto::objectIdOf(req.content), req.id))
            return Error(ErrorCode::Malformed, "object id is not the BLAKE2b-256 hash of its content");
        const Bytes key = objectKey(access.space, req.id);
        proto::ObjectPutResult result;
        if (m_store->has(key)) {
            HIVE_CHECK(persistRecord(nullptr));
        } else {
            const std::uint64_t size = req.content.size();
            if (access.grant) {
                if (!m_ledger.charge(*access.grant, Resource::Storage, size)) {
                    Error e(ErrorCode::NoSpace, "over your grant's storage quota: ");
                    e.appendNumber(static_cast<std::int64_t>(usedBy(access))).append(" of ");
                    e.appendNumber(static_cast<std::int64_t>(quotaOf(access))).append(" bytes used, this object needs ");
                    return e.appendNumber(static_cast<std::int64_t>(size));
                }
            }
            StoreBatch batch;
            batch.put(key, req.content);
            (void)persistRecord(&batch);
            if (auto s = m_store->commit(batch); !s) {
                if (access.grant)
                    (void)m_ledger.release(*access.grant, Resource::Storage, size);
                return s.error().withContext("storing the object");
            }
            m_spaceBytes[access.space] += size;
            result.created = true;
        }
        result.storageUsed = usedBy(access);
        result.storageQuota = quotaOf(access);
        return result.encode();
    }
    case proto::ObjectsMethod::Get: {
        auto req = HIVE_TRY(decodeRequest<proto::ObjectGet>(request.payload, "objects.get"));
        HIVE_CHECK(persistRecord(nullptr));
        auto value = m_store->get(objectKey(access.space, req.id));
        if (!value) {
            if (value.error().code() == ErrorCode::NotFound)
                return Error(ErrorCode::NotFound, "no object with this id in your space");
            return value.error().withContext("reading the object");
        }
        return proto::ObjectContent {.content = value.release()}.encode();
    }
    case proto::ObjectsMethod::Has: {
        auto req = HIVE_TRY(decodeRequest<proto::ObjectHas>(request.payload, "objects.has"));
        proto::ObjectHasResult result;
        for (const auto& id : req.ids)
            result.present.push_back(m_store->has(objectKey(access.space, id)));
        return result.encode();
    }
    case proto::ObjectsMethod::List: {
        auto req = HIVE_TRY(decodeRequest<proto::ObjectList>(request.payload, "objects.list"));
        const std::uint16_t limit = effectiveLimit(req.limit);
        const Bytes after = req.after ? objectKey(access.space, *req.after) : Bytes {};
        const auto page = m_store->list(objectPrefix(access.space), after, std::size_t(limit) + 1);
        proto::ObjectListResult result;
        for (const auto& info : page) {
            if (result.objects.size() == limit) {
                result.more = true;
                break;
            }
            proto::ObjectEntry entry;
            std::copy(info.key.begin() + 33, info.key.end(), entry.id.begin());
            entry.size = info.size;
            result.objects.push_back(entry);
        }
        return result.encode();
    }
    case proto::ObjectsMethod::GetShared: break; // answered above
    case proto::ObjectsMethod::Delete: {
        auto req = HIVE_TRY(decodeRequest<proto::ObjectDelete>(request.payload, "objects.delete"));
        std::vector<proto::ObjectId> ids = req.ids;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        StoreBatch batch;
        std::uint64_t freed = 0;
        std::uint32_t count = 0;
        for (const auto& id : ids) {
            const Bytes key = objectKey(access.space, id);
            if (auto size = m_store->objectSize(key)) {
                batch.remove(key);
                freed += *size;
                ++count;
            }
        }
        (void)persistRecord(&batch);
        if (!batch.empty()) {
            if (auto s = m_store->commit(batch); !s)
                return s.error().withContext("deleting objects");
            if (access.grant && freed > 0)
                (void)m_ledger.release(*access.grant, Resource::Storage, freed);
            auto& spaceBytes = m_spaceBytes[access.space];
            spaceBytes -= std::min(spaceBytes, freed);
        }
        return proto::ObjectDeleteResult {.deleted = count, .storageUsed = usedBy(access)}.encode();
    }
    }
    return unknownMethod(request);
}

// ---- presence ----

bool NodeServices::maySee(const Caller& caller) const
{
    if (caller.role == Role::Owner)
        return true;
    if (caller.role != Role::Friend || !m_presence)
        return false;
    return std::binary_search(m_presence->audience.begin(), m_presence->audience.end(), caller.identity);
}

std::optional<proto::PresenceUpdate> NodeServices::currentPresenceFor(const Caller& caller, std::uint64_t nowSeconds) const
{
    if (!m_presence || !maySee(caller))
        return std::nullopt;
    if (m_presence->update.expiresAt != 0 && nowSeconds >= m_presence->update.expiresAt)
        return std::nullopt;
    return m_presence->update;
}

Result<Bytes> NodeServices::presence(Caller& caller, const Frame& request, const RequestContext& context, PresenceHub& hub)
{
    switch (static_cast<proto::PresenceMethod>(request.method)) {
    case proto::PresenceMethod::Publish: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "presence.publish"));
        auto req = HIVE_TRY(decodeRequest<proto::PresencePublish>(request.payload, "presence.publish"));
        Presence p;
        p.audience = std::move(req.audience);
        std::sort(p.audience.begin(), p.audience.end());
        p.audience.erase(std::unique(p.audience.begin(), p.audience.end()), p.audience.end());
        // Sequences stay increasing across restarts because they start from the clock.
        m_presenceSequence = std::max(m_presenceSequence + 1, context.nowSeconds * 1000);
        p.update.publisher = m_identity.owner;
        p.update.sequence = m_presenceSequence;
        p.update.publishedAt = context.nowSeconds;
        p.update.expiresAt = req.ttlSeconds == 0 ? 0 : context.nowSeconds + req.ttlSeconds;
        p.update.blob = std::move(req.blob);
        m_presence = std::move(p);
        const std::uint32_t delivered = hub.deliver(m_presence->update);
        return proto::PresencePublishResult {.sequence = m_presenceSequence, .delivered = delivered}.encode();
    }
    case proto::PresenceMethod::Subscribe: {
        HIVE_CHECK(requireRole(caller, Role::Friend, "presence.subscribe"));
        HIVE_TRY(decodeRequest<proto::Empty>(request.payload, "presence.subscribe"));
        if (caller.subscriptionId == 0)
            caller.subscriptionId = m_nextSubscription++;
        return proto::PresenceSubscribeResult {.subscriptionId = caller.subscriptionId}.encode();
    }
    case proto::PresenceMethod::Unsubscribe: {
        HIVE_TRY(decodeRequest<proto::Empty>(request.payload, "presence.unsubscribe"));
        caller.subscriptionId = 0;
        return proto::Empty {}.encode();
    }
    case proto::PresenceMethod::Update: break;
    }
    return unknownMethod(request);
}

// ---- admin ----

Result<Bytes> NodeServices::admin(Caller& caller, const Frame& request, const RequestContext& context)
{
    switch (static_cast<proto::AdminMethod>(request.method)) {
    case proto::AdminMethod::Status: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "admin.status"));
        HIVE_TRY(decodeRequest<proto::Empty>(request.payload, "admin.status"));
        proto::AdminStatus status;
        status.uptimeSeconds = context.uptimeSeconds;
        status.connections = context.connections;
        const StoreUsage use = m_store->usage();
        status.store = {.liveBytes = use.liveBytes, .deadBytes = use.deadBytes, .freeBytes = use.freeBytes,
                        .capacityBytes = use.capacityBytes, .objectCount = use.objectCount};
        status.mailboxMessages = m_mailboxMessages;
        status.mailboxBytes = m_mailboxBytes;
        for (const auto& [space, record] : m_grantRecords) {
            if (status.grants.size() == proto::MaxGrantsListed)
                break;
            const EffectiveGrant& g = record.grant;
            proto::GrantUsage usage;
            usage.leaf = g.leaf();
            usage.holder = g.holder;
            usage.storageQuota = m_ledger.quota(g.shares, Resource::Storage);
            usage.storageUsed = m_ledger.used(g.leaf(), Resource::Storage);
            usage.notAfter = g.notAfter;
            for (const auto& entry : g.path)
                for (const auto& r : m_revocations.all())
                    usage.revoked = usage.revoked || r.link == entry.link;
            status.grants.push_back(usage);
        }
        status.revocationCount = static_cast<std::uint32_t>(m_revocations.size());
        for (const auto& r : m_revocations.all()) {
            if (status.revocations.size() == proto::MaxRevocationsListed)
                break;
            status.revocations.push_back(r.link);
        }
        status.sharedReads = m_sharedReads;
        status.sharedBytes = m_sharedBytes;
        status.invitesOutstanding = invitesOutstanding(context.nowSeconds);
        return status.encode();
    }
    case proto::AdminMethod::Revoke: {
        HIVE_CHECK(requireRole(caller, Role::Friend, "admin.revoke"));
        auto req = HIVE_TRY(decodeRequest<proto::AdminRevoke>(request.payload, "admin.revoke"));
        const Revocation& r = req.revocation;
        if (caller.role != Role::Owner && r.revoker != caller.identity)
            return Error(ErrorCode::PermissionDenied, "a friend may only submit revocations it signed itself");
        if (!r.hasValidSignature())
            return Error(ErrorCode::Crypto, "the revocation's signature does not verify");
        if (m_revocations.size() >= m_limits.maxRevocations)
            return Error(ErrorCode::NoSpace, "this node's revocation list is full");
        // Persisted before it takes effect, so a revocation that was acknowledged survives
        // a crash; a duplicate rewrites the same key harmlessly.
        if (auto s = m_store->put(revocationKey(r), r.encode()); !s)
            return s.error().withContext("storing the revocation");
        auto added = HIVE_TRY(m_revocations.add(r));
        (void)context;
        return proto::AdminRevokeResult {.added = added}.encode();
    }
    case proto::AdminMethod::RegisterInvites: {
        HIVE_CHECK(requireRole(caller, Role::Owner, "admin.registerInvites"));
        auto req = HIVE_TRY(decodeRequest<proto::AdminRegisterInvites>(request.payload, "admin.registerInvites"));
        return registerInvites(req, context.nowSeconds);
    }
    }
    return unknownMethod(request);
}

Result<Bytes> NodeServices::registerInvites(const proto::AdminRegisterInvites& request, std::uint64_t nowSeconds)
{
    StoreBatch batch;
    // Expired tokens (used or not) are forgotten: a late replay is then an unknown invite.
    std::vector<proto::Key32> expired;
    for (const auto& [hash, state] : m_invites) {
        if (nowSeconds >= state.expiresAt) {
            expired.push_back(hash);
            batch.remove(inviteKey(hash));
        }
    }
    std::map<proto::Key32, InviteState> fresh;
    for (const auto& token : request.tokens) {
        if (nowSeconds >= token.expiresAt || m_invites.contains(token.hash) || fresh.contains(token.hash))
            continue;
        fresh[token.hash] = InviteState {.expiresAt = token.expiresAt, .used = false};
    }
    const std::uint32_t outstanding = invitesOutstanding(nowSeconds);
    if (outstanding + fresh.size() > proto::MaxInvites) {
        Error e(ErrorCode::NoSpace, "at most ");
        e.appendNumber(static_cast<std::int64_t>(proto::MaxInvites)).append(" invites may be outstanding; ");
        return e.appendNumber(outstanding).append(" are");
    }
    // Used, unexpired tokens are remembered within a bound; the soonest to expire go first.
    std::vector<std::pair<std::uint64_t, proto::Key32>> used;
    for (const auto& [hash, state] : m_invites)
        if (state.used && nowSeconds < state.expiresAt)
            used.emplace_back(state.expiresAt, hash);
    std::sort(used.begin(), used.end());
    std::size_t records = m_invites.size() - expired.size() + fresh.size();
    std::vector<proto::Key32> evicted;
    for (const auto& [expiresAt, hash] : used) {
        if (records <= MaxInviteRecords)
            break;
        evicted.push_back(hash);
        batch.remove(inviteKey(hash));
        --records;
    }
    for (const auto& [hash, state] : fresh)
        batch.put(inviteKey(hash), encodeInviteRecord(false, state.expiresAt));
    if (!batch.empty()) {
        if (auto st = m_store->commit(batch); !st)
            return st.error().withContext("storing invites");
    }
    for (const auto& hash : expired)
        m_invites.erase(hash);
    for (const auto& hash : evicted)
        m_invites.erase(hash);
    m_invites.insert(fresh.begin(), fresh.end());
    return proto::AdminRegisterInvitesResult {.added = static_cast<std::uint32_t>(fresh.size())}.encode();
}

} // namespace hive::node
