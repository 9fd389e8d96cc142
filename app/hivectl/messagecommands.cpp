#include "messagecommands.h"

#include "session.h"
#include "synccommands.h"

#include "inbox/outbox.h"
#include "messaging/messenger.h"
#include "messaging/nodeadapters.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "profile/profile.h"
#include "signal/signalcontext.h"
#include "trust/contacts.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <optional>
#include <set>

namespace hive::cli {

namespace {

using namespace std::chrono_literals;

const QString kSend = QStringLiteral("send");
const QString kMessages = QStringLiteral("messages");
const QString kGroup = QStringLiteral("group");

// Everything a messaging command uses, opened once.
struct Opened {
    std::optional<TrustStack> trustStack;
    std::unique_ptr<core::NodeClient> own;
    std::optional<MessagingStack> messagingStack;
    bool online = false;

    TrustStack& trust() { return *trustStack; }
    MessagingStack& messaging() { return *messagingStack; }
    ~Opened()
    {
        // The Messenger before the trust services and the client it uses.
        messagingStack.reset();
        own.reset();
        trustStack.reset();
    }
};

// Opens the profile, connects to the own node (when `online`) and publishes or
// replenishes this device's prekeys there.
Result<std::unique_ptr<Opened>> open(Context& context, bool online)
{
    auto opened = std::make_unique<Opened>();
    opened->trustStack.emplace(HIVE_TRY(openTrust(context)));
    core::Profile& profile = opened->trust().session->profile();
    auto credentials = HIVE_TRY(core::NodeCredentials::fromIdentity(profile.identity()));
    opened->own = std::make_unique<core::NodeClient>(std::move(credentials));
    opened->own->setReconnectPolicy({250ms, 250ms, 1});
    if (online) {
        auto address = HIVE_TRY(ownNodeAddress(profile.vault()));
        if (address) {
            opened->own->connectTo(*address);
            auto hello = opened->own->waitConnected(core::Outbox::ConnectTimeout).wait();
            opened->online = hello.ok();
            if (!hello.ok())
                context.err << "note: the personal node cannot be reached: " << hello.error().message() << '\n';
        } else {
            context.err << "note: no personal node; prekeys are not published\n";
        }
    }
    opened->messagingStack.emplace(HIVE_TRY(openMessaging(opened->trust(), *opened->own)));
    if (opened->online) {
        const Status published = opened->messaging().messenger->publishKeys();
        if (!published.ok())
            context.err << "note: prekeys not published: " << published.error().message() << '\n';
    }
    return opened;
}

// Runs the event loop until none of `ids` is transferring any more (fine in a command line
// tool: the transfers themselves never block), noting progress on stderr every tenth.
// Returns the failed ones with their reason.
std::map<qint64, QString> waitForTransfers(Context& context, messaging::Messenger& m, std::set<qint64> ids)
{
    std::map<qint64, QString> failed;
    std::map<qint64, qint64> shown; // tenths already noted
    QEventLoop loop;
    QObject::connect(&m, &messaging::Messenger::transferProgress, &loop, [&](qint64 id, qint64 done, qint64 total) {
        if (ids.count(id) == 0 || total <= 0)
            return;
        const qint64 tenth = done * 10 / total;
        auto [at, added] = shown.try_emplace(id, -1);
        if (!added && tenth <= at->second)
            return;
        at->second = tenth;
        context.err << "progress: message " << id << ' ' << done << " of " << total << " bytes\n";
        context.err.flush();
    });
    QObject::connect(&m, &messaging::Messenger::transferFinished, &loop,
                     [&](qint64 id, bool ok, const QString& error) {
                         if (ids.erase(id) == 0)
                             return;
                         if (!ok)
                             failed[id] = error;
                         if (ids.empty())
                             loop.quit();
                     });
    // Those that ended before we listened (a resume that failed at once).
    std::erase_if(ids, [&m](qint64 id) { return !m.transferRunning(id); });
    if (!ids.empty())
        loop.exec();
    return failed;
}

// Restarts uploads an earlier run left unfinished (killed, node away) and waits for them.
void resumeUploads(Context& context, messaging::Messenger& m)
{
    auto resumed = m.resumeUploads();
    if (!resumed.ok()) {
        context.err << "note: unfinished uploads not resumed: " << resumed.error().message() << '\n';
        return;
    }
    if (*resumed == 0)
        return;
    std::set<qint64> ids;
    for (const auto& chat : m.chats().valueOr({})) {
        for (const auto& msg : m.messages(chat.id, 10000).valueOr({})) {
            if (m.transferRunning(msg.id))
                ids.insert(msg.id);
        }
    }
    const auto failed = waitForTransfers(context, m, ids);
    (void)m.whenIdle().wait(); // their payloads may wait for prekeys
    context.err << "note: resumed " << *resumed << " earlier upload(s)";
    if (!failed.empty())
        context.err << ", " << static_cast<int>(failed.size()) << " failed again: " << failed.begin()->second;
    context.err << '\n';
}

QString stateName(messaging::ChatMessage::State state)
{
    switch (state) {
    case messaging::ChatMessage::State::Pending: return QStringLiteral("pending");
    case messaging::ChatMessage::State::Sent: return QStringLiteral("sent");
    case messaging::ChatMessage::State::Delivered: return QStringLiteral("delivered");
    case messaging::ChatMessage::State::Read: return QStringLiteral("read");
    case messaging::ChatMessage::State::Failed: return QStringLiteral("failed");
    }
    return QString();
}

// Sends text to the chat named `name` and posts the outbox.
int sendTo(Context& context, Opened& o, const QString& name, const QString& text)
{
    messaging::Messenger& m = *o.messaging().messenger;
    // Whatever an earlier run left unsent (killed, node away) goes first.
    auto resent = m.resendPending();
    if (resent.ok() && *resent > 0)
        context.err << "note: sent " << *resent << " earlier message(s) again\n";
    resumeUploads(context, m);
    auto chat = m.findChat(name);
    if (!chat.ok())
        return context.fail(chat.error());
    auto sent = m.sendText(*chat, text);
    if (!sent.ok())
        return context.fail(sent.error());
    // A first message to someone waits for their prekeys; only then is it in the outbox.
    if (const Status settled = m.whenIdle().wait(); !settled.ok())
        return context.fail(settled.error());
    if (auto stored = m.message(*sent); stored.ok() && stored->state == messaging::ChatMessage::State::Failed)
        return context.fail(Error(ErrorCode::Unavailable, "cannot reach the recipient's node for their keys; the message will be sent again later"));
    flushOutbox(context, *o.trust().outbox);
    context.out << "Sent to " << name << ".\n";
    return ExitOk;
}

void setupSend(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("A contact or group."));
    parser.addPositionalArgument(QStringLiteral("TEXT"), QStringLiteral("The message."));
    parser.addOption({QStringLiteral("file"), QStringLiteral("Send a file instead of text."), QStringLiteral("PATH")});
}

int runSend(Context& context, const QCommandLineParser& parser)
{
    const QStringList args = parser.positionalArguments();
    const bool file = parser.isSet(QStringLiteral("file"));
    if (args.isEmpty() || (!file && args.size() != 2) || (file && args.size() != 1))
        return context.usage(QStringLiteral("expected NAME TEXT or NAME --file PATH"), kSend);
    auto opened = open(context, true);
    if (!opened.ok())
        return context.fail(opened.error());
    if (file) {
        messaging::Messenger& m = *(*opened)->messaging().messenger;
        resumeUploads(context, m);
        auto chat = m.findChat(args.at(0));
        if (!chat.ok())
            return context.fail(chat.error());
        auto sent = m.sendFile(*chat, parser.value(QStringLiteral("file")));
        if (!sent.ok())
            return context.fail(sent.error());
        // The upload runs from the event loop; the payload is queued once it is done (after
        // the recipient's prekeys are fetched if this is the first message to them).
        const auto failed = waitForTransfers(context, m, {*sent});
        (void)m.whenIdle().wait();
        if (!failed.empty()) {
            flushOutbox(context, *(*opened)->trust().outbox);
            return context.fail(Error(ErrorCode::Unavailable, failed.begin()->second.toStdString())
                                    .withContext("the upload stopped; a later send resumes it"));
        }
        flushOutbox(context, *(*opened)->trust().outbox);
        context.out << "Sent " << parser.value(QStringLiteral("file")) << " to " << args.at(0) << ".\n";
        return ExitOk;
    }
    return sendTo(context, **opened, args.at(0), args.at(1));
}

void setupMessages(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("A contact or group."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
}

int runMessages(Context& context, const QCommandLineParser& parser)
{
    const QStringList args = parser.positionalArguments();
    if (args.size() != 1)
        return context.usage(QStringLiteral("expected NAME"), kMessages);
    auto opened = open(context, false);
    if (!opened.ok())
        return context.fail(opened.error());
    messaging::Messenger& m = *(*opened)->messaging().messenger;
    auto chat = m.findChat(args.at(0));
    if (!chat.ok())
        return context.fail(chat.error());
    auto list = m.messages(*chat, 10000);
    if (!list.ok())
        return context.fail(list.error());
    // Received attachments are fetched from the sender's node into the profile.
    const QString downloads = QDir(context.profileDir).filePath(QStringLiteral("attachments"));
    std::set<qint64> fetching;
    for (auto& msg : *list) {
        if (msg.outgoing || !msg.attachment || !msg.attachment->localPath.isEmpty())
            continue;
        const Status started = m.downloadAttachment(msg.id, downloads);
        if (started.ok())
            fetching.insert(msg.id);
        else
            context.err << "note: " << msg.attachment->fileName << " not downloaded: " << started.error().message() << '\n';
    }
    const auto failed = waitForTransfers(context, m, fetching);
    for (auto& msg : *list) {
        if (fetching.count(msg.id) == 0)
            continue;
        if (auto reason = failed.find(msg.id); reason != failed.end())
            context.err << "note: " << msg.attachment->fileName << " not downloaded: " << reason->second << '\n';
        else
            msg = m.message(msg.id).valueOr(msg);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const auto& msg : *list) {
            QJsonObject o;
            o.insert(QStringLiteral("id"), msg.id);
            o.insert(QStringLiteral("uid"), QString::fromLatin1(msg.uid.toHex()));
            o.insert(QStringLiteral("sender"), msg.senderName);
            o.insert(QStringLiteral("outgoing"), msg.outgoing);
            o.insert(QStringLiteral("text"), msg.text);
            o.insert(QStringLiteral("sentAt"), msg.sentAt);
            o.insert(QStringLiteral("receivedAt"), msg.receivedAt);
            o.insert(QStringLiteral("state"), stateName(msg.state));
            if (msg.expiresAt > 0)
                o.insert(QStringLiteral("expiresAt"), msg.expiresAt);
            if (msg.attachment) {
                QJsonObject a;
                a.insert(QStringLiteral("fileName"), msg.attachment->fileName);
                a.insert(QStringLiteral("mimeType"), msg.attachment->mimeType);
                a.insert(QStringLiteral("size"), msg.attachment->size);
                a.insert(QStringLiteral("transferred"), msg.attachment->transferred);
                a.insert(QStringLiteral("localPath"), msg.attachment->localPath);
                o.insert(QStringLiteral("attachment"), a);
            }
            array.append(o);
        }
        context.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
    } else {
        for (const auto& msg : *list) {
            context.out << QDateTime::fromMSecsSinceEpoch(msg.sentAt).toString(QStringLiteral("yyyy-MM-dd hh:mm"))
                        << "  " << msg.senderName << ": " << msg.text;
            if (msg.attachment && !msg.attachment->localPath.isEmpty())
                context.out << "  (" << msg.attachment->localPath << ")";
            if (msg.outgoing)
                context.out << "  [" << stateName(msg.state) << "]";
            context.out << '\n';
        }
    }
    // Reading is what read receipts report; they leave with the outbox.
    const Status read = m.markRead(*chat);
    if (!read.ok())
        return context.fail(read.error());
    if (!(*opened)->trust().outbox->pending().valueOr({}).empty())
        flushOutbox(context, *(*opened)->trust().outbox);
    return ExitOk;
}

void setupGroup(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("create, add, remove or send."));
    parser.addPositionalArgument(QStringLiteral("ARGS"), QStringLiteral("See the usage line."), QStringLiteral("[ARGS...]"));
}

