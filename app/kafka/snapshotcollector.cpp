#include "snapshotcollector.h"

#include "brokerconnection.h"
#include "cancelled.h"
#include "clusterwire.h"
#include "groupwire.h"
#include "tieredoffsets.h"
#include "units.h"
#include "wirebuffer.h"

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

namespace {

using Clock = std::chrono::steady_clock;

int64_t epochMillisNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string errorText(const rd_kafka_error_t *e)
{
    return e ? std::string(rd_kafka_error_string(e)) : std::string();
}

std::string explain(rd_kafka_resp_err_t err, const std::string &what)
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

} // namespace

SnapshotCollector::SnapshotCollector(KafkaClient &client, CollectOptions options) : m_client(client), m_options(options)
{}

// One collection: holds the snapshot being built, the cancel flag and the progress callback.
class SnapshotCollector::Run
{
public:
    Run(KafkaClient &client, const CollectOptions &options, const std::atomic<bool> *cancel, const ProgressFn &progress)
        : m_client(client), m_opt(options), m_cancel(cancel), m_progress(progress)
    {}

    ClusterSnapshot run()
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

private:
    template <typename F> void step(const char *name, F &&body)
    {
        report(name, 0, 0);
        const auto t0 = Clock::now();
        const size_t problemsBefore = m_s.problems.size();
        bool ok = body();
        ok = ok && m_s.problems.size() == problemsBefore;
        m_s.timings.push_back(
            {name, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count(), ok});
    }

    void report(const std::string &step, int64_t done, int64_t total)
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

    bool cancelled() const { return m_cancel && m_cancel->load(); }
    // For a broker that accepted a connection earlier in this collection but did not answer within the timeout.
    std::string notAskedAgain() const
    {
        return "not asked: it did not answer an earlier request within " + formatSeconds(m_opt.timeoutMs) +
               " (frozen or overloaded?)";
    }
    std::string noAnswer() const { return "no answer within " + formatSeconds(m_opt.timeoutMs); }
    void checkCancel() const
    {
        if (cancelled())
            throw Cancelled();
    }

    void problem(const std::string &step, const std::string &subject, const std::string &message)
    {
        m_s.problems.push_back({step, subject, message});
    }

    rdk::AdminOptions adminOptions(rd_kafka_admin_op_t op)
    {
        rdk::AdminOptions o(rd_kafka_AdminOptions_new(m_rk, op));
        char errstr[256];
        rd_kafka_AdminOptions_set_request_timeout(o.get(), m_opt.timeoutMs, errstr, sizeof errstr);
        return o;
    }

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

    bool metadata()
    {
        // Over the app's own client first, at a bootstrap server that answered: it names each topic's id (Metadata
        // v10+; a deleted and recreated topic gets a new one) and each broker's rack. librdkafka's metadata serves
        // where the app's own client could not connect (a PKCS12 keystore, say).
        const auto wire =
            metadataFromFirst(m_client.profile(), m_client.answeringBootstrap(), m_opt.timeoutMs, m_cancel);
        checkCancel();
        if (wire)
            readMetadata(*wire);
        else
            readLibrdkafkaMetadata();
        std::sort(m_s.brokers.begin(), m_s.brokers.end(), [](auto &a, auto &b) { return a.id < b.id; });
        std::sort(m_s.topics.begin(), m_s.topics.end(), [](auto &a, auto &b) { return a.name < b.name; });
        // Metadata lists live brokers only; a replica on a broker missing from it means that broker is down.
        std::map<int32_t, int64_t> missing;
        for (const auto &t : m_s.topics)
            for (const auto &p : t.partitions)
                for (int32_t r : p.replicas)
                    if (!m_s.broker(r))
                        ++missing[r];
        for (const auto &[id, count] : missing)
            problem("metadata", "broker " + std::to_string(id),
                    "broker " + std::to_string(id) + " holds " + std::to_string(count) +
                        " replica(s) but is not in the cluster metadata: it is down or unreachable");
        if (m_s.clusterId.empty())
            problem("metadata", "", "the cluster did not say its cluster id");
        report("Metadata", 1, 1);
        return true;
    }

