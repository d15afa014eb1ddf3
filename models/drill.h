#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

// A drill: the user starts it (for example stops a broker during a replay), the app samples the cluster throughout,
// and what it saw decides whether the failure path was exercised: brokers missing from the metadata, partitions
// under-replicated or offline, leaders moving. Recovery is the time from the first sample that saw the failure to the
// first one after it that saw the cluster whole again.
namespace kp {

struct ClusterSnapshot;

struct DrillSample
{
    int64_t takenAtMs = 0;
    int brokers = 0;                // brokers in the metadata
    int underReplicated = 0;        // partitions
    int offline = 0;                // partitions without a leader
    int leaderMoves = 0;            // partitions whose leader differs from the previous sample's
    int64_t pipelineLag = -1;       // total lag of the groups on the pipeline's topics; -1 unknown
    std::vector<std::string> notes; // what could not be read
};

// One sample from a light snapshot; `previous` (may be null) gives the leader moves. Leaders are keyed
// "topic/partition".
DrillSample drillSample(const ClusterSnapshot &snapshot, const std::map<std::string, int32_t> *previousLeaders,
                        std::map<std::string, int32_t> &leaders, const std::string &pipelineTopics);

struct DrillSummary
{
    int64_t startedAtMs = 0, endedAtMs = 0;
    int samples = 0;
    int brokersAtStart = 0;
    int fewestBrokers = 0;
    int maxUnderReplicated = 0;
    int maxOffline = 0;
    int leaderMoves = 0;
    int64_t maxPipelineLag = -1;
    bool failureSeen = false;   // the failure path was exercised: the app saw it happen
    int64_t failureAtMs = -1;   // first sample that saw it
    int64_t recoveredAtMs = -1; // first later sample with every broker back, nothing under-replicated or offline
    int64_t recoverySeconds() const
    {
        return failureAtMs >= 0 && recoveredAtMs >= 0 ? (recoveredAtMs - failureAtMs) / 1000 : -1;
    }
    std::string describe() const; // for a person: what was seen, in one line
};
DrillSummary summarizeDrill(const std::vector<DrillSample> &samples);

} // namespace kp
