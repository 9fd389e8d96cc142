// Real hive-node processes on 127.0.0.1 (sandbox on), driven by a small blocking client
// built on wire/noise + wire/frame (core/testing/clientchannel.h): the command line, every
// service and role over TCP, bad input, quota and revocation, kill -9 during a stream of
// puts, a full disk, SIGTERM, and the memory an idle connection costs.
#include "core/testing/clientchannel.h"
#include "wire/base32.h"
#include "wire/contactcard.h"
#include "wire/nodeaddress.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace hive;
using namespace hive::wire;
using namespace hive::node::testing;
using proto::Service;

namespace {

constexpr int Timeout = 10000; // ms for any single wait

SigningKey keyFromByte(std::uint8_t b)
{
    std::array<std::uint8_t, 32> seed {};
    seed.fill(b);
    return SigningKey::fromSeed(seed).release();
}

std::uint64_t nowSeconds()
{
    return static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch());
}

QString nodeBinary() { return QStringLiteral(HIVE_NODE_EXECUTABLE); }

struct RunResult {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

RunResult runTool(const QStringList& args)
{
    QProcess p;
    p.start(nodeBinary(), args);
    if (!p.waitForFinished(Timeout)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

// One hive-node data directory and the running process (started and killed by pid only).
class NodeRunner {
public:
    explicit NodeRunner(const SigningPublicKey& owner, const QString& size = QStringLiteral("16M"))
    {
        const auto r = runTool({"init", "--data", m_dir.path() + "/data", "--owner",
                                QString::fromStdString(base32::encode(owner)), "--size", size});
        if (r.code != 0)
            qFatal("init failed: %s", r.err.constData());
        auto address = NodeAddress::parse(r.out.trimmed().toStdString());
        if (!address)
            qFatal("init printed no address");
        nodeKey = address->key;
    }
    ~NodeRunner()
    {
        if (m_process.state() != QProcess::NotRunning) {
            ::kill(static_cast<pid_t>(m_process.processId()), SIGKILL);
            m_process.waitForFinished(Timeout);
        }
    }
    QString data() const { return m_dir.path() + "/data"; }

    // Starts `run` on a free port (port 0, read back from the log) with the sandbox on.
    bool start()
    {
        m_log.clear();
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(nodeBinary(), {"run", "--data", data(), "--listen", "127.0.0.1:0"});
        if (!m_process.waitForStarted(Timeout))
            return false;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < Timeout) {
            m_process.waitForReadyRead(100);
            m_log += m_process.readAllStandardError();
            const auto at = m_log.indexOf("listening on ");
            if (at >= 0 && m_log.indexOf('\n', at) > 0) {
                const QByteArray line = m_log.mid(at + 13, m_log.indexOf('\n', at) - at - 13);
                auto address = NodeAddress::parse(line.toStdString());
                if (!address)
                    return false;
                port = address->port;
                return true;
            }
            if (m_process.state() == QProcess::NotRunning)
                return false;
        }
        return false;
    }
    void kill9()
    {
        ::kill(static_cast<pid_t>(m_process.processId()), SIGKILL);
        m_process.waitForFinished(Timeout);
    }
    // SIGTERM; the exit code, or -1 for a crash or a hang.
    int terminate()
    {
        ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
        if (!m_process.waitForFinished(Timeout)) {
            kill9();
            return -1;
        }
        m_log += m_process.readAllStandardError();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    bool running() const { return m_process.state() == QProcess::Running; }
    qint64 pid() const { return m_process.processId(); }
    // Everything the node logged so far (waits briefly for lines still in the pipe).
    QByteArray log()
    {
        if (m_process.state() == QProcess::Running)
            while (m_process.waitForReadyRead(200))
                m_log += m_process.readAllStandardError();
        m_log += m_process.readAllStandardError();
        return m_log;
    }

    noise::PublicKey nodeKey {};
    std::uint16_t port = 0;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
};

int connectTcp(std::uint16_t port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

bool sendAll(int fd, ByteView bytes)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Waits up to timeoutMs for the peer to close fd (reading and discarding what comes).
bool closedByPeer(int fd, int timeoutMs = Timeout)
{
    QElapsedTimer t;
    t.start();
    std::uint8_t buf[4096];
    while (t.elapsed() < timeoutMs) {
        pollfd p {fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            return true;
    }
    return false;
}

// A blocking client over TCP.
class TcpClient {
public:
    static std::unique_ptr<TcpClient> open(std::uint16_t port, const noise::PublicKey& nodeKey, const noise::KeyPair& key,
                                           const proto::ClientHello& hello)
    {
        std::unique_ptr<TcpClient> c(new TcpClient());
        c->m_fd = connectTcp(port);
        if (c->m_fd < 0)
            return nullptr;
        c->m_channel = ClientChannel::start(nodeKey, key, hello).release();
        QElapsedTimer t;
        t.start();
        while (!c->m_channel->ready() && !c->m_channel->failed() && t.elapsed() < Timeout)
            if (!c->exchange(100))
                break;
        return c;
    }
    static std::unique_ptr<TcpClient> open(const NodeRunner& node, const TestDevice& device, const Bytes& grant = {})
    {
        return open(node.port, node.nodeKey, device.noiseKey, device.hello(grant));
    }
    ~TcpClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    ClientChannel& channel() { return *m_channel; }
    int fd() const { return m_fd; }
    bool ready() const { return m_channel->ready(); }

    // Sends pending output, then waits up to waitMs for input; false once the peer closed.
    bool exchange(int waitMs)
    {
        if (!sendAll(m_fd, m_channel->takeOutput()))
            return false;
        pollfd p {m_fd, POLLIN, 0};
        if (::poll(&p, 1, waitMs) <= 0)
            return true;
        std::uint8_t buf[65536];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0)
            return false;
        (void)m_channel->feed(ByteView(buf, static_cast<std::size_t>(n)));
        return sendAll(m_fd, m_channel->takeOutput());
    }

    Result<Frame> call(Service service, std::uint16_t method, Bytes payload)
    {
        const std::uint64_t id = m_channel->request(service, method, std::move(payload));
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < Timeout) {
            while (auto f = m_channel->next()) {
                if (f->kind == FrameKind::Push)
                    pushes.push_back(*f);
                else if (f->requestId == id)
                    return *f;
            }
            if (!exchange(50))
                return Error(ErrorCode::Unavailable, "connection closed");
        }
        return Error(ErrorCode::Timeout, "no response");
    }
    template <typename Response, typename Request, typename Method>
    Result<Response> call(Service service, Method method, const Request& request)
    {
        auto frame = HIVE_TRY(call(service, static_cast<std::uint16_t>(method), request.encode()));
        if (frame.kind == FrameKind::Error)
            return decodeErrorPayload(frame.payload);
        return Response::decode(frame.payload);
    }
    // Waits until at least n pushes arrived (or the timeout).
    bool waitPushes(std::size_t n)
    {
        QElapsedTimer t;
        t.start();
        while (pushes.size() < n && t.elapsed() < Timeout) {
            while (auto f = m_channel->next())
                if (f->kind == FrameKind::Push)
                    pushes.push_back(*f);
            if (pushes.size() >= n || !exchange(50))
                break;
        }
        return pushes.size() >= n;
    }
    bool ping() { return call<proto::Pong>(Service::Session, proto::SessionMethod::Ping, proto::Empty {}).ok(); }

    std::vector<Frame> pushes;

private:
    TcpClient() = default;
    int m_fd = -1;
    std::unique_ptr<ClientChannel> m_channel;
};

proto::ObjectPut objectOf(std::size_t size, std::uint32_t seed)
{
    Bytes content(size);
    for (std::size_t i = 0; i < size; ++i)
        content[i] = static_cast<std::uint8_t>((seed * 2654435761u + i * 40503u) >> 7);
    return proto::ObjectPut {.id = proto::objectIdOf(content), .content = content};
}

std::size_t rssKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toULongLong();
    return 0;
}

} // namespace

class TestNodeProcess : public QObject {
    Q_OBJECT

