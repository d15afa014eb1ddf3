#pragma once

#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kp {

// Readiness reviews in the store: one JSON document (reviewToJson) per name, with the revision each save counts up.
class ReviewStore
{
public:
    struct Stored
    {
        std::string document;
        int64_t revision = 0;
    };
    explicit ReviewStore(Database &db) : m_db(db) {}
    std::vector<std::string> names() const;
    std::optional<Stored> load(const std::string &name) const;
    // Saves `document` over revision `basedOn` (0: a review new to the store) and returns the new revision. Throws
    // StoreConflict, writing nothing, when the stored revision is another (someone saved meanwhile, or made a review
    // of that name), and StoreError.
    int64_t save(const std::string &name, const std::string &document, int64_t basedOn);
    bool remove(const std::string &name);

private:
    Database &m_db;
};

} // namespace kp
