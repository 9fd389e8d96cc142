#include "profile/profile.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace hive;
using namespace hive::core;

namespace {

// An in-memory stand-in for the OS keychain, so keychain profiles can be tested on a
// machine without a secret service.
class MemorySecretStore final : public SecretStore {
public:
    bool reachable = true;
    std::map<QString, Bytes> keys;

    Status available() override
    {
        if (!reachable)
            return Error(ErrorCode::Unavailable, "test keychain switched off");
        return success();
    }
    Result<VaultKey> readKey(const QString& id) override
    {
        HIVE_CHECK(available());
        auto it = keys.find(id);
        if (it == keys.end())
            return Error(ErrorCode::NotFound, "no key for this profile");
        return VaultKey::fromBytes(it->second);
    }
    Status writeKey(const QString& id, const VaultKey& key) override
    {
        HIVE_CHECK(available());
        keys[id] = toBytes(key.bytes());
        return success();
    }
    Status removeKey(const QString& id) override
    {
        HIVE_CHECK(available());
        keys.erase(id);
        return success();
    }
};

// sha256 of every file below `dir`, by relative path: proves a failed call wrote nothing.
std::map<QString, QByteArray> snapshot(const QString& dir)
{
    std::map<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly))
            files[QDir(dir).relativeFilePath(path)] = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
    }
    return files;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(data), data.size());
}

QJsonObject json(const QString& dir) { return QJsonDocument::fromJson(readAll(dir + "/profile.json")).object(); }

} // namespace

