#include "signal/signalcrypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

#include <climits>
#include <memory>

namespace hive::core::signalcrypto {

namespace {

constexpr std::size_t AesBlock = 16;
constexpr std::size_t Sha256Size = 32;
constexpr std::size_t Sha512Size = 64;

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct MacFree {
    void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxFree {
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Mac = std::unique_ptr<EVP_MAC, MacFree>;
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

Error cryptoError(std::string_view what) { return Error(ErrorCode::Crypto, what); }

const EVP_CIPHER* cipherFor(AesMode mode, std::size_t keyLength)
{
    switch (keyLength) {
    case 16: return mode == AesMode::Ctr ? EVP_aes_128_ctr() : EVP_aes_128_cbc();
    case 24: return mode == AesMode::Ctr ? EVP_aes_192_ctr() : EVP_aes_192_cbc();
    case 32: return mode == AesMode::Ctr ? EVP_aes_256_ctr() : EVP_aes_256_cbc();
    default: return nullptr;
    }
}

// EVP update calls take int lengths; refuse inputs beyond INT_MAX instead of truncating.
bool fitsInt(std::size_t n) { return n <= static_cast<std::size_t>(INT_MAX) - AesBlock; }

Result<Bytes> aes(AesMode mode, ByteView key, ByteView iv, ByteView input, bool encrypt)
{
    const EVP_CIPHER* cipher = cipherFor(mode, key.size());
    if (cipher == nullptr)
        return Error(ErrorCode::InvalidArgument, "an AES key is 16, 24 or 32 bytes");
    if (iv.size() != AesBlock)
        return Error(ErrorCode::InvalidArgument, "an AES IV is 16 bytes");
    if (!fitsInt(input.size()))
        return Error(ErrorCode::TooLarge, "AES input is too large");
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data(), encrypt ? 1 : 0) != 1)
        return cryptoError("AES could not be initialised");
    Bytes out(input.size() + AesBlock);
    int written = 0;
    int last = 0;
    if (EVP_CipherUpdate(ctx.get(), out.data(), &written, input.data(), static_cast<int>(input.size())) != 1)
        return cryptoError("AES failed");
    if (EVP_CipherFinal_ex(ctx.get(), out.data() + written, &last) != 1) {
        sodium_memzero(out.data(), out.size());
        return cryptoError(encrypt ? "AES failed" : "AES-CBC padding is wrong (wrong key or damaged ciphertext)");
    }
    out.resize(static_cast<std::size_t>(written) + static_cast<std::size_t>(last));
    return out;
}

// An HMAC-SHA256 in progress (the provider's hmac context).
struct HmacState {
    Mac mac;
    MacCtx ctx;
};

Result<std::unique_ptr<HmacState>> hmacStart(ByteView key)
{
    auto state = std::make_unique<HmacState>();
    state->mac.reset(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr));
    if (!state->mac)
        return cryptoError("HMAC is not available in libcrypto");
    state->ctx.reset(EVP_MAC_CTX_new(state->mac.get()));
    if (!state->ctx)
        return cryptoError("HMAC context could not be created");
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    // An empty key must still be set (a null key means "keep the previous one"), so hand
    // libcrypto a valid pointer with length zero.
    static const std::uint8_t emptyKey = 0;
    const std::uint8_t* keyData = key.empty() ? &emptyKey : key.data();
    if (EVP_MAC_init(state->ctx.get(), keyData, key.size(), params) != 1)
        return cryptoError("HMAC could not be initialised");
    return state;
}

Result<Bytes> hmacFinish(HmacState& state)
{
    Bytes out(Sha256Size);
    std::size_t length = 0;
    if (EVP_MAC_final(state.ctx.get(), out.data(), &length, out.size()) != 1 || length != Sha256Size)
        return cryptoError("HMAC failed");
    return out;
}

// Converts a Result into libsignal's convention: 0 and a new buffer, or a negative code.
int toSignalBuffer(const Result<Bytes>& result, signal_buffer** output)
{
    if (!result)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(result->data(), result->size());
    return *output != nullptr ? 0 : SG_ERR_NOMEM;
}

// --- provider callbacks ---------------------------------------------------------------

int randomBytes(uint8_t* data, size_t len, void*)
{
    randombytes_buf(data, len);
    return 0;
}

int hmacInit(void** context, const uint8_t* key, size_t keyLength, void*)
{
    auto state = hmacStart(ByteView(key, keyLength));
    if (!state)
        return SG_ERR_UNKNOWN;
    *context = state.release().release();
    return 0;
}

int hmacUpdate(void* context, const uint8_t* data, size_t length, void*)
{
    auto* state = static_cast<HmacState*>(context);
    return EVP_MAC_update(state->ctx.get(), data, length) == 1 ? 0 : SG_ERR_UNKNOWN;
}

int hmacFinal(void* context, signal_buffer** output, void*)
{
    return toSignalBuffer(hmacFinish(*static_cast<HmacState*>(context)), output);
}

void hmacCleanup(void* context, void*) { delete static_cast<HmacState*>(context); }

int sha512Init(void** context, void*)
{
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha512(), nullptr) != 1)
        return SG_ERR_UNKNOWN;
    *context = ctx.release();
    return 0;
}

