#pragma once

#include "kafka/kafkaclient.h"
#include "models/clustersnapshot.h"
#include "models/lineage.h"

#include <map>
#include <vector>

namespace kp {

// The first offset at or after a timestamp for many partitions, in batched ListOffsets requests (librdkafka's
// offsets_for_times sends one per leader for each list); never one request per partition.
struct OffsetAnswer
{
    int64_t offset = -1; // -1: no record at or after the timestamp (the partition's end)
    std::string error;   // empty when answered
};
std::map<TopicPartition, OffsetAnswer> offsetsForTimes(KafkaClient &client, const std::vector<TopicPartition> &parts,
                                                       int64_t timestampMs, int timeoutMs, size_t batch = 1000);

// A time-window run's ranges: every partition of its topics resolved at the window's start and end, bytes estimated
// from the snapshot. Throws std::runtime_error naming the partitions that did not answer and why.
void resolveWindowRun(TrainingRun &run, const ClusterSnapshot &snapshot, KafkaClient &client, int timeoutMs);

} // namespace kp
