#pragma once

#include "models/clustersnapshot.h"
#include "models/connectionprofile.h"

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace kp {

// When the first record at or after an offset was written: what a consumer whose committed offset it is has not read
// yet. Its age is the consumer's time lag, also where no recorded history reaches back that far.
struct RecordTime
{
    int64_t offset = -1;      // the record found (past `offset` where records were compacted away or are markers)
    int64_t timestampMs = -1; // the record's timestamp (CreateTime or LogAppendTime, as the topic keeps it)
    std::string error;        // empty when found
};

using PartitionOffset = std::pair<TopicPartition, int64_t>;

// Reads one record at each offset with a consumer of its own that never joins a group and never commits (the legacy
// per-partition API; prefetch kept to one small fetch per partition). Several offsets of one partition (groups at
// different places) are read in turns. Offsets not answered within `timeoutMs` in all, or by the time `cancel` is set,
// get an error; offsets the log no longer holds say so. Throws std::runtime_error when the client cannot be created.
std::map<PartitionOffset, RecordTime> recordTimesAt(const ConnectionProfile &profile,
                                                    const std::set<PartitionOffset> &offsets, int timeoutMs,
                                                    const std::atomic<bool> *cancel = nullptr);

// A partition's time lag from the record read at its committed offset: 0 s when caught up; otherwise now minus the
// record's timestamp (never below 0: a producer's clock ahead of ours), or empty with `why`.
struct RecordTimeLag
{
    std::optional<double> seconds;
    const RecordTime *record = nullptr; // the record it came from
    std::string why;                    // when unknown
};
RecordTimeLag timeLagFromRecord(const TopicPartition &tp, int64_t committed, int64_t lag,
                                const std::map<PartitionOffset, RecordTime> &times, int64_t nowMs);

} // namespace kp
