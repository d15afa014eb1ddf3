#include "models/costmodel.h"

#include "models/planinputs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace kp {

namespace {

constexpr double kMiBInMB = 1.048576;

std::string num(double v, int decimals = 2)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// "1073.7 MB (1 GiB)" for Kafka's default segment, else "500.0 MB".
std::string segmentText(double segmentMB)
{
    const double gib = segmentMB / 1073.741824;
    const bool wholeGiB = std::abs(gib - std::round(gib)) < 1e-9 && gib >= 1;
    return num(segmentMB, 1) + " MB" + (wholeGiB ? " (" + num(gib, 0) + " GiB)" : std::string());
}

struct Sizing
{
    const InstanceType *instance = nullptr;
    int brokers = 0;
    double networkNeededMBps = 0; // at peak, all brokers together
    std::string why;
};

// Far beyond any cluster run today; what needs more is a typo (MB/s for KB/s) or not a Kafka workload.
constexpr double kMaxBrokers = 100000;

// Brokers for a peak: network (egress per produced byte x peak over each broker's share of its baseline), CPU
// (AKalculator: 1 vCPU per 5 MiB/s produced including replication, per 15 MiB/s consumed), at least `minimum`, a
// multiple of the AZ count. The cheapest instance type wins unless one is forced.
Sizing size(const Workload &w, const PlanSettings &s, const PricingProfile &pricing, double egressPerByte,
            double producedCopies, int minimum, bool explain)
{
    std::vector<const InstanceType *> candidates;
    if (!s.instanceType.empty()) {
        const InstanceType *forced = pricing.instance(s.instanceType);
        if (!forced)
            throw std::invalid_argument("instance type " + s.instanceType + " is not in the pricing profile " +
                                        pricing.name);
        candidates.push_back(forced);
    } else {
        for (const auto &i : pricing.instances)
            candidates.push_back(&i);
    }
    Sizing best;
    double bestCost = -1;
    double fewestNeeded = -1; // when no instance type stays within kMaxBrokers
    const double peak = std::max(w.peakWriteMBps, w.writeMBps);
    for (const InstanceType *i : candidates) {
        const double perBroker = i->baselineNetworkGbps * 1000 / 8 * s.networkHeadroom;
        const double network = peak * egressPerByte;
        // In doubles: an extreme workload needs more brokers than an int holds.
        const double byNetwork = std::ceil(network / perBroker - 1e-9);
        const double vcpus = peak / kMiBInMB * producedCopies / 5 + peak / kMiBInMB * w.consumerGroups / 15;
        const double byCpu = std::ceil(vcpus / i->vcpu - 1e-9);
        const double needed = std::max({byNetwork, byCpu, double(minimum), 1.0});
        if (needed > kMaxBrokers) {
            fewestNeeded = fewestNeeded < 0 ? needed : std::min(fewestNeeded, needed);
            continue;
        }
        const int azs = std::max(1, w.azs);
        const int brokers = (int(needed) + azs - 1) / azs * azs;
        const double cost = brokers * i->hourly;
        if (bestCost < 0 || cost < bestCost - 1e-9) {
            bestCost = cost;
            best.instance = i;
            best.brokers = brokers;
            best.networkNeededMBps = network;
            if (explain)
                best.why = "max(network ceil(" + num(peak, 1) + " MB/s x " + num(egressPerByte, 2) + " / " +
                           num(perBroker, 1) + " MB/s) = " + num(byNetwork, 0) + ", CPU ceil(" + num(vcpus, 1) +
                           " vCPU / " + std::to_string(i->vcpu) + ") = " + num(byCpu, 0) + ", minimum " +
                           std::to_string(minimum) + ") rounded up to a multiple of " + std::to_string(azs) + " AZs";
        }
    }
    if (!best.instance)
        throw std::invalid_argument("the workload needs at least " + num(fewestNeeded, 0) + " brokers, more than the " +
                                    num(kMaxBrokers, 0) +
                                    " this model sizes: check the write rate, the peak and the consumer groups");
    return best;
}

void computeLine(ArchitectureCost &a, const Sizing &z, int brokers, const InstanceType &i, double hoursPerMonth,
                 bool explain)
{
    a.brokers = brokers;
    a.instanceType = i.type;
    a.lines.push_back({"compute", brokers * i.hourly * hoursPerMonth,
                       explain ? std::to_string(brokers) + " x " + i.type + " x " + num(i.hourly, 4) + "/h x " +
                                     num(hoursPerMonth, 0) + " h"
                               : std::string()});
    const double capacity = brokers * i.baselineNetworkGbps * 1000 / 8;
    a.headroom = capacity > 0 ? 1 - z.networkNeededMBps / capacity : 0;
}

} // namespace

