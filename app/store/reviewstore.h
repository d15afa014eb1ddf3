#pragma once

#include "store/database.h"

#include <optional>
#include <string>
#include <vector>

namespace kp {

// Readiness reviews in the SQLite store: one JSON document (reviewToJson) per name.
class ReviewStore
{
public:
    explicit ReviewStore(Database &db) : m_db(db) {}
    std::vector<std::string> names() const;
    std::optional<std::string> load(const std::string &name) const;
    void save(const std::string &name, const std::string &document); // insert or replace; throws StoreError
    bool remove(const std::string &name);

private:
    Database &m_db;
};

} // namespace kp
