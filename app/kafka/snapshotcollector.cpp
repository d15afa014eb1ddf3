#include "kafka/snapshotcollector.h"

#include "kafka/collectorrun.h"

namespace kp {

SnapshotCollector::SnapshotCollector(KafkaClient &client, CollectOptions options) : m_client(client), m_options(options)
{}

int64_t SnapshotCollector::Run::epochMillisNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string SnapshotCollector::Run::errorText(const rd_kafka_error_t *e)
{
    return e ? std::string(rd_kafka_error_string(e)) : std::string();
}

std::string SnapshotCollector::Run::explain(rd_kafka_resp_err_t err, const std::string &what)
{
    switch (err) {
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
        return "not authorized: " + what + " needs the right on the Cluster resource";
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
        return "not authorized: " + what + " needs the right on the topic";
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
        return "not authorized: " + what + " needs Describe on the group";
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
        return what + " timed out";
    default:
        return what + " failed: " + rdErrorText(err);
    }
}

ClusterSnapshot SnapshotCollector::Run::run()
{
    const auto start = Clock::now();
    m_s.source = SnapshotSource::Live;
    m_s.bootstrap = m_client.profile().bootstrap;
    m_s.takenAtMs = epochMillisNow();

    step("Connecting", "metadata", [&] {
        if (auto err = m_client.connect(m_opt.timeoutMs, m_cancel); !err.empty())
            throw CollectError(err);
        m_rk = m_client.get(); // connect() may have started librdkafka again with the servers that answered
        return true;
    });
    step("Metadata", "metadata", [&] { return metadata(); });
    laneSteps();
    checkCancel(); // a step cut short by the cancel would otherwise leave a partial snapshot behind
    sortTimings();
    computeLag(m_s);
    m_s.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    return std::move(m_s);
}

// The configs, the offsets and sizes, and the groups need only the metadata: three lanes at once, each a thread of
// its own (their requests go to different APIs, and mostly over connections of their own). Tiered offsets need the
// configs and the watermarks, size estimates the log dirs too: after the lanes.
void SnapshotCollector::Run::laneSteps()
{
    std::vector<std::future<void>> lanes;
    if (m_opt.includeConfigs)
        lanes.push_back(std::async(std::launch::async, [this] {
            checkCancel();
            step("Broker configs", "brokerConfigs", [&] { return brokerConfigs(); });
            checkCancel();
            step("Topic configs", "topicConfigs", [&] { return topicConfigs(); });
        }));
    lanes.push_back(std::async(std::launch::async, [this] {
        checkCancel();
        step("Watermarks", "watermarks", [&] { return watermarks(); });
        if (m_opt.includeLogDirs) {
            checkCancel();
            step("Log dirs", "logDirs", [&] { return logDirs(); });
        }
    }));
    if (m_opt.includeGroups)
        lanes.push_back(std::async(std::launch::async, [this] {
            checkCancel();
            step("Consumer groups", "groups", [&] { return groups(); });
            checkCancel();
            step("Group offsets", "groupOffsets", [&] { return groupOffsets(); });
        }));
    joinLanes(lanes);
    if (m_groupsMayBeHidden)
        warnOfHiddenGroups();
    if (std::any_of(m_s.topics.begin(), m_s.topics.end(), [](const TopicInfo &t) { return t.tiered(); })) {
        checkCancel();
        step("Tiered offsets", "tieredOffsets", [&] { return tieredOffsets(); });
    }
    if (m_opt.includeLogDirs && needsEstimates()) {
        checkCancel();
        step("Size estimates", "sizeEstimates", [&] { return estimateSizes(); });
    }
}

// The steps' timings in the order a person reads the collection (the lanes finish in any order).
void SnapshotCollector::Run::sortTimings()
{
    static const std::vector<std::string> order = {
        "Connecting",     "Metadata", "Broker configs", "Topic configs",   "Watermarks",
        "Tiered offsets", "Log dirs", "Size estimates", "Consumer groups", "Group offsets"};
    auto rank = [](const StepTiming &t) { return std::find(order.begin(), order.end(), t.step) - order.begin(); };
    std::stable_sort(m_s.timings.begin(), m_s.timings.end(),
                     [&](const StepTiming &a, const StepTiming &b) { return rank(a) < rank(b); });
}

void SnapshotCollector::Run::joinLanes(std::vector<std::future<void>> &lanes)
{
    std::exception_ptr first;
    for (auto &lane : lanes) {
        try {
            lane.get();
        } catch (...) {
            if (!first)
                first = std::current_exception();
        }
    }
    if (first)
        std::rethrow_exception(first);
}

size_t SnapshotCollector::Run::problemCount(const std::string &key)
{
    std::lock_guard lock(m_stateMutex);
    return size_t(
        std::count_if(m_s.problems.begin(), m_s.problems.end(), [&](const Problem &p) { return p.step == key; }));
}

bool SnapshotCollector::Run::answered(int32_t id) const
{
    std::lock_guard lock(m_stateMutex);
    return m_answered.count(id) > 0;
}

bool SnapshotCollector::Run::silent(int32_t id) const
{
    std::lock_guard lock(m_stateMutex);
    return m_silent.count(id) > 0;
}

void SnapshotCollector::Run::markAnswered(int32_t id)
{
    std::lock_guard lock(m_stateMutex);
    m_answered.insert(id);
}

void SnapshotCollector::Run::markSilent(int32_t id)
{
    std::lock_guard lock(m_stateMutex);
    m_silent.insert(id);
}

void SnapshotCollector::Run::report(const std::string &step, int64_t done, int64_t total)
{
    if (!m_progress)
        return;
    std::lock_guard lock(m_progressMutex); // the lanes, and the watermarks' leaders, report from several threads
    const auto [at, firstOfStep] = m_lastDone.try_emplace(step, 0);
    done = std::max(done, at->second); // a slower thread's older count: never go backwards
    at->second = done;
    // A step's first count and its last (done == total) always pass; those in between at most every kProgressEvery.
    const auto now = std::chrono::steady_clock::now();
    if (!firstOfStep && done < total && now - m_lastPassedOn < kProgressEvery)
        return;
    m_lastPassedOn = now;
    m_progress({step, done, total});
}

// For a broker that accepted a connection earlier in this collection but did not answer within the timeout.
std::string SnapshotCollector::Run::notAskedAgain() const
{
    return "not asked: it did not answer an earlier request within " + formatSeconds(m_opt.timeoutMs) +
           " (frozen or overloaded?)";
}

void SnapshotCollector::Run::checkCancel() const
{
    if (cancelled())
        throw Cancelled();
}

void SnapshotCollector::Run::problem(const std::string &step, const std::string &subject, const std::string &message)
{
    std::lock_guard lock(m_stateMutex);
    m_s.problems.push_back({step, subject, message});
}

rdk::AdminOptions SnapshotCollector::Run::adminOptions(rd_kafka_admin_op_t op)
{
    rdk::AdminOptions o(rd_kafka_AdminOptions_new(m_rk, op));
    char errstr[256];
    rd_kafka_AdminOptions_set_request_timeout(o.get(), m_opt.timeoutMs, errstr, sizeof errstr);
    return o;
}

// Brokers in the order to ask them for what any broker can answer: those that answered this collection first,
// then the others; brokers that accepted a connection but did not answer are left out.
std::vector<BrokerAddress> SnapshotCollector::Run::liveBrokersFirst() const
{
    std::vector<BrokerAddress> out = brokerAddresses();
    std::erase_if(out, [this](const BrokerAddress &b) { return silent(b.id); });
    std::stable_partition(out.begin(), out.end(), [this](const BrokerAddress &b) { return answered(b.id); });
    return out;
}

std::vector<BrokerAddress> SnapshotCollector::Run::brokerAddresses() const
{
    std::vector<BrokerAddress> out;
    for (const auto &b : m_s.brokers)
        out.push_back({b.id, b.host, int(b.port)});
    return out;
}

ClusterSnapshot SnapshotCollector::collect(const std::atomic<bool> *cancel, const ProgressFn &progress)
{
    Run run(m_client, m_options, cancel, progress);
    return run.run();
}

} // namespace kp