int runGroup(Context& context, const QCommandLineParser& parser)
{
    const QStringList args = parser.positionalArguments();
    if (args.isEmpty())
        return context.usage(QStringLiteral("expected create, add, remove or send"), kGroup);
    const QString action = args.at(0);
    if ((action == QLatin1String("create") && args.size() < 3)
        || ((action == QLatin1String("add") || action == QLatin1String("remove") || action == QLatin1String("send"))
            && args.size() != 3))
        return context.usage(QStringLiteral("wrong number of arguments for 'group %1'").arg(action), kGroup);
    if (action != QLatin1String("create") && action != QLatin1String("add") && action != QLatin1String("remove")
        && action != QLatin1String("send"))
        return context.usage(QStringLiteral("unknown action '%1'").arg(action), kGroup);
    auto opened = open(context, true);
    if (!opened.ok())
        return context.fail(opened.error());
    Opened& o = **opened;
    messaging::Messenger& m = *o.messaging().messenger;
    core::Contacts& contacts = *o.trust().contacts;
    if (action == QLatin1String("send"))
        return sendTo(context, o, args.at(1), args.at(2));
    if (action == QLatin1String("create")) {
        std::vector<qint64> ids;
        for (qsizetype i = 2; i < args.size(); ++i) {
            auto c = contacts.lookup(args.at(i));
            if (!c.ok())
                return context.fail(c.error().withContext(args.at(i).toStdString()));
            ids.push_back(c->id);
        }
        auto created = m.createGroup(args.at(1), ids);
        if (!created.ok())
            return context.fail(created.error());
        (void)m.whenIdle().wait(); // the invitations to members without a session yet
        flushOutbox(context, *o.trust().outbox);
        context.out << "Created group " << args.at(1) << ".\n";
        return ExitOk;
    }
    auto chat = m.findChat(args.at(1));
    if (!chat.ok())
        return context.fail(chat.error());
    auto c = contacts.lookup(args.at(2));
    if (!c.ok())
        return context.fail(c.error());
    const Status done = action == QLatin1String("add") ? m.addMember(*chat, c->id) : m.removeMember(*chat, c->id);
    if (!done.ok())
        return context.fail(done.error());
    (void)m.whenIdle().wait();
    flushOutbox(context, *o.trust().outbox);
    context.out << (action == QLatin1String("add") ? "Added " : "Removed ") << c->displayName << ".\n";
    return ExitOk;
}

} // namespace

