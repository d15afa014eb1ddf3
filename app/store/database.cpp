#include "store/database.h"

#include "store/postgres.h"

#include <QAtomicInt>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>

namespace kp {

namespace {

QAtomicInt g_connectionCounter;

// The files this process has SQLite connections to, and how many. Closing any descriptor of a file drops every POSIX
// lock the process holds on it, SQLite's included; another process that then closes its last connection takes itself
// for the last one, checkpoints and deletes the WAL under ours, and what we write next goes to a deleted file (seen:
// the window's sampler recorded into a deleted WAL once a page had opened the file to read its header). So the header
// is read through a descriptor of our own only while no connection of ours is open to the file.
QMutex g_openMutex;
QHash<QString, int> g_openConnections;

std::string msg(const QString &path, const QString &what)
{
    return QString(path + QStringLiteral(": ") + what).toStdString();
}

void exec(QSqlDatabase &db, const QString &path, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        throw StoreError(msg(path, q.lastError().text()));
}

// The first row of a query; a file SQLite cannot read is refused, untouched.
QSqlQuery firstRow(QSqlDatabase &db, const QString &path, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        throw StoreError(msg(path, QStringLiteral("not a readable SQLite database (") + q.lastError().text() +
                                       QStringLiteral("); the file was left untouched")));
    return q;
}

constexpr int kBusyTimeoutMs = 5000;

// SQLite refuses the switch to WAL with "database is locked" without calling its busy handler when another connection
// holds the write lock (another thread or process creating or switching the same new file at that moment: it took a
// read lock first, and does not wait for a write lock while holding one). Tried again here for as long as the busy
// timeout.
void enterWal(QSqlDatabase &db, const QString &path)
{
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("PRAGMA journal_mode=WAL")))
            return;
        const bool busy = (q.lastError().nativeErrorCode().toInt() & 0xff) == 5; // SQLITE_BUSY
        if (!busy || waited.elapsed() > kBusyTimeoutMs)
            throw StoreError(msg(path, q.lastError().text()));
        q.finish();
        QThread::msleep(10);
    }
}

int pragmaInt(QSqlDatabase &db, const QString &path, const QString &pragma)
{
    return firstRow(db, path, QStringLiteral("PRAGMA ") + pragma).value(0).toInt();
}

} // namespace

void Database::fail(const QSqlQuery &query) const
{
    throw StoreError(m_display.toStdString() + ": " + query.lastError().text().toStdString());
}

QString Database::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/kafka-planner");
    return dir + QStringLiteral("/kafka-planner.sqlite");
}

QString Database::displayName(const QString &location)
{
    return isPostgresLocation(location) ? postgresDisplayName(location) : location;
}

