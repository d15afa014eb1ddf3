#include "analysis/lagdata.h"

#include "models/rates.h"
#include "models/snapshotjson.h"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

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
std::span<const Point> withNewest(std::span<const Point> points, const std::optional<Point> &newest,
                                  std::vector<Point> &scratch)
{
    if (!newest || (!points.empty() && points.back().timeMs >= newest->timeMs))
        return points;
    scratch.assign(points.begin(), points.end());
    scratch.push_back(*newest);
    return scratch;
}

// A snapshot's committed offset (none: null) as a series' newest commit, taken when the snapshot was.
std::optional<CommitPoint> commitAt(int64_t takenAtMs, const int64_t *committed)
{
    return committed ? std::optional<CommitPoint>(CommitPoint{takenAtMs, *committed, -1}) : std::nullopt;
}

// Dense numbers for the partitions of a snapshot and a history: a topic's partitions take consecutive numbers, found
// by the topic's name (a few hundred topics, asked again only when the topic changes) and then the partition's. The
// build makes 650,000 lookups at 50,000 partitions and 2,000 groups; by TopicPartition, in a std::map or a hash table,
// each cost a cache miss or two and string comparisons (a third of the build).
class PartitionIndex
{
public:
    PartitionIndex(const ClusterSnapshot &now, const SampleStore::History &history)
    {
        std::unordered_map<std::string_view, int32_t> counts;
        auto count = [&](std::string_view topic, int32_t partition) {
            int32_t &n = counts[topic];
            n = std::max(n, partition + 1);
        };
        for (const auto &t : now.topics)
            for (const auto &p : t.partitions)
                count(t.name, p.partition);
        for (const auto &[tp, points] : history.partitions)
            count(tp.topic, tp.partition);
        for (const auto &[group, parts] : history.groups)
            for (const auto &[tp, points] : parts)
                count(tp.topic, tp.partition);
        for (const auto &g : now.groups)
            for (const auto &o : g.offsets)
                count(o.topic.str(), o.partition);
        for (const auto &[topic, n] : counts) {
            m_topics.emplace(topic, Range{m_size, n});
            m_size += size_t(n);
        }
    }
    size_t size() const { return m_size; }
    // The partition's number; every partition of the snapshot and the history has one.
    size_t operator()(std::string_view topic, int32_t partition)
    {
        if (!m_last || topic != m_lastTopic) {
            m_last = &m_topics.at(topic);
            m_lastTopic = topic;
        }
        if (partition < 0 || partition >= m_last->count) // the entry points refuse negative partitions
            throw std::out_of_range("partition " + std::to_string(partition) + " of " + std::string(topic));
        return m_last->first + size_t(partition);
    }
    size_t operator()(const TopicPartition &tp) { return (*this)(tp.topic, tp.partition); }

private:
    struct Range
    {
        size_t first = 0;
        int32_t count = 0;
    };
    std::unordered_map<std::string_view, Range> m_topics;
    size_t m_size = 0;
    std::string_view m_lastTopic;
    const Range *m_last = nullptr; // the topic asked last
};

// Values by (topic, partition), sorted, the last of a partition given twice (what a std::map assigned in order keeps):
// found by binary search or walked in order, without a tree node each (a build makes one for each of 2,000 groups'
// commits, verdicts and owners).
template <typename Value> class SortedByPartition
{
public:
    struct Entry
    {
        std::string_view topic;
        int32_t partition = -1;
        Value value;
    };
    void add(std::string_view topic, int32_t partition, Value value) { m_entries.push_back({topic, partition, value}); }
    void seal()
    {
        std::stable_sort(m_entries.begin(), m_entries.end(), less);
        const auto kept = std::unique(m_entries.rbegin(), m_entries.rend(), [](const Entry &a, const Entry &b) {
            return a.partition == b.partition && a.topic == b.topic;
        });
        m_entries.erase(m_entries.begin(), kept.base());
    }
    const Value *find(std::string_view topic, int32_t partition) const
    {
        const Entry key{topic, partition, {}};
        const auto it = std::lower_bound(m_entries.begin(), m_entries.end(), key, less);
        return it != m_entries.end() && it->partition == partition && it->topic == topic ? &it->value : nullptr;
    }
    const std::vector<Entry> &entries() const { return m_entries; }

private:
    static bool less(const Entry &a, const Entry &b)
    {
        const int c = a.topic.compare(b.topic);
        return c != 0 ? c < 0 : a.partition < b.partition;
    }
    std::vector<Entry> m_entries;
};

