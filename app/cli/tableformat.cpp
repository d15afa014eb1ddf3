#include "cli/tableformat.h"

#include "models/overview.h"
#include "models/snapshotjson.h"
#include "models/units.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>

namespace kp::cli {

namespace {

std::string pad(const std::string &s, size_t width)
{
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

// A tiered topic's remote-only data: "~10.0 MiB", else its offsets, "?" when not known; "" for other topics.
std::string remoteOnly(const TopicInfo &t)
{
    if (!t.tiered())
        return "";
    if (const int64_t bytes = t.remoteBytesEstimate(); bytes > 0)
        return "~" + formatBytes(bytes);
    if (t.remoteOnlyOffsets() == 0)
        return "0 B"; // nothing below the first local offset: exact, not an estimate
    const int64_t offsets = t.remoteOnlyOffsets();
    return offsets >= 0 ? std::to_string(offsets) + " offsets" : "?";
}

std::string num(int64_t v)
{
    return v < 0 ? std::string("?") : std::to_string(v);
}

} // namespace

std::string planTable(const Plan &plan)
{
    std::ostringstream out;
    char buf[96];
    const Workload &w = plan.workload;
    std::snprintf(buf, sizeof buf, "%.2f MB/s (peak %.2f)", w.writeMBps, w.peakWriteMBps);
    out << "Workload (" << w.source << "): write " << buf << ", retention " << int(w.retentionHours) << " h, RF "
        << w.replicationFactor << ", " << w.partitions << " partitions, " << w.consumerGroups << " consumer group(s), "
        << w.azs << " AZs";
    if (w.storedGB >= 0) {
        std::snprintf(buf, sizeof buf, "%.1f", w.storedGB);
        out << ", " << buf << " GB on disk";
    }
    out << "\nPrices: " << plan.pricingName << " (" << plan.currency << " per month)\n\n";
    for (const auto &a : plan.architectures) {
        std::snprintf(buf, sizeof buf, "%.2f", a.total());
        out << a.name << ": " << buf << " " << plan.currency << "/month, " << a.brokers << " x " << a.instanceType;
        std::snprintf(buf, sizeof buf, "%.0f%%", a.headroom * 100);
        out << ", network headroom " << buf << "\n";
        for (const auto &l : a.lines) {
            std::snprintf(buf, sizeof buf, "%12.2f", l.monthly);
            out << "  " << pad(l.item, 20) << buf << "  = " << l.formula << "\n";
        }
        for (const auto &n : a.notes)
            out << "  note: " << n << "\n";
        out << "\n";
    }
    return out.str();
}

std::string scenariosTable(const std::vector<ScenarioResult> &scenarios)
{
    std::ostringstream out;
    char buf[64];
    for (const auto &s : scenarios) {
        out << s.title << "\n";
        for (const auto &m : s.metrics) {
            std::snprintf(buf, sizeof buf, "%14.2f", m.value);
            out << "  " << pad(m.name, 24) << buf << " " << pad(m.unit, 5) << " = " << m.formula << "\n";
        }
        for (const auto &n : s.notes)
            out << "  note: " << n << "\n";
        out << "\n";
    }
    return out.str();
}

std::string trafficTable(const Traffic &t, double pricePerGB, bool perGiB, const std::string &currency,
                         double hoursPerMonth)
{
    std::ostringstream out;
    char buf[64];
    auto rate = [&](double bytesPerSecond) {
        std::snprintf(buf, sizeof buf, "%.1f KB/s", bytesPerSecond / 1000.0);
        return std::string(buf);
    };
    auto money = [&](double bytesPerSecond) {
        std::snprintf(buf, sizeof buf, "%.2f %s/month", monthlyCost(bytesPerSecond, pricePerGB, perGiB, hoursPerMonth),
                      currency.c_str());
        return std::string(buf);
    };
    auto matrix = [&](const char *title, const FlowMatrix &m, const std::string &basis) {
        out << title << ": cross-AZ " << rate(m.crossAz()) << ", " << money(m.crossAz()) << "\n  (" << basis << ")\n"
            << pad("  from \\ to", 16);
        for (const auto &to : t.azs)
            out << pad(to, 16);
        out << "\n";
        for (const auto &from : t.azs) {
            out << pad("  " + from, 16);
            for (const auto &to : t.azs) {
                double v = 0;
                if (auto r = m.bytes.find(from); r != m.bytes.end())
                    if (auto c = r->second.find(to); c != r->second.end())
                        v = c->second;
                out << pad(rate(v), 16);
            }
            out << "\n";
        }
        out << "\n";
    };
    std::snprintf(buf, sizeof buf, "%.4f", pricePerGB);
    out << "Cross-AZ traffic over " << t.azs.size() << " AZs at " << buf << " " << currency << " per "
        << (perGiB ? "GiB" : "GB") << ": " << rate(t.crossAz()) << ", " << money(t.crossAz())
        << (t.racksKnown ? "" : " (some broker racks unknown: \"?\")") << "\n\n";
    matrix("Producers -> leaders", t.produce, t.produceAssumption);
    matrix("Leader -> follower replication", t.replication, t.replicationBasis);
    matrix("Consumers <- leaders or followers", t.consume, t.consumeAssumption);
    out << "Follower fetching: " << t.followerFetchingDetail << "; consumer cross-AZ with it "
        << rate(t.consumeCrossWithFollowerFetching) << ", saving "
        << money(t.consume.crossAz() - t.consumeCrossWithFollowerFetching) << "\n";
    if (t.partitionsWithoutRate)
        out << t.partitionsWithoutRate << " partition(s) without a measured rate (no history yet) count as 0\n";
    out << "\n"
        << pad("TOPIC", 32) << pad("PRODUCED", 14) << pad("PRODUCE-X", 14) << pad("REPLIC-X", 14)
        << pad("CONSUME-X", 14) << "COST\n";
    for (const auto &[name, tt] : t.topics)
        out << pad(name, 32) << pad(rate(tt.produced), 14) << pad(rate(tt.produceCross), 14)
            << pad(rate(tt.replicationCross), 14) << pad(rate(tt.consumeCross), 14) << money(tt.crossAz()) << "\n";
    return out.str();
}

std::string snapshotTable(const ClusterSnapshot &s)
{
    std::ostringstream out;
    out << "Cluster " << s.clusterId << " (" << s.bootstrap << ") at " << formatIsoTime(s.takenAtMs) << ", took "
        << s.durationMs << " ms" << (s.partial() ? ", PARTIAL" : "") << "\n\n";
    out << pad("BROKER", 8) << pad("RACK", 10) << pad("ADDRESS", 24) << pad("REPLICAS", 10) << "LEADERS\n";
    const LayoutTotals totals = layoutTotals(s);
    for (const auto &b : s.brokers)
        out << pad(std::to_string(b.id), 8) << pad(b.rackKnown ? (b.rack.empty() ? "-" : b.rack) : "?", 10)
            << pad(b.host + ":" + std::to_string(b.port), 24)
            << pad(std::to_string(totals.replicasByBroker.count(b.id) ? totals.replicasByBroker.at(b.id) : 0), 10)
            << (totals.leadersByBroker.count(b.id) ? totals.leadersByBroker.at(b.id) : 0) << "\n";
    if (!totals.bytesByRack.empty()) {
        out << "\nData on disk by rack" << (totals.bytesEstimated ? " (~ estimated)" : "") << ":";
        for (const auto &[rack, bytes] : totals.bytesByRack)
            out << " " << rack << " " << (totals.bytesEstimated ? "~" : "") << formatBytes(bytes) << ";";
        out << "\n";
    }
    out << "\n"
        << s.topics.size() << " topics, " << s.partitionCount() << " partitions, " << s.replicaCount() << " replicas, "
        << totals.underReplicated << " under-replicated, " << totals.offline << " offline, " << s.groups.size()
        << " consumer groups\n\n";
    out << pad("TOPIC", 32) << pad("PARTS", 7) << pad("RF", 4) << pad("MESSAGES", 12) << pad("SIZE", 12)
        << pad("REMOTE ONLY", 14) << pad("RETENTION.MS", 14) << "CLEANUP\n";
    bool tiered = false;
    for (const auto &t : s.topics) {
        const int64_t messages = t.messageCount();
        auto cfg = [&](const char *k) {
            auto it = t.configs.find(k);
            return t.configsKnown && it != t.configs.end() ? it->second : std::string("?");
        };
        out << pad(t.name, 32) << pad(std::to_string(t.partitions.size()), 7)
            << pad(std::to_string(t.replicationFactor()), 4) << pad(num(messages), 12)
            << pad((t.sizeEstimated() && t.sizeBytes() >= 0 ? "~" : "") + formatBytes(t.sizeBytes()), 12)
            << pad(remoteOnly(t), 14) << pad(cfg("retention.ms"), 14) << cfg("cleanup.policy") << "\n";
        tiered = tiered || t.tiered();
    }
    if (tiered)
        out << "REMOTE ONLY: a tiered topic's data below its first local offset, estimated (offsets x bytes per offset "
               "of "
               "record batches read from the remote tier)\n";
    if (const auto stalls = tieredUploadStalls(s); !stalls.empty()) {
        out << "\nTiered uploads that appear stalled (" << stalls.size() << "):\n";
        for (const auto &r : stalls)
            out << "  " << r.topic << "-" << r.partition << ": " << r.detail << "\n";
    }
    if (s.sizesEstimated())
        out << "~ estimated: offsets x bytes per offset of sampled record batches (DescribeLogDirs was not allowed)\n";
    if (!s.problems.empty()) {
        out << "\nNot read (" << s.problems.size() << "):\n";
        for (const auto &p : s.problems)
            out << "  " << p.step << (p.subject.empty() ? "" : " / " + p.subject) << ": " << p.message << "\n";
    }
    out << "\nTimings:";
    for (const auto &t : s.timings)
        out << " " << t.step << " " << t.millis << " ms" << (t.ok ? "" : " (incomplete)") << ";";
    out << "\n";
    return out.str();
}

std::string lagTable(const ClusterSnapshot &s, bool perPartition, const std::map<PartitionOffset, RecordTime> *times)
{
    auto seconds = [](const std::optional<double> &v) {
        if (!v)
            return std::string("?");
        std::ostringstream t;
        t << std::fixed << std::setprecision(1) << *v << " s";
        return t.str();
    };
    std::ostringstream out;
    out << pad("GROUP", 32) << pad("TYPE", 10) << pad("STATE", 22) << pad("MEMBERS", 9) << pad("PARTITIONS", 12)
        << (times ? pad("TIME LAG", 14) : std::string()) << "LAG\n";
    for (const auto &g : s.groups) {
        std::vector<RecordTimeLag> lags;
        std::optional<double> largest;
        if (times)
            for (const auto &o : g.offsets) {
                lags.push_back(timeLagFromRecord({o.topic, o.partition}, o.committed, o.lag, *times, s.takenAtMs));
                if (lags.back().seconds)
                    largest = std::max(largest.value_or(0.0), *lags.back().seconds);
            }
        out << pad(g.groupId, 32) << pad(g.type.empty() ? std::string("?") : g.type, 10) << pad(g.state, 22)
            << pad(std::to_string(g.members.size()), 9) << pad(std::to_string(g.offsets.size()), 12)
            << (times ? pad(seconds(largest), 14) : std::string())
            << (g.offsetsKnown ? std::to_string(g.totalLag()) : std::string("?"))
            << (g.unknownLagCount() > 0 ? " (+" + std::to_string(g.unknownLagCount()) + " unknown)" : "") << "\n";
        if (!perPartition)
            continue;
        for (const auto &m : g.members)
            out << "    member " << describeMember(m) << "\n";
        for (size_t i = 0; i < g.offsets.size(); ++i) {
            const auto &o = g.offsets[i];
            out << "    " << pad(o.topic.str() + "-" + std::to_string(o.partition), 40) << " committed "
                << pad(num(o.committed), 12) << " end " << pad(num(o.highWatermark), 12) << " lag " << num(o.lag);
            if (times)
                out << "  time lag " << seconds(lags[i].seconds)
                    << (lags[i].why.empty() ? "" : " (" + lags[i].why + ")");
            out << "\n";
        }
    }
    return out.str();
}

} // namespace kp::cli
