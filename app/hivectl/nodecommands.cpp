#include "nodecommands.h"

#include "session.h"

#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "node/personalnode.h"
#include "profile/profile.h"

#include <QCommandLineParser>

#include <sodium.h>

namespace hive::cli {

namespace {

using namespace std::chrono_literals;

constexpr auto ConnectTimeout = 5000ms;

const QString kNode = QStringLiteral("node");

QString text(const Error& error)
{
    return QString::fromUtf8(error.message());
}

QString bytesText(std::uint64_t bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    return unit == 0 ? QStringLiteral("%1 B").arg(bytes) : QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

QString durationText(std::uint64_t seconds)
{
    const std::uint64_t days = seconds / 86400, hours = seconds / 3600 % 24, minutes = seconds / 60 % 60;
    if (days > 0)
        return QStringLiteral("%1d %2h %3m").arg(days).arg(hours).arg(minutes);
    if (hours > 0)
        return QStringLiteral("%1h %2m %3s").arg(hours).arg(minutes).arg(seconds % 60);
    return QStringLiteral("%1m %2s").arg(minutes).arg(seconds % 60);
}

// Connects to `address` once (no retries), asks for admin.status and prints both.
int printStatus(Context& context, core::Identity& identity, const wire::NodeAddress& address, const QString& kind)
{
    auto credentials = core::NodeCredentials::fromIdentity(identity);
    if (!credentials.ok())
        return context.fail(credentials.error());
    core::NodeClient client(std::move(credentials).value());
    client.setReconnectPolicy({250ms, 250ms, 1});
    client.setHandshakeTimeout(ConnectTimeout);
    client.setRequestTimeout(ConnectTimeout);
    const QString addressText = QString::fromStdString(address.toString());
    context.out << "address:     " << addressText << '\n' << "node:        " << kind << '\n';
    context.out.flush();
    client.connectTo(address);
    const auto& hello = client.waitConnected(ConnectTimeout).wait();
    if (!hello.ok()) {
        context.out << "connected:   no\n";
        context.out.flush();
        return context.fail(QStringLiteral("cannot reach the node at %1: %2").arg(addressText, text(hello.error())));
    }
    context.out << "connected:   yes, as " << wire::proto::roleName(hello->role).data() << " (" 
                << QString::fromStdString(hello->software) << ")\n";
    const auto& status = client.adminStatus().wait();
    if (!status.ok()) {
        if (status.error().code() == ErrorCode::PermissionDenied)
            context.out << "status:      only the node's owner may see it\n";
        else
            return context.fail(QStringLiteral("the node did not report its status: %1").arg(text(status.error())));
        return ExitOk;
    }
    const wire::proto::StoreUse& store = status->store;
    context.out << "uptime:      " << durationText(status->uptimeSeconds) << '\n'
                << "connections: " << status->connections << '\n'
                << "store:       " << bytesText(store.liveBytes) << " used of " << bytesText(store.capacityBytes)
                << " (" << store.objectCount << " objects, " << bytesText(store.freeBytes) << " free)\n"
                << "mailboxes:   " << status->mailboxMessages << " messages, " << bytesText(status->mailboxBytes)
                << '\n';
    return ExitOk;
}

int runStatus(Context& context, app::Session& session)
{
    core::Vault& vault = session.profile().vault();
    auto configured = core::PersonalNode::configuredAddress(vault);
    if (!configured.ok())
        return context.fail(configured.error());
    if (*configured)
        return printStatus(context, session.profile().identity(), **configured, QStringLiteral("configured"));
    // No node configured: the personal node is the one the app runs. hivectl does not start
    // it (it would stop again when hivectl exits, and must not share the data with the app's).
    auto local = core::PersonalNode::localAddress(vault);
    if (!local.ok())
        return context.fail(local.error());
    if (!*local)
        return context.fail(QStringLiteral("no node configured; the app starts a local one (none has run for this "
                                           "profile yet), or use 'hivectl node use ADDRESS'"));
    return printStatus(context, session.profile().identity(), **local, QStringLiteral("local (started by the app)"));
}

int runUse(Context& context, const QString& argument)
{
    const bool local = argument == QLatin1String("local");
    if (!local) {
        // Validate before asking for a passphrase.
        auto parsed = wire::NodeAddress::parse(argument.trimmed().toStdString());
        if (!parsed.ok())
            return context.usage(QStringLiteral("invalid node address: %1").arg(text(parsed.error())), kNode);
    }
    auto session = openProfile(context);
    if (!session.ok())
        return context.fail(session.error());
    core::Vault& vault = session.value()->profile().vault();
    if (local) {
        auto cleared = core::PersonalNode::clearAddress(vault);
        if (!cleared.ok())
            return context.fail(cleared.error());
        context.out << "Using the local node the app starts.\n";
        return ExitOk;
    }
    auto stored = core::PersonalNode::storeAddress(vault, argument);
    if (!stored.ok())
        return context.fail(stored.error());
    context.out << "Saved the personal node's address.\n";
    return printStatus(context, session.value()->profile().identity(), *stored, QStringLiteral("configured"));
}

void setupNode(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("use"),
                                 QStringLiteral("'use ADDRESS': make hive://<node key>@host:port the profile's "
                                                "personal node (checked, saved, then connected to; exit code 1 if it "
                                                "cannot be reached). 'use local': go back to the local node the app "
                                                "starts."));
    parser.addPositionalArgument(QStringLiteral("status"),
                                 QStringLiteral("Show the node's address, whether it can be reached, its uptime, "
                                                "connections and store use. Exit code 1 if it cannot be reached. "
                                                "With no node configured this is the local node the app runs; "
                                                "hivectl does not start it."));
}

int runNode(Context& context, const QCommandLineParser& parser)
{
    const QStringList args = parser.positionalArguments();
    if (args.isEmpty())
        return context.usage(QStringLiteral("node needs 'use ADDRESS', 'use local' or 'status'"), kNode);
    const QString& sub = args.constFirst();
    if (sub == QLatin1String("use")) {
        if (args.size() != 2)
            return context.usage(QStringLiteral("node use needs exactly one ADDRESS (or 'local')"), kNode);
        return runUse(context, args.at(1));
    }
    if (sub == QLatin1String("status")) {
        if (args.size() != 1)
            return context.usage(QStringLiteral("node status takes no arguments"), kNode);
        auto session = openProfile(context);
        if (!session.ok())
            return context.fail(session.error());
        return runStatus(context, *session.value());
    }
    return context.usage(QStringLiteral("unknown node subcommand '%1'").arg(sub), kNode);
}

} // namespace

Command nodeCommand()
{
    return {kNode, QStringLiteral("node (use ADDRESS|local | status)"),
            QStringLiteral("Choose the personal node (hive://...) or show its status."), setupNode, runNode, 2};
}

} // namespace hive::cli
