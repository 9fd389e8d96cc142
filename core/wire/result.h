// hive::Result<T> and hive::Error: the one way fallible work reports failure in Hive.
// Qt-free, exception-free and usable freestanding (no allocation in Error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

namespace hive {

// Typed error codes. Callers branch on the code; the message is for people.
enum class ErrorCode : std::uint16_t {
    Ok = 0,
    InvalidArgument,   // caller passed something unusable
    Malformed,         // input bytes do not decode
    TooLarge,          // input exceeds a documented bound
    Unsupported,       // a version or feature this build does not know
    NotFound,
    AlreadyExists,
    WrongKey,          // wrong passphrase or key
    Corrupt,           // stored data failed an integrity check
    Io,                // the operating system refused a read or write
    NoSpace,           // disk full
    Crypto,            // a signature, MAC or key operation failed
    PermissionDenied,
    Unavailable,       // a service (keychain, node, camera) cannot be reached
    Timeout,
    Internal,
};

// Short, stable name of a code, for logs and tests.
constexpr std::string_view errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Ok: return "ok";
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::Malformed: return "malformed";
    case ErrorCode::TooLarge: return "too-large";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::AlreadyExists: return "already-exists";
    case ErrorCode::WrongKey: return "wrong-key";
    case ErrorCode::Corrupt: return "corrupt";
    case ErrorCode::Io: return "io";
    case ErrorCode::NoSpace: return "no-space";
    case ErrorCode::Crypto: return "crypto";
    case ErrorCode::PermissionDenied: return "permission-denied";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

// An error: a code plus a message a user can act on. The message lives inline (no
// allocation) and is truncated, never overflowed, if it is longer than the buffer.
class Error {
public:
    static constexpr std::size_t MaxMessage = 239;

    constexpr Error() = default;
    Error(ErrorCode code, std::string_view message) : m_code(code) { append(message); }

    ErrorCode code() const { return m_code; }
    // NUL-terminated message.
    const char* message() const { return m_message; }
    std::string_view messageView() const { return {m_message, m_length}; }

    // Appends more context ("opening vault: " + cause), returning *this for chaining.
    Error& append(std::string_view text)
    {
        for (char c : text) {
            if (m_length == MaxMessage)
                break;
            m_message[m_length++] = c;
        }
        m_message[m_length] = '\0';
        return *this;
    }
    Error& appendNumber(std::int64_t value)
    {
        char digits[24];
        std::size_t n = 0;
        bool negative = value < 0;
        std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
        do {
            digits[n++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        if (negative)
            append("-");
        while (n > 0)
            append(std::string_view(&digits[--n], 1));
        return *this;
    }
    // Returns a copy whose message is "context: original".
    Error withContext(std::string_view context) const
    {
        Error e(m_code, context);
        e.append(": ").append(messageView());
        return e;
    }

private:
    ErrorCode m_code = ErrorCode::Ok;
    std::size_t m_length = 0;
    char m_message[MaxMessage + 1] = {};
};

// Either a T or an Error. Move-only semantics follow T.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(const T& value) : m_ok(true) { new (&m_value) T(value); }
    Result(T&& value) : m_ok(true) { new (&m_value) T(std::move(value)); }
    Result(Error error) : m_ok(false) { new (&m_error) Error(error); }
    template <typename U>
        requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, T>
                 && !std::is_same_v<std::remove_cvref_t<U>, Error>)
    Result(U&& value) : m_ok(true)
    {
        new (&m_value) T(std::forward<U>(value));
    }

    Result(const Result& other) : m_ok(other.m_ok)
    {
        if (m_ok)
            new (&m_value) T(other.m_value);
        else
            new (&m_error) Error(other.m_error);
    }
    Result(Result&& other) noexcept : m_ok(other.m_ok)
    {
        if (m_ok)
            new (&m_value) T(std::move(other.m_value));
        else
            new (&m_error) Error(other.m_error);
    }
    Result& operator=(Result other)
    {
        destroy();
        m_ok = other.m_ok;
        if (m_ok)
            new (&m_value) T(std::move(other.m_value));
        else
            new (&m_error) Error(other.m_error);
        return *this;
    }
    ~Result() { destroy(); }

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }

    T& value() &
    {
        check(m_ok);
        return m_value;
    }
    const T& value() const&
    {
        check(m_ok);
        return m_value;
    }
    T&& value() &&
    {
        check(m_ok);
        return std::move(m_value);
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const
    {
        check(!m_ok);
        return m_error;
    }
    // Moves the value out; only valid when ok().
    T release() { return std::move(value()); }
    T valueOr(T fallback) const { return m_ok ? m_value : fallback; }

private:
    static void check(bool condition)
    {
        if (!condition)
            __builtin_trap(); // programmer error: reading the wrong side of a Result
    }
    void destroy()
    {
        if (m_ok)
            m_value.~T();
        else
            m_error.~Error();
    }

    bool m_ok;
    union {
        T m_value;
        Error m_error;
    };
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_ok(false), m_error(error) {}
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const
    {
        if (m_ok)
            __builtin_trap();
        return m_error;
    }
    void value() const
    {
        if (!m_ok)
            __builtin_trap();
    }

private:
    bool m_ok = true;
    Error m_error;
};

using Status = Result<void>;

inline Status success() { return {}; }

} // namespace hive

// Early return on error, in the spirit of SerenityOS TRY():
//   auto key = HIVE_TRY(deriveKey(...));
// evaluates to the value, or returns the Error from the enclosing function.
#define HIVE_TRY(expr)                                                                            \
    __extension__({                                                                                          \
        auto _hive_try_result = (expr);                                                           \
        if (!_hive_try_result.ok())                                                               \
            return _hive_try_result.error();                                                      \
        std::move(_hive_try_result).value();                                                      \
    })

// Like HIVE_TRY for Status-returning expressions used as statements.
#define HIVE_CHECK(expr)                                                                          \
    do {                                                                                          \
        auto _hive_check_result = (expr);                                                         \
        if (!_hive_check_result.ok())                                                             \
            return _hive_check_result.error();                                                    \
    } while (0)
