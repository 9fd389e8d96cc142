#include "messagecodec.h"

#include "wire/codec.h"

namespace hive::messaging {

using wire::Reader;
using wire::Writer;

Bytes Payload::encode() const
{
    Writer w;
    w.u8(PayloadVersion).fixed(uid).u64(sentAt).u8(static_cast<std::uint8_t>(kind)).boolean(group.has_value());
    if (group)
        w.fixed(*group);
    w.u32(expireSeconds);
    switch (kind) {
    case PayloadKind::Text: w.text(text); break;
    case PayloadKind::File: {
        static const FileInfo empty;
        const FileInfo& f = file ? *file : empty;
        w.text(text).text(f.fileName).text(f.mimeType).u64(f.size).u32(f.chunkSize).bytes(f.key).fixed(f.hash);
        w.listCount(f.chunks.size());
        for (const auto& c : f.chunks)
            w.fixed(c);
        w.bytes(f.thumbnail);
        break;
    }
    case PayloadKind::Receipt:
        w.u8(static_cast<std::uint8_t>(receipt)).listCount(receiptUids.size());
        for (const auto& u : receiptUids)
            w.fixed(u);
        break;
    case PayloadKind::Typing: w.boolean(typing); break;
    case PayloadKind::GroupUpdate:
        w.text(text).listCount(members.size());
        for (const auto& m : members)
            w.fixed(m);
        break;
    case PayloadKind::ExpireTimer: break;
    case PayloadKind::SenderKey: w.bytes(senderKey); break;
    }
    return w.take();
}

Result<Payload> Payload::decode(ByteView data)
{
    Reader r(data, wire::Limits {MaxSignalCiphertext, MaxChunks, 4});
    Payload p;
    if (r.u8() != PayloadVersion && r.ok())
        return Error(ErrorCode::Unsupported, "message of an unknown version");
    p.uid = r.fixed<16>();
    p.sentAt = r.u64();
    const std::uint8_t kind = r.u8();
    if (r.ok() && (kind < 1 || kind > 7))
        return Error(ErrorCode::Unsupported, "message of an unknown kind");
    p.kind = static_cast<PayloadKind>(kind);
    if (r.boolean())
        p.group = r.fixed<16>();
    p.expireSeconds = r.u32();
    switch (p.kind) {
    case PayloadKind::Text: p.text = r.text(MaxTextBytes); break;
    case PayloadKind::File: {
        FileInfo f;
        p.text = r.text(MaxTextBytes);
        f.fileName = r.text(1024);
        f.mimeType = r.text(255);
        f.size = r.u64();
        f.chunkSize = r.u32();
        f.key = r.bytes(32);
        f.hash = r.fixed<32>();
        const std::size_t n = r.listCount(MaxChunks, 32);
        for (std::size_t i = 0; i < n && r.ok(); ++i)
            f.chunks.push_back(r.fixed<32>());
        f.thumbnail = r.bytes(MaxThumbnailBytes);
        if (r.ok() && f.key.size() != 32)
            r.fail(ErrorCode::Malformed, "attachment key must be 32 bytes");
        if (r.ok() && f.size > 0 && (f.chunkSize == 0 || (f.size + f.chunkSize - 1) / f.chunkSize != f.chunks.size()))
            r.fail(ErrorCode::Malformed, "attachment chunk count does not match its size");
        p.file = std::move(f);
        break;
    }
    case PayloadKind::Receipt: {
        const std::uint8_t type = r.u8();
        if (r.ok() && type != 1 && type != 2)
            r.fail(ErrorCode::Malformed, "unknown receipt type");
        p.receipt = static_cast<ReceiptType>(type);
        const std::size_t n = r.listCount(MaxReceiptUids, 16);
        for (std::size_t i = 0; i < n && r.ok(); ++i)
            p.receiptUids.push_back(r.fixed<16>());
        break;
    }
    case PayloadKind::Typing: p.typing = r.boolean(); break;
    case PayloadKind::GroupUpdate: {
        p.text = r.text(256);
        const std::size_t n = r.listCount(MaxGroupMembers, 32);
        for (std::size_t i = 0; i < n && r.ok(); ++i)
            p.members.push_back(r.fixed<32>());
        if (r.ok() && !p.group)
            r.fail(ErrorCode::Malformed, "group update without a group");
        break;
    }
    case PayloadKind::ExpireTimer: break;
    case PayloadKind::SenderKey:
        p.senderKey = r.bytes(4096);
        if (r.ok() && !p.group)
            r.fail(ErrorCode::Malformed, "sender key without a group");
        break;
    }
    HIVE_CHECK(r.finish());
    return p;
}

Bytes SignalBody::encode() const
{
    Writer w;
    w.fixed(sender).u32(senderDevice).u8(static_cast<std::uint8_t>(type)).bytes(ciphertext);
    return w.take();
}

Result<SignalBody> SignalBody::decode(ByteView data)
{
    Reader r(data);
    SignalBody b;
    b.sender = r.fixed<32>();
    b.senderDevice = r.u32();
    const std::uint8_t type = r.u8();
    if (r.ok() && (type < 2 || type > 4))
        r.fail(ErrorCode::Malformed, "unknown signal message type");
    b.type = static_cast<SignalType>(type);
    b.ciphertext = r.bytes(MaxSignalCiphertext);
    HIVE_CHECK(r.finish());
    if (b.ciphertext.empty())
        return Error(ErrorCode::Malformed, "empty signal ciphertext");
    return b;
}

Bytes GroupCiphertext::encode() const
{
    Writer w;
    w.fixed(group).bytes(message);
    return w.take();
}

Result<GroupCiphertext> GroupCiphertext::decode(ByteView data)
{
    Reader r(data);
    GroupCiphertext g;
    g.group = r.fixed<16>();
    g.message = r.bytes(MaxSignalCiphertext);
    HIVE_CHECK(r.finish());
    return g;
}

} // namespace hive::messaging

