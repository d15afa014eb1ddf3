#pragma once

#include <QString>
#include <optional>

namespace kp {

// Profile secrets in the system keyring (QtKeychain). Where no keyring answers, nothing is written anywhere: the
// caller asks the user and keeps the secret in memory only. Blocking (runs a local event loop): call it from a
// worker thread or the CLI, not from a GUI slot.
class SecretStore
{
public:
    struct Result
    {
        bool ok = false;
        QString error; // why the keyring could not be used
    };

    static Result write(const QString &profile, const QString &key, const QString &secret);
    static std::optional<QString> read(const QString &profile, const QString &key, QString *error = nullptr);
    static Result remove(const QString &profile, const QString &key);
};

} // namespace kp
