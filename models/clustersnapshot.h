#pragma once

#include "models/internedstring.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

// An immutable picture of one Kafka cluster at one moment. Plain value types: the collector fills them on its
// worker thread, then they are shared read-only (std::shared_ptr<const ClusterSnapshot>) with views and the store.
namespace kp {

using ConfigMap = std::map<std::string, std::string>;

struct LogDirInfo
{
    std::string path;
    std::string error;       // empty when the directory is healthy
    int64_t totalBytes = -1; // -1: the broker does not say (DescribeLogDirs < v4)
    int64_t usableBytes = -1;
};

// One replica's size on disk, from DescribeLogDirs.
struct ReplicaSize
{
    int32_t broker = -1;
    std::string logDir;
    int64_t sizeBytes = -1;
    int64_t offsetLag = -1; // how far this replica is behind the leader's end (0 for the leader)
    bool future = false;    // a replica being moved between log dirs
};

struct BrokerInfo
{
    int32_t id = -1;
    std::string host;
    int32_t port = 0;
    std::string rack; // empty when unknown (see rackKnown)
    bool rackKnown = false;
    ConfigMap configs; // only the keys that matter for planning (brokerConfigKeys())
    std::vector<LogDirInfo> logDirs;
    bool logDirsKnown = false;
};

struct PartitionInfo
{
    int32_t partition = -1;
    int32_t leader = -1; // -1: no leader (offline)
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
    std::string error;                     // metadata error for this partition, if any
    int64_t lowWatermark = -1;             // -1: unknown
    int64_t highWatermark = -1;            // -1: unknown
    std::vector<ReplicaSize> replicaSizes; // empty when log dirs could not be read
    // The sizes are estimates (offsets x bytes per offset of sampled record batches), not DescribeLogDirs figures.
    bool sizeEstimated = false;
    // Tiered topics (remote.storage.enable=true): the first offset still in the brokers' local logs (ListOffsets
    // EARLIEST_LOCAL, -4); the offsets from lowWatermark up to it live in the remote tier only. -1: not tiered, or
    // not known. replicaSizes are local bytes (DescribeLogDirs sees only the local log).
    int64_t localLogStartOffset = -1;

    // Offsets held in the remote tier only: 0 when none, -1 when not known.
    int64_t remoteOnlyOffsets() const;
    // Bytes per offset of the local log: its size over the offsets it holds (from the first local offset on a tiered
    // partition); -1 when not known or when the local log holds no offset.
    double localBytesPerOffset() const;

    // The partition's size: its leader's replica, else the largest replica; -1 when unknown.
    int64_t sizeBytes() const;
    bool offline() const { return leader < 0; }
    bool underReplicated() const { return isr.size() < replicas.size(); }
    bool watermarksKnown() const { return lowWatermark >= 0 && highWatermark >= 0; }
};

struct TopicInfo
{
    std::string name;
    std::string
        topicId; // as kafka-topics.sh prints it (Metadata v10+), empty when unknown; a recreated topic has a new one
    bool internal = false;
    std::string error;
    std::vector<PartitionInfo> partitions;
    ConfigMap configs; // only topicConfigKeys(); empty when they could not be read
    bool configsKnown = false;

    // Partitions are sorted by number and usually dense: index first, then a search. Null when absent.
    const PartitionInfo *findPartition(int32_t partition) const;
    PartitionInfo *findPartition(int32_t partition)
    {
        return const_cast<PartitionInfo *>(std::as_const(*this).findPartition(partition));
    }

