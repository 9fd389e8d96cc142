// Messenger between several people in one process, with the node replaced by in-memory
// mailboxes (messagingtestsupport.h): X3DH from published bundles, 1:1 delivery while the
// recipient is offline, receipts, typing, unread counts, full-text search, disappearing
// messages gone from the vault file (rows and index), groups with sender keys and removal,
// key fetches that finish later, one vault commit per send and per receive, bodies held
// during a key change, and every kind of bad input dropped without hurting the session.
// Attachments: test_attachmenttransfer.
#include "messagingtestsupport.h"

#include "messaging/messagingschema.h"

#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <openssl/evp.h>
#include <sodium.h>

#include <set>

using namespace hive;
using namespace hive::core;
using namespace hive::messaging;
using namespace hive::messaging::testing;

namespace {

constexpr qint64 NowSeconds = 1'800'000'000;


qint64 contactId(Person& of, Person& who)
{
    auto c = of.contacts->findByKey(who.publicKey());
    return c.ok() ? c->id : -1;
}


// How many bodies wait in `p`'s vault for a key-change decision (-1 on a vault error).
int heldCount(Person& p)
{
    auto count = p.vault->prepare("SELECT count(*) FROM msg_held");
    if (!count.ok() || !count->step().valueOr(false))
        return -1;
    return int(count->columnInt64(0));
}

int countOutcome(const std::vector<ReceiveResult>& results, ReceiveResult::Outcome outcome)
{
    return static_cast<int>(std::count_if(results.begin(), results.end(), [&](const auto& r) { return r.outcome == outcome; }));
}

// Decrypts every page of a SQLCipher 3 vault file with its raw key (AES-256-CBC, 48
// reserved bytes per page holding the IV and HMAC; page 1 starts after the 16-byte salt),
// so a test can look for plaintext anywhere in the file, including free space.
QByteArray decryptVaultFile(const QString& path, const VaultKey& key)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray raw = file.readAll();
    constexpr int PageSize = 4096, Reserve = 48;
    QByteArray out;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    for (qsizetype at = 0; at + PageSize <= raw.size(); at += PageSize) {
        const int offset = at == 0 ? 16 : 0;
        const auto* page = reinterpret_cast<const unsigned char*>(raw.constData() + at);
        const unsigned char* iv = page + PageSize - Reserve;
        const int length = PageSize - Reserve - offset;
        QByteArray plain(length, '\0');
        int n = 0;
        EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key.bytes().data(), iv);
        EVP_CIPHER_CTX_set_padding(ctx, 0);
        EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(plain.data()), &n, page + offset, length);
        out.append(plain);
    }
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

} // namespace

