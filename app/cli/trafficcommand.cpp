// `kafka-planner traffic`: cross-AZ traffic from the replica placement and measured rates, in bytes and money.

#include "analysis/lagdata.h"
#include "analysis/pricingcatalog.h"
#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "cli/tableformat.h"
#include "models/formaterror.h"
#include "models/snapshotjson.h"
#include "store/database.h"
#include "store/profilestore.h"
#include "store/samplestore.h"

#include <QCommandLineParser>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace kp::cli {

namespace {

void addTrafficOptions(QCommandLineParser &p)
{
    addConnectionOptions(p);
    p.addOptions(
        {{QStringLiteral("history"), QStringLiteral("Rates over the recorded history of this long (default 15m)."),
          QStringLiteral("DURATION")},
         {QStringLiteral("client-az"), QStringLiteral("Clients in this address block are in AZ (repeatable)."),
          QStringLiteral("CIDR=AZ")},
         {QStringLiteral("pricing"),
          QStringLiteral("Pricing profile: a bundled name (default aws-us-east-1) or a JSON file."),
          QStringLiteral("NAME|FILE")},
         {QStringLiteral("price-per-gb"), QStringLiteral("Override the profile's cross-AZ price per GB crossing."),
          QStringLiteral("USD")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")}});
}

// The cross-AZ price: the pricing profile's, or --price-per-gb (per GB, then, whatever the profile's unit).
struct CrossAzPrice
{
    PricingProfile pricing;
    double price = 0;
    bool perGiB = false;
    bool overridden = false;

    double monthly(double bytesPerSecond) const
    {
        return monthlyCost(bytesPerSecond, price, perGiB, pricing.hoursPerMonth);
    }
    nlohmann::json toJson() const
    {
        const auto &p = pricing.price("crossAzPerGB");
        return {{"name", pricing.name},
                {"currency", pricing.currency},
                {"crossAzPrice", price},
                {"unit", perGiB ? "GiB" : "GB"},
                {"source", overridden ? std::string("--price-per-gb") : p.source},
                {"date", overridden ? std::string() : p.date}};
    }
};

CrossAzPrice crossAzPrice(const QCommandLineParser &p)
{
    CrossAzPrice c;
    c.pricing = loadPricing(p.isSet(QStringLiteral("pricing")) ? str(p.value(QStringLiteral("pricing")))
                                                               : std::string(kDefaultPricing));
    c.overridden = p.isSet(QStringLiteral("price-per-gb"));
    c.price = numberOption(p, "price-per-gb", c.pricing.price("crossAzPerGB").value, 0, 1000);
    c.perGiB = c.pricing.crossAzPerGiB && !c.overridden;
    return c;
}

// One flow's AZ-to-AZ matrix (rows from, columns to, in `azs` order) with its totals and money.
nlohmann::json flowJson(const FlowMatrix &m, const std::vector<std::string> &azs, const std::string &assumption,
                        const CrossAzPrice &price)
{
    nlohmann::json rows = nlohmann::json::array();
    for (const auto &from : azs) {
        nlohmann::json row = nlohmann::json::array();
        const auto r = m.bytes.find(from);
        for (const auto &to : azs) {
            double v = 0;
            if (r != m.bytes.end())
                if (auto c = r->second.find(to); c != r->second.end())
                    v = c->second;
            row.push_back(v);
        }
        rows.push_back(std::move(row));
    }
    return {{"bytesPerSecond", rows},
            {"crossAzBytesPerSecond", m.crossAz()},
            {"totalBytesPerSecond", m.total()},
            {"monthlyCost", price.monthly(m.crossAz())},
            {"assumption", assumption}};
}

nlohmann::json trafficJson(const Traffic &t, const ClusterSnapshot &now, int64_t span, const CrossAzPrice &price)
{
    nlohmann::json topics = nlohmann::json::array();
    for (const auto &[name, tt] : t.topics)
        topics.push_back({{"topic", name},
                          {"producedBytesPerSecond", tt.produced},
                          {"produceCrossAzBytesPerSecond", tt.produceCross},
                          {"replicationCrossAzBytesPerSecond", tt.replicationCross},
                          {"consumeCrossAzBytesPerSecond", tt.consumeCross},
                          {"monthlyCost", price.monthly(tt.crossAz())}});
    const double saving = t.consume.crossAz() - t.consumeCrossWithFollowerFetching;
    return {{"clusterId", now.clusterId},
            {"now", formatIsoTime(now.takenAtMs)},
            {"historyFrom", formatIsoTime(now.takenAtMs - span)},
            {"azs", t.azs},
            {"racksKnown", t.racksKnown},
            {"pricing", price.toJson()},
            {"flows",
             {{"produce", flowJson(t.produce, t.azs, t.produceAssumption, price)},
              {"replication", flowJson(t.replication, t.azs, t.replicationBasis, price)},
              {"consume", flowJson(t.consume, t.azs, t.consumeAssumption, price)}}},
            {"crossAzBytesPerSecond", t.crossAz()},
            {"monthlyCost", price.monthly(t.crossAz())},
            {"partitionsWithoutRate", t.partitionsWithoutRate},
            {"followerFetching",
             {{"configured", t.followerFetching},
              {"detail", t.followerFetchingDetail},
              {"consumeCrossAzBytesPerSecondWith", t.consumeCrossWithFollowerFetching},
              {"monthlySaving", price.monthly(saving)}}},
            {"topics", topics}};
}

} // namespace

int cmdTraffic(const QStringList &args)
{
    QCommandLineParser p;
    addTrafficOptions(p);
    parseOrThrow(p, args);
    const std::string fmt = format(p);
    const int64_t span = parseDuration(p.isSet(QStringLiteral("history")) ? str(p.value(QStringLiteral("history")))
                                                                          : std::string("15m"));
    const CrossAzPrice price = crossAzPrice(p);
    std::vector<ClientAzRule> clientAzs = clientAzOptions(p);
    const ClusterSnapshot now = obtainSnapshot(p, true, true); // configs: racks and replica.selector.class
    Database db(dbPath(p));
    // A saved profile's client AZ rules apply unless the command line gives its own.
    if (clientAzs.empty() && p.isSet(QStringLiteral("profile")))
        if (auto saved = ProfileStore(db).find(str(p.value(QStringLiteral("profile")))))
            clientAzs = saved->clientAzs;
    SampleStore::History history = SampleStore(db).history(now.clusterId, now.takenAtMs - span, now.takenAtMs);
    appendSnapshot(history, now);
    TrafficInputs measured = trafficInputs(now, history);
    measured.clientAzs = clientAzs;
    const Traffic t = computeTraffic(now, measured);
    if (fmt == "table")
        writeOutput(p, trafficTable(t, price.price, price.perGiB, price.pricing.currency, price.pricing.hoursPerMonth));
    else
        writeOutput(p, trafficJson(t, now, span, price).dump(1) + "\n");
    return 0;
}

} // namespace kp::cli
