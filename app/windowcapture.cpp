#include "windowcapture.h"

#include "appcontroller.h"

#include <QCoreApplication>
#include <QImage>
#include <QQuickWindow>

#include <cstdio>

namespace hive::app {

namespace {
// Material transitions and ripples take a few hundred milliseconds; wait this many quiet
// polls (of 100 ms) before grabbing so the picture shows the settled layout.
constexpr int kSettledPolls = 12;
}

WindowCapture::WindowCapture(QQuickWindow& window, AppController& controller, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_controller(controller)
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &WindowCapture::check);
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(30000);
    connect(&m_deadline, &QTimer::timeout, this, [] {
        std::fputs("hive: the window did not settle within 30 s; no screenshot\n", stderr);
        QCoreApplication::exit(1);
    });
}

void WindowCapture::saveWhenSettled(const QString& file)
{
    m_file = file;
    m_poll.start();
    m_deadline.start();
}

void WindowCapture::check()
{
    const bool idle = m_window.isExposed() && !m_controller.busy();
    m_settledPolls = idle ? m_settledPolls + 1 : 0;
    if (m_settledPolls >= kSettledPolls) {
        m_poll.stop();
        capture();
    }
}

void WindowCapture::capture()
{
    m_deadline.stop();
    const QImage image = m_window.grabWindow();
    if (image.isNull() || !image.save(m_file, "PNG")) {
        std::fprintf(stderr, "hive: could not save the screenshot to %s\n", qPrintable(m_file));
        QCoreApplication::exit(1);
        return;
    }
    // One parseable line: what the test checks the picture against.
    std::printf("hive: window title=\"%s\" heading=\"%s\" view=%s page=%s layout=%s size=%dx%d screenshot=%s\n",
                qPrintable(m_window.title()), qPrintable(m_window.property("heading").toString()), qPrintable(m_controller.state()),
                qPrintable(m_window.property("currentPage").toString()),
                qPrintable(m_window.property("layout").toString()), image.width(), image.height(),
                qPrintable(m_file));
    std::fflush(stdout);
    // Close the window as a person would, so the scene graph releases its textures, and
    // quit once that has been processed.
    m_window.close();
    QTimer::singleShot(0, qApp, [] { QCoreApplication::exit(0); });
}

} // namespace hive::app
