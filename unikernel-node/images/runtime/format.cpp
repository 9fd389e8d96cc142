#include "runtime/format.h"

#include "runtime/arch.h"

#include <cstdint>

namespace hive::image {

namespace {

// Bounded output cursor: counts what fits, drops the rest.
struct Sink {
    char* out;
    std::size_t capacity;
    std::size_t length = 0;

    void put(char c)
    {
        if (length + 1 < capacity)
            out[length] = c;
        ++length;
    }
};

void putPadded(Sink& sink, const char* text, std::size_t size, std::size_t width, bool left, char pad)
{
    std::size_t fill = width > size ? width - size : 0;
    if (!left)
        for (std::size_t i = 0; i < fill; ++i)
            sink.put(pad);
    for (std::size_t i = 0; i < size; ++i)
        sink.put(text[i]);
    if (left)
        for (std::size_t i = 0; i < fill; ++i)
            sink.put(' ');
}

void putNumber(Sink& sink, std::uint64_t value, unsigned base, bool upper, bool negative, std::size_t width,
               bool left, char pad)
{
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buffer[24];
    std::size_t n = 0;
    do {
        buffer[sizeof buffer - 1 - n++] = digits[value % base];
        value /= base;
    } while (value != 0);
    if (negative) {
        // A zero-padded negative number keeps its sign in front of the zeros.
        if (pad == '0' && !left) {
            sink.put('-');
            if (width > 0)
                --width;
        } else {
            buffer[sizeof buffer - 1 - n++] = '-';
        }
    }
    putPadded(sink, buffer + sizeof buffer - n, n, width, left, pad);
}

} // namespace

std::size_t formatToV(char* out, std::size_t capacity, const char* format, va_list args)
{
    Sink sink{out, capacity};
    for (const char* p = format; *p != '\0'; ++p) {
        if (*p != '%') {
            sink.put(*p);
            continue;
        }
        ++p;
        bool left = false;
        char pad = ' ';
        for (;; ++p) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                pad = '0';
            else
                break;
        }
        std::size_t width = 0;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + static_cast<std::size_t>(*p++ - '0');
        int precision = -1;
        if (*p == '.' && p[1] == '*') {
            precision = va_arg(args, int);
            p += 2;
        }
        int longness = 0;
        bool sizeT = false;
        while (*p == 'l') {
            ++longness;
            ++p;
        }
        if (*p == 'z') {
            sizeT = true;
            ++p;
        }
        auto fetchUnsigned = [&]() -> std::uint64_t {
            if (sizeT)
                return va_arg(args, std::size_t);
            if (longness >= 2)
                return va_arg(args, unsigned long long);
            if (longness == 1)
                return va_arg(args, unsigned long);
            return va_arg(args, unsigned int);
        };
        switch (*p) {
        case 'd':
        case 'i': {
            std::int64_t v;
            if (sizeT)
                v = static_cast<std::int64_t>(va_arg(args, std::size_t));
            else if (longness >= 2)
                v = va_arg(args, long long);
            else if (longness == 1)
                v = va_arg(args, long);
            else
                v = va_arg(args, int);
            std::uint64_t magnitude = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
            putNumber(sink, magnitude, 10, false, v < 0, width, left, pad);
            break;
        }
        case 'u':
            putNumber(sink, fetchUnsigned(), 10, false, false, width, left, pad);
            break;
        case 'x':
        case 'X':
            putNumber(sink, fetchUnsigned(), 16, *p == 'X', false, width, left, pad);
            break;
        case 'p': {
            auto v = reinterpret_cast<std::uintptr_t>(va_arg(args, void*));
            sink.put('0');
            sink.put('x');
            putNumber(sink, v, 16, false, false, width, left, pad);
            break;
        }
        case 'c': {
            char c = static_cast<char>(va_arg(args, int));
            putPadded(sink, &c, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char* s = va_arg(args, const char*);
            if (s == nullptr)
                s = "(null)";
            std::size_t n = 0;
            while ((precision < 0 || n < static_cast<std::size_t>(precision)) && s[n] != '\0')
                ++n;
            putPadded(sink, s, n, width, left, ' ');
            break;
        }
        case '%':
            sink.put('%');
            break;
        case '\0':
            --p; // a lone '%' at the end: stop at the terminator
            break;
        default:
            sink.put('%');
            sink.put(*p);
            break;
        }
    }
    if (capacity > 0)
        out[sink.length < capacity ? sink.length : capacity - 1] = '\0';
    return sink.length < capacity ? sink.length : (capacity > 0 ? capacity - 1 : 0);
}

std::size_t formatTo(char* out, std::size_t capacity, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    std::size_t n = formatToV(out, capacity, format, args);
    va_end(args);
    return n;
}

void kprint(const char* format, ...)
{
    char line[256];
    va_list args;
    va_start(args, format);
    std::size_t n = formatToV(line, sizeof line - 1, format, args);
    va_end(args);
    line[n++] = '\n';
    archConsoleWrite(line, n);
}

void panic(const char* format, ...)
{
    char line[256];
    std::size_t n = formatTo(line, sizeof line, "panic: ");
    va_list args;
    va_start(args, format);
    n += formatToV(line + n, sizeof line - 1 - n, format, args);
    va_end(args);
    line[n++] = '\n';
    archConsoleWrite(line, n);
    archPanicHalt();
}

} // namespace hive::image
