#include "net/stacknet.h"

namespace hive::net {

Status StackNet::listen(std::uint16_t port)
{
    SocketId id = HIVE_TRY(m_stack.listen(port));
    m_listeners.push_back(id);
    return success();
}

Result<std::size_t> StackNet::read(node::ConnId id, std::span<std::uint8_t> out) { return m_stack.read(id, out); }

Result<std::size_t> StackNet::write(node::ConnId id, ByteView in) { return m_stack.write(id, in); }

void StackNet::close(node::ConnId id)
{
    m_stack.close(id);
    // Drop notices for a connection the node gave up.
    for (auto it = m_notices.begin(); it != m_notices.end();)
        it = it->conn == id ? m_notices.erase(it) : it + 1;
}

bool StackNet::isListener(SocketId id) const
{
    for (SocketId l : m_listeners)
        if (l == id)
            return true;
    return false;
}

void StackNet::onStackEvent(const Event& event)
{
    switch (event.kind) {
    case EventKind::Acceptable:
        if (!isListener(event.socket))
            return;
        while (auto conn = m_stack.accept(event.socket))
            m_notices.push_back({node::NetEvent::Accepted, *conn});
        return;
    case EventKind::Readable: m_notices.push_back({node::NetEvent::Readable, event.socket}); return;
    case EventKind::Writable: m_notices.push_back({node::NetEvent::Writable, event.socket}); return;
    case EventKind::Closed: m_notices.push_back({node::NetEvent::Closed, event.socket}); return;
    case EventKind::Connected:
    case EventKind::UdpReadable:
    case EventKind::AddressAcquired:
    case EventKind::AddressLost: return;
    }
}

std::optional<NetNotice> StackNet::nextEvent()
{
    if (m_notices.empty())
        return std::nullopt;
    NetNotice n = m_notices.front();
    m_notices.pop_front();
    return n;
}

} // namespace hive::net
