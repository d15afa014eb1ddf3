// `kafka-planner run`: training-run lineage (record, finish, list, show, check, manifest, commands, remove).

#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "kafka/kafkaclient.h"
#include "kafka/offsetlookup.h"
#include "models/connectionprofile.h"
#include "models/formaterror.h"
#include "models/laghistoryjson.h"
#include "models/snapshotjson.h"
#include "models/units.h"
#include "services/runservice.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kp::cli {

namespace {

std::string isoOrDash(int64_t ms)
{
    return ms >= 0 ? formatIsoTime(ms) : std::string("-");
}

std::string bytesOrUnknown(int64_t b)
{
    return b >= 0 ? "~" + formatBytes(b) : std::string("unknown");
}

nlohmann::json lineageJson(const TrainingRun &run, const std::vector<QueuedLineageEvent> &events)
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto &e : events)
        j.push_back({{"type", e.type},
                     {"endpoint", e.endpoint},
                     {"sent", e.sentAtMs >= 0},
                     {"sentAt", isoOrDash(e.sentAtMs)},
                     {"attempts", e.attempts},
                     {"lastError", e.lastError}});
    return {{"runId", run.lineageId}, {"events", std::move(j)}};
}

nlohmann::json runJson(const TrainingRun &run, const std::vector<RangeCheck> *checks)
{
    nlohmann::json ranges = nlohmann::json::array();
    for (size_t i = 0; i < run.ranges.size(); ++i) {
        const auto &r = run.ranges[i];
        nlohmann::json j{{"topic", r.topic},
                         {"partition", r.partition},
                         {"start", r.start},
                         {"end", r.end},
                         {"records", r.records()},
                         {"bytesEstimated", r.bytes},
                         {"startTime", isoOrDash(r.startTimeMs)},
                         {"endTime", isoOrDash(r.endTimeMs)}};
        if (r.startClipped)
            j["startClipped"] = true;
        if (checks) {
            const auto &c = (*checks)[i];
            j["replayability"] = toString(c.state);
            j["earliestNow"] = c.earliest;
            j["lostRecords"] = c.lostRecords;
            j["remoteOnlyRecords"] =
                c.remoteOnlyRecords >= 0 ? nlohmann::json(c.remoteOnlyRecords) : nlohmann::json(nullptr);
            j["why"] = c.why;
        }
        const ReplayCommands cmd = replayCommands(run.bootstrap, r);
        j["kcat"] = cmd.kcat;
        j["consoleConsumer"] = cmd.consoleConsumer;
        ranges.push_back(std::move(j));
    }
    return {{"id", run.id},
            {"jobId", run.jobId},
            {"model", run.model},
            {"clusterId", run.clusterId},
            {"bootstrap", run.bootstrap},
            {"basis", toString(run.basis)},
            {"windowFrom", isoOrDash(run.windowFromMs)},
            {"windowTo", isoOrDash(run.windowToMs)},
            {"group", run.group},
            {"startedAt", isoOrDash(run.startedAtMs)},
            {"finishedAt", isoOrDash(run.finishedAtMs)},
            {"open", run.open()},
            {"topics", run.topics},
            {"schemaVersions", run.schemaVersions},
            {"transformVersion", run.transformVersion},
            {"sourceSnapshots", run.snapshotIds},
            {"notes", run.notes},
            {"records", run.records()},
            {"bytesEstimated", run.bytes()},
            {"ranges", std::move(ranges)}};
}

