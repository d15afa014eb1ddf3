#include "kafka/tieredoffsets.h"

#include "kafka/offsetswire.h"

#include <algorithm>
#include <future>
#include <map>

namespace kp {

std::vector<Problem> readLocalLogStarts(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                        ClusterSnapshot &snapshot, int timeoutMs, const std::atomic<bool> *cancel,
                                        const SkippedBrokers &notAsked)
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
    std::vector<std::pair<int32_t, std::future<ListOffsetsAnswer>>> futures;
    for (const auto &[leader, partitions] : byLeader) {
        const BrokerAddress *b = findBroker(brokers, leader);
        if (b && notAsked.ids.count(leader)) {
            problems.push_back(
                {"tieredOffsets", std::to_string(partitions.size()) + " partition(s)",
                 "ListOffsets on " + brokerName(*b) + ": " + notAsked.why + " (local log start unknown)"});
            continue;
        }
        if (!b) {
            problems.push_back(
                {"tieredOffsets", std::to_string(partitions.size()) + " partition(s)",
                 "their leader " + std::to_string(leader) + " is not among the brokers (local log start unknown)"});
            continue;
        }
        futures.emplace_back(leader, std::async(std::launch::async, listOffsetsAt, std::cref(profile), std::cref(*b),
                                                std::cref(partitions), wire::kEarliestLocalTimestamp, int16_t(8),
                                                size_t(5000), timeoutMs, cancel));
    }
    for (auto &[leader, f] : futures) {
        const ListOffsetsAnswer answer = f.get();
        if (!answer.error.empty()) {
            problems.push_back(
                {"tieredOffsets", std::to_string(byLeader[leader].size()) + " partition(s)",
                 (answer.unsupported ? answer.error + " (Kafka 3.7+ knows EARLIEST_LOCAL)" : answer.error) +
                     " (local log start unknown)"});
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
