#include "vault/vault.h"

// SQLCipher declares sqlite3_key/sqlite3_rekey only when the codec is enabled.
#define SQLITE_HAS_CODEC 1
#include <sqlcipher/sqlite3.h>
#include <sodium.h>

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string>

namespace hive::core {

namespace {

constexpr std::string_view WrongKeyMessage = "wrong passphrase or key (or the vault file is damaged)";

// SQLCipher's raw-key syntax: x'<64 hex digits>' uses the bytes directly, no PBKDF2.
class RawKeyString {
public:
    explicit RawKeyString(const VaultKey& key)
    {
        m_text[0] = 'x';
        m_text[1] = '\'';
        appendHex(key.bytes(), m_text.data() + 2);
        m_text[2 + 2 * VaultKey::Size] = '\'';
    }
    ~RawKeyString() { sodium_memzero(m_text.data(), m_text.size()); }
    RawKeyString(const RawKeyString&) = delete;
    RawKeyString& operator=(const RawKeyString&) = delete;
    const char* data() const { return m_text.data(); }
    int size() const { return static_cast<int>(m_text.size()); }

private:
    std::array<char, 3 + 2 * VaultKey::Size> m_text{};
};

Error sqliteError(sqlite3* db, int rc, std::string_view context)
{
    ErrorCode code = ErrorCode::Internal;
    switch (rc & 0xff) {
    case SQLITE_NOTADB: return Error(ErrorCode::WrongKey, WrongKeyMessage);
    case SQLITE_CORRUPT:
        return Error(ErrorCode::Corrupt, "the vault file is damaged (").append(context).append(": ")
            .append(sqlite3_errstr(rc)).append(")");
    case SQLITE_FULL: code = ErrorCode::NoSpace; break;
    case SQLITE_IOERR: code = ErrorCode::Io; break;
    case SQLITE_CANTOPEN: code = ErrorCode::Io; break;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH: code = ErrorCode::PermissionDenied; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = ErrorCode::Unavailable; break;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG: code = ErrorCode::InvalidArgument; break;
    case SQLITE_NOMEM: code = ErrorCode::NoSpace; break;
    default: break;
    }
    Error e(code, context);
    e.append(": ");
    e.append(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    return e;
}

Error corruptError(std::string_view detail)
{
    return Error(ErrorCode::Corrupt, "the vault file is damaged (").append(detail).append(")");
}

Status checkSchemaList(std::span<const Migration> schema)
{
    for (std::size_t i = 0; i < schema.size(); ++i) {
        if (schema[i].version != static_cast<int>(i) + 1)
            return Error(ErrorCode::Internal, "schema steps must be numbered 1, 2, 3, ... without gaps");
    }
    return success();
}

} // namespace

// --- Statement -------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db)
    , m_stmt(other.m_stmt)
{
    other.m_db = nullptr;
    other.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_db = nullptr;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Status Statement::bindResult(int rc)
{
    if (rc != SQLITE_OK)
        return sqliteError(m_db, rc, "binding a statement parameter");
    return success();
}

Status Statement::bindText(int index, const QString& text)
{
    QByteArray utf8 = text.toUtf8();
    return bindResult(sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT));
}

Status Statement::bindBlob(int index, ByteView bytes)
{
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return Error(ErrorCode::TooLarge, "a value stored in the vault must be smaller than 2 GiB");
    // An empty span has no data pointer; sqlite would store NULL, so bind a zero-length blob.
    if (bytes.empty())
        return bindResult(sqlite3_bind_zeroblob(m_stmt, index, 0));
    return bindResult(sqlite3_bind_blob(m_stmt, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
}

Status Statement::bindBlob(int index, const QByteArray& bytes)
{
    return bindBlob(index, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size())));
}

Status Statement::bindInt64(int index, std::int64_t value)
{
    return bindResult(sqlite3_bind_int64(m_stmt, index, static_cast<sqlite3_int64>(value)));
}

Status Statement::bindNull(int index) { return bindResult(sqlite3_bind_null(m_stmt, index)); }

Result<bool> Statement::step()
{
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return sqliteError(m_db, rc, "vault query failed");
}

Status Statement::run()
{
    for (;;) {
        bool row = HIVE_TRY(step());
        if (!row)
            return success();
    }
}

Status Statement::reset()
{
    sqlite3_clear_bindings(m_stmt);
    int rc = sqlite3_reset(m_stmt);
    if (rc != SQLITE_OK)
        return sqliteError(m_db, rc, "resetting a statement");
    return success();
}

int Statement::columnCount() const { return sqlite3_column_count(m_stmt); }

bool Statement::columnIsNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

std::int64_t Statement::columnInt64(int column) const { return sqlite3_column_int64(m_stmt, column); }

QString Statement::columnText(int column) const
{
    const auto* text = sqlite3_column_text(m_stmt, column);
    int size = sqlite3_column_bytes(m_stmt, column);
    return QString::fromUtf8(reinterpret_cast<const char*>(text), size);
}

QByteArray Statement::columnBlob(int column) const
{
    const void* data = sqlite3_column_blob(m_stmt, column);
    int size = sqlite3_column_bytes(m_stmt, column);
    if (data == nullptr || size <= 0)
        return QByteArray();
    return QByteArray(static_cast<const char*>(data), size);
}

Bytes Statement::columnBytes(int column) const
{
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    int size = sqlite3_column_bytes(m_stmt, column);
    if (data == nullptr || size <= 0)
        return Bytes();
    return Bytes(data, data + size);
}

// --- Vault ------------------------------------------------------------------------------

std::span<const Migration> Vault::coreSchema()
{
    static const Migration steps[] = {
        {1,
         "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;"
         "CREATE TABLE schema_components (component TEXT PRIMARY KEY NOT NULL,"
         " version INTEGER NOT NULL) WITHOUT ROWID;",
         {}},
    };
    return steps;
}

Result<std::unique_ptr<Vault>> Vault::create(const QString& path, const VaultKey& key, std::span<const Migration> schema)
{
    if (QFileInfo::exists(path))
        return Error(ErrorCode::AlreadyExists, "a vault file already exists at this path");
    auto result = openImpl(path, key, schema, Mode::Create);
    if (!result.ok()) {
        // The file is ours and half-made: remove it (and a journal, if one was left).
        QFile::remove(path);
        QFile::remove(path + QStringLiteral("-journal"));
    }
    return result;
}

Result<std::unique_ptr<Vault>> Vault::open(const QString& path, const VaultKey& key, std::span<const Migration> schema)
{
    QFileInfo info(path);
    if (!info.exists())
        return Error(ErrorCode::NotFound, "no vault file at this path");
    if (!info.isFile())
        return Error(ErrorCode::Io, "the vault path is not a regular file");
    if (info.size() == 0)
        return corruptError("the file is empty");
    return openImpl(path, key, schema, Mode::Open);
}

Result<std::unique_ptr<Vault>> Vault::openImpl(const QString& path, const VaultKey& key,
                                               std::span<const Migration> schema, Mode mode)
{
    HIVE_CHECK(checkSchemaList(schema));
    QByteArray nativePath = QFile::encodeName(path);
    int flags = SQLITE_OPEN_READWRITE | (mode == Mode::Create ? SQLITE_OPEN_CREATE : 0);
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(nativePath.constData(), &db, flags, nullptr);
    // From here on the Vault owns the handle (sqlite3_open_v2 returns one even on failure).
    std::unique_ptr<Vault> vault(new Vault(db, path));
    if (rc != SQLITE_OK)
        return sqliteError(db, rc, "cannot open the vault file");
    sqlite3_extended_result_codes(db, 1);

    {
        RawKeyString keyString(key);
        rc = sqlite3_key(db, keyString.data(), keyString.size());
    }
    if (rc != SQLITE_OK)
        return sqliteError(db, rc, "cannot set the vault key");
    // Part of the file format (not stored in the file): 4 KiB pages cost a quarter of the
    // per-page HMAC work of SQLCipher 3's 1 KiB default, which makes the full check on open
    // about four times faster. It must be set before the first read.
    HIVE_CHECK(vault->exec("PRAGMA cipher_page_size = 4096"));

    HIVE_CHECK(vault->verifyReadable(mode));
    HIVE_CHECK(vault->migrate(schema, mode));
    return vault;
}

Status Vault::verifyReadable(Mode mode)
{
    // Without SQLCipher the key pragma is silently ignored and data would be written in
    // plaintext; refuse before anything is written.
    {
        auto stmt = HIVE_TRY(prepare("PRAGMA cipher_version"));
        bool row = HIVE_TRY(stmt.step());
        if (!row || stmt.columnText(0).isEmpty())
            return Error(ErrorCode::Unsupported, "this SQLite is not SQLCipher; refusing to store data unencrypted");
    }
    // These only affect this connection; none of them writes to the file.
    HIVE_CHECK(exec("PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;"));

    // Reading the schema decrypts page 1: this is where a wrong key shows.
    {
        auto stmt = HIVE_TRY(prepare("SELECT count(*) FROM sqlite_master"));
        bool row = HIVE_TRY(stmt.step());
        if (!row)
            return Error(ErrorCode::Internal, "sqlite_master returned no row");
        if (mode == Mode::Open && stmt.columnInt64(0) == 0)
            return corruptError("it holds no tables");
    }
    if (mode == Mode::Open) {
        // A full read of every page: SQLCipher checks each page's HMAC, so a flipped byte or a
        // cut-off tail is reported now, before any write, rather than in the middle of use.
        // FIXME: this costs about 10 ms per MB here; once vaults grow large (message history),
        // move it to a background check after unlock.
        auto stmt = HIVE_TRY(prepare("PRAGMA quick_check"));
        auto row = stmt.step();
        if (!row.ok()) {
            if (row.error().code() == ErrorCode::WrongKey)
                return corruptError("a page does not decrypt");
            return corruptError(row.error().messageView());
        }
        if (!*row || stmt.columnText(0) != QLatin1String("ok"))
            return corruptError("integrity check failed");
        // The journal mode is stored in the file; Hive never uses WAL, whose -wal/-shm side
        // files would outlive a failed open.
        auto journal = HIVE_TRY(prepare("PRAGMA journal_mode"));
        bool hasRow = HIVE_TRY(journal.step());
        if (hasRow && journal.columnText(0).compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0)
            return Error(ErrorCode::Unsupported, "the vault uses WAL journaling, which Hive does not support");
    }
    return success();
}

Result<int> Vault::userVersion()
{
    auto stmt = HIVE_TRY(prepare("PRAGMA user_version"));
    bool row = HIVE_TRY(stmt.step());
    if (!row)
        return Error(ErrorCode::Internal, "PRAGMA user_version returned no row");
    return static_cast<int>(stmt.columnInt64(0));
}

Status Vault::migrate(std::span<const Migration> schema, Mode mode)
{
    int current = HIVE_TRY(userVersion());
    const int known = static_cast<int>(schema.size());
    if (current > known) {
        Error e(ErrorCode::Unsupported, "this vault was written by a newer version of Hive (schema ");
        e.appendNumber(current).append(", this build knows up to ").appendNumber(known).append("); update Hive to open it");
        return e;
    }
    if (mode == Mode::Open && current == 0)
        return corruptError("it was never initialised");
    for (const Migration& step : schema.subspan(static_cast<std::size_t>(current))) {
        Status applied = transaction([&]() -> Status {
            HIVE_CHECK(exec(step.sql));
            if (step.apply)
                HIVE_CHECK(step.apply(*this));
            std::string setVersion = "PRAGMA user_version = " + std::to_string(step.version);
            return exec(setVersion);
        });
        if (!applied.ok()) {
            Error e(applied.error().code(), "upgrading the vault schema to version ");
            e.appendNumber(step.version).append(": ").append(applied.error().messageView());
            return e;
        }
        m_schemaVersion = step.version;
    }
    m_schemaVersion = std::max(m_schemaVersion, current);
    return success();
}

Vault::~Vault()
{
    if (m_db != nullptr)
        sqlite3_close_v2(m_db);
}

Status Vault::exec(std::string_view sql)
{
    std::string text(sql); // sqlite3_exec needs a terminated string
    char* message = nullptr;
    int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        Error e = sqliteError(m_db, rc, "vault statement failed");
        sqlite3_free(message);
        return e;
    }
    return success();
}

Result<Statement> Vault::prepare(std::string_view sql)
{
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return Error(ErrorCode::TooLarge, "SQL text too long");
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return sqliteError(m_db, rc, "preparing a vault statement");
    }
    if (stmt == nullptr)
        return Error(ErrorCode::InvalidArgument, "empty SQL statement");
    return Statement(m_db, stmt);
}

