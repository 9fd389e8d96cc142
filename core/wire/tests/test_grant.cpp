// Grant chains: a valid chain yields multiplied-down shares; every way of cheating is
// rejected with its own reason; revocations and per-subtree usage accounting; property
// tests over random chains and single-byte mutations.
#include "wire/grant.h"

#include <QtTest>

#include <random>

using namespace hive;
using namespace hive::wire;

namespace {

SigningKey keyFromByte(std::uint8_t b)
{
    std::array<std::uint8_t, 32> seed {};
    seed.fill(b);
    return SigningKey::fromSeed(seed).release();
}

GrantLink makeLink(const SigningKey& issuer, const SigningPublicKey& audience, const NodeKey& node,
                   const LinkHash& parent, std::uint64_t notBefore, std::uint64_t notAfter, std::uint8_t depth,
                   Shares shares)
{
    GrantLink l;
    l.node = node;
    l.issuer = issuer.publicKey;
    l.audience = audience;
    l.parent = parent;
    l.notBefore = notBefore;
    l.notAfter = notAfter;
    l.depth = depth;
    l.shares = shares;
    if (!l.sign(issuer))
        qFatal("cannot sign");
    return l;
}

// owner -> alice -> bob -> carol on one node, valid at Now.
struct Fixture {
    static constexpr std::uint64_t Now = 50000;
    NodeKey node {};
    SigningKey owner = keyFromByte(1);
    SigningKey alice = keyFromByte(2);
    SigningKey bob = keyFromByte(3);
    SigningKey carol = keyFromByte(4);
    SigningKey eve = keyFromByte(5);
    GrantChain chain;

    Fixture()
    {
        node.fill(0x42);
        chain.links.push_back(makeLink(owner, alice.publicKey, node, {}, 1000, 100000, 2, {5000, 2000, 8000}));
        chain.links.push_back(
            makeLink(alice, bob.publicKey, node, chain.links[0].hash(), 2000, 90000, 1, {5000, 5000, 5000}));
        chain.links.push_back(
            makeLink(bob, carol.publicKey, node, chain.links[1].hash(), 3000, 80000, 0, {1000, 10000, 0}));
    }
    // Re-signs link i with `key` and re-links the links below it, so only the intended
    // defect remains.
    void resign(std::size_t i, const SigningKey& key)
    {
        (void)chain.links[i].sign(key);
        for (std::size_t j = i + 1; j < chain.links.size(); ++j) {
            chain.links[j].parent = chain.links[j - 1].hash();
            const SigningKey& issuer = chain.links[j].issuer == alice.publicKey ? alice
                : chain.links[j].issuer == bob.publicKey                         ? bob
                                                                                 : carol;
            (void)chain.links[j].sign(issuer);
        }
    }
    Result<EffectiveGrant> verify(GrantError* why, std::uint64_t now = Now, const RevocationSet& revocations = {})
    {
        return verifyChain(chain, owner.publicKey, node, now, revocations, why);
    }
};

void expectRejected(Fixture& f, GrantError reason, ErrorCode code, std::uint64_t now = Fixture::Now,
                    const RevocationSet& revocations = {})
{
    GrantError why = GrantError::None;
    auto r = f.verify(&why, now, revocations);
    QVERIFY2(!r, "chain was accepted");
    QCOMPARE(grantErrorName(why), grantErrorName(reason));
    QCOMPARE(r.error().code(), code);
    QVERIFY2(r.error().messageView().find(grantErrorName(reason)) != std::string_view::npos, r.error().message());
}

// A random valid chain of 1..8 links, with its expected effective shares.
struct RandomChain {
    GrantChain chain;
    Shares expected;
    std::uint64_t now = 0;
};

RandomChain randomChain(std::mt19937_64& rng, const SigningKey& owner, const NodeKey& node, std::size_t length)
{
    RandomChain out;
    std::uint64_t notBefore = rng() % 1000000;
    std::uint64_t notAfter = notBefore + 1000000 + rng() % 1000000;
    std::uint8_t depth = static_cast<std::uint8_t>(length - 1 + rng() % 3);
    std::uint64_t eff[3] = {FullShare, FullShare, FullShare};
    SigningKey issuer = owner;
    LinkHash parent {};
    for (std::size_t i = 0; i < length; ++i) {
        SigningKey audience = SigningKey::generate();
        Shares s {static_cast<std::uint16_t>(rng() % 10001), static_cast<std::uint16_t>(rng() % 10001),
                  static_cast<std::uint16_t>(rng() % 10001)};
        GrantLink l = makeLink(issuer, audience.publicKey, node, parent, notBefore, notAfter, depth, s);
        out.chain.links.push_back(l);
        parent = l.hash();
        issuer = audience;
        eff[0] = eff[0] * s.storage / FullShare;
        eff[1] = eff[1] * s.cpu / FullShare;
        eff[2] = eff[2] * s.bandwidth / FullShare;
        // Narrow the window a little and step the depth down for the next link, keeping
        // enough depth for the links still to come.
        notBefore += rng() % 1000;
        notAfter -= rng() % 1000;
        if (i + 1 < length) {
            const std::uint64_t minNext = length - 2 - i;
            const std::uint64_t maxNext = depth - 1u;
            depth = static_cast<std::uint8_t>(minNext + rng() % (maxNext - minNext + 1));
        }
    }
    out.expected = {static_cast<std::uint16_t>(eff[0]), static_cast<std::uint16_t>(eff[1]),
                    static_cast<std::uint16_t>(eff[2])};
    out.now = notBefore + (notAfter - notBefore) / 2;
    return out;
}

} // namespace

