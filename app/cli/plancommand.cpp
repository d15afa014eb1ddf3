// `kafka-planner plan`: the cost model over four architectures, scenarios and sweeps, from a cluster, a snapshot, a
// workload or plan file, or numbers.

#include "analysis/lagdata.h"
#include "analysis/pricingcatalog.h"
#include "analysis/workloaddata.h"
#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "cli/tableformat.h"
#include "models/atomicfile.h"
#include "models/formaterror.h"
#include "models/jsonreader.h"
#include "models/laghistoryjson.h"
#include "models/planinputs.h"
#include "models/planoptionfile.h"
#include "models/probecheck.h"
#include "models/scenarios.h"
#include "models/snapshotjson.h"
#include "services/runservice.h"
#include "store/database.h"
#include "store/samplestore.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kp::cli {

namespace {

// A pricing profile named in a workload or plan file: a bundled name as it is, a relative path from the file's folder
// (not from wherever the command runs).
std::string pricingBesideFile(const std::string &pricing, const std::string &filePath)
{
    const auto bundled = bundledPricingNames();
    const QString value = QString::fromStdString(pricing);
    if (std::find(bundled.begin(), bundled.end(), pricing) != bundled.end() || QDir::isAbsolutePath(value))
        return pricing;
    return str(QDir::cleanPath(QFileInfo(QString::fromStdString(filePath)).absoluteDir().filePath(value)));
}

// Workload and scenario files (planoptionfile.h), read as the command line's options; a workload file's pricing path is
// taken from the file's folder.
struct PlanOptionFiles
{
    PlanOptionValues options;

