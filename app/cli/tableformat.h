#pragma once

#include "kafka/recordtimes.h"
#include "models/clustersnapshot.h"
#include "models/costmodel.h"
#include "models/scenarios.h"
#include "models/traffic.h"

#include <string>

namespace kp::cli {

// Human-readable summaries for --format table.
std::string snapshotTable(const ClusterSnapshot &snapshot);
// With `times` (lag --time-lag): a TIME LAG column, each group's largest and each partition's, from the first records
// not consumed yet.
std::string lagTable(const ClusterSnapshot &snapshot, bool perPartition,
                     const std::map<PartitionOffset, RecordTime> *times = nullptr);
std::string planTable(const Plan &plan);
std::string scenariosTable(const std::vector<ScenarioResult> &scenarios);
std::string trafficTable(const Traffic &traffic, double pricePerGB, bool perGiB, const std::string &currency,
                         double hoursPerMonth);

} // namespace kp::cli
