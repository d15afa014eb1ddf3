#pragma once

#include "models/lineage.h"
#include "store/database.h"

#include <functional>
#include <optional>
#include <vector>

namespace kp {

// Training runs and their offset ranges in the SQLite store.
class RunStore
{
public:
    explicit RunStore(Database &db) : m_db(db) {}

    int64_t add(TrainingRun run);                      // returns the new id; throws StoreError
    void update(const TrainingRun &run);               // replaces the run's fields and ranges, by id
    std::vector<TrainingRun> list() const;             // newest first, without ranges
    std::vector<TrainingRun> all() const;              // newest first, with their ranges (two queries)
    std::optional<TrainingRun> find(int64_t id) const; // with ranges
    bool remove(int64_t id);

private:
    void writeRanges(const TrainingRun &run);
    void inTransaction(const std::function<void()> &work);
    Database &m_db;
};

} // namespace kp
