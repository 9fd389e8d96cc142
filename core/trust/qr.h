// QR codes for contact cards and safety numbers, on ZXing-C++ 1.4. This lives in its own
// small library, hive_qr (Qt6::Gui for QImage, plus ZXing), because hive_core is
// QtCore-only; hivectl and the app link it, the node never does.
//
// Encoding: error-correction level M (15% of codewords recoverable) and a 4-module quiet
// zone. A phone reading a laptop screen mostly fights blur, moire and glare rather than
// missing pieces, and what helps most there is larger modules: M keeps a typical card
// (about 280 alphanumeric characters) at version 10 (57x57 modules) where Q would need
// version 12 (65x65), so at the same size on screen each module is 14% larger. The
// qr_decode benchmark compares both levels on the degraded-image set.
//
// Decoding: ZXing's ReadBarcode restricted to QR, tryHarder and tryRotate on, fed the
// luminance plane (8-bit grey) of the image, which is what a camera's Y plane already is.
// When that finds nothing, up to four cheap clean-ups are tried in turn, each aimed at
// what defeats ZXing's binarizer on photos of screens: a contrast stretch (dim or washed
// out screens), a 3x3 mean and a 2x2 average (sensor noise), and an unsharp mask (focus
// blur). A frame with a readable code usually decodes on the first pass.
#pragma once

#include "wire/result.h"

#include <QImage>
#include <QString>

#include <cstdint>

namespace hive::core::qr {

enum class ErrorCorrection { Low, Medium, Quartile, High };

struct EncodeOptions {
    ErrorCorrection errorCorrection = ErrorCorrection::Medium;
    int modulePixels = 8; // side of one module in pixels
    int quietZone = 4;    // modules of white border (the standard's minimum)
};

// Renders `text` as a black-on-white QR code (Format_Grayscale8), each module exactly
// modulePixels square. InvalidArgument for empty text, TooLarge if it does not fit.
Result<QImage> encode(const QString& text, const EncodeOptions& options = {});
// The number of modules per side (without quiet zone) the symbol for `text` would have.
Result<int> symbolSize(const QString& text, ErrorCorrection errorCorrection = ErrorCorrection::Medium);

// Finds and decodes a QR code in any image. NotFound if there is none (or none readable),
// Malformed if the symbol is found but its data cannot be corrected.
Result<QString> decode(const QImage& image);
// The same on a luminance plane (one byte per pixel, rowStride bytes per row).
Result<QString> decodeLuminance(const std::uint8_t* data, int width, int height, int rowStride);
// Reads an image file (PNG, JPEG, ...) and decodes it; Io if the file cannot be read.
Result<QString> decodeFile(const QString& path);

} // namespace hive::core::qr
