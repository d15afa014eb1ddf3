#include "models/scenarios.h"

#include "models/reassignment.h"

#include "models/planinputs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <stdexcept>

namespace kp {

namespace {

std::string num(double v, int decimals = 1)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

const ArchitectureCost &pick(const Plan &plan, Architecture a)
{
    for (const auto &c : plan.architectures)
        if (c.architecture == a)
            return c;
    throw std::invalid_argument(std::string("the plan has no ") + toString(a));
}

const InstanceType &instanceOf(const ArchitectureCost &a, const PricingProfile &pricing)
{
    const InstanceType *i = pricing.instance(a.instanceType);
    if (!i)
        throw std::invalid_argument("instance type " + a.instanceType + " is not in the pricing profile " +
                                    pricing.name);
    return *i;
}

bool shared(Architecture a)
{
    return a == Architecture::SharedStorage;
}

// Bytes on the brokers' disks that a broker change or loss concerns, GB.
double brokerData(const Plan &plan, Architecture a)
{
    const Workload &w = plan.workload;
    if (a == Architecture::Tiered)
        return w.writeMBps * plan.settings.localRetentionHours * 3.6 * w.replicationFactor;
    if (a == Architecture::Existing && w.storedGB >= 0)
        return w.storedGB;
    return w.writeMBps * w.retentionHours * 3.6 * w.replicationFactor;
}

double egressPerByte(const Plan &plan, Architecture a)
{
    const Workload &w = plan.workload;
    return shared(a) ? 1 + w.consumerGroups : w.replicationFactor - 1 + w.consumerGroups;
}

} // namespace

const Metric *ScenarioResult::metric(const std::string &name) const
{
    for (const auto &m : metrics)
        if (m.name == name)
            return &m;
    return nullptr;
}

ReplaySettings replayOfRun(const TrainingRun &run, const RunReplaySource &source, ReplaySettings s)
{
    const std::string name = "run " + std::to_string(run.id) + " (" + run.jobId + ", " + run.model + ")";
    if (source.records <= 0)
        throw std::invalid_argument("nothing of " + name + " is left to replay: retention deleted it");
    if (source.bytes < 0)
        throw std::invalid_argument("the bytes of " + name + " are not known: plan a window instead");
    s.bytesGB = double(source.bytes) / 1e9;
    s.remoteShare = source.remoteShare();
    s.source = name;
    const bool window = run.basis == RunBasis::TimeWindow;
    const int64_t from = window ? run.windowFromMs : run.startedAtMs;
    const int64_t to = window ? run.windowToMs : run.finishedAtMs;
    s.days = std::max(1.0 / 24, double(to - from) / 86400000.0); // the hour-based split of the other architectures
    return s;
}

namespace {

void checkReplaySettings(const ReplaySettings &s)
{
    if (s.days <= 0 || s.share <= 0 || s.share > 1 || s.targetMBps <= 0 || s.perPartitionMBps <= 0)
        throw std::invalid_argument("replay: the window, the share of topics (0 to 1), the target and the "
                                    "per-partition rate must be more than 0");
    if (s.bytesGB != -1 && !(s.bytesGB >= 0 && std::isfinite(s.bytesGB)))
        throw std::invalid_argument("replay: the bytes to replay must be a finite number, 0 or more");
    if (s.remoteShare != -1 && !(s.remoteShare >= 0 && s.remoteShare <= 1))
        throw std::invalid_argument("replay: the share in the remote tier must be from 0 to 1");
}

// One replay's figures: how fast it can read beside the online traffic, where its bytes come from (page cache, local
// disk, the remote tier or object storage) and how long each part takes.
struct ReplayFigures
{
    int b = 1;                                       // brokers
    double nicMBps = 0, onlineMBps = 0, nicLeft = 0; // per broker, the online traffic's, what is left for the replay
    bool partitionsKnown = false;
    double partitionsCap = 0, cap = 0; // MB/s
    double hours = 0, bytesGB = 0;
    bool bytesKnown = false, splitKnown = false;
    double copiesCached = 1, cachedHours = 0, localHours = 0, remoteHours = 0;
    double fromCache = 0, fromDisk = 0, fromRemote = 0; // GB
    double diskRate = 0, remoteRate = 0, seconds = 0, effective = 0;
    std::string remoteName;
};

// The read rate: the target, the brokers' network left beside online traffic, one fetch stream per partition and the
// consumers' capacity, whichever is least.
void replayRate(ReplayFigures &f, const Plan &plan, Architecture arch, const ArchitectureCost &a,
                const InstanceType &inst, const ReplaySettings &s, ScenarioResult &r)
{
    const Workload &w = plan.workload;
    f.b = std::max(1, a.brokers);
    f.nicMBps = inst.baselineNetworkGbps * 125;
    f.onlineMBps = w.writeMBps * egressPerByte(plan, arch);
    f.nicLeft = std::max(0.0, f.b * f.nicMBps * plan.settings.networkHeadroom - f.onlineMBps);
    // One fetch stream per partition caps the read rate; with the partition count unknown (0) there is no such cap to
    // apply, and the figure says so rather than assuming one partition (which capped every replay at 10 MB/s).
    f.partitionsKnown = w.partitions > 0;
    f.partitionsCap = f.partitionsKnown ? w.partitions * s.perPartitionMBps * s.share : INFINITY;
    f.cap = std::min({s.targetMBps, f.nicLeft, f.partitionsCap});
    if (!f.partitionsKnown)
        r.notes.push_back("the partition count is unknown: the read rate is not capped at " +
                          num(s.perPartitionMBps, 0) +
                          " MB/s per partition (give --partitions, or plan from a cluster, for that cap)");
    if (s.consumerCapacityMBps > 0)
        f.cap = std::min(f.cap, s.consumerCapacityMBps);
}

// Where the bytes come from: the newest from the page cache, then local disk, then the remote tier or objects; and
// how long reading them takes.
void replaySources(ReplayFigures &f, const Plan &plan, Architecture arch, const InstanceType &inst,
                   const ReplaySettings &s, ScenarioResult &r)
{
    const Workload &w = plan.workload;
    f.copiesCached = shared(arch) ? 1 : w.replicationFactor;
    const double cacheGB = f.b * inst.memoryGiB * 1.073741824 * s.pageCacheShare;
    const double cacheHours = w.writeMBps > 0 ? cacheGB / (w.writeMBps * f.copiesCached * 3.6) : f.hours;
    double localHours = 0;
    if (arch == Architecture::Tiered)
        localHours = std::clamp(plan.settings.localRetentionHours - cacheHours, 0.0, f.hours);
    else if (!shared(arch))
        localHours = f.hours;
    f.cachedHours = std::min(cacheHours, f.hours);
    f.localHours = std::min(localHours, f.hours - f.cachedHours);
    f.remoteHours = std::max(0.0, f.hours - f.cachedHours - f.localHours);
    const double perHour = f.bytesGB / f.hours;
    f.fromCache = f.cachedHours * perHour;
    f.fromDisk = f.localHours * perHour;
    f.fromRemote = f.remoteHours * perHour;
    if (f.splitKnown) {
        f.fromCache = 0;
        f.fromRemote = f.bytesGB * s.remoteShare;
        f.fromDisk = f.bytesGB - f.fromRemote;
    }
    f.diskRate = std::min(f.cap, f.b * s.diskReadMBpsPerBroker);
    f.remoteRate = std::min(f.cap, f.b * s.remoteReadMBpsPerBroker);
    if (f.cap <= 0) {
        r.notes.push_back("no network left on the brokers beside online traffic: the replay cannot run");
        f.seconds = INFINITY;
    } else {
        f.seconds = f.fromCache * 1000 / f.cap + (f.fromDisk > 0 ? f.fromDisk * 1000 / f.diskRate : 0) +
                    (f.fromRemote > 0 ? f.fromRemote * 1000 / f.remoteRate : 0);
    }
    f.effective = f.seconds > 0 ? f.bytesGB * 1000 / f.seconds : 0;
    f.remoteName = shared(arch) ? "object storage" : "remote tier";
}

// The bytes, the rate cap, where the bytes come from, the duration and the effective rate, each with its formula.
void addReplayReadMetrics(ScenarioResult &r, const ReplayFigures &f, const Plan &plan, const InstanceType &inst,
                          const ReplaySettings &s)
{
    const Workload &w = plan.workload;
    r.metrics.push_back({"bytes", f.bytesGB, "GB",
                         f.bytesKnown ? "the records of " + s.source + " still retained"
                                      : num(w.writeMBps, 2) + " MB/s x " + num(s.share, 2) + " of the topics x " +
                                            num(f.hours, 1) + " h x 3.6 GB per MB/s-hour"});
    r.metrics.push_back(
        {"read rate cap", f.cap, "MB/s",
         "min(target " + num(s.targetMBps, 0) + ", network left " + num(f.nicLeft, 0) + " = " + std::to_string(f.b) +
             " x " + num(f.nicMBps, 0) + " MB/s x " + num(plan.settings.networkHeadroom, 2) + " - online " +
             num(f.onlineMBps, 0) +
             (f.partitionsKnown ? ", partitions " + num(f.partitionsCap, 0) + " = " + std::to_string(w.partitions) +
                                      " x " + num(s.perPartitionMBps, 0) + " MB/s x share"
                                : std::string(", partitions unknown: no cap")) +
             (s.consumerCapacityMBps > 0 ? ", consumers " + num(s.consumerCapacityMBps, 0) : "") + ")"});
    const std::string diskAt = " at up to " + num(f.b * s.diskReadMBpsPerBroker, 0) + " MB/s (" + std::to_string(f.b) +
                               " x " + num(s.diskReadMBpsPerBroker, 0) + ")";
    const std::string remoteAt = " at up to " + num(f.b * s.remoteReadMBpsPerBroker, 0) + " MB/s (" +
                                 std::to_string(f.b) + " x " + num(s.remoteReadMBpsPerBroker, 0) + ")";
    if (f.splitKnown) {
        const std::string share = num(s.remoteShare * 100, 1) + "%";
        r.metrics.push_back({"from page cache", 0, "GB", "none assumed: " + s.source + "'s records are read cold"});
        r.metrics.push_back({"from local disk", f.fromDisk, "GB",
                             num(f.bytesGB, 2) + " GB x (1 - " + share +
                                 " in the remote tier only, from the "
                                 "partitions' first local offsets)" +
                                 diskAt});
        r.metrics.push_back({"from " + f.remoteName, f.fromRemote, "GB",
                             num(f.bytesGB, 2) + " GB x " + share + " of " + s.source + remoteAt});
    } else {
        r.metrics.push_back({"from page cache", f.fromCache, "GB",
                             "the newest " + num(f.cachedHours, 1) + " h: " + std::to_string(f.b) + " brokers x " +
                                 num(inst.memoryGiB, 0) + " GiB x " + num(s.pageCacheShare, 2) + " / (" +
                                 num(w.writeMBps, 2) + " MB/s x " + num(f.copiesCached, 0) + " copies)"});
        r.metrics.push_back({"from local disk", f.fromDisk, "GB", num(f.localHours, 1) + " h" + diskAt});
        r.metrics.push_back({"from " + f.remoteName, f.fromRemote, "GB", num(f.remoteHours, 1) + " h" + remoteAt});
    }
    r.metrics.push_back({"duration", f.seconds / 3600, "h",
                         "cache " + num(f.fromCache, 0) + " GB / " + num(f.cap, 0) + " MB/s + disk " +
                             num(f.fromDisk, 0) + " GB / " + num(f.diskRate, 0) + " MB/s + " + f.remoteName + " " +
                             num(f.fromRemote, 0) + " GB / " + num(f.remoteRate, 0) + " MB/s"});
    r.metrics.push_back({"effective rate", f.effective, "MB/s", "bytes / duration"});
}

// What the replay costs (cross-AZ bytes, remote GETs) and what share of the brokers it takes.
void addReplayCostMetrics(ScenarioResult &r, const ReplayFigures &f, const Plan &plan, Architecture arch,
                          const ReplaySettings &s, const PricingProfile &pricing)
{
    const Workload &w = plan.workload;
    const int n = std::max(1, w.azs);
    double factor = double(n - 1) / n;
    std::string why = "(N-1)/N of the bytes read from leaders in other AZs";
    if (shared(arch) && plan.settings.zoneLocalRouting) {
        factor = 0;
        why = "consumers routed to their own AZ";
    } else if (!shared(arch) && s.followerFetching) {
        factor = double(std::max(0, n - w.replicationFactor)) / n;
        why = "follower fetching: max(0, N-RF)/N";
    }
    const double crossCost = crossAzCost(pricing, f.bytesGB * factor);
    r.metrics.push_back(
        {"cross-AZ cost", crossCost, pricing.currency,
         num(f.bytesGB, 0) + " GB x " + num(factor, 3) + " (" + why + ") " + crossAzPriceText(pricing)});
    const double gets = f.fromRemote * 1000 / (4 * 1.048576); // 4 MiB chunks
    const double getPrice = pricing.price("objectGetPer1000").value;
    r.metrics.push_back(
        {"request cost", gets / 1000 * getPrice, pricing.currency,
         num(f.fromRemote, 0) + " GB from " + f.remoteName + " / 4 MiB per GET x " + num(getPrice, 4) + " per 1,000"});
    r.metrics.push_back({"network share taken", f.cap > 0 ? f.effective / (f.b * f.nicMBps) * 100 : 0, "%",
                         "effective rate / (" + std::to_string(f.b) + " x " + num(f.nicMBps, 0) + " MB/s baseline)"});
    r.metrics.push_back({"disk share taken", f.fromDisk > 0 ? f.diskRate / (f.b * s.diskReadMBpsPerBroker) * 100 : 0,
                         "%",
                         "while reading from local disk: " + num(f.diskRate, 0) + " / " +
                             num(f.b * s.diskReadMBpsPerBroker, 0) + " MB/s"});
}

} // namespace

ScenarioResult replay(const Plan &plan, Architecture arch, const ReplaySettings &s, const PricingProfile &pricing)
{
    checkReplaySettings(s);
    const Workload &w = plan.workload;
    const ArchitectureCost &a = pick(plan, arch);
    const InstanceType &inst = instanceOf(a, pricing);
    ScenarioResult r;
    r.architecture = arch;
    r.title =
        (s.bytesGB >= 0 && !s.source.empty() ? "replay of " + s.source : "replay of " + num(s.days, 1) + " days") +
        " on the " + a.name;
    const double days = std::min(s.days, w.retentionHours / 24);
    if (days < s.days)
        r.notes.push_back("the window is cut to the retention: " + num(days, 1) + " days");
    ReplayFigures f;
    f.hours = days * 24;
    f.bytesKnown = s.bytesGB >= 0;
    f.bytesGB = f.bytesKnown ? s.bytesGB : w.writeMBps * s.share * f.hours * 3.6;
    // The existing cluster with a known split (a run's ranges): its remote part from the remote tier, the rest from
    // disk (a run's records are not assumed to be in the page cache).
    f.splitKnown = s.remoteShare >= 0 && arch == Architecture::Existing;
    replayRate(f, plan, arch, a, inst, s, r);
    replaySources(f, plan, arch, inst, s, r);
    addReplayReadMetrics(r, f, plan, inst, s);
    addReplayCostMetrics(r, f, plan, arch, s, pricing);
    if (!shared(arch) && f.fromDisk > 0)
        r.notes.push_back("cold reads from disk compete with online traffic for page cache and disk (KAFKA-7504)");
    if (s.remoteShare >= 0 && !f.splitKnown && !shared(arch))
        r.notes.push_back(s.source + "'s local and remote split is the open cluster's: the " + a.name +
                          " reads by its own local retention");
    if ((arch == Architecture::Tiered || f.splitKnown) && f.fromRemote > 0)
        r.notes.push_back("remote bytes cross each broker's NIC twice; up to Kafka 4.1 one partition per fetch is "
                          "served remotely (KAFKA-14915)");
    return r;
}

ScenarioResult refreshCadence(const Plan &plan, Architecture arch, const ReplaySettings &s, double perMonth,
                              const PricingProfile &pricing)
{
    if (perMonth <= 0)
        throw std::invalid_argument("cadence: backfills per month must be more than 0");
    const ScenarioResult one = replay(plan, arch, s, pricing);
    ScenarioResult r;
    r.architecture = arch;
    r.title =
        num(perMonth, 2) + " backfills a month of " + num(s.days, 1) + " days each on the " + pick(plan, arch).name;
    const double transfer = one.metric("cross-AZ cost")->value * perMonth;
    const double requests = one.metric("request cost")->value * perMonth;
    const double hours = one.metric("duration")->value * perMonth;
    r.metrics.push_back({"bytes a month", one.metric("bytes")->value * perMonth, "GB",
                         num(one.metric("bytes")->value, 0) + " GB x " + num(perMonth, 2)});
    r.metrics.push_back({"cross-AZ cost a month", transfer, pricing.currency,
                         num(one.metric("cross-AZ cost")->value, 2) + " x " + num(perMonth, 2)});
    r.metrics.push_back({"request cost a month", requests, pricing.currency,
                         num(one.metric("request cost")->value, 2) + " x " + num(perMonth, 2)});
    r.metrics.push_back(
        {"hours busy a month", hours, "h", num(one.metric("duration")->value, 1) + " h x " + num(perMonth, 2)});
    if (hours > pricing.hoursPerMonth)
        r.notes.push_back("the backfills do not fit in a month at this rate: they would overlap");
    r.notes.insert(r.notes.end(), one.notes.begin(), one.notes.end());
    return r;
}

ScenarioResult scaleBrokers(const Plan &plan, Architecture arch, int k, double throttleMBps)
{
    if (k == 0 || throttleMBps <= 0)
        throw std::invalid_argument("scale: give a number of brokers to add (or remove, negative) and a throttle");
    const ArchitectureCost &a = pick(plan, arch);
    const int b = a.brokers;
    if (k < 0 && -k >= b)
        throw std::invalid_argument("scale: cannot remove " + std::to_string(-k) + " of " + std::to_string(b) +
                                    " brokers");
    ScenarioResult r;
    r.architecture = arch;
    r.title = std::string(k > 0 ? "add " : "remove ") + std::to_string(std::abs(k)) + " broker(s) to the " + a.name;
    if (shared(arch)) {
        r.metrics.push_back({"data moved", 0, "GB", "stateless brokers: partitions change owner, no data moves"});
        r.metrics.push_back({"time", 0, "h", "reassignment in seconds (ownership only)"});
        return r;
    }
    const double data = brokerData(plan, arch);
    const double moved = k > 0 ? data * k / (b + k) : data * -k / b;
    const double seconds = moved * 1000 / (std::abs(k) * throttleMBps);
    r.metrics.push_back({"data moved", moved, "GB",
                         num(data, 0) + " GB on the brokers x " +
                             (k > 0 ? std::to_string(k) + "/(" + std::to_string(b) + "+" + std::to_string(k) + ")"
                                    : std::to_string(-k) + "/" + std::to_string(b)) +
                             (arch == Architecture::Tiered ? " (local part only)" : "")});
    r.metrics.push_back(
        {"time", seconds / 3600, "h",
         num(moved, 0) + " GB / (" + std::to_string(std::abs(k)) + " x " + num(throttleMBps, 0) + " MB/s throttle)"});
    r.notes.push_back("kafka-reassign-partitions --throttle " + num(throttleMBps * 1e6, 0) + " bytes/s");
    return r;
}

namespace {

// The goal of scaling by k on this layout: k new brokers after the highest id, over the racks in turn; or, for k = -1,
// removing the broker with the most replicas (the lowest id among equals).
ReassignGoal scaleGoal(const ClusterSnapshot &layout, int k)
{
    ReassignGoal goal;
    if (k < 0) {
        std::map<int32_t, int64_t> replicas;
        for (const auto &b : layout.brokers)
            replicas[b.id] = 0;
        for (const auto &t : layout.topics)
            for (const auto &p : t.partitions)
                for (const int32_t b : p.replicas)
                    replicas[b]++;
        goal.kind = ReassignGoalKind::RemoveBroker;
        for (const auto &[id, n] : replicas)
            if (goal.remove < 0 || n > replicas[goal.remove])
                goal.remove = id;
        return goal;
    }
    goal.kind = ReassignGoalKind::AddBrokers;
    int32_t next = 0;
    for (const auto &b : layout.brokers)
        next = std::max(next, b.id + 1);
    const std::set<std::string> racks = layout.racks();
    const std::vector<std::string> order(racks.begin(), racks.end());
    for (int i = 0; i < k; ++i)
        goal.add.push_back({next + i, order.empty() ? std::string() : order[size_t(i) % order.size()]});
    return goal;
}

// The plan of `goal` on `layout` when there is one and its bytes are known; else a note on `r` saying why not.
std::optional<ReassignmentPlan> knownPlan(ScenarioResult &r, const ClusterSnapshot &layout, const ReassignGoal &goal,
                                          const std::string &what, const char *planName, const char *verb)
{
    ReassignmentPlan plan;
    try {
        plan = planReassignment(layout, goal);
    } catch (const std::invalid_argument &e) {
        r.notes.push_back(std::string("no ") + planName + " from the layout: " + e.what());
        return std::nullopt;
    }
    if (!plan.bytesKnown()) {
        r.notes.push_back("from the layout, " + what + " " + verb + " " + std::to_string(plan.replicasMoved) +
                          " replicas, " + std::to_string(plan.replicasUnknownSize) +
                          " of unknown size: the bytes are not known (no DescribeLogDirs)");
        return std::nullopt;
    }
    return plan;
}

} // namespace

void addLayoutFigures(ScenarioResult &scale, const ClusterSnapshot &layout, int k, double throttleMBps)
{
    if (k < -1) {
        scale.notes.push_back("from the layout: one broker removed at a time; the formula's figures only");
        return;
    }
    const ReassignGoal goal = scaleGoal(layout, k);
    const std::string what =
        k > 0 ? "adding " + std::to_string(k) + " broker(s)" : "removing broker " + std::to_string(goal.remove);
    const auto planned = knownPlan(scale, layout, goal, what, "plan", "copies");
    if (!planned)
        return;
    const ReassignmentPlan &plan = *planned;
    const double gb = double(plan.bytesMoved) / 1e9;
    const double seconds = secondsAtThrottle(plan, throttleMBps * 1e6);
    scale.metrics.push_back({"data moved (layout)", gb, "GB",
                             "the reassignment plan of " + what + " on the real layout: " +
                                 std::to_string(plan.replicasMoved) + " replicas copied (kafka-planner reassign)"});
    scale.metrics.push_back({"time (layout)", seconds / 3600, "h",
                             "the slowest broker's bytes in or out / " + num(throttleMBps, 0) +
                                 " MB/s throttle (leader and follower rates per broker)"});
    scale.metrics.push_back({"cross-AZ copied (layout)", double(plan.crossAzBytes()) / 1e9, "GB",
                             "bytes whose leader and new replica are in different racks"});
    scale.notes.push_back("the layout's figures count the replicas that really move; the formula's spread the average "
                          "data per broker: trust the layout's for this cluster");
}

void addLossFigures(ScenarioResult &failure, const ClusterSnapshot &layout, double throttleMBps)
{
    const ReassignGoal goal = scaleGoal(layout, -1);
    // The lost broker leads nothing any more: the first other in-sync replica took over, and the copies read from it.
    ClusterSnapshot lost = layout;
    for (auto &t : lost.topics)
        for (auto &p : t.partitions)
            if (p.leader == goal.remove)
                for (const int32_t r : p.isr.empty() ? p.replicas : p.isr)
                    if (r != goal.remove) {
                        p.leader = r;
                        break;
                    }
    int64_t held = 0;
    for (const auto &t : layout.topics)
        for (const auto &p : t.partitions)
            held += std::count(p.replicas.begin(), p.replicas.end(), goal.remove);
    const std::string what =
        "losing broker " + std::to_string(goal.remove) + " (the most replicas: " + std::to_string(held) + ")";
    const auto planned = knownPlan(failure, lost, goal, what, "recovery plan", "re-creates");
    if (!planned)
        return;
    const ReassignmentPlan &plan = *planned;
    const double gb = double(plan.bytesMoved) / 1e9;
    const double atThrottle = secondsAtThrottle(plan, throttleMBps * 1e6);
    const Metric *rate = failure.metric("recovery rate");
    const double atRate = rate && rate->value > 0 ? gb * 1000 / rate->value : 0;
    const bool networkBound = atRate > atThrottle;
    failure.metrics.push_back({"recovery bytes (layout)", gb, "GB",
                               "the reassignment that re-creates the replicas of " + what + ": " +
                                   std::to_string(plan.replicasMoved) + " replicas copied"});
    failure.metrics.push_back(
        {"recovery time (layout)", std::max(atThrottle, atRate) / 3600, "h",
         networkBound ? num(gb, 1) + " GB / the recovery rate " + num(rate->value, 0) + " MB/s (the network left)"
                      : "the slowest broker's bytes in or out / " + num(throttleMBps, 0) + " MB/s throttle"});
    failure.notes.push_back("the layout's recovery figures count the replicas the lost broker really held; the "
                            "formula's spread the average: trust the layout's for this cluster");
}

ScenarioResult loseBrokerDuringReplay(const Plan &plan, Architecture arch, const ReplaySettings &s, double throttleMBps,
                                      const PricingProfile &pricing)
{
    const ArchitectureCost &a = pick(plan, arch);
    const ScenarioResult rp = replay(plan, arch, s, pricing);
    ScenarioResult r;
    r.architecture = arch;
    r.title = "lose a broker of the " + a.name + " during a replay";
    const int b = std::max(2, a.brokers);
    if (shared(arch)) {
        const double wal = 10 * 1.073741824;
        r.metrics.push_back({"recovery bytes", plan.settings.wal == "ebs" ? wal : 0, "GB",
                             plan.settings.wal == "ebs" ? "at most the 10 GiB EBS WAL is replayed by another broker"
                                                        : "the S3 WAL is already durable: nothing to copy"});
        r.metrics.push_back({"recovery time", 0, "h", "seconds: partitions move to live brokers"});
        return r;
    }
    const InstanceType &inst = instanceOf(a, pricing);
    const double data = brokerData(plan, arch) / b;
    const double nicLeft =
        std::max(0.0, (b - 1) * inst.baselineNetworkGbps * 125 * plan.settings.networkHeadroom -
                          plan.workload.writeMBps * egressPerByte(plan, arch) - rp.metric("effective rate")->value);
    const double rate = std::min((b - 1) * throttleMBps, nicLeft);
    r.metrics.push_back(
        {"recovery bytes", data, "GB",
         num(brokerData(plan, arch), 0) + " GB / " + std::to_string(b) + " brokers" +
             (arch == Architecture::Tiered ? " (local part only: the rest is in the remote tier)" : "")});
    r.metrics.push_back({"recovery rate", rate, "MB/s",
                         "min(" + std::to_string(b - 1) + " x " + num(throttleMBps, 0) +
                             " MB/s throttle, network left " + num(nicLeft, 0) +
                             " MB/s beside online traffic and the replay at " +
                             num(rp.metric("effective rate")->value, 0) + " MB/s)"});
    r.metrics.push_back({"recovery time", rate > 0 ? data * 1000 / rate / 3600 : INFINITY, "h", "bytes / rate"});
    if (rate <= 0)
        r.notes.push_back("no network left: recovery waits for the replay to end");
    return r;
}

std::string scenariosToJson(const std::vector<ScenarioResult> &results)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto &r : results) {
        nlohmann::json j{{"title", r.title}, {"architecture", toString(r.architecture)}, {"notes", r.notes}};
        j["metrics"] = nlohmann::json::array();
        for (const auto &m : r.metrics)
            j["metrics"].push_back({{"name", m.name},
                                    {"value", std::isfinite(m.value) ? nlohmann::json(m.value) : nlohmann::json()},
                                    {"unit", m.unit},
                                    {"formula", m.formula}});
        out.push_back(std::move(j));
    }
    return out.dump();
}

