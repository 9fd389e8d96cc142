// A Node on in-memory devices plus clients that pump bytes to it by hand, for the node's
// unit tests.
#pragma once

#include "core/node.h"
#include "core/testing/clientchannel.h"
#include "core/testing/memnet.h"
#include "store/memblock.h"

#include <QtTest>

namespace hive::node::testing {

using TestNode = Node<MemNet, MemBlock, ManualClock, CountingEntropy, LineConsole>;

inline wire::SigningKey keyFromByte(std::uint8_t b)
{
    std::array<std::uint8_t, 32> seed {};
    seed.fill(b);
    return wire::SigningKey::fromSeed(seed).release();
}

struct Harness {
    MemNet net;
    MemBlock block {512, 16384}; // 8 MiB
    ManualClock clock;
    CountingEntropy entropy;
    LineConsole console;
    wire::SigningKey owner = keyFromByte(1);
    wire::noise::PublicKey nodeKey {};
    NodeConfig config;
    std::unique_ptr<TestNode> node;

    explicit Harness(NodeConfig c = {}) : config(c)
    {
        auto key = TestNode::initialize(block, entropy, owner.publicKey);
        if (!key)
            qFatal("initialize: %s", key.error().message());
        nodeKey = *key;
        open();
    }
    void open()
    {
        auto n = TestNode::create(net, block, clock, entropy, console, config);
        if (!n)
            qFatal("create: %s", n.error().message());
        node = n.release();
        if (!node->start())
            qFatal("start");
    }
    void restart()
    {
        node->shutdown();
        node.reset();
        open();
    }
    std::uint64_t now() { return clock.wallNanos() / 1000000000ull; }
};

struct Client {
    Harness* h = nullptr;
    ConnId id = 0;
    std::unique_ptr<ClientChannel> channel;
    std::vector<wire::Frame> pushes;

    // Moves bytes both ways until nothing moves.
    void pump()
    {
        for (int i = 0; i < 1000; ++i) {
            bool moved = false;
            Bytes out = channel->takeOutput();
            if (!out.empty() && !h->net.closedByNode(id)) {
                h->net.clientSend(id, out);
                h->node->onEvent(NetEvent::Readable, id);
                moved = true;
            }
            Bytes in = h->net.clientReceive(id);
            if (!in.empty()) {
                (void)channel->feed(in);
                moved = true;
            }
            if (!moved)
                return;
        }
    }
    bool closed() const { return h->net.closedByNode(id); }

    // Sends a request and returns the matching Response or Error frame.
    Result<wire::Frame> call(proto::Service service, std::uint16_t method, Bytes payload)
    {
        const std::uint64_t rid = channel->request(service, method, std::move(payload));
        pump();
        while (auto f = channel->next()) {
            if (f->kind == wire::FrameKind::Push) {
                pushes.push_back(*f);
                continue;
            }
            if (f->requestId == rid)
                return *f;
        }
        return Error(ErrorCode::Timeout, closed() ? "connection closed" : "no response");
    }
    template <typename Response, typename Request, typename Method>
    Result<Response> call(proto::Service service, Method method, const Request& request)
    {
        auto frame = HIVE_TRY(call(service, static_cast<std::uint16_t>(method), request.encode()));
        if (frame.kind == wire::FrameKind::Error)
            return wire::decodeErrorPayload(frame.payload);
        return Response::decode(frame.payload);
    }
    void collectPushes()
    {
        pump();
        while (auto f = channel->next())
            if (f->kind == wire::FrameKind::Push)
                pushes.push_back(*f);
    }
};

// Connects with hello (a device certificate or none) and runs the handshake.
inline Client connectClient(Harness& h, const proto::ClientHello& hello, const wire::noise::KeyPair& key)
{
    Client c;
    c.h = &h;
    c.id = h.net.connect();
    h.node->onEvent(NetEvent::Accepted, c.id);
    c.channel = ClientChannel::start(h.nodeKey, key, hello).release();
    c.pump();
    return c;
}

inline Client connectAs(Harness& h, const TestDevice& device, const Bytes& grant = {})
{
    return connectClient(h, device.hello(grant), device.noiseKey);
}

inline Client connectAnonymous(Harness& h)
{
    return connectClient(h, proto::ClientHello {}, wire::noise::KeyPair::generate());
}

} // namespace hive::node::testing
