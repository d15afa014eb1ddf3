#include "models/scenarios.h"

#include "models/planinputs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
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

ScenarioResult replay(const Plan &plan, Architecture arch, const ReplaySettings &s, const PricingProfile &pricing)
{
    if (s.days <= 0 || s.share <= 0 || s.share > 1 || s.targetMBps <= 0 || s.perPartitionMBps <= 0)
        throw std::invalid_argument("replay: the window, the share of topics (0 to 1), the target and the "
                                    "per-partition rate must be more than 0");
    if (s.bytesGB != -1 && !(s.bytesGB >= 0 && std::isfinite(s.bytesGB)))
        throw std::invalid_argument("replay: the bytes to replay must be a finite number, 0 or more");
    if (s.remoteShare != -1 && !(s.remoteShare >= 0 && s.remoteShare <= 1))
        throw std::invalid_argument("replay: the share in the remote tier must be from 0 to 1");
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
    const double hours = days * 24;
    const bool bytesKnown = s.bytesGB >= 0;
    const double bytesGB = bytesKnown ? s.bytesGB : w.writeMBps * s.share * hours * 3.6;
    // The existing cluster with a known split (a run's ranges): its remote part from the remote tier, the rest from
    // disk (a run's records are not assumed to be in the page cache).
    const bool splitKnown = s.remoteShare >= 0 && arch == Architecture::Existing;
    const int b = std::max(1, a.brokers);
    const double nicMBps = inst.baselineNetworkGbps * 125;
    const double onlineMBps = w.writeMBps * egressPerByte(plan, arch);
    const double nicLeft = std::max(0.0, b * nicMBps * plan.settings.networkHeadroom - onlineMBps);
    // One fetch stream per partition caps the read rate; with the partition count unknown (0) there is no such cap to
    // apply, and the figure says so rather than assuming one partition (which capped every replay at 10 MB/s).
    const bool partitionsKnown = w.partitions > 0;
    const double partitionsCap = partitionsKnown ? w.partitions * s.perPartitionMBps * s.share : INFINITY;
    double cap = std::min({s.targetMBps, nicLeft, partitionsCap});
    if (!partitionsKnown)
        r.notes.push_back("the partition count is unknown: the read rate is not capped at " +
                          num(s.perPartitionMBps, 0) +
                          " MB/s per partition (give --partitions, or plan from a cluster, for that cap)");
    if (s.consumerCapacityMBps > 0)
        cap = std::min(cap, s.consumerCapacityMBps);

    // Where the bytes come from: the newest from the page cache, then local disk, then the remote tier or objects.
    const double copiesCached = shared(arch) ? 1 : w.replicationFactor;
    const double cacheGB = b * inst.memoryGiB * 1.073741824 * s.pageCacheShare;
    const double cacheHours = w.writeMBps > 0 ? cacheGB / (w.writeMBps * copiesCached * 3.6) : hours;
    double localHours = 0;
    if (arch == Architecture::Tiered)
        localHours = std::clamp(plan.settings.localRetentionHours - cacheHours, 0.0, hours);
    else if (!shared(arch))
        localHours = hours;
    const double cachedHours = std::min(cacheHours, hours);
    localHours = std::min(localHours, hours - cachedHours);
    const double remoteHours = std::max(0.0, hours - cachedHours - localHours);
    const double perHour = bytesGB / hours;
    double fromCache = cachedHours * perHour, fromDisk = localHours * perHour, fromRemote = remoteHours * perHour;
    if (splitKnown) {
        fromCache = 0;
        fromRemote = bytesGB * s.remoteShare;
        fromDisk = bytesGB - fromRemote;
    }
    const double diskRate = std::min(cap, b * s.diskReadMBpsPerBroker);
    const double remoteRate = std::min(cap, b * s.remoteReadMBpsPerBroker);
    double seconds = 0;
    if (cap <= 0) {
        r.notes.push_back("no network left on the brokers beside online traffic: the replay cannot run");
        seconds = INFINITY;
    } else {
        seconds = fromCache * 1000 / cap + (fromDisk > 0 ? fromDisk * 1000 / diskRate : 0) +
                  (fromRemote > 0 ? fromRemote * 1000 / remoteRate : 0);
    }
    const double effective = seconds > 0 ? bytesGB * 1000 / seconds : 0;
    const std::string remoteName = shared(arch) ? "object storage" : "remote tier";

    r.metrics.push_back({"bytes", bytesGB, "GB",
                         bytesKnown ? "the records of " + s.source + " still retained"
                                    : num(w.writeMBps, 2) + " MB/s x " + num(s.share, 2) + " of the topics x " +
                                          num(hours, 1) + " h x 3.6 GB per MB/s-hour"});
    r.metrics.push_back(
        {"read rate cap", cap, "MB/s",
         "min(target " + num(s.targetMBps, 0) + ", network left " + num(nicLeft, 0) + " = " + std::to_string(b) +
             " x " + num(nicMBps, 0) + " MB/s x " + num(plan.settings.networkHeadroom, 2) + " - online " +
             num(onlineMBps, 0) +
             (partitionsKnown ? ", partitions " + num(partitionsCap, 0) + " = " + std::to_string(w.partitions) + " x " +
                                    num(s.perPartitionMBps, 0) + " MB/s x share"
                              : std::string(", partitions unknown: no cap")) +
             (s.consumerCapacityMBps > 0 ? ", consumers " + num(s.consumerCapacityMBps, 0) : "") + ")"});
    const std::string diskAt = " at up to " + num(b * s.diskReadMBpsPerBroker, 0) + " MB/s (" + std::to_string(b) +
                               " x " + num(s.diskReadMBpsPerBroker, 0) + ")";
    const std::string remoteAt = " at up to " + num(b * s.remoteReadMBpsPerBroker, 0) + " MB/s (" + std::to_string(b) +
                                 " x " + num(s.remoteReadMBpsPerBroker, 0) + ")";
    if (splitKnown) {
        const std::string share = num(s.remoteShare * 100, 1) + "%";
        r.metrics.push_back({"from page cache", 0, "GB", "none assumed: " + s.source + "'s records are read cold"});
        r.metrics.push_back({"from local disk", fromDisk, "GB",
                             num(bytesGB, 2) + " GB x (1 - " + share +
                                 " in the remote tier only, from the "
                                 "partitions' first local offsets)" +
                                 diskAt});
        r.metrics.push_back({"from " + remoteName, fromRemote, "GB",
                             num(bytesGB, 2) + " GB x " + share + " of " + s.source + remoteAt});
    } else {
        r.metrics.push_back({"from page cache", fromCache, "GB",
                             "the newest " + num(cachedHours, 1) + " h: " + std::to_string(b) + " brokers x " +
                                 num(inst.memoryGiB, 0) + " GiB x " + num(s.pageCacheShare, 2) + " / (" +
                                 num(w.writeMBps, 2) + " MB/s x " + num(copiesCached, 0) + " copies)"});
        r.metrics.push_back({"from local disk", fromDisk, "GB", num(localHours, 1) + " h" + diskAt});
        r.metrics.push_back({"from " + remoteName, fromRemote, "GB", num(remoteHours, 1) + " h" + remoteAt});
    }
    r.metrics.push_back({"duration", seconds / 3600, "h",
                         "cache " + num(fromCache, 0) + " GB / " + num(cap, 0) + " MB/s + disk " + num(fromDisk, 0) +
                             " GB / " + num(diskRate, 0) + " MB/s + " + remoteName + " " + num(fromRemote, 0) +
                             " GB / " + num(remoteRate, 0) + " MB/s"});
    r.metrics.push_back({"effective rate", effective, "MB/s", "bytes / duration"});

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
    const double crossCost = crossAzCost(pricing, bytesGB * factor);
    r.metrics.push_back({"cross-AZ cost", crossCost, pricing.currency,
                         num(bytesGB, 0) + " GB x " + num(factor, 3) + " (" + why + ") " + crossAzPriceText(pricing)});
    const double gets = fromRemote * 1000 / (4 * 1.048576); // 4 MiB chunks
    const double getPrice = pricing.price("objectGetPer1000").value;
    r.metrics.push_back(
        {"request cost", gets / 1000 * getPrice, pricing.currency,
         num(fromRemote, 0) + " GB from " + remoteName + " / 4 MiB per GET x " + num(getPrice, 4) + " per 1,000"});
    r.metrics.push_back({"network share taken", cap > 0 ? effective / (b * nicMBps) * 100 : 0, "%",
                         "effective rate / (" + std::to_string(b) + " x " + num(nicMBps, 0) + " MB/s baseline)"});
    r.metrics.push_back(
        {"disk share taken", fromDisk > 0 ? diskRate / (b * s.diskReadMBpsPerBroker) * 100 : 0, "%",
         "while reading from local disk: " + num(diskRate, 0) + " / " + num(b * s.diskReadMBpsPerBroker, 0) + " MB/s"});
    if (!shared(arch) && fromDisk > 0)
        r.notes.push_back("cold reads from disk compete with online traffic for page cache and disk (KAFKA-7504)");
    if (s.remoteShare >= 0 && !splitKnown && !shared(arch))
        r.notes.push_back(s.source + "'s local and remote split is the open cluster's: the " + a.name +
                          " reads by its own local retention");
    if ((arch == Architecture::Tiered || splitKnown) && fromRemote > 0)
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
