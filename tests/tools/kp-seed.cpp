// kp-seed: writes the known test workload (tests/common/seedspec.h) into the test cluster, or keeps an active
// consumer running, or makes a large workload for benchmarks. A test tool: it creates and writes, the app never does.
//
//   kp-seed seed  [--bootstrap HOSTS]                      topics, data, group offsets, ACLs
//   kp-seed hold  [--bootstrap HOSTS]                      the kp-active consumer: prints READY, runs until stdin
//   closes kp-seed scale [--bootstrap HOSTS] --topics N --partitions P [--rf R] --groups G [--messages M]
//                                                          (again on a cluster it scaled: tops up topics, tops up or
//                                                          trims groups to the counts given)
//   kp-seed timed --topic T --partitions P --messages M --base-ms B [--step-ms S] [--group G --commit N]
//   kp-seed commit --topic T --partitions P --group G --commit N
//   kp-seed timed ... [--rf R]                            (RF 3 unless given)
//   kp-seed delete-records --topic T --partitions P --before N   the log start of every partition moved to N
//   kp-seed set-config --topic T --config KEY=VALUE
//   kp-seed drop --topic T

#include "kafka/rdkafkahandles.h"
#include "seedspec.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <poll.h>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace kp;
namespace sd = kp::seed;

namespace {

[[noreturn]] void die(const std::string &what)
{
    std::fprintf(stderr, "kp-seed: %s\n", what.c_str());
    std::exit(1);
}

void set(rd_kafka_conf_t *c, const char *k, const std::string &v)
{
    char err[512];
    if (rd_kafka_conf_set(c, k, v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
        die(std::string("config ") + k + ": " + err);
}

// Records a producer could not deliver, and the last reason: a flush that returns is not a delivery.
std::atomic<int64_t> g_undelivered{0};
std::mutex g_undeliveredMutex;
std::string g_undeliveredReason;

rdk::Handle makeClient(rd_kafka_type_t type, const std::string &bootstrap,
                       const std::map<std::string, std::string> &extra = {})
{
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    set(c, "bootstrap.servers", bootstrap);
    if (type == RD_KAFKA_PRODUCER)
        rd_kafka_conf_set_dr_msg_cb(c, [](rd_kafka_t *, const rd_kafka_message_t *m, void *) {
            if (m->err) {
                ++g_undelivered;
                std::lock_guard lock(g_undeliveredMutex);
                g_undeliveredReason = rd_kafka_err2str(m->err);
            }
        });
    for (const auto &[k, v] : extra)
        set(c, k.c_str(), v);
    if (const char *debug = std::getenv("KP_SEED_DEBUG"))
        set(c, "debug", debug);
    char err[512];
    rd_kafka_t *rk = rd_kafka_new(type, c, err, sizeof err);
    if (!rk)
        die(std::string("rd_kafka_new: ") + err);
    return rdk::Handle(rk);
}

// Issues an idempotent admin request and waits for its result, again up to three more times when it times out: a
// freshly started KRaft cluster sometimes leaves a first request unanswered.
rdk::Event adminCall(rd_kafka_t *rk, const char *what, rd_kafka_admin_op_t op,
                     const std::function<void(const rd_kafka_AdminOptions_t *, rd_kafka_queue_t *)> &issue)
{
    for (int attempt = 0; attempt < 4; ++attempt) {
        rdk::Queue q(rd_kafka_queue_new(rk));
        rdk::AdminOptions opt(rd_kafka_AdminOptions_new(rk, op));
        rd_kafka_AdminOptions_set_request_timeout(opt.get(), 15000, nullptr, 0);
        if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS)
            rd_kafka_AdminOptions_set_operation_timeout(opt.get(), 14000, nullptr, 0);
        issue(opt.get(), q.get());
        rdk::Event ev(rd_kafka_queue_poll(q.get(), 30000));
        if (ev && rd_kafka_event_error(ev.get()) != RD_KAFKA_RESP_ERR__TIMED_OUT) {
            if (rd_kafka_event_error(ev.get()))
                die(std::string(what) + ": " + rd_kafka_event_error_string(ev.get()));
            return ev;
        }
        std::fprintf(stderr, "kp-seed: %s timed out, retrying\n", what);
    }
    die(std::string(what) + ": no answer after 4 attempts");
}

struct TopicSpec
{
    std::string name;
    int partitions;
    int rf;
    std::vector<std::pair<std::string, std::string>> configs;
};

// Topics the given broker does not yet report with all their partitions led; empty when it knows them all. A client
// bootstrapped from that one broker asks it, and only it, before it has learnt of any other.
std::vector<std::string> topicsUnknownTo(const std::string &broker, const std::vector<TopicSpec> &specs)
{
    auto c = makeClient(RD_KAFKA_PRODUCER, broker);
    const rd_kafka_metadata_t *md = nullptr;
    std::vector<std::string> missing;
    if (rd_kafka_metadata(c.get(), 1, nullptr, &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (const auto &s : specs)
            missing.push_back(s.name);
        return missing;
    }
    std::map<std::string, const rd_kafka_metadata_topic_t *> byName;
    for (int i = 0; i < md->topic_cnt; ++i)
        byName[md->topics[i].topic] = &md->topics[i];
    for (const auto &s : specs) {
        const auto it = byName.find(s.name);
        bool ok = it != byName.end() && it->second->err == RD_KAFKA_RESP_ERR_NO_ERROR &&
                  it->second->partition_cnt == s.partitions;
        for (int p = 0; ok && p < it->second->partition_cnt; ++p)
            ok = it->second->partitions[p].leader >= 0;
        if (!ok)
            missing.push_back(s.name);
    }
    rd_kafka_metadata_destroy(md);
    return missing;
}

// Waits until every broker reports the new topics with all their partitions. KRaft brokers learn of a topic a moment
// after CreateTopics returns, and a librdkafka 2.0.2 producer that asks a broker still behind takes the topic for one
// with no partitions and fails every queued record with "Unknown partition" (librdkafka#4904).
void awaitTopicsOnEveryBroker(rd_kafka_t *rk, const std::vector<TopicSpec> &specs)
{
    const rd_kafka_metadata_t *md = nullptr;
    if (auto err = rd_kafka_metadata(rk, 0, nullptr, &md, 10000))
        die(std::string("list brokers: ") + rd_kafka_err2str(err));
    std::vector<std::string> brokers;
    for (int i = 0; i < md->broker_cnt; ++i)
        brokers.push_back(std::string(md->brokers[i].host) + ":" + std::to_string(md->brokers[i].port));
    rd_kafka_metadata_destroy(md);
    // Gives up after 60 s without progress: a broker of a large benchmark cluster takes minutes to lead 20,000 new
    // partitions, but reports more of them on every look.
    for (const auto &broker : brokers) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        size_t lastMissing = specs.size() + 1;
        while (true) {
            const auto missing = topicsUnknownTo(broker, specs);
            if (missing.empty())
                break;
            if (missing.size() < lastMissing)
                deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
            lastMissing = missing.size();
            if (std::chrono::steady_clock::now() > deadline)
                die("broker " + broker + " still does not report " + std::to_string(missing.size()) +
                    " new topic(s), first " + missing.front() + ", after 60 s without progress");
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
}

void createTopics(rd_kafka_t *rk, const std::vector<TopicSpec> &specs)
{
    // At most 200 topics and 5,000 partitions a request: a KRaft controller refuses a request that creates more than
    // 10,000 partitions ("Excessively large number of partitions per request").
    for (size_t i = 0, end = 0; i < specs.size(); i = end) {
        int batchPartitions = 0;
        for (end = i;
             end < specs.size() && end < i + 200 && (end == i || batchPartitions + specs[end].partitions <= 5000);
             ++end)
            batchPartitions += specs[end].partitions;
        int attempts = 0;
        auto ev = adminCall(rk, "create topics", RD_KAFKA_ADMIN_OP_CREATETOPICS,
                            [&](const rd_kafka_AdminOptions_t *opt, rd_kafka_queue_t *q) {
                                ++attempts;
                                std::vector<rd_kafka_NewTopic_t *> arr;
                                char err[512];
                                for (size_t k = i; k < end; ++k) {
                                    auto *nt = rd_kafka_NewTopic_new(specs[k].name.c_str(), specs[k].partitions,
                                                                     specs[k].rf, err, sizeof err);
                                    if (!nt)
                                        die(err);
                                    for (const auto &[ck, cv] : specs[k].configs)
                                        rd_kafka_NewTopic_set_config(nt, ck.c_str(), cv.c_str());
                                    arr.push_back(nt);
                                }
                                rd_kafka_CreateTopics(rk, arr.data(), arr.size(), opt, q);
                                for (auto *nt : arr)
                                    rd_kafka_NewTopic_destroy(nt);
                            });
        size_t n = 0;
        const rd_kafka_topic_result_t **res =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n);
        for (size_t k = 0; k < n; ++k) {
            const auto err = rd_kafka_topic_result_error(res[k]);
            // A timed-out attempt may have created the topics: on a retry, "already exists" is ours.
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR || (attempts > 1 && err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS))
                continue;
            die(std::string("create topic ") + rd_kafka_topic_result_name(res[k]) + ": " +
                rd_kafka_topic_result_error_string(res[k]) +
                (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS
                     ? " (the cluster is already seeded: restart it with cluster.sh start --fresh)"
                     : ""));
        }
    }
    awaitTopicsOnEveryBroker(rk, specs);
}

std::string value(int bytes, const std::string &topic, int partition, int64_t index)
{
    std::string v = topic + ":" + std::to_string(partition) + ":" + std::to_string(index) + ":";
    if (int(v.size()) > bytes)
        v.resize(size_t(bytes));
    while (int(v.size()) < bytes)
        v += char('a' + (v.size() % 26));
    return v;
}

struct ProduceSpec
{
    std::string topic;
    int partitions;
    int valueBytes;
    bool keyed;
    std::function<int64_t(int)> count;
};

void produce(const std::string &bootstrap, const std::vector<ProduceSpec> &specs)
{
    auto p = makeClient(RD_KAFKA_PRODUCER, bootstrap,
                        {{"enable.idempotence", "true"},
                         {"acks", "all"},
                         {"linger.ms", "5"},
                         {"queue.buffering.max.messages", "1000000"}});
    int64_t failed = 0;
    for (const auto &s : specs) {
        for (int part = 0; part < s.partitions; ++part) {
            const int64_t n = s.count(part);
            for (int64_t i = 0; i < n; ++i) {
                const std::string v = value(s.valueBytes, s.topic, part, i);
                const std::string key = "key-" + std::to_string(part) + "-" + std::to_string(i);
                rd_kafka_resp_err_t err;
                while (true) {
                    err = rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(s.topic.c_str()), RD_KAFKA_V_PARTITION(part),
                                            RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                                            RD_KAFKA_V_KEY(s.keyed ? key.data() : nullptr, s.keyed ? key.size() : 0),
                                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        break;
                    rd_kafka_poll(p.get(), 50);
                }
                if (err)
                    ++failed;
            }
            rd_kafka_poll(p.get(), 0);
        }
    }
    if (rd_kafka_flush(p.get(), 120000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        die("flush timed out");
    if (failed)
        die("failed to produce " + std::to_string(failed) + " messages");
}

bool retriable(rd_kafka_resp_err_t e)
{
    return e == RD_KAFKA_RESP_ERR_NOT_COORDINATOR || e == RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS ||
           e == RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE || e == RD_KAFKA_RESP_ERR__TIMED_OUT ||
           e == RD_KAFKA_RESP_ERR__WAIT_COORD || e == RD_KAFKA_RESP_ERR__TRANSPORT;
}

// Commits a group's offsets as a consumer that never joins the group (OffsetCommit without a generation), which is
// how Kafka's own tools reset offsets; librdkafka's group handling waits for the coordinator itself. Not the admin
// AlterConsumerGroupOffsets: in librdkafka 2.0.2 it gives up after three COORDINATOR_NOT_AVAILABLE answers on a
// freshly started cluster, never reports it, and asserts (enq_once refcnt) when the request is issued again.
class GroupCommitter
{
public:
    GroupCommitter(const std::string &bootstrap, const std::string &group)
        : m_group(group),
          m_consumer(
              makeClient(RD_KAFKA_CONSUMER, bootstrap,
                         {{"group.id", group}, {"enable.auto.commit", "false"}, {"enable.partition.eof", "false"}}))
    {}

    void commit(const std::string &topic, int partitions, const std::function<int64_t(int)> &offset)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (true) {
            const rd_kafka_resp_err_t err = tryCommit(topic, partitions, offset);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
                return;
            if (!retriable(err))
                die("commit offsets for " + m_group + ": " + rd_kafka_err2str(err));
            if (std::chrono::steady_clock::now() > deadline)
                die("commit offsets for " + m_group + ": still " + rd_kafka_err2str(err) + " after 60 s");
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    }

private:
    rd_kafka_resp_err_t tryCommit(const std::string &topic, int partitions, const std::function<int64_t(int)> &offset)
    {
        rdk::PartitionList list(rd_kafka_topic_partition_list_new(partitions));
        for (int p = 0; p < partitions; ++p)
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = offset(p);
        rdk::Queue q(rd_kafka_queue_new(m_consumer.get()));
        if (auto err = rd_kafka_commit_queue(m_consumer.get(), list.get(), q.get(), nullptr, nullptr))
            return err;
        rdk::Event ev(rd_kafka_queue_poll(q.get(), 30000));
        if (!ev)
            return RD_KAFKA_RESP_ERR__TIMED_OUT;
        if (auto err = rd_kafka_event_error(ev.get()))
            return err;
        if (const auto *parts = rd_kafka_event_topic_partition_list(ev.get()))
            for (int k = 0; k < parts->cnt; ++k)
                if (parts->elems[k].err)
                    return parts->elems[k].err;
        return RD_KAFKA_RESP_ERR_NO_ERROR;
    }

    std::string m_group;
    rdk::Handle m_consumer;
};

void alterOffsets(const std::string &bootstrap, const std::string &group, const std::string &topic, int partitions,
                  const std::function<int64_t(int)> &offset)
{
    GroupCommitter(bootstrap, group).commit(topic, partitions, offset);
}

void createAcls(rd_kafka_t *rk)
{
    struct Acl
    {
        rd_kafka_ResourceType_t type;
        const char *name;
        const char *principal;
        rd_kafka_AclOperation_t op;
    };
    // librdkafka 2.0 has no CLUSTER resource type: its BROKER (4) is the wire value Kafka reads as Cluster.
    const Acl acls[] = {
        {RD_KAFKA_RESOURCE_BROKER, "kafka-cluster", "User:inspector", RD_KAFKA_ACL_OPERATION_DESCRIBE},
        {RD_KAFKA_RESOURCE_BROKER, "kafka-cluster", "User:inspector", RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS},
        {RD_KAFKA_RESOURCE_TOPIC, "*", "User:inspector", RD_KAFKA_ACL_OPERATION_DESCRIBE},
        {RD_KAFKA_RESOURCE_TOPIC, "*", "User:inspector", RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS},
        {RD_KAFKA_RESOURCE_GROUP, "*", "User:inspector", RD_KAFKA_ACL_OPERATION_DESCRIBE},
        {RD_KAFKA_RESOURCE_TOPIC, "*", "User:limited", RD_KAFKA_ACL_OPERATION_DESCRIBE},
        {RD_KAFKA_RESOURCE_TOPIC, "*", "User:reader", RD_KAFKA_ACL_OPERATION_DESCRIBE},
        {RD_KAFKA_RESOURCE_TOPIC, "*", "User:reader", RD_KAFKA_ACL_OPERATION_READ},
    };
    std::vector<rd_kafka_AclBinding_t *> arr;
    char err[512];
    for (const auto &a : acls) {
        auto *b = rd_kafka_AclBinding_new(a.type, a.name, RD_KAFKA_RESOURCE_PATTERN_LITERAL, a.principal, "*", a.op,
                                          RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW, err, sizeof err);
        if (!b)
            die(err);
        arr.push_back(b);
    }
    auto ev = adminCall(rk, "create ACLs", RD_KAFKA_ADMIN_OP_CREATEACLS,
                        [&](const rd_kafka_AdminOptions_t *opt, rd_kafka_queue_t *q) {
                            rd_kafka_CreateAcls(rk, arr.data(), arr.size(), opt, q);
                        });
    for (auto *b : arr)
        rd_kafka_AclBinding_destroy(b);
    size_t n = 0;
    const rd_kafka_acl_result_t **res = rd_kafka_CreateAcls_result_acls(rd_kafka_event_CreateAcls_result(ev.get()), &n);
    for (size_t i = 0; i < n; ++i)
        if (const rd_kafka_error_t *e = rd_kafka_acl_result_error(res[i]))
            die(std::string("create ACL: ") + rd_kafka_error_string(e));
}

// Waits until every partition's high watermark reached its expected count (acks=all makes that prompt).
void verifyWatermarks(rd_kafka_t *rk, const std::vector<ProduceSpec> &specs)
{
    rdk::PartitionList list(rd_kafka_topic_partition_list_new(0));
    for (const auto &s : specs)
        for (int p = 0; p < s.partitions; ++p)
            rd_kafka_topic_partition_list_add(list.get(), s.topic.c_str(), p)->offset = RD_KAFKA_OFFSET_END;
    if (auto err = rd_kafka_offsets_for_times(rk, list.get(), 30000))
        die(std::string("verify watermarks: ") + rd_kafka_err2str(err));
    size_t i = 0;
    for (const auto &s : specs)
        for (int p = 0; p < s.partitions; ++p, ++i)
            if (list->elems[i].offset != s.count(p))
                die("verify: " + s.topic + "-" + std::to_string(p) + " has end offset " +
                    std::to_string(list->elems[i].offset) + ", expected " + std::to_string(s.count(p)));
}

int cmdSeed(const std::string &bootstrap)
{
    auto admin = makeClient(RD_KAFKA_PRODUCER, bootstrap);
    std::vector<TopicSpec> specs;
    std::vector<ProduceSpec> data;
    for (const auto &t : sd::topics()) {
        specs.push_back({t.name, t.partitions, t.replicationFactor, t.configs});
        const sd::Topic *tp = &t;
        data.push_back({t.name, t.partitions, t.valueBytes, t.keyed, [tp](int p) { return sd::messages(*tp, p); }});
    }
    createTopics(admin.get(), specs);
    produce(bootstrap, data);
    verifyWatermarks(admin.get(), data);
    for (const auto &g : sd::groups()) {
        if (g.kind == sd::GroupKind::Active)
            continue; // committed by the live consumer (kp-seed hold)
        const sd::Group *gp = &g;
        alterOffsets(bootstrap, g.id, g.topic, sd::topic(g.topic)->partitions,
                     [gp](int p) { return sd::committed(*gp, p); });
    }
    createAcls(admin.get());
    std::printf("seeded %zu topics and %zu groups\n", sd::topics().size(), sd::groups().size());
    return 0;
}

volatile sig_atomic_t g_stop = 0;

int cmdHold(const std::string &bootstrap)
{
    std::signal(SIGTERM, [](int) { g_stop = 1; });
    std::signal(SIGINT, [](int) { g_stop = 1; });
    const sd::Group *group = nullptr;
    for (const auto &g : sd::groups())
        if (g.kind == sd::GroupKind::Active)
            group = &g;
    const sd::Topic &topic = *sd::topic(group->topic);
    auto c = makeClient(RD_KAFKA_CONSUMER, bootstrap,
                        {{"group.id", group->id},
                         {"client.id", sd::kActiveClientId},
                         {"enable.auto.commit", "false"},
                         {"auto.offset.reset", "earliest"},
                         {"session.timeout.ms", "45000"}});
    rd_kafka_poll_set_consumer(c.get());
    rdk::PartitionList sub(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(sub.get(), topic.name.c_str(), RD_KAFKA_PARTITION_UA);
    if (auto err = rd_kafka_subscribe(c.get(), sub.get()))
        die(std::string("subscribe: ") + rd_kafka_err2str(err));
    // Done when every partition's position reached its end offset; a rerun finds the committed offsets already
    // there, so it consumes nothing and is ready as soon as it holds the assignment.
    std::map<int, bool> done;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    bool consumed = false, checkedCommitted = false;
    while (!g_stop) {
        if (std::chrono::steady_clock::now() > deadline)
            die("hold: did not reach the end of " + topic.name + " within 120 s");
        if (!checkedCommitted) {
            rd_kafka_topic_partition_list_t *asg = nullptr;
            if (rd_kafka_assignment(c.get(), &asg) == RD_KAFKA_RESP_ERR_NO_ERROR && asg &&
                asg->cnt == topic.partitions) {
                if (rd_kafka_committed(c.get(), asg, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                    for (int k = 0; k < asg->cnt; ++k)
                        if (asg->elems[k].offset == sd::messages(topic, asg->elems[k].partition))
                            done[asg->elems[k].partition] = true;
                    checkedCommitted = true;
                }
            }
            if (asg)
                rd_kafka_topic_partition_list_destroy(asg);
        }
        if (checkedCommitted && int(done.size()) == topic.partitions)
            break;
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c.get(), 200);
        if (!m)
            continue;
        if (!m->err) {
            consumed = true;
            if (m->offset + 1 == sd::messages(topic, m->partition))
                done[m->partition] = true;
        }
        rd_kafka_message_destroy(m);
    }
    if (consumed)
        if (auto err = rd_kafka_commit(c.get(), nullptr, 0))
            die(std::string("commit: ") + rd_kafka_err2str(err));
    std::printf("READY\n");
    std::fflush(stdout);
    // Stay a live member until told to stop or the parent goes away (stdin closes).
    while (!g_stop) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c.get(), 200);
        if (m)
            rd_kafka_message_destroy(m);
        pollfd pfd{STDIN_FILENO, POLLIN, 0};
        if (poll(&pfd, 1, 0) > 0) {
            char buf[64];
            if (read(STDIN_FILENO, buf, sizeof buf) <= 0)
                break;
        }
    }
    rd_kafka_consumer_close(c.get());
    return 0;
}

std::string benchTopic(int t)
{
    char name[64];
    std::snprintf(name, sizeof name, "bench-%04d", t);
    return name;
}

std::string benchGroup(int g)
{
    char name[64];
    std::snprintf(name, sizeof name, "bench-group-%04d", g);
    return name;
}

std::set<std::string> existingTopics(rd_kafka_t *rk)
{
    const rd_kafka_metadata_t *md = nullptr;
    if (auto err = rd_kafka_metadata(rk, 1, nullptr, &md, 60000))
        die(std::string("list topics: ") + rd_kafka_err2str(err));
    std::set<std::string> names;
    for (int i = 0; i < md->topic_cnt; ++i)
        names.insert(md->topics[i].topic);
    rd_kafka_metadata_destroy(md);
    return names;
}

std::set<std::string> existingGroups(rd_kafka_t *rk)
{
    auto ev = adminCall(
        rk, "list groups", RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
        [&](const rd_kafka_AdminOptions_t *opt, rd_kafka_queue_t *q) { rd_kafka_ListConsumerGroups(rk, opt, q); });
    const auto *res = rd_kafka_event_ListConsumerGroups_result(ev.get());
    size_t n = 0;
    const rd_kafka_ConsumerGroupListing_t **valid = rd_kafka_ListConsumerGroups_result_valid(res, &n);
    std::set<std::string> names;
    for (size_t i = 0; i < n; ++i)
        names.insert(rd_kafka_ConsumerGroupListing_group_id(valid[i]));
    return names;
}

// Commits offsets for many new groups at once: AlterConsumerGroupOffsets (one group a call, the admin API's rule) with
// up to 64 calls outstanding on one admin client; a call that fails with a retriable error is made again.
void commitMany(rd_kafka_t *rk, const std::vector<std::string> &groups,
                const std::function<std::string(size_t)> &topicOf, int partitions,
                const std::function<int64_t(int)> &offset)
{
    rdk::Queue q(rd_kafka_queue_new(rk));
    auto issue = [&](size_t i) {
        rdk::PartitionList list(rd_kafka_topic_partition_list_new(partitions));
        const std::string topic = topicOf(i);
        for (int p = 0; p < partitions; ++p)
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = offset(p);
        rd_kafka_AlterConsumerGroupOffsets_t *req =
            rd_kafka_AlterConsumerGroupOffsets_new(groups[i].c_str(), list.get());
        rdk::AdminOptions opt(rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS));
        rd_kafka_AdminOptions_set_request_timeout(opt.get(), 30000, nullptr, 0);
        rd_kafka_AdminOptions_set_opaque(opt.get(), reinterpret_cast<void *>(i));
        rd_kafka_AlterConsumerGroupOffsets(rk, &req, 1, opt.get(), q.get());
        rd_kafka_AlterConsumerGroupOffsets_destroy(req);
    };
    size_t next = 0, done = 0;
    std::map<size_t, int> attempts;
    for (; next < groups.size() && next < 64; ++next)
        issue(next);
    while (done < groups.size()) {
        rdk::Event ev(rd_kafka_queue_poll(q.get(), 60000));
        if (!ev)
            die("commit offsets: no answer within 60 s");
        const size_t i = reinterpret_cast<size_t>(rd_kafka_event_opaque(ev.get()));
        rd_kafka_resp_err_t err = rd_kafka_event_error(ev.get());
        if (!err) {
            size_t n = 0;
            const rd_kafka_group_result_t **res = rd_kafka_AlterConsumerGroupOffsets_result_groups(
                rd_kafka_event_AlterConsumerGroupOffsets_result(ev.get()), &n);
            for (size_t k = 0; k < n && !err; ++k) {
                if (const rd_kafka_error_t *e = rd_kafka_group_result_error(res[k]))
                    err = rd_kafka_error_code(e);
                const rd_kafka_topic_partition_list_t *parts = rd_kafka_group_result_partitions(res[k]);
                for (int j = 0; parts && j < parts->cnt && !err; ++j)
                    err = parts->elems[j].err;
            }
        }
        if (err && retriable(err) && ++attempts[i] < 20) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            issue(i);
            continue;
        }
        if (err)
            die("commit offsets for " + groups[i] + ": " + rd_kafka_err2str(err));
        ++done;
        if (next < groups.size())
            issue(next++);
    }
}

void deleteGroups(rd_kafka_t *rk, const std::vector<std::string> &groups)
{
    for (size_t i = 0; i < groups.size(); i += 1000) {
        const size_t end = std::min(groups.size(), i + 1000);
        auto ev = adminCall(rk, "delete groups", RD_KAFKA_ADMIN_OP_DELETEGROUPS,
                            [&](const rd_kafka_AdminOptions_t *opt, rd_kafka_queue_t *q) {
                                std::vector<rd_kafka_DeleteGroup_t *> arr;
                                for (size_t k = i; k < end; ++k)
                                    arr.push_back(rd_kafka_DeleteGroup_new(groups[k].c_str()));
                                rd_kafka_DeleteGroups(rk, arr.data(), arr.size(), opt, q);
                                for (auto *g : arr)
                                    rd_kafka_DeleteGroup_destroy(g);
                            });
        size_t n = 0;
        const rd_kafka_group_result_t **res =
            rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(ev.get()), &n);
        for (size_t k = 0; k < n; ++k)
            if (const rd_kafka_error_t *e = rd_kafka_group_result_error(res[k]))
                die(std::string("delete group ") + rd_kafka_group_result_name(res[k]) + ": " +
                    rd_kafka_error_string(e));
    }
}

