// The messaging plugin: end-to-end encrypted chats with friends (Signal protocol). It
// owns the messaging tables and the pages; the composition root attaches the messenger
// (which needs the personal node and the contacts) once those run, and the pages then
// reach it through the `messaging` property (a ui::MessagingController).
#pragma once

#include "plugin/basicplugin.h"

#include <memory>
#include <span>

namespace hive::core {
struct Migration;
}

namespace hive::messaging {

namespace ui {
class ChatBackend;
class DesktopNotifier;
class MessagingController;
} // namespace ui

class MessagingPlugin : public core::BasicPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID HivePlugin_iid FILE "messaging.json")
    // The pages' controller (chat list, open conversation, actions); null until a
    // messenger is attached.
    Q_PROPERTY(QObject* messaging READ messaging NOTIFY messagingChanged)

public:
    // Name under which the plugin's tables are versioned in the vault.
    static constexpr const char* Component = "messaging";

    explicit MessagingPlugin(QObject* parent = nullptr);
    ~MessagingPlugin() override;

    // The plugin's vault schema, one step per version.
    static std::span<const core::Migration> schema();

    QObject* messaging() const;
    // Shows chats from `backend` (which must outlive the plugin or be detached first).
    void attach(ui::ChatBackend& backend);
    // Forgets the backend; the pages show the status line again.
    void detach();

signals:
    void messagingChanged();

protected:
    QString readyText() const override;
    void stop() override;

private:
    std::unique_ptr<ui::DesktopNotifier> m_notifier;
    std::unique_ptr<ui::MessagingController> m_controller;
};

} // namespace hive::messaging
