#include "store/postgres.h"

#include "store/database.h"
#include "store/schema.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

namespace kp {

namespace {

std::string msg(const QString &display, const QString &what)
{
    return QString(display + QStringLiteral(": ") + what).toStdString();
}

QSqlQuery run(QSqlDatabase &db, const QString &display, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q(db);
    bool ran = false;
    if (values.isEmpty()) {
        ran = q.exec(sql); // PostgreSQL prepares only SELECT, INSERT, UPDATE, DELETE and VALUES
    } else {
        q.prepare(sql);
        for (const auto &v : values)
            q.addBindValue(v);
        ran = q.exec();
    }
    if (!ran)
        throw StoreError(msg(display, q.lastError().text()));
    return q;
}

} // namespace

bool isPostgresLocation(const QString &location)
{
    return location.startsWith(QStringLiteral("postgresql://")) || location.startsWith(QStringLiteral("postgres://"));
}

QString postgresDisplayName(const QString &location)
{
    const QUrl url(location, QUrl::StrictMode);
    return url.isValid() ? url.toString(QUrl::RemovePassword) : QStringLiteral("the PostgreSQL URL");
}

PostgresLocation parsePostgresLocation(const QString &location)
{
    const QUrl url(location, QUrl::StrictMode);
    PostgresLocation where;
    where.display = postgresDisplayName(location);
    if (!url.isValid())
        throw StoreError(
            msg(where.display, QStringLiteral("not a valid URL (") + url.errorString() + QLatin1Char(')')));
    where.host = url.host();
    where.user = url.userName();
    where.password = url.password();
    where.port = url.port(5432);
    where.database = url.path().mid(1);
    if (where.host.isEmpty())
        throw StoreError(msg(where.display, QStringLiteral("no host (postgresql://user@host:port/dbname)")));
    if (where.database.isEmpty() || where.database.contains(QLatin1Char('/')))
        throw StoreError(msg(where.display, QStringLiteral("no database name (postgresql://user@host:port/dbname)")));
    if (where.port <= 0 || where.port > 65535)
        throw StoreError(msg(where.display, QStringLiteral("port out of range")));
    QStringList options{QStringLiteral("connect_timeout=10")};
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (key.isEmpty() || value.contains(QLatin1Char(';')) || value.contains(QLatin1Char('=')))
            throw StoreError(msg(where.display, QStringLiteral("option %1 cannot be passed on").arg(key)));
        if (key == QStringLiteral("connect_timeout"))
            options.removeFirst();
        options << key + QLatin1Char('=') + value;
    }
    where.options = options.join(QLatin1Char(';'));
    return where;
}

void openPostgres(QSqlDatabase &db, const PostgresLocation &where)
{
    if (!db.isValid())
        throw StoreError(msg(where.display, QStringLiteral("Qt's PostgreSQL driver (QPSQL) is not installed; on "
                                                           "Debian: apt install libqt6sql6-psql")));
    db.setHostName(where.host);
    db.setPort(where.port);
    db.setDatabaseName(where.database);
    db.setUserName(where.user);
    if (!where.password.isEmpty())
        db.setPassword(where.password);
    db.setConnectOptions(where.options);
    if (!db.open())
        throw StoreError(
            msg(where.display,
                QStringLiteral("cannot connect: ") +
                    (db.lastError().databaseText().isEmpty() ? db.lastError().text() : db.lastError().databaseText())
                        .simplified()));
    // Notices ("relation already exists, skipping") are not for the user.
    run(db, where.display, QStringLiteral("SET client_min_messages TO warning"));
}

int postgresSchemaVersion(QSqlDatabase &db, const QString &display)
{
    QSqlQuery q = run(db, display,
                      QStringLiteral("SELECT to_regclass('kp_schema') IS NOT NULL, (SELECT count(*) FROM pg_tables "
                                     "WHERE schemaname = current_schema())"));
    q.next();
    const bool ours = q.value(0).toBool();
    const int tables = q.value(1).toInt();
    q.finish();
    if (!ours) {
        if (tables > 0)
            throw StoreError(msg(display, QStringLiteral("a PostgreSQL database of another application (%1 tables, "
                                                         "none of them kp_schema); nothing was changed")
                                              .arg(tables)));
        return 0;
    }
    q = run(db, display, QStringLiteral("SELECT application, version FROM kp_schema"));
    if (!q.next() || q.value(0).toString() != QLatin1String(kStoreApplicationName))
        throw StoreError(msg(display, QStringLiteral("its kp_schema table does not name Kafka Planner; nothing was "
                                                     "changed")));
    return q.value(1).toInt();
}

void lockPostgresForWrite(QSqlDatabase &db, const QString &display)
{
    run(db, display, QStringLiteral("SELECT pg_advisory_xact_lock(?)"), {qlonglong(kStoreApplicationId)});
}

void setPostgresSchemaVersion(QSqlDatabase &db, const QString &display, int version)
{
    run(db, display,
        QStringLiteral("CREATE TABLE IF NOT EXISTS kp_schema (application TEXT NOT NULL, version INTEGER NOT NULL)"));
    run(db, display, QStringLiteral("DELETE FROM kp_schema"));
    run(db, display, QStringLiteral("INSERT INTO kp_schema (application, version) VALUES (?, ?)"),
        {QString::fromLatin1(kStoreApplicationName), version});
}

} // namespace kp