    void load(const std::string &path, PlanOptionFile kind)
    {
        try {
            decodeJsonFile(path, [&](const nlohmann::json &doc) {
                readPlanOptionFile(doc, kind, path, options);
                return 0;
            });
        } catch (const FormatError &e) {
            throw CliError(e.what(), 2);
        }
        if (auto it = options.values.find("pricing"); it != options.values.end() && kind == PlanOptionFile::Workload)
            it->second = pricingBesideFile(it->second, path);
    }
};

void addPlanOptions(QCommandLineParser &p)
{
    addConnectionOptions(p);
    p.addOptions(
        {{QStringLiteral("plan"), QStringLiteral("Reopen a saved plan (*.kpplan.json)."), QStringLiteral("FILE")},
         {QStringLiteral("history"), QStringLiteral("Rates over the recorded history of this long (default 1h)."),
          QStringLiteral("DURATION")},
         {QStringLiteral("pricing"), QStringLiteral("Pricing profile: a bundled name or a JSON file."),
          QStringLiteral("NAME|FILE")},
         {QStringLiteral("write-mbps"), QStringLiteral("Average produce rate, MB/s."), QStringLiteral("X")},
         {QStringLiteral("peak-mbps"), QStringLiteral("Peak produce rate, MB/s."), QStringLiteral("X")},
         {QStringLiteral("retention-hours"), QStringLiteral("Retention."), QStringLiteral("H")},
         {QStringLiteral("rf"), QStringLiteral("Replication factor."), QStringLiteral("N")},
         {QStringLiteral("groups"), QStringLiteral("Consumer groups reading everything."), QStringLiteral("N")},
         {QStringLiteral("azs"), QStringLiteral("Availability zones."), QStringLiteral("N")},
         {QStringLiteral("partitions"), QStringLiteral("Partitions."), QStringLiteral("N")},
         {QStringLiteral("existing-brokers"), QStringLiteral("Brokers the cluster runs now."), QStringLiteral("N")},
         {QStringLiteral("existing-instance"), QStringLiteral("Their instance type."), QStringLiteral("TYPE")},
         {QStringLiteral("dedicated-brokers"), QStringLiteral("Brokers of the dedicated cluster (default: sized)."),
          QStringLiteral("N")},
         {QStringLiteral("tiered-brokers"), QStringLiteral("Brokers of the tiered cluster (default: sized)."),
          QStringLiteral("N")},
         {QStringLiteral("shared-brokers"), QStringLiteral("Brokers of the shared-storage platform (default: sized)."),
          QStringLiteral("N")},
         {QStringLiteral("dedicated-follower-fetching"), QStringLiteral("The dedicated cluster's consumers fetch "
                                                                        "from same-AZ followers.")},
         {QStringLiteral("tiered-follower-fetching"), QStringLiteral("The tiered cluster's consumers fetch from "
                                                                     "same-AZ followers.")},
         {QStringLiteral("instance"), QStringLiteral("Instance type for new clusters."), QStringLiteral("TYPE")},
         {QStringLiteral("local-retention-hours"), QStringLiteral("Tiered storage: local retention."),
          QStringLiteral("H")},
         {QStringLiteral("wal"), QStringLiteral("Shared storage WAL: ebs or s3."), QStringLiteral("KIND")},
         {QStringLiteral("no-zone-routing"), QStringLiteral("Shared storage without zone-local client routing.")},
         {QStringLiteral("save"), QStringLiteral("Save the plan's inputs to FILE."), QStringLiteral("FILE")},
         {QStringLiteral("scenario"),
          QStringLiteral("replay, cadence, scale or failure (repeatable), on every architecture."),
          QStringLiteral("KIND")},
         {QStringLiteral("replay-days"), QStringLiteral("Replay window (default 7)."), QStringLiteral("D")},
         {QStringLiteral("replay-share"), QStringLiteral("Share of the bytes replayed (default 1)."),
          QStringLiteral("S")},
         {QStringLiteral("target-mbps"), QStringLiteral("Replay target throughput (default 500)."),
          QStringLiteral("R")},
         {QStringLiteral("backfills-per-month"), QStringLiteral("Cadence (default 30: daily)."), QStringLiteral("N")},
         {QStringLiteral("add-brokers"), QStringLiteral("Scale: brokers to add, negative to remove (default 3)."),
          QStringLiteral("K")},
         {QStringLiteral("throttle-mbps"), QStringLiteral("Reassignment throttle per broker (default 100)."),
          QStringLiteral("T")},
         {QStringLiteral("follower-fetching"), QStringLiteral("Replays read from same-AZ followers.")},
         {QStringLiteral("replay-topics"), QStringLiteral("Replay only topics matching REGEX (their share of bytes)."),
          QStringLiteral("REGEX")},
         {QStringLiteral("replay-from"), QStringLiteral("Replay from this time (ISO 8601) instead of --replay-days."),
          QStringLiteral("TIME")},
         {QStringLiteral("replay-to"), QStringLiteral("... to this time (default now)."), QStringLiteral("TIME")},
         {QStringLiteral("replay-run"),
          QStringLiteral("Replay what training run ID read, from where it is now (needs its cluster; --db)."),
          QStringLiteral("ID")},
         {QStringLiteral("replay-probe"),
          QStringLiteral("Replay the window a replay probe read (its result FILE) and compare with what it measured."),
          QStringLiteral("FILE")},
         {QStringLiteral("workload"), QStringLiteral("The workload as JSON written by hand (see the README)."),
          QStringLiteral("FILE")},
         {QStringLiteral("existing-follower-fetching"), QStringLiteral("The cluster has follower fetching on.")},
         {QStringLiteral("sweep"),
          QStringLiteral("Sensitivity: PARAM=FROM:TO:STEPS, twice (write, retention, groups, rf, local-retention)."),
          QStringLiteral("AXIS")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")}});
}

// The options of `plan`, from the command line and from workload and scenario files (the same options written as
// JSON; the command line wins over them), and the scenario kinds asked for.
struct PlanCommand
{
    const QCommandLineParser &p;
    std::string fmt;
    PlanOptionFiles files;
    QStringList kinds;

    bool isSet(const char *name) const
    {
        return p.isSet(QString::fromLatin1(name)) || files.options.values.count(name) > 0;
    }
    QString value(const char *name) const
    {
        return p.isSet(QString::fromLatin1(name)) ? p.value(QString::fromLatin1(name))
                                                  : QString::fromStdString(files.options.values.at(name));
    }
    // Where a value came from, for messages: "--rf" or "workload.json: replicationFactor".
    std::string where(const char *name) const
    {
        return p.isSet(QString::fromLatin1(name)) ? std::string("--") + name : files.options.origin.at(name);
    }
    // A number option, checked against its range (planinputs.h) where it enters, naming the option or the file and
    // key it came from; `target` keeps its value when the option is not given.
    template <typename T> void number(const char *name, T &target) const
    {
        if (!isSet(name))
            return;
        const NumberField *field = numberField(name);
        bool ok = false;
        const double v = value(name).trimmed().toDouble(&ok);
        const std::string problem = !ok ? "must be a number, not \"" + str(value(name)) + "\"" : checkNumber(*field, v);
        if (!problem.empty())
            throw CliError(where(name) + " " + problem, 2);
        target = static_cast<T>(v);
    }
};

PlanCommand planCommand(const QCommandLineParser &p)
{
    PlanCommand c{p, format(p), {}, {}};
    if (p.isSet(QStringLiteral("workload")))
        c.files.load(str(p.value(QStringLiteral("workload"))), PlanOptionFile::Workload);
    for (const QString &kind : p.values(QStringLiteral("scenario"))) {
        const auto &known = scenarioKinds();
        if (std::find(known.begin(), known.end(), str(kind)) != known.end()) {
            c.kinds << kind;
            continue;
        }
        c.files.options.scenarios.clear();
        c.files.load(str(kind), PlanOptionFile::Scenario);
        for (const auto &k : c.files.options.scenarios)
            c.kinds << QString::fromStdString(k);
    }
    return c;
}

// What the plan starts from: a saved plan, a cluster (its workload from the snapshot and the recorded history), or
// the workload by hand.
struct PlanBase
{
    PlanFile plan;
    std::optional<ClusterSnapshot> clusterNow; // when the workload comes from a cluster
    std::map<std::string, double> topicRates;  // bytes/s per topic, when the workload comes from a cluster
    int64_t nowMs = 0;
};

void planFromCluster(const QCommandLineParser &p, PlanBase &base)
{
    const int64_t span =
        parseDuration(p.isSet(QStringLiteral("history")) ? str(p.value(QStringLiteral("history"))) : std::string("1h"));
    const ClusterSnapshot &now = base.clusterNow.emplace(obtainSnapshot(p, true, true));
    SampleStore::History history;
    if (!p.isSet(QStringLiteral("input")))
        history = SampleStore::read(dbPath(p), now.clusterId, now.takenAtMs, span, workloadHistoryShape());
    appendSnapshot(history, now);
    base.plan.workload = workloadFrom(now, history);
    base.nowMs = now.takenAtMs;
    for (const auto &[tp, rate] : produceBytesPerSecond(now, history))
        base.topicRates[tp.topic] += rate;
    base.plan.settings.existingBrokers = int(now.brokers.size());
    base.plan.settings.existingFollowerFetching = followerFetchingConfigured(now);
    if (const double local = localRetentionHoursFrom(now); local > 0)
        base.plan.settings.localRetentionHours = std::min(local, base.plan.workload.retentionHours);
}

PlanBase planBase(const PlanCommand &c)
{
    const QCommandLineParser &p = c.p;
    PlanBase base;
    base.nowMs = QDateTime::currentMSecsSinceEpoch();
    if (p.isSet(QStringLiteral("plan"))) {
        const std::string planPath = str(p.value(QStringLiteral("plan")));
        base.plan = decodeJsonFile(planPath, [](const nlohmann::json &doc) { return planFileFromJson(doc.dump()); });
        base.plan.pricing = pricingBesideFile(base.plan.pricing, planPath);
    } else if (p.isSet(QStringLiteral("bootstrap")) || p.isSet(QStringLiteral("profile")) ||
               p.isSet(QStringLiteral("input"))) {
        planFromCluster(p, base);
    } else if (!c.isSet("write-mbps")) {
        throw CliError("plan: give a cluster (CONNECTION or --snapshot FILE), a saved --plan FILE, a --workload FILE, "
                       "or the workload by hand (--write-mbps and friends)",
                       2);
    } else {
        base.plan.workload.source = p.isSet(QStringLiteral("workload"))
                                        ? "workload file " + str(p.value(QStringLiteral("workload")))
                                        : std::string("entered by hand");
    }
    return base;
}

// Options given on the command line (or in files) win over what was derived or saved.
void applyPlanOptions(const PlanCommand &c, PlanFile &plan)
{
    c.number("write-mbps", plan.workload.writeMBps);
    if (c.isSet("write-mbps") && !c.isSet("peak-mbps"))
        plan.workload.peakWriteMBps = std::max(plan.workload.peakWriteMBps, plan.workload.writeMBps);
    c.number("peak-mbps", plan.workload.peakWriteMBps);
    c.number("retention-hours", plan.workload.retentionHours);
    c.number("rf", plan.workload.replicationFactor);
    c.number("groups", plan.workload.consumerGroups);
    c.number("azs", plan.workload.azs);
    c.number("partitions", plan.workload.partitions);
    c.number("existing-brokers", plan.settings.existingBrokers);
    c.number("dedicated-brokers", plan.settings.dedicatedBrokers);
    c.number("tiered-brokers", plan.settings.tieredBrokers);
    c.number("shared-brokers", plan.settings.sharedStorageBrokers);
    c.number("local-retention-hours", plan.settings.localRetentionHours);
    if (c.isSet("existing-instance"))
        plan.settings.existingInstance = str(c.value("existing-instance"));
    if (c.isSet("instance"))
        plan.settings.instanceType = str(c.value("instance"));
    if (c.isSet("wal"))
        plan.settings.wal = str(c.value("wal"));
    if (c.isSet("no-zone-routing"))
        plan.settings.zoneLocalRouting = false;
    if (c.isSet("existing-follower-fetching"))
        plan.settings.existingFollowerFetching = true;
    if (c.isSet("dedicated-follower-fetching"))
        plan.settings.dedicatedFollowerFetching = true;
    if (c.isSet("tiered-follower-fetching"))
        plan.settings.tieredFollowerFetching = true;
    if (c.isSet("pricing"))
        plan.pricing = str(c.value("pricing"));
}

// --replay-topics: the chosen topics' share of the bytes produced.
double replayTopicsShare(const PlanCommand &c, const std::map<std::string, double> &topicRates)
{
    const QRegularExpression re(c.value("replay-topics"));
    if (!re.isValid())
        throw CliError(c.where("replay-topics") + ": not a valid regular expression: " + str(re.errorString()), 2);
    if (topicRates.empty())
        throw CliError("--replay-topics needs the workload from a cluster with a recorded history", 2);
    double chosen = 0, all = 0;
    for (const auto &[topic, rate] : topicRates) {
        all += rate;
        if (re.match(QString::fromStdString(topic)).hasMatch())
            chosen += rate;
    }
    if (chosen <= 0)
        throw CliError("--replay-topics: no topic matching it has produced anything in the history", 2);
    return chosen / all;
}

// --replay-from [--replay-to]: the replay's days, a range that must still be within the retention.
double replayRangeDays(const PlanCommand &c, int64_t nowMs, double retentionHours)
{
    int64_t from = 0, to = nowMs;
    try {
        from = parseTimeMs(str(c.value("replay-from")));
        if (c.isSet("replay-to"))
            to = parseTimeMs(str(c.value("replay-to")));
    } catch (const FormatError &e) {
        throw CliError(std::string("--replay-from/--replay-to: ") + e.what(), 2);
    }
    if (to <= from)
        throw CliError("--replay-to must be after --replay-from", 2);
    if (from < nowMs - int64_t(retentionHours * 3600 * 1000))
        throw CliError("--replay-from " + formatIsoTime(from) + " is before the retention (" +
                           std::to_string(int(retentionHours)) + " h): that data is gone",
                       2);
    return double(to - from) / 86400000.0;
}

// --replay-run ID: a training run's replay, its bytes still retained and, on the existing cluster, where they are now.
ReplaySettings replayOfRunOption(const PlanCommand &c, const PlanBase &base, const ReplaySettings &settings)
{
    bool ok = false;
    const int64_t id = c.value("replay-run").toLongLong(&ok);
    if (!ok || id <= 0)
        throw CliError(c.where("replay-run") + " must be a run's number (kafka-planner run list)", 2);
    if (!base.clusterNow)
        throw CliError("--replay-run needs the cluster the run read from (CONNECTION or --snapshot FILE)", 2);
    const RunService runs(dbPath(c.p));
    const auto run = runs.find(id);
    if (!run)
        throw CliError("--replay-run: no training run " + std::to_string(id) + " in " +
                           str(Database::displayName(runs.dbPath())),
                       2);
    if (run->clusterId != base.clusterNow->clusterId)
        throw CliError("--replay-run: run " + std::to_string(id) + " read cluster " + run->clusterId + ", not " +
                           base.clusterNow->clusterId,
                       2);
    try {
        return replayOfRun(*run, replaySource(*run, checkRun(*run, *base.clusterNow)), settings);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("--replay-run: ") + e.what(), 2);
    }
}

// --replay-probe FILE: a probe's result (kafka-planner probe replay --output FILE), of the cluster planned for.
std::optional<ProbeResult> probeOption(const PlanCommand &c, const PlanBase &base)
{
    if (!c.isSet("replay-probe"))
        return std::nullopt;
    const std::string path = str(c.value("replay-probe"));
    ProbeResult probe;
    try {
        probe = decodeJsonFile(path, probeResultFromJson);
    } catch (const FormatError &e) {
        throw CliError(std::string("--replay-probe ") + e.what(), 2); // the message starts with the path
    }
    if (base.clusterNow && probe.clusterId != base.clusterNow->clusterId)
        throw CliError(
            "--replay-probe: the probe read cluster " + probe.clusterId + ", not " + base.clusterNow->clusterId, 2);
    return probe;
}

ReplaySettings replaySettingsOf(const PlanCommand &c, const PlanBase &base, const ProbeResult *probe)
{
    ReplaySettings settings;
    c.number("replay-days", settings.days);
    c.number("replay-share", settings.share);
    c.number("target-mbps", settings.targetMBps);
    settings.followerFetching = c.isSet("follower-fetching");
    if (c.isSet("replay-topics"))
        settings.share = replayTopicsShare(c, base.topicRates);
    if (c.isSet("replay-from"))
        settings.days = replayRangeDays(c, base.nowMs, base.plan.workload.retentionHours);
    if (c.isSet("replay-run"))
        settings = replayOfRunOption(c, base, settings);
    try {
        if (probe)
            settings = replayOfProbe(*probe, settings);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("--replay-probe: ") + e.what(), 2);
    }
    return settings;
}

// Each scenario asked for, on every architecture.
// `layout`: the live cluster the workload came from, whose scale and failure scenarios also get the bytes its layout
// would move.
std::vector<ScenarioResult> scenariosOf(const PlanCommand &c, const Plan &result, const ReplaySettings &replaySettings,
                                        const PricingProfile &pricing, const ClusterSnapshot *layout)
{
    double perMonth = 30, throttle = 100, add = 3;
    c.number("backfills-per-month", perMonth);
    c.number("throttle-mbps", throttle);
    c.number("add-brokers", add);
    if (add == 0)
        throw CliError(c.where("add-brokers") + " must not be 0 (a positive number adds brokers, a negative removes)",
                       2);
    std::vector<ScenarioResult> scenarios;
    try {
        for (const QString &kind : c.kinds)
            for (const auto &a : result.architectures) {
                if (kind == QStringLiteral("replay"))
                    scenarios.push_back(replay(result, a.architecture, replaySettings, pricing));
                else if (kind == QStringLiteral("cadence"))
                    scenarios.push_back(refreshCadence(result, a.architecture, replaySettings, perMonth, pricing));
                else if (kind == QStringLiteral("scale")) {
                    scenarios.push_back(scaleBrokers(result, a.architecture, int(add), throttle));
                    if (layout && a.architecture == Architecture::Existing)
                        addLayoutFigures(scenarios.back(), *layout, int(add), throttle);
                } else if (kind == QStringLiteral("failure")) {
                    scenarios.push_back(
                        loseBrokerDuringReplay(result, a.architecture, replaySettings, throttle, pricing));
                    if (layout && a.architecture == Architecture::Existing)
                        addLossFigures(scenarios.back(), *layout, throttle);
                } else
                    throw CliError("--scenario " + str(kind) + ": say replay, cadence, scale or failure", 2);
            }
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("scenario: ") + e.what(), 2);
    }
    return scenarios;
}

// --sweep X --sweep Y: the sensitivity grid, as JSON.
std::optional<nlohmann::json> sweepOf(const PlanCommand &c, const PlanFile &plan, const PricingProfile &pricing)
{
    if (!c.p.isSet(QStringLiteral("sweep")))
        return std::nullopt;
    const QStringList axes = c.p.values(QStringLiteral("sweep"));
    if (axes.size() != 2)
        throw CliError("--sweep: give two axes, for example --sweep write=10:1000:100 --sweep retention=1:30:30", 2);
    if (c.fmt == "table")
        throw CliError("--sweep prints JSON (its points are many): leave out --format table", 2);
    try {
        const SweepAxis x = parseSweepAxis(str(axes[0])), y = parseSweepAxis(str(axes[1]));
        return nlohmann::json::parse(sweepToJson(x, y, sensitivitySweep(plan, pricing, x, y), pricing.currency));
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("--sweep ") + e.what(), 2);
    }
}

} // namespace

