#include "services/profileservice.h"

#include "store/database.h"
#include "store/profilestore.h"
#include "store/secretstore.h"

namespace kp {

namespace {

const QString kSecretKey = QStringLiteral("password"); // the keyring entry's key, for passwords and client secrets

} // namespace

std::vector<ConnectionProfile> ProfileService::list() const
{
    Database db(m_dbPath);
    return ProfileStore(db).list();
}

std::optional<ConnectionProfile> ProfileService::find(const std::string &name, bool withSecret,
                                                      QString *keyringError) const
{
    Database db(m_dbPath);
    std::optional<ConnectionProfile> profile = ProfileStore(db).find(name);
    if (profile && withSecret && profile->hasSecret())
        if (auto secret = SecretStore::read(QString::fromStdString(name), kSecretKey, keyringError))
            profile->password = secret->toStdString();
    return profile;
}

QString ProfileService::save(const ConnectionProfile &profile) const
{
    {
        Database db(m_dbPath);
        ProfileStore(db).save(profile);
    }
    if (profile.password.empty())
        return {};
    const auto r =
        SecretStore::write(QString::fromStdString(profile.name), kSecretKey, QString::fromStdString(profile.password));
    return r.ok ? QString() : r.error;
}

bool ProfileService::remove(const std::string &name) const
{
    Database db(m_dbPath);
    if (!ProfileStore(db).remove(name))
        return false;
    SecretStore::remove(QString::fromStdString(name), kSecretKey);
    return true;
}

} // namespace kp
