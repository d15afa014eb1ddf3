// `kafka-planner reassign`: a reassignment plan from the live layout (or a snapshot file) for a goal, its cost, and
// what to run with Kafka's own tool. Read-only: the plan is printed, never executed.

#include "analysis/pricingcatalog.h"
#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "models/atomicfile.h"
#include "models/reassignment.h"
#include "models/units.h"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace kp::cli {

namespace {

constexpr double kDefaultThrottleMBps = 50;

void addReassignOptions(QCommandLineParser &p)
{
    addConnectionOptions(p);
    p.addOptions(
        {{QStringLiteral("add-broker"),
          QStringLiteral("A broker to add, with its rack (repeatable); one that joined already, empty, counts as new."),
          QStringLiteral("ID:RACK")},
         {QStringLiteral("remove-broker"), QStringLiteral("The broker to empty and remove."), QStringLiteral("ID")},
         {QStringLiteral("fix-racks"), QStringLiteral("Spread every partition's replicas over the racks.")},
         {QStringLiteral("balance"), QStringLiteral("Even out the replicas per broker.")},
         {QStringLiteral("topic"),
          QStringLiteral("Plan only the topics matching this regular expression (the others stay where they are)."),
          QStringLiteral("REGEX")},
         {QStringLiteral("throttle"),
          QStringLiteral("The replication throttle per broker, MB/s (default 50): the time to complete, and "
                         "kafka-reassign-partitions' --throttle."),
          QStringLiteral("MB/s")},
         {QStringLiteral("pricing"),
          QStringLiteral("Pricing profile for the cross-AZ money: a bundled name (default aws-us-east-1) or a file."),
          QStringLiteral("NAME|FILE")},
         {QStringLiteral("reassignment-file"),
          QStringLiteral("Also write the plan as kafka-reassign-partitions' JSON to FILE."), QStringLiteral("FILE")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")}});
}

int32_t brokerId(const QString &text, const std::string &option)
{
    bool ok = false;
    const int id = text.toInt(&ok);
    if (!ok || id < 0)
        throw CliError(option + " " + str(text) + ": a broker id is a whole number, 0 or more", 2);
    return id;
}

// Exactly one goal: --add-broker (repeatable), --remove-broker, --fix-racks or --balance.
ReassignGoal goalOf(const QCommandLineParser &p)
{
    const int goals = (p.isSet(QStringLiteral("add-broker")) ? 1 : 0) +
                      (p.isSet(QStringLiteral("remove-broker")) ? 1 : 0) +
                      (p.isSet(QStringLiteral("fix-racks")) ? 1 : 0) + (p.isSet(QStringLiteral("balance")) ? 1 : 0);
    if (goals != 1)
        throw CliError(
            "reassign: give one goal: --add-broker ID:RACK ..., --remove-broker ID, --fix-racks or --balance", 2);
    ReassignGoal goal;
    if (p.isSet(QStringLiteral("add-broker"))) {
        goal.kind = ReassignGoalKind::AddBrokers;
        for (const QString &v : p.values(QStringLiteral("add-broker"))) {
            const qsizetype colon = v.indexOf(QLatin1Char(':'));
            if (colon <= 0 || colon == v.size() - 1)
                throw CliError("--add-broker " + str(v) + ": write it ID:RACK (e.g. 4:us-east-1a)", 2);
            goal.add.push_back({brokerId(v.left(colon), "--add-broker"), str(v.mid(colon + 1))});
        }
    } else if (p.isSet(QStringLiteral("remove-broker"))) {
        goal.kind = ReassignGoalKind::RemoveBroker;
        goal.remove = brokerId(p.value(QStringLiteral("remove-broker")), "--remove-broker");
    } else {
        goal.kind = p.isSet(QStringLiteral("fix-racks")) ? ReassignGoalKind::FixRacks : ReassignGoalKind::Balance;
    }
    return goal;
}

// Replicas per broker: the most over the mean (1.0: even).
double skew(const ReassignmentPlan &plan, bool after)
{
    int64_t most = 0, total = 0, brokers = 0;
    for (const auto &[id, b] : plan.brokers) {
        const int64_t n = after ? b.replicasAfter : b.replicasBefore;
        if (!after && n == 0 && b.replicasAfter > 0)
            continue; // a broker the plan adds
        if (after && n == 0 && b.replicasBefore > 0)
            continue; // a broker the plan empties
        most = std::max(most, n);
        total += n;
        ++brokers;
    }
    return total > 0 ? double(most) * double(brokers) / double(total) : 1.0;
}

nlohmann::json bytesOrNull(int64_t bytes)
{
    return bytes >= 0 ? nlohmann::json(bytes) : nlohmann::json(nullptr);
}

struct Report
{
    const ClusterSnapshot &snapshot;
    const ReassignmentPlan &plan;
    double throttleBytesPerSecond;
    PricingProfile pricing;
    std::string file; // --reassignment-file; empty: not written

    std::string executeCommand(const char *action) const
    {
        return reassignmentCommand(snapshot.bootstrap, file.empty() ? "reassignment.json" : file,
                                   std::string(action) == "execute", throttleBytesPerSecond);
    }

    nlohmann::json toJson() const
    {
        nlohmann::json brokers = nlohmann::json::array();
        for (const auto &[id, b] : plan.brokers)
            brokers.push_back({{"broker", id},
                               {"rack", b.rack},
                               {"replicasBefore", b.replicasBefore},
                               {"replicasAfter", b.replicasAfter},
                               {"leadersBefore", b.leadersBefore},
                               {"leadersAfter", b.leadersAfter},
                               {"replicasIn", b.replicasIn},
                               {"replicasOut", b.replicasOut},
                               {"bytesIn", bytesOrNull(b.bytesIn)},
                               {"bytesOut", bytesOrNull(b.bytesOut)}});
        nlohmann::json moves = nlohmann::json::array();
        for (const auto &m : plan.moves)
            moves.push_back({{"topic", m.topic},
                             {"partition", m.partition},
                             {"before", m.before},
                             {"after", m.after},
                             {"added", m.added()},
                             {"removed", m.removed()},
                             {"source", m.source},
                             {"bytes", bytesOrNull(m.bytes)}});
        nlohmann::json racks = nlohmann::json::array();
        for (const auto &[pair, bytes] : plan.bytesByRacks)
            racks.push_back({{"from", pair.first}, {"to", pair.second}, {"bytes", bytes}});
        const double seconds = secondsAtThrottle(plan, throttleBytesPerSecond);
        return {{"clusterId", snapshot.clusterId},
                {"partitionsMoved", plan.moves.size()},
                {"replicasMoved", plan.replicasMoved},
                {"bytesMoved", plan.bytesKnown() ? nlohmann::json(plan.bytesMoved) : nlohmann::json(nullptr)},
                {"bytesOfKnownSizes", plan.bytesMoved},
                {"replicasOfUnknownSize", plan.replicasUnknownSize},
                {"crossAzBytes", plan.crossAzBytes()},
                {"crossAzCost", crossAzCost(pricing, double(plan.crossAzBytes()) / 1e9)},
                {"pricing", pricing.name},
                {"throttleBytesPerSecond", throttleBytesPerSecond},
                {"secondsAtThrottle", seconds >= 0 ? nlohmann::json(seconds) : nlohmann::json(nullptr)},
                {"skewBefore", skew(plan, false)},
                {"skewAfter", skew(plan, true)},
                {"brokers", std::move(brokers)},
                {"racks", std::move(racks)},
                {"moves", std::move(moves)},
                {"reassignment", nlohmann::json::parse(reassignmentJson(plan))},
                {"commands",
                 {{"execute", executeCommand("execute")},
                  {"verify", executeCommand("verify")},
                  {"note", (file.empty() ? "write the reassignment to reassignment.json first "
                                           "(--reassignment-file); "
                                         : "") +
                               std::string("--verify after it completes also removes the throttle")}}}};
    }

    std::string money() const
    {
        char text[64];
        std::snprintf(text, sizeof text, "%.2f", crossAzCost(pricing, double(plan.crossAzBytes()) / 1e9));
        return pricing.currency + " " + text + " (" + pricing.name + ")";
    }

    std::string toTable() const
    {
        const double seconds = secondsAtThrottle(plan, throttleBytesPerSecond);
        std::string out =
            "Cluster " + snapshot.clusterId + ": " + std::to_string(plan.moves.size()) + " partitions move, " +
            std::to_string(plan.replicasMoved) + " new replicas, " +
            (plan.bytesKnown()
                 ? formatBytes(plan.bytesMoved)
                 : "unknown bytes (" + std::to_string(plan.replicasUnknownSize) + " replicas of unknown size)") +
            "\nCross-AZ: " + formatBytes(plan.crossAzBytes()) + ", " + money() + "\nAt " +
            shownNumber(throttleBytesPerSecond / 1e6) +
            " MB/s per broker: " + (seconds >= 0 ? formatDuration(int64_t(seconds * 1000)) : "unknown") + "\n\n";
        char line[256];
        std::snprintf(line, sizeof line, "%-8s %-12s %9s %9s %8s %8s %12s %12s\n", "BROKER", "RACK", "REPLICAS",
                      "AFTER", "IN", "OUT", "BYTES IN", "BYTES OUT");
        out += line;
        for (const auto &[id, b] : plan.brokers) {
            std::snprintf(line, sizeof line, "%-8d %-12s %9lld %9lld %8lld %8lld %12s %12s\n", id, b.rack.c_str(),
                          (long long)b.replicasBefore, (long long)b.replicasAfter, (long long)b.replicasIn,
                          (long long)b.replicasOut, b.bytesIn >= 0 ? formatBytes(b.bytesIn).c_str() : "unknown",
                          b.bytesOut >= 0 ? formatBytes(b.bytesOut).c_str() : "unknown");
            out += line;
        }
        return out + "\n" + executeCommand("execute") + "\n" + executeCommand("verify") + "\n";
    }
};

// --topic REGEX: the snapshot with the matching topics only; refused when the pattern is not valid or matches none.
void keepTopics(const QCommandLineParser &p, ClusterSnapshot &s)
{
    if (!p.isSet(QStringLiteral("topic")))
        return;
    const QRegularExpression re(QRegularExpression::anchoredPattern(p.value(QStringLiteral("topic"))));
    if (!re.isValid())
        throw CliError("--topic: " + str(re.errorString()), 2);
    std::erase_if(s.topics, [&](const TopicInfo &t) { return !re.match(QString::fromStdString(t.name)).hasMatch(); });
    if (s.topics.empty())
        throw CliError("--topic " + str(p.value(QStringLiteral("topic"))) + ": no topic of the cluster matches", 2);
}

} // namespace

int cmdReassign(const QStringList &args)
{
    QCommandLineParser p;
    addReassignOptions(p);
    parseOrThrow(p, args);
    const ReassignGoal goal = goalOf(p);
    const double throttle = numberOption(p, "throttle", kDefaultThrottleMBps, 0.001, 1e6) * 1e6;
    const PricingProfile pricing = loadPricing(
        p.isSet(QStringLiteral("pricing")) ? str(p.value(QStringLiteral("pricing"))) : std::string(kDefaultPricing));
    ClusterSnapshot s = obtainSnapshot(p, false, true, true); // replica sizes and racks; no groups
    keepTopics(p, s);
    ReassignmentPlan plan;
    try {
        plan = planReassignment(s, goal);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("reassign: ") + e.what(), 2);
    }
    if (p.isSet(QStringLiteral("reassignment-file")))
        writeFileAtomically(str(p.value(QStringLiteral("reassignment-file"))), reassignmentJson(plan));
    const Report report{s, plan, throttle, pricing, str(p.value(QStringLiteral("reassignment-file")))};
    writeOutput(p, format(p) == "table" ? report.toTable() : report.toJson().dump(1) + "\n");
    return 0;
}

} // namespace kp::cli