    const SigningKey m_owner = keyFromByte(1);
    const SigningKey m_alice = keyFromByte(2);

private slots:
    void initTimeCase()
    {
        // Enough descriptors for the idle-connection measurement.
        rlimit files {};
        getrlimit(RLIMIT_NOFILE, &files);
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    void commandLineUsageAndHelp()
    {
        QCOMPARE(runTool({}).code, 2);
        QCOMPARE(runTool({"--help"}).code, 0);
        for (const char* command : {"init", "run", "address"}) {
            auto help = runTool({command, "--help"});
            QCOMPARE(help.code, 0);
            QVERIFY(help.out.contains(command));
        }
        QVERIFY(runTool({"init", "--help"}).out.contains("contact-card URI"));
        QCOMPARE(runTool({"frobnicate"}).code, 2);
        QTemporaryDir dir;
        auto card = runTool({"init", "--data", dir.path() + "/d", "--owner", "hive:abcdef"});
        QCOMPARE(card.code, 2);
        QVERIFY(card.err.contains("contact card is not valid"));
        // The owner's signed card is accepted in place of the key; an expired one is not.
        const auto now = static_cast<std::uint64_t>(std::time(nullptr));
        wire::ContactCard ownerCard;
        ownerCard.identityKey = m_owner.publicKey;
        ownerCard.displayName = "Owner";
        ownerCard.inviteSecret = Bytes(16, 0x42);
        ownerCard.expires = now + 3600;
        QVERIFY(ownerCard.sign(m_owner).ok());
        auto byCard = runTool({"init", "--data", dir.path() + "/c", "--owner", QString::fromStdString(ownerCard.toUri()), "--size", "2M"});
        QVERIFY2(byCard.code == 0, qPrintable(byCard.err));
        QVERIFY(byCard.out.startsWith("hive://"));
        ownerCard.expires = now - 10;
        QVERIFY(ownerCard.sign(m_owner).ok());
        QCOMPARE(runTool({"init", "--data", dir.path() + "/e", "--owner", QString::fromStdString(ownerCard.toUri())}).code, 2);
        QCOMPARE(runTool({"init", "--data", dir.path() + "/d", "--owner", "nonsense"}).code, 2);
        QCOMPARE(runTool({"init", "--data", dir.path() + "/d"}).code, 2);
        QCOMPARE(runTool({"run", "--data", dir.path() + "/missing", "--no-sandbox"}).code, 1);
        const QString owner = QString::fromStdString(base32::encode(m_owner.publicKey));
        auto init = runTool({"init", "--data", dir.path() + "/d", "--owner", owner, "--size", "2M", "--listen", "127.0.0.1:7999"});
        QCOMPARE(init.code, 0);
        QVERIFY(init.out.startsWith("hive://"));
        QVERIFY(init.out.trimmed().endsWith("@127.0.0.1:7999"));
        QCOMPARE(runTool({"address", "--data", dir.path() + "/d"}).out, init.out);
        // A second init over an existing node is refused.
        QCOMPARE(runTool({"init", "--data", dir.path() + "/d", "--owner", owner}).code, 1);
    }

    void runsSandboxedAndStopsOnSigterm()
    {
        NodeRunner node(m_owner.publicKey);
        QVERIFY(node.start());
        QVERIFY(node.log().contains("sandbox on"));
        auto owner = TcpClient::open(node, TestDevice::create(m_owner, nowSeconds()));
        QVERIFY(owner && owner->ready());
        QVERIFY(owner->ping());
        // `address` reports the port the node last listened on.
        auto address = runTool({"address", "--data", node.data()});
        QVERIFY(address.out.contains(QByteArray(":") + QByteArray::number(node.port)));
        QCOMPARE(node.terminate(), 0);
        QVERIFY(node.log().contains("stopped"));
        QVERIFY(closedByPeer(owner->fd(), 2000));
    }

    void everyServiceAndRoleOverTcp()
    {
        NodeRunner node(m_owner.publicKey);
        QVERIFY(node.start());
        const std::uint64_t now = nowSeconds();
        GrantChain chain;
        chain.links.push_back(makeGrantLink(m_owner, m_alice.publicKey, node.nodeKey, {}, now - 60, now + 3600, 0, {100, 0, 0}));
        auto owner = TcpClient::open(node, TestDevice::create(m_owner, now));
        auto alice = TcpClient::open(node, TestDevice::create(m_alice, now), chain.encode());
        auto anon = TcpClient::open(node.port, node.nodeKey, noise::KeyPair::generate(), proto::ClientHello {});
        QVERIFY(owner->ready() && alice->ready() && anon->ready());
        QCOMPARE(owner->channel().nodeHello()->role, proto::Role::Owner);
        QCOMPARE(alice->channel().nodeHello()->role, proto::Role::Friend);
        QVERIFY(alice->channel().nodeHello()->grantAccepted);
        QCOMPARE(anon->channel().nodeHello()->role, proto::Role::Anonymous);

        // mailbox
        proto::MailboxId box {};
        box.fill(3);
        QVERIFY(alice->call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                      proto::MailboxPost {.mailbox = box, .envelope = Bytes(1024, 1)}).ok());
        QVERIFY(anon->call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                     proto::MailboxPost {.mailbox = box, .envelope = Bytes(10, 2)}).ok());
        QCOMPARE(anon->call<proto::MailboxFetchResult>(Service::Mailbox, proto::MailboxMethod::Fetch, proto::MailboxFetch {.mailbox = box})
                     .error().code(), ErrorCode::PermissionDenied);
        auto fetched = owner->call<proto::MailboxFetchResult>(Service::Mailbox, proto::MailboxMethod::Fetch, proto::MailboxFetch {.mailbox = box});
        QVERIFY(fetched.ok());
        QCOMPARE(fetched->envelopes.size(), 2u);
        QCOMPARE(fetched->envelopes[0].sender, m_alice.publicKey);
        auto acked = owner->call<proto::MailboxAckResult>(Service::Mailbox, proto::MailboxMethod::Ack,
                                                          proto::MailboxAck {.mailbox = box, .ids = {fetched->envelopes[0].id, fetched->envelopes[1].id}});
        QCOMPARE(acked->removed, 2u);

