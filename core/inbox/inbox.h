// Inbox: fetches what friends left in this person's mailboxes on their own node, opens each
// envelope and hands it to the handler registered for its kind (s2 contract [inbox];
// docs/trust.md, "Inbox and outbox").
//
// Two mailboxes are read: requestsMailbox(self) (friend requests) and inboxMailbox(self)
// (everything else). An item is acked (deleted on the node) only after its handler
// returned success, so nothing is lost; handlers dedupe, so nothing is shown twice. An
// envelope that cannot be opened or decoded is logged with the reason and acked (dropped):
// keeping it would only fetch it again forever. An item whose kind has no handler in this
// process (e.g. Signal in a tool without messaging) stays on the node for one that has.
//
// While auto-sync is on, the Inbox asks the node to push a notice for new posts
// (mailbox.watch) after every (re)connect, and syncs on each notice and on connect.
#pragma once

#include "inbox/inboxhandler.h"
#include "node/nodeclient.h"
#include "node/nodereply.h"

#include "wire/envelope.h"
#include "wire/result.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <array>
#include <chrono>
#include <map>
#include <memory>

namespace hive::core {

class Identity;
class Vault;

class Inbox : public QObject {
    Q_OBJECT

public:
    // Most fetch rounds one sync makes per mailbox (each returns up to 1024 envelopes).
    static constexpr int MaxRoundsPerMailbox = 16;
    // With auto-sync on, a failed sync is tried again after this long.
    static constexpr std::chrono::milliseconds RetryDelay {5000};

    // An inbox for `identity` reading from `client` (connected to the person's own node,
    // as the owner). All three must outlive it.
    static Result<std::unique_ptr<Inbox>> create(Vault& vault, const Identity& identity, NodeClient& client,
                                                 QObject* parent = nullptr);
    ~Inbox() override;

    // The handler for `kind` (not owned; nullptr removes it).
    void registerHandler(wire::EnvelopeKind kind, InboxHandler* handler);

    // Fetches both mailboxes once; finishes with the number of items handlers accepted,
    // or with the first error that stopped it (items handled before it stay handled). A
    // sync asked for while one runs joins it and runs once more after it.
    NodeReply<int> sync();

    // Watches the mailboxes and syncs on every notice and (re)connect while on.
    void setAutoSync(bool on);
    bool autoSync() const { return m_autoSync; }

    // Envelopes dropped since creation because they could not be opened or decoded.
    int dropped() const { return m_dropped; }

signals:
    void synced(int delivered);
    void failed(const QString& why);

private:
    struct Run;
    Inbox(Vault& vault, const Identity& identity, NodeClient& client, QObject* parent);
    void startRun();
    void fetchNext(std::shared_ptr<Run> run);
    void handleFetched(std::shared_ptr<Run> run, const wire::proto::MailboxFetchResult& result);
    void finishRun(std::shared_ptr<Run> run, std::optional<Error> error);
    void watch();
    void onNotified(const wire::proto::MailboxId& mailbox, quint64 messageId);

    Vault& m_vault;
    const Identity& m_identity;
    NodeClient& m_client;
    std::array<wire::proto::MailboxId, 2> m_mailboxes {};
    std::map<wire::EnvelopeKind, InboxHandler*> m_handlers;
    std::optional<NodeReply<int>> m_running;
    bool m_again = false;
    std::optional<NodeReply<int>> m_next;
    bool m_autoSync = false;
    int m_dropped = 0;
    QTimer m_retry;
};

} // namespace hive::core
