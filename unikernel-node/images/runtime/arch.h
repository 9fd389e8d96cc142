// The two primitives the shared runtime needs from the architecture it runs on. Each
// kernel (x86_64/, aarch64/) defines them; nothing else in runtime/ touches hardware.
#pragma once

#include <cstddef>

namespace hive::image {

// Writes raw bytes to the boot console (serial). Must work before the heap exists.
void archConsoleWrite(const char* data, std::size_t size);

// Stops the machine after a panic: powers off with a failure exit code where the
// platform can, otherwise halts forever.
[[noreturn]] void archPanicHalt();

} // namespace hive::image
