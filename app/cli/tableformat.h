#pragma once

#include "clustersnapshot.h"
#include "costmodel.h"
#include "scenarios.h"
#include "traffic.h"

#include <string>

namespace kp::cli {

// Human-readable summaries for --format table.
std::string snapshotTable(const ClusterSnapshot &snapshot);
std::string lagTable(const ClusterSnapshot &snapshot, bool perPartition);
std::string planTable(const Plan &plan);
std::string scenariosTable(const std::vector<ScenarioResult> &scenarios);
std::string trafficTable(const Traffic &traffic, double pricePerGB, bool perGiB, const std::string &currency);

} // namespace kp::cli
