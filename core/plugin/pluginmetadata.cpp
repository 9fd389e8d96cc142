#include "plugin/pluginmetadata.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace hive::core {

namespace {

constexpr qsizetype MaxIdLength = 32;
constexpr qsizetype MaxNameLength = 64;
constexpr qsizetype MaxDescriptionLength = 1000;
constexpr qsizetype MaxDependencies = 16;

Error malformed(const QString& message)
{
    const QByteArray utf8 = message.toUtf8();
    return Error(ErrorCode::Malformed, std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
}

bool isValidId(const QString& id)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z][a-z0-9-]*$"));
    return id.size() <= MaxIdLength && pattern.match(id).hasMatch();
}

// Numbers are capped at five digits so they always fit an int.
const QString NumberPattern = QStringLiteral("(0|[1-9][0-9]{0,4})");

Result<QString> requiredString(const QJsonObject& json, const QString& key)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined())
        return malformed(QStringLiteral("metadata has no \"%1\"").arg(key));
    if (!value.isString())
        return malformed(QStringLiteral("metadata \"%1\" must be a string").arg(key));
    return value.toString();
}

Result<PluginDependency> parseDependency(const QJsonValue& value, qsizetype index)
{
    const QString where = QStringLiteral("dependency %1").arg(index);
    if (!value.isObject())
        return malformed(QStringLiteral("%1 must be an object").arg(where));
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != QLatin1String("id") && it.key() != QLatin1String("version"))
            return malformed(QStringLiteral("%1 has unknown key \"%2\"").arg(where, it.key()));
    }
    PluginDependency dependency;
    const QJsonValue id = object.value(QLatin1String("id"));
    if (!id.isString() || !isValidId(id.toString()))
        return malformed(QStringLiteral("%1 needs an \"id\" like \"messaging\"").arg(where));
    dependency.id = id.toString();

    const QJsonValue version = object.value(QLatin1String("version"));
    if (!version.isUndefined()) {
        if (!version.isString())
            return malformed(QStringLiteral("dependency \"%1\" version must be a string").arg(dependency.id));
        auto comparisons = parseVersionRequirement(version.toString());
        if (!comparisons.ok())
            return comparisons.error().withContext(QStringLiteral("dependency \"%1\"").arg(dependency.id).toStdString());
        dependency.requirement = version.toString().trimmed();
        dependency.comparisons = comparisons.release();
    }
    return dependency;
}

} // namespace

bool VersionComparison::matches(const QVersionNumber& candidate) const
{
    const int order = QVersionNumber::compare(candidate, version);
    switch (op) {
    case Op::Equal: return order == 0;
    case Op::Less: return order < 0;
    case Op::LessOrEqual: return order <= 0;
    case Op::Greater: return order > 0;
    case Op::GreaterOrEqual: return order >= 0;
    }
    return false;
}

bool PluginDependency::acceptsVersion(const QVersionNumber& version) const
{
    for (const VersionComparison& comparison : comparisons) {
        if (!comparison.matches(version))
            return false;
    }
    return true;
}

Result<QVersionNumber> parsePluginVersion(const QString& text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^%1\\.%1\\.%1$").arg(NumberPattern));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return malformed(QStringLiteral("version \"%1\" is not MAJOR.MINOR.PATCH (e.g. 0.1.0)").arg(text));
    return QVersionNumber({match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt()});
}

Result<QList<VersionComparison>> parseVersionRequirement(const QString& text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(>=|<=|==|>|<)\\s*%1(?:\\.%1)?(?:\\.%1)?$").arg(NumberPattern));
    QList<VersionComparison> comparisons;
    if (text.trimmed().isEmpty())
        return comparisons;
    const QStringList parts = text.split(QLatin1Char(','));
    for (const QString& rawPart : parts) {
        const QString part = rawPart.trimmed();
        const QRegularExpressionMatch match = pattern.match(part);
        if (!match.hasMatch())
            return malformed(QStringLiteral("version requirement \"%1\" is not like \">=0.1\" or \">=0.1, <1.0\"").arg(text));
        VersionComparison comparison;
        const QString op = match.captured(1);
        if (op == QLatin1String("=="))
            comparison.op = VersionComparison::Op::Equal;
        else if (op == QLatin1String("<"))
            comparison.op = VersionComparison::Op::Less;
        else if (op == QLatin1String("<="))
            comparison.op = VersionComparison::Op::LessOrEqual;
        else if (op == QLatin1String(">"))
            comparison.op = VersionComparison::Op::Greater;
        else
            comparison.op = VersionComparison::Op::GreaterOrEqual;
        // Missing parts count as zero so ">=0.1" and "0.1.0" compare as people expect.
        comparison.version = QVersionNumber({match.captured(2).toInt(), match.captured(3).toInt(),
                                             match.captured(4).toInt()});
        comparisons.append(comparison);
    }
    return comparisons;
}

Result<PluginMetadata> PluginMetadata::fromJson(const QJsonObject& json)
{
    static const QSet<QString> knownKeys = {QStringLiteral("id"), QStringLiteral("name"),
                                            QStringLiteral("version"), QStringLiteral("description"),
                                            QStringLiteral("dependencies")};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!knownKeys.contains(it.key()))
            return malformed(QStringLiteral("metadata has unknown key \"%1\"").arg(it.key()));
    }

    PluginMetadata metadata;
    metadata.id = HIVE_TRY(requiredString(json, QStringLiteral("id")));
    if (!isValidId(metadata.id))
        return malformed(QStringLiteral("id \"%1\" must be lower-case letters, digits and '-', at most %2 characters")
                             .arg(metadata.id)
                             .arg(MaxIdLength));

    metadata.name = HIVE_TRY(requiredString(json, QStringLiteral("name"))).trimmed();
    if (metadata.name.isEmpty() || metadata.name.size() > MaxNameLength)
        return malformed(QStringLiteral("name must be 1 to %1 characters").arg(MaxNameLength));

    const QString version = HIVE_TRY(requiredString(json, QStringLiteral("version")));
    metadata.version = HIVE_TRY(parsePluginVersion(version));

    const QJsonValue description = json.value(QLatin1String("description"));
    if (!description.isUndefined()) {
        if (!description.isString() || description.toString().size() > MaxDescriptionLength)
            return malformed(QStringLiteral("description must be a string of at most %1 characters")
                                 .arg(MaxDescriptionLength));
        metadata.description = description.toString();
    }

    const QJsonValue dependencies = json.value(QLatin1String("dependencies"));
    if (!dependencies.isUndefined()) {
        if (!dependencies.isArray())
            return malformed(QStringLiteral("dependencies must be an array"));
        const QJsonArray array = dependencies.toArray();
        if (array.size() > MaxDependencies)
            return malformed(QStringLiteral("at most %1 dependencies are allowed").arg(MaxDependencies));
        QSet<QString> seen;
        for (qsizetype i = 0; i < array.size(); ++i) {
            PluginDependency dependency = HIVE_TRY(parseDependency(array.at(i), i));
            if (seen.contains(dependency.id))
                return malformed(QStringLiteral("dependency \"%1\" is listed twice").arg(dependency.id));
            seen.insert(dependency.id);
            metadata.dependencies.append(dependency);
        }
    }
    return metadata;
}

} // namespace hive::core
