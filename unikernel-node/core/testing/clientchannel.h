// A device's side of the node protocol as a pure state machine (bytes in, bytes out), for
// the node's tests, fuzzers and benchmarks: Noise IK initiator, ClientHello/NodeHello,
// Hello version exchange, requests and the frames that come back. Qt-free.
#pragma once

#include "wire/frame.h"
#include "wire/nodeprotocol.h"
#include "wire/noise.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace hive::node::testing {

namespace proto = hive::wire::proto;

class ClientChannel {
public:
    // Starts a handshake to the node with static key nodeKey; output() then holds message 1.
    static Result<std::unique_ptr<ClientChannel>> start(const wire::noise::PublicKey& nodeKey,
                                                        const wire::noise::KeyPair& deviceKey,
                                                        const proto::ClientHello& hello);

    // Bytes to send to the node (taken).
    Bytes takeOutput();
    // Bytes received from the node; a fatal error (refused handshake, bad record) sticks.
    Status feed(ByteView bytes);
    // True once the handshake is done and the node's Hello negotiated a version.
    bool ready() const { return m_version != 0; }
    bool failed() const { return m_error.has_value(); }
    const Error& error() const { return *m_error; }
    // The node's handshake reply, once received.
    const std::optional<proto::NodeHello>& nodeHello() const { return m_nodeHello; }
    // The handshake message 1 as sent (for replay tests).
    const Bytes& message1() const { return m_message1; }

    // Queues a request; returns its id.
    std::uint64_t request(proto::Service service, std::uint16_t method, Bytes payload);
    // Queues any frame as is (for protocol-violation tests).
    Status sendFrame(const wire::Frame& frame);
    // The next frame the node sent after its Hello (responses, errors, pushes).
    std::optional<wire::Frame> next();

private:
    ClientChannel() = default;

    std::optional<wire::noise::HandshakeState> m_handshake;
    std::optional<wire::noise::Transport> m_transport;
    std::unique_ptr<wire::FrameDecoder> m_decoder;
    std::unique_ptr<wire::FrameEncoder> m_encoder;
    std::optional<proto::NodeHello> m_nodeHello;
    std::optional<Error> m_error;
    Bytes m_in;
    Bytes m_out;
    Bytes m_message1;
    std::uint16_t m_version = 0;
    std::uint64_t m_nextId = 1;
};

// A signed device certificate and key pair for an identity, valid around `now`.
struct TestDevice {
    wire::SigningKey identity;
    wire::noise::KeyPair noiseKey;
    proto::DeviceCertificate certificate;

    static TestDevice create(const wire::SigningKey& identity, std::uint64_t now);
    // ClientHello with this device's certificate and an optional grant chain.
    proto::ClientHello hello(const Bytes& grantChain = {}) const;
};

// A signed grant link (for tests).
wire::GrantLink makeGrantLink(const wire::SigningKey& issuer, const wire::SigningPublicKey& audience,
                              const wire::NodeKey& node, const wire::LinkHash& parent, std::uint64_t notBefore,
                              std::uint64_t notAfter, std::uint8_t depth, wire::Shares shares);

} // namespace hive::node::testing
