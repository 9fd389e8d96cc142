#include "plugin/pluginhost.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMetaMethod>
#include <QPluginLoader>
#include <QStaticPlugin>

#include <algorithm>
#include <deque>
#include <set>
#include <utility>

Q_LOGGING_CATEGORY(lcPluginHost, "hive.plugins")

namespace hive::core {

namespace {

Error makeError(ErrorCode code, const QString& message)
{
    const QByteArray utf8 = message.toUtf8();
    return Error(code, std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
}

QString messageOf(const Error& error)
{
    return QString::fromUtf8(error.messageView().data(), static_cast<qsizetype>(error.messageView().size()));
}

} // namespace

PluginHost::PluginHost(PluginContext& context, QObject* parent)
    : QAbstractListModel(parent)
    , m_context(context)
{
}

PluginHost::~PluginHost()
{
    shutdown();
    // Plugins are deleted before the services in the context (which outlive the host), in
    // reverse order so a plugin never outlives one it may have talked to.
    for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
        if (it->object)
            it->object->disconnect(this);
        delete it->object.data();
    }
}

int PluginHost::addStaticPlugins()
{
    struct Candidate {
        QString id;
        QString className;
        QJsonObject metadata;
        bool hasMetadata = false;
        QtPluginInstanceFunction instance = nullptr;
    };
    std::vector<Candidate> candidates;
    const QList<QStaticPlugin> statics = QPluginLoader::staticPlugins();
    for (const QStaticPlugin& staticPlugin : statics) {
        const QJsonObject json = staticPlugin.metaData();
        if (json.value(QLatin1String("IID")).toString() != QLatin1String(HivePlugin_iid))
            continue;
        // An app that both links a plugin's generated importer and writes Q_IMPORT_PLUGIN
        // registers it twice; that is the same plugin, not a duplicate id.
        const bool seen = std::any_of(candidates.begin(), candidates.end(),
                                      [&](const Candidate& c) { return c.instance == staticPlugin.instance; });
        if (seen)
            continue;
        Candidate candidate;
        candidate.className = json.value(QLatin1String("className")).toString();
        const QJsonValue metadata = json.value(QLatin1String("MetaData"));
        candidate.hasMetadata = metadata.isObject();
        candidate.metadata = metadata.toObject();
        candidate.id = candidate.metadata.value(QLatin1String("id")).toString();
        candidate.instance = staticPlugin.instance;
        candidates.push_back(std::move(candidate));
    }
    // Link order is an accident of the build; sort so the list is the same everywhere.
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return std::tie(a.id, a.className) < std::tie(b.id, b.className);
    });

    for (const Candidate& candidate : candidates) {
        if (!candidate.hasMetadata) {
            Entry entry;
            entry.name = candidate.className;
            entry.state = State::Failed;
            entry.error = tr("plugin class %1 has no JSON metadata (Q_PLUGIN_METADATA FILE)").arg(candidate.className);
            qCWarning(lcPluginHost).noquote() << entry.error;
            record(std::move(entry));
            continue;
        }
        const QtPluginInstanceFunction instance = candidate.instance;
        // Errors are recorded in the model; the caller reads them there.
        (void)addEntry(candidate.metadata, [instance] { return instance(); }, candidate.className);
    }
    return static_cast<int>(candidates.size());
}

Status PluginHost::add(const QJsonObject& metadata, std::function<QObject*()> factory)
{
    return addEntry(metadata, std::move(factory), QString());
}

Status PluginHost::addEntry(const QJsonObject& json, std::function<QObject*()> factory, const QString& fallbackName)
{
    if (m_started)
        return Error(ErrorCode::InvalidArgument, "plugins must be added before the plugin host starts");

    Entry entry;
    entry.id = json.value(QLatin1String("id")).toString();
    entry.name = json.value(QLatin1String("name")).toString();
    if (entry.name.isEmpty())
        entry.name = fallbackName.isEmpty() ? entry.id : fallbackName;
    entry.version = json.value(QLatin1String("version")).toString();
    entry.description = json.value(QLatin1String("description")).toString();

    Result<PluginMetadata> metadata = PluginMetadata::fromJson(json);
    if (!metadata.ok()) {
        entry.state = State::Failed;
        entry.error = tr("invalid metadata: %1").arg(messageOf(metadata.error()));
        qCWarning(lcPluginHost).noquote() << "plugin" << (entry.id.isEmpty() ? entry.name : entry.id) << entry.error;
        Error error = metadata.error().withContext("plugin metadata");
        record(std::move(entry));
        return error;
    }
    if (const auto existing = indexOf(metadata->id)) {
        entry.state = State::Failed;
        entry.error = tr("another plugin (%1) already uses the id \"%2\"").arg(m_entries[*existing].name, entry.id);
        qCWarning(lcPluginHost).noquote() << "plugin" << entry.id << entry.error;
        Error error = makeError(ErrorCode::AlreadyExists, QStringLiteral("duplicate plugin id \"%1\"").arg(entry.id));
        record(std::move(entry));
        return error;
    }
    entry.name = metadata->name;
    entry.version = metadata->version.toString();
    entry.metadata = metadata.release();
    entry.factory = std::move(factory);
    record(std::move(entry));
    return success();
}

