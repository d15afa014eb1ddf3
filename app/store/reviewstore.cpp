#include "store/reviewstore.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace kp {

namespace {

[[noreturn]] void fail(const Database &db, const QSqlQuery &q)
{
    throw StoreError(db.path().toStdString() + ": " + q.lastError().text().toStdString());
}

} // namespace

std::vector<std::string> ReviewStore::names() const
{
    QSqlQuery q(m_db.db());
    if (!q.exec(QStringLiteral("SELECT name FROM reviews ORDER BY updated_at DESC")))
        fail(m_db, q);
    std::vector<std::string> out;
    while (q.next())
        out.push_back(q.value(0).toString().toStdString());
    return out;
}

std::optional<std::string> ReviewStore::load(const std::string &name) const
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("SELECT document FROM reviews WHERE name = ?"));
    q.addBindValue(QString::fromStdString(name));
    if (!q.exec())
        fail(m_db, q);
    if (!q.next())
        return std::nullopt;
    return q.value(0).toString().toStdString();
}

void ReviewStore::save(const std::string &name, const std::string &document)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("INSERT INTO reviews (name, document, created_at, updated_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT(name) DO UPDATE SET document = excluded.document, "
                             "updated_at = excluded.updated_at"));
    q.addBindValue(QString::fromStdString(name));
    q.addBindValue(QString::fromStdString(document));
    q.addBindValue(now);
    q.addBindValue(now);
    if (!q.exec())
        fail(m_db, q);
}

bool ReviewStore::remove(const std::string &name)
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("DELETE FROM reviews WHERE name = ?"));
    q.addBindValue(QString::fromStdString(name));
    if (!q.exec())
        fail(m_db, q);
    return q.numRowsAffected() > 0;
}

} // namespace kp
