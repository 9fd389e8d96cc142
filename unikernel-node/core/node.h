// The node: one core written once against the device concepts (core/devices.h), run by
// the hosted target (Linux process) and by the VM images alike.
//
// Node<Net, Block, Clock, Entropy, Console> owns the connections: for each one a Noise IK
// responder, then the transport ciphers and the frame decoder/encoder (wire/frame.h),
// a Hello exchange for the version, and then requests dispatched to NodeServices
// (nodeservices.h). It never blocks and never reaches past its devices: the target's
// event loop calls onEvent() for each network event and tick() about once a second.
//
// Faults are per connection: a failed handshake, a malformed or oversized record or
// frame, a replayed or forged record (the Noise nonce makes it fail to authenticate), a
// protocol violation or a reader too slow to take its output closes that connection with
// one log line; everyone else keeps being served.
//
// Freestanding-safe: no OS headers, no exceptions.
#pragma once

#include "core/devices.h"
#include "core/nodeservices.h"
#include "store/store.h"
#include "wire/frame.h"
#include "wire/nodeprotocol.h"
#include "wire/noise.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hive::node {

struct NodeConfig {
    std::uint16_t port = 7420;
    ServiceLimits services;
    std::size_t maxConnections = 20000;
    // Pushes to a connection with more unsent bytes than this are dropped (presence is
    // replaced by the next update anyway); responses are not.
    std::size_t pushDropAbove = 256 * 1024;
    // A connection with more unsent bytes than this is closed: its reader is too slow.
    std::size_t maxUnsent = 4u << 20;
    // Reads (of up to 64 KiB) from one connection per event, so one fast sender cannot
    // starve the others; the rest is read on the next event or tick.
    std::size_t maxReadsPerEvent = 16;
    // A read shorter than the buffer drained the connection: stop there instead of reading
    // again only to learn that nothing is left. Only for targets that report a connection
    // that still has input again (level-triggered, like the hosted epoll loop).
    bool shortReadDrains = false;
    // Largest Noise handshake message accepted (message 1 is ~2 KiB with a full grant chain).
    std::size_t maxHandshakeMessage = 4096;
    // A connection that has not finished the handshake and Hello by then is closed.
    Nanos handshakeTimeout = 10ull * 1000000000ull;
    wire::FrameLimits frameLimits;
};

// Counters for admin status and tests.
struct NodeCounters {
    std::uint64_t accepted = 0;
    std::uint64_t handshakesFailed = 0;
    std::uint64_t protocolErrors = 0;
    std::uint64_t requests = 0;
    std::uint64_t pushesDropped = 0;
    std::uint64_t slowReadersClosed = 0;
};

inline constexpr std::string_view NodeSoftware = "hive-node 0.1";

// Lower-case hex of the first bytes of a key, for log lines.
std::string shortHex(ByteView key, std::size_t bytes = 8);

template <Net N, Block B, Clock C, Entropy E, Console K>
class Node final : private PresenceHub, private EventLog {
public:
    // Formats block as a new node: a fresh Noise key from entropy, the owner binding and an
    // empty store. Returns the node's public key (its address key).
    static Result<wire::noise::PublicKey> initialize(B& block, E& entropy, const wire::SigningPublicKey& owner)
    {
        wire::noise::Secret<32> secret;
        HIVE_CHECK(entropy.fill(secret.span()));
        auto key = HIVE_TRY(wire::noise::KeyPair::fromSecret(secret.view()));
        std::array<std::uint8_t, 8> id {};
        HIVE_CHECK(entropy.fill(std::span<std::uint8_t>(id)));
        std::uint64_t storeId = 0;
        for (auto b : id)
            storeId = (storeId << 8) | b;
        NodeIdentity identity {.key = key, .owner = owner};
        HIVE_CHECK(NodeServices::initialize(BlockRef(block), identity, storeId | 1));
        return key.publicKey;
    }

    // Opens the node's store on block (recovery scan, index rebuild); does not listen yet.
    static Result<std::unique_ptr<Node>> create(N& net, B& block, C& clock, E& entropy, K& console, NodeConfig config = {})
    {
        std::unique_ptr<Node> node(new Node(net, block, clock, entropy, console, config));
        auto services = NodeServices::open(BlockRef(block), config.services, *node);
        if (!services)
            return services.error().withContext("opening the node store");
        node->m_services = services.release();
        return node;
    }

