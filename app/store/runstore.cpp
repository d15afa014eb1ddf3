#include "store/runstore.h"

#include "models/openlineage.h"
#include "models/qtstrings.h"
#include "store/lineageoutbox.h"

#include <QDateTime>

#include <QSqlError>
#include <QSqlQuery>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace kp {

namespace {

const char *kColumns =
    "id, job_id, model, cluster_id, bootstrap, basis, window_from, window_to, grp, started_at, "
    "finished_at, topics, schema_versions, transform_version, snapshot_ids, notes, revision, lineage_id";

TrainingRun fromRow(const QSqlQuery &q)
{
    TrainingRun r;
    r.id = q.value(0).toLongLong();
    r.jobId = q.value(1).toString().toStdString();
    r.model = q.value(2).toString().toStdString();
    r.clusterId = q.value(3).toString().toStdString();
    r.bootstrap = q.value(4).toString().toStdString();
    r.basis = q.value(5).toString() == QStringLiteral("group") ? RunBasis::GroupOffsets : RunBasis::TimeWindow;
    r.windowFromMs = q.value(6).toLongLong();
    r.windowToMs = q.value(7).toLongLong();
    r.group = q.value(8).toString().toStdString();
    r.startedAtMs = q.value(9).toLongLong();
    r.finishedAtMs = q.value(10).toLongLong();
    // Written by this class only; a damaged value reads as empty rather than failing the whole list.
    auto parse = [](const QVariant &v) { return nlohmann::json::parse(v.toString().toStdString(), nullptr, false); };
    if (auto j = parse(q.value(11)); j.is_array())
        for (const auto &t : j)
            if (t.is_string())
                r.topics.push_back(t.get<std::string>());
    if (auto j = parse(q.value(12)); j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it)
            if (it->is_string())
                r.schemaVersions[it.key()] = it->get<std::string>();
    r.transformVersion = q.value(13).toString().toStdString();
    r.revision = q.value(16).toLongLong();
    if (auto j = parse(q.value(14)); j.is_array())
        for (const auto &t : j)
            if (t.is_string())
                r.snapshotIds.push_back(t.get<std::string>());
    r.notes = q.value(15).toString().toStdString();
    r.lineageId = q.value(17).toString().toStdString();
    if (r.lineageId.empty()) // stored before runs had one
        r.lineageId = legacyLineageRunId(r.clusterId, r.id);
    return r;
}

void bindRun(QSqlQuery &q, const TrainingRun &r)
{
    q.addBindValue(qs(r.jobId));
    q.addBindValue(qs(r.model));
    q.addBindValue(qs(r.clusterId));
    q.addBindValue(qs(r.bootstrap));
    q.addBindValue(r.basis == RunBasis::GroupOffsets ? QStringLiteral("group") : QStringLiteral("window"));
    q.addBindValue(qint64(r.windowFromMs));
    q.addBindValue(qint64(r.windowToMs));
    q.addBindValue(qs(r.group));
    q.addBindValue(qint64(r.startedAtMs));
    q.addBindValue(qint64(r.finishedAtMs));
    q.addBindValue(qs(nlohmann::json(r.topics).dump()));
    q.addBindValue(qs(nlohmann::json(r.schemaVersions).dump()));
    q.addBindValue(qs(r.transformVersion));
    q.addBindValue(qs(nlohmann::json(r.snapshotIds).dump()));
    q.addBindValue(qs(r.notes));
    q.addBindValue(qs(r.lineageId));
}

} // namespace

void RunStore::writeRanges(const TrainingRun &run)
{
    QSqlQuery del(m_db.db());
    del.prepare(QStringLiteral("DELETE FROM run_ranges WHERE run = ?"));
    del.addBindValue(qint64(run.id));
    if (!del.exec())
        m_db.fail(del);
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("INSERT INTO run_ranges (run, topic, partition, start_offset, end_offset, start_ms, "
                             "end_ms, bytes, start_clipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const auto &r : run.ranges) {
        q.addBindValue(qint64(run.id));
        q.addBindValue(qs(r.topic));
        q.addBindValue(r.partition);
        q.addBindValue(qint64(r.start));
        q.addBindValue(qint64(r.end));
        q.addBindValue(qint64(r.startTimeMs));
        q.addBindValue(qint64(r.endTimeMs));
        q.addBindValue(qint64(r.bytes));
        q.addBindValue(r.startClipped ? 1 : 0);
        if (!q.exec())
            m_db.fail(q);
    }
}

