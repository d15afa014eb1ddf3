#pragma once

#include "kafka/recordtimes.h"
#include "models/clustersnapshot.h"
#include "models/lagevaluator.h"
#include "models/refreshwave.h"
#include "models/traffic.h"
#include "store/samplestore.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

// What the Lag page shows: every group with its status and time lag from the recorded history plus the snapshot just
// taken, each group's partitions, and a group's lag over time for the chart. Built off the GUI thread.
namespace kp {

struct LagGroupRow
{
    std::string group;
    std::string type; // classic, consumer (KIP-848), share, streams; empty when the broker does not say
    std::string state;
    int members = 0;
    int partitions = 0;
    int64_t totalLag = -1; // -1: unknown
    std::optional<double> maxTimeLagSeconds;
    GroupStatus status = GroupStatus::Unknown;
};

// One row per group partition: 200,000 on a large cluster, built at every sample, so a row holds what the evaluation
// adds and points at the rest: the partition, its offsets and lag are the snapshot's (LagData::snapshot keeps them),
// the owner an index into the group's members there, and the texts (why the status, how the time lag was found) are
// kept only where they are read: the chart group's rows (the one shown) and rows given a time lag from records.
struct LagRowTexts
{
    std::string timeLagNote;
    std::string reason;
};

struct LagPartitionRow
{
    const GroupOffset *offset = nullptr; // in LagData::snapshot
    PartitionStatus status = PartitionStatus::Unknown;
    int32_t owner = -1; // the member that holds it: an index into the group's members in LagData::snapshot; -1: none
    std::optional<double> timeLagSeconds;
    std::unique_ptr<LagRowTexts> texts; // null: no text kept

    const std::string &topic() const { return offset->topic; }
    int32_t partition() const { return offset->partition; }
    int64_t committed() const { return offset->committed; }
    int64_t end() const { return offset->highWatermark; }
    int64_t lag() const { return offset->lag; }
    std::string timeLagNote() const { return texts ? texts->timeLagNote : std::string(); }
    std::string reason() const { return texts ? texts->reason : std::string(); }
};

struct LagPoint
{
    int64_t timeMs = 0;
    int64_t totalLag = 0;
    std::optional<double> maxTimeLagSeconds;
    bool timeLagFromRecords = false; // the largest time lag here was read from a record, not the end-offset table
};

struct LagData
{
    int64_t nowMs = 0;
    bool hasHistory = false; // samples older than the snapshot were found
    std::string topic;       // only this topic's partitions, when not empty
    std::vector<LagGroupRow> groups;
    std::map<std::string, std::vector<LagPartitionRow>> partitions; // by group
    std::string chartGroup; // the group whose whole history was read, for its chart
    // chartGroup's, for lagSeries(), and those of the groups reading its topics (chartNeighbours), for its wave's
    // effect
    std::map<std::string, std::vector<PartitionHistory>> histories;
    // chartGroup's latest refresh wave (findChartWave), what it did to the groups whose histories are here, and the
    // cross-AZ bytes it caused
    std::optional<RefreshWave> wave;
    std::vector<WaveEffect> waveEffects;
    WaveCrossAz waveCrossAz;
    std::shared_ptr<const ClusterSnapshot> snapshot; // what the rows were built from and point into
};

// What a tooltip says of a group's members: "client (host) epoch 7: orders-0 orders-1", at most 20 lines. Built when
// asked, not for every group at every sample.
std::string memberSummary(const ConsumerGroup &g);
// Who holds a row's partition, "clientId@host"; empty when no member does.
std::string ownerOf(const ConsumerGroup &g, const LagPartitionRow &row);

// The snapshot becomes the newest point of every series of the history.
void appendSnapshot(SampleStore::History &history, const ClusterSnapshot &now);

// `history` may be empty (a snapshot file, the demo): statuses and time lags are then UNKNOWN, lags still exact. The
// snapshot is the newest point of every series, whether the history already ends with it (appendSnapshot) or not.
// Of each partition's end offsets it copies for the evaluation only what the evaluation reads; EndsKept::All copies
// every point (what tests compare against: the same LagData).
enum class EndsKept { Read, All };
LagData buildLagData(std::shared_ptr<const ClusterSnapshot> now, const SampleStore::History &history,
                     const std::string &topic = {}, const std::string &chartGroup = {}, EndsKept kept = EndsKept::Read);
// What the Lag page reads of the store for a window: every end offset (unchanged runs collapsed), each group's last
// commits (what a verdict weighs), and the whole window of the group whose chart is shown.
// The history of the groups reading the topics the chart's group reads is kept whole too (at most kMaxNeighbours of
// them, by name), for what the group's refresh wave did to them.
SampleStore::Shape lagPageShape(const ClusterSnapshot &now, const std::string &chartGroup);
constexpr size_t kMaxNeighbours = 20;
std::set<std::string> chartNeighbours(const ClusterSnapshot &now, const std::string &chartGroup);

// When sampling began: the first point of the history, `nowMs` when it has none (a group there then is not new).
int64_t historyStartMs(const SampleStore::History &history, int64_t nowMs);
// The chart group's latest refresh wave in `data` (from its histories), with its effect and cross-AZ bytes.
void findChartWave(LagData &data, int64_t historyStartMs, const std::vector<ClientAzRule> &clientAzs);

// Time lags the history could not give, from records read at the committed offsets (recordTimesAt): every partition
// whose time lag is unknown and whose record was read gets its age, with a note naming the record (or why it could
// not be read), and each group its largest time lag. Returns how many partitions got a time lag.
int applyRecordTimes(LagData &data, const std::map<PartitionOffset, RecordTime> &times);

// Byte rates for the traffic model from a history and the snapshot `now` as its newest point (whether the history
// already ends with it or not): each partition's produce rate, and each group's consume rate per partition times the
// partition's bytes per message on disk.
TrafficInputs trafficInputs(const ClusterSnapshot &now, const SampleStore::History &history);
// The same from each series' first and last point in the window (what the Traffic page reads: a fraction of the
// memory).
TrafficInputs trafficInputs(const ClusterSnapshot &now, const SampleStore::WindowEnds &ends);
// trafficInputs' produce rates alone (what the Layout page colours by and the Planner sums).
std::map<TopicPartition, double> produceBytesPerSecond(const ClusterSnapshot &now, const SampleStore::History &history);

// A group's total lag and largest time lag at every commit time of its history.
// Where the end-offset table cannot tell a time lag (the committed offset was written before it starts), the first
// unconsumed record's timestamp does, when it was read (`records`): the chart then shows what the table shows.
std::vector<LagPoint> lagSeries(const std::vector<PartitionHistory> &partitions,
                                const std::map<PartitionOffset, RecordTime> *records = nullptr);

} // namespace kp