const char *toString(Architecture a)
{
    switch (a) {
    case Architecture::Existing:
        return "existing cluster";
    case Architecture::Dedicated:
        return "dedicated Kafka cluster";
    case Architecture::Tiered:
        return "Kafka with tiered storage";
    case Architecture::SharedStorage:
        return "shared-storage platform (stateless brokers)";
    }
    return "?";
}

double ArchitectureCost::total() const
{
    double t = 0;
    for (const auto &l : lines)
        t += l.monthly;
    return t;
}

double crossAzFactor(int n, int rf, int f, bool followerFetching)
{
    if (n <= 1)
        return 0;
    const double spread = double(n - 1) / n;
    const double consumers = followerFetching ? f * double(std::max(0, n - rf)) / n : f * spread;
    // Rack-aware placement deals a partition's replicas round the AZs starting at the leader's, which so holds
    // ceil(RF/N) of them: every other follower copy crosses (RF - 1 while RF <= N).
    const int inLeaderAz = (rf + n - 1) / n;
    return spread + std::max(0, rf - inLeaderAz) + consumers;
}

namespace {

// Every number of the workload and settings, refused with the field's name when out of range (planinputs.h).
void checkPlanInputs(const Workload &w, const PlanSettings &s)
{
    if (w.writeMBps < 0 || w.peakWriteMBps < 0)
        throw std::invalid_argument("the write rate must not be negative");
    if (w.replicationFactor < 1)
        throw std::invalid_argument("the replication factor must be at least 1");
    if (w.retentionHours <= 0)
        throw std::invalid_argument("retention must be more than 0 hours");
    if (w.azs < 1)
        throw std::invalid_argument("there must be at least one AZ");
    if (w.consumerGroups < 0)
        throw std::invalid_argument("the number of consumer groups must not be negative");
    if (s.networkHeadroom <= 0 || s.networkHeadroom > 1 || s.diskFill <= 0 || s.diskFill > 1)
        throw std::invalid_argument("network headroom and disk fill must be between 0 and 1");
    if (s.localRetentionHours <= 0 || s.localRetentionHours > w.retentionHours)
        throw std::invalid_argument("tiered local retention must be more than 0 and at most the retention (" +
                                    num(w.retentionHours, 0) + " h)");
    if (s.wal != "ebs" && s.wal != "s3")
        throw std::invalid_argument("the WAL must be ebs or s3");
    // Every number against the one table of ranges (planinputs.h): NaN, infinity and overflow as well.
    auto fits = [](const char *key, double v) {
        if (const std::string e = checkNumber(key, v); !e.empty())
            throw std::invalid_argument(std::string(key) + " " + e);
    };
    fits("writeMBps", w.writeMBps);
    fits("peakWriteMBps", w.peakWriteMBps);
    fits("retentionHours", w.retentionHours);
    fits("replicationFactor", w.replicationFactor);
    fits("partitions", w.partitions);
    fits("consumerGroups", w.consumerGroups);
    fits("azs", w.azs);
    if (w.storedGB != -1)
        fits("storedGB", w.storedGB);
    fits("existingBrokers", s.existingBrokers);
    fits("dedicatedBrokers", s.dedicatedBrokers);
    fits("tieredBrokers", s.tieredBrokers);
    fits("sharedStorageBrokers", s.sharedStorageBrokers);
    fits("localRetentionHours", s.localRetentionHours);
    fits("segmentMB", s.segmentMB);
}

// The four architectures' costs for one workload: what they share (prices, the month, the data retained) and one
// function per architecture.
class PlanBuilder
{
public:
    PlanBuilder(const Workload &w, const PlanSettings &s, const PricingProfile &pricing, bool explain)
        : w(w), s(s), pricing(pricing), explain(explain), hoursPerMonth(pricing.hoursPerMonth),
          secondsPerMonth(hoursPerMonth * 3600), perMonthHours(num(hoursPerMonth, 0) + " h"),
          gbPerMonth(w.writeMBps * secondsPerMonth / 1000), blockPrice(pricing.price("blockStoragePerGBMonth").value),
          objectPrice(pricing.price("objectStoragePerGBMonth").value),
          putPrice(pricing.price("objectPutPer1000").value), getPrice(pricing.price("objectGetPer1000").value),
          retainedGB(w.writeMBps * w.retentionHours * 3600 / 1000), rf(w.replicationFactor), f(w.consumerGroups)
    {}

