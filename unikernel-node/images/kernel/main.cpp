// The image's main program, shared by every architecture: brings up the virtio devices
// the platform found, runs the block self-check, configures the network by DHCP and
// serves TCP echo on port 7 -- until part 2 brings the whole node.
//
// Command line (space separated, unknown words ignored):
//   hive.exit_after=N   power off with exit code 0 after N echo connections ended
//   hive.crash=ud|pagefault   raise that CPU exception right after boot (panic test)
//   hive.ip=A.B.C.D/NN,GW     static address instead of DHCP
#include "kernel/blockcheck.h"
#include "kernel/echoservice.h"
#include "kernel/imagedevices.h"
#include "kernel/platform.h"
#include "net/stack.h"
#include "net/stacknet.h"
#include "runtime/format.h"
#include "runtime/heap.h"
#include "virtio/net.h"

#include <memory>

namespace hive::image {

namespace {

constexpr std::uint16_t EchoPort = 7;
// Without device interrupts we poll: the longest the CPU sleeps before looking at the
// receive ring again.
constexpr std::uint64_t PollInterval = 1'000'000; // 1 ms
// After the last requested connection ended, keep running this long so our FIN and
// final ACKs reach the peer before the machine disappears.
constexpr std::uint64_t ExitGrace = 200'000'000; // 200 ms

std::string_view argument(std::string_view commandLine, std::string_view key)
{
    while (!commandLine.empty()) {
        auto space = commandLine.find(' ');
        auto word = commandLine.substr(0, space);
        commandLine = space == std::string_view::npos ? std::string_view{} : commandLine.substr(space + 1);
        if (word.size() > key.size() && word.starts_with(key) && word[key.size()] == '=')
            return word.substr(key.size() + 1);
    }
    return {};
}

bool parseUnsigned(std::string_view& text, std::uint64_t& value, std::uint64_t max)
{
    value = 0;
    std::size_t n = 0;
    while (n < text.size() && text[n] >= '0' && text[n] <= '9') {
        value = value * 10 + static_cast<std::uint64_t>(text[n] - '0');
        if (value > max)
            return false;
        ++n;
    }
    text.remove_prefix(n);
    return n > 0;
}

bool parseIpv4(std::string_view& text, net::Ipv4Addr& out)
{
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        std::uint64_t octet;
        if (!parseUnsigned(text, octet, 255))
            return false;
        value = (value << 8) | static_cast<std::uint32_t>(octet);
        if (i < 3) {
            if (text.empty() || text.front() != '.')
                return false;
            text.remove_prefix(1);
        }
    }
    out = {value};
    return true;
}

// "A.B.C.D/NN[,GW]"
bool parseStaticConfig(std::string_view text, net::Ipv4Config& config)
{
    std::uint64_t prefix;
    if (!parseIpv4(text, config.address) || text.empty() || text.front() != '/')
        return false;
    text.remove_prefix(1);
    if (!parseUnsigned(text, prefix, 32))
        return false;
    config.netmask = {prefix == 0 ? 0u : ~0u << (32 - prefix)};
    if (!text.empty() && text.front() == ',') {
        text.remove_prefix(1);
        if (!parseIpv4(text, config.gateway))
            return false;
    }
    return text.empty();
}

virtio::Transport* firstOfType(Platform& platform, virtio::DeviceType type)
{
    for (auto* t : platform.virtioDevices())
        if (t->deviceType() == type)
            return t;
    return nullptr;
}

void logMicros(const char* what, std::uint64_t nanos)
{
    kprint("%s %lu.%03lu ms", what, static_cast<unsigned long>(nanos / 1'000'000),
           static_cast<unsigned long>(nanos / 1000 % 1000));
}

} // namespace

