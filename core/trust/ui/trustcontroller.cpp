#include "trust/ui/trustcontroller.h"

#include "identity/identity.h"
#include "inbox/inbox.h"
#include "inbox/outbox.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "node/personalnode.h"
#include "signal/safetynumber.h"
#include "signal/signalcontext.h"
#include "trust/qr.h"
#include "vault/vault.h"

#include <QBuffer>
#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace hive::core {

namespace {

qint64 now() { return QDateTime::currentSecsSinceEpoch(); }

// A PNG as a data: URL, so QML's Image shows it without an image provider.
QString dataUrl(const QImage& image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QVariantMap outcome(bool ok, const QString& message, const QString& kind = {}, const QString& name = {})
{
    return {{QStringLiteral("ok"), ok},
            {QStringLiteral("message"), message},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("name"), name}};
}

} // namespace

// ---- ContactListModel ------------------------------------------------------------------

ContactListModel::ContactListModel(Contacts& contacts, QObject* parent) : QAbstractListModel(parent), m_contacts(contacts)
{
    connect(&m_contacts, &Contacts::changed, this, &ContactListModel::reload);
    reload();
}

int ContactListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant ContactListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || static_cast<std::size_t>(index.row()) >= m_rows.size())
        return {};
    const Contact& c = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case IdRole: return c.id;
    case Qt::DisplayRole:
    case NameRole: return c.displayName;
    case TrustRole: return trustLevelName(c.trust);
    case StateRole: return contactStateName(c.state);
    case FingerprintRole: return c.fingerprint();
    case NodeRole: return c.node ? QString::fromStdString(c.node->toString()) : QString();
    case PendingFingerprintRole: return c.pendingKey ? Identity::fingerprint(*c.pendingKey) : QString();
    case AddedRole: return QDateTime::fromSecsSinceEpoch(c.addedAt);
    default: return {};
    }
}

QHash<int, QByteArray> ContactListModel::roleNames() const
{
    return {{IdRole, "contactId"},       {NameRole, "name"},
            {TrustRole, "trust"},        {StateRole, "contactState"},
            {FingerprintRole, "fingerprint"}, {NodeRole, "node"},
            {PendingFingerprintRole, "pendingFingerprint"}, {AddedRole, "added"}};
}

void ContactListModel::reload()
{
    auto rows = m_contacts.list();
    beginResetModel();
    m_rows = rows.ok() ? std::move(*rows) : std::vector<Contact> {};
    endResetModel();
    emit countChanged();
}

// ---- TrustController -------------------------------------------------------------------

TrustController::TrustController(Vault& vault, const Identity& identity, QObject* parent)
    : QObject(parent), m_vault(vault), m_identity(identity)
{
}

TrustController::~TrustController()
{
    // The inbox and network use the services below; end them first.
    m_inbox.reset();
    m_network.reset();
    m_outbox.reset();
}

Result<std::unique_ptr<TrustController>> TrustController::create(Vault& vault, const Identity& identity, QObject* parent)
{
    std::unique_ptr<TrustController> c(new TrustController(vault, identity, parent));
    c->m_contacts = HIVE_TRY(Contacts::create(vault, identity));
    c->m_invites = HIVE_TRY(Invites::create(vault));
    c->m_signal = HIVE_TRY(SignalContext::create());
    c->m_outbox = HIVE_TRY(Outbox::create(vault, identity));
    c->m_network = HIVE_TRY(TrustNetwork::create(vault, identity, *c->m_contacts, *c->m_invites, *c->m_outbox));
    TrustController* raw = c.get();
    // Parented too, so QML never treats them as its own to collect.
    c->m_model = std::make_unique<ContactListModel>(*c->m_contacts, raw);
    c->m_scanner = std::make_unique<QrScanner>(raw);
    connect(c->m_contacts.get(), &Contacts::changed, raw, &TrustController::contactsChanged);
    connect(c->m_network.get(), &TrustNetwork::grantsChanged, raw, &TrustController::grantsChanged);
    connect(c->m_network.get(), &TrustNetwork::requestReceived, raw, [raw](const ReceivedRequest& r) {
        switch (r.kind) {
        case RequestResult::Kind::Pending:
            emit raw->notice(tr("Friend request"),
                             tr("%1 wants to be your friend. Accept or decline on the People page.").arg(r.contact.displayName));
            break;
        case RequestResult::Kind::AlreadyContact:
            emit raw->notice(tr("New friend"), tr("%1 added you too; you are now friends.").arg(r.contact.displayName));
            break;
        case RequestResult::Kind::KeyChanged:
            emit raw->notice(tr("Key changed"),
                             tr("A request claims to be %1 with another key. Decide on the People page.").arg(r.contact.displayName));
            break;
        }
    });
    connect(c->m_network.get(), &TrustNetwork::requestAccepted, raw, [raw](qint64 id) {
        auto contact = raw->m_contacts->find(id);
        if (contact.ok())
            emit raw->notice(tr("Friend request accepted"), tr("%1 accepted your friend request.").arg(contact->displayName));
    });
    return c;
}

