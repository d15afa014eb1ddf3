#include "kafka/groupwire.h"

#include "kafka/wire/brokerconnection.h"
#include "kafka/wire/groupmessages.h"
#include "kafka/wire/wirebuffer.h"

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <unordered_map>

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

bool coordinatorMoved(int16_t code)
{
    return code == 14 || code == 15 || code == 16; // COORDINATOR_LOAD_IN_PROGRESS, _NOT_AVAILABLE, NOT_COORDINATOR
}

// A classic group as DescribeGroups describes it; a member whose assignment bytes cannot be read is named.
void fillClassic(ConsumerGroup &g, const wire::DescribedGroup &d, int32_t coordinator, std::vector<Problem> &problems)
{
    g.state = d.state.empty() ? "Unknown" : d.state;
    g.simple = d.protocolType.empty();
    g.protocol = d.protocolData;
    g.coordinator = coordinator;
    g.members.clear();
    for (const auto &m : d.members) {
        GroupMember mem;
        mem.memberId = m.memberId;
        mem.groupInstanceId = m.groupInstanceId;
        mem.clientId = m.clientId;
        mem.host = m.clientHost;
        if (d.protocolType == "consumer") {
            try {
                for (const auto &tp : wire::decodeConsumerAssignment(m.assignment))
                    mem.assignment.push_back({tp.topic, tp.partition});
            } catch (const wire::ProtocolError &e) {
                mem.assignment.clear();
                problems.push_back({"groups", "group " + g.groupId,
                                    "member " + m.memberId + ": its assignment cannot be read (" + e.what() +
                                        "): partitions unknown"});
            }
        }
        std::sort(mem.assignment.begin(), mem.assignment.end());
        g.members.push_back(std::move(mem));
    }
}

// What one coordinator said of its classic groups: problems, and the groups it no longer coordinates.
struct ClassicAnswer
{
    std::vector<Problem> problems;
    std::vector<ConsumerGroup *> moved;
};

ClassicAnswer describeClassicAt(const ConnectionProfile &profile, const BrokerAddress *b,
                                const std::vector<ConsumerGroup *> &groups, size_t batch, int timeoutMs,
                                const std::atomic<bool> *cancel, const std::function<void(size_t)> &described)
{
    ClassicAnswer out;
    auto failAll = [&](const std::string &why) {
        for (ConsumerGroup *g : groups)
            out.problems.push_back({"groups", "group " + g->groupId, why + " (state and members unknown)"});
        return out;
    };
    if (!b)
        return failAll("DescribeGroups: its coordinator is not among the brokers");
    std::unordered_map<std::string, ConsumerGroup *> byId;
    for (ConsumerGroup *g : groups)
        byId[g->groupId] = g;
    try {
        wire::BrokerConnection conn(profile, b->host, b->port, timeoutMs, cancel);
        conn.open();
        const int16_t version = wire::pickVersion(conn.apiVersions(), wire::kDescribeGroups, 3, 4);
        if (version < 0)
            return failAll("DescribeGroups: " + brokerName(*b) + " offers neither version 3 nor 4");
        std::vector<std::string> bodies;
        for (size_t i = 0; i < groups.size(); i += batch) {
            std::vector<std::string> ids;
            for (size_t k = i; k < std::min(groups.size(), i + batch); ++k)
                ids.push_back(groups[k]->groupId);
            bodies.push_back(wire::encodeDescribeGroupsRequest(version, ids));
        }
        std::set<ConsumerGroup *> answered;
        for (const std::string &body : conn.callAll(wire::kDescribeGroups, version, bodies)) {
            const auto descriptions = wire::decodeDescribeGroupsResponse(version, body);
            for (const auto &d : descriptions) {
                auto it = byId.find(d.groupId);
                if (it == byId.end() || !answered.insert(it->second).second)
                    continue;
                ConsumerGroup &g = *it->second;
                if (coordinatorMoved(d.errorCode)) {
                    out.moved.push_back(&g);
                } else if (d.errorCode == 30) {
                    g.error = wire::errorName(d.errorCode);
                    out.problems.push_back({"groups", "group " + g.groupId,
                                            "not authorized: DescribeGroups needs Describe on the group (state and "
                                            "members unknown)"});
                } else if (d.errorCode != 0) {
                    g.error = wire::errorName(d.errorCode);
                    out.problems.push_back(
                        {"groups", "group " + g.groupId,
                         "DescribeGroups on " + brokerName(*b) + ": " + g.error + " (state and members unknown)"});
                } else {
                    fillClassic(g, d, b->id, out.problems);
                }
            }
            if (described)
                described(descriptions.size());
        }
        for (ConsumerGroup *g : groups)
            if (!answered.count(g))
                out.problems.push_back(
                    {"groups", "group " + g->groupId,
                     "DescribeGroups on " + brokerName(*b) + " did not answer for it (state and members unknown)"});
    } catch (const std::exception &e) {
        out.moved.clear();
        return failAll("DescribeGroups on " + brokerName(*b) + " failed: " + e.what());
    }
    return out;
}

