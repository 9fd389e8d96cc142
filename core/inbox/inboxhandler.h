// What the Inbox hands to the component that owns an envelope kind (s2 contract [inbox]).
// Header-only so components inside hive_core (trust) can implement it without linking
// hive_inbox.
#pragma once

#include "wire/bytes.h"
#include "wire/envelope.h"
#include "wire/nodeprotocol.h"
#include "wire/result.h"

#include <cstdint>

namespace hive::core {

// One opened envelope from one of the person's mailboxes.
struct InboxItem {
    wire::EnvelopeKind kind = wire::EnvelopeKind::Note;
    Bytes body;
    wire::proto::MailboxId mailbox {};
    std::uint64_t messageId = 0;
    std::uint64_t receivedAt = 0; // node wall clock, Unix seconds
};

// Receives the items of one kind. receive() must store durably before returning success
// (the item is acked, i.e. deleted on the node, right after) and must be idempotent: a
// crash between store and ack delivers the same item again.
class InboxHandler {
public:
    virtual ~InboxHandler() = default;
    virtual Status receive(const InboxItem& item) = 0;
};

} // namespace hive::core
