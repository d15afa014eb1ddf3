#include "models/snapshotjson.h"

#include "models/atomicfile.h"
#include "models/jsonreader.h"
#include "models/jsonwriter.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace kp {

using nlohmann::json;

std::string formatIsoTime(int64_t epochMillis)
{
    const std::time_t secs = std::time_t(epochMillis / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, int(epochMillis % 1000));
    return buf;
}

namespace {

ConfigMap configsFromJson(const JsonReader &r)
{
    r.requireObject();
    ConfigMap out;
    for (auto it = r.value().begin(); it != r.value().end(); ++it)
        out[it.key()] = JsonReader(it.value(), r.path() + "." + it.key()).string();
    return out;
}

std::vector<int32_t> intsFromJson(const JsonReader &r)
{
    std::vector<int32_t> out(r.arraySize());
    for (size_t i = 0; i < out.size(); ++i) {
        auto item = r.at(i);
        const int64_t v = item.integer();
        if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
            item.fail("out of range for a 32-bit id");
        out[i] = int32_t(v);
    }
    return out;
}

int32_t int32Field(const JsonReader &r, const char *key)
{
    auto f = r.field(key);
    const int64_t v = f.integer();
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
        f.fail("out of range for a 32-bit integer");
    return int32_t(v);
}

// An epoch that may be absent (-1); present, it is 0 or more.
int32_t optionalEpoch(const JsonReader &r, const char *key)
{
    if (!r.has(key))
        return -1;
    const int32_t v = int32Field(r, key);
    if (v < 0)
        r.field(key).fail("must not be negative");
    return v;
}

std::vector<TopicPartition> partitionsFromJson(const JsonReader &list)
{
    std::vector<TopicPartition> out;
    for (size_t a = 0, an = list.arraySize(); a < an; ++a) {
        auto ra = list.at(a);
        out.push_back({ra.field("topic").string(), int32Field(ra, "partition")});
    }
    return out;
}

} // namespace

