#pragma once
// The store's schema, one definition for both backends: the migration steps as written for SQLite, and their
// translation for PostgreSQL (types and clauses SQLite has and PostgreSQL spells otherwise).

#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace kp {

enum class StoreBackend { Sqlite, Postgres };

// application_id of our SQLite files, and the key of the PostgreSQL advisory lock writers take: 0x4B504C4E = "KPLN".
constexpr int kStoreApplicationId = 0x4B504C4E;
// The application named in a PostgreSQL database's kp_schema table.
inline constexpr const char *kStoreApplicationName = "kafka-planner";

// Each step takes the store from the version before it to its own. A new step goes at the end; a step once released
// is never changed (stores in the field have run it).
std::vector<std::pair<int, QStringList>> schemaSteps();

// A step's statement for `backend`; empty when the backend has no such statement (SQLite's PRAGMA application_id).
// PostgreSQL: INTEGER is BIGINT (SQLite's integers are 64-bit), INTEGER PRIMARY KEY an identity column, BLOB is
// BYTEA, and WITHOUT ROWID goes.
QString forBackend(const QString &statement, StoreBackend backend);

} // namespace kp