// Brings the cluster to `topics` bench topics and `groups` bench groups: creates the topics and groups missing,
// deletes bench groups beyond the count (topics are never deleted). Group g commits to every partition of bench topic
// g % topics, at p % (messages + 1).
int cmdScale(const std::string &bootstrap, int topics, int partitions, int rf, int groups, int messages)
{
    auto admin = makeClient(RD_KAFKA_PRODUCER, bootstrap);
    const std::set<std::string> haveTopics = existingTopics(admin.get());
    std::vector<TopicSpec> specs;
    std::vector<ProduceSpec> data;
    for (int t = 0; t < topics; ++t) {
        const std::string name = benchTopic(t);
        if (haveTopics.count(name))
            continue;
        specs.push_back({name, partitions, rf, {}});
        data.push_back({name, partitions, 100, false, [messages](int) { return int64_t(messages); }});
    }
    if (!specs.empty())
        createTopics(admin.get(), specs);
    if (messages > 0 && !data.empty())
        produce(bootstrap, data);
    const std::set<std::string> haveGroups = existingGroups(admin.get());
    std::vector<std::string> missing, surplus;
    for (int g = 0; g < groups; ++g)
        if (!haveGroups.count(benchGroup(g)))
            missing.push_back(benchGroup(g));
    for (const std::string &name : haveGroups)
        if (name.rfind("bench-group-", 0) == 0 && std::atoi(name.c_str() + 12) >= groups)
            surplus.push_back(name);
    commitMany(
        admin.get(), missing, [&](size_t i) { return benchTopic(std::atoi(missing[i].c_str() + 12) % topics); },
        partitions, [messages](int p) { return int64_t(p % (messages + 1)); });
    deleteGroups(admin.get(), surplus);
    std::printf("bench topics: %d x %d partitions (%zu new); bench groups: %d (%zu new, %zu deleted)\n", topics,
                partitions, specs.size(), groups, missing.size(), surplus.size());
    return 0;
}