class TestGrant : public QObject {
    Q_OBJECT

private slots:
    void validChainMultipliesSharesDown();
    void prefixOfValidChainIsValid();
    void forgedSignatureIsRejected();
    void signatureByWrongKeyIsRejected();
    void wrongAudienceLinkIsRejected();
    void wrongParentHashIsRejected();
    void widenedShareIsRejected();
    void extendedExpiryIsRejected();
    void earlierStartIsRejected();
    void emptyWindowIsRejected();
    void exceededDepthIsRejected();
    void depthZeroLinkCannotDelegate();
    void revokedLinkIsRejected();
    void revocationOnlyCountsFromAbove();
    void expiredLinkIsRejected();
    void notYetValidLinkIsRejected();
    void tooManyLinksAreRejected();
    void eightLinksAreAccepted();
    void wrongNodeIsRejected();
    void rootNotIssuedByOwnerIsRejected();
    void rootWithParentIsRejected();
    void emptyChainIsRejected();
    void unknownVersionIsRejected();
    void signingWithOtherKeyIsRefused();
    void linkAndChainEncodingRoundTrip();
    void decodeRejectsBadInput();
    void revocationSetIsAppendOnlyAndDeduplicated();
    void revocationEncodingRoundTrips();
    void usageChargesEveryAncestor();
    void usageRefusedAtAnyOverfullAncestor();
    void usageReleaseOnDelete();
    void applyShareIsExact();
    void propertyRandomValidChainsVerify();
    void propertyAnySingleByteMutationIsRejected();
};

void TestGrant::validChainMultipliesSharesDown()
{
    Fixture f;
    GrantError why = GrantError::Revoked;
    auto r = f.verify(&why);
    QVERIFY2(r, r ? "" : r.error().message());
    QCOMPARE(grantErrorName(why), grantErrorName(GrantError::None));
    QVERIFY(r->holder == f.carol.publicKey);
    QCOMPARE(r->path.size(), std::size_t(3));
    // 5000 * 5000 / 10000 = 2500, then * 1000 / 10000 = 250.
    QCOMPARE(r->path[1].effective, (Shares {2500, 1000, 4000}));
    QCOMPARE(r->shares, (Shares {250, 1000, 0}));
    QCOMPARE(r->notBefore, std::uint64_t(3000));
    QCOMPARE(r->notAfter, std::uint64_t(80000));
    QCOMPARE(r->depth, std::uint8_t(0));
    QVERIFY(r->leaf() == f.chain.links[2].hash());
    QVERIFY(r->path[0].link == f.chain.links[0].hash());
}

void TestGrant::prefixOfValidChainIsValid()
{
    Fixture f;
    f.chain.links.resize(1);
    auto r = f.verify(nullptr);
    QVERIFY(r);
    QVERIFY(r->holder == f.alice.publicKey);
    QCOMPARE(r->shares, (Shares {5000, 2000, 8000}));
    QCOMPARE(r->depth, std::uint8_t(2));
}