Vault::Vault(sqlite3* db, QString path) : m_db(db), m_path(std::move(path))
{
    if (m_db != nullptr) {
        sqlite3_commit_hook(
            m_db,
            [](void* self) -> int {
                ++static_cast<Vault*>(self)->m_commits;
                return 0; // 0: let the commit proceed
            },
            this);
    }
}

Status Vault::transaction(const std::function<Status()>& body)
{
    // Inside an open transaction BEGIN would fail; a savepoint nests instead, so callers
    // can group work that itself uses transaction() into one commit.
    if (sqlite3_get_autocommit(m_db) == 0) {
        HIVE_CHECK(exec("SAVEPOINT hive_nested"));
        const Status status = body();
        if (status.ok())
            return exec("RELEASE hive_nested");
        (void)exec("ROLLBACK TO hive_nested; RELEASE hive_nested");
        return status;
    }
    HIVE_CHECK(exec("BEGIN IMMEDIATE"));
    Status status = body();
    if (status.ok()) {
        Status committed = exec("COMMIT");
        if (committed.ok())
            return success();
        status = committed;
    }
    // A failed COMMIT may already have rolled back; ROLLBACK then reports an error we ignore.
    if (sqlite3_get_autocommit(m_db) == 0)
        (void)exec("ROLLBACK");
    return status;
}

