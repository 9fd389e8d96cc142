#include "clientchannel.h"

namespace hive::node::testing {

using namespace hive::wire;

Result<std::unique_ptr<ClientChannel>> ClientChannel::start(const noise::PublicKey& nodeKey, const noise::KeyPair& deviceKey,
                                                           const proto::ClientHello& hello)
{
    std::unique_ptr<ClientChannel> c(new ClientChannel());
    c->m_handshake = HIVE_TRY(noise::HandshakeState::create(noise::Role::Initiator, {}, deviceKey, nodeKey));
    c->m_message1 = HIVE_TRY(c->m_handshake->writeMessage(hello.encode()));
    appendRecord(c->m_out, c->m_message1);
    return c;
}

Bytes ClientChannel::takeOutput()
{
    Bytes out;
    out.swap(m_out);
    return out;
}

Status ClientChannel::feed(ByteView bytes)
{
    if (m_error)
        return *m_error;
    auto fail = [this](Error e) -> Status {
        m_error = e;
        return e;
    };
    if (!m_transport) {
        m_in.insert(m_in.end(), bytes.begin(), bytes.end());
        if (m_in.size() < RecordHeaderSize)
            return success();
        const std::size_t length = (std::size_t(m_in[0]) << 24) | (std::size_t(m_in[1]) << 16) | (std::size_t(m_in[2]) << 8) | m_in[3];
        if (length == 0 || length > noise::MaxMessage)
            return fail(Error(ErrorCode::Malformed, "bad handshake record length"));
        if (m_in.size() < RecordHeaderSize + length)
            return success();
        const Bytes message(m_in.begin() + RecordHeaderSize, m_in.begin() + static_cast<std::ptrdiff_t>(RecordHeaderSize + length));
        const Bytes rest(m_in.begin() + static_cast<std::ptrdiff_t>(RecordHeaderSize + length), m_in.end());
        m_in.clear();
        auto payload = m_handshake->readMessage(message);
        if (!payload)
            return fail(payload.error());
        auto hello = proto::NodeHello::decode(*payload);
        if (!hello)
            return fail(hello.error().withContext("NodeHello"));
        m_nodeHello = *hello;
        if (hello->status != ErrorCode::Ok)
            return fail(Error(hello->status, hello->message));
        auto transport = m_handshake->split();
        if (!transport)
            return fail(transport.error());
        m_transport = transport.release();
        m_decoder = std::make_unique<FrameDecoder>(m_transport->receive);
        m_encoder = std::make_unique<FrameEncoder>(m_transport->send);
        auto helloBytes = m_encoder->encode(helloFrame());
        if (!helloBytes)
            return fail(helloBytes.error());
        m_out.insert(m_out.end(), helloBytes->begin(), helloBytes->end());
        if (rest.empty())
            return success();
        return feed(rest);
    }
    if (auto s = m_decoder->feed(bytes); !s)
        return fail(s.error());
    if (m_version == 0 && m_decoder->pending() > 0) {
        Frame first = *m_decoder->next();
        auto range = parseHello(first);
        if (!range)
            return fail(range.error());
        auto version = negotiateVersion(SupportedVersions, *range);
        if (!version)
            return fail(version.error());
        m_version = *version;
    }
    return success();
}

std::uint64_t ClientChannel::request(proto::Service service, std::uint16_t method, Bytes payload)
{
    const std::uint64_t id = m_nextId++;
    (void)sendFrame(proto::requestFrame(m_version == 0 ? 1 : m_version, id, service, method, std::move(payload)));
    return id;
}

Status ClientChannel::sendFrame(const Frame& frame)
{
    if (!m_encoder)
        return Error(ErrorCode::Unavailable, "handshake not finished");
    auto bytes = HIVE_TRY(m_encoder->encode(frame));
    m_out.insert(m_out.end(), bytes.begin(), bytes.end());
    return success();
}

std::optional<Frame> ClientChannel::next()
{
    if (!m_decoder || m_version == 0)
        return std::nullopt;
    return m_decoder->next();
}

TestDevice TestDevice::create(const SigningKey& identity, std::uint64_t now)
{
    TestDevice d {.identity = identity, .noiseKey = noise::KeyPair::generate(), .certificate = {}};
    d.certificate = proto::DeviceCertificate::issue(identity, d.noiseKey.publicKey, now > 3600 ? now - 3600 : 0, now + 86400);
    return d;
}

proto::ClientHello TestDevice::hello(const Bytes& grantChain) const
{
    return proto::ClientHello {.format = proto::ClientHello::CurrentFormat, .certificate = certificate, .grantChain = grantChain};
}

GrantLink makeGrantLink(const SigningKey& issuer, const SigningPublicKey& audience, const NodeKey& node, const LinkHash& parent,
                        std::uint64_t notBefore, std::uint64_t notAfter, std::uint8_t depth, Shares shares)
{
    GrantLink l;
    l.node = node;
    l.issuer = issuer.publicKey;
    l.audience = audience;
    l.parent = parent;
    l.notBefore = notBefore;
    l.notAfter = notAfter;
    l.depth = depth;
    l.shares = shares;
    (void)l.sign(issuer);
    return l;
}

} // namespace hive::node::testing
