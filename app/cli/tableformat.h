#pragma once

#include "clustersnapshot.h"

#include <string>

namespace kp::cli {

// Human-readable summaries for --format table.
std::string snapshotTable(const ClusterSnapshot &snapshot);
std::string lagTable(const ClusterSnapshot &snapshot, bool perPartition);

} // namespace kp::cli
