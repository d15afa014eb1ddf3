#include "services/replayprobe.h"

#include "kafka/kafkaclient.h"
#include "kafka/replayreader.h"
#include "kafka/snapshotcollector.h"
#include "models/cancelled.h"
#include "services/sampler.h"

#include <QRegularExpression>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace kp {

namespace {

ClusterSnapshot collectBefore(const ConnectionProfile &profile, const std::atomic<bool> *cancel)
{
    KafkaClient client(profile, "replay-probe-layout");
    CollectOptions options;
    options.timeoutMs = profile.timeoutMs;
    options.includeInternalTopics = false;
    return SnapshotCollector(client, options).collect(cancel);
}

ProbePartition rangeOf(const TopicInfo &t, const PartitionInfo &p)
{
    ProbePartition out;
    out.topic = t.name;
    out.partition = p.partition;
    out.leader = p.leader;
    out.fromOffset = p.lowWatermark;
    out.endOffset = p.highWatermark;
    if (t.tiered() && p.localLogStartOffset > p.lowWatermark)
        out.localLogStart = p.localLogStartOffset;
    out.logBytesPerOffset = p.localBytesPerOffset();
    if (p.offline())
        out.error = "offline: no leader";
    else if (!p.watermarksKnown())
        out.error = "its offsets could not be read" + (p.error.empty() ? std::string() : ": " + p.error);
    return out;
}

// The partitions of the topics `regex` matches (internal topics never), their ranges from the earliest offset.
std::vector<ProbePartition> partitionsOf(const ClusterSnapshot &s, const std::string &regex,
                                         std::vector<std::string> &topics)
{
    const QRegularExpression re(QString::fromStdString(regex));
    if (!re.isValid())
        throw ProbeRefused("--topic " + regex + ": not a valid regular expression (" + re.errorString().toStdString() +
                           ")");
    std::vector<ProbePartition> out;
    for (const auto &t : s.topics) {
        if (t.internal || !re.match(QString::fromStdString(t.name)).hasMatch())
            continue;
        topics.push_back(t.name);
        for (const auto &p : t.partitions)
            out.push_back(rangeOf(t, p));
    }
    if (topics.empty())
        throw ProbeRefused("--topic " + regex + ": no topic of the cluster matches it");
    return out;
}

// --from TIME: each partition from its first record at or after TIME (none: nothing to read there).
void startFrom(const ConnectionProfile &profile, int64_t fromMs, std::vector<ProbePartition> &parts)
{
    KafkaClient client(profile, "replay-probe-offsets");
    rdk::PartitionList list(rd_kafka_topic_partition_list_new(int(parts.size())));
    for (const auto &p : parts)
        rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition)->offset = fromMs;
    const auto err = rd_kafka_offsets_for_times(client.get(), list.get(), std::max(profile.timeoutMs, 10000));
    for (auto &p : parts) {
        const auto *e = rd_kafka_topic_partition_list_find(list.get(), p.topic.c_str(), p.partition);
        if (err || !e || e->err) {
            if (p.error.empty())
                p.error = "the offset for --from could not be found: " + rdErrorText(err ? err : e ? e->err : err);
        } else {
            p.fromOffset = e->offset < 0 ? p.endOffset : std::max(p.fromOffset, std::min(e->offset, p.endOffset));
        }
    }
}

// The groups' lag on the probed topics and those topics' end offsets at one moment (a sample of the tailing groups).
struct TailSample
{
    int64_t atMs = 0;
    std::map<std::string, int64_t> lagOf; // group -> messages behind, over its partitions of the probed topics
    int64_t ends = 0;                     // the probed topics' end offsets summed
};

TailSample tailSample(const ClusterSnapshot &s, const std::set<std::string> &topics)
{
    TailSample out{s.takenAtMs, {}, 0};
    for (const auto &t : s.topics)
        if (topics.count(t.name))
            for (const auto &p : t.partitions)
                out.ends += std::max<int64_t>(0, p.highWatermark);
    for (const auto &g : s.groups)
        for (const auto &o : g.offsets)
            if (topics.count(o.topic) && o.lag >= 0)
                out.lagOf[g.groupId] += o.lag;
    return out;
}

// Samples the groups' lag on the probed topics every `everyMs` on a thread of its own until stopped.
class LagWatch
{
public:
    LagWatch(const ConnectionProfile &profile, std::set<std::string> topics, int everyMs)
        : m_profile(profile), m_topics(std::move(topics)), m_everyMs(everyMs), m_thread([this] { loop(); })
    {}
    ~LagWatch() { stop(); }

    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }
    std::vector<TailSample> points;
    std::vector<std::string> problems;

private:
    void loop()
    {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, std::chrono::milliseconds(m_everyMs), [this] { return m_stop.load(); })) {
            lock.unlock();
            try {
                TailSample p = tailSample(Sampler::collect(m_profile, &m_stop), m_topics);
                lock.lock();
                points.push_back(std::move(p));
            } catch (const std::exception &e) {
                lock.lock();
                if (!m_stop)
                    problems.push_back(std::string("a sample of the groups' lag failed: ") + e.what());
            }
        }
    }

    ConnectionProfile m_profile;
    std::set<std::string> m_topics;
    int m_everyMs;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