void TestGrant::forgedSignatureIsRejected()
{
    Fixture f;
    f.chain.links[1].signature[10] ^= 0x01;
    expectRejected(f, GrantError::ForgedSignature, ErrorCode::Crypto);
}

void TestGrant::signatureByWrongKeyIsRejected()
{
    Fixture f;
    // Eve signs a link that claims Alice as issuer.
    f.chain.links[1].signature = f.eve.sign(f.chain.links[1].signedBytes());
    expectRejected(f, GrantError::ForgedSignature, ErrorCode::Crypto);
}

void TestGrant::wrongAudienceLinkIsRejected()
{
    Fixture f;
    // Eve, who was never given anything, delegates "her" grant to Bob.
    f.chain.links[1].issuer = f.eve.publicKey;
    f.resign(1, f.eve);
    expectRejected(f, GrantError::WrongAudience, ErrorCode::PermissionDenied);
}

void TestGrant::wrongParentHashIsRejected()
{
    Fixture f;
    f.chain.links[2].parent[0] ^= 0xff;
    f.resign(2, f.bob);
    expectRejected(f, GrantError::WrongParent, ErrorCode::PermissionDenied);
}

void TestGrant::widenedShareIsRejected()
{
    Fixture f;
    f.chain.links[1].shares.cpu = 10001;
    f.resign(1, f.alice);
    expectRejected(f, GrantError::WidenedShare, ErrorCode::PermissionDenied);
}

void TestGrant::extendedExpiryIsRejected()
{
    Fixture f;
    f.chain.links[2].notAfter = 90001; // link 1 ends at 90000
    f.resign(2, f.bob);
    expectRejected(f, GrantError::ExtendedExpiry, ErrorCode::PermissionDenied);
}

void TestGrant::earlierStartIsRejected()
{
    Fixture f;
    f.chain.links[1].notBefore = 999; // root starts at 1000
    f.resign(1, f.alice);
    expectRejected(f, GrantError::EarlierStart, ErrorCode::PermissionDenied);
}

void TestGrant::emptyWindowIsRejected()
{
    Fixture f;
    f.chain.links[2].notBefore = 80000;
    f.chain.links[2].notAfter = 80000;
    f.resign(2, f.bob);
    expectRejected(f, GrantError::InvalidWindow, ErrorCode::PermissionDenied);
}

void TestGrant::exceededDepthIsRejected()
{
    Fixture f;
    f.chain.links[1].depth = 2; // same as the root's: not a decrease
    f.resign(1, f.alice);
    expectRejected(f, GrantError::ExceededDepth, ErrorCode::PermissionDenied);
}

void TestGrant::depthZeroLinkCannotDelegate()
{
    Fixture f;
    SigningKey dave = keyFromByte(6);
    f.chain.links.push_back(
        makeLink(f.carol, dave.publicKey, f.node, f.chain.links[2].hash(), 3000, 80000, 0, {1, 1, 1}));
    GrantError why = GrantError::None;
    auto r = f.verify(&why);
    QVERIFY(!r);
    QCOMPARE(grantErrorName(why), grantErrorName(GrantError::ExceededDepth));
    QVERIFY(r.error().messageView().find("depth 0") != std::string_view::npos);
}

void TestGrant::revokedLinkIsRejected()
{
    Fixture f;
    RevocationSet revocations;
    QVERIFY(*revocations.add(Revocation::create(f.chain.links[1].hash(), f.alice, 60000)));
    expectRejected(f, GrantError::Revoked, ErrorCode::PermissionDenied, Fixture::Now, revocations);
    // The part of the chain above the revoked link is unaffected.
    GrantChain prefix;
    prefix.links = {f.chain.links[0]};
    QVERIFY(verifyChain(prefix, f.owner.publicKey, f.node, Fixture::Now, revocations));
}

