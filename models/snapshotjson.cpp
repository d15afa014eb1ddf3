#include "models/snapshotjson.h"

#include "models/jsonreader.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
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

json configsToJson(const ConfigMap &configs)
{
    json j = json::object();
    for (const auto &[k, v] : configs)
        j[k] = v;
    return j;
}

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

json partitionsToJson(const std::vector<TopicPartition> &partitions)
{
    json out = json::array();
    for (const auto &tp : partitions)
        out.push_back({{"topic", tp.topic}, {"partition", tp.partition}});
    return out;
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

json membersToJson(const ConsumerGroup &g)
{
    json members = json::array();
    for (const auto &m : g.members) {
        json jm{{"memberId", m.memberId},
                {"clientId", m.clientId},
                {"host", m.host},
                {"assignment", partitionsToJson(m.assignment)}};
        if (!m.groupInstanceId.empty())
            jm["groupInstanceId"] = m.groupInstanceId;
        if (m.memberEpoch >= 0) {
            jm["memberEpoch"] = m.memberEpoch;
            jm["targetAssignment"] = partitionsToJson(m.targetAssignment);
        }
        if (!m.rackId.empty())
            jm["rackId"] = m.rackId;
        members.push_back(std::move(jm));
    }
    return members;
}

namespace {

json brokerToJson(const BrokerInfo &b)
{
    json jb{{"id", b.id}, {"host", b.host}, {"port", b.port}, {"configs", configsToJson(b.configs)}};
    jb["rack"] = b.rackKnown ? json(b.rack) : json(nullptr);
    if (b.logDirsKnown) {
        json dirs = json::array();
        for (const auto &d : b.logDirs) {
            json jd{{"path", d.path}, {"totalBytes", d.totalBytes}, {"usableBytes", d.usableBytes}};
            if (!d.error.empty())
                jd["error"] = d.error;
            dirs.push_back(std::move(jd));
        }
        jb["logDirs"] = std::move(dirs);
    } else {
        jb["logDirs"] = nullptr;
    }
    return jb;
}

json partitionToJson(const PartitionInfo &p)
{
    json jp{{"p", p.partition}, {"leader", p.leader},    {"replicas", p.replicas},
            {"isr", p.isr},     {"low", p.lowWatermark}, {"high", p.highWatermark}};
    if (p.localLogStartOffset >= 0)
        jp["localLow"] = p.localLogStartOffset;
    if (!p.error.empty())
        jp["error"] = p.error;
    if (!p.replicaSizes.empty()) {
        json sizes = json::array();
        for (const auto &r : p.replicaSizes) {
            json jr{{"broker", r.broker}, {"dir", r.logDir}, {"bytes", r.sizeBytes}, {"lag", r.offsetLag}};
            if (r.future)
                jr["future"] = true;
            sizes.push_back(std::move(jr));
        }
        jp["sizes"] = std::move(sizes);
        if (p.sizeEstimated)
            jp["sizeEstimated"] = true;
    }
    return jp;
}

json topicToJson(const TopicInfo &t)
{
    json jt{{"name", t.name}, {"internal", t.internal}};
    if (!t.topicId.empty())
        jt["topicId"] = t.topicId;
    jt["configs"] = t.configsKnown ? configsToJson(t.configs) : json(nullptr);
    if (t.remoteBytesPerOffset >= 0)
        jt["remoteBytesPerOffset"] = t.remoteBytesPerOffset;
    if (!t.error.empty())
        jt["error"] = t.error;
    json parts = json::array();
    for (const auto &p : t.partitions)
        parts.push_back(partitionToJson(p));
    jt["partitions"] = std::move(parts);
    return jt;
}

json groupToJson(const ConsumerGroup &g)
{
    json jg{{"id", g.groupId},
            {"state", g.state},
            {"simple", g.simple},
            {"protocol", g.protocol},
            {"coordinator", g.coordinator},
            {"offsetsKnown", g.offsetsKnown}};
    if (!g.error.empty())
        jg["error"] = g.error;
    if (!g.type.empty())
        jg["type"] = g.type;
    if (g.groupEpoch >= 0)
        jg["groupEpoch"] = g.groupEpoch;
    if (g.assignmentEpoch >= 0)
        jg["assignmentEpoch"] = g.assignmentEpoch;
    jg["members"] = membersToJson(g);
    json offsets = json::array();
    for (const auto &o : g.offsets) {
        json jo{{"topic", o.topic}, {"partition", o.partition}, {"committed", o.committed}, {"lag", o.lag}};
        if (!o.error.empty())
            jo["error"] = o.error;
        offsets.push_back(std::move(jo));
    }
    jg["offsets"] = std::move(offsets);
    return jg;
}

} // namespace

json snapshotToJson(const ClusterSnapshot &s)
{
    json j;
    j["format"] = kSnapshotFormatName;
    j["version"] = ClusterSnapshot::kFormatVersion;
    j["clusterId"] = s.clusterId;
    j["bootstrap"] = s.bootstrap;
    j["takenAt"] = formatIsoTime(s.takenAtMs);
    j["takenAtMs"] = s.takenAtMs;
    j["durationMs"] = s.durationMs;
    json brokers = json::array();
    for (const auto &b : s.brokers)
        brokers.push_back(brokerToJson(b));
    j["brokers"] = std::move(brokers);
    json topics = json::array();
    for (const auto &t : s.topics)
        topics.push_back(topicToJson(t));
    j["topics"] = std::move(topics);
    json groups = json::array();
    for (const auto &g : s.groups)
        groups.push_back(groupToJson(g));
    j["groups"] = std::move(groups);
    json timings = json::array();
    for (const auto &t : s.timings)
        timings.push_back({{"step", t.step}, {"ms", t.millis}, {"ok", t.ok}});
    j["timings"] = std::move(timings);
    json problems = json::array();
    for (const auto &p : s.problems)
        problems.push_back({{"step", p.step}, {"subject", p.subject}, {"message", p.message}});
    j["problems"] = std::move(problems);
    return j;
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
    const std::string tmp = path + ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw FormatError(path + ": cannot open the file for writing");
        out << snapshotToJson(snapshot).dump(1) << '\n';
        out.flush();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw FormatError(path + ": writing failed (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw FormatError(path + ": cannot replace the file: " + ec.message());
    }
}

} // namespace kp
