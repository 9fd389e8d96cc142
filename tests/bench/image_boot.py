#!/usr/bin/env python3
"""image_boot: how small and how fast the node images are under QEMU (software emulation).

For each image in the images directory (default build/images/bin):
  - stripped image size in bytes,
  - wall time from QEMU exec to the `listening on` line and to the first TCP echo reply
    through hostfwd (median of N runs; -M microvm for x86_64, -M virt for aarch64),
  - guest-side init time as the kernel reports it from TSC / CNTVCT
    ("init: devices and stack ready after X ms"), median,
  - the smallest -m (MiB) among a fixed list with which the image still serves echo.
Prints a table. Goals (issue 6): <= 1 MiB, <= 1 s to first reply, init <= 10 ms, -m 32.
Only loopback is used; every QEMU started is killed by its pid.
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ARCHES = {
    "x86_64": {
        "file": "hive-node-x86_64.elf",
        "qemu": "qemu-system-x86_64",
        "args": ["-M", "microvm", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
        "net": "virtio-net-device", "blk": "virtio-blk-device", "rng": "virtio-rng-device",
    },
    "aarch64": {
        "file": "hive-node-aarch64.img",
        "qemu": "qemu-system-aarch64",
        "args": ["-M", "virt", "-cpu", "cortex-a57"],
        "net": "virtio-net-device", "blk": "virtio-blk-device", "rng": "virtio-rng-device",
    },
}
MEMORY_STEPS = [32, 24, 16, 12, 8, 6, 4]
TIMEOUT = 60.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def boot_once(arch, image, memory, disk):
    """Returns (listening_s, reply_s, init_ms) or None if the boot did not serve echo."""
    spec = ARCHES[arch]
    port = free_port()
    cmd = [spec["qemu"], *spec["args"], "-accel", "tcg", "-m", str(memory), "-nographic", "-no-reboot",
           "-kernel", image, "-append", "hive.exit_after=1",
           "-netdev", f"user,id=n0,hostfwd=tcp:127.0.0.1:{port}-:7", "-device", f"{spec['net']},netdev=n0",
           "-device", spec["rng"], "-drive", f"file={disk},if=none,id=d0,format=raw",
           "-device", f"{spec['blk']},drive=d0"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    output = b""
    try:
        os.set_blocking(proc.stdout.fileno(), False)
        listening = None
        while time.monotonic() - start < TIMEOUT and proc.poll() is None:
            chunk = proc.stdout.read() or b""
            output += chunk
            if b"listening on" in output:
                listening = time.monotonic() - start
                break
            time.sleep(0.002)
        if listening is None:
            return None
        reply = None
        payload = b"hive image_boot"
        while time.monotonic() - start < TIMEOUT and reply is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                    s.sendall(payload)
                    got = b""
                    while len(got) < len(payload):
                        part = s.recv(64)
                        if not part:
                            break
                        got += part
                    if got == payload:
                        reply = time.monotonic() - start
            except OSError:
                time.sleep(0.01)
        proc.wait(timeout=30)
        output += proc.stdout.read() or b""
        m = re.search(rb"init: devices and stack ready after ([0-9.]+) ms", output)
        init_ms = float(m.group(1)) if m else None
        return (listening, reply, init_ms) if reply is not None else None
    except subprocess.TimeoutExpired:
        return None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def stripped_size(arch, image):
    if image.endswith(".img"):
        return os.path.getsize(image)  # a flat binary has nothing to strip
    strip = "strip" if arch == "x86_64" else "aarch64-linux-gnu-strip"
    with tempfile.NamedTemporaryFile() as out:
        subprocess.run([strip, "-o", out.name, image], check=True)
        return os.path.getsize(out.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "images", "bin"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(1 << 20)
        for arch, spec in ARCHES.items():
            image = os.path.join(args.images, spec["file"])
            if not os.path.exists(image):
                print(f"image_boot: {image} missing (build the images preset first)", file=sys.stderr)
                return 1
            runs = [boot_once(arch, image, 32, disk) for _ in range(args.runs)]
            good = [r for r in runs if r is not None]
            if len(good) != len(runs):
                print(f"image_boot: {arch}: {len(runs) - len(good)} of {len(runs)} boots failed", file=sys.stderr)
                return 1
            smallest = None
            for mib in MEMORY_STEPS:
                if boot_once(arch, image, mib, disk) is None:
                    break
                smallest = mib
            inits = [r[2] for r in good if r[2] is not None]
            rows.append((arch, stripped_size(arch, image), statistics.median(r[0] for r in good),
                         statistics.median(r[1] for r in good), statistics.median(inits) if inits else None, smallest))

    print(f"image_boot ({args.runs} runs each, QEMU TCG; microvm for x86_64, virt for aarch64)")
    print(f"{'arch':<8} {'size (bytes)':>12} {'to listening':>13} {'to 1st reply':>13} {'guest init':>11} {'min -m':>7}")
    for arch, size, listening, reply, init_ms, smallest in rows:
        init_text = f"{init_ms:.1f} ms" if init_ms is not None else "n/a"
        mem_text = f"{smallest} MiB" if smallest is not None else "none"
        print(f"{arch:<8} {size:>12} {listening * 1000:>10.0f} ms {reply * 1000:>10.0f} ms {init_text:>11} {mem_text:>7}")
    print("goals: <= 1048576 bytes, <= 1000 ms to first reply, guest init <= 10 ms, works with -m 32")
    return 0


if __name__ == "__main__":
    sys.exit(main())