std::string runTable(const TrainingRun &run, const std::vector<RangeCheck> *checks)
{
    std::string out = "Run " + std::to_string(run.id) + ": job " + run.jobId + ", model " + run.model + "\n";
    out += "Cluster " + run.clusterId + " (" + run.bootstrap + "), " + toString(run.basis);
    if (run.basis == RunBasis::TimeWindow)
        out += " " + isoOrDash(run.windowFromMs) + " .. " + isoOrDash(run.windowToMs);
    else
        out += " of group " + run.group + (run.open() ? " (open: end offsets not recorded yet)" : "");
    out += "\nRecords " + std::to_string(run.records()) + ", bytes " + bytesOrUnknown(run.bytes()) + "\n";
    if (!run.transformVersion.empty())
        out += "Transformation " + run.transformVersion + "\n";
    for (const auto &[k, v] : run.schemaVersions)
        out += "Schema " + k + " = " + v + "\n";
    for (const auto &id : run.snapshotIds)
        out += "Source snapshot " + id + "\n";
    if (!run.notes.empty())
        out += "Notes: " + run.notes + "\n";
    char line[512];
    std::snprintf(line, sizeof line, "\n%-28s %5s %12s %12s %10s %12s%s\n", "TOPIC", "PART", "START", "END", "RECORDS",
                  "BYTES", checks ? "  REPLAY" : "");
    out += line;
    for (size_t i = 0; i < run.ranges.size(); ++i) {
        const auto &r = run.ranges[i];
        std::snprintf(line, sizeof line, "%-28s %5d %12lld %12lld %10lld %12s", r.topic.c_str(), r.partition,
                      (long long)r.start, (long long)r.end, (long long)r.records(), bytesOrUnknown(r.bytes).c_str());
        out += line;
        if (checks)
            out += "  " + std::string(toString((*checks)[i].state)) +
                   ((*checks)[i].state == Replayability::Replayable ? "" : ": " + (*checks)[i].why);
        out += "\n";
    }
    return out;
}