    ~Node() = default;
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    // Starts listening on config.port.
    Status start() { return m_net.listen(m_config.port); }

    // Group commit: a target that reports several events per loop turn brackets them with
    // beginTurn()/endTurn(). Every store write of the turn (from any connection) is made
    // durable by one flush in endTurn(), and only then are the turn's responses and pushes
    // sent — an acknowledgement still means durable. A single onEvent()/tick() outside a
    // turn is a turn of its own. Turns nest; only the outermost endTurn() flushes.
    void beginTurn()
    {
        if (m_turnDepth++ == 0)
            m_services->store().beginGroup();
    }

    // Ends a turn: one flush for its writes, then its output goes out (see beginTurn()).
    void endTurn()
    {
        if (m_turnDepth == 0 || --m_turnDepth > 0)
            return;
        Status durable = m_services->store().endGroup();
        if (!durable) {
            // Nothing written in this turn may be acknowledged, and its answers are already
            // encrypted into the connections' streams: close those connections unanswered
            // (their clients see the requests fail) and forget the undone writes.
            std::string line = "store flush failed: ";
            line += durable.error().messageView();
            m_console.log(line);
            if (auto s = m_services->reload(); !s) {
                std::string again = "reloading the store indexes failed: ";
                again += s.error().messageView();
                m_console.log(again);
            }
        }
        for (ConnId id : m_queued) {
            Connection* c = find(id);
            if (!c)
                continue;
            c->queued = false;
            if (durable)
                flush(*c);
            else
                kill(*c, "closed unanswered: the store could not make this turn's writes durable");
        }
        m_queued.clear();
        reap();
    }

    // Handles one network event from the target's loop.
    void onEvent(NetEvent event, ConnId id)
    {
        beginTurn();
        switch (event) {
        case NetEvent::Accepted: accept(id); break;
        case NetEvent::Readable: readFrom(id); break;
        case NetEvent::Writable:
            if (auto* c = find(id))
                flush(*c);
            break;
        case NetEvent::Closed:
            if (auto* c = find(id))
                kill(*c, "closed by the peer");
            break;
        }
        endTurn();
    }

    // Timers: handshake deadlines, rate-limit pruning, output for targets without
    // writable notifications. Call about once a second.
    void tick()
    {
        beginTurn();
        const Nanos now = m_clock.monotonicNanos();
        for (auto& [id, c] : m_conns) {
            if (c->phase != Phase::Open && now - c->openedAt > m_config.handshakeTimeout) {
                ++m_counters.handshakesFailed;
                kill(*c, "handshake timed out");
            } else if (c->outOffset < c->out.size()) {
                flush(*c);
            }
        }
        // Connections whose input was left unread by the per-event cap (for targets that
        // do not report a still-readable connection again).
        std::vector<ConnId> unread;
        for (auto& [id, c] : m_conns)
            if (c->readCapped && !c->dead)
                unread.push_back(id);
        for (ConnId id : unread)
            readFrom(id);
        m_services->prune(now);
        endTurn();
    }

    // Sends what can be sent without waiting and closes every connection.
    void shutdown()
    {
        for (auto& [id, c] : m_conns) {
            if (!c->dead) {
                flush(*c);
                c->dead = true;
                m_net.close(c->id);
            }
        }
        const std::size_t n = m_conns.size();
        m_conns.clear();
        m_watchers.clear();
        std::string line = "stopped; closed ";
        line += std::to_string(n);
        line += " connections";
        m_console.log(line);
    }

    const wire::noise::PublicKey& publicKey() const { return m_services->identity().key.publicKey; }
    const wire::SigningPublicKey& owner() const { return m_services->identity().owner; }
    std::size_t connectionCount() const { return m_conns.size(); }
    const NodeCounters& counters() const { return m_counters; }
    NodeServices& services() { return *m_services; }

private:
    enum class Phase : std::uint8_t { Handshake, Hello, Open };

    // The transport state of a connection after its handshake; heap-allocated so the
    // decoder and encoder can keep references to the ciphers.
    struct Channel {
        wire::noise::Transport transport;
        wire::FrameDecoder decoder;
        wire::FrameEncoder encoder;
        Channel(wire::noise::Transport t, wire::FrameLimits limits)
            : transport(std::move(t)), decoder(transport.receive, limits), encoder(transport.send, limits)
        {
        }
    };

