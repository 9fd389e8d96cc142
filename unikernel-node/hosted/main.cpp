// hive-node: the node as a sandboxed Linux process. The composition root of the hosted
// target: it opens the data file and the listening socket, hands them to Node<...> as its
// devices, confines itself with seccomp and runs the event loop until SIGTERM/SIGINT.
//
//   hive-node init    --data DIR --owner KEY [--size 256M] [--listen HOST:PORT]
//   hive-node run     --data DIR [--listen HOST:PORT] [--no-sandbox] [--syslog]
//   hive-node address --data DIR [--listen HOST:PORT]
//
// Exit codes: 0 success, 1 failure (logged), 2 wrong usage.
#include "core/node.h"
#include "hosted/fileblock.h"
#include "hosted/platform.h"
#include "hosted/sandbox.h"
#include "wire/base32.h"
#include "wire/contactcard.h"
#include "wire/nodeaddress.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <vector>

using namespace hive;
using namespace hive::node;
using namespace hive::node::hosted;

#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer's exit-time check needs ptrace and threads, which the sandbox forbids, so
// a sanitizer build of a confined node would die at exit; the leak check stays off here.
extern "C" const char* __lsan_default_options() { return "detect_leaks=0"; }
#endif

namespace {

constexpr int ExitOk = 0;
constexpr int ExitFailure = 1;
constexpr int ExitUsage = 2;
constexpr std::string_view DefaultListen = "127.0.0.1:7420";

using HostedNode = Node<SocketNet, FileBlock, SystemClock, SystemEntropy, SystemConsole>;

const char* const MainHelp = R"(hive-node: a personal Hive node (mailbox, directory, objects, presence) as a sandboxed process.

Usage:
  hive-node init    --data DIR --owner KEY [--size SIZE] [--listen HOST:PORT]
  hive-node run     --data DIR [--listen HOST:PORT] [--no-sandbox] [--syslog]
  hive-node address --data DIR [--listen HOST:PORT]
  hive-node COMMAND --help

Exit codes: 0 success, 1 failure, 2 wrong usage.
)";

const char* const InitHelp = R"(hive-node init --data DIR --owner KEY [--size SIZE] [--listen HOST:PORT]

Creates a new node in DIR: a fresh node key, the binding to its owner and an empty store
in the file DIR/node.img (sparse), then prints the node's address.

  --data DIR          directory for the node's data (created if missing)
  --owner KEY         the owner's Ed25519 identity key in base32 (52 characters), or
                      the owner's contact-card URI (hive:...), signed and not expired
  --size SIZE         store size, e.g. 64M, 256M (default), 2G; at least 1M
  --listen HOST:PORT  address printed and used by `run` by default (127.0.0.1:7420)
)";

const char* const RunHelp = R"(hive-node run --data DIR [--listen HOST:PORT] [--no-sandbox] [--syslog]

Serves the node in DIR until SIGTERM or SIGINT (then exits 0). Logs one line per event to
stderr, or to syslog with --syslog. After opening its files and socket the process confines
itself with a seccomp allow-list; --no-sandbox skips that (for debugging only).

  --data DIR          the directory given to `hive-node init`
  --listen HOST:PORT  IPv4 or [IPv6] literal and port (0 = any free port; the log line
                      "listening on hive://..." names the port); remembered for `address`
  --no-sandbox        do not confine the process
  --syslog            log to syslog instead of stderr
)";

const char* const AddressHelp = R"(hive-node address --data DIR [--listen HOST:PORT]

Prints the node's address hive://<node key>@HOST:PORT, with the listen address last used
(or the one given).
)";

struct Args {
    std::string command;
    std::string data;
    std::string owner;
    std::string size;
    std::string listen;
    bool noSandbox = false;
    bool syslog = false;
    bool help = false;
};

int usage(std::string_view message, const char* help)
{
    std::fprintf(stderr, "hive-node: %.*s\n\n%s", static_cast<int>(message.size()), message.data(), help);
    return ExitUsage;
}

