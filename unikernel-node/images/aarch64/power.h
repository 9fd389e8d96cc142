// Power-off for the aarch64 image, and how its exit code reaches the host.
//
// Convention: with `hive.semihosting=1` on the command line (give QEMU `-semihosting`
// too) the kernel exits through the semihosting SYS_EXIT call, so QEMU's exit status is
// the kernel's exit code (0 = success, non-zero = failure or panic). Without it the
// kernel calls PSCI SYSTEM_OFF, after which QEMU always exits 0; the code is then only on
// the serial console ("power off, exit code N"). Semihosting is opt-in because without
// QEMU's -semihosting the HLT instruction it uses is undefined and would fault.
#pragma once

#include "devicetree.h"

namespace hive::image::aarch64 {

struct PowerControl {
    PsciConduit psci = PsciConduit::None;
    bool semihosting = false;
};

// Stops the machine with an exit code; halts in WFI if neither mechanism works.
[[noreturn]] void powerOff(const PowerControl& control, int code);

} // namespace hive::image::aarch64
