// hivectl's command dispatch. Global options come first (`--profile DIR`), then a command
// from a table; each command parses its own arguments with its own QCommandLineParser and
// has its own --help. To add a command (later: node, contact, grant, send, ...), write a
// function with the Command::Run signature and add one row to commands() in cli.cpp.
#pragma once

#include "wire/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>
#include <vector>

class QCommandLineParser;

namespace hive::app {
class Session;
}

namespace hive::cli {

// Process exit codes of hivectl.
enum ExitCode : int {
    ExitOk = 0,
    ExitError = 1, // the command was understood but failed
    ExitUsage = 2, // unknown command or option, missing argument
};

// What every command receives: the global options and the streams to write to.
struct Context {
    QString profileDir;
    QTextStream& out;
    QTextStream& err;

    // Prints "hivectl: MESSAGE" on stderr and returns ExitError.
    int fail(const QString& message) const;
    // Same, for an Error from the core.
    int fail(const Error& error) const;
    // Prints "hivectl: MESSAGE" and a pointer to the command's --help; returns ExitUsage.
    int usage(const QString& message, const QString& command = {}) const;
    // The passphrase for a passphrase profile: HIVE_PASSPHRASE, else a prompt on a terminal.
    // `confirm` asks twice (for new passphrases). Fails when neither is available.
    Result<QByteArray> passphrase(bool confirm) const;
};

// Opens the profile of --profile (its passphrase from HIVE_PASSPHRASE or a prompt); says
// how to create one when there is none.
Result<std::unique_ptr<app::Session>> openProfile(const Context& context);

struct Command {
    using Setup = std::function<void(QCommandLineParser&)>;
    using Run = std::function<int(Context&, const QCommandLineParser&)>;

    QString name;
    QString syntax;    // usage line after "hivectl [--profile DIR] ", e.g. "init --name NAME"
    QString summary;   // one line, shown by `hivectl --help`
    Setup setup;       // adds the command's options and positional arguments
    Run run;           // called after parsing succeeded and --help was not asked for
    int maxPositional = 0;
};

// The table of commands, in the order `hivectl --help` lists them.
const std::vector<Command>& commands();

// Runs hivectl with `arguments` (argv without the program name); returns the exit code.
int run(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace hive::cli
