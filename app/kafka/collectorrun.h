#pragma once
// One collection of a snapshot (SnapshotCollector::collect): the snapshot being built, the cancel flag, the progress
// callback and one member per step. Private to the collector; its steps are defined by subject in
// snapshotcollector.cpp (the order of the steps and their bookkeeping), collectmetadata.cpp (metadata and configs),
// collectoffsets.cpp (watermarks, tiered offsets), collectsizes.cpp (log dirs, size estimates) and
// collectgroups.cpp (consumer groups and their committed offsets).

#include "kafka/clusterwire.h"
#include "kafka/groupwire.h"
#include "kafka/snapshotcollector.h"
#include "kafka/tieredoffsets.h"
#include "kafka/wire/brokerconnection.h"
#include "kafka/wire/wirebuffer.h"
#include "models/cancelled.h"
#include "models/units.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

namespace kp {

class SnapshotCollector::Run
{
public:
    Run(KafkaClient &client, const CollectOptions &options, const std::atomic<bool> *cancel, const ProgressFn &progress)
        : m_client(client), m_opt(options), m_cancel(cancel), m_progress(progress)
    {}
    ClusterSnapshot run();

private:
    using Clock = std::chrono::steady_clock;

    static int64_t epochMillisNow();
    static std::string errorText(const rd_kafka_error_t *e);
    // What a failed request means to a person: the ACL it needs, a timeout, or librdkafka's words.
    static std::string explain(rd_kafka_resp_err_t err, const std::string &what);

    // One step, timed; ok when `body` says so and it added no problem under `key` (steps of different lanes run at
    // once, so each counts only its own).
    template <typename F> void step(const char *name, const char *key, F &&body)
    {
        report(name, 0, 0);
        const auto t0 = Clock::now();
        const size_t problemsBefore = problemCount(key);
        bool ok = body();
        ok = ok && problemCount(key) == problemsBefore;
        std::lock_guard lock(m_stateMutex);
        m_s.timings.push_back(
            {name, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count(), ok});
    }
    size_t problemCount(const std::string &key);
    // The steps after the metadata in three lanes at once (configs; watermarks and log dirs; groups and their
    // offsets), then what needs more than one of them.
    void laneSteps();
    // Waits for every lane, then throws the first lane's exception, if any.
    static void joinLanes(std::vector<std::future<void>> &lanes);
    void sortTimings();

    void report(const std::string &step, int64_t done, int64_t total);
    bool cancelled() const { return m_cancel && m_cancel->load(); }

    // For a broker that accepted a connection earlier in this collection but did not answer within the timeout.
    std::string notAskedAgain() const;
    std::string noAnswer() const { return "no answer within " + formatSeconds(m_opt.timeoutMs); }
    void checkCancel() const;
    void problem(const std::string &step, const std::string &subject, const std::string &message);
    rdk::AdminOptions adminOptions(rd_kafka_admin_op_t op);

    // Polls `queue` for up to the step's timeout, handing each event to `onEvent`, until `expected` events came.
    // Returns how many arrived.
    template <typename F> size_t drain(rd_kafka_queue_t *queue, size_t expected, F &&onEvent)
    {
        // librdkafka answers by itself at request timeout; the extra second covers its own bookkeeping.
        const auto deadline = Clock::now() + std::chrono::milliseconds(m_opt.timeoutMs + 1000);
        size_t got = 0;
        while (got < expected && Clock::now() < deadline && !cancelled()) {
            rdk::Event ev(rd_kafka_queue_poll(queue, 100));
            if (!ev)
                continue;
            ++got;
            onEvent(ev.get());
        }
        return got;
    }

    // collectmetadata.cpp
    bool metadata();
    // A topic as metadata lists it; false when internal topics are not wanted and this is one.
    bool addTopic(TopicInfo &&t, int16_t errorCode);
    void readMetadata(const wire::MetadataResponse &md);
    void readLibrdkafkaMetadata();
    bool brokerConfigs();
    bool topicConfigs();
    // Keeps a DescribeConfigs answer's values in `out` (the request named the keys).
    static void readConfigs(const wire::ConfigResourceResult &res, ConfigMap &out);
    // "a, b, c, d, e, and 7 more"
    static std::string listSome(const std::vector<std::string> &names);

