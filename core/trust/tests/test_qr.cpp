// QR codes: cards round-trip through an image and a PNG file, the symbol has the chosen
// error correction, quiet zone and size, damaged or foreign codes give specific errors,
// and decoding survives the degradations of a photographed screen at the rates the
// header promises (the table is printed; scripts/bench qr_decode prints timings).
#include "qrdegrade.h"

#include "trust/qr.h"
#include "wire/contactcard.h"

#include <QElapsedTimer>
#include <QPainter>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace hive;
using namespace hive::core;
using hive::wire::CardError;
using hive::wire::ContactCard;

namespace {

constexpr std::uint64_t Now = 1'800'000'000;

// Realistic cards: random keys, names, nodes (IP or host name) and secrets.
std::vector<std::string> cardUris(int count, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<std::string> out;
    const char* names[] = {"Alice", "Bob", "Carol Jiménez", "Dmitri", "Eve", "Fatima", "Grace Hopper", "Heinz"};
    for (int i = 0; i < count; ++i) {
        std::array<std::uint8_t, 32> keySeed {};
        for (auto& b : keySeed)
            b = static_cast<std::uint8_t>(rng());
        auto key = wire::SigningKey::fromSeed(keySeed).release();
        ContactCard card;
        card.identityKey = key.publicKey;
        card.displayName = names[rng() % 8];
        wire::NodeAddress node;
        for (auto& b : node.key)
            b = static_cast<std::uint8_t>(rng());
        node.host = (i % 2) ? "192.168." + std::to_string(rng() % 255) + "." + std::to_string(1 + rng() % 254)
                            : "node" + std::to_string(rng() % 1000) + ".example.org";
        node.port = static_cast<std::uint16_t>(7000 + rng() % 1000);
        card.node = node;
        card.inviteSecret.resize(16);
        for (auto& b : card.inviteSecret)
            b = static_cast<std::uint8_t>(rng());
        card.expires = Now + 86400;
        if (!card.sign(key))
            qFatal("cannot sign");
        out.push_back(card.toUri(ContactCard::UriCase::Upper));
    }
    return out;
}

} // namespace

class TestQr : public QObject {
    Q_OBJECT

private slots:
    void cardRoundTripsThroughAnImage()
    {
        for (const std::string& uri : cardUris(5, 1)) {
            auto image = qr::encode(QString::fromStdString(uri));
            QVERIFY(image.ok());
            auto text = qr::decode(*image);
            QVERIFY2(text.ok(), text.ok() ? "" : text.error().message());
            QCOMPARE(text->toStdString(), uri);
            auto card = ContactCard::fromUri(text->toStdString(), Now);
            QVERIFY(card.ok());
        }
    }

    void symbolHasQuietZoneAndExactModules()
    {
        const QString uri = QString::fromStdString(cardUris(1, 2).front());
        const int modules = *qr::symbolSize(uri);
        qr::EncodeOptions options;
        options.modulePixels = 6;
        auto image = *qr::encode(uri, options);
        QCOMPARE(image.width(), (modules + 8) * 6);
        QCOMPARE(image.height(), image.width());
        QCOMPARE(image.format(), QImage::Format_Grayscale8);
        // Four white modules all around.
        const int border = 4 * 6;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (x < border || y < border || x >= image.width() - border || y >= image.height() - border)
                    QCOMPARE(qGray(image.pixel(x, y)), 255);
        // The top-left finder pattern starts right after the quiet zone.
        QCOMPARE(qGray(image.pixel(border, border)), 0);
        QCOMPARE(qGray(image.pixel(border - 1, border)), 255);
    }

    void upperCaseCardsMakeSmallerSymbolsAtLevelM()
    {
        const std::string uri = cardUris(1, 3).front();
        const QString upper = QString::fromStdString(uri);
        const int m = *qr::symbolSize(upper, qr::ErrorCorrection::Medium);
        QVERIFY(m <= 57); // version 10 or below
        QVERIFY(*qr::symbolSize(upper.toLower(), qr::ErrorCorrection::Medium) > m);
        QVERIFY(*qr::symbolSize(upper, qr::ErrorCorrection::Quartile) > m);
        QVERIFY(*qr::symbolSize(upper, qr::ErrorCorrection::Low) < m);
    }

