#pragma once

#include "models/clustersnapshot.h"
#include "models/costmodel.h"
#include "models/lineage.h"

#include <string>
#include <vector>

// What-if scenarios over a plan (docs/cost-model.md): replay a window, a refresh cadence of backfills, add or
// remove brokers, lose a broker during a replay, and cost against retention. Every figure carries its formula with the
// numbers put in, so that a planning session can check it.
namespace kp {

struct Metric
{
    std::string name;
    double value = 0;
    std::string unit; // "GB", "h", "USD", "%", "MB/s", ...
    std::string formula;
};

struct ScenarioResult
{
    std::string title;
    Architecture architecture = Architecture::Dedicated;
    std::vector<Metric> metrics;
    std::vector<std::string> notes;
    const Metric *metric(const std::string &name) const;
};

struct ReplaySettings
{
    double days = 7;                               // window replayed, at most the retention
    double share = 1;                              // of the workload's bytes (chosen topics)
    double targetMBps = 500;                       // what the consumers ask for
    double consumerCapacityMBps = 0;               // 0: no limit beyond the target
    double perPartitionMBps = 10;                  // one consumer fetch stream per partition
    double diskReadMBpsPerBroker = 125 * 1.048576; // gp3 baseline 125 MiB/s
    double remoteReadMBpsPerBroker = 100;          // remote tier, per broker (reader threads x chunk GETs)
    double pageCacheShare = 0.5;                   // of broker memory holding recent data
    bool followerFetching = false;
    // A known replay (a training run's ranges, see replaySource): its bytes, and the share of them only in the open
    // cluster's remote tier, which the existing cluster then reads from there and the rest from its disks. -1: the
    // bytes from the window and the workload, the sources from the page cache and the local retention.
    double bytesGB = -1;
    double remoteShare = -1;
    std::string source; // what the bytes and the share come from ("run ranker/train-1"), for the formulas
};

// `base` replaying a training run as it stands (replaySource over checkRun): its bytes still retained, its remote-only
// share (-1 when not known), its window in days (at least an hour), and the run named as the source; the rest of
// `base` as it is. Throws std::invalid_argument when nothing of it is left or its bytes are unknown.
ReplaySettings replayOfRun(const TrainingRun &run, const RunReplaySource &source, ReplaySettings base = {});

// Replays `settings.days` of the plan's workload on one architecture of `plan`.
ScenarioResult replay(const Plan &plan, Architecture architecture, const ReplaySettings &settings,
                      const PricingProfile &pricing);

// Backfills per month (30 daily, 4.35 weekly) of the same replay: monthly transfer and request cost, hours busy.
ScenarioResult refreshCadence(const Plan &plan, Architecture architecture, const ReplaySettings &settings,
                              double backfillsPerMonth, const PricingProfile &pricing);

// Add (k > 0) or remove (k < 0) brokers: data that must move and how long at a throttle (MB/s per moving broker).
ScenarioResult scaleBrokers(const Plan &plan, Architecture architecture, int k, double throttleMBps);

// The existing cluster's scale scenario with the bytes its real layout would move (models/reassignment.h): k > 0 new
// brokers (ids after the highest, over the cluster's racks in turn), k = -1 the broker with the most replicas removed.
// Adds "data moved (layout)", "time (layout)" and "cross-AZ copied (layout)" beside the formula's figures, and says
// which to trust. Other k, or a layout that cannot give a plan, add a note saying why only the formula is shown.
void addLayoutFigures(ScenarioResult &scale, const ClusterSnapshot &layout, int k, double throttleMBps);

// Lose one broker while a replay runs: what must be re-replicated and how long, with the replay's network use taken.
ScenarioResult loseBrokerDuringReplay(const Plan &plan, Architecture architecture, const ReplaySettings &settings,
                                      double throttleMBps, const PricingProfile &pricing);

// The existing cluster's broker-loss scenario with its real layout: the broker with the most replicas lost (the worst
// case; its partitions led by another in-sync replica), and the reassignment that re-creates its replicas on the
// others (models/reassignment.h). Adds "recovery bytes (layout)" and "recovery time (layout)" (the slowest broker's
// bytes at the throttle, or all the bytes at the formula's recovery rate when the network left is the tighter bound)
// beside the formula's; a layout that cannot give a plan adds a note saying why.
void addLossFigures(ScenarioResult &failure, const ClusterSnapshot &layout, double throttleMBps);

// JSON array of the results: title, architecture, metrics (name, value, unit, formula), notes. Infinite durations
// (a replay that cannot run) come out as null.
std::string scenariosToJson(const std::vector<ScenarioResult> &results);

// Monthly total per architecture at each retention (days), the rest of the plan unchanged.
struct RetentionPoint
{
    double days = 0;
    std::vector<double> monthly; // in Architecture order
};
std::vector<RetentionPoint> costAgainstRetention(const PlanFile &plan, const PricingProfile &pricing,
                                                 const std::vector<double> &days);

// Sensitivity of the monthly totals to two of the workload's inputs: every pair of values on a grid, the rest of the
// plan unchanged. Parameters: "write" (MB/s; the peak scales with it), "retention" (days), "groups" (consumer groups),
// "rf" (replication factor), "local-retention" (hours on local disk with tiered storage).
struct SweepAxis
{
    std::string parameter;
    double from = 0, to = 0;
    int steps = 1; // values from..to inclusive, evenly spaced; integers are rounded
    double value(int i) const;
};
SweepAxis parseSweepAxis(const std::string &text); // "write=10:1000:100"; throws std::invalid_argument with the reason
struct SweepPoint
{
    double x = 0, y = 0;
    std::vector<double> monthly; // in Architecture order
};
std::vector<SweepPoint> sensitivitySweep(const PlanFile &plan, const PricingProfile &pricing, const SweepAxis &x,
                                         const SweepAxis &y);
std::string sweepToJson(const SweepAxis &x, const SweepAxis &y, const std::vector<SweepPoint> &points,
                        const std::string &currency);

// Replay duration (hours) against the target throughput, for a chart.
std::vector<std::pair<double, double>> replayDurationAgainstThroughput(const Plan &plan, Architecture architecture,
                                                                       ReplaySettings settings,
                                                                       const PricingProfile &pricing,
                                                                       const std::vector<double> &targetsMBps);

} // namespace kp