std::vector<Problem> describeClassicRound(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                          const std::map<int32_t, std::vector<ConsumerGroup *>> &byCoordinator,
                                          size_t batch, int timeoutMs, const std::atomic<bool> *cancel,
                                          const std::function<void(size_t)> &described,
                                          std::vector<ConsumerGroup *> &moved)
{
    std::vector<std::future<ClassicAnswer>> futures;
    for (const auto &[coordinator, held] : byCoordinator)
        futures.push_back(std::async(std::launch::async, describeClassicAt, std::cref(profile),
                                     findBroker(brokers, coordinator), held, batch, timeoutMs, cancel,
                                     std::cref(described)));
    std::vector<Problem> problems;
    for (auto &f : futures) {
        ClassicAnswer a = f.get();
        problems.insert(problems.end(), a.problems.begin(), a.problems.end());
        moved.insert(moved.end(), a.moved.begin(), a.moved.end());
    }
    return problems;
}

} // namespace

std::vector<Problem> describeClassicGroups(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                           const std::vector<ConsumerGroup *> &groups, size_t batch, int timeoutMs,
                                           const std::atomic<bool> *cancel,
                                           const std::function<void(size_t)> &described)
{
    batch = std::max<size_t>(1, batch);
    std::map<int32_t, std::vector<ConsumerGroup *>> byCoordinator;
    for (ConsumerGroup *g : groups)
        byCoordinator[g->coordinator].push_back(g);
    std::vector<ConsumerGroup *> moved;
    std::vector<Problem> problems =
        describeClassicRound(profile, brokers, byCoordinator, batch, timeoutMs, cancel, described, moved);
    if (moved.empty())
        return problems;
    // Asked once more where FindCoordinator places them; still moving after that is a problem.
    const auto placed = findCoordinators(profile, brokers, moved, timeoutMs, cancel);
    std::vector<ConsumerGroup *> movedAgain;
    for (auto &p : describeClassicRound(profile, brokers, placed, batch, timeoutMs, cancel, described, movedAgain))
        problems.push_back(std::move(p));
    for (ConsumerGroup *g : moved) {
        const bool wasPlaced = std::any_of(placed.begin(), placed.end(), [g](const auto &entry) {
            return std::find(entry.second.begin(), entry.second.end(), g) != entry.second.end();
        });
        if (!wasPlaced || std::find(movedAgain.begin(), movedAgain.end(), g) != movedAgain.end())
            problems.push_back({"groups", "group " + g->groupId,
                                "DescribeGroups: its coordinator is moving (state and members unknown)"});
    }
    return problems;
}

std::map<int32_t, std::vector<ConsumerGroup *>> findCoordinators(const ConnectionProfile &profile,
                                                                 const std::vector<BrokerAddress> &brokers,
                                                                 const std::vector<ConsumerGroup *> &groups,
                                                                 int timeoutMs, const std::atomic<bool> *cancel)
{
    std::map<int32_t, std::vector<ConsumerGroup *>> out;
    for (const auto &b : brokers) {
        try {
            wire::BrokerConnection conn(profile, b.host, b.port, timeoutMs, cancel);
            conn.open();
            std::vector<std::string> bodies;
            for (const ConsumerGroup *g : groups)
                bodies.push_back(wire::encodeFindCoordinatorRequest(g->groupId));
            const auto answers = conn.callAll(wire::kFindCoordinator, 2, bodies);
            for (size_t i = 0; i < groups.size(); ++i) {
                const auto fc = wire::decodeFindCoordinatorResponse(answers[i]);
                if (fc.errorCode == 0) {
                    groups[i]->coordinator = fc.nodeId;
                    out[fc.nodeId].push_back(groups[i]);
                }
            }
            return out;
        } catch (const std::exception &) {
            out.clear();
            continue; // the next broker
        }
    }
    return out;
}

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
