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
    int64_t committed = 0, end = 0, lag = 0;
    std::map<size_t, int64_t> committedOf; // partition index -> committed
};

Totals totalsAt(const std::vector<PartitionHistory> &parts, int64_t t)
{
    Totals out;
    for (size_t i = 0; i < parts.size(); ++i) {
        const CommitPoint *c = atOrBefore(parts[i].commits, t);
        const OffsetPoint *e = atOrBefore(parts[i].ends, t);
        if (!c || c->offset < 0)
            continue;
        out.committed += c->offset;
        out.committedOf[i] = c->offset;
        const int64_t end = e ? std::max(e->offset, c->offset) : c->offset + std::max<int64_t>(0, c->lag);
        out.end += end;
        out.lag += end - c->offset;
    }
    return out;
}

std::vector<int64_t> sampleTimes(const std::vector<PartitionHistory> &parts)
{
    std::set<int64_t> times;
    for (const auto &p : parts)
        for (const auto &c : p.commits)
            times.insert(c.timeMs);
    return {times.begin(), times.end()};
}

// The latest sample where the committed offsets went back by at least `minMessages` in all: its index in `times` and
// how far, or {0, 0}. One pass over the points.
std::pair<size_t, int64_t> latestRewind(const std::vector<PartitionHistory> &parts, const std::vector<int64_t> &times,
                                        int64_t minMessages)
{
    std::map<int64_t, int64_t> backAt; // sample time -> messages the offsets went back then
    for (const auto &p : parts)
        for (size_t i = 1; i < p.commits.size(); ++i)
            if (p.commits[i].offset >= 0 && p.commits[i].offset < p.commits[i - 1].offset)
                backAt[p.commits[i].timeMs] += p.commits[i - 1].offset - p.commits[i].offset;
    for (auto it = backAt.rbegin(); it != backAt.rend(); ++it)
        if (it->second >= minMessages) {
            const auto at = std::lower_bound(times.begin(), times.end(), it->first);
            return {size_t(at - times.begin()), it->second};
        }
    return {0, 0};
}

void measure(RefreshWave &w, const std::vector<PartitionHistory> &parts, const std::vector<int64_t> &times, size_t s,
             const std::map<std::string, double> &bytesPerMessage, const WaveRules &rules)
{
    const Totals start = totalsAt(parts, times[s]);
    const Totals now = totalsAt(parts, times.back());
    w.startMs = times[s];
    w.nowMs = times.back();
    w.startLag = start.lag;
    w.lagNow = now.lag;
    w.replayedMessages = std::max<int64_t>(0, now.committed - start.committed);
    double bytes = 0;
    bool bytesKnown = true;
    for (const auto &[i, offset] : now.committedOf) {
        const auto from = start.committedOf.find(i);
        const int64_t read = from == start.committedOf.end() ? 0 : std::max<int64_t>(0, offset - from->second);
        const auto perMessage = bytesPerMessage.find(parts[i].topic);
        if (perMessage == bytesPerMessage.end())
            bytesKnown = bytesKnown && read == 0;
        else
            bytes += double(read) * perMessage->second;
    }
    w.replayedBytes = bytesKnown ? int64_t(bytes + 0.5) : -1;
    const double seconds = double(w.nowMs - w.startMs) / 1000.0;
    if (seconds > 0) {
        w.consumePerSecond = double(w.replayedMessages) / seconds;
        w.producePerSecond = double(std::max<int64_t>(0, now.end - start.end)) / seconds;
    }
    const int64_t reach = std::max(rules.caughtUpMessages, w.startLag / 100);
    for (size_t k = s + 1; k < times.size(); ++k)
        if (totalsAt(parts, times[k]).lag <= reach) {
            w.caughtUpMs = times[k];
            w.secondsToCatchUp = double(times[k] - w.startMs) / 1000.0;
            return;
        }
    const double gaining = w.consumePerSecond - w.producePerSecond;
    if (gaining > 0)
        w.secondsToCatchUp = seconds + double(w.lagNow) / gaining;
}

} // namespace

const char *toString(RefreshWave::Kind kind)
{
    return kind == RefreshWave::Kind::Rewind ? "rewind" : "new group behind";
}

std::vector<RefreshWave>
detectRefreshWaves(const std::vector<std::pair<std::string, std::vector<PartitionHistory>>> &groups,
                   int64_t historyStartMs, const std::map<std::string, double> &bytesPerMessage, const WaveRules &rules)
{
    std::vector<RefreshWave> out;
    for (const auto &[group, parts] : groups) {
        const std::vector<int64_t> times = sampleTimes(parts);
        if (times.empty())
            continue;
        RefreshWave w;
        w.group = group;
        const auto [rewindAt, back] = latestRewind(parts, times, rules.minMessages);
        if (rewindAt > 0) {
            w.kind = RefreshWave::Kind::Rewind;
            w.rewoundMessages = back;
            measure(w, parts, times, rewindAt, bytesPerMessage, rules);
        } else if (times.front() > historyStartMs && totalsAt(parts, times.front()).lag >= rules.minMessages) {
            w.kind = RefreshWave::Kind::NewGroupBehind;
            measure(w, parts, times, 0, bytesPerMessage, rules);
        } else {
            continue;
        }
        out.push_back(std::move(w));
    }
    return out;
}

} // namespace kp