void TrustController::attachNode(NodeClient& client)
{
    if (m_client != nullptr)
        return;
    m_client = &client;
    auto inbox = Inbox::create(m_vault, m_identity, client, this);
    if (!inbox.ok()) {
        qWarning("hive: friend requests cannot be received: %s", inbox.error().message());
        return;
    }
    m_inbox = std::move(inbox).value();
    m_inbox->registerHandler(wire::EnvelopeKind::FriendRequest, &m_network->requestHandler());
    m_inbox->registerHandler(wire::EnvelopeKind::Note, &m_network->noteHandler());
    m_inbox->setAutoSync(true);
    // Whatever waited in the outbox goes out once the node is there.
    connect(&client, &NodeClient::connected, this, &TrustController::flushOutbox);
    if (client.isConnected())
        flushOutbox();
    emit onlineChanged();
}

void TrustController::flushOutbox()
{
    m_outbox->flush();
}

int TrustController::pendingRequests() const
{
    auto pending = m_network->pendingRequests();
    return pending.ok() ? static_cast<int>(pending->size()) : 0;
}

QString TrustController::acceptRequest(qint64 contactId)
{
    const Status status = m_network->acceptRequest(contactId, now());
    if (!status.ok())
        return tr("The request could not be accepted: %1").arg(QString::fromUtf8(status.error().message()));
    flushOutbox();
    return {};
}

QString TrustController::declineRequest(qint64 contactId)
{
    const Status status = m_network->declineRequest(contactId);
    return status.ok() ? QString() : tr("The request could not be declined.");
}

void TrustController::syncNow()
{
    if (m_inbox)
        m_inbox->sync();
    flushOutbox();
}

QString TrustController::issueGrant(qint64 contactId, double storagePercent, double cpuPercent,
                                    double bandwidthPercent, int redelegate, int days)
{
    auto basisPoints = [](double percent) {
        return static_cast<std::uint16_t>(std::lround(std::clamp(percent, 0.0, 100.0) * 100.0));
    };
    std::optional<wire::NodeAddress> node;
    auto configured = PersonalNode::configuredAddress(m_vault);
    if (configured.ok() && *configured)
        node = *configured;
    else if (auto local = PersonalNode::localAddress(m_vault); local.ok() && *local)
        node = *local;
    if (!node)
        return tr("You have no node to share yet.");
    if (redelegate < 0 || redelegate > 7 || days < 1 || days > 365)
        return tr("Choose up to 7 re-shares and 1 to 365 days.");
    const wire::Shares shares {basisPoints(storagePercent), basisPoints(cpuPercent), basisPoints(bandwidthPercent)};
    auto issued = m_network->issueGrant(contactId, *node, shares, static_cast<std::uint8_t>(redelegate),
                                        qint64 {days} * 86400, now());
    if (!issued.ok())
        return tr("The grant could not be made: %1").arg(QString::fromUtf8(issued.error().message()));
    flushOutbox();
    emit grantsChanged();
    return {};
}

