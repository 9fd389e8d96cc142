#include "trust/qr.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

#include <QImageReader>

#include <algorithm>
#include <array>
#include <exception>
#include <optional>
#include <vector>

namespace hive::core::qr {

namespace {

// MultiFormatWriter takes 0..8 for QR and maps it to L/M/Q/H in steps of two.
int zxingLevel(ErrorCorrection level)
{
    switch (level) {
    case ErrorCorrection::Low: return 1;
    case ErrorCorrection::Medium: return 3;
    case ErrorCorrection::Quartile: return 5;
    case ErrorCorrection::High: return 7;
    }
    return 3;
}

// ZXing reports failures with exceptions (an oversized payload throws); nothing else in
// Hive uses them, so they stop here.
Result<ZXing::BitMatrix> encodeMatrix(const QString& text, ErrorCorrection level, int margin)
{
    if (text.isEmpty())
        return Error(ErrorCode::InvalidArgument, "there is nothing to put in the QR code");
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
        writer.setEccLevel(zxingLevel(level)).setMargin(margin);
        return writer.encode(text.toStdString(), 0, 0);
    } catch (const std::exception& e) {
        Error error(ErrorCode::TooLarge, "the text does not fit in a QR code: ");
        error.append(e.what());
        return error;
    }
}

// A view of an 8-bit luminance plane.
struct Plane {
    const std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    int rowStride = 0;

    std::uint8_t at(int x, int y) const
    {
        return data[static_cast<std::size_t>(y) * static_cast<std::size_t>(rowStride) + static_cast<std::size_t>(x)];
    }
};

// A plane this file computed (contrast-stretched, halved, sharpened).
struct OwnedPlane {
    std::vector<std::uint8_t> pixels;
    int width = 0;
    int height = 0;

    bool valid() const { return !pixels.empty(); }
    Plane plane() const { return {pixels.data(), width, height, width}; }
    std::uint8_t& at(int x, int y)
    {
        return pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)];
    }
};

OwnedPlane blank(int width, int height)
{
    return {std::vector<std::uint8_t>(static_cast<std::size_t>(width) * static_cast<std::size_t>(height)), width, height};
}

std::uint8_t clampByte(int v) { return static_cast<std::uint8_t>(std::clamp(v, 0, 255)); }

// Maps the 1st..99th percentile of grey levels onto 0..255; invalid if the image is flat.
OwnedPlane stretchContrast(const Plane& in)
{
    std::array<std::size_t, 256> histogram {};
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x)
            ++histogram[in.at(x, y)];
    const std::size_t total = static_cast<std::size_t>(in.width) * static_cast<std::size_t>(in.height);
    const std::size_t cut = total / 100;
    int low = 0;
    for (std::size_t seen = 0; low < 255 && (seen += histogram[static_cast<std::size_t>(low)]) <= cut;)
        ++low;
    int high = 255;
    for (std::size_t seen = 0; high > 0 && (seen += histogram[static_cast<std::size_t>(high)]) <= cut;)
        --high;
    // Already full range, or nothing to stretch.
    if (high - low < 8 || (low < 16 && high > 239))
        return {};
    OwnedPlane out = blank(in.width, in.height);
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x)
            out.at(x, y) = clampByte((in.at(x, y) - low) * 255 / (high - low));
    return out;
}

// 3x3 mean: takes the edge off sensor noise without moving module edges.
OwnedPlane boxSmoothed(const Plane& in)
{
    OwnedPlane out = blank(in.width, in.height);
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x) {
            int sum = 0;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    sum += in.at(std::clamp(x + dx, 0, in.width - 1), std::clamp(y + dy, 0, in.height - 1));
            out.at(x, y) = static_cast<std::uint8_t>((sum + 4) / 9);
        }
    return out;
}

OwnedPlane halfSize(const Plane& in)
{
    OwnedPlane out = blank(in.width / 2, in.height / 2);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x)
            out.at(x, y) = static_cast<std::uint8_t>(
                (in.at(2 * x, 2 * y) + in.at(2 * x + 1, 2 * y) + in.at(2 * x, 2 * y + 1) + in.at(2 * x + 1, 2 * y + 1) + 2)
                / 4);
    return out;
}

// Unsharp mask: out = in + 3 * (in - blur(in)), the blur a separable Gaussian of sigma 3 px
// in integer weights (out-of-focus camera frames blur about that much at 5 px modules).
OwnedPlane unsharp(const Plane& in)
{
    // round(194 * exp(-i^2 / 18)) for i = -9..9.
    static constexpr std::array<int, 19> Kernel = {2, 6, 13, 26, 48, 80, 118, 155, 184, 194,
                                                   184, 155, 118, 80, 48, 26, 13, 6, 2};
    static constexpr int Radius = 9;
    static constexpr int KernelSum = 1458;
    const int w = in.width;
    const int h = in.height;
    std::vector<int> horizontal(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            int acc = 0;
            for (int i = -Radius; i <= Radius; ++i)
                acc += Kernel[static_cast<std::size_t>(i + Radius)] * in.at(std::clamp(x + i, 0, w - 1), y);
            horizontal[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] = acc;
        }
    OwnedPlane out = blank(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            long long acc = 0;
            for (int i = -Radius; i <= Radius; ++i)
                acc += static_cast<long long>(Kernel[static_cast<std::size_t>(i + Radius)])
                    * horizontal[static_cast<std::size_t>(std::clamp(y + i, 0, h - 1)) * static_cast<std::size_t>(w)
                                 + static_cast<std::size_t>(x)];
            const int blurred = static_cast<int>(acc / (KernelSum * KernelSum));
            const int v = in.at(x, y);
            out.at(x, y) = clampByte(v + 3 * (v - blurred));
        }
    return out;
}

