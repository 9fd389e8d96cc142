// NodeReply<T>: the answer to one NodeClient request, delivered later on the client's
// thread. A small future: hold it, attach a continuation with then(), or block a command
// line tool on it with wait() (which spins a local event loop; every request ends by its
// timeout at the latest, so wait() always returns).
#pragma once

#include "wire/result.h"

#include <QEventLoop>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace hive::core {

template <typename T>
class NodeReply {
public:
    using Continuation = std::function<void(const Result<T>&)>;

    // A reply that is not finished yet.
    NodeReply() : m_state(std::make_shared<State>()) {}
    // A reply that is already finished with `result`.
    static NodeReply finished(Result<T> result)
    {
        NodeReply reply;
        reply.finish(std::move(result));
        return reply;
    }

    bool isFinished() const { return m_state->result.has_value(); }
    // The result; only valid once isFinished().
    const Result<T>& result() const { return *m_state->result; }

    // Calls fn with the result once it is there (right away if it already is). fn is dropped
    // without being called if `context` (when not null) is destroyed first.
    void then(QObject* context, Continuation fn) const
    {
        if (m_state->result) {
            fn(*m_state->result);
            return;
        }
        m_state->continuations.push_back({context != nullptr, QPointer<QObject>(context), std::move(fn)});
    }

    // Runs a local event loop until the reply is finished, then returns a copy of the
    // result. A copy, because callers write `client.ping().wait()`: a reference into the
    // temporary reply would dangle at the end of that statement.
    Result<T> wait() const
    {
        if (!m_state->result) {
            QEventLoop loop;
            then(&loop, [&loop](const Result<T>&) { loop.quit(); });
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        }
        return *m_state->result;
    }

    // Completes the reply (only the first call counts) and runs the continuations.
    void finish(Result<T> result) const
    {
        if (m_state->result)
            return;
        m_state->result.emplace(std::move(result));
        auto continuations = std::move(m_state->continuations);
        m_state->continuations.clear();
        // Keep the state alive even if a continuation drops the last other handle.
        auto keep = m_state;
        for (auto& c : continuations) {
            if (!c.guarded || c.context)
                c.fn(*keep->result);
        }
    }

private:
    struct Pending {
        bool guarded = false;
        QPointer<QObject> context;
        Continuation fn;
    };
    struct State {
        std::optional<Result<T>> result;
        std::vector<Pending> continuations;
    };
    std::shared_ptr<State> m_state;
};

} // namespace hive::core
