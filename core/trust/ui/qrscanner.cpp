#include "trust/ui/qrscanner.h"

#include "trust/qr.h"

#include <QCameraDevice>
#include <QMediaDevices>
#include <QtConcurrent/QtConcurrentRun>

#include <cstring>

namespace hive::core {

QrScanner::QrScanner(QObject* parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, &QrScanner::finished);
    auto* devices = new QMediaDevices(this);
    connect(devices, &QMediaDevices::videoInputsChanged, this, &QrScanner::camerasChanged);
}

QrScanner::~QrScanner()
{
    QObject::disconnect(m_frameConnection);
    m_watcher.waitForFinished();
    m_pool.waitForDone();
}

bool QrScanner::hasCamera() const { return !QMediaDevices::videoInputs().isEmpty(); }

void QrScanner::setVideoSink(QVideoSink* sink)
{
    if (m_sink == sink)
        return;
    QObject::disconnect(m_frameConnection);
    m_sink = sink;
    if (m_sink)
        m_frameConnection = connect(m_sink, &QVideoSink::videoFrameChanged, this, &QrScanner::processFrame);
    emit videoSinkChanged();
}

void QrScanner::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    if (m_active)
        m_lastFound.clear();
    emit activeChanged();
}

Result<QrScanner::Luminance> QrScanner::luminanceOf(const QVideoFrame& frame)
{
    QVideoFrame mapped(frame);
    if (!mapped.isValid() || !mapped.map(QVideoFrame::ReadOnly))
        return Error(ErrorCode::Unavailable, "the camera frame cannot be read");
    Luminance out;
    out.width = mapped.width();
    out.height = mapped.height();
    switch (mapped.pixelFormat()) {
    case QVideoFrameFormat::Format_NV12:
    case QVideoFrameFormat::Format_NV21:
    case QVideoFrameFormat::Format_YUV420P:
    case QVideoFrameFormat::Format_YUV422P:
    case QVideoFrameFormat::Format_YV12:
    case QVideoFrameFormat::Format_IMC1:
    case QVideoFrameFormat::Format_IMC2:
    case QVideoFrameFormat::Format_IMC3:
    case QVideoFrameFormat::Format_IMC4:
    case QVideoFrameFormat::Format_Y8: {
        // Plane 0 already is the luminance: copy it row by row (the stride may be padded).
        const int stride = mapped.bytesPerLine(0);
        const uchar* bits = mapped.bits(0);
        out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
        for (int y = 0; y < out.height; ++y)
            std::memcpy(out.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width),
                        bits + static_cast<std::ptrdiff_t>(y) * stride, static_cast<std::size_t>(out.width));
        mapped.unmap();
        return out;
    }
    default:
        break;
    }
    mapped.unmap();
    // Packed RGB, YUYV and the rest: let Qt convert, then take grey.
    const QImage grey = frame.toImage().convertToFormat(QImage::Format_Grayscale8);
    if (grey.isNull())
        return Error(ErrorCode::Unsupported, "the camera delivers frames in a format Hive cannot read");
    out.width = grey.width();
    out.height = grey.height();
    out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
    for (int y = 0; y < out.height; ++y)
        std::memcpy(out.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width),
                    grey.constScanLine(y), static_cast<std::size_t>(out.width));
    return out;
}

void QrScanner::processFrame(const QVideoFrame& frame)
{
    if (!m_active)
        return;
    ++m_framesSeen;
    emit statisticsChanged();
    if (m_busy)
        return; // one frame in flight: drop this one
    auto luminance = luminanceOf(frame);
    if (!luminance.ok())
        return;
    m_busy = true;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [plane = std::move(*luminance)]() -> QString {
        auto text = qr::decodeLuminance(plane.pixels.data(), plane.width, plane.height, plane.width);
        return text.ok() ? *text : QString();
    }));
}

void QrScanner::finished()
{
    m_busy = false;
    ++m_framesDecoded;
    emit statisticsChanged();
    const QString text = m_watcher.result();
    if (!m_active || text.isEmpty() || text == m_lastFound)
        return;
    m_lastFound = text;
    emit found(text);
}

} // namespace hive::core
