#include "models/replayprobe.h"

#include "models/jsonreader.h"
#include "models/laghistoryjson.h"
#include "models/snapshotjson.h"
#include "models/units.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace kp {

void validateProbeRequest(const ProbeRequest &r)
{
    if (r.topicRegex.empty())
        throw std::invalid_argument("--topic: give a regular expression naming the topics to read");
    if (r.maxBytes <= 0)
        throw std::invalid_argument("--max-bytes: a probe needs a byte bound above 0 (e.g. 500MB)");
    if (!std::isfinite(r.maxSeconds) || r.maxSeconds <= 0 || r.maxSeconds > 86400)
        throw std::invalid_argument("--max-seconds: a probe needs a time bound from above 0 to 86400 seconds");
    if (r.throttleMBps && (!std::isfinite(*r.throttleMBps) || *r.throttleMBps <= 0 || *r.throttleMBps > 100000))
        throw std::invalid_argument("--throttle: MB/s above 0 (and at most 100000); leave it out to read unthrottled");
    if (r.fetchers < 1 || r.fetchers > 64)
        throw std::invalid_argument("--fetchers: from 1 to 64");
    if (r.fromMs && *r.fromMs < 0)
        throw std::invalid_argument("--from: a time after 1970");
}

double ProbeResult::throughputBytesPerSecond() const
{
    const double reading = seconds - std::max(0.0, firstByteMs) / 1000.0;
    return reading > 0 ? double(bytes) / reading : 0;
}

namespace {

// Offsets from each partition's start to `to(p)` times its bytes per offset on disk; -1 when one with offsets there
// has no size.
template <typename To> int64_t diskBytes(const std::vector<ProbePartition> &partitions, To &&to)
{
    double total = 0;
    for (const auto &p : partitions) {
        const int64_t offsets = to(p) - p.fromOffset;
        if (offsets <= 0)
            continue;
        if (p.logBytesPerOffset < 0)
            return -1;
        total += double(offsets) * p.logBytesPerOffset;
    }
    return int64_t(total + 0.5);
}

} // namespace

int64_t ProbeResult::logBytesEstimate() const
{
    return diskBytes(partitions, [](const ProbePartition &p) { return p.nextOffset; });
}

size_t ProbeResult::unreadPartitions() const
{
    return size_t(std::count_if(partitions.begin(), partitions.end(),
                                [](const ProbePartition &p) { return !p.complete && !p.error.empty(); }));
}

int64_t ProbeResult::windowBytes() const
{
    return diskBytes(partitions, [](const ProbePartition &p) { return p.endOffset; });
}

namespace {

using nlohmann::json;

json orNull(int64_t v)
{
    return v >= 0 ? json(v) : json(nullptr);
}

json requestToJson(const ProbeRequest &r)
{
    return {{"topicRegex", r.topicRegex},
            {"from", r.fromMs ? json(formatIsoTime(*r.fromMs)) : json("earliest")},
            {"maxBytes", r.maxBytes},
            {"maxSeconds", r.maxSeconds},
            {"throttleMBps", r.throttleMBps ? json(*r.throttleMBps) : json(nullptr)},
            {"clientRack", r.clientRack.empty() ? json(nullptr) : json(r.clientRack)},
            {"fetchers", r.fetchers}};
}

json partitionToJson(const ProbePartition &p)
{
    json j{{"topic", p.topic},
           {"partition", p.partition},
           {"leader", p.leader},
           {"fromOffset", p.fromOffset},
           {"endOffset", p.endOffset},
           {"nextOffset", p.nextOffset},
           {"messages", p.messages},
           {"bytes", p.bytes},
           {"remoteBytes", p.remoteBytes},
           {"localLogStart", orNull(p.localLogStart)},
           {"logBytesPerOffset", p.logBytesPerOffset >= 0 ? json(p.logBytesPerOffset) : json(nullptr)},
           {"firstByteMs", p.firstByteMs >= 0 ? json(p.firstByteMs) : json(nullptr)},
           {"complete", p.complete}};
    if (!p.error.empty())
        j["error"] = p.error;
    return j;
}

// Partitions the bounds (or a cancel) stopped before their end, without an error.
json unfinished(const ProbeResult &r)
{
    json out = json::array();
    for (const auto &p : r.partitions)
        if (!p.complete && p.error.empty())
            out.push_back(p.topic + "-" + std::to_string(p.partition));
    return out;
}

} // namespace

