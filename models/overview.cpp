#include "models/overview.h"

#include "models/units.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

namespace kp {

namespace {

std::string rackOf(const BrokerInfo *b)
{
    return b && b->rackKnown && !b->rack.empty() ? b->rack : std::string("?");
}

template <typename Item, typename Count, typename Name>
Skew skewOf(const std::vector<Item> &items, Count count, Name name)
{
    Skew s;
    if (items.size() < 2)
        return s;
    double total = 0, max = -1;
    for (const auto &i : items) {
        total += count(i);
        if (count(i) > max) {
            max = count(i);
            s.worst = name(i);
        }
    }
    const double mean = total / double(items.size());
    if (mean > 0)
        s.percent = (max - mean) / mean * 100.0;
    else
        s.worst.clear();
    return s;
}

// A size config as a number of bytes; nullopt when absent or not a number.
std::optional<int64_t> bytesConfig(const TopicInfo &t, const char *key)
{
    const auto it = t.configs.find(key);
    if (!t.configsKnown || it == t.configs.end())
        return std::nullopt;
    char *end = nullptr;
    errno = 0;
    const long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (errno != 0 || end == it->second.c_str() || *end != '\0')
        return std::nullopt;
    return int64_t(v);
}

} // namespace

std::string tieredUploadStall(const TopicInfo &t, const PartitionInfo &p)
{
    if (!t.tiered() || p.sizeEstimated || p.localLogStartOffset < 0)
        return {};
    std::optional<int64_t> local = bytesConfig(t, "local.retention.bytes");
    if (local && *local == -2) // the local log keeps what the topic keeps
        local = bytesConfig(t, "retention.bytes");
    const std::optional<int64_t> segment = bytesConfig(t, "segment.bytes");
    const int64_t size = p.sizeBytes();
    if (!local || *local < 0 || !segment || *segment <= 0 || size < 0 || size <= *local + 3 * *segment)
        return {};
    const int64_t remote = p.remoteOnlyOffsets();
    return formatBytes(size) + " on local disk against local.retention.bytes " + formatBytes(*local) +
           " and segments of " + formatBytes(*segment) + "; " +
           (remote == 0
                ? "nothing has reached the remote tier: uploads appear to fail"
                : std::to_string(remote) + " offsets in the remote tier: uploads appear stalled or far behind") +
           " (the brokers' RemoteLogManager log says why)";
}

std::vector<PartitionRef> tieredUploadStalls(const ClusterSnapshot &s)
{
    std::vector<PartitionRef> stalls;
    for (const auto &t : s.topics)
        if (t.tiered())
            for (const auto &p : t.partitions)
                if (std::string stall = tieredUploadStall(t, p); !stall.empty())
                    stalls.push_back({t.name, p.partition, std::move(stall)});
    return stalls;
}

int minInsyncReplicas(const ClusterSnapshot &snapshot, const TopicInfo &topic)
{
    if (topic.configsKnown) {
        if (auto it = topic.configs.find("min.insync.replicas"); it != topic.configs.end())
            return std::atoi(it->second.c_str());
    }
    for (const auto &b : snapshot.brokers)
        if (auto it = b.configs.find("min.insync.replicas"); it != b.configs.end())
            return std::atoi(it->second.c_str());
    const bool anyBrokerConfigs = std::any_of(snapshot.brokers.begin(), snapshot.brokers.end(),
                                              [](const BrokerInfo &b) { return !b.configs.empty(); });
    return topic.configsKnown || anyBrokerConfigs ? 1 : -1;
}

namespace {

// Each broker's and each rack's replicas, leaders and bytes, and the cluster's bytes.
void addLoads(Overview &o, const ClusterSnapshot &s, const LayoutTotals &totals)
{
    std::map<std::string, RackLoad> racks;
    for (const auto &b : s.brokers) {
        BrokerLoad l;
        l.id = b.id;
        l.rack = rackOf(&b);
        auto get = [&](const std::map<int32_t, int64_t> &m) {
            auto it = m.find(b.id);
            return it == m.end() ? int64_t(0) : it->second;
        };
        l.replicas = get(totals.replicasByBroker);
        l.leaders = get(totals.leadersByBroker);
        l.bytesKnown = totals.bytesByBroker.count(b.id) > 0 || b.logDirsKnown;
        l.bytes = get(totals.bytesByBroker);
        RackLoad &r = racks[l.rack];
        r.rack = l.rack;
        ++r.brokers;
        r.replicas += l.replicas;
        r.leaders += l.leaders;
        r.bytes += l.bytes;
        o.brokers.push_back(l);
    }
    std::sort(o.brokers.begin(), o.brokers.end(),
              [](const BrokerLoad &a, const BrokerLoad &b) { return std::tie(a.rack, a.id) < std::tie(b.rack, b.id); });
    for (auto &[name, r] : racks)
        o.racks.push_back(r);
    if (!totals.bytesByBroker.empty()) {
        o.bytes = 0;
        for (const auto &[id, b] : totals.bytesByBroker)
            o.bytes += b;
    }
}

// Replicas sharing a rack while the cluster has racks to spare: which and where; none when there are none.
std::optional<std::string> rackViolation(const ClusterSnapshot &s, const PartitionInfo &p, size_t rackCount)
{
    std::map<std::string, std::vector<int32_t>> byRack;
    for (int32_t r : p.replicas)
        byRack[rackOf(s.broker(r))].push_back(r);
    const size_t wanted = std::min(p.replicas.size(), rackCount);
    if (byRack.size() < wanted) {
        std::string detail;
        for (const auto &[rack, brokers] : byRack)
            if (brokers.size() > 1) {
                detail += detail.empty() ? "replicas " : "; replicas ";
                for (size_t i = 0; i < brokers.size(); ++i)
                    detail += (i ? ", " : "") + std::to_string(brokers[i]);
                detail += " all in " + rack;
            }
        return detail;
    }
    return std::nullopt;
}

// A user topic's RF below 3 or min.insync.replicas below 2: why, "" when neither.
std::string riskOf(const TopicInfo &t, int minIsr)
{
    const int rf = t.replicationFactor();
    std::string reason;
    if (rf < 3)
        reason = "replication factor " + std::to_string(rf) + " < 3";
    if (minIsr >= 0 && minIsr < 2)
        reason += (reason.empty() ? "" : "; ") + std::string("min.insync.replicas ") + std::to_string(minIsr) + " < 2";
    return reason;
}

void addSkews(Overview &o)
{
    auto brokerName = [](const BrokerLoad &b) { return "broker " + std::to_string(b.id); };
    o.leaderSkewBrokers = skewOf(
        o.brokers, [](const BrokerLoad &b) { return double(b.leaders); }, brokerName);
    o.replicaSkewBrokers = skewOf(
        o.brokers, [](const BrokerLoad &b) { return double(b.replicas); }, brokerName);
    if (o.racksKnown) {
        auto rackName = [](const RackLoad &r) { return "rack " + r.rack; };
        o.leaderSkewRacks = skewOf(
            o.racks, [](const RackLoad &r) { return double(r.leaders) / std::max(1, r.brokers); }, rackName);
        o.replicaSkewRacks = skewOf(
            o.racks, [](const RackLoad &r) { return double(r.replicas) / std::max(1, r.brokers); }, rackName);
    }
}

} // namespace

Overview computeOverview(const ClusterSnapshot &s)
{
    Overview o;
    const LayoutTotals totals = layoutTotals(s);
    o.bytesEstimated = totals.bytesEstimated;
    o.racksKnown = !s.brokers.empty() &&
                   std::all_of(s.brokers.begin(), s.brokers.end(), [](const BrokerInfo &b) { return b.rackKnown; });
    addLoads(o, s, totals);
    const size_t rackCount = o.racksKnown ? o.racks.size() : 0;
    for (const auto &t : s.topics) {
        ++o.topics;
        const int minIsr = minInsyncReplicas(s, t);
        for (const auto &p : t.partitions) {
            ++o.partitions;
            o.replicas += int64_t(p.replicas.size());
            const std::string name = t.name;
            if (p.offline()) {
                o.offline.push_back({name, p.partition, "no leader; replicas " + std::to_string(p.replicas.size())});
                continue;
            }
            const std::string isr = "ISR " + std::to_string(p.isr.size()) + " of " + std::to_string(p.replicas.size());
            if (p.underReplicated())
                o.underReplicated.push_back({name, p.partition, isr});
            if (minIsr > 0 && int(p.isr.size()) < minIsr)
                o.underMinIsr.push_back({name, p.partition, isr + ", min.insync.replicas " + std::to_string(minIsr)});
            if (rackCount >= 2)
                if (auto v = rackViolation(s, p, rackCount))
                    o.rackViolations.push_back({name, p.partition, *v});
        }
        if (!t.internal)
            if (std::string reason = riskOf(t, minIsr); !reason.empty())
                o.riskyTopics.push_back({t.name, t.replicationFactor(), minIsr, reason});
    }
    o.tieredUploadsStalled = tieredUploadStalls(s);
    addSkews(o);
    return o;
}

} // namespace kp
