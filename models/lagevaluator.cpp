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
    size_t start = 0;
    for (size_t i = 1; i < ends.size(); ++i)
        if (ends[i].offset < ends[i - 1].offset)
            start = i;
    return ends.subspan(start);
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
    const size_t n = std::min(std::max<size_t>(rules.window, 1), h.commits.size());
    const std::span<const CommitPoint> w = h.commits.last(n);
    std::vector<int64_t> lags; // per commit of the window, -1 where unknown
    for (const auto &c : w)
        lags.push_back(lagAt(ends, c));
    const CommitPoint &first = w.front();
    const CommitPoint &last = w.back();
    // The end offset now, when the table reaches the latest commit: an older point says nothing of what came since.
    const int64_t currentEnd = !ends.empty() && ends.back().timeMs >= last.timeMs ? ends.back().offset : -1;
    out.lag = currentEnd >= 0 ? std::max<int64_t>(0, currentEnd - last.offset) : lags.back();
    out.timeLag = timeLag(h.ends, last.offset, nowMs);

    for (size_t i = 1; i < w.size(); ++i)
        if (w[i].offset < w[i - 1].offset) {
            out.status = PartitionStatus::Rewind;
            out.reason = "the committed offset went back from " + std::to_string(w[i - 1].offset) + " to " +
                         std::to_string(w[i].offset);
            return out;
        }
    // Caught up with the partition's end: OK however long ago the last commit was. Burrow calls an idle topic's
    // caught-up consumer STOP because it stops committing; it is not.
    if (currentEnd >= 0 && last.offset >= currentEnd) {
        out.status = PartitionStatus::Ok;
        out.reason = "caught up with the end offset";
        return out;
    }
    std::vector<int64_t> known;
    std::copy_if(lags.begin(), lags.end(), std::back_inserter(known), [](int64_t l) { return l >= 0; });
    if (known.empty() && out.lag < 0) {
        out.reason = "no lag known: no end offsets at or after the commits and no lag recorded with them";
        return out;
    }
    const std::string waiting = out.lag >= 0 ? std::to_string(out.lag) + " messages wait" : "messages wait";
    const std::string lagNow = out.lag >= 0 ? std::to_string(out.lag) : "unknown";
    // Checked before the zero-lag shortcut, as Burrow does: a consumer caught up at an old commit that has stopped
    // committing since, while messages keep arriving, is stopped.
    if (w.size() >= 2 && nowMs - last.timeMs > last.timeMs - first.timeMs) {
        out.status = PartitionStatus::Stop;
        out.reason = "no commit for " + seconds(double(nowMs - last.timeMs) / 1000.0) +
                     ", longer than the window it committed in, while " + waiting;
        return out;
    }
    // Zero lag within the window says the consumer keeps up only while it has not been stuck since: two or more
    // commits that repeat the offset it last reached while messages wait are a consumer that stopped consuming
    // (sampled histories repeat the committed offset at every sample whether or not the consumer committed). One such
    // commit is tolerated: a consumer of a quiet topic often shows a message or two not yet committed.
    if (std::find(lags.begin(), lags.end(), 0) != lags.end()) {
        size_t run = w.size() - 1; // where the offset reached its last value
        while (run > 0 && w[run - 1].offset == last.offset)
            --run;
        size_t stuck = 0;
        for (size_t i = run + 1; i < w.size(); ++i)
            stuck += lags[i] > 0 ? 1 : 0;
        if (stuck < 2) {
            out.status = PartitionStatus::Ok;
            out.reason = lags.back() == 0 ? "caught up at its latest commit" : "lag was zero within the window";
            return out;
        }
        out.status = PartitionStatus::Stall;
        out.reason = "lag was zero within the window, but the last " + std::to_string(stuck) +
                     " commits stay at offset " + std::to_string(last.offset) + " while " + waiting;
        return out;
    }
    if (w.size() < 2) {
        out.reason = "one commit: not enough history to judge";
        return out;
    }
    bool lagNotDecreasing = known.size() >= 2;
    for (size_t i = 1; i < known.size(); ++i)
        if (known[i] < known[i - 1])
            lagNotDecreasing = false;
    if (first.offset == last.offset && (lagNotDecreasing || known.size() < 2)) {
        out.status = PartitionStatus::Stall;
        out.reason =
            "commits keep coming but the offset stays at " + std::to_string(last.offset) + " while lag is " + lagNow;
        return out;
    }
    if (known.size() < 2) {
        out.reason = "consuming (the offset moved from " + std::to_string(first.offset) + " to " +
                     std::to_string(last.offset) + "), but too few lags are known to tell whether it keeps up";
        return out;
    }
    if (lagNotDecreasing) {
        out.status = PartitionStatus::Warn;
        out.reason = "consuming, but the lag did not decrease over the window (" + std::to_string(known.front()) +
                     " to " + std::to_string(known.back()) + ")";
        return out;
    }
    out.status = PartitionStatus::Ok;
    out.reason = "consuming and catching up";
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
