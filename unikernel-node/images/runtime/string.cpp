// The C string/memory functions the compiler and libstdc++'s headers expect. This file is
// built with -fno-tree-loop-distribute-patterns so GCC does not turn these loops back
// into calls to themselves.
#include <cstddef>
#include <cstdint>

extern "C" {

void* memcpy(void* __restrict destination, const void* __restrict source, std::size_t size)
{
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    // Word copies when both sides are aligned alike; this is the hot path for packets.
    if (((reinterpret_cast<std::uintptr_t>(d) ^ reinterpret_cast<std::uintptr_t>(s)) & 7) == 0) {
        while (size > 0 && (reinterpret_cast<std::uintptr_t>(d) & 7) != 0) {
            *d++ = *s++;
            --size;
        }
        while (size >= 8) {
            std::uint64_t word;
            __builtin_memcpy(&word, s, 8);
            __builtin_memcpy(d, &word, 8);
            d += 8;
            s += 8;
            size -= 8;
        }
    }
    while (size-- > 0)
        *d++ = *s++;
    return destination;
}

void* memmove(void* destination, const void* source, std::size_t size)
{
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    if (d == s || size == 0)
        return destination;
    if (d < s || d >= s + size)
        return memcpy(destination, source, size);
    while (size-- > 0)
        d[size] = s[size];
    return destination;
}

void* memset(void* destination, int value, std::size_t size)
{
    auto* d = static_cast<unsigned char*>(destination);
    auto byte = static_cast<unsigned char>(value);
    while (size > 0 && (reinterpret_cast<std::uintptr_t>(d) & 7) != 0) {
        *d++ = byte;
        --size;
    }
    std::uint64_t word = 0x0101010101010101ull * byte;
    while (size >= 8) {
        __builtin_memcpy(d, &word, 8);
        d += 8;
        size -= 8;
    }
    while (size-- > 0)
        *d++ = byte;
    return destination;
}

int memcmp(const void* left, const void* right, std::size_t size)
{
    const auto* a = static_cast<const unsigned char*>(left);
    const auto* b = static_cast<const unsigned char*>(right);
    for (std::size_t i = 0; i < size; ++i)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

int bcmp(const void* left, const void* right, std::size_t size) { return memcmp(left, right, size); }

void* memchr(const void* data, int value, std::size_t size)
{
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i)
        if (p[i] == static_cast<unsigned char>(value))
            return const_cast<unsigned char*>(p + i);
    return nullptr;
}

std::size_t strlen(const char* text)
{
    std::size_t n = 0;
    while (text[n] != '\0')
        ++n;
    return n;
}

std::size_t strnlen(const char* text, std::size_t limit)
{
    std::size_t n = 0;
    while (n < limit && text[n] != '\0')
        ++n;
    return n;
}

int strcmp(const char* left, const char* right)
{
    while (*left != '\0' && *left == *right) {
        ++left;
        ++right;
    }
    return static_cast<unsigned char>(*left) - static_cast<unsigned char>(*right);
}

int strncmp(const char* left, const char* right, std::size_t size)
{
    for (std::size_t i = 0; i < size; ++i) {
        if (left[i] != right[i] || left[i] == '\0')
            return static_cast<unsigned char>(left[i]) - static_cast<unsigned char>(right[i]);
    }
    return 0;
}

char* strchr(const char* text, int c)
{
    for (;; ++text) {
        if (*text == static_cast<char>(c))
            return const_cast<char*>(text);
        if (*text == '\0')
            return nullptr;
    }
}

} // extern "C"
