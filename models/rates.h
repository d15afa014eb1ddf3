#pragma once

#include "models/clustersnapshot.h"
#include "models/lagevaluator.h"

#include <map>
#include <span>
#include <string>
#include <vector>

// Rates from history: produce rate per partition, topic, broker (as leader) and rack; consume rate per group.
namespace kp {

struct SizedPoint
{
    int64_t timeMs = 0;
    int64_t endOffset = -1;
    int64_t sizeBytes = -1; // -1: unknown
};

struct Rate
{
    double messagesPerSecond = 0;
    double bytesPerSecond = 0;
    bool known = false;      // at least two points a positive time apart
    bool bytesKnown = false; // a size was known, to turn messages into bytes
};

// Over the points' span (first to last, after any offset reset). Bytes/s use the average record size on disk at the
// last point (size / messages retained), which retention and compaction do not distort as a size difference would.
Rate produceRate(std::span<const SizedPoint> points, int64_t retainedMessages);
// Where the series starts over: the index of its last drop of the end offset (a topic recreated or truncated), 0 when
// none.
size_t lastResetOf(std::span<const SizedPoint> points);
double consumeRate(std::span<const CommitPoint> commits); // messages/s; 0 with fewer than two commits

struct RateTotals
{
    std::map<TopicPartition, Rate> partitions;
    std::map<std::string, Rate> topics;
    std::map<int32_t, Rate> brokers; // by current leader: the bytes a broker takes in from producers
    std::map<std::string, Rate> racks;
};

// Sums per-partition rates over the snapshot's current placement.
RateTotals aggregateRates(const ClusterSnapshot &current, const std::map<TopicPartition, Rate> &partitions);

} // namespace kp
