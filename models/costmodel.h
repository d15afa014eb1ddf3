#pragma once

#include "models/pricing.h"

#include <string>
#include <vector>

// Monthly cost of one workload on four architectures, each result with its inputs and formula
// (docs/cost-model.md): the existing cluster, a dedicated shared-nothing Kafka cluster, Kafka with tiered storage,
// and a Kafka-compatible shared-storage platform with stateless brokers.
namespace kp {

struct Workload
{
    double writeMBps = 0;     // average produce rate, MB/s (10^6 bytes)
    double peakWriteMBps = 0; // peak produce rate, sizes the brokers
    double retentionHours = 168;
    int replicationFactor = 3;
    int partitions = 0;
    int consumerGroups = 1; // each reads everything (fan-out)
    int azs = 3;
    double storedGB = -1; // on disk now, all replicas (from a snapshot); -1: derive from rate x retention x RF
    std::string source;   // "snapshot <id> at <time> with <history>", or "entered by hand"
};

enum class Architecture { Existing, Dedicated, Tiered, SharedStorage };
const char *toString(Architecture a);

struct PlanSettings
{
    // The existing cluster as it runs now.
    int existingBrokers = 0;      // 0: unknown, sized like a dedicated cluster
    std::string existingInstance; // from the pricing catalogue; empty: sized
    bool existingFollowerFetching = false;
    // The other architectures as someone means to run them: 0 brokers = sized for the workload; follower fetching
    // (KIP-392: consumers read from a replica in their own AZ) for the two replicated ones. Shared storage has no
    // followers: zoneLocalRouting plays that part there.
    int dedicatedBrokers = 0;
    int tieredBrokers = 0;
    int sharedStorageBrokers = 0;
    bool dedicatedFollowerFetching = false;
    bool tieredFollowerFetching = false;
    // Sizing.
    double networkHeadroom = 0.8; // share of an instance's baseline network a broker may use
    double diskFill = 0.8;        // share of a disk filled at most
    std::string instanceType;     // force one for the new clusters; empty: the cheapest that fits
    // Tiered storage.
    double localRetentionHours = 24;
    double segmentMB = 1073.741824; // segment.bytes in MB (10^6 bytes): Kafka's default 1 GiB, 1,073,741,824 bytes
    // Shared storage.
    std::string wal = "ebs"; // ebs | s3
    bool zoneLocalRouting = true;
};

struct CostLine
{
    std::string item;    // "compute", "block storage", "object storage", "object requests", "cross-AZ transfer"
    double monthly = 0;  // in the profile's currency
    std::string formula; // with the numbers put in
};

struct ArchitectureCost
{
    Architecture architecture = Architecture::Existing;
    std::string name;
    int brokers = 0;
    std::string instanceType;
    double headroom = 0; // 1 - peak network use of the brokers' baseline
    std::vector<CostLine> lines;
    std::vector<std::string> notes;
    double total() const;
};

struct Plan
{
    Workload workload;
    PlanSettings settings;
    std::string pricingName;
    std::string currency;
    std::vector<ArchitectureCost> architectures; // in Architecture order
};

// Throws std::invalid_argument naming the input that is out of range (negative rate, RF < 1, no instance fits, ...).
// TotalsOnly leaves the formulas and notes empty: the same figures, for sweeps of thousands of plans.
enum class PlanDetail { WithFormulas, TotalsOnly };
Plan planCosts(const Workload &workload, const PlanSettings &settings, const PricingProfile &pricing,
               PlanDetail detail = PlanDetail::WithFormulas);

// Cross-AZ bytes per byte produced (docs/cost-model.md): (N-1)/N + (RF - ceil(RF/N)) + F(N-1)/N (RF - ceil(RF/N) is
// RF-1 while RF <= N: the follower copies outside the leader's AZ), the consumer term F*max(0,N-RF)/N with follower
// fetching.
double crossAzFactor(int azs, int replicationFactor, int consumerGroups, bool followerFetching);

} // namespace kp

namespace kp {

// A saved plan (`*.kpplan.json`): the workload, the settings and which pricing profile, so that it reopens as it was.
struct PlanFile
{
    static constexpr int kFormatVersion = 1;
    Workload workload;
    PlanSettings settings;
    std::string pricing = "aws-us-east-1"; // a bundled name or a file path
};
std::string planFileToJson(const PlanFile &plan);
PlanFile planFileFromJson(const std::string &text); // throws FormatError naming the field and the reason

// The whole result as JSON (workload, settings, each architecture with its lines and formulas, totals).
std::string planToJson(const Plan &plan);

} // namespace kp