namespace {

void writeConfigs(JsonWriter &w, const ConfigMap &configs)
{
    w.beginObject();
    for (const auto &[k, v] : configs) // sorted, as the keys of a JSON object are written
        w.field(k, v);
    w.endObject();
}

void writeInts(JsonWriter &w, const std::vector<int32_t> &values)
{
    w.beginArray();
    for (int32_t v : values)
        w.integer(v);
    w.endArray();
}

void writePartitions(JsonWriter &w, const std::vector<TopicPartition> &partitions)
{
    w.beginArray();
    for (const auto &tp : partitions) {
        w.beginObject();
        w.field("partition", tp.partition);
        w.field("topic", tp.topic);
        w.endObject();
    }
    w.endArray();
}

void writeBroker(JsonWriter &w, const BrokerInfo &b)
{
    w.beginObject();
    writeConfigs(w.key("configs"), b.configs);
    w.field("host", b.host);
    w.field("id", b.id);
    w.key("logDirs");
    if (b.logDirsKnown) {
        w.beginArray();
        for (const auto &d : b.logDirs) {
            w.beginObject();
            if (!d.error.empty())
                w.field("error", d.error);
            w.field("path", d.path);
            w.field("totalBytes", d.totalBytes);
            w.field("usableBytes", d.usableBytes);
            w.endObject();
        }
        w.endArray();
    } else {
        w.null();
    }
    w.field("port", b.port);
    w.key("rack");
    if (b.rackKnown)
        w.string(b.rack);
    else
        w.null();
    w.endObject();
}

void writePartition(JsonWriter &w, const PartitionInfo &p)
{
    w.beginObject();
    if (!p.error.empty())
        w.field("error", p.error);
    w.field("high", p.highWatermark);
    writeInts(w.key("isr"), p.isr);
    w.field("leader", p.leader);
    if (p.localLogStartOffset >= 0)
        w.field("localLow", p.localLogStartOffset);
    w.field("low", p.lowWatermark);
    w.field("p", p.partition);
    writeInts(w.key("replicas"), p.replicas);
    if (!p.replicaSizes.empty()) {
        if (p.sizeEstimated)
            w.field("sizeEstimated", true);
        w.key("sizes").beginArray();
        for (const auto &r : p.replicaSizes) {
            w.beginObject();
            w.field("broker", r.broker);
            w.field("bytes", r.sizeBytes);
            w.field("dir", r.logDir);
            if (r.future)
                w.field("future", true);
            w.field("lag", r.offsetLag);
            w.endObject();
        }
        w.endArray();
    }
    w.endObject();
}

void writeTopic(JsonWriter &w, const TopicInfo &t)
{
    w.beginObject();
    w.key("configs");
    if (t.configsKnown)
        writeConfigs(w, t.configs);
    else
        w.null();
    if (!t.error.empty())
        w.field("error", t.error);
    w.field("internal", t.internal);
    w.field("name", t.name);
    w.key("partitions").beginArray();
    for (const auto &p : t.partitions)
        writePartition(w, p);
    w.endArray();
    if (t.remoteBytesPerOffset >= 0)
        w.key("remoteBytesPerOffset").real(t.remoteBytesPerOffset);
    if (!t.topicId.empty())
        w.field("topicId", t.topicId);
    w.endObject();
}

void writeGroup(JsonWriter &w, const ConsumerGroup &g)
{
    w.beginObject();
    if (g.assignmentEpoch >= 0)
        w.field("assignmentEpoch", g.assignmentEpoch);
    w.field("coordinator", g.coordinator);
    if (!g.error.empty())
        w.field("error", g.error);
    if (g.groupEpoch >= 0)
        w.field("groupEpoch", g.groupEpoch);
    w.field("id", g.groupId);
    writeMembersJson(w.key("members"), g);
    w.key("offsets").beginArray();
    for (const auto &o : g.offsets) {
        w.beginObject();
        w.field("committed", o.committed);
        if (!o.error.empty())
            w.field("error", o.error);
        w.field("lag", o.lag);
        w.field("partition", o.partition);
        w.field("topic", o.topic);
        w.endObject();
    }
    w.endArray();
    w.field("offsetsKnown", g.offsetsKnown);
    w.field("protocol", g.protocol);
    w.field("simple", g.simple);
    w.field("state", g.state);
    if (!g.type.empty())
        w.field("type", g.type);
    w.endObject();
}

} // namespace

// Every object's keys in sorted order (JsonWriter's contract): a reader sees what nlohmann's dump would write.
void writeMembersJson(JsonWriter &w, const ConsumerGroup &g)
{
    w.beginArray();
    for (const auto &m : g.members) {
        w.beginObject();
        writePartitions(w.key("assignment"), m.assignment);
        w.field("clientId", m.clientId);
        if (!m.groupInstanceId.empty())
            w.field("groupInstanceId", m.groupInstanceId);
        w.field("host", m.host);
        if (m.memberEpoch >= 0)
            w.field("memberEpoch", m.memberEpoch);
        w.field("memberId", m.memberId);
        if (!m.rackId.empty())
            w.field("rackId", m.rackId);
        if (m.memberEpoch >= 0)
            writePartitions(w.key("targetAssignment"), m.targetAssignment);
        w.endObject();
    }
    w.endArray();
}

void writeProblemsJson(JsonWriter &w, const std::vector<Problem> &problems)
{
    w.beginArray();
    for (const auto &p : problems) {
        w.beginObject();
        w.field("message", p.message);
        w.field("step", p.step);
        w.field("subject", p.subject);
        w.endObject();
    }
    w.endArray();
}

