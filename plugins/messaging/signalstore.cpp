#include "signalstore.h"

#include "signal/signalcontext.h"
#include "vault/vault.h"

#include <QLoggingCategory>

#include <signal/key_helper.h>
#include <signal/ratchet.h>
#include <signal/session_pre_key.h>

#include <sodium.h>

#include <array>
#include <cstring>

namespace hive::messaging {

using core::Statement;

namespace {

Q_LOGGING_CATEGORY(lcStore, "hive.messaging.store")

using core::SignalRef;

SignalStore& self(void* userData) { return *static_cast<SignalStore*>(userData); }

std::string nameOf(const char* name, std::size_t length) { return std::string(name, length); }

ByteView viewOf(const std::uint8_t* data, std::size_t length) { return ByteView(data, length); }

// libsignal expects a negative code on failure; the vault's error is logged because
// libsignal only sees the number.
int failed(const Error& error, const char* what)
{
    qCWarning(lcStore).noquote() << what << QString::fromUtf8(error.message());
    return SG_ERR_UNKNOWN;
}

// Loads one blob column of the first row of `stmt` into a new signal_buffer; 1 if found.
int loadInto(Result<Statement>& stmtResult, signal_buffer** out, const char* what)
{
    if (!stmtResult.ok())
        return failed(stmtResult.error(), what);
    auto& stmt = *stmtResult;
    auto row = stmt.step();
    if (!row.ok())
        return failed(row.error(), what);
    if (!*row)
        return 0;
    const Bytes data = stmt.columnBytes(0);
    *out = signal_buffer_create(data.data(), data.size());
    return *out != nullptr ? 1 : SG_ERR_NOMEM;
}

} // namespace

Result<std::unique_ptr<SignalStore>> SignalStore::create(core::Vault& vault, const core::Identity& identity,
                                                         core::SignalContext& context)
{
    std::unique_ptr<SignalStore> store(new SignalStore(vault, identity, context));
    HIVE_CHECK(store->install());
    return store;
}

SignalStore::~SignalStore()
{
    if (m_store != nullptr)
        signal_protocol_store_context_destroy(m_store);
}

Status SignalStore::install()
{
    std::uint32_t generated = 0;
    if (signal_protocol_key_helper_generate_registration_id(&generated, 0, m_context.get()) != 0)
        return Error(ErrorCode::Crypto, "cannot generate a registration id");
    m_registrationId = HIVE_TRY(counter("registration_id", generated, 0));
    // Device ids are random so two devices of one person practically never collide.
    m_deviceId = HIVE_TRY(counter("device_id", 1 + randombytes_uniform(0x7ffffffe), 0));

    if (signal_protocol_store_context_create(&m_store, m_context.get()) != 0)
        return Error(ErrorCode::Internal, "libsignal could not create its store context");

    signal_protocol_identity_key_store identityStore {};
    identityStore.get_identity_key_pair = &SignalStore::getIdentityKeyPair;
    identityStore.get_local_registration_id = &SignalStore::getRegistrationId;
    identityStore.save_identity = &SignalStore::saveIdentity;
    identityStore.is_trusted_identity = &SignalStore::isTrustedIdentity;
    identityStore.user_data = this;

    signal_protocol_session_store sessionStore {};
    sessionStore.load_session_func = &SignalStore::loadSession;
    sessionStore.get_sub_device_sessions_func = &SignalStore::subDeviceSessions;
    sessionStore.store_session_func = &SignalStore::storeSession;
    sessionStore.contains_session_func = &SignalStore::containsSession;
    sessionStore.delete_session_func = &SignalStore::deleteSession;
    sessionStore.delete_all_sessions_func = &SignalStore::deleteAllSessions;
    sessionStore.user_data = this;

    signal_protocol_pre_key_store prekeyStore {};
    prekeyStore.load_pre_key = &SignalStore::loadPrekey;
    prekeyStore.store_pre_key = &SignalStore::storePrekey;
    prekeyStore.contains_pre_key = &SignalStore::containsPrekey;
    prekeyStore.remove_pre_key = &SignalStore::removePrekey;
    prekeyStore.user_data = this;

    signal_protocol_signed_pre_key_store signedStore {};
    signedStore.load_signed_pre_key = &SignalStore::loadSignedPrekey;
    signedStore.store_signed_pre_key = &SignalStore::storeSignedPrekey;
    signedStore.contains_signed_pre_key = &SignalStore::containsSignedPrekey;
    signedStore.remove_signed_pre_key = &SignalStore::removeSignedPrekey;
    signedStore.user_data = this;

    signal_protocol_sender_key_store senderStore {};
    senderStore.store_sender_key = &SignalStore::storeSenderKey;
    senderStore.load_sender_key = &SignalStore::loadSenderKey;
    senderStore.user_data = this;

    if (signal_protocol_store_context_set_identity_key_store(m_store, &identityStore) != 0
        || signal_protocol_store_context_set_session_store(m_store, &sessionStore) != 0
        || signal_protocol_store_context_set_pre_key_store(m_store, &prekeyStore) != 0
        || signal_protocol_store_context_set_signed_pre_key_store(m_store, &signedStore) != 0
        || signal_protocol_store_context_set_sender_key_store(m_store, &senderStore) != 0)
        return Error(ErrorCode::Internal, "libsignal refused the vault stores");
    return success();
}

Result<std::uint32_t> SignalStore::counter(const char* key, std::uint32_t initial, std::uint32_t increment)
{
    auto read = HIVE_TRY(m_vault.prepare("SELECT value FROM messaging_settings WHERE key = ?1"));
    HIVE_CHECK(read.bindText(1, QString::fromLatin1(key)));
    std::uint32_t value = initial;
    if (HIVE_TRY(read.step())) {
        const QByteArray stored = read.columnBlob(0);
        if (stored.size() != 4)
            return Error(ErrorCode::Corrupt, "a messaging counter has the wrong size");
        value = 0;
        for (char c : stored)
            value = (value << 8) | static_cast<std::uint8_t>(c);
        if (increment == 0)
            return value;
    }
    const std::uint32_t next = value + increment;
    QByteArray bytes(4, '\0');
    for (int i = 0; i < 4; ++i)
        bytes[i] = static_cast<char>((next >> (24 - 8 * i)) & 0xff);
    auto write = HIVE_TRY(m_vault.prepare("INSERT OR REPLACE INTO messaging_settings (key, value) VALUES (?1, ?2)"));
    HIVE_CHECK(write.bindText(1, QString::fromLatin1(key)));
    HIVE_CHECK(write.bindBlob(2, bytes));
    HIVE_CHECK(write.run());
    return value;
}

std::string SignalStore::addressName(const core::Identity::PublicKey& person)
{
    static constexpr char Digits[] = "0123456789abcdef";
    std::string name;
    name.reserve(person.size() * 2);
    for (std::uint8_t b : person) {
        name.push_back(Digits[b >> 4]);
        name.push_back(Digits[b & 0xf]);
    }
    return name;
}

Result<core::Identity::PublicKey> SignalStore::personOf(const char* name, std::size_t length)
{
    core::Identity::PublicKey key {};
    if (name == nullptr || length != key.size() * 2)
        return Error(ErrorCode::InvalidArgument, "not a Hive signal address");
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < key.size(); ++i) {
        const int hi = nibble(name[2 * i]);
        const int lo = nibble(name[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return Error(ErrorCode::InvalidArgument, "not a Hive signal address");
        key[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return key;
}

Result<Bytes> SignalStore::signalIdentityKey(const core::Identity::PublicKey& person)
{
    Bytes out(33);
    out[0] = 0x05; // libsignal's DJB key type
    if (crypto_sign_ed25519_pk_to_curve25519(out.data() + 1, person.data()) != 0)
        return Error(ErrorCode::Crypto, "the identity key is not a valid Ed25519 key");
    return out;
}

Result<std::vector<OneTimePrekeyPublic>> SignalStore::generatePrekeys(std::uint32_t count)
{
    std::vector<OneTimePrekeyPublic> out;
    // Ids wrap within libsignal's 24-bit medium range and never reuse 0.
    const std::uint32_t start = HIVE_TRY(counter("next_prekey_id", 1, count));
    signal_protocol_key_helper_pre_key_list_node* head = nullptr;
    const unsigned int first = (start % 0xfffffe) + 1;
    if (signal_protocol_key_helper_generate_pre_keys(&head, first, count, m_context.get()) != 0)
        return Error(ErrorCode::Crypto, "cannot generate one-time prekeys");
    // One transaction for the batch: a hundred synchronous commits would take seconds.
    Status status = m_vault.exec("BEGIN IMMEDIATE");
    for (auto* node = head; status.ok() && node != nullptr; node = signal_protocol_key_helper_key_list_next(node)) {
        session_pre_key* prekey = signal_protocol_key_helper_key_list_element(node);
        if (signal_protocol_pre_key_store_key(m_store, prekey) != 0) {
            status = Error(ErrorCode::Io, "cannot store a one-time prekey");
            break;
        }
        signal_buffer* raw = nullptr;
        if (ec_public_key_serialize(&raw, ec_key_pair_get_public(session_pre_key_get_key_pair(prekey))) != 0) {
            status = Error(ErrorCode::Crypto, "cannot serialise a prekey");
            break;
        }
        core::SignalBuffer buffer(raw);
        out.push_back({session_pre_key_get_id(prekey),
                       Bytes(signal_buffer_data(raw), signal_buffer_data(raw) + signal_buffer_len(raw))});
    }
    signal_protocol_key_helper_key_list_free(head);
    if (status.ok())
        status = m_vault.exec("COMMIT");
    if (!status.ok()) {
        (void)m_vault.exec("ROLLBACK");
        return status.error();
    }
    return out;
}

Result<int> SignalStore::prekeyCount()
{
    auto stmt = HIVE_TRY(m_vault.prepare("SELECT count(*) FROM msg_prekeys"));
    HIVE_CHECK(stmt.step());
    return static_cast<int>(stmt.columnInt64(0));
}

Result<SignedPrekeyPublic> SignalStore::signedPrekey(std::uint64_t nowSeconds, std::uint64_t maxAgeSeconds)
{
    auto newest = HIVE_TRY(m_vault.prepare("SELECT id, created_at FROM msg_signed_prekeys ORDER BY created_at DESC, id DESC LIMIT 1"));
    std::uint32_t id = 0;
    if (HIVE_TRY(newest.step())) {
        const auto created = static_cast<std::uint64_t>(newest.columnInt64(1));
        if (created + maxAgeSeconds > nowSeconds)
            id = static_cast<std::uint32_t>(newest.columnInt64(0));
    }
    SignalRef<session_signed_pre_key> key;
    if (id == 0) {
        id = (HIVE_TRY(counter("next_signed_prekey_id", 1, 1)) % 0xfffffe) + 1;
        ratchet_identity_key_pair* rawPair = nullptr;
        if (signal_protocol_identity_get_key_pair(m_store, &rawPair) != 0)
            return Error(ErrorCode::Crypto, "cannot load the identity key pair");
        SignalRef<ratchet_identity_key_pair> pair(rawPair);
        session_signed_pre_key* raw = nullptr;
        if (signal_protocol_key_helper_generate_signed_pre_key(&raw, pair.get(), id, nowSeconds * 1000, m_context.get()) != 0)
            return Error(ErrorCode::Crypto, "cannot generate a signed prekey");
        key.reset(raw);
        signal_buffer* serialised = nullptr;
        if (session_signed_pre_key_serialize(&serialised, raw) != 0)
            return Error(ErrorCode::Crypto, "cannot serialise the signed prekey");
        core::SignalBuffer buffer(serialised);
        auto insert = HIVE_TRY(m_vault.prepare(
            "INSERT OR REPLACE INTO msg_signed_prekeys (id, record, created_at) VALUES (?1, ?2, ?3)"));
        HIVE_CHECK(insert.bindInt64(1, id));
        HIVE_CHECK(insert.bindBlob(2, viewOf(signal_buffer_data(serialised), signal_buffer_len(serialised))));
        HIVE_CHECK(insert.bindInt64(3, static_cast<std::int64_t>(nowSeconds)));
        HIVE_CHECK(insert.run());
    } else {
        session_signed_pre_key* raw = nullptr;
        const int rc = signal_protocol_signed_pre_key_load_key(m_store, &raw, id);
        if (rc != 0)
            return core::signalError(rc, "cannot load the signed prekey");
        key.reset(raw);
    }
    signal_buffer* publicRaw = nullptr;
    if (ec_public_key_serialize(&publicRaw, ec_key_pair_get_public(session_signed_pre_key_get_key_pair(key.get()))) != 0)
        return Error(ErrorCode::Crypto, "cannot serialise the signed prekey");
    core::SignalBuffer publicBuffer(publicRaw);
    SignedPrekeyPublic out;
    out.id = id;
    out.publicKey.assign(signal_buffer_data(publicRaw), signal_buffer_data(publicRaw) + signal_buffer_len(publicRaw));
    const std::uint8_t* sig = session_signed_pre_key_get_signature(key.get());
    out.signature.assign(sig, sig + session_signed_pre_key_get_signature_len(key.get()));
    out.createdAt = session_signed_pre_key_get_timestamp(key.get()) / 1000;
    return out;
}

Result<std::vector<std::int32_t>> SignalStore::sessionDevices(const core::Identity::PublicKey& person)
{
    auto stmt = HIVE_TRY(m_vault.prepare("SELECT device FROM msg_sessions WHERE name = ?1 ORDER BY device"));
    HIVE_CHECK(stmt.bindText(1, QString::fromStdString(addressName(person))));
    std::vector<std::int32_t> out;
    while (HIVE_TRY(stmt.step()))
        out.push_back(static_cast<std::int32_t>(stmt.columnInt64(0)));
    return out;
}

Status SignalStore::deleteSenderKey(const std::string& groupId, const std::string& name, std::int32_t device)
{
    auto stmt = HIVE_TRY(m_vault.prepare("DELETE FROM msg_sender_keys WHERE group_id = ?1 AND name = ?2 AND device = ?3"));
    HIVE_CHECK(stmt.bindText(1, QString::fromStdString(groupId)));
    HIVE_CHECK(stmt.bindText(2, QString::fromStdString(name)));
    HIVE_CHECK(stmt.bindInt64(3, device));
    return stmt.run();
}

// ---- identity store ----

int SignalStore::getIdentityKeyPair(signal_buffer** publicData, signal_buffer** privateData, void* userData)
{
    const core::Identity& identity = self(userData).m_identity;
    std::array<std::uint8_t, 33> pub {};
    pub[0] = 0x05;
    const auto x = identity.x25519PublicKey();
    std::memcpy(pub.data() + 1, x.data(), x.size());
    *publicData = signal_buffer_create(pub.data(), pub.size());
    const auto& secret = identity.x25519SecretKey();
    *privateData = signal_buffer_create(secret.data(), secret.size());
    return (*publicData != nullptr && *privateData != nullptr) ? 0 : SG_ERR_NOMEM;
}

int SignalStore::getRegistrationId(void* userData, std::uint32_t* registrationId)
{
    *registrationId = self(userData).m_registrationId;
    return 0;
}

int SignalStore::saveIdentity(const signal_protocol_address* address, std::uint8_t* key, std::size_t length,
                              void* userData)
{
    auto& store = self(userData);
    const QString name = QString::fromStdString(nameOf(address->name, address->name_len));
    if (key == nullptr) {
        auto stmt = store.m_vault.prepare("DELETE FROM msg_identities WHERE name = ?1");
        if (!stmt.ok())
            return failed(stmt.error(), "forgetting an identity");
        if (!stmt->bindText(1, name).ok() || !stmt->run().ok())
            return SG_ERR_UNKNOWN;
        return 0;
    }
    auto stmt = store.m_vault.prepare("INSERT OR REPLACE INTO msg_identities (name, key) VALUES (?1, ?2)");
    if (!stmt.ok())
        return failed(stmt.error(), "saving an identity");
    if (!stmt->bindText(1, name).ok() || !stmt->bindBlob(2, viewOf(key, length)).ok())
        return SG_ERR_UNKNOWN;
    const Status run = stmt->run();
    return run.ok() ? 0 : failed(run.error(), "saving an identity");
}

int SignalStore::isTrustedIdentity(const signal_protocol_address* address, std::uint8_t* key, std::size_t length,
                                   void*)
{
    // The identity of an address is fixed by its name: only the X25519 form of the named
    // Ed25519 key is ever trusted for it.
    auto person = personOf(address->name, address->name_len);
    if (!person.ok())
        return 0;
    auto expected = signalIdentityKey(*person);
    if (!expected.ok() || length != expected->size())
        return 0;
    return constantTimeEqual(*expected, viewOf(key, length)) ? 1 : 0;
}

// ---- session store ----

int SignalStore::loadSession(signal_buffer** record, signal_buffer**, const signal_protocol_address* address,
                             void* userData)
{
    auto stmt = self(userData).m_vault.prepare("SELECT record FROM msg_sessions WHERE name = ?1 AND device = ?2");
    if (stmt.ok()) {
        (void)stmt->bindText(1, QString::fromStdString(nameOf(address->name, address->name_len)));
        (void)stmt->bindInt64(2, address->device_id);
    }
    return loadInto(stmt, record, "loading a session");
}

int SignalStore::subDeviceSessions(signal_int_list** sessions, const char* name, std::size_t length, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("SELECT device FROM msg_sessions WHERE name = ?1 ORDER BY device");
    if (!stmt.ok())
        return failed(stmt.error(), "listing sessions");
    (void)stmt->bindText(1, QString::fromStdString(nameOf(name, length)));
    signal_int_list* list = signal_int_list_alloc();
    if (list == nullptr)
        return SG_ERR_NOMEM;
    int count = 0;
    for (;;) {
        auto row = stmt->step();
        if (!row.ok()) {
            signal_int_list_free(list);
            return failed(row.error(), "listing sessions");
        }
        if (!*row)
            break;
        signal_int_list_push_back(list, static_cast<int>(stmt->columnInt64(0)));
        ++count;
    }
    *sessions = list;
    return count;
}

int SignalStore::storeSession(const signal_protocol_address* address, std::uint8_t* record, std::size_t length,
                              std::uint8_t*, std::size_t, void* userData)
{
    auto stmt = self(userData).m_vault.prepare(
        "INSERT OR REPLACE INTO msg_sessions (name, device, record) VALUES (?1, ?2, ?3)");
    if (!stmt.ok())
        return failed(stmt.error(), "storing a session");
    (void)stmt->bindText(1, QString::fromStdString(nameOf(address->name, address->name_len)));
    (void)stmt->bindInt64(2, address->device_id);
    (void)stmt->bindBlob(3, viewOf(record, length));
    const Status run = stmt->run();
    return run.ok() ? 0 : failed(run.error(), "storing a session");
}

int SignalStore::containsSession(const signal_protocol_address* address, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("SELECT 1 FROM msg_sessions WHERE name = ?1 AND device = ?2");
    if (!stmt.ok())
        return 0;
    (void)stmt->bindText(1, QString::fromStdString(nameOf(address->name, address->name_len)));
    (void)stmt->bindInt64(2, address->device_id);
    auto row = stmt->step();
    return (row.ok() && *row) ? 1 : 0;
}

int SignalStore::deleteSession(const signal_protocol_address* address, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("DELETE FROM msg_sessions WHERE name = ?1 AND device = ?2");
    if (!stmt.ok())
        return failed(stmt.error(), "deleting a session");
    (void)stmt->bindText(1, QString::fromStdString(nameOf(address->name, address->name_len)));
    (void)stmt->bindInt64(2, address->device_id);
    const Status run = stmt->run();
    return run.ok() ? 1 : failed(run.error(), "deleting a session");
}

int SignalStore::deleteAllSessions(const char* name, std::size_t length, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("DELETE FROM msg_sessions WHERE name = ?1");
    if (!stmt.ok())
        return failed(stmt.error(), "deleting sessions");
    (void)stmt->bindText(1, QString::fromStdString(nameOf(name, length)));
    const Status run = stmt->run();
    return run.ok() ? 0 : failed(run.error(), "deleting sessions");
}

// ---- pre-key stores ----

int SignalStore::loadPrekey(signal_buffer** record, std::uint32_t id, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("SELECT record FROM msg_prekeys WHERE id = ?1");
    if (stmt.ok())
        (void)stmt->bindInt64(1, id);
    const int rc = loadInto(stmt, record, "loading a prekey");
    return rc == 1 ? SG_SUCCESS : (rc == 0 ? SG_ERR_INVALID_KEY_ID : rc);
}

int SignalStore::storePrekey(std::uint32_t id, std::uint8_t* record, std::size_t length, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("INSERT OR REPLACE INTO msg_prekeys (id, record) VALUES (?1, ?2)");
    if (!stmt.ok())
        return failed(stmt.error(), "storing a prekey");
    (void)stmt->bindInt64(1, id);
    (void)stmt->bindBlob(2, viewOf(record, length));
    const Status run = stmt->run();
    return run.ok() ? 0 : failed(run.error(), "storing a prekey");
}

int SignalStore::containsPrekey(std::uint32_t id, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("SELECT 1 FROM msg_prekeys WHERE id = ?1");
    if (!stmt.ok())
        return 0;
    (void)stmt->bindInt64(1, id);
    auto row = stmt->step();
    return (row.ok() && *row) ? 1 : 0;
}

int SignalStore::removePrekey(std::uint32_t id, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("DELETE FROM msg_prekeys WHERE id = ?1");
    if (!stmt.ok())
        return failed(stmt.error(), "removing a prekey");
    (void)stmt->bindInt64(1, id);
    const Status run = stmt->run();
    return run.ok() ? 0 : failed(run.error(), "removing a prekey");
}

int SignalStore::loadSignedPrekey(signal_buffer** record, std::uint32_t id, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("SELECT record FROM msg_signed_prekeys WHERE id = ?1");
    if (stmt.ok())
        (void)stmt->bindInt64(1, id);
    const int rc = loadInto(stmt, record, "loading a signed prekey");
    return rc == 1 ? SG_SUCCESS : (rc == 0 ? SG_ERR_INVALID_KEY_ID : rc);
}

int SignalStore::storeSignedPrekey(std::uint32_t id, std::uint8_t* record, std::size_t length, void* userData)
{
    auto stmt = self(userData).m_vault.prepare(
        "INSERT OR REPLACE INTO msg_signed_prekeys (id, record, created_at) VALUES (?1, ?2, strftime('%s','now'))");
    if (!stmt.ok())
        return failed(stmt.error(), "storing a signed prekey");
    (void)stmt->bindInt64(1, id);
    (void)stmt->bindBlob(2, viewOf(record, length));
    const Status run = stmt->run();
    return run.ok() ? 0 : failed(run.error(), "storing a signed prekey");
}

int SignalStore::containsSignedPrekey(std::uint32_t id, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("SELECT 1 FROM msg_signed_prekeys WHERE id = ?1");
    if (!stmt.ok())
        return 0;
    (void)stmt->bindInt64(1, id);
    auto row = stmt->step();
    return (row.ok() && *row) ? 1 : 0;
}

int SignalStore::removeSignedPrekey(std::uint32_t id, void* userData)
{
    auto stmt = self(userData).m_vault.prepare("DELETE FROM msg_signed_prekeys WHERE id = ?1");
    if (!stmt.ok())
        return failed(stmt.error(), "removing a signed prekey");
    (void)stmt->bindInt64(1, id);
    const Status run = stmt->run();
    return run.ok() ? 0 : failed(run.error(), "removing a signed prekey");
}

// ---- sender key store ----

int SignalStore::storeSenderKey(const signal_protocol_sender_key_name* name, std::uint8_t* record, std::size_t length,
                                std::uint8_t*, std::size_t, void* userData)
{
    auto stmt = self(userData).m_vault.prepare(
        "INSERT OR REPLACE INTO msg_sender_keys (group_id, name, device, record) VALUES (?1, ?2, ?3, ?4)");
    if (!stmt.ok())
        return failed(stmt.error(), "storing a sender key");
    (void)stmt->bindText(1, QString::fromStdString(nameOf(name->group_id, name->group_id_len)));
    (void)stmt->bindText(2, QString::fromStdString(nameOf(name->sender.name, name->sender.name_len)));
    (void)stmt->bindInt64(3, name->sender.device_id);
    (void)stmt->bindBlob(4, viewOf(record, length));
    const Status run = stmt->run();
    return run.ok() ? 0 : failed(run.error(), "storing a sender key");
}

int SignalStore::loadSenderKey(signal_buffer** record, signal_buffer**, const signal_protocol_sender_key_name* name,
                               void* userData)
{
    auto stmt = self(userData).m_vault.prepare(
        "SELECT record FROM msg_sender_keys WHERE group_id = ?1 AND name = ?2 AND device = ?3");
    if (stmt.ok()) {
        (void)stmt->bindText(1, QString::fromStdString(nameOf(name->group_id, name->group_id_len)));
        (void)stmt->bindText(2, QString::fromStdString(nameOf(name->sender.name, name->sender.name_len)));
        (void)stmt->bindInt64(3, name->sender.device_id);
    }
    return loadInto(stmt, record, "loading a sender key");
}

} // namespace hive::messaging
