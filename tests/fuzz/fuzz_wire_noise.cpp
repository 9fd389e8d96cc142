// Fuzzes Noise readMessage with fixed keys: a responder reading any first message, an
// initiator reading any second message, and transport decryption after a fixed handshake.
// None of them may crash; forging a message that authenticates is not expected.
#include "wire/noise.h"

#include <cstdlib>

using namespace hive;
using namespace hive::wire::noise;

namespace {

KeyPair fixedKey(std::uint8_t b)
{
    Bytes secret(32, b);
    return KeyPair::fromSecret(secret).release();
}

struct Fixed {
    KeyPair client = fixedKey(1);
    KeyPair server = fixedKey(2);
    HandshakeState responder;
    HandshakeState initiatorAfterFirst;
    Transport transport;

    Fixed()
        : responder(HandshakeState::create(Role::Responder, asBytes("fuzz"), server, std::nullopt, fixedKey(4)).release())
        , initiatorAfterFirst(
              HandshakeState::create(Role::Initiator, asBytes("fuzz"), client, server.publicKey, fixedKey(3)).release())
    {
        auto m1 = initiatorAfterFirst.writeMessage(asBytes("seed"));
        HandshakeState i = initiatorAfterFirst;
        HandshakeState r = responder;
        (void)r.readMessage(*m1);
        auto m2 = r.writeMessage({});
        (void)i.readMessage(*m2);
        transport = r.split().release();
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static Fixed fixed;
    ByteView input(data, size);
    {
        HandshakeState r = fixed.responder;
        auto payload = r.readMessage(input);
        if (payload.ok() != !r.hasFailed())
            std::abort();
        if (payload) {
            // A message that authenticates must carry the client's key.
            if (r.remoteStatic() != fixed.client.publicKey)
                std::abort();
        }
    }
    {
        HandshakeState i = fixed.initiatorAfterFirst;
        auto payload = i.readMessage(input);
        if (payload.ok() != i.isComplete())
            std::abort();
    }
    {
        CipherState receive = fixed.transport.receive;
        auto plain = receive.decrypt(input);
        if (plain && plain->size() + TagSize != size)
            std::abort();
    }
    return 0;
}
