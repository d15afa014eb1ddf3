// Partition sizes: DescribeLogDirs per broker, and estimates from sampled record batches where it gave nothing.
#include "kafka/collectorrun.h"

namespace kp {

bool SnapshotCollector::Run::logDirs()
{
    // DescribeLogDirs is not in librdkafka: our own wire client asks every broker at once, over the same
    // listener and security settings, and each broker's failure stays its own.
    std::vector<std::future<std::pair<wire::BrokerLogDirs, std::string>>> futures;
    for (const auto &b : m_s.brokers)
        futures.push_back(std::async(std::launch::async, [&, id = b.id, host = b.host, port = b.port]() {
            if (silent(id))
                return std::make_pair(wire::BrokerLogDirs{}, notAskedAgain());
            try {
                return std::make_pair(wire::describeLogDirs(m_client.profile(), host, port, m_opt.timeoutMs, m_cancel),
                                      std::string());
            } catch (const std::exception &e) {
                return std::make_pair(wire::BrokerLogDirs{}, std::string(e.what()));
            }
        }));
    std::unordered_map<std::string, TopicInfo *> topics;
    for (auto &t : m_s.topics)
        topics[t.name] = &t;
    int64_t done = 0;
    for (size_t i = 0; i < futures.size(); ++i) {
        auto [dirs, error] = futures[i].get();
        BrokerInfo &b = m_s.brokers[i];
        const std::string subject = "broker " + std::to_string(b.id);
        report("Log dirs", ++done, int64_t(futures.size()));
        if (!error.empty()) {
            problem("logDirs", subject, "DescribeLogDirs failed: " + error + " (sizes unknown)");
            continue;
        }
        if (dirs.response.errorCode != 0) {
            problem("logDirs", subject,
                    dirs.response.errorCode == 31
                        ? std::string("not authorized: DescribeLogDirs needs Describe on the Cluster resource "
                                      "(sizes estimated where the topics may be read, else unknown)")
                        : "DescribeLogDirs failed: " + wire::errorName(dirs.response.errorCode) + " (sizes unknown)");
            continue;
        }
        b.logDirsKnown = true;
        for (const auto &d : dirs.response.results) {
            b.logDirs.push_back(
                {d.path, d.errorCode ? wire::errorName(d.errorCode) : std::string(), d.totalBytes, d.usableBytes});
            if (d.errorCode)
                problem("logDirs", subject,
                        "log dir " + d.path + " reports " + wire::errorName(d.errorCode) + " (offline dir?)");
            for (const auto &p : d.partitions) {
                auto it = topics.find(p.topic);
                if (it == topics.end())
                    continue; // created after the metadata was read
                if (PartitionInfo *part = it->second->findPartition(p.partition))
                    part->replicaSizes.push_back({b.id, d.path, p.sizeBytes, p.offsetLag, p.isFuture});
            }
        }
    }
    for (auto &t : m_s.topics)
        for (auto &p : t.partitions)
            std::sort(p.replicaSizes.begin(), p.replicaSizes.end(),
                      [](const ReplicaSize &a, const ReplicaSize &b) { return a.broker < b.broker; });
    checkCancel();
    return true;
}

bool SnapshotCollector::Run::needsEstimates() const
{
    for (const auto &t : m_s.topics)
        for (const auto &p : t.partitions)
            if (lacksSize(p))
                return true;
    return false;
}

// Where DescribeLogDirs gave nothing: bytes per offset from the last record batches of up to three partitions per
// topic (their headers only, via Fetch v4 to each leader), times each partition's offset span.
bool SnapshotCollector::Run::estimateSizes()
{
    constexpr size_t kSamplesPerTopic = 3;
    constexpr int64_t kTailOffsets = 1000;
    constexpr size_t kPartitionsPerRequest = 50; // x 64 KiB each: within the 4 MiB response limit
    std::map<int32_t, std::vector<wire::FetchPartitionRequest>> byLeader;
    for (const auto &t : m_s.topics) {
        if (std::none_of(t.partitions.begin(), t.partitions.end(), lacksSize))
            continue;
        std::vector<const PartitionInfo *> candidates;
        for (const auto &p : t.partitions)
            if (p.watermarksKnown() && p.highWatermark > p.lowWatermark && p.leader >= 0 && m_s.broker(p.leader))
                candidates.push_back(&p);
        std::partial_sort(candidates.begin(), candidates.begin() + std::min(candidates.size(), kSamplesPerTopic),
                          candidates.end(), [](const PartitionInfo *a, const PartitionInfo *b) {
                              return a->highWatermark - a->lowWatermark > b->highWatermark - b->lowWatermark;
                          });
        candidates.resize(std::min(candidates.size(), kSamplesPerTopic));
        for (const auto *p : candidates)
            byLeader[p->leader].push_back(
                {t.name, p->partition, std::max(p->lowWatermark, p->highWatermark - kTailOffsets), 65536});
    }
    std::map<std::string, TopicSample> samples;
    fetchSamples(byLeader, kPartitionsPerRequest, samples);
    // A broker leaves out a batch larger than a partition's byte limit unless it comes first in the response:
    // topics that got nothing are asked again, one partition per request.
    std::map<int32_t, std::vector<wire::FetchPartitionRequest>> retry;
    for (const auto &[leader, requests] : byLeader)
        for (const auto &r : requests) {
            const TopicSample &sample = samples[r.topic];
            if (sample.stats.offsets == 0 && sample.error.empty() && !sample.retried) {
                samples[r.topic].retried = true;
                retry[leader].push_back(r);
            }
        }
    fetchSamples(retry, 1, samples);
    checkCancel();
    int64_t estimated = 0;
    for (auto &t : m_s.topics) {
        const auto it = samples.find(t.name);
        const bool measured = it != samples.end() && it->second.stats.offsets > 0;
        const double bytesPerOffset = measured ? double(it->second.stats.bytes) / double(it->second.stats.offsets) : 0;
        const bool refused = it != samples.end() && !it->second.error.empty();
        bool missing = false;
        for (auto &p : t.partitions) {
            if (!lacksSize(p))
                continue;
            const int64_t span = p.highWatermark - p.lowWatermark;
            if ((span > 0 && !measured) || refused) {
                missing = true;
                continue;
            }
            // An empty partition holds no records: 0 bytes is then an estimate too (segments may hold markers).
            const auto bytes = int64_t(double(span) * bytesPerOffset + 0.5);
            for (int32_t r : p.replicas)
                p.replicaSizes.push_back({r, "", bytes, -1, false});
            p.sizeEstimated = true;
            ++estimated;
        }
        if (missing)
            problem("sizeEstimates", "topic " + t.name,
                    it != samples.end() && !it->second.error.empty()
                        ? it->second.error + " (sizes unknown)"
                        : std::string("no whole record batch could be read (sizes unknown)"));
    }
    report("Size estimates", estimated, estimated);
    return true;
}

// Fetches the given partitions from their leaders (leaders in parallel, `perRequest` partitions per request) and
// adds what their record batches measure to each topic's sample.
void SnapshotCollector::Run::fetchSamples(const std::map<int32_t, std::vector<wire::FetchPartitionRequest>> &byLeader,
                                          size_t perRequest, std::map<std::string, TopicSample> &samples)
{
    std::mutex mutex;
    std::vector<std::future<void>> futures;
    for (const auto &[leader, requests] : byLeader) {
        const BrokerInfo *b = m_s.broker(leader);
        futures.push_back(std::async(std::launch::async, [&, host = b->host, port = b->port, leader = leader] {
            for (size_t from = 0; from < requests.size() && !cancelled(); from += perRequest) {
                const std::vector<wire::FetchPartitionRequest> chunk(
                    requests.begin() + long(from),
                    requests.begin() + long(std::min(requests.size(), from + perRequest)));
                try {
                    const auto response =
                        wire::fetchBatches(m_client.profile(), host, port, m_opt.timeoutMs, chunk, m_cancel);
                    std::lock_guard lock(mutex);
                    for (const auto &p : response.partitions) {
                        TopicSample &sample = samples[p.topic];
                        if (p.errorCode != 0) {
                            sample.error = p.errorCode == 29
                                               ? std::string("not authorized: estimating sizes needs Read on "
                                                             "the topic")
                                               : "Fetch from broker " + std::to_string(leader) +
                                                     " failed: " + wire::errorName(p.errorCode);
                            continue;
                        }
                        const wire::BatchStats st = wire::summarizeRecordBatches(p.records);
                        sample.stats.bytes += st.bytes;
                        sample.stats.offsets += st.offsets;
                        sample.stats.batches += st.batches;
                    }
                } catch (const std::exception &e) {
                    std::lock_guard lock(mutex);
                    for (const auto &r : chunk)
                        if (samples[r.topic].error.empty())
                            samples[r.topic].error =
                                "Fetch from broker " + std::to_string(leader) + " failed: " + e.what();
                }
            }
        }));
    }
    for (auto &f : futures)
        f.get();
}

} // namespace kp
