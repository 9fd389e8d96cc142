// Benchmark of the wire primitives a node runs per connection and per request: grant chain
// verification by chain length, the Noise IK handshake, and framed transport throughput.
// Prints a table; not a pass/fail test (label bench). Usage: grant_verify [iterations-scale]
#include "wire/frame.h"
#include "wire/grant.h"
#include "wire/noise.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

using namespace hive;
using namespace hive::wire;

namespace {

// CPU time of this process: on a shared, loaded machine wall time mostly measures the
// other processes, so the table reports CPU time per operation.
double cpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Timer {
    std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
    double cpu = cpuSeconds();
    // Prints one row: CPU and wall microseconds per op and ops per CPU second.
    void report(const char* name, int iterations, const char* extra = "") const
    {
        const double w = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count() / iterations;
        const double c = (cpuSeconds() - cpu) / iterations;
        std::printf("%-28s %10.1f %10.1f %12.0f%s\n", name, c * 1e6, w * 1e6, 1 / c, extra);
    }
};

GrantChain chainOf(std::size_t length, const SigningKey& owner, const NodeKey& node)
{
    GrantChain chain;
    SigningKey issuer = owner;
    LinkHash parent {};
    for (std::size_t i = 0; i < length; ++i) {
        SigningKey next = SigningKey::generate();
        GrantLink l;
        l.node = node;
        l.issuer = issuer.publicKey;
        l.audience = next.publicKey;
        l.parent = parent;
        l.notBefore = 0;
        l.notAfter = 1u << 30;
        l.depth = static_cast<std::uint8_t>(length - 1 - i);
        l.shares = {9000, 9000, 9000};
        if (!l.sign(issuer))
            std::abort();
        chain.links.push_back(l);
        parent = l.hash();
        issuer = next;
    }
    return chain;
}

} // namespace

int main(int argc, char** argv)
{
    const double scale = argc > 1 ? std::atof(argv[1]) : 1.0;
    const SigningKey owner = SigningKey::generate();
    NodeKey node {};
    node.fill(1);
    RevocationSet revocations;
    // A realistic revocation set: a few hundred unrelated revoked links.
    for (int i = 0; i < 300; ++i) {
        LinkHash h {};
        h[0] = static_cast<std::uint8_t>(i);
        h[1] = static_cast<std::uint8_t>(i >> 8);
        (void)revocations.add(Revocation::create(h, owner, 1));
    }

    std::printf("%-28s %10s %10s %12s\n", "operation", "cpu us/op", "wall us/op", "ops/cpu-s");
    for (std::size_t links : {1u, 2u, 4u, 8u}) {
        const GrantChain chain = chainOf(links, owner, node);
        const Bytes encoded = chain.encode();
        const int iterations = static_cast<int>(2000 * scale / static_cast<double>(links)) + 1;
        Timer timer;
        for (int i = 0; i < iterations; ++i) {
            auto decoded = GrantChain::decode(encoded);
            auto grant = verifyChain(*decoded, owner.publicKey, node, 100, revocations);
            if (!grant)
                std::abort();
        }
        char name[40];
        std::snprintf(name, sizeof name, "decode+verify %zu link%s", links, links == 1 ? "" : "s");
        timer.report(name, iterations);
    }

    {
        const auto client = noise::KeyPair::generate();
        const auto server = noise::KeyPair::generate();
        const int iterations = static_cast<int>(500 * scale) + 1;
        Timer timer;
        for (int i = 0; i < iterations; ++i) {
            auto a = noise::HandshakeState::create(noise::Role::Initiator, {}, client, server.publicKey);
            auto b = noise::HandshakeState::create(noise::Role::Responder, {}, server, std::nullopt);
            auto m1 = a->writeMessage({});
            (void)b->readMessage(*m1);
            auto m2 = b->writeMessage({});
            if (!a->readMessage(*m2))
                std::abort();
        }
        timer.report("Noise IK handshake (both)", iterations);
    }

    {
        const auto client = noise::KeyPair::generate();
        const auto server = noise::KeyPair::generate();
        auto a = noise::HandshakeState::create(noise::Role::Initiator, {}, client, server.publicKey);
        auto b = noise::HandshakeState::create(noise::Role::Responder, {}, server, std::nullopt);
        (void)b->readMessage(*a->writeMessage({}));
        (void)a->readMessage(*b->writeMessage({}));
        auto ta = a->split().release();
        auto tb = b->split().release();
        FrameEncoder encoder(ta.send);
        FrameDecoder decoder(tb.receive);
        Frame f;
        f.version = 1;
        f.payload = Bytes(1 << 20, 7);
        const int iterations = static_cast<int>(40 * scale) + 1;
        Timer timer;
        for (int i = 0; i < iterations; ++i) {
            auto wire = encoder.encode(f);
            if (!decoder.feed(*wire) || !decoder.next())
                std::abort();
        }
        timer.report("1 MiB frame encode+decode", iterations, "  (= MiB per cpu-s)");
    }
    return 0;
}
