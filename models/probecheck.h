#pragma once
// The plan held against what happened: the replay scenario sized from a probe's window (its ranges' bytes on disk,
// the share of them only in the remote tier), and the scenario's predictions beside what the probe measured, with
// the relative error and the assumption that explains it (README, "Predicted against observed").

#include "models/pricing.h"
#include "models/replayprobe.h"
#include "models/scenarios.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace kp {

// `base` replaying the probe's window: its bytes on disk (ProbeResult::windowBytes), its remote-only share, its span in
// days (from
// --from to the probe's start; --earliest keeps base's), the probe named as the source. Throws std::invalid_argument
// when the window's bytes are unknown or it holds nothing.
ReplaySettings replayOfProbe(const ProbeResult &probe, ReplaySettings base = {});

struct ProbeCheck
{
    std::string figure; // "throughput", "duration of the window", "bytes", "cross-AZ cost"
    std::string unit;
    double predicted = 0;
    double observed = 0;
    bool observedKnown = false;
    double relativeError() const { return predicted != 0 ? observed / predicted - 1 : 0; } // when observedKnown
};

struct ProbeComparison
{
    std::vector<ProbeCheck> checks;
    std::string explanation; // which assumption explains the throughput's error
};

// `predicted`: the replay scenario of replayOfProbe's settings on the cluster's architecture.
ProbeComparison compareWithProbe(const ScenarioResult &predicted, const ProbeResult &probe,
                                 const PricingProfile &pricing);
nlohmann::json probeComparisonToJson(const ProbeComparison &c);
std::string probeComparisonTable(const ProbeComparison &c);

} // namespace kp
