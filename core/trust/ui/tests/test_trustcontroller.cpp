// The objects behind the trust pages: the camera scanner finds a code in RGB and NV12
// frames, keeps one frame in flight and reports a code once; the controller makes the own
// card and its QR image, adds cards from links, scans and images with the right trust
// level and a message for every refusal, and surfaces key changes in its model.
#include "identity/identity.h"
#include "trust/qr.h"
#include "trust/ui/qrscanner.h"
#include "trust/ui/trustcontroller.h"
#include "vault/vault.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace hive;
using namespace hive::core;

namespace {

Identity::Seed seedOf(std::uint8_t b)
{
    Identity::Seed seed {};
    seed.fill(b);
    return seed;
}

std::string cardOf(const Identity& who, std::uint64_t expires, wire::ContactCard::UriCase letterCase)
{
    wire::ContactCard card;
    card.identityKey = who.publicKey();
    card.displayName = who.displayName().toStdString();
    card.inviteSecret = Bytes(16, 0x42);
    card.expires = expires;
    const Bytes sig = *who.sign(card.signedBytes());
    std::copy(sig.begin(), sig.end(), card.signature.begin());
    return card.toUri(letterCase);
}

// A camera-sized grey frame with the QR code of `text` in the middle.
QImage cameraImage(const QString& text)
{
    qr::EncodeOptions options;
    options.modulePixels = 4;
    const QImage code = *qr::encode(text, options);
    QImage frame(640, 480, QImage::Format_Grayscale8);
    frame.fill(190);
    for (int y = 0; y < code.height(); ++y)
        std::memcpy(frame.scanLine(100 + y) + 120, code.constScanLine(y), static_cast<std::size_t>(code.width()));
    return frame;
}

QVideoFrame bgraFrame(const QImage& image)
{
    const QImage bgra = image.convertToFormat(QImage::Format_ARGB32);
    QVideoFrame frame(QVideoFrameFormat(bgra.size(), QVideoFrameFormat::Format_BGRA8888));
    if (!frame.map(QVideoFrame::WriteOnly))
        qFatal("cannot map frame");
    for (int y = 0; y < bgra.height(); ++y)
        std::memcpy(frame.bits(0) + y * frame.bytesPerLine(0), bgra.constScanLine(y),
                    static_cast<std::size_t>(bgra.width()) * 4);
    frame.unmap();
    return frame;
}

QVideoFrame nv12Frame(const QImage& image)
{
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    QVideoFrame frame(QVideoFrameFormat(grey.size(), QVideoFrameFormat::Format_NV12));
    if (!frame.map(QVideoFrame::WriteOnly))
        qFatal("cannot map frame");
    for (int y = 0; y < grey.height(); ++y)
        std::memcpy(frame.bits(0) + y * frame.bytesPerLine(0), grey.constScanLine(y), static_cast<std::size_t>(grey.width()));
    std::memset(frame.bits(1), 128, static_cast<std::size_t>(frame.mappedBytes(1)));
    frame.unmap();
    return frame;
}

} // namespace

class TestTrustController : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Identity> m_me = Identity::fromSeed(seedOf(1), QStringLiteral("Me"));
    std::unique_ptr<Identity> m_ada = Identity::fromSeed(seedOf(2), QStringLiteral("Ada"));
    std::unique_ptr<Identity> m_adaNew = Identity::fromSeed(seedOf(3), QStringLiteral("Ada"));
    std::unique_ptr<Identity> m_bea = Identity::fromSeed(seedOf(4), QStringLiteral("Bea"));
    const std::uint64_t m_later = static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch()) + 3600;

