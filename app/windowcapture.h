// WindowCapture: `hive --screenshot FILE` support. Once the window is shown and the app is
// idle it saves a PNG of the window, prints one line describing what is on screen (read by
// the end-to-end test), and quits.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

class QQuickWindow;

namespace hive::app {

class AppController;

class WindowCapture : public QObject {
    Q_OBJECT

public:
    WindowCapture(QQuickWindow& window, AppController& controller, QObject* parent = nullptr);

    // Arms the capture; the application quits with 0 once FILE is written, 1 on failure.
    void saveWhenSettled(const QString& file);

private:
    void check();
    void capture();

    QQuickWindow& m_window;
    AppController& m_controller;
    QString m_file;
    QTimer m_poll;
    QTimer m_deadline;
    int m_settledPolls = 0;
};

} // namespace hive::app
