#pragma once

#include "models/clustersnapshot.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

// Reassignment plans from a snapshot's real layout, read-only: given a goal (add brokers, remove a broker, fix
// rack-awareness violations, even out replicas), a new assignment that meets it while copying as few bytes as the
// greedy search finds (the smallest partitions move first), rack-aware (a partition's replicas on distinct racks where
// the cluster has enough, else as evenly as it can), and what it costs: replicas and bytes per broker, bytes per AZ
// pair, time under Kafka's replication throttle. The same snapshot and goal give the same plan.
namespace kp {

struct NewBroker
{
    int32_t id = -1;
    std::string rack;
};

enum class ReassignGoalKind { AddBrokers, RemoveBroker, FixRacks, Balance };

struct ReassignGoal
{
    ReassignGoalKind kind = ReassignGoalKind::Balance;
    std::vector<NewBroker> add; // AddBrokers
    int32_t remove = -1;        // RemoveBroker
};

struct PartitionMove
{
    std::string topic;
    int32_t partition = 0;
    std::vector<int32_t> before, after;   // replica lists, the preferred leader first
    int32_t source = -1;                  // the leader the new replicas copy from
    int64_t bytes = -1;                   // copied to each new replica (the partition's size); -1: not known
    std::vector<int32_t> added() const;   // in `after`, not in `before`
    std::vector<int32_t> removed() const; // in `before`, not in `after`
};

struct BrokerMovement
{
    std::string rack;
    int64_t replicasBefore = 0, replicasAfter = 0;
    int64_t leadersBefore = 0, leadersAfter = 0; // preferred leaders (first replicas)
    int64_t replicasIn = 0, replicasOut = 0;     // replicas added to it, removed from it
    int64_t bytesIn = 0;                         // copied to it as a new follower; -1: some of it not known
    int64_t bytesOut = 0; // sent by it as the leader the new replicas copy from; -1: some not known
};

struct ReassignmentPlan
{
    std::vector<PartitionMove> moves; // by topic, partition
    std::map<int32_t, BrokerMovement> brokers;
    // Bytes copied from the source's rack to the new replica's rack (both may be equal: no AZ crossed).
    std::map<std::pair<std::string, std::string>, int64_t> bytesByRacks;
    int64_t replicasMoved = 0;       // new replicas to copy
    int64_t bytesMoved = 0;          // of the replicas whose size is known
    int64_t replicasUnknownSize = 0; // new replicas of partitions whose size is not known
    bool bytesKnown() const { return replicasUnknownSize == 0; }
    int64_t crossAzBytes() const; // bytes between different (known) racks
};

// The plan, or std::invalid_argument naming why the goal cannot be met (a broker to remove that is not there, or whose
// removal leaves fewer brokers than a topic's replication factor; a new broker id that holds replicas already or was
// registered on another rack, or on a rack no broker of the cluster has; a goal on a snapshot without brokers). Every
// goal ends by spreading preferred leaders (first replicas) over the brokers, which copies nothing.
ReassignmentPlan planReassignment(const ClusterSnapshot &snapshot, const ReassignGoal &goal);

// The layout once the plan is done: the moved partitions' replicas (in sync, the preferred replica leading, as after a
// preferred leader election), each new replica holding the copied bytes (unknown sizes stay unknown), the replicas
// that leave gone, and the new brokers listed.
ClusterSnapshot snapshotAfter(const ClusterSnapshot &before, const ReassignmentPlan &plan);

// The plan as kafka-reassign-partitions.sh --execute takes it: {"version": 1, "partitions": [{"topic", "partition",
// "replicas"}]}, the moved partitions only.
std::string reassignmentJson(const ReassignmentPlan &plan);

// The command that applies (`execute`, with the throttle in bytes per second) or checks (`verify`) the reassignment
// in `file` with Kafka's own tool: kafka-reassign-partitions.sh --bootstrap-server ... --reassignment-json-file FILE.
std::string reassignmentCommand(const std::string &bootstrap, const std::string &file, bool execute,
                                double throttleBytesPerSecond);

// Seconds to copy the plan at Kafka's replication throttle of `bytesPerSecond` per broker (leader.replication.
// throttled.rate for what a broker sends, follower.replication.throttled.rate for what it receives: the slowest
// broker's larger side); -1 when some sizes are not known, 0 for an empty plan.
double secondsAtThrottle(const ReassignmentPlan &plan, double bytesPerSecond);

} // namespace kp