void TestGrant::revocationOnlyCountsFromAbove()
{
    Fixture f;
    const LinkHash middle = f.chain.links[1].hash();
    RevocationSet below;
    // Carol (below link 1) and Eve (unrelated) cannot revoke link 1.
    QVERIFY(*below.add(Revocation::create(middle, f.carol, 1)));
    QVERIFY(*below.add(Revocation::create(middle, f.eve, 1)));
    QVERIFY(f.verify(nullptr, Fixture::Now, below));
    // Bob is link 2's issuer, i.e. below link 1: no effect on link 1.
    QVERIFY(*below.add(Revocation::create(middle, f.bob, 1)));
    QVERIFY(f.verify(nullptr, Fixture::Now, below));
    // Bob can revoke his own link 2, though.
    RevocationSet own;
    QVERIFY(*own.add(Revocation::create(f.chain.links[2].hash(), f.bob, 1)));
    expectRejected(f, GrantError::Revoked, ErrorCode::PermissionDenied, Fixture::Now, own);
    // The owner can revoke anything.
    RevocationSet byOwner;
    QVERIFY(*byOwner.add(Revocation::create(f.chain.links[2].hash(), f.owner, 1)));
    expectRejected(f, GrantError::Revoked, ErrorCode::PermissionDenied, Fixture::Now, byOwner);
    // Alice cannot revoke the root she received.
    RevocationSet root;
    QVERIFY(*root.add(Revocation::create(f.chain.links[0].hash(), f.alice, 1)));
    QVERIFY(f.verify(nullptr, Fixture::Now, root));
}

void TestGrant::expiredLinkIsRejected()
{
    Fixture f;
    expectRejected(f, GrantError::Expired, ErrorCode::PermissionDenied, 80000); // link 2 ends at 80000
    expectRejected(f, GrantError::Expired, ErrorCode::PermissionDenied, 200000);
    QVERIFY(f.verify(nullptr, 79999));
}

void TestGrant::notYetValidLinkIsRejected()
{
    Fixture f;
    expectRejected(f, GrantError::NotYetValid, ErrorCode::PermissionDenied, 2999);
    QVERIFY(f.verify(nullptr, 3000));
}

void TestGrant::tooManyLinksAreRejected()
{
    NodeKey node {};
    node.fill(7);
    SigningKey owner = keyFromByte(9);
    GrantChain chain;
    SigningKey issuer = owner;
    LinkHash parent {};
    for (int i = 0; i < 9; ++i) {
        SigningKey next = SigningKey::generate();
        chain.links.push_back(makeLink(issuer, next.publicKey, node, parent, 0, 1000,
                                       static_cast<std::uint8_t>(9 - i), {10000, 10000, 10000}));
        parent = chain.links.back().hash();
        issuer = next;
    }
    GrantError why = GrantError::None;
    auto r = verifyChain(chain, owner.publicKey, node, 10, {}, &why);
    QVERIFY(!r);
    QCOMPARE(grantErrorName(why), grantErrorName(GrantError::TooManyLinks));
    QCOMPARE(r.error().code(), ErrorCode::TooLarge);
    // The encoding of such a chain does not even decode.
    auto decoded = GrantChain::decode(chain.encode());
    QVERIFY(!decoded);
    QCOMPARE(decoded.error().code(), ErrorCode::TooLarge);
}

void TestGrant::eightLinksAreAccepted()
{
    NodeKey node {};
    node.fill(7);
    SigningKey owner = keyFromByte(9);
    GrantChain chain;
    SigningKey issuer = owner;
    LinkHash parent {};
    for (int i = 0; i < 8; ++i) {
        SigningKey next = SigningKey::generate();
        chain.links.push_back(makeLink(issuer, next.publicKey, node, parent, 0, 1000,
                                       static_cast<std::uint8_t>(7 - i), {9000, 10000, 5000}));
        parent = chain.links.back().hash();
        issuer = next;
    }
    auto decoded = GrantChain::decode(chain.encode());
    QVERIFY(decoded);
    auto r = verifyChain(*decoded, owner.publicKey, node, 10, {});
    QVERIFY2(r, r ? "" : r.error().message());
    // 9000 applied 8 times, rounding down each step: 9000, 8100, 7290, 6561, 5904, 5313, 4781, 4302.
    QCOMPARE(r->shares.storage, std::uint16_t(4302));
    QCOMPARE(r->shares.cpu, std::uint16_t(10000));
    QCOMPARE(r->shares.bandwidth, std::uint16_t(39)); // 5000 / 2^7, rounded down at each step
}