Result<std::optional<QByteArray>> Vault::setting(const QString& key)
{
    auto stmt = HIVE_TRY(prepare("SELECT value FROM settings WHERE key = ?1"));
    HIVE_CHECK(stmt.bindText(1, key));
    bool row = HIVE_TRY(stmt.step());
    if (!row)
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(stmt.columnBlob(0));
}

Status Vault::setSetting(const QString& key, const QByteArray& value)
{
    auto stmt = HIVE_TRY(prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)"));
    HIVE_CHECK(stmt.bindText(1, key));
    HIVE_CHECK(stmt.bindBlob(2, value));
    return stmt.run();
}

Status Vault::removeSetting(const QString& key)
{
    auto stmt = HIVE_TRY(prepare("DELETE FROM settings WHERE key = ?1"));
    HIVE_CHECK(stmt.bindText(1, key));
    return stmt.run();
}

Result<int> Vault::componentVersion(std::string_view component)
{
    auto stmt = HIVE_TRY(prepare("SELECT version FROM schema_components WHERE component = ?1"));
    HIVE_CHECK(stmt.bindText(1, QString::fromUtf8(component.data(), static_cast<qsizetype>(component.size()))));
    bool row = HIVE_TRY(stmt.step());
    if (!row)
        return 0;
    return static_cast<int>(stmt.columnInt64(0));
}

