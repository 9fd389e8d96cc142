// The commands of hivectl: one function each, listed in commands() at the bottom.
#include "cli.h"

#include "grantcommands.h"
#include "messagecommands.h"
#include "nodecommands.h"
#include "synccommands.h"
#include "trustcommands.h"
#include "session.h"

#include "identity/identity.h"
#include "plugin/pluginhost.h"
#include "profile/profile.h"
#include "wire/base32.h"

#include <QCommandLineParser>

#include <sodium.h>

#include <algorithm>

namespace hive::cli {

namespace {

void wipe(QByteArray& bytes)
{
    if (!bytes.isEmpty())
        sodium_memzero(bytes.data(), static_cast<std::size_t>(bytes.size()));
}

// Turns the core's error for an unopenable profile into a message that says what to do.
QString describeOpenError(const Context& context, const Error& error)
{
    switch (error.code()) {
    case ErrorCode::WrongKey:
        return QStringLiteral("wrong passphrase for the profile in %1").arg(context.profileDir);
    case ErrorCode::Unavailable:
        return QStringLiteral("the system keychain cannot be reached: %1").arg(QString::fromUtf8(error.message()));
    default:
        return QStringLiteral("cannot open the profile in %1: %2")
            .arg(context.profileDir, QString::fromUtf8(error.message()));
    }
}

// Opens the profile of the global --profile, asking for its passphrase if it has one.
Result<std::unique_ptr<app::Session>> openSession(const Context& context)
{
    QByteArray passphrase;
    switch (core::Profile::probe(context.profileDir)) {
    case core::ProfileState::Missing:
        return Error(ErrorCode::NotFound, "no profile there");
    case core::ProfileState::Passphrase:
        passphrase = HIVE_TRY(context.passphrase(false));
        break;
    case core::ProfileState::Keychain:
    case core::ProfileState::Damaged:
        // Damaged profiles are still opened so the core can say precisely what is wrong.
        break;
    }
    auto session = app::Session::open(context.profileDir, passphrase);
    wipe(passphrase);
    return session;
}

int failToOpen(const Context& context, const Error& error)
{
    if (error.code() == ErrorCode::NotFound && core::Profile::probe(context.profileDir) == core::ProfileState::Missing)
        return context.fail(QStringLiteral("no profile in %1; create one with 'hivectl init --name NAME'")
                                .arg(context.profileDir));
    if (error.code() == ErrorCode::InvalidArgument)
        return context.fail(error);
    return context.fail(describeOpenError(context, error));
}

// --- init -----------------------------------------------------------------------------

void setupInit(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("name"), QStringLiteral("Your display name, as friends will see it."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("keychain"),
                      QStringLiteral("Keep the vault key in the system keychain instead of deriving it from a "
                                     "passphrase (HIVE_PASSPHRASE or a prompt).")});
}

int runInit(Context& context, const QCommandLineParser& parser)
{
    if (!parser.isSet(QStringLiteral("name")))
        return context.usage(QStringLiteral("init needs --name NAME"), QStringLiteral("init"));
    const auto name = core::Identity::validateDisplayName(parser.value(QStringLiteral("name")));
    if (!name.ok())
        return context.usage(QStringLiteral("invalid --name: %1").arg(QString::fromUtf8(name.error().message())),
                             QStringLiteral("init"));
    if (core::Profile::probe(context.profileDir) != core::ProfileState::Missing)
        return context.fail(QStringLiteral("a profile already exists in %1").arg(context.profileDir));

    const bool keychain = parser.isSet(QStringLiteral("keychain"));
    QByteArray passphrase;
    if (!keychain) {
        auto entered = context.passphrase(true);
        if (!entered.ok())
            return context.fail(entered.error());
        passphrase = std::move(entered).value();
    }
    auto profile = core::Profile::create(context.profileDir, name.value(),
                                         keychain ? core::KeyProtection::Keychain : core::KeyProtection::Passphrase,
                                         passphrase);
    wipe(passphrase);
    if (!profile.ok()) {
        if (profile.error().code() == ErrorCode::Unavailable)
            return context.fail(QStringLiteral("the system keychain cannot be reached (%1); leave out --keychain "
                                               "to protect the profile with a passphrase")
                                    .arg(QString::fromUtf8(profile.error().message())));
        return context.fail(QStringLiteral("cannot create a profile in %1: %2")
                                .arg(context.profileDir, QString::fromUtf8(profile.error().message())));
    }
    context.out << "Created the profile of " << profile.value()->identity().displayName() << " in "
                << profile.value()->directory() << '\n'
                << "fingerprint: " << profile.value()->identity().fingerprint() << '\n';
    return ExitOk;
}

// --- whoami ---------------------------------------------------------------------------

int runWhoami(Context& context, const QCommandLineParser&)
{
    auto session = openSession(context);
    if (!session.ok())
        return failToOpen(context, session.error());
    const core::Identity& identity = session.value()->profile().identity();
    const auto key = identity.publicKey();
    context.out << "name:        " << identity.displayName() << '\n'
                << "fingerprint: " << identity.fingerprint() << '\n'
                << "key:         " << QString::fromStdString(base32::encode(key)) << '\n';
    return ExitOk;
}

// --- plugins --------------------------------------------------------------------------

int runPlugins(Context& context, const QCommandLineParser&)
{
    auto session = openSession(context);
    if (!session.ok())
        return failToOpen(context, session.error());
    app::Session& s = *session.value();
    s.startPlugins();
    const QList<core::PluginInfo> plugins = s.plugins().plugins();

    qsizetype idWidth = 2;
    qsizetype versionWidth = 7;
    qsizetype stateWidth = 5;
    for (const core::PluginInfo& info : plugins) {
        idWidth = std::max(idWidth, info.id.size());
        versionWidth = std::max(versionWidth, info.version.size());
        stateWidth = std::max(stateWidth, core::PluginHost::stateName(info.state).size());
    }
    for (const core::PluginInfo& info : plugins) {
        QString line = info.id.leftJustified(idWidth + 2) + info.version.leftJustified(versionWidth + 2);
        const QString state = core::PluginHost::stateName(info.state);
        line += info.error.isEmpty() ? state : state.leftJustified(stateWidth + 2) + info.error;
        context.out << line.trimmed() << '\n';
    }
    return ExitOk;
}

} // namespace

const std::vector<Command>& commands()
{
    static const std::vector<Command> table = {
        {QStringLiteral("init"), QStringLiteral("init --name NAME [--keychain]"),
         QStringLiteral("Create a new profile with a fresh identity."), setupInit, runInit, 0},
        {QStringLiteral("whoami"), QStringLiteral("whoami"),
         QStringLiteral("Show the profile's display name, fingerprint and identity key."), nullptr, runWhoami, 0},
        {QStringLiteral("plugins"), QStringLiteral("plugins"),
         QStringLiteral("List the plugins with their version and state."), nullptr, runPlugins, 0},
        nodeCommand(),
        cardCommand(),
        contactCommand(),
        syncCommand(),
        grantCommand(),
        objectsCommand(),
        sendCommand(),
        messagesCommand(),
        groupCommand(),
    };
    return table;
}

} // namespace hive::cli
