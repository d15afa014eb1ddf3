#include "models/laghistoryjson.h"

#include "models/jsonreader.h"
#include "models/snapshotjson.h"

#include <ctime>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

namespace kp {

using nlohmann::json;

int64_t parseTimeMs(const std::string &iso)
{
    std::tm tm{};
    int ms = 0;
    char tail[16] = {0};
    const int n = std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%15s", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                              &tm.tm_hour, &tm.tm_min, &tm.tm_sec, tail);
    if (n < 6)
        throw FormatError("'" + iso + "' is not a time: use epoch milliseconds or 2026-11-26T10:00:00Z");
    std::string rest = n == 7 ? tail : "";
    if (!rest.empty() && rest[0] == '.') {
        size_t i = 1;
        int digits = 0;
        while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
            if (digits < 3)
                ms = ms * 10 + (rest[i] - '0');
            ++digits;
            ++i;
        }
        for (int d = digits; d < 3; ++d)
            ms *= 10;
        rest = rest.substr(i);
    }
    if (rest != "Z" && rest != "+00:00")
        throw FormatError("'" + iso + "': give the time in UTC, ending in Z");
    // timegm takes 2026-02-30 for March 2 and hour 99 for four days later: a date is valid when it comes back as given.
    const std::tm given = tm;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const time_t t = timegm(&tm);
    std::tm back{};
    if (given.tm_year < 1970 || given.tm_year > 9999 || !gmtime_r(&t, &back) || back.tm_year + 1900 != given.tm_year ||
        back.tm_mon + 1 != given.tm_mon || back.tm_mday != given.tm_mday || back.tm_hour != given.tm_hour ||
        back.tm_min != given.tm_min || back.tm_sec != given.tm_sec)
        throw FormatError("'" + iso + "' is not a date and time that exists (1970 to 9999, UTC)");
    return int64_t(t) * 1000 + ms;
}

namespace {

int64_t timeField(const JsonReader &r, const char *key)
{
    auto f = r.field(key);
    if (f.value().is_number_integer()) {
        const int64_t ms = f.integer();
        if (ms < 0 || ms > 253402300799999) // 9999-12-31T23:59:59.999Z
            f.fail("epoch milliseconds must be between 0 and 253402300799999");
        return ms;
    }
    try {
        return parseTimeMs(f.string());
    } catch (const FormatError &e) {
        f.fail(e.what());
    }
}

int64_t offsetField(const JsonReader &r, const char *key)
{
    auto f = r.field(key);
    const int64_t v = f.integer();
    if (v < 0)
        f.fail("an offset must not be negative");
    return v;
}

// A partition recreated or truncated within the history: its end offsets fall, and older commits may be past them.
bool endsDrop(const std::vector<OffsetPoint> &ends)
{
    for (size_t i = 1; i < ends.size(); ++i)
        if (ends[i].offset < ends[i - 1].offset)
            return true;
    return false;
}

} // namespace

LagHistory lagHistoryFromJson(const json &doc)
{
    JsonReader root(doc, "");
    root.requireObject();
    if (root.stringOr("format", "") != "kafka-planner-lag-history")
        throw FormatError("not a lag history: \"format\" must be \"kafka-planner-lag-history\"");
    if (root.field("version").integer() != 1)
        root.field("version").fail("only version 1 is supported");
    LagHistory h;
    h.nowMs = timeField(root, "now");
    if (root.has("window")) {
        const int64_t w = root.field("window").integer();
        if (w < 1 || w > 1000)
            root.field("window").fail("must be between 1 and 1000");
        h.rules.window = size_t(w);
    }
    auto groups = root.field("groups");
    for (size_t g = 0, gn = groups.arraySize(); g < gn; ++g) {
        auto rg = groups.at(g);
        std::vector<PartitionHistory> parts;
        auto rps = rg.field("partitions");
        for (size_t p = 0, pn = rps.arraySize(); p < pn; ++p) {
            auto rp = rps.at(p);
            PartitionHistory ph;
            ph.topic = rp.field("topic").string();
            const int64_t partition = rp.field("partition").integer();
            if (partition < 0 || partition > std::numeric_limits<int32_t>::max())
                rp.field("partition").fail("must be between 0 and 2147483647");
            ph.partition = int32_t(partition);
            auto ends = rp.field("ends");
            for (size_t e = 0, en = ends.arraySize(); e < en; ++e) {
                auto re = ends.at(e);
                OffsetPoint op{timeField(re, "time"), offsetField(re, "offset")};
                if (!ph.ends.empty() && op.timeMs < ph.ends.back().timeMs)
                    re.field("time").fail("end offsets must be in time order");
                if (op.timeMs > h.nowMs)
                    re.field("time").fail("after \"now\"");
                ph.ends.push_back(op);
            }
            auto commits = rp.field("commits");
            for (size_t c = 0, cn = commits.arraySize(); c < cn; ++c) {
                auto rc = commits.at(c);
                CommitPoint cp{timeField(rc, "time"), offsetField(rc, "offset"), -1};
                if (rc.has("lag") && !rc.field("lag").value().is_null()) {
                    cp.lag = rc.field("lag").integer();
                    if (cp.lag < 0)
                        rc.field("lag").fail("must not be negative (null or leave it out where it is not known)");
                }
                if (!ph.commits.empty() && cp.timeMs < ph.commits.back().timeMs)
                    rc.field("time").fail("commits must be in time order");
                if (cp.timeMs > h.nowMs)
                    rc.field("time").fail("after \"now\"");
                // The end offset at or after the commit bounds what could have been committed.
                const OffsetPoint *end = endAtOrAfter(ph.ends, cp.timeMs);
                if (end && end->offset < cp.offset && !endsDrop(ph.ends))
                    rc.field("offset").fail("offset " + std::to_string(cp.offset) + " is past the end offset " +
                                            std::to_string(end->offset) + " the partition had then");
                ph.commits.push_back(cp);
            }
            parts.push_back(std::move(ph));
        }
        h.groups.emplace_back(rg.field("group").string(), std::move(parts));
    }
    return h;
}

