#include "cli.h"

#include "terminal.h"

#include "profile/profile.h"
#include "session.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <sodium.h>

#include <algorithm>

namespace hive::cli {

namespace {

const QString kProgram = QStringLiteral("hivectl");

QString topLevelHelp()
{
    QString text;
    QTextStream s(&text);
    s << "Usage: hivectl [--profile DIR] COMMAND [options]\n\n"
      << "Hive on the command line: the same profile and core as the app, without a window.\n\n"
      << "Global options:\n"
      << "  --profile DIR   Use the profile in DIR (default: " << core::Profile::defaultLocation() << ").\n"
      << "  -h, --help      Show this help.\n"
      << "  -v, --version   Show the version.\n\n"
      << "Commands:\n";
    int width = 0;
    for (const Command& command : commands())
        width = std::max(width, static_cast<int>(command.name.size()));
    for (const Command& command : commands())
        s << "  " << command.name.leftJustified(width + 2) << command.summary << '\n';
    s << "\nRun 'hivectl COMMAND --help' for the options of a command.\n"
      << "A passphrase-protected profile reads its passphrase from HIVE_PASSPHRASE, or asks for it\n"
      << "on the terminal.\n"
      << "Exit codes: 0 success, 1 error, 2 usage error.\n";
    return text;
}

QString commandHelp(const Command& command, const QCommandLineParser& parser)
{
    // QCommandLineParser's own usage line names the executable path and not the command;
    // replace it with the command's syntax.
    QString text = parser.helpText();
    const qsizetype firstLineEnd = text.indexOf(QLatin1Char('\n'));
    return QStringLiteral("Usage: hivectl [--profile DIR] %1\n").arg(command.syntax)
        + (firstLineEnd >= 0 ? text.mid(firstLineEnd + 1) : QString());
}

int runCommand(const Command& command, Context& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(command.summary);
    // Not addHelpOption(): its --help-all lists Qt's own options, which hivectl has not.
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")});
    if (command.setup)
        command.setup(parser);
    if (!parser.parse(QStringList{kProgram + QLatin1Char(' ') + command.name} + arguments))
        return context.usage(parser.errorText(), command.name);
    if (parser.isSet(QStringLiteral("help"))) {
        context.out << commandHelp(command, parser);
        return ExitOk;
    }
    if (parser.positionalArguments().size() > command.maxPositional)
        return context.usage(QStringLiteral("unexpected argument '%1'")
                                 .arg(parser.positionalArguments().at(command.maxPositional)),
                             command.name);
    return command.run(context, parser);
}

} // namespace

int Context::fail(const QString& message) const
{
    err << kProgram << ": " << message << '\n';
    err.flush();
    return ExitError;
}

int Context::fail(const Error& error) const
{
    return fail(QString::fromUtf8(error.message()));
}

int Context::usage(const QString& message, const QString& command) const
{
    err << kProgram << ": " << message << '\n';
    if (command.isEmpty())
        err << "Run 'hivectl --help' for usage.\n";
    else
        err << "Run 'hivectl " << command << " --help' for usage.\n";
    err.flush();
    return ExitUsage;
}

Result<QByteArray> Context::passphrase(bool confirm) const
{
    QByteArray fromEnvironment = qgetenv("HIVE_PASSPHRASE");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    if (!stdinIsTerminal())
        return Error(ErrorCode::InvalidArgument,
                     "this profile needs a passphrase: set HIVE_PASSPHRASE or run hivectl on a terminal");
    QByteArray first = HIVE_TRY(readHiddenLine("Passphrase: "));
    if (first.isEmpty())
        return Error(ErrorCode::InvalidArgument, "the passphrase must not be empty");
    if (confirm) {
        QByteArray second = HIVE_TRY(readHiddenLine("Repeat the passphrase: "));
        const bool same = first == second;
        sodium_memzero(second.data(), static_cast<std::size_t>(second.size()));
        if (!same) {
            sodium_memzero(first.data(), static_cast<std::size_t>(first.size()));
            return Error(ErrorCode::InvalidArgument, "the two passphrases do not match");
        }
    }
    return first;
}

Result<std::unique_ptr<app::Session>> openProfile(const Context& context)
{
    QByteArray passphrase;
    switch (core::Profile::probe(context.profileDir)) {
    case core::ProfileState::Missing: {
        Error error(ErrorCode::NotFound, "no profile in ");
        error.append(context.profileDir.toStdString()).append("; create one with 'hivectl init --name NAME'");
        return error;
    }
    case core::ProfileState::Passphrase:
        passphrase = HIVE_TRY(context.passphrase(false));
        break;
    case core::ProfileState::Keychain:
    case core::ProfileState::Damaged:
        break;
    }
    auto session = app::Session::open(context.profileDir, passphrase);
    if (!passphrase.isEmpty())
        sodium_memzero(passphrase.data(), static_cast<std::size_t>(passphrase.size()));
    if (!session.ok())
        return session.error().withContext("cannot open the profile");
    return session;
}

int run(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    QCommandLineParser parser;
    // Everything from the command name on belongs to the command's own parser.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption profileOption(QStringLiteral("profile"), QStringLiteral("Profile directory."),
                                           QStringLiteral("DIR"));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Help."));
    const QCommandLineOption versionOption({QStringLiteral("v"), QStringLiteral("version")},
                                           QStringLiteral("Version."));
    parser.addOptions({profileOption, helpOption, versionOption});

    Context context{core::Profile::defaultLocation(), out, err};
    if (!parser.parse(QStringList{kProgram} + arguments))
        return context.usage(parser.errorText());
    if (parser.isSet(profileOption))
        context.profileDir = parser.value(profileOption);
    if (context.profileDir.isEmpty())
        return context.usage(QStringLiteral("--profile needs a directory"));

    const QStringList rest = parser.positionalArguments();
    if (parser.isSet(helpOption)) {
        out << topLevelHelp();
        return ExitOk;
    }
    if (parser.isSet(versionOption)) {
        out << kProgram << ' ' << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    if (rest.isEmpty())
        return context.usage(QStringLiteral("no command given"));

    const QString& name = rest.constFirst();
    for (const Command& command : commands()) {
        if (command.name == name)
            return runCommand(command, context, rest.mid(1));
    }
    return context.usage(QStringLiteral("unknown command '%1'").arg(name));
}

} // namespace hive::cli
