#include "models/planinputs.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace kp {

namespace {

// Upper bounds far above any real cluster, low enough that products in the cost model stay finite and counts fit an
// int: 10 TB/s, a century of retention, 10 million partitions.
constexpr double kCentury = 876000; // hours
const std::array kFields{
    NumberField{"writeMBps", "write-mbps", 0, 1e7, false, false},
    NumberField{"peakWriteMBps", "peak-mbps", 0, 1e7, false, false},
    NumberField{"retentionHours", "retention-hours", 0, kCentury, true, false},
    NumberField{"replicationFactor", "rf", 1, 100, false, true},
    NumberField{"partitions", "partitions", 0, 1e7, false, true},
    NumberField{"consumerGroups", "groups", 0, 1e6, false, true},
    NumberField{"azs", "azs", 1, 100, false, true},
    NumberField{"storedGB", "stored-gb", 0, 1e12, false, false},
    NumberField{"existingBrokers", "existing-brokers", 0, 1e5, false, true},
    NumberField{"dedicatedBrokers", "dedicated-brokers", 0, 1e5, false, true},
    NumberField{"tieredBrokers", "tiered-brokers", 0, 1e5, false, true},
    NumberField{"sharedStorageBrokers", "shared-brokers", 0, 1e5, false, true},
    NumberField{"networkHeadroom", "network-headroom", 0, 1, true, false},
    NumberField{"diskFill", "disk-fill", 0, 1, true, false},
    NumberField{"localRetentionHours", "local-retention-hours", 0, kCentury, true, false},
    NumberField{"segmentMB", "segment-mb", 0, 1e6, true, false},
    NumberField{"replayDays", "replay-days", 0, 36500, true, false},
    NumberField{"replayShare", "replay-share", 0, 1, true, false},
    NumberField{"targetMBps", "target-mbps", 0, 1e7, true, false},
    NumberField{"backfillsPerMonth", "backfills-per-month", 0, 1e5, true, false},
    NumberField{"addBrokers", "add-brokers", -1e5, 1e5, false, true},
    NumberField{"throttleMBps", "throttle-mbps", 0, 1e7, true, false},
};

std::string shown(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

} // namespace

const NumberField *numberField(std::string_view name)
{
    for (const auto &f : kFields)
        if (name == f.key || name == f.option)
            return &f;
    return nullptr;
}

std::string checkNumber(const NumberField &f, double v)
{
    const std::string range = f.minExcluded ? "more than " + shown(f.min) + " and at most " + shown(f.max)
                                            : "from " + shown(f.min) + " to " + shown(f.max);
    const std::string what = f.whole ? "a whole number " : "a number ";
    const bool inRange = std::isfinite(v) && (f.minExcluded ? v > f.min : v >= f.min) && v <= f.max;
    if (!inRange || (f.whole && v != std::floor(v)))
        return "must be " + what + range + ", not " + shown(v);
    return {};
}

std::string checkNumber(std::string_view name, double v)
{
    const NumberField *f = numberField(name);
    if (!f)
        throw std::logic_error("no checked number named " + std::string(name));
    return checkNumber(*f, v);
}

} // namespace kp
