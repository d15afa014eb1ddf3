#include "store/schema.h"

#include <QRegularExpression>

namespace kp {

std::vector<std::pair<int, QStringList>> schemaSteps()
{
    return {
        {1,
         {
             QStringLiteral("PRAGMA application_id=%1").arg(kStoreApplicationId),
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
        {6,
         {
             // Each save of a review or a run counts up its revision; a save based on an older one is refused (two
             // people, or the window and a CI job, on one shared store).
             QStringLiteral("ALTER TABLE reviews ADD COLUMN revision INTEGER NOT NULL DEFAULT 1"),
             QStringLiteral("ALTER TABLE runs ADD COLUMN revision INTEGER NOT NULL DEFAULT 1"),
         }},
        {7,
         {
             // Each run's OpenLineage run id (a UUID; empty for runs stored before: a stable one is derived), and the
             // events to send: kept until the endpoint took them (sent_at >= 0), tried again while it does not.
             QStringLiteral("ALTER TABLE runs ADD COLUMN lineage_id TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("CREATE TABLE lineage_outbox (id INTEGER PRIMARY KEY,"
                            " run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, event_type TEXT NOT NULL,"
                            " endpoint TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,"
                            " sent_at INTEGER NOT NULL DEFAULT -1, attempts INTEGER NOT NULL DEFAULT 0,"
                            " last_error TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX lineage_outbox_pending ON lineage_outbox (sent_at, id)"),
         }},
    };
}

QString forBackend(const QString &statement, StoreBackend backend)
{
    if (backend == StoreBackend::Sqlite)
        return statement;
    if (statement.startsWith(QStringLiteral("PRAGMA ")))
        return {};
    QString out = statement;
    out.replace(QStringLiteral("INTEGER PRIMARY KEY"),
                QStringLiteral("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
    out.replace(QRegularExpression(QStringLiteral("\\bINTEGER\\b")), QStringLiteral("BIGINT"));
    out.replace(QRegularExpression(QStringLiteral("\\bBLOB\\b")), QStringLiteral("BYTEA"));
    out.replace(QStringLiteral(" WITHOUT ROWID"), QString());
    return out;
}

} // namespace kp