    // A topic as metadata lists it; false when internal topics are not wanted and this is one.
    bool addTopic(TopicInfo &&t, int16_t errorCode)
    {
        t.internal = t.internal || t.name.rfind("__", 0) == 0;
        if (t.internal && !m_opt.includeInternalTopics)
            return false;
        if (errorCode != 0) {
            t.error = rdErrorText(rd_kafka_resp_err_t(errorCode)); // librdkafka's codes are Kafka's
            problem("metadata", "topic " + t.name,
                    explain(rd_kafka_resp_err_t(errorCode), "reading the topic's metadata"));
        }
        std::sort(t.partitions.begin(), t.partitions.end(), [](auto &a, auto &b) { return a.partition < b.partition; });
        m_s.topics.push_back(std::move(t));
        return true;
    }

    void readMetadata(const wire::MetadataResponse &md)
    {
        for (const auto &mb : md.brokers) {
            BrokerInfo b;
            b.id = mb.nodeId;
            b.host = mb.host;
            b.port = mb.port;
            b.rack = mb.rack.value_or(std::string());
            b.rackKnown = true; // Metadata v1+ says the rack, or that there is none
            m_s.brokers.push_back(std::move(b));
        }
        m_s.clusterId = md.clusterId.value_or(std::string());
        for (const auto &mt : md.topics) {
            TopicInfo t;
            t.name = mt.name;
            t.topicId = mt.topicId;
            t.internal = mt.internal;
            t.partitions.reserve(mt.partitions.size());
            for (const auto &mp : mt.partitions) {
                PartitionInfo p;
                p.partition = mp.partition;
                p.leader = mp.leader;
                p.replicas = mp.replicas;
                p.isr = mp.isr;
                if (mp.errorCode != 0)
                    p.error = rdErrorText(rd_kafka_resp_err_t(mp.errorCode));
                t.partitions.push_back(std::move(p));
            }
            addTopic(std::move(t), mt.errorCode);
        }
    }

    void readLibrdkafkaMetadata()
    {
        const rd_kafka_metadata_t *md = nullptr;
        rd_kafka_resp_err_t err = rd_kafka_metadata(m_rk, 1, nullptr, &md, m_opt.timeoutMs);
        rdk::Metadata guard(md);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            throw CollectError("could not read cluster metadata from " + m_client.profile().bootstrap + ": " +
                               rdErrorText(err));
        for (int i = 0; i < md->broker_cnt; ++i) {
            BrokerInfo b;
            b.id = md->brokers[i].id;
            b.host = md->brokers[i].host ? md->brokers[i].host : "";
            b.port = md->brokers[i].port;
            m_s.brokers.push_back(std::move(b)); // racks come from the broker configs
        }
        for (int i = 0; i < md->topic_cnt; ++i) {
            const auto &mt = md->topics[i];
            TopicInfo t;
            t.name = mt.topic;
            t.partitions.reserve(size_t(mt.partition_cnt));
            for (int k = 0; k < mt.partition_cnt; ++k) {
                const auto &mp = mt.partitions[k];
                PartitionInfo p;
                p.partition = mp.id;
                p.leader = mp.leader;
                p.replicas.assign(mp.replicas, mp.replicas + mp.replica_cnt);
                p.isr.assign(mp.isrs, mp.isrs + mp.isr_cnt);
                if (mp.err != RD_KAFKA_RESP_ERR_NO_ERROR)
                    p.error = rdErrorText(mp.err);
                t.partitions.push_back(std::move(p));
            }
            addTopic(std::move(t), int16_t(mt.err));
        }
        if (char *id = rd_kafka_clusterid(m_rk, m_opt.timeoutMs)) {
            m_s.clusterId = id;
            rd_kafka_mem_free(m_rk, id);
        }
    }