    struct Connection {
        ConnId id = 0;
        Phase phase = Phase::Handshake;
        bool closing = false; // close once the output is sent
        bool dead = false;
        bool droppedLogged = false;
        bool readCapped = false; // input may be left to read
        bool queued = false;     // has output waiting for the end of the turn
        std::uint16_t version = 0;
        Nanos openedAt = 0;
        Caller caller;
        Bytes in; // the handshake message while it arrives
        std::unique_ptr<Channel> channel;
        Bytes out;
        std::size_t outOffset = 0;

        std::size_t unsent() const { return out.size() - outOffset; }
    };

    // The block device is reached only through the store (which holds a BlockRef to it);
    // randomness for Noise ephemerals comes from libsodium, which each target seeds.
    Node(N& net, B& /*block*/, C& clock, E& /*entropy*/, K& console, NodeConfig config)
        : m_net(net), m_clock(clock), m_console(console), m_config(config)
        , m_started(clock.monotonicNanos())
    {
    }

    void logLine(std::string_view line) override { m_console.log(line); }

    void log(const Connection& c, std::string_view what, std::string_view detail = {})
    {
        std::string line = "conn ";
        line += std::to_string(c.id);
        line += ": ";
        line += what;
        if (!detail.empty()) {
            line += ": ";
            line += detail;
        }
        m_console.log(line);
    }

    Connection* find(ConnId id)
    {
        auto it = m_conns.find(id);
        return it == m_conns.end() || it->second->dead ? nullptr : it->second.get();
    }

    void accept(ConnId id)
    {
        if (m_conns.size() >= m_config.maxConnections) {
            m_net.close(id);
            m_console.log("refused a connection: too many open connections");
            return;
        }
        auto c = std::make_unique<Connection>();
        c->id = id;
        c->openedAt = m_clock.monotonicNanos();
        ++m_counters.accepted;
        m_conns[id] = std::move(c);
    }

    void readFrom(ConnId id)
    {
        Connection* c = find(id);
        if (!c)
            return;
        c->readCapped = false;
        for (std::size_t reads = 0;; ++reads) {
            if (reads == m_config.maxReadsPerEvent) {
                c->readCapped = true;
                return;
            }
            auto n = m_net.read(id, std::span<std::uint8_t>(m_readBuffer));
            if (!n) {
                kill(*c, c->phase == Phase::Open ? "closed by the peer" : "closed by the peer during the handshake");
                return;
            }
            if (*n == 0)
                return;
            receive(*c, ByteView(m_readBuffer.data(), *n));
            if (c->dead || c->closing)
                return;
            if (m_config.shortReadDrains && *n < m_readBuffer.size())
                return;
        }
    }

    void receive(Connection& c, ByteView bytes)
    {
        if (c.phase == Phase::Handshake) {
            c.in.insert(c.in.end(), bytes.begin(), bytes.end());
            if (c.in.size() < wire::RecordHeaderSize)
                return;
            const std::size_t length = (std::size_t(c.in[0]) << 24) | (std::size_t(c.in[1]) << 16)
                | (std::size_t(c.in[2]) << 8) | c.in[3];
            if (length == 0 || length > m_config.maxHandshakeMessage) {
                ++m_counters.handshakesFailed;
                std::string detail = "handshake record of ";
                detail += std::to_string(length);
                detail += " bytes (not a Hive client?)";
                kill(c, "handshake failed", detail);
                return;
            }
            if (c.in.size() < wire::RecordHeaderSize + length)
                return;
            Bytes message(c.in.begin() + wire::RecordHeaderSize, c.in.begin() + static_cast<std::ptrdiff_t>(wire::RecordHeaderSize + length));
            Bytes rest(c.in.begin() + static_cast<std::ptrdiff_t>(wire::RecordHeaderSize + length), c.in.end());
            Bytes().swap(c.in);
            handshake(c, message);
            if (!rest.empty() && !c.dead && !c.closing)
                receive(c, rest);
            return;
        }
        if (auto s = c.channel->decoder.feed(bytes); !s) {
            ++m_counters.protocolErrors;
            kill(c, "bad record or frame", s.error().messageView());
            return;
        }
        while (!c.dead && !c.closing) {
            auto frame = c.channel->decoder.next();
            if (!frame)
                break;
            handleFrame(c, *frame);
        }
    }