namespace hive::messaging {

namespace {
constexpr std::string_view BundleDomain = "hive-prekey-bundle-v1";
}

Bytes PrekeyBundle::signedBytes() const
{
    Writer w;
    w.fixed(ByteView(reinterpret_cast<const std::uint8_t*>(BundleDomain.data()), BundleDomain.size()));
    w.fixed(identity).u32(deviceId).u32(registrationId).u32(signedPrekeyId).bytes(signedPrekey)
        .bytes(signedPrekeySignature).u64(createdAt);
    return w.take();
}

Bytes PrekeyBundle::encode() const
{
    Writer w;
    w.fixed(identity).u32(deviceId).u32(registrationId).u32(signedPrekeyId).bytes(signedPrekey)
        .bytes(signedPrekeySignature).u64(createdAt).fixed(signature);
    return w.take();
}

Result<PrekeyBundle> PrekeyBundle::decode(ByteView data)
{
    Reader r(data);
    PrekeyBundle b;
    b.identity = r.fixed<32>();
    b.deviceId = r.u32();
    b.registrationId = r.u32();
    b.signedPrekeyId = r.u32();
    b.signedPrekey = r.bytes(33);
    b.signedPrekeySignature = r.bytes(64);
    b.createdAt = r.u64();
    b.signature = r.fixed<64>();
    HIVE_CHECK(r.finish());
    if (b.signedPrekey.size() != 33 || b.signedPrekeySignature.size() != 64)
        return Error(ErrorCode::Malformed, "prekey bundle keys have the wrong size");
    return b;
}

Bytes OneTimePrekey::encode() const
{
    Writer w;
    w.u32(id).bytes(publicKey);
    return w.take();
}

Result<OneTimePrekey> OneTimePrekey::decode(ByteView data)
{
    Reader r(data);
    OneTimePrekey k;
    k.id = r.u32();
    k.publicKey = r.bytes(33);
    HIVE_CHECK(r.finish());
    if (k.publicKey.size() != 33)
        return Error(ErrorCode::Malformed, "one-time prekey has the wrong size");
    return k;
}

} // namespace hive::messaging