    // Brokers in the order to ask them for what any broker can answer: those that answered this collection first,
    // then the others; brokers that accepted a connection but did not answer are left out.
    std::vector<BrokerAddress> liveBrokersFirst() const
    {
        std::vector<BrokerAddress> out = brokerAddresses();
        std::erase_if(out, [this](const BrokerAddress &b) { return m_silent.count(b.id) > 0; });
        std::stable_partition(out.begin(), out.end(),
                              [this](const BrokerAddress &b) { return m_answered.count(b.id); });
        return out;
    }

    // Keeps a DescribeConfigs answer's values in `out` (the request named the keys).
    static void readConfigs(const wire::ConfigResourceResult &res, ConfigMap &out)
    {
        for (const auto &[name, value] : res.configs)
            out[name] = value.value_or(std::string());
    }

    bool brokerConfigs()
    {
        // BROKER resources are answered by the broker they name: each broker asked at once, each over its own
        // connection, so that one that does not answer costs only its own settings.
        std::vector<std::future<ConfigsAnswer>> futures;
        for (const BrokerAddress &b : brokerAddresses())
            futures.push_back(std::async(std::launch::async, [this, b] {
                return describeConfigsAtFirst(m_client.profile(), {b},
                                              {{wire::ConfigResourceType::Broker, std::to_string(b.id)}},
                                              brokerConfigKeys(), 1, m_opt.timeoutMs, m_cancel);
            }));
        for (size_t i = 0; i < futures.size(); ++i) {
            ConfigsAnswer answer = futures[i].get();
            BrokerInfo &b = m_s.brokers[i];
            report("Broker configs", int64_t(i + 1), int64_t(futures.size()));
            const std::string unknown =
                b.rackKnown ? " (broker settings unknown)" : " (rack and broker settings unknown)";
            if (!answer.error.empty()) {
                if (answer.silent)
                    m_silent.insert(b.id);
                if (!cancelled())
                    problem("brokerConfigs", "broker " + std::to_string(b.id), answer.error + unknown);
                continue;
            }
            m_answered.insert(b.id);
            const auto *res = answer.results.empty() ? nullptr : &answer.results.front();
            if (!res || res->errorCode != 0) {
                const auto code = rd_kafka_resp_err_t(res ? res->errorCode : 0);
                problem("brokerConfigs", "broker " + std::to_string(b.id),
                        (res ? explain(code, "DescribeConfigs on broker " + std::to_string(b.id))
                             : "DescribeConfigs on broker " + std::to_string(b.id) + " answered for nothing") +
                            unknown);
                continue;
            }
            readConfigs(*res, b.configs);
            if (!b.rackKnown) { // metadata came from librdkafka, which keeps racks to itself
                auto rack = b.configs.find("broker.rack");
                b.rack = rack == b.configs.end() ? std::string() : rack->second;
                b.rackKnown = true;
            }
        }
        checkCancel();
        return true;
    }

