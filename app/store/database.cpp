#include "store/database.h"

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

// application_id marks our files; 0x4B504C4E = "KPLN".
constexpr int kApplicationId = 0x4B504C4E;

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

QString Database::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/kafka-planner");
    return dir + QStringLiteral("/kafka-planner.sqlite");
}

Database::Database(const QString &path) : m_path(path)
{
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
        open();
    } catch (...) {
        release(); // a refused file leaves no connection behind (the destructor does not run)
        throw;
    }
}

void Database::open()
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
    if (appId != kApplicationId && (appId != 0 || schemaObjects != 0))
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
    exec(m_db, m_path, QStringLiteral("BEGIN IMMEDIATE"));
}

namespace {

// The schema, step by step: each step takes the store from the version before it to its own. A new step goes at the
// end; a step once released is never changed (stores in the field have run it).
std::vector<std::pair<int, QStringList>> migrationSteps()
{
    return {
        {1,
         {
             QStringLiteral("PRAGMA application_id=%1").arg(kApplicationId),
             QStringLiteral("CREATE TABLE profiles ("
                            " id INTEGER PRIMARY KEY,"
                            " name TEXT NOT NULL UNIQUE,"
                            " bootstrap TEXT NOT NULL,"
                            " security_protocol TEXT NOT NULL DEFAULT 'PLAINTEXT',"
                            " sasl_mechanism TEXT NOT NULL DEFAULT '',"
                            " username TEXT NOT NULL DEFAULT '',"
                            " ssl_ca TEXT NOT NULL DEFAULT '',"
                            " ssl_cert TEXT NOT NULL DEFAULT '',"
                            " ssl_key TEXT NOT NULL DEFAULT '',"
                            " extra_json TEXT NOT NULL DEFAULT '{}',"
                            " timeout_ms INTEGER NOT NULL DEFAULT 10000,"
                            " created_at INTEGER NOT NULL,"
                            " updated_at INTEGER NOT NULL)"),
         }},
        {2,
         {
             QStringLiteral("CREATE TABLE clusters (id INTEGER PRIMARY KEY, cluster_id TEXT NOT NULL UNIQUE)"),
             // One series per partition end offset (grp = '') and per group offset on a partition; ids stay dense.
             QStringLiteral("CREATE TABLE series (id INTEGER PRIMARY KEY, cluster INTEGER NOT NULL REFERENCES "
                            "clusters(id), grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, "
                            "UNIQUE (cluster, grp, topic, partition))"),
             // Tier 0 is raw (every interval); higher tiers are downsampled copies.
             QStringLiteral("CREATE TABLE samples (cluster INTEGER NOT NULL REFERENCES clusters(id), tier INTEGER "
                            "NOT NULL, taken_at INTEGER NOT NULL, keyframe INTEGER NOT NULL, data BLOB NOT NULL, "
                            "PRIMARY KEY (cluster, tier, taken_at)) WITHOUT ROWID"),
         }},
        {3,
         {
             // [{"cidr": "10.1.0.0/16", "az": "us-east-1a"}, ...]
             QStringLiteral("ALTER TABLE profiles ADD COLUMN client_azs TEXT NOT NULL DEFAULT '[]'"),
         }},
        {4,
         {
             // Training-run lineage: a run and its offset ranges; lists (topics, snapshot ids) and maps (schema
             // versions) as JSON text.
             QStringLiteral("CREATE TABLE runs (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL, model TEXT NOT NULL,"
                            " cluster_id TEXT NOT NULL, bootstrap TEXT NOT NULL, basis TEXT NOT NULL,"
                            " window_from INTEGER NOT NULL, window_to INTEGER NOT NULL, grp TEXT NOT NULL,"
                            " started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL, topics TEXT NOT NULL,"
                            " schema_versions TEXT NOT NULL, transform_version TEXT NOT NULL,"
                            " snapshot_ids TEXT NOT NULL, notes TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE run_ranges (run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                            " topic TEXT NOT NULL, partition INTEGER NOT NULL, start_offset INTEGER NOT NULL,"
                            " end_offset INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,"
                            " bytes INTEGER NOT NULL, start_clipped INTEGER NOT NULL,"
                            " PRIMARY KEY (run, topic, partition)) WITHOUT ROWID"),
             // Readiness reviews: the whole document (template, items' facts, evidence, drills, milestones) as JSON.
             QStringLiteral("CREATE TABLE reviews (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                            " document TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)"),
         }},
        {5,
         {
             // Which topic id a topic name had from when on: a deleted and recreated topic's history starts again at
             // the first sample that saw its new id (since 0: the first id seen, whatever came before). The key's
             // columns come first: SQLite 3.40's quick_check reports NULLs in a WITHOUT ROWID table otherwise.
             QStringLiteral("CREATE TABLE topic_ids (cluster INTEGER NOT NULL REFERENCES clusters(id),"
                            " topic TEXT NOT NULL, since INTEGER NOT NULL, topic_id TEXT NOT NULL,"
                            " PRIMARY KEY (cluster, topic, since)) WITHOUT ROWID"),
         }},
    };
}

} // namespace

void Database::migrate(int versionSeen)
{
    if (versionSeen == kSchemaVersion)
        return;
    // BEGIN IMMEDIATE takes the write lock first (waiting out the busy timeout), and the version is read again under
    // it: another connection that migrated meanwhile leaves nothing to do. A deferred BEGIN let two connections both
    // create the tables of a new file ("table profiles already exists").
    beginWrite();
    try {
        int version = pragmaInt(m_db, m_path, QStringLiteral("user_version"));
        if (version == kSchemaVersion) {
            exec(m_db, m_path, QStringLiteral("COMMIT"));
            return;
        }
        for (const auto &[to, statements] : migrationSteps()) {
            if (version >= to)
                continue;
            for (const QString &statement : statements)
                exec(m_db, m_path, statement);
            version = to;
        }
        exec(m_db, m_path, QStringLiteral("PRAGMA user_version=%1").arg(version));
        exec(m_db, m_path, QStringLiteral("COMMIT"));
    } catch (...) {
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
        throw;
    }
}

} // namespace kp
