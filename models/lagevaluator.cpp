#include "models/lagevaluator.h"

#include <algorithm>
#include <cstdio>

namespace kp {

const char *toString(PartitionStatus s)
{
    switch (s) {
    case PartitionStatus::Ok:
        return "OK";
    case PartitionStatus::Warn:
        return "WARN";
    case PartitionStatus::Stall:
        return "STALL";
    case PartitionStatus::Stop:
        return "STOP";
    case PartitionStatus::Rewind:
        return "REWIND";
    case PartitionStatus::Unknown:
        break;
    }
    return "UNKNOWN";
}

const char *toString(GroupStatus s)
{
    switch (s) {
    case GroupStatus::Ok:
        return "OK";
    case GroupStatus::Warn:
        return "WARN";
    case GroupStatus::Err:
        return "ERR";
    case GroupStatus::Unknown:
        break;
    }
    return "UNKNOWN";
}

namespace {

std::string seconds(double s)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f s", s);
    return buf;
}

// The end-offset table from its last reset on: a drop means the partition was recreated or truncated, and points
// from before it say nothing about today's offsets.
std::span<const OffsetPoint> usableEnds(std::span<const OffsetPoint> ends)
{
    return ends.subspan(lastDropIn(ends, &OffsetPoint::offset));
}

// A commit's lag from the end-offset table: the end offset at the commit's time is the first point at or after it
// (an earlier point says nothing of what was written between it and the commit). -1 (unknown) where no point is that
// late, or where that point is below the committed offset (the table and the commits disagree): never clamped to 0,
// which would call the consumer caught up.
int64_t lagAt(std::span<const OffsetPoint> ends, const CommitPoint &c)
{
    if (c.lag >= 0)
        return c.lag; // recorded with the commit
    const OffsetPoint *end = endAtOrAfter(ends, c.timeMs);
    if (!end || end->offset < c.offset)
        return -1;
    return end->offset - c.offset;
}

} // namespace

const OffsetPoint *endAtOrAfter(std::span<const OffsetPoint> ends, int64_t timeMs)
{
    const auto it = std::lower_bound(ends.begin(), ends.end(), timeMs,
                                     [](const OffsetPoint &p, int64_t t) { return p.timeMs < t; });
    return it == ends.end() ? nullptr : &*it;
}

TimeLag timeLag(std::span<const OffsetPoint> allEnds, int64_t committed, int64_t nowMs)
{
    const std::span<const OffsetPoint> ends = usableEnds(allEnds);
    if (ends.empty())
        return {std::nullopt, "no end-offset history"};
    if (committed < 0)
        return {std::nullopt, "no committed offset"};
    const OffsetPoint &latest = ends.back();
    if (committed >= latest.offset)
        return {0.0, "caught up"};
    const OffsetPoint &first = ends.front();
    // The message at `committed` was written when the end offset passed committed + 1.
    const int64_t target = committed + 1;
    if (target <= first.offset)
        return {std::nullopt, "written before the history starts: at least " +
                                  seconds(double(nowMs - first.timeMs) / 1000.0) + " behind"};
    // The last point still at or below the target's predecessor, and the first one past it.
    size_t i = 0;
    while (i + 1 < ends.size() && ends[i + 1].offset < target)
        ++i;
    const OffsetPoint &a = ends[i];
    const OffsetPoint &b = ends[i + 1]; // exists: latest.offset > committed, so latest.offset >= target
    // a.offset < target <= b.offset, hence b.offset > a.offset: no division by zero.
    const double fraction = double(target - a.offset) / double(b.offset - a.offset);
    const double writtenAt = double(a.timeMs) + fraction * double(b.timeMs - a.timeMs);
    return {std::max(0.0, (double(nowMs) - writtenAt) / 1000.0), "interpolated"};
}

// The rules in the order they are tried (Burrow's, with its checks for STOP before the zero-lag shortcut):
// REWIND, caught up now (OK, however old the last commit: an idle topic's consumer is not STOP, unlike Burrow),
// no lag known (UNKNOWN), STOP, zero lag within the window (OK only while the consumer kept moving since, else STALL),
// too little history (UNKNOWN), STALL, WARN, OK.
PartitionEvaluation evaluatePartition(const PartitionHistory &h, int64_t nowMs, const LagRules &rules)
{
    return evaluateSeries(PartitionSeries{h.topic, h.partition, h.commits, h.ends}, nowMs, rules);
}