int64_t RunStore::add(TrainingRun run, const LineageSend &lineage)
{
    if (run.lineageId.empty()) // newRun gives one; a run built otherwise gets it here, before its events are queued
        run.lineageId = newLineageRunId(QDateTime::currentMSecsSinceEpoch());
    inTransaction([&] {
        QSqlQuery q(m_db.db());
        q.prepare(QStringLiteral(
            "INSERT INTO runs (job_id, model, cluster_id, bootstrap, basis, window_from, "
            "window_to, grp, started_at, finished_at, topics, schema_versions, transform_version, "
            "snapshot_ids, notes, lineage_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
        bindRun(q, run);
        if (!q.exec() || !q.next())
            m_db.fail(q);
        run.id = q.value(0).toLongLong();
        writeRanges(run);
        LineageOutbox(m_db).enqueue(run, lineage, QDateTime::currentMSecsSinceEpoch());
    });
    return run.id;
}

void RunStore::update(const TrainingRun &run, const LineageSend &lineage)
{
    inTransaction([&] {
        QSqlQuery q(m_db.db());
        q.prepare(
            QStringLiteral("UPDATE runs SET job_id = ?, model = ?, cluster_id = ?, bootstrap = ?, basis = ?, "
                           "window_from = ?, window_to = ?, grp = ?, started_at = ?, finished_at = ?, topics = ?, "
                           "schema_versions = ?, transform_version = ?, snapshot_ids = ?, notes = ?, lineage_id = ?, "
                           "revision = revision + 1 WHERE id = ? AND revision = ?"));
        bindRun(q, run);
        q.addBindValue(qint64(run.id));
        q.addBindValue(qint64(run.revision));
        if (!q.exec())
            m_db.fail(q);
        if (q.numRowsAffected() != 1) {
            const auto stored = find(run.id);
            if (!stored)
                throw StoreError("no training run " + std::to_string(run.id));
            throw StoreConflict("training run " + std::to_string(run.id) + " was changed elsewhere since it was read " +
                                    "(revision " + std::to_string(run.revision) + ", now " +
                                    std::to_string(stored->revision) +
                                    (stored->basis == RunBasis::GroupOffsets && !stored->open() ? ", finished)" : ")") +
                                    "; nothing was written",
                                stored->revision);
        }
        writeRanges(run);
        LineageOutbox(m_db).enqueue(run, lineage, QDateTime::currentMSecsSinceEpoch());
    });
}

void RunStore::inTransaction(const std::function<void()> &work)
{
    auto error = [this] {
        return StoreError(m_db.path().toStdString() + ": " + m_db.db().lastError().text().toStdString());
    };
    m_db.beginWrite();
    try {
        work();
    } catch (...) {
        m_db.db().rollback();
        throw;
    }
    if (!m_db.db().commit())
        throw error();
}

std::vector<TrainingRun> RunStore::list() const
{
    QSqlQuery q(m_db.db());
    if (!q.exec(QStringLiteral("SELECT ") + QLatin1String(kColumns) + QStringLiteral(" FROM runs ORDER BY id DESC")))
        m_db.fail(q);
    std::vector<TrainingRun> out;
    while (q.next())
        out.push_back(fromRow(q));
    return out;
}

namespace {

OffsetRange rangeFromRow(const QSqlQuery &r, int first)
{
    OffsetRange o;
    o.topic = r.value(first).toString().toStdString();
    o.partition = r.value(first + 1).toInt();
    o.start = r.value(first + 2).toLongLong();
    o.end = r.value(first + 3).toLongLong();
    o.startTimeMs = r.value(first + 4).toLongLong();
    o.endTimeMs = r.value(first + 5).toLongLong();
    o.bytes = r.value(first + 6).toLongLong();
    o.startClipped = r.value(first + 7).toInt() != 0;
    return o;
}

const char *kRangeColumns = "topic, partition, start_offset, end_offset, start_ms, end_ms, bytes, start_clipped";

} // namespace

std::vector<TrainingRun> RunStore::all() const
{
    std::vector<TrainingRun> runs = list();
    std::unordered_map<int64_t, TrainingRun *> byId;
    for (auto &r : runs)
        byId[r.id] = &r;
    QSqlQuery q(m_db.db());
    if (!q.exec(QStringLiteral("SELECT run, ") + QLatin1String(kRangeColumns) +
                QStringLiteral(" FROM run_ranges ORDER BY run, topic, partition")))
        m_db.fail(q);
    while (q.next())
        if (auto it = byId.find(q.value(0).toLongLong()); it != byId.end())
            it->second->ranges.push_back(rangeFromRow(q, 1));
    return runs;
}

std::optional<TrainingRun> RunStore::find(int64_t id) const
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("SELECT ") + QLatin1String(kColumns) + QStringLiteral(" FROM runs WHERE id = ?"));
    q.addBindValue(qint64(id));
    if (!q.exec())
        m_db.fail(q);
    if (!q.next())
        return std::nullopt;
    TrainingRun run = fromRow(q);
    QSqlQuery r(m_db.db());
    r.prepare(QStringLiteral("SELECT ") + QLatin1String(kRangeColumns) +
              QStringLiteral(" FROM run_ranges WHERE run = ? ORDER BY topic, partition"));
    r.addBindValue(qint64(id));
    if (!r.exec())
        m_db.fail(r);
    while (r.next())
        run.ranges.push_back(rangeFromRow(r, 0));
    return run;
}

bool RunStore::remove(int64_t id)
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("DELETE FROM runs WHERE id = ?"));
    q.addBindValue(qint64(id));
    if (!q.exec())
        m_db.fail(q);
    return q.numRowsAffected() > 0;
}

} // namespace kp
