// SignalContext: the one libsignal-protocol-c global context of a process part (the app,
// hivectl, a test), with Hive's crypto provider (signalcrypto.h) and recursive locking.
// Everything that calls libsignal (safety numbers here, sessions in the messaging plugin)
// receives it by reference from the composition root.
#pragma once

#include "wire/result.h"

#include <signal/signal_protocol.h>

#include <memory>
#include <mutex>

namespace hive::core {

class SignalContext {
public:
    // Creates the context and installs the crypto provider, locking and logging.
    static Result<std::unique_ptr<SignalContext>> create();
    ~SignalContext();
    SignalContext(const SignalContext&) = delete;
    SignalContext& operator=(const SignalContext&) = delete;

    // The libsignal handle to pass to its functions; owned by this object.
    signal_context* get() const { return m_context; }

private:
    SignalContext() = default;
    static void lock(void* userData);
    static void unlock(void* userData);

    signal_context* m_context = nullptr;
    // libsignal requires locks that the same thread may take again.
    std::recursive_mutex m_mutex;
};

// A message for people from a libsignal error code (SG_ERR_*).
Error signalError(int code, std::string_view what);

} // namespace hive::core
