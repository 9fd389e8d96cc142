#include "vault/vault.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlcipher/sqlite3.h>

using namespace hive;
using namespace hive::core;

namespace {

QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// No journal or WAL side files may outlive a failed open.
bool hasSideFiles(const QString& path)
{
    return QFile::exists(path + "-journal") || QFile::exists(path + "-wal") || QFile::exists(path + "-shm");
}

VaultKey keyOf(std::uint8_t fill)
{
    std::array<std::uint8_t, 32> raw;
    raw.fill(fill);
    return VaultKey::fromBytes(raw).release();
}

// A test schema with three steps; step 3 transforms data written under step 2.
const Migration TestSchema[] = {
    {1, "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE schema_components (component TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;",
     {}},
    {2, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);", {}},
    {3, "ALTER TABLE notes ADD COLUMN length INTEGER NOT NULL DEFAULT 0;",
     [](Vault& v) { return v.exec("UPDATE notes SET length = length(body);"); }},
};

Result<int> countRows(Vault& v, std::string_view sql)
{
    auto stmt = HIVE_TRY(v.prepare(sql));
    bool row = HIVE_TRY(stmt.step());
    if (!row)
        return Error(ErrorCode::Internal, "no row");
    return static_cast<int>(stmt.columnInt64(0));
}

// Fills a vault with enough rows to span many pages.
void fill(Vault& v)
{
    QVERIFY(v.exec("CREATE TABLE bulk (id INTEGER PRIMARY KEY, data BLOB NOT NULL)").ok());
    QVERIFY(v.transaction([&]() -> Status {
        auto stmt = HIVE_TRY(v.prepare("INSERT INTO bulk (data) VALUES (?1)"));
        for (int i = 0; i < 40; ++i) {
            HIVE_CHECK(stmt.reset());
            HIVE_CHECK(stmt.bindBlob(1, QByteArray(2000, static_cast<char>('a' + i % 26))));
            HIVE_CHECK(stmt.run());
        }
        return success();
    }).ok());
}

} // namespace