void appendSnapshotJson(std::string &out, const ClusterSnapshot &s)
{
    JsonWriter w(out);
    w.beginObject();
    w.field("bootstrap", s.bootstrap);
    w.key("brokers").beginArray();
    for (const auto &b : s.brokers)
        writeBroker(w, b);
    w.endArray();
    w.field("clusterId", s.clusterId);
    w.field("durationMs", s.durationMs);
    w.field("format", kSnapshotFormatName);
    w.key("groups").beginArray();
    for (const auto &g : s.groups)
        writeGroup(w, g);
    w.endArray();
    writeProblemsJson(w.key("problems"), s.problems);
    w.field("takenAt", formatIsoTime(s.takenAtMs));
    w.field("takenAtMs", s.takenAtMs);
    w.key("timings").beginArray();
    for (const auto &t : s.timings) {
        w.beginObject();
        w.field("ms", t.millis);
        w.field("ok", t.ok);
        w.field("step", t.step);
        w.endObject();
    }
    w.endArray();
    w.key("topics").beginArray();
    for (const auto &t : s.topics)
        writeTopic(w, t);
    w.endArray();
    w.field("version", int64_t(ClusterSnapshot::kFormatVersion));
    w.endObject();
}

std::string snapshotJsonText(const ClusterSnapshot &s)
{
    std::string out;
    appendSnapshotJson(out, s);
    out.push_back('\n');
    return out;
}

json snapshotToJson(const ClusterSnapshot &s)
{
    std::string text;
    appendSnapshotJson(text, s);
    return json::parse(text);
}

