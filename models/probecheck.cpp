#include "models/probecheck.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kp {

namespace {

// Of the window's bytes, those below each tiered partition's local log start.
double remoteShareOf(const ProbeResult &probe, int64_t windowBytes)
{
    double remote = 0;
    for (const auto &p : probe.partitions)
        if (p.localLogStart > p.fromOffset && p.logBytesPerOffset > 0)
            remote += double(std::min(p.localLogStart, p.endOffset) - p.fromOffset) * p.logBytesPerOffset;
    return windowBytes > 0 ? remote / double(windowBytes) : 0;
}

// On disk bytes per second from the first byte on (the record bytes read scaled by the window's disk/record ratio).
double observedRateMBps(const ProbeResult &probe)
{
    const int64_t disk = probe.logBytesEstimate();
    const double reading = probe.seconds - std::max(0.0, probe.firstByteMs) / 1000.0;
    return disk > 0 && reading > 0 ? double(disk) / reading / 1e6 : 0;
}

std::string explain(const ProbeResult &probe, double predicted, double observed)
{
    const double error = predicted > 0 ? observed / predicted - 1 : 0;
    if (std::abs(error) <= 0.15)
        return "within 15% of the prediction: the model's read rate holds for this window";
    const double record = probe.throughputBytesPerSecond() / 1e6;
    if (probe.request.throttleMBps && std::abs(record / *probe.request.throttleMBps - 1) <= 0.1)
        return "throttle: the probe read at its --throttle of " + std::to_string(*probe.request.throttleMBps) +
               " MB/s, below the model's read rate";
    if (observed > predicted)
        return "page cache: the window was read faster than the model's disk and network rates (recent data in "
               "memory, or disks faster than assumed)";
    if (probe.remoteBytes > 0)
        return "remote tier: the bytes below the local log start came slower than the model's remote read rate";
    if (probe.request.fetchers == 1)
        return "network share: one reader (--fetchers 1) took less of the brokers' network than a refresh job "
               "with many consumers; try more fetchers";
    return "disk: the brokers served the window slower than the model's disk rate";
}

} // namespace

ReplaySettings replayOfProbe(const ProbeResult &probe, ReplaySettings s)
{
    const int64_t bytes = probe.windowBytes();
    if (bytes < 0)
        throw std::invalid_argument("the probe's window has partitions of unknown size: plan a window instead");
    if (bytes == 0)
        throw std::invalid_argument("the probe's window holds nothing to replay");
    s.bytesGB = double(bytes) / 1e9;
    s.remoteShare = remoteShareOf(probe, bytes);
    s.source = "the probe of " + probe.request.topicRegex;
    if (probe.request.fromMs && probe.startedAtMs > *probe.request.fromMs)
        s.days = std::max(1.0 / 24, double(probe.startedAtMs - *probe.request.fromMs) / 86400000.0);
    return s;
}

ProbeComparison compareWithProbe(const ScenarioResult &predicted, const ProbeResult &probe,
                                 const PricingProfile &pricing)
{
    auto metric = [&](const char *name) {
        const Metric *m = predicted.metric(name);
        return m ? m->value : 0.0;
    };
    ProbeComparison c;
    const double rate = observedRateMBps(probe);
    const double windowGB = double(std::max<int64_t>(0, probe.windowBytes())) / 1e9;
    c.checks.push_back({"throughput", "MB/s", metric("effective rate"), rate, rate > 0});
    c.checks.push_back(
        {"duration of the window", "h", metric("duration"), rate > 0 ? windowGB * 1000 / rate / 3600 : 0, rate > 0});
    const int64_t read = probe.logBytesEstimate();
    c.checks.push_back(
        {"bytes", "GB", metric("bytes"), double(read) / 1e9, probe.stoppedBy == "complete" && read >= 0});
    ProbeCheck cross{"cross-AZ cost", pricing.currency, metric("cross-AZ cost"), 0, false};
    if (probe.crossAzBytes && probe.bytes > 0) {
        cross.observed = crossAzCost(pricing, windowGB * double(*probe.crossAzBytes) / double(probe.bytes));
        cross.observedKnown = true;
    }
    c.checks.push_back(cross);
    c.explanation = rate > 0 ? explain(probe, metric("effective rate"), rate) : "the probe read nothing to compare";
    return c;
}

nlohmann::json probeComparisonToJson(const ProbeComparison &c)
{
    nlohmann::json j{{"explanation", c.explanation}, {"checks", nlohmann::json::array()}};
    for (const auto &k : c.checks)
        j["checks"].push_back({{"figure", k.figure},
                               {"unit", k.unit},
                               {"predicted", k.predicted},
                               {"observed", k.observedKnown ? nlohmann::json(k.observed) : nlohmann::json(nullptr)},
                               {"relativeError", k.observedKnown && k.predicted != 0 ? nlohmann::json(k.relativeError())
                                                                                     : nlohmann::json(nullptr)}});
    return j;
}

std::string probeComparisonTable(const ProbeComparison &c)
{
    std::string out = "\nPredicted against observed (the probe, on the existing cluster)\n"
                      "FIGURE                  PREDICTED          OBSERVED           ERROR\n";
    auto shown = [](double v, const std::string &unit) {
        char text[48];
        std::snprintf(text, sizeof text, "%.4g %s", v, unit.c_str());
        return std::string(text);
    };
    char line[160];
    for (const auto &k : c.checks) {
        const std::string error =
            k.observedKnown && k.predicted != 0 ? std::to_string(int(std::lround(k.relativeError() * 100))) + "%" : "";
        std::snprintf(line, sizeof line, "%-23s %-18s %-18s %s\n", k.figure.c_str(), shown(k.predicted, k.unit).c_str(),
                      k.observedKnown ? shown(k.observed, k.unit).c_str() : "unknown", error.c_str());
        out += line;
    }
    return out + "Explained by: " + c.explanation + "\n";
}

} // namespace kp