        // directory
        QVERIFY(owner->call<proto::DirectoryPublishResult>(Service::Directory, proto::DirectoryMethod::Publish,
                                                           proto::DirectoryPublish {.kind = 1, .entry = Bytes(500, 4)}).ok());
        auto dir = alice->call<proto::DirectoryFetchResult>(Service::Directory, proto::DirectoryMethod::Fetch, proto::DirectoryFetch {});
        QCOMPARE(dir->entries.size(), 1u);
        QCOMPARE(dir->entries[0].entry, Bytes(500, 4));

        // objects: put/get/has/list/delete for a grant holder, and over quota
        const auto obj = objectOf(3000, 1);
        auto put = alice->call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj);
        QVERIFY(put.ok());
        QVERIFY(put->created);
        QCOMPARE(alice->call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id})->content, obj.content);
        QCOMPARE(alice->call<proto::ObjectHasResult>(Service::Objects, proto::ObjectsMethod::Has, proto::ObjectHas {.ids = {obj.id}})->present,
                 std::vector<bool> {true});
        QCOMPARE(alice->call<proto::ObjectListResult>(Service::Objects, proto::ObjectsMethod::List, proto::ObjectList {})->objects.size(), 1u);
        const auto big = objectOf(static_cast<std::size_t>(put->storageQuota), 2);
        auto over = alice->call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, big);
        QCOMPARE(over.error().code(), ErrorCode::NoSpace);
        QVERIFY(QString(over.error().message()).contains("quota"));
        QCOMPARE(anon->call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj).error().code(), ErrorCode::PermissionDenied);
        QCOMPARE(alice->call<proto::ObjectDeleteResult>(Service::Objects, proto::ObjectsMethod::Delete, proto::ObjectDelete {.ids = {obj.id}})->deleted, 1u);

        // presence
        QVERIFY(alice->call<proto::PresenceSubscribeResult>(Service::Presence, proto::PresenceMethod::Subscribe, proto::Empty {}).ok());
        auto published = owner->call<proto::PresencePublishResult>(
            Service::Presence, proto::PresenceMethod::Publish,
            proto::PresencePublish {.audience = {m_alice.publicKey}, .ttlSeconds = 60, .blob = Bytes(64, 8)});
        QVERIFY2(published.ok(), published.ok() ? "" : (published.error().messageView().data() + QByteArray("; log: ") + node.log()).constData());
        QVERIFY(alice->waitPushes(1));
        QCOMPARE(proto::PresenceUpdate::decode(alice->pushes[0].payload)->blob, Bytes(64, 8));

        // admin: status, then revoke alice's grant: refused on her very next request
        auto status = owner->call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {});
        QVERIFY(status.ok());
        QCOMPARE(status->connections, 3u);
        QCOMPARE(status->grants.size(), 1u);
        QCOMPARE(alice->call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {}).error().code(),
                 ErrorCode::PermissionDenied);
        QVERIFY(alice->call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj).ok());
        QVERIFY(owner->call<proto::AdminRevokeResult>(Service::Admin, proto::AdminMethod::Revoke,
                                                      proto::AdminRevoke {.revocation = Revocation::create(chain.links[0].hash(), m_owner, now)})->added);
        auto refused = alice->call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id});
        QCOMPARE(refused.error().code(), ErrorCode::PermissionDenied);
        QVERIFY(QString(refused.error().message()).contains("revoked"));
        QCOMPARE(node.terminate(), 0);
    }

    void badInputClosesOnlyThatConnection()
    {
        NodeRunner node(m_owner.publicKey);
        QVERIFY(node.start());
        const std::uint64_t now = nowSeconds();
        auto good = TcpClient::open(node, TestDevice::create(m_owner, now));
        QVERIFY(good->ready());
        const TestDevice alice = TestDevice::create(m_alice, now);

        // Garbage before the handshake.
        int fd = connectTcp(node.port);
        QVERIFY(sendAll(fd, asBytes("GET / HTTP/1.1\r\n\r\n")));
        QVERIFY(closedByPeer(fd));
        ::close(fd);
        // An oversized frame record after a good handshake.
        auto big = TcpClient::open(node, alice);
        QVERIFY(big->ready());
        QVERIFY(sendAll(big->fd(), Bytes {0x00, 0x10, 0x00, 0x01, 1, 2, 3}));
        QVERIFY(closedByPeer(big->fd()));
        // A wrong node key: the handshake fails.
        auto wrong = TcpClient::open(node.port, noise::KeyPair::generate().publicKey, alice.noiseKey, alice.hello());
        QVERIFY(!wrong->ready());
        QVERIFY(closedByPeer(wrong->fd()));
        // A replayed handshake message 1 and transport record on a new connection.
        auto first = TcpClient::open(node, alice);
        QVERIFY(first->ready());
        (void)first->channel().request(Service::Session, 1, {});
        const Bytes recorded = first->channel().takeOutput();
        Bytes replay;
        appendRecord(replay, first->channel().message1());
        fd = connectTcp(node.port);
        QVERIFY(sendAll(fd, replay));
        QVERIFY(sendAll(fd, recorded));
        QVERIFY(closedByPeer(fd));
        ::close(fd);
        // A replayed transport record on the original connection.
        QVERIFY(sendAll(first->fd(), recorded));
        QVERIFY(sendAll(first->fd(), recorded));
        QVERIFY(closedByPeer(first->fd()));

        QVERIFY(node.running());
        QVERIFY(good->ping());
        const QByteArray log = node.log();
        QVERIFY(log.contains("handshake failed"));
        QVERIFY(log.contains("bad record or frame"));
        QCOMPARE(node.terminate(), 0);
    }

    void killDuringPutsKeepsEveryAcknowledgedObject()
    {
        NodeRunner node(m_owner.publicKey, QStringLiteral("64M"));
        const TestDevice device = TestDevice::create(m_owner, nowSeconds());
        std::vector<proto::ObjectPut> acknowledged;
        std::uint32_t seed = 0;
        auto* rng = QRandomGenerator::global();
        for (int round = 0; round < 20; ++round) {
            QVERIFY2(node.start(), node.log().constData());
            auto client = TcpClient::open(node, device);
            QVERIFY(client && client->ready());
            // Everything acknowledged in earlier rounds is there, intact.
            for (const auto& obj : acknowledged) {
                auto got = client->call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id});
                QVERIFY2(got.ok(), got.ok() ? "" : got.error().message());
                QVERIFY(got->content == obj.content);
            }
            // Stream puts until the node is killed at a random moment.
            QElapsedTimer t;
            t.start();
            const qint64 killAt = 30 + static_cast<qint64>(rng->bounded(200u));
            bool killed = false;
            while (!killed) {
                const auto obj = objectOf(512 + rng->bounded(8192u), ++seed);
                const std::uint64_t id = client->channel().request(Service::Objects, static_cast<std::uint16_t>(proto::ObjectsMethod::Put),
                                                                   obj.encode());
                bool answered = false;
                while (!answered) {
                    while (auto f = client->channel().next()) {
                        if (f->requestId == id && f->kind == FrameKind::Response) {
                            acknowledged.push_back(obj);
                            answered = true;
                        } else if (f->requestId == id) {
                            QFAIL(decodeErrorPayload(f->payload).message());
                        }
                    }
                    if (answered)
                        break;
                    if (t.elapsed() >= killAt && !killed) {
                        node.kill9();
                        killed = true;
                    }
                    if (!client->exchange(5))
                        break; // killed: the connection is gone; this put was never acknowledged
                }
                if (t.elapsed() >= killAt && !killed) {
                    node.kill9();
                    killed = true;
                }
            }
        }
        QVERIFY(node.start());
        auto client = TcpClient::open(node, device);
        for (const auto& obj : acknowledged) {
            auto got = client->call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id});
            QVERIFY(got.ok());
            QVERIFY(got->content == obj.content);
        }
        qInfo("%zu acknowledged objects survived 20 kill -9 rounds", acknowledged.size());
        QVERIFY(acknowledged.size() >= 20);
        QCOMPARE(node.terminate(), 0);
    }

    void fullDiskGivesAClearErrorAndKeepsData()
    {
        NodeRunner node(m_owner.publicKey, QStringLiteral("2M"));
        QVERIFY(node.start());
        const TestDevice device = TestDevice::create(m_owner, nowSeconds());
        auto client = TcpClient::open(node, device);
        std::vector<proto::ObjectPut> stored;
        Error refusal;
        for (std::uint32_t i = 0; i < 100; ++i) {
            auto obj = objectOf(60 * 1024, i + 1000);
            auto put = client->call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj);
            if (!put) {
                refusal = put.error();
                break;
            }
            stored.push_back(obj);
        }
        QCOMPARE(refusal.code(), ErrorCode::NoSpace);
        QVERIFY(stored.size() >= 5);
        QVERIFY(client->ping());
        QCOMPARE(node.terminate(), 0);
        QVERIFY(node.start());
        client = TcpClient::open(node, device);
        for (const auto& obj : stored)
            QCOMPARE(client->call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id})->content,
                     obj.content);
        QCOMPARE(node.terminate(), 0);
    }

    void idleConnectionsCostLittleMemory()
    {
        NodeRunner node(m_owner.publicKey);
        QVERIFY(node.start());
        const TestDevice device = TestDevice::create(m_alice, nowSeconds());
        // Warm up allocator arenas and code pages with a few connections first.
        std::vector<std::unique_ptr<TcpClient>> clients;
        for (int i = 0; i < 20; ++i)
            clients.push_back(TcpClient::open(node, device));
        QVERIFY(clients.back()->ping());
        QTest::qWait(200);
        const std::size_t before = rssKiB(node.pid());
        constexpr int N = 500;
        for (int i = 0; i < N; ++i) {
            clients.push_back(TcpClient::open(node, device));
            QVERIFY(clients.back() && clients.back()->ready());
        }
        QVERIFY(clients.back()->ping());
        QTest::qWait(200);
        const std::size_t after = rssKiB(node.pid());
        const double perConnection = (static_cast<double>(after) - static_cast<double>(before)) * 1024.0 / N;
        qInfo("node RSS %zu KiB -> %zu KiB with %d more idle connections: %.0f bytes each", before, after, N, perConnection);
        QVERIFY(before > 0);
        QVERIFY2(perConnection <= 16 * 1024, "an idle connection costs more than 16 KiB");
        QCOMPARE(node.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestNodeProcess)
#include "test_node_process.moc"
