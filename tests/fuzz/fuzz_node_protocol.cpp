// Fuzzes every node protocol message decoder (wire/nodeprotocol.h): the first byte picks
// the message, the rest is decoded; anything that decodes must re-encode to exactly the
// input (the encoding is canonical).
#include "wire/nodeprotocol.h"

#include <cstdlib>

using namespace hive;
using namespace hive::wire::proto;

namespace {

template <typename T>
void check(ByteView input)
{
    if (auto value = T::decode(input)) {
        if (value->encode() != toBytes(input))
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const ByteView input(data + 1, size - 1);
    switch (data[0] % 52) {
    case 0: check<Empty>(input); break;
    case 1: check<DeviceCertificate>(input); break;
    case 2: check<ClientHello>(input); break;
    case 3: check<NodeHello>(input); break;
    case 4: check<Pong>(input); break;
    case 5: check<PresentGrant>(input); break;
    case 6: check<GrantInfo>(input); break;
    case 7: check<MailboxPost>(input); break;
    case 8: check<MailboxPostResult>(input); break;
    case 9: check<MailboxFetch>(input); break;
    case 10: check<Envelope>(input); break;
    case 11: check<MailboxFetchResult>(input); break;
    case 12: check<MailboxAck>(input); break;
    case 13: check<MailboxAckResult>(input); break;
    case 14: check<DirectoryPublish>(input); break;
    case 15: check<DirectoryPublishResult>(input); break;
    case 16: check<DirectoryFetch>(input); break;
    case 17: check<DirectoryEntry>(input); break;
    case 18: check<DirectoryFetchResult>(input); break;
    case 19: check<ObjectPut>(input); break;
    case 20: check<ObjectPutResult>(input); break;
    case 21: check<ObjectGet>(input); break;
    case 22: check<ObjectContent>(input); break;
    case 23: check<ObjectHas>(input); break;
    case 24: check<ObjectHasResult>(input); break;
    case 25: check<ObjectList>(input); break;
    case 26: check<ObjectEntry>(input); break;
    case 27: check<ObjectListResult>(input); break;
    case 28: check<ObjectDelete>(input); break;
    case 29: check<ObjectDeleteResult>(input); break;
    case 30: check<PresencePublish>(input); break;
    case 31: check<PresencePublishResult>(input); break;
    case 32: check<PresenceSubscribeResult>(input); break;
    case 33: check<PresenceUpdate>(input); break;
    case 34: check<StoreUse>(input); break;
    case 35: check<GrantUsage>(input); break;
    case 36: check<AdminStatus>(input); break;
    case 37:
        check<AdminRevoke>(input);
        check<AdminRevokeResult>(input);
        break;
    case 38: check<InviteToken>(input); break;
    case 39: check<AdminRegisterInvites>(input); break;
    case 40: check<AdminRegisterInvitesResult>(input); break;
    case 41: check<MailboxPostWithInvite>(input); break;
    case 42: check<MailboxWatch>(input); break;
    case 43: check<MailboxNotify>(input); break;
    case 44: check<DirectoryPublishPrekeys>(input); break;
    case 45: check<DirectoryPublishPrekeysResult>(input); break;
    case 46: check<DirectoryTakePrekey>(input); break;
    case 47: check<DirectoryTakePrekeyResult>(input); break;
    case 48: check<DirectoryCountPrekeys>(input); break;
    case 49: check<DirectoryCountPrekeysResult>(input); break;
    case 50: check<ObjectGetShared>(input); break;
    case 51: (void)wire::inviteTokenHash(input); break;
    }
    return 0;
}