class TestProfile : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;
    int m_counter = 0;
    QString freshDir() { return m_root.filePath(QStringLiteral("p%1").arg(++m_counter)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        qputenv("HIVE_KDF_FAST", "1");
        // No secret service is reachable through this address, whatever the machine has.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/hive-test-bus");
    }

    void createThenOpenRoundTrip()
    {
        const QString dir = freshDir();
        QCOMPARE(Profile::probe(dir), ProfileState::Missing);
        Identity::PublicKey key{};
        QString fingerprint;
        {
            auto p = Profile::create(dir, "Alice", KeyProtection::Passphrase, "pass one");
            QVERIFY2(p.ok(), p.ok() ? "" : p.error().message());
            QCOMPARE((*p)->identity().displayName(), QStringLiteral("Alice"));
            QCOMPARE((*p)->keyProtection(), KeyProtection::Passphrase);
            QCOMPARE((*p)->directory(), dir);
            QVERIFY((*p)->vault().setSetting("app.theme", "dark").ok());
            key = (*p)->identity().publicKey();
            fingerprint = (*p)->identity().fingerprint();
        }
        QCOMPARE(Profile::probe(dir), ProfileState::Passphrase);
        auto p = Profile::open(dir, "pass one");
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message());
        QCOMPARE((*p)->identity().publicKey(), key);
        QCOMPARE((*p)->identity().fingerprint(), fingerprint);
        QCOMPARE((*p)->identity().displayName(), QStringLiteral("Alice"));
        QCOMPARE((*p)->vault().setting("app.theme")->value_or(QByteArray()), QByteArray("dark"));
        QCOMPARE(QFileInfo(dir).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());
    }

    void nothingIsStoredInPlaintext()
    {
        const QString dir = freshDir();
        const QString name = QStringLiteral("Alice Plaintextcheck");
        const QByteArray passphrase = "a passphrase nobody guesses";
        QByteArray seed;
        {
            auto p = Profile::create(dir, name, KeyProtection::Passphrase, passphrase);
            QVERIFY(p.ok());
            auto stmt = (*p)->vault().prepare("SELECT seed FROM identity");
            QVERIFY(stmt.ok());
            QVERIFY(stmt->step().valueOr(false));
            seed = stmt->columnBlob(0);
            QCOMPARE(seed.size(), 32);
        }
        auto p = Profile::open(dir, passphrase); // open and close once more, as a user would
        QVERIFY(p.ok());
        p = Error(ErrorCode::Internal, "closed");

        const QByteArray utf16(reinterpret_cast<const char*>(name.utf16()), name.size() * 2);
        const QByteArray rawSeed = QByteArray::fromRawData(reinterpret_cast<const char*>(seed.constData()), 32);
        int files = 0;
        QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QByteArray bytes = readAll(path);
            ++files;
            QVERIFY2(!bytes.contains(name.toUtf8()), qPrintable(path));
            QVERIFY2(!bytes.contains(utf16), qPrintable(path));
            QVERIFY2(!bytes.contains("Plaintextcheck"), qPrintable(path));
            QVERIFY2(!bytes.contains(rawSeed), qPrintable(path));
            QVERIFY2(!bytes.contains(seed.toHex()), qPrintable(path));
            QVERIFY2(!bytes.contains(passphrase), qPrintable(path));
        }
        QCOMPARE(files, 2); // vault.db and profile.json, no leftovers
        QVERIFY(QFile::exists(dir + "/vault.db"));
        QVERIFY(QFile::exists(dir + "/profile.json"));
        const QJsonObject o = json(dir);
        QCOMPARE(o.value("format").toInt(), 1);
        QCOMPARE(o.value("keyProtection").toString(), QStringLiteral("passphrase"));
        QVERIFY(o.value("kdf").toObject().contains("salt"));
    }

    void wrongPassphraseLeavesFilesUntouched()
    {
        const QString dir = freshDir();
        QVERIFY(Profile::create(dir, "Bob", KeyProtection::Passphrase, "right").ok());
        const auto before = snapshot(dir);
        auto p = Profile::open(dir, "wrong");
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code(), ErrorCode::WrongKey);
        QVERIFY2(p.error().messageView().find("wrong passphrase or key") != std::string_view::npos, p.error().message());
        QCOMPARE(snapshot(dir), before);

        auto empty = Profile::open(dir, "");
        QVERIFY(!empty.ok());
        QCOMPARE(empty.error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(snapshot(dir), before);
    }

    void changePassphraseRetiresTheOldOne()
    {
        const QString dir = freshDir();
        Identity::PublicKey key{};
        {
            auto p = Profile::create(dir, "Carol", KeyProtection::Passphrase, "old secret");
            QVERIFY(p.ok());
            key = (*p)->identity().publicKey();
            QVERIFY((*p)->vault().setSetting("kept", "yes").ok());
            const QJsonObject before = json(dir);
            QVERIFY((*p)->checkPassphrase("old secret").ok());
            QCOMPARE((*p)->checkPassphrase("new secret").error().code(), ErrorCode::WrongKey);
            QCOMPARE((*p)->checkPassphrase("").error().code(), ErrorCode::WrongKey);
            QCOMPARE((*p)->changePassphrase("").error().code(), ErrorCode::InvalidArgument);
            Status changed = (*p)->changePassphrase("new secret");
            QVERIFY2(changed.ok(), changed.ok() ? "" : changed.error().message());
            const QJsonObject after = json(dir);
            QVERIFY(!after.contains("previous"));
            QVERIFY(after.value("kdf").toObject().value("salt") != before.value("kdf").toObject().value("salt"));
            QCOMPARE(after.value("profileId"), before.value("profileId"));
            // The open profile keeps working.
            QCOMPARE((*p)->vault().setting("kept")->value_or(QByteArray()), QByteArray("yes"));
            QVERIFY((*p)->checkPassphrase("new secret").ok());
            QCOMPARE((*p)->checkPassphrase("old secret").error().code(), ErrorCode::WrongKey);
        }
        auto withOld = Profile::open(dir, "old secret");
        QVERIFY(!withOld.ok());
        QCOMPARE(withOld.error().code(), ErrorCode::WrongKey);
        auto withNew = Profile::open(dir, "new secret");
        QVERIFY2(withNew.ok(), withNew.ok() ? "" : withNew.error().message());
        QCOMPARE((*withNew)->identity().publicKey(), key);
        QCOMPARE((*withNew)->vault().setting("kept")->value_or(QByteArray()), QByteArray("yes"));
    }

    void interruptedChangeBeforeRekeyOpensWithOldPassphrase()
    {
        const QString dir = freshDir();
        QVERIFY(Profile::create(dir, "Dan", KeyProtection::Passphrase, "old").ok());
        const QJsonObject oldJson = json(dir);
        const QByteArray oldVault = readAll(dir + "/vault.db");
        {
            auto p = Profile::open(dir, "old");
            QVERIFY(p.ok());
            QVERIFY((*p)->changePassphrase("new").ok());
        }
        // Recreate the state after "write pending profile.json" but before the re-key:
        // the vault still under the old key, profile.json naming the new key and the old.
        QJsonObject pending = json(dir);
        QJsonObject previous;
        for (const char* field : {"keyProtection", "kdf", "keyCheck"})
            previous[field] = oldJson.value(field);
        pending["previous"] = previous;
        writeAll(dir + "/profile.json", QJsonDocument(pending).toJson());
        writeAll(dir + "/vault.db", oldVault);

        auto withNew = Profile::open(dir, "new");
        QVERIFY(!withNew.ok());
        QCOMPARE(withNew.error().code(), ErrorCode::WrongKey);
        QVERIFY2(withNew.error().messageView().find("interrupted") != std::string_view::npos, withNew.error().message());

        auto withOld = Profile::open(dir, "old");
        QVERIFY2(withOld.ok(), withOld.ok() ? "" : withOld.error().message());
        // Settled back to the old key.
        const QJsonObject settled = json(dir);
        QVERIFY(!settled.contains("previous"));
        QCOMPARE(settled.value("keyCheck"), oldJson.value("keyCheck"));
    }

    void interruptedChangeAfterRekeyOpensWithNewPassphrase()
    {
        const QString dir = freshDir();
        QVERIFY(Profile::create(dir, "Eve", KeyProtection::Passphrase, "old").ok());
        const QJsonObject oldJson = json(dir);
        {
            auto p = Profile::open(dir, "old");
            QVERIFY(p.ok());
            QVERIFY((*p)->changePassphrase("new").ok());
        }
        // The state after the re-key but before profile.json was finished.
        QJsonObject pending = json(dir);
        const QJsonValue newCheck = pending.value("keyCheck");
        QJsonObject previous;
        for (const char* field : {"keyProtection", "kdf", "keyCheck"})
            previous[field] = oldJson.value(field);
        pending["previous"] = previous;
        writeAll(dir + "/profile.json", QJsonDocument(pending).toJson());

        auto withOld = Profile::open(dir, "old");
        QVERIFY(!withOld.ok());
        QCOMPARE(withOld.error().code(), ErrorCode::WrongKey);
        auto withNew = Profile::open(dir, "new");
        QVERIFY2(withNew.ok(), withNew.ok() ? "" : withNew.error().message());
        const QJsonObject settled = json(dir);
        QVERIFY(!settled.contains("previous"));
        QCOMPARE(settled.value("keyCheck"), newCheck);
    }

    void createRefusesAnExistingProfile()
    {
        const QString dir = freshDir();
        QVERIFY(Profile::create(dir, "Fay", KeyProtection::Passphrase, "pw").ok());
        const auto before = snapshot(dir);
        auto again = Profile::create(dir, "Mallory", KeyProtection::Passphrase, "other");
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code(), ErrorCode::AlreadyExists);
        QCOMPARE(snapshot(dir), before);
    }

    void createRejectsBadInputAndLeavesNothing()
    {
        const QString dir = freshDir();
        auto noPass = Profile::create(dir, "Gus", KeyProtection::Passphrase, "");
        QVERIFY(!noPass.ok());
        QCOMPARE(noPass.error().code(), ErrorCode::InvalidArgument);
        QVERIFY(!QFileInfo::exists(dir));
        auto badName = Profile::create(dir, "   ", KeyProtection::Passphrase, "pw");
        QVERIFY(!badName.ok());
        QCOMPARE(badName.error().code(), ErrorCode::InvalidArgument);
        QVERIFY(!QFileInfo::exists(dir));
    }

    void unreachableKeychainFailsCleanly()
    {
        // The real OS keychain store: nothing answers on this test's D-Bus address.
        const QString dir = freshDir();
        auto p = Profile::create(dir, "Hal", KeyProtection::Keychain, "");
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code(), ErrorCode::Unavailable);
        QVERIFY2(p.error().messageView().find("keychain") != std::string_view::npos, p.error().message());
        QVERIFY(!QFileInfo::exists(dir)); // no half-made profile

        // An existing empty directory stays empty.
        const QString existing = freshDir();
        QVERIFY(QDir().mkpath(existing));
        QVERIFY(!Profile::create(existing, "Hal", KeyProtection::Keychain, "").ok());
        QVERIFY(QDir(existing).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot));
        QCOMPARE(Profile::probe(existing), ProfileState::Missing);

        // A keychain profile made elsewhere cannot be opened without the keychain.
        MemorySecretStore memory;
        const QString made = freshDir();
        QVERIFY(Profile::create(made, "Hal", KeyProtection::Keychain, "", memory).ok());
        const auto before = snapshot(made);
        auto opened = Profile::open(made, "");
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code(), ErrorCode::Unavailable);
        QVERIFY2(opened.error().messageView().find("keychain") != std::string_view::npos, opened.error().message());
        QCOMPARE(snapshot(made), before);
    }

    void keychainProfileRoundTripAndMoveToPassphrase()
    {
        MemorySecretStore store;
        const QString dir = freshDir();
        Identity::PublicKey key{};
        QString id;
        {
            auto p = Profile::create(dir, "Ida", KeyProtection::Keychain, "ignored", store);
            QVERIFY2(p.ok(), p.ok() ? "" : p.error().message());
            QCOMPARE((*p)->keyProtection(), KeyProtection::Keychain);
            key = (*p)->identity().publicKey();
            id = (*p)->profileId();
        }
        QCOMPARE(store.keys.size(), std::size_t{1});
        QVERIFY(store.keys.count(id) == 1);
        QCOMPARE(Profile::probe(dir), ProfileState::Keychain);
        QVERIFY(!json(dir).contains("kdf"));
        {
            auto p = Profile::open(dir, "anything", store);
            QVERIFY2(p.ok(), p.ok() ? "" : p.error().message());
            QCOMPARE((*p)->identity().publicKey(), key);
            QCOMPARE((*p)->checkPassphrase("anything").error().code(), ErrorCode::InvalidArgument);
            QVERIFY((*p)->changePassphrase("now a passphrase").ok());
            QCOMPARE((*p)->keyProtection(), KeyProtection::Passphrase);
        }
        QVERIFY(store.keys.empty()); // the keychain entry is gone
        QCOMPARE(Profile::probe(dir), ProfileState::Passphrase);
        auto p = Profile::open(dir, "now a passphrase", store);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message());
        QCOMPARE((*p)->identity().publicKey(), key);
        QCOMPARE((*p)->keyProtection(), KeyProtection::Passphrase);
    }

    void keychainKeyMissingOrWrong()
    {
        MemorySecretStore store;
        const QString dir = freshDir();
        QString id;
        {
            auto p = Profile::create(dir, "Jo", KeyProtection::Keychain, "", store);
            QVERIFY(p.ok());
            id = (*p)->profileId();
        }
        const auto before = snapshot(dir);
        store.keys[id] = Bytes(32, 0x5a);
        auto wrong = Profile::open(dir, "", store);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code(), ErrorCode::WrongKey);
        store.keys.clear();
        auto missing = Profile::open(dir, "", store);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code(), ErrorCode::NotFound);
        QCOMPARE(snapshot(dir), before);
    }

    void failedKeychainCreateRemovesTheStoredKey()
    {
        MemorySecretStore store;
        const QString dir = freshDir();
        auto p = Profile::create(dir, "\x01", KeyProtection::Keychain, "", store);
        QVERIFY(!p.ok());
        QVERIFY(store.keys.empty());
        QVERIFY(!QFileInfo::exists(dir));
    }

    void damagedVaultWithRightPassphraseIsCorrupt()
    {
        const QString dir = freshDir();
        QVERIFY(Profile::create(dir, "Kim", KeyProtection::Passphrase, "pw").ok());
        QByteArray bytes = readAll(dir + "/vault.db");
        bytes[100] = static_cast<char>(bytes[100] ^ 0x10);
        writeAll(dir + "/vault.db", bytes);
        const auto before = snapshot(dir);
        auto p = Profile::open(dir, "pw");
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code(), ErrorCode::Corrupt);
        QVERIFY2(p.error().messageView().find("damaged") != std::string_view::npos, p.error().message());
        QCOMPARE(snapshot(dir), before);
    }

    void newerProfileFormatIsUnsupported()
    {
        const QString dir = freshDir();
        QVERIFY(Profile::create(dir, "Lu", KeyProtection::Passphrase, "pw").ok());
        QJsonObject o = json(dir);
        o["format"] = 2;
        writeAll(dir + "/profile.json", QJsonDocument(o).toJson());
        const auto before = snapshot(dir);
        QCOMPARE(Profile::probe(dir), ProfileState::Passphrase);
        auto p = Profile::open(dir, "pw");
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code(), ErrorCode::Unsupported);
        QCOMPARE(snapshot(dir), before);
    }

    void probeRecognisesDamage()
    {
        const QString dir = freshDir();
        QVERIFY(QDir().mkpath(dir));
        QCOMPARE(Profile::probe(dir), ProfileState::Missing);
        writeAll(dir + "/vault.db", "not a vault");
        QCOMPARE(Profile::probe(dir), ProfileState::Damaged);
        writeAll(dir + "/profile.json", "{ broken");
        QCOMPARE(Profile::probe(dir), ProfileState::Damaged);
        auto p = Profile::open(dir, "pw");
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code(), ErrorCode::Corrupt);
        auto created = Profile::create(dir, "Max", KeyProtection::Passphrase, "pw");
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code(), ErrorCode::AlreadyExists);
        QCOMPARE(Profile::open(freshDir(), "pw").error().code(), ErrorCode::NotFound);
    }

    void defaultLocationFollowsTheAppName()
    {
        QCoreApplication::setApplicationName(QStringLiteral("hive"));
        const QString location = Profile::defaultLocation();
        QVERIFY(!location.isEmpty());
        QVERIFY2(location.endsWith(QStringLiteral("/hive")), qPrintable(location));
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "test_profile.moc"
