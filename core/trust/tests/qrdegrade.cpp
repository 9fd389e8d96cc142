#include "qrdegrade.h"

#include <QPainter>
#include <QTransform>

#include <algorithm>
#include <cmath>
#include <random>

namespace hive::core::qrtest {

namespace {

constexpr int FrameWidth = 640;
constexpr int FrameHeight = 480;
constexpr int Background = 215; // a screen's white, as a camera exposes it

// Draws `source` through `transform` (about the centre) onto a background-filled frame.
QImage transformedAboutCentre(const QImage& source, const QTransform& transform, QSize outSize)
{
    // QPainter draws on RGB32 (its native raster format); the result goes back to grey.
    QImage out(outSize, QImage::Format_RGB32);
    out.fill(QColor(Background, Background, Background));
    QPainter painter(&out);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.setRenderHint(QPainter::Antialiasing);
    // Row-vector order: centre the source on the origin, transform, move to the frame centre.
    painter.setTransform(QTransform().translate(-source.width() / 2.0, -source.height() / 2.0) * transform
                         * QTransform().translate(outSize.width() / 2.0, outSize.height() / 2.0));
    painter.drawImage(0, 0, source);
    painter.end();
    return out.convertToFormat(QImage::Format_Grayscale8);
}

std::vector<double> gaussianKernel(double sigma)
{
    const int radius = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
    std::vector<double> k(static_cast<std::size_t>(2 * radius + 1));
    double sum = 0;
    for (int i = -radius; i <= radius; ++i) {
        const double v = std::exp(-(i * i) / (2 * sigma * sigma));
        k[static_cast<std::size_t>(i + radius)] = v;
        sum += v;
    }
    for (double& v : k)
        v /= sum;
    return k;
}

// Separable convolution with edge clamping.
QImage convolved(const QImage& frame, const std::vector<double>& kernel)
{
    const int w = frame.width();
    const int h = frame.height();
    const int radius = static_cast<int>(kernel.size() / 2);
    std::vector<double> tmp(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    for (int y = 0; y < h; ++y) {
        const uchar* row = frame.constScanLine(y);
        for (int x = 0; x < w; ++x) {
            double acc = 0;
            for (int i = -radius; i <= radius; ++i)
                acc += kernel[static_cast<std::size_t>(i + radius)] * row[std::clamp(x + i, 0, w - 1)];
            tmp[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] = acc;
        }
    }
    QImage out(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        uchar* row = out.scanLine(y);
        for (int x = 0; x < w; ++x) {
            double acc = 0;
            for (int i = -radius; i <= radius; ++i)
                acc += kernel[static_cast<std::size_t>(i + radius)]
                    * tmp[static_cast<std::size_t>(std::clamp(y + i, 0, h - 1)) * static_cast<std::size_t>(w)
                          + static_cast<std::size_t>(x)];
            row[x] = static_cast<uchar>(std::clamp(std::lround(acc), 0L, 255L));
        }
    }
    return out;
}

} // namespace

QImage frameFor(const QImage& qr)
{
    const QImage grey = qr.convertToFormat(QImage::Format_Grayscale8);
    QImage frame(FrameWidth, FrameHeight, QImage::Format_Grayscale8);
    frame.fill(255);
    const int left = (FrameWidth - grey.width()) / 2;
    const int top = (FrameHeight - grey.height()) / 2;
    for (int y = 0; y < grey.height(); ++y)
        std::copy_n(grey.constScanLine(y), grey.width(), frame.scanLine(top + y) + left);
    // The screen's "white" modules are the background grey, its black ones a dark grey.
    for (int y = 0; y < frame.height(); ++y) {
        uchar* row = frame.scanLine(y);
        for (int x = 0; x < frame.width(); ++x)
            row[x] = row[x] < 128 ? uchar {30} : uchar {Background};
    }
    return frame;
}

QImage rotated(const QImage& frame, double degrees)
{
    return transformedAboutCentre(frame, QTransform().rotate(degrees), frame.size());
}

QImage scaled(const QImage& frame, double factor)
{
    const QSize size(static_cast<int>(std::lround(frame.width() * factor)),
                     static_cast<int>(std::lround(frame.height() * factor)));
    return frame.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_Grayscale8);
}

QImage boxBlurred(const QImage& frame, int radius)
{
    return convolved(frame, std::vector<double>(static_cast<std::size_t>(2 * radius + 1), 1.0 / (2 * radius + 1)));
}

QImage gaussianBlurred(const QImage& frame, double sigma) { return convolved(frame, gaussianKernel(sigma)); }

QImage noisy(const QImage& frame, double sigma, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, sigma);
    QImage out = frame.copy();
    for (int y = 0; y < out.height(); ++y) {
        uchar* row = out.scanLine(y);
        for (int x = 0; x < out.width(); ++x)
            row[x] = static_cast<uchar>(std::clamp(std::lround(row[x] + noise(rng)), 0L, 255L));
    }
    return out;
}

