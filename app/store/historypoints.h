#pragma once

#include "models/lagevaluator.h"
#include "models/rates.h"
#include "store/samplestore.h"

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

} // namespace kp::historypoints
