#include "store/reviewstore.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace kp {

std::vector<std::string> ReviewStore::names() const
{
    QSqlQuery q(m_db.db());
    if (!q.exec(QStringLiteral("SELECT name FROM reviews ORDER BY updated_at DESC")))
        m_db.fail(q);
    std::vector<std::string> out;
    while (q.next())
        out.push_back(q.value(0).toString().toStdString());
    return out;
}

std::optional<ReviewStore::Stored> ReviewStore::load(const std::string &name) const
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("SELECT document, revision FROM reviews WHERE name = ?"));
    q.addBindValue(QString::fromStdString(name));
    if (!q.exec())
        m_db.fail(q);
    if (!q.next())
        return std::nullopt;
    return Stored{q.value(0).toString().toStdString(), q.value(1).toLongLong()};
}

int64_t ReviewStore::save(const std::string &name, const std::string &document, int64_t basedOn)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_db.db());
    if (basedOn == 0) {
        q.prepare(QStringLiteral("INSERT INTO reviews (name, document, created_at, updated_at, revision) "
                                 "VALUES (?, ?, ?, ?, 1) ON CONFLICT(name) DO NOTHING"));
        q.addBindValue(QString::fromStdString(name));
        q.addBindValue(QString::fromStdString(document));
        q.addBindValue(now);
        q.addBindValue(now);
    } else {
        q.prepare(QStringLiteral("UPDATE reviews SET document = ?, updated_at = ?, revision = revision + 1 "
                                 "WHERE name = ? AND revision = ?"));
        q.addBindValue(QString::fromStdString(document));
        q.addBindValue(now);
        q.addBindValue(QString::fromStdString(name));
        q.addBindValue(qint64(basedOn));
    }
    if (!q.exec())
        m_db.fail(q);
    if (q.numRowsAffected() == 1)
        return basedOn + 1;
    const auto stored = load(name);
    const int64_t revision = stored ? stored->revision : 0;
    throw StoreConflict(m_db.path().toStdString() + ": the review '" + name + "' was " +
                            (basedOn == 0 ? "made by someone else meanwhile (revision " + std::to_string(revision) + ")"
                             : revision == 0 ? "removed since revision " + std::to_string(basedOn)
                                             : "saved by someone else since revision " + std::to_string(basedOn) +
                                                   " (now " + std::to_string(revision) + ")"),
                        revision);
}

bool ReviewStore::remove(const std::string &name)
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("DELETE FROM reviews WHERE name = ?"));
    q.addBindValue(QString::fromStdString(name));
    if (!q.exec())
        m_db.fail(q);
    return q.numRowsAffected() > 0;
}

} // namespace kp
