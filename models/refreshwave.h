#pragma once
// Refresh waves seen in the sampled history, without a probe: a group whose committed offsets went back (a replay of
// data it had read), or that appeared far behind the end of its partitions, and reads toward the end. How far it has
// come, how fast, and when it caught up or, at its pace, will.

#include "models/lagevaluator.h"

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
    int64_t nowMs = 0;                      // the last sample
    double consumePerSecond = 0;            // since the start
    double producePerSecond = 0;            // onto the same partitions, since the start
    std::optional<int64_t> caughtUpMs;      // the first sample within reach of the end
    std::optional<double> secondsToCatchUp; // taken (caught up), or at today's pace (empty: it is not gaining)
};

const char *toString(RefreshWave::Kind kind);

// The latest wave of each group in `groups` (group id -> its partitions' histories), none for a group without one.
// `historyStartMs`: when sampling began (a group already there then is not new); `bytesPerMessage`: per topic, where
// known.
std::vector<RefreshWave>
detectRefreshWaves(const std::vector<std::pair<std::string, std::vector<PartitionHistory>>> &groups,
                   int64_t historyStartMs, const std::map<std::string, double> &bytesPerMessage = {},
                   const WaveRules &rules = {});

} // namespace kp