    ArchitectureCost sharedNothing(Architecture arch) const; // the existing cluster or a dedicated one
    ArchitectureCost tiered() const;
    ArchitectureCost sharedStorage() const;

private:
    // The formula of a line or a note, built only when asked for (a sensitivity sweep needs only the totals).
    template <typename F> std::string why(F &&make) const { return explain ? std::string(make()) : std::string(); }
    template <typename F> void note(ArchitectureCost &a, F &&make) const
    {
        if (explain)
            a.notes.push_back(make());
    }
    // Brokers as set, or as sized; set below what the peak needs, the headroom says so (negative: over the baseline).
    void brokerNote(ArchitectureCost &a, int chosen, const Sizing &z) const
    {
        if (chosen <= 0)
            note(a, [&] { return "brokers: " + z.why; });
        else
            note(a, [&] {
                return "brokers as set: " + std::to_string(chosen) + " (sizing for the peak gives " +
                       std::to_string(z.brokers) + ": " + z.why + ")" +
                       (chosen < z.brokers ? "; fewer than the peak needs" : "");
            });
    }
    void crossLine(ArchitectureCost &a, double factor, const char *what) const
    {
        a.lines.push_back({"cross-AZ transfer", crossAzCost(pricing, factor * gbPerMonth), why([&] {
                               return num(factor, 3) + " x " + num(gbPerMonth, 0) + " GB produced a month (" +
                                      perMonthHours + ") " + crossAzPriceText(pricing) + " (" + what + ")";
                           })});
    }
    void sharedStorageRequests(ArchitectureCost &a, int brokers) const;