    void handshake(Connection& c, ByteView message)
    {
        using namespace wire;
        auto hs = noise::HandshakeState::create(noise::Role::Responder, {}, m_services->identity().key, std::nullopt);
        if (!hs) {
            kill(c, "handshake failed", hs.error().messageView());
            return;
        }
        auto payload = hs->readMessage(message);
        if (!payload) {
            ++m_counters.handshakesFailed;
            kill(c, "handshake failed", payload.error().messageView());
            return;
        }
        const noise::PublicKey remote = *hs->remoteStatic();
        const std::uint64_t now = nowSeconds();
        proto::NodeHello reply;
        reply.owner = m_services->identity().owner;
        reply.nodeTime = now;
        reply.maxFrame = static_cast<std::uint32_t>(m_config.frameLimits.maxFrame);
        reply.software = std::string(NodeSoftware);
        c.caller.noiseKey = remote;

        Status status = success();
        auto hello = proto::ClientHello::decode(*payload);
        if (!hello) {
            status = hello.error().withContext("ClientHello does not decode");
        } else if (hello->certificate) {
            status = hello->certificate->verify(remote, now);
            if (status) {
                c.caller.identity = hello->certificate->identity;
                c.caller.role = m_services->roleFor(hello->certificate->identity);
            }
        }
        if (status && hello && !hello->grantChain.empty()) {
            if (c.caller.role == proto::Role::Anonymous) {
                reply.message = "grant chain ignored: an anonymous client cannot hold a grant";
            } else if (auto chain = GrantChain::decode(hello->grantChain); !chain) {
                reply.message = truncated(chain.error().withContext("grant chain does not decode").messageView());
            } else if (auto grant = m_services->verifyGrant(*chain, c.caller.identity, now); !grant) {
                reply.message = truncated(grant.error().messageView());
            } else {
                c.caller.grant = chain.release();
                reply.grantAccepted = true;
            }
        }
        if (!status) {
            reply.status = status.error().code();
            reply.message = truncated(status.error().messageView());
            c.caller = Caller {};
        }
        reply.role = c.caller.role;
        auto message2 = hs->writeMessage(reply.encode());
        if (!message2) {
            kill(c, "handshake failed", message2.error().messageView());
            return;
        }
        wire::appendRecord(c.out, *message2);
        if (!status) {
            ++m_counters.handshakesFailed;
            log(c, "handshake refused", status.error().messageView());
            c.closing = true;
            flush(c);
            return;
        }
        auto transport = hs->split();
        if (!transport) {
            kill(c, "handshake failed", transport.error().messageView());
            return;
        }
        c.channel = std::make_unique<Channel>(transport.release(), m_config.frameLimits);
        c.phase = Phase::Hello;
        std::string who(proto::roleName(c.caller.role));
        if (c.caller.role != proto::Role::Anonymous) {
            who += ' ';
            who += shortHex(c.caller.identity);
        }
        if (c.caller.grant)
            who += " with a grant";
        log(c, "connected", who);
        send(c, wire::helloFrame(), false);
    }