struct Outcome {
    std::optional<QString> text;
    bool damaged = false; // a symbol was located but its data could not be corrected
};

Outcome readQr(const Plane& plane)
{
    const ZXing::ImageView view(plane.data, plane.width, plane.height, ZXing::ImageFormat::Lum, plane.rowStride);
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(true);
    hints.setTryRotate(true);
    hints.setMaxNumberOfSymbols(1);
    Outcome outcome;
    try {
        const ZXing::Result result = ZXing::ReadBarcode(view, hints);
        if (result.isValid()) {
            const ZXing::ByteArray& bytes = result.bytes();
            outcome.text = QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()),
                                             static_cast<qsizetype>(bytes.size()));
        } else if (result.format() != ZXing::BarcodeFormat::None) {
            outcome.damaged = true;
        }
    } catch (const std::exception&) {
        outcome.damaged = true;
    }
    return outcome;
}

} // namespace

Result<int> symbolSize(const QString& text, ErrorCorrection errorCorrection)
{
    auto matrix = HIVE_TRY(encodeMatrix(text, errorCorrection, 0));
    return matrix.width();
}

Result<QImage> encode(const QString& text, const EncodeOptions& options)
{
    if (options.modulePixels < 1 || options.modulePixels > 64 || options.quietZone < 0 || options.quietZone > 16)
        return Error(ErrorCode::InvalidArgument, "module size 1-64 px and quiet zone 0-16 modules");
    // Render at one pixel per module with our own quiet zone, then scale exactly, so every
    // module is the same number of pixels (ZXing's own scaling distributes remainders).
    auto matrix = HIVE_TRY(encodeMatrix(text, options.errorCorrection, 0));
    const int modules = matrix.width();
    const int side = (modules + 2 * options.quietZone) * options.modulePixels;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(255);
    for (int y = 0; y < modules; ++y) {
        for (int x = 0; x < modules; ++x) {
            if (!matrix.get(x, y))
                continue;
            const int px = (x + options.quietZone) * options.modulePixels;
            const int py = (y + options.quietZone) * options.modulePixels;
            for (int dy = 0; dy < options.modulePixels; ++dy) {
                uchar* row = image.scanLine(py + dy);
                std::fill(row + px, row + px + options.modulePixels, uchar {0});
            }
        }
    }
    return image;
}

Result<QString> decodeLuminance(const std::uint8_t* data, int width, int height, int rowStride)
{
    if (data == nullptr || width <= 0 || height <= 0 || rowStride < width)
        return Error(ErrorCode::InvalidArgument, "the image is empty");
    const Plane original {data, width, height, rowStride};
    bool sawDamaged = false;
    auto attempt = [&](const Plane& plane) -> std::optional<QString> {
        const Outcome outcome = readQr(plane);
        sawDamaged = sawDamaged || outcome.damaged;
        return outcome.text;
    };
    // Cheapest first; each later pass only runs when the earlier ones found nothing.
    if (auto text = attempt(original))
        return *text;
    // A dim or washed-out screen: spread the grey levels over the whole range.
    const OwnedPlane stretched = stretchContrast(original);
    if (stretched.valid()) {
        if (auto text = attempt(stretched.plane()))
            return *text;
    }
    const Plane base = stretched.valid() ? stretched.plane() : original;
    // Sensor noise: ZXing's local thresholds turn noise in the quiet zone into specks that
    // hide the finder patterns. A 3x3 mean removes most of it...
    const OwnedPlane smoothed = boxSmoothed(base);
    if (auto text = attempt(smoothed.plane()))
        return *text;
    // ...and averaging 2x2 blocks handles heavier noise when modules are large enough.
    if (width >= 160 && height >= 160) {
        const OwnedPlane halved = halfSize(base);
        if (auto text = attempt(halved.plane()))
            return *text;
    }
    // Out of focus: an unsharp mask restores the module edges.
    const OwnedPlane sharpened = unsharp(base);
    if (auto text = attempt(sharpened.plane()))
        return *text;
    if (sawDamaged)
        return Error(ErrorCode::Malformed, "a QR code was found but it is damaged and cannot be read");
    return Error(ErrorCode::NotFound, "no QR code was found in the image");
}

Result<QString> decode(const QImage& image)
{
    if (image.isNull())
        return Error(ErrorCode::InvalidArgument, "the image is empty");
    const QImage grey = image.format() == QImage::Format_Grayscale8 ? image : image.convertToFormat(QImage::Format_Grayscale8);
    return decodeLuminance(grey.constBits(), grey.width(), grey.height(), static_cast<int>(grey.bytesPerLine()));
}

Result<QString> decodeFile(const QString& path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QImage image = reader.read();
    if (image.isNull()) {
        Error e(ErrorCode::Io, "cannot read the image '");
        e.append(path.toStdString()).append("': ").append(reader.errorString().toStdString());
        return e;
    }
    return decode(image);
}

} // namespace hive::core::qr
