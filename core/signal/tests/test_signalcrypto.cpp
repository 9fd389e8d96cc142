// Hive's libsignal crypto provider: AES-CBC and AES-CTR against NIST SP 800-38A, HMAC-SHA256
// against RFC 4231, SHA-512 against FIPS 180-2, the provider table's callbacks (as libsignal
// calls them) against the same vectors, and a SignalContext that creates and destroys.
#include "signal/signalcontext.h"
#include "signal/signalcrypto.h"
#include "signal/signalref.h"

#include <QtTest>

using namespace hive;
using namespace hive::core;
using namespace hive::core::signalcrypto;

namespace {

Bytes hex(std::string_view text)
{
    bool ok = false;
    Bytes out = fromHex(text, &ok);
    if (!ok)
        qFatal("bad hex in test vector");
    return out;
}

// SP 800-38A F.2.5 / F.5.5 (AES-256), shared plaintext.
const Bytes Key256 = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
const Bytes Plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                        "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
const Bytes CbcIv = hex("000102030405060708090a0b0c0d0e0f");
const Bytes CbcCipher256 = hex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
                               "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b");
const Bytes CtrIv = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
const Bytes CtrCipher256 = hex("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
                               "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
// SP 800-38A F.2.1 / F.5.1 (AES-128).
const Bytes Key128 = hex("2b7e151628aed2a6abf7158809cf4f3c");
const Bytes CbcCipher128 = hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
                               "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7");
const Bytes CtrCipher128 = hex("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
                               "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee");

Bytes fromSignal(signal_buffer* buffer)
{
    SignalBuffer owned(buffer);
    const std::uint8_t* data = signal_buffer_const_data(owned.get());
    return Bytes(data, data + signal_buffer_len(owned.get()));
}

} // namespace

class TestSignalCrypto : public QObject {
    Q_OBJECT

private slots:
    void aesCbcMatchesNistVectors()
    {
        // PKCS#7 adds one whole block of 0x10 to block-aligned input; the first four
        // blocks are exactly the NIST ciphertext.
        for (const auto& [key, expected] : {std::pair {Key256, CbcCipher256}, std::pair {Key128, CbcCipher128}}) {
            auto ct = aesEncrypt(AesMode::CbcPkcs7, key, CbcIv, Plain);
            QVERIFY(ct.ok());
            QCOMPARE(ct->size(), Plain.size() + 16);
            QVERIFY(Bytes(ct->begin(), ct->begin() + 64) == expected);
            auto pt = aesDecrypt(AesMode::CbcPkcs7, key, CbcIv, *ct);
            QVERIFY(pt.ok());
            QVERIFY(*pt == Plain);
        }
    }