namespace {

BrokerInfo brokerFromJson(const JsonReader &rb)
{
    BrokerInfo b;
    b.id = int32Field(rb, "id");
    b.host = rb.field("host").string();
    b.port = int32Field(rb, "port");
    auto rack = rb.field("rack");
    if (!rack.value().is_null()) {
        b.rack = rack.string();
        b.rackKnown = true;
    }
    if (rb.has("configs"))
        b.configs = configsFromJson(rb.field("configs"));
    if (rb.has("logDirs") && !rb.field("logDirs").value().is_null()) {
        auto dirs = rb.field("logDirs");
        b.logDirsKnown = true;
        for (size_t k = 0, m = dirs.arraySize(); k < m; ++k) {
            auto rd = dirs.at(k);
            b.logDirs.push_back({rd.field("path").string(), rd.stringOr("error", ""), rd.integerOr("totalBytes", -1),
                                 rd.integerOr("usableBytes", -1)});
        }
    }
    return b;
}

PartitionInfo partitionFromJson(const JsonReader &rp)
{
    PartitionInfo p;
    p.partition = int32Field(rp, "p");
    p.leader = int32Field(rp, "leader");
    p.replicas = intsFromJson(rp.field("replicas"));
    p.isr = intsFromJson(rp.field("isr"));
    p.lowWatermark = rp.integerOr("low", -1);
    p.highWatermark = rp.integerOr("high", -1);
    p.localLogStartOffset = rp.integerOr("localLow", -1);
    p.error = rp.stringOr("error", "");
    if (rp.has("sizes")) {
        auto sizes = rp.field("sizes");
        for (size_t z = 0, zn = sizes.arraySize(); z < zn; ++z) {
            auto rz = sizes.at(z);
            ReplicaSize r;
            r.broker = int32Field(rz, "broker");
            r.logDir = rz.stringOr("dir", "");
            r.sizeBytes = rz.field("bytes").integer();
            r.offsetLag = rz.integerOr("lag", -1);
            r.future = rz.booleanOr("future", false);
            if (r.sizeBytes < 0)
                rz.field("bytes").fail("must not be negative");
            p.replicaSizes.push_back(std::move(r));
        }
        p.sizeEstimated = rp.booleanOr("sizeEstimated", false);
    }
    if (p.partition < 0)
        rp.field("p").fail("must not be negative");
    // -1: not known. A log cannot start after it ends.
    if (p.lowWatermark < -1)
        rp.field("low").fail("must be -1 (unknown) or an offset");
    if (p.highWatermark < -1)
        rp.field("high").fail("must be -1 (unknown) or an offset");
    if (p.lowWatermark >= 0 && p.highWatermark >= 0 && p.lowWatermark > p.highWatermark)
        rp.field("low").fail("the low watermark " + std::to_string(p.lowWatermark) + " is above the high watermark " +
                             std::to_string(p.highWatermark));
    if (rp.has("localLow") &&
        (p.localLogStartOffset < 0 || (p.lowWatermark >= 0 && p.localLogStartOffset < p.lowWatermark) ||
         (p.highWatermark >= 0 && p.localLogStartOffset > p.highWatermark)))
        rp.field("localLow")
            .fail("the local log start " + std::to_string(p.localLogStartOffset) + " is outside the log (" +
                  std::to_string(p.lowWatermark) + " to " + std::to_string(p.highWatermark) + ")");
    return p;
}

TopicInfo topicFromJson(const JsonReader &rt)
{
    TopicInfo t;
    t.name = rt.field("name").string();
    if (t.name.empty())
        rt.field("name").fail("must not be empty");
    t.internal = rt.booleanOr("internal", false);
    t.topicId = rt.stringOr("topicId", "");
    if (!t.topicId.empty() &&
        (t.topicId.size() != 22 ||
         t.topicId.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
             std::string::npos))
        rt.field("topicId").fail("must be a topic id as Kafka prints it (22 characters of URL-safe base64)");
    t.error = rt.stringOr("error", "");
    if (rt.has("configs") && !rt.field("configs").value().is_null()) {
        t.configs = configsFromJson(rt.field("configs"));
        t.configsKnown = true;
    }
    if (rt.has("remoteBytesPerOffset")) {
        t.remoteBytesPerOffset = rt.field("remoteBytesPerOffset").number();
        if (!(t.remoteBytesPerOffset >= 0 && t.remoteBytesPerOffset <= 1e9))
            rt.field("remoteBytesPerOffset").fail("must be a number of bytes from 0 to 1e9");
    }
    auto parts = rt.field("partitions");
    t.partitions.reserve(parts.arraySize());
    std::set<int32_t> seen;
    for (size_t k = 0, m = parts.arraySize(); k < m; ++k) {
        auto rp = parts.at(k);
        PartitionInfo p = partitionFromJson(rp);
        if (!seen.insert(p.partition).second)
            rp.field("p").fail("partition " + std::to_string(p.partition) + " is listed twice");
        t.partitions.push_back(std::move(p));
    }
    return t;
}

GroupMember memberFromJson(const JsonReader &rm)
{
    GroupMember mem;
    mem.memberId = rm.stringOr("memberId", "");
    mem.groupInstanceId = rm.stringOr("groupInstanceId", "");
    mem.clientId = rm.stringOr("clientId", "");
    mem.host = rm.stringOr("host", "");
    mem.assignment = partitionsFromJson(rm.field("assignment"));
    mem.memberEpoch = optionalEpoch(rm, "memberEpoch");
    if (rm.has("targetAssignment"))
        mem.targetAssignment = partitionsFromJson(rm.field("targetAssignment"));
    mem.rackId = rm.stringOr("rackId", "");
    return mem;
}

GroupOffset groupOffsetFromJson(const JsonReader &ro)
{
    GroupOffset o;
    o.topic = ro.field("topic").string();
    o.partition = int32Field(ro, "partition");
    if (o.partition < 0)
        ro.field("partition").fail("must not be negative");
    o.committed = ro.field("committed").integer();
    if (o.committed < -1)
        ro.field("committed").fail("must be -1 (none) or an offset");
    o.error = ro.stringOr("error", "");
    return o;
}

ConsumerGroup groupFromJson(const JsonReader &rg)
{
    ConsumerGroup g;
    g.groupId = rg.field("id").string();
    g.state = rg.stringOr("state", "Unknown");
    g.simple = rg.booleanOr("simple", false);
    g.protocol = rg.stringOr("protocol", "");
    g.coordinator = int32_t(rg.integerOr("coordinator", -1));
    g.offsetsKnown = rg.booleanOr("offsetsKnown", true);
    g.error = rg.stringOr("error", "");
    g.type = rg.stringOr("type", "");
    g.groupEpoch = optionalEpoch(rg, "groupEpoch");
    g.assignmentEpoch = optionalEpoch(rg, "assignmentEpoch");
    auto members = rg.field("members");
    for (size_t k = 0, m = members.arraySize(); k < m; ++k)
        g.members.push_back(memberFromJson(members.at(k)));
    auto offsets = rg.field("offsets");
    for (size_t k = 0, m = offsets.arraySize(); k < m; ++k)
        g.offsets.push_back(groupOffsetFromJson(offsets.at(k)));
    return g;
}

} // namespace