class TestVault : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    // Creates a filled vault at `file` and closes it.
    void makeFilledVault(const QString& file, const VaultKey& key)
    {
        auto v = Vault::create(file, key);
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message());
        fill(**v);
        QVERIFY((*v)->setSetting("marker", "value").ok());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createThenReopenKeepsData()
    {
        const QString file = path("roundtrip.db");
        {
            auto v = Vault::create(file, keyOf(1));
            QVERIFY2(v.ok(), v.ok() ? "" : v.error().message());
            QCOMPARE((*v)->schemaVersion(), static_cast<int>(Vault::coreSchema().size()));
            QVERIFY((*v)->setSetting("greeting", "hello").ok());
        }
        auto v = Vault::open(file, keyOf(1));
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message());
        auto value = (*v)->setting("greeting");
        QVERIFY(value.ok());
        QVERIFY(value->has_value());
        QCOMPARE(**value, QByteArray("hello"));
    }

    void createRefusesExistingFile()
    {
        const QString file = path("exists.db");
        QVERIFY(Vault::create(file, keyOf(1)).ok());
        const QByteArray before = fileHash(file);
        auto again = Vault::create(file, keyOf(2));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code(), ErrorCode::AlreadyExists);
        QCOMPARE(fileHash(file), before);
    }

    void openMissingFileIsNotFound()
    {
        auto v = Vault::open(path("nothing-here.db"), keyOf(1));
        QVERIFY(!v.ok());
        QCOMPARE(v.error().code(), ErrorCode::NotFound);
        QVERIFY(!QFile::exists(path("nothing-here.db")));
    }

    void connectionUsesDurableSettings()
    {
        auto v = Vault::create(path("pragmas.db"), keyOf(1));
        QVERIFY(v.ok());
        QCOMPARE(countRows(**v, "PRAGMA synchronous").valueOr(-1), 2); // FULL
        QCOMPARE(countRows(**v, "PRAGMA secure_delete").valueOr(-1), 1);
        QCOMPARE(countRows(**v, "PRAGMA cipher_page_size").valueOr(-1), 4096);
        QCOMPARE(QFileInfo((*v)->path()).size() % 4096, 0);
        auto stmt = (*v)->prepare("PRAGMA journal_mode");
        QVERIFY(stmt.ok());
        QVERIFY(stmt->step().valueOr(false));
        QCOMPARE(stmt->columnText(0).toLower(), QStringLiteral("delete"));
        auto cipher = (*v)->prepare("PRAGMA cipher_version");
        QVERIFY(cipher.ok());
        QVERIFY(cipher->step().valueOr(false));
        QVERIFY(!cipher->columnText(0).isEmpty());
    }

    void fileHoldsNoPlaintext()
    {
        const QString file = path("plain.db");
        {
            auto v = Vault::create(file, keyOf(3));
            QVERIFY(v.ok());
            QVERIFY((*v)->setSetting("secret", "PlaintextMarker4711").ok());
        }
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(!bytes.isEmpty());
        QVERIFY(!bytes.contains("PlaintextMarker4711"));
        QVERIFY(!bytes.contains("SQLite format 3"));
    }

    void wrongKeyIsReportedAndFileUntouched()
    {
        const QString file = path("wrongkey.db");
        makeFilledVault(file, keyOf(1));
        const QByteArray before = fileHash(file);
        auto v = Vault::open(file, keyOf(2));
        QVERIFY(!v.ok());
        QCOMPARE(v.error().code(), ErrorCode::WrongKey);
        QVERIFY2(v.error().messageView().find("wrong passphrase or key") != std::string_view::npos, v.error().message());
        QCOMPARE(fileHash(file), before);
        QVERIFY(!hasSideFiles(file));
        // And the right key still works afterwards.
        QVERIFY(Vault::open(file, keyOf(1)).ok());
    }

    void damagedFileIsReportedAndUntouched_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("truncated-to-half") << "half";
        QTest::newRow("truncated-at-page-boundary") << "page";
        QTest::newRow("truncated-mid-first-page") << "short";
        QTest::newRow("byte-flipped-in-data-page") << "flip-data";
        QTest::newRow("byte-flipped-in-first-page") << "flip-first";
        QTest::newRow("zeroed-tail") << "zero-tail";
        QTest::newRow("empty-file") << "empty";
    }
    void damagedFileIsReportedAndUntouched()
    {
        QFETCH(QString, damage);
        const QString file = path("damaged.db");
        QFile::remove(file);
        makeFilledVault(file, keyOf(1));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray bytes = f.readAll();
            QVERIFY(bytes.size() > 20 * 1024);
            if (damage == "half")
                bytes.truncate(bytes.size() / 2 + 100);
            else if (damage == "page")
                bytes.truncate(bytes.size() - 4096);
            else if (damage == "short")
                bytes.truncate(100);
            else if (damage == "flip-data")
                bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
            else if (damage == "flip-first")
                bytes[200] = static_cast<char>(bytes[200] ^ 0x01);
            else if (damage == "zero-tail")
                std::fill(bytes.end() - 3000, bytes.end(), '\0');
            else if (damage == "empty")
                bytes.clear();
            QVERIFY(f.resize(0));
            QCOMPARE(f.write(bytes), bytes.size());
        }
        const QByteArray before = fileHash(file);
        auto v = Vault::open(file, keyOf(1));
        QVERIFY2(!v.ok(), "a damaged vault must not open");
        const Error& e = v.error();
        QVERIFY2(e.code() == ErrorCode::Corrupt || e.code() == ErrorCode::WrongKey, e.message());
        QVERIFY2(e.messageView().find("damaged") != std::string_view::npos, e.message());
        QCOMPARE(fileHash(file), before);
        QVERIFY(!hasSideFiles(file));
    }

    void freshCreateRunsEveryMigration()
    {
        auto v = Vault::create(path("fresh.db"), keyOf(1), TestSchema);
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message());
        QCOMPARE((*v)->schemaVersion(), 3);
        QCOMPARE(countRows(**v, "PRAGMA user_version").valueOr(-1), 3);
        QVERIFY((*v)->exec("INSERT INTO notes (body, length) VALUES ('x', 1)").ok());
    }

    void oldFileIsMigrated()
    {
        const QString file = path("old.db");
        {
            auto v = Vault::create(file, keyOf(1), std::span(TestSchema).first(2));
            QVERIFY(v.ok());
            QCOMPARE((*v)->schemaVersion(), 2);
            QVERIFY((*v)->exec("INSERT INTO notes (body) VALUES ('hello'), ('hi')").ok());
        }
        auto v = Vault::open(file, keyOf(1), TestSchema);
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message());
        QCOMPARE((*v)->schemaVersion(), 3);
        QCOMPARE(countRows(**v, "PRAGMA user_version").valueOr(-1), 3);
        QCOMPARE(countRows(**v, "SELECT sum(length) FROM notes").valueOr(-1), 7);
    }

    void failedMigrationStepIsRolledBack()
    {
        const QString file = path("failing.db");
        QVERIFY(Vault::create(file, keyOf(1), std::span(TestSchema).first(1)).ok());
        const Migration broken[] = {TestSchema[0], {2, "CREATE TABLE good (x); CREATE TABLE oops (", {}}};
        auto v = Vault::open(file, keyOf(1), broken);
        QVERIFY(!v.ok());
        QVERIFY2(v.error().messageView().find("version 2") != std::string_view::npos, v.error().message());
        auto again = Vault::open(file, keyOf(1), std::span(TestSchema).first(1));
        QVERIFY(again.ok());
        QCOMPARE(countRows(**again, "PRAGMA user_version").valueOr(-1), 1);
        QCOMPARE(countRows(**again, "SELECT count(*) FROM sqlite_master WHERE name = 'good'").valueOr(-1), 0);
    }

    void newerSchemaIsUnsupportedAndUntouched()
    {
        const QString file = path("newer.db");
        QVERIFY(Vault::create(file, keyOf(1), TestSchema).ok());
        const QByteArray before = fileHash(file);
        auto v = Vault::open(file, keyOf(1), std::span(TestSchema).first(2));
        QVERIFY(!v.ok());
        QCOMPARE(v.error().code(), ErrorCode::Unsupported);
        QVERIFY2(v.error().messageView().find("newer version of Hive") != std::string_view::npos, v.error().message());
        QCOMPARE(fileHash(file), before);
        QVERIFY(!hasSideFiles(file));
    }

    void newerCoreSchemaIsUnsupported()
    {
        const QString file = path("future.db");
        {
            auto v = Vault::create(file, keyOf(1));
            QVERIFY(v.ok());
            QVERIFY((*v)->exec("PRAGMA user_version = 999").ok());
        }
        const QByteArray before = fileHash(file);
        auto v = Vault::open(file, keyOf(1));
        QVERIFY(!v.ok());
        QCOMPARE(v.error().code(), ErrorCode::Unsupported);
        QVERIFY2(v.error().messageView().find("schema 999") != std::string_view::npos, v.error().message());
        QCOMPARE(fileHash(file), before);
    }

    void rekeyKeepsDataAndRetiresOldKey()
    {
        const QString file = path("rekey.db");
        {
            auto v = Vault::create(file, keyOf(1));
            QVERIFY(v.ok());
            fill(**v);
            QVERIFY((*v)->setSetting("kept", "across rekey").ok());
            auto rekeyed = (*v)->rekey(keyOf(9));
            QVERIFY2(rekeyed.ok(), rekeyed.ok() ? "" : rekeyed.error().message());
            // The open connection keeps working under the new key.
            QCOMPARE((*v)->setting("kept")->value_or(QByteArray()), QByteArray("across rekey"));
        }
        QVERIFY(!hasSideFiles(file));
        auto withNew = Vault::open(file, keyOf(9));
        QVERIFY2(withNew.ok(), withNew.ok() ? "" : withNew.error().message());
        QCOMPARE((*withNew)->setting("kept")->value_or(QByteArray()), QByteArray("across rekey"));
        QCOMPARE(countRows(**withNew, "SELECT count(*) FROM bulk").valueOr(-1), 40);
        withNew = Error(ErrorCode::Internal, "closed");
        auto withOld = Vault::open(file, keyOf(1));
        QVERIFY(!withOld.ok());
        QCOMPARE(withOld.error().code(), ErrorCode::WrongKey);
    }

    void settingsStoreReplaceAndRemove()
    {
        auto v = Vault::create(path("settings.db"), keyOf(1));
        QVERIFY(v.ok());
        auto missing = (*v)->setting("absent");
        QVERIFY(missing.ok());
        QVERIFY(!missing->has_value());
        QVERIFY((*v)->setSetting("k", "one").ok());
        QVERIFY((*v)->setSetting("k", "two").ok());
        QCOMPARE((*v)->setting("k")->value_or(QByteArray()), QByteArray("two"));
        QVERIFY((*v)->setSetting("empty", QByteArray()).ok());
        auto empty = (*v)->setting("empty");
        QVERIFY(empty.ok() && empty->has_value());
        QVERIFY((*empty)->isEmpty());
        QVERIFY((*v)->removeSetting("k").ok());
        QVERIFY(!(*v)->setting("k")->has_value());
        QVERIFY((*v)->removeSetting("k").ok());
    }

    void statementBindsAndReadsEveryType()
    {
        auto v = Vault::create(path("stmt.db"), keyOf(1));
        QVERIFY(v.ok());
        QVERIFY((*v)->exec("CREATE TABLE t (a TEXT, b BLOB, c INTEGER, d TEXT)").ok());
        auto ins = (*v)->prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
        QVERIFY(ins.ok());
        const QByteArray blob("\x00\x01\xff", 3);
        QVERIFY(ins->bindText(1, QStringLiteral("Grüße ✓")).ok());
        QVERIFY(ins->bindBlob(2, blob).ok());
        QVERIFY(ins->bindInt64(3, std::int64_t{1} << 40).ok());
        QVERIFY(ins->bindNull(4).ok());
        QVERIFY(ins->run().ok());
        QVERIFY(!ins->bindText(9, "out of range").ok());

        auto sel = (*v)->prepare("SELECT a, b, c, d FROM t");
        QVERIFY(sel.ok());
        QCOMPARE(sel->columnCount(), 4);
        QCOMPARE(sel->step().valueOr(false), true);
        QCOMPARE(sel->columnText(0), QStringLiteral("Grüße ✓"));
        QCOMPARE(sel->columnBlob(1), blob);
        QCOMPARE(sel->columnBytes(1), (Bytes{0x00, 0x01, 0xff}));
        QCOMPARE(sel->columnInt64(2), std::int64_t{1} << 40);
        QVERIFY(sel->columnIsNull(3));
        QVERIFY(!sel->columnIsNull(0));
        auto more = sel->step();
        QVERIFY(more.ok());
        QCOMPARE(*more, false);

        auto bad = (*v)->prepare("SELEC nonsense");
        QVERIFY(!bad.ok());
        QVERIFY(!(*v)->exec("INSERT INTO missing_table VALUES (1)").ok());
        QVERIFY((*v)->handle() != nullptr);
    }

    void transactionRollsBackOnError()
    {
        auto v = Vault::create(path("tx.db"), keyOf(1));
        QVERIFY(v.ok());
        QVERIFY((*v)->exec("CREATE TABLE t (x INTEGER)").ok());
        Status failed = (*v)->transaction([&]() -> Status {
            HIVE_CHECK((*v)->exec("INSERT INTO t VALUES (1)"));
            return Error(ErrorCode::Internal, "abort on purpose");
        });
        QVERIFY(!failed.ok());
        QCOMPARE(countRows(**v, "SELECT count(*) FROM t").valueOr(-1), 0);
        QVERIFY((*v)->transaction([&]() { return (*v)->exec("INSERT INTO t VALUES (2)"); }).ok());
        QCOMPARE(countRows(**v, "SELECT count(*) FROM t").valueOr(-1), 1);
    }

    void nestedTransactionsCommitOnceAndRollBackOnlyTheirPart()
    {
        auto v = Vault::create(path("nested.db"), keyOf(1));
        QVERIFY(v.ok());
        Vault& vault = **v;
        QVERIFY(vault.exec("CREATE TABLE t (x INTEGER)").ok());
        // A statement outside a transaction commits on its own.
        std::uint64_t before = vault.commitCount();
        QVERIFY(vault.exec("INSERT INTO t VALUES (0)").ok());
        QCOMPARE(vault.commitCount() - before, std::uint64_t(1));
        // Reads commit nothing.
        before = vault.commitCount();
        QCOMPARE(countRows(vault, "SELECT count(*) FROM t").valueOr(-1), 1);
        QCOMPARE(vault.commitCount(), before);

        before = vault.commitCount();
        const Status outer = vault.transaction([&]() -> Status {
            HIVE_CHECK(vault.exec("INSERT INTO t VALUES (1)"));
            // An inner failure undoes only the inner work.
            const Status inner = vault.transaction([&]() -> Status {
                HIVE_CHECK(vault.exec("INSERT INTO t VALUES (2)"));
                return Error(ErrorCode::Internal, "abort the inner part on purpose");
            });
            if (inner.ok())
                return Error(ErrorCode::Internal, "the inner failure was lost");
            const Status kept = vault.transaction([&] { return vault.exec("INSERT INTO t VALUES (3)"); });
            HIVE_CHECK(kept);
            return success();
        });
        QVERIFY2(outer.ok(), outer.ok() ? "" : outer.error().message());
        QCOMPARE(vault.commitCount() - before, std::uint64_t(1));
        QCOMPARE(countRows(vault, "SELECT count(*) FROM t WHERE x IN (1, 3)").valueOr(-1), 2);
        QCOMPARE(countRows(vault, "SELECT count(*) FROM t WHERE x = 2").valueOr(-1), 0);

        // An outer failure undoes the inner part that succeeded, and commits nothing.
        before = vault.commitCount();
        const Status failed = vault.transaction([&]() -> Status {
            const Status inner = vault.transaction([&] { return vault.exec("INSERT INTO t VALUES (4)"); });
            HIVE_CHECK(inner);
            return Error(ErrorCode::Internal, "abort the outer part on purpose");
        });
        QVERIFY(!failed.ok());
        QCOMPARE(vault.commitCount(), before);
        QCOMPARE(countRows(vault, "SELECT count(*) FROM t WHERE x = 4").valueOr(-1), 0);
    }

    void componentMigrationsAreVersionedSeparately()
    {
        const QString file = path("component.db");
        const Migration steps[] = {
            {1, "CREATE TABLE plugin_items (id INTEGER PRIMARY KEY);", {}},
            {2, "ALTER TABLE plugin_items ADD COLUMN name TEXT;", {}},
        };
        {
            auto v = Vault::create(file, keyOf(1));
            QVERIFY(v.ok());
            QCOMPARE((*v)->componentVersion("plugin").valueOr(-1), 0);
            QVERIFY((*v)->migrateComponent("plugin", std::span(steps).first(1)).ok());
            QCOMPARE((*v)->componentVersion("plugin").valueOr(-1), 1);
            QVERIFY((*v)->migrateComponent("plugin", steps).ok());
            QCOMPARE((*v)->componentVersion("plugin").valueOr(-1), 2);
            QVERIFY((*v)->exec("INSERT INTO plugin_items (name) VALUES ('x')").ok());
            // Running again is a no-op.
            QVERIFY((*v)->migrateComponent("plugin", steps).ok());
        }
        auto v = Vault::open(file, keyOf(1));
        QVERIFY(v.ok());
        Status older = (*v)->migrateComponent("plugin", std::span(steps).first(1));
        QVERIFY(!older.ok());
        QCOMPARE(older.error().code(), ErrorCode::Unsupported);
        QCOMPARE((*v)->componentVersion("plugin").valueOr(-1), 2);
    }
};

QTEST_GUILESS_MAIN(TestVault)
#include "test_vault.moc"
