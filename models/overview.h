#pragma once

#include "models/clustersnapshot.h"

#include <cstdint>
#include <string>
#include <vector>

// What the Overview page shows, computed once per snapshot off the GUI thread: load per broker and per rack, partition
// health, rack-awareness violations, risky topics and skew.
namespace kp {

struct BrokerLoad
{
    int32_t id = -1;
    std::string rack; // "?" when unknown
    int64_t replicas = 0;
    int64_t leaders = 0;
    int64_t bytes = 0; // replica bytes on this broker (estimated when Overview::bytesEstimated)
    bool bytesKnown = false;
};

struct RackLoad
{
    std::string rack;
    int brokers = 0;
    int64_t replicas = 0;
    int64_t leaders = 0;
    int64_t bytes = 0;
};

struct PartitionRef
{
    std::string topic;
    int32_t partition = -1;
    std::string detail; // e.g. "ISR 1 of 3, min.insync.replicas 2" or "replicas 1, 4 both in us-east-1a"
};

struct TopicRisk
{
    std::string topic;
    int replicationFactor = 0;
    int minInsync = -1; // -1: unknown
    std::string reason;
};

// Skew of a count over brokers or racks: how far the most loaded one is above the mean, in percent:
// (max - mean) / mean x 100. For racks the count is taken per broker of the rack, so that a rack with more brokers is
// not called skewed for carrying more. 0 when balanced or when there is nothing to compare.
struct Skew
{
    double percent = 0;
    std::string worst; // "broker 3" or "rack us-east-1a"
};

struct Overview
{
    std::vector<BrokerLoad> brokers; // by rack, then id
    std::vector<RackLoad> racks;     // by name
    bool racksKnown = false;         // every broker's rack was read
    int64_t topics = 0;
    int64_t partitions = 0;
    int64_t replicas = 0;
    int64_t bytes = -1; // all replica bytes; -1 when no size is known
    bool bytesEstimated = false;
    std::vector<PartitionRef> underReplicated; // online, ISR smaller than the replica set
    std::vector<PartitionRef> underMinIsr; // online, ISR smaller than min.insync.replicas: producers with acks=all fail
    std::vector<PartitionRef> offline;     // no leader
    std::vector<PartitionRef> rackViolations;       // two replicas share a rack while the cluster has racks to spare
    std::vector<TopicRisk> riskyTopics;             // RF < 3 or min.insync.replicas < 2 (internal topics left out)
    std::vector<PartitionRef> tieredUploadsStalled; // see tieredUploadStall()
    Skew leaderSkewBrokers, replicaSkewBrokers, leaderSkewRacks, replicaSkewRacks;
};

Overview computeOverview(const ClusterSnapshot &snapshot);

// A tiered partition whose uploads to the remote tier appear to fail or to have fallen far behind: its local log
// holds more than its local retention in bytes plus three segments (the active one, one waiting for the next upload
// task, one of slack), which the brokers would have deleted had those segments reached the remote tier. The detail
// says how much, and whether anything reached the remote tier at all. No Kafka API reports failed uploads (only the
// brokers' RemoteLogManager logs and metrics), so this is read from what the partition keeps. Empty when it cannot
// tell: not tiered, configs or local size unknown or estimated, or a local retention by time only (the segments'
// ages are not known).
std::string tieredUploadStall(const TopicInfo &topic, const PartitionInfo &partition);
std::vector<PartitionRef> tieredUploadStalls(const ClusterSnapshot &snapshot);

// min.insync.replicas of a topic: its own config, else the brokers' default, else Kafka's default 1; -1 when neither
// the topic's nor any broker's configs were read.
int minInsyncReplicas(const ClusterSnapshot &snapshot, const TopicInfo &topic);

} // namespace kp
