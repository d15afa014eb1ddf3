// `kafka-planner lag`: consumer lag per group and partition, with time lag from records or the recorded history, and
// the status verdicts.

#include "analysis/lagdata.h"
#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "cli/tableformat.h"
#include "kafka/recordtimes.h"
#include "models/connectionprofile.h"
#include "models/formaterror.h"
#include "models/laghistoryjson.h"
#include "models/refreshwave.h"
#include "models/snapshotjson.h"
#include "store/samplestore.h"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kp::cli {

namespace {

// A partition's time lag from the record its group has not consumed yet (`lag --time-lag`), written into `jp`: the
// seconds with the record's offset and time, or null and why.
std::optional<double> timeLagJson(const TopicPartition &tp, int64_t committed, int64_t lag,
                                  const std::map<PartitionOffset, RecordTime> &times, int64_t nowMs, nlohmann::json &jp)
{
    const RecordTimeLag t = timeLagFromRecord(tp, committed, lag, times, nowMs);
    jp["timeLagSeconds"] = t.seconds ? nlohmann::json(*t.seconds) : nlohmann::json(nullptr);
    if (!t.why.empty())
        jp["timeLagError"] = t.why;
    if (t.record) {
        jp["firstUnconsumedOffset"] = t.record->offset;
        jp["firstUnconsumedAt"] = formatIsoTime(t.record->timestampMs);
    }
    return t.seconds;
}

// `lag --history --time-lag`: partitions whose time lag the history could not give (null, with messages waiting) get
// it from the first record not consumed yet, read at the committed offset of `now`; the groups' largest follow.
template <class Read> void fillTimeLagsFromRecords(nlohmann::json &groups, const ClusterSnapshot &now, Read read)
{
    std::map<std::pair<std::string, TopicPartition>, int64_t> committed;
    for (const auto &g : now.groups)
        for (const auto &o : g.offsets)
            committed[{g.groupId, {o.topic, o.partition}}] = o.committed;
    auto offsetOf = [&](const std::string &group, const nlohmann::json &jp) -> int64_t {
        auto it = committed.find({group, {jp.at("topic").get<std::string>(), jp.at("partition").get<int32_t>()}});
        return it == committed.end() ? -1 : it->second;
    };
    auto unknown = [](const nlohmann::json &jp) {
        return jp.at("timeLagSeconds").is_null() && jp.at("lag").is_number() && jp.at("lag").get<int64_t>() > 0;
    };
    std::set<PartitionOffset> wanted;
    for (const auto &jg : groups) {
        const std::string group = jg.at("group").get<std::string>();
        for (const auto &jp : jg.at("partitions"))
            if (unknown(jp) && offsetOf(group, jp) >= 0)
                wanted.insert(
                    {{jp.at("topic").get<std::string>(), jp.at("partition").get<int32_t>()}, offsetOf(group, jp)});
    }
    if (wanted.empty())
        return;
    const std::map<PartitionOffset, RecordTime> times = read(wanted);
    for (auto &jg : groups) {
        const std::string group = jg.at("group").get<std::string>();
        for (auto &jp : jg.at("partitions")) {
            if (!unknown(jp))
                continue;
            const TopicPartition tp{jp.at("topic").get<std::string>(), jp.at("partition").get<int32_t>()};
            if (const std::optional<double> seconds =
                    timeLagJson(tp, offsetOf(group, jp), jp.at("lag").get<int64_t>(), times, now.takenAtMs, jp)) {
                jp["timeLagNote"] = "from the first record not consumed yet";
                jg["maxTimeLagSeconds"] = std::max(
                    jg.at("maxTimeLagSeconds").is_null() ? 0.0 : jg.at("maxTimeLagSeconds").get<double>(), *seconds);
            }
        }
    }
}

void addLagOptions(QCommandLineParser &p)
{
    addConnectionOptions(p);
    p.addOptions(
        {{QStringLiteral("evaluate"), QStringLiteral("Evaluate a recorded lag history."), QStringLiteral("FILE")},
         {QStringLiteral("history"), QStringLiteral("Evaluate the recorded history of this long."),
          QStringLiteral("DURATION")},
         {QStringLiteral("group"), QStringLiteral("Only groups matching REGEX."), QStringLiteral("REGEX")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")},
         {QStringLiteral("partitions"), QStringLiteral("Table: one line per partition.")},
         {QStringLiteral("time-lag"),
          QStringLiteral(
              "Seconds behind, from the timestamp of each lagging partition's first unconsumed record (reads "
              "one record there; never commits).")}});
}

// What every form of `lag` works from: the options, the group filter and the connection (resolved once: a password
// from stdin is read once).
struct LagCommand
{
    const QCommandLineParser &p;
    std::string fmt;
    QRegularExpression filter;
    bool readTimes = false;
    ConnectionProfile profile;

    bool wanted(const std::string &group) const
    {
        return filter.pattern().isEmpty() || filter.match(QString::fromStdString(group)).hasMatch();
    }
    ClusterSnapshot snapshotNow(bool includeLogDirs) const
    {
        return p.isSet(QStringLiteral("input")) ? obtainSnapshot(p, true, includeLogDirs)
                                                : collectSnapshot(*freshClient(profile), true, includeLogDirs, true);
    }
    std::map<PartitionOffset, RecordTime> recordTimes(const std::set<PartitionOffset> &offsets) const
    {
        try {
            return recordTimesAt(profile, offsets, std::max(profile.timeoutMs, kDefaultTimeoutMs));
        } catch (const std::exception &e) {
            throw CliError(e.what());
        }
    }
};

LagCommand lagCommand(const QCommandLineParser &p)
{
    LagCommand c{p, format(p), {}, p.isSet(QStringLiteral("time-lag")), {}};
    if (p.isSet(QStringLiteral("group"))) {
        c.filter.setPattern(p.value(QStringLiteral("group")));
        if (!c.filter.isValid())
            throw CliError("--group: not a valid regular expression: " + str(c.filter.errorString()), 2);
    }
    const bool offline = p.isSet(QStringLiteral("input")) || p.isSet(QStringLiteral("evaluate"));
    if (c.readTimes && offline)
        throw CliError("--time-lag reads records from the cluster: give a connection, not --input or --evaluate", 2);
    if (!offline)
        c.profile = resolveConnection(p);
    return c;
}

// `lag --evaluate FILE`: the status rules over a recorded lag history.
int evaluateLagFile(const LagCommand &c)
{
    const LagHistory history = loadLagHistoryFile(str(c.p.value(QStringLiteral("evaluate"))));
    nlohmann::json out{
        {"now", formatIsoTime(history.nowMs)}, {"window", history.rules.window}, {"groups", nlohmann::json::array()}};
    for (const auto &[group, partitions] : history.groups)
        if (c.wanted(group))
            out["groups"].push_back(evaluationToJson(evaluateGroup(group, partitions, history.nowMs, history.rules)));
    writeOutput(c.p, out.dump(1) + "\n");
    return 0;
}

nlohmann::json rateJson(const Rate &r)
{
    return nlohmann::json{
        {"messagesPerSecond", r.known ? nlohmann::json(r.messagesPerSecond) : nlohmann::json(nullptr)},
        {"bytesPerSecond", r.known && r.bytesKnown ? nlohmann::json(r.bytesPerSecond) : nlohmann::json(nullptr)}};
}

// The produce rates per topic, broker and rack.
nlohmann::json ratesJson(const RateTotals &rates)
{
    nlohmann::json jr{
        {"topics", nlohmann::json::array()}, {"brokers", nlohmann::json::array()}, {"racks", nlohmann::json::array()}};
    auto named = [](const Rate &r, const char *key, const auto &name) {
        nlohmann::json j = rateJson(r);
        j[key] = name;
        return j;
    };
    for (const auto &[topic, r] : rates.topics)
        jr["topics"].push_back(named(r, "topic", topic));
    for (const auto &[broker, r] : rates.brokers)
        jr["brokers"].push_back(named(r, "broker", broker));
    for (const auto &[rack, r] : rates.racks)
        jr["racks"].push_back(named(r, "rack", rack));
    return jr;
}

// Each partition's produce rate over the history (the retained offsets tell a truncation from a rate).
std::map<TopicPartition, Rate> produceRates(const ClusterSnapshot &now, const SampleStore::History &history)
{
    std::map<TopicPartition, int64_t> retained;
    for (const auto &t : now.topics)
        for (const auto &pt : t.partitions)
            if (pt.highWatermark >= 0)
                retained[{t.name, pt.partition}] = pt.highWatermark - pt.lowWatermark;
    std::map<TopicPartition, Rate> produced;
    for (const auto &[tp, points] : history.partitions)
        produced[tp] = produceRate(points, retained.count(tp) ? retained.at(tp) : 0);
    return produced;
}

// One group's evaluation over its history, with each partition's consume and produce rates.
nlohmann::json groupHistoryJson(const ConsumerGroup &g, const std::vector<PartitionHistory> &parts, int64_t nowMs,
                                const std::map<TopicPartition, Rate> &produced)
{
    nlohmann::json jg = evaluationToJson(evaluateGroup(g.groupId, parts, nowMs, {}, !g.members.empty()));
    jg["state"] = g.state;
    jg["type"] = g.type.empty() ? nlohmann::json(nullptr) : nlohmann::json(g.type);
    double groupRate = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
        const double consumed = consumeRate(parts[i].commits);
        groupRate += consumed;
        auto &jp = jg["partitions"][i];
        jp["consumeRate"] = consumed;
        auto it = produced.find({parts[i].topic, parts[i].partition});
        jp["produceRate"] = it != produced.end() && it->second.known ? nlohmann::json(it->second.messagesPerSecond)
                                                                     : nlohmann::json(nullptr);
    }
    jg["consumeRate"] = groupRate;
    return jg;
}

// Each wanted group's latest refresh wave, by group id, with its cross-AZ bytes and its effect on the other groups.
std::map<std::string, nlohmann::json> refreshWavesJson(const LagCommand &c, const ClusterSnapshot &now,
                                                       const SampleStore::History &history,
                                                       const GroupHistories &histories)
{
    std::map<std::string, nlohmann::json> out;
    const int64_t startMs = historyStartMs(history, now.takenAtMs);
    const std::map<TopicPartition, double> bytesPerMessage = bytesPerMessageOf(now);
    for (const auto &[group, parts] : histories)
        if (c.wanted(group))
            if (const auto w = detectRefreshWave(group, parts, startMs, bytesPerMessage))
                out[group] =
                    refreshWaveToJson(*w, waveEffects(*w, histories), waveCrossAz(now, *w, c.profile.clientAzs));
    return out;
}

// `lag --history DURATION`: the status rules over the recorded history, which ends with a snapshot taken now.
int lagOverHistory(const LagCommand &c)
{
    const int64_t span = parseDuration(str(c.p.value(QStringLiteral("history"))));
    const ClusterSnapshot now = c.snapshotNow(true); // configs too: racks for the rates
    SampleStore::History history = SampleStore::read(dbPath(c.p), now.clusterId, now.takenAtMs, span);
    appendSnapshot(history, now); // the snapshot just taken is the newest point of every series
    const std::map<TopicPartition, Rate> produced = produceRates(now, history);
    nlohmann::json out{{"clusterId", now.clusterId},
                       {"now", formatIsoTime(now.takenAtMs)},
                       {"historyFrom", formatIsoTime(now.takenAtMs - span)},
                       {"groups", nlohmann::json::array()}};
    // By group id: one lookup per group, not a scan of every history (2,000 groups at scale).
    GroupHistories histories;
    for (auto &h : SampleStore::groupHistoriesOf(history))
        histories.emplace(std::move(h.group), std::move(h.partitions));
    const std::map<std::string, nlohmann::json> waves = refreshWavesJson(c, now, history, histories);
    static const std::vector<PartitionHistory> none;
    for (const auto &g : now.groups)
        if (c.wanted(g.groupId)) {
            const auto at = histories.find(g.groupId);
            auto jg = groupHistoryJson(g, at == histories.end() ? none : at->second, now.takenAtMs, produced);
            const auto wave = waves.find(g.groupId);
            jg["refreshWave"] = wave == waves.end() ? nlohmann::json(nullptr) : wave->second;
            out["groups"].push_back(std::move(jg));
        }
    if (c.readTimes)
        fillTimeLagsFromRecords(out["groups"], now,
                                [&](const std::set<PartitionOffset> &offsets) { return c.recordTimes(offsets); });
    out["produceRates"] = ratesJson(aggregateRates(now, produced));
    writeOutput(c.p, out.dump(1) + "\n");
    return 0;
}

// One partition's line in `lag`'s JSON; keys in sorted order (JsonWriter's contract).
void writePartitionLag(JsonWriter &w, const GroupOffset &o, const std::string *owner, const RecordTimeLag *t)
{
    w.beginObject();
    w.field("committed", o.committed);
    w.field("end", o.highWatermark);
    if (t && t->record) {
        w.field("firstUnconsumedAt", formatIsoTime(t->record->timestampMs));
        w.field("firstUnconsumedOffset", t->record->offset);
    }
    o.lag >= 0 ? w.field("lag", o.lag) : w.key("lag").null();
    owner ? w.field("owner", *owner) : w.key("owner").null();
    w.field("partition", o.partition);
    if (t && !t->why.empty())
        w.field("timeLagError", t->why);
    if (t)
        t->seconds ? w.key("timeLagSeconds").real(*t->seconds) : w.key("timeLagSeconds").null();
    w.field("topic", o.topic);
    w.endObject();
}

// One group's lag now: per partition the committed and end offsets, the lag, the owning member and (with times) the
// time lag from the first unconsumed record. Written as it goes: 10,000 groups hold a million partitions' lines.
void writeGroupLag(JsonWriter &w, const ConsumerGroup &g, const std::map<PartitionOffset, RecordTime> *times,
                   int64_t takenAtMs)
{
    std::map<TopicPartition, std::string> owner; // from the members' assignments
    for (const auto &m : g.members)
        for (const auto &tp : m.assignment)
            owner[tp] = m.clientId + " (" + m.host + ")";
    std::vector<RecordTimeLag> timeLags;
    std::optional<double> maxTimeLag;
    if (times)
        for (const auto &o : g.offsets) {
            timeLags.push_back(timeLagFromRecord({o.topic, o.partition}, o.committed, o.lag, *times, takenAtMs));
            if (timeLags.back().seconds)
                maxTimeLag = std::max(maxTimeLag.value_or(0.0), *timeLags.back().seconds);
        }
    w.beginObject();
    if (!g.error.empty())
        w.field("error", g.error);
    w.field("group", g.groupId);
    if (g.groupEpoch >= 0)
        w.field("groupEpoch", g.groupEpoch);
    if (times)
        maxTimeLag ? w.key("maxTimeLagSeconds").real(*maxTimeLag) : w.key("maxTimeLagSeconds").null();
    writeMembersJson(w.key("memberDetails"), g);
    w.field("members", int64_t(g.members.size()));
    w.key("partitions").beginArray();
    for (size_t i = 0; i < g.offsets.size(); ++i) {
        const GroupOffset &o = g.offsets[i];
        const auto it = owner.find({o.topic, o.partition});
        writePartitionLag(w, o, it == owner.end() ? nullptr : &it->second, times ? &timeLags[i] : nullptr);
    }
    w.endArray();
    w.field("state", g.state);
    g.offsetsKnown ? w.field("totalLag", g.totalLag()) : w.key("totalLag").null();
    g.type.empty() ? w.key("type").null() : w.field("type", g.type);
    w.endObject();
}

// `lag`: every wanted group's lag now, as JSON or a table.
int lagNow(const LagCommand &c)
{
    ClusterSnapshot s = c.snapshotNow(false); // lag needs no sizes
    warnPartial(s);
    std::erase_if(s.groups, [&](const ConsumerGroup &g) { return !c.wanted(g.groupId); });
    std::map<PartitionOffset, RecordTime> times;
    if (c.readTimes) {
        std::set<PartitionOffset> lagging;
        for (const auto &g : s.groups)
            for (const auto &o : g.offsets)
                if (o.lag > 0 && o.committed >= 0)
                    lagging.insert({{o.topic, o.partition}, o.committed});
        times = c.recordTimes(lagging);
    }
    const auto *shownTimes = c.readTimes ? &times : nullptr;
    if (c.fmt == "table") {
        writeOutput(c.p, lagTable(s, c.p.isSet(QStringLiteral("partitions")), shownTimes));
        return 0;
    }
    std::string text;
    JsonWriter w(text);
    w.beginObject();
    w.field("clusterId", s.clusterId);
    w.key("groups").beginArray();
    for (const auto &g : s.groups)
        writeGroupLag(w, g, shownTimes, s.takenAtMs);
    w.endArray();
    writeProblemsJson(w.key("problems"), s.problems);
    w.field("takenAt", formatIsoTime(s.takenAtMs));
    w.endObject();
    text += '\n';
    writeOutput(c.p, text);
    return 0;
}

} // namespace

int cmdLag(const QStringList &args)
{
    QCommandLineParser p;
    addLagOptions(p);
    parseOrThrow(p, args);
    const LagCommand c = lagCommand(p);
    if (p.isSet(QStringLiteral("evaluate")))
        return evaluateLagFile(c);
    if (p.isSet(QStringLiteral("history")))
        return lagOverHistory(c);
    return lagNow(c);
}

} // namespace kp::cli
