#include "session.h"

namespace hive::app {

Session::Session(std::unique_ptr<core::Profile> profile)
    : m_profile(std::move(profile))
    , m_context{m_profile->vault(), m_profile->identity()}
    , m_host(std::make_unique<core::PluginHost>(m_context))
{
}

Session::~Session()
{
    m_host->shutdown();
    m_host.reset();
}

Result<std::unique_ptr<Session>> Session::open(const QString& dir, const QByteArray& passphrase)
{
    auto profile = HIVE_TRY(core::Profile::open(dir, passphrase));
    return adopt(std::move(profile));
}

Result<std::unique_ptr<Session>> Session::create(const QString& dir, const QString& displayName,
                                                 core::KeyProtection protection, const QByteArray& passphrase)
{
    auto profile = HIVE_TRY(core::Profile::create(dir, displayName, protection, passphrase));
    return adopt(std::move(profile));
}

std::unique_ptr<Session> Session::adopt(std::unique_ptr<core::Profile> profile)
{
    return std::unique_ptr<Session>(new Session(std::move(profile)));
}

void Session::startPlugins()
{
    if (m_pluginsStarted)
        return;
    m_pluginsStarted = true;
    m_host->addStaticPlugins();
    m_host->start();
}

Status Session::startNode(core::PersonalNode::Options options)
{
    if (m_node)
        return success();
    if (options.profileDirectory.isEmpty())
        options.profileDirectory = m_profile->directory();
    m_node = HIVE_TRY(core::PersonalNode::create(m_profile->vault(), m_profile->identity(), std::move(options)));
    m_node->start();
    return success();
}

} // namespace hive::app
