#pragma once

#include "store/schema.h"

#include <QSqlDatabase>
#include <QString>
#include <stdexcept>

class QSqlQuery;

namespace kp {

class StoreError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// A save based on a revision that is no longer the stored one: someone else saved in between. Nothing was written.
class StoreConflict : public StoreError
{
public:
    StoreConflict(const std::string &what, int64_t storedRevision) : StoreError(what), m_storedRevision(storedRevision)
    {}
    int64_t storedRevision() const { return m_storedRevision; } // 0: it was removed
private:
    int64_t m_storedRevision;
};

// The app's store: a SQLite file (the default; WAL mode, versioned migrations in PRAGMA user_version) or, for a team,
// a database on a PostgreSQL server named by a postgresql:// URL (store/postgres.h; the version in its kp_schema
// table). The same schema and migrations on both (store/schema.h). A store that is not Kafka Planner's, is corrupt, or
// comes from a newer version, is refused and left untouched.
class Database
{
public:
    // 2 added the lag history (clusters, series, samples); 3 the client AZ rules of profiles; 4 training runs and
    // readiness reviews; 5 topic ids; 6 the revisions of reviews and runs; 7 OpenLineage run ids and events to send
    static constexpr int kSchemaVersion = 7;

    // `location`: a file path, or a postgresql:// URL. Throws StoreError with a message naming the store.
    explicit Database(const QString &location);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    QSqlDatabase &db() { return m_db; }

    // Starts a transaction that holds the write lock from its first statement, waiting for another writer up to the
    // busy timeout; commit or roll back through db(). (A deferred BEGIN that reads before it writes gets "database is
    // locked" at once, without waiting, when another connection writes in between.) On PostgreSQL: BEGIN and the
    // store's advisory lock. Throws StoreError.
    void beginWrite();
    // The store as messages name it: the file, or the URL without its password.
    const QString &path() const { return m_display; }
    // Throws StoreError naming the store and why `query` failed.
    [[noreturn]] void fail(const QSqlQuery &query) const;
    StoreBackend backend() const { return m_backend; }

    static QString defaultPath();
    // A location as messages show it: a file as it is, a URL without its password.
    static QString displayName(const QString &location);

private:
    void openSqlite();
    void openPostgres();
    void release();
    int schemaVersion();
    void migrate(int versionSeen); // the version open() read; read again under the write lock
    StoreBackend m_backend = StoreBackend::Sqlite;
    QString m_path;            // the location as given
    QString m_display;         // the same without a password
    QString m_canonical;       // the absolute path, the key of the process's open-connection count
    bool m_registered = false; // counted there, until release()
    QString m_connection;
    QSqlDatabase m_db;
};

} // namespace kp