    void aesCbcPadsAndRejectsBadPadding()
    {
        const Bytes message = {1, 2, 3};
        auto ct = aesEncrypt(AesMode::CbcPkcs7, Key256, CbcIv, message);
        QVERIFY(ct.ok());
        QCOMPARE(ct->size(), std::size_t {16});
        // Decrypting under the wrong key leaves garbage padding: refused, not returned.
        Bytes wrongKey = Key256;
        wrongKey[0] ^= 1;
        int refused = 0;
        for (std::uint8_t i = 0; i < 8; ++i) {
            wrongKey[1] = i;
            auto pt = aesDecrypt(AesMode::CbcPkcs7, wrongKey, CbcIv, *ct);
            if (!pt) {
                QCOMPARE(pt.error().code(), ErrorCode::Crypto);
                ++refused;
            }
        }
        QVERIFY(refused >= 6); // a wrong key yields valid-looking padding about 1 time in 256
        QVERIFY(!aesDecrypt(AesMode::CbcPkcs7, Key256, CbcIv, Bytes(15, 0)));
        QVERIFY(!aesDecrypt(AesMode::CbcPkcs7, Key256, CbcIv, Bytes {}));
        QCOMPARE(aesEncrypt(AesMode::CbcPkcs7, Bytes(20, 0), CbcIv, message).error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(aesEncrypt(AesMode::CbcPkcs7, Key256, Bytes(12, 0), message).error().code(), ErrorCode::InvalidArgument);
    }

    void aesCtrMatchesNistVectors()
    {
        for (const auto& [key, expected] : {std::pair {Key256, CtrCipher256}, std::pair {Key128, CtrCipher128}}) {
            auto ct = aesEncrypt(AesMode::Ctr, key, CtrIv, Plain);
            QVERIFY(ct.ok());
            QVERIFY(*ct == expected);
            auto pt = aesDecrypt(AesMode::Ctr, key, CtrIv, expected);
            QVERIFY(pt.ok());
            QVERIFY(*pt == Plain);
        }
        // CTR keeps the length of odd-sized input.
        auto ct = aesEncrypt(AesMode::Ctr, Key256, CtrIv, ByteView(Plain).first(21));
        QVERIFY(ct.ok());
        QVERIFY(*ct == Bytes(CtrCipher256.begin(), CtrCipher256.begin() + 21));
    }

    void hmacSha256MatchesRfc4231()
    {
        auto one = hmacSha256(Bytes(20, 0x0b), asBytes("Hi There"));
        QVERIFY(*one == hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
        auto two = hmacSha256(asBytes("Jefe"), asBytes("what do ya want for nothing?"));
        QVERIFY(*two == hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        // RFC 4231 case 6: a key longer than the block size.
        auto six = hmacSha256(Bytes(131, 0xaa), asBytes("Test Using Larger Than Block-Size Key - Hash Key First"));
        QVERIFY(*six == hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
        // An empty key is a valid HMAC key (libsignal's HKDF may use one).
        auto empty = hmacSha256(Bytes {}, Bytes {});
        QVERIFY(*empty == hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
    }

    void sha512MatchesFips180()
    {
        auto abc = sha512(asBytes("abc"));
        QVERIFY(*abc
                == hex("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                       "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"));
    }

    void providerCallbacksMatchTheVectors()
    {
        const signal_crypto_provider p = provider();
        void* user = p.user_data;

        // HMAC in two updates.
        void* hmac = nullptr;
        const Bytes key(20, 0x0b);
        QCOMPARE(p.hmac_sha256_init_func(&hmac, key.data(), key.size(), user), 0);
        QCOMPARE(p.hmac_sha256_update_func(hmac, asBytes("Hi ").data(), 3, user), 0);
        QCOMPARE(p.hmac_sha256_update_func(hmac, asBytes("There").data(), 5, user), 0);
        signal_buffer* out = nullptr;
        QCOMPARE(p.hmac_sha256_final_func(hmac, &out, user), 0);
        p.hmac_sha256_cleanup_func(hmac, user);
        QVERIFY(fromSignal(out) == hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));

        // SHA-512, and the context is reusable after final (libsignal relies on that).
        void* digest = nullptr;
        QCOMPARE(p.sha512_digest_init_func(&digest, user), 0);
        for (int round = 0; round < 2; ++round) {
            QCOMPARE(p.sha512_digest_update_func(digest, asBytes("ab").data(), 2, user), 0);
            QCOMPARE(p.sha512_digest_update_func(digest, asBytes("c").data(), 1, user), 0);
            out = nullptr;
            QCOMPARE(p.sha512_digest_final_func(digest, &out, user), 0);
            QVERIFY(fromSignal(out) == *sha512(asBytes("abc")));
        }
        p.sha512_digest_cleanup_func(digest, user);

        // AES through libsignal's cipher constants.
        out = nullptr;
        QCOMPARE(p.encrypt_func(&out, SG_CIPHER_AES_CTR_NOPADDING, Key256.data(), Key256.size(), CtrIv.data(),
                                CtrIv.size(), Plain.data(), Plain.size(), user),
                 0);
        QVERIFY(fromSignal(out) == CtrCipher256);
        out = nullptr;
        QCOMPARE(p.encrypt_func(&out, SG_CIPHER_AES_CBC_PKCS5, Key256.data(), Key256.size(), CbcIv.data(),
                                CbcIv.size(), Plain.data(), Plain.size(), user),
                 0);
        const Bytes cbc = fromSignal(out);
        QVERIFY(Bytes(cbc.begin(), cbc.begin() + 64) == CbcCipher256);
        out = nullptr;
        QCOMPARE(p.decrypt_func(&out, SG_CIPHER_AES_CBC_PKCS5, Key256.data(), Key256.size(), CbcIv.data(),
                                CbcIv.size(), cbc.data(), cbc.size(), user),
                 0);
        QVERIFY(fromSignal(out) == Plain);
        out = nullptr;
        QVERIFY(p.decrypt_func(&out, SG_CIPHER_AES_CBC_PKCS5, Key256.data(), Key256.size(), CbcIv.data(),
                               CbcIv.size(), cbc.data(), 17, user)
                < 0);
        QVERIFY(out == nullptr);
        QVERIFY(p.encrypt_func(&out, 99, Key256.data(), Key256.size(), CbcIv.data(), CbcIv.size(), Plain.data(),
                               Plain.size(), user)
                < 0);

        // Randomness fills the buffer (two 32-byte draws differ).
        std::array<std::uint8_t, 32> a {};
        std::array<std::uint8_t, 32> b {};
        QCOMPARE(p.random_func(a.data(), a.size(), user), 0);
        QCOMPARE(p.random_func(b.data(), b.size(), user), 0);
        QVERIFY(a != b);
    }

    void contextCreatesAndDestroys()
    {
        for (int i = 0; i < 3; ++i) {
            auto context = SignalContext::create();
            QVERIFY(context.ok());
            QVERIFY((*context)->get() != nullptr);
        }
    }
};

QTEST_GUILESS_MAIN(TestSignalCrypto)
#include "test_signalcrypto.moc"