    void handleFrame(Connection& c, const wire::Frame& frame)
    {
        using namespace wire;
        if (c.phase == Phase::Hello) {
            auto range = parseHello(frame);
            auto version = range ? negotiateVersion(SupportedVersions, *range) : Result<std::uint16_t>(range.error());
            if (!version) {
                ++m_counters.protocolErrors;
                kill(c, "version negotiation failed", version.error().messageView());
                return;
            }
            c.version = *version;
            c.phase = Phase::Open;
            return;
        }
        if (frame.kind != FrameKind::Request || frame.version != c.version) {
            ++m_counters.protocolErrors;
            kill(c, "protocol violation", frame.kind != FrameKind::Request ? "a client may only send requests"
                                                                            : "frame version differs from the negotiated one");
            return;
        }
        ++m_counters.requests;
        const bool watch = frame.service == static_cast<std::uint16_t>(proto::Service::Mailbox)
            && frame.method == static_cast<std::uint16_t>(proto::MailboxMethod::Watch);
        if (watch)
            unwatch(c);
        RequestContext context;
        context.nowSeconds = nowSeconds();
        context.nowMonotonic = m_clock.monotonicNanos();
        context.uptimeSeconds = (context.nowMonotonic - m_started) / 1000000000ull;
        context.connections = static_cast<std::uint32_t>(m_conns.size());
        Store& store = m_services->store();
        store.clearReadMark();
        auto result = m_services->handle(c.caller, frame, context, *this);
        // A successful read that saw nothing this turn wrote may be answered at once; every
        // other answer waits for the turn's flush if the turn wrote anything (an error, a
        // count or a write may depend on what is not durable yet).
        const bool afterFlush = !(result && isPlainRead(frame) && !store.readUnflushed());
        if (watch) {
            // The new set on success, the old one again on failure.
            for (const auto& mailbox : c.caller.watched)
                m_watchers[mailbox].push_back(c.id);
        }
        if (!result) {
            std::string what = "request ";
            what += std::to_string(frame.service);
            what += '.';
            what += std::to_string(frame.method);
            what += " refused (";
            what += errorCodeName(result.error().code());
            what += ')';
            log(c, what, result.error().messageView());
            send(c, proto::errorFrame(frame, result.error()), afterFlush);
            return;
        }
        send(c, proto::responseFrame(frame, result.release()), afterFlush);
        if (frame.service == static_cast<std::uint16_t>(proto::Service::Presence)
            && frame.method == static_cast<std::uint16_t>(proto::PresenceMethod::Subscribe)) {
            if (auto update = m_services->currentPresenceFor(c.caller, context.nowSeconds))
                push(c, *update);
        }
    }

    std::uint32_t deliver(const proto::PresenceUpdate& update) override
    {
        std::uint32_t delivered = 0;
        for (auto& [id, c] : m_conns) {
            if (c->dead || c->phase != Phase::Open || c->caller.subscriptionId == 0 || !m_services->maySee(c->caller))
                continue;
            if (push(*c, update))
                ++delivered;
        }
        return delivered;
    }

    void mailboxPosted(const proto::MailboxNotify& notify) override
    {
        // Indexed by mailbox: a post costs nothing for the connections not watching it.
        auto watchers = m_watchers.find(notify.mailbox);
        if (watchers == m_watchers.end())
            return;
        Bytes payload;
        for (ConnId id : watchers->second) {
            Connection* c = find(id);
            if (!c || c->phase != Phase::Open || c->caller.role != proto::Role::Owner)
                continue;
            if (c->unsent() > m_config.pushDropAbove) {
                // The watcher is not reading; it fetches everything when it catches up.
                ++m_counters.pushesDropped;
                continue;
            }
            if (payload.empty())
                payload = notify.encode();
            wire::Frame f;
            f.version = c->version;
            f.kind = wire::FrameKind::Push;
            f.requestId = 0;
            f.service = static_cast<std::uint16_t>(proto::Service::Mailbox);
            f.method = static_cast<std::uint16_t>(proto::MailboxMethod::Notify);
            f.payload = payload;
            send(*c, f);
        }
    }

    bool push(Connection& c, const proto::PresenceUpdate& update)
    {
        if (c.unsent() > m_config.pushDropAbove) {
            ++m_counters.pushesDropped;
            if (!c.droppedLogged)
                log(c, "dropping presence pushes", "the client is not reading");
            c.droppedLogged = true;
            return false;
        }
        wire::Frame f;
        f.version = c.version;
        f.kind = wire::FrameKind::Push;
        f.requestId = c.caller.subscriptionId;
        f.service = static_cast<std::uint16_t>(proto::Service::Presence);
        f.method = static_cast<std::uint16_t>(proto::PresenceMethod::Update);
        f.payload = update.encode();
        send(c, f);
        return !c.dead;
    }

    // Requests whose answer depends only on the store reads they make (see readUnflushed()).
    static bool isPlainRead(const wire::Frame& f)
    {
        using proto::Service;
        switch (static_cast<Service>(f.service)) {
        case Service::Session: return f.method == static_cast<std::uint16_t>(proto::SessionMethod::Ping);
        case Service::Mailbox: return f.method == static_cast<std::uint16_t>(proto::MailboxMethod::Fetch);
        case Service::Directory: return f.method == static_cast<std::uint16_t>(proto::DirectoryMethod::Fetch);
        case Service::Objects:
            return f.method == static_cast<std::uint16_t>(proto::ObjectsMethod::Get)
                || f.method == static_cast<std::uint16_t>(proto::ObjectsMethod::Has)
                || f.method == static_cast<std::uint16_t>(proto::ObjectsMethod::List)
                || f.method == static_cast<std::uint16_t>(proto::ObjectsMethod::GetShared);
        case Service::Presence:
        case Service::Admin: return false;
        }
        return false;
    }