std::vector<RetentionPoint> costAgainstRetention(const PlanFile &plan, const PricingProfile &pricing,
                                                 const std::vector<double> &days)
{
    std::vector<RetentionPoint> out;
    for (double d : days) {
        PlanFile p = plan;
        p.workload.retentionHours = d * 24;
        p.workload.storedGB = -1; // the measured bytes belong to the retention the cluster has now
        p.settings.localRetentionHours = std::min(p.settings.localRetentionHours, p.workload.retentionHours);
        const Plan result = planCosts(p.workload, p.settings, pricing, PlanDetail::TotalsOnly);
        RetentionPoint point{d, {}};
        for (const auto &a : result.architectures)
            point.monthly.push_back(a.total());
        out.push_back(std::move(point));
    }
    return out;
}

namespace {

const std::vector<std::string> &sweepParameters()
{
    static const std::vector<std::string> names{"write", "retention", "groups", "rf", "local-retention"};
    return names;
}

void applySweep(PlanFile &p, const std::string &parameter, double v)
{
    Workload &w = p.workload;
    if (parameter == "write") {
        const double peakRatio = w.writeMBps > 0 && w.peakWriteMBps > 0 ? w.peakWriteMBps / w.writeMBps : 1;
        w.writeMBps = v;
        w.peakWriteMBps = v * peakRatio;
        w.storedGB = -1;
    } else if (parameter == "retention") {
        w.retentionHours = v * 24;
        w.storedGB = -1;
    } else if (parameter == "groups") {
        w.consumerGroups = int(v);
    } else if (parameter == "rf") {
        w.replicationFactor = int(v);
        w.storedGB = -1;
    } else {
        p.settings.localRetentionHours = v;
    }
}

} // namespace

