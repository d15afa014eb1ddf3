#include "models/planoptionfile.h"

#include "models/jsonreader.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace kp {

const std::vector<FileKey> &planOptionFileKeys(PlanOptionFile kind)
{
    static const std::vector<FileKey> workload{
        {"writeMBps", "write-mbps", 'n'},
        {"peakWriteMBps", "peak-mbps", 'n'},
        {"retentionHours", "retention-hours", 'n'},
        {"replicationFactor", "rf", 'n'},
        {"consumerGroups", "groups", 'n'},
        {"azs", "azs", 'n'},
        {"partitions", "partitions", 'n'},
        {"followerFetching", "existing-follower-fetching", 'b'},
        {"existingBrokers", "existing-brokers", 'n'},
        {"dedicatedBrokers", "dedicated-brokers", 'n'},
        {"tieredBrokers", "tiered-brokers", 'n'},
        {"sharedStorageBrokers", "shared-brokers", 'n'},
        {"dedicatedFollowerFetching", "dedicated-follower-fetching", 'b'},
        {"tieredFollowerFetching", "tiered-follower-fetching", 'b'},
        {"existingInstance", "existing-instance", 's'},
        {"instanceType", "instance", 's'},
        {"localRetentionHours", "local-retention-hours", 'n'},
        {"wal", "wal", 's'},
        {"zoneLocalRouting", "no-zone-routing", 'f'},
        {"pricing", "pricing", 's'},
    };
    static const std::vector<FileKey> scenario{
        {"replayDays", "replay-days", 'n'},
        {"replayFrom", "replay-from", 's'},
        {"replayTo", "replay-to", 's'},
        {"replayTopics", "replay-topics", 's'},
        {"replayShare", "replay-share", 'n'},
        {"targetMBps", "target-mbps", 'n'},
        {"followerFetching", "follower-fetching", 'b'},
        {"backfillsPerMonth", "backfills-per-month", 'n'},
        {"addBrokers", "add-brokers", 'n'},
        {"throttleMBps", "throttle-mbps", 'n'},
    };
    return kind == PlanOptionFile::Workload ? workload : scenario;
}

const std::vector<std::string> &scenarioKinds()
{
    static const std::vector<std::string> kinds{"replay", "cadence", "scale", "failure"};
    return kinds;
}

void readPlanOptionFile(const nlohmann::json &doc, PlanOptionFile kind, const std::string &path, PlanOptionValues &into)
{
    const auto &keys = planOptionFileKeys(kind);
    const bool scenario = kind == PlanOptionFile::Scenario;
    JsonReader root(doc, "");
    root.requireObject();
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const JsonReader field = root.field(it.key().c_str());
        if (scenario && it.key() == "scenarios") {
            const size_t n = field.arraySize();
            if (n == 0)
                field.fail("must name at least one of replay, cadence, scale, failure");
            for (size_t i = 0; i < n; ++i) {
                const std::string name = field.at(i).string();
                const auto &known = scenarioKinds();
                if (std::find(known.begin(), known.end(), name) == known.end())
                    field.at(i).fail("must be replay, cadence, scale or failure");
                into.scenarios.push_back(name);
            }
            continue;
        }
        const auto key = std::find_if(keys.begin(), keys.end(), [&](const FileKey &k) { return it.key() == k.key; });
        if (key == keys.end()) {
            std::string known = scenario ? "scenarios" : "";
            for (const auto &k : keys)
                known += (known.empty() ? "" : ", ") + std::string(k.key);
            field.fail("is not a field of this file (known: " + known + ")");
        }
        std::string v;
        switch (key->kind) {
        case 'n': {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.17g", field.number());
            v = buf;
            break;
        }
        case 's':
            v = field.string();
            break;
        default:
            if (field.boolean() != (key->kind == 'b'))
                continue; // the default: nothing to set
            v = "1";
        }
        into.values[key->option] = v;
        into.origin[key->option] = path + ": " + key->key;
    }
}

} // namespace kp
