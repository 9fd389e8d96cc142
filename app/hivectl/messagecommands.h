// hivectl's messaging commands (docs/messaging.md):
//   hivectl send NAME TEXT             a message to a contact or group (by name)
//   hivectl send NAME --file PATH      an attachment
//   hivectl messages NAME [--json]     the history of a chat; marks it read (read receipts)
//   hivectl group create NAME MEMBER... | add GROUP NAME | remove GROUP NAME | send GROUP TEXT
// and what `hivectl sync` needs to hand Signal envelopes to the Messenger.
#pragma once

#include "cli.h"

#include "wire/result.h"

#include <memory>

namespace hive::core {
class NodeClient;
class SignalContext;
}

namespace hive::messaging {
class Messenger;
class MessengerInboxHandler;
class NodeKeyDirectory;
class NodeObjectStore;
class OutboxTransport;
}

namespace hive::cli {

struct TrustStack;

// The Messenger of an opened profile, in teardown order.
struct MessagingStack {
    std::unique_ptr<core::SignalContext> signal;
    std::unique_ptr<messaging::NodeKeyDirectory> directory;
    std::unique_ptr<messaging::OutboxTransport> transport;
    std::unique_ptr<messaging::NodeObjectStore> objects;
    std::unique_ptr<messaging::Messenger> messenger;
    std::unique_ptr<messaging::MessengerInboxHandler> handler;

    MessagingStack();
    MessagingStack(MessagingStack&&) noexcept;
    ~MessagingStack();
};

// Opens the Messenger over the trust services; `own` is the client of the own node (it may
// be disconnected: then nothing can be published or fetched).
Result<MessagingStack> openMessaging(TrustStack& trust, core::NodeClient& own);

Command sendCommand();
Command messagesCommand();
Command groupCommand();

} // namespace hive::cli
