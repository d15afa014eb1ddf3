#pragma once
// A replay probe: what a refresh job reading a window of topics really gets from the cluster. The request (checked
// once where it enters) and the measured result, as `kafka-planner probe replay` prints it and the Planner reads it
// back (README, "Replay probe").

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kp {

struct ProbeRequest
{
    std::string topicRegex;
    std::optional<int64_t> fromMs; // empty: from each partition's earliest offset
    int64_t maxBytes = 0;          // record bytes (key + value) at most: required
    double maxSeconds = 0;         // required
    std::optional<double> throttleMBps;
    std::string clientRack;   // the AZ the reader is in (client.rack: follower fetching where the brokers allow)
    int fetchers = 1;         // readers side by side, the partitions dealt among them
    int sampleEveryMs = 2000; // the tailing groups' lag and the produce rate
};

// Throws std::invalid_argument naming the field: bounds missing or out of range, a throttle of 0 or NaN, fetchers
// outside 1 to 64, an invalid regular expression is the caller's (it has the regex engine).
void validateProbeRequest(const ProbeRequest &r);

struct ProbePartition
{
    std::string topic;
    int32_t partition = -1;
    int32_t leader = -1;
    int64_t fromOffset = -1, endOffset = -1; // the range asked for: [from, end), end the high watermark at the start
    int64_t nextOffset = -1;                 // where reading stopped (end when complete)
    int64_t messages = 0, bytes = 0;         // record bytes (key + value)
    int64_t remoteBytes = 0;                 // of those, below the local log start (the remote tier), tiered topics
    int64_t localLogStart = -1;              // tiered topics: offsets below it are in the remote tier only; -1: none
    double logBytesPerOffset = -1;           // the partition's size / retained offsets, -1: unknown
    double firstByteMs = -1;                 // from the start of the probe; -1: nothing read
    bool complete = false;                   // read to endOffset
    std::string error;                       // why it was not read whole, when it was not
};

struct ProbeBroker
{
    int32_t id = -1;
    std::string rack; // "" when unknown
    int64_t bytes = 0, messages = 0;
    int64_t fromFollower = 0; // bytes this broker served for partitions it does not lead
};

struct ProbeGroupEffect
{
    std::string group;
    int64_t lagBefore = -1, lagPeak = -1, lagAfter = -1; // over its partitions of the probed topics; -1: unknown
};

struct ProbeResult
{
    ProbeRequest request;
    std::string clusterId;
    std::vector<std::string> topics;
    int64_t startedAtMs = 0;
    double seconds = 0;
    std::string stoppedBy; // "complete", "bytes", "time", "cancelled"
    int64_t messages = 0, bytes = 0, remoteBytes = 0;
    double firstByteMs = -1;
    std::vector<int64_t> bytesPerSecond; // the timeline: record bytes read in each second from the start
    std::vector<ProbePartition> partitions;
    std::vector<ProbeBroker> brokers;
    std::optional<int64_t> crossAzBytes; // empty: unknown (no client rack, or a broker without one)
    std::string crossAzBasis;
    std::vector<ProbeGroupEffect> groups;
    std::optional<double> producePerSecond; // messages/s onto the probed topics while it ran
    std::vector<std::string> problems;      // what was not read, and why

    double throughputBytesPerSecond() const; // from the first byte to the end
    int64_t logBytesEstimate() const;        // offsets read x each partition's bytes per offset on disk; -1 unknown
    int64_t windowBytes() const;             // the same for the whole window asked for (to each end offset)
    size_t unreadPartitions() const;         // partitions that could not be read whole, for a reason (`error`)
};

nlohmann::json probeResultToJson(const ProbeResult &r);
ProbeResult probeResultFromJson(const nlohmann::json &j); // throws FormatError naming the path
std::string probeResultTable(const ProbeResult &r);

} // namespace kp
