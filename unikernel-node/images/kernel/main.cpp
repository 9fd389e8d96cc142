#include "kernel/platform.h"
#include "runtime/format.h"

namespace hive::image {

void kernelMain(Platform& platform)
{
    kprint("hive image: kernel main");
    platform.powerOff(SuccessExitCode);
    __builtin_unreachable();
}

} // namespace hive::image
