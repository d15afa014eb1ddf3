#include "lagevaluator.h"

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
std::vector<OffsetPoint> usableEnds(const std::vector<OffsetPoint> &ends)
{
    size_t start = 0;
    for (size_t i = 1; i < ends.size(); ++i)
        if (ends[i].offset < ends[i - 1].offset)
            start = i;
    return {ends.begin() + std::ptrdiff_t(start), ends.end()};
}

// The end offset at `timeMs`: the latest point not after it; -1 when the table starts later.
int64_t endAt(const std::vector<OffsetPoint> &ends, int64_t timeMs)
{
    int64_t end = -1;
    for (const auto &p : ends) {
        if (p.timeMs > timeMs)
            break;
        end = p.offset;
    }
    return end;
}

} // namespace

TimeLag timeLag(const std::vector<OffsetPoint> &allEnds, int64_t committed, int64_t nowMs)
{
    const std::vector<OffsetPoint> ends = usableEnds(allEnds);
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

PartitionEvaluation evaluatePartition(const PartitionHistory &h, int64_t nowMs, const LagRules &rules)
{
    PartitionEvaluation out;
    out.topic = h.topic;
    out.partition = h.partition;
    if (h.commits.empty()) {
        out.reason = "no committed offsets in the history";
        return out;
    }
    const std::vector<OffsetPoint> ends = usableEnds(h.ends);
    const size_t n = std::min(std::max<size_t>(rules.window, 1), h.commits.size());
    const std::vector<CommitPoint> w(h.commits.end() - std::ptrdiff_t(n), h.commits.end());
    std::vector<int64_t> lags;
    for (const auto &c : w) {
        int64_t lag = c.lag;
        if (lag < 0) {
            const int64_t end = endAt(ends, c.timeMs);
            lag = end < 0 ? -1 : std::max<int64_t>(0, end - c.offset);
        }
        lags.push_back(lag);
    }
    const CommitPoint &first = w.front();
    const CommitPoint &last = w.back();
    const int64_t currentEnd = ends.empty() ? -1 : ends.back().offset;
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
    if (std::any_of(lags.begin(), lags.end(), [](int64_t l) { return l == 0; })) {
        out.status = PartitionStatus::Ok;
        out.reason = "lag was zero within the window";
        return out;
    }
    if (w.size() < 2) {
        out.reason = "one commit: not enough history to judge";
        return out;
    }
    if (nowMs - last.timeMs > last.timeMs - first.timeMs) {
        out.status = PartitionStatus::Stop;
        out.reason = "no commit for " + seconds(double(nowMs - last.timeMs) / 1000.0) +
                     ", longer than the window it committed in, while " + std::to_string(out.lag) + " messages wait";
        return out;
    }
    const bool lagsKnown = std::all_of(lags.begin(), lags.end(), [](int64_t l) { return l >= 0; });
    bool lagNotDecreasing = lagsKnown;
    for (size_t i = 1; lagsKnown && i < lags.size(); ++i)
        if (lags[i] < lags[i - 1])
            lagNotDecreasing = false;
    if (first.offset == last.offset && lagNotDecreasing) {
        out.status = PartitionStatus::Stall;
        out.reason = "commits keep coming but the offset stays at " + std::to_string(last.offset) + " while lag is " +
                     std::to_string(lags.back());
        return out;
    }
    if (lagNotDecreasing) {
        out.status = PartitionStatus::Warn;
        out.reason = "consuming, but the lag did not decrease over the window (" + std::to_string(lags.front()) +
                     " to " + std::to_string(lags.back()) + ")";
        return out;
    }
    out.status = PartitionStatus::Ok;
    out.reason = "consuming and catching up";
    return out;
}

GroupEvaluation evaluateGroup(const std::string &group, const std::vector<PartitionHistory> &partitions, int64_t nowMs,
                              const LagRules &rules, std::optional<bool> hasMembers)
{
    GroupEvaluation out;
    out.group = group;
    bool anyKnown = false, err = false, warn = false;
    for (const auto &h : partitions) {
        PartitionEvaluation e = evaluatePartition(h, nowMs, rules);
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
