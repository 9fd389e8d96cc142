// Confines the hosted node once its files and sockets are open: a seccomp allow-list of
// the few system calls the event loop needs (Solo5's spt allows about seven; a C++
// process with malloc and epoll needs a few more). Anything else kills the process.
#pragma once

#include "wire/result.h"

namespace hive::node::hosted {

// Installs the filter for this process and sets no_new_privs. Irreversible.
Status enterSandbox();

} // namespace hive::node::hosted