void TestGrant::wrongNodeIsRejected()
{
    Fixture f;
    NodeKey other = f.node;
    other[31] ^= 1;
    GrantError why = GrantError::None;
    auto r = verifyChain(f.chain, f.owner.publicKey, other, Fixture::Now, {}, &why);
    QVERIFY(!r);
    QCOMPARE(grantErrorName(why), grantErrorName(GrantError::WrongNode));
    QCOMPARE(r.error().code(), ErrorCode::PermissionDenied);
}

void TestGrant::rootNotIssuedByOwnerIsRejected()
{
    Fixture f;
    f.chain.links[0].issuer = f.eve.publicKey;
    f.resign(0, f.eve);
    expectRejected(f, GrantError::RootNotOwner, ErrorCode::PermissionDenied);
}

void TestGrant::rootWithParentIsRejected()
{
    Fixture f;
    f.chain.links[0].parent[5] = 1;
    f.resign(0, f.owner);
    expectRejected(f, GrantError::WrongParent, ErrorCode::PermissionDenied);
}

void TestGrant::emptyChainIsRejected()
{
    Fixture f;
    f.chain.links.clear();
    expectRejected(f, GrantError::EmptyChain, ErrorCode::Malformed);
    QVERIFY(!GrantChain::decode(Bytes {0}));
}

void TestGrant::unknownVersionIsRejected()
{
    Fixture f;
    f.chain.links[1].version = 2;
    f.resign(1, f.alice);
    expectRejected(f, GrantError::UnsupportedVersion, ErrorCode::Unsupported);
    QCOMPARE(GrantLink::decode(f.chain.links[1].encode()).error().code(), ErrorCode::Unsupported);
}

void TestGrant::signingWithOtherKeyIsRefused()
{
    Fixture f;
    GrantLink l = f.chain.links[0];
    auto s = l.sign(f.eve);
    QVERIFY(!s);
    QCOMPARE(s.error().code(), ErrorCode::InvalidArgument);
    QVERIFY(l.signature == f.chain.links[0].signature);
}

void TestGrant::linkAndChainEncodingRoundTrip()
{
    Fixture f;
    for (const auto& l : f.chain.links) {
        Bytes e = l.encode();
        QCOMPARE(e.size(), GrantLink::EncodedSize);
        auto d = GrantLink::decode(e);
        QVERIFY(d);
        QVERIFY(*d == l);
        QVERIFY(d->hash() == l.hash());
    }
    Bytes chainBytes = f.chain.encode();
    QCOMPARE(chainBytes.size(), 1 + 3 * GrantLink::EncodedSize);
    auto c = GrantChain::decode(chainBytes);
    QVERIFY(c);
    QVERIFY(c->links == f.chain.links);
    QVERIFY(c->encode() == chainBytes);
}

void TestGrant::decodeRejectsBadInput()
{
    Fixture f;
    Bytes chainBytes = f.chain.encode();
    Bytes truncated(chainBytes.begin(), chainBytes.end() - 1);
    QCOMPARE(GrantChain::decode(truncated).error().code(), ErrorCode::Malformed);
    Bytes trailing = chainBytes;
    trailing.push_back(0);
    QCOMPARE(GrantChain::decode(trailing).error().code(), ErrorCode::Malformed);
    QCOMPARE(GrantChain::decode({}).error().code(), ErrorCode::Malformed);
    QCOMPARE(GrantLink::decode(Bytes(215, 1)).error().code(), ErrorCode::Malformed);
}

