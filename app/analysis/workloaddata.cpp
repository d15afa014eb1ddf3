#include "analysis/workloaddata.h"

#include "analysis/lagdata.h"
#include "models/rates.h"
#include "models/snapshotjson.h"

#include <cmath>
#include <set>

namespace kp {

double localRetentionHoursFrom(const ClusterSnapshot &now)
{
    double weighted = 0, weights = 0;
    for (const auto &t : now.topics) {
        if (t.internal || !t.tiered())
            continue;
        auto config = [&t](const char *key) {
            auto it = t.configs.find(key);
            return it == t.configs.end() ? -2.0 : std::atof(it->second.c_str());
        };
        double ms = config("local.retention.ms");
        if (ms == -2)
            ms = config("retention.ms");
        if (ms <= 0) // -1: kept forever, says nothing about a local window
            continue;
        const int64_t local = t.sizeBytes();
        const int64_t remote = t.remoteBytesEstimate();
        const double weight = std::max<double>(1, double(std::max<int64_t>(local, 0) + std::max<int64_t>(remote, 0)));
        weighted += ms / 3.6e6 * weight;
        weights += weight;
    }
    return weights > 0 ? weighted / weights : -1;
}

namespace {

// The busiest interval's write rate (bytes/s): every partition's bytes between two consecutive samples, added up per
// interval.
double peakWriteBytesPerSecond(const ClusterSnapshot &now, const SampleStore::History &history)
{
    std::map<int64_t, double> byInterval;
    for (const auto &[tp, points] : history.partitions) {
        const TopicInfo *t = now.topic(tp.topic);
        if (!t || t->internal)
            continue;
        const PartitionInfo *p = t->findPartition(tp.partition);
        const double perMessage = p ? p->localBytesPerOffset() : -1; // a tiered partition's local log alone
        if (perMessage <= 0)
            continue;
        for (size_t i = 1; i < points.size(); ++i) {
            const int64_t dt = points[i].timeMs - points[i - 1].timeMs;
            const int64_t dm = points[i].endOffset - points[i - 1].endOffset;
            if (dt > 0 && dm > 0)
                byInterval[points[i - 1].timeMs] += double(dm) * perMessage / (double(dt) / 1000.0);
        }
    }
    double peak = 0;
    for (const auto &[at, bytesPerSecond] : byInterval)
        peak = std::max(peak, bytesPerSecond);
    return peak;
}

// Write rate, partitions, bytes on disk, and the RF, retention and consumer groups of the user topics, each weighted
// (by bytes, or by write rate for the groups).
void addTopicFigures(Workload &w, const ClusterSnapshot &now, const TrafficInputs &rates)
{
    double write = 0, stored = 0, retentionWeighted = 0, retentionWeight = 0, rfWeighted = 0, rfWeight = 0;
    double groupsWeighted = 0, groupsWeight = 0;
    bool sizesKnown = false;
    int partitions = 0;
    std::map<std::string, std::set<std::string>> groupsOf; // topic -> groups with offsets on it
    for (const auto &g : now.groups)
        for (const auto &o : g.offsets)
            groupsOf[o.topic].insert(g.groupId);
    for (const auto &t : now.topics) {
        if (t.internal)
            continue;
        partitions += int(t.partitions.size());
        double topicWrite = 0;
        for (const auto &p : t.partitions)
            if (auto it = rates.produceBytesPerSecond.find({t.name, p.partition});
                it != rates.produceBytesPerSecond.end())
                topicWrite += it->second;
        write += topicWrite;
        const int64_t bytes = t.replicatedBytes();
        if (bytes >= 0) {
            stored += double(bytes);
            sizesKnown = true;
        }
        const double weight = bytes > 0 ? double(bytes) : 1.0;
        rfWeighted += t.replicationFactor() * weight;
        rfWeight += weight;
        if (auto it = t.configs.find("retention.ms"); t.configsKnown && it != t.configs.end()) {
            const double ms = std::atof(it->second.c_str());
            if (ms > 0) { // -1: kept forever, says nothing about a window
                retentionWeighted += ms / 3.6e6 * weight;
                retentionWeight += weight;
            }
        }
        const auto consumers = groupsOf.find(t.name);
        const double groups = consumers == groupsOf.end() ? 0 : double(consumers->second.size());
        const double groupWeight = topicWrite > 0 ? topicWrite : 0;
        groupsWeighted += groups * groupWeight;
        groupsWeight += groupWeight;
    }
    w.partitions = partitions;
    w.writeMBps = write / 1e6;
    w.replicationFactor = rfWeight > 0 ? int(std::lround(rfWeighted / rfWeight)) : 3;
    w.retentionHours = retentionWeight > 0 ? retentionWeighted / retentionWeight : 168;
    w.consumerGroups = groupsWeight > 0 ? int(std::lround(groupsWeighted / groupsWeight)) : 1;
    w.storedGB = sizesKnown ? stored / 1e9 : -1;
}

} // namespace

HistoryShape workloadHistoryShape()
{
    HistoryShape shape;
    shape.partitions = HistoryShape::Keep::All;
    shape.collapseRuns = true;
    shape.groups = HistoryShape::Keep::Endpoints;
    return shape;
}

Workload workloadFrom(const ClusterSnapshot &now, const SampleStore::History &history)
{
    Workload w;
    const TrafficInputs rates = trafficInputs(now, history);
    w.azs = std::max<int>(1, int(now.racks().size()));
    addTopicFigures(w, now, rates);
    w.peakWriteMBps = std::max(w.writeMBps, peakWriteBytesPerSecond(now, history) / 1e6);
    int64_t first = now.takenAtMs;
    for (const auto &[tp, points] : history.partitions)
        if (!points.empty())
            first = std::min(first, points.front().timeMs);
    w.source = "cluster " + now.clusterId + " at " + formatIsoTime(now.takenAtMs) + ", rates over " +
               std::to_string((now.takenAtMs - first) / 1000) + " s of recorded history";
    return w;
}

} // namespace kp