// Known traffic for rate tests: produces `rate` messages/s of `valueBytes` to partition 0 of `topic` (created with
// RF 3 if missing) and commits for `group` as if it consumed `consumeRate` messages/s, for `seconds`.
int cmdTraffic(const std::string &bootstrap, const std::string &topic, const std::string &group, int rate,
               int consumeRate, int seconds)
{
    auto admin = makeClient(RD_KAFKA_PRODUCER, bootstrap);
    {
        const rd_kafka_metadata_t *md = nullptr;
        bool exists = false;
        if (rd_kafka_metadata(admin.get(), 1, nullptr, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            for (int i = 0; i < md->topic_cnt; ++i)
                exists = exists || (topic == md->topics[i].topic && md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR);
            rd_kafka_metadata_destroy(md);
        }
        if (!exists)
            createTopics(admin.get(), {{topic, 1, 3, {}}});
    }
    auto p = makeClient(RD_KAFKA_PRODUCER, bootstrap, {{"acks", "all"}, {"linger.ms", "5"}});
    // Start from the partition's current end, so that a rerun on the same topic measures only its own traffic. One
    // partition of a test tool: the single-partition call is fine here. A topic created a moment ago may not have a
    // leader yet: ask again for up to 30 s.
    int64_t base = -1;
    for (int attempt = 0; attempt < 60 && base < 0; ++attempt) {
        int64_t low = 0, high = 0;
        if (rd_kafka_query_watermark_offsets(p.get(), topic.c_str(), 0, &low, &high, 5000) ==
            RD_KAFKA_RESP_ERR_NO_ERROR)
            base = high;
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    if (base < 0)
        die("traffic: the end offset of " + topic + "-0 could not be read within 30 s");
    // Warm up before the clock starts: the first write to a new topic and the first commit of a new group wait for a
    // leader and a coordinator, and would otherwise land as a burst inside the measured window.
    {
        const std::string v = value(100, topic, 0, base);
        if (rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0),
                              RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) != RD_KAFKA_RESP_ERR_NO_ERROR ||
            rd_kafka_flush(p.get(), 30000) != RD_KAFKA_RESP_ERR_NO_ERROR)
            die("traffic: the warm-up message was not written");
        ++base;
        alterOffsets(bootstrap, group, topic, 1, [base](int) { return base; });
    }
    const auto start = std::chrono::steady_clock::now();
    auto elapsedSeconds = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    // Commits run on their own thread: a slow group coordinator (a fresh cluster) must not hold up the producer.
    std::atomic<bool> done{false};
    GroupCommitter groupCommitter(bootstrap, group);
    std::thread committer([&] {
        int lastSecond = -1;
        while (!done) {
            const double elapsed = elapsedSeconds();
            if (int(elapsed) != lastSecond) {
                lastSecond = int(elapsed);
                const int64_t committed = base + int64_t(elapsed * consumeRate);
                groupCommitter.commit(topic, 1, [committed](int) { return committed; });
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    int64_t sent = 0;
    std::printf("STARTED\n");
    std::fflush(stdout);
    while (true) {
        const double elapsed = elapsedSeconds();
        if (elapsed >= seconds)
            break;
        while (sent < int64_t(elapsed * rate)) {
            const std::string v = value(100, topic, 0, base + sent);
            if (rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0),
                                  RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                  RD_KAFKA_V_END) != RD_KAFKA_RESP_ERR_NO_ERROR)
                die("produce failed");
            ++sent;
        }
        rd_kafka_poll(p.get(), 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    done = true;
    committer.join();
    rd_kafka_flush(p.get(), 30000);
    std::printf("sent %lld\n", (long long)sent);
    return 0;
}

// Lineage tests: `timed` writes `messages` records to each of `partitions` partitions of a new topic (RF 3), record i
// of every partition stamped base + i x step ms; with --group, the group commits `commit` on every partition.
int cmdTimed(const std::string &bootstrap, const std::string &topic, int partitions, int rf, int messages,
             int64_t baseMs, int64_t stepMs, const std::string &group, int64_t commit)
{
    auto admin = makeClient(RD_KAFKA_PRODUCER, bootstrap);
    createTopics(admin.get(), {{topic, partitions, rf, {}}});
    // Idempotent: a retried batch on a young cluster must not duplicate or reorder the records (offsets are asserted).
    auto p =
        makeClient(RD_KAFKA_PRODUCER, bootstrap, {{"acks", "all"}, {"linger.ms", "5"}, {"enable.idempotence", "true"}});
    for (int part = 0; part < partitions; ++part)
        for (int i = 0; i < messages; ++i) {
            const std::string v = value(100, topic, part, i);
            if (rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(part),
                                  RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                                  RD_KAFKA_V_TIMESTAMP(baseMs + i * stepMs), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                  RD_KAFKA_V_END) != RD_KAFKA_RESP_ERR_NO_ERROR)
                die("produce failed");
            rd_kafka_poll(p.get(), 0);
        }
    if (rd_kafka_flush(p.get(), 60000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        die("flush timed out");
    if (g_undelivered > 0)
        die(std::to_string(g_undelivered.load()) + " record(s) of " + topic + " not delivered: " + g_undeliveredReason);
    if (!group.empty())
        alterOffsets(bootstrap, group, topic, partitions, [commit](int) { return commit; });
    std::printf("wrote %d x %d\n", partitions, messages);
    return 0;
}

// `commit`: the group's committed offset on every partition of the topic.
int cmdCommit(const std::string &bootstrap, const std::string &topic, int partitions, const std::string &group,
              int64_t commit)
{
    alterOffsets(bootstrap, group, topic, partitions, [commit](int) { return commit; });
    return 0;
}

// `set-config`: one topic config (AlterConfigs: the topic's other dynamic configs are reset; test topics have none).
int cmdSetConfig(const std::string &bootstrap, const std::string &topic, const std::string &keyValue)
{
    const auto eq = keyValue.find('=');
    if (eq == std::string::npos)
        die("set-config: --config KEY=VALUE");
    auto admin = makeClient(RD_KAFKA_PRODUCER, bootstrap);
    rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
    rd_kafka_ConfigResource_set_config(res, keyValue.substr(0, eq).c_str(), keyValue.substr(eq + 1).c_str());
    auto ev = adminCall(admin.get(), "AlterConfigs", RD_KAFKA_ADMIN_OP_ALTERCONFIGS,
                        [&](const rd_kafka_AdminOptions_t *opt, rd_kafka_queue_t *q) {
                            rd_kafka_AlterConfigs(admin.get(), &res, 1, opt, q);
                        });
    rd_kafka_ConfigResource_destroy(res);
    if (rd_kafka_event_error(ev.get()))
        die(std::string("AlterConfigs: ") + rd_kafka_event_error_string(ev.get()));
    size_t n = 0;
    const rd_kafka_ConfigResource_t **out =
        rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev.get()), &n);
    for (size_t i = 0; i < n; ++i)
        if (rd_kafka_ConfigResource_error(out[i]))
            die(std::string("AlterConfigs ") + topic + ": " + rd_kafka_ConfigResource_error_string(out[i]));
    return 0;
}

// Whether the given broker still lists the topic in its metadata.
bool listedBy(const std::string &broker, const std::string &topic)
{
    auto c = makeClient(RD_KAFKA_PRODUCER, broker);
    const rd_kafka_metadata_t *md = nullptr;
    if (rd_kafka_metadata(c.get(), 1, nullptr, &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return true;
    bool listed = false;
    for (int i = 0; i < md->topic_cnt; ++i)
        listed = listed || topic == md->topics[i].topic;
    rd_kafka_metadata_destroy(md);
    return listed;
}

// `delete-records`: DeleteRecords up to `before` on every partition, as retention would delete the oldest segments
// (the probe tests delete data under a reader this way).
int cmdDeleteRecords(const std::string &bootstrap, const std::string &topic, int partitions, int64_t before)
{
    auto admin = makeClient(RD_KAFKA_PRODUCER, bootstrap);
    rdk::PartitionList list(rd_kafka_topic_partition_list_new(partitions));
    for (int p = 0; p < partitions; ++p)
        rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = before;
    rd_kafka_DeleteRecords_t *d = rd_kafka_DeleteRecords_new(list.get());
    auto ev = adminCall(admin.get(), "DeleteRecords", RD_KAFKA_ADMIN_OP_DELETERECORDS,
                        [&](const rd_kafka_AdminOptions_t *opt, rd_kafka_queue_t *q) {
                            rd_kafka_DeleteRecords(admin.get(), &d, 1, opt, q);
                        });
    rd_kafka_DeleteRecords_destroy(d);
    if (rd_kafka_event_error(ev.get()))
        die(std::string("DeleteRecords: ") + rd_kafka_event_error_string(ev.get()));
    const rd_kafka_topic_partition_list_t *done =
        rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(ev.get()));
    for (int i = 0; done && i < done->cnt; ++i)
        if (done->elems[i].err)
            die("DeleteRecords " + topic + "-" + std::to_string(done->elems[i].partition) + ": " +
                rd_kafka_err2str(done->elems[i].err));
    return 0;
}

// `drop`: deletes a test topic, and waits until no broker lists it any more: a snapshot taken meanwhile would see a
// topic half gone (on 3.9, ListOffsets then failed for every partition its leaders led in the same request).
int cmdDrop(const std::string &bootstrap, const std::string &topic)
{
    auto admin = makeClient(RD_KAFKA_PRODUCER, bootstrap);
    rd_kafka_DeleteTopic_t *t = rd_kafka_DeleteTopic_new(topic.c_str());
    auto ev = adminCall(admin.get(), "DeleteTopics", RD_KAFKA_ADMIN_OP_DELETETOPICS,
                        [&](const rd_kafka_AdminOptions_t *opt, rd_kafka_queue_t *q) {
                            rd_kafka_DeleteTopics(admin.get(), &t, 1, opt, q);
                        });
    rd_kafka_DeleteTopic_destroy(t);
    if (rd_kafka_event_error(ev.get()))
        die(std::string("DeleteTopics: ") + rd_kafka_event_error_string(ev.get()));
    std::stringstream servers(bootstrap);
    std::string broker;
    while (std::getline(servers, broker, ',')) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (listedBy(broker, topic)) {
            if (std::chrono::steady_clock::now() > deadline)
                die("broker " + broker + " still lists " + topic + " 60 s after it was deleted");
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: kp-seed seed|hold|scale [--bootstrap HOSTS] ...\n");
        return 2;
    }
    const std::string cmd = argv[1];
    std::string bootstrap = sd::kPlaintextBootstrap;
    int topics = 20, partitions = 100, rf = 2, groups = 100, messages = 10, rate = 200, consumeRate = 100, seconds = 10;
    std::string topic = "rates-test", group = "kp-rates";
    std::string config;
    int64_t baseMs = 0, stepMs = 1000, commit = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--bootstrap")
            bootstrap = v;
        else if (k == "--topics")
            topics = std::stoi(v);
        else if (k == "--partitions")
            partitions = std::stoi(v);
        else if (k == "--rf")
            rf = std::stoi(v);
        else if (k == "--groups")
            groups = std::stoi(v);
        else if (k == "--messages")
            messages = std::stoi(v);
        else if (k == "--rate")
            rate = std::stoi(v);
        else if (k == "--consume-rate")
            consumeRate = std::stoi(v);
        else if (k == "--seconds")
            seconds = std::stoi(v);
        else if (k == "--topic")
            topic = v;
        else if (k == "--group")
            group = v;
        else if (k == "--base-ms")
            baseMs = std::stoll(v);
        else if (k == "--step-ms")
            stepMs = std::stoll(v);
        else if (k == "--commit" || k == "--before")
            commit = std::stoll(v);
        else if (k == "--config")
            config = v;
        else
            die("unknown option " + k);
    }
    if (cmd == "seed")
        return cmdSeed(bootstrap);
    if (cmd == "hold")
        return cmdHold(bootstrap);
    if (cmd == "traffic")
        return cmdTraffic(bootstrap, topic, group, rate, consumeRate, seconds);
    if (cmd == "scale")
        return cmdScale(bootstrap, topics, partitions, rf, groups, messages);
    if (cmd == "timed")
        return cmdTimed(
            bootstrap, topic, partitions, std::find(argv, argv + argc, std::string("--rf")) != argv + argc ? rf : 3,
            messages, baseMs, stepMs,
            std::find(argv, argv + argc, std::string("--group")) != argv + argc ? group : std::string(), commit);
    if (cmd == "commit")
        return cmdCommit(bootstrap, topic, partitions, group, commit);
    if (cmd == "set-config")
        return cmdSetConfig(bootstrap, topic, config);
    if (cmd == "drop")
        return cmdDrop(bootstrap, topic);
    if (cmd == "delete-records")
        return cmdDeleteRecords(bootstrap, topic, partitions, commit);
    die("unknown command " + cmd);
}
