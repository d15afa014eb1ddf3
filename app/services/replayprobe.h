#pragma once
// The replay probe as one service for the command line and the window: the layout and the groups before, the readers
// (kafka/replayreader), the lag of the groups on the probed topics sampled while they read and after, and what it all
// adds up to (models/replayprobe). Read-only: no group is joined, nothing is committed or created.

#include "models/connectionprofile.h"
#include "models/replayprobe.h"

#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>

namespace kp {

// A request the cluster shows cannot be run (its topics match nothing, the regex is invalid): the caller's mistake.
class ProbeRefused : public std::invalid_argument
{
public:
    using std::invalid_argument::invalid_argument;
};

using ProbeProgress = std::function<void(const std::string &step)>;

// Runs `request` (validated already) against the cluster. Throws ProbeRefused, CollectError when the cluster cannot be
// read before the probe, Cancelled when `cancel` is set before reading starts (after that, a cancel ends the reading
// and the result says "cancelled").
// `bytesRead`, when given, follows the record bytes read while the readers run (a progress display polls it).
ProbeResult runReplayProbe(const ConnectionProfile &profile, const ProbeRequest &request,
                           const std::atomic<bool> *cancel, const ProbeProgress &progress = {},
                           std::atomic<int64_t> *bytesRead = nullptr);

} // namespace kp