json probeResultToJson(const ProbeResult &r)
{
    json j{{"kind", "kafka-planner replay probe"},
           {"version", 1},
           {"clusterId", r.clusterId},
           {"request", requestToJson(r.request)},
           {"topics", r.topics},
           {"startedAt", formatIsoTime(r.startedAtMs)},
           {"seconds", r.seconds},
           {"stoppedBy", r.stoppedBy},
           {"messages", r.messages},
           {"bytes", r.bytes},
           {"remoteBytes", r.remoteBytes},
           {"logBytesEstimate", orNull(r.logBytesEstimate())},
           {"throughputBytesPerSecond", r.throughputBytesPerSecond()},
           {"firstByteMs", r.firstByteMs >= 0 ? json(r.firstByteMs) : json(nullptr)},
           {"bytesPerSecond", r.bytesPerSecond},
           {"crossAzBytes", r.crossAzBytes ? json(*r.crossAzBytes) : json(nullptr)},
           {"crossAzBasis", r.crossAzBasis},
           {"producePerSecond", r.producePerSecond ? json(*r.producePerSecond) : json(nullptr)},
           {"unfinished", unfinished(r)},
           {"problems", r.problems}};
    j["partitions"] = json::array();
    for (const auto &p : r.partitions)
        j["partitions"].push_back(partitionToJson(p));
    j["brokers"] = json::array();
    for (const auto &b : r.brokers)
        j["brokers"].push_back({{"broker", b.id},
                                {"rack", b.rack.empty() ? json(nullptr) : json(b.rack)},
                                {"bytes", b.bytes},
                                {"messages", b.messages},
                                {"fromFollower", b.fromFollower}});
    j["tailingGroups"] = json::array();
    for (const auto &g : r.groups)
        j["tailingGroups"].push_back({{"group", g.group},
                                      {"lagBefore", orNull(g.lagBefore)},
                                      {"lagPeak", orNull(g.lagPeak)},
                                      {"lagAfter", orNull(g.lagAfter)}});
    return j;
}

namespace {

ProbeRequest requestFromJson(const JsonReader &j)
{
    ProbeRequest r;
    r.topicRegex = j.field("topicRegex").string();
    const std::string from = j.field("from").string();
    if (from != "earliest")
        r.fromMs = parseTimeMs(from);
    r.maxBytes = j.field("maxBytes").integer();
    r.maxSeconds = j.field("maxSeconds").number();
    if (!j.field("throttleMBps").value().is_null())
        r.throttleMBps = j.field("throttleMBps").number();
    if (!j.field("clientRack").value().is_null())
        r.clientRack = j.field("clientRack").string();
    r.fetchers = int(j.field("fetchers").integer());
    return r;
}

ProbePartition partitionFromJson(const JsonReader &j)
{
    ProbePartition p;
    p.topic = j.field("topic").string();
    p.partition = int32_t(j.field("partition").integer());
    p.leader = int32_t(j.field("leader").integer());
    p.fromOffset = j.field("fromOffset").integer();
    p.endOffset = j.field("endOffset").integer();
    p.nextOffset = j.field("nextOffset").integer();
    p.messages = j.field("messages").integer();
    p.bytes = j.field("bytes").integer();
    p.remoteBytes = j.field("remoteBytes").integer();
    p.localLogStart = j.field("localLogStart").value().is_null() ? -1 : j.field("localLogStart").integer();
    const auto perOffset = j.field("logBytesPerOffset");
    p.logBytesPerOffset = perOffset.value().is_null() ? -1 : perOffset.number();
    const auto first = j.field("firstByteMs");
    p.firstByteMs = first.value().is_null() ? -1 : first.number();
    p.complete = j.field("complete").boolean();
    p.error = j.stringOr("error", "");
    return p;
}

} // namespace

