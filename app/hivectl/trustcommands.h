// hivectl's trust commands: the person's own contact card and their contacts.
//   hivectl card [--png FILE] [--expires DAYS]       a fresh card (new single-use invite,
//                                                    registered on the own node)
//   hivectl contact add URI | --qr-image FILE        add from a link (unverified) or a
//                                                    scanned QR image (verified in person),
//                                                    and send a friend request to their node
//   hivectl contact requests | accept NAME | decline NAME
//   hivectl contact list                             name, trust level, fingerprint, node
//   hivectl contact verify NAME [--scanned IMAGE|TEXT] [--confirm] [--png FILE]
//   hivectl contact accept-key NAME | decline-key NAME
#pragma once

#include "cli.h"

namespace hive::cli {

// The rows of the command table for `card` and `contact`.
Command cardCommand();
Command contactCommand();

} // namespace hive::cli
