#include "models/refreshwave.h"

#include <algorithm>
#include <set>

namespace kp {

namespace {

// The last point at or before `t`, null when none.
template <typename Point> const Point *atOrBefore(const std::vector<Point> &points, int64_t t)
{
    auto it =
        std::upper_bound(points.begin(), points.end(), t, [](int64_t time, const Point &p) { return time < p.timeMs; });
    return it == points.begin() ? nullptr : &*(it - 1);
}

// A group's totals at one sample, over the partitions it had committed on by then.
struct Totals
{
    int64_t end = 0, lag = 0;
};

Totals totalsAt(const std::vector<PartitionHistory> &parts, int64_t t)
{
    Totals out;
    for (size_t i = 0; i < parts.size(); ++i) {
        const CommitPoint *c = atOrBefore(parts[i].commits, t);
        const OffsetPoint *e = atOrBefore(parts[i].ends, t);
        if (!c || c->offset < 0)
            continue;
        const int64_t end = e ? std::max(e->offset, c->offset) : c->offset + std::max<int64_t>(0, c->lag);
        out.end += end;
        out.lag += end - c->offset;
    }
    return out;
}

// Whether every partition's commit at `t` reached the end it had at `startMs`: the backlog the wave began with is
// read (a job that then leaves falls behind again, but its wave is over).
bool backlogRead(const std::vector<PartitionHistory> &parts, int64_t startMs, int64_t t)
{
    bool any = false;
    for (const auto &p : parts) {
        const CommitPoint *c = atOrBefore(p.commits, t);
        const CommitPoint *c0 = atOrBefore(p.commits, startMs);
        const OffsetPoint *e = atOrBefore(p.ends, startMs);
        if (!c || c->offset < 0)
            continue;
        const int64_t endThen = e ? e->offset : c0 && c0->lag >= 0 ? c0->offset + c0->lag : -1;
        if (endThen < 0 || c->offset < endThen)
            return false;
        any = true;
    }
    return any;
}

std::vector<int64_t> sampleTimes(const std::vector<PartitionHistory> &parts)
{
    std::set<int64_t> times;
    for (const auto &p : parts)
        for (const auto &c : p.commits)
            times.insert(c.timeMs);
    return {times.begin(), times.end()};
}

// Messages each sample's commits went back by, over the group's partitions: sample time -> messages.
std::map<int64_t, int64_t> rewinds(const std::vector<PartitionHistory> &parts)
{
    std::map<int64_t, int64_t> backAt;
    for (const auto &p : parts)
        for (size_t i = 1; i < p.commits.size(); ++i)
            if (p.commits[i].offset >= 0 && p.commits[i].offset < p.commits[i - 1].offset)
                backAt[p.commits[i].timeMs] += p.commits[i - 1].offset - p.commits[i].offset;
    return backAt;
}

bool caughtUpBetween(const std::vector<PartitionHistory> &parts, const std::vector<int64_t> &times, int64_t from,
                     int64_t to, int64_t reach)
{
    for (auto t = std::upper_bound(times.begin(), times.end(), from); t != times.end() && *t < to; ++t)
        if (totalsAt(parts, *t).lag <= reach)
            return true;
    return false;
}

// The latest wave of rewinds: a run of samples whose commits went back, with no sample between them where the group
// was caught up (a job that resets its partitions one by one as it reaches them rewinds over several samples), at
// least `minMessages` back in all: its first sample's index in `times`, how far it went back, and how much of that
// after its first sample; {0, 0, 0} when none.
struct Rewind
{
    size_t at = 0;
    int64_t back = 0, backLater = 0;
};

Rewind latestRewind(const std::vector<PartitionHistory> &parts, const std::vector<int64_t> &times,
                    const WaveRules &rules)
{
    const std::map<int64_t, int64_t> backAt = rewinds(parts);
    for (auto it = backAt.rbegin(); it != backAt.rend();) {
        int64_t start = it->first, back = it->second;
        for (++it; it != backAt.rend(); ++it) {
            const int64_t reach = std::max(rules.caughtUpMessages, totalsAt(parts, it->first).lag / 100);
            if (caughtUpBetween(parts, times, it->first, start, reach))
                break;
            start = it->first;
            back += it->second;
        }
        if (back >= rules.minMessages) {
            const auto at = std::lower_bound(times.begin(), times.end(), start);
            return {size_t(at - times.begin()), back, back - backAt.at(start)};
        }
    }
    return {};
}

// Messages read from a partition from `fromMs` to the last sample: every step its commits went forward (a partition
// rewound after the wave began counts what it read again, not the net change).
int64_t readSince(const PartitionHistory &p, int64_t fromMs)
{
    int64_t read = 0;
    for (size_t i = 1; i < p.commits.size(); ++i)
        if (p.commits[i].timeMs > fromMs && p.commits[i - 1].offset >= 0 &&
            p.commits[i].offset > p.commits[i - 1].offset)
            read += p.commits[i].offset - p.commits[i - 1].offset;
    return read;
}

// Each partition's messages and bytes read since the wave began; the wave's bytes in all (-1: unknown).
int64_t measurePartitions(RefreshWave &w, const std::vector<PartitionHistory> &parts,
                          const std::map<TopicPartition, double> &bytesPerMessage)
{
    double bytes = 0;
    bool bytesKnown = true;
    w.replayedMessages = 0;
    for (const auto &p : parts) {
        const int64_t read = readSince(p, w.startMs);
        w.replayedMessages += read;
        WavePartition wp{{p.topic, p.partition}, read, read == 0 ? 0 : -1};
        const auto perMessage = bytesPerMessage.find(wp.tp);
        if (perMessage != bytesPerMessage.end())
            wp.replayedBytes = int64_t(double(read) * perMessage->second + 0.5);
        if (wp.replayedBytes < 0)
            bytesKnown = false;
        else
            bytes += double(wp.replayedBytes);
        w.partitions.push_back(std::move(wp));
    }
    return bytesKnown ? int64_t(bytes) : -1;
}

// When the group's commits last went forward after `fromMs` (`fromMs` when never), and the longest it went between two
// such steps: its reading span, and how long a pause in it may last.
struct Reading
{
    int64_t lastMoveMs = 0, longestGapMs = 0;
};

Reading readingSpan(const std::vector<PartitionHistory> &parts, const std::vector<int64_t> &times, size_t from)
{
    Reading r{times[from], 0};
    for (size_t k = from + 1; k < times.size(); ++k) {
        const bool moved = std::any_of(parts.begin(), parts.end(), [&](const PartitionHistory &p) {
            const CommitPoint *now = atOrBefore(p.commits, times[k]);
            const CommitPoint *before = atOrBefore(p.commits, times[k - 1]);
            return now && before && before->offset >= 0 && now->offset > before->offset;
        });
        if (moved) {
            r.longestGapMs = std::max(r.longestGapMs, times[k] - r.lastMoveMs);
            r.lastMoveMs = times[k];
        }
    }
    return r;
}

// The pace from the start to the last sample the group read (a group that paused or left is not slowed by the time it
// was away) and, for a wave not caught up, the time to catch up at it: none when it is not gaining, or when it stopped
// (no commit for a minute and three times its longest pause while reading).
void measurePace(RefreshWave &w, const std::vector<PartitionHistory> &parts, const std::vector<int64_t> &times,
                 size_t s, const Totals &start)
{
    const Reading r = readingSpan(parts, times, s);
    const double seconds = double(r.lastMoveMs - w.startMs) / 1000.0;
    if (seconds > 0) {
        w.consumePerSecond = double(w.replayedMessages) / seconds;
        w.producePerSecond = double(std::max<int64_t>(0, totalsAt(parts, r.lastMoveMs).end - start.end)) / seconds;
    }
    if (r.lastMoveMs < w.nowMs)
        w.lastReadMs = r.lastMoveMs;
    w.stopped = !w.caughtUpMs && w.nowMs - r.lastMoveMs >= std::max<int64_t>(60000, 3 * r.longestGapMs);
    if (w.caughtUpMs || w.stopped)
        return;
    const double gaining = w.consumePerSecond - w.producePerSecond;
    if (gaining > 0)
        w.secondsToCatchUp = double(w.nowMs - w.startMs) / 1000.0 + double(w.lagNow) / gaining;
}

// `backLater`: messages rewound after the first sample (partitions reset one by one), behind the start too.
void measure(RefreshWave &w, const std::vector<PartitionHistory> &parts, const std::vector<int64_t> &times, size_t s,
             int64_t backLater, const std::map<TopicPartition, double> &bytesPerMessage, const WaveRules &rules)
{
    const Totals start = totalsAt(parts, times[s]);
    w.startMs = times[s];
    w.nowMs = times.back();
    w.startLag = start.lag + backLater;
    w.lagNow = totalsAt(parts, times.back()).lag;
    w.replayedBytes = measurePartitions(w, parts, bytesPerMessage);
    const int64_t reach = std::max(rules.caughtUpMessages, w.startLag / 100);
    for (size_t k = s + 1; k < times.size(); ++k)
        if (totalsAt(parts, times[k]).lag <= reach || backlogRead(parts, w.startMs, times[k])) {
            w.caughtUpMs = times[k];
            w.secondsToCatchUp = double(times[k] - w.startMs) / 1000.0;
            break;
        }
    measurePace(w, parts, times, s, start);
}

} // namespace

const char *toString(RefreshWave::Kind kind)
{
    return kind == RefreshWave::Kind::Rewind ? "rewind" : "new group behind";
}

std::optional<RefreshWave> detectRefreshWave(const std::string &group, const std::vector<PartitionHistory> &parts,
                                             int64_t historyStartMs,
                                             const std::map<TopicPartition, double> &bytesPerMessage,
                                             const WaveRules &rules)
{
    const std::vector<int64_t> times = sampleTimes(parts);
    if (times.empty())
        return std::nullopt;
    RefreshWave w;
    w.group = group;
    const Rewind rewind = latestRewind(parts, times, rules);
    if (rewind.at > 0) {
        w.kind = RefreshWave::Kind::Rewind;
        w.rewoundMessages = rewind.back;
        measure(w, parts, times, rewind.at, rewind.backLater, bytesPerMessage, rules);
    } else if (times.front() > historyStartMs && totalsAt(parts, times.front()).lag >= rules.minMessages) {
        w.kind = RefreshWave::Kind::NewGroupBehind;
        measure(w, parts, times, 0, 0, bytesPerMessage, rules);
    } else {
        return std::nullopt;
    }
    return w;
}

std::vector<RefreshWave> detectRefreshWaves(const GroupHistories &groups, int64_t historyStartMs,
                                            const std::map<TopicPartition, double> &bytesPerMessage,
                                            const WaveRules &rules)
{
    std::vector<RefreshWave> out;
    for (const auto &[group, parts] : groups)
        if (auto w = detectRefreshWave(group, parts, historyStartMs, bytesPerMessage, rules))
            out.push_back(std::move(*w));
    return out;
}

std::map<TopicPartition, double> bytesPerMessageOf(const ClusterSnapshot &snapshot)
{
    std::map<TopicPartition, double> out;
    for (const auto &t : snapshot.topics)
        for (const auto &p : t.partitions)
            if (const double perOffset = p.localBytesPerOffset(); perOffset > 0)
                out[{t.name, p.partition}] = perOffset;
    return out;
}

std::vector<WaveEffect> waveEffects(const RefreshWave &wave, const GroupHistories &groups)
{
    std::set<std::string> topics;
    for (const auto &p : wave.partitions)
        topics.insert(p.tp.topic);
    const int64_t until = wave.caughtUpMs.value_or(wave.nowMs);
    std::vector<WaveEffect> out;
    for (const auto &[group, parts] : groups) {
        if (group == wave.group ||
            std::none_of(parts.begin(), parts.end(), [&](const auto &p) { return topics.count(p.topic) > 0; }))
            continue;
        const std::vector<int64_t> times = sampleTimes(parts);
        const auto first = std::lower_bound(times.begin(), times.end(), wave.startMs);
        if (times.empty() || first == times.end())
            continue;
        WaveEffect e{group};
        if (first != times.begin())
            e.lagBefore = totalsAt(parts, *(first - 1)).lag;
        for (auto t = first; t != times.end() && *t <= until; ++t)
            if (const int64_t lag = totalsAt(parts, *t).lag; lag >= e.peakLag) {
                e.peakLag = lag;
                e.peakAtMs = *t;
            }
        e.lagNow = totalsAt(parts, times.back()).lag;
        out.push_back(std::move(e));
    }
    return out;
}

WaveCrossAz waveCrossAz(const ClusterSnapshot &snapshot, const RefreshWave &wave,
                        const std::vector<ClientAzRule> &clientAzs)
{
    // The traffic model is linear in its rates: bytes in place of bytes per second give bytes.
    TrafficInputs in;
    in.clientAzs = clientAzs;
    for (const auto &p : wave.partitions) {
        if (p.replayedBytes < 0)
            return {false, 0,
                    "the bytes of " + p.tp.topic + "-" + std::to_string(p.tp.partition) +
                        " are unknown (no size or no retained messages)"};
        if (p.replayedBytes > 0)
            in.consumeBytesPerSecond[wave.group][p.tp] = double(p.replayedBytes);
    }
    const Traffic t = computeTraffic(snapshot, in);
    if (!t.racksKnown)
        return {false, 0, "the brokers have no racks"};
    return {true, t.consume.crossAz(), t.consumeAssumption};
}

} // namespace kp
