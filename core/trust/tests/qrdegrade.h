// Synthetic "photo of a screen" degradations for QR robustness tests and the qr_decode
// benchmark: a QR code placed on a camera-sized frame, then rotated, scaled, blurred,
// noised, flattened in contrast or skewed in perspective, alone or combined.
#pragma once

#include <QImage>
#include <QString>

#include <functional>
#include <vector>

namespace hive::core::qrtest {

struct Degradation {
    QString name;
    // Mild degradations must decode (almost) always; harsh ones have honest lower bars.
    // 0 marks a benchmark-only data point that the unit test does not run.
    double minimumRate = 0.0;
    std::function<QImage(const QImage& frame, unsigned seed)> apply;
};

// The QR image centred on a 640x480 light-grey frame (as a screen looks to a camera).
QImage frameFor(const QImage& qr);

QImage rotated(const QImage& frame, double degrees);
QImage scaled(const QImage& frame, double factor);
QImage boxBlurred(const QImage& frame, int radius);
QImage gaussianBlurred(const QImage& frame, double sigma);
QImage noisy(const QImage& frame, double sigma, unsigned seed);
// Scales contrast around mid-grey: 1.0 unchanged, 0.15 nearly flat.
QImage lowContrast(const QImage& frame, double contrast);
// Keystone: the right edge shrunk to `ratio` of its height, as seen from the side.
QImage perspective(const QImage& frame, double ratio);

// The standard set with their minimum success rates.
std::vector<Degradation> standardSet();

} // namespace hive::core::qrtest