void TestGrant::revocationSetIsAppendOnlyAndDeduplicated()
{
    Fixture f;
    RevocationSet set;
    const LinkHash h = f.chain.links[1].hash();
    auto first = set.add(Revocation::create(h, f.alice, 10));
    QVERIFY(first && *first);
    auto again = set.add(Revocation::create(h, f.alice, 20)); // same link and revoker, later time
    QVERIFY(again && !*again);
    QCOMPARE(set.size(), std::size_t(1));
    QCOMPARE(set.all()[0].time, std::uint64_t(10));
    auto other = set.add(Revocation::create(h, f.owner, 30));
    QVERIFY(other && *other);
    QCOMPARE(set.size(), std::size_t(2));
    Revocation forged = Revocation::create(f.chain.links[2].hash(), f.bob, 5);
    forged.revoker = f.alice.publicKey; // claims to be Alice
    auto bad = set.add(forged);
    QVERIFY(!bad);
    QCOMPARE(bad.error().code(), ErrorCode::Crypto);
    QCOMPARE(set.size(), std::size_t(2));
    std::array<SigningPublicKey, 1> alice {f.alice.publicKey};
    QVERIFY(set.revokedBy(h, alice));
    std::array<SigningPublicKey, 1> bob {f.bob.publicKey};
    QVERIFY(!set.revokedBy(h, bob));
}

void TestGrant::revocationEncodingRoundTrips()
{
    Fixture f;
    Revocation r = Revocation::create(f.chain.links[0].hash(), f.owner, 123456);
    Bytes e = r.encode();
    QCOMPARE(e.size(), Revocation::EncodedSize);
    auto d = Revocation::decode(e);
    QVERIFY(d);
    QVERIFY(*d == r);
    QVERIFY(d->hasValidSignature());
    e[40] ^= 1;
    auto m = Revocation::decode(e);
    QVERIFY(m);
    QVERIFY(!m->hasValidSignature());
    QVERIFY(!Revocation::decode(Bytes(136, 0)));
}

void TestGrant::usageChargesEveryAncestor()
{
    Fixture f;
    auto g = f.verify(nullptr);
    QVERIFY(g);
    UsageLedger ledger({1000000, 1000, 1000});
    // Carol's storage quota: 250 bp of 1,000,000 = 25,000 bytes.
    QCOMPARE(ledger.quota(g->shares, Resource::Storage), std::uint64_t(25000));
    QVERIFY(ledger.charge(*g, Resource::Storage, 20000));
    for (const auto& entry : g->path)
        QCOMPARE(ledger.used(entry.link, Resource::Storage), std::uint64_t(20000));
    QCOMPARE(ledger.used(g->leaf(), Resource::Cpu), std::uint64_t(0));
    auto over = ledger.charge(*g, Resource::Storage, 5001);
    QVERIFY(!over);
    QCOMPARE(over.error().code(), ErrorCode::NoSpace);
    QVERIFY(ledger.charge(*g, Resource::Storage, 5000));
    // Bandwidth share 0: nothing at all may be charged.
    QVERIFY(!ledger.charge(*g, Resource::Bandwidth, 1));
}

void TestGrant::usageRefusedAtAnyOverfullAncestor()
{
    Fixture f;
    // Bob also delegates to Dave with the same shares as Carol: the two siblings share
    // Bob's quota (2500 bp of storage = 25,000 bytes of 1,000,000).
    SigningKey dave = keyFromByte(6);
    GrantChain daveChain = f.chain;
    daveChain.links[2] =
        makeLink(f.bob, dave.publicKey, f.node, f.chain.links[1].hash(), 3000, 80000, 0, {10000, 10000, 0});
    auto carol = f.verify(nullptr);
    auto daveGrant = verifyChain(daveChain, f.owner.publicKey, f.node, Fixture::Now, {});
    QVERIFY(carol && daveGrant);
    UsageLedger ledger({1000000, 1000, 1000});
    QCOMPARE(ledger.quota(daveGrant->shares, Resource::Storage), std::uint64_t(250000));
    QCOMPARE(ledger.quota(daveGrant->path[1].effective, Resource::Storage), std::uint64_t(250000));
    QVERIFY(ledger.charge(*carol, Resource::Storage, 20000));
    // Dave's own quota (250,000) would allow it, but Bob's subtree would exceed 250,000.
    auto refused = ledger.charge(*daveGrant, Resource::Storage, 230001);
    QVERIFY(!refused);
    QVERIFY2(QByteArray(refused.error().message()).contains("grant link 1"), refused.error().message());
    // A refused charge changes nothing anywhere on the path.
    QCOMPARE(ledger.used(daveGrant->leaf(), Resource::Storage), std::uint64_t(0));
    QCOMPARE(ledger.used(daveGrant->path[1].link, Resource::Storage), std::uint64_t(20000));
    QVERIFY(ledger.charge(*daveGrant, Resource::Storage, 230000));
    QCOMPARE(ledger.used(f.chain.links[0].hash(), Resource::Storage), std::uint64_t(250000));
}