ClusterSnapshot snapshotFromJson(const json &doc)
{
    JsonReader root(doc, "");
    root.requireObject();
    if (!root.has("format") || !root.field("format").value().is_string() ||
        root.field("format").string() != kSnapshotFormatName)
        throw FormatError(std::string("not a Kafka Planner snapshot: \"format\" must be \"") + kSnapshotFormatName +
                          "\"");
    const int64_t version = root.field("version").integer();
    if (version < 1 || version > ClusterSnapshot::kFormatVersion)
        throw FormatError("version: snapshot format version " + std::to_string(version) +
                          " is not supported (this build reads 1 to " +
                          std::to_string(ClusterSnapshot::kFormatVersion) + ")");

    ClusterSnapshot s;
    s.clusterId = root.field("clusterId").string();
    s.bootstrap = root.stringOr("bootstrap", "");
    s.takenAtMs = root.field("takenAtMs").integer();
    if (s.takenAtMs < 0)
        root.field("takenAtMs").fail("must not be negative");
    s.durationMs = root.integerOr("durationMs", 0);
    s.source = SnapshotSource::File;

    auto brokers = root.field("brokers");
    for (size_t i = 0, n = brokers.arraySize(); i < n; ++i) {
        auto rb = brokers.at(i);
        BrokerInfo b = brokerFromJson(rb);
        for (const auto &other : s.brokers)
            if (other.id == b.id)
                rb.field("id").fail("broker " + std::to_string(b.id) + " is listed twice");
        s.brokers.push_back(std::move(b));
    }

    auto topics = root.field("topics");
    s.topics.reserve(topics.arraySize());
    std::set<std::string> topicNames;
    for (size_t i = 0, n = topics.arraySize(); i < n; ++i) {
        auto rt = topics.at(i);
        TopicInfo t = topicFromJson(rt);
        if (!topicNames.insert(t.name).second)
            rt.field("name").fail("topic \"" + t.name + "\" is listed twice");
        s.topics.push_back(std::move(t));
    }

    auto groups = root.field("groups");
    for (size_t i = 0, n = groups.arraySize(); i < n; ++i)
        s.groups.push_back(groupFromJson(groups.at(i)));

    if (root.has("timings")) {
        auto timings = root.field("timings");
        for (size_t i = 0, n = timings.arraySize(); i < n; ++i) {
            auto rt = timings.at(i);
            s.timings.push_back({rt.field("step").string(), rt.field("ms").integer(), rt.booleanOr("ok", true)});
        }
    }
    if (root.has("problems")) {
        auto problems = root.field("problems");
        for (size_t i = 0, n = problems.arraySize(); i < n; ++i) {
            auto rp = problems.at(i);
            s.problems.push_back({rp.field("step").string(), rp.stringOr("subject", ""), rp.field("message").string()});
        }
    }
    computeLag(s);
    return s;
}

ClusterSnapshot loadSnapshotFile(const std::string &path)
{
    return decodeJsonFile(path, snapshotFromJson);
}

void saveSnapshotFile(const ClusterSnapshot &snapshot, const std::string &path)
{
    try {
        writeFileAtomically(path, snapshotJsonText(snapshot));
    } catch (const std::runtime_error &e) {
        throw FormatError(e.what());
    }
}

} // namespace kp
