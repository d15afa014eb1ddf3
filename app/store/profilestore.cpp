#include "store/profilestore.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <nlohmann/json.hpp>

namespace kp {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

ConnectionProfile fromRow(const QSqlQuery &r)
{
    ConnectionProfile p;
    p.name = r.value(0).toString().toStdString();
    p.bootstrap = r.value(1).toString().toStdString();
    p.securityProtocol = r.value(2).toString().toStdString();
    p.saslMechanism = r.value(3).toString().toStdString();
    p.username = r.value(4).toString().toStdString();
    p.sslCaLocation = r.value(5).toString().toStdString();
    p.sslCertLocation = r.value(6).toString().toStdString();
    p.sslKeyLocation = r.value(7).toString().toStdString();
    const auto extra = nlohmann::json::parse(r.value(8).toString().toStdString(), nullptr, false);
    if (extra.is_object())
        for (auto it = extra.begin(); it != extra.end(); ++it)
            if (it.value().is_string())
                p.extra[it.key()] = it.value().get<std::string>();
    p.timeoutMs = r.value(9).toInt();
    const auto azs = nlohmann::json::parse(r.value(10).toString().toStdString(), nullptr, false);
    if (azs.is_array())
        for (const auto &rule : azs)
            if (rule.is_object() && rule.value("cidr", nlohmann::json()).is_string() &&
                rule.value("az", nlohmann::json()).is_string())
                p.clientAzs.push_back({rule["cidr"].get<std::string>(), rule["az"].get<std::string>()});
    return p;
}

const char *kColumns = "name, bootstrap, security_protocol, sasl_mechanism, username, ssl_ca, ssl_cert, ssl_key, "
                       "extra_json, timeout_ms, client_azs";

} // namespace

std::vector<ConnectionProfile> ProfileStore::list() const
{
    QSqlQuery query(m_db.db());
    if (!query.exec(QStringLiteral("SELECT ") + QLatin1String(kColumns) +
                    QStringLiteral(" FROM profiles ORDER BY name")))
        throw StoreError(query.lastError().text().toStdString());
    std::vector<ConnectionProfile> out;
    while (query.next())
        out.push_back(fromRow(query));
    return out;
}

std::optional<ConnectionProfile> ProfileStore::find(const std::string &name) const
{
    QSqlQuery query(m_db.db());
    query.prepare(QStringLiteral("SELECT ") + QLatin1String(kColumns) +
                  QStringLiteral(" FROM profiles WHERE name = ?"));
    query.addBindValue(q(name));
    if (!query.exec())
        throw StoreError(query.lastError().text().toStdString());
    if (!query.next())
        return std::nullopt;
    return fromRow(query);
}

void ProfileStore::save(const ConnectionProfile &p)
{
    if (auto err = p.validate(); !err.empty())
        throw StoreError("profile '" + p.name + "': " + err);
    nlohmann::json extra = nlohmann::json::object();
    for (const auto &[k, v] : p.extra) {
        // Secrets never land in this file, even when they come in as extra properties.
        if (k.find("password") != std::string::npos || k.find("secret") != std::string::npos)
            throw StoreError("profile '" + p.name + "': extra property " + k +
                             " looks like a secret; it is kept in the keyring, not in the profile");
        extra[k] = v;
    }
    nlohmann::json azs = nlohmann::json::array();
    for (const auto &r : p.clientAzs)
        azs.push_back({{"cidr", r.cidr}, {"az", r.az}});
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(m_db.db());
    query.prepare(QStringLiteral(
        "INSERT INTO profiles (name, bootstrap, security_protocol, sasl_mechanism, username, ssl_ca, ssl_cert, "
        "ssl_key, extra_json, timeout_ms, created_at, updated_at, client_azs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(name) DO UPDATE SET bootstrap=excluded.bootstrap, security_protocol=excluded.security_protocol, "
        "sasl_mechanism=excluded.sasl_mechanism, username=excluded.username, ssl_ca=excluded.ssl_ca, "
        "ssl_cert=excluded.ssl_cert, ssl_key=excluded.ssl_key, extra_json=excluded.extra_json, "
        "timeout_ms=excluded.timeout_ms, updated_at=excluded.updated_at, client_azs=excluded.client_azs"));
    for (const auto &v : {q(p.name), q(p.bootstrap), q(p.securityProtocol), q(p.saslMechanism), q(p.username),
                          q(p.sslCaLocation), q(p.sslCertLocation), q(p.sslKeyLocation), q(extra.dump())})
        query.addBindValue(v);
    query.addBindValue(p.timeoutMs);
    query.addBindValue(now);
    query.addBindValue(now);
    query.addBindValue(q(azs.dump()));
    if (!query.exec())
        throw StoreError("profile '" + p.name + "': " + query.lastError().text().toStdString());
}

bool ProfileStore::remove(const std::string &name)
{
    QSqlQuery query(m_db.db());
    query.prepare(QStringLiteral("DELETE FROM profiles WHERE name = ?"));
    query.addBindValue(q(name));
    if (!query.exec())
        throw StoreError(query.lastError().text().toStdString());
    return query.numRowsAffected() > 0;
}

} // namespace kp
