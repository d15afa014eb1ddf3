#include "models/prometheus.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace kp {

namespace {

struct Family
{
    const char *name;
    const char *help;
};

// In the order they are written; kafka-lag-exporter's first, with its descriptions.
constexpr Family kFamilies[] = {
    {"kafka_consumergroup_group_offset", "The last committed offset of the partition for the group."},
    {"kafka_consumergroup_group_lag", "The partition's end offset minus the group's committed offset."},
    {"kafka_consumergroup_group_lag_seconds",
     "How long ago the first message the group has not read was written, from the sampled end offsets."},
    {"kafka_consumergroup_group_max_lag", "The group's largest lag in messages over its partitions."},
    {"kafka_consumergroup_group_max_lag_seconds", "The group's largest lag in seconds over its partitions."},
    {"kafka_consumergroup_group_sum_lag", "The group's lag in messages over all its partitions."},
    {"kafka_consumergroup_group_topic_sum_lag", "The group's lag in messages over the topic's partitions."},
    {"kafka_partition_latest_offset", "The partition's end offset (high watermark)."},
    {"kafka_partition_earliest_offset", "The partition's earliest offset (log start)."},
    {"kafka_planner_group_status", "1 for the group's status by Kafka Planner's lag rules (OK, WARN, ERR, UNKNOWN)."},
    {"kafka_planner_cross_az_bytes_per_second", "Bytes per second crossing availability zones, by flow, from the "
                                                "replica placement and the sampled rates (the Traffic model)."},
    {"kafka_planner_sample_timestamp_seconds", "When the cluster was last sampled (Unix time)."},
};

std::string escape(const std::string &v)
{
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string number(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

using Labels = std::vector<std::pair<std::string, std::string>>;

// The member that holds each partition of the group, for member_host, consumer_id and client_id.
std::map<TopicPartition, const GroupMember *> owners(const ConsumerGroup &g)
{
    std::map<TopicPartition, const GroupMember *> out;
    for (const auto &m : g.members)
        for (const auto &tp : m.assignment)
            out[tp] = &m;
    return out;
}

void addGroup(std::vector<MetricSample> &out, const std::string &cluster, const ConsumerGroup &g,
              const GroupEvaluation *eval)
{
    std::map<TopicPartition, std::optional<double>> timeLags;
    if (eval)
        for (const auto &p : eval->partitions)
            timeLags[{p.topic, p.partition}] = p.timeLag.seconds;
    const auto owner = owners(g);
    int64_t maxLag = -1, sumLag = 0;
    std::optional<double> maxSeconds;
    std::map<std::string, int64_t> topicLag;
    for (const auto &o : g.offsets) {
        if (o.committed < 0)
            continue;
        const auto m = owner.find({o.topic, o.partition});
        const GroupMember *member = m == owner.end() ? nullptr : m->second;
        const Labels labels{{"cluster_name", cluster},
                            {"group", g.groupId},
                            {"topic", o.topic},
                            {"partition", std::to_string(o.partition)},
                            {"member_host", member ? member->host : ""},
                            {"consumer_id", member ? member->memberId : ""},
                            {"client_id", member ? member->clientId : ""}};
        out.push_back({"kafka_consumergroup_group_offset", labels, double(o.committed)});
        if (o.lag >= 0) {
            out.push_back({"kafka_consumergroup_group_lag", labels, double(o.lag)});
            maxLag = std::max(maxLag, o.lag);
            sumLag += o.lag;
            topicLag[o.topic] += o.lag;
        }
        const auto t = timeLags.find({o.topic, o.partition});
        if (t != timeLags.end() && t->second) {
            out.push_back({"kafka_consumergroup_group_lag_seconds", labels, *t->second});
            maxSeconds = std::max(maxSeconds.value_or(0.0), *t->second);
        }
    }
    const std::string simple = g.simple ? "true" : "false";
    if (maxLag >= 0) {
        out.push_back({"kafka_consumergroup_group_max_lag",
                       {{"cluster_name", cluster}, {"group", g.groupId}, {"is_simple_consumer", simple}},
                       double(maxLag)});
        out.push_back(
            {"kafka_consumergroup_group_sum_lag", {{"cluster_name", cluster}, {"group", g.groupId}}, double(sumLag)});
    }
    if (maxSeconds)
        out.push_back({"kafka_consumergroup_group_max_lag_seconds",
                       {{"cluster_name", cluster}, {"group", g.groupId}, {"is_simple_consumer", simple}},
                       *maxSeconds});
    for (const auto &[topic, lag] : topicLag)
        out.push_back({"kafka_consumergroup_group_topic_sum_lag",
                       {{"cluster_name", cluster}, {"group", g.groupId}, {"topic", topic}},
                       double(lag)});
    if (eval)
        out.push_back({"kafka_planner_group_status",
                       {{"cluster_name", cluster}, {"group", g.groupId}, {"status", toString(eval->status)}},
                       1});
}

} // namespace

std::vector<MetricSample> clusterMetrics(const std::string &clusterName, const ClusterSnapshot &now,
                                         const std::vector<GroupEvaluation> &evaluations,
                                         const std::optional<Traffic> &traffic)
{
    std::vector<MetricSample> out;
    for (const auto &t : now.topics)
        for (const auto &p : t.partitions) {
            if (!p.watermarksKnown())
                continue;
            const Labels labels{
                {"cluster_name", clusterName}, {"topic", t.name}, {"partition", std::to_string(p.partition)}};
            out.push_back({"kafka_partition_latest_offset", labels, double(p.highWatermark)});
            out.push_back({"kafka_partition_earliest_offset", labels, double(p.lowWatermark)});
        }
    std::map<std::string, const GroupEvaluation *> byGroup;
    for (const auto &e : evaluations)
        byGroup[e.group] = &e;
    for (const auto &g : now.groups) {
        const auto e = byGroup.find(g.groupId);
        addGroup(out, clusterName, g, e == byGroup.end() ? nullptr : e->second);
    }
    if (traffic && traffic->racksKnown)
        for (const auto &[flow, bytes] : {std::pair{"produce", traffic->produce.crossAz()},
                                          std::pair{"replication", traffic->replication.crossAz()},
                                          std::pair{"consume", traffic->consume.crossAz()}})
            out.push_back(
                {"kafka_planner_cross_az_bytes_per_second", {{"cluster_name", clusterName}, {"flow", flow}}, bytes});
    out.push_back(
        {"kafka_planner_sample_timestamp_seconds", {{"cluster_name", clusterName}}, double(now.takenAtMs) / 1000});
    return out;
}

std::string prometheusText(const std::vector<std::vector<MetricSample>> &clusters)
{
    std::map<std::string, std::vector<const MetricSample *>> byFamily;
    for (const auto &samples : clusters)
        for (const auto &s : samples)
            if (std::isfinite(s.value))
                byFamily[s.family].push_back(&s);
    std::string out;
    for (const Family &f : kFamilies) {
        const auto it = byFamily.find(f.name);
        if (it == byFamily.end())
            continue;
        out += std::string("# HELP ") + f.name + " " + f.help + "\n# TYPE " + f.name + " gauge\n";
        for (const MetricSample *s : it->second) {
            out += s->family + "{";
            for (size_t i = 0; i < s->labels.size(); ++i)
                out += (i ? "," : "") + s->labels[i].first + "=\"" + escape(s->labels[i].second) + "\"";
            out += "} " + number(s->value) + "\n";
        }
    }
    return out;
}

} // namespace kp