void kernelMain(Platform& platform)
{
    auto commandLine = platform.commandLine();
    if (auto crash = argument(commandLine, "hive.crash"); !crash.empty()) {
        kprint("hive.crash=%.*s: raising a CPU exception on purpose", static_cast<int>(crash.size()), crash.data());
        platform.crash(crash);
        panic("hive.crash=%.*s did not fault", static_cast<int>(crash.size()), crash.data());
    }
    std::uint64_t exitAfter = 0;
    if (auto text = argument(commandLine, "hive.exit_after"); !text.empty())
        if (!parseUnsigned(text, exitAfter, 1'000'000) || !text.empty())
            panic("hive.exit_after wants a number");

    for (auto* t : platform.virtioDevices())
        kprint("virtio: %s type %u", t->name(), static_cast<unsigned>(t->deviceType()));

    std::unique_ptr<virtio::VirtioEntropy> rng;
    if (auto* t = firstOfType(platform, virtio::DeviceType::Entropy)) {
        auto created = virtio::VirtioEntropy::create(*t, platform);
        if (created.ok())
            rng = created.release();
        else
            kprint("virtio-rng: %s", created.error().message());
    }
    ImageEntropy entropy(platform, rng.get());
    ImageClock clock(platform);

    auto* netTransport = firstOfType(platform, virtio::DeviceType::Net);
    if (netTransport == nullptr)
        panic("no virtio-net device");
    auto nicResult = virtio::VirtioNet::create(*netTransport);
    if (!nicResult.ok())
        panic("virtio-net: %s", nicResult.error().message());
    auto nic = nicResult.release();
    auto mac = nic->mac();
    logMicros("init: virtio-net up after", clock.monotonicNanos() - platform.bootStartNanos());
    kprint("net: mac %02x:%02x:%02x:%02x:%02x:%02x, entropy from %s", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
           entropy.source());

    net::Stack::Config config;
    config.mac = {mac};
    auto secret = entropy.fill(config.secret);
    if (!secret.ok())
        panic("%s", secret.error().message());
    net::Stack stack(config);
    net::StackNet stackNet(stack);
    EchoService<net::StackNet> echo(stackNet);
    if (auto started = echo.start(EchoPort); !started.ok())
        panic("echo: %s", started.error().message());

    net::Ipv4Config staticConfig;
    if (auto text = argument(commandLine, "hive.ip"); !text.empty()) {
        if (!parseStaticConfig(text, staticConfig))
            panic("hive.ip wants A.B.C.D/NN[,GATEWAY]");
        stack.configureStatic(staticConfig, clock.monotonicNanos());
    } else {
        stack.startDhcp(clock.monotonicNanos());
    }
    logMicros("init: devices and stack ready after", clock.monotonicNanos() - platform.bootStartNanos());
    // The self-check runs while the first DHCP exchange is in flight: its reply simply
    // waits in the receive ring, so the check costs no time to `listening`.
    if (auto* t = firstOfType(platform, virtio::DeviceType::Block)) {
        auto block = virtio::VirtioBlock::create(*t, platform);
        if (!block.ok())
            panic("virtio-blk: %s", block.error().message());
        auto& disk = *block.value();
        std::uint64_t sector = disk.sectorCount() > 1 ? disk.sectorCount() - 1 : 0;
        std::uint64_t checkStart = clock.monotonicNanos();
        auto check = blockSelfCheck(disk, entropy, sector);
        if (!check.ok())
            panic("%s", check.error().message());
        std::uint64_t checkNanos = clock.monotonicNanos() - checkStart;
        kprint("block self-check ok (%lu sectors, wrote sector %lu, flush %s, %lu us)",
               static_cast<unsigned long>(disk.sectorCount()), static_cast<unsigned long>(sector),
               disk.hasFlush() ? "yes" : "no-op", static_cast<unsigned long>(checkNanos / 1000));
    } else {
        kprint("block: no virtio-blk device");
    }


    std::uint8_t frame[virtio::VirtioNet::MaxFrame];
    std::uint64_t exitAt = 0;
    std::uint64_t deferred = 0;
    for (;;) {
        std::uint64_t now = clock.monotonicNanos();
        bool busy = false;
        for (int i = 0; i < 64; ++i) {
            std::size_t size = nic->receive({frame, sizeof frame});
            if (size == 0)
                break;
            stack.input({frame, size}, now);
            busy = true;
        }
        if (busy || now >= stack.nextDeadline())
            stack.poll(now);
        while (auto event = stack.nextEvent()) {
            busy = true;
            if (event->kind == net::EventKind::AddressAcquired) {
                if (auto address = stack.address()) {
                    char text[16];
                    text[address->address.format(text)] = '\0';
                    kprint("listening on %s:%u", text, EchoPort);
                    logMicros("net: address after", clock.monotonicNanos() - platform.bootStartNanos());
                }
            } else if (event->kind == net::EventKind::AddressLost) {
                kprint("net: address lost, asking DHCP again");
            } else {
                stackNet.onStackEvent(*event);
            }
        }
        while (auto notice = stackNet.nextEvent()) {
            busy = true;
            echo.handle(notice->event, notice->conn);
        }
        while (auto out = stack.takeFrame()) {
            // A full transmit ring keeps the frame in the stack for the next turn:
            // dropping it would cost TCP a whole retransmission timeout.
            if (!nic->send({out->data(), out->size()}).ok()) {
                ++deferred;
                stack.returnFrame(std::move(*out));
                break;
            }
        }
        if (exitAfter != 0 && exitAt == 0 && echo.finishedConnections() >= exitAfter) {
            kprint("echo: %lu connections, %lu bytes echoed; powering off",
                   static_cast<unsigned long>(echo.finishedConnections()),
                   static_cast<unsigned long>(echo.bytesEchoed()));
            exitAt = now + ExitGrace;
        }
        if (exitAt != 0 && now >= exitAt) {
            kprint("heap: %zu KiB peak of %zu KiB; %lu frames deferred on a full transmit ring", kernelHeap().peakBytes() / 1024,
                   kernelHeap().totalBytes() / 1024, static_cast<unsigned long>(deferred));
            platform.powerOff(SuccessExitCode);
            __builtin_unreachable();
        }
        if (!busy && !nic->hasFrame()) {
            std::uint64_t deadline = now + PollInterval;
            std::uint64_t next = stack.nextDeadline();
            if (next < deadline)
                deadline = next;
            if (exitAt != 0 && exitAt < deadline)
                deadline = exitAt;
            platform.sleepUntil(deadline);
        }
    }
}

} // namespace hive::image
