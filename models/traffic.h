#pragma once

#include "models/clustersnapshot.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

// Cross-AZ traffic from the real placement and measured rates: three flows (producers -> leaders, leader ->
// follower replication, consumers <- leaders or followers) as AZ x AZ matrices of bytes/s, a per-topic breakdown, and
// what switching follower fetching on would save. Each flow says which assumption it used for client AZs.
namespace kp {

// A client address block and the AZ it sits in ("10.1.0.0/16" -> "us-east-1a"). IPv4 and IPv6.
struct ClientAzRule
{
    std::string cidr;
    std::string az;
};

// The AZ of a client host ("/10.1.2.3" as Kafka reports members, or "10.1.2.3"), or "" when no rule matches.
// Throws std::invalid_argument for a malformed CIDR in the rules.
std::string clientAz(const std::vector<ClientAzRule> &rules, const std::string &host);
void validateClientAzRules(const std::vector<ClientAzRule> &rules); // throws std::invalid_argument naming the rule
// "10.1.0.0/16=az-a, 10.2.0.0/16=az-b" and back. Parsing never throws: a part without "=" becomes a rule with an empty
// AZ, which validateClientAzRules then names.
std::vector<ClientAzRule> parseClientAzRules(const std::string &text);
std::string formatClientAzRules(const std::vector<ClientAzRule> &rules);

struct FlowMatrix
{
    // bytes[from][to] in bytes/s; the diagonal is same-AZ traffic (free).
    std::map<std::string, std::map<std::string, double>> bytes;
    double crossAz() const;
    double total() const;
    void add(const std::string &from, const std::string &to, double bytesPerSecond)
    {
        bytes[from][to] += bytesPerSecond;
    }
};

struct TopicTraffic
{
    double produced = 0;     // bytes/s written by producers
    double produceCross = 0; // cross-AZ bytes/s of each flow
    double replicationCross = 0;
    double consumeCross = 0;
    double crossAz() const { return produceCross + replicationCross + consumeCross; }
};

// Bytes produced per second by partition (the Layout's colours): shared read-only between the Lag and Layout pages.
using PartitionRates = std::map<TopicPartition, double>;
using PartitionRatesPtr = std::shared_ptr<const PartitionRates>;

struct TrafficInputs
{
    std::map<TopicPartition, double> produceBytesPerSecond; // per partition, from the history
    // Per group and partition: bytes/s read (consume rate x bytes per message); from the history.
    std::map<std::string, std::map<TopicPartition, double>> consumeBytesPerSecond;
    std::vector<ClientAzRule> clientAzs;
};

struct Traffic
{
    std::vector<std::string> azs; // the racks of the brokers, sorted
    FlowMatrix produce, replication, consume;
    std::string produceAssumption, consumeAssumption, replicationBasis;
    std::map<std::string, TopicTraffic> topics;
    bool followerFetching = false; // a broker has replica.selector.class = ...RackAwareReplicaSelector
    std::string followerFetchingDetail;
    // Consume cross-AZ bytes/s if follower fetching were on (and consumers set client.rack); equal to the current
    // figure when it is on already.
    double consumeCrossWithFollowerFetching = 0;
    int64_t partitionsWithoutRate = 0; // online partitions with no measured rate (taken as 0)
    bool racksKnown = false;

    double crossAz() const { return produce.crossAz() + replication.crossAz() + consume.crossAz(); }
};

// Follower fetching (KIP-392) is on for a broker whose replica.selector.class is Kafka's RackAwareReplicaSelector.
bool rackAwareSelector(const BrokerInfo &broker);
bool followerFetchingConfigured(const ClusterSnapshot &snapshot); // on any broker

Traffic computeTraffic(const ClusterSnapshot &snapshot, const TrafficInputs &inputs);

// Money: bytes/s kept up for a month (730 h, as cloud bills count) at a price per GB crossing (GB = 10^9 bytes, or
// GiB when `perGiB`).
double monthlyCost(double bytesPerSecond, double pricePerUnit, bool perGiB, double hoursPerMonth = 730);

} // namespace kp