LagHistory loadLagHistoryFile(const std::string &path)
{
    return decodeJsonFile(path, lagHistoryFromJson);
}

json evaluationToJson(const GroupEvaluation &g)
{
    json parts = json::array();
    for (const auto &p : g.partitions) {
        parts.push_back({{"topic", p.topic},
                         {"partition", p.partition},
                         {"status", toString(p.status)},
                         {"reason", p.reason},
                         {"lag", p.lag >= 0 ? json(p.lag) : json(nullptr)},
                         {"timeLagSeconds", p.timeLag.seconds ? json(*p.timeLag.seconds) : json(nullptr)},
                         {"timeLagNote", p.timeLag.note}});
    }
    return {{"group", g.group},
            {"status", toString(g.status)},
            {"totalLag", g.totalLag},
            {"maxTimeLagSeconds", g.maxTimeLagSeconds ? json(*g.maxTimeLagSeconds) : json(nullptr)},
            {"partitions", std::move(parts)}};
}

namespace {

template <typename T> nlohmann::json orNull(const std::optional<T> &v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json knownOrNull(int64_t v)
{
    return v >= 0 ? nlohmann::json(v) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json refreshWaveToJson(const RefreshWave &wave, const std::vector<WaveEffect> &effects,
                                 const WaveCrossAz &crossAz)
{
    nlohmann::json j{
        {"kind", toString(wave.kind)},
        {"start", formatIsoTime(wave.startMs)},
        {"startLag", wave.startLag},
        {"rewoundMessages", wave.rewoundMessages},
        {"replayedMessages", wave.replayedMessages},
        {"replayedBytes", knownOrNull(wave.replayedBytes)},
        {"lagNow", wave.lagNow},
        {"consumeRate", wave.consumePerSecond},
        {"produceRate", wave.producePerSecond},
        {"caughtUp", wave.caughtUpMs.has_value()},
        {"caughtUpAt", wave.caughtUpMs ? nlohmann::json(formatIsoTime(*wave.caughtUpMs)) : nlohmann::json(nullptr)},
        {"secondsToCatchUp", orNull(wave.secondsToCatchUp)},
        {"lastReadAt", formatIsoTime(wave.lastReadMs.value_or(wave.nowMs))},
        {"stopped", wave.stopped},
        {"crossAzBytes", crossAz.known ? nlohmann::json(crossAz.bytes) : nlohmann::json(nullptr)},
        {"crossAzBasis", crossAz.assumption},
        {"partitions", nlohmann::json::array()},
        {"otherGroups", nlohmann::json::array()}};
    for (const auto &p : wave.partitions)
        j["partitions"].push_back({{"topic", p.tp.topic},
                                   {"partition", p.tp.partition},
                                   {"replayedMessages", p.replayedMessages},
                                   {"replayedBytes", knownOrNull(p.replayedBytes)}});
    for (const auto &e : effects)
        j["otherGroups"].push_back({{"group", e.group},
                                    {"lagBefore", knownOrNull(e.lagBefore)},
                                    {"peakLag", e.peakLag},
                                    {"peakAt", formatIsoTime(e.peakAtMs)},
                                    {"lagNow", e.lagNow}});
    return j;
}

} // namespace kp
