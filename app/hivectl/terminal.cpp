#include "terminal.h"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>

namespace hive::cli {

bool stdinIsTerminal()
{
    return isatty(STDIN_FILENO) == 1;
}

Result<QByteArray> readHiddenLine(const char* prompt)
{
    std::fputs(prompt, stderr);
    std::fflush(stderr);

    termios saved {};
    const bool haveTerminal = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (haveTerminal) {
        termios silent = saved;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }

    std::array<char, 1024> buffer {};
    const bool read = std::fgets(buffer.data(), static_cast<int>(buffer.size()), stdin) != nullptr;

    if (haveTerminal)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputs("\n", stderr);

    if (!read) {
        sodium_memzero(buffer.data(), buffer.size());
        return Error(ErrorCode::Io, "no passphrase was entered");
    }
    std::size_t length = std::strlen(buffer.data());
    while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r'))
        --length;
    QByteArray line(buffer.data(), static_cast<qsizetype>(length));
    sodium_memzero(buffer.data(), buffer.size());
    return line;
}

} // namespace hive::cli