int sha512Update(void* context, const uint8_t* data, size_t length, void*)
{
    return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context), data, length) == 1 ? 0 : SG_ERR_UNKNOWN;
}

// Finishes the digest and, as libsignal requires, leaves the context ready for the next one.
int sha512Final(void* context, signal_buffer** output, void*)
{
    auto* ctx = static_cast<EVP_MD_CTX*>(context);
    Bytes out(Sha512Size);
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx, out.data(), &length) != 1 || length != Sha512Size)
        return SG_ERR_UNKNOWN;
    if (EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) != 1)
        return SG_ERR_UNKNOWN;
    return toSignalBuffer(out, output);
}

void sha512Cleanup(void* context, void*) { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context)); }

Result<AesMode> modeOf(int cipher)
{
    if (cipher == SG_CIPHER_AES_CBC_PKCS5)
        return AesMode::CbcPkcs7;
    if (cipher == SG_CIPHER_AES_CTR_NOPADDING)
        return AesMode::Ctr;
    return Error(ErrorCode::Unsupported, "unknown libsignal cipher");
}

int encryptCallback(signal_buffer** output, int cipher, const uint8_t* key, size_t keyLength, const uint8_t* iv,
                    size_t ivLength, const uint8_t* plaintext, size_t plaintextLength, void*)
{
    auto mode = modeOf(cipher);
    if (!mode)
        return SG_ERR_INVAL;
    return toSignalBuffer(
        aesEncrypt(*mode, ByteView(key, keyLength), ByteView(iv, ivLength), ByteView(plaintext, plaintextLength)),
        output);
}

int decryptCallback(signal_buffer** output, int cipher, const uint8_t* key, size_t keyLength, const uint8_t* iv,
                    size_t ivLength, const uint8_t* ciphertext, size_t ciphertextLength, void*)
{
    auto mode = modeOf(cipher);
    if (!mode)
        return SG_ERR_INVAL;
    return toSignalBuffer(
        aesDecrypt(*mode, ByteView(key, keyLength), ByteView(iv, ivLength), ByteView(ciphertext, ciphertextLength)),
        output);
}

} // namespace

Result<Bytes> aesEncrypt(AesMode mode, ByteView key, ByteView iv, ByteView plaintext)
{
    return aes(mode, key, iv, plaintext, true);
}

Result<Bytes> aesDecrypt(AesMode mode, ByteView key, ByteView iv, ByteView ciphertext)
{
    if (mode == AesMode::CbcPkcs7 && (ciphertext.empty() || ciphertext.size() % AesBlock != 0))
        return cryptoError("an AES-CBC ciphertext is a non-empty multiple of 16 bytes");
    return aes(mode, key, iv, ciphertext, false);
}

Result<Bytes> hmacSha256(ByteView key, ByteView data)
{
    auto state = HIVE_TRY(hmacStart(key));
    if (EVP_MAC_update(state->ctx.get(), data.data(), data.size()) != 1)
        return cryptoError("HMAC failed");
    return hmacFinish(*state);
}

Result<Bytes> sha512(ByteView data)
{
    Bytes out(Sha512Size);
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha512(), nullptr) != 1 || length != Sha512Size)
        return cryptoError("SHA-512 failed");
    return out;
}

signal_crypto_provider provider()
{
    signal_crypto_provider p {};
    p.random_func = randomBytes;
    p.hmac_sha256_init_func = hmacInit;
    p.hmac_sha256_update_func = hmacUpdate;
    p.hmac_sha256_final_func = hmacFinal;
    p.hmac_sha256_cleanup_func = hmacCleanup;
    p.sha512_digest_init_func = sha512Init;
    p.sha512_digest_update_func = sha512Update;
    p.sha512_digest_final_func = sha512Final;
    p.sha512_digest_cleanup_func = sha512Cleanup;
    p.encrypt_func = encryptCallback;
    p.decrypt_func = decryptCallback;
    p.user_data = nullptr;
    return p;
}

} // namespace hive::core::signalcrypto
