#include "kafka/replayreader.h"

#include "kafka/kafkaclient.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

namespace kp {

namespace {

using Topic = std::unique_ptr<rd_kafka_topic_t, rdk::Deleter<rd_kafka_topic_t, rd_kafka_topic_destroy>>;
using Message = std::unique_ptr<rd_kafka_message_t, rdk::Deleter<rd_kafka_message_t, rd_kafka_message_destroy>>;
using Clock = std::chrono::steady_clock;

// What the fetchers share: the bytes taken against the bound and the throttle, the clock, and why the probe stopped
// (the first reason wins).
class Budget
{
public:
    Budget(const ReplayReadOptions &o, const std::atomic<bool> *cancel) : m_options(o), m_cancel(cancel) {}

    double elapsed() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

    void stop(const char *why)
    {
        std::lock_guard lock(m_mutex);
        if (m_reason.empty())
            m_reason = why;
        m_stop = true;
    }

    bool stopped()
    {
        if (m_stop)
            return true;
        if (m_cancel && m_cancel->load())
            stop("cancelled");
        else if (elapsed() >= m_options.maxSeconds)
            stop("time");
        return m_stop;
    }

    // Waits until the throttle allows `size` more bytes, then takes them; false when the probe stops instead (the
    // byte bound would be passed, time is up, cancelled). A record that would pass the bound is not read.
    bool take(int64_t size)
    {
        const double rate = m_options.throttleBytesPerSecond.value_or(0);
        const double burst = rate * 0.05; // 50 ms of the rate
        for (;;) {
            if (stopped())
                return false;
            int64_t total = m_bytes.load();
            if (total + size > m_options.maxBytes) {
                stop("bytes");
                return false;
            }
            if (rate > 0) {
                const double wait = (double(total + size) - burst) / rate - elapsed();
                if (wait > 0) {
                    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(wait, 0.05)));
                    continue;
                }
            }
            if (m_bytes.compare_exchange_weak(total, total + size)) {
                if (m_options.bytesRead)
                    m_options.bytesRead->store(total + size);
                return true;
            }
        }
    }

    std::string reason()
    {
        std::lock_guard lock(m_mutex);
        return m_reason;
    }

private:
    const ReplayReadOptions &m_options;
    const std::atomic<bool> *m_cancel;
    const Clock::time_point m_start = Clock::now();
    std::atomic<int64_t> m_bytes{0};
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::string m_reason;
};

ConnectionProfile readerProfile(ConnectionProfile profile, const ReplayReadOptions &o)
{
    profile.extra["enable.partition.eof"] = "true";
    profile.extra["auto.offset.reset"] = "error"; // an offset the log no longer holds is reported, not skipped
    if (!o.clientRack.empty())
        profile.extra["client.rack"] = o.clientRack;
    if (o.throttleBytesPerSecond) // a small prefetch: the wire follows the throttle, not only the reading
        profile.extra["queued.max.messages.kbytes"] = "256";
    return profile;
}

// One reader: its own client and queue, its share of the partitions.
class Fetcher
{
public:
    Fetcher(const ConnectionProfile &profile, std::vector<ProbePartition *> parts, Budget &budget)
        : m_client(profile, "replay-probe"), m_parts(std::move(parts)), m_budget(budget)
    {}

    void run();

    std::map<int32_t, ProbeBroker> brokers;
    std::vector<int64_t> timeline;

private:
    using Started = std::map<std::pair<rd_kafka_topic_t *, int32_t>, ProbePartition *>;
    void startAll();
    void onMessage(const rd_kafka_message_t &m);
    void onError(Started::iterator it, const rd_kafka_message_t &m);
    void count(ProbePartition &p, const rd_kafka_message_t &m, int64_t size);
    void finish(Started::iterator it);
    void stopReading(Started::iterator it);

    KafkaClient m_client;
    std::vector<ProbePartition *> m_parts;
    Budget &m_budget;
    rdk::Queue m_queue;
    std::map<std::string, Topic> m_topics;
    Started m_started; // the partitions being read (a finished or failed one is stopped and taken out)
    size_t m_open = 0;
};

void Fetcher::startAll()
{
    m_queue.reset(rd_kafka_queue_new(m_client.get()));
    for (ProbePartition *p : m_parts) {
        auto &t = m_topics[p->topic];
        if (!t)
            t.reset(rd_kafka_topic_new(m_client.get(), p->topic.c_str(), nullptr));
        if (!t || rd_kafka_consume_start_queue(t.get(), p->partition, p->fromOffset, m_queue.get()) == -1) {
            p->error = "could not start reading: " + rdErrorText(rd_kafka_last_error());
            continue;
        }
        m_started[{t.get(), p->partition}] = p;
        ++m_open;
    }
}

