#include "node/nodecredentials.h"

#include "identity/identity.h"

#include <algorithm>
#include <memory>

namespace hive::core {

Result<NodeCredentials> NodeCredentials::fromIdentity(const Identity& identity)
{
    wire::noise::Secret<wire::noise::DhSize> seed;
    HIVE_CHECK(identity.deriveKey(NoiseKeyContext, NoiseKeySubkeyId, seed.span()));
    NodeCredentials c;
    c.m_noiseKey = HIVE_TRY(wire::noise::KeyPair::fromSecret(seed.view()));
    c.m_identityKey = identity.publicKey();
    c.m_signer = [&identity](ByteView message) -> Result<wire::Signature> {
        const Bytes bytes = HIVE_TRY(identity.sign(message));
        wire::Signature signature {};
        if (bytes.size() != signature.size())
            return Error(ErrorCode::Internal, "identity signature has an unexpected size");
        std::copy(bytes.begin(), bytes.end(), signature.begin());
        return signature;
    };
    return c;
}

NodeCredentials NodeCredentials::fromKeys(const wire::SigningKey& identity, const wire::noise::KeyPair& noiseKey)
{
    NodeCredentials c;
    c.m_noiseKey = noiseKey;
    c.m_identityKey = identity.publicKey;
    // The signer keeps its own copy of the key, so the caller's may go away.
    auto key = std::make_shared<wire::SigningKey>(identity);
    c.m_signer = [key](ByteView message) -> Result<wire::Signature> { return key->sign(message); };
    return c;
}

NodeCredentials NodeCredentials::anonymous()
{
    NodeCredentials c;
    c.m_noiseKey = wire::noise::KeyPair::generate();
    return c;
}

Result<wire::proto::DeviceCertificate> NodeCredentials::certificate(std::uint64_t now) const
{
    if (!m_identityKey || !m_signer)
        return Error(ErrorCode::InvalidArgument, "anonymous credentials have no certificate");
    wire::proto::DeviceCertificate c;
    c.identity = *m_identityKey;
    c.noiseKey = m_noiseKey.publicKey;
    c.notBefore = now > CertificateBackdateSeconds ? now - CertificateBackdateSeconds : 0;
    c.notAfter = now + CertificateLifetimeSeconds;
    c.signature = HIVE_TRY(m_signer(c.signedBytes()));
    return c;
}

Result<wire::proto::ClientHello> NodeCredentials::hello(std::uint64_t now) const
{
    wire::proto::ClientHello h;
    if (m_identityKey)
        h.certificate = HIVE_TRY(certificate(now));
    h.grantChain = m_grantChain;
    return h;
}

} // namespace hive::core