void fillBrokers(ProbeResult &r, const ClusterSnapshot &before, const ReplayRead &read)
{
    bool racksKnown = true;
    int64_t cross = 0;
    for (const auto &[id, b] : read.brokers) {
        ProbeBroker out = b;
        const BrokerInfo *info = before.broker(id);
        out.rack = info && info->rackKnown ? info->rack : std::string();
        racksKnown = racksKnown && !out.rack.empty();
        if (out.rack != r.request.clientRack)
            cross += out.bytes;
        r.brokers.push_back(std::move(out));
    }
    if (r.request.clientRack.empty())
        r.crossAzBasis = "the reader's AZ not given (--client-rack, or Reader's AZ in the window)";
    else if (!racksKnown)
        r.crossAzBasis = "a broker that served bytes has no broker.rack";
    else {
        r.crossAzBytes = cross;
        r.crossAzBasis = "record bytes from brokers outside " + r.request.clientRack + " (the broker each came from)";
    }
}

void fillGroups(ProbeResult &r, const TailSample &before, const std::vector<TailSample> &during,
                const TailSample &after)
{
    for (const auto &[group, lag] : before.lagOf) {
        ProbeGroupEffect e{group, lag, lag, -1}; // the peak over before, during and after
        for (const auto &p : during)
            if (const auto it = p.lagOf.find(group); it != p.lagOf.end())
                e.lagPeak = std::max(e.lagPeak, it->second);
        if (const auto it = after.lagOf.find(group); it != after.lagOf.end()) {
            e.lagAfter = it->second;
            e.lagPeak = std::max(e.lagPeak, it->second);
        }
        r.groups.push_back(std::move(e));
    }
    const double seconds = double(after.atMs - before.atMs) / 1000.0;
    if (seconds > 0 && after.ends >= before.ends)
        r.producePerSecond = double(after.ends - before.ends) / seconds;
}

void fillTotals(ProbeResult &r, const ReplayRead &read)
{
    r.seconds = read.seconds;
    r.stoppedBy = read.stoppedBy;
    r.bytesPerSecond = read.bytesPerSecond;
    for (const auto &p : r.partitions) {
        r.messages += p.messages;
        r.bytes += p.bytes;
        r.remoteBytes += p.remoteBytes;
        if (p.firstByteMs >= 0 && (r.firstByteMs < 0 || p.firstByteMs < r.firstByteMs))
            r.firstByteMs = p.firstByteMs;
        // A partition the bounds stopped is unfinished, not a problem; one that failed is named with why.
        if (!p.complete && !p.error.empty())
            r.problems.push_back(p.topic + "-" + std::to_string(p.partition) + ": read " +
                                 std::to_string(p.nextOffset - p.fromOffset) + " of " +
                                 std::to_string(p.endOffset - p.fromOffset) + " offsets (" + p.error + ")");
    }
}

} // namespace

ProbeResult runReplayProbe(const ConnectionProfile &profile, const ProbeRequest &request,
                           const std::atomic<bool> *cancel, const ProbeProgress &progress,
                           std::atomic<int64_t> *bytesRead)
{
    auto say = [&](const std::string &step) {
        if (progress)
            progress(step);
    };
    say("reading the layout and the groups");
    const ClusterSnapshot before = collectBefore(profile, cancel);
    ProbeResult r;
    r.request = request;
    r.clusterId = before.clusterId;
    r.partitions = partitionsOf(before, request.topicRegex, r.topics);
    if (request.fromMs)
        startFrom(profile, *request.fromMs, r.partitions);
    if (cancel && cancel->load())
        throw Cancelled();
    const std::set<std::string> topics(r.topics.begin(), r.topics.end());
    ReplayReadOptions options{request.maxBytes,   request.maxSeconds, std::nullopt,
                              request.clientRack, request.fetchers,   bytesRead};
    if (request.throttleMBps)
        options.throttleBytesPerSecond = *request.throttleMBps * 1e6;
    say("reading");
    r.startedAtMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const TailSample atStart = tailSample(before, topics);
    LagWatch watch(profile, topics, request.sampleEveryMs);
    const ReplayRead read = readReplay(profile, r.partitions, options, cancel);
    watch.stop();
    say("sampling the groups after");
    TailSample after = watch.points.empty() ? atStart : watch.points.back();
    try {
        after = tailSample(Sampler::collect(profile, nullptr), topics);
    } catch (const std::exception &e) {
        r.problems.push_back(std::string("the groups' lag after the probe could not be read: ") + e.what());
    }
    fillTotals(r, read);
    fillBrokers(r, before, read);
    fillGroups(r, atStart, watch.points, after);
    r.problems.insert(r.problems.end(), watch.problems.begin(), watch.problems.end());
    return r;
}

} // namespace kp
