#pragma once

#include "kafka/brokeraddress.h"
#include "models/clustersnapshot.h"
#include "models/connectionprofile.h"

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

// Consumer-group requests that go over the app's own wire client: ListGroups on every broker (v5 names each group's
// type: classic, consumer (KIP-848), share, streams), and ConsumerGroupDescribe (API 69) at each coordinator for the
// groups of the consumer protocol, which librdkafka's DescribeConsumerGroups does not describe before 2.10, and
// DescribeGroups for the classic groups, many a request (librdkafka asks each group's coordinator on its own path).
namespace kp {

// Every group of the cluster with its type, state and coordinator (the broker that listed it), and one message per
// broker that could not be asked, naming it.
struct GroupListing
{
    std::vector<ConsumerGroup> groups; // sorted by id; only groupId, type, state, coordinator set
    std::vector<std::string> brokerErrors;
};
GroupListing listGroupsOnEveryBroker(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                     int timeoutMs, const std::atomic<bool> *cancel);

// Fills state, epochs, assignor and members of consumer-protocol groups from their coordinators, all coordinators in
// parallel. Returns a problem (step "groups") for each group that could not be described.
std::vector<Problem> describeConsumerProtocolGroups(const ConnectionProfile &profile,
                                                    const std::vector<BrokerAddress> &brokers,
                                                    const std::vector<ConsumerGroup *> &groups, int timeoutMs,
                                                    const std::atomic<bool> *cancel);

// Fills state, protocol, assignor and members of classic groups (DescribeGroups v3/v4, `batch` groups a request, a
// coordinator's requests pipelined on one connection, coordinators in parallel). A group whose coordinator moved is
// asked again where FindCoordinator says. `described` is called (from the coordinators' threads) with the number of
// groups each answer covered. Returns a problem (step "groups") for each group that could not be described.
std::vector<Problem> describeClassicGroups(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                           const std::vector<ConsumerGroup *> &groups, size_t batch, int timeoutMs,
                                           const std::atomic<bool> *cancel,
                                           const std::function<void(size_t)> &described);

// Asks FindCoordinator (v2) of the first broker that answers for each group; the groups by their coordinator. A
// group no broker could place is left out.
std::map<int32_t, std::vector<ConsumerGroup *>> findCoordinators(const ConnectionProfile &profile,
                                                                 const std::vector<BrokerAddress> &brokers,
                                                                 const std::vector<ConsumerGroup *> &groups,
                                                                 int timeoutMs, const std::atomic<bool> *cancel);

// Whether a group of this type is asked with the classic DescribeGroups, and whether it commits offsets that
// OffsetFetch reads (share groups keep theirs elsewhere).
bool describedAsClassic(const ConsumerGroup &g);
bool hasCommittedOffsets(const ConsumerGroup &g);

} // namespace kp
