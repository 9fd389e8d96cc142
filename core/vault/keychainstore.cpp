#include "vault/keychainstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>
#include <sodium.h>

namespace hive::core {

namespace {

// The id of a probe entry that is never written: reading it tells whether the keychain answers.
const QString ProbeKey = QStringLiteral("hive-availability-probe");

struct JobOutcome {
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QByteArray data;
};

// Starts the job and waits for it in a nested event loop, at most `timeout`.
JobOutcome runJob(QKeychain::Job* job, std::chrono::milliseconds timeout)
{
    JobOutcome outcome;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    // The job deletes itself once finished (autoDelete); `loop` as context object cuts the
    // connection if we gave up waiting and left this scope first.
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job* done) {
        outcome.finished = true;
        outcome.error = done->error();
        outcome.errorString = done->errorString();
        if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(done))
            outcome.data = read->binaryData();
        loop.quit();
    });
    job->setAutoDelete(true);
    timer.start(timeout);
    job->start();
    if (!outcome.finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return outcome;
}

Error keychainError(const JobOutcome& outcome, std::string_view what)
{
    if (!outcome.finished)
        return Error(ErrorCode::Unavailable, "the system keychain did not answer in time (")
            .append(what)
            .append("); use a passphrase instead");
    switch (outcome.error) {
    case QKeychain::EntryNotFound:
        return Error(ErrorCode::NotFound, "the system keychain holds no key for this profile");
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Error(ErrorCode::PermissionDenied, "access to the system keychain was denied");
    default:
        break;
    }
    Error e(ErrorCode::Unavailable, "the system keychain is not reachable (");
    e.append(what).append(": ").append(outcome.errorString.toStdString()).append(")");
    return e;
}

} // namespace

KeychainStore::KeychainStore(std::chrono::milliseconds timeout, QString service)
    : m_timeout(timeout)
    , m_service(std::move(service))
{
}

Status KeychainStore::available()
{
    if (QCoreApplication::instance() == nullptr)
        return Error(ErrorCode::Unavailable, "the system keychain needs a running Qt application");
    if (m_stuck)
        return Error(ErrorCode::Unavailable, "the system keychain did not answer earlier; use a passphrase instead");
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(ProbeKey);
    JobOutcome outcome = runJob(job, m_timeout);
    if (!outcome.finished)
        m_stuck = true;
    // A missing probe entry is the normal answer of a working keychain.
    if (outcome.finished && (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound))
        return success();
    return keychainError(outcome, "probe");
}

Result<VaultKey> KeychainStore::readKey(const QString& profileId)
{
    HIVE_CHECK(available());
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(profileId);
    JobOutcome outcome = runJob(job, m_timeout);
    if (!outcome.finished)
        m_stuck = true;
    if (!outcome.finished || outcome.error != QKeychain::NoError)
        return keychainError(outcome, "reading the key");
    auto key = VaultKey::fromBytes(ByteView(reinterpret_cast<const std::uint8_t*>(outcome.data.constData()),
                                            static_cast<std::size_t>(outcome.data.size())));
    sodium_memzero(outcome.data.data(), static_cast<std::size_t>(outcome.data.size()));
    if (!key.ok())
        return Error(ErrorCode::Corrupt, "the key stored in the system keychain has the wrong size");
    return key;
}

Status KeychainStore::writeKey(const QString& profileId, const VaultKey& key)
{
    HIVE_CHECK(available());
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(profileId);
    QByteArray data(reinterpret_cast<const char*>(key.bytes().data()), static_cast<qsizetype>(key.bytes().size()));
    job->setBinaryData(data);
    JobOutcome outcome = runJob(job, m_timeout);
    if (!outcome.finished)
        m_stuck = true;
    if (!outcome.finished || outcome.error != QKeychain::NoError)
        return keychainError(outcome, "storing the key");
    return success();
}

Status KeychainStore::removeKey(const QString& profileId)
{
    HIVE_CHECK(available());
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(profileId);
    JobOutcome outcome = runJob(job, m_timeout);
    if (!outcome.finished)
        m_stuck = true;
    if (outcome.finished && (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound))
        return success();
    return keychainError(outcome, "removing the key");
}

} // namespace hive::core