// A group's committed offsets in the snapshot (those it has), by partition.
SortedByPartition<int64_t> committedOffsets(const ConsumerGroup &g)
{
    SortedByPartition<int64_t> out;
    for (const auto &o : g.offsets)
        if (o.committed >= 0)
            out.add(o.topic.str(), o.partition, o.committed);
    out.seal();
    return out;
}

// What of a partition's end offsets the evaluation reads (evaluateSeries): the first point from its last reset on
// (where the table starts), every point at or after the oldest commit of any reader's verdict window (a commit's lag),
// and for each reader's newest committed offset the two points around it (the time lag's interpolation). A chart's
// partitions are read whole. The points in between are read by none: a group that rewound an hour needs two points of
// that hour, not all of them.
struct EndsNeeded
{
    std::vector<int64_t> fromTimeMs;                // by partition number; max: no reader
    std::vector<bool> whole;                        // by partition number
    std::vector<std::pair<size_t, int64_t>> around; // (partition number, committed offset + 1), sorted, unique
    std::vector<size_t> firstAround;                // by partition number: where its targets start in `around`

    std::span<const std::pair<size_t, int64_t>> targetsOf(size_t at) const
    {
        return std::span(around).subspan(firstAround[at], firstAround[at + 1] - firstAround[at]);
    }
};

EndsNeeded endsNeeded(const ClusterSnapshot &now, const SampleStore::History &history,
                      const std::set<std::string> &chartGroups, PartitionIndex &index)
{
    EndsNeeded needs;
    needs.fromTimeMs.assign(index.size(), std::numeric_limits<int64_t>::max());
    needs.whole.assign(index.size(), false);
    const size_t window = std::max<size_t>(LagRules{}.window, 1);
    auto need = [&](size_t at, int64_t fromTimeMs, int64_t newestOffset, bool whole) {
        needs.fromTimeMs[at] = std::min(needs.fromTimeMs[at], fromTimeMs);
        needs.around.emplace_back(at, newestOffset + 1);
        if (whole)
            needs.whole[at] = true;
    };
    for (const auto &[group, parts] : history.groups) {
        const bool whole = chartGroups.count(group) > 0;
        for (const auto &[tp, points] : parts)
            if (!points.empty())
                need(index(tp), points[points.size() - std::min(points.size(), window)].timeMs, points.back().offset,
                     whole);
    }
    for (const auto &g : now.groups) {
        const bool whole = chartGroups.count(g.groupId) > 0;
        for (const auto &o : g.offsets)
            if (o.committed >= 0)
                need(index(o.topic.str(), o.partition), now.takenAtMs, o.committed, whole);
    }
    std::sort(needs.around.begin(), needs.around.end());
    needs.around.erase(std::unique(needs.around.begin(), needs.around.end()), needs.around.end());
    needs.firstAround.assign(index.size() + 1, 0);
    for (const auto &[at, target] : needs.around)
        ++needs.firstAround[at + 1];
    std::partial_sum(needs.firstAround.begin(), needs.firstAround.end(), needs.firstAround.begin());
    return needs;
}

// Copies of `points` the indexes `needs` names for partition `at` (see EndsNeeded), in order.
void copyNeeded(const std::vector<SizedPoint> &points, const EndsNeeded &needs, size_t at,
                std::vector<OffsetPoint> &out)
{
    if (needs.whole[at] || needs.fromTimeMs[at] == std::numeric_limits<int64_t>::max()) {
        const size_t first = needs.whole[at] ? 0 : points.size() - 1; // no reader: the newest point, for the table
        out.reserve(points.size() - first + 1);
        for (size_t i = first; i < points.size(); ++i)
            out.push_back({points[i].timeMs, points[i].endOffset});
        return;
    }
    const size_t start = lastResetOf(points);
    const auto begin = points.begin() + std::ptrdiff_t(start);
    const size_t byTime = size_t(std::lower_bound(begin, points.end(), needs.fromTimeMs[at],
                                                  [](const SizedPoint &p, int64_t t) { return p.timeMs < t; }) -
                                 points.begin());
    size_t next = start; // the first index not copied yet
    auto copy = [&](size_t i) {
        if (i >= next && i < points.size()) {
            out.push_back({points[i].timeMs, points[i].endOffset});
            next = i + 1;
        }
    };
    const auto targets = needs.targetsOf(at);
    out.reserve(2 * targets.size() + points.size() - byTime + 2);
    copy(start);
    for (const auto &[partition, target] : targets) { // ascending: so are the points around them
        // The last point below the target, and the one after it.
        const auto past = std::lower_bound(begin, points.end(), target,
                                           [](const SizedPoint &p, int64_t o) { return p.endOffset < o; });
        if (past == begin)
            continue; // written before the table starts: its first point says so
        const size_t below = size_t(past - points.begin()) - 1;
        if (below >= byTime)
            break;
        copy(below);
        copy(below + 1);
    }
    for (size_t i = std::max(byTime, next); i < points.size(); ++i)
        copy(i);
}