int fail(std::string_view what, const Error& error)
{
    std::fprintf(stderr, "hive-node: %.*s: %s\n", static_cast<int>(what.size()), what.data(), error.message());
    return ExitFailure;
}

// Parses HOST:PORT or [V6]:PORT into host and port.
Result<std::pair<std::string, std::uint16_t>> parseListen(std::string_view text)
{
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return Error(ErrorCode::InvalidArgument, "listen address must be HOST:PORT, e.g. 127.0.0.1:7420");
    std::string host(text.substr(0, colon));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string_view portText = text.substr(colon + 1);
    if (portText.empty() || portText.size() > 5)
        return Error(ErrorCode::InvalidArgument, "port must be a number from 0 to 65535");
    unsigned long port = 0;
    for (char ch : portText) {
        if (ch < '0' || ch > '9')
            return Error(ErrorCode::InvalidArgument, "port must be a number from 0 to 65535");
        port = port * 10 + static_cast<unsigned long>(ch - '0');
    }
    if (port > 65535)
        return Error(ErrorCode::InvalidArgument, "port must be a number from 0 to 65535");
    if (!wire::isValidIpv4(host) && !wire::isValidIpv6(host))
        return Error(ErrorCode::InvalidArgument, "listen host must be an IPv4 or IPv6 literal, e.g. 127.0.0.1 or [::1]");
    return std::pair<std::string, std::uint16_t>(host, static_cast<std::uint16_t>(port));
}