class TestMessenger : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SignalContext> m_signal;
    std::unique_ptr<FakeNodes> m_nodes;
    std::vector<std::unique_ptr<Person>> m_people;
    int m_counter = 0;

    Person& person(const char* name)
    {
        m_people.push_back(std::make_unique<Person>(m_dir.path(), QString::fromLatin1(name) + QString::number(++m_counter),
                                                    *m_nodes, *m_signal));
        Person& p = *m_people.back();
        const Status published = p.messenger->publishKeys();
        if (!published.ok())
            qWarning() << published.error().message();
        return p;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        QVERIFY(m_dir.isValid());
        m_signal = std::move(SignalContext::create().value());
    }

    void init() { m_nodes = std::make_unique<FakeNodes>(); }
    void cleanup() { m_people.clear(); }

    void publishesSignedBundleAndReplenishesPrekeys()
    {
        Person& alice = person("Alice");
        auto& dir = m_nodes->directories[alice.publicKey()];
        QCOMPARE(int(dir.prekeys.size()), Messenger::PrekeyBatch);
        auto bundle = PrekeyBundle::decode(dir.bundle);
        QVERIFY(bundle.ok());
        QVERIFY(bundle->identity == alice.publicKey());
        QVERIFY(Identity::verify(bundle->signedBytes(), bundle->signature, alice.publicKey()).ok());
        QCOMPARE(alice.messenger->signalStore().prekeyCount().valueOr(0), Messenger::PrekeyBatch);

        // Enough left: nothing new. Below the low-water mark: a new batch.
        QVERIFY(alice.messenger->publishKeys().ok());
        QCOMPARE(int(dir.prekeys.size()), Messenger::PrekeyBatch);
        dir.prekeys.resize(Messenger::PrekeyLowWater - 1);
        QVERIFY(alice.messenger->publishKeys().ok());
        QCOMPARE(int(dir.prekeys.size()), Messenger::PrekeyLowWater - 1 + Messenger::PrekeyBatch);
        // Fresh ids: no two published prekeys share one.
        std::set<std::uint32_t> ids;
        for (const Bytes& k : dir.prekeys)
            ids.insert(OneTimePrekey::decode(k)->id);
        QCOMPARE(int(ids.size()), int(dir.prekeys.size()));
    }

    void offlineRecipientGetsMessagesInOrderAndReceiptsFlowBack()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).valueOr(0);
        QVERIFY(chat > 0);
        // Bob is offline: both wait in his mailbox.
        auto first = alice.messenger->sendText(chat, QStringLiteral("hello bob"));
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message());
        alice.clock += 1000;
        auto second = alice.messenger->sendText(chat, QStringLiteral("are you there?"));
        QVERIFY(second.ok());
        QCOMPARE(alice.messenger->message(*first)->state, ChatMessage::State::Sent);
        QCOMPARE(int(m_nodes->inboxes[bob.publicKey()].size()), 2);
        QCOMPARE(m_nodes->directories[bob.publicKey()].prekeys.size(), std::size_t(Messenger::PrekeyBatch - 1));

        QSignalSpy added(bob.messenger.get(), &Messenger::messageAdded);
        QSignalSpy notified(bob.messenger.get(), &Messenger::notification);
        const auto results = deliver(*m_nodes, bob);
        QCOMPARE(countOutcome(results, ReceiveResult::Outcome::Stored), 2);
        QCOMPARE(added.count(), 2);
        QCOMPARE(notified.count(), 2);

        const auto chats = bob.messenger->chats().value();
        QCOMPARE(int(chats.size()), 1);
        QCOMPARE(chats[0].title, alice.identity->displayName());
        QCOMPARE(chats[0].unread, 2);
        QCOMPARE(chats[0].lastText, QStringLiteral("are you there?"));
        const auto msgs = bob.messenger->messages(chats[0].id).value();
        QCOMPARE(int(msgs.size()), 2);
        QCOMPARE(msgs[0].text, QStringLiteral("hello bob"));
        QCOMPARE(msgs[1].text, QStringLiteral("are you there?"));
        QVERIFY(!msgs[0].outgoing);
        QCOMPARE(msgs[0].senderName, alice.identity->displayName());

        // Delivery receipts reach Alice.
        deliver(*m_nodes, alice);
        QCOMPARE(alice.messenger->message(*first)->state, ChatMessage::State::Delivered);
        QCOMPARE(alice.messenger->message(*second)->state, ChatMessage::State::Delivered);

        // Bob reads: unread drops to zero and Alice sees Read.
        QVERIFY(bob.messenger->markRead(chats[0].id).ok());
        QCOMPARE(bob.messenger->chats().value()[0].unread, 0);
        deliver(*m_nodes, alice);
        QCOMPARE(alice.messenger->message(*first)->state, ChatMessage::State::Read);

        // Bob answers over the session Alice started (no prekey taken from Alice's node).
        bob.clock += 5000;
        const std::size_t alicePrekeys = m_nodes->directories[alice.publicKey()].prekeys.size();
        QVERIFY(bob.messenger->sendText(chats[0].id, QStringLiteral("yes")).ok());
        QCOMPARE(m_nodes->directories[alice.publicKey()].prekeys.size(), alicePrekeys);
        const auto answer = deliver(*m_nodes, alice);
        QCOMPARE(countOutcome(answer, ReceiveResult::Outcome::Stored), 1);
        const auto aliceMsgs = alice.messenger->messages(chat).value();
        QCOMPARE(aliceMsgs.back().text, QStringLiteral("yes"));
    }

    void readReceiptsCanBeSwitchedOff()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        bob.messenger->setReadReceipts(false);
        QVERIFY(!bob.messenger->readReceipts());
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        const qint64 id = alice.messenger->sendText(chat, QStringLiteral("hi")).value();
        deliver(*m_nodes, bob);
        QVERIFY(bob.messenger->markRead(bob.messenger->chats().value()[0].id).ok());
        deliver(*m_nodes, alice);
        QCOMPARE(alice.messenger->message(id)->state, ChatMessage::State::Delivered);
    }

    void typingIndicatorsAndTheirSwitch()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("start")).ok());
        deliver(*m_nodes, bob);
        QSignalSpy typing(bob.messenger.get(), &Messenger::typingChanged);
        alice.messenger->setTyping(chat, true);
        deliver(*m_nodes, bob);
        QCOMPARE(typing.count(), 1);
        QCOMPARE(typing.at(0).at(1).toBool(), true);
        QVERIFY(bob.messenger->chats().value()[0].typing);

        // Switched off on Alice's side: nothing is sent at all.
        alice.messenger->setTypingIndicators(false);
        const std::size_t before = m_nodes->sent.size();
        alice.messenger->setTyping(chat, false);
        QCOMPARE(m_nodes->sent.size(), before);
    }

    void replayedAndTamperedCiphertextIsDroppedAndTheSessionSurvives()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("one")).ok());
        const Bytes firstBody = m_nodes->inboxes[bob.publicKey()].front();
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);

        // The same ciphertext again: libsignal refuses it.
        QSignalSpy dropped(bob.messenger.get(), &Messenger::dropped);
        auto replay = bob.messenger->receive(firstBody, bob.clock);
        QVERIFY(replay.ok());
        QCOMPARE(replay->outcome, ReceiveResult::Outcome::Dropped);
        QCOMPARE(dropped.count(), 1);

        // A flipped byte in the next message: dropped as tampered.
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("two")).ok());
        const Bytes second = m_nodes->inboxes[bob.publicKey()].front();
        m_nodes->inboxes[bob.publicKey()].clear();
        auto body = SignalBody::decode(second).value();
        body.ciphertext[body.ciphertext.size() / 2] ^= 0x40;
        auto tampered = bob.messenger->receive(body.encode(), bob.clock);
        QVERIFY(tampered.ok());
        QCOMPARE(tampered->outcome, ReceiveResult::Outcome::Dropped);
        QVERIFY2(tampered->reason.contains(QLatin1String("tampered")), qPrintable(tampered->reason));

        // The genuine message still decrypts: the session was not touched.
        auto genuine = bob.messenger->receive(second, bob.clock);
        QVERIFY(genuine.ok());
        QCOMPARE(genuine->outcome, ReceiveResult::Outcome::Stored);
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("three")).ok());
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(int(bob.messenger->messages(genuine->chatId).value().size()), 3);
    }

    void strangersSpoofersAndGarbageAreDropped()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        Person& mallory = person("Mallory");
        befriend(alice, bob);
        // Mallory knows Bob, Bob does not know Mallory.
        QVERIFY(mallory.contacts->addCard(cardOf(*bob.identity), CardSource::ScannedQr, NowSeconds).ok());
        const qint64 mChat = mallory.messenger->chatWithContact(contactId(mallory, bob)).value();
        QVERIFY(mallory.messenger->sendText(mChat, QStringLiteral("buy now")).ok());
        const Bytes fromMallory = m_nodes->inboxes[bob.publicKey()].front();
        auto results = deliver(*m_nodes, bob);
        QCOMPARE(int(results.size()), 1);
        QCOMPARE(results[0].outcome, ReceiveResult::Outcome::Dropped);
        QVERIFY2(results[0].reason.contains(QLatin1String("not a contact")), qPrintable(results[0].reason));

        // Mallory claims to be Alice: the session's identity key is not Alice's.
        auto spoof = SignalBody::decode(fromMallory).value();
        spoof.sender = alice.publicKey();
        auto spoofed = bob.messenger->receive(spoof.encode(), bob.clock);
        QVERIFY(spoofed.ok());
        QCOMPARE(spoofed->outcome, ReceiveResult::Outcome::Dropped);
        QVERIFY2(spoofed->reason.contains(QLatin1String("identity")), qPrintable(spoofed->reason));

        // Garbage and a truncated body.
        auto garbage = bob.messenger->receive(Bytes(40, 0xAB), bob.clock);
        QVERIFY(garbage.ok());
        QCOMPARE(garbage->outcome, ReceiveResult::Outcome::Dropped);
        auto truncated = bob.messenger->receive(ByteView(fromMallory.data(), fromMallory.size() - 5), bob.clock);
        QVERIFY(truncated.ok());
        QCOMPARE(truncated->outcome, ReceiveResult::Outcome::Dropped);
        QCOMPARE(int(bob.messenger->chats().value().size()), 0);

        // Alice and Bob are unaffected.
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("real")).ok());
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);
    }

    void keyChangeBlocksSending()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 id = contactId(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(id).value();
        Identity::PublicKey other {};
        other.fill(7);
        QVERIFY(alice.contacts->reportKeyChange(id, other, QStringLiteral("Bob"), std::nullopt, TrustLevel::Unverified).ok());
        auto sent = alice.messenger->sendText(chat, QStringLiteral("blocked"));
        QVERIFY(!sent.ok());
        QCOMPARE(sent.error().code(), ErrorCode::PermissionDenied);
        QVERIFY(alice.messenger->chats().value()[0].keyChangeBlocked);
        QVERIFY(m_nodes->inboxes[bob.publicKey()].empty());
    }

    void redeliveredAndResentMessagesAreStoredOnce()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        // The node cannot be reached: the message is kept and sent again later.
        m_nodes->failSends = 1;
        auto failed = alice.messenger->sendText(chat, QStringLiteral("later"));
        QVERIFY(!failed.ok());
        const qint64 id = alice.messenger->messages(chat).value().back().id;
        QCOMPARE(alice.messenger->message(id)->state, ChatMessage::State::Failed);
        QCOMPARE(alice.messenger->resendPending().valueOr(-1), 1);
        QCOMPARE(alice.messenger->message(id)->state, ChatMessage::State::Sent);
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);

        // A crash after sending but before recording it: the same uid goes out again.
        QVERIFY(alice.vault->exec("UPDATE msg_messages SET state = 0").ok());
        QCOMPARE(alice.messenger->resendPending().valueOr(-1), 1);
        const auto again = deliver(*m_nodes, bob);
        QCOMPARE(countOutcome(again, ReceiveResult::Outcome::Duplicate), 1);
        QCOMPARE(int(bob.messenger->messages(again[0].chatId).value().size()), 1);
    }

    void searchFindsTextAcrossChats()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("the Quarterly report")).ok());
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("lunch?")).ok());
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("100% sure")).ok());
        deliver(*m_nodes, bob);
        auto found = bob.messenger->search(QStringLiteral("quarterly"));
        QVERIFY(found.ok());
        QCOMPARE(int(found->size()), 1);
        QCOMPARE(found->front().text, QStringLiteral("the Quarterly report"));
        QCOMPARE(found->front().chatId, bob.messenger->chats().value()[0].id);
        QCOMPARE(int(bob.messenger->search(QStringLiteral("100%")).value().size()), 1);
        QCOMPARE(int(bob.messenger->search(QStringLiteral("nothing")).value().size()), 0);
    }

    void fullTextSearchPrefixesWordsUnicodeAndHostileInput()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        const QStringList texts {QStringLiteral("Hello there, Mädchen"), QStringLiteral("Café au lait tomorrow?"),
                                 QStringLiteral("help me carry the boxes"), QStringLiteral("hello again")};
        for (const QString& t : texts) {
            alice.clock += 1000;
            QVERIFY(alice.messenger->sendText(chat, t).ok());
        }
        deliver(*m_nodes, bob);
        const auto texts_of = [&](const QString& q) {
            QStringList out;
            auto found = bob.messenger->search(q);
            if (!found.ok()) {
                out << QStringLiteral("ERROR: ") + QString::fromUtf8(found.error().message());
                return out;
            }
            for (const auto& m : *found)
                out << m.text;
            return out;
        };
        // Prefix, newest first.
        QCOMPARE(texts_of(QStringLiteral("hel")), (QStringList {texts[3], texts[2], texts[0]}));
        // Two words: both must match (each as a prefix).
        QCOMPARE(texts_of(QStringLiteral("hello ag")), QStringList {texts[3]});
        // Case and accents folded both ways.
        QCOMPARE(texts_of(QStringLiteral("MÄDCHEN")), QStringList {texts[0]});
        QCOMPARE(texts_of(QStringLiteral("madchen")), QStringList {texts[0]});
        QCOMPARE(texts_of(QStringLiteral("café")), QStringList {texts[1]});
        QCOMPARE(texts_of(QStringLiteral("cafe")), QStringList {texts[1]});
        // Punctuation only, quotes and FTS operators: no error, no syntax.
        for (const QString& q : {QStringLiteral("?!.,"), QStringLiteral("\""), QStringLiteral("*"), QStringLiteral("\"hel"),
                                 QStringLiteral("hel*"), QStringLiteral("(hello OR"), QStringLiteral("text:hello"),
                                 QStringLiteral("NEAR/2 -hello"), QStringLiteral("'; DROP TABLE msg_messages; --")}) {
            auto found = bob.messenger->search(q);
            QVERIFY2(found.ok(), qPrintable(q));
        }
        QCOMPARE(texts_of(QStringLiteral("?!.,")), QStringList());
        QCOMPARE(texts_of(QStringLiteral("\"hel")).size(), 3);
        QCOMPARE(texts_of(QStringLiteral("(hello OR")), QStringList()); // "or" is a word here, and no text has it
        QCOMPARE(texts_of(QStringLiteral("text:hello")), QStringList()); // "text" is a word too
        QCOMPARE(int(bob.messenger->messages(bob.messenger->chats().value()[0].id).value().size()), 4);
    }

    void disappearingMessagesLeaveNoTraceInTheVaultFile()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        QVERIFY(alice.messenger->setDisappearing(chat, 60).ok());
        deliver(*m_nodes, bob);
        const qint64 bobChat = bob.messenger->chats().value()[0].id;
        QCOMPARE(bob.messenger->chats().value()[0].disappearSeconds, 60);

        const QString secret = QStringLiteral("zebra-marmalade-4711");
        QVERIFY(alice.messenger->sendText(chat, secret).ok());
        // One word on its own: the full-text index stores it as a term of its own.
        const QString word = QStringLiteral("quixotically");
        QVERIFY(alice.messenger->sendText(chat, word).ok());
        deliver(*m_nodes, bob);
        QCOMPARE(int(bob.messenger->messages(bobChat).value().size()), 2);
        // The scanner finds the plaintext while the message lives (so it can fail).
        QVERIFY(decryptVaultFile(bob.path, bob.key).contains(secret.toUtf8()));
        QVERIFY(decryptVaultFile(alice.path, alice.key).contains(secret.toUtf8()));
        QCOMPARE(int(bob.messenger->search(QStringLiteral("marmalade")).value().size()), 1);
        // The index's own tables hold the words (checked there, then in the whole file).
        const auto ftsHolds = [](Vault& vault, const QByteArray& term) {
            auto stmt = vault.prepare("SELECT root FROM msg_fts_segdir UNION ALL SELECT block FROM msg_fts_segments");
            bool found = false;
            while (stmt.ok() && stmt->step().valueOr(false))
                found = found || stmt->columnBlob(0).contains(term);
            return found;
        };
        QVERIFY(ftsHolds(*bob.vault, "quixotically"));
        QVERIFY(ftsHolds(*alice.vault, "quixotically"));
        QVERIFY(decryptVaultFile(bob.path, bob.key).count("quixotically") >= 2); // the row and the index

        // A received attachment disappears with its message.
        const QString source = m_dir.filePath(QStringLiteral("note-%1.txt").arg(m_counter));
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("a short file");
        }
        QSignalSpy uploaded(alice.messenger.get(), &Messenger::transferFinished);
        QVERIFY(alice.messenger->sendFile(chat, source).ok());
        QTRY_COMPARE(uploaded.count(), 1);
        QVERIFY(uploaded.at(0).at(1).toBool());
        const auto fileResults = deliver(*m_nodes, bob);
        QCOMPARE(countOutcome(fileResults, ReceiveResult::Outcome::Stored), 1);
        QSignalSpy finished(bob.messenger.get(), &Messenger::transferFinished);
        QVERIFY(bob.messenger->downloadAttachment(fileResults[0].messageId, m_dir.filePath(QStringLiteral("dl-%1").arg(m_counter))).ok());
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(finished.at(0).at(1).toBool());
        const QString saved = bob.messenger->message(fileResults[0].messageId)->attachment->localPath;
        QVERIFY(QFile::exists(saved));

        bob.clock += 61'000;
        alice.clock += 61'000;
        QCOMPARE(bob.messenger->purgeExpired().valueOr(-1), 3);
        QCOMPARE(alice.messenger->purgeExpired().valueOr(-1), 3);
        QVERIFY(!QFile::exists(saved));
        QVERIFY(QFile::exists(source));
        QCOMPARE(int(bob.messenger->messages(bobChat).value().size()), 0);
        QVERIFY(!decryptVaultFile(bob.path, bob.key).contains(secret.toUtf8()));
        QVERIFY(!decryptVaultFile(alice.path, alice.key).contains(secret.toUtf8()));
        // Gone from the index too: not found, not in its tables, not in the file's free pages.
        QCOMPARE(int(bob.messenger->search(QStringLiteral("marmalade")).value().size()), 0);
        QCOMPARE(int(bob.messenger->search(QStringLiteral("quixot")).value().size()), 0);
        QVERIFY(!ftsHolds(*bob.vault, "quixotically"));
        QVERIFY(!ftsHolds(*alice.vault, "quixotically"));
        QVERIFY(!decryptVaultFile(bob.path, bob.key).contains("quixotically"));
        QVERIFY(!decryptVaultFile(alice.path, alice.key).contains("quixotically"));
    }

    void upgradeIndexesTheExistingHistory()
    {
        // A profile from before the search index (messaging schema 4) with one message.
        const QString file = m_dir.filePath(QStringLiteral("old-%1.vault").arg(++m_counter));
        const VaultKey key = VaultKey::random();
        {
            auto old = std::move(Vault::create(file, key).value());
            QVERIFY(old->migrateComponent(MessagingComponent, messagingSchema().first(4)).ok());
            QVERIFY(old->exec("INSERT INTO msg_chats (id, contact_key, title, created_at) VALUES (7, zeroblob(32), 'Old', 0)").ok());
            auto insert = old->prepare(
                "INSERT INTO msg_messages (chat_id, uid, sender_key, outgoing, kind, text, sent_at, received_at, state, is_read)"
                " VALUES (7, zeroblob(16), zeroblob(32), 0, 1, ?1, 5, 5, 2, 1)");
            QVERIFY(insert.ok());
            QVERIFY(insert->bindText(1, QStringLiteral("Grüße aus den alten Tagen")).ok());
            QVERIFY(insert->run().ok());
            QCOMPARE(old->componentVersion(MessagingComponent).valueOr(0), 4);
        }
        auto vault = std::move(Vault::open(file, key).value());
        auto identity = std::move(Identity::create(*vault, QStringLiteral("Old")).value());
        auto contacts = std::move(Contacts::create(*vault, *identity).value());
        FakeDirectory directory(*m_nodes, identity->publicKey());
        FakeTransport transport(*m_nodes);
        auto messenger = Messenger::create(*vault, *identity, *contacts, *m_signal, directory, transport);
        QVERIFY(messenger.ok());
        QCOMPARE(vault->componentVersion(MessagingComponent).valueOr(0), 6);
        const auto found = (*messenger)->search(QStringLiteral("GRÜ tag"));
        QVERIFY(found.ok());
        QCOMPARE(int(found->size()), 1);
        QCOMPARE(found->front().chatId, qint64(7));
        QCOMPARE(found->front().text, QStringLiteral("Grüße aus den alten Tagen"));
    }

    void keyFetchRunsInTheBackgroundOncePerPerson()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        m_nodes->fetchDelayMs = 30;
        // A timer that can only tick if the event loop runs: sendText must not spin one.
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(1);
        connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
        ticker.start();
        QSignalSpy changed(alice.messenger.get(), &Messenger::messageChanged);
        QSignalSpy settled(alice.messenger.get(), &Messenger::sendsSettled);

        auto first = alice.messenger->sendText(chat, QStringLiteral("first"));
        QVERIFY(first.ok());
        alice.clock += 1;
        auto second = alice.messenger->sendText(chat, QStringLiteral("second"));
        QVERIFY(second.ok());
        QCOMPARE(ticks, 0);
        QCOMPARE(alice.messenger->message(*first)->state, ChatMessage::State::Pending);
        QCOMPARE(alice.messenger->message(*second)->state, ChatMessage::State::Pending);
        QVERIFY(m_nodes->inboxes[bob.publicKey()].empty());
        QCOMPARE(m_nodes->fetches, 1); // the second send queued behind the first's fetch
        // resendPending leaves a message whose fetch is running alone.
        QCOMPARE(alice.messenger->resendPending().valueOr(-1), 0);
        QCOMPARE(m_nodes->fetches, 1);
        const auto idle = alice.messenger->whenIdle();
        QVERIFY(!idle.isFinished());

        QVERIFY(QTest::qWaitFor([&] { return idle.isFinished(); }, 5000));
        QVERIFY(idle.result().ok());
        QVERIFY(ticks > 0);
        QCOMPARE(settled.count(), 1);
        QCOMPARE(alice.messenger->message(*first)->state, ChatMessage::State::Sent);
        QCOMPARE(alice.messenger->message(*second)->state, ChatMessage::State::Sent);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(m_nodes->fetches, 1);
        QCOMPARE(int(m_nodes->inboxes[bob.publicKey()].size()), 2);
        QVERIFY(alice.messenger->whenIdle().isFinished());
        const auto got = deliver(*m_nodes, bob);
        QCOMPARE(countOutcome(got, ReceiveResult::Outcome::Stored), 2);
        const auto bobMsgs = bob.messenger->messages(got[0].chatId).value();
        QCOMPARE(bobMsgs[0].text, QStringLiteral("first"));
        QCOMPARE(bobMsgs[1].text, QStringLiteral("second"));
        // With the session there, sending is synchronous again.
        auto third = alice.messenger->sendText(chat, QStringLiteral("third"));
        QCOMPARE(alice.messenger->message(*third)->state, ChatMessage::State::Sent);
        QCOMPARE(m_nodes->fetches, 1);
    }

    void failedKeyFetchMarksTheMessageFailedAndResendRetries()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        m_nodes->fetchDelayMs = 5;
        m_nodes->failFetches = 1;
        QSignalSpy changed(alice.messenger.get(), &Messenger::messageChanged);
        auto sent = alice.messenger->sendText(chat, QStringLiteral("are you there"));
        QVERIFY(sent.ok());
        QCOMPARE(alice.messenger->message(*sent)->state, ChatMessage::State::Pending);
        QVERIFY(alice.messenger->whenIdle().wait().ok());
        QCOMPARE(alice.messenger->message(*sent)->state, ChatMessage::State::Failed);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(1).toLongLong(), *sent);
        QVERIFY(m_nodes->inboxes[bob.publicKey()].empty());

        // The next try fetches again and gets through.
        QCOMPARE(alice.messenger->resendPending().valueOr(-1), 1);
        QVERIFY(alice.messenger->whenIdle().wait().ok());
        QCOMPARE(alice.messenger->message(*sent)->state, ChatMessage::State::Sent);
        QCOMPARE(m_nodes->fetches, 2);
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);
    }

    void groupMembersWithoutSessionGetTheSenderKeyBeforeTheMessage()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        Person& carol = person("Carol");
        befriend(alice, bob);
        befriend(alice, carol);
        m_nodes->fetchDelayMs = 5;
        const qint64 group = alice.messenger->createGroup(QStringLiteral("Async"), {contactId(alice, bob), contactId(alice, carol)}).value();
        auto sent = alice.messenger->sendText(group, QStringLiteral("to both"));
        QVERIFY(sent.ok());
        QCOMPARE(alice.messenger->message(*sent)->state, ChatMessage::State::Pending);
        QCOMPARE(m_nodes->fetches, 2);
        QVERIFY(alice.messenger->whenIdle().wait().ok());
        QCOMPARE(alice.messenger->message(*sent)->state, ChatMessage::State::Sent);
        // Update, sender key, message: in that order, so each member stores the message.
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(countOutcome(deliver(*m_nodes, carol), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(m_nodes->fetches, 2);
    }

    void oneVaultCommitPerSendAndPerReceive()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        befriend(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(contactId(alice, bob)).value();
        // The first message: X3DH from the fetched bundle, in the same commit.
        std::uint64_t before = alice.vault->commitCount();
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("one")).ok());
        QCOMPARE(alice.vault->commitCount() - before, std::uint64_t(1));
        // Receiving it: session from the prekey message, the new chat, the message and the
        // delivery receipt queued back.
        before = bob.vault->commitCount();
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(bob.vault->commitCount() - before, std::uint64_t(1));
        QCOMPARE(int(m_nodes->inboxes[alice.publicKey()].size()), 1);
        // The receipt, then the steady state both ways.
        before = alice.vault->commitCount();
        deliver(*m_nodes, alice);
        QCOMPARE(alice.vault->commitCount() - before, std::uint64_t(1));
        for (int i = 0; i < 3; ++i) {
            alice.clock += 1000;
            before = alice.vault->commitCount();
            QVERIFY(alice.messenger->sendText(chat, QStringLiteral("more %1").arg(i)).ok());
            QCOMPARE(alice.vault->commitCount() - before, std::uint64_t(1));
            before = bob.vault->commitCount();
            QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);
            QCOMPARE(bob.vault->commitCount() - before, std::uint64_t(1));
        }
        // Reading the history writes nothing.
        before = bob.vault->commitCount();
        QVERIFY(bob.messenger->messages(bob.messenger->chats().value()[0].id).ok());
        QCOMPARE(bob.vault->commitCount(), before);
    }

    void bodiesFromAContactWhoseKeyChangesAreHeldUntilTheUserDecides()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        Person& newBob = person("NewBob"); // Bob after a reinstall: a new identity key
        befriend(alice, bob);
        QVERIFY(newBob.contacts->addCard(cardOf(*alice.identity), CardSource::ScannedQr, NowSeconds).ok());
        const qint64 bobId = contactId(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(bobId).value();
        QVERIFY(bob.messenger->sendText(bob.messenger->chatWithContact(contactId(bob, alice)).value(), QStringLiteral("before")).ok());
        QCOMPARE(countOutcome(deliver(*m_nodes, alice), ReceiveResult::Outcome::Stored), 1);
        deliver(*m_nodes, bob);

        QVERIFY(alice.contacts->reportKeyChange(bobId, newBob.publicKey(), QStringLiteral("Bob"), std::nullopt, TrustLevel::Unverified).ok());
        const qint64 newBobChat = newBob.messenger->chatWithContact(contactId(newBob, alice)).value();
        newBob.clock += 5000; // after "before" (the history is ordered by the sender's clock)
        QVERIFY(newBob.messenger->sendText(newBobChat, QStringLiteral("new key one")).ok());
        newBob.clock += 1000;
        QVERIFY(newBob.messenger->sendText(newBobChat, QStringLiteral("new key two")).ok());
        bob.clock += 2000;
        QVERIFY(bob.messenger->sendText(bob.messenger->chats().value()[0].id, QStringLiteral("old key")).ok());
        QSignalSpy dropped(alice.messenger.get(), &Messenger::dropped);
        const auto held = deliver(*m_nodes, alice);
        QCOMPARE(countOutcome(held, ReceiveResult::Outcome::Held), 3);
        QCOMPARE(dropped.count(), 0);
        QCOMPARE(int(alice.messenger->messages(chat).value().size()), 1);
        // Undecided: a replay changes nothing.
        QCOMPARE(alice.messenger->releaseHeld().valueOr(-1), 0);

        // Accepted (Contacts says it changed): the new key's bodies are stored, in order, in
        // the same conversation; the old key's one is dropped.
        QVERIFY(alice.contacts->acceptKeyChange(bobId, NowSeconds).ok());
        QTRY_COMPARE(int(alice.messenger->messages(chat).value().size()), 3);
        const auto msgs = alice.messenger->messages(chat).value();
        QCOMPARE(msgs[1].text, QStringLiteral("new key one"));
        QCOMPARE(msgs[2].text, QStringLiteral("new key two"));
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(alice.messenger->releaseHeld().valueOr(-1), 0);
        // Alice answers the new key in that chat.
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("welcome back")).ok());
        const auto answer = deliver(*m_nodes, newBob);
        QCOMPARE(countOutcome(answer, ReceiveResult::Outcome::Stored), 1);
    }

    void acceptedKeyChangeMovesTheConversationEvenWithNothingHeld()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        Person& newBob = person("NewBob");
        befriend(alice, bob);
        QVERIFY(newBob.contacts->addCard(cardOf(*alice.identity), CardSource::ScannedQr, NowSeconds).ok());
        const qint64 bobId = contactId(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(bobId).value();
        QVERIFY(alice.messenger->sendText(chat, QStringLiteral("hi old bob")).ok());
        QVERIFY(alice.contacts->reportKeyChange(bobId, newBob.publicKey(), QStringLiteral("Bob"), std::nullopt, TrustLevel::Unverified).ok());
        QTest::qWait(10); // Contacts::changed is handled from the event loop
        QVERIFY(alice.contacts->acceptKeyChange(bobId, NowSeconds).ok());
        QTest::qWait(10);
        QCOMPARE(alice.messenger->releaseHeld().valueOr(-1), 0);
        // The same chat now sends to the new key.
        QCOMPARE(int(alice.messenger->chats().value().size()), 1);
        auto sent = alice.messenger->sendText(chat, QStringLiteral("hi new bob"));
        QVERIFY2(sent.ok(), sent.ok() ? "" : sent.error().message());
        QCOMPARE(countOutcome(deliver(*m_nodes, newBob), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(heldCount(alice), 0);
    }

    void declinedKeyChangeKeepsTheOldKeysMessagesAndBoundsTheHeld()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        Person& mallory = person("Mallory");
        befriend(alice, bob);
        QVERIFY(mallory.contacts->addCard(cardOf(*alice.identity), CardSource::ScannedQr, NowSeconds).ok());
        const qint64 bobId = contactId(alice, bob);
        const qint64 chat = alice.messenger->chatWithContact(bobId).value();
        QVERIFY(alice.contacts->reportKeyChange(bobId, mallory.publicKey(), QStringLiteral("Bob"), std::nullopt, TrustLevel::Unverified).ok());
        const qint64 mChat = mallory.messenger->chatWithContact(contactId(mallory, alice)).value();
        QVERIFY(mallory.messenger->sendText(mChat, QStringLiteral("i am bob now")).ok());
        QVERIFY(bob.messenger->sendText(bob.messenger->chatWithContact(contactId(bob, alice)).value(), QStringLiteral("really me")).ok());
        QCOMPARE(countOutcome(deliver(*m_nodes, alice), ReceiveResult::Outcome::Held), 2);
        // The bound: more than MaxHeldPerContact and the oldest go (here: replays of a body).
        const Bytes body = m_nodes->sent.back().second;
        for (int i = 0; i < Messenger::MaxHeldPerContact; ++i)
            QCOMPARE(alice.messenger->receive(body, alice.clock)->outcome, ReceiveResult::Outcome::Held);
        QCOMPARE(heldCount(alice), Messenger::MaxHeldPerContact);

        // Declined: the old key's messages are stored once, Mallory's are not.
        QVERIFY(alice.contacts->declineKeyChange(bobId).ok());
        QTRY_COMPARE(int(alice.messenger->messages(chat).value().size()), 1);
        QCOMPARE(alice.messenger->messages(chat).value()[0].text, QStringLiteral("really me"));
        QCOMPARE(int(alice.messenger->search(QStringLiteral("bob now")).value().size()), 0);
        QCOMPARE(heldCount(alice), 0);
    }

    void groupWithSenderKeysRemovalRotatesTheKey()
    {
        Person& alice = person("Alice");
        Person& bob = person("Bob");
        Person& carol = person("Carol");
        befriend(alice, bob);
        befriend(alice, carol);
        befriend(bob, carol);
        auto created = alice.messenger->createGroup(QStringLiteral("Hikers"), {contactId(alice, bob), contactId(alice, carol)});
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message());
        const qint64 group = *created;
        deliver(*m_nodes, bob);
        deliver(*m_nodes, carol);
        const qint64 bobGroup = bob.messenger->findChat(QStringLiteral("Hikers")).valueOr(0);
        const qint64 carolGroup = carol.messenger->findChat(QStringLiteral("Hikers")).valueOr(0);
        QVERIFY(bobGroup > 0 && carolGroup > 0);
        QCOMPARE(bob.messenger->chats().value()[0].members.size(), 2);

        QVERIFY(alice.messenger->sendText(group, QStringLiteral("from alice")).ok());
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(countOutcome(deliver(*m_nodes, carol), ReceiveResult::Outcome::Stored), 1);
        bob.clock += 1000; // ordering is by the sender's clock
        QVERIFY(bob.messenger->sendText(bobGroup, QStringLiteral("from bob")).ok());
        QCOMPARE(countOutcome(deliver(*m_nodes, alice), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(countOutcome(deliver(*m_nodes, carol), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(bob.messenger->messages(bobGroup).value().front().text, QStringLiteral("from alice"));

        QVERIFY(alice.messenger->renameGroup(group, QStringLiteral("Hikers 2025")).ok());
        QVERIFY(alice.messenger->removeMember(group, contactId(alice, carol)).ok());
        deliver(*m_nodes, bob);
        deliver(*m_nodes, carol);
        QCOMPARE(bob.messenger->chats().value()[0].title, QStringLiteral("Hikers 2025"));
        QCOMPARE(bob.messenger->chats().value()[0].members.size(), 1);

        // After the removal: Carol cannot read what Alice or Bob send, even given the bytes.
        m_nodes->sent.clear();
        QVERIFY(alice.messenger->sendText(group, QStringLiteral("carol must not read this")).ok());
        QVERIFY(bob.messenger->sendText(bobGroup, QStringLiteral("nor this")).ok());
        QVERIFY(!m_nodes->sent.empty());
        for (const auto& [to, body] : m_nodes->sent)
            QVERIFY(to != carol.publicKey());
        int carolDropped = 0;
        for (const auto& [to, body] : m_nodes->sent) {
            auto parsed = SignalBody::decode(body);
            if (!parsed.ok() || parsed->type != SignalType::SenderKey)
                continue;
            auto r = carol.messenger->receive(body, carol.clock);
            QVERIFY(r.ok());
            QCOMPARE(r->outcome, ReceiveResult::Outcome::Dropped);
            ++carolDropped;
        }
        QVERIFY(carolDropped >= 2);
        // Even a Carol whose client ignores the removal cannot: the sender keys are new.
        QVERIFY(carol.vault->exec("UPDATE msg_chats SET left_group = 0").ok());
        for (const auto& [to, body] : m_nodes->sent) {
            auto parsed = SignalBody::decode(body);
            if (!parsed.ok() || parsed->type != SignalType::SenderKey || parsed->sender != alice.publicKey())
                continue;
            auto r = carol.messenger->receive(body, carol.clock);
            QVERIFY(r.ok());
            QCOMPARE(r->outcome, ReceiveResult::Outcome::Dropped);
            QVERIFY2(!r->reason.contains(QLatin1String("member")), qPrintable(r->reason));
        }
        QVERIFY(carol.vault->exec("UPDATE msg_chats SET left_group = 1").ok());
        QCOMPARE(countOutcome(deliver(*m_nodes, bob), ReceiveResult::Outcome::Stored), 1);
        QCOMPARE(countOutcome(deliver(*m_nodes, alice), ReceiveResult::Outcome::Stored), 1);
        const auto carolTexts = carol.messenger->search(QStringLiteral("this")).value();
        QCOMPARE(int(carolTexts.size()), 0);

        // Re-added: Carol reads again from then on.
        QVERIFY(alice.messenger->addMember(group, contactId(alice, carol)).ok());
        deliver(*m_nodes, bob);
        deliver(*m_nodes, carol);
        QVERIFY(alice.messenger->sendText(group, QStringLiteral("welcome back")).ok());
        QVERIFY(bob.messenger->sendText(bobGroup, QStringLiteral("hi carol")).ok());
        const auto back = deliver(*m_nodes, carol);
        QCOMPARE(countOutcome(back, ReceiveResult::Outcome::Stored), 2);
        QCOMPARE(carol.messenger->messages(carolGroup).value().back().text.isEmpty(), false);
        deliver(*m_nodes, alice);
        deliver(*m_nodes, bob);
    }
};

QTEST_GUILESS_MAIN(TestMessenger)
#include "test_messenger.moc"
