// A small printf-style formatter for the console: no allocation, never overflows.
// Supports %s %c %d %i %u %x %X %p %% with the l/ll/z length modifiers, a field width and
// '0' / '-' flags, and %.*s for string views.
#pragma once

#include <cstdarg>
#include <cstddef>

namespace hive::image {

// Formats into out (always NUL-terminated when capacity > 0); returns the characters written.
std::size_t formatTo(char* out, std::size_t capacity, const char* format, ...)
    __attribute__((format(printf, 3, 4)));
// va_list form of formatTo.
std::size_t formatToV(char* out, std::size_t capacity, const char* format, va_list args);

// Formats and writes one line (a newline is appended) to the boot console.
void kprint(const char* format, ...) __attribute__((format(printf, 1, 2)));

// Prints "panic: <message>" and stops the machine.
[[noreturn]] void panic(const char* format, ...) __attribute__((format(printf, 1, 2)));

} // namespace hive::image