Status Vault::migrateComponent(std::string_view component, std::span<const Migration> steps)
{
    HIVE_CHECK(checkSchemaList(steps));
    int current = HIVE_TRY(componentVersion(component));
    const int known = static_cast<int>(steps.size());
    if (current > known) {
        Error e(ErrorCode::Unsupported, "the vault's ");
        e.append(component).append(" data was written by a newer version of Hive (version ");
        e.appendNumber(current).append(", this build knows up to ").appendNumber(known).append("); update Hive");
        return e;
    }
    const QString name = QString::fromUtf8(component.data(), static_cast<qsizetype>(component.size()));
    for (const Migration& step : steps.subspan(static_cast<std::size_t>(current))) {
        Status applied = transaction([&]() -> Status {
            HIVE_CHECK(exec(step.sql));
            if (step.apply)
                HIVE_CHECK(step.apply(*this));
            auto stmt = HIVE_TRY(prepare("INSERT OR REPLACE INTO schema_components (component, version)"
                                         " VALUES (?1, ?2)"));
            HIVE_CHECK(stmt.bindText(1, name));
            HIVE_CHECK(stmt.bindInt64(2, step.version));
            return stmt.run();
        });
        if (!applied.ok())
            return applied.error();
    }
    return success();
}

Status Vault::rekey(const VaultKey& newKey)
{
    if (sqlite3_get_autocommit(m_db) == 0)
        return Error(ErrorCode::InvalidArgument, "cannot change the vault key inside a transaction");
    int rc;
    {
        RawKeyString keyString(newKey);
        rc = sqlite3_rekey(m_db, keyString.data(), keyString.size());
    }
    if (rc != SQLITE_OK)
        return sqliteError(m_db, rc, "re-encrypting the vault");
    // Prove the new key reads the file before reporting success.
    auto stmt = HIVE_TRY(prepare("SELECT count(*) FROM sqlite_master"));
    (void)HIVE_TRY(stmt.step());
    return success();
}

} // namespace hive::core