void addRunOptions(QCommandLineParser &p)
{
    addConnectionOptions(p);
    p.addPositionalArgument(QStringLiteral("action"),
                            QStringLiteral("record, finish ID, list, show ID, check ID, manifest ID, commands ID, "
                                           "send-events, remove ID"));
    p.addOptions(
        {{QStringLiteral("job"), QStringLiteral("The training job's id."), QStringLiteral("ID")},
         {QStringLiteral("model"), QStringLiteral("The model or dataset name."), QStringLiteral("NAME")},
         {QStringLiteral("topic"), QStringLiteral("A topic the run read (repeatable, or comma-separated)."),
          QStringLiteral("TOPIC")},
         {QStringLiteral("from"), QStringLiteral("Time window start (ISO 8601)."), QStringLiteral("TIME")},
         {QStringLiteral("to"), QStringLiteral("Time window end (ISO 8601, default now)."), QStringLiteral("TIME")},
         {QStringLiteral("group"),
          QStringLiteral("Record the group's committed offsets now, and again with `run finish`."),
          QStringLiteral("GROUP")},
         {QStringLiteral("schema-version"), QStringLiteral("SUBJECT=VERSION (repeatable)."), QStringLiteral("S=V")},
         {QStringLiteral("transform-version"), QStringLiteral("The transformation's version."), QStringLiteral("V")},
         {QStringLiteral("source-snapshot"), QStringLiteral("A source snapshot id (repeatable)."),
          QStringLiteral("ID")},
         {QStringLiteral("notes"), QStringLiteral("Free text."), QStringLiteral("TEXT")},
         {QStringLiteral("tool"), QStringLiteral("commands: kcat or console (default both)."), QStringLiteral("TOOL")},
         {QStringLiteral("lineage-url"),
          QStringLiteral("Send the run's OpenLineage events (START, COMPLETE) to this endpoint (default "
                         "$OPENLINEAGE_URL; http://host:port means http://host:port/api/v1/lineage). The key, if any, "
                         "comes from $OPENLINEAGE_API_KEY."),
          QStringLiteral("URL")},
         {QStringLiteral("lineage-namespace"),
          QStringLiteral("The OpenLineage job namespace (default $OPENLINEAGE_NAMESPACE, else kafka-planner)."),
          QStringLiteral("NS")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")}});
}

// What every action of `run` works from: the parsed options, the action's arguments and the runs in the store.
struct RunCommand
{
    const QCommandLineParser &p;
    QStringList pos;
    std::string fmt;
    RunService runs;

    QString action() const { return pos.first(); }

    TrainingRun needRun() const
    {
        bool ok = false;
        const int64_t id = pos.value(1).toLongLong(&ok);
        if (pos.size() < 2 || !ok)
            throw CliError("run " + str(action()) + ": which run? give its number (kafka-planner run list)", 2);
        auto run = runs.find(id);
        if (!run)
            throw CliError("no training run " + std::to_string(id) + " in " +
                           str(Database::displayName(runs.dbPath())));
        return *run;
    }

    // A look at the run's cluster: the connection given, else the run's own bootstrap; refused when the cluster is
    // another one. `keep` receives the client where the caller needs it afterwards.
    ClusterSnapshot snapshotOf(const TrainingRun *run, bool groups, std::unique_ptr<KafkaClient> *keep) const
    {
        ClusterSnapshot s;
        if (p.isSet(QStringLiteral("input"))) {
            s = obtainSnapshot(p, groups, true, true);
        } else {
            const bool connected = p.isSet(QStringLiteral("profile")) || p.isSet(QStringLiteral("bootstrap"));
            std::unique_ptr<KafkaClient> client = connected || !run ? makeClient(p) : freshClient(runsProfile(*run));
            // With the topics' configs: which topics are tiered (their bytes per record and where their records
            // are, local or remote, depend on it).
            s = collectSnapshot(*client, groups, true, true);
            if (keep)
                *keep = std::move(client);
        }
        if (run) {
            try {
                RunService::requireSameCluster(*run, s);
            } catch (const std::runtime_error &e) {
                throw CliError(e.what());
            }
        }
        return s;
    }

    ConnectionProfile runsProfile(const TrainingRun &run) const
    {
        ConnectionProfile profile;
        profile.name = "run " + std::to_string(run.id);
        profile.bootstrap = run.bootstrap;
        profile.timeoutMs = timeoutMs(p);
        return profile;
    }

    int show(const TrainingRun &run, const std::vector<RangeCheck> *checks = nullptr) const
    {
        const auto events = runs.lineageEventsOf(run.id);
        std::string table;
        nlohmann::json j;
        if (fmt == "table") {
            table = runTable(run, checks);
            for (const auto &e : events)
                table += "OpenLineage " + e.type + " to " + e.endpoint + ": " +
                         (e.sentAtMs >= 0 ? "sent " + isoOrDash(e.sentAtMs)
                                          : "pending (" + std::to_string(e.attempts) + " attempts" +
                                                (e.lastError.empty() ? "" : "; " + e.lastError) + ")") +
                         "\n";
        } else {
            j = runJson(run, checks);
            j["lineage"] = lineageJson(run, events);
        }
        writeOutput(p, fmt == "table" ? table : j.dump(1) + "\n");
        return 0;
    }

    // After a run was stored: its events and any left from before, said on stderr. The run stays stored whatever the
    // endpoint does.
    void deliverLineage() const
    {
        const LineageDelivery d = runs.deliverLineage();
        if (d.sent > 0)
            std::fprintf(stderr, "OpenLineage: %d event(s) sent\n", d.sent);
        if (d.pending > 0)
            std::fprintf(stderr,
                         "OpenLineage: %d event(s) pending (%s); the run is stored, and `kafka-planner run "
                         "send-events` sends them when the endpoint is back\n",
                         d.pending, d.lastError.c_str());
    }
};

RunRequest runRequest(const QCommandLineParser &p, int64_t now)
{
    RunRequest req;
    req.jobId = str(p.value(QStringLiteral("job")));
    req.model = str(p.value(QStringLiteral("model")));
    for (const QString &v : p.values(QStringLiteral("topic")))
        for (const QString &t : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
            req.topics.push_back(str(t.trimmed()));
    if (p.isSet(QStringLiteral("group"))) {
        if (p.isSet(QStringLiteral("from")) || p.isSet(QStringLiteral("to")))
            throw CliError("run record: give either a time window (--from/--to) or a --group, not both", 2);
        req.basis = RunBasis::GroupOffsets;
        req.group = str(p.value(QStringLiteral("group")));
    } else {
        try {
            req.fromMs = p.isSet(QStringLiteral("from")) ? parseTimeMs(str(p.value(QStringLiteral("from")))) : -1;
            req.toMs = p.isSet(QStringLiteral("to")) ? parseTimeMs(str(p.value(QStringLiteral("to")))) : now;
        } catch (const FormatError &e) {
            throw CliError(std::string("--from/--to: ") + e.what(), 2);
        }
    }
    for (const QString &kv : p.values(QStringLiteral("schema-version"))) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == kv.size() - 1)
            throw CliError("--schema-version " + str(kv) + ": write it SUBJECT=VERSION", 2);
        req.schemaVersions[str(kv.left(eq))] = str(kv.mid(eq + 1));
    }
    req.transformVersion = str(p.value(QStringLiteral("transform-version")));
    for (const QString &id : p.values(QStringLiteral("source-snapshot")))
        req.snapshotIds.push_back(str(id));
    req.notes = str(p.value(QStringLiteral("notes")));
    try {
        validate(req, now);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("run record: ") + e.what(), 2);
    }
    return req;
}

int recordRun(const RunCommand &c)
{
    const RunRequest req = runRequest(c.p, QDateTime::currentMSecsSinceEpoch());
    std::unique_ptr<KafkaClient> client;
    const ClusterSnapshot s = c.snapshotOf(nullptr, req.basis == RunBasis::GroupOffsets, &client);
    try {
        const TrainingRun run = c.runs.record(req, s, client.get());
        c.deliverLineage();
        return c.show(run);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("run record: ") + e.what(), 2);
    } catch (const StoreError &) {
        throw;
    } catch (const std::runtime_error &e) {
        throw CliError(std::string("run record: ") + e.what());
    }
}

