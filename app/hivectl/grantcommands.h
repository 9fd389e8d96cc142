// hivectl's grant commands: shares of a node's storage, CPU and bandwidth given to friends.
//   hivectl grant issue NAME --storage 20% [--cpu P] [--bandwidth P] [--redelegate DEPTH] [--expires 30d]
//   hivectl grant share GRANT_ID NAME --storage 50% ...   re-delegate part of a received grant
//   hivectl grant list | revoke ID | import hive-grant:...
//   hivectl objects put --grant ID FILE...               store files on a granted node
#pragma once

#include "cli.h"

namespace hive::cli {

// The rows of the command table for `grant` and `objects`.
Command grantCommand();
Command objectsCommand();

} // namespace hive::cli