private slots:
    void scannerReadsRgbAndNv12FramesOnce()
    {
        const QString text = QStringLiteral("HIVE:SCANNERTEST");
        for (bool nv12 : {false, true}) {
            QrScanner scanner;
            QVideoSink sink;
            scanner.setVideoSink(&sink);
            QSignalSpy found(&scanner, &QrScanner::found);
            const QImage image = cameraImage(text);
            // A fresh frame object each time, as a camera delivers them.
            auto frame = [&] { return nv12 ? nv12Frame(image) : bgraFrame(image); };

            // Inactive: frames are ignored.
            sink.setVideoFrame(frame());
            QCOMPARE(scanner.framesSeen(), 0);

            scanner.setActive(true);
            for (int i = 0; i < 10; ++i)
                sink.setVideoFrame(frame());
            // Ten frames arrived in a burst; only the first was taken while it decodes.
            QCOMPARE(scanner.framesSeen(), 10);
            QVERIFY(scanner.busy());
            QTRY_COMPARE_WITH_TIMEOUT(found.count(), 1, 10000);
            QCOMPARE(found.at(0).at(0).toString(), text);
            QCOMPARE(scanner.framesDecoded(), 1);

            // The same code again is not reported twice...
            sink.setVideoFrame(frame());
            QTRY_COMPARE_WITH_TIMEOUT(scanner.framesDecoded(), 2, 10000);
            QCOMPARE(found.count(), 1);
            // ...until the scanner is reset.
            scanner.reset();
            sink.setVideoFrame(frame());
            QTRY_COMPARE_WITH_TIMEOUT(found.count(), 2, 10000);
        }
    }

    void luminanceOfNv12IsTheYPlane()
    {
        QImage grey(64, 48, QImage::Format_Grayscale8);
        for (int y = 0; y < grey.height(); ++y)
            for (int x = 0; x < grey.width(); ++x)
                grey.scanLine(y)[x] = static_cast<uchar>(x * 3 + y);
        auto luminance = QrScanner::luminanceOf(nv12Frame(grey));
        QVERIFY(luminance.ok());
        QCOMPARE(luminance->width, 64);
        QCOMPARE(luminance->height, 48);
        for (int y = 0; y < 48; ++y)
            QVERIFY(std::memcmp(luminance->pixels.data() + y * 64, grey.constScanLine(y), 64) == 0);
        QVERIFY(!QrScanner::luminanceOf(QVideoFrame()).ok());
    }

    void controllerAddsCardsWithTrustAndMessages()
    {
        auto vault = Vault::create(m_dir.filePath(QStringLiteral("c.db")), VaultKey::random()).release();
        auto controller = TrustController::create(*vault, *m_me).release();
        QAbstractItemModel* model = controller->contacts();
        QCOMPARE(model->rowCount(), 0);

        // Own card: a link, a QR image that decodes to the same card, an expiry.
        QSignalSpy cardSpy(controller.get(), &TrustController::myCardChanged);
        QCOMPARE(controller->newCard(), QString());
        QCOMPARE(cardSpy.count(), 1);
        QVERIFY(controller->myCardLink().startsWith(QStringLiteral("hive:")));
        QVERIFY(controller->myCodeImage().startsWith(QStringLiteral("data:image/png;base64,")));
        QVERIFY(!controller->myCardExpires().isEmpty());
        const QImage shown = QImage::fromData(
            QByteArray::fromBase64(controller->myCodeImage().mid(22).toLatin1()), "PNG");
        QCOMPARE(qr::decode(shown)->toLower(), controller->myCardLink());
        QVERIFY(!controller->addLink(controller->myCardLink()).value(QStringLiteral("ok")).toBool());

        // A link is unverified; a scanned code is verified in person.
        auto linked = controller->addLink(QString::fromStdString(cardOf(*m_bea, m_later, wire::ContactCard::UriCase::Lower)));
        QVERIFY(linked.value(QStringLiteral("ok")).toBool());
        QCOMPARE(linked.value(QStringLiteral("kind")).toString(), QStringLiteral("added"));
        auto scanned = controller->addScanned(QString::fromStdString(cardOf(*m_ada, m_later, wire::ContactCard::UriCase::Upper)));
        QVERIFY(scanned.value(QStringLiteral("ok")).toBool());
        QCOMPARE(model->rowCount(), 2);
        const QHash<int, QByteArray> roles = model->roleNames();
        const int trustRole = roles.key("trust");
        const int nameRole = roles.key("name");
        QCOMPARE(model->index(0, 0).data(nameRole).toString(), QStringLiteral("Ada"));
        QCOMPARE(model->index(0, 0).data(trustRole).toString(), QStringLiteral("verified-in-person"));
        QCOMPARE(model->index(1, 0).data(trustRole).toString(), QStringLiteral("unverified"));

        // Refusals come with a message and add nothing.
        for (const QString& bad : {QStringLiteral("https://example.org"), QStringLiteral("hive:abc"),
                                   QString::fromStdString(cardOf(*m_bea, 1000, wire::ContactCard::UriCase::Lower))}) {
            auto refused = controller->addLink(bad);
            QVERIFY(!refused.value(QStringLiteral("ok")).toBool());
            QVERIFY(!refused.value(QStringLiteral("message")).toString().isEmpty());
        }
        QCOMPARE(model->rowCount(), 2);

        // From an image file.
        const QString path = m_dir.filePath(QStringLiteral("ada.png"));
        QVERIFY(cameraImage(QString::fromStdString(cardOf(*m_ada, m_later, wire::ContactCard::UriCase::Upper))).save(path));
        QCOMPARE(controller->addImage(QUrl::fromLocalFile(path)).value(QStringLiteral("kind")).toString(),
                 QStringLiteral("updated"));
        QVERIFY(!controller->addImage(QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("none.png"))))
                     .value(QStringLiteral("ok"))
                     .toBool());

        // Safety numbers, and confirming them.
        const qint64 beaId = model->index(1, 0).data(roles.key("contactId")).toLongLong();
        auto number = controller->safetyNumber(beaId);
        QVERIFY(number.value(QStringLiteral("ok")).toBool());
        QCOMPARE(number.value(QStringLiteral("digits")).toString().size(), 60);
        QCOMPARE(number.value(QStringLiteral("groups")).toStringList().size(), 12);
        QVERIFY(number.value(QStringLiteral("image")).toString().startsWith(QStringLiteral("data:image/png")));
        QCOMPARE(controller->confirmSafetyNumber(beaId), QString());
        QCOMPARE(model->index(1, 0).data(trustRole).toString(), QStringLiteral("verified-by-safety-number"));

        // A key change shows up in the model and the counter until decided.
        auto changed = controller->addScanned(QString::fromStdString(cardOf(*m_adaNew, m_later, wire::ContactCard::UriCase::Upper)));
        QVERIFY(!changed.value(QStringLiteral("ok")).toBool());
        QCOMPARE(changed.value(QStringLiteral("kind")).toString(), QStringLiteral("key-changed"));
        QCOMPARE(controller->keyChanges(), 1);
        QCOMPARE(model->index(0, 0).data(roles.key("contactState")).toString(), QStringLiteral("key-changed"));
        QCOMPARE(model->index(0, 0).data(roles.key("pendingFingerprint")).toString(), m_adaNew->fingerprint());
        const qint64 adaId = model->index(0, 0).data(roles.key("contactId")).toLongLong();
        QCOMPARE(controller->acceptKeyChange(adaId), QString());
        QCOMPARE(controller->keyChanges(), 0);
        QCOMPARE(model->index(0, 0).data(roles.key("fingerprint")).toString(), m_adaNew->fingerprint());
        QCOMPARE(model->index(0, 0).data(trustRole).toString(), QStringLiteral("verified-in-person"));
        QVERIFY(!controller->declineKeyChange(adaId).isEmpty());
    }
};

QTEST_MAIN(TestTrustController)
#include "test_trustcontroller.moc"