int finishRun(const RunCommand &c)
{
    const TrainingRun run = c.needRun();
    try {
        RunService::requireOpenGroupRun(run);
    } catch (const std::invalid_argument &e) {
        throw CliError(e.what(), 2);
    }
    const ClusterSnapshot s = c.snapshotOf(&run, true, nullptr);
    TrainingRun finished;
    try {
        finished = c.runs.finish(run, s);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("run finish: ") + e.what());
    }
    c.deliverLineage();
    return c.show(finished);
}

int listRuns(const RunCommand &c)
{
    std::string out;
    nlohmann::json j = nlohmann::json::array();
    const auto pending = c.runs.pendingLineage();
    for (const auto &r : c.runs.list()) {
        const auto waiting = pending.find(r.id);
        const int lineagePending = waiting == pending.end() ? 0 : waiting->second;
        const std::string when = r.basis == RunBasis::TimeWindow
                                     ? isoOrDash(r.windowFromMs) + " .. " + isoOrDash(r.windowToMs)
                                     : "group " + r.group + (r.open() ? " (open)" : "");
        out += std::to_string(r.id) + "\t" + r.jobId + "\t" + r.model + "\t" + when +
               (lineagePending ? "\tOpenLineage: " + std::to_string(lineagePending) + " event(s) pending" : "") + "\n";
        j.push_back({{"id", r.id},
                     {"jobId", r.jobId},
                     {"model", r.model},
                     {"basis", toString(r.basis)},
                     {"open", r.open()},
                     {"startedAt", isoOrDash(r.startedAtMs)},
                     {"lineagePending", lineagePending}});
    }
    writeOutput(c.p, c.fmt == "table" ? out : j.dump(1) + "\n");
    return 0;
}

