#pragma once

#include "kafka/brokeraddress.h"
#include "models/clustersnapshot.h"
#include "models/connectionprofile.h"

#include <atomic>
#include <set>
#include <string>
#include <vector>

// Tiered storage (KIP-405) seen from the brokers: for every partition of a topic with remote.storage.enable=true, the
// first offset still in the leader's local log (ListOffsets with timestamp -4, EARLIEST_LOCAL, KIP-1005), asked over
// the app's own wire client (librdkafka sends no ListOffsets version that knows -4), every leader in parallel.
namespace kp {

// Sets PartitionInfo::localLogStartOffset of the tiered topics' partitions; returns what could not be read (step
// "tieredOffsets"). Leaders in `notAsked` (brokers that did not answer earlier) are not asked; `why` says so.
struct SkippedBrokers
{
    std::set<int32_t> ids;
    std::string why;
};
std::vector<Problem> readLocalLogStarts(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                        ClusterSnapshot &snapshot, int timeoutMs, const std::atomic<bool> *cancel,
                                        const SkippedBrokers &notAsked = {});

} // namespace kp
