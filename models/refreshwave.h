#pragma once
// Refresh waves seen in the sampled history, without a probe: a group whose committed offsets went back (a replay of
// data it had read), or that appeared far behind the end of its partitions, and reads toward the end. How far it has
// come, how fast, and when it caught up or, at its pace, will.

#include "models/clustersnapshot.h"
#include "models/lagevaluator.h"
#include "models/traffic.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kp {

struct WaveRules
{
    int64_t minMessages = 1000;     // a rewind, or a new group's lag, of fewer messages is not a wave
    int64_t caughtUpMessages = 100; // within this many messages of the end (or 1% of the wave's start lag) is caught up
};

struct WavePartition
{
    TopicPartition tp;
    int64_t replayedMessages = 0;
    int64_t replayedBytes = -1; // -1: unknown (no size or no retained messages for the partition)
};

struct RefreshWave
{
    enum class Kind { Rewind, NewGroupBehind };
    std::string group;
    Kind kind = Kind::Rewind;
    int64_t startMs = 0;          // the sample that saw it begin
    int64_t startLag = 0;         // messages behind the end then, over the group's partitions
    int64_t rewoundMessages = 0;  // how far the committed offsets went back (a rewind), 0 for a new group
    int64_t replayedMessages = 0; // read since the start
    int64_t replayedBytes = -1;   // the same in bytes, from each topic's bytes per message; -1: unknown
    int64_t lagNow = 0;
    int64_t nowMs = 0;                 // the last sample
    double consumePerSecond = 0;       // from the start to the last sample its commits went forward
    double producePerSecond = 0;       // onto the same partitions, over the same span
    std::optional<int64_t> lastReadMs; // the last sample its commits went forward, when not the last sample
    bool stopped = false; // not caught up, and no commit for a minute and three times its longest pause while reading
    std::optional<int64_t> caughtUpMs;      // the first sample within reach of the end, or past the ends it began with
    std::optional<double> secondsToCatchUp; // taken (caught up), or at today's pace (empty: it is not gaining)
    std::vector<WavePartition> partitions;  // what each partition replayed, for the cross-AZ bytes
};

// What a wave did to another group reading any of its topics: that group's lag (over all its partitions) at the last
// sample before the wave, its largest during the wave (to when it caught up, or now), and now.
struct WaveEffect
{
    std::string group;
    int64_t lagBefore = -1; // -1: the group has no sample before the wave
    int64_t peakLag = 0;
    int64_t peakAtMs = 0;
    int64_t lagNow = 0;
};

// The cross-AZ bytes the wave's reads caused: its replayed bytes per partition through the Traffic model's consume
// flow (the real leaders and racks, follower fetching where configured, client AZs as the Traffic page assumes).
struct WaveCrossAz
{
    bool known = false; // racks known and every partition's replayed bytes known
    double bytes = 0;
    std::string assumption; // the Traffic model's consume assumption, or why unknown
};

const char *toString(RefreshWave::Kind kind);

// Group id -> its partitions' histories.
using GroupHistories = std::map<std::string, std::vector<PartitionHistory>>;

// The latest wave of `group` (its partitions' histories `parts`), none when it has none. `historyStartMs`: when
// sampling began (a group already there then is not new); `bytesPerMessage`: per partition, where known
// (bytesPerMessageOf).
std::optional<RefreshWave> detectRefreshWave(const std::string &group, const std::vector<PartitionHistory> &parts,
                                             int64_t historyStartMs,
                                             const std::map<TopicPartition, double> &bytesPerMessage = {},
                                             const WaveRules &rules = {});
// The same for each group of `groups`, by group id.
std::vector<RefreshWave> detectRefreshWaves(const GroupHistories &groups, int64_t historyStartMs,
                                            const std::map<TopicPartition, double> &bytesPerMessage = {},
                                            const WaveRules &rules = {});

// Each partition's bytes per message on disk (PartitionInfo::localBytesPerOffset: its local log's size over the
// offsets it holds), where the snapshot has both.
std::map<TopicPartition, double> bytesPerMessageOf(const ClusterSnapshot &snapshot);

// The other groups of `groups` reading a topic the wave read, by group id.
std::vector<WaveEffect> waveEffects(const RefreshWave &wave, const GroupHistories &groups);

WaveCrossAz waveCrossAz(const ClusterSnapshot &snapshot, const RefreshWave &wave,
                        const std::vector<ClientAzRule> &clientAzs = {});

} // namespace kp