QVariantList TrustController::grants(qint64 contactId)
{
    QVariantList out;
    auto all = m_network->grants();
    if (!all.ok())
        return out;
    std::optional<Identity::PublicKey> peer;
    if (contactId != 0) {
        auto contact = m_contacts->find(contactId);
        if (!contact.ok())
            return out;
        peer = contact->identityKey;
    }
    const auto percent = [](std::uint16_t bp) { return bp / 100.0; };
    for (const GrantRecord& g : *all) {
        if (peer && g.peer != *peer)
            continue;
        const wire::Shares e = g.effective();
        const bool expired = static_cast<std::uint64_t>(now()) >= g.leaf().notAfter;
        out.append(QVariantMap {
            {QStringLiteral("id"), g.id},
            {QStringLiteral("direction"), g.direction == GrantDirection::Given ? QStringLiteral("given") : QStringLiteral("received")},
            {QStringLiteral("peer"), g.peerName},
            {QStringLiteral("storage"), percent(e.storage)},
            {QStringLiteral("cpu"), percent(e.cpu)},
            {QStringLiteral("bandwidth"), percent(e.bandwidth)},
            {QStringLiteral("depth"), int {g.leaf().depth}},
            {QStringLiteral("expires"), QLocale().toString(QDateTime::fromSecsSinceEpoch(static_cast<qint64>(g.leaf().notAfter)),
                                                           QLocale::ShortFormat)},
            {QStringLiteral("state"), g.revokedAt != 0 ? QStringLiteral("revoked")
                                      : expired       ? QStringLiteral("expired")
                                                      : QStringLiteral("active")},
        });
    }
    return out;
}

QString TrustController::revokeGrant(qint64 grantId)
{
    auto grant = m_network->grant(grantId);
    if (!grant.ok())
        return tr("This grant no longer exists.");
    auto revocation = m_network->revokeGrant(grantId, now());
    if (!revocation.ok())
        return tr("The grant could not be revoked: %1").arg(QString::fromUtf8(revocation.error().message()));
    emit grantsChanged();
    // The personal node learns of it over the open connection; a grant on another node
    // (one re-shared from a friend's) needs a connection of its own.
    if (m_client != nullptr && m_client->address() && m_client->address()->key == grant->node.key) {
        m_client->adminRevoke(*revocation);
    } else {
        auto credentials = NodeCredentials::fromIdentity(m_identity);
        if (credentials.ok()) {
            auto* client = new NodeClient(std::move(credentials).value(), this);
            client->setReconnectPolicy({std::chrono::milliseconds(250), std::chrono::milliseconds(250), 1});
            client->connectTo(grant->node);
            client->adminRevoke(*revocation).then(client, [client](const Result<wire::proto::AdminRevokeResult>&) {
                client->deleteLater();
            });
        }
    }
    flushOutbox();
    return {};
}

QString TrustController::displayName() const { return m_identity.displayName(); }

QString TrustController::fingerprint() const { return m_identity.fingerprint(); }

int TrustController::keyChanges() const
{
    auto all = m_contacts->list();
    if (!all.ok())
        return 0;
    return static_cast<int>(std::count_if(all->begin(), all->end(),
                                          [](const Contact& c) { return c.state == ContactState::KeyChanged; }));
}

QString TrustController::newCard()
{
    // The configured node, else the local node the app runs (known once it has started).
    std::optional<wire::NodeAddress> node;
    auto configured = PersonalNode::configuredAddress(m_vault);
    if (configured.ok() && *configured)
        node = *configured;
    else if (auto local = PersonalNode::localAddress(m_vault); local.ok() && *local)
        node = *local;
    auto card = m_invites->issueCard(m_identity, node, now());
    if (!card.ok())
        return tr("Your code could not be made: %1").arg(QString::fromUtf8(card.error().message()));
    // The node refuses requests whose invite it does not know; tell it about this one.
    if (m_client != nullptr && card->node)
        m_client->adminRegisterInvites({wire::proto::InviteToken {wire::inviteTokenHash(card->inviteSecret), card->expires}});
    qr::EncodeOptions onePixel;
    onePixel.modulePixels = 1;
    auto image = qr::encode(QString::fromStdString(card->toUri(wire::ContactCard::UriCase::Upper)), onePixel);
    if (!image.ok())
        return tr("Your code could not be drawn: %1").arg(QString::fromUtf8(image.error().message()));
    m_cardLink = QString::fromStdString(card->toUri());
    m_codeImage = dataUrl(*image);
    m_codeModules = image->width();
    m_cardExpires = QLocale().toString(QDateTime::fromSecsSinceEpoch(static_cast<qint64>(card->expires)),
                                       QLocale::ShortFormat);
    m_cardHasNode = card->node.has_value();
    emit myCardChanged();
    return {};
}

