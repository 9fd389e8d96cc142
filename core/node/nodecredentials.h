// What a device shows a node when it connects: its Noise static key, a device certificate
// by which the person's Ed25519 identity key vouches for that Noise key, and optionally a
// grant chain (docs/protocol.md, "Handshake payloads").
//
// The device's Noise key is derived from the identity's master seed with
// Identity::deriveKey(context "HiveNode", subkey id 1), so the same profile always
// presents the same key (nodes may rate-limit by it) and nothing new has to be stored.
// Certificates are short-lived and issued afresh for every connection attempt.
#pragma once

#include "wire/grant.h"
#include "wire/nodeprotocol.h"
#include "wire/noise.h"
#include "wire/result.h"

#include <cstdint>
#include <functional>
#include <optional>

namespace hive::core {

class Identity;

class NodeCredentials {
public:
    // Context and subkey id of the derived device Noise key (part of the protocol).
    static constexpr std::string_view NoiseKeyContext = "HiveNode";
    static constexpr std::uint64_t NoiseKeySubkeyId = 1;
    // Certificates are valid from this long before now (clock skew) ...
    static constexpr std::uint64_t CertificateBackdateSeconds = 60 * 60;
    // ... to this long after it.
    static constexpr std::uint64_t CertificateLifetimeSeconds = 7 * 24 * 60 * 60;

    using Signer = std::function<Result<wire::Signature>(ByteView message)>;

    // Credentials of a profile's identity. `identity` must outlive the credentials (it
    // signs each new certificate).
    static Result<NodeCredentials> fromIdentity(const Identity& identity);
    // Credentials of an explicit Ed25519 key and Noise key (tests, benchmarks, tools).
    static NodeCredentials fromKeys(const wire::SigningKey& identity, const wire::noise::KeyPair& noiseKey);
    // A fresh random Noise key and no certificate: the node treats the client as anonymous.
    static NodeCredentials anonymous();

    // The device's Noise static key.
    const wire::noise::KeyPair& noiseKey() const { return m_noiseKey; }
    // The identity key the certificate names, if any.
    std::optional<wire::SigningPublicKey> identityKey() const { return m_identityKey; }
    // Sets the grant chain (GrantChain::encode()) sent in every handshake; empty for none.
    void setGrantChain(Bytes chain) { m_grantChain = std::move(chain); }
    const Bytes& grantChain() const { return m_grantChain; }

    // A certificate for the Noise key valid around `now` (Unix seconds).
    Result<wire::proto::DeviceCertificate> certificate(std::uint64_t now) const;
    // The ClientHello of a handshake started at `now`.
    Result<wire::proto::ClientHello> hello(std::uint64_t now) const;

private:
    NodeCredentials() = default;

    wire::noise::KeyPair m_noiseKey;
    std::optional<wire::SigningPublicKey> m_identityKey;
    Signer m_signer;
    Bytes m_grantChain;
};

} // namespace hive::core