// 0: every range can be replayed; 4: some records are gone.
int checkRunNow(const RunCommand &c)
{
    const TrainingRun run = c.needRun();
    const auto checks = RunService::check(run, c.snapshotOf(&run, false, nullptr));
    c.show(run, &checks);
    for (const auto &check : checks)
        if (check.state != Replayability::Replayable)
            return 4;
    return 0;
}

int replayCommandsOf(const RunCommand &c)
{
    const TrainingRun run = c.needRun();
    const QString tool = c.p.value(QStringLiteral("tool"));
    if (!tool.isEmpty() && tool != QStringLiteral("kcat") && tool != QStringLiteral("console"))
        throw CliError("--tool must be kcat or console", 2);
    std::string out;
    for (const auto &r : run.ranges) {
        if (r.records() == 0)
            continue;
        const ReplayCommands commands = replayCommands(run.bootstrap, r);
        if (tool != QStringLiteral("console"))
            out += commands.kcat + "\n";
        if (tool != QStringLiteral("kcat"))
            out += commands.consoleConsumer + "\n";
    }
    writeOutput(c.p, out);
    return 0;
}

} // namespace

// Where the run's OpenLineage events go: --lineage-url, else $OPENLINEAGE_URL; none when neither is given.
LineageEndpoint lineageEndpoint(const QCommandLineParser &p)
{
    LineageEndpoint endpoint;
    try {
        endpoint = lineageEndpointFromEnvironment();
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("OPENLINEAGE_URL: ") + e.what(), 2);
    }
    if (p.isSet(QStringLiteral("lineage-url"))) {
        try {
            endpoint.url = lineageEventsUrl(str(p.value(QStringLiteral("lineage-url"))));
        } catch (const std::invalid_argument &e) {
            throw CliError(std::string("--lineage-url: ") + e.what(), 2);
        }
    }
    if (p.isSet(QStringLiteral("lineage-namespace")))
        endpoint.jobNamespace = str(p.value(QStringLiteral("lineage-namespace")));
    endpoint.timeoutMs = timeoutMs(p);
    return endpoint;
}

// 0: nothing left pending; 1: some events could not be sent.
int sendEvents(const RunCommand &c)
{
    const LineageDelivery d = c.runs.deliverLineage();
    writeOutput(c.p, "OpenLineage: " + std::to_string(d.sent) + " event(s) sent, " + std::to_string(d.pending) +
                         " pending" + (d.lastError.empty() ? "" : " (" + d.lastError + ")") + "\n");
    return d.pending > 0 ? 1 : 0;
}

int cmdRun(const QStringList &args)
{
    QCommandLineParser p;
    addRunOptions(p);
    parseOrThrow(p, args);
    const QStringList pos = p.positionalArguments();
    if (pos.isEmpty())
        throw CliError(
            "run: say record, finish ID, list, show ID, check ID, manifest ID, commands ID, send-events or remove ID",
            2);
    const RunCommand c{p, pos, format(p), RunService(dbPath(p), lineageEndpoint(p))};
    const QString action = c.action();
    if (action == QStringLiteral("record"))
        return recordRun(c);
    if (action == QStringLiteral("finish"))
        return finishRun(c);
    if (action == QStringLiteral("list"))
        return listRuns(c);
    if (action == QStringLiteral("show"))
        return c.show(c.needRun());
    if (action == QStringLiteral("check"))
        return checkRunNow(c);
    if (action == QStringLiteral("manifest")) {
        writeOutput(p, runManifestJson(c.needRun()));
        return 0;
    }
    if (action == QStringLiteral("commands"))
        return replayCommandsOf(c);
    if (action == QStringLiteral("send-events"))
        return sendEvents(c);
    if (action == QStringLiteral("remove")) {
        c.runs.remove(c.needRun().id);
        return 0;
    }
    throw CliError("run: unknown action " + str(action) +
                       " (record, finish, list, show, check, manifest, commands, send-events, remove)",
                   2);
}

} // namespace kp::cli
