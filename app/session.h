// Session: an opened profile together with the plugin host that runs on it. Both `hive`
// and `hivectl` build one after unlocking, so the order of construction (profile, then the
// context lent to plugins, then the host) and of teardown (plugins shut down before the
// vault closes) is written once.
#pragma once

#include "node/personalnode.h"
#include "plugin/plugin.h"
#include "plugin/pluginhost.h"
#include "profile/profile.h"
#include "wire/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace hive::app {

class Session {
public:
    // Opens the profile in `dir`; the passphrase is ignored for keychain profiles.
    static Result<std::unique_ptr<Session>> open(const QString& dir, const QByteArray& passphrase);
    // Creates a new profile in `dir` (which must not hold one yet).
    static Result<std::unique_ptr<Session>> create(const QString& dir, const QString& displayName,
                                                   core::KeyProtection protection,
                                                   const QByteArray& passphrase);
    // Takes over a profile that was opened elsewhere (e.g. on a worker thread).
    static std::unique_ptr<Session> adopt(std::unique_ptr<core::Profile> profile);

    // Shuts the plugins down before the profile (and its vault) closes.
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Adds the static plugins linked into this executable and starts them; idempotent.
    void startPlugins();

    // Creates and starts this profile's personal node (the local hive-node unless another
    // node is configured); idempotent. Only the GUI does this: hivectl reaches the node the
    // app runs through the address the node stores in the vault.
    Status startNode(core::PersonalNode::Options options);

    core::Profile& profile() { return *m_profile; }
    core::PluginHost& plugins() { return *m_host; }
    // The personal node once startNode() succeeded, else nullptr.
    core::PersonalNode* node() const { return m_node.get(); }

private:
    explicit Session(std::unique_ptr<core::Profile> profile);

    // Declaration order is teardown order in reverse: the host goes first.
    std::unique_ptr<core::Profile> m_profile;
    core::PluginContext m_context;
    // Before the host so that plugins never outlive the node they may use; its destructor
    // ends the local hive-node (SIGTERM) before the vault closes.
    std::unique_ptr<core::PersonalNode> m_node;
    std::unique_ptr<core::PluginHost> m_host;
    bool m_pluginsStarted = false;
};

} // namespace hive::app
