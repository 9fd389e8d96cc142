// In-process stand-ins for the node: a key directory and a transport that hold what would
// sit in each person's directory and inbox mailbox, so tests decide when a person is
// "online" (deliver()) and can replay, tamper with or redirect a body.
#pragma once

#include "messaging/messenger.h"
#include "messaging/signalstore.h"

#include "identity/identity.h"
#include "signal/signalcontext.h"
#include "trust/contacts.h"
#include "vault/vault.h"
#include "wire/contactcard.h"
#include "wire/nodeprotocol.h"

#include <QDebug>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace hive::messaging::testing {

using Key = core::Identity::PublicKey;

struct FakeNodes {
    struct Directory {
        Bytes bundle;
        std::deque<Bytes> prekeys;
    };
    std::map<Key, Directory> directories;
    std::map<Key, std::deque<Bytes>> inboxes;
    int failSends = 0; // the next n sends fail (a node that cannot be reached)
    std::map<Key, std::map<Key32, Bytes>> objects; // per node owner
    int gets = 0;         // objects read so far
    int failGetsAfter = -1; // reads fail once `gets` reaches this (-1: never)
    int puts = 0;           // objects stored so far
    std::vector<std::pair<Key, Bytes>> sent; // everything ever posted, in order
    int fetches = 0;         // prekey fetches started
    int fetchDelayMs = -1;   // >= 0: fetches answer from the event loop after this long
    int failFetches = 0;     // the next n fetches fail (the friend's node cannot be reached)
};

class FakeDirectory : public KeyDirectory {
public:
    FakeDirectory(FakeNodes& nodes, const Key& owner) : m_nodes(nodes), m_owner(owner) {}
    Status publish(const Bytes& bundle, std::uint32_t, const std::vector<Bytes>& prekeys) override
    {
        auto& d = m_nodes.directories[m_owner];
        d.bundle = bundle;
        d.prekeys.insert(d.prekeys.end(), prekeys.begin(), prekeys.end());
        return success();
    }
    Result<int> remainingPrekeys(std::uint32_t) override
    {
        return static_cast<int>(m_nodes.directories[m_owner].prekeys.size());
    }
    core::NodeReply<Fetched> fetch(const Key& person) override
    {
        ++m_nodes.fetches;
        const bool fail = m_nodes.failFetches > 0;
        if (fail)
            --m_nodes.failFetches;
        if (m_nodes.fetchDelayMs < 0)
            return core::NodeReply<Fetched>::finished(take(person, fail));
        core::NodeReply<Fetched> reply;
        QTimer::singleShot(m_nodes.fetchDelayMs, [this, reply, person, fail] { reply.finish(take(person, fail)); });
        return reply;
    }

private:
    Result<Fetched> take(const Key& person, bool fail)
    {
        if (fail)
            return Error(ErrorCode::Unavailable, "the friend's node cannot be reached (test)");
        auto it = m_nodes.directories.find(person);
        if (it == m_nodes.directories.end() || it->second.bundle.empty())
            return Error(ErrorCode::NotFound, "no prekey bundle");
        Fetched f;
        f.bundle = it->second.bundle;
        if (!it->second.prekeys.empty()) {
            f.prekey = it->second.prekeys.front();
            it->second.prekeys.pop_front();
        }
        return f;
    }

    FakeNodes& m_nodes;
    Key m_owner;
};

class FakeTransport : public MessageTransport {
public:
    explicit FakeTransport(FakeNodes& nodes) : m_nodes(nodes) {}
    Status send(const Key& recipient, const Bytes& body) override
    {
        if (m_nodes.failSends > 0) {
            --m_nodes.failSends;
            return Error(ErrorCode::Unavailable, "node unreachable (test)");
        }
        m_nodes.inboxes[recipient].push_back(body);
        m_nodes.sent.emplace_back(recipient, body);
        return success();
    }

private:
    FakeNodes& m_nodes;
};

