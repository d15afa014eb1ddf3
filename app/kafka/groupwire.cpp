#include "kafka/groupwire.h"

#include "kafka/wire/brokerconnection.h"

#include <algorithm>
#include <future>
#include <map>

namespace kp {

namespace {

struct BrokerGroups
{
    std::vector<wire::ListedGroup> groups;
    std::string error;
};

BrokerGroups listOn(const ConnectionProfile &profile, const BrokerAddress &b, int timeoutMs,
                    const std::atomic<bool> *cancel)
{
    try {
        wire::BrokerConnection conn(profile, b.host, b.port, timeoutMs, cancel);
        conn.open();
        const int16_t version = wire::pickVersion(conn.apiVersions(), wire::kListGroups, 3, 5);
        if (version < 0)
            return {{}, "ListGroups on " + brokerName(b) + ": the broker offers no version from 3 to 5"};
        const wire::ListGroupsResponse r = wire::decodeListGroupsResponse(
            version, conn.call(wire::kListGroups, version, wire::encodeListGroupsRequest(version)));
        if (r.errorCode != 0)
            return {{}, "ListGroups on " + brokerName(b) + " failed: " + wire::errorName(r.errorCode)};
        return {r.groups, {}};
    } catch (const std::exception &e) {
        return {{}, "ListGroups on " + brokerName(b) + " failed: " + e.what()};
    }
}

std::vector<TopicPartition> partitionsOf(const std::vector<wire::AssignedPartitions> &assigned)
{
    std::vector<TopicPartition> out;
    for (const auto &a : assigned)
        for (int32_t p : a.partitions)
            out.push_back({a.topic, p});
    std::sort(out.begin(), out.end());
    return out;
}

void fill(ConsumerGroup &g, const wire::ConsumerGroupDescription &d)
{
    g.state = d.state;
    g.groupEpoch = d.groupEpoch;
    g.assignmentEpoch = d.assignmentEpoch;
    g.protocol = d.assignor;
    g.members.clear();
    for (const auto &m : d.members) {
        GroupMember mem;
        mem.memberId = m.memberId;
        mem.groupInstanceId = m.instanceId.value_or(std::string());
        mem.clientId = m.clientId;
        mem.host = m.clientHost;
        mem.rackId = m.rackId.value_or(std::string());
        mem.memberEpoch = m.memberEpoch;
        mem.assignment = partitionsOf(m.assignment);
        mem.targetAssignment = partitionsOf(m.targetAssignment);
        g.members.push_back(std::move(mem));
    }
    std::sort(g.members.begin(), g.members.end(),
              [](const GroupMember &a, const GroupMember &b) { return a.memberId < b.memberId; });
}

// Describes the groups one coordinator holds; returns a problem for each it could not.
std::vector<Problem> describeAt(const ConnectionProfile &profile, const BrokerAddress *b,
                                const std::vector<ConsumerGroup *> &groups, int timeoutMs,
                                const std::atomic<bool> *cancel)
{
    std::vector<Problem> errors;
    auto failAll = [&](const std::string &why) {
        for (ConsumerGroup *g : groups)
            errors.push_back({"groups", "group " + g->groupId, why});
        return errors;
    };
    if (!b)
        return failAll("ConsumerGroupDescribe: its coordinator is not among the brokers (state and members unknown)");
    try {
        wire::BrokerConnection conn(profile, b->host, b->port, timeoutMs, cancel);
        conn.open();
        const int16_t version = wire::pickVersion(conn.apiVersions(), wire::kConsumerGroupDescribe, 0, 1);
        if (version < 0)
            return failAll("ConsumerGroupDescribe: " + brokerName(*b) +
                           " does not offer it (state and members unknown)");
        std::vector<std::string> ids;
        for (const ConsumerGroup *g : groups)
            ids.push_back(g->groupId);
        const auto described = wire::decodeConsumerGroupDescribeResponse(
            version, conn.call(wire::kConsumerGroupDescribe, version, wire::encodeConsumerGroupDescribeRequest(ids)));
        for (ConsumerGroup *g : groups) {
            auto it = std::find_if(described.begin(), described.end(),
                                   [g](const wire::ConsumerGroupDescription &d) { return d.groupId == g->groupId; });
            if (it == described.end()) {
                errors.push_back({"groups", "group " + g->groupId,
                                  "ConsumerGroupDescribe on " + brokerName(*b) +
                                      " did not answer for it (state and members unknown)"});
            } else if (it->errorCode == 69) {
                // GROUP_ID_NOT_FOUND: deleted since it was listed. Dead, as DescribeGroups says of such a group.
                g->state = "Dead";
            } else if (it->errorCode != 0) {
                g->error = wire::errorName(it->errorCode);
                errors.push_back({"groups", "group " + g->groupId,
                                  "ConsumerGroupDescribe on " + brokerName(*b) + ": " + wire::errorName(it->errorCode) +
                                      (it->errorMessage.empty() ? std::string() : " (" + it->errorMessage + ")") +
                                      " (state and members unknown)"});
            } else {
                fill(*g, *it);
            }
        }
    } catch (const std::exception &e) {
        return failAll("ConsumerGroupDescribe on " + brokerName(*b) + " failed: " + e.what() +
                       " (state and members unknown)");
    }
    return errors;
}

} // namespace

GroupListing listGroupsOnEveryBroker(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                     int timeoutMs, const std::atomic<bool> *cancel)
{
    std::vector<std::future<BrokerGroups>> futures;
    for (const auto &b : brokers)
        futures.push_back(std::async(std::launch::async, listOn, std::cref(profile), std::cref(b), timeoutMs, cancel));
    GroupListing out;
    std::map<std::string, ConsumerGroup> byId;
    for (size_t i = 0; i < brokers.size(); ++i) {
        BrokerGroups answer = futures[i].get();
        if (!answer.error.empty())
            out.brokerErrors.push_back(answer.error + " (groups coordinated there are missing)");
        for (auto &listed : answer.groups) {
            ConsumerGroup &g = byId[listed.groupId];
            g.groupId = listed.groupId;
            g.type = listed.type;
            g.state = listed.state.empty() ? "Unknown" : listed.state;
            g.coordinator = brokers[i].id;
        }
    }
    for (auto &[id, g] : byId)
        out.groups.push_back(std::move(g));
    return out;
}

std::vector<Problem> describeConsumerProtocolGroups(const ConnectionProfile &profile,
                                                    const std::vector<BrokerAddress> &brokers,
                                                    const std::vector<ConsumerGroup *> &groups, int timeoutMs,
                                                    const std::atomic<bool> *cancel)
{
    std::map<int32_t, std::vector<ConsumerGroup *>> byCoordinator;
    for (ConsumerGroup *g : groups)
        byCoordinator[g->coordinator].push_back(g);
    std::vector<std::future<std::vector<Problem>>> futures;
    for (const auto &[coordinator, held] : byCoordinator)
        futures.push_back(std::async(std::launch::async, describeAt, std::cref(profile),
                                     findBroker(brokers, coordinator), held, timeoutMs, cancel));
    std::vector<Problem> errors;
    for (auto &f : futures)
        for (auto &e : f.get())
            errors.push_back(std::move(e));
    return errors;
}

bool describedAsClassic(const ConsumerGroup &g)
{
    return g.type.empty() || g.type == "classic";
}

bool hasCommittedOffsets(const ConsumerGroup &g)
{
    return g.type != "share";
}

} // namespace kp
