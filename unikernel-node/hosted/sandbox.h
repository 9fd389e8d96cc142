// Confines the hosted node once its files and sockets are open: a seccomp allow-list of
// the few system calls the event loop needs (Solo5's spt allows about seven; a C++
// process with malloc and epoll needs a few more). Anything else kills the process.
#pragma once

#include "wire/result.h"

namespace hive::node::hosted {

struct SandboxOptions {
    // Also allow socket(AF_UNIX) and connect, which glibc's syslog() needs to (re)connect
    // to /dev/log; without them a node logging to syslog would be killed on its first
    // reconnect. No other address family is allowed.
    bool allowSyslog = false;
};

// Installs the filter for this process and sets no_new_privs. Irreversible.
Status enterSandbox(SandboxOptions options = {});

} // namespace hive::node::hosted