void PluginHost::record(Entry entry)
{
    const int row = count();
    beginInsertRows(QModelIndex(), row, row);
    m_entries.push_back(std::move(entry));
    endInsertRows();
    emit countChanged();
}

std::optional<std::size_t> PluginHost::indexOf(const QString& id) const
{
    // Only entries with accepted metadata own their id; rejected ones never do.
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].metadata && m_entries[i].id == id)
            return i;
    }
    return std::nullopt;
}

QStringList PluginHost::cycleThrough(std::size_t start) const
{
    // Breadth-first search along dependencies for a path leading back to `start`; the
    // shortest such path is the cycle we report.
    std::vector<std::optional<std::size_t>> parent(m_entries.size());
    std::vector<bool> visited(m_entries.size(), false);
    std::deque<std::size_t> queue{start};
    visited[start] = true;
    while (!queue.empty()) {
        const std::size_t current = queue.front();
        queue.pop_front();
        for (const PluginDependency& dependency : m_entries[current].metadata->dependencies) {
            const auto next = indexOf(dependency.id);
            if (!next)
                continue;
            if (*next == start) {
                QStringList path{m_entries[start].id};
                for (std::optional<std::size_t> at = current; at && *at != start; at = parent[*at])
                    path.insert(1, m_entries[*at].id);
                path.append(m_entries[start].id);
                return path;
            }
            if (!visited[*next]) {
                visited[*next] = true;
                parent[*next] = current;
                queue.push_back(*next);
            }
        }
    }
    return {};
}

std::vector<std::size_t> PluginHost::dependencyOrder(const std::vector<bool>& inCycle) const
{
    // Kahn's algorithm over the plugins that are not on a cycle (so the graph is acyclic);
    // among the plugins ready at a step the smallest id goes first, so the order is stable.
    const std::size_t n = m_entries.size();
    std::vector<std::size_t> waitingOn(n, 0);
    std::vector<std::vector<std::size_t>> dependents(n);
    auto takesPart = [&](std::size_t i) { return m_entries[i].metadata && !inCycle[i]; };
    for (std::size_t i = 0; i < n; ++i) {
        if (!takesPart(i))
            continue;
        for (const PluginDependency& dependency : m_entries[i].metadata->dependencies) {
            const auto j = indexOf(dependency.id);
            if (j && takesPart(*j)) {
                ++waitingOn[i];
                dependents[*j].push_back(i);
            }
        }
    }
    std::set<std::pair<QString, std::size_t>> ready;
    for (std::size_t i = 0; i < n; ++i) {
        if (takesPart(i) && waitingOn[i] == 0)
            ready.emplace(m_entries[i].id, i);
    }
    std::vector<std::size_t> order;
    while (!ready.empty()) {
        const std::size_t next = ready.begin()->second;
        ready.erase(ready.begin());
        order.push_back(next);
        for (std::size_t dependent : dependents[next]) {
            if (--waitingOn[dependent] == 0)
                ready.emplace(m_entries[dependent].id, dependent);
        }
    }
    return order;
}

bool PluginHost::instantiate(std::size_t index)
{
    Entry& entry = m_entries[index];
    QObject* object = entry.factory ? entry.factory() : nullptr;
    if (!object) {
        setState(index, State::Failed, tr("the plugin object could not be created"));
        return false;
    }
    Plugin* plugin = qobject_cast<Plugin*>(object);
    if (!plugin) {
        delete object;
        setState(index, State::Failed, tr("the plugin object does not implement %1").arg(QLatin1String(HivePlugin_iid)));
        return false;
    }
    entry.object = object;
    entry.plugin = plugin;
    const QMetaObject* meta = object->metaObject();
    const int signal = meta->indexOfSignal("statusTextChanged()");
    if (signal >= 0) {
        const int slot = staticMetaObject.indexOfSlot("onStatusTextChanged()");
        connect(object, meta->method(signal), this, staticMetaObject.method(slot));
    }
    return true;
}

void PluginHost::start()
{
    if (m_started)
        return;
    m_started = true;

    std::vector<bool> inCycle(m_entries.size(), false);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (!m_entries[i].metadata)
            continue;
        const QStringList cycle = cycleThrough(i);
        if (!cycle.isEmpty()) {
            inCycle[i] = true;
            setState(i, State::Failed, tr("dependency cycle: %1").arg(cycle.join(QLatin1String(" -> "))));
        }
    }

    for (std::size_t i : dependencyOrder(inCycle)) {
        const Entry& entry = m_entries[i];
        QString problem;
        for (const PluginDependency& dependency : entry.metadata->dependencies) {
            const auto j = indexOf(dependency.id);
            if (!j) {
                problem = tr("needs plugin \"%1\", which is not installed").arg(dependency.id);
                break;
            }
            const Entry& provider = m_entries[*j];
            if (!dependency.acceptsVersion(provider.metadata->version)) {
                problem = tr("needs plugin \"%1\" %2, but version %3 is installed")
                              .arg(dependency.id, dependency.requirement, provider.version);
                break;
            }
            if (provider.state != State::Running) {
                problem = tr("needs plugin \"%1\", which is not running (%2)")
                              .arg(dependency.id, stateName(provider.state));
                break;
            }
        }
        if (!problem.isEmpty()) {
            setState(i, State::MissingDependency, problem);
            continue;
        }
        if (!instantiate(i))
            continue;
        const Status status = m_entries[i].plugin->initialize(m_context);
        if (!status.ok()) {
            setState(i, State::Failed, tr("initialize failed: %1").arg(messageOf(status.error())));
            continue;
        }
        m_startOrder.push_back(i);
        setState(i, State::Running, QString());
    }
}