class FakeObjects : public ObjectStore {
public:
    FakeObjects(FakeNodes& nodes, const Key& owner) : m_nodes(nodes), m_owner(owner) {}
    // Replies are finished at once (the transfer still continues from the event loop).
    core::NodeReply<Key32> put(const Bytes& content) override
    {
        const Key32 id = wire::proto::objectIdOf(content);
        m_nodes.objects[m_owner][id] = content;
        ++m_nodes.puts;
        return core::NodeReply<Key32>::finished(id);
    }
    core::NodeReply<Bytes> getShared(const Key& owner, const Key32& id) override
    {
        using Reply = core::NodeReply<Bytes>;
        if (m_nodes.failGetsAfter >= 0 && m_nodes.gets >= m_nodes.failGetsAfter)
            return Reply::finished(Error(ErrorCode::Unavailable, "node unreachable (test)"));
        ++m_nodes.gets;
        auto& space = m_nodes.objects[owner];
        auto it = space.find(id);
        if (it == space.end())
            return Reply::finished(Error(ErrorCode::NotFound, "no such object"));
        return Reply::finished(it->second);
    }

private:
    FakeNodes& m_nodes;
    Key m_owner;
};

inline wire::ContactCard cardOf(const core::Identity& who)
{
    wire::ContactCard card;
    card.identityKey = who.publicKey();
    card.displayName = who.displayName().toStdString();
    card.inviteSecret = Bytes(16, 0x11);
    card.expires = 4'000'000'000ULL;
    const Bytes sig = *who.sign(card.signedBytes());
    std::copy(sig.begin(), sig.end(), card.signature.begin());
    return card;
}

// One person with their own vault, identity, contacts and Messenger.
struct Person {
    Person(const QString& dir, const QString& name, FakeNodes& nodes, core::SignalContext& signal)
        : key(core::VaultKey::random()), transport(nodes)
    {
        path = dir + QLatin1Char('/') + name + QStringLiteral(".vault");
        vault = std::move(core::Vault::create(path, key).value());
        identity = std::move(core::Identity::create(*vault, name).value());
        directory = std::make_unique<FakeDirectory>(nodes, identity->publicKey());
        contacts = std::move(core::Contacts::create(*vault, *identity).value());
        messenger = std::move(Messenger::create(*vault, *identity, *contacts, signal, *directory, transport).value());
        messenger->setClock([this] { return clock; });
        objects = std::make_unique<FakeObjects>(nodes, identity->publicKey());
        messenger->setObjectStore(objects.get());
    }
    Key publicKey() const { return identity->publicKey(); }

    QString path;
    core::VaultKey key;
    std::unique_ptr<core::Vault> vault;
    std::unique_ptr<core::Identity> identity;
    std::unique_ptr<core::Contacts> contacts;
    std::unique_ptr<FakeDirectory> directory;
    FakeTransport transport;
    std::unique_ptr<FakeObjects> objects;
    std::unique_ptr<Messenger> messenger;
    qint64 clock = 1'800'000'000'000;
};

// Makes a and b contacts of each other, verified in person (as after scanning both codes).
inline void befriend(Person& a, Person& b, qint64 nowSeconds = 1'800'000'000)
{
    QVERIFY(a.contacts->addCard(cardOf(*b.identity), core::CardSource::ScannedQr, nowSeconds).ok());
    QVERIFY(b.contacts->addCard(cardOf(*a.identity), core::CardSource::ScannedQr, nowSeconds).ok());
}

// Hands everything waiting in `p`'s mailbox to its Messenger, as the Inbox would.
inline std::vector<ReceiveResult> deliver(FakeNodes& nodes, Person& p)
{
    std::vector<ReceiveResult> out;
    auto& box = nodes.inboxes[p.publicKey()];
    while (!box.empty()) {
        const Bytes body = box.front();
        box.pop_front();
        auto r = p.messenger->receive(body, p.clock);
        if (r.ok())
            out.push_back(*r);
        else
            qWarning() << "receive failed:" << r.error().message();
    }
    return out;
}

} // namespace hive::messaging::testing
