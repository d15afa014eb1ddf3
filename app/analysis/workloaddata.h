#pragma once

#include "models/clustersnapshot.h"
#include "models/costmodel.h"
#include "store/samplestore.h"

// The planner's workload from a snapshot and its recorded history (ends with the snapshot, see appendSnapshot).
namespace kp {

// writeMBps: the produce rate over the history; peakWriteMBps: the busiest interval between two samples;
// retentionHours and replicationFactor: weighted by each topic's bytes on disk; consumerGroups: groups per produced
// byte, rounded; partitions: user topics'; azs: racks; storedGB: replica bytes on disk. Internal topics are left out.
Workload workloadFrom(const ClusterSnapshot &now, const SampleStore::History &history);

// What workloadFrom reads of the history, the least a read of it need hold for the same workload: every end offset
// but the inside of unchanged runs (the busiest interval), each commit series' first and last point (a consume rate).
// An hour of 50,000 partitions read with every point held hundreds of megabytes.
HistoryShape workloadHistoryShape();

// The tiered topics' local retention in hours (local.retention.ms; -2 takes the topic's retention.ms), weighted by
// each topic's bytes (local and remote); -1 when no tiered topic has a finite one.
double localRetentionHoursFrom(const ClusterSnapshot &now);

} // namespace kp