ProbeResult probeResultFromJson(const nlohmann::json &doc)
{
    const JsonReader j(doc, "probe");
    j.requireObject();
    if (j.stringOr("kind", "") != "kafka-planner replay probe")
        j.fail("not a replay probe result (kind is not \"kafka-planner replay probe\")");
    if (j.field("version").integer() != 1)
        j.fail("version " + std::to_string(j.field("version").integer()) + " is not one this version reads (1)");
    ProbeResult r;
    r.request = requestFromJson(j.field("request"));
    r.clusterId = j.field("clusterId").string();
    for (size_t i = 0; i < j.field("topics").arraySize(); ++i)
        r.topics.push_back(j.field("topics").at(i).string());
    r.startedAtMs = parseTimeMs(j.field("startedAt").string());
    r.seconds = j.field("seconds").number();
    r.stoppedBy = j.field("stoppedBy").string();
    r.messages = j.field("messages").integer();
    r.bytes = j.field("bytes").integer();
    r.remoteBytes = j.field("remoteBytes").integer();
    r.firstByteMs = j.field("firstByteMs").value().is_null() ? -1 : j.field("firstByteMs").number();
    for (size_t i = 0; i < j.field("bytesPerSecond").arraySize(); ++i)
        r.bytesPerSecond.push_back(j.field("bytesPerSecond").at(i).integer());
    for (size_t i = 0; i < j.field("partitions").arraySize(); ++i)
        r.partitions.push_back(partitionFromJson(j.field("partitions").at(i)));
    if (!j.field("crossAzBytes").value().is_null())
        r.crossAzBytes = j.field("crossAzBytes").integer();
    r.crossAzBasis = j.field("crossAzBasis").string();
    if (!j.field("producePerSecond").value().is_null())
        r.producePerSecond = j.field("producePerSecond").number();
    for (size_t i = 0; i < j.field("brokers").arraySize(); ++i) {
        const JsonReader b = j.field("brokers").at(i);
        r.brokers.push_back({int32_t(b.field("broker").integer()),
                             b.field("rack").value().is_null() ? std::string() : b.field("rack").string(),
                             b.field("bytes").integer(), b.field("messages").integer(),
                             b.field("fromFollower").integer()});
    }
    auto known = [](const JsonReader &v) { return v.value().is_null() ? int64_t(-1) : v.integer(); };
    for (size_t i = 0; i < j.field("tailingGroups").arraySize(); ++i) {
        const JsonReader g = j.field("tailingGroups").at(i);
        r.groups.push_back({g.field("group").string(), known(g.field("lagBefore")), known(g.field("lagPeak")),
                            known(g.field("lagAfter"))});
    }
    for (size_t i = 0; i < j.field("problems").arraySize(); ++i)
        r.problems.push_back(j.field("problems").at(i).string());
    return r;
}

std::string probeResultTable(const ProbeResult &r)
{
    std::ostringstream out;
    char line[256];
    const std::map<std::string, std::string> ended{{"complete", "read to the end"},
                                                   {"bytes", "stopped at the byte bound"},
                                                   {"time", "stopped at the time bound"},
                                                   {"cancelled", "cancelled"},
                                                   {"errors", "ended with partitions it could not read"}};
    const auto how = ended.find(r.stoppedBy);
    std::snprintf(line, sizeof line, "Replay probe of %zu topic(s), %zu partition(s): %s after %.2f s\n",
                  r.topics.size(), r.partitions.size(), how == ended.end() ? r.stoppedBy.c_str() : how->second.c_str(),
                  r.seconds);
    out << line;
    std::snprintf(line, sizeof line, "Read %lld messages, %s (record bytes; about %s on disk), %s/s, first byte %s\n",
                  (long long)r.messages, formatBytes(r.bytes).c_str(), formatBytes(r.logBytesEstimate()).c_str(),
                  formatBytes(int64_t(r.throughputBytesPerSecond())).c_str(),
                  r.firstByteMs >= 0 ? (std::to_string(int64_t(r.firstByteMs)) + " ms").c_str() : "never");
    out << line;
    out << "Remote tier: " << formatBytes(r.remoteBytes)
        << "; cross-AZ: " << (r.crossAzBytes ? formatBytes(*r.crossAzBytes) : std::string("unknown")) << " ("
        << r.crossAzBasis << ")\n\nBROKER  RACK        BYTES        MESSAGES  FROM FOLLOWER\n";
    for (const auto &b : r.brokers) {
        std::snprintf(line, sizeof line, "%-7d %-11s %-12s %-9lld %s\n", b.id, b.rack.empty() ? "?" : b.rack.c_str(),
                      formatBytes(b.bytes).c_str(), (long long)b.messages, formatBytes(b.fromFollower).c_str());
        out << line;
    }
    if (!r.groups.empty())
        out << "\nGROUP                            LAG BEFORE  PEAK        AFTER\n";
    for (const auto &g : r.groups) {
        std::snprintf(line, sizeof line, "%-32s %-11lld %-11lld %lld\n", g.group.c_str(), (long long)g.lagBefore,
                      (long long)g.lagPeak, (long long)g.lagAfter);
        out << line;
    }
    for (const auto &p : r.problems)
        out << "\nProblem: " << p;
    if (!r.problems.empty())
        out << "\n";
    return out.str();
}

} // namespace kp