Database::Database(const QString &location) : m_path(location), m_display(location)
{
    if (isPostgresLocation(location)) {
        m_backend = StoreBackend::Postgres;
        openPostgres();
        return;
    }
    const QString &path = location;
    // At the first start the profiles, reviews, runs and the sampler all open the new file at once, and other processes
    // may too: enterWal() tries again where SQLite will not wait, migrate() creates the schema under BEGIN IMMEDIATE,
    // and the single-statement check in open() never takes a half-made file for a foreign one.
    QFileInfo info(path);
    const bool existed = info.exists();
    m_canonical = info.absoluteFilePath();
    {
        QMutexLocker lock(&g_openMutex);
        if (existed && info.size() > 0 && g_openConnections.value(m_canonical) == 0) {
            // Refuse a foreign file before SQLite touches it: a SQLite file starts with this magic string.
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                throw StoreError(msg(path, QStringLiteral("cannot open the database file: ") + f.errorString()));
            if (f.read(16) != QByteArray("SQLite format 3\0", 16))
                throw StoreError(msg(path, QStringLiteral("not a Kafka Planner database (not SQLite); the file was "
                                                          "left untouched")));
        } else if (!existed) {
            QDir().mkpath(info.absolutePath());
        }
        ++g_openConnections[m_canonical]; // until release(), after SQLite has closed the file
        m_registered = true;
    }

    m_connection = QStringLiteral("kp-store-%1").arg(g_connectionCounter.fetchAndAddRelaxed(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    try {
        openSqlite();
    } catch (...) {
        release(); // a refused file leaves no connection behind (the destructor does not run)
        throw;
    }
}

void Database::openPostgres()
{
    const PostgresLocation where = parsePostgresLocation(m_path);
    m_display = where.display;
    m_connection = QStringLiteral("kp-store-%1").arg(g_connectionCounter.fetchAndAddRelaxed(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connection);
    try {
        kp::openPostgres(m_db, where);
        const int version = postgresSchemaVersion(m_db, m_display);
        if (version > kSchemaVersion)
            throw StoreError(msg(m_display, QStringLiteral("made by a newer Kafka Planner (schema %1, this build knows "
                                                           "%2); nothing was changed")
                                                .arg(version)
                                                .arg(kSchemaVersion)));
        migrate(version);
    } catch (...) {
        release();
        throw;
    }
}

void Database::openSqlite()
{
    const QString &path = m_path;
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!m_db.open())
        throw StoreError(msg(path, QStringLiteral("cannot open: ") + m_db.lastError().text()));

    // One statement, so one consistent view: not ours is another application's id, or tables without our id. A file
    // with neither is a new one that another process has only just created (its schema commits with the id).
    QSqlQuery head = firstRow(m_db, path,
                              QStringLiteral("SELECT (SELECT application_id FROM pragma_application_id()), (SELECT "
                                             "user_version FROM pragma_user_version()), (SELECT count(*) FROM "
                                             "sqlite_master)"));
    const int appId = head.value(0).toInt();
    const int version = head.value(1).toInt();
    const int schemaObjects = head.value(2).toInt();
    head.finish();
    if (appId != kStoreApplicationId && (appId != 0 || schemaObjects != 0))
        throw StoreError(msg(path, QStringLiteral("a SQLite database of another application; the file was left "
                                                  "untouched")));
    if (version > kSchemaVersion)
        throw StoreError(msg(path, QStringLiteral("made by a newer Kafka Planner (schema %1, this build knows %2); "
                                                  "the file was left untouched")
                                       .arg(version)
                                       .arg(kSchemaVersion)));
    // quick_check reads every page: once per file per process is enough (the sampler reopens the file on its own
    // thread, and a week of history is hundreds of MB).
    static QMutex checkedMutex;
    static QSet<QString> checked;
    bool check = false;
    {
        QMutexLocker lock(&checkedMutex);
        check = !checked.contains(m_canonical);
    }
    if (check) {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next() || q.value(0).toString() != QStringLiteral("ok"))
            throw StoreError(
                msg(path, QStringLiteral("the database is corrupt (%1); the file was left untouched")
                              .arg(q.lastError().isValid() ? q.lastError().text() : q.value(0).toString())));
        QMutexLocker lock(&checkedMutex);
        checked.insert(m_canonical);
    }
    enterWal(m_db, path);
    exec(m_db, path, QStringLiteral("PRAGMA foreign_keys=ON"));
    migrate(version);
}

Database::~Database()
{
    release();
}

void Database::release()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
    if (m_registered) {
        QMutexLocker lock(&g_openMutex);
        if (--g_openConnections[m_canonical] == 0)
            g_openConnections.remove(m_canonical);
        m_registered = false;
    }
}

void Database::beginWrite()
{
    if (m_backend == StoreBackend::Sqlite) {
        exec(m_db, m_path, QStringLiteral("BEGIN IMMEDIATE"));
        return;
    }
    exec(m_db, m_display, QStringLiteral("BEGIN"));
    try {
        lockPostgresForWrite(m_db, m_display);
    } catch (...) {
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
        throw;
    }
}

int Database::schemaVersion()
{
    return m_backend == StoreBackend::Sqlite ? pragmaInt(m_db, m_path, QStringLiteral("user_version"))
                                             : postgresSchemaVersion(m_db, m_display);
}

void Database::migrate(int versionSeen)
{
    if (versionSeen == kSchemaVersion)
        return;
    // BEGIN IMMEDIATE takes the write lock first (waiting out the busy timeout), and the version is read again under
    // it: another connection that migrated meanwhile leaves nothing to do. A deferred BEGIN let two connections both
    // create the tables of a new file ("table profiles already exists").
    beginWrite();
    try {
        int version = schemaVersion();
        if (version == kSchemaVersion) {
            exec(m_db, m_display, QStringLiteral("COMMIT"));
            return;
        }
        for (const auto &[to, statements] : schemaSteps()) {
            if (version >= to)
                continue;
            for (const QString &statement : statements)
                if (const QString sql = forBackend(statement, m_backend); !sql.isEmpty())
                    exec(m_db, m_display, sql);
            version = to;
        }
        if (m_backend == StoreBackend::Sqlite)
            exec(m_db, m_path, QStringLiteral("PRAGMA user_version=%1").arg(version));
        else
            setPostgresSchemaVersion(m_db, m_display, version);
        exec(m_db, m_display, QStringLiteral("COMMIT"));
    } catch (...) {
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
        throw;
    }
}

} // namespace kp
