// TrustController: what the My code, Scan and People pages talk to. It owns the Contacts
// and Invites services of an unlocked profile, the camera scanner, a libsignal context for
// safety numbers, and a list model of the contacts. The app creates one per unlocked
// session and hands it to QML; nothing here is a singleton.
#pragma once

#include "trust/contacts.h"
#include "trust/invites.h"
#include "trust/trustnetwork.h"
#include "trust/ui/qrscanner.h"

#include <QAbstractListModel>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QVariantMap>

#include <memory>
#include <vector>

namespace hive::core {

class Identity;
class Inbox;
class NodeClient;
class Outbox;
class SignalContext;
class Vault;

// The contacts as a list model (roles below), refreshed whenever Contacts changes.
class ContactListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        NameRole,          // display name
        TrustRole,         // "verified-in-person", "verified-by-safety-number", "unverified"
        StateRole,         // "active", "pending-request", "key-changed"
        FingerprintRole,   // of the pinned key
        NodeRole,          // hive:// address or ""
        PendingFingerprintRole, // of the offered new key while state is "key-changed"
        AddedRole,         // QDateTime
    };

    explicit ContactListModel(Contacts& contacts, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Re-reads the contacts from the vault.
    void reload();

signals:
    void countChanged();

private:
    Contacts& m_contacts;
    std::vector<Contact> m_rows;
};

class TrustController : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString displayName READ displayName CONSTANT)
    Q_PROPERTY(QString fingerprint READ fingerprint CONSTANT)
    // The current card of this profile (lower-case hive: link) and its QR code as a data: URL.
    Q_PROPERTY(QString myCardLink READ myCardLink NOTIFY myCardChanged)
    Q_PROPERTY(QString myCodeImage READ myCodeImage NOTIFY myCardChanged)
    Q_PROPERTY(QString myCardExpires READ myCardExpires NOTIFY myCardChanged)
    Q_PROPERTY(bool myCardHasNode READ myCardHasNode NOTIFY myCardChanged)
    // Side of myCodeImage in modules (quiet zone included); the image has one pixel per
    // module so QML can scale it by a whole number and keep every module the same size.
    Q_PROPERTY(int myCodeModules READ myCodeModules NOTIFY myCardChanged)
    Q_PROPERTY(QAbstractItemModel* contacts READ contacts CONSTANT)
    Q_PROPERTY(int keyChanges READ keyChanges NOTIFY contactsChanged)
    // Friend requests waiting for Accept/Decline.
    Q_PROPERTY(int pendingRequests READ pendingRequests NOTIFY contactsChanged)
    // True once attachNode() connected the trust network to the personal node.
    Q_PROPERTY(bool online READ online NOTIFY onlineChanged)
    Q_PROPERTY(QObject* scanner READ scanner CONSTANT)

public:
    // Serves the trust pages for `identity`'s profile stored in `vault`; both must outlive it.
    static Result<std::unique_ptr<TrustController>> create(Vault& vault, const Identity& identity,
                                                           QObject* parent = nullptr);
    ~TrustController() override;

    QString displayName() const;
    QString fingerprint() const;
    QString myCardLink() const { return m_cardLink; }
    QString myCodeImage() const { return m_codeImage; }
    QString myCardExpires() const { return m_cardExpires; }
    bool myCardHasNode() const { return m_cardHasNode; }
    int myCodeModules() const { return m_codeModules; }
    QAbstractItemModel* contacts() const { return m_model.get(); }
    int keyChanges() const;
    int pendingRequests() const;
    bool online() const { return m_client != nullptr; }
    QObject* scanner() const { return m_scanner.get(); }
    Contacts& contactService() { return *m_contacts; }
    TrustNetwork& network() { return *m_network; }
    // The profile's one outbox (friend requests, notes, and the messenger's envelopes).
    Outbox& outbox() { return *m_outbox; }
    // The profile's one inbox on the personal node; nullptr until attachNode() succeeded.
    Inbox* inbox() { return m_inbox.get(); }

    // Connects friend requests and grants to the personal node: new cards register their
    // invite there, requests and notes arrive through an Inbox that syncs on every push.
    // `client` (the personal node's, connected as owner) must outlive the controller.
    void attachNode(NodeClient& client);

    // Issues a fresh card (new single-use invite) for the My code page; returns "" or an
    // error message.
    Q_INVOKABLE QString newCard();
    // Adds the card in a pasted link (unverified). The map has ok, kind ("added",
    // "updated", "key-changed"), name and message (for people).
    Q_INVOKABLE QVariantMap addLink(const QString& link);
    // Adds the card read from a QR code, by the camera or from an image: verified in person.
    Q_INVOKABLE QVariantMap addScanned(const QString& text);
    // Reads a QR code from an image file and adds it like addScanned.
    Q_INVOKABLE QVariantMap addImage(const QUrl& file);
    // The safety number with a contact: digits (60), groups (12), image (QR data: URL, one
    // pixel per module), modules (its side), name.
    Q_INVOKABLE QVariantMap safetyNumber(qint64 contactId);
    Q_INVOKABLE QString confirmSafetyNumber(qint64 contactId);
    Q_INVOKABLE QString acceptKeyChange(qint64 contactId);
    Q_INVOKABLE QString declineKeyChange(qint64 contactId);
    // Accepts or declines a pending friend request; "" or an error message.
    Q_INVOKABLE QString acceptRequest(qint64 contactId);
    Q_INVOKABLE QString declineRequest(qint64 contactId);
    // Fetches new requests and grants now (they also arrive by themselves while online).
    Q_INVOKABLE void syncNow();
    // Gives contact `contactId` shares (percent) of the personal node for `days`, allowing
    // `redelegate` further shares. "" or an error message.
    Q_INVOKABLE QString issueGrant(qint64 contactId, double storagePercent, double cpuPercent,
                                   double bandwidthPercent, int redelegate, int days);
    // Grants given to and received from a contact (0: all): maps with id, direction
    // ("given"/"received"), peer, storage, cpu, bandwidth (percent of the node), depth,
    // expires (text) and state ("active", "revoked", "expired").
    Q_INVOKABLE QVariantList grants(qint64 contactId = 0);
    // Revokes a given grant here and on the node. "" or an error message.
    Q_INVOKABLE QString revokeGrant(qint64 grantId);
    // Puts text on the clipboard (needs a QGuiApplication).
    Q_INVOKABLE void copyText(const QString& text) const;

signals:
    void myCardChanged();
    void contactsChanged();
    void onlineChanged();
    void grantsChanged();
    // A notice for the window and the desktop: a friend request arrived, a friend accepted.
    void notice(const QString& title, const QString& text);

private:
    TrustController(Vault& vault, const Identity& identity, QObject* parent);
    QVariantMap add(const QString& text, CardSource source);
    void flushOutbox();

    Vault& m_vault;
    const Identity& m_identity;
    std::unique_ptr<Contacts> m_contacts;
    std::unique_ptr<Invites> m_invites;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<TrustNetwork> m_network;
    NodeClient* m_client = nullptr;
    std::unique_ptr<Inbox> m_inbox;
    std::unique_ptr<SignalContext> m_signal;
    std::unique_ptr<ContactListModel> m_model;
    std::unique_ptr<QrScanner> m_scanner;
    QString m_cardLink;
    QString m_codeImage;
    QString m_cardExpires;
    bool m_cardHasNode = false;
    int m_codeModules = 0;
};

} // namespace hive::core