    // collectoffsets.cpp
    bool watermarks();
    using TopicOf = std::unordered_map<PartitionInfo *, std::string>; // each partition's topic
    struct LeaderWatermarks
    {
        int32_t leader;
        std::string error; // the first reason a watermark stayed unknown
        int64_t failed = 0;
        std::vector<PartitionInfo *> retry; // for librdkafka, after the wire client
        bool silent = false;                // the leader accepted a connection but did not answer
    };
    LeaderWatermarks wireWatermarksOf(int32_t leader, const std::vector<PartitionInfo *> &parts,
                                      const TopicOf &topicOf);
    LeaderWatermarks watermarksOf(int32_t leader, const std::vector<PartitionInfo *> &parts, const TopicOf &topicOf,
                                  std::atomic<int64_t> &done, int64_t total);
    std::string listOffsets(int32_t leader, int64_t which, const std::vector<PartitionInfo *> &batch,
                            const TopicOf &topicOf);
    // Tiered topics: where each partition's local log starts (ListOffsets -4), then the remote tier's bytes per offset
    // from the first record batches of up to three partitions per topic, fetched at the log start (the broker reads
    // them from the remote tier; only their headers are looked at).
    bool tieredOffsets();

    // collectsizes.cpp
    bool logDirs();
    static bool lacksSize(const PartitionInfo &p) { return p.replicaSizes.empty() && p.watermarksKnown(); }
    bool needsEstimates() const;
    // Where DescribeLogDirs gave nothing: bytes per offset from the last record batches of up to three partitions per
    // topic (their headers only, via Fetch v4 to each leader), times each partition's offset span.
    bool estimateSizes();
    struct TopicSample
    {
        wire::BatchStats stats;
        std::string error;
        bool retried = false;
    };
    // Fetches the given partitions from their leaders (leaders in parallel, `perRequest` partitions per request) and
    // adds what their record batches measure to each topic's sample.
    void fetchSamples(const std::map<int32_t, std::vector<wire::FetchPartitionRequest>> &byLeader, size_t perRequest,
                      std::map<std::string, TopicSample> &samples);

    // collectgroups.cpp
    bool groups();
    void listGroups(const std::vector<BrokerAddress> &brokers);
    void describeClassicOverWire(const std::vector<BrokerAddress> &brokers,
                                 const std::vector<ConsumerGroup *> &classic);
    void describeClassicWithLibrdkafka(const std::vector<ConsumerGroup *> &classic);
    static void readDescription(ConsumerGroup &g, const rd_kafka_ConsumerGroupDescription_t *d); // state, members
    bool groupOffsets();
    void warnOfHiddenGroups();

    // Brokers in the order to ask them for what any broker can answer: those that answered this collection first,
    // then the others; brokers that accepted a connection but did not answer are left out.
    std::vector<BrokerAddress> liveBrokersFirst() const;
    std::vector<BrokerAddress> brokerAddresses() const;

    KafkaClient &m_client;
    rd_kafka_t *m_rk = nullptr;
    const CollectOptions &m_opt;
    const std::atomic<bool> *m_cancel;
    const ProgressFn &m_progress;
    ClusterSnapshot m_s;
    // Brokers that answered a request of this collection; those that accepted a connection but did not answer (not
    // asked again). Read and written by the lanes: through these, under m_stateMutex.
    bool answered(int32_t id) const;
    bool silent(int32_t id) const;
    void markAnswered(int32_t id);
    void markSilent(int32_t id);
    std::set<int32_t> m_answered;
    std::set<int32_t> m_silent;
    mutable std::mutex m_stateMutex;  // the sets above, m_s.problems and m_s.timings
    bool m_groupsMayBeHidden = false; // ListGroups found none where some broker answered: checked after the lanes
    std::mutex m_progressMutex;
    std::map<std::string, int64_t> m_lastDone; // per step, the count last reported
    // When a count was last passed on: counts in between are dropped (kProgressEvery), so that a step counting 2,000
    // groups does not send 2,000 updates to a window that repaints at each.
    static constexpr std::chrono::milliseconds kProgressEvery{100};
    std::chrono::steady_clock::time_point m_lastPassedOn;
};

} // namespace kp
