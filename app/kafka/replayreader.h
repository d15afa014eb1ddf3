#pragma once
// The replay probe's readers: partitions read from given offsets to given ends as a refresh job reads them (Fetch over
// many partitions at once, no group, nothing committed), bounded by bytes and time, optionally throttled, measured per
// partition, per broker and per second. Read-only: the consumers never join a group and never commit.

#include "models/connectionprofile.h"
#include "models/replayprobe.h"

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kp {

struct ReplayReadOptions
{
    int64_t maxBytes = 0;
    double maxSeconds = 0;
    std::optional<double> throttleBytesPerSecond;
    std::string clientRack; // client.rack: brokers with a rack-aware replica selector serve from this AZ's replica
    int fetchers = 1;
    std::atomic<int64_t> *bytesRead = nullptr; // kept up to date while reading, for a progress display
};

struct ReplayRead
{
    std::string stoppedBy; // "complete" (every partition read to its end), "errors" (the rest failed), "bytes",
                           // "time", "cancelled"
    double seconds = 0;
    std::vector<int64_t> bytesPerSecond;
    std::map<int32_t, ProbeBroker> brokers; // by id (racks not filled)
};

// Reads every partition of `partitions` (topic, partition, leader, fromOffset, endOffset, localLogStart filled) and
// fills in what it read (nextOffset, messages, bytes, remoteBytes, firstByteMs, complete, error). A partition that
// cannot be read (no Read ACL, data deleted by retention under it) gets its error and the others go on; errors the
// client retries (a broker down) are kept as the partition's error until it reads again. Throws std::runtime_error
// when a client cannot be created.
ReplayRead readReplay(const ConnectionProfile &profile, std::vector<ProbePartition> &partitions,
                      const ReplayReadOptions &options, const std::atomic<bool> *cancel);

} // namespace kp
