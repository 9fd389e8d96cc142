#include "signal/signalcontext.h"

#include "signal/signalcrypto.h"

#include <QLoggingCategory>

namespace hive::core {

namespace {

Q_LOGGING_CATEGORY(lcSignal, "hive.signal")

void logMessage(int level, const char* message, size_t length, void*)
{
    const QString text = QString::fromUtf8(message, static_cast<qsizetype>(length));
    if (level <= SG_LOG_WARNING)
        qCWarning(lcSignal).noquote() << text;
    else
        qCDebug(lcSignal).noquote() << text;
}

} // namespace

Result<std::unique_ptr<SignalContext>> SignalContext::create()
{
    std::unique_ptr<SignalContext> context(new SignalContext());
    if (signal_context_create(&context->m_context, context.get()) != 0 || context->m_context == nullptr)
        return Error(ErrorCode::Internal, "libsignal could not create its context");
    const signal_crypto_provider provider = signalcrypto::provider();
    if (signal_context_set_crypto_provider(context->m_context, &provider) != 0
        || signal_context_set_locking_functions(context->m_context, &SignalContext::lock, &SignalContext::unlock) != 0
        || signal_context_set_log_function(context->m_context, logMessage) != 0)
        return Error(ErrorCode::Internal, "libsignal refused Hive's crypto provider");
    return context;
}

SignalContext::~SignalContext()
{
    if (m_context != nullptr)
        signal_context_destroy(m_context);
}

void SignalContext::lock(void* userData) { static_cast<SignalContext*>(userData)->m_mutex.lock(); }

void SignalContext::unlock(void* userData) { static_cast<SignalContext*>(userData)->m_mutex.unlock(); }

Error signalError(int code, std::string_view what)
{
    Error e(code == SG_ERR_NOMEM ? ErrorCode::Internal : ErrorCode::Crypto, what);
    switch (code) {
    case SG_ERR_NOMEM: e.append(": out of memory"); break;
    case SG_ERR_INVAL: e.append(": invalid argument"); break;
    case SG_ERR_INVALID_KEY: e.append(": invalid key"); break;
    case SG_ERR_INVALID_PROTO_BUF: e.append(": the data is not a valid libsignal message"); break;
    case SG_ERR_FP_VERSION_MISMATCH: e.append(": the scanned code is of another version"); break;
    case SG_ERR_FP_IDENT_MISMATCH: e.append(": the scanned code is for other people"); break;
    default: e.append(" (libsignal error ").appendNumber(code).append(")"); break;
    }
    return e;
}

} // namespace hive::core