    const Workload &w;
    const PlanSettings &s;
    const PricingProfile &pricing;
    const bool explain;
    const double hoursPerMonth, secondsPerMonth;
    const std::string perMonthHours;
    const double gbPerMonth; // produced, one copy
    const double blockPrice, objectPrice, putPrice, getPrice;
    const double retainedGB; // one copy
    const int rf, f;
};

// Existing and dedicated shared-nothing Kafka.
ArchitectureCost PlanBuilder::sharedNothing(Architecture arch) const
{
    ArchitectureCost a;
    a.architecture = arch;
    a.name = toString(arch);
    const Sizing z = size(w, s, pricing, rf - 1 + f, rf, std::max(3, rf), explain);
    const InstanceType *instance = z.instance;
    int brokers = z.brokers;
    const bool existing = arch == Architecture::Existing;
    if (existing && !s.existingInstance.empty()) {
        instance = pricing.instance(s.existingInstance);
        if (!instance)
            throw std::invalid_argument("the existing instance type " + s.existingInstance +
                                        " is not in the pricing profile " + pricing.name);
    }
    const int chosen = existing ? s.existingBrokers : s.dedicatedBrokers;
    if (chosen > 0)
        brokers = chosen;
    computeLine(a, z, brokers, *instance, hoursPerMonth, explain);
    if (existing && chosen > 0)
        note(a, [] { return "brokers as the cluster runs now"; });
    else if (existing)
        note(a, [&] { return "the cluster's brokers are not known: sized as a dedicated cluster would be; " + z.why; });
    else
        brokerNote(a, chosen, z);
    const double data = existing && w.storedGB >= 0 ? w.storedGB : retainedGB * rf;
    a.lines.push_back({"block storage", data / s.diskFill * blockPrice, why([&] {
                           return num(data, 0) + " GB on disk" +
                                  (existing && w.storedGB >= 0
                                       ? std::string(" (measured)")
                                       : " (" + num(w.writeMBps, 2) + " MB/s x " + num(w.retentionHours, 0) +
                                             " h x RF " + std::to_string(rf) + ")") +
                                  " / " + num(s.diskFill, 2) + " fill x " + num(blockPrice, 4) + " per GB-month";
                       })});
    const bool ff = existing ? s.existingFollowerFetching : s.dedicatedFollowerFetching;
    crossLine(a, crossAzFactor(w.azs, rf, f, ff),
              ff ? "producers (N-1)/N + replication RF-ceil(RF/N) + consumers F(N-1)/N with follower fetching: F "
                   "max(0,N-RF)/N"
                 : "producers (N-1)/N + replication RF-ceil(RF/N) + consumers F(N-1)/N");
    if (!ff && w.azs > 1 && f > 0)
        note(a,
             [] { return "follower fetching would cut the consumer share of cross-AZ transfer to F*max(0,N-RF)/N"; });
    return a;
}

// Tiered storage: the same brokers, a local tail on disk, the rest in object storage.
ArchitectureCost PlanBuilder::tiered() const
{
    ArchitectureCost a;
    a.architecture = Architecture::Tiered;
    a.name = toString(Architecture::Tiered);
    const Sizing z = size(w, s, pricing, rf - 1 + f, rf, std::max(3, rf), explain);
    computeLine(a, z, s.tieredBrokers > 0 ? s.tieredBrokers : z.brokers, *z.instance, hoursPerMonth, explain);
    brokerNote(a, s.tieredBrokers, z);
    const double localGB = w.writeMBps * s.localRetentionHours * 3600 / 1000 * rf;
    const double openSegmentsGB = double(w.partitions) * s.segmentMB / 1000 * rf;
    a.lines.push_back({"block storage", (localGB + openSegmentsGB) / s.diskFill * blockPrice, why([&] {
                           return "(" + num(localGB, 0) + " GB local retention " + num(s.localRetentionHours, 0) +
                                  " h x RF " + std::to_string(rf) + " + " + num(openSegmentsGB, 0) +
                                  " GB of active segments (" + std::to_string(w.partitions) + " partitions x " +
                                  segmentText(s.segmentMB) + " x RF)) / " + num(s.diskFill, 2) + " x " +
                                  num(blockPrice, 4);
                       })});
    a.lines.push_back({"object storage", retainedGB * objectPrice, why([&] {
                           return num(retainedGB, 0) + " GB (one copy, " + num(w.retentionHours, 0) + " h) x " +
                                  num(objectPrice, 4) + " per GB-month";
                       })});
    const double parts = std::ceil(s.segmentMB / (25 * kMiBInMB)) + 4;
    const double putsPerMonth = w.writeMBps / s.segmentMB * parts * secondsPerMonth;
    a.lines.push_back({"object requests", putsPerMonth / 1000 * putPrice, why([&] {
                           return num(w.writeMBps, 2) + " MB/s / " + segmentText(s.segmentMB) + " segments x " +
                                  num(parts, 0) + " requests each (25 MiB parts + 4) x " + perMonthHours + " x " +
                                  num(putPrice, 4) + " per 1,000";
                       })});
    const bool ff = s.tieredFollowerFetching;
    crossLine(a, crossAzFactor(w.azs, rf, f, ff),
              ff ? "as the dedicated cluster, consumers with follower fetching: uploads stay in the region"
                 : "as the dedicated cluster: uploads stay in the region");
    note(a, [&] {
        return "reads beyond the local " + num(s.localRetentionHours, 0) +
               " h come from the remote tier: GETs of about 4 MiB each (see the replay scenario)";
    });
    return a;
}

// Shared storage: stateless brokers, no replication traffic, object storage is the durable copy.
ArchitectureCost PlanBuilder::sharedStorage() const
{
    ArchitectureCost a;
    a.architecture = Architecture::SharedStorage;
    a.name = toString(Architecture::SharedStorage);
    const Sizing z = size(w, s, pricing, 1 + f, 1, std::max(2, w.azs), explain);
    const int brokers = s.sharedStorageBrokers > 0 ? s.sharedStorageBrokers : z.brokers;
    computeLine(a, z, brokers, *z.instance, hoursPerMonth, explain);
    brokerNote(a, s.sharedStorageBrokers, z);
    note(a, [] { return "no replica traffic: scaling moves ownership, not data"; });
    if (s.wal == "ebs") {
        const double walGB = 10 * 1.073741824;
        a.lines.push_back({"block storage", brokers * walGB * blockPrice, why([&] {
                               return std::to_string(brokers) + " brokers x 10 GiB EBS WAL x " + num(blockPrice, 4);
                           })});
    }
    a.lines.push_back({"object storage", retainedGB * objectPrice, why([&] {
                           return num(retainedGB, 0) + " GB (one copy) x " + num(objectPrice, 4) + " per GB-month";
                       })});
    sharedStorageRequests(a, brokers);
    if (s.zoneLocalRouting) {
        crossLine(a, 0, "clients routed to a broker in their own AZ; instance to object storage is free in-region");
    } else {
        const double spread = w.azs > 1 ? double(w.azs - 1) / w.azs : 0;
        crossLine(a, spread * (1 + f), "producers and consumers (1 + F)(N-1)/N, no replication traffic");
    }
    return a;
}

void PlanBuilder::sharedStorageRequests(ArchitectureCost &a, int brokers) const
{
    // Measured by AutoMQ at 500 MB/s: 147.3 PUT/s and 63.6 GET/s (upload and compaction), scaled to the rate.
    double putsPerSecond = w.writeMBps * 147.3 / 500;
    if (s.wal == "s3") {
        const double perBroker = std::max(4.0, w.writeMBps / kMiBInMB / std::max(1, brokers) / 8);
        putsPerSecond += perBroker * brokers;
    }
    const double getsPerSecond = w.writeMBps * 63.6 / 500;
    a.lines.push_back(
        {"object requests", (putsPerSecond * putPrice + getsPerSecond * getPrice) / 1000 * secondsPerMonth, why([&] {
             std::string putWhy = num(w.writeMBps, 2) + " MB/s x 147.3 PUT/s per 500 MB/s (measured)";
             if (s.wal == "s3")
                 putWhy += " + S3 WAL " + std::to_string(brokers) + " x max(4, MiB/s per broker / 8)";
             return "PUT " + num(putsPerSecond, 1) + "/s (" + putWhy + ") x " + num(putPrice, 4) + " + GET " +
                    num(getsPerSecond, 1) + "/s x " + num(getPrice, 4) + ", per 1,000, x " + perMonthHours;
         })});
}

} // namespace

Plan planCosts(const Workload &w, const PlanSettings &s, const PricingProfile &pricing, PlanDetail detail)
{
    checkPlanInputs(w, s);
    const PlanBuilder build(w, s, pricing, detail == PlanDetail::WithFormulas);
    Plan plan{w, s, pricing.name, pricing.currency, {}};
    plan.architectures.push_back(build.sharedNothing(Architecture::Existing));
    plan.architectures.push_back(build.sharedNothing(Architecture::Dedicated));
    plan.architectures.push_back(build.tiered());
    plan.architectures.push_back(build.sharedStorage());
    return plan;
}

} // namespace kp