Result<std::uint64_t> parseSize(std::string_view text)
{
    if (text.empty())
        return Error(ErrorCode::InvalidArgument, "size is empty");
    std::uint64_t unit = 1;
    const char last = text.back();
    if (last == 'K' || last == 'k')
        unit = 1ull << 10;
    else if (last == 'M' || last == 'm')
        unit = 1ull << 20;
    else if (last == 'G' || last == 'g')
        unit = 1ull << 30;
    if (unit != 1)
        text.remove_suffix(1);
    std::uint64_t value = 0;
    if (text.empty() || text.size() > 12)
        return Error(ErrorCode::InvalidArgument, "size must be a number with an optional K, M or G suffix");
    for (char ch : text) {
        if (ch < '0' || ch > '9')
            return Error(ErrorCode::InvalidArgument, "size must be a number with an optional K, M or G suffix");
        value = value * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    const std::uint64_t bytes = (value * unit + 511) / 512 * 512;
    if (bytes < (1ull << 20))
        return Error(ErrorCode::InvalidArgument, "size must be at least 1M");
    return bytes;
}

Result<wire::SigningPublicKey> parseOwner(std::string_view text)
{
    if (text.size() >= 5 && (text.substr(0, 5) == "hive:" || text.substr(0, 5) == "HIVE:")) {
        // The owner's signed contact card names the identity key (what `hivectl` shows).
        const auto now = static_cast<std::uint64_t>(std::time(nullptr));
        auto card = wire::ContactCard::fromUri(text, now);
        if (!card)
            return card.error().withContext("the owner's contact card is not valid");
        return card->identityKey;
    }
    auto bytes = base32::decode(text);
    if (!bytes || bytes->size() != 32)
        return Error(ErrorCode::InvalidArgument, "owner must be a 32-byte Ed25519 identity key in base32 (52 characters)");
    wire::SigningPublicKey key {};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

std::string imagePath(const std::string& data) { return data + "/node.img"; }

std::string addressOf(const wire::noise::PublicKey& key, const std::string& host, std::uint16_t port)
{
    wire::NodeAddress address;
    address.key = key;
    address.host = host;
    address.port = port;
    return address.toString();
}

Result<std::string> storedListen(const Store& store)
{
    auto value = store.config(ListenSlot);
    if (!value)
        return std::string(DefaultListen);
    return std::string(asText(*value));
}

int commandInit(const Args& args)
{
    if (args.data.empty() || args.owner.empty())
        return usage("init needs --data and --owner", InitHelp);
    auto owner = parseOwner(args.owner);
    if (!owner)
        return usage(owner.error().messageView(), InitHelp);
    auto size = parseSize(args.size.empty() ? "256M" : args.size);
    if (!size)
        return usage(size.error().messageView(), InitHelp);
    const std::string listenText = args.listen.empty() ? std::string(DefaultListen) : args.listen;
    auto listen = parseListen(listenText);
    if (!listen)
        return usage(listen.error().messageView(), InitHelp);

    // Like mkdir -p: every missing parent too.
    for (std::size_t slash = 1; slash <= args.data.size(); ++slash) {
        if (slash != args.data.size() && args.data[slash] != '/')
            continue;
        const std::string prefix = args.data.substr(0, slash);
        if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST)
            return fail("cannot create " + prefix, Error(ErrorCode::Io, std::strerror(errno)));
    }
    auto block = FileBlock::create(imagePath(args.data), *size, FileBlock::Allocation::Sparse);
    if (!block) {
        if (block.error().code() == ErrorCode::AlreadyExists)
            return fail("a node already exists in " + args.data, block.error());
        return fail("cannot create " + imagePath(args.data), block.error());
    }
    SystemEntropy entropy;
    auto key = HostedNode::initialize(**block, entropy, *owner);
    if (!key)
        return fail("cannot initialise the node store", key.error());
    auto store = Store::open(**block);
    if (!store)
        return fail("cannot reopen the new store", store.error());
    if (auto s = (*store)->setConfig(ListenSlot, asBytes(listenText)); !s)
        return fail("cannot store the listen address", s.error());
    std::printf("%s\n", addressOf(*key, listen->first, listen->second).c_str());
    return ExitOk;
}

int commandAddress(const Args& args)
{
    if (args.data.empty())
        return usage("address needs --data", AddressHelp);
    auto block = FileBlock::open(imagePath(args.data));
    if (!block)
        return fail("cannot open " + imagePath(args.data), block.error());
    auto store = Store::open(**block);
    if (!store)
        return fail("cannot open the node store", store.error());
    auto identity = NodeServices::readIdentity(**store);
    if (!identity)
        return fail("cannot read the node identity", identity.error());
    std::string listenText = args.listen.empty() ? storedListen(**store).valueOr(std::string(DefaultListen)) : args.listen;
    auto listen = parseListen(listenText);
    if (!listen)
        return usage(listen.error().messageView(), AddressHelp);
    std::printf("%s\n", addressOf(identity->key.publicKey, listen->first, listen->second).c_str());
    return ExitOk;
}

int commandRun(const Args& args)
{
    if (args.data.empty())
        return usage("run needs --data", RunHelp);
    if (!args.listen.empty()) {
        if (auto listen = parseListen(args.listen); !listen)
            return usage(listen.error().messageView(), RunHelp);
    }
    SystemConsole console(args.syslog ? LogSink::Syslog : LogSink::Stderr);
    auto logError = [&](std::string_view what, const Error& error) {
        console.log(std::string(what) + ": " + error.message());
        return ExitFailure;
    };

    auto block = FileBlock::open(imagePath(args.data));
    if (!block)
        return logError("cannot open " + imagePath(args.data) + " (run `hive-node init` first)", block.error());
    // One node per data directory: a second process would corrupt the store's log.
    if (::flock((*block)->fd(), LOCK_EX | LOCK_NB) != 0)
        return logError("cannot lock " + imagePath(args.data), Error(ErrorCode::Unavailable, "another hive-node is using it"));

    // Each connection is a descriptor: allow as many as the hard limit permits (the node
    // bounds connections itself), before the sandbox forbids changing it.
    if (rlimit files {}; ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        (void)::setrlimit(RLIMIT_NOFILE, &files);
    }

    auto net = SocketNet::create();
    if (!net)
        return logError("cannot set up networking", net.error());
    SystemClock clock;
    SystemEntropy entropy;

    std::string listenText = args.listen;
    {
        // Read the remembered listen address before the node takes over the store.
        auto store = Store::open(**block);
        if (!store)
            return logError("cannot open the node store", store.error());
        if (listenText.empty())
            listenText = storedListen(**store).valueOr(std::string(DefaultListen));
    }
    auto listen = parseListen(listenText);
    if (!listen)
        return logError("bad stored listen address " + listenText, listen.error());
    (*net)->setBindAddress(listen->first);

    NodeConfig config;
    config.port = listen->second;
    config.shortReadDrains = true; // epoll is level-triggered
    auto node = HostedNode::create(**net, **block, clock, entropy, console, config);
    if (!node)
        return logError("cannot start the node", node.error());
    if (auto s = (*node)->start(); !s)
        return logError("cannot listen", s.error());
    const std::uint16_t port = (*net)->boundPort();
    if (!args.listen.empty()) {
        // Remembered with the port actually bound, so `address` and the next run agree.
        const std::string bound = listen->first.find(':') != std::string::npos
            ? "[" + listen->first + "]:" + std::to_string(port)
            : listen->first + ":" + std::to_string(port);
        auto stored = storedListen((*node)->services().store());
        if (!stored || *stored != bound)
            (void)(*node)->services().store().setConfig(ListenSlot, asBytes(bound));
    }
    console.log("listening on " + addressOf((*node)->publicKey(), listen->first, port));

    if (args.noSandbox) {
        console.log("sandbox off (--no-sandbox)");
    } else {
        if (auto s = enterSandbox(SandboxOptions {.allowSyslog = args.syslog}); !s)
            return logError("cannot enter the sandbox", s.error());
        console.log("sandbox on");
    }

    auto handler = [&](NetEvent event, ConnId id) { (*node)->onEvent(event, id); };
    Nanos lastTick = clock.monotonicNanos();
    for (;;) {
        // Every event of one wait is one turn: its store writes share one flush.
        (*node)->beginTurn();
        auto result = (*net)->wait(1000, handler);
        (*node)->endTurn();
        if (!result) {
            (*node)->shutdown();
            return logError("event loop failed", result.error());
        }
        const Nanos now = clock.monotonicNanos();
        if (*result == SocketNet::WaitResult::Timeout || now - lastTick >= 1000000000ull) {
            (*node)->tick();
            lastTick = now;
        }
        if (*result == SocketNet::WaitResult::StopRequested) {
            console.log("stop requested");
            (*node)->shutdown();
            // Every acknowledged write was flushed when it was acknowledged; one more
            // flush covers config written at start.
            (void)(*block)->flush();
            return ExitOk;
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string_view> argv_(argv + 1, argv + argc);
    if (argv_.empty())
        return usage("a command is needed", MainHelp);
    Args args;
    args.command = std::string(argv_[0]);
    if (args.command == "--help" || args.command == "-h" || args.command == "help") {
        std::printf("%s", MainHelp);
        return ExitOk;
    }
    const char* help = args.command == "init" ? InitHelp
        : args.command == "run"               ? RunHelp
        : args.command == "address"           ? AddressHelp
                                              : nullptr;
    if (!help)
        return usage("unknown command " + args.command, MainHelp);
    for (std::size_t i = 1; i < argv_.size(); ++i) {
        const std::string_view a = argv_[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argv_.size())
                return false;
            out = std::string(argv_[++i]);
            return true;
        };
        bool ok = true;
        if (a == "--help" || a == "-h")
            args.help = true;
        else if (a == "--data")
            ok = value(args.data);
        else if (a == "--owner" && args.command == "init")
            ok = value(args.owner);
        else if (a == "--size" && args.command == "init")
            ok = value(args.size);
        else if (a == "--listen")
            ok = value(args.listen);
        else if (a == "--no-sandbox" && args.command == "run")
            args.noSandbox = true;
        else if (a == "--syslog" && args.command == "run")
            args.syslog = true;
        else
            return usage("unknown option " + std::string(a), help);
        if (!ok)
            return usage("option " + std::string(a) + " needs a value", help);
    }
    if (args.help) {
        std::printf("%s", help);
        return ExitOk;
    }
    if (args.command == "init")
        return commandInit(args);
    if (args.command == "run")
        return commandRun(args);
    return commandAddress(args);
}
