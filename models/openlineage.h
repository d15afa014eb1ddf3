#pragma once

#include "models/lineage.h"

#include <string>

// OpenLineage RunEvents for training runs (spec 2-0-2): a START when a run is recorded and a COMPLETE when it ends
// (a time-window run ends as it is recorded: both at once). Inputs are the run's topics named as OpenLineage's naming
// spec names Kafka datasets (namespace kafka://{first bootstrap host}:{port}, name {topic}), each with the exact offset
// ranges read in the input facet kafkaPlanner_offsetRanges (docs/openlineage/); the output is the model (namespace
// "model", name the model or dataset name). The run id is the run's lineage id, a UUID (version 7 for new runs).
namespace kp {

enum class LineageEventType { Start, Complete };
const char *toString(LineageEventType t); // "START", "COMPLETE"

inline constexpr const char *kDefaultJobNamespace = "kafka-planner";

// kafka://HOST:PORT of the first server of a bootstrap list ("a:9092,b:9092" -> "kafka://a:9092").
std::string kafkaDatasetNamespace(const std::string &bootstrap);

// The event as JSON text (one line). `jobNamespace` empty: kDefaultJobNamespace. START's ranges carry their start
// offsets only while the run is open (a group run's end is not known yet); COMPLETE's carry both ends.
std::string lineageEvent(const TrainingRun &run, LineageEventType type, const std::string &jobNamespace);

// A new run's lineage id: a version 7 UUID (the time in ms, then random bits), as OpenLineage recommends.
std::string newLineageRunId(int64_t nowMs);
// A stable id for a run stored before runs had one (a version 5 UUID of the cluster id and the store's run id).
std::string legacyLineageRunId(const std::string &clusterId, int64_t runId);

} // namespace kp