MessagingStack::MessagingStack() = default;
MessagingStack::MessagingStack(MessagingStack&&) noexcept = default;
MessagingStack::~MessagingStack()
{
    handler.reset();
    messenger.reset();
    objects.reset();
    transport.reset();
    directory.reset();
    signal.reset();
}

Result<MessagingStack> openMessaging(TrustStack& trust, core::NodeClient& own)
{
    MessagingStack stack;
    core::Profile& profile = trust.session->profile();
    stack.signal = HIVE_TRY(core::SignalContext::create());
    stack.directory = std::make_unique<messaging::NodeKeyDirectory>(own, profile.identity(), *trust.contacts);
    stack.transport = std::make_unique<messaging::OutboxTransport>(*trust.outbox, *trust.contacts);
    stack.objects = std::make_unique<messaging::NodeObjectStore>(own, profile.identity(), *trust.contacts);
    stack.messenger = HIVE_TRY(messaging::Messenger::create(profile.vault(), profile.identity(), *trust.contacts,
                                                            *stack.signal, *stack.directory, *stack.transport));
    stack.messenger->setObjectStore(stack.objects.get());
    stack.handler = std::make_unique<messaging::MessengerInboxHandler>(*stack.messenger);
    return stack;
}

Command sendCommand()
{
    return {kSend, QStringLiteral("send NAME TEXT | send NAME --file PATH"),
            QStringLiteral("Send an end-to-end encrypted message to a contact or group."), setupSend, runSend, 2};
}

Command messagesCommand()
{
    return {kMessages, QStringLiteral("messages NAME [--json]"),
            QStringLiteral("Show the messages of a chat (and mark them read)."), setupMessages, runMessages, 1};
}

Command groupCommand()
{
    return {kGroup,
            QStringLiteral("group (create NAME MEMBER... | add GROUP NAME | remove GROUP NAME | send GROUP TEXT)"),
            QStringLiteral("Create groups, change who is in them and write to them."), setupGroup, runGroup, 66};
}

} // namespace hive::cli
