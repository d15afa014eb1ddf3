#include "kafka/tieredoffsets.h"

#include "kafka/wire/brokerconnection.h"

#include <algorithm>
#include <future>
#include <map>

namespace kp {

namespace {

struct LeaderAnswer
{
    std::vector<wire::ListOffsetsPartitionResponse> partitions;
    std::string error;
};

LeaderAnswer askLeader(const ConnectionProfile &profile, const BrokerAddress &b,
                       const std::vector<wire::ListOffsetsPartitionRequest> &partitions, int timeoutMs,
                       const std::atomic<bool> *cancel)
{
    const std::string name = brokerName(b);
    try {
        wire::BrokerConnection conn(profile, b.host, b.port, timeoutMs, cancel);
        conn.open();
        const int16_t version = wire::pickVersion(conn.apiVersions(), wire::kListOffsets, 8, 9);
        if (version < 0)
            return {{}, name + " offers no ListOffsets version 8 or later (Kafka 3.7+ knows EARLIEST_LOCAL)"};
        return {
            wire::decodeListOffsetsResponse(
                version, conn.call(wire::kListOffsets, version,
                                   wire::encodeListOffsetsRequest(version, partitions, wire::kEarliestLocalTimestamp))),
            {}};
    } catch (const std::exception &e) {
        return {{}, "ListOffsets on " + name + " failed: " + e.what()};
    }
}

} // namespace

std::vector<Problem> readLocalLogStarts(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                        ClusterSnapshot &snapshot, int timeoutMs, const std::atomic<bool> *cancel)
{
    std::map<int32_t, std::vector<wire::ListOffsetsPartitionRequest>> byLeader;
    std::vector<Problem> problems;
    for (const auto &t : snapshot.topics) {
        if (!t.tiered())
            continue;
        for (const auto &p : t.partitions)
            if (!p.offline())
                byLeader[p.leader].push_back({t.name, p.partition});
    }
    std::vector<std::pair<int32_t, std::future<LeaderAnswer>>> futures;
    for (const auto &[leader, partitions] : byLeader) {
        const BrokerAddress *b = findBroker(brokers, leader);
        if (!b) {
            problems.push_back(
                {"tieredOffsets", std::to_string(partitions.size()) + " partition(s)",
                 "their leader " + std::to_string(leader) + " is not among the brokers (local log start unknown)"});
            continue;
        }
        futures.emplace_back(leader, std::async(std::launch::async, askLeader, std::cref(profile), std::cref(*b),
                                                std::cref(partitions), timeoutMs, cancel));
    }
    for (auto &[leader, f] : futures) {
        const LeaderAnswer answer = f.get();
        if (!answer.error.empty()) {
            problems.push_back({"tieredOffsets", std::to_string(byLeader[leader].size()) + " partition(s)",
                                answer.error + " (local log start unknown)"});
            continue;
        }
        for (const auto &r : answer.partitions) {
            TopicInfo *t = snapshot.topic(r.topic);
            PartitionInfo *p = t ? t->findPartition(r.partition) : nullptr;
            if (!p)
                continue;
            if (r.errorCode != 0) {
                problems.push_back(
                    {"tieredOffsets", "partition " + r.topic + "-" + std::to_string(r.partition),
                     "ListOffsets EARLIEST_LOCAL: " + wire::errorName(r.errorCode) + " (local log start unknown)"});
                continue;
            }
            p->localLogStartOffset = r.offset;
        }
    }
    return problems;
}

} // namespace kp
