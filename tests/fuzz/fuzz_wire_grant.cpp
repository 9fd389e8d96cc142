// Fuzzes the grant chain, link and revocation decoders and the chain verifier: any input
// decodes or fails cleanly, whatever decodes re-encodes to exactly the input, and
// verification of a decoded chain never crashes.
#include "wire/grant.h"

#include <cstdlib>

using namespace hive;
using namespace hive::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ByteView input(data, size);
    if (auto chain = GrantChain::decode(input)) {
        if (chain->encode() != toBytes(input))
            std::abort();
        SigningPublicKey owner {};
        NodeKey node {};
        if (!chain->links.empty()) {
            owner = chain->links[0].issuer;
            node = chain->links[0].node;
        }
        RevocationSet revocations;
        GrantError why = GrantError::None;
        auto grant = verifyChain(*chain, owner, node, chain->links[0].notBefore, revocations, &why);
        if (grant.ok() != (why == GrantError::None))
            std::abort();
        if (grant) {
            UsageLedger ledger({1000000, 1000, 1000});
            if (ledger.charge(*grant, Resource::Storage, 1))
                (void)ledger.release(*grant, Resource::Storage, 1);
        }
    }
    if (auto link = GrantLink::decode(input)) {
        if (link->encode() != toBytes(input))
            std::abort();
        (void)link->hasValidSignature();
    }
    if (auto revocation = Revocation::decode(input)) {
        if (revocation->encode() != toBytes(input))
            std::abort();
        RevocationSet set;
        (void)set.add(*revocation);
    }
    return 0;
}