// Each partition's end offsets once, the snapshot's as the newest, viewed by every group that reads it: only the points
// the evaluation reads (an hour of 10,000 moving partitions copied whole took 60 MB at every build, and still did for
// every partition a group had rewound), or every point with EndsKept::All.
std::vector<std::vector<OffsetPoint>> endOffsets(const ClusterSnapshot &now, const SampleStore::History &history,
                                                 const std::set<std::string> &chartGroups, EndsKept kept,
                                                 PartitionIndex &index)
{
    EndsNeeded needs;
    if (kept == EndsKept::All)
        needs.whole.assign(index.size(), true);
    else
        needs = endsNeeded(now, history, chartGroups, index);
    std::vector<std::vector<OffsetPoint>> ends(index.size());
    for (const auto &[tp, points] : history.partitions)
        if (!points.empty()) {
            const size_t at = index(tp);
            copyNeeded(points, needs, at, ends[at]);
        }
    for (const auto &t : now.topics)
        for (const auto &p : t.partitions)
            if (p.highWatermark >= 0) {
                auto &e = ends[index(t.name, p.partition)];
                if (e.empty() || e.back().timeMs < now.takenAtMs)
                    e.push_back({now.takenAtMs, p.highWatermark});
            }
    return ends;
}

// -1, 0 or 1 as the first partition comes before, is or comes after the second in (topic, partition) order.
int order(std::string_view topicA, int32_t partitionA, std::string_view topicB, int32_t partitionB)
{
    if (const int c = topicA.compare(topicB); c != 0)
        return c < 0 ? -1 : 1;
    return partitionA < partitionB ? -1 : partitionA > partitionB ? 1 : 0;
}

// A group's series of commits in (topic, partition) order (of `topic` alone unless empty), each with the snapshot's
// offset as its newest point and the partition's end offsets: those recorded (the history's, in that order) and those
// only the snapshot has, walked side by side. `scratch` holds the series the snapshot's point was added to.
std::vector<PartitionSeries> groupSeries(const ConsumerGroup &g, const SampleStore::History &history, int64_t takenAtMs,
                                         const std::string &topic, const std::vector<std::vector<OffsetPoint>> &ends,
                                         PartitionIndex &index, std::vector<std::vector<CommitPoint>> &scratch)
{
    const SortedByPartition<int64_t> committed = committedOffsets(g);
    static const std::map<TopicPartition, std::vector<CommitPoint>> none;
    const auto hg = history.groups.find(g.groupId);
    const auto &recorded = hg == history.groups.end() ? none : hg->second;
    scratch.resize(std::max(scratch.size(), recorded.size() + committed.entries().size()));
    std::vector<PartitionSeries> parts;
    parts.reserve(std::max(recorded.size(), committed.entries().size()));
    auto r = recorded.begin();
    auto c = committed.entries().begin();
    while (r != recorded.end() || c != committed.entries().end()) {
        if (r != recorded.end() && r->second.empty()) {
            ++r;
            continue;
        }
        // Which comes first in order: the recorded series (-1), the snapshot's offset (1), or both for one partition.
        const int side = r == recorded.end() ? 1
                         : c == committed.entries().end()
                             ? -1
                             : order(r->first.topic, r->first.partition, c->topic, c->partition);
        const std::string_view t = side <= 0 ? std::string_view(r->first.topic) : c->topic;
        const int32_t partition = side <= 0 ? r->first.partition : c->partition;
        const std::vector<CommitPoint> *points = side <= 0 ? &r->second : nullptr;
        const std::optional<CommitPoint> newest = commitAt(takenAtMs, side >= 0 ? &c->value : nullptr);
        if (side <= 0)
            ++r;
        if (side >= 0)
            ++c;
        if (!topic.empty() && t != topic)
            continue;
        const auto commits = withNewest(points ? std::span<const CommitPoint>(*points) : std::span<const CommitPoint>(),
                                        newest, scratch[parts.size()]);
        parts.push_back({std::string(t), partition, commits, ends[index(t, partition)]});
    }
    return parts;
}

