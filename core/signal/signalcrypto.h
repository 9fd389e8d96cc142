// The primitives libsignal-protocol-c asks its host for, implemented with OpenSSL 3's
// libcrypto (AES, HMAC-SHA256, SHA-512) and libsodium (randomness). They are the crypto
// provider of SignalContext, and usable directly (the messaging plugin encrypts
// attachments with the same AES modes libsignal uses).
#pragma once

#include "wire/bytes.h"
#include "wire/result.h"

#include <signal/signal_protocol.h>

namespace hive::core::signalcrypto {

enum class AesMode {
    CbcPkcs7, // AES-CBC with PKCS#7 (libsignal: SG_CIPHER_AES_CBC_PKCS5)
    Ctr,      // AES-CTR, 128-bit big-endian counter block (SG_CIPHER_AES_CTR_NOPADDING)
};

// AES encryption; the key is 16, 24 or 32 bytes, the IV (or initial counter) 16 bytes.
Result<Bytes> aesEncrypt(AesMode mode, ByteView key, ByteView iv, ByteView plaintext);
// AES decryption; a CBC ciphertext with wrong padding is a Crypto error.
Result<Bytes> aesDecrypt(AesMode mode, ByteView key, ByteView iv, ByteView ciphertext);
// HMAC-SHA256 of data under key (any key length, including empty).
Result<Bytes> hmacSha256(ByteView key, ByteView data);
// SHA-512 of data.
Result<Bytes> sha512(ByteView data);

// The provider table handed to signal_context_set_crypto_provider: random from libsodium,
// HMAC/SHA-512/AES from libcrypto. It keeps no state; user_data is unused.
signal_crypto_provider provider();

} // namespace hive::core::signalcrypto
