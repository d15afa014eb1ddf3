#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

// Lag intelligence from history: time lag by interpolating a committed offset in a partition's (end offset, time)
// table, as kafka-lag-exporter does, and partition and group status by Burrow's evaluation rules, without Burrow's
// best-known false alarm (an idle topic with a caught-up consumer is OK, not STOP).
namespace kp {

struct OffsetPoint
{
    int64_t timeMs = 0;
    int64_t offset = 0;
};

// The index of a partition's first end offset after its last drop (0: none). An end offset that drops means the
// partition was recreated or truncated: points before it say nothing about today's offsets.
template <typename Point> size_t lastDropIn(std::span<const Point> points, int64_t Point::*endOffset)
{
    size_t start = 0;
    for (size_t i = 1; i < points.size(); ++i)
        if (points[i].*endOffset < points[i - 1].*endOffset)
            start = i;
    return start;
}

struct CommitPoint
{
    int64_t timeMs = 0;
    int64_t offset = 0;
    int64_t lag = -1; // as recorded (end offset - committed at that time); -1: derive it from the end offsets
};

struct PartitionHistory
{
    std::string topic;
    int32_t partition = -1;
    std::vector<CommitPoint> commits; // oldest first
    std::vector<OffsetPoint> ends;    // the partition's end offset (high watermark) over time, oldest first
};

// The same, viewing points held elsewhere: every group that reads a partition evaluates against one copy of its end
// offsets (copying them for each of 200,000 group partitions took gigabytes).
struct PartitionSeries
{
    std::string topic;
    int32_t partition = -1;
    std::span<const CommitPoint> commits;
    std::span<const OffsetPoint> ends;
};

enum class PartitionStatus { Ok, Warn, Stall, Stop, Rewind, Unknown };
enum class GroupStatus { Ok, Warn, Err, Unknown };

const char *toString(PartitionStatus s);
const char *toString(GroupStatus s);

struct LagRules
{
    size_t window = 10; // commits evaluated, as Burrow's intervals
};

struct TimeLag
{
    std::optional<double> seconds; // empty: unknown
    std::string note;              // why unknown, or how it was obtained
};

// Seconds between `nowMs` and when the message at `committed` was written, from the end-offset table.
TimeLag timeLag(std::span<const OffsetPoint> ends, int64_t committed, int64_t nowMs);

// The end offset a commit at `timeMs` is measured against: the first point at or after it (an earlier one says nothing
// of what was written since); null when the table ends before.
const OffsetPoint *endAtOrAfter(std::span<const OffsetPoint> ends, int64_t timeMs);

struct PartitionEvaluation
{
    std::string topic;
    int32_t partition = -1;
    PartitionStatus status = PartitionStatus::Unknown;
    std::string reason;
    int64_t lag = -1; // at the latest commit
    TimeLag timeLag;
};

struct GroupEvaluation
{
    std::string group;
    GroupStatus status = GroupStatus::Unknown;
    int64_t totalLag = 0;
    std::optional<double> maxTimeLagSeconds;
    std::vector<PartitionEvaluation> partitions;
};

PartitionEvaluation evaluateSeries(const PartitionSeries &series, int64_t nowMs, const LagRules &rules = {});
PartitionEvaluation evaluatePartition(const PartitionHistory &history, int64_t nowMs, const LagRules &rules = {});
// `hasMembers`: whether the group has live members now, when known. Sampled histories repeat an unchanged committed
// offset at every sample, which reads like a consumer committing without progress (STALL); with no member at all
// nothing consumes, and a partition with messages waiting is STOP.
GroupEvaluation evaluateGroupSeries(const std::string &group, const std::vector<PartitionSeries> &partitions,
                                    int64_t nowMs, const LagRules &rules = {},
                                    std::optional<bool> hasMembers = std::nullopt);
GroupEvaluation evaluateGroup(const std::string &group, const std::vector<PartitionHistory> &partitions, int64_t nowMs,
                              const LagRules &rules = {}, std::optional<bool> hasMembers = std::nullopt);

} // namespace kp