void Fetcher::run()
{
    startAll();
    while (m_open > 0 && !m_budget.stopped()) {
        Message m(rd_kafka_consume_queue(m_queue.get(), 100));
        if (m && m->rkt)
            onMessage(*m);
    }
    for (const auto &[key, p] : m_started)
        rd_kafka_consume_stop(key.first, key.second);
}

void Fetcher::onMessage(const rd_kafka_message_t &m)
{
    const auto it = m_started.find({m.rkt, m.partition});
    if (it == m_started.end())
        return; // stopped already: a message fetched before
    ProbePartition &p = *it->second;
    if (m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        // At the end of the log: offsets up to `endOffset` left hold no records (transaction markers, compaction).
        p.nextOffset = std::max(p.nextOffset, p.endOffset);
        finish(it);
        return;
    }
    if (m.err) {
        onError(it, m);
        return;
    }
    if (m.offset < p.nextOffset)
        return; // a duplicate after a retried fetch
    const int64_t size = int64_t(m.len + m.key_len);
    if (!m_budget.take(size))
        return;
    count(p, m, size);
    if (p.nextOffset >= p.endOffset)
        finish(it);
}

void Fetcher::onError(Started::iterator it, const rd_kafka_message_t &m)
{
    ProbePartition &p = *it->second;
    if (m.err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE || m.err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
        p.error = "offset " + std::to_string(p.nextOffset) + " is no longer in the log (retention deleted it)";
    } else if (m.err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        p.error = "not allowed to read the topic (it needs a Read ACL)";
    } else {
        p.error = rdErrorText(m.err); // retried by the client (a broker down): kept until it reads again
        return;
    }
    stopReading(it);
}

void Fetcher::count(ProbePartition &p, const rd_kafka_message_t &m, int64_t size)
{
    const double at = m_budget.elapsed();
    if (p.firstByteMs < 0)
        p.firstByteMs = at * 1000;
    p.error.clear();
    ++p.messages;
    p.bytes += size;
    if (m.offset < p.localLogStart)
        p.remoteBytes += size;
    p.nextOffset = m.offset + 1;
    const int32_t broker = rd_kafka_message_broker_id(&m);
    ProbeBroker &b = brokers[broker];
    b.id = broker;
    b.bytes += size;
    ++b.messages;
    if (broker != p.leader)
        b.fromFollower += size;
    const auto second = size_t(at);
    if (timeline.size() <= second)
        timeline.resize(second + 1, 0);
    timeline[second] += size;
}

void Fetcher::finish(Started::iterator it)
{
    it->second->complete = true;
    it->second->error.clear();
    stopReading(it);
}

void Fetcher::stopReading(Started::iterator it)
{
    rd_kafka_consume_stop(it->first.first, it->first.second);
    m_started.erase(it);
    --m_open;
}

void merge(ReplayRead &out, const Fetcher &f)
{
    for (const auto &[id, b] : f.brokers) {
        ProbeBroker &into = out.brokers[id];
        into.id = id;
        into.bytes += b.bytes;
        into.messages += b.messages;
        into.fromFollower += b.fromFollower;
    }
    if (out.bytesPerSecond.size() < f.timeline.size())
        out.bytesPerSecond.resize(f.timeline.size(), 0);
    for (size_t i = 0; i < f.timeline.size(); ++i)
        out.bytesPerSecond[i] += f.timeline[i];
}

} // namespace

ReplayRead readReplay(const ConnectionProfile &profile, std::vector<ProbePartition> &partitions,
                      const ReplayReadOptions &options, const std::atomic<bool> *cancel)
{
    std::vector<std::vector<ProbePartition *>> shares(size_t(std::max(1, options.fetchers)));
    size_t next = 0;
    for (auto &p : partitions) {
        p.nextOffset = p.fromOffset;
        if (p.fromOffset >= p.endOffset)
            p.complete = p.error.empty(); // nothing in the range
        else if (p.error.empty())
            shares[next++ % shares.size()].push_back(&p);
    }
    Budget budget(options, cancel);
    const ConnectionProfile reader = readerProfile(profile, options);
    std::vector<std::unique_ptr<Fetcher>> fetchers;
    for (auto &share : shares)
        if (!share.empty())
            fetchers.push_back(std::make_unique<Fetcher>(reader, std::move(share), budget));
    std::vector<std::thread> threads;
    for (auto &f : fetchers)
        threads.emplace_back([&f] { f->run(); });
    for (auto &t : threads)
        t.join();
    ReplayRead out;
    out.seconds = budget.elapsed();
    for (const auto &f : fetchers)
        merge(out, *f);
    out.stoppedBy = budget.reason();
    if (out.stoppedBy.empty())
        out.stoppedBy = std::all_of(partitions.begin(), partitions.end(), [](const auto &p) { return p.complete; })
                            ? "complete"
                            : "errors";
    return out;
}

} // namespace kp
