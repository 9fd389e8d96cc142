// hivectl: Hive without a window. Same core and plugins as the app; see cli.h for how
// commands are dispatched.
#include "cli.h"

#include "staticplugins.h"

#include <QCoreApplication>
#include <QTextStream>

#include <sodium.h>

#include <cstdio>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    // The same application name as the GUI, so both find the same default profile.
    QCoreApplication::setApplicationName(QStringLiteral("hive"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HIVE_VERSION));
    if (sodium_init() < 0) {
        std::fputs("hivectl: libsodium could not be initialised\n", stderr);
        return hive::cli::ExitError;
    }
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int code = hive::cli::run(QCoreApplication::arguments().mid(1), out, err);
    out.flush();
    err.flush();
    return code;
}
