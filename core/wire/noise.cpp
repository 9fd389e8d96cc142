#include "noise.h"

#include <sodium.h>

#include <cstring>

namespace hive::wire::noise {

namespace {

constexpr std::size_t BlockSize = 128; // BLAKE2b block length, the HMAC block size

// libsodium wants a valid pointer even for empty inputs on some paths.
const std::uint8_t* ptr(ByteView v)
{
    static const std::uint8_t empty = 0;
    return v.empty() ? &empty : v.data();
}

// ChaChaPoly nonce: 32 bits of zeros, then the 64-bit counter little-endian (Noise 12.3).
std::array<std::uint8_t, crypto_aead_chacha20poly1305_IETF_NPUBBYTES> chachaNonce(std::uint64_t n)
{
    std::array<std::uint8_t, crypto_aead_chacha20poly1305_IETF_NPUBBYTES> nonce {};
    for (std::size_t i = 0; i < 8; ++i)
        nonce[4 + i] = static_cast<std::uint8_t>(n >> (8 * i));
    return nonce;
}

bool ensureSodium() { return sodium_init() >= 0; }

} // namespace

void wipeBytes(void* data, std::size_t n) { sodium_memzero(data, n); }

std::array<std::uint8_t, HashSize> hmacBlake2b(ByteView key, ByteView data)
{
    // RFC 2104 over BLAKE2b-512 with a 128-byte block, exactly as Noise section 4.3 says;
    // BLAKE2b's own keyed mode would give different bytes than the test vectors expect.
    Secret<BlockSize> block;
    if (key.size() > BlockSize)
        crypto_generichash_blake2b(block.data(), HashSize, key.data(), key.size(), nullptr, 0);
    else if (!key.empty())
        std::memcpy(block.data(), key.data(), key.size());

    Secret<BlockSize> pad;
    for (std::size_t i = 0; i < BlockSize; ++i)
        pad.data()[i] = block.data()[i] ^ 0x36;
    crypto_generichash_blake2b_state state;
    Secret<HashSize> inner;
    crypto_generichash_blake2b_init(&state, nullptr, 0, HashSize);
    crypto_generichash_blake2b_update(&state, pad.data(), BlockSize);
    crypto_generichash_blake2b_update(&state, ptr(data), data.size());
    crypto_generichash_blake2b_final(&state, inner.data(), HashSize);

    for (std::size_t i = 0; i < BlockSize; ++i)
        pad.data()[i] = block.data()[i] ^ 0x5c;
    std::array<std::uint8_t, HashSize> out {};
    crypto_generichash_blake2b_init(&state, nullptr, 0, HashSize);
    crypto_generichash_blake2b_update(&state, pad.data(), BlockSize);
    crypto_generichash_blake2b_update(&state, inner.data(), HashSize);
    crypto_generichash_blake2b_final(&state, out.data(), HashSize);
    sodium_memzero(&state, sizeof state);
    return out;
}

void hkdf2(ByteView chainingKey, ByteView inputKeyMaterial, std::span<std::uint8_t, HashSize> out1,
           std::span<std::uint8_t, HashSize> out2)
{
    Secret<HashSize> temp;
    auto t = hmacBlake2b(chainingKey, inputKeyMaterial);
    std::memcpy(temp.data(), t.data(), HashSize);
    sodium_memzero(t.data(), t.size());

    const std::uint8_t one = 0x01;
    auto o1 = hmacBlake2b(temp.view(), ByteView(&one, 1));
    std::memcpy(out1.data(), o1.data(), HashSize);

    Secret<HashSize + 1> input;
    std::memcpy(input.data(), o1.data(), HashSize);
    input.data()[HashSize] = 0x02;
    sodium_memzero(o1.data(), o1.size());
    auto o2 = hmacBlake2b(temp.view(), input.view());
    std::memcpy(out2.data(), o2.data(), HashSize);
    sodium_memzero(o2.data(), o2.size());
}

KeyPair KeyPair::generate()
{
    ensureSodium();
    KeyPair pair;
    // crypto_box_keypair yields an X25519 pair from the system CSPRNG.
    crypto_box_keypair(pair.publicKey.data(), pair.secretKey.data());
    return pair;
}

Result<KeyPair> KeyPair::fromSecret(ByteView secret)
{
    if (secret.size() != DhSize)
        return Error(ErrorCode::InvalidArgument, "an X25519 private key is 32 bytes");
    ensureSodium();
    KeyPair pair;
    std::memcpy(pair.secretKey.data(), secret.data(), DhSize);
    if (crypto_scalarmult_base(pair.publicKey.data(), pair.secretKey.data()) != 0)
        return Error(ErrorCode::Crypto, "cannot derive the public key of this private key");
    return pair;
}

CipherState::CipherState(std::span<const std::uint8_t, KeySize> key) : m_hasKey(true)
{
    std::memcpy(m_key.data(), key.data(), KeySize);
}

Result<Bytes> CipherState::encryptWithAd(ByteView ad, ByteView plaintext)
{
    if (!m_hasKey) {
        if (plaintext.size() > MaxMessage)
            return Error(ErrorCode::TooLarge, "a Noise message holds at most 65535 bytes");
        return toBytes(plaintext);
    }
    if (plaintext.size() > MaxPlaintext)
        return Error(ErrorCode::TooLarge, "a Noise transport message holds at most 65519 plaintext bytes");
    // 2^64-1 is reserved for rekey; reaching it means the session is worn out.
    if (m_nonce == UINT64_MAX)
        return Error(ErrorCode::Crypto, "transport nonces exhausted; reconnect to get fresh keys");
    Bytes out(plaintext.size() + TagSize);
    unsigned long long length = 0;
    auto nonce = chachaNonce(m_nonce);
    crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &length, ptr(plaintext), plaintext.size(), ptr(ad),
                                              ad.size(), nullptr, nonce.data(), m_key.data());
    out.resize(static_cast<std::size_t>(length));
    ++m_nonce;
    return out;
}