    bool topicConfigs()
    {
        // TOPIC resources may be asked of any broker: of one that answered already, in batches pipelined on one
        // connection; should it fail, of the next.
        std::unordered_map<std::string, TopicInfo *> byName;
        std::vector<wire::ConfigResourceRequest> wanted;
        for (auto &t : m_s.topics) {
            if (!t.error.empty())
                continue;
            byName[t.name] = &t;
            wanted.push_back({wire::ConfigResourceType::Topic, t.name});
        }
        if (wanted.empty())
            return true;
        ConfigsAnswer answer =
            describeConfigsAtFirst(m_client.profile(), liveBrokersFirst(), wanted, topicConfigKeys(),
                                   size_t(std::max(1, m_opt.topicConfigsBatch)), m_opt.timeoutMs, m_cancel);
        checkCancel();
        std::unordered_map<std::string, std::string> denied;
        for (const auto &res : answer.results) {
            auto it = byName.find(res.name);
            if (it == byName.end() || res.type != wire::ConfigResourceType::Topic)
                continue;
            if (res.errorCode != 0) {
                denied[res.name] = explain(rd_kafka_resp_err_t(res.errorCode), "DescribeConfigs");
                continue;
            }
            readConfigs(res, it->second->configs);
            it->second->configsKnown = true;
        }
        report("Topic configs", int64_t(answer.results.size()), int64_t(wanted.size()));
        // One line per cause rather than one per topic: 50,000 identical lines help nobody.
        std::map<std::string, std::vector<std::string>> byCause;
        for (const auto &w : wanted) {
            const TopicInfo *t = byName.at(w.name);
            if (t->configsKnown)
                continue;
            auto d = denied.find(t->name);
            byCause[d != denied.end()      ? d->second
                    : answer.error.empty() ? std::string("DescribeConfigs did not answer for it")
                                           : answer.error]
                .push_back(t->name);
        }
        for (const auto &[cause, names] : byCause)
            problem("topicConfigs", std::to_string(names.size()) + " topic(s)",
                    cause + " (retention and other topic settings unknown for " + listSome(names) + ")");
        return true;
    }

    // "a, b, c, d, e, and 7 more"
    static std::string listSome(const std::vector<std::string> &names)
    {
        std::string list;
        for (size_t i = 0; i < names.size() && i < 5; ++i)
            list += (i ? ", " : "") + names[i];
        if (names.size() > 5)
            list += ", and " + std::to_string(names.size() - 5) + " more";
        return list;
    }

