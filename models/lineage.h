#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

// Training-run lineage: which topics, partitions and offset ranges fed a refresh run, whether each range can still be
// replayed, the exact commands that replay it, and its manifest (its OpenLineage RunEvent).
namespace kp {

struct OffsetRange
{
    std::string topic;
    int32_t partition = 0;
    int64_t start = -1;       // first offset read
    int64_t end = -1;         // one past the last offset read (exclusive); end == start: nothing
    int64_t startTimeMs = -1; // the window's start, or when the start offsets were recorded (group runs)
    int64_t endTimeMs = -1;
    int64_t bytes = -1;        // estimated: the partition's bytes per offset x the records; -1 unknown
    bool startClipped = false; // the window began before the partition's earliest retained record
    int64_t records() const { return end > start && start >= 0 ? end - start : 0; }
};

enum class RunBasis {
    TimeWindow,   // resolved per partition with offsets-for-times
    GroupOffsets, // a consumer group's committed offsets at the start and at the end
};
const char *toString(RunBasis b);

struct TrainingRun
{
    int64_t id = 0;
    std::string jobId;
    std::string model; // model or dataset name
    std::string clusterId;
    std::string bootstrap;
    std::vector<std::string> topics;
    RunBasis basis = RunBasis::TimeWindow;
    int64_t windowFromMs = -1, windowToMs = -1; // time-window runs
    std::string group;                          // group-offset runs
    int64_t startedAtMs = 0;
    int64_t finishedAtMs = -1;                         // group runs: -1 until the end offsets are recorded
    std::map<std::string, std::string> schemaVersions; // subject or topic -> version
    std::string transformVersion;
    std::vector<std::string> snapshotIds;
    std::string notes;
    std::vector<OffsetRange> ranges;
    int64_t revision = 0;  // the store's revision it was read at (0: not read from a store); counts up at each update
    std::string lineageId; // the run's OpenLineage run id (a UUID), given when it is recorded

    bool open() const { return basis == RunBasis::GroupOffsets && finishedAtMs < 0; }
    int64_t records() const;
    int64_t bytes() const; // -1 when any range's bytes are unknown
};

// Where a range stands against the partition's current earliest offset.
enum class Replayability { Replayable, PartlyAgedOut, AgedOut, Unknown };
const char *toString(Replayability r);

struct RangeCheck
{
    Replayability state = Replayability::Unknown;
    int64_t earliest = -1;
    int64_t latest = -1;
    int64_t lostRecords = 0; // offsets of the range below the earliest
    // Tiered topics: of the records still there, those in the remote tier only (below the first local offset), which
    // a replay reads from remote storage. -1: not a tiered topic, or not known.
    int64_t remoteOnlyRecords = -1;
    int tiered = -1; // the topic keeps data in a remote tier (remote.storage.enable): 1, 0, or -1 when not known
    std::string why;
};

// Splits what is left of a range at the partition's first local offset (localStart < 0: not tiered or not known):
// sets remoteOnlyRecords and says it in `why`.
void addTierSplit(RangeCheck &check, const OffsetRange &range, int64_t localStart);
// earliest/latest < 0: unknown (the partition is gone or its leader did not answer).
RangeCheck checkRange(const OffsetRange &range, int64_t earliest, int64_t latest);

// One partition's range of a time window from offsets-for-times answers: `atFrom`/`atTo` are the first offsets whose
// timestamp is at or after the window's bounds (-1: no such record yet, i.e. the end); `low`/`high` the watermarks.
OffsetRange rangeForWindow(const std::string &topic, int32_t partition, int64_t fromMs, int64_t toMs, int64_t atFrom,
                           int64_t atTo, int64_t low, int64_t high);

// Replays exactly one range: kcat, and Kafka's console consumer.
struct ReplayCommands
{
    std::string kcat;
    std::string consoleConsumer;
};
ReplayCommands replayCommands(const std::string &bootstrap, const OffsetRange &range);

// The run's latest OpenLineage RunEvent (models/openlineage.h), indented: START while a group run is open, COMPLETE
// after.
std::string runManifestJson(const TrainingRun &run);

struct ClusterSnapshot;

// What a person asks to record.
struct RunRequest
{
    std::string jobId;
    std::string model;
    std::vector<std::string> topics;
    RunBasis basis = RunBasis::TimeWindow;
    int64_t fromMs = -1, toMs = -1; // time window
    std::string group;              // group offsets
    std::map<std::string, std::string> schemaVersions;
    std::string transformVersion;
    std::vector<std::string> snapshotIds;
    std::string notes;
};
// Refuses (std::invalid_argument, with the reason) a request without a job id, model, topics, a window that ends
// before it starts or lies in the future, or a group run without a group.
void validate(const RunRequest &request, int64_t nowMs);

// The run's fields from the request and the snapshot (cluster id, bootstrap); no ranges yet. Throws
// std::invalid_argument naming a topic the cluster does not have.
TrainingRun newRun(const RunRequest &request, const ClusterSnapshot &snapshot);

// Bytes of `records` offsets of a partition: its size over its retained offsets, -1 when unknown.
int64_t estimatedBytes(const ClusterSnapshot &snapshot, const std::string &topic, int32_t partition, int64_t records);

// Group runs: the group's committed offsets on the run's topics at the start (ranges with start = end = committed),
// then at the end. A partition the group has not committed on starts at the partition's low watermark (where a new
// group with auto.offset.reset=earliest would begin), said in the run's notes. Throws std::invalid_argument when the
// group is unknown or commits on none of the topics.
void startGroupRun(TrainingRun &run, const ClusterSnapshot &snapshot);
void finishGroupRun(TrainingRun &run, const ClusterSnapshot &snapshot);

// Each range of the run against the snapshot's watermarks, in the run's range order.
std::vector<RangeCheck> checkRun(const TrainingRun &run, const ClusterSnapshot &snapshot);

// What replaying a run reads today, for the Planner's replay: the records still retained and their bytes (each range's
// bytes per record x the records left), and how many of them are only in the remote tier. Unknown (-1) where a
// range's bytes or its tier split are not known; a range of a topic that is not tiered has none in the remote tier.
struct RunReplaySource
{
    int64_t records = 0;
    int64_t bytes = 0;         // -1: some range's bytes are unknown
    int64_t remoteRecords = 0; // -1: some range's split is unknown
    int64_t lostRecords = 0;   // aged out: not replayed
    double remoteShare() const
    {
        return remoteRecords < 0 || records <= 0 ? -1 : double(remoteRecords) / double(records);
    }
};
// `checks` from checkRun for the same run; std::invalid_argument when they do not match its ranges.
RunReplaySource replaySource(const TrainingRun &run, const std::vector<RangeCheck> &checks);

} // namespace kp
