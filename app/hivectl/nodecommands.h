// hivectl's `node` command: which node is the profile's personal node, and how it is doing.
//   hivectl node use ADDRESS   validate and store hive://<key>@host:port, then connect
//   hivectl node use local     go back to the local node the app starts
//   hivectl node status        address, connection, uptime, connections, store use
#pragma once

#include "cli.h"

namespace hive::cli {

// The row of the command table for `node`.
Command nodeCommand();

} // namespace hive::cli