// The group's row and its partitions' rows (into `out.partitions`), from its series as evaluateGroupSeries reads them.
LagGroupRow groupRow(const ConsumerGroup &g, const std::vector<PartitionSeries> &parts, const ClusterSnapshot &now,
                     const std::string &topic, LagData &out)
{
    const GroupEvaluation e = evaluateGroupSeries(g.groupId, parts, now.takenAtMs, {}, !g.members.empty());
    SortedByPartition<const PartitionEvaluation *> evals;
    for (const auto &pe : e.partitions)
        evals.add(pe.topic, pe.partition, &pe);
    evals.seal();
    SortedByPartition<int32_t> owners;
    for (size_t m = 0; m < g.members.size(); ++m)
        for (const auto &a : g.members[m].assignment)
            owners.add(a.topic, a.partition, int32_t(m));
    owners.seal();
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
        if (const auto *ev = evals.find(o.topic.str(), o.partition)) {
            const PartitionEvaluation &pe = **ev;
            pr.timeLagSeconds = pe.timeLag.seconds;
            pr.status = pe.status;
            if (texts)
                pr.texts.reset(new LagRowTexts{pe.timeLag.note, pe.reason});
        }
        if (const int32_t *owner = owners.find(o.topic.str(), o.partition))
            pr.owner = *owner;
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
    const std::set<std::string> charted = chartedGroups(now, chartGroup);
    PartitionIndex index(now, history);
    const auto ends = endOffsets(now, history, charted, kept, index);
    std::vector<std::vector<CommitPoint>> scratch;
    for (const auto &g : now.groups) {
        const bool consumes = std::any_of(g.offsets.begin(), g.offsets.end(),
                                          [&](const GroupOffset &o) { return topic.empty() || o.topic == topic; });
        if (!topic.empty() && !consumes)
            continue;
        const std::vector<PartitionSeries> parts = groupSeries(g, history, now.takenAtMs, topic, ends, index, scratch);
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

namespace {

// A partition's produce rate with the snapshot's point `newest` as the series' newest where it is newer (what
// produceRate of the series with that point appended gives, without copying an hour of points): produceRate reads only
// the last reset's first point and the newest, so the series' last run stands in for it.
Rate produceRateWithNewest(std::span<const SizedPoint> points, const std::optional<SizedPoint> &newest,
                           int64_t retained)
{
    if (!newest || (!points.empty() && points.back().timeMs >= newest->timeMs))
        return produceRate(points, retained);
    const size_t start = lastResetOf(points);
    std::array<SizedPoint, 3> run{};
    size_t n = 0;
    if (!points.empty()) {
        run[n++] = points[start];
        if (points.size() - start > 1)
            run[n++] = points.back();
    }
    run[n++] = *newest;
    return produceRate(std::span<const SizedPoint>(run.data(), n), retained);
}

} // namespace

std::map<TopicPartition, double> produceBytesPerSecond(const ClusterSnapshot &now, const SampleStore::History &history)
{
    std::map<TopicPartition, double> out;
    // The snapshot's partitions in the history's order (topics by name, partitions by number) are found by walking it
    // once rather than by a search each (50,000 partitions).
    auto next = history.partitions.begin();
    for (const auto &t : now.topics)
        for (const auto &p : t.partitions) {
            TopicPartition tp{t.name, p.partition};
            auto it = next != history.partitions.end() && next->first == tp ? next : history.partitions.find(tp);
            if (it != history.partitions.end())
                next = std::next(it);
            const auto newest = p.highWatermark >= 0
                                    ? std::optional<SizedPoint>({now.takenAtMs, p.highWatermark, p.sizeBytes()})
                                    : std::nullopt;
            if (it == history.partitions.end() && !newest)
                continue;
            const int64_t retained = p.watermarksKnown() ? p.highWatermark - p.lowWatermark : 0;
            const Rate r =
                produceRateWithNewest(it == history.partitions.end() ? std::span<const SizedPoint>()
                                                                     : std::span<const SizedPoint>(it->second),
                                      newest, retained);
            // Bytes need a size; an idle partition is 0 either way.
            if (r.known && (r.bytesKnown || r.messagesPerSecond == 0))
                out.emplace_hint(out.end(), std::move(tp), r.bytesKnown ? r.bytesPerSecond : 0);
        }
    return out;
}

namespace {

// What the consume rates need of the snapshot: its groups, each group's committed offsets made once, and the bytes a
// message takes on each partition.
class ConsumeRates
{
public:
    explicit ConsumeRates(const ClusterSnapshot &now) : m_now(now), m_bytesPerMessage(bytesPerMessageOf(now))
    {
        for (const auto &g : now.groups)
            m_groups[g.groupId] = &g;
    }
    // Adds the group's bytes/s on `tp` from its recorded commits (oldest first), the snapshot's commit the newest.
    void add(const std::string &group, const TopicPartition &tp, std::span<const CommitPoint> commits,
             TrafficInputs &in)
    {
        if (group != m_group) {
            const auto g = m_groups.find(group);
            m_committed = g == m_groups.end() ? SortedByPartition<int64_t>{} : committedOffsets(*g->second);
            m_group = group;
            m_rates = nullptr;
        }
        const int64_t *c = m_committed.find(tp.topic, tp.partition);
        const double messages = consumeRate(withNewest(commits, commitAt(m_now.takenAtMs, c), m_scratch));
        if (messages <= 0)
            return;
        // A group's partitions mostly come in order (the store numbers them so): the next entry is tried before a
        // search, and the group's rates are added at their end (200,000 group partitions: a search of 50,000 names
        // and two of the result's maps each took most of the Traffic page's computation).
        auto b = m_nextBytes != m_bytesPerMessage.end() && m_nextBytes->first == tp ? m_nextBytes
                                                                                    : m_bytesPerMessage.find(tp);
        if (b == m_bytesPerMessage.end())
            return;
        m_nextBytes = std::next(b);
        if (!m_rates)
            m_rates = &in.consumeBytesPerSecond[group];
        m_rates->emplace_hint(m_rates->end(), tp, messages * b->second);
    }

private:
    const ClusterSnapshot &m_now;
    const std::map<TopicPartition, double> m_bytesPerMessage;
    std::map<std::string, const ConsumerGroup *> m_groups;
    std::string m_group;
    SortedByPartition<int64_t> m_committed;
    std::vector<CommitPoint> m_scratch;
    std::map<TopicPartition, double>::const_iterator m_nextBytes = m_bytesPerMessage.end();
    std::map<TopicPartition, double> *m_rates = nullptr; // the group's, once it has one
};

} // namespace

TrafficInputs trafficInputs(const ClusterSnapshot &now, const SampleStore::History &history)
{
    TrafficInputs in;
    in.produceBytesPerSecond = produceBytesPerSecond(now, history);
    ConsumeRates consume(now);
    for (const auto &[group, partitions] : history.groups)
        for (const auto &[tp, commits] : partitions)
            consume.add(group, tp, commits, in);
    return in;
}

TrafficInputs trafficInputs(const ClusterSnapshot &now, const SampleStore::WindowEnds &ends)
{
    // The partitions' end offsets as a history of their own (two points each at most), for produceBytesPerSecond.
    SampleStore::History partitions;
    // A series' points in the window: its first and last, one point when both are the same.
    auto countOf = [&](size_t slot) { return ends.first[slot].timeMs == ends.last[slot].timeMs ? size_t(1) : 2; };
    auto pointsOf = [&](size_t slot) {
        std::vector<SizedPoint> points{ends.first[slot], ends.last[slot]};
        points.resize(countOf(slot));
        return points;
    };
    ends.names.forEach([&](uint32_t id, const SeriesName &name) {
        const size_t slot = ends.names.slot(id);
        if (std::get<0>(name).empty() && ends.first[slot].endOffset >= 0)
            partitions.partitions.emplace_hint(partitions.partitions.end(), // mostly in order: at the end
                                               TopicPartition{std::get<1>(name), std::get<2>(name)}, pointsOf(slot));
    });
    TrafficInputs in;
    in.produceBytesPerSecond = produceBytesPerSecond(now, partitions);
    partitions = {};
    ConsumeRates consume(now);
    ends.names.forEach([&](uint32_t id, const SeriesName &name) {
        const size_t slot = ends.names.slot(id);
        if (std::get<0>(name).empty() || ends.first[slot].endOffset < 0)
            return;
        const SizedPoint &first = ends.first[slot], &last = ends.last[slot];
        const CommitPoint commits[2] = {{first.timeMs, first.endOffset, -1}, {last.timeMs, last.endOffset, -1}};
        consume.add(std::get<0>(name), TopicPartition{std::get<1>(name), std::get<2>(name)},
                    std::span<const CommitPoint>(commits, countOf(slot)), in);
    });
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