QImage lowContrast(const QImage& frame, double contrast)
{
    QImage out = frame.copy();
    for (int y = 0; y < out.height(); ++y) {
        uchar* row = out.scanLine(y);
        for (int x = 0; x < out.width(); ++x)
            row[x] = static_cast<uchar>(std::clamp(std::lround(128 + (row[x] - 128) * contrast), 0L, 255L));
    }
    return out;
}

QImage perspective(const QImage& frame, double ratio)
{
    const double w = frame.width();
    const double h = frame.height();
    const double inset = h * (1 - ratio) / 2;
    QTransform t;
    QTransform::quadToQuad(QPolygonF({QPointF(0, 0), QPointF(w, 0), QPointF(w, h), QPointF(0, h)}),
                           QPolygonF({QPointF(0, 0), QPointF(w * 0.9, inset), QPointF(w * 0.9, h - inset), QPointF(0, h)}),
                           t);
    QImage out(frame.size(), QImage::Format_RGB32);
    out.fill(QColor(Background, Background, Background));
    QPainter painter(&out);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.setTransform(t);
    painter.drawImage(0, 0, frame);
    painter.end();
    return out.convertToFormat(QImage::Format_Grayscale8);
}

std::vector<Degradation> standardSet()
{
    std::vector<Degradation> set;
    auto add = [&](QString name, double minimum, std::function<QImage(const QImage&, unsigned)> apply) {
        set.push_back({std::move(name), minimum, std::move(apply)});
    };
    add(QStringLiteral("clean"), 1.0, [](const QImage& f, unsigned) { return f; });
    for (double deg : {5.0, 15.0, 45.0, 90.0, 180.0})
        add(QStringLiteral("rotate %1°").arg(deg), 0.95, [deg](const QImage& f, unsigned) { return rotated(f, deg); });
    add(QStringLiteral("scale 2x"), 0.95, [](const QImage& f, unsigned) { return scaled(f, 2.0); });
    add(QStringLiteral("scale 0.5x"), 0.95, [](const QImage& f, unsigned) { return scaled(f, 0.5); });
    add(QStringLiteral("scale 0.33x"), 0.8, [](const QImage& f, unsigned) { return scaled(f, 1.0 / 3.0); });
    for (int r : {1, 2, 3})
        add(QStringLiteral("box blur r%1").arg(r), r == 3 ? 0.8 : 0.95,
            [r](const QImage& f, unsigned) { return boxBlurred(f, r); });
    for (double s : {1.0, 2.0, 3.0})
        add(QStringLiteral("gaussian blur σ%1").arg(s), s >= 3.0 ? 0.7 : 0.95,
            [s](const QImage& f, unsigned) { return gaussianBlurred(f, s); });
    for (double s : {10.0, 20.0, 40.0})
        add(QStringLiteral("noise σ%1").arg(s), s >= 40.0 ? 0.7 : 0.95,
            [s](const QImage& f, unsigned seed) { return noisy(f, s, seed); });
    add(QStringLiteral("contrast 30%"), 0.95, [](const QImage& f, unsigned) { return lowContrast(f, 0.30); });
    add(QStringLiteral("contrast 15%"), 0.95, [](const QImage& f, unsigned) { return lowContrast(f, 0.15); });
    add(QStringLiteral("perspective 0.8"), 0.95, [](const QImage& f, unsigned) { return perspective(f, 0.8); });
    add(QStringLiteral("perspective 0.6"), 0.8, [](const QImage& f, unsigned) { return perspective(f, 0.6); });
    add(QStringLiteral("combined mild"), 0.9, [](const QImage& f, unsigned seed) {
        return noisy(lowContrast(gaussianBlurred(rotated(f, 8), 1.0), 0.5), 10, seed);
    });
    add(QStringLiteral("combined photo"), 0.4, [](const QImage& f, unsigned seed) {
        return noisy(lowContrast(gaussianBlurred(perspective(rotated(f, 10), 0.85), 1.5), 0.4), 10, seed);
    });
    // No minimum: a data point for the benchmark (small, soft, dim and noisy at once).
    add(QStringLiteral("combined harsh"), 0.0, [](const QImage& f, unsigned seed) {
        return noisy(lowContrast(gaussianBlurred(scaled(perspective(rotated(f, 15), 0.8), 0.75), 1.5), 0.3), 20,
                     seed);
    });
    return set;
}

} // namespace hive::core::qrtest
