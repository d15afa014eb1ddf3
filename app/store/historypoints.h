#pragma once

#include "models/lagevaluator.h"
#include "models/rates.h"
#include "store/samplestore.h"
#include "store/seriesnames.h"

#include <map>
#include <string>
#include <vector>

// How a reader of the lag history keeps a series' points (HistoryShape), shared by the full read of a window
// (SampleStore::history) and the window that follows the newest samples (HistoryWindow).
namespace kp::historypoints {

using Keep = HistoryShape::Keep;

inline int64_t offsetOf(const SizedPoint &p)
{
    return p.endOffset;
}
inline int64_t offsetOf(const CommitPoint &p)
{
    return p.offset;
}

// Adds a point to a series as `keep` says; `last` bounds Keep::Last.
template <typename Point>
void keepPoint(std::vector<Point> &points, const Point &p, Keep keep, size_t last, bool restartOnDrop,
               bool collapseRuns)
{
    switch (keep) {
    case Keep::None:
        return;
    case Keep::All:
        // In a run of one offset only its first and last point stay: the middle one moves on.
        if (collapseRuns && points.size() >= 2 && offsetOf(points.back()) == offsetOf(p) &&
            offsetOf(points[points.size() - 2]) == offsetOf(p)) {
            points.back() = p;
            return;
        }
        points.push_back(p);
        return;
    case Keep::Last:
        // Never more than `last` points, nor room for more: trimming a grown vector keeps its capacity, which across
        // 200,000 group series held 300 MB of room for 10 commits each.
        if (points.capacity() < last)
            points.reserve(last);
        if (points.size() == last)
            points.erase(points.begin());
        points.push_back(p);
        return;
    case Keep::Endpoints:
        // End offsets start over after a drop (a topic recreated or truncated), as the rates do.
        if (points.empty() || (restartOnDrop && offsetOf(p) < offsetOf(points.back())))
            points.assign(1, p);
        else if (points.size() == 1)
            points.push_back(p);
        else
            points.back() = p;
        return;
    }
}

// Where one series' points go and what of them is kept, worked out once per series (the history's map nodes stay put).
struct Target
{
    std::vector<SizedPoint> *ends = nullptr;     // a partition's end offsets
    std::vector<CommitPoint> *commits = nullptr; // a group's committed offsets on a partition
    Keep keep = Keep::All;                       // both null: not a series of ours, or nothing of it kept
    int64_t since = 0;                           // points before it belong to a deleted topic of the same name
};

// The target of the series `name` in `history` as `shape` keeps it; `starts`: when each recreated topic's incarnation
// began (SampleStore::incarnationStarts).
inline Target targetFor(const SeriesName &name, const HistoryShape &shape, const std::map<std::string, int64_t> &starts,
                        SampleStore::History &history)
{
    Target t;
    const auto &[group, topic, partition] = name;
    t.keep = group.empty() ? shape.partitions : shape.allOf.count(group) ? Keep::All : shape.groups;
    if (auto start = starts.find(topic); start != starts.end())
        t.since = start->second;
    if (t.keep != Keep::None) {
        if (group.empty())
            t.ends = &history.partitions[{topic, partition}];
        else
            t.commits = &history.groups[group][{topic, partition}];
    }
    return t;
}

// Adds a series' value in the frame taken at `at` to its target.
inline void keepValue(const Target &t, int64_t at, const SeriesValue &v, const HistoryShape &shape)
{
    if (v.value < 0 || at < t.since)
        return;
    if (t.ends)
        keepPoint(*t.ends, SizedPoint{at, v.value, v.sizeBytes}, t.keep, shape.last, true, shape.collapseRuns);
    else if (t.commits)
        keepPoint(*t.commits, CommitPoint{at, v.value, -1}, t.keep, shape.last, false, false);
}

} // namespace kp::historypoints