Result<Bytes> CipherState::decryptWithAd(ByteView ad, ByteView ciphertext)
{
    if (ciphertext.size() > MaxMessage)
        return Error(ErrorCode::TooLarge, "a Noise message holds at most 65535 bytes");
    if (!m_hasKey)
        return toBytes(ciphertext);
    if (ciphertext.size() < TagSize)
        return Error(ErrorCode::Malformed, "encrypted Noise message is shorter than its 16-byte tag");
    if (m_nonce == UINT64_MAX)
        return Error(ErrorCode::Crypto, "transport nonces exhausted; reconnect to get fresh keys");
    Bytes out(ciphertext.size() - TagSize);
    unsigned long long length = 0;
    auto nonce = chachaNonce(m_nonce);
    std::uint8_t scratch = 0; // a valid output pointer for empty plaintexts
    if (crypto_aead_chacha20poly1305_ietf_decrypt(out.empty() ? &scratch : out.data(), &length, nullptr,
                                                  ciphertext.data(), ciphertext.size(), ptr(ad), ad.size(),
                                                  nonce.data(), m_key.data())
        != 0)
        return Error(ErrorCode::Crypto, "Noise message failed authentication (wrong key, tampered or replayed)");
    out.resize(static_cast<std::size_t>(length));
    ++m_nonce;
    return out;
}

void CipherState::rekey()
{
    if (!m_hasKey)
        return;
    // REKEY(k) = first 32 bytes of ENCRYPT(k, 2^64-1, empty, 32 zero bytes).
    Secret<KeySize + TagSize> out;
    Secret<KeySize> zeros;
    unsigned long long length = 0;
    auto nonce = chachaNonce(UINT64_MAX);
    crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &length, zeros.data(), KeySize, nullptr, 0, nullptr,
                                              nonce.data(), m_key.data());
    std::memcpy(m_key.data(), out.data(), KeySize);
}