namespace {

// The commits a verdict looks at, with the lag at each (-1 where unknown) and the partition's end offset now (-1 when
// the end-offset table does not reach the latest commit).
struct CommitWindow
{
    std::span<const CommitPoint> commits;
    std::vector<int64_t> &lags, &known; // known: the lags that are not -1 (scratch of the thread: see evaluateSeries)
    int64_t currentEnd = -1;
    const CommitPoint &first() const { return commits.front(); }
    const CommitPoint &last() const { return commits.back(); }
};

bool judgeRewind(PartitionEvaluation &out, const CommitWindow &c)
{
    for (size_t i = 1; i < c.commits.size(); ++i)
        if (c.commits[i].offset < c.commits[i - 1].offset) {
            out.status = PartitionStatus::Rewind;
            out.reason = "the committed offset went back from " + std::to_string(c.commits[i - 1].offset) + " to " +
                         std::to_string(c.commits[i].offset);
            return true;
        }
    return false;
}

// Zero lag within the window says the consumer keeps up only while it has not been stuck since: two or more commits
// that repeat the offset it last reached while messages wait are a consumer that stopped consuming (sampled histories
// repeat the committed offset at every sample whether or not the consumer committed). One such commit is tolerated: a
// consumer of a quiet topic often shows a message or two not yet committed.
bool judgeZeroLag(PartitionEvaluation &out, const CommitWindow &c, const std::string &waiting)
{
    if (std::find(c.lags.begin(), c.lags.end(), 0) == c.lags.end())
        return false;
    const auto &w = c.commits;
    size_t run = w.size() - 1; // where the offset reached its last value
    while (run > 0 && w[run - 1].offset == c.last().offset)
        --run;
    size_t stuck = 0;
    for (size_t i = run + 1; i < w.size(); ++i)
        stuck += c.lags[i] > 0 ? 1 : 0;
    if (stuck < 2) {
        out.status = PartitionStatus::Ok;
        out.reason = c.lags.back() == 0 ? "caught up at its latest commit" : "lag was zero within the window";
        return true;
    }
    out.status = PartitionStatus::Stall;
    out.reason = "lag was zero within the window, but the last " + std::to_string(stuck) + " commits stay at offset " +
                 std::to_string(c.last().offset) + " while " + waiting;
    return true;
}

// Two or more commits with lag: stalled where the offset stays, a warning where the lag does not decrease.
void judgeTrend(PartitionEvaluation &out, const CommitWindow &c, const std::string &lagNow)
{
    const auto &known = c.known;
    bool lagNotDecreasing = known.size() >= 2;
    for (size_t i = 1; i < known.size(); ++i)
        if (known[i] < known[i - 1])
            lagNotDecreasing = false;
    if (c.first().offset == c.last().offset && (lagNotDecreasing || known.size() < 2)) {
        out.status = PartitionStatus::Stall;
        out.reason = "commits keep coming but the offset stays at " + std::to_string(c.last().offset) +
                     " while lag is " + lagNow;
    } else if (known.size() < 2) {
        out.reason = "consuming (the offset moved from " + std::to_string(c.first().offset) + " to " +
                     std::to_string(c.last().offset) + "), but too few lags are known to tell whether it keeps up";
    } else if (lagNotDecreasing) {
        out.status = PartitionStatus::Warn;
        out.reason = "consuming, but the lag did not decrease over the window (" + std::to_string(known.front()) +
                     " to " + std::to_string(known.back()) + ")";
    } else {
        out.status = PartitionStatus::Ok;
        out.reason = "consuming and catching up";
    }
}

} // namespace

