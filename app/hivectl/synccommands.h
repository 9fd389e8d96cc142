// hivectl sync, and what the trust, grant and sync commands share: the profile opened with
// its contacts, invites, outbox and trust network, and the connection to the own node.
//   hivectl sync     posts what the outbox holds, then fetches the own node's mailboxes and
//                    hands each envelope to its handler (friend requests, notes: grants,
//                    revocations, "accepted"); prints what arrived
#pragma once

#include "cli.h"

#include "wire/nodeaddress.h"
#include "wire/result.h"

#include <memory>
#include <optional>

namespace hive::app {
class Session;
}

namespace hive::core {
class Contacts;
class Invites;
class Outbox;
class TrustNetwork;
class Vault;
}

namespace hive::cli {

// Everything the trust commands work with, opened once, in teardown order.
struct TrustStack {
    std::unique_ptr<app::Session> session;
    std::unique_ptr<core::Contacts> contacts;
    std::unique_ptr<core::Invites> invites;
    std::unique_ptr<core::Outbox> outbox;
    std::unique_ptr<core::TrustNetwork> network;

    TrustStack();
    TrustStack(TrustStack&&) noexcept;
    TrustStack& operator=(TrustStack&&) noexcept;
    ~TrustStack();
};

// Opens the profile of --profile (HIVE_PASSPHRASE or a prompt) with the trust services.
Result<TrustStack> openTrust(const Context& context);
// The profile's personal node: the configured one, else the local one the app runs.
Result<std::optional<wire::NodeAddress>> ownNodeAddress(core::Vault& vault);
// Posts what the outbox holds and prints one line per failure on stderr; returns how many
// were refused for good.
int flushOutbox(Context& context, core::Outbox& outbox);

// The row of the command table for `sync`.
Command syncCommand();

} // namespace hive::cli
