// A plugin's JSON metadata (the FILE of its Q_PLUGIN_METADATA), parsed and validated.
//
// Schema (every other key is rejected, so a typo cannot silently drop a dependency):
//   {
//     "id": "messaging",          required; [a-z][a-z0-9-]*, at most 32 characters
//     "name": "Messaging",        required; non-empty, at most 64 characters
//     "version": "0.1.0",         required; MAJOR.MINOR.PATCH, decimal, no leading zeros
//     "description": "...",       optional string
//     "dependencies": [           optional; at most 16, each id at most once
//       { "id": "other", "version": ">=0.1, <1.0" }   "version" optional: comma-separated
//     ]                                                comparisons (>= > <= < ==), a
//   }                                                  version of 1 to 3 parts (0-padded)
#pragma once

#include "wire/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVersionNumber>

namespace hive::core {

// One comparison of a dependency's version requirement, e.g. ">=0.1".
struct VersionComparison {
    enum class Op { Equal, Less, LessOrEqual, Greater, GreaterOrEqual };
    Op op = Op::GreaterOrEqual;
    QVersionNumber version; // always three segments

    bool matches(const QVersionNumber& candidate) const;
};

// A dependency on another plugin, optionally restricted to a version range.
struct PluginDependency {
    QString id;
    QString requirement; // as written in the metadata, empty for "any version"
    QList<VersionComparison> comparisons;

    // True if `version` satisfies every comparison.
    bool acceptsVersion(const QVersionNumber& version) const;
};

struct PluginMetadata {
    QString id;
    QString name;
    QVersionNumber version; // always three segments
    QString description;
    QList<PluginDependency> dependencies;

    // Validates `json` against the schema above; Malformed with the offending field otherwise.
    static Result<PluginMetadata> fromJson(const QJsonObject& json);
};

// Parses "MAJOR.MINOR.PATCH" strictly (the form a plugin declares for itself).
Result<QVersionNumber> parsePluginVersion(const QString& text);
// Parses a requirement such as ">=0.1, <1.0"; an empty string means any version.
Result<QList<VersionComparison>> parseVersionRequirement(const QString& text);

} // namespace hive::core