void PluginHost::shutdown()
{
    for (auto it = m_startOrder.rbegin(); it != m_startOrder.rend(); ++it) {
        Entry& entry = m_entries[*it];
        if (entry.state != State::Running)
            continue;
        entry.plugin->shutdown();
        setState(*it, State::Stopped, QString());
    }
}

void PluginHost::setState(std::size_t index, State state, const QString& error)
{
    Entry& entry = m_entries[index];
    entry.state = state;
    entry.error = error;
    if (!error.isEmpty())
        qCWarning(lcPluginHost).noquote() << "plugin" << entry.id << stateName(state) + QLatin1String(":") << error;
    const QModelIndex changed = this->index(static_cast<int>(index));
    emit dataChanged(changed, changed, {StateRole, StateTextRole, ErrorRole, PageRole, StatusTextRole});
}

void PluginHost::onStatusTextChanged()
{
    const QObject* source = sender();
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].object == source) {
            const QModelIndex changed = index(static_cast<int>(i));
            emit dataChanged(changed, changed, {StatusTextRole});
        }
    }
}

QList<PluginInfo> PluginHost::plugins() const
{
    QList<PluginInfo> result;
    result.reserve(count());
    for (const Entry& entry : m_entries) {
        PluginInfo info;
        info.id = entry.id;
        info.name = entry.name;
        info.version = entry.version;
        info.state = entry.state;
        info.error = entry.error;
        if (entry.plugin && entry.object)
            info.statusText = entry.plugin->statusText();
        result.append(info);
    }
    return result;
}

bool PluginHost::Entry::isUsable() const
{
    // A plugin whose initialize() failed keeps its object (its statusText may say why) but
    // is never handed out: it is not in a state anyone should call into.
    return object && plugin && (state == State::Running || state == State::Stopped);
}

Plugin* PluginHost::plugin(const QString& id) const
{
    const auto i = indexOf(id);
    return i && m_entries[*i].isUsable() ? m_entries[*i].plugin : nullptr;
}

QObject* PluginHost::pluginObject(const QString& id) const
{
    const auto i = indexOf(id);
    return i && m_entries[*i].isUsable() ? m_entries[*i].object.data() : nullptr;
}

QStringList PluginHost::startOrder() const
{
    QStringList ids;
    for (std::size_t i : m_startOrder)
        ids.append(m_entries[i].id);
    return ids;
}

int PluginHost::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant PluginHost::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& entry = m_entries[static_cast<std::size_t>(index.row())];
    const bool hasInstance = entry.plugin && entry.object;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return entry.name;
    case IdRole: return entry.id;
    case VersionRole: return entry.version;
    case StateRole: return static_cast<int>(entry.state);
    case StateTextRole: return stateText(entry.state);
    case ErrorRole: return entry.error;
    case PageRole: return entry.isUsable() ? entry.plugin->page() : QUrl();
    case StatusTextRole: return hasInstance ? entry.plugin->statusText() : QString();
    case DescriptionRole: return entry.description;
    default: return {};
    }
}

QHash<int, QByteArray> PluginHost::roleNames() const
{
    return {
        {IdRole, "id"},
        {NameRole, "name"},
        {VersionRole, "version"},
        {StateRole, "state"},
        {StateTextRole, "stateText"},
        {ErrorRole, "error"},
        {PageRole, "page"},
        {StatusTextRole, "statusText"},
        {DescriptionRole, "description"},
    };
}

QString PluginHost::stateName(State state)
{
    switch (state) {
    case State::Loaded: return QStringLiteral("loaded");
    case State::Running: return QStringLiteral("running");
    case State::Failed: return QStringLiteral("failed");
    case State::MissingDependency: return QStringLiteral("missing-dependency");
    case State::Stopped: return QStringLiteral("stopped");
    }
    return QStringLiteral("unknown");
}

QString PluginHost::stateText(State state)
{
    switch (state) {
    case State::Loaded: return tr("Not started");
    case State::Running: return tr("Running");
    case State::Failed: return tr("Failed");
    case State::MissingDependency: return tr("Missing dependency");
    case State::Stopped: return tr("Stopped");
    }
    return QString();
}

} // namespace hive::core
