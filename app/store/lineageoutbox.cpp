#include "store/lineageoutbox.h"

#include "models/qtstrings.h"

#include <QSqlError>
#include <QSqlQuery>

namespace kp {

namespace {

void execOrFail(Database &db, QSqlQuery &q)
{
    if (!q.exec())
        db.fail(q);
}

} // namespace

void LineageOutbox::enqueue(const TrainingRun &run, const LineageSend &send, int64_t nowMs)
{
    if (!send.any())
        return;
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("INSERT INTO lineage_outbox (run, event_type, endpoint, body, created_at) "
                             "VALUES (?, ?, ?, ?, ?)"));
    for (const LineageEventType type : send.events) {
        q.addBindValue(qint64(run.id));
        q.addBindValue(QString::fromLatin1(toString(type)));
        q.addBindValue(qs(send.endpoint));
        q.addBindValue(qs(lineageEvent(run, type, send.jobNamespace)));
        q.addBindValue(qint64(nowMs));
        execOrFail(m_db, q);
    }
}

std::vector<QueuedLineageEvent> LineageOutbox::select(const QString &where, const QVariantList &values) const
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("SELECT id, run, event_type, endpoint, body, created_at, sent_at, attempts, last_error "
                             "FROM lineage_outbox WHERE ") +
              where + QStringLiteral(" ORDER BY id"));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        m_db.fail(q);
    std::vector<QueuedLineageEvent> out;
    while (q.next()) {
        QueuedLineageEvent e;
        e.id = q.value(0).toLongLong();
        e.run = q.value(1).toLongLong();
        e.type = q.value(2).toString().toStdString();
        e.endpoint = q.value(3).toString().toStdString();
        e.body = q.value(4).toString().toStdString();
        e.createdAtMs = q.value(5).toLongLong();
        e.sentAtMs = q.value(6).toLongLong();
        e.attempts = q.value(7).toInt();
        e.lastError = q.value(8).toString().toStdString();
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<QueuedLineageEvent> LineageOutbox::pending() const
{
    return select(QStringLiteral("sent_at < 0"), {});
}

std::vector<QueuedLineageEvent> LineageOutbox::eventsOf(int64_t runId) const
{
    return select(QStringLiteral("run = ?"), {qint64(runId)});
}

std::map<int64_t, int> LineageOutbox::pendingPerRun() const
{
    QSqlQuery q(m_db.db());
    if (!q.exec(QStringLiteral("SELECT run, COUNT(*) FROM lineage_outbox WHERE sent_at < 0 GROUP BY run")))
        m_db.fail(q);
    std::map<int64_t, int> out;
    while (q.next())
        out[q.value(0).toLongLong()] = q.value(1).toInt();
    return out;
}

void LineageOutbox::markSent(int64_t eventId, int64_t atMs)
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("UPDATE lineage_outbox SET sent_at = ?, attempts = attempts + 1, last_error = '' "
                             "WHERE id = ?"));
    q.addBindValue(qint64(atMs));
    q.addBindValue(qint64(eventId));
    execOrFail(m_db, q);
}

void LineageOutbox::markFailed(int64_t eventId, const std::string &error)
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("UPDATE lineage_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?"));
    q.addBindValue(qs(error));
    q.addBindValue(qint64(eventId));
    execOrFail(m_db, q);
}

} // namespace kp
