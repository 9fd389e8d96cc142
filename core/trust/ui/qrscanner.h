// QrScanner: reads QR codes from a live camera. QML hands it the QVideoSink of its
// VideoOutput; each frame's luminance plane (the Y plane of YUV frames as it is, or a grey
// conversion of RGB ones) is copied and decoded on a worker thread. Only one frame is ever
// in flight: frames that arrive while one is being decoded are dropped, so a slow decode
// never queues up latency or memory.
#pragma once

#include "wire/result.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>
#include <QVideoFrame>
#include <QVideoSink>

#include <cstdint>
#include <vector>

namespace hive::core {

class QrScanner : public QObject {
    Q_OBJECT
    // The sink frames come from (VideoOutput.videoSink in QML); null stops scanning.
    Q_PROPERTY(QVideoSink* videoSink READ videoSink WRITE setVideoSink NOTIFY videoSinkChanged)
    // True while scanning is wanted (the Scan page is visible).
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    // True if the system reports at least one camera.
    Q_PROPERTY(bool hasCamera READ hasCamera NOTIFY camerasChanged)
    Q_PROPERTY(int framesSeen READ framesSeen NOTIFY statisticsChanged)
    Q_PROPERTY(int framesDecoded READ framesDecoded NOTIFY statisticsChanged)

public:
    // A frame's luminance, copied so the camera's buffer can be released at once.
    struct Luminance {
        std::vector<std::uint8_t> pixels;
        int width = 0;
        int height = 0;
    };

    explicit QrScanner(QObject* parent = nullptr);
    ~QrScanner() override;

    QVideoSink* videoSink() const { return m_sink; }
    void setVideoSink(QVideoSink* sink);
    bool active() const { return m_active; }
    void setActive(bool active);
    bool hasCamera() const;
    int framesSeen() const { return m_framesSeen; }
    int framesDecoded() const { return m_framesDecoded; }
    // True while a frame is being decoded.
    bool busy() const { return m_busy; }

    // Hands one frame to the scanner (what the sink does for every camera frame).
    void processFrame(const QVideoFrame& frame);
    // The luminance plane of a frame: Y of YUV formats as is, grey of anything else.
    static Result<Luminance> luminanceOf(const QVideoFrame& frame);

signals:
    void videoSinkChanged();
    void activeChanged();
    void camerasChanged();
    void statisticsChanged();
    // A QR code was read; the same text is reported once until reset() or reactivation.
    void found(const QString& text);

public slots:
    // Forgets the last reported text so the same code may be reported again.
    void reset() { m_lastFound.clear(); }

private:
    void finished();

    QPointer<QVideoSink> m_sink;
    QMetaObject::Connection m_frameConnection;
    bool m_active = false;
    bool m_busy = false;
    int m_framesSeen = 0;
    int m_framesDecoded = 0;
    QString m_lastFound;
    // One worker thread: decoding never competes with itself.
    QThreadPool m_pool;
    // The decoded text, empty when the frame held no readable code.
    QFutureWatcher<QString> m_watcher;
};

} // namespace hive::core
