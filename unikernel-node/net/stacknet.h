// hive::node::Net on top of our Stack, for the images (and any target that drives a Stack
// over a frame device). The target's loop forwards the Stack's events with onStackEvent()
// and the node takes them as (NetEvent, ConnId) pairs from nextEvent().
#pragma once

#include "core/devices.h"
#include "net/stack.h"

#include <deque>

namespace hive::net {

struct NetNotice {
    node::NetEvent event;
    node::ConnId conn;
};

class StackNet {
public:
    explicit StackNet(Stack& stack) : m_stack(stack) {}

    // Starts listening on a TCP port (all interfaces).
    Status listen(std::uint16_t port);
    Result<std::size_t> read(node::ConnId id, std::span<std::uint8_t> out);
    Result<std::size_t> write(node::ConnId id, ByteView in);
    void close(node::ConnId id);

    // Feeds one event taken from Stack::nextEvent(); accepts new connections of our listeners.
    void onStackEvent(const Event& event);
    // Next event for the node, if any.
    std::optional<NetNotice> nextEvent();

private:
    bool isListener(SocketId id) const;

    Stack& m_stack;
    std::vector<SocketId> m_listeners;
    std::deque<NetNotice> m_notices;
};

static_assert(node::Net<StackNet>);

} // namespace hive::net