    void foreignAndDamagedCodesGiveSpecificErrors()
    {
        // A QR code that is not a Hive card decodes as text and is refused as a card.
        auto web = *qr::encode(QStringLiteral("https://example.org/hello"));
        auto text = qr::decode(web);
        QVERIFY(text.ok());
        CardError why = CardError::None;
        QVERIFY(!ContactCard::fromUri(text->toStdString(), Now, &why).ok());
        QCOMPARE(why, CardError::NotHiveCode);

        // No code at all.
        QImage blank(400, 300, QImage::Format_Grayscale8);
        blank.fill(200);
        auto none = qr::decode(blank);
        QCOMPARE(none.error().code(), ErrorCode::NotFound);
        QVERIFY(none.error().messageView().find("no QR code") != std::string_view::npos);
        QCOMPARE(qr::decode(QImage()).error().code(), ErrorCode::InvalidArgument);

        // A code with a third of its data area painted over cannot be corrected.
        const QString uri = QString::fromStdString(cardUris(1, 4).front());
        qr::EncodeOptions options;
        options.modulePixels = 4;
        QImage damaged = qr::encode(uri, options)->convertToFormat(QImage::Format_RGB32);
        QPainter painter(&damaged);
        const int side = damaged.width();
        painter.fillRect(QRect(side / 3, side / 3, side / 2, side / 2), Qt::black);
        painter.end();
        auto broken = qr::decode(damaged);
        QVERIFY(!broken.ok());
        QVERIFY(broken.error().code() == ErrorCode::NotFound || broken.error().code() == ErrorCode::Malformed);
    }

    void decodesFilesAndReportsUnreadableOnes()
    {
        QTemporaryDir dir;
        const QString uri = QString::fromStdString(cardUris(1, 5).front());
        const QString path = dir.filePath(QStringLiteral("card.png"));
        QVERIFY(qr::encode(uri)->save(path));
        QCOMPARE(*qr::decodeFile(path), uri);
        QCOMPARE(qr::decodeFile(dir.filePath(QStringLiteral("missing.png"))).error().code(), ErrorCode::Io);
        QFile junk(dir.filePath(QStringLiteral("junk.png")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not an image");
        junk.close();
        QCOMPARE(qr::decodeFile(junk.fileName()).error().code(), ErrorCode::Io);
    }

    void decodesDegradedPhotosOfAScreen()
    {
        // 10 cards x every degradation; each must reach its minimum rate.
        const auto uris = cardUris(10, 6);
        std::vector<QImage> frames;
        for (const std::string& uri : uris) {
            qr::EncodeOptions options;
            options.modulePixels = 5;
            frames.push_back(qrtest::frameFor(*qr::encode(QString::fromStdString(uri), options)));
        }
        QStringList failed;
        for (const qrtest::Degradation& d : qrtest::standardSet()) {
            if (d.minimumRate <= 0)
                continue; // benchmark-only data point
            int ok = 0;
            for (std::size_t i = 0; i < frames.size(); ++i) {
                const QImage degraded = d.apply(frames[i], static_cast<unsigned>(1000 + i));
                auto text = qr::decode(degraded);
                if (text.ok() && text->toStdString() == uris[i])
                    ++ok;
                // A misread is never accepted as another card: text either matches or fails.
                QVERIFY(!text.ok() || text->toStdString() == uris[i]);
            }
            const double rate = double(ok) / double(frames.size());
            qInfo("%-22s %3d%%  (minimum %3d%%)", qPrintable(d.name), int(rate * 100 + 0.5), int(d.minimumRate * 100));
            if (rate < d.minimumRate)
                failed << d.name;
        }
        QVERIFY2(failed.isEmpty(), qPrintable(failed.join(QStringLiteral(", "))));
    }
};

QTEST_MAIN(TestQr)
#include "test_qr.moc"
