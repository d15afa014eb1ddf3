#pragma once

#include "models/lineage.h"
#include "store/database.h"
#include "store/lineageoutbox.h"

#include <functional>
#include <optional>
#include <vector>

namespace kp {

// Training runs and their offset ranges in the store, and the OpenLineage events they queue (store/lineageoutbox.h).
class RunStore
{
public:
    explicit RunStore(Database &db) : m_db(db) {}

    // Returns the new id; throws StoreError. The events `lineage` names are queued in the same transaction.
    int64_t add(TrainingRun run, const LineageSend &lineage = {});
    // Replaces the run's fields and ranges, by id, and queues `lineage`'s events; StoreConflict when the stored run's
    // revision is not run.revision (nothing written).
    void update(const TrainingRun &run, const LineageSend &lineage = {});
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
