// A PluginContext for tests whose plugins never touch the services.
#pragma once

#include "plugin/plugin.h"

#include <cstddef>

// FIXME: Vault and Identity do not exist yet; until they do, the context refers to storage
// that no fake plugin ever dereferences. Replace with real, throw-away services.
class TestContext {
public:
    TestContext()
        : m_context{*reinterpret_cast<hive::core::Vault*>(m_storage), *reinterpret_cast<hive::core::Identity*>(m_storage)}
    {
    }
    hive::core::PluginContext& context() { return m_context; }

private:
    alignas(std::max_align_t) unsigned char m_storage[64] = {};
    hive::core::PluginContext m_context;
};
