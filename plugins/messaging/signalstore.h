// SignalStore: libsignal-protocol-c's five stores (identity, session, pre-key, signed
// pre-key, sender key) over the vault, plus this device's registration id, device id and
// prekey generation.
//
// Identity: there is no separate Signal identity key. libsignal's identity key pair is the
// X25519 form of the person's Ed25519 identity key (identity.h), so the key the trust layer
// pins and verifies with the safety number is the key every session is bound to. A remote
// address is named by the lower-case hex of the person's Ed25519 key; is_trusted_identity
// accepts exactly the X25519 form of that key, so no session can be built or continued
// with any other key under a contact's name (no trust-on-first-use).
//
// Records are stored as libsignal serialises them; a libsignal object created here is
// owned by a SignalRef and released with its own unref.
#pragma once

#include "identity/identity.h"
#include "signal/signalref.h"
#include "wire/bytes.h"
#include "wire/result.h"

#include <signal/signal_protocol.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hive::core {
class SignalContext;
class Vault;
}

namespace hive::messaging {

// A one-time prekey as published: id and the 33-byte serialised public key.
struct OneTimePrekeyPublic {
    std::uint32_t id = 0;
    Bytes publicKey;
};

// The current signed prekey as published.
struct SignedPrekeyPublic {
    std::uint32_t id = 0;
    Bytes publicKey;  // 33 bytes
    Bytes signature;  // XEdDSA by the identity key, 64 bytes
    std::uint64_t createdAt = 0;
};

class SignalStore {
public:
    // Opens the stores of `identity` in `vault` (the messaging tables must exist), creating
    // the registration and device ids on first use. All three must outlive the store.
    static Result<std::unique_ptr<SignalStore>> create(core::Vault& vault, const core::Identity& identity,
                                                       core::SignalContext& context);
    ~SignalStore();
    SignalStore(const SignalStore&) = delete;
    SignalStore& operator=(const SignalStore&) = delete;

    // The libsignal store context to hand to session builders and ciphers.
    signal_protocol_store_context* get() const { return m_store; }
    core::SignalContext& context() const { return m_context; }
    const core::Identity& identity() const { return m_identity; }

    std::uint32_t registrationId() const { return m_registrationId; }
    std::uint32_t deviceId() const { return m_deviceId; }

    // libsignal's name for a person: lower-case hex of the Ed25519 identity key.
    static std::string addressName(const core::Identity::PublicKey& person);
    // The person named by an address; InvalidArgument if it is not such a name.
    static Result<core::Identity::PublicKey> personOf(const char* name, std::size_t length);
    // libsignal's serialised identity key (0x05 || X25519) for a person's Ed25519 key.
    static Result<Bytes> signalIdentityKey(const core::Identity::PublicKey& person);

    // Generates `count` one-time prekeys with fresh ids, stores them and returns their
    // public halves.
    Result<std::vector<OneTimePrekeyPublic>> generatePrekeys(std::uint32_t count);
    // How many one-time prekeys are stored (not yet used by a session).
    Result<int> prekeyCount();
    // The newest signed prekey; a new one is generated if there is none or it is older
    // than `maxAgeSeconds` (older ones are kept so in-flight sessions still complete).
    Result<SignedPrekeyPublic> signedPrekey(std::uint64_t nowSeconds, std::uint64_t maxAgeSeconds);

    // The devices of `person` this store has a session with.
    Result<std::vector<std::int32_t>> sessionDevices(const core::Identity::PublicKey& person);
    // Removes our own sender key for a group so the next group send creates a new one.
    Status deleteSenderKey(const std::string& groupId, const std::string& name, std::int32_t device);

private:
    SignalStore(core::Vault& vault, const core::Identity& identity, core::SignalContext& context)
        : m_vault(vault), m_identity(identity), m_context(context)
    {
    }
    Status install();
    Result<std::uint32_t> counter(const char* key, std::uint32_t initial, std::uint32_t increment);

    // libsignal callbacks (user_data is the SignalStore).
    static int getIdentityKeyPair(signal_buffer** publicData, signal_buffer** privateData, void* userData);
    static int getRegistrationId(void* userData, std::uint32_t* registrationId);
    static int saveIdentity(const signal_protocol_address* address, std::uint8_t* key, std::size_t length, void* userData);
    static int isTrustedIdentity(const signal_protocol_address* address, std::uint8_t* key, std::size_t length,
                                 void* userData);
    static int loadSession(signal_buffer** record, signal_buffer** userRecord, const signal_protocol_address* address,
                           void* userData);
    static int subDeviceSessions(signal_int_list** sessions, const char* name, std::size_t length, void* userData);
    static int storeSession(const signal_protocol_address* address, std::uint8_t* record, std::size_t length,
                            std::uint8_t* userRecord, std::size_t userLength, void* userData);
    static int containsSession(const signal_protocol_address* address, void* userData);
    static int deleteSession(const signal_protocol_address* address, void* userData);
    static int deleteAllSessions(const char* name, std::size_t length, void* userData);
    static int loadPrekey(signal_buffer** record, std::uint32_t id, void* userData);
    static int storePrekey(std::uint32_t id, std::uint8_t* record, std::size_t length, void* userData);
    static int containsPrekey(std::uint32_t id, void* userData);
    static int removePrekey(std::uint32_t id, void* userData);
    static int loadSignedPrekey(signal_buffer** record, std::uint32_t id, void* userData);
    static int storeSignedPrekey(std::uint32_t id, std::uint8_t* record, std::size_t length, void* userData);
    static int containsSignedPrekey(std::uint32_t id, void* userData);
    static int removeSignedPrekey(std::uint32_t id, void* userData);
    static int storeSenderKey(const signal_protocol_sender_key_name* name, std::uint8_t* record, std::size_t length,
                              std::uint8_t* userRecord, std::size_t userLength, void* userData);
    static int loadSenderKey(signal_buffer** record, signal_buffer** userRecord,
                             const signal_protocol_sender_key_name* name, void* userData);

    core::Vault& m_vault;
    const core::Identity& m_identity;
    core::SignalContext& m_context;
    signal_protocol_store_context* m_store = nullptr;
    std::uint32_t m_registrationId = 0;
    std::uint32_t m_deviceId = 0;
};

} // namespace hive::messaging
