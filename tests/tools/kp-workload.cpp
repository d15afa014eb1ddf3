// kp-workload: the living workload of the demo (scripts/demo.sh), so that every page of the app has something moving
// within a minute. A demo tool: it creates topics, writes and consumes; the app never does.
//
//   kp-workload [--bootstrap HOSTS] [--wave-seconds S] [--seconds N] [--stdin]
//
// - topics demo.clicks (6 partitions), demo.features (12) and demo.labels (3), RF 3, made when missing;
// - producers on each at a rate that swings over minutes (clicks 150/s, features 80/s, labels 20/s on average);
// - demo-online tails clicks and features as they arrive;
// - demo-batch reads clicks and labels at a rate that is above what arrives for two minutes, below it for three: its
//   lag rises and falls;
// - demo-refresh replays the last five minutes of demo.features every S seconds (default 180), throttled to four times
//   its produce rate, and leaves the group once caught up: a refresh wave.
// Runs until SIGTERM, SIGINT, N seconds (0, the default: no limit), or with --stdin until stdin closes (the demo's
// shell going away).

#include "kafka/rdkafkahandles.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace kp;
using Clock = std::chrono::steady_clock;

namespace {

std::atomic<bool> g_stop{false};

[[noreturn]] void die(const std::string &what)
{
    std::fprintf(stderr, "kp-workload: %s\n", what.c_str());
    std::exit(1);
}

rdk::Handle makeClient(rd_kafka_type_t type, const std::string &bootstrap,
                       const std::map<std::string, std::string> &extra = {})
{
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    char err[512];
    std::map<std::string, std::string> all = extra;
    all["bootstrap.servers"] = bootstrap;
    for (const auto &[k, v] : all)
        if (rd_kafka_conf_set(c, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
            die("config " + k + ": " + err);
    rd_kafka_t *rk = rd_kafka_new(type, c, err, sizeof err);
    if (!rk)
        die(err);
    return rdk::Handle(rk);
}

struct DemoTopic
{
    const char *name;
    int partitions;
    double rate;      // messages per second on average
    double swing;     // the rate goes from (1 - swing) to (1 + swing) times the average
    double periodSec; // over this period
};

const DemoTopic kTopics[] = {
    {"demo.clicks", 6, 150, 0.6, 240}, {"demo.features", 12, 80, 0.5, 420}, {"demo.labels", 3, 20, 0.8, 180}};

double rateAt(const DemoTopic &t, double seconds)
{
    return t.rate * (1 + t.swing * std::sin(2 * M_PI * seconds / t.periodSec));
}

void createTopics(rd_kafka_t *rk)
{
    std::vector<rd_kafka_NewTopic_t *> topics;
    char err[512];
    for (const auto &t : kTopics)
        topics.push_back(rd_kafka_NewTopic_new(t.name, t.partitions, 3, err, sizeof err));
    rdk::Queue q(rd_kafka_queue_new(rk));
    rd_kafka_CreateTopics(rk, topics.data(), topics.size(), nullptr, q.get());
    rdk::Event ev(rd_kafka_queue_poll(q.get(), 30000));
    for (auto *t : topics)
        rd_kafka_NewTopic_destroy(t);
    if (!ev)
        die("CreateTopics: no answer within 30 s");
    size_t n = 0;
    const rd_kafka_topic_result_t **results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n);
    for (size_t i = 0; i < n; ++i) {
        const auto code = rd_kafka_topic_result_error(results[i]);
        if (code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
            die(std::string("create ") + rd_kafka_topic_result_name(results[i]) + ": " + rd_kafka_err2str(code));
    }
}

// Writes every topic at its swinging rate: values of 200 to 800 bytes, partitions in turn.
void produce(const std::string &bootstrap)
{
    auto p = makeClient(RD_KAFKA_PRODUCER, bootstrap, {{"linger.ms", "20"}, {"acks", "all"}});
    const auto start = Clock::now();
    std::map<std::string, double> due;
    std::map<std::string, int64_t> sent;
    std::string value(800, 'x');
    while (!g_stop) {
        const double now = std::chrono::duration<double>(Clock::now() - start).count();
        for (const auto &t : kTopics) {
            due[t.name] += rateAt(t, now) * 0.1;
            for (; due[t.name] >= 1; due[t.name] -= 1) {
                const int64_t i = sent[t.name]++;
                const size_t size = 200 + size_t((i * 37) % 600);
                rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(t.name), RD_KAFKA_V_PARTITION(int32_t(i % t.partitions)),
                                  RD_KAFKA_V_VALUE(value.data(), size), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                  RD_KAFKA_V_END);
            }
        }
        rd_kafka_poll(p.get(), 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    rd_kafka_flush(p.get(), 10000);
}

rdk::Handle subscribe(const std::string &bootstrap, const std::string &group, const std::vector<std::string> &topics,
                      std::map<std::string, std::string> extra = {})
{
    extra["group.id"] = group;
    extra["client.id"] = group;
    extra["enable.auto.commit"] = "true";
    extra["auto.commit.interval.ms"] = "1000";
    extra["auto.offset.reset"] = extra.count("auto.offset.reset") ? extra["auto.offset.reset"] : "latest";
    auto c = makeClient(RD_KAFKA_CONSUMER, bootstrap, extra);
    rd_kafka_poll_set_consumer(c.get());
    rdk::PartitionList list(rd_kafka_topic_partition_list_new(int(topics.size())));
    for (const auto &t : topics)
        rd_kafka_topic_partition_list_add(list.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
    if (auto err = rd_kafka_subscribe(c.get(), list.get()))
        die("subscribe " + group + ": " + rd_kafka_err2str(err));
    return c;
}

// Consumes at most `limit(seconds)` messages per second (no limit where it returns 0); `done` ends it early. The caller
// closes the consumer (after committing what it must).
template <typename Limit, typename Done> void consume(rd_kafka_t *c, Limit &&limit, Done &&done)
{
    const auto start = Clock::now();
    double allowance = 0;
    auto last = start;
    while (!g_stop && !done()) {
        const auto now = Clock::now();
        const double perSecond = limit(std::chrono::duration<double>(now - start).count());
        allowance = perSecond > 0
                        ? std::min(perSecond, allowance + perSecond * std::chrono::duration<double>(now - last).count())
                        : 1;
        last = now;
        if (perSecond > 0 && allowance < 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        if (rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 100)) {
            if (!m->err)
                allowance -= 1;
            rd_kafka_message_destroy(m);
        }
    }
}

struct Never
{
    bool operator()() const { return false; }
};

// Caught up once the consumer holds every partition of the topic and its position on each is at the end offset the
// fetches last saw (checked every half second). Partition EOF events were not enough: the wave left about 1,500
// messages short, every wave.
struct CaughtUp
{
    rd_kafka_t *consumer;
    int partitions;
    Clock::time_point lastCheck{};
    bool operator()()
    {
        if (Clock::now() - lastCheck < std::chrono::milliseconds(500))
            return false;
        lastCheck = Clock::now();
        rd_kafka_topic_partition_list_t *raw = nullptr;
        if (rd_kafka_assignment(consumer, &raw) != RD_KAFKA_RESP_ERR_NO_ERROR)
            return false;
        rdk::PartitionList assigned(raw);
        if (assigned->cnt != partitions || rd_kafka_position(consumer, assigned.get()) != RD_KAFKA_RESP_ERR_NO_ERROR)
            return false;
        for (int i = 0; i < assigned->cnt; ++i) {
            const auto &tp = assigned->elems[i];
            int64_t low = -1, high = -1;
            if (rd_kafka_get_watermark_offsets(consumer, tp.topic, tp.partition, &low, &high) || high < 0 ||
                tp.offset < high)
                return false;
        }
        return true;
    }
};

// A refresh wave: demo-refresh resets its offsets on every partition of demo.features to the first record of the last
// kReplaySeconds (as `kafka-consumer-groups --reset-offsets --to-datetime` would, committed at once, so that the whole
// rewind shows in one sample), reads at four times the topic's average produce rate until it reaches the end, and
// leaves.
constexpr int64_t kReplaySeconds = 300;

// The reset: each partition's committed offset set to its first record of the last kReplaySeconds, committed before
// the consumer joins (as --reset-offsets does for an empty group); partitions with nothing that recent keep theirs.
void resetToReplayStart(rd_kafka_t *rk, const DemoTopic &topic)
{
    const int64_t from =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count() -
        kReplaySeconds * 1000;
    rdk::PartitionList parts(rd_kafka_topic_partition_list_new(topic.partitions));
    for (int p = 0; p < topic.partitions; ++p)
        rd_kafka_topic_partition_list_add(parts.get(), topic.name, p)->offset = from;
    if (rd_kafka_offsets_for_times(rk, parts.get(), 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return;
    rdk::PartitionList rewound(rd_kafka_topic_partition_list_new(topic.partitions));
    for (int i = 0; i < parts->cnt; ++i)
        if (!parts->elems[i].err && parts->elems[i].offset >= 0)
            rd_kafka_topic_partition_list_add(rewound.get(), topic.name, parts->elems[i].partition)->offset =
                parts->elems[i].offset;
    if (rewound->cnt > 0)
        rd_kafka_commit(rk, rewound.get(), 0);
}

void refreshWaves(const std::string &bootstrap, int waveSeconds)
{
    const DemoTopic &features = kTopics[1];
    // The first a minute in (two minutes of data to replay by then on a new cluster), the others every S seconds.
    for (auto first = Clock::now() + std::chrono::seconds(std::min(60, waveSeconds)); !g_stop && Clock::now() < first;)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    while (!g_stop) {
        const auto next = Clock::now() + std::chrono::seconds(waveSeconds);
        std::fprintf(stderr, "kp-workload: refresh wave: demo-refresh replays the last %lld s of %s\n",
                     (long long)kReplaySeconds, features.name);
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        char err[512];
        for (const auto &[k, v] : std::map<std::string, std::string>{{"bootstrap.servers", bootstrap},
                                                                     {"group.id", "demo-refresh"},
                                                                     {"client.id", "demo-refresh"},
                                                                     {"enable.auto.commit", "true"},
                                                                     {"auto.commit.interval.ms", "1000"}})
            rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err);
        rdk::Handle c(rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err));
        if (!c)
            die(err);
        rd_kafka_poll_set_consumer(c.get());
        resetToReplayStart(c.get(), features);
        rdk::PartitionList list(rd_kafka_topic_partition_list_new(1));
        rd_kafka_topic_partition_list_add(list.get(), features.name, RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(c.get(), list.get());
        CaughtUp caughtUp{c.get(), features.partitions};
        consume(
            c.get(), [&](double) { return 4 * features.rate; }, caughtUp);
        // What it read, committed before it leaves (the group then shows the wave over, not stuck where it began).
        rd_kafka_commit(c.get(), nullptr, 0);
        rd_kafka_consumer_close(c.get());
        std::fprintf(stderr, "kp-workload: refresh wave caught up\n");
        while (!g_stop && Clock::now() < next)
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

} // namespace

int main(int argc, char **argv)
{
    std::string bootstrap = "127.0.0.1:19092";
    int waveSeconds = 180, seconds = 0;
    bool watchStdin = false;
    for (int i = 1; i < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--stdin") {
            watchStdin = true;
            --i;
            continue;
        }
        if (i + 1 >= argc)
            die(k + " needs a value");
        const std::string v = argv[i + 1];
        if (k == "--bootstrap")
            bootstrap = v;
        else if (k == "--wave-seconds")
            waveSeconds = std::max(10, std::atoi(v.c_str()));
        else if (k == "--seconds")
            seconds = std::max(0, std::atoi(v.c_str()));
        else
            die("unknown option " + k + " (--bootstrap HOSTS, --wave-seconds S, --seconds N, --stdin)");
    }
    std::signal(SIGTERM, [](int) { g_stop = true; });
    std::signal(SIGINT, [](int) { g_stop = true; });
    createTopics(makeClient(RD_KAFKA_PRODUCER, bootstrap).get());
    std::vector<std::thread> threads;
    threads.emplace_back(produce, bootstrap);
    threads.emplace_back([&] {
        auto c = subscribe(bootstrap, "demo-online", {"demo.clicks", "demo.features"});
        consume(
            c.get(), [](double) { return 0.0; }, Never{});
        rd_kafka_consumer_close(c.get());
    });
    threads.emplace_back([&] {
        auto c =
            subscribe(bootstrap, "demo-batch", {"demo.clicks", "demo.labels"}, {{"auto.offset.reset", "earliest"}});
        // Above the 170/s that arrive for two minutes, below for three: the lag rises and falls.
        consume(
            c.get(), [](double s) { return std::fmod(s, 300) < 120 ? 340.0 : 60.0; }, Never{});
        rd_kafka_consumer_close(c.get());
    });
    threads.emplace_back(refreshWaves, bootstrap, waveSeconds);
    if (watchStdin)
        std::thread([] {
            char buf[64];
            while (read(STDIN_FILENO, buf, sizeof buf) > 0) {
            }
            g_stop = true;
        }).detach();
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    std::printf("STARTED\n");
    std::fflush(stdout);
    while (!g_stop && (seconds == 0 || Clock::now() < end))
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    g_stop = true;
    for (auto &t : threads)
        t.join();
    return 0;
}
