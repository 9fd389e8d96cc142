// qr_decode: how well and how fast Hive reads contact-card QR codes off degraded photos
// of a screen. 20 signed cards, each rendered at error-correction level M (what Hive
// shows) and Q (for comparison), scaled to the same 325 px on a 640x480 frame (a code
// shown at a fixed size on screen: Q's extra modules are smaller), then put through every
// degradation of the standard set; prints success rate and mean decode time per frame
// (the time of qr::decode alone, including its fallback passes).
#include "qrdegrade.h"

#include "trust/qr.h"
#include "wire/contactcard.h"

#include <QElapsedTimer>
#include <QGuiApplication>

#include <cstdio>
#include <random>

using namespace hive;
using namespace hive::core;

namespace {

constexpr int Cards = 20;

std::vector<std::string> cardUris()
{
    std::mt19937 rng(4242);
    std::vector<std::string> out;
    for (int i = 0; i < Cards; ++i) {
        std::array<std::uint8_t, 32> seed {};
        for (auto& b : seed)
            b = static_cast<std::uint8_t>(rng());
        auto key = wire::SigningKey::fromSeed(seed).release();
        wire::ContactCard card;
        card.identityKey = key.publicKey;
        card.displayName = "Person " + std::to_string(i);
        wire::NodeAddress node;
        for (auto& b : node.key)
            b = static_cast<std::uint8_t>(rng());
        node.host = "node" + std::to_string(i) + ".example.org";
        node.port = 7420;
        card.node = node;
        card.inviteSecret.resize(16);
        for (auto& b : card.inviteSecret)
            b = static_cast<std::uint8_t>(rng());
        card.expires = 4'000'000'000ULL;
        (void)card.sign(key);
        out.push_back(card.toUri(wire::ContactCard::UriCase::Upper));
    }
    return out;
}

struct Row {
    int ok = 0;
    double ms = 0;
};

Row run(const qrtest::Degradation& d, const std::vector<QImage>& frames, const std::vector<std::string>& uris)
{
    Row row;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const QImage degraded = d.apply(frames[i], static_cast<unsigned>(7000 + i));
        QElapsedTimer timer;
        timer.start();
        auto text = qr::decode(degraded);
        row.ms += static_cast<double>(timer.nsecsElapsed()) / 1e6;
        if (text.ok() && text->toStdString() == uris[i])
            ++row.ok;
    }
    row.ms /= static_cast<double>(frames.size());
    return row;
}

} // namespace

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);
    const auto uris = cardUris();
    std::vector<QImage> levelM;
    std::vector<QImage> levelQ;
    constexpr int OnScreen = 325;
    auto render = [&](const std::string& uri, qr::ErrorCorrection level) {
        qr::EncodeOptions options;
        options.errorCorrection = level;
        options.modulePixels = 10;
        const QImage big = *qr::encode(QString::fromStdString(uri), options);
        return qrtest::frameFor(big.scaled(OnScreen, OnScreen, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    };
    for (const std::string& uri : uris) {
        levelM.push_back(render(uri, qr::ErrorCorrection::Medium));
        levelQ.push_back(render(uri, qr::ErrorCorrection::Quartile));
    }
    std::printf("qr_decode: %d cards (%zu chars, %d/%d modules at M/Q), %d px on a 640x480 frame\n", Cards,
                uris.front().size(), *qr::symbolSize(QString::fromStdString(uris.front()), qr::ErrorCorrection::Medium),
                *qr::symbolSize(QString::fromStdString(uris.front()), qr::ErrorCorrection::Quartile), OnScreen);
    std::printf("%-20s %10s %10s   %10s %10s\n", "degradation", "M success", "M ms/frame", "Q success", "Q ms/frame");
    int totalM = 0;
    int totalQ = 0;
    int rows = 0;
    for (const qrtest::Degradation& d : qrtest::standardSet()) {
        const Row m = run(d, levelM, uris);
        const Row q = run(d, levelQ, uris);
        totalM += m.ok;
        totalQ += q.ok;
        ++rows;
        std::printf("%-20s %9d%% %10.1f   %9d%% %10.1f\n", qPrintable(d.name), m.ok * 100 / Cards, m.ms,
                    q.ok * 100 / Cards, q.ms);
        std::fflush(stdout);
    }
    std::printf("%-20s %9d%% %10s   %9d%%\n", "all", totalM * 100 / (rows * Cards), "", totalQ * 100 / (rows * Cards));
    return 0;
}
