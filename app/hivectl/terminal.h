// Reading a secret from the terminal without echoing it.
#pragma once

#include "wire/result.h"

#include <QByteArray>

namespace hive::cli {

// True if standard input is a terminal a person can type into.
bool stdinIsTerminal();
// Prints `prompt` on stderr and reads one line from stdin with echo off. The line is
// returned without its newline; buffers holding it are wiped.
Result<QByteArray> readHiddenLine(const char* prompt);

} // namespace hive::cli