double SweepAxis::value(int i) const
{
    const double v = steps <= 1 ? from : from + (to - from) * i / (steps - 1);
    return parameter == "groups" || parameter == "rf" ? std::round(v) : v;
}

SweepAxis parseSweepAxis(const std::string &text)
{
    static const std::regex form(R"(([a-z-]+)=([0-9.]+):([0-9.]+):([0-9]+))");
    std::smatch m;
    if (!std::regex_match(text, m, form))
        throw std::invalid_argument("\"" + text +
                                    "\": write it PARAMETER=FROM:TO:STEPS, for example write=10:1000:100");
    SweepAxis a;
    a.parameter = m[1];
    const auto &known = sweepParameters();
    if (std::find(known.begin(), known.end(), a.parameter) == known.end())
        throw std::invalid_argument("\"" + a.parameter +
                                    "\" is not a parameter to sweep (write, retention, groups, rf, local-retention)");
    try {
        a.from = std::stod(m[2]);
        a.to = std::stod(m[3]);
        a.steps = std::stoi(m[4]);
    } catch (const std::exception &) {
        throw std::invalid_argument("\"" + text + "\": not numbers");
    }
    if (a.steps < 1 || a.steps > 1000)
        throw std::invalid_argument("\"" + text + "\": between 1 and 1000 steps");
    if (a.to < a.from)
        throw std::invalid_argument("\"" + text + "\": TO must not be below FROM");
    if ((a.parameter == "rf" || a.parameter == "write" || a.parameter == "retention") && a.from <= 0)
        throw std::invalid_argument("\"" + text + "\": " + a.parameter + " must be more than 0");
    // Both ends within the field's range (planinputs.h); rf and groups are rounded at each point, so only their range.
    const char *field = a.parameter == "write"       ? "writeMBps"
                        : a.parameter == "retention" ? "retentionHours"
                        : a.parameter == "groups"    ? "consumerGroups"
                        : a.parameter == "rf"        ? "replicationFactor"
                                                     : "localRetentionHours";
    const bool counts = a.parameter == "rf" || a.parameter == "groups";
    for (const double end : {a.from, a.to})
        if (const std::string e = checkNumber(field, counts ? std::round(end) : end); !e.empty())
            throw std::invalid_argument("\"" + text + "\": " + a.parameter + " " + e);
    return a;
}

