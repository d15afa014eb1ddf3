#pragma once
// A team's shared store on an existing PostgreSQL server, through Qt SQL's QPSQL driver: the location URL, opening a
// connection, and what the database holds (ours at some schema version, empty, or another application's).

#include <QSqlDatabase>
#include <QString>

namespace kp {

// postgresql://[user[:password]@]host[:port]/dbname[?key=value&...] (also postgres://). The password is better left
// to libpq: PGPASSWORD or ~/.pgpass; query items are libpq connection keywords (sslmode, sslrootcert, connect_timeout,
// application_name ...).
bool isPostgresLocation(const QString &location);
// The URL as messages show it: without its password ("the PostgreSQL URL" when it is not a valid URL).
QString postgresDisplayName(const QString &location);

struct PostgresLocation
{
    QString host, user, password, database;
    int port = 5432;
    QString options; // libpq keywords as QPSQL takes them: "k=v;k=v"
    QString display; // the URL without its password, for messages
};

// Throws StoreError naming the field that is wrong (the URL shown without its password).
PostgresLocation parsePostgresLocation(const QString &location);

// Opens `db` (a QPSQL connection) at `where`; throws StoreError when the driver is missing or the server refuses.
void openPostgres(QSqlDatabase &db, const PostgresLocation &where);

// The schema version of the database: 0 for an empty one; throws StoreError (nothing changed) for one that holds
// another application's tables.
int postgresSchemaVersion(QSqlDatabase &db, const QString &display);

// Inside a transaction: waits for, and holds until it ends, the lock every writer of the store takes, so that writes
// are serialised as SQLite's BEGIN IMMEDIATE serialises them.
void lockPostgresForWrite(QSqlDatabase &db, const QString &display);

// Records `version` as the schema version (inside the migration's transaction).
void setPostgresSchemaVersion(QSqlDatabase &db, const QString &display, int version);

} // namespace kp
