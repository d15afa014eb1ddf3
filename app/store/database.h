#pragma once

#include <QSqlDatabase>
#include <QString>
#include <stdexcept>

namespace kp {

class StoreError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// The app's SQLite file: WAL mode, versioned migrations (PRAGMA user_version). A file that is not a Kafka Planner
// database, or is corrupt, or comes from a newer version, is refused and left untouched.
class Database
{
public:
    // 2 added the lag history (clusters, series, samples); 3 the client AZ rules of profiles; 4 training runs and
    // readiness reviews
    static constexpr int kSchemaVersion = 5;

    // Throws StoreError with a message naming the file.
    explicit Database(const QString &path);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    QSqlDatabase &db() { return m_db; }

    // Starts a transaction that holds the write lock from its first statement, waiting for another writer up to the
    // busy timeout; commit or roll back through db(). (A deferred BEGIN that reads before it writes gets "database is
    // locked" at once, without waiting, when another connection writes in between.) Throws StoreError.
    void beginWrite();
    const QString &path() const { return m_path; }

    static QString defaultPath();

private:
    void open();
    void release();
    void migrate(int versionSeen); // the version open() read; read again under the write lock
    QString m_path;
    QString m_canonical;       // the absolute path, the key of the process's open-connection count
    bool m_registered = false; // counted there, until release()
    QString m_connection;
    QSqlDatabase m_db;
};

} // namespace kp