QVariantMap TrustController::add(const QString& text, CardSource source)
{
    wire::CardError why = wire::CardError::None;
    Result<AddResult> added = Error(ErrorCode::Internal, "not added");
    auto card = wire::ContactCard::fromUri(text.toStdString(), static_cast<std::uint64_t>(now()), &why);
    if (card.ok())
        added = m_network->addCard(*card, source, now());
    else
        added = card.error();
    if (added.ok() && added->kind != AddResult::Kind::KeyChanged)
        flushOutbox();
    if (!added.ok()) {
        switch (why) {
        case wire::CardError::NotHiveCode:
            return outcome(false, tr("This is not a Hive code. Ask your friend for the code on their My code page."));
        case wire::CardError::BadBase32:
        case wire::CardError::Malformed:
            return outcome(false, tr("This Hive code is damaged. Ask your friend to show or send it again."));
        case wire::CardError::Truncated:
            return outcome(false, tr("This Hive code is incomplete. Copy or scan the whole code."));
        case wire::CardError::WrongVersion:
            return outcome(false, tr("This Hive code comes from a newer version of Hive. Update Hive to add this person."));
        case wire::CardError::BadSignature:
            return outcome(false, tr("This Hive code has been altered: its signature does not match. It was not added."));
        case wire::CardError::Expired:
            return outcome(false, tr("This Hive code has expired. Ask your friend for a fresh one."));
        case wire::CardError::None:
            break;
        }
        if (added.error().code() == ErrorCode::InvalidArgument)
            return outcome(false, tr("This is your own code."));
        return outcome(false, tr("The contact could not be saved: %1").arg(QString::fromUtf8(added.error().message())));
    }
    const QString name = added->contact.displayName;
    switch (added->kind) {
    case AddResult::Kind::Added:
        return outcome(true, tr("%1 was added.").arg(name), QStringLiteral("added"), name);
    case AddResult::Kind::Updated:
        return outcome(true, tr("%1 is already a contact; their details were updated.").arg(name),
                       QStringLiteral("updated"), name);
    case AddResult::Kind::KeyChanged:
        return outcome(false,
                       tr("This code claims to be %1 but has a different key. Nothing will be sent to %1 until you "
                          "decide on the People page.")
                           .arg(name),
                       QStringLiteral("key-changed"), name);
    }
    return outcome(false, {});
}

QVariantMap TrustController::addLink(const QString& link) { return add(link.trimmed(), CardSource::PastedLink); }

QVariantMap TrustController::addScanned(const QString& text) { return add(text, CardSource::ScannedQr); }

QVariantMap TrustController::addImage(const QUrl& file)
{
    auto text = qr::decodeFile(file.isLocalFile() ? file.toLocalFile() : file.toString());
    if (!text.ok()) {
        if (text.error().code() == ErrorCode::Io)
            return outcome(false, tr("The image could not be opened."));
        return outcome(false, tr("No readable QR code was found in the image."));
    }
    return addScanned(*text);
}

QVariantMap TrustController::safetyNumber(qint64 contactId)
{
    auto contact = m_contacts->find(contactId);
    if (!contact.ok())
        return {{QStringLiteral("ok"), false}, {QStringLiteral("message"), tr("This contact no longer exists.")}};
    auto number = m_contacts->safetyNumber(*m_signal, contactId);
    if (!number.ok())
        return {{QStringLiteral("ok"), false},
                {QStringLiteral("message"), tr("The safety number could not be computed.")}};
    QString image;
    int modules = 0;
    qr::EncodeOptions onePixel;
    onePixel.modulePixels = 1;
    if (auto qrImage = qr::encode(number->scannableText(), onePixel); qrImage.ok()) {
        image = dataUrl(*qrImage);
        modules = qrImage->width();
    }
    return {{QStringLiteral("ok"), true},
            {QStringLiteral("name"), contact->displayName},
            {QStringLiteral("digits"), number->digits()},
            {QStringLiteral("groups"), number->groups()},
            {QStringLiteral("image"), image},
            {QStringLiteral("modules"), modules}};
}

QString TrustController::confirmSafetyNumber(qint64 contactId)
{
    const Status status = m_contacts->confirmSafetyNumber(contactId, now());
    return status.ok() ? QString() : tr("The contact could not be marked as verified.");
}

QString TrustController::acceptKeyChange(qint64 contactId)
{
    const Status status = m_contacts->acceptKeyChange(contactId, now());
    return status.ok() ? QString() : tr("The new key could not be accepted: %1").arg(QString::fromUtf8(status.error().message()));
}

QString TrustController::declineKeyChange(qint64 contactId)
{
    const Status status = m_contacts->declineKeyChange(contactId);
    return status.ok() ? QString() : tr("The new key could not be declined.");
}

void TrustController::copyText(const QString& text) const
{
    if (QClipboard* clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

} // namespace hive::core