    // Queues frame on c. With afterFlush, it (and whatever follows on c) leaves only after
    // the turn's writes are durable, if the turn has any; otherwise it is sent now.
    void send(Connection& c, const wire::Frame& frame, bool afterFlush = true)
    {
        auto bytes = c.channel->encoder.encode(frame);
        if (!bytes) {
            // Responses are bounded below maxFrame, so this is a bug; tell the client.
            log(c, "cannot encode a frame", bytes.error().messageView());
            auto fallback = c.channel->encoder.encode(proto::errorFrame(frame, Error(ErrorCode::Internal, "response too large")));
            if (!fallback) {
                kill(c, "cannot encode a frame");
                return;
            }
            bytes = std::move(fallback);
        }
        if (c.out.empty())
            c.out = bytes.release();
        else
            c.out.insert(c.out.end(), bytes->begin(), bytes->end());
        if (c.unsent() > m_config.maxUnsent) {
            ++m_counters.slowReadersClosed;
            kill(c, "closed a slow reader", "too many unsent bytes");
            return;
        }
        if (m_turnDepth > 0 && (c.queued || (afterFlush && m_services->store().hasUnflushed()))) {
            // Sent at the end of the turn, after its writes are durable.
            if (!c.queued) {
                c.queued = true;
                m_queued.push_back(c.id);
            }
            return;
        }
        flush(c);
    }

    void flush(Connection& c)
    {
        if (c.queued && m_turnDepth > 0)
            return; // holds this turn's answers until its writes are durable (endTurn)
        while (c.outOffset < c.out.size()) {
            auto n = m_net.write(c.id, ByteView(c.out).subspan(c.outOffset));
            if (!n) {
                kill(c, "write failed", n.error().messageView());
                return;
            }
            if (*n == 0)
                break;
            c.outOffset += *n;
        }
        const bool pending = c.outOffset < c.out.size();
        if (!pending) {
            c.out.clear();
            c.outOffset = 0;
            // Idle connections keep no large buffer around.
            if (c.out.capacity() > 4096)
                Bytes().swap(c.out);
            if (c.closing) {
                kill(c, "closed after its final message");
                return;
            }
        } else if (c.outOffset > (c.out.size() / 2)) {
            c.out.erase(c.out.begin(), c.out.begin() + static_cast<std::ptrdiff_t>(c.outOffset));
            c.outOffset = 0;
        }
        if constexpr (requires(N& n) { n.wantWritable(c.id, pending); })
            m_net.wantWritable(c.id, pending);
    }

    // Removes c from the watcher index (its watch set is being replaced, or it is closing).
    void unwatch(Connection& c)
    {
        for (const auto& mailbox : c.caller.watched) {
            auto it = m_watchers.find(mailbox);
            if (it == m_watchers.end())
                continue;
            std::erase(it->second, c.id);
            if (it->second.empty())
                m_watchers.erase(it);
        }
    }

    void kill(Connection& c, std::string_view why, std::string_view detail = {})
    {
        if (c.dead)
            return;
        unwatch(c);
        c.dead = true;
        log(c, why, detail);
        m_net.close(c.id);
    }

    void reap()
    {
        std::erase_if(m_conns, [](const auto& entry) { return entry.second->dead; });
    }

    std::uint64_t nowSeconds() { return m_clock.wallNanos() / 1000000000ull; }

    static std::string truncated(std::string_view text)
    {
        return std::string(text.substr(0, proto::MaxMessageText));
    }

    N& m_net;
    C& m_clock;
    K& m_console;
    NodeConfig m_config;
    Nanos m_started;
    std::unique_ptr<NodeServices> m_services;
    std::map<ConnId, std::unique_ptr<Connection>> m_conns;
    std::array<std::uint8_t, 65536> m_readBuffer {};
    NodeCounters m_counters;
    unsigned m_turnDepth = 0;
    std::vector<ConnId> m_queued; // connections with output held until the turn's flush
    std::map<proto::MailboxId, std::vector<ConnId>> m_watchers; // mailbox.watch, by mailbox
};

} // namespace hive::node