    int replicationFactor() const { return partitions.empty() ? 0 : int(partitions.front().replicas.size()); }
    // Messages between the low and high watermarks over all partitions; -1 when any partition's are unknown.
    int64_t messageCount() const;
    // Sum of partition sizes (one copy), and of every replica on disk; -1 when any partition's is unknown.
    int64_t sizeBytes() const;
    int64_t replicatedBytes() const;
    int64_t underReplicatedCount() const;
    bool sizeEstimated() const; // any partition's size is an estimate
    bool tiered() const;        // remote.storage.enable=true
    // Tiered topics: bytes per offset of record batches read from the remote tier (a sample of the first batches of
    // up to three partitions); -1 when not sampled.
    double remoteBytesPerOffset = -1;
    // Offsets in the remote tier only, summed over partitions; -1 when any partition's is not known.
    int64_t remoteOnlyOffsets() const;
    // Their bytes, estimated: remote-only offsets x the sampled remote bytes per offset, else x the partition's local
    // bytes per offset. An estimate (no Kafka API tells remote sizes); -1 when not known.
    int64_t remoteBytesEstimate() const;
    int64_t offlineCount() const;
};

struct TopicPartition
{
    std::string topic;
    int32_t partition = -1;
    friend bool operator==(const TopicPartition &, const TopicPartition &) = default;
    friend auto operator<=>(const TopicPartition &, const TopicPartition &) = default;
};

struct GroupMember
{
    std::string memberId;
    std::string groupInstanceId;
    std::string clientId;
    std::string host;
    std::vector<TopicPartition> assignment;
    // Consumer-protocol (KIP-848) members only: the epoch, the rack the client declares, and the assignment the group
    // is moving the member to (equal to `assignment` once it has reconciled).
    int32_t memberEpoch = -1; // -1: a classic member, or not known
    std::string rackId{};
    std::vector<TopicPartition> targetAssignment{};
};

// One line for a person: "client (host) epoch 7: orders-0 orders-1", and "(moving to N partition(s))" while a
// KIP-848 member's target assignment differs from what it holds.
std::string describeMember(const GroupMember &m);

// A million of these on a cluster with 10,000 groups, in every snapshot copy: 48 bytes, the texts interned.
struct GroupOffset
{
    InternedString topic;
    int32_t partition = -1;
    int64_t committed = -1;     // -1: no committed offset
    int64_t highWatermark = -1; // copied from the topic at collection time; -1 unknown
    int64_t lag = -1;           // highWatermark - committed, -1 when either is unknown
    InternedString error;       // empty when the broker gave none
};

struct ConsumerGroup
{
    std::string groupId;
    std::string
        state; // Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, Unknown; KIP-848: Assigning, Reconciling
    // The group's type as the broker names it (ListGroups v5): "classic", "consumer" (the KIP-848 protocol), "share",
    // "streams" or a newer one; empty when the broker does not say (before Kafka 3.7).
    std::string type;
    int32_t groupEpoch = -1;      // consumer-protocol groups: the group epoch; -1 otherwise
    int32_t assignmentEpoch = -1; // consumer-protocol groups: the epoch of the target assignment; -1 otherwise
    bool simple = false;
    std::string protocol; // partition assignor
    int32_t coordinator = -1;
    std::vector<GroupMember> members;
    std::vector<GroupOffset> offsets;
    bool offsetsKnown = false;
    std::string error;

    int64_t totalLag() const; // sum of known lags
    int64_t unknownLagCount() const;
};

struct StepTiming
{
    std::string step;
    int64_t millis = 0;
    bool ok = true;
};

// Something the snapshot could not read, said so that a person can act on it.
struct Problem
{
    std::string step;    // metadata, brokerConfigs, topicConfigs, watermarks, tieredOffsets, groups, groupOffsets
    std::string subject; // "broker 2", "topic orders", "group kp-lagging", "" for the whole step
    std::string message;
};

// Where a snapshot came from: collected from a cluster now (live: a history can be sampled, records read), read from a
// snapshot file, or the bundled demo. Never written to a snapshot file (a file read back is a file).
enum class SnapshotSource { Live, File, Demo };

struct ClusterSnapshot
{
    static constexpr int kFormatVersion = 2; // 2 added log dirs and replica sizes

    std::string clusterId;
    std::string bootstrap;
    SnapshotSource source = SnapshotSource::File;
    int64_t takenAtMs = 0;  // epoch milliseconds
    int64_t durationMs = 0; // how long the whole collection took
    std::vector<BrokerInfo> brokers;
    std::vector<TopicInfo> topics;
    std::vector<ConsumerGroup> groups;
    std::vector<StepTiming> timings;
    std::vector<Problem> problems;

    bool partial() const { return !problems.empty(); }
    const BrokerInfo *broker(int32_t id) const;
    std::set<std::string> racks() const; // the brokers' racks where known, each once
    const TopicInfo *topic(const std::string &name) const;
    TopicInfo *topic(const std::string &name) { return const_cast<TopicInfo *>(std::as_const(*this).topic(name)); }
    const ConsumerGroup *group(const std::string &id) const;
    int partitionCount() const;
    int64_t replicaCount() const;
    bool sizesEstimated() const; // any partition's size is an estimate
};

// A snapshot shared between threads and pages: immutable once collected.
using SnapshotPtr = std::shared_ptr<const ClusterSnapshot>;

// Replica and leader counts per broker, and partition health, over a whole snapshot.
struct LayoutTotals
{
    std::map<int32_t, int64_t> replicasByBroker;
    std::map<int32_t, int64_t> leadersByBroker;
    std::map<int32_t, int64_t> bytesByBroker;   // replica bytes on each broker, where log dirs were read
    std::map<std::string, int64_t> bytesByRack; // the same by the broker's rack ("?" where the rack is unknown)
    int64_t underReplicated = 0;                // online partitions with an ISR smaller than their replica set
    int64_t offline = 0;                        // partitions without a leader
    bool bytesEstimated = false;                // some of the bytes are estimates
};
LayoutTotals layoutTotals(const ClusterSnapshot &snapshot);

// The config keys the snapshot keeps. Everything else is dropped at collection time.
const std::vector<std::string> &topicConfigKeys();
const std::vector<std::string> &brokerConfigKeys();

// `full` brought up to date with a light sample of the same cluster: watermarks, sizes where the sample has them,
// groups (when the sample read them) and the time; placement, configs and racks stay those of `full`.
ClusterSnapshot withSample(const ClusterSnapshot &full, const ClusterSnapshot &sample);

// Fills GroupOffset::highWatermark and ::lag from the topics' high watermarks.
void computeLag(ClusterSnapshot &snapshot);

} // namespace kp
