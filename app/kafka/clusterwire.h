#pragma once

#include "kafka/brokeraddress.h"
#include "kafka/wire/metadatamessages.h"
#include "models/connectionprofile.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

// The cluster's shape read over the app's own wire client, so that one frozen broker costs nothing but its own
// answers: which bootstrap servers answer (all asked at once), Metadata with topic ids from a broker that answers,
// and DescribeConfigs of topics at a live broker and of each broker at itself.
namespace kp {

// "host:port" entries of a bootstrap list ("[::1]:9092" keeps its brackets off the host); malformed ones are left out.
std::vector<BrokerAddress> bootstrapAddresses(const std::string &bootstrap);

// Asks every bootstrap server at once for Metadata of no topic. Ends at the first answer plus `graceMs` (for the
// others to answer too), or when all have failed, or at the timeout or cancel flag. Returns those that answered,
// fastest first (ids -1: bootstrap entries).
std::vector<BrokerAddress> raceBootstrap(const ConnectionProfile &profile, int timeoutMs, int graceMs,
                                         const std::atomic<bool> *cancel);

// Metadata of every topic, asked of each broker in `preferred` order until one answers; none when none did.
std::optional<wire::MetadataResponse> metadataFromFirst(const ConnectionProfile &profile,
                                                        const std::vector<BrokerAddress> &preferred, int timeoutMs,
                                                        const std::atomic<bool> *cancel);

// DescribeConfigs (v4, only `keys`) for many resources of one kind, in batches pipelined on one connection, at each
// broker of `brokers` in turn until one answers. `silent` is true when a failure was a broker accepting the
// connection but not answering (it need not be asked again in the same collection).
struct ConfigsAnswer
{
    std::vector<wire::ConfigResourceResult> results;
    std::string error; // empty when some broker answered every batch, else the last broker's failure
    bool silent = false;
};
ConfigsAnswer describeConfigsAtFirst(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                     const std::vector<wire::ConfigResourceRequest> &resources,
                                     const std::vector<std::string> &keys, size_t batch, int timeoutMs,
                                     const std::atomic<bool> *cancel);

} // namespace kp
