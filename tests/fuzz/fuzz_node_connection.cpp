// Feeds arbitrary bytes into a Node (core/node.h) on in-memory devices. Mode 0 sends the
// bytes raw on a fresh connection (handshake parser); mode 1 first completes a real
// handshake as the owner, then turns the input into request frames (service, method,
// payload) so every service's request handling sees hostile payloads; mode 2 sends the
// bytes raw after a completed handshake (record decryption and framing). Whatever comes
// in, the node must not crash, and a second, well-behaved client must still be served.
#include "core/node.h"
#include "core/testing/clientchannel.h"
#include "core/testing/memnet.h"
#include "store/memblock.h"

#include <cstdlib>

using namespace hive;
using namespace hive::node;
using namespace hive::node::testing;

namespace {

using FuzzNode = Node<MemNet, MemBlock, ManualClock, CountingEntropy, LineConsole>;

struct World {
    wire::SigningKey owner;
    wire::noise::PublicKey nodeKey {};
    Bytes image;
};

const World& world()
{
    static const World w = [] {
        World out;
        std::array<std::uint8_t, 32> seed {};
        seed.fill(1);
        out.owner = wire::SigningKey::fromSeed(seed).release();
        MemBlock block(512, 2048); // 1 MiB
        CountingEntropy entropy;
        auto key = FuzzNode::initialize(block, entropy, out.owner.publicKey);
        if (!key)
            std::abort();
        out.nodeKey = *key;
        out.image = block.contents();
        return out;
    }();
    return w;
}

struct Peer {
    ConnId id = 0;
    std::unique_ptr<ClientChannel> channel;
};

void pump(MemNet& net, FuzzNode& node, Peer& p)
{
    for (int i = 0; i < 64; ++i) {
        bool moved = false;
        Bytes out = p.channel->takeOutput();
        if (!out.empty() && !net.closedByNode(p.id)) {
            net.clientSend(p.id, out);
            node.onEvent(NetEvent::Readable, p.id);
            moved = true;
        }
        Bytes in = net.clientReceive(p.id);
        if (!in.empty()) {
            (void)p.channel->feed(in);
            moved = true;
        }
        if (!moved)
            return;
    }
}

Peer connectOwner(MemNet& net, FuzzNode& node, ManualClock& clock)
{
    const World& w = world();
    Peer p;
    p.id = net.connect();
    node.onEvent(NetEvent::Accepted, p.id);
    const TestDevice device = TestDevice::create(w.owner, clock.wallNanos() / 1000000000ull);
    p.channel = ClientChannel::start(w.nodeKey, device.noiseKey, device.hello()).release();
    pump(net, node, p);
    return p;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const World& w = world();
    MemNet net;
    MemBlock block = MemBlock::fromImage(w.image, 512);
    ManualClock clock;
    CountingEntropy entropy;
    LineConsole console;
    auto created = FuzzNode::create(net, block, clock, entropy, console);
    if (!created)
        std::abort();
    auto node = created.release();
    (void)node->start();

    const std::uint8_t mode = data[0] % 3;
    ByteView input(data + 1, size - 1);
    if (mode == 0) {
        const ConnId id = net.connect();
        node->onEvent(NetEvent::Accepted, id);
        // Deliver in two pieces to exercise partial records.
        const std::size_t half = input.size() / 2;
        net.clientSend(id, input.first(half));
        node->onEvent(NetEvent::Readable, id);
        net.clientSend(id, input.subspan(half));
        node->onEvent(NetEvent::Readable, id);
        net.clientClose(id);
        node->onEvent(NetEvent::Readable, id);
    } else {
        Peer p = connectOwner(net, *node, clock);
        if (!p.channel->ready())
            std::abort();
        if (mode == 2) {
            net.clientSend(p.id, input);
            node->onEvent(NetEvent::Readable, p.id);
        } else {
            // Frames: u8 service, u8 method, u8 length, payload...
            while (input.size() >= 3 && !net.closedByNode(p.id)) {
                const auto service = static_cast<proto::Service>(input[0] % 8);
                const std::uint16_t method = input[1] % 8;
                const std::size_t length = std::min<std::size_t>(input[2], input.size() - 3);
                (void)p.channel->request(service, method, toBytes(input.subspan(3, length)));
                input = input.subspan(3 + length);
                pump(net, *node, p);
                while (p.channel->next()) {
                }
                clock.advance(1000000ull);
            }
        }
        node->tick();
    }
    // Someone else is still served.
    Peer other = connectOwner(net, *node, clock);
    if (!other.channel->ready())
        std::abort();
    (void)other.channel->request(proto::Service::Session, 1, {});
    pump(net, *node, other);
    bool answered = false;
    while (auto f = other.channel->next())
        answered = answered || f->kind == wire::FrameKind::Response;
    if (!answered)
        std::abort();
    node->shutdown();
    return 0;
}