PartitionEvaluation evaluateSeries(const PartitionSeries &h, int64_t nowMs, const LagRules &rules)
{
    PartitionEvaluation out;
    out.topic = h.topic;
    out.partition = h.partition;
    if (h.commits.empty()) {
        out.reason = "no committed offsets in the history";
        return out;
    }
    const std::span<const OffsetPoint> ends = usableEnds(h.ends);
    // Reused from one partition to the next: two vectors allocated per partition were most of evaluating 200,000 at
    // every sample (perf: malloc walking a fragmented heap).
    thread_local std::vector<int64_t> lags, known;
    lags.clear();
    known.clear();
    CommitWindow c{{}, lags, known};
    c.commits = h.commits.last(std::min(std::max<size_t>(rules.window, 1), h.commits.size()));
    for (const auto &commit : c.commits)
        c.lags.push_back(lagAt(ends, commit));
    std::copy_if(c.lags.begin(), c.lags.end(), std::back_inserter(c.known), [](int64_t l) { return l >= 0; });
    const CommitPoint &first = c.first();
    const CommitPoint &last = c.last();
    // The end offset now, when the table reaches the latest commit: an older point says nothing of what came since.
    c.currentEnd = !ends.empty() && ends.back().timeMs >= last.timeMs ? ends.back().offset : -1;
    out.lag = c.currentEnd >= 0 ? std::max<int64_t>(0, c.currentEnd - last.offset) : c.lags.back();
    out.timeLag = timeLag(h.ends, last.offset, nowMs);
    if (judgeRewind(out, c))
        return out;
    // Caught up with the partition's end: OK however long ago the last commit was. Burrow calls an idle topic's
    // caught-up consumer STOP because it stops committing; it is not.
    if (c.currentEnd >= 0 && last.offset >= c.currentEnd) {
        out.status = PartitionStatus::Ok;
        out.reason = "caught up with the end offset";
        return out;
    }
    if (c.known.empty() && out.lag < 0) {
        out.reason = "no lag known: no end offsets at or after the commits and no lag recorded with them";
        return out;
    }
    const std::string waiting = out.lag >= 0 ? std::to_string(out.lag) + " messages wait" : "messages wait";
    // Checked before the zero-lag shortcut, as Burrow does: a consumer caught up at an old commit that has stopped
    // committing since, while messages keep arriving, is stopped.
    if (c.commits.size() >= 2 && nowMs - last.timeMs > last.timeMs - first.timeMs) {
        out.status = PartitionStatus::Stop;
        out.reason = "no commit for " + seconds(double(nowMs - last.timeMs) / 1000.0) +
                     ", longer than the window it committed in, while " + waiting;
        return out;
    }
    if (judgeZeroLag(out, c, waiting))
        return out;
    if (c.commits.size() < 2) {
        out.reason = "one commit: not enough history to judge";
        return out;
    }
    judgeTrend(out, c, out.lag >= 0 ? std::to_string(out.lag) : "unknown");
    return out;
}

GroupEvaluation evaluateGroup(const std::string &group, const std::vector<PartitionHistory> &partitions, int64_t nowMs,
                              const LagRules &rules, std::optional<bool> hasMembers)
{
    std::vector<PartitionSeries> series;
    series.reserve(partitions.size());
    for (const auto &h : partitions)
        series.push_back({h.topic, h.partition, h.commits, h.ends});
    return evaluateGroupSeries(group, series, nowMs, rules, hasMembers);
}

GroupEvaluation evaluateGroupSeries(const std::string &group, const std::vector<PartitionSeries> &partitions,
                                    int64_t nowMs, const LagRules &rules, std::optional<bool> hasMembers)
{
    GroupEvaluation out;
    out.group = group;
    bool anyKnown = false, err = false, warn = false;
    for (const auto &h : partitions) {
        PartitionEvaluation e = evaluateSeries(h, nowMs, rules);
        if (hasMembers == false && e.status == PartitionStatus::Stall) {
            e.status = PartitionStatus::Stop;
            e.reason = "no member consumes it (the group has none) while " + std::to_string(e.lag) + " messages wait";
        }
        if (e.lag > 0)
            out.totalLag += e.lag;
        if (e.timeLag.seconds)
            out.maxTimeLagSeconds = std::max(out.maxTimeLagSeconds.value_or(0.0), *e.timeLag.seconds);
        switch (e.status) {
        case PartitionStatus::Stop:
        case PartitionStatus::Stall:
        case PartitionStatus::Rewind:
            err = true;
            [[fallthrough]];
        case PartitionStatus::Warn:
            warn = true;
            [[fallthrough]];
        case PartitionStatus::Ok:
            anyKnown = true;
            break;
        case PartitionStatus::Unknown:
            break;
        }
        out.partitions.push_back(std::move(e));
    }
    out.status = err ? GroupStatus::Err : warn ? GroupStatus::Warn : anyKnown ? GroupStatus::Ok : GroupStatus::Unknown;
    return out;
}

} // namespace kp
