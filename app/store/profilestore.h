#pragma once

#include "models/connectionprofile.h"
#include "store/database.h"

#include <optional>
#include <vector>

namespace kp {

// Connection profiles in the SQLite store. Secrets are not stored here: see SecretStore.
class ProfileStore
{
public:
    explicit ProfileStore(Database &db) : m_db(db) {}

    std::vector<ConnectionProfile> list() const;
    std::optional<ConnectionProfile> find(const std::string &name) const;
    void save(const ConnectionProfile &profile); // insert or replace by name; throws StoreError
    bool remove(const std::string &name);

private:
    Database &m_db;
};

} // namespace kp
