#include "vault/keychainstore.h"
#include "vault/vaultkey.h"

#include <QElapsedTimer>
#include <QtTest>

#include <sodium.h>

using namespace hive;
using namespace hive::core;

class TestVaultKey : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        // Point D-Bus at a socket that does not exist, so the keychain is unreachable here
        // whatever the machine offers.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/hive-test-bus");
    }

    void passphraseDerivationIsDeterministic()
    {
        KdfParams p = KdfParams::fast();
        auto a = deriveFromPassphrase("correct horse", p);
        auto b = deriveFromPassphrase("correct horse", p);
        QVERIFY(a.ok() && b.ok());
        QVERIFY(constantTimeEqual(a->bytes(), b->bytes()));
    }

    void derivationDependsOnPassphraseAndSalt()
    {
        KdfParams p = KdfParams::fast();
        KdfParams q = p;
        q.salt[0] ^= 1;
        auto base = deriveFromPassphrase("correct horse", p);
        auto otherPass = deriveFromPassphrase("correct horsE", p);
        auto otherSalt = deriveFromPassphrase("correct horse", q);
        QVERIFY(base.ok() && otherPass.ok() && otherSalt.ok());
        QVERIFY(!constantTimeEqual(base->bytes(), otherPass->bytes()));
        QVERIFY(!constantTimeEqual(base->bytes(), otherSalt->bytes()));
    }

    void derivationIsArgon2id()
    {
        KdfParams p = KdfParams::fast();
        p.opsLimit = 2;
        auto key = deriveFromPassphrase("pw", p);
        QVERIFY(key.ok());
        std::array<std::uint8_t, 32> expected{};
        QCOMPARE(crypto_pwhash(expected.data(), expected.size(), "pw", 2, p.salt.data(), p.opsLimit,
                               static_cast<std::size_t>(p.memLimit), crypto_pwhash_ALG_ARGON2ID13),
                 0);
        QVERIFY(constantTimeEqual(key->bytes(), expected));
        std::array<std::uint8_t, 32> argon2i{};
        QCOMPARE(crypto_pwhash(argon2i.data(), argon2i.size(), "pw", 2, p.salt.data(), 3,
                               static_cast<std::size_t>(p.memLimit), crypto_pwhash_ALG_ARGON2I13),
                 0);
        QVERIFY(!constantTimeEqual(key->bytes(), argon2i));
    }

    void emptyPassphraseIsRejected()
    {
        auto key = deriveFromPassphrase("", KdfParams::fast());
        QVERIFY(!key.ok());
        QCOMPARE(key.error().code(), ErrorCode::InvalidArgument);
    }

    void absurdParametersAreRejected()
    {
        KdfParams p = KdfParams::fast();
        p.memLimit = std::uint64_t{1} << 40;
        QCOMPARE(deriveFromPassphrase("pw", p).error().code(), ErrorCode::Unsupported);
        p = KdfParams::fast();
        p.opsLimit = 0;
        QCOMPARE(deriveFromPassphrase("pw", p).error().code(), ErrorCode::Unsupported);
    }

    void fastParametersOnlyOnRequest()
    {
        qunsetenv("HIVE_KDF_FAST");
        KdfParams real = KdfParams::defaults();
        QCOMPARE(real.opsLimit, std::uint64_t{crypto_pwhash_OPSLIMIT_MODERATE});
        QCOMPARE(real.memLimit, std::uint64_t{crypto_pwhash_MEMLIMIT_MODERATE});
        qputenv("HIVE_KDF_FAST", "1");
        KdfParams fast = KdfParams::defaults();
        QCOMPARE(fast.opsLimit, std::uint64_t{crypto_pwhash_OPSLIMIT_MIN});
        QCOMPARE(fast.memLimit, std::uint64_t{crypto_pwhash_MEMLIMIT_MIN});
        qunsetenv("HIVE_KDF_FAST");
        // Every new parameter set has its own salt.
        QVERIFY(real.salt != fast.salt);
    }

    void randomKeysDiffer()
    {
        VaultKey a = VaultKey::random();
        VaultKey b = VaultKey::random();
        QVERIFY(!constantTimeEqual(a.bytes(), b.bytes()));
        std::array<std::uint8_t, 32> zero{};
        QVERIFY(!constantTimeEqual(a.bytes(), zero));
    }

    void movedFromKeyIsWiped()
    {
        VaultKey a = VaultKey::random();
        Bytes copy = toBytes(a.bytes());
        VaultKey b = std::move(a);
        QVERIFY(constantTimeEqual(b.bytes(), copy));
        std::array<std::uint8_t, 32> zero{};
        QVERIFY(constantTimeEqual(a.bytes(), zero)); // NOLINT(bugprone-use-after-move): the point of the test
    }

    void keyFromBytesChecksSize()
    {
        Bytes shortKey(31, 7);
        QCOMPARE(VaultKey::fromBytes(shortKey).error().code(), ErrorCode::Malformed);
        Bytes good(32, 7);
        auto key = VaultKey::fromBytes(good);
        QVERIFY(key.ok());
        QVERIFY(constantTimeEqual(key->bytes(), good));
    }

    void unreachableKeychainFailsCleanlyAndQuickly()
    {
        KeychainStore store(std::chrono::seconds(3));
        QElapsedTimer timer;
        timer.start();
        Status available = store.available();
        QVERIFY(!available.ok());
        QCOMPARE(available.error().code(), ErrorCode::Unavailable);
        QVERIFY2(available.error().messageView().find("keychain") != std::string_view::npos, available.error().message());

        auto read = store.readKey(QStringLiteral("some-profile"));
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code(), ErrorCode::Unavailable);
        Status written = store.writeKey(QStringLiteral("some-profile"), VaultKey::random());
        QVERIFY(!written.ok());
        QCOMPARE(written.error().code(), ErrorCode::Unavailable);
        QVERIFY(!store.removeKey(QStringLiteral("some-profile")).ok());
        // Four calls, each bounded by the 3 s timeout at worst.
        QVERIFY2(timer.elapsed() < 13000, "keychain calls must be bounded in time");
    }
};

QTEST_GUILESS_MAIN(TestVaultKey)
#include "test_vaultkey.moc"
