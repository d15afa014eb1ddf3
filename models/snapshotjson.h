#pragma once

#include "models/clustersnapshot.h"

#include <nlohmann/json_fwd.hpp>
#include <string>

// The versioned *.kpsnap.json format (documented in README.md, "Snapshot files").
namespace kp {

inline constexpr const char *kSnapshotFormatName = "kafka-planner-snapshot";

nlohmann::json snapshotToJson(const ClusterSnapshot &snapshot);

// A group's members as the snapshot file writes them (KIP-848 members with their epoch and target assignment).
nlohmann::json membersToJson(const ConsumerGroup &group);

// Throws FormatError naming the JSON path and what is wrong ("topics[2].partitions[0].leader: expected an integer").
ClusterSnapshot snapshotFromJson(const nlohmann::json &json);

// File helpers: errors name the file. Writing goes to a temporary file that replaces the target only when complete.
ClusterSnapshot loadSnapshotFile(const std::string &path);
void saveSnapshotFile(const ClusterSnapshot &snapshot, const std::string &path);

std::string formatIsoTime(int64_t epochMillis);

} // namespace kp
