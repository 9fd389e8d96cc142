// The vault tables of the messaging component ("messaging"): Signal stores, chats,
// members and messages. One list of steps shared by the plugin and Messenger, so whichever
// opens the vault first brings it to the same version.
#pragma once

#include <span>

namespace hive::core {
struct Migration;
}

namespace hive::messaging {

// Component name under which the tables are versioned.
inline constexpr const char* MessagingComponent = "messaging";

// Every step of the messaging schema, oldest first.
std::span<const core::Migration> messagingSchema();

} // namespace hive::messaging