    bool watermarks()
    {
        // offsets_for_times sends one ListOffsets per leader for a whole list. Splitting by leader keeps a dead
        // leader from stalling everything else: each leader's batches run concurrently and time out on their own.
        std::map<int32_t, std::vector<PartitionInfo *>> byLeader;
        std::unordered_map<PartitionInfo *, std::string> topicOf;
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
        struct LeaderResult
        {
            int32_t leader;
            std::string error;
            int64_t failed = 0;
        };
        std::vector<std::future<LeaderResult>> futures;
        for (auto &[leader, parts] : byLeader) {
            futures.push_back(std::async(std::launch::async, [&, leader = leader, parts = parts]() {
                LeaderResult r{leader, {}, 0};
                const size_t batch = size_t(std::max(1, m_opt.watermarkBatch));
                for (size_t i = 0; i < parts.size(); i += batch) {
                    if (cancelled())
                        return r;
                    const size_t end = std::min(parts.size(), i + batch);
                    // Earliest and latest of a batch are two ListOffsets requests: both in flight at once, each
                    // writing its own field of the partitions.
                    // One request for the batch; should it fail as a whole (one topic in it just deleted: librdkafka
                    // fails every partition of the request), each topic of the batch is asked on its own, so that
                    // only that topic's watermarks stay unknown.
                    std::function<std::string(int64_t, const std::vector<PartitionInfo *> &)> ask =
                        [&](int64_t which, const std::vector<PartitionInfo *> &batch) -> std::string {
                        rdk::PartitionList list(rd_kafka_topic_partition_list_new(int(batch.size())));
                        for (PartitionInfo *p : batch)
                            rd_kafka_topic_partition_list_add(list.get(), topicOf.at(p).c_str(), p->partition)->offset =
                                which;
                        auto err = rd_kafka_offsets_for_times(m_rk, list.get(), m_opt.timeoutMs);
                        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                            std::map<std::string, std::vector<PartitionInfo *>> byTopic;
                            for (PartitionInfo *p : batch)
                                byTopic[topicOf.at(p)].push_back(p);
                            if (byTopic.size() < 2 || err == RD_KAFKA_RESP_ERR__TIMED_OUT)
                                return explain(err, "ListOffsets on broker " + std::to_string(leader));
                            std::string first;
                            for (const auto &[topic, one] : byTopic)
                                if (std::string e = ask(which, one); first.empty())
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
                    };
                    const std::vector<PartitionInfo *> batch(parts.begin() + std::ptrdiff_t(i),
                                                             parts.begin() + std::ptrdiff_t(end));
                    auto lookup = [&](int64_t which) { return ask(which, batch); };
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
            }));
        }
        for (auto &f : futures) {
            LeaderResult r = f.get();
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

    bool logDirs()
    {
        // DescribeLogDirs is not in librdkafka: our own wire client asks every broker at once, over the same
        // listener and security settings, and each broker's failure stays its own.
        std::vector<std::future<std::pair<wire::BrokerLogDirs, std::string>>> futures;
        for (const auto &b : m_s.brokers)
            futures.push_back(std::async(std::launch::async, [&, id = b.id, host = b.host, port = b.port]() {
                if (m_silent.count(id))
                    return std::make_pair(wire::BrokerLogDirs{}, notAskedAgain());
                try {
                    return std::make_pair(
                        wire::describeLogDirs(m_client.profile(), host, port, m_opt.timeoutMs, m_cancel),
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
                            : "DescribeLogDirs failed: " + wire::errorName(dirs.response.errorCode) +
                                  " (sizes unknown)");
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

    static bool lacksSize(const PartitionInfo &p) { return p.replicaSizes.empty() && p.watermarksKnown(); }

    bool needsEstimates() const
    {
        for (const auto &t : m_s.topics)
            for (const auto &p : t.partitions)
                if (lacksSize(p))
                    return true;
        return false;
    }

    // Where DescribeLogDirs gave nothing: bytes per offset from the last record batches of up to three partitions per
    // topic (their headers only, via Fetch v4 to each leader), times each partition's offset span.
    bool estimateSizes()
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
            const double bytesPerOffset =
                measured ? double(it->second.stats.bytes) / double(it->second.stats.offsets) : 0;
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

    struct TopicSample
    {
        wire::BatchStats stats;
        std::string error;
        bool retried = false;
    };

    // Fetches the given partitions from their leaders (leaders in parallel, `perRequest` partitions per request) and
    // adds what their record batches measure to each topic's sample.
    void fetchSamples(const std::map<int32_t, std::vector<wire::FetchPartitionRequest>> &byLeader, size_t perRequest,
                      std::map<std::string, TopicSample> &samples)
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

    // Tiered topics: where each partition's local log starts (ListOffsets -4), then the remote tier's bytes per offset
    // from the first record batches of up to three partitions per topic, fetched at the log start (the broker reads
    // them from the remote tier; only their headers are looked at).
    bool tieredOffsets()
    {
        for (const auto &p : readLocalLogStarts(m_client.profile(), brokerAddresses(), m_s, m_opt.timeoutMs, m_cancel))
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

    std::vector<BrokerAddress> brokerAddresses() const
    {
        std::vector<BrokerAddress> out;
        for (const auto &b : m_s.brokers)
            out.push_back({b.id, b.host, int(b.port)});
        return out;
    }

    bool groups()
    {
        // ListGroups on every broker ourselves: v5 names each group's type, and a broker that cannot be asked is named.
        const std::vector<BrokerAddress> brokers = brokerAddresses();
        std::vector<BrokerAddress> asked;
        for (const auto &b : brokers)
            if (m_silent.count(b.id))
                problem("groups", "",
                        "ListGroups on " + brokerName(b) + ": " + notAskedAgain() +
                            " (groups coordinated there are missing)");
            else
                asked.push_back(b);
        GroupListing listing = listGroupsOnEveryBroker(m_client.profile(), asked, m_opt.timeoutMs, m_cancel);
        checkCancel();
        for (const auto &e : listing.brokerErrors)
            problem("groups", "", e);
        if (listing.groups.empty() && listing.brokerErrors.size() < asked.size()) {
            // ListGroups filters silently by ACL. Committed offsets on record hint that groups exist unseen.
            if (const TopicInfo *offsets = m_s.topic("__consumer_offsets")) {
                int64_t records = 0;
                for (const auto &p : offsets->partitions)
                    records += p.watermarksKnown() ? p.highWatermark - p.lowWatermark : 0;
                if (records > 0)
                    problem("groups", "",
                            "ListGroups returned no group, yet __consumer_offsets holds " + std::to_string(records) +
                                " records: groups may be hidden from this user (Describe on Cluster or on each Group)");
            }
        }
        m_s.groups = std::move(listing.groups);
        std::vector<ConsumerGroup *> consumerProtocol;
        std::vector<std::string> ids; // described with the classic DescribeGroups
        for (auto &g : m_s.groups) {
            if (describedAsClassic(g))
                ids.push_back(g.groupId);
            else if (g.type == "consumer")
                consumerProtocol.push_back(&g);
        }
        for (const auto &e :
             describeConsumerProtocolGroups(m_client.profile(), brokers, consumerProtocol, m_opt.timeoutMs, m_cancel))
            problem(e.step, e.subject, e.message);
        checkCancel();
        rdk::Queue queue(rd_kafka_queue_new(m_rk));
        std::unordered_map<std::string, ConsumerGroup *> byId;
        for (auto &g : m_s.groups)
            byId[g.groupId] = &g;

        auto describeOptions = adminOptions(RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
        const size_t batch = size_t(std::max(1, m_opt.describeGroupsBatch));
        size_t requests = 0;
        for (size_t i = 0; i < ids.size(); i += batch) {
            std::vector<const char *> names;
            for (size_t k = i; k < std::min(ids.size(), i + batch); ++k)
                names.push_back(ids[k].c_str());
            rd_kafka_DescribeConsumerGroups(m_rk, names.data(), names.size(), describeOptions.get(), queue.get());
            ++requests;
        }
        size_t done = 0;
        std::set<std::string> described;
        drain(queue.get(), requests, [&](rd_kafka_event_t *ev) {
            if (auto err = rd_kafka_event_error(ev)) {
                problem("groups", "", explain(err, "DescribeGroups"));
                return;
            }
            const auto *result = rd_kafka_event_DescribeConsumerGroups_result(ev);
            size_t n = 0;
            const rd_kafka_ConsumerGroupDescription_t **descs =
                rd_kafka_DescribeConsumerGroups_result_groups(result, &n);
            for (size_t i = 0; i < n; ++i) {
                auto it = byId.find(rd_kafka_ConsumerGroupDescription_group_id(descs[i]));
                if (it == byId.end())
                    continue;
                ConsumerGroup &g = *it->second;
                described.insert(g.groupId);
                report("Consumer groups", int64_t(++done), int64_t(ids.size()));
                if (const rd_kafka_error_t *e = rd_kafka_ConsumerGroupDescription_error(descs[i])) {
                    g.error = errorText(e);
                    problem("groups", "group " + g.groupId,
                            explain(rd_kafka_error_code(e), "DescribeGroups") + " (state and members unknown)");
                    continue;
                }
                g.state = rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(descs[i]));
                g.simple = rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(descs[i]) != 0;
                if (const char *a = rd_kafka_ConsumerGroupDescription_partition_assignor(descs[i]))
                    g.protocol = a;
                if (const rd_kafka_Node_t *c = rd_kafka_ConsumerGroupDescription_coordinator(descs[i]))
                    g.coordinator = rd_kafka_Node_id(c);
                const size_t members = rd_kafka_ConsumerGroupDescription_member_count(descs[i]);
                for (size_t m = 0; m < members; ++m) {
                    const rd_kafka_MemberDescription_t *md = rd_kafka_ConsumerGroupDescription_member(descs[i], m);
                    GroupMember mem;
                    auto str = [](const char *s) { return s ? std::string(s) : std::string(); };
                    mem.memberId = str(rd_kafka_MemberDescription_consumer_id(md));
                    mem.groupInstanceId = str(rd_kafka_MemberDescription_group_instance_id(md));
                    mem.clientId = str(rd_kafka_MemberDescription_client_id(md));
                    mem.host = str(rd_kafka_MemberDescription_host(md));
                    if (const rd_kafka_MemberAssignment_t *asg = rd_kafka_MemberDescription_assignment(md)) {
                        if (const rd_kafka_topic_partition_list_t *tps = rd_kafka_MemberAssignment_partitions(asg)) {
                            for (int k = 0; k < tps->cnt; ++k)
                                mem.assignment.push_back({tps->elems[k].topic, tps->elems[k].partition});
                        }
                    }
                    std::sort(mem.assignment.begin(), mem.assignment.end());
                    g.members.push_back(std::move(mem));
                }
            }
        });
        const int64_t missing = int64_t(ids.size() - described.size());
        if (missing > 0)
            problem("groups", std::to_string(missing) + " group(s)",
                    "DescribeGroups: " + noAnswer() + " (state and members unknown)");
        return true;
    }

    bool groupOffsets()
    {
        // OffsetFetch straight to each group's coordinator over our own connection: librdkafka 2.0.2's
        // ListConsumerGroupOffsets dereferences a NULL group handle when a coordinator answers NOT_COORDINATOR (a
        // broker shutting down, librdkafka#5040) and takes the whole process down. One connection per coordinator,
        // coordinators in parallel; a group whose coordinator moved is asked again where FindCoordinator says.
        std::map<int32_t, std::vector<ConsumerGroup *>> byCoordinator;
        for (auto &g : m_s.groups)
            if (hasCommittedOffsets(g))
                byCoordinator[g.coordinator].push_back(&g);
        const std::vector<BrokerAddress> brokers = brokerAddresses();
        auto address = [&brokers](int32_t id) { return findBroker(brokers, id); };
        struct Answer
        {
            ConsumerGroup *group;
            std::optional<wire::OffsetFetchResponse> response;
            std::string error;
        };
        const auto &profile = m_client.profile();
        const int timeoutMs = m_opt.timeoutMs;
        const std::atomic<bool> *cancel = m_cancel;
        // Asks one broker for its groups; what it no longer coordinates comes back with NOT_COORDINATOR.
        auto askBroker = [&profile, timeoutMs, cancel](const BrokerAddress *where,
                                                       const std::vector<ConsumerGroup *> &groups) {
            std::vector<Answer> out;
            if (!where) {
                for (ConsumerGroup *g : groups)
                    out.push_back({g, std::nullopt, "its coordinator is not among the brokers"});
                return out;
            }
            try {
                wire::BrokerConnection conn(profile, where->host, where->port, timeoutMs, cancel);
                conn.open();
                if (wire::pickVersion(conn.apiVersions(), wire::kOffsetFetch, 5, 5) < 0)
                    throw std::runtime_error(conn.address() + " does not offer OffsetFetch version 5");
                for (ConsumerGroup *g : groups) {
                    try {
                        out.push_back({g,
                                       wire::decodeOffsetFetchResponse(conn.call(
                                           wire::kOffsetFetch, 5, wire::encodeOffsetFetchRequest(g->groupId))),
                                       {}});
                    } catch (const wire::ProtocolError &e) {
                        out.push_back({g, std::nullopt, e.what()});
                    }
                }
            } catch (const std::exception &e) {
                for (ConsumerGroup *g : groups)
                    if (std::none_of(out.begin(), out.end(), [g](const Answer &a) { return a.group == g; }))
                        out.push_back({g, std::nullopt, e.what()});
            }
            return out;
        };
        std::vector<std::future<std::vector<Answer>>> futures;
        for (auto &[coordinator, groups] : byCoordinator)
            futures.push_back(std::async(std::launch::async, askBroker, address(coordinator), groups));
        std::vector<Answer> answers;
        for (auto &f : futures)
            for (auto &a : f.get())
                answers.push_back(std::move(a));
        // Coordinators that moved (or were loading): FindCoordinator on any broker, then ask there, once.
        std::map<int32_t, std::vector<ConsumerGroup *>> moved;
        for (auto &a : answers) {
            const int16_t code = a.response ? a.response->errorCode : 0;
            if (code != 14 && code != 15 && code != 16)
                continue;
            for (const auto &b : m_s.brokers) {
                try {
                    wire::BrokerConnection conn(profile, b.host, b.port, timeoutMs, cancel);
                    conn.open();
                    const auto fc = wire::decodeFindCoordinatorResponse(
                        conn.call(wire::kFindCoordinator, 2, wire::encodeFindCoordinatorRequest(a.group->groupId)));
                    if (fc.errorCode == 0) {
                        a.group->coordinator = fc.nodeId;
                        moved[fc.nodeId].push_back(a.group);
                        a.response.reset();
                        a.error = "moved";
                    }
                    break;
                } catch (const std::exception &) {
                    continue; // the next broker
                }
            }
        }
        for (auto &[coordinator, groups] : moved)
            for (auto &retry : askBroker(address(coordinator), groups))
                for (auto &a : answers)
                    if (a.group == retry.group)
                        a = std::move(retry);
        int64_t done = 0;
        for (auto &a : answers) {
            ConsumerGroup &g = *a.group;
            report("Group offsets", ++done, int64_t(answers.size()));
            if (!a.response) {
                problem("groupOffsets", "group " + g.groupId,
                        "OffsetFetch: " + a.error + " (committed offsets unknown)");
                continue;
            }
            if (a.response->errorCode != 0) {
                problem("groupOffsets", "group " + g.groupId,
                        "OffsetFetch: " + wire::errorName(a.response->errorCode) + " (committed offsets unknown)");
                continue;
            }
            g.offsetsKnown = true;
            g.offsets.reserve(a.response->partitions.size());
            for (const auto &p : a.response->partitions) {
                GroupOffset o;
                o.topic = p.topic;
                o.partition = p.partition;
                o.committed = p.committed;
                if (p.errorCode != 0)
                    o.error = wire::errorName(p.errorCode);
                g.offsets.push_back(std::move(o));
            }
            std::sort(g.offsets.begin(), g.offsets.end(), [](const GroupOffset &x, const GroupOffset &y) {
                return std::tie(x.topic, x.partition) < std::tie(y.topic, y.partition);
            });
        }
        checkCancel();
        int64_t missing = 0;
        for (const auto &g : m_s.groups)
            if (!g.offsetsKnown && hasCommittedOffsets(g))
                ++missing;
        const int64_t reported = int64_t(std::count_if(m_s.problems.begin(), m_s.problems.end(),
                                                       [](const Problem &p) { return p.step == "groupOffsets"; }));
        if (missing > reported)
            problem("groupOffsets", std::to_string(missing - reported) + " group(s)",
                    "OffsetFetch: " + noAnswer() + " (committed offsets unknown)");
        return true;
    }

    KafkaClient &m_client;
    rd_kafka_t *m_rk = nullptr;
    const CollectOptions &m_opt;
    const std::atomic<bool> *m_cancel;
    const ProgressFn &m_progress;
    ClusterSnapshot m_s;
    std::set<int32_t> m_answered; // brokers that answered a request of this collection
    std::set<int32_t> m_silent;   // brokers that accepted a connection but did not answer: not asked again
    std::mutex m_progressMutex;
    std::string m_lastStep;
    int64_t m_lastDone = 0;
};

ClusterSnapshot SnapshotCollector::collect(const std::atomic<bool> *cancel, const ProgressFn &progress)
{
    Run run(m_client, m_options, cancel, progress);
    return run.run();
}

} // namespace kp
