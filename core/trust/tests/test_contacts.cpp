// Contacts and invites over a real vault: trust levels by source, upgrades by safety
// number, key changes that block sending until the user decides, bad cards that change
// nothing, lookup by name or fingerprint, single-use expiring invites, and own cards that
// decode and verify.
#include "identity/identity.h"
#include "signal/safetynumber.h"
#include "signal/signalcontext.h"
#include "trust/contacts.h"
#include "trust/invites.h"
#include "vault/vault.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <sodium.h>

using namespace hive;
using namespace hive::core;
using hive::wire::CardError;
using hive::wire::ContactCard;
using hive::wire::NodeAddress;

namespace {

constexpr qint64 Now = 1'800'000'000;

Identity::Seed seedOf(std::uint8_t b)
{
    Identity::Seed seed {};
    seed.fill(b);
    return seed;
}

NodeAddress nodeOf(std::uint8_t b, const char* host = "10.0.0.1")
{
    NodeAddress node;
    node.key.fill(b);
    node.host = host;
    node.port = 7420;
    return node;
}

// A signed card for `who`, as its owner's Invites would issue it.
ContactCard cardOf(const Identity& who, std::optional<NodeAddress> node, qint64 expires = Now + 3600)
{
    ContactCard card;
    card.identityKey = who.publicKey();
    card.displayName = who.displayName().toStdString();
    card.node = std::move(node);
    card.inviteSecret = Bytes(16, 0x11);
    card.expires = static_cast<std::uint64_t>(expires);
    const Bytes sig = *who.sign(card.signedBytes());
    std::copy(sig.begin(), sig.end(), card.signature.begin());
    return card;
}

// A friend request from `who` answering `card` (a card issued by the recipient).
hive::wire::FriendRequest requestFrom(const Identity& who, const ContactCard& card, bool scanned)
{
    hive::wire::FriendRequest q;
    q.recipient = card.identityKey;
    q.inviteSecret = card.inviteSecret;
    q.sender = who.publicKey();
    q.displayName = who.displayName().toStdString();
    q.sentAt = static_cast<std::uint64_t>(Now);
    q.scannedInPerson = scanned;
    const Bytes sig = *who.sign(q.signedBytes());
    std::copy(sig.begin(), sig.end(), q.signature.begin());
    return q;
}

} // namespace

class TestContacts : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    std::unique_ptr<Identity> m_me = Identity::fromSeed(seedOf(1), QStringLiteral("Me"));
    std::unique_ptr<Identity> m_alice = Identity::fromSeed(seedOf(2), QStringLiteral("Alice"));
    std::unique_ptr<Identity> m_bob = Identity::fromSeed(seedOf(3), QStringLiteral("Bob"));
    std::unique_ptr<Identity> m_aliceNew = Identity::fromSeed(seedOf(4), QStringLiteral("Alice"));

    std::unique_ptr<Vault> newVault()
    {
        auto v = Vault::create(m_dir.filePath(QStringLiteral("v%1.db").arg(++m_counter)), VaultKey::random());
        if (!v)
            qFatal("vault: %s", v.error().message());
        return std::move(*v);
    }

