// Notifier: shows a desktop notification. DesktopNotifier talks to the freedesktop
// notification service over the session D-Bus; without one (tests, minimal sessions) it
// reports that nothing was shown and logs that once.
#pragma once

#include <QString>

namespace hive::messaging::ui {

class Notifier {
public:
    virtual ~Notifier() = default;
    // Shows one notification; false if none could be shown.
    virtual bool show(const QString& title, const QString& body) = 0;
};

class DesktopNotifier : public Notifier {
public:
    bool show(const QString& title, const QString& body) override;

private:
    bool m_warned = false;
};

} // namespace hive::messaging::ui
