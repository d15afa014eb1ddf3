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

    step("Connecting", [&] {
        if (auto err = m_client.connect(m_opt.timeoutMs, m_cancel); !err.empty())
            throw CollectError(err);
        m_rk = m_client.get(); // connect() may have started librdkafka again with the servers that answered
        return true;
    });
    step("Metadata", [&] { return metadata(); });
    if (m_opt.includeConfigs) {
        checkCancel();
        step("Broker configs", [&] { return brokerConfigs(); });
        checkCancel();
        step("Topic configs", [&] { return topicConfigs(); });
    }
    checkCancel();
    step("Watermarks", [&] { return watermarks(); });
    if (std::any_of(m_s.topics.begin(), m_s.topics.end(), [](const TopicInfo &t) { return t.tiered(); })) {
        checkCancel();
        step("Tiered offsets", [&] { return tieredOffsets(); });
    }
    if (m_opt.includeLogDirs) {
        checkCancel();
        step("Log dirs", [&] { return logDirs(); });
        if (needsEstimates()) {
            checkCancel();
            step("Size estimates", [&] { return estimateSizes(); });
        }
    }
    if (m_opt.includeGroups) {
        checkCancel();
        step("Consumer groups", [&] { return groups(); });
        checkCancel();
        step("Group offsets", [&] { return groupOffsets(); });
    }
    checkCancel(); // a step cut short by the cancel would otherwise leave a partial snapshot behind
    computeLag(m_s);
    m_s.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    return std::move(m_s);
}

void SnapshotCollector::Run::report(const std::string &step, int64_t done, int64_t total)
{
    if (!m_progress)
        return;
    std::lock_guard lock(m_progressMutex); // watermark batches report from several threads
    if (step == m_lastStep && done < m_lastDone)
        done = m_lastDone; // a slower thread's older count: never go backwards
    m_lastStep = step;
    m_lastDone = done;
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
    std::erase_if(out, [this](const BrokerAddress &b) { return m_silent.count(b.id) > 0; });
    std::stable_partition(out.begin(), out.end(), [this](const BrokerAddress &b) { return m_answered.count(b.id); });
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