private slots:
    void initTestCase() { QVERIFY(sodium_init() >= 0); }

    void scannedCardIsVerifiedInPersonAndLinkIsUnverified()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        QSignalSpy spy(contacts.get(), &Contacts::changed);

        auto alice = contacts->addCard(cardOf(*m_alice, nodeOf(0xa1)), CardSource::ScannedQr, Now);
        QVERIFY(alice.ok());
        QCOMPARE(alice->kind, AddResult::Kind::Added);
        QCOMPARE(alice->contact.trust, TrustLevel::VerifiedInPerson);
        QCOMPARE(alice->contact.state, ContactState::Active);
        QCOMPARE(alice->contact.displayName, QStringLiteral("Alice"));
        QVERIFY(alice->contact.node == nodeOf(0xa1));
        QCOMPARE(alice->contact.fingerprint(), m_alice->fingerprint());
        QCOMPARE(alice->contact.addedAt, Now);

        auto bob = contacts->addUri(QString::fromStdString(cardOf(*m_bob, std::nullopt).toUri()), CardSource::PastedLink, Now);
        QVERIFY(bob.ok());
        QCOMPARE(bob->contact.trust, TrustLevel::Unverified);
        QVERIFY(!bob->contact.node);
        QCOMPARE(spy.count(), 2);

        auto all = *contacts->list();
        QCOMPARE(all.size(), std::size_t {2});
        QCOMPARE(all[0].displayName, QStringLiteral("Alice"));
        QCOMPARE(all[1].displayName, QStringLiteral("Bob"));
        QVERIFY(contacts->canSend(m_alice->publicKey()).ok());
        QVERIFY(contacts->canSend(m_bob->publicKey()).ok());
        QCOMPARE(contacts->canSend(m_aliceNew->publicKey()).error().code(), ErrorCode::PermissionDenied);
    }

    void readdingRaisesTrustButNeverLowersIt()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        QVERIFY(contacts->addCard(cardOf(*m_alice, nodeOf(0xa1)), CardSource::PastedLink, Now).ok());
        auto again = contacts->addCard(cardOf(*m_alice, nodeOf(0xa2, "alice.example.org")), CardSource::ScannedQr, Now + 5);
        QCOMPARE(again->kind, AddResult::Kind::Updated);
        QCOMPARE(again->contact.trust, TrustLevel::VerifiedInPerson);
        QCOMPARE(again->contact.verifiedAt, Now + 5);
        QVERIFY(again->contact.node == nodeOf(0xa2, "alice.example.org")); // a signed card may move the node
        auto link = contacts->addCard(cardOf(*m_alice, nodeOf(0xa2, "alice.example.org")), CardSource::PastedLink, Now + 9);
        QCOMPARE(link->contact.trust, TrustLevel::VerifiedInPerson);
        QCOMPARE(*contacts->count(), 1);
    }

    void ownCardIsRefused()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        auto mine = contacts->addCard(cardOf(*m_me, std::nullopt), CardSource::ScannedQr, Now);
        QVERIFY(!mine.ok());
        QCOMPARE(mine.error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(*contacts->count(), 0);
    }

    void badCardsChangeNothing()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        QVERIFY(contacts->addCard(cardOf(*m_alice, nodeOf(0xa1)), CardSource::PastedLink, Now).ok());
        QSignalSpy spy(contacts.get(), &Contacts::changed);

        ContactCard forged = cardOf(*m_bob, nodeOf(0xb1));
        forged.displayName = "Bobby";
        const std::string good = cardOf(*m_bob, nodeOf(0xb1)).toUri();
        const std::vector<std::pair<std::string, CardError>> cases = {
            {"https://example.org", CardError::NotHiveCode},
            {good.substr(0, good.size() - 7), CardError::Truncated},
            {"hive:" + std::string(40, '1'), CardError::BadBase32},
            {forged.toUri(), CardError::BadSignature},
            {cardOf(*m_bob, nodeOf(0xb1), Now - 1).toUri(), CardError::Expired},
        };
        for (const auto& [uri, expected] : cases) {
            CardError why = CardError::None;
            auto result = contacts->addUri(QString::fromStdString(uri), CardSource::PastedLink, Now, &why);
            QVERIFY(!result.ok());
            QCOMPARE(why, expected);
        }
        QCOMPARE(spy.count(), 0);
        QCOMPARE(*contacts->count(), 1);
        QCOMPARE(contacts->lookup(QStringLiteral("Alice"))->trust, TrustLevel::Unverified);
    }

    void changedKeyBlocksSendingUntilAccepted()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        auto added = *contacts->addCard(cardOf(*m_alice, nodeOf(0xa1)), CardSource::ScannedQr, Now);

        // "Alice" on the same node but with a new key, from a pasted link.
        auto changed = contacts->addCard(cardOf(*m_aliceNew, nodeOf(0xa1)), CardSource::PastedLink, Now + 10);
        QVERIFY(changed.ok());
        QCOMPARE(changed->kind, AddResult::Kind::KeyChanged);
        QCOMPARE(changed->contact.id, added.contact.id);
        QCOMPARE(changed->contact.state, ContactState::KeyChanged);
        QVERIFY(changed->contact.identityKey == m_alice->publicKey()); // still the old key
        QVERIFY(changed->contact.pendingKey == m_aliceNew->publicKey());
        QCOMPARE(changed->contact.trust, TrustLevel::VerifiedInPerson);
        QCOMPARE(*contacts->count(), 1);

        // Nothing goes to either key while the user has not decided.
        auto blocked = contacts->canSend(m_alice->publicKey());
        QCOMPARE(blocked.error().code(), ErrorCode::PermissionDenied);
        QVERIFY(blocked.error().messageView().find("changed") != std::string_view::npos);
        QVERIFY(!contacts->canSend(m_aliceNew->publicKey()).ok());
        QVERIFY(!contacts->confirmSafetyNumber(added.contact.id, Now).ok());

        QVERIFY(contacts->acceptKeyChange(added.contact.id, Now + 20).ok());
        auto after = *contacts->find(added.contact.id);
        QVERIFY(after.identityKey == m_aliceNew->publicKey());
        QCOMPARE(after.state, ContactState::Active);
        // Accepting never carries the old verification over: a link earns "unverified".
        QCOMPARE(after.trust, TrustLevel::Unverified);
        QVERIFY(!after.pendingKey);
        QVERIFY(contacts->canSend(m_aliceNew->publicKey()).ok());
        QVERIFY(!contacts->canSend(m_alice->publicKey()).ok());
        QVERIFY(!contacts->acceptKeyChange(added.contact.id, Now).ok()); // nothing pending any more
    }

    void sameNameWithoutNodeIsAKeyChangeAndDeclineKeepsTheOldKey()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        auto added = *contacts->addCard(cardOf(*m_alice, std::nullopt), CardSource::ScannedQr, Now);
        auto changed = *contacts->addCard(cardOf(*m_aliceNew, nodeOf(0xa9)), CardSource::ScannedQr, Now);
        QCOMPARE(changed.kind, AddResult::Kind::KeyChanged);
        QVERIFY(contacts->declineKeyChange(added.contact.id).ok());
        auto after = *contacts->find(added.contact.id);
        QVERIFY(after.identityKey == m_alice->publicKey());
        QCOMPARE(after.state, ContactState::Active);
        QCOMPARE(after.trust, TrustLevel::VerifiedInPerson);
        QVERIFY(contacts->canSend(m_alice->publicKey()).ok());
    }

    void sameNameOnAnotherNodeIsAnotherPerson()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        QVERIFY(contacts->addCard(cardOf(*m_alice, nodeOf(0xa1)), CardSource::ScannedQr, Now).ok());
        auto other = *contacts->addCard(cardOf(*m_aliceNew, nodeOf(0xa2)), CardSource::ScannedQr, Now);
        QCOMPARE(other.kind, AddResult::Kind::Added);
        QCOMPARE(*contacts->count(), 2);
        // Two "Alice"s: the name is ambiguous, a fingerprint prefix is not.
        QCOMPARE(contacts->lookup(QStringLiteral("alice")).error().code(), ErrorCode::InvalidArgument);
        const QString prefix = m_aliceNew->fingerprint().left(9); // "abcd efgh"
        auto byPrint = contacts->lookup(prefix.toUpper());
        QVERIFY(byPrint.ok());
        QVERIFY(byPrint->identityKey == m_aliceNew->publicKey());
        QCOMPARE(contacts->lookup(QStringLiteral("nobody")).error().code(), ErrorCode::NotFound);
    }

    void reportedKeyChangeFromElsewhereBlocksToo()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        auto bob = *contacts->addCard(cardOf(*m_bob, nodeOf(0xb1)), CardSource::ScannedQr, Now);
        QVERIFY(contacts->reportKeyChange(bob.contact.id, m_aliceNew->publicKey(), QStringLiteral("Bob"), nodeOf(0xb1),
                                          TrustLevel::VerifiedInPerson)
                    .ok());
        QVERIFY(!contacts->canSend(m_bob->publicKey()).ok());
        QVERIFY(contacts->acceptKeyChange(bob.contact.id, Now).ok());
        // A key scanned in person and then explicitly accepted keeps the in-person level.
        QCOMPARE(contacts->find(bob.contact.id)->trust, TrustLevel::VerifiedInPerson);
        QVERIFY(!contacts->reportKeyChange(bob.contact.id, m_aliceNew->publicKey(), QString(), std::nullopt,
                                           TrustLevel::Unverified)
                     .ok());
    }

    void safetyNumberUpgradesTrust()
    {
        auto context = SignalContext::create().release();
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        auto bob = *contacts->addCard(cardOf(*m_bob, nodeOf(0xb1)), CardSource::PastedLink, Now);

        auto mine = contacts->safetyNumber(*context, bob.contact.id);
        QVERIFY(mine.ok());
        auto bobs = SafetyNumber::compute(*context, m_bob->publicKey(), m_me->publicKey());
        QCOMPARE(mine->digits(), bobs->digits());

        // Scanning a wrong screen changes nothing.
        auto wrong = SafetyNumber::compute(*context, m_alice->publicKey(), m_me->publicKey());
        auto refused = contacts->verifyScannedSafetyNumber(*context, bob.contact.id, wrong->scannable(), Now + 1);
        QCOMPARE(refused.error().code(), ErrorCode::Crypto);
        QCOMPARE(contacts->find(bob.contact.id)->trust, TrustLevel::Unverified);

        QVERIFY(contacts->verifyScannedSafetyNumber(*context, bob.contact.id, bobs->scannable(), Now + 2).ok());
        auto after = *contacts->find(bob.contact.id);
        QCOMPARE(after.trust, TrustLevel::VerifiedBySafetyNumber);
        QCOMPARE(after.verifiedAt, Now + 2);

        // Confirming digits never lowers an in-person contact.
        auto alice = *contacts->addCard(cardOf(*m_alice, nodeOf(0xa1)), CardSource::ScannedQr, Now);
        QVERIFY(contacts->confirmSafetyNumber(alice.contact.id, Now + 3).ok());
        QCOMPARE(contacts->find(alice.contact.id)->trust, TrustLevel::VerifiedInPerson);
    }

    void schemaOneMigratesToGrantTablesKeepingContacts()
    {
        auto vault = newVault();
        QVERIFY(vault->migrateComponent("trust", Contacts::schema().first(1)).ok());
        auto insert = vault->prepare("INSERT INTO trust_contacts (identity_key, display_name, trust_level, state, added_at)"
                                     " VALUES (?1, 'Old', 2, 0, 1)");
        QVERIFY(insert.ok());
        QVERIFY(insert->bindBlob(1, m_alice->publicKey()).ok());
        QVERIFY(insert->run().ok());
        QVERIFY(!vault->prepare("SELECT 1 FROM trust_grants").ok());
        auto contacts = Contacts::create(*vault, *m_me).release();
        QCOMPARE(*vault->componentVersion("trust"), 2);
        QCOMPARE(contacts->lookup(QStringLiteral("Old"))->trust, TrustLevel::VerifiedInPerson);
        QVERIFY(vault->prepare("SELECT id FROM trust_grants").ok());
        QVERIFY(vault->prepare("SELECT content_id FROM trust_seen_notes").ok());
    }

    void contactsSurviveReopening()
    {
        const QString path = m_dir.filePath(QStringLiteral("reopen.db"));
        const VaultKey key = VaultKey::random();
        {
            auto vault = Vault::create(path, key).release();
            auto contacts = Contacts::create(*vault, *m_me).release();
            QVERIFY(contacts->addCard(cardOf(*m_alice, nodeOf(0xa1)), CardSource::ScannedQr, Now).ok());
        }
        auto vault = Vault::open(path, key).release();
        QCOMPARE(*vault->componentVersion("trust"), 2);
        auto contacts = Contacts::create(*vault, *m_me).release();
        auto alice = contacts->lookup(QStringLiteral("ALICE"));
        QVERIFY(alice.ok());
        QCOMPARE(alice->trust, TrustLevel::VerifiedInPerson);
        QVERIFY(contacts->remove(alice->id).ok());
        QCOMPARE(*contacts->count(), 0);
    }

    void friendRequestsArePendingUntilAcceptedAndSpendTheInvite()
    {
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        auto invites = Invites::create(*vault).release();
        const ContactCard mine = *invites->issueCard(*m_me, std::nullopt, Now);

        auto received = contacts->receiveRequest(requestFrom(*m_alice, mine, false), *invites, Now + 1);
        QVERIFY2(received.ok(), received.ok() ? "" : received.error().message());
        QCOMPARE(received->kind, RequestResult::Kind::Pending);
        QCOMPARE(received->contact.state, ContactState::PendingRequest);
        QCOMPARE(received->contact.trust, TrustLevel::Unverified);
        QCOMPARE(contacts->canSend(m_alice->publicKey()).error().code(), ErrorCode::PermissionDenied);

        // The same invite again (a replayed request, or another sender): refused, nothing stored.
        auto replay = contacts->receiveRequest(requestFrom(*m_bob, mine, false), *invites, Now + 2);
        QCOMPARE(replay.error().code(), ErrorCode::AlreadyExists);
        QCOMPARE(*contacts->count(), 1);

        QVERIFY(contacts->acceptRequest(received->contact.id).ok());
        QVERIFY(contacts->canSend(m_alice->publicKey()).ok());
        QVERIFY(!contacts->acceptRequest(received->contact.id).ok());

        // Declining forgets the sender.
        const ContactCard second = *invites->issueCard(*m_me, std::nullopt, Now);
        auto bob = *contacts->receiveRequest(requestFrom(*m_bob, second, false), *invites, Now + 3);
        QVERIFY(contacts->declineRequest(bob.contact.id).ok());
        QCOMPARE(contacts->findByKey(m_bob->publicKey()).error().code(), ErrorCode::NotFound);

        // Requests for someone else, or with an invite never issued here, change nothing.
        ContactCard foreign = second;
        foreign.identityKey = m_alice->publicKey();
        QCOMPARE(contacts->receiveRequest(requestFrom(*m_bob, foreign, false), *invites, Now).error().code(),
                 ErrorCode::InvalidArgument);
        ContactCard forgedInvite = *invites->issueCard(*m_me, std::nullopt, Now);
        forgedInvite.inviteSecret = Bytes(16, 0x99);
        QCOMPARE(contacts->receiveRequest(requestFrom(*m_bob, forgedInvite, false), *invites, Now).error().code(),
                 ErrorCode::NotFound);
        hive::wire::FriendRequest tampered = requestFrom(*m_bob, *invites->issueCard(*m_me, std::nullopt, Now), false);
        tampered.displayName = "Mallory";
        QCOMPARE(contacts->receiveRequest(tampered, *invites, Now).error().code(), ErrorCode::Crypto);
        QCOMPARE(*contacts->count(), 1);
    }

    void mutualScansNeedNoAccept()
    {
        // Alice and I scanned each other's codes: my side pinned her in person, and her
        // request then finds a contact that is already there.
        auto vault = newVault();
        auto contacts = Contacts::create(*vault, *m_me).release();
        auto invites = Invites::create(*vault).release();
        const ContactCard mine = *invites->issueCard(*m_me, std::nullopt, Now);
        QVERIFY(contacts->addCard(cardOf(*m_alice, std::nullopt), CardSource::ScannedQr, Now).ok());
        auto received = *contacts->receiveRequest(requestFrom(*m_alice, mine, true), *invites, Now + 1);
        QCOMPARE(received.kind, RequestResult::Kind::AlreadyContact);
        QCOMPARE(received.contact.state, ContactState::Active);
        QCOMPARE(received.contact.trust, TrustLevel::VerifiedInPerson);
        QVERIFY(contacts->canSend(m_alice->publicKey()).ok());

        // A request with a new key claiming Alice blocks her instead.
        const ContactCard another = *invites->issueCard(*m_me, std::nullopt, Now);
        auto changed = *contacts->receiveRequest(requestFrom(*m_aliceNew, another, false), *invites, Now + 2);
        QCOMPARE(changed.kind, RequestResult::Kind::KeyChanged);
        QVERIFY(!contacts->canSend(m_alice->publicKey()).ok());
    }

    void invitesAreSingleUseAndExpire()
    {
        auto vault = newVault();
        auto invites = Invites::create(*vault).release();
        auto invite = invites->issue(Now, 600);
        QVERIFY(invite.ok());
        QCOMPARE(invite->secret.size(), Invites::SecretSize);
        QCOMPARE(invite->expires, Now + 600);
        QCOMPARE(*invites->outstanding(Now), 1);

        InviteError why = InviteError::None;
        auto first = invites->redeem(invite->secret, Now + 1, &why);
        QVERIFY(first.ok());
        QCOMPARE(*first, invite->id);
        QCOMPARE(why, InviteError::None);
        QCOMPARE(*invites->outstanding(Now), 0);

        auto replay = invites->redeem(invite->secret, Now + 2, &why);
        QCOMPARE(replay.error().code(), ErrorCode::AlreadyExists);
        QCOMPARE(why, InviteError::AlreadyUsed);
        QVERIFY(replay.error().messageView().find("already used") != std::string_view::npos);

        auto unknown = invites->redeem(Bytes(16, 0x77), Now, &why);
        QCOMPARE(unknown.error().code(), ErrorCode::NotFound);
        QCOMPARE(why, InviteError::Unknown);

        auto late = *invites->issue(Now, 60);
        auto expired = invites->redeem(late.secret, Now + 60, &why);
        QCOMPARE(expired.error().code(), ErrorCode::PermissionDenied);
        QCOMPARE(why, InviteError::Expired);
        // An expired refusal does not spend the invite (it is still just expired).
        QCOMPARE(invites->redeem(late.secret, Now + 61, &why).error().code(), ErrorCode::PermissionDenied);

        QVERIFY(!invites->issue(Now, 0).ok());
        QVERIFY(!invites->issue(Now, Invites::MaxLifetime + 1).ok());

        // Only hashes are stored: the secret's bytes appear nowhere in the table.
        auto s = vault->prepare("SELECT secret_hash FROM trust_invites").release();
        while (*s.step())
            QVERIFY(s.columnBytes(0) != invite->secret);

        QVERIFY(invites->prune(Now + 1000).ok());
        QCOMPARE(invites->redeem(invite->secret, Now + 3, &why).error().code(), ErrorCode::NotFound);
    }

    void ownCardCarriesAFreshInviteAndVerifies()
    {
        auto vault = newVault();
        auto invites = Invites::create(*vault).release();
        auto card = invites->issueCard(*m_me, nodeOf(0xee), Now);
        QVERIFY(card.ok());
        auto decoded = ContactCard::fromUri(card->toUri(ContactCard::UriCase::Upper), static_cast<std::uint64_t>(Now));
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message());
        QVERIFY(decoded->identityKey == m_me->publicKey());
        QCOMPARE(QString::fromStdString(decoded->displayName), QStringLiteral("Me"));
        QCOMPARE(decoded->expires, static_cast<std::uint64_t>(Now + Invites::DefaultLifetime));
        auto second = *invites->issueCard(*m_me, std::nullopt, Now);
        QVERIFY(second.inviteSecret != card->inviteSecret);
        QCOMPARE(*invites->outstanding(Now), 2);
        // The card's secret is a working invite, once.
        QVERIFY(invites->redeem(card->inviteSecret, Now + 1).ok());
        QVERIFY(!invites->redeem(card->inviteSecret, Now + 2).ok());
    }
};

QTEST_GUILESS_MAIN(TestContacts)
#include "test_contacts.moc"