void TestGrant::usageReleaseOnDelete()
{
    Fixture f;
    auto g = f.verify(nullptr);
    UsageLedger ledger({1000000, 1000, 1000});
    QVERIFY(ledger.charge(*g, Resource::Storage, 25000));
    QVERIFY(!ledger.charge(*g, Resource::Storage, 1));
    QVERIFY(ledger.release(*g, Resource::Storage, 10000));
    QCOMPARE(ledger.used(g->path[0].link, Resource::Storage), std::uint64_t(15000));
    QVERIFY(ledger.charge(*g, Resource::Storage, 10000));
    auto tooMuch = ledger.release(*g, Resource::Storage, 25001);
    QVERIFY(!tooMuch);
    QCOMPARE(tooMuch.error().code(), ErrorCode::InvalidArgument);
    QVERIFY(ledger.release(*g, Resource::Storage, 25000));
    QCOMPARE(ledger.trackedLinks(), std::size_t(0));
}

void TestGrant::applyShareIsExact()
{
    QCOMPARE(applyShare(UINT64_MAX, 10000), UINT64_MAX);
    QCOMPARE(applyShare(UINT64_MAX, 0), std::uint64_t(0));
    QCOMPARE(applyShare(UINT64_MAX, 5000), UINT64_MAX / 2);
    QCOMPARE(applyShare(9999, 1), std::uint64_t(0));
    QCOMPARE(applyShare(10000, 1), std::uint64_t(1));
    QCOMPARE(applyShare(123456789, 3333), std::uint64_t(123456789ull * 3333 / 10000));
}

void TestGrant::propertyRandomValidChainsVerify()
{
    std::mt19937_64 rng(20240601);
    NodeKey node {};
    node.fill(0x11);
    SigningKey owner = keyFromByte(0x22);
    for (int round = 0; round < 24; ++round) {
        const std::size_t length = 1 + static_cast<std::size_t>(round % 8);
        RandomChain c = randomChain(rng, owner, node, length);
        auto decoded = GrantChain::decode(c.chain.encode());
        QVERIFY(decoded);
        GrantError why = GrantError::None;
        auto r = verifyChain(*decoded, owner.publicKey, node, c.now, {}, &why);
        QVERIFY2(r, r ? "" : r.error().message());
        QCOMPARE(r->shares, c.expected);
        QCOMPARE(r->path.size(), length);
        QVERIFY(r->holder == c.chain.links.back().audience);
        // Effective shares never grow down the chain.
        for (std::size_t i = 1; i < r->path.size(); ++i) {
            QVERIFY(r->path[i].effective.storage <= r->path[i - 1].effective.storage);
            QVERIFY(r->path[i].effective.cpu <= r->path[i - 1].effective.cpu);
            QVERIFY(r->path[i].effective.bandwidth <= r->path[i - 1].effective.bandwidth);
        }
    }
}

void TestGrant::propertyAnySingleByteMutationIsRejected()
{
    std::mt19937_64 rng(7);
    NodeKey node {};
    node.fill(0x33);
    SigningKey owner = keyFromByte(0x44);
    for (std::size_t length : {std::size_t(1), std::size_t(3), std::size_t(5)}) {
        RandomChain c = randomChain(rng, owner, node, length);
        const Bytes original = c.chain.encode();
        QVERIFY(verifyChain(c.chain, owner.publicKey, node, c.now, {}));
        // Byte 0 is the link count; every byte after it belongs to some link.
        for (std::size_t pos = 0; pos < original.size(); ++pos) {
            Bytes mutated = original;
            mutated[pos] ^= static_cast<std::uint8_t>(1 + rng() % 255);
            auto decoded = GrantChain::decode(mutated);
            if (!decoded)
                continue;
            auto r = verifyChain(*decoded, owner.publicKey, node, c.now, {});
            QVERIFY2(!r, qPrintable(QString("mutation at byte %1 of a %2-link chain accepted").arg(pos).arg(length)));
        }
    }
}

QTEST_GUILESS_MAIN(TestGrant)
#include "test_grant.moc"
