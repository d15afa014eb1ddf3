#pragma once

#include "models/clustersnapshot.h"
#include "models/jsonwriter.h"

#include <nlohmann/json_fwd.hpp>
#include <string>

// The versioned *.kpsnap.json format (documented in README.md, "Snapshot files").
namespace kp {

inline constexpr const char *kSnapshotFormatName = "kafka-planner-snapshot";

// The snapshot file's text (a newline at its end), written as it goes: at 50,000 partitions several times faster and
// smaller in memory than building the document first. Keys sorted, indent 1: what nlohmann's dump(1) would write.
std::string snapshotJsonText(const ClusterSnapshot &snapshot);
void appendSnapshotJson(std::string &out, const ClusterSnapshot &snapshot); // the same, no newline
// The same document as a tree (parsed from the text: one definition of the format).
nlohmann::json snapshotToJson(const ClusterSnapshot &snapshot);

// A group's members as the snapshot file writes them (KIP-848 members with their epoch and target assignment).
void writeMembersJson(JsonWriter &w, const ConsumerGroup &group);
// The snapshot's problems as the file writes them (step, subject, message).
void writeProblemsJson(JsonWriter &w, const std::vector<Problem> &problems);

// Throws FormatError naming the JSON path and what is wrong ("topics[2].partitions[0].leader: expected an integer").
ClusterSnapshot snapshotFromJson(const nlohmann::json &json);

// File helpers: errors name the file. Writing goes to a temporary file that replaces the target only when complete.
ClusterSnapshot loadSnapshotFile(const std::string &path);
void saveSnapshotFile(const ClusterSnapshot &snapshot, const std::string &path);

std::string formatIsoTime(int64_t epochMillis);

} // namespace kp