std::vector<SweepPoint> sensitivitySweep(const PlanFile &plan, const PricingProfile &pricing, const SweepAxis &x,
                                         const SweepAxis &y)
{
    if (x.parameter == y.parameter)
        throw std::invalid_argument("sweep " + x.parameter + " against another parameter, not itself");
    std::vector<SweepPoint> out;
    out.reserve(size_t(x.steps) * size_t(y.steps));
    for (int j = 0; j < y.steps; ++j)
        for (int i = 0; i < x.steps; ++i) {
            PlanFile p = plan;
            applySweep(p, x.parameter, x.value(i));
            applySweep(p, y.parameter, y.value(j));
            p.settings.localRetentionHours = std::min(p.settings.localRetentionHours, p.workload.retentionHours);
            const Plan result = planCosts(p.workload, p.settings, pricing, PlanDetail::TotalsOnly);
            SweepPoint point{x.value(i), y.value(j), {}};
            point.monthly.reserve(result.architectures.size());
            for (const auto &a : result.architectures)
                point.monthly.push_back(a.total());
            out.push_back(std::move(point));
        }
    return out;
}

std::string sweepToJson(const SweepAxis &x, const SweepAxis &y, const std::vector<SweepPoint> &points,
                        const std::string &currency)
{
    nlohmann::json j{{"x", {{"parameter", x.parameter}, {"from", x.from}, {"to", x.to}, {"steps", x.steps}}},
                     {"y", {{"parameter", y.parameter}, {"from", y.from}, {"to", y.to}, {"steps", y.steps}}},
                     {"currency", currency},
                     {"architectures", nlohmann::json::array()},
                     {"points", nlohmann::json::array()}};
    for (Architecture a :
         {Architecture::Existing, Architecture::Dedicated, Architecture::Tiered, Architecture::SharedStorage})
        j["architectures"].push_back(toString(a));
    for (const auto &p : points)
        j["points"].push_back({{"x", p.x}, {"y", p.y}, {"monthly", p.monthly}});
    return j.dump(2);
}

std::vector<std::pair<double, double>> replayDurationAgainstThroughput(const Plan &plan, Architecture arch,
                                                                       ReplaySettings s, const PricingProfile &pricing,
                                                                       const std::vector<double> &targets)
{
    std::vector<std::pair<double, double>> out;
    for (double t : targets) {
        s.targetMBps = t;
        out.emplace_back(t, replay(plan, arch, s, pricing).metric("duration")->value);
    }
    return out;
}

} // namespace kp
