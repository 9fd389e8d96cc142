#include "identity/identity.h"
#include "vault/vault.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <sodium.h>

using namespace hive;
using namespace hive::core;

namespace {

Identity::Seed seedOf(std::uint8_t start)
{
    Identity::Seed seed;
    for (std::size_t i = 0; i < seed.size(); ++i)
        seed[i] = static_cast<std::uint8_t>(start + i);
    return seed;
}

QString hex(const Identity::PublicKey& key)
{
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(key.data()), static_cast<qsizetype>(key.size())).toHex());
}

} // namespace

class TestIdentity : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    std::unique_ptr<Vault> newVault()
    {
        auto v = Vault::create(m_dir.filePath(QStringLiteral("v%1.db").arg(++m_counter)), VaultKey::random());
        if (!v.ok())
            return nullptr;
        return v.release();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(sodium_init() >= 0);
    }

    void sameSeedGivesSameKeys()
    {
        auto a = Identity::fromSeed(seedOf(0), "A");
        auto b = Identity::fromSeed(seedOf(0), "B");
        QCOMPARE(a->publicKey(), b->publicKey());
        QCOMPARE(a->x25519PublicKey(), b->x25519PublicKey());
        QCOMPARE(a->x25519SecretKey(), b->x25519SecretKey());
        QCOMPARE(a->fingerprint(), b->fingerprint());
    }

    void differentSeedsGiveDifferentKeys()
    {
        auto a = Identity::fromSeed(seedOf(0), "A");
        auto b = Identity::fromSeed(seedOf(1), "A");
        QVERIFY(a->publicKey() != b->publicKey());
        QVERIFY(a->x25519PublicKey() != b->x25519PublicKey());
        QVERIFY(a->fingerprint() != b->fingerprint());
    }

    // Computed independently (Python: hashlib.blake2b with key/salt/person as crypto_kdf
    // defines them, then the `cryptography` package's Ed25519/X25519) for seed 00 01 .. 1f.
    void derivationMatchesTheProtocolVector()
    {
        auto id = Identity::fromSeed(seedOf(0), "A");
        QCOMPARE(hex(id->publicKey()), QStringLiteral("dba45a9b6f73167a129ccd8c52321d01fb1bcd56c6f578a87925f505e88a4f45"));
        QCOMPARE(hex(id->x25519PublicKey()), QStringLiteral("1c26ccd98d0f4fd95dd5d0e3329b46bb9996d61e5fbf98abe33457e1bcc42f78"));
        QCOMPARE(id->fingerprint(), QStringLiteral("qsk7 gagv yob2 ddzz 4vht q5cu x2qr atv3"));
    }

    void x25519FormMatchesLibsodiumConversion()
    {
        auto id = Identity::fromSeed(seedOf(42), "A");
        Identity::PublicKey converted{};
        const Identity::PublicKey ed = id->publicKey();
        QCOMPARE(crypto_sign_ed25519_pk_to_curve25519(converted.data(), ed.data()), 0);
        QCOMPARE(id->x25519PublicKey(), converted);
        // The secret half belongs to the public half.
        Identity::PublicKey fromSecret{};
        QCOMPARE(crypto_scalarmult_base(fromSecret.data(), id->x25519SecretKey().data()), 0);
        QCOMPARE(fromSecret, id->x25519PublicKey());
    }

    void signaturesVerify()
    {
        auto id = Identity::fromSeed(seedOf(7), "A");
        auto other = Identity::fromSeed(seedOf(8), "B");
        const Bytes message = toBytes(asBytes("contact card bytes"));
        auto sig = id->sign(message);
        QVERIFY(sig.ok());
        QCOMPARE(sig->size(), Identity::SignatureSize);
        QVERIFY(Identity::verify(message, *sig, id->publicKey()).ok());

        Bytes tampered = message;
        tampered[0] ^= 1;
        QCOMPARE(Identity::verify(tampered, *sig, id->publicKey()).error().code(), ErrorCode::Crypto);
        QCOMPARE(Identity::verify(message, *sig, other->publicKey()).error().code(), ErrorCode::Crypto);
        Bytes shortSig(sig->begin(), sig->end() - 1);
        QCOMPARE(Identity::verify(message, shortSig, id->publicKey()).error().code(), ErrorCode::Crypto);
        // Ed25519 is deterministic: the same key signs the same message identically.
        QCOMPARE(*id->sign(message), *sig);
    }

    void fingerprintIsEightGroupsOfFour()
    {
        auto id = Identity::fromSeed(seedOf(3), "A");
        static const QRegularExpression format(QStringLiteral("^([a-z2-7]{4} ){7}[a-z2-7]{4}$"));
        QVERIFY2(format.match(id->fingerprint()).hasMatch(), qPrintable(id->fingerprint()));
        QCOMPARE(Identity::fingerprint(id->publicKey()), id->fingerprint());
    }

    void displayNameRules_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("stored");
        QTest::newRow("plain") << "Alice" << true << "Alice";
        QTest::newRow("trimmed") << "  Bob \t" << true << "Bob";
        QTest::newRow("unicode") << QStringLiteral("Zoë 🐝") << true << QStringLiteral("Zoë 🐝");
        QTest::newRow("64-chars") << QString(64, QLatin1Char('x')) << true << QString(64, QLatin1Char('x'));
        QTest::newRow("64-emoji") << QString(QStringLiteral("🐝")).repeated(64) << true << QString(QStringLiteral("🐝")).repeated(64);
        QTest::newRow("65-chars") << QString(65, QLatin1Char('x')) << false << "";
        QTest::newRow("empty") << "" << false << "";
        QTest::newRow("spaces") << "   " << false << "";
        QTest::newRow("newline") << "Al\nice" << false << "";
        QTest::newRow("bell") << QStringLiteral("Al\u0007ice") << false << "";
        QTest::newRow("line-separator") << QStringLiteral("Al\u2028ice") << false << "";
        QTest::newRow("lone-surrogate") << QString(QChar(0xD800)) + QStringLiteral("x") << false << "";
    }
    void displayNameRules()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QFETCH(QString, stored);
        auto checked = Identity::validateDisplayName(name);
        QCOMPARE(checked.ok(), valid);
        if (valid)
            QCOMPARE(*checked, stored);
        else
            QCOMPARE(checked.error().code(), ErrorCode::InvalidArgument);
    }

    void createStoresAndLoadRestores()
    {
        auto vault = newVault();
        QVERIFY(vault);
        auto created = Identity::create(*vault, "  Alice ");
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message());
        QCOMPARE((*created)->displayName(), QStringLiteral("Alice"));
        auto loaded = Identity::load(*vault);
        QVERIFY(loaded.ok());
        QCOMPARE((*loaded)->publicKey(), (*created)->publicKey());
        QCOMPARE((*loaded)->x25519PublicKey(), (*created)->x25519PublicKey());
        QCOMPARE((*loaded)->displayName(), QStringLiteral("Alice"));
        QCOMPARE((*loaded)->fingerprint(), (*created)->fingerprint());
    }

    void createTwiceIsRefused()
    {
        auto vault = newVault();
        QVERIFY(vault);
        auto first = Identity::create(*vault, "Alice");
        QVERIFY(first.ok());
        auto second = Identity::create(*vault, "Mallory");
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code(), ErrorCode::AlreadyExists);
        QCOMPARE((*Identity::load(*vault))->publicKey(), (*first)->publicKey());
    }

    void createRejectsBadNameAndStoresNothing()
    {
        auto vault = newVault();
        QVERIFY(vault);
        auto bad = Identity::create(*vault, "\n");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(Identity::load(*vault).error().code(), ErrorCode::NotFound);
    }

    void loadFromEmptyVaultIsNotFound()
    {
        auto vault = newVault();
        QVERIFY(vault);
        auto loaded = Identity::load(*vault);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code(), ErrorCode::NotFound);
    }

    void twoIdentitiesHaveDifferentKeys()
    {
        auto v1 = newVault();
        auto v2 = newVault();
        QVERIFY(v1 && v2);
        auto a = Identity::create(*v1, "A");
        auto b = Identity::create(*v2, "A");
        QVERIFY(a.ok() && b.ok());
        QVERIFY((*a)->publicKey() != (*b)->publicKey());
    }

    void setDisplayNamePersists()
    {
        auto vault = newVault();
        QVERIFY(vault);
        auto id = Identity::create(*vault, "Alice");
        QVERIFY(id.ok());
        QVERIFY((*id)->setDisplayName(" Alice B. ").ok());
        QCOMPARE((*id)->displayName(), QStringLiteral("Alice B."));
        QCOMPARE((*id)->setDisplayName("").error().code(), ErrorCode::InvalidArgument);
        QCOMPARE((*id)->displayName(), QStringLiteral("Alice B."));
        QCOMPARE((*Identity::load(*vault))->displayName(), QStringLiteral("Alice B."));
    }

    void subkeysAreSeparatedByContext()
    {
        auto id = Identity::fromSeed(seedOf(9), "A");
        std::array<std::uint8_t, 32> a{}, b{}, c{}, again{};
        QVERIFY(id->deriveKey("HiveBkup", 1, a).ok());
        QVERIFY(id->deriveKey("HiveBkup", 2, b).ok());
        QVERIFY(id->deriveKey("HivePres", 1, c).ok());
        QVERIFY(id->deriveKey("HiveBkup", 1, again).ok());
        QCOMPARE(a, again);
        QVERIFY(a != b);
        QVERIFY(a != c);
        QCOMPARE(id->deriveKey(Identity::IdentityContext, 5, a).error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(id->deriveKey("short", 1, a).error().code(), ErrorCode::InvalidArgument);
        std::array<std::uint8_t, 8> tiny{};
        QCOMPARE(id->deriveKey("HiveBkup", 1, tiny).error().code(), ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestIdentity)
#include "test_identity.moc"