Result<HandshakeState> HandshakeState::create(Role role, ByteView prologue, const KeyPair& localStatic,
                                              std::optional<PublicKey> remoteStatic,
                                              std::optional<KeyPair> ephemeral)
{
    if (!ensureSodium())
        return Error(ErrorCode::Internal, "libsodium failed to initialise");
    if (role == Role::Initiator && !remoteStatic)
        return Error(ErrorCode::InvalidArgument, "an IK initiator needs the responder's static key");
    if (role == Role::Responder && remoteStatic)
        return Error(ErrorCode::InvalidArgument,
                     "an IK responder learns the initiator's static key from the first message");

    HandshakeState hs;
    hs.m_role = role;
    hs.m_s = localStatic;
    hs.m_e = std::move(ephemeral);
    hs.m_rs = remoteStatic;

    // InitializeSymmetric: the name fits in HASHLEN, so h is the name zero-padded.
    static_assert(ProtocolName.size() <= HashSize);
    std::memcpy(hs.m_h.data(), ProtocolName.data(), ProtocolName.size());
    std::memcpy(hs.m_ck.data(), hs.m_h.data(), HashSize);
    hs.mixHash(prologue);
    // Pre-message "<- s": both sides hash the responder's static public key.
    hs.mixHash(role == Role::Initiator ? ByteView(*hs.m_rs) : ByteView(hs.m_s.publicKey));
    return hs;
}

bool HandshakeState::isMyTurn() const
{
    if (m_failed || m_step >= 2)
        return false;
    return (m_step == 0) == (m_role == Role::Initiator);
}

std::optional<PublicKey> HandshakeState::remoteStatic() const { return m_rs; }

void HandshakeState::mixHash(ByteView data)
{
    crypto_generichash_blake2b_state state;
    crypto_generichash_blake2b_init(&state, nullptr, 0, HashSize);
    crypto_generichash_blake2b_update(&state, m_h.data(), HashSize);
    crypto_generichash_blake2b_update(&state, ptr(data), data.size());
    crypto_generichash_blake2b_final(&state, m_h.data(), HashSize);
}

void HandshakeState::mixKey(ByteView inputKeyMaterial)
{
    Secret<HashSize> ck;
    Secret<HashSize> tempKey;
    hkdf2(m_ck.view(), inputKeyMaterial, ck.span(), tempKey.span());
    m_ck = ck;
    // HASHLEN is 64, so the cipher key is the first 32 bytes of the second output.
    m_cipher = CipherState(std::span<const std::uint8_t, KeySize>(tempKey.data(), KeySize));
}

Result<Bytes> HandshakeState::encryptAndHash(ByteView plaintext)
{
    auto ciphertext = HIVE_TRY(m_cipher.encryptWithAd(m_h, plaintext));
    mixHash(ciphertext);
    return ciphertext;
}

Result<Bytes> HandshakeState::decryptAndHash(ByteView ciphertext)
{
    auto plaintext = HIVE_TRY(m_cipher.decryptWithAd(m_h, ciphertext));
    mixHash(ciphertext);
    return plaintext;
}

Status HandshakeState::dhInto(std::span<std::uint8_t, DhSize> out, const KeyPair& local, const PublicKey& remote)
{
    // libsodium returns -1 when the result is all zeros, i.e. the peer sent a low-order
    // point; accepting it would let an attacker force a known shared secret.
    if (crypto_scalarmult(out.data(), local.secretKey.data(), remote.data()) != 0 || sodium_is_zero(out.data(), DhSize))
        return Error(ErrorCode::Crypto, "peer sent an invalid (low-order) X25519 key");
    return success();
}

Error HandshakeState::fail(Error error)
{
    m_failed = true;
    m_ck.wipe();
    m_cipher = CipherState();
    return error.withContext("Noise handshake failed");
}

Result<Bytes> HandshakeState::writeMessage(ByteView payload)
{
    if (m_failed)
        return Error(ErrorCode::InvalidArgument, "Noise handshake already failed");
    if (m_step >= 2)
        return Error(ErrorCode::InvalidArgument, "Noise handshake is already complete");
    if (!isMyTurn())
        return Error(ErrorCode::InvalidArgument, "it is the peer's turn to send a handshake message");

    const bool first = m_step == 0;
    const std::size_t overhead = first ? DhSize + (DhSize + TagSize) + TagSize : DhSize + TagSize;
    if (payload.size() > MaxMessage - overhead)
        return Error(ErrorCode::TooLarge, "handshake payload does not fit in one Noise message");

    if (!m_e)
        m_e = KeyPair::generate();
    Bytes out(m_e->publicKey.begin(), m_e->publicKey.end());
    mixHash(m_e->publicKey);
    Secret<DhSize> shared;

    if (first) {
        // -> e, es, s, ss
        if (auto s = dhInto(shared.span(), *m_e, *m_rs); !s)
            return fail(s.error());
        mixKey(shared.view());
        auto encryptedStatic = encryptAndHash(m_s.publicKey);
        if (!encryptedStatic)
            return fail(encryptedStatic.error());
        out.insert(out.end(), encryptedStatic->begin(), encryptedStatic->end());
        if (auto s = dhInto(shared.span(), m_s, *m_rs); !s)
            return fail(s.error());
        mixKey(shared.view());
    } else {
        // <- e, ee, se
        if (auto s = dhInto(shared.span(), *m_e, *m_re); !s)
            return fail(s.error());
        mixKey(shared.view());
        if (auto s = dhInto(shared.span(), *m_e, *m_rs); !s)
            return fail(s.error());
        mixKey(shared.view());
    }
    auto body = encryptAndHash(payload);
    if (!body)
        return fail(body.error());
    out.insert(out.end(), body->begin(), body->end());
    ++m_step;
    return out;
}

