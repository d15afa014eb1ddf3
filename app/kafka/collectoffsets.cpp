// Watermarks (ListOffsets earliest and latest per partition) and, for tiered topics, where the local log starts
// and the remote tier's bytes per offset.
#include "kafka/collectorrun.h"

#include "kafka/offsetswire.h"

#include <set>
#include <unordered_map>

namespace kp {

bool SnapshotCollector::Run::watermarks()
{
    // Per leader, over the app's wire client: earliest and latest each on a connection of its own (a broker answers
    // one connection's requests one at a time), every batch of a connection in flight at once, all leaders in
    // parallel; a dead leader costs only its own partitions. What the wire could not read for a reason librdkafka can
    // get round (a leader that moved since the metadata, a broker without ListOffsets v6) goes through librdkafka,
    // which finds the current leaders itself.
    std::map<int32_t, std::vector<PartitionInfo *>> byLeader;
    TopicOf topicOf;
    std::vector<std::string> offline;
    int64_t total = 0;
    for (auto &t : m_s.topics) {
        for (auto &p : t.partitions) {
            if (p.leader < 0) {
                offline.push_back(t.name + "-" + std::to_string(p.partition));
                continue;
            }
            byLeader[p.leader].push_back(&p);
            topicOf[&p] = t.name;
            ++total;
        }
    }
    std::atomic<int64_t> done{0};
    std::vector<std::future<LeaderWatermarks>> futures;
    for (auto &[leader, parts] : byLeader)
        futures.push_back(std::async(std::launch::async, [&, leader = leader, parts = parts] {
            if (!m_opt.wireClient)
                return watermarksOf(leader, parts, topicOf, done, total);
            LeaderWatermarks r = wireWatermarksOf(leader, parts, topicOf);
            if (!r.retry.empty()) {
                std::atomic<int64_t> retried{0}; // counted below with the rest
                const LeaderWatermarks again = watermarksOf(leader, r.retry, topicOf, retried, total);
                r.failed += again.failed - int64_t(r.retry.size());
                r.error = again.error.empty() ? r.error : again.error;
            }
            done += int64_t(parts.size());
            report("Watermarks", done.load(), total);
            return r;
        }));
    for (auto &f : futures) {
        LeaderWatermarks r = f.get();
        if (r.silent)
            markSilent(r.leader);
        if (r.failed > 0)
            problem("watermarks", "broker " + std::to_string(r.leader),
                    r.error + ": watermarks unknown for " + std::to_string(r.failed) + " partition(s) it leads");
    }
    if (!offline.empty())
        problem("watermarks", std::to_string(offline.size()) + " partition(s)",
                "offline (no leader): watermarks unknown for " + listSome(offline));
    checkCancel();
    return true;
}

// One leader's watermarks over the wire client; `retry` lists what librdkafka should try again.
SnapshotCollector::Run::LeaderWatermarks
SnapshotCollector::Run::wireWatermarksOf(int32_t leader, const std::vector<PartitionInfo *> &parts,
                                         const TopicOf &topicOf)
{
    LeaderWatermarks r{leader, {}, 0, {}, false};
    const std::vector<BrokerAddress> brokers = brokerAddresses();
    const BrokerAddress *b = findBroker(brokers, leader);
    if (!b || silent(leader)) {
        r.error = b ? "broker " + std::to_string(leader) + " " + notAskedAgain() : "its address is not known";
        r.failed = int64_t(parts.size());
        return r;
    }
    std::vector<wire::ListOffsetsPartitionRequest> requests;
    requests.reserve(parts.size());
    for (PartitionInfo *p : parts)
        requests.push_back({topicOf.at(p), p->partition});
    const size_t batch = size_t(std::max(1, m_opt.watermarkBatch));
    auto ask = [&](int64_t timestamp) {
        return listOffsetsAt(m_client.profile(), *b, requests, timestamp, 6, batch, m_opt.timeoutMs, m_cancel);
    };
    auto earliestLater = std::async(std::launch::async, ask, wire::kEarliestTimestamp);
    const ListOffsetsAnswer latest = ask(wire::kLatestTimestamp);
    const ListOffsetsAnswer earliest = earliestLater.get();
    r.silent = earliest.silent || latest.silent;
    std::unordered_map<std::string, TopicInfo *> topics;
    for (PartitionInfo *p : parts)
        topics.emplace(topicOf.at(p), nullptr);
    for (auto &[name, t] : topics)
        t = m_s.topic(name);
    std::set<PartitionInfo *> movable; // answered "not the leader" (it moved since the metadata)
    for (const auto *answer : {&earliest, &latest}) {
        if (r.error.empty())
            r.error = answer->error;
        for (const auto &a : answer->partitions) {
            TopicInfo *t = topics.count(a.topic) ? topics.at(a.topic) : nullptr;
            PartitionInfo *p = t ? t->findPartition(a.partition) : nullptr;
            if (!p)
                continue;
            if (a.errorCode != 0 || a.offset < 0) {
                if (a.errorCode == 6 || a.errorCode == 5) // NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE
                    movable.insert(p);
                if (r.error.empty())
                    r.error = "ListOffsets on broker " + std::to_string(leader) + ": " + wire::errorName(a.errorCode);
                continue;
            }
            (answer == &earliest ? p->lowWatermark : p->highWatermark) = a.offset;
        }
    }
    const bool librdkafkaMayDoBetter =
        earliest.unsupported || latest.unsupported || (!r.silent && (!earliest.error.empty() || !latest.error.empty()));
    for (PartitionInfo *p : parts)
        if (!p->watermarksKnown()) {
            ++r.failed;
            if (librdkafkaMayDoBetter || movable.count(p))
                r.retry.push_back(p);
        }
    return r;
}

// One leader's partitions in batches; earliest and latest of a batch are two ListOffsets requests, both in flight at
// once, each writing its own field of the partitions.
SnapshotCollector::Run::LeaderWatermarks SnapshotCollector::Run::watermarksOf(int32_t leader,
                                                                              const std::vector<PartitionInfo *> &parts,
                                                                              const TopicOf &topicOf,
                                                                              std::atomic<int64_t> &done, int64_t total)
{
    LeaderWatermarks r{leader, {}, 0, {}, false};
    const size_t batchSize = size_t(std::max(1, m_opt.watermarkBatch));
    for (size_t i = 0; i < parts.size(); i += batchSize) {
        if (cancelled())
            return r;
        const size_t end = std::min(parts.size(), i + batchSize);
        const std::vector<PartitionInfo *> batch(parts.begin() + std::ptrdiff_t(i),
                                                 parts.begin() + std::ptrdiff_t(end));
        auto lookup = [&](int64_t which) { return listOffsets(leader, which, batch, topicOf); };
        auto earliest = std::async(std::launch::async, lookup, int64_t(RD_KAFKA_OFFSET_BEGINNING));
        const auto latest = lookup(int64_t(RD_KAFKA_OFFSET_END));
        const auto first = earliest.get();
        // Counted once per partition whose watermarks either lookup left unknown, with the first reason.
        for (size_t k = i; k < end; ++k)
            r.failed += parts[k]->watermarksKnown() ? 0 : 1;
        if (r.error.empty())
            r.error = latest.empty() ? first : latest;
        done += int64_t(end - i);
        report("Watermarks", done.load(), total);
    }
    return r;
}

// One ListOffsets for the batch; should it fail as a whole (one topic in it just deleted: librdkafka fails every
// partition of the request), each topic of the batch is asked on its own, so that only that topic's watermarks stay
// unknown. Returns the first error, "" when none.
std::string SnapshotCollector::Run::listOffsets(int32_t leader, int64_t which,
                                                const std::vector<PartitionInfo *> &batch, const TopicOf &topicOf)
{
    rdk::PartitionList list(rd_kafka_topic_partition_list_new(int(batch.size())));
    for (PartitionInfo *p : batch)
        rd_kafka_topic_partition_list_add(list.get(), topicOf.at(p).c_str(), p->partition)->offset = which;
    auto err = rd_kafka_offsets_for_times(m_rk, list.get(), m_opt.timeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        std::map<std::string, std::vector<PartitionInfo *>> byTopic;
        for (PartitionInfo *p : batch)
            byTopic[topicOf.at(p)].push_back(p);
        if (byTopic.size() < 2 || err == RD_KAFKA_RESP_ERR__TIMED_OUT)
            return explain(err, "ListOffsets on broker " + std::to_string(leader));
        std::string first;
        for (const auto &[topic, one] : byTopic)
            if (std::string e = listOffsets(leader, which, one, topicOf); first.empty())
                first = e;
        return first;
    }
    std::string error;
    for (int k = 0; k < list->cnt; ++k) {
        const auto &e = list->elems[k];
        PartitionInfo *p = batch[size_t(k)];
        if (e.err != RD_KAFKA_RESP_ERR_NO_ERROR || e.offset < 0) {
            if (error.empty() && e.err != RD_KAFKA_RESP_ERR_NO_ERROR)
                error = explain(e.err, "ListOffsets");
            continue;
        }
        (which == RD_KAFKA_OFFSET_BEGINNING ? p->lowWatermark : p->highWatermark) = e.offset;
    }
    return error;
}

// Tiered topics: where each partition's local log starts (ListOffsets -4), then the remote tier's bytes per offset
// from the first record batches of up to three partitions per topic, fetched at the log start (the broker reads
// them from the remote tier; only their headers are looked at).
bool SnapshotCollector::Run::tieredOffsets()
{
    SkippedBrokers silentOnes{{}, notAskedAgain()};
    {
        std::lock_guard lock(m_stateMutex);
        silentOnes.ids = m_silent;
    }
    for (const auto &p :
         readLocalLogStarts(m_client.profile(), brokerAddresses(), m_s, m_opt.timeoutMs, m_cancel, silentOnes))
        problem(p.step, p.subject, p.message);
    checkCancel();
    constexpr size_t kSamplesPerTopic = 3;
    std::map<int32_t, std::vector<wire::FetchPartitionRequest>> byLeader;
    for (const auto &t : m_s.topics) {
        if (!t.tiered())
            continue;
        size_t sampled = 0;
        for (const auto &p : t.partitions)
            if (sampled < kSamplesPerTopic && p.remoteOnlyOffsets() > 0 && m_s.broker(p.leader)) {
                byLeader[p.leader].push_back({t.name, p.partition, p.lowWatermark, 65536});
                ++sampled;
            }
    }
    std::map<std::string, TopicSample> samples;
    fetchSamples(byLeader, 50, samples);
    for (const auto &[topic, sample] : samples) {
        if (sample.stats.offsets > 0)
            m_s.topic(topic)->remoteBytesPerOffset = double(sample.stats.bytes) / double(sample.stats.offsets);
        else
            problem("tieredOffsets", "topic " + topic,
                    "reading the remote tier's first record batches: " +
                        (sample.error.empty() ? std::string("no batch came back") : sample.error) +
                        " (remote bytes unknown)");
    }
    return true;
}

} // namespace kp
