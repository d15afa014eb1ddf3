#pragma once
// Where a store test keeps its store: a SQLite file in a temporary folder, or, when the test runs with
// KP_STORE_BACKEND=postgres (ctest's *_postgres entries), a new database on the throwaway PostgreSQL server that
// tests/postgres/postgres.sh started (KP_TEST_POSTGRES, the URL without a database; the password in PGPASSWORD),
// dropped when the TestStore goes. Without the server the PostgreSQL run fails; it is never skipped.

#include "models/lineage.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>
#include <stdexcept>

namespace kp::test {

inline bool storeOnPostgres()
{
    return qEnvironmentVariable("KP_STORE_BACKEND") == QStringLiteral("postgres");
}

// Runs `sql` on the server's maintenance database (postgres); throws with the server's message.
inline void postgresAdmin(const QString &sql)
{
    const QUrl server(qEnvironmentVariable("KP_TEST_POSTGRES"));
    if (!server.isValid() || server.host().isEmpty())
        throw std::runtime_error("KP_TEST_POSTGRES is not set: start the server with tests/postgres/postgres.sh "
                                 "start and eval \"$(tests/postgres/postgres.sh env)\"");
    const QString name = QStringLiteral("kp-test-admin");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(server.host());
        db.setPort(server.port(5432));
        db.setUserName(server.userName());
        db.setDatabaseName(QStringLiteral("postgres"));
        std::string error;
        if (!db.open())
            error = "cannot connect to the test server: " + db.lastError().text().toStdString();
        else if (QSqlQuery q(db); !q.exec(sql))
            error = sql.toStdString() + ": " + q.lastError().text().toStdString();
        db.close();
        if (!error.empty()) {
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
            throw std::runtime_error(error);
        }
    }
    QSqlDatabase::removeDatabase(name);
}

class TestStore
{
public:
    // `name`: the file's name in SQLite runs, part of the database's name in PostgreSQL runs.
    explicit TestStore(const QString &name = QStringLiteral("kp.sqlite"))
    {
        if (!storeOnPostgres()) {
            m_location = m_dir.filePath(name);
            return;
        }
        static QAtomicInt counter;
        m_database =
            QStringLiteral("kp_test_%1_%2").arg(QCoreApplication::applicationPid()).arg(counter.fetchAndAddRelaxed(1));
        postgresAdmin(QStringLiteral("CREATE DATABASE ") + m_database);
        m_location = qEnvironmentVariable("KP_TEST_POSTGRES") + QLatin1Char('/') + m_database;
    }
    ~TestStore()
    {
        if (!m_database.isEmpty())
            try {
                postgresAdmin(QStringLiteral("DROP DATABASE IF EXISTS ") + m_database +
                              QStringLiteral(" WITH (FORCE)"));
            } catch (const std::exception &e) {
                qWarning("%s", e.what());
            }
    }
    TestStore(const TestStore &) = delete;
    TestStore &operator=(const TestStore &) = delete;

    const QString &location() const { return m_location; }
    // A folder of the test's own (for files beside the store), whichever the backend.
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    QString m_database;
    QString m_location;
};

// A small complete run for the store tests: a time window of `events`, offsets 5 to 9 of partition 3.
inline TrainingRun smallWindowRun(const std::string &jobId)
{
    TrainingRun run;
    run.jobId = jobId;
    run.model = "m";
    run.clusterId = "c";
    run.bootstrap = "b:1";
    run.topics = {"events"};
    run.windowFromMs = 1;
    run.windowToMs = 2;
    run.startedAtMs = run.finishedAtMs = 3;
    OffsetRange range;
    range.topic = "events";
    range.partition = 3;
    range.start = 5;
    range.end = 9;
    run.ranges = {range};
    return run;
}

} // namespace kp::test
