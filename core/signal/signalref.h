// RAII owners for libsignal-protocol-c objects, so every object is released exactly once
// with its own release function on every path (the library's SIGNAL_UNREF is a C macro).
#pragma once

#include <signal/signal_protocol.h>

#include <memory>

namespace hive::core {

// Releases a reference-counted libsignal object (anything starting with signal_type_base).
template <typename T>
struct SignalUnref {
    void operator()(T* object) const
    {
        if (object != nullptr)
            signal_type_unref(reinterpret_cast<signal_type_base*>(object));
    }
};

// Owns one reference to a libsignal object.
template <typename T>
using SignalRef = std::unique_ptr<T, SignalUnref<T>>;

// signal_buffer is not reference counted; it is wiped and freed (it may hold key material).
struct SignalBufferFree {
    void operator()(signal_buffer* buffer) const
    {
        if (buffer != nullptr)
            signal_buffer_bzero_free(buffer);
    }
};
using SignalBuffer = std::unique_ptr<signal_buffer, SignalBufferFree>;

} // namespace hive::core