Result<Bytes> HandshakeState::readMessage(ByteView message)
{
    if (m_failed)
        return Error(ErrorCode::InvalidArgument, "Noise handshake already failed");
    if (m_step >= 2)
        return Error(ErrorCode::InvalidArgument, "Noise handshake is already complete");
    if (isMyTurn())
        return Error(ErrorCode::InvalidArgument, "it is this side's turn to send a handshake message");
    if (message.size() > MaxMessage)
        return fail(Error(ErrorCode::TooLarge, "handshake message exceeds 65535 bytes"));

    const bool first = m_step == 0;
    const std::size_t minimum = first ? DhSize + (DhSize + TagSize) + TagSize : DhSize + TagSize;
    if (message.size() < minimum) {
        Error e(ErrorCode::Malformed, first ? "first" : "second");
        e.append(" handshake message is ").appendNumber(static_cast<std::int64_t>(message.size()));
        e.append(" bytes; at least ").appendNumber(static_cast<std::int64_t>(minimum)).append(" expected");
        return fail(e);
    }

    PublicKey re {};
    std::memcpy(re.data(), message.data(), DhSize);
    m_re = re;
    mixHash(re);
    std::size_t pos = DhSize;
    Secret<DhSize> shared;

    if (first) {
        // -> e, es, s, ss (responder side)
        if (auto s = dhInto(shared.span(), m_s, *m_re); !s)
            return fail(s.error());
        mixKey(shared.view());
        auto rs = decryptAndHash(message.subspan(pos, DhSize + TagSize));
        if (!rs)
            return fail(rs.error().withContext("initiator static key"));
        pos += DhSize + TagSize;
        PublicKey remote {};
        std::memcpy(remote.data(), rs->data(), DhSize);
        m_rs = remote;
        if (auto s = dhInto(shared.span(), m_s, *m_rs); !s)
            return fail(s.error());
        mixKey(shared.view());
    } else {
        // <- e, ee, se (initiator side)
        if (auto s = dhInto(shared.span(), *m_e, *m_re); !s)
            return fail(s.error());
        mixKey(shared.view());
        if (auto s = dhInto(shared.span(), m_s, *m_re); !s)
            return fail(s.error());
        mixKey(shared.view());
    }
    auto payload = decryptAndHash(message.subspan(pos));
    if (!payload)
        return fail(payload.error().withContext("handshake payload"));
    ++m_step;
    return payload;
}

Result<Transport> HandshakeState::split()
{
    if (!isComplete())
        return Error(ErrorCode::InvalidArgument, "Noise handshake is not complete");
    if (m_split)
        return Error(ErrorCode::InvalidArgument, "Noise handshake was already split");
    Secret<HashSize> k1;
    Secret<HashSize> k2;
    hkdf2(m_ck.view(), {}, k1.span(), k2.span());
    CipherState c1(std::span<const std::uint8_t, KeySize>(k1.data(), KeySize));
    CipherState c2(std::span<const std::uint8_t, KeySize>(k2.data(), KeySize));

    Transport t;
    if (m_role == Role::Initiator) {
        t.send = c1;
        t.receive = c2;
    } else {
        t.send = c2;
        t.receive = c1;
    }
    t.handshakeHash = m_h;
    t.remoteStatic = *m_rs;
    m_split = true;
    // Nothing of the handshake is needed any more; drop the secrets now.
    m_ck.wipe();
    m_cipher = CipherState();
    m_e.reset();
    return t;
}

} // namespace hive::wire::noise
