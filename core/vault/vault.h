// The vault: Hive's encrypted store at rest. One SQLCipher database keyed with a raw
// 256-bit key (see vaultkey.h), with versioned schema migrations, a key/value settings
// table and a thin prepared-statement API for plugins that keep their own tables.
//
// Opening never writes: the key, the file's integrity and its schema version are all
// checked before the first write, so a wrong key, a damaged file or a file from a newer
// Hive leaves the file byte-identical. The database uses a rollback journal (never WAL),
// synchronous=FULL and secure_delete=ON.
//
// File format: SQLCipher 3 (AES-256-CBC, HMAC-SHA1 per page) with 4096-byte pages, keyed
// with the raw key (no PBKDF2). A later SQLCipher 4 must open it with
// `PRAGMA cipher_compatibility = 3` and the same page size.
//
// A Vault is used from one thread at a time.
#pragma once

#include "vault/vaultkey.h"
#include "wire/bytes.h"
#include "wire/result.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace hive::core {

class Vault;

// One step of a versioned schema. Steps are numbered 1, 2, 3, ... without gaps; each runs
// in its own transaction together with the update of the stored version.
struct Migration {
    int version = 0;                       // the schema version once this step has run
    std::string_view sql;                  // statements to run (may be several)
    std::function<Status(Vault&)> apply;   // optional data transformation after `sql`
};

// A prepared statement. Bind indices are 1-based (as in SQL's ?1), column indices 0-based.
class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Binds a value to parameter `index` (1-based).
    Status bindText(int index, const QString& text);
    Status bindBlob(int index, ByteView bytes);
    Status bindBlob(int index, const QByteArray& bytes);
    Status bindInt64(int index, std::int64_t value);
    Status bindNull(int index);

    // Advances: true if a row is available, false when the statement is done.
    Result<bool> step();
    // Steps until done, for statements that return no rows.
    Status run();
    // Makes the statement runnable again and clears its bindings.
    Status reset();

    // Values of the current row (0-based column index).
    int columnCount() const;
    bool columnIsNull(int column) const;
    std::int64_t columnInt64(int column) const;
    QString columnText(int column) const;
    QByteArray columnBlob(int column) const;
    Bytes columnBytes(int column) const;

private:
    friend class Vault;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    Status bindResult(int rc);

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

class Vault {
public:
    // The core schema (settings table, component versions) this build knows.
    static std::span<const Migration> coreSchema();

    // Creates a new vault file at `path` (which must not exist) and runs every migration.
    // On failure nothing is left behind.
    static Result<std::unique_ptr<Vault>> create(const QString& path, const VaultKey& key,
                                                 std::span<const Migration> schema = coreSchema());
    // Opens an existing vault, verifies key, integrity and version, then runs the
    // migrations the file has not seen yet. Errors: NotFound; WrongKey (wrong key, or a
    // damaged first page, which SQLCipher cannot tell apart); Corrupt; Unsupported (the
    // file was written by a newer schema).
    static Result<std::unique_ptr<Vault>> open(const QString& path, const VaultKey& key,
                                               std::span<const Migration> schema = coreSchema());
    ~Vault();
    Vault(const Vault&) = delete;
    Vault& operator=(const Vault&) = delete;

    // Path of the database file.
    QString path() const { return m_path; }
    // The core schema version of the open file.
    int schemaVersion() const { return m_schemaVersion; }

    // Runs one or more SQL statements that return no rows.
    Status exec(std::string_view sql);
    // Prepares one SQL statement.
    Result<Statement> prepare(std::string_view sql);
    // Runs `body` in a transaction (BEGIN IMMEDIATE): committed if it succeeds, rolled back
    // if it returns an error. Called inside another transaction it becomes a savepoint: an
    // error rolls back only `body`'s changes, success leaves them to the outer commit.
    Status transaction(const std::function<Status()>& body);
    // How many transactions this handle committed since it was opened (each one a journal
    // write and fsync); statements outside transaction() count one each.
    std::uint64_t commitCount() const { return m_commits; }

    // The value stored under `key` in the settings table, or nullopt.
    Result<std::optional<QByteArray>> setting(const QString& key);
    // Stores (or replaces) a setting.
    Status setSetting(const QString& key, const QByteArray& value);
    // Removes a setting; removing a missing key succeeds.
    Status removeSetting(const QString& key);

    // Brings the tables of one component (a plugin, "identity", ...) to the newest of
    // `steps`, tracking its version in the schema_components table. Unsupported, with
    // nothing changed, if the file holds a newer version of that component.
    Status migrateComponent(std::string_view component, std::span<const Migration> steps);
    // Stored version of a component's tables (0 if it has none yet).
    Result<int> componentVersion(std::string_view component);

    // Re-encrypts the whole file under a new key (PRAGMA rekey), atomically.
    Status rekey(const VaultKey& newKey);

    // The raw SQLCipher handle, for what this API does not cover.
    sqlite3* handle() { return m_db; }

private:
    enum class Mode { Create, Open };
    Vault(sqlite3* db, QString path);
    static Result<std::unique_ptr<Vault>> openImpl(const QString& path, const VaultKey& key,
                                                   std::span<const Migration> schema, Mode mode);
    Status verifyReadable(Mode mode);
    Status migrate(std::span<const Migration> schema, Mode mode);
    Result<int> userVersion();

    sqlite3* m_db = nullptr;
    QString m_path;
    int m_schemaVersion = 0;
    std::uint64_t m_commits = 0;
};

} // namespace hive::core
