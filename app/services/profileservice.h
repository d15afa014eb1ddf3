#pragma once

// Connection profiles with their secrets, for the command line and the window alike: the profile lives in the store,
// its secret (a password, or an OIDC client secret) only in the keyring, never in the store's file. Every call blocks
// (the store's file, the keyring over D-Bus): the window makes its calls off the GUI thread.

#include "models/connectionprofile.h"

#include <QString>
#include <optional>
#include <string>
#include <vector>

namespace kp {

class ProfileService
{
public:
    explicit ProfileService(QString dbPath) : m_dbPath(std::move(dbPath)) {}

    std::vector<ConnectionProfile> list() const; // without secrets
    // The profile named `name`; with `withSecret`, its secret from the keyring where it has one and the keyring gives
    // it (else the password stays empty and `keyringError`, when given, says why).
    std::optional<ConnectionProfile> find(const std::string &name, bool withSecret = false,
                                          QString *keyringError = nullptr) const;
    // Saves the profile (never its secret) and puts its secret, if any, in the keyring. Returns why the keyring
    // refused the secret (then it is asked for when needed), or an empty string. StoreError when the store fails.
    QString save(const ConnectionProfile &profile) const;
    // Removes the profile and its secret; false when there was no such profile.
    bool remove(const std::string &name) const;

    const QString &dbPath() const { return m_dbPath; }

private:
    QString m_dbPath;
};

} // namespace kp
