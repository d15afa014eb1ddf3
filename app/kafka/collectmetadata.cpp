// Metadata (brokers, racks, topics, partitions) and the broker and topic configs of a collection.
#include "kafka/collectorrun.h"

namespace kp {

bool SnapshotCollector::Run::metadata()
{
    // Over the app's own client first, at a bootstrap server that answered: it names each topic's id (Metadata
    // v10+; a deleted and recreated topic gets a new one) and each broker's rack. librdkafka's metadata serves
    // where the app's own client could not connect (a PKCS12 keystore, say).
    const auto wire = metadataFromFirst(m_client.profile(), m_client.answeringBootstrap(), m_opt.timeoutMs, m_cancel);
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
bool SnapshotCollector::Run::addTopic(TopicInfo &&t, int16_t errorCode)
{
    t.internal = t.internal || t.name.rfind("__", 0) == 0;
    if (t.internal && !m_opt.includeInternalTopics)
        return false;
    if (errorCode != 0) {
        t.error = rdErrorText(rd_kafka_resp_err_t(errorCode)); // librdkafka's codes are Kafka's
        problem("metadata", "topic " + t.name, explain(rd_kafka_resp_err_t(errorCode), "reading the topic's metadata"));
    }
    std::sort(t.partitions.begin(), t.partitions.end(), [](auto &a, auto &b) { return a.partition < b.partition; });
    m_s.topics.push_back(std::move(t));
    return true;
}

void SnapshotCollector::Run::readMetadata(const wire::MetadataResponse &md)
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

void SnapshotCollector::Run::readLibrdkafkaMetadata()
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

// Keeps a DescribeConfigs answer's values in `out` (the request named the keys).
void SnapshotCollector::Run::readConfigs(const wire::ConfigResourceResult &res, ConfigMap &out)
{
    for (const auto &[name, value] : res.configs)
        out[name] = value.value_or(std::string());
}

bool SnapshotCollector::Run::brokerConfigs()
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
        const std::string unknown = b.rackKnown ? " (broker settings unknown)" : " (rack and broker settings unknown)";
        if (!answer.error.empty()) {
            if (answer.silent)
                markSilent(b.id);
            if (!cancelled())
                problem("brokerConfigs", "broker " + std::to_string(b.id), answer.error + unknown);
            continue;
        }
        markAnswered(b.id);
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

bool SnapshotCollector::Run::topicConfigs()
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
std::string SnapshotCollector::Run::listSome(const std::vector<std::string> &names)
{
    std::string list;
    for (size_t i = 0; i < names.size() && i < 5; ++i)
        list += (i ? ", " : "") + names[i];
    if (names.size() > 5)
        list += ", and " + std::to_string(names.size() - 5) + " more";
    return list;
}

} // namespace kp
