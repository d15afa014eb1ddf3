#include "analysis/lagdata.h"

#include "models/rates.h"
#include "models/snapshotjson.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <span>

namespace kp {

std::string memberSummary(const ConsumerGroup &g)
{
    std::string out;
    const size_t shown = std::min<size_t>(g.members.size(), 20);
    for (size_t i = 0; i < shown; ++i)
        out += (i ? "\n" : "") + describeMember(g.members[i]);
    if (g.members.size() > shown)
        out += "\nand " + std::to_string(g.members.size() - shown) + " more";
    return out;
}

std::string ownerOf(const ConsumerGroup &g, const LagPartitionRow &row)
{
    if (row.owner < 0 || size_t(row.owner) >= g.members.size())
        return {};
    const GroupMember &m = g.members[size_t(row.owner)];
    return m.clientId + "@" + m.host;
}

void appendSnapshot(SampleStore::History &history, const ClusterSnapshot &now)
{
    for (const auto &t : now.topics)
        for (const auto &p : t.partitions)
            if (p.highWatermark >= 0) {
                auto &points = history.partitions[{t.name, p.partition}];
                if (points.empty() || points.back().timeMs < now.takenAtMs)
                    points.push_back({now.takenAtMs, p.highWatermark, p.sizeBytes()});
            }
    for (const auto &g : now.groups)
        for (const auto &o : g.offsets)
            if (o.committed >= 0) {
                auto &points = history.groups[g.groupId][{o.topic, o.partition}];
                if (points.empty() || points.back().timeMs < now.takenAtMs)
                    points.push_back({now.takenAtMs, o.committed, -1});
            }
}

std::set<std::string> chartNeighbours(const ClusterSnapshot &now, const std::string &chartGroup)
{
    std::set<std::string> topics;
    for (const auto &g : now.groups)
        if (g.groupId == chartGroup)
            for (const auto &o : g.offsets)
                topics.insert(o.topic);
    std::set<std::string> out;
    for (const auto &g : now.groups) {
        if (out.size() >= kMaxNeighbours)
            break;
        if (g.groupId != chartGroup && std::any_of(g.offsets.begin(), g.offsets.end(),
                                                   [&](const GroupOffset &o) { return topics.count(o.topic) > 0; }))
            out.insert(g.groupId);
    }
    return out;
}

namespace {

// The chart's group and its neighbours, whose histories are kept and read whole; none without a chart.
std::set<std::string> chartedGroups(const ClusterSnapshot &now, const std::string &chartGroup)
{
    if (chartGroup.empty())
        return {};
    std::set<std::string> out = chartNeighbours(now, chartGroup);
    out.insert(chartGroup);
    return out;
}

} // namespace

SampleStore::Shape lagPageShape(const ClusterSnapshot &now, const std::string &chartGroup)
{
    SampleStore::Shape shape;
    shape.collapseRuns = true;
    shape.groups = SampleStore::Shape::Keep::Last;
    shape.last = LagRules{}.window;
    shape.allOf = chartedGroups(now, chartGroup);
    return shape;
}

int64_t historyStartMs(const SampleStore::History &history, int64_t nowMs)
{
    int64_t first = nowMs;
    for (const auto &[tp, points] : history.partitions)
        if (!points.empty())
            first = std::min(first, points.front().timeMs);
    return first;
}

void findChartWave(LagData &data, int64_t historyStartMs, const std::vector<ClientAzRule> &clientAzs)
{
    const auto chart = data.histories.find(data.chartGroup);
    if (chart == data.histories.end() || !data.snapshot)
        return;
    data.wave = detectRefreshWave(chart->first, chart->second, historyStartMs, bytesPerMessageOf(*data.snapshot));
    if (!data.wave)
        return;
    data.waveEffects = waveEffects(*data.wave, data.histories);
    data.waveCrossAz = waveCrossAz(*data.snapshot, *data.wave, clientAzs);
}

namespace {

// A series with the snapshot's point as its newest where the snapshot is newer than its last point (appendSnapshot
// without copying the whole history): the series itself, or `scratch` holding it and that point.
template <typename Point>
std::span<const Point> withNewest(const std::vector<Point> *points, const std::optional<Point> &newest,
                                  std::vector<Point> &scratch)
{
    if (!newest || (points && !points->empty() && points->back().timeMs >= newest->timeMs))
        return points ? std::span<const Point>(*points) : std::span<const Point>();
    scratch.clear();
    if (points)
        scratch.assign(points->begin(), points->end());
    scratch.push_back(*newest);
    return scratch;
}

// A group's committed offsets in the snapshot taken at `takenAtMs`, as the newest point of each of its series.
using Commits = std::map<TopicPartition, CommitPoint>;
Commits commitsOf(const ConsumerGroup &g, int64_t takenAtMs)
{
    Commits out;
    for (const auto &o : g.offsets)
        if (o.committed >= 0)
            out[{o.topic, o.partition}] = {takenAtMs, o.committed, -1};
    return out;
}

std::optional<CommitPoint> commitAt(const Commits &commits, const TopicPartition &tp)
{
    const auto c = commits.find(tp);
    return c == commits.end() ? std::nullopt : std::optional<CommitPoint>(c->second);
}

// What of a partition's end offsets the evaluation reads (evaluateSeries): from the first point at or after the oldest
// commit of any reader's verdict window (a commit's lag), or from the last point below the lowest newest committed
// offset + 1 (the time lag's interpolation), whichever comes first. A chart's partitions are read whole.
struct EndsNeeded
{
    int64_t fromTimeMs = std::numeric_limits<int64_t>::max();
    int64_t belowOffset = std::numeric_limits<int64_t>::max();
    bool whole = false;
};

std::map<TopicPartition, EndsNeeded> endsNeeded(const ClusterSnapshot &now, const SampleStore::History &history,
                                                const std::set<std::string> &chartGroups)
{
    std::map<TopicPartition, EndsNeeded> needs;
    const size_t window = std::max<size_t>(LagRules{}.window, 1);
    auto need = [&](const TopicPartition &tp, int64_t fromTimeMs, int64_t newestOffset, bool whole) {
        EndsNeeded &n = needs[tp];
        n.fromTimeMs = std::min(n.fromTimeMs, fromTimeMs);
        n.belowOffset = std::min(n.belowOffset, newestOffset + 1);
        n.whole = n.whole || whole;
    };
    for (const auto &[group, parts] : history.groups) {
        const bool whole = chartGroups.count(group) > 0;
        for (const auto &[tp, points] : parts)
            if (!points.empty())
                need(tp, points[points.size() - std::min(points.size(), window)].timeMs, points.back().offset, whole);
    }
    for (const auto &g : now.groups) {
        const bool whole = chartGroups.count(g.groupId) > 0;
        for (const auto &o : g.offsets)
            if (o.committed >= 0)
                need({o.topic, o.partition}, now.takenAtMs, o.committed, whole);
    }
    return needs;
}

// The first point of `points` (oldest first) that `n` needs, within the table from its last reset on (usableEnds).
size_t firstNeeded(const std::vector<SizedPoint> &points, const EndsNeeded &n)
{
    if (n.whole)
        return 0;
    size_t start = 0;
    for (size_t i = 1; i < points.size(); ++i)
        if (points[i].endOffset < points[i - 1].endOffset)
            start = i;
    const auto first = points.begin() + std::ptrdiff_t(start);
    const auto byTime = std::lower_bound(first, points.end(), n.fromTimeMs,
                                         [](const SizedPoint &p, int64_t t) { return p.timeMs < t; });
    // The last point below the offset: one before the first at or past it.
    auto byOffset = std::lower_bound(first, points.end(), n.belowOffset,
                                     [](const SizedPoint &p, int64_t o) { return p.endOffset < o; });
    if (byOffset != first)
        --byOffset;
    return size_t(std::min(byTime, byOffset) - points.begin());
}

// Each partition's end offsets once, the snapshot's as the newest, viewed by every group that reads it: only the points
// the evaluation reads (an hour of 10,000 moving partitions copied whole took 70 MB at every build), or every point
// with EndsKept::All.
std::map<TopicPartition, std::vector<OffsetPoint>> endOffsets(const ClusterSnapshot &now,
                                                              const SampleStore::History &history,
                                                              const std::set<std::string> &chartGroups, EndsKept kept)
{
    const auto needs =
        kept == EndsKept::All ? std::map<TopicPartition, EndsNeeded>{} : endsNeeded(now, history, chartGroups);
    std::map<TopicPartition, std::vector<OffsetPoint>> ends;
    for (const auto &[tp, points] : history.partitions) {
        if (points.empty())
            continue;
        size_t first = 0;
        if (kept != EndsKept::All) {
            const auto n = needs.find(tp);
            first = n == needs.end() ? points.size() - 1 : firstNeeded(points, n->second);
        }
        auto &e = ends[tp];
        e.reserve(points.size() - first + 1);
        for (size_t i = first; i < points.size(); ++i)
            e.push_back({points[i].timeMs, points[i].endOffset});
    }
    for (const auto &t : now.topics)
        for (const auto &p : t.partitions)
            if (p.highWatermark >= 0) {
                auto &e = ends[{t.name, p.partition}];
                if (e.empty() || e.back().timeMs < now.takenAtMs)
                    e.push_back({now.takenAtMs, p.highWatermark});
            }
    return ends;
}

// The group's row and its partitions' rows (into `out.partitions`), from its series as evaluateGroupSeries reads them.
LagGroupRow groupRow(const ConsumerGroup &g, const std::vector<PartitionSeries> &parts, const ClusterSnapshot &now,
                     const std::string &topic, LagData &out)
{
    const GroupEvaluation e = evaluateGroupSeries(g.groupId, parts, now.takenAtMs, {}, !g.members.empty());
    std::map<TopicPartition, const PartitionEvaluation *> evals;
    for (const auto &pe : e.partitions)
        evals[{pe.topic, pe.partition}] = &pe;
    std::map<TopicPartition, int32_t> owners;
    for (size_t m = 0; m < g.members.size(); ++m)
        for (const auto &a : g.members[m].assignment)
            owners[a] = int32_t(m);
    const bool texts = g.groupId == out.chartGroup;

    LagGroupRow row;
    row.group = g.groupId;
    row.type = g.type;
    row.state = g.state;
    row.members = int(g.members.size());
    int64_t total = 0;
    bool known = g.offsetsKnown;
    auto &rows = out.partitions[g.groupId];
    rows.reserve(g.offsets.size());
    for (const auto &o : g.offsets) {
        if (!topic.empty() && o.topic != topic)
            continue;
        LagPartitionRow pr;
        pr.offset = &o;
        if (o.lag >= 0)
            total += o.lag;
        else
            known = false;
        if (auto it = evals.find({o.topic, o.partition}); it != evals.end()) {
            pr.timeLagSeconds = it->second->timeLag.seconds;
            pr.status = it->second->status;
            if (texts)
                pr.texts.reset(new LagRowTexts{it->second->timeLag.note, it->second->reason});
        }
        if (auto it = owners.find({o.topic, o.partition}); it != owners.end())
            pr.owner = it->second;
        rows.push_back(std::move(pr));
    }
    row.partitions = int(rows.size());
    row.totalLag = known || total > 0 ? total : -1;
    row.maxTimeLagSeconds = e.maxTimeLagSeconds;
    row.status = out.hasHistory ? e.status : GroupStatus::Unknown;
    return row;
}

} // namespace

LagData buildLagData(std::shared_ptr<const ClusterSnapshot> snapshot, const SampleStore::History &history,
                     const std::string &topic, const std::string &chartGroup, EndsKept kept)
{
    const ClusterSnapshot &now = *snapshot;
    LagData out;
    out.snapshot = std::move(snapshot);
    out.nowMs = now.takenAtMs;
    out.topic = topic;
    out.chartGroup = chartGroup;
    for (const auto &[tp, points] : history.partitions)
        if (!points.empty() && points.front().timeMs < now.takenAtMs)
            out.hasHistory = true;
    static const std::vector<OffsetPoint> noEnds;
    const std::set<std::string> charted = chartedGroups(now, chartGroup);
    const auto ends = endOffsets(now, history, charted, kept);
    for (const auto &g : now.groups) {
        const bool consumes = std::any_of(g.offsets.begin(), g.offsets.end(),
                                          [&](const GroupOffset &o) { return topic.empty() || o.topic == topic; });
        if (!topic.empty() && !consumes)
            continue;
        // The group's series of commits, the snapshot's as the newest: those recorded and those only the snapshot has.
        const Commits committedNow = commitsOf(g, now.takenAtMs);
        const auto hg = history.groups.find(g.groupId);
        std::map<TopicPartition, const std::vector<CommitPoint> *> series;
        if (hg != history.groups.end())
            for (const auto &[tp, points] : hg->second)
                if (!points.empty())
                    series[tp] = &points;
        for (const auto &[tp, committed] : committedNow)
            series.try_emplace(tp, nullptr);
        std::vector<std::vector<CommitPoint>> scratch(series.size());
        std::vector<PartitionSeries> parts;
        parts.reserve(series.size());
        for (const auto &[tp, points] : series) {
            if (!topic.empty() && tp.topic != topic)
                continue;
            const auto commits = withNewest(points, commitAt(committedNow, tp), scratch[parts.size()]);
            const auto e = ends.find(tp);
            parts.push_back({tp.topic, tp.partition, commits, e != ends.end() ? e->second : noEnds});
        }
        out.groups.push_back(groupRow(g, parts, now, topic, out));
        if (charted.count(g.groupId)) {
            auto &chart = out.histories[g.groupId];
            for (const auto &p : parts)
                chart.push_back(
                    {p.topic, p.partition, {p.commits.begin(), p.commits.end()}, {p.ends.begin(), p.ends.end()}});
        }
    }
    return out;
}

int applyRecordTimes(LagData &data, const std::map<PartitionOffset, RecordTime> &times)
{
    if (times.empty())
        return 0;
    int filled = 0;
    for (auto &g : data.groups) {
        auto rows = data.partitions.find(g.group);
        if (rows == data.partitions.end())
            continue;
        for (auto &r : rows->second) {
            if (r.timeLagSeconds || r.lag() <= 0)
                continue;
            const PartitionOffset at{{r.topic(), r.partition()}, r.committed()};
            if (!times.count(at))
                continue;
            const RecordTimeLag t = timeLagFromRecord(at.first, at.second, r.lag(), times, data.nowMs);
            if (!r.texts)
                r.texts = std::make_unique<LagRowTexts>();
            if (t.seconds) {
                r.timeLagSeconds = t.seconds;
                r.texts->timeLagNote = "from the first record not consumed yet: offset " +
                                       std::to_string(t.record->offset) + ", written " +
                                       formatIsoTime(t.record->timestampMs);
                g.maxTimeLagSeconds = std::max(g.maxTimeLagSeconds.value_or(0.0), *t.seconds);
                ++filled;
            } else {
                r.texts->timeLagNote = "the first record not consumed yet could not be read: " + t.why;
            }
        }
    }
    return filled;
}

TrafficInputs trafficInputs(const ClusterSnapshot &now, const SampleStore::History &history)
{
    TrafficInputs in;
    const std::map<TopicPartition, double> bytesPerMessage = bytesPerMessageOf(now);
    std::vector<SizedPoint> scratch;
    for (const auto &t : now.topics)
        for (const auto &p : t.partitions) {
            const TopicPartition tp{t.name, p.partition};
            const int64_t retained = p.watermarksKnown() ? p.highWatermark - p.lowWatermark : 0;
            const auto it = history.partitions.find(tp);
            const auto newest =
                p.highWatermark >= 0
                    ? std::optional<SizedPoint>(SizedPoint{now.takenAtMs, p.highWatermark, p.sizeBytes()})
                    : std::nullopt;
            if (it == history.partitions.end() && !newest)
                continue;
            const Rate r = produceRate(
                withNewest(it == history.partitions.end() ? nullptr : &it->second, newest, scratch), retained);
            // Bytes need a size; an idle partition is 0 either way.
            if (r.known && (r.bytesKnown || r.messagesPerSecond == 0))
                in.produceBytesPerSecond[tp] = r.bytesKnown ? r.bytesPerSecond : 0;
        }
    std::map<std::string, const ConsumerGroup *> groupsNow;
    for (const auto &g : now.groups)
        groupsNow[g.groupId] = &g;
    std::vector<CommitPoint> commitScratch;
    for (const auto &[group, partitions] : history.groups) {
        const auto g = groupsNow.find(group);
        const Commits committedNow = g == groupsNow.end() ? Commits{} : commitsOf(*g->second, now.takenAtMs);
        for (const auto &[tp, commits] : partitions) {
            const double messages = consumeRate(withNewest(&commits, commitAt(committedNow, tp), commitScratch));
            auto b = bytesPerMessage.find(tp);
            if (messages > 0 && b != bytesPerMessage.end())
                in.consumeBytesPerSecond[group][tp] = messages * b->second;
        }
    }
    return in;
}

std::vector<LagPoint> lagSeries(const std::vector<PartitionHistory> &partitions,
                                const std::map<PartitionOffset, RecordTime> *records)
{
    std::set<int64_t> times;
    for (const auto &p : partitions)
        for (const auto &c : p.commits)
            times.insert(c.timeMs);
    std::vector<LagPoint> out;
    out.reserve(times.size());
    for (int64_t t : times) {
        LagPoint point{t, 0, std::nullopt};
        for (const auto &p : partitions) {
            // The last commit and end offset at or before t.
            auto c = std::upper_bound(p.commits.begin(), p.commits.end(), t,
                                      [](int64_t v, const CommitPoint &cp) { return v < cp.timeMs; });
            auto e = std::upper_bound(p.ends.begin(), p.ends.end(), t,
                                      [](int64_t v, const OffsetPoint &op) { return v < op.timeMs; });
            if (c == p.commits.begin() || e == p.ends.begin())
                continue;
            const int64_t committed = std::prev(c)->offset;
            const int64_t end = std::prev(e)->offset;
            point.totalLag += std::max<int64_t>(0, end - committed);
            // Time lag as timeLag() defines it, by binary search (end offsets only grow between samples): when the
            // end offset passed committed + 1, interpolated; unknown before the history starts.
            std::optional<double> seconds;
            if (committed >= end) {
                seconds = 0.0;
            } else {
                const int64_t target = committed + 1;
                auto b = std::lower_bound(p.ends.begin(), e, target,
                                          [](const OffsetPoint &op, int64_t v) { return op.offset < v; });
                if (b != p.ends.begin() && b != e) {
                    const OffsetPoint &a = *std::prev(b);
                    const double fraction = double(target - a.offset) / double(b->offset - a.offset);
                    const double writtenAt = double(a.timeMs) + fraction * double(b->timeMs - a.timeMs);
                    seconds = std::max(0.0, (double(t) - writtenAt) / 1000.0);
                }
            }
            bool fromRecord = false;
            if (!seconds && records) {
                const RecordTimeLag r =
                    timeLagFromRecord({p.topic, p.partition}, committed, end - committed, *records, t);
                seconds = r.seconds;
                fromRecord = r.seconds.has_value();
            }
            if (seconds && (!point.maxTimeLagSeconds || *seconds > *point.maxTimeLagSeconds)) {
                point.maxTimeLagSeconds = seconds;
                point.timeLagFromRecords = fromRecord;
            }
        }
        out.push_back(point);
    }
    return out;
}

} // namespace kp
