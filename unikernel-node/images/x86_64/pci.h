// Legacy virtio over PCI (virtio 0.9.5 / "transitional" devices, I/O BAR 0), as QEMU's
// virtio-*-pci devices offer on -M pc and q35. Config space through ports 0xcf8/0xcfc.
#pragma once

#include "virtio/transport.h"

#include <cstddef>
#include <cstdint>

namespace hive::image::x86 {

// Scans PCI bus 0 for virtio devices with a legacy I/O BAR and writes up to `capacity`
// heap-allocated transports to out; returns how many it found.
// True when a PCI host bridge answers at 00:00.0 (pc, q35; not microvm or Xen PVH).
bool pciPresent();

std::size_t scanPciVirtio(virtio::Transport** out, std::size_t capacity);

} // namespace hive::image::x86