int cmdPlan(const QStringList &args)
{
    QCommandLineParser p;
    addPlanOptions(p);
    parseOrThrow(p, args);
    const PlanCommand c = planCommand(p);
    PlanBase base = planBase(c);
    applyPlanOptions(c, base.plan);
    const PricingProfile pricing = loadPricing(base.plan.pricing);
    Plan result;
    try {
        result = planCosts(base.plan.workload, base.plan.settings, pricing);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("plan: ") + e.what(), 2);
    }
    if (p.isSet(QStringLiteral("save")))
        writeFileAtomically(str(p.value(QStringLiteral("save"))), planFileToJson(base.plan));
    const std::optional<ProbeResult> probe = probeOption(c, base);
    const ReplaySettings replaySettings = replaySettingsOf(c, base, probe ? &*probe : nullptr);
    const std::vector<ScenarioResult> scenarios =
        scenariosOf(c, result, replaySettings, pricing, base.clusterNow ? &*base.clusterNow : nullptr);
    std::optional<nlohmann::json> sweep = sweepOf(c, base.plan, pricing);
    // The probe ran on the cluster as it is: held against the existing cluster's replay of the same window.
    std::optional<ProbeComparison> checked;
    if (probe)
        checked = compareWithProbe(replay(result, Architecture::Existing, replaySettings, pricing), *probe, pricing);
    if (c.fmt == "table") {
        writeOutput(p, planTable(result) + scenariosTable(scenarios) + (checked ? probeComparisonTable(*checked) : ""));
        return 0;
    }
    nlohmann::json out = nlohmann::json::parse(planToJson(result));
    if (!scenarios.empty())
        out["scenarios"] = nlohmann::json::parse(scenariosToJson(scenarios));
    if (checked)
        out["probeComparison"] = probeComparisonToJson(*checked);
    if (sweep)
        out["sweep"] = std::move(*sweep);
    writeOutput(p, out.dump(1) + "\n");
    return 0;
}

} // namespace kp::cli
