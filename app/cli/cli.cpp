#include "cli.h"

#include "connectionprofile.h"
#include "database.h"
#include "formaterror.h"
#include "jsonreader.h"
#include "kafkaclient.h"
#include "lagdata.h"
#include "laghistoryjson.h"
#include "offsetlookup.h"
#include "overview.h"
#include "planinputs.h"
#include "planoptionfile.h"
#include "pricingcatalog.h"
#include "profilestore.h"
#include "recordtimes.h"
#include "reviewdoc.h"
#include "reviewpdf.h"
#include "runstore.h"
#include "samplestore.h"
#include "scenarios.h"
#include "secretstore.h"
#include "snapshotcollector.h"
#include "snapshotjson.h"
#include "tableformat.h"
#include "units.h"
#include "workloaddata.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QRegularExpression>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <termios.h>
#include <thread>
#include <type_traits>
#include <unistd.h>

namespace kp::cli {

namespace {

std::atomic<bool> g_cancel{false};

class CliError : public std::runtime_error
{
public:
    explicit CliError(const std::string &what, int code = 1) : std::runtime_error(what), m_code(code) {}
    int code() const { return m_code; }

private:
    int m_code;
};

std::string str(const QString &s)
{
    return s.toStdString();
}

const QStringList kCommands{QStringLiteral("snapshot"), QStringLiteral("lag"),     QStringLiteral("profile"),
                            QStringLiteral("watch"),    QStringLiteral("traffic"), QStringLiteral("plan"),
                            QStringLiteral("run"),      QStringLiteral("review"),  QStringLiteral("help")};

// One entry per usage line that starts with "  kafka-planner"; lines indented further continue it.
const char *const kUsage =
    "Usage:\n"
    "  kafka-planner                       open the desktop app\n"
    "  kafka-planner snapshot CONNECTION [--output FILE] [--format json|table] [--no-groups] [--no-log-dirs]\n"
    "                                  [--strict]\n"
    "  kafka-planner snapshot --input FILE [--format json|table]\n"
    "  kafka-planner lag CONNECTION|--input FILE [--group REGEX] [--format json|table]\n"
    "  kafka-planner lag CONNECTION --time-lag [--group REGEX]   (time lag from the first unconsumed record)\n"
    "  kafka-planner lag CONNECTION --history DURATION [--group REGEX] [--time-lag]   (rates, time lag, status)\n"
    "  kafka-planner lag --evaluate FILE [--group REGEX]\n"
    "  kafka-planner watch CONNECTION [--interval SECONDS] [--count N]   (records the lag history)\n"
    "  kafka-planner traffic CONNECTION [--history DURATION] [--client-az CIDR=AZ ...] [--pricing NAME|FILE]\n"
    "                                  [--price-per-gb PRICE]\n"
    "  kafka-planner plan CONNECTION|--input FILE|--plan FILE|--write-mbps X ... [--pricing NAME|FILE]\n"
    "                                  [--save FILE] [--format json|table]   (kafka-planner plan --help: all)\n"
    "  kafka-planner run record CONNECTION --job ID --model NAME --topic T ... (--from TIME [--to TIME] |\n"
    "                                  --group GROUP) [--schema-version S=V ...] [--transform-version V]\n"
    "                                  [--source-snapshot ID ...] [--notes TEXT]\n"
    "  kafka-planner run finish ID [CONNECTION]   (group runs: the end offsets)\n"
    "  kafka-planner run list | show ID | manifest ID | commands ID [--tool kcat|console] | remove ID\n"
    "  kafka-planner run check ID [CONNECTION]   (replayability; exit 4 when records are gone)\n"
    "  kafka-planner review new FILE [--pipeline-topics REGEX] [--replay-window-hours H] [--cross-az-budget X]\n"
    "  kafka-planner review check FILE CONNECTION   (refreshes the evidence; exit 5 when an item is red)\n"
    "  kafka-planner review drill FILE --item ID CONNECTION [--seconds N] [--interval S]\n"
    "  kafka-planner review show FILE | milestone FILE --name NAME | compare FILE --from NAME [--to NAME]\n"
    "  kafka-planner review set FILE --item ID [--owner P] [--team T] [--runbook R] [--threshold T] [--metric M]\n"
    "                [--evidence TEXT --basis measured|pilot|vendor|none --passes yes|no] [--notes TEXT]\n"
    "                [--not-applicable REASON | --applicable] [--waiver REASON --waiver-until DATE | --no-waiver]\n"
    "  kafka-planner review export FILE --as markdown|html|json [--output FILE] | --as pdf --output FILE\n"
    "  kafka-planner profile list|show NAME|remove NAME\n"
    "  kafka-planner profile add NAME --bootstrap HOSTS [--command-config FILE] [--password-stdin]\n"
    "                                  [--client-az CIDR=AZ ...]\n";

const char *const kUsageFooter =
    "CONNECTION is --profile NAME, or --bootstrap HOSTS [--command-config FILE] (a Java client.properties:\n"
    "security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location with type PEM).\n"
    "Common options: --timeout SECONDS (default 10), --db FILE (the profile store), --password-stdin.\n"
    "Exit status: 0 success, 1 failure (reason on stderr), 2 usage error, 3 partial snapshot with --strict,\n"
    "4 a run that can no longer be replayed (run check), 5 a review item is red (review check, show).\n";

// Every option of `plan` (the general usage shows the common ones).
const char *const kPlanUsage =
    "  kafka-planner plan CONNECTION|--snapshot FILE|--plan FILE.kpplan.json|--workload FILE|--write-mbps X\n"
    "                   [--peak-mbps X] [--retention-hours H] [--rf N] [--groups N] [--azs N] [--partitions N]\n"
    "                   [--existing-brokers N] [--existing-instance TYPE] [--existing-follower-fetching]\n"
    "                   [--dedicated-brokers N] [--tiered-brokers N] [--shared-brokers N]\n"
    "                   [--dedicated-follower-fetching] [--tiered-follower-fetching]\n"
    "                   [--instance TYPE] [--local-retention-hours H] [--wal ebs|s3] [--no-zone-routing]\n"
    "                   [--pricing NAME|FILE] [--save FILE.kpplan.json] [--format json|table] [--history DURATION]\n"
    "                   [--scenario replay|cadence|scale|failure|FILE ...] [--replay-days D] [--replay-share S]\n"
    "                   [--target-mbps R] [--backfills-per-month N] [--add-brokers K] [--throttle-mbps T]\n"
    "                   [--follower-fetching] [--replay-topics REGEX] [--replay-from TIME [--replay-to TIME]]\n"
    "                   [--replay-run ID]\n"
    "                   [--sweep PARAM=FROM:TO:STEPS --sweep PARAM=FROM:TO:STEPS]\n";

void usage(FILE *to)
{
    std::fputs(kUsage, to);
    std::fputs("\n", to);
    std::fputs(kUsageFooter, to);
}

// The usage entries of one command, then what CONNECTION and the common options are.
std::string commandUsage(const QString &command)
{
    if (command == QStringLiteral("plan"))
        return std::string("Usage:\n") + kPlanUsage + "\n" + kUsageFooter;
    const std::string prefix = "  kafka-planner " + str(command) + " ";
    std::string out = "Usage:\n";
    bool inEntry = false;
    for (const QString &line : QString::fromUtf8(kUsage).split(QLatin1Char('\n'))) {
        const std::string l = str(line);
        if (l.rfind("  kafka-planner", 0) == 0)
            inEntry = l.rfind(prefix, 0) == 0;
        else if (l.rfind("   ", 0) != 0)
            inEntry = false;
        if (inEntry)
            out += l + "\n";
    }
    return out + "\n" + kUsageFooter;
}

void addConnectionOptions(QCommandLineParser &p)
{
    p.addOptions({{QStringLiteral("profile"), QStringLiteral("Saved connection profile."), QStringLiteral("NAME")},
                  {QStringLiteral("bootstrap"), QStringLiteral("Bootstrap servers."), QStringLiteral("HOSTS")},
                  {QStringLiteral("command-config"), QStringLiteral("Java client.properties."), QStringLiteral("FILE")},
                  {QStringLiteral("timeout"), QStringLiteral("Seconds per step."), QStringLiteral("SECONDS")},
                  {QStringLiteral("db"), QStringLiteral("Profile store."), QStringLiteral("FILE")},
                  {QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input.")},
                  {{QStringLiteral("input"), QStringLiteral("snapshot")},
                   QStringLiteral("Read a snapshot file instead of a cluster."),
                   QStringLiteral("FILE")},
                  {QStringLiteral("format"), QStringLiteral("json or table."), QStringLiteral("FORMAT")}});
}

void parseOrThrow(QCommandLineParser &p, const QStringList &args)
{
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!p.parse(args))
        throw CliError(str(p.errorText()), 2);
}

std::string readPassword(const std::string &prompt)
{
    if (isatty(STDIN_FILENO)) {
        std::fprintf(stderr, "%s", prompt.c_str());
        termios old{};
        tcgetattr(STDIN_FILENO, &old);
        termios noEcho = old;
        noEcho.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &noEcho);
        std::string line;
        std::getline(std::cin, line);
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fprintf(stderr, "\n");
        return line;
    }
    std::string line;
    std::getline(std::cin, line);
    return line;
}

QString dbPath(const QCommandLineParser &p)
{
    return p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db")) : Database::defaultPath();
}

double numberOption(const QCommandLineParser &p, const char *name, double fallback, double min, double max);

int timeoutMs(const QCommandLineParser &p)
{
    return int(numberOption(p, "timeout", 10, 0.1, 600) * 1000);
}

ConnectionProfile resolveConnection(const QCommandLineParser &p)
{
    ConnectionProfile profile;
    const bool hasProfile = p.isSet(QStringLiteral("profile"));
    const bool hasBootstrap = p.isSet(QStringLiteral("bootstrap"));
    if (hasProfile == hasBootstrap)
        throw CliError("give either --profile NAME or --bootstrap HOSTS", 2);
    if (hasProfile) {
        Database db(dbPath(p));
        ProfileStore store(db);
        const std::string name = str(p.value(QStringLiteral("profile")));
        auto found = store.find(name);
        if (!found)
            throw CliError("no profile named '" + name + "' in " + str(db.path()) +
                           " (kafka-planner profile list shows them)");
        profile = *found;
        if (profile.hasSecret() && !p.isSet(QStringLiteral("password-stdin"))) {
            QString error;
            if (auto secret = SecretStore::read(QString::fromStdString(name), QStringLiteral("password"), &error))
                profile.password = str(*secret);
            else if (isatty(STDIN_FILENO))
                profile.password = readPassword((profile.usesOidc() ? "Client secret for " : "Password for ") +
                                                profile.username + " (" + name + "): ");
            else
                throw CliError("profile '" + name + "' needs " +
                               (profile.usesOidc() ? "its OIDC client secret" : "a password") +
                               " and the keyring gave none (" + str(error) + "): pass it with --password-stdin");
        }
    } else {
        const std::string bootstrap = str(p.value(QStringLiteral("bootstrap")));
        if (p.isSet(QStringLiteral("command-config"))) {
            try {
                profile = profileFromClientPropertiesFile(str(p.value(QStringLiteral("command-config"))),
                                                          "command-line", bootstrap)
                              .profile;
            } catch (const FormatError &e) {
                throw CliError(e.what());
            }
        } else {
            profile.name = "command-line";
            profile.bootstrap = bootstrap;
        }
    }
    if (p.isSet(QStringLiteral("password-stdin")))
        profile.password = readPassword("");
    profile.timeoutMs = timeoutMs(p);
    if (auto err = profile.validate(); !err.empty())
        throw CliError(err, 2);
    return profile;
}

// "90s", "15m", "1h", "7d" -> milliseconds.
int64_t parseDuration(const std::string &text)
{
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (...) {
        used = 0;
    }
    const std::string unit = text.substr(used);
    const int64_t scale = unit == "s" ? 1000 : unit == "m" ? 60000 : unit == "h" ? 3600000 : unit == "d" ? 86400000 : 0;
    constexpr double kTenYearsMs = 3650.0 * 86400000;
    if (used == 0 || scale == 0 || !std::isfinite(v) || v <= 0 || v * double(scale) > kTenYearsMs)
        throw CliError("--history takes a duration such as 90s, 15m, 1h or 7d (up to 3650d)", 2);
    return int64_t(v * double(scale));
}

std::string format(const QCommandLineParser &p)
{
    const std::string f = p.isSet(QStringLiteral("format")) ? str(p.value(QStringLiteral("format"))) : "json";
    if (f != "json" && f != "table")
        throw CliError("--format must be json or table", 2);
    return f;
}

std::string shownNumber(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A number option, checked once where it enters: a finite number from `min` to `max` (NaN, infinity and "1e400" are
// refused). Throws CliError (exit 2) naming the option.
double numberOption(const QCommandLineParser &p, const char *name, double fallback, double min, double max)
{
    const QString option = QString::fromLatin1(name);
    if (!p.isSet(option))
        return fallback;
    bool ok = false;
    const double v = p.value(option).trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < min || v > max)
        throw CliError(std::string("--") + name + " must be a number from " + shownNumber(min) + " to " +
                           shownNumber(max) + ", not \"" + str(p.value(option)) + "\"",
                       2);
    return v;
}

std::unique_ptr<KafkaClient> makeClient(const QCommandLineParser &p);
std::unique_ptr<KafkaClient> freshClient(const ConnectionProfile &profile);
ClusterSnapshot collectSnapshot(KafkaClient &client, bool includeGroups, bool includeLogDirs, bool includeConfigs);

ClusterSnapshot obtainSnapshot(const QCommandLineParser &p, bool includeGroups, bool includeLogDirs,
                               bool includeConfigs = true)
{
    if (p.isSet(QStringLiteral("input"))) {
        try {
            return loadSnapshotFile(str(p.value(QStringLiteral("input"))));
        } catch (const FormatError &e) {
            throw CliError(e.what());
        }
    }
    const auto client = makeClient(p);
    return collectSnapshot(*client, includeGroups, includeLogDirs, includeConfigs);
}

// A client for one collection only. Repeated collections (watch, drills) each take a new one: librdkafka 2.0.2 crashed
// (SIGSEGV in a broker thread) in a handle that lived across samples while a broker stopped and came back, in two
// drills of two here; with a handle per sample, none in three.
std::unique_ptr<KafkaClient> freshClient(const ConnectionProfile &profile)
{
    try {
        return std::make_unique<KafkaClient>(profile, "cli");
    } catch (const std::exception &e) {
        throw CliError(e.what());
    }
}

std::unique_ptr<KafkaClient> makeClient(const QCommandLineParser &p)
{
    const ConnectionProfile profile = resolveConnection(p);
    try {
        return std::make_unique<KafkaClient>(profile, "cli");
    } catch (const std::exception &e) {
        throw CliError(e.what());
    }
}

ClusterSnapshot collectSnapshot(KafkaClient &client, bool includeGroups, bool includeLogDirs, bool includeConfigs)
{
    const ConnectionProfile &profile = client.profile();
    CollectOptions options;
    options.timeoutMs = profile.timeoutMs;
    options.includeGroups = includeGroups;
    options.includeLogDirs = includeLogDirs;
    options.includeConfigs = includeConfigs;
    SnapshotCollector collector(client, options);
    const bool showProgress = isatty(STDERR_FILENO);
    try {
        return collector.collect(&g_cancel, [&](const CollectProgress &pr) {
            if (!showProgress)
                return;
            if (pr.total > 0)
                std::fprintf(stderr, "\r%-20s %lld/%lld      ", pr.step.c_str(), (long long)pr.done,
                             (long long)pr.total);
            else
                std::fprintf(stderr, "\r%-20s                 ", pr.step.c_str());
            std::fflush(stderr);
        });
    } catch (const CollectError &e) {
        if (showProgress)
            std::fprintf(stderr, "\r%-40s\r", "");
        throw CliError(e.what());
    }
}

void warnPartial(const ClusterSnapshot &s)
{
    if (isatty(STDERR_FILENO))
        std::fprintf(stderr, "\r%-40s\r", "");
    for (const auto &pr : s.problems)
        std::fprintf(stderr, "kafka-planner: warning: %s%s%s: %s\n", pr.step.c_str(), pr.subject.empty() ? "" : " / ",
                     pr.subject.c_str(), pr.message.c_str());
}

// What the snapshot shows that needs a person: tiered partitions whose uploads appear stalled.
void warnFindings(const ClusterSnapshot &s)
{
    for (const auto &r : tieredUploadStalls(s))
        std::fprintf(stderr, "kafka-planner: warning: tiered uploads of %s-%d: %s\n", r.topic.c_str(), r.partition,
                     r.detail.c_str());
}

// Written to FILE.part, then renamed: a reader never sees half a file, a failure leaves the old one.
void writeFileAtomically(const std::string &path, const std::string &text)
{
    FILE *f = std::fopen((path + ".part").c_str(), "wb");
    if (!f)
        throw CliError(path + ": cannot open the file for writing");
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok || std::rename((path + ".part").c_str(), path.c_str()) != 0) {
        std::remove((path + ".part").c_str());
        throw CliError(path + ": writing failed");
    }
}

void writeOutput(const QCommandLineParser &p, const std::string &text)
{
    if (p.isSet(QStringLiteral("output"))) {
        writeFileAtomically(str(p.value(QStringLiteral("output"))), text);
        return;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
}

int cmdSnapshot(const QStringList &args)
{
    QCommandLineParser p;
    addConnectionOptions(p);
    p.addOptions({{QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")},
                  {QStringLiteral("no-groups"), QStringLiteral("Skip consumer groups.")},
                  {QStringLiteral("no-log-dirs"), QStringLiteral("Skip replica sizes (DescribeLogDirs).")},
                  {QStringLiteral("strict"), QStringLiteral("Exit 3 when the snapshot is partial.")}});
    parseOrThrow(p, args);
    const std::string fmt = format(p);
    ClusterSnapshot s =
        obtainSnapshot(p, !p.isSet(QStringLiteral("no-groups")), !p.isSet(QStringLiteral("no-log-dirs")));
    warnPartial(s);
    warnFindings(s);
    if (fmt == "table")
        writeOutput(p, snapshotTable(s));
    else
        writeOutput(p, snapshotToJson(s).dump(1) + "\n");
    return s.partial() && p.isSet(QStringLiteral("strict")) ? 3 : 0;
}

// A partition's time lag from the record its group has not consumed yet (`lag --time-lag`), written into `jp`: the
// seconds with the record's offset and time, or null and why.
std::optional<double> timeLagJson(const TopicPartition &tp, int64_t committed, int64_t lag,
                                  const std::map<PartitionOffset, RecordTime> &times, int64_t nowMs, nlohmann::json &jp)
{
    const RecordTimeLag t = timeLagFromRecord(tp, committed, lag, times, nowMs);
    jp["timeLagSeconds"] = t.seconds ? nlohmann::json(*t.seconds) : nlohmann::json(nullptr);
    if (!t.why.empty())
        jp["timeLagError"] = t.why;
    if (t.record) {
        jp["firstUnconsumedOffset"] = t.record->offset;
        jp["firstUnconsumedAt"] = formatIsoTime(t.record->timestampMs);
    }
    return t.seconds;
}

// `lag --history --time-lag`: partitions whose time lag the history could not give (null, with messages waiting) get
// it from the first record not consumed yet, read at the committed offset of `now`; the groups' largest follow.
template <class Read> void fillTimeLagsFromRecords(nlohmann::json &groups, const ClusterSnapshot &now, Read read)
{
    std::map<std::pair<std::string, TopicPartition>, int64_t> committed;
    for (const auto &g : now.groups)
        for (const auto &o : g.offsets)
            committed[{g.groupId, {o.topic, o.partition}}] = o.committed;
    auto offsetOf = [&](const std::string &group, const nlohmann::json &jp) -> int64_t {
        auto it = committed.find({group, {jp.at("topic").get<std::string>(), jp.at("partition").get<int32_t>()}});
        return it == committed.end() ? -1 : it->second;
    };
    auto unknown = [](const nlohmann::json &jp) {
        return jp.at("timeLagSeconds").is_null() && jp.at("lag").is_number() && jp.at("lag").get<int64_t>() > 0;
    };
    std::set<PartitionOffset> wanted;
    for (const auto &jg : groups) {
        const std::string group = jg.at("group").get<std::string>();
        for (const auto &jp : jg.at("partitions"))
            if (unknown(jp) && offsetOf(group, jp) >= 0)
                wanted.insert(
                    {{jp.at("topic").get<std::string>(), jp.at("partition").get<int32_t>()}, offsetOf(group, jp)});
    }
    if (wanted.empty())
        return;
    const std::map<PartitionOffset, RecordTime> times = read(wanted);
    for (auto &jg : groups) {
        const std::string group = jg.at("group").get<std::string>();
        for (auto &jp : jg.at("partitions")) {
            if (!unknown(jp))
                continue;
            const TopicPartition tp{jp.at("topic").get<std::string>(), jp.at("partition").get<int32_t>()};
            if (const std::optional<double> seconds =
                    timeLagJson(tp, offsetOf(group, jp), jp.at("lag").get<int64_t>(), times, now.takenAtMs, jp)) {
                jp["timeLagNote"] = "from the first record not consumed yet";
                jg["maxTimeLagSeconds"] = std::max(
                    jg.at("maxTimeLagSeconds").is_null() ? 0.0 : jg.at("maxTimeLagSeconds").get<double>(), *seconds);
            }
        }
    }
}

int cmdLag(const QStringList &args)
{
    QCommandLineParser p;
    addConnectionOptions(p);
    p.addOptions(
        {{QStringLiteral("evaluate"), QStringLiteral("Evaluate a recorded lag history."), QStringLiteral("FILE")},
         {QStringLiteral("history"), QStringLiteral("Evaluate the recorded history of this long."),
          QStringLiteral("DURATION")},
         {QStringLiteral("group"), QStringLiteral("Only groups matching REGEX."), QStringLiteral("REGEX")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")},
         {QStringLiteral("partitions"), QStringLiteral("Table: one line per partition.")},
         {QStringLiteral("time-lag"),
          QStringLiteral(
              "Seconds behind, from the timestamp of each lagging partition's first unconsumed record (reads "
              "one record there; never commits).")}});
    parseOrThrow(p, args);
    const std::string fmt = format(p);
    QRegularExpression filter;
    if (p.isSet(QStringLiteral("group"))) {
        filter.setPattern(p.value(QStringLiteral("group")));
        if (!filter.isValid())
            throw CliError("--group: not a valid regular expression: " + str(filter.errorString()), 2);
    }
    auto wanted = [&](const std::string &group) {
        return filter.pattern().isEmpty() || filter.match(QString::fromStdString(group)).hasMatch();
    };
    const bool readTimes = p.isSet(QStringLiteral("time-lag"));
    if (readTimes && (p.isSet(QStringLiteral("input")) || p.isSet(QStringLiteral("evaluate"))))
        throw CliError("--time-lag reads records from the cluster: give a connection, not --input or --evaluate", 2);
    ConnectionProfile profile; // resolved once: a password from stdin is read once
    if (!p.isSet(QStringLiteral("input")) && !p.isSet(QStringLiteral("evaluate")))
        profile = resolveConnection(p);
    auto snapshotNow = [&](bool includeLogDirs) {
        return p.isSet(QStringLiteral("input")) ? obtainSnapshot(p, true, includeLogDirs)
                                                : collectSnapshot(*freshClient(profile), true, includeLogDirs, true);
    };
    auto readRecordTimes = [&](const std::set<PartitionOffset> &offsets) {
        try {
            return recordTimesAt(profile, offsets, std::max(profile.timeoutMs, 10000));
        } catch (const std::exception &e) {
            throw CliError(e.what());
        }
    };
    if (p.isSet(QStringLiteral("evaluate"))) {
        LagHistory history;
        try {
            history = loadLagHistoryFile(str(p.value(QStringLiteral("evaluate"))));
        } catch (const FormatError &e) {
            throw CliError(e.what());
        }
        nlohmann::json out{{"now", formatIsoTime(history.nowMs)},
                           {"window", history.rules.window},
                           {"groups", nlohmann::json::array()}};
        for (const auto &[group, partitions] : history.groups) {
            if (!wanted(group))
                continue;
            out["groups"].push_back(evaluationToJson(evaluateGroup(group, partitions, history.nowMs, history.rules)));
        }
        writeOutput(p, out.dump(1) + "\n");
        return 0;
    }
    if (p.isSet(QStringLiteral("history"))) {
        const int64_t span = parseDuration(str(p.value(QStringLiteral("history"))));
        const ClusterSnapshot now = snapshotNow(true); // configs too: racks for the rates
        SampleStore::History history = SampleStore::read(dbPath(p), now.clusterId, now.takenAtMs, span);
        // The snapshot just taken is the newest point of every series.
        appendSnapshot(history, now);
        std::map<TopicPartition, int64_t> retained;
        for (const auto &t : now.topics)
            for (const auto &pt : t.partitions)
                if (pt.highWatermark >= 0)
                    retained[{t.name, pt.partition}] = pt.highWatermark - pt.lowWatermark;
        std::map<TopicPartition, Rate> produced;
        for (const auto &[tp, points] : history.partitions)
            produced[tp] = produceRate(points, retained.count(tp) ? retained.at(tp) : 0);
        const RateTotals rates = aggregateRates(now, produced);
        auto rateJson = [](const Rate &r) {
            return nlohmann::json{
                {"messagesPerSecond", r.known ? nlohmann::json(r.messagesPerSecond) : nlohmann::json(nullptr)},
                {"bytesPerSecond",
                 r.known && r.bytesKnown ? nlohmann::json(r.bytesPerSecond) : nlohmann::json(nullptr)}};
        };
        nlohmann::json out{{"clusterId", now.clusterId},
                           {"now", formatIsoTime(now.takenAtMs)},
                           {"historyFrom", formatIsoTime(now.takenAtMs - span)},
                           {"groups", nlohmann::json::array()}};
        // By group id: one lookup per group, not a scan of every history (2,000 groups at scale).
        std::map<std::string, std::vector<PartitionHistory>> groupHistories;
        for (auto &h : SampleStore::groupHistoriesOf(history))
            groupHistories.emplace(std::move(h.group), std::move(h.partitions));
        for (const auto &g : now.groups) {
            if (!wanted(g.groupId))
                continue;
            const std::vector<PartitionHistory> &parts = groupHistories[g.groupId];
            nlohmann::json jg =
                evaluationToJson(evaluateGroup(g.groupId, parts, now.takenAtMs, {}, !g.members.empty()));
            jg["state"] = g.state;
            jg["type"] = g.type.empty() ? nlohmann::json(nullptr) : nlohmann::json(g.type);
            double groupRate = 0;
            for (size_t i = 0; i < parts.size(); ++i) {
                const double consumed = consumeRate(parts[i].commits);
                groupRate += consumed;
                auto &jp = jg["partitions"][i];
                jp["consumeRate"] = consumed;
                auto it = produced.find({parts[i].topic, parts[i].partition});
                jp["produceRate"] = it != produced.end() && it->second.known
                                        ? nlohmann::json(it->second.messagesPerSecond)
                                        : nlohmann::json(nullptr);
            }
            jg["consumeRate"] = groupRate;
            out["groups"].push_back(std::move(jg));
        }
        if (readTimes)
            fillTimeLagsFromRecords(out["groups"], now, readRecordTimes);
        nlohmann::json jr{{"topics", nlohmann::json::array()},
                          {"brokers", nlohmann::json::array()},
                          {"racks", nlohmann::json::array()}};
        for (const auto &[topic, r] : rates.topics) {
            nlohmann::json j = rateJson(r);
            j["topic"] = topic;
            jr["topics"].push_back(std::move(j));
        }
        for (const auto &[broker, r] : rates.brokers) {
            nlohmann::json j = rateJson(r);
            j["broker"] = broker;
            jr["brokers"].push_back(std::move(j));
        }
        for (const auto &[rack, r] : rates.racks) {
            nlohmann::json j = rateJson(r);
            j["rack"] = rack;
            jr["racks"].push_back(std::move(j));
        }
        out["produceRates"] = std::move(jr);
        writeOutput(p, out.dump(1) + "\n");
        return 0;
    }
    ClusterSnapshot s = snapshotNow(false); // lag needs no sizes
    warnPartial(s);
    std::erase_if(s.groups, [&](const ConsumerGroup &g) { return !wanted(g.groupId); });
    std::map<PartitionOffset, RecordTime> times;
    if (readTimes) {
        std::set<PartitionOffset> wantedOffsets;
        for (const auto &g : s.groups)
            for (const auto &o : g.offsets)
                if (o.lag > 0 && o.committed >= 0)
                    wantedOffsets.insert({{o.topic, o.partition}, o.committed});
        times = readRecordTimes(wantedOffsets);
    }
    if (fmt == "table") {
        writeOutput(p, lagTable(s, p.isSet(QStringLiteral("partitions")), readTimes ? &times : nullptr));
        return 0;
    }
    nlohmann::json out;
    out["clusterId"] = s.clusterId;
    out["takenAt"] = formatIsoTime(s.takenAtMs);
    out["groups"] = nlohmann::json::array();
    for (const auto &g : s.groups) {
        // Which member owns each partition, from the members' assignments.
        std::map<TopicPartition, std::string> owner;
        for (const auto &m : g.members)
            for (const auto &tp : m.assignment)
                owner[tp] = m.clientId + " (" + m.host + ")";
        nlohmann::json parts = nlohmann::json::array();
        std::optional<double> maxTimeLag;
        for (const auto &o : g.offsets) {
            nlohmann::json jp{{"topic", o.topic},
                              {"partition", o.partition},
                              {"committed", o.committed},
                              {"end", o.highWatermark},
                              {"lag", o.lag >= 0 ? nlohmann::json(o.lag) : nlohmann::json(nullptr)}};
            auto it = owner.find({o.topic, o.partition});
            jp["owner"] = it == owner.end() ? nlohmann::json(nullptr) : nlohmann::json(it->second);
            if (readTimes) {
                const std::optional<double> seconds =
                    timeLagJson({o.topic, o.partition}, o.committed, o.lag, times, s.takenAtMs, jp);
                if (seconds)
                    maxTimeLag = std::max(maxTimeLag.value_or(0.0), *seconds);
            }
            parts.push_back(std::move(jp));
        }
        nlohmann::json jg{{"group", g.groupId},
                          {"type", g.type.empty() ? nlohmann::json(nullptr) : nlohmann::json(g.type)},
                          {"state", g.state},
                          {"members", g.members.size()},
                          {"memberDetails", membersToJson(g)},
                          {"totalLag", g.offsetsKnown ? nlohmann::json(g.totalLag()) : nlohmann::json(nullptr)},
                          {"partitions", std::move(parts)}};
        if (readTimes)
            jg["maxTimeLagSeconds"] = maxTimeLag ? nlohmann::json(*maxTimeLag) : nlohmann::json(nullptr);
        if (g.groupEpoch >= 0)
            jg["groupEpoch"] = g.groupEpoch;
        if (!g.error.empty())
            jg["error"] = g.error;
        out["groups"].push_back(std::move(jg));
    }
    out["problems"] = snapshotToJson(s)["problems"];
    writeOutput(p, out.dump(1) + "\n");
    return 0;
}

int cmdWatch(const QStringList &args)
{
    QCommandLineParser p;
    addConnectionOptions(p);
    p.addOptions({{QStringLiteral("interval"), QStringLiteral("Seconds between samples (default 10)."),
                   QStringLiteral("SECONDS")},
                  {QStringLiteral("count"), QStringLiteral("Stop after N samples."), QStringLiteral("N")}});
    parseOrThrow(p, args);
    bool ok = true;
    const double interval = numberOption(p, "interval", 10, 1, 3600);
    const int count = p.isSet(QStringLiteral("count")) ? p.value(QStringLiteral("count")).toInt(&ok) : 0;
    if (!ok || count < 0)
        throw CliError("--count must be a whole number", 2);
    Database db(dbPath(p));
    SampleStore store(db);
    // The connection is resolved once (a password from stdin is read once); each sample has a client of its own (see
    // freshClient).
    const ConnectionProfile profile = resolveConnection(p);
    for (int n = 0; (count == 0 || n < count) && !g_cancel; ++n) {
        const auto started = std::chrono::steady_clock::now();
        // A light sample: watermarks, sizes and committed offsets; no configs.
        const ClusterSnapshot s = collectSnapshot(*freshClient(profile), true, true, false);
        warnPartial(s);
        const size_t bytes = store.record(s);
        // Older samples move to the coarser tiers (1 min after a day, 10 min after a week, gone after 90 days).
        const auto compacted = store.compact(s.clusterId, s.takenAtMs);
        nlohmann::json line{{"takenAt", formatIsoTime(s.takenAtMs)},
                            {"partitions", s.partitionCount()},
                            {"groups", s.groups.size()},
                            {"collectMs", s.durationMs},
                            {"frameBytes", bytes}};
        if (compacted.downsampled || compacted.deleted)
            line["downsampled"] = {{"written", compacted.downsampled}, {"deleted", compacted.deleted}};
        std::printf("%s\n", line.dump().c_str());
        std::fflush(stdout);
        if (count != 0 && n + 1 >= count)
            break;
        const auto next = started + std::chrono::milliseconds(int64_t(interval * 1000));
        while (!g_cancel && std::chrono::steady_clock::now() < next)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
}

// --client-az CIDR=AZ, repeatable.
std::vector<ClientAzRule> clientAzOptions(const QCommandLineParser &p)
{
    std::vector<ClientAzRule> rules;
    for (const QString &rule : p.values(QStringLiteral("client-az"))) {
        const qsizetype eq = rule.indexOf(QLatin1Char('='));
        if (eq <= 0)
            throw CliError("--client-az " + str(rule) + ": give CIDR=AZ, e.g. 10.1.0.0/16=us-east-1a", 2);
        rules.push_back({str(rule.left(eq)), str(rule.mid(eq + 1))});
    }
    try {
        validateClientAzRules(rules);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("--client-az: ") + e.what(), 2);
    }
    return rules;
}

int cmdTraffic(const QStringList &args)
{
    QCommandLineParser p;
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
    parseOrThrow(p, args);
    const std::string fmt = format(p);
    const int64_t span = parseDuration(p.isSet(QStringLiteral("history")) ? str(p.value(QStringLiteral("history")))
                                                                          : std::string("15m"));
    PricingProfile pricing;
    try {
        pricing = loadPricing(p.isSet(QStringLiteral("pricing")) ? str(p.value(QStringLiteral("pricing")))
                                                                 : std::string(kDefaultPricing));
    } catch (const FormatError &e) {
        throw CliError(e.what());
    }
    const double price = numberOption(p, "price-per-gb", pricing.price("crossAzPerGB").value, 0, 1000);
    const bool perGiB = pricing.crossAzPerGiB && !p.isSet(QStringLiteral("price-per-gb"));
    TrafficInputs inputs;
    inputs.clientAzs = clientAzOptions(p);
    const ClusterSnapshot now = obtainSnapshot(p, true, true); // configs: racks and replica.selector.class
    Database db(dbPath(p));
    // A saved profile's client AZ rules apply unless the command line gives its own.
    if (inputs.clientAzs.empty() && p.isSet(QStringLiteral("profile")))
        if (auto saved = ProfileStore(db).find(str(p.value(QStringLiteral("profile")))))
            inputs.clientAzs = saved->clientAzs;
    SampleStore store(db);
    SampleStore::History history = store.history(now.clusterId, now.takenAtMs - span, now.takenAtMs);
    appendSnapshot(history, now);
    TrafficInputs measured = trafficInputs(now, history);
    measured.clientAzs = inputs.clientAzs;
    const Traffic t = computeTraffic(now, measured);
    auto money = [&](double bytesPerSecond) {
        return monthlyCost(bytesPerSecond, price, perGiB, pricing.hoursPerMonth);
    };
    if (fmt == "table") {
        writeOutput(p, trafficTable(t, price, perGiB, pricing.currency, pricing.hoursPerMonth));
        return 0;
    }
    auto flow = [&](const FlowMatrix &m, const std::string &assumption) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto &from : t.azs) {
            nlohmann::json row = nlohmann::json::array();
            for (const auto &to : t.azs) {
                auto r = m.bytes.find(from);
                double v = 0;
                if (r != m.bytes.end())
                    if (auto c = r->second.find(to); c != r->second.end())
                        v = c->second;
                row.push_back(v);
            }
            rows.push_back(std::move(row));
        }
        return nlohmann::json{{"bytesPerSecond", rows},
                              {"crossAzBytesPerSecond", m.crossAz()},
                              {"totalBytesPerSecond", m.total()},
                              {"monthlyCost", money(m.crossAz())},
                              {"assumption", assumption}};
    };
    nlohmann::json topics = nlohmann::json::array();
    for (const auto &[name, tt] : t.topics)
        topics.push_back({{"topic", name},
                          {"producedBytesPerSecond", tt.produced},
                          {"produceCrossAzBytesPerSecond", tt.produceCross},
                          {"replicationCrossAzBytesPerSecond", tt.replicationCross},
                          {"consumeCrossAzBytesPerSecond", tt.consumeCross},
                          {"monthlyCost", money(tt.crossAz())}});
    const double saving = t.consume.crossAz() - t.consumeCrossWithFollowerFetching;
    nlohmann::json out{
        {"clusterId", now.clusterId},
        {"now", formatIsoTime(now.takenAtMs)},
        {"historyFrom", formatIsoTime(now.takenAtMs - span)},
        {"azs", t.azs},
        {"racksKnown", t.racksKnown},
        {"pricing",
         {{"name", pricing.name},
          {"currency", pricing.currency},
          {"crossAzPrice", price},
          {"unit", perGiB ? "GiB" : "GB"},
          {"source", p.isSet(QStringLiteral("price-per-gb")) ? std::string("--price-per-gb")
                                                             : pricing.price("crossAzPerGB").source},
          {"date", p.isSet(QStringLiteral("price-per-gb")) ? std::string() : pricing.price("crossAzPerGB").date}}},
        {"flows",
         {{"produce", flow(t.produce, t.produceAssumption)},
          {"replication", flow(t.replication, t.replicationBasis)},
          {"consume", flow(t.consume, t.consumeAssumption)}}},
        {"crossAzBytesPerSecond", t.crossAz()},
        {"monthlyCost", money(t.crossAz())},
        {"partitionsWithoutRate", t.partitionsWithoutRate},
        {"followerFetching",
         {{"configured", t.followerFetching},
          {"detail", t.followerFetchingDetail},
          {"consumeCrossAzBytesPerSecondWith", t.consumeCrossWithFollowerFetching},
          {"monthlySaving", money(saving)}}},
        {"topics", topics}};
    writeOutput(p, out.dump(1) + "\n");
    return 0;
}

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

int cmdPlan(const QStringList &args)
{
    QCommandLineParser p;
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
         {QStringLiteral("workload"), QStringLiteral("The workload as JSON written by hand (see the README)."),
          QStringLiteral("FILE")},
         {QStringLiteral("existing-follower-fetching"), QStringLiteral("The cluster has follower fetching on.")},
         {QStringLiteral("sweep"),
          QStringLiteral("Sensitivity: PARAM=FROM:TO:STEPS, twice (write, retention, groups, rf, local-retention)."),
          QStringLiteral("AXIS")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")}});
    parseOrThrow(p, args);
    const std::string fmt = format(p);
    // A workload file and scenario files hold the same options written as JSON; the command line wins over them.
    PlanOptionFiles files;
    if (p.isSet(QStringLiteral("workload")))
        files.load(str(p.value(QStringLiteral("workload"))), PlanOptionFile::Workload);
    QStringList kinds;
    for (const QString &kind : p.values(QStringLiteral("scenario"))) {
        const auto &known = scenarioKinds();
        if (std::find(known.begin(), known.end(), str(kind)) != known.end()) {
            kinds << kind;
        } else {
            files.options.scenarios.clear();
            files.load(str(kind), PlanOptionFile::Scenario);
            for (const auto &k : files.options.scenarios)
                kinds << QString::fromStdString(k);
        }
    }
    auto isSet = [&](const char *name) {
        return p.isSet(QString::fromLatin1(name)) || files.options.values.count(name) > 0;
    };
    auto value = [&](const char *name) {
        return p.isSet(QString::fromLatin1(name)) ? p.value(QString::fromLatin1(name))
                                                  : QString::fromStdString(files.options.values.at(name));
    };
    // Where a value came from, for messages: "--rf" or "workload.json: replicationFactor".
    auto where = [&](const char *name) {
        return p.isSet(QString::fromLatin1(name)) ? std::string("--") + name : files.options.origin.at(name);
    };
    PlanFile plan;
    std::optional<ClusterSnapshot> clusterNow; // when the workload comes from a cluster
    std::map<std::string, double> topicRates;  // bytes/s per topic, when the workload comes from a cluster
    int64_t nowMs = QDateTime::currentMSecsSinceEpoch();
    if (p.isSet(QStringLiteral("plan"))) {
        try {
            const std::string planPath = str(p.value(QStringLiteral("plan")));
            plan = decodeJsonFile(planPath, [](const nlohmann::json &doc) { return planFileFromJson(doc.dump()); });
            plan.pricing = pricingBesideFile(plan.pricing, planPath);
        } catch (const FormatError &e) {
            throw CliError(e.what());
        }
    } else if (p.isSet(QStringLiteral("bootstrap")) || p.isSet(QStringLiteral("profile")) ||
               p.isSet(QStringLiteral("input"))) {
        const int64_t span = parseDuration(p.isSet(QStringLiteral("history")) ? str(p.value(QStringLiteral("history")))
                                                                              : std::string("1h"));
        const ClusterSnapshot &now = clusterNow.emplace(obtainSnapshot(p, true, true));
        SampleStore::History history;
        if (!p.isSet(QStringLiteral("input"))) {
            history = SampleStore::read(dbPath(p), now.clusterId, now.takenAtMs, span);
        }
        appendSnapshot(history, now);
        plan.workload = workloadFrom(now, history);
        nowMs = now.takenAtMs;
        for (const auto &[tp, rate] : trafficInputs(now, history).produceBytesPerSecond)
            topicRates[tp.topic] += rate;
        plan.settings.existingBrokers = int(now.brokers.size());
        plan.settings.existingFollowerFetching = followerFetchingConfigured(now);
        if (const double local = localRetentionHoursFrom(now); local > 0)
            plan.settings.localRetentionHours = std::min(local, plan.workload.retentionHours);
    } else if (!isSet("write-mbps")) {
        throw CliError("plan: give a cluster (CONNECTION or --snapshot FILE), a saved --plan FILE, a --workload FILE, "
                       "or the workload by hand (--write-mbps and friends)",
                       2);
    } else {
        plan.workload.source = p.isSet(QStringLiteral("workload"))
                                   ? "workload file " + str(p.value(QStringLiteral("workload")))
                                   : std::string("entered by hand");
    }
    // Options given on the command line win over what was derived or saved. Every number is checked against its range
    // (planinputs.h) here, where it enters, naming the option or the file and key it came from.
    auto number = [&](const char *name, auto &target) {
        if (!isSet(name))
            return;
        const NumberField *field = numberField(name);
        bool ok = false;
        const double v = value(name).trimmed().toDouble(&ok);
        const std::string problem = !ok ? "must be a number, not \"" + str(value(name)) + "\"" : checkNumber(*field, v);
        if (!problem.empty())
            throw CliError(where(name) + " " + problem, 2);
        target = static_cast<std::remove_reference_t<decltype(target)>>(v);
    };
    number("write-mbps", plan.workload.writeMBps);
    if (isSet("write-mbps") && !isSet("peak-mbps"))
        plan.workload.peakWriteMBps = std::max(plan.workload.peakWriteMBps, plan.workload.writeMBps);
    number("peak-mbps", plan.workload.peakWriteMBps);
    number("retention-hours", plan.workload.retentionHours);
    number("rf", plan.workload.replicationFactor);
    number("groups", plan.workload.consumerGroups);
    number("azs", plan.workload.azs);
    number("partitions", plan.workload.partitions);
    number("existing-brokers", plan.settings.existingBrokers);
    number("dedicated-brokers", plan.settings.dedicatedBrokers);
    number("tiered-brokers", plan.settings.tieredBrokers);
    number("shared-brokers", plan.settings.sharedStorageBrokers);
    number("local-retention-hours", plan.settings.localRetentionHours);
    if (isSet("existing-instance"))
        plan.settings.existingInstance = str(value("existing-instance"));
    if (isSet("instance"))
        plan.settings.instanceType = str(value("instance"));
    if (isSet("wal"))
        plan.settings.wal = str(value("wal"));
    if (isSet("no-zone-routing"))
        plan.settings.zoneLocalRouting = false;
    if (isSet("existing-follower-fetching"))
        plan.settings.existingFollowerFetching = true;
    if (isSet("dedicated-follower-fetching"))
        plan.settings.dedicatedFollowerFetching = true;
    if (isSet("tiered-follower-fetching"))
        plan.settings.tieredFollowerFetching = true;
    if (isSet("pricing"))
        plan.pricing = str(value("pricing"));
    PricingProfile pricing;
    try {
        pricing = loadPricing(plan.pricing);
    } catch (const FormatError &e) {
        throw CliError(e.what());
    }
    Plan result;
    try {
        result = planCosts(plan.workload, plan.settings, pricing);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("plan: ") + e.what(), 2);
    }
    if (p.isSet(QStringLiteral("save")))
        writeFileAtomically(str(p.value(QStringLiteral("save"))), planFileToJson(plan));
    // Scenarios, each on every architecture.
    ReplaySettings replaySettings;
    double perMonth = 30, throttle = 100, add = 3;
    number("replay-days", replaySettings.days);
    number("replay-share", replaySettings.share);
    number("target-mbps", replaySettings.targetMBps);
    number("backfills-per-month", perMonth);
    number("throttle-mbps", throttle);
    number("add-brokers", add);
    if (add == 0)
        throw CliError(where("add-brokers") + " must not be 0 (a positive number adds brokers, a negative removes)", 2);
    replaySettings.followerFetching = isSet("follower-fetching");
    // Chosen topics: their share of the bytes produced.
    if (isSet("replay-topics")) {
        const QRegularExpression re(value("replay-topics"));
        if (!re.isValid())
            throw CliError(where("replay-topics") + ": not a valid regular expression: " + str(re.errorString()), 2);
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
        replaySettings.share = chosen / all;
    }
    // A time range instead of N days: it must still be within the retention.
    if (isSet("replay-from")) {
        int64_t from = 0, to = nowMs;
        try {
            from = parseTimeMs(str(value("replay-from")));
            if (isSet("replay-to"))
                to = parseTimeMs(str(value("replay-to")));
        } catch (const FormatError &e) {
            throw CliError(std::string("--replay-from/--replay-to: ") + e.what(), 2);
        }
        if (to <= from)
            throw CliError("--replay-to must be after --replay-from", 2);
        if (from < nowMs - int64_t(plan.workload.retentionHours * 3600 * 1000))
            throw CliError("--replay-from " + formatIsoTime(from) + " is before the retention (" +
                               std::to_string(int(plan.workload.retentionHours)) + " h): that data is gone",
                           2);
        replaySettings.days = double(to - from) / 86400000.0;
    }
    // A training run's replay: its bytes still retained and, on the existing cluster, where they are now.
    if (isSet("replay-run")) {
        bool ok = false;
        const int64_t id = value("replay-run").toLongLong(&ok);
        if (!ok || id <= 0)
            throw CliError(where("replay-run") + " must be a run's number (kafka-planner run list)", 2);
        if (!clusterNow)
            throw CliError("--replay-run needs the cluster the run read from (CONNECTION or --snapshot FILE)", 2);
        Database db(dbPath(p));
        const auto run = RunStore(db).find(id);
        if (!run)
            throw CliError("--replay-run: no training run " + std::to_string(id) + " in " + str(db.path()), 2);
        if (run->clusterId != clusterNow->clusterId)
            throw CliError("--replay-run: run " + std::to_string(id) + " read cluster " + run->clusterId + ", not " +
                               clusterNow->clusterId,
                           2);
        try {
            replaySettings = replayOfRun(*run, replaySource(*run, checkRun(*run, *clusterNow)), replaySettings);
        } catch (const std::invalid_argument &e) {
            throw CliError(std::string("--replay-run: ") + e.what(), 2);
        }
    }
    std::vector<ScenarioResult> scenarios;
    try {
        for (const QString &kind : kinds)
            for (const auto &a : result.architectures) {
                if (kind == QStringLiteral("replay"))
                    scenarios.push_back(replay(result, a.architecture, replaySettings, pricing));
                else if (kind == QStringLiteral("cadence"))
                    scenarios.push_back(refreshCadence(result, a.architecture, replaySettings, perMonth, pricing));
                else if (kind == QStringLiteral("scale"))
                    scenarios.push_back(scaleBrokers(result, a.architecture, int(add), throttle));
                else if (kind == QStringLiteral("failure"))
                    scenarios.push_back(
                        loseBrokerDuringReplay(result, a.architecture, replaySettings, throttle, pricing));
                else
                    throw CliError("--scenario " + str(kind) + ": say replay, cadence, scale or failure", 2);
            }
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("scenario: ") + e.what(), 2);
    }
    std::optional<nlohmann::json> sweep;
    if (p.isSet(QStringLiteral("sweep"))) {
        const QStringList axes = p.values(QStringLiteral("sweep"));
        if (axes.size() != 2)
            throw CliError("--sweep: give two axes, for example --sweep write=10:1000:100 --sweep retention=1:30:30",
                           2);
        if (fmt == "table")
            throw CliError("--sweep prints JSON (its points are many): leave out --format table", 2);
        try {
            const SweepAxis x = parseSweepAxis(str(axes[0])), y = parseSweepAxis(str(axes[1]));
            sweep = nlohmann::json::parse(sweepToJson(x, y, sensitivitySweep(plan, pricing, x, y), pricing.currency));
        } catch (const std::invalid_argument &e) {
            throw CliError(std::string("--sweep ") + e.what(), 2);
        }
    }
    if (fmt == "table") {
        writeOutput(p, planTable(result) + scenariosTable(scenarios));
        return 0;
    }
    nlohmann::json out = nlohmann::json::parse(planToJson(result));
    if (!scenarios.empty())
        out["scenarios"] = nlohmann::json::parse(scenariosToJson(scenarios));
    if (sweep)
        out["sweep"] = std::move(*sweep);
    writeOutput(p, out.dump(1) + "\n");
    return 0;
}

// `kafka-planner run`: training-run lineage (record, finish, list, show, check, manifest, commands, remove).
std::string isoOrDash(int64_t ms)
{
    return ms >= 0 ? formatIsoTime(ms) : std::string("-");
}

std::string bytesOrUnknown(int64_t b)
{
    return b >= 0 ? "~" + formatBytes(b) : std::string("unknown");
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

int cmdRun(const QStringList &args)
{
    QCommandLineParser p;
    addConnectionOptions(p);
    p.addPositionalArgument(QStringLiteral("action"),
                            QStringLiteral("record, finish ID, list, show ID, check ID, manifest ID, commands ID, "
                                           "remove ID"));
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
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")}});
    parseOrThrow(p, args);
    const QStringList pos = p.positionalArguments();
    if (pos.isEmpty())
        throw CliError("run: say record, finish ID, list, show ID, check ID, manifest ID, commands ID or remove ID", 2);
    const QString action = pos.first();
    const std::string fmt = format(p);
    Database db(dbPath(p));
    RunStore store(db);
    auto needRun = [&]() {
        bool ok = false;
        const int64_t id = pos.value(1).toLongLong(&ok);
        if (pos.size() < 2 || !ok)
            throw CliError("run " + str(action) + ": which run? give its number (kafka-planner run list)", 2);
        auto run = store.find(id);
        if (!run)
            throw CliError("no training run " + std::to_string(id) + " in " + str(db.path()));
        return *run;
    };
    const bool connected =
        p.isSet(QStringLiteral("profile")) || p.isSet(QStringLiteral("bootstrap")) || p.isSet(QStringLiteral("input"));
    // A snapshot of the run's cluster: the connection given, else the run's own bootstrap; refused when the cluster is
    // another one.
    auto snapshotOf = [&](const TrainingRun *run, bool groups, std::unique_ptr<KafkaClient> *keep) {
        ClusterSnapshot s;
        if (p.isSet(QStringLiteral("input"))) {
            s = obtainSnapshot(p, groups, true, true);
        } else {
            std::unique_ptr<KafkaClient> client;
            if (connected || !run) {
                client = makeClient(p);
            } else {
                ConnectionProfile profile;
                profile.name = "run " + std::to_string(run->id);
                profile.bootstrap = run->bootstrap;
                profile.timeoutMs = timeoutMs(p);
                try {
                    client = std::make_unique<KafkaClient>(profile, "cli");
                } catch (const std::exception &e) {
                    throw CliError(e.what());
                }
            }
            // With the topics' configs: which topics are tiered (their bytes per record and where their records
            // are, local or remote, depend on it).
            s = collectSnapshot(*client, groups, true, true);
            if (keep)
                *keep = std::move(client);
        }
        if (run && !run->clusterId.empty() && s.clusterId != run->clusterId)
            throw CliError("run " + std::to_string(run->id) + " was recorded on cluster " + run->clusterId +
                           ", this connection reaches cluster " + s.clusterId + ": connect to the run's cluster");
        return s;
    };
    if (action == QStringLiteral("record")) {
        RunRequest req;
        req.jobId = str(p.value(QStringLiteral("job")));
        req.model = str(p.value(QStringLiteral("model")));
        for (const QString &v : p.values(QStringLiteral("topic")))
            for (const QString &t : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
                req.topics.push_back(str(t.trimmed()));
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
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
        std::unique_ptr<KafkaClient> client;
        const ClusterSnapshot s = snapshotOf(nullptr, req.basis == RunBasis::GroupOffsets, &client);
        TrainingRun run;
        try {
            run = newRun(req, s);
            if (req.basis == RunBasis::GroupOffsets)
                startGroupRun(run, s);
            else if (client)
                resolveWindowRun(run, s, *client, client->profile().timeoutMs);
            else
                throw CliError("run record: a time window is resolved on the live cluster, not a snapshot file", 2);
        } catch (const std::invalid_argument &e) {
            throw CliError(std::string("run record: ") + e.what(), 2);
        } catch (const std::runtime_error &e) {
            if (dynamic_cast<const CliError *>(&e))
                throw;
            throw CliError(std::string("run record: ") + e.what());
        }
        run.id = store.add(run);
        writeOutput(p, fmt == "table" ? runTable(run, nullptr) : runJson(run, nullptr).dump(1) + "\n");
        return 0;
    }
    if (action == QStringLiteral("finish")) {
        TrainingRun run = needRun();
        if (run.basis != RunBasis::GroupOffsets)
            throw CliError("run " + std::to_string(run.id) + " is a time window: it was complete when recorded", 2);
        if (!run.open())
            throw CliError("run " + std::to_string(run.id) + " was finished at " + formatIsoTime(run.finishedAtMs), 2);
        const ClusterSnapshot s = snapshotOf(&run, true, nullptr);
        try {
            finishGroupRun(run, s);
        } catch (const std::invalid_argument &e) {
            throw CliError(std::string("run finish: ") + e.what());
        }
        store.update(run);
        writeOutput(p, fmt == "table" ? runTable(run, nullptr) : runJson(run, nullptr).dump(1) + "\n");
        return 0;
    }
    if (action == QStringLiteral("list")) {
        std::string out;
        nlohmann::json j = nlohmann::json::array();
        for (const auto &r : store.list()) {
            const std::string when = r.basis == RunBasis::TimeWindow
                                         ? isoOrDash(r.windowFromMs) + " .. " + isoOrDash(r.windowToMs)
                                         : "group " + r.group + (r.open() ? " (open)" : "");
            out += std::to_string(r.id) + "\t" + r.jobId + "\t" + r.model + "\t" + when + "\n";
            j.push_back({{"id", r.id},
                         {"jobId", r.jobId},
                         {"model", r.model},
                         {"basis", toString(r.basis)},
                         {"open", r.open()},
                         {"startedAt", isoOrDash(r.startedAtMs)}});
        }
        writeOutput(p, fmt == "table" ? out : j.dump(1) + "\n");
        return 0;
    }
    if (action == QStringLiteral("show")) {
        const TrainingRun run = needRun();
        writeOutput(p, fmt == "table" ? runTable(run, nullptr) : runJson(run, nullptr).dump(1) + "\n");
        return 0;
    }
    if (action == QStringLiteral("check")) {
        const TrainingRun run = needRun();
        const ClusterSnapshot s = snapshotOf(&run, false, nullptr);
        const auto checks = checkRun(run, s);
        writeOutput(p, fmt == "table" ? runTable(run, &checks) : runJson(run, &checks).dump(1) + "\n");
        // 0: every range can be replayed; 4: some records are gone.
        for (const auto &c : checks)
            if (c.state != Replayability::Replayable)
                return 4;
        return 0;
    }
    if (action == QStringLiteral("manifest")) {
        writeOutput(p, runManifestJson(needRun()));
        return 0;
    }
    if (action == QStringLiteral("commands")) {
        const TrainingRun run = needRun();
        const QString tool = p.value(QStringLiteral("tool"));
        if (!tool.isEmpty() && tool != QStringLiteral("kcat") && tool != QStringLiteral("console"))
            throw CliError("--tool must be kcat or console", 2);
        std::string out;
        for (const auto &r : run.ranges) {
            if (r.records() == 0)
                continue;
            const ReplayCommands c = replayCommands(run.bootstrap, r);
            if (tool != QStringLiteral("console"))
                out += c.kcat + "\n";
            if (tool != QStringLiteral("kcat"))
                out += c.consoleConsumer + "\n";
        }
        writeOutput(p, out);
        return 0;
    }
    if (action == QStringLiteral("remove")) {
        const TrainingRun run = needRun();
        store.remove(run.id);
        return 0;
    }
    throw CliError(
        "run: unknown action " + str(action) + " (record, finish, list, show, check, manifest, commands, remove)", 2);
}

// `kafka-planner review`: the readiness review kept in a JSON file (new, show, check, drill, milestone, compare,
// export).
ReviewDocument loadReview(const std::string &path)
{
    try {
        return decodeJsonFile(path, [](const nlohmann::json &doc) { return reviewFromJson(doc.dump()); });
    } catch (const FormatError &e) {
        throw CliError(e.what());
    }
}

void saveReview(const std::string &path, ReviewDocument &doc)
{
    doc.updatedAtMs = QDateTime::currentMSecsSinceEpoch();
    writeFileAtomically(path, reviewToJson(doc));
}

// An item's reasons for its colour, as one line.
std::string reasonsLine(const ItemStatus &status)
{
    std::string why;
    for (const auto &r : status.reasons)
        why += (why.empty() ? "" : "; ") + r;
    return why;
}

std::string scorecardTable(const ReviewDocument &doc, int64_t nowMs)
{
    std::string out = doc.name + " (" + formatIsoTime(nowMs) + ")\n";
    const ReviewPass *pass = nullptr;
    std::map<ReviewColor, int> counts;
    for (const auto &l : scorecard(doc, nowMs)) {
        if (l.pass != pass) {
            pass = l.pass;
            out += "\n" + pass->title + "\n";
        }
        ++counts[l.status.color];
        char line[160];
        std::snprintf(line, sizeof line, "  %-7s %-40s ", toString(l.status.color), l.item->title.c_str());
        out += line + reasonsLine(l.status) + "\n";
    }
    out += "\n" + std::to_string(counts[ReviewColor::Green]) + " green, " +
           std::to_string(counts[ReviewColor::Yellow]) + " yellow, " + std::to_string(counts[ReviewColor::Red]) +
           " red, " + std::to_string(counts[ReviewColor::NotApplicable]) + " not applicable\n";
    return out;
}

nlohmann::json scorecardJson(const ReviewDocument &doc, int64_t nowMs)
{
    nlohmann::json items = nlohmann::json::array();
    for (const auto &l : scorecard(doc, nowMs))
        items.push_back({{"pass", l.pass->id},
                         {"item", l.item->id},
                         {"title", l.item->title},
                         {"status", toString(l.status.color)},
                         {"why", l.status.reasons},
                         {"evidence", l.item->evidence.detail}});
    return {{"review", doc.name}, {"at", formatIsoTime(nowMs)}, {"items", std::move(items)}};
}

bool anyRed(const ReviewDocument &doc, int64_t nowMs)
{
    for (const auto &l : scorecard(doc, nowMs))
        if (l.status.color == ReviewColor::Red)
            return true;
    return false;
}

int cmdReview(const QStringList &args)
{
    QCommandLineParser p;
    addConnectionOptions(p);
    p.addPositionalArgument(QStringLiteral("action"),
                            QStringLiteral("new, show, set, check, drill, milestone, compare or export, then FILE"));
    p.addOptions(
        {{QStringLiteral("template"), QStringLiteral("new: a review template (default: the bundled one)."),
          QStringLiteral("FILE")},
         {QStringLiteral("name"), QStringLiteral("new: the review's name; milestone: the milestone's."),
          QStringLiteral("NAME")},
         {QStringLiteral("pipeline-topics"), QStringLiteral("new: the pipeline's topics (regex, default .*)."),
          QStringLiteral("REGEX")},
         {QStringLiteral("replay-window-hours"), QStringLiteral("new: the replay window retention must cover."),
          QStringLiteral("H")},
         {QStringLiteral("cross-az-budget"), QStringLiteral("new: agreed cross-AZ bytes per byte produced."),
          QStringLiteral("X")},
         {QStringLiteral("force"), QStringLiteral("new: replace an existing file.")},
         {QStringLiteral("no-write"), QStringLiteral("check: leave the file as it is.")},
         {QStringLiteral("item"), QStringLiteral("set: the item to edit; drill: the item the drill exercises."),
          QStringLiteral("ID")},
         {QStringLiteral("owner"), QStringLiteral("set: the owner (a person)."), QStringLiteral("PERSON")},
         {QStringLiteral("team"), QStringLiteral("set: the owner's team."), QStringLiteral("TEAM")},
         {QStringLiteral("runbook"), QStringLiteral("set: a runbook link or a repeatable command."),
          QStringLiteral("TEXT")},
         {QStringLiteral("threshold"), QStringLiteral("set: the pass/fail threshold."), QStringLiteral("TEXT")},
         {QStringLiteral("metric"), QStringLiteral("set: the observable metric."), QStringLiteral("TEXT")},
         {QStringLiteral("evidence"), QStringLiteral("set: what the evidence shows (dated now)."),
          QStringLiteral("TEXT")},
         {QStringLiteral("basis"), QStringLiteral("set: the evidence's basis: measured, pilot, vendor or none."),
          QStringLiteral("BASIS")},
         {QStringLiteral("passes"), QStringLiteral("set: whether the evidence passes the threshold: yes or no."),
          QStringLiteral("YES|NO")},
         {QStringLiteral("notes"), QStringLiteral("set: notes."), QStringLiteral("TEXT")},
         {QStringLiteral("not-applicable"), QStringLiteral("set: the item does not apply, for this reason."),
          QStringLiteral("REASON")},
         {QStringLiteral("applicable"), QStringLiteral("set: the item applies again.")},
         {QStringLiteral("waiver"), QStringLiteral("set: accept the risk until --waiver-until, for this reason."),
          QStringLiteral("REASON")},
         {QStringLiteral("waiver-until"), QStringLiteral("set: the waiver's last day."), QStringLiteral("YYYY-MM-DD")},
         {QStringLiteral("no-waiver"), QStringLiteral("set: remove the waiver.")},
         {QStringLiteral("seconds"), QStringLiteral("drill: how long to sample (default 120; Ctrl-C ends it)."),
          QStringLiteral("N")},
         {QStringLiteral("interval"), QStringLiteral("drill: seconds between samples (default 2)."),
          QStringLiteral("S")},
         {QStringLiteral("from"), QStringLiteral("compare: a milestone."), QStringLiteral("NAME")},
         {QStringLiteral("to"), QStringLiteral("compare: a milestone (default: the review now)."),
          QStringLiteral("NAME")},
         {QStringLiteral("as"), QStringLiteral("export: markdown, html, json or pdf (pdf needs --output)."),
          QStringLiteral("KIND")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")}});
    parseOrThrow(p, args);
    const QStringList pos = p.positionalArguments();
    if (pos.size() < 2)
        throw CliError("review: say new, show, set, check, drill, milestone, compare or export, then the review FILE",
                       2);
    const QString action = pos.at(0);
    const std::string file = str(pos.at(1));
    const std::string fmt = format(p);
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    if (action == QStringLiteral("new")) {
        if (QFileInfo::exists(QString::fromStdString(file)) && !p.isSet(QStringLiteral("force")))
            throw CliError(file + " exists: give --force to replace it", 2);
        ReviewTemplate t;
        try {
            if (p.isSet(QStringLiteral("template"))) {
                t = decodeJsonFile(str(p.value(QStringLiteral("template"))),
                                   [](const nlohmann::json &doc) { return reviewTemplateFromJson(doc.dump()); });
            } else {
                QFile bundled(QStringLiteral(":/review/readiness.json"));
                if (!bundled.open(QIODevice::ReadOnly))
                    throw CliError("the bundled review template is missing from this build");
                t = reviewTemplateFromJson(bundled.readAll().toStdString());
            }
        } catch (const FormatError &e) {
            throw CliError(e.what());
        }
        ReviewDocument doc = newReview(t, str(p.value(QStringLiteral("name"))));
        doc.inputs.pipelineTopics = p.isSet(QStringLiteral("pipeline-topics"))
                                        ? str(p.value(QStringLiteral("pipeline-topics")))
                                        : std::string(".*");
        doc.inputs.replayWindowHours = numberOption(p, "replay-window-hours", 168, 1, 876000);
        doc.inputs.crossAzFactorBudget = numberOption(p, "cross-az-budget", 0, 0, 1000);
        saveReview(file, doc);
        writeOutput(p, fmt == "table" ? scorecardTable(doc, now) : scorecardJson(doc, now).dump(1) + "\n");
        return 0;
    }
    ReviewDocument doc = loadReview(file);
    if (action == QStringLiteral("show")) {
        writeOutput(p, fmt == "table" ? scorecardTable(doc, now) : scorecardJson(doc, now).dump(1) + "\n");
        return anyRed(doc, now) ? 5 : 0;
    }
    if (action == QStringLiteral("check")) {
        const auto client = makeClient(p);
        const ClusterSnapshot s = collectSnapshot(*client, true, true, true);
        warnPartial(s);
        AutoEvidenceInputs in;
        in.pipelineTopics = doc.inputs.pipelineTopics;
        in.replayWindowHours = doc.inputs.replayWindowHours;
        in.crossAzFactorBudget = doc.inputs.crossAzFactorBudget;
        std::map<std::string, Evidence> evidence;
        try {
            evidence = autoEvidence(s, in);
        } catch (const std::invalid_argument &e) {
            throw CliError(file + ": inputs: " + e.what(), 2);
        }
        // Lineage: the runs recorded on this cluster that read the pipeline's topics.
        Database db(dbPath(p));
        for (auto &[id, e] : pipelineLineageEvidence(RunStore(db).all(), s, in.pipelineTopics))
            evidence[id] = e;
        const auto set = applyEvidence(doc, evidence);
        if (!p.isSet(QStringLiteral("no-write")))
            saveReview(file, doc);
        std::string note = "evidence refreshed from cluster " + s.clusterId + " for:";
        for (const auto &id : set)
            note += " " + id;
        std::fprintf(stderr, "%s\n", note.c_str());
        writeOutput(p, fmt == "table" ? scorecardTable(doc, now) : scorecardJson(doc, now).dump(1) + "\n");
        return anyRed(doc, now) ? 5 : 0;
    }
    if (action == QStringLiteral("drill")) {
        const std::string item = str(p.value(QStringLiteral("item")));
        const ReviewItem *it = doc.item(item);
        if (!it)
            throw CliError(
                "review drill: give --item, one of the review's items (kafka-planner review show " + file + ")", 2);
        if (!it->drill)
            throw CliError("review drill: " + item + " is not a drill item", 2);
        const double seconds = numberOption(p, "seconds", 120, 1, 86400);
        const double interval = numberOption(p, "interval", 2, 0.2, 3600);
        const ConnectionProfile profile = resolveConnection(p);
        DrillRecord rec;
        rec.item = item;
        std::map<std::string, int32_t> leaders, previous;
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(seconds * 1000));
        std::fprintf(stderr, "drill on %s: sampling every %.1f s for %.0f s (Ctrl-C ends it)\n", item.c_str(), interval,
                     seconds);
        while (!g_cancel && std::chrono::steady_clock::now() < until) {
            const auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(interval * 1000));
            ClusterSnapshot s;
            try {
                s = collectSnapshot(*freshClient(profile), true, false, false);
            } catch (const CliError &e) {
                if (g_cancel)
                    break;
                // A sample that could not be taken at all is what a person would want to see, not an abort.
                DrillSample d;
                d.takenAtMs = QDateTime::currentMSecsSinceEpoch();
                d.notes.push_back(e.what());
                std::fprintf(stderr, "sample failed: %s\n", e.what());
                std::this_thread::sleep_until(next);
                continue;
            }
            DrillSample d =
                drillSample(s, rec.samples.empty() ? nullptr : &previous, leaders, doc.inputs.pipelineTopics);
            previous = leaders;
            std::fprintf(stderr, "%s brokers %d, under-replicated %d, offline %d, leader moves %d\n",
                         formatIsoTime(d.takenAtMs).c_str(), d.brokers, d.underReplicated, d.offline, d.leaderMoves);
            rec.samples.push_back(std::move(d));
            std::this_thread::sleep_until(next);
        }
        if (rec.samples.empty())
            throw CliError("review drill: no sample could be taken; nothing recorded");
        rec.summary = summarizeDrill(rec.samples);
        applyDrill(doc, rec);
        saveReview(file, doc);
        writeOutput(p, fmt == "table" ? rec.summary.describe() + "\n"
                                      : nlohmann::json::parse(reviewToJson(doc)).at("drills").back().dump(1) + "\n");
        return 0;
    }
    if (action == QStringLiteral("set")) {
        const std::string id = str(p.value(QStringLiteral("item")));
        ReviewItem *item = doc.item(id);
        if (!item) {
            std::string ids;
            for (const auto &pass : doc.passes)
                for (const auto &i : pass.items)
                    ids += (ids.empty() ? "" : ", ") + i.id;
            throw CliError("review set: " + (id.empty() ? std::string("give --item ID") : "no item " + id) + " in " +
                               file + "; its items: " + ids,
                           2);
        }
        ItemEdit edit;
        auto text = [&](const char *name, std::optional<std::string> &field) {
            if (p.isSet(QString::fromLatin1(name)))
                field = p.value(QString::fromLatin1(name)).trimmed().toStdString();
        };
        text("owner", edit.ownerPerson);
        text("team", edit.ownerTeam);
        text("runbook", edit.runbook);
        text("threshold", edit.threshold);
        text("metric", edit.metric);
        text("notes", edit.notes);
        text("evidence", edit.evidenceDetail);
        if (p.isSet(QStringLiteral("basis"))) {
            edit.basis = evidenceBasisFromString(str(p.value(QStringLiteral("basis"))));
            if (!edit.basis)
                throw CliError("review set: --basis must be measured, pilot, vendor or none", 2);
            if (*edit.basis == EvidenceBasis::Drill)
                throw CliError("review set: drill evidence is what the app saw during a drill: record it with "
                               "`review drill`",
                               2);
        }
        if (p.isSet(QStringLiteral("passes"))) {
            const QString v = p.value(QStringLiteral("passes")).toLower();
            if (v != QStringLiteral("yes") && v != QStringLiteral("no"))
                throw CliError("review set: --passes must be yes or no", 2);
            edit.passes = v == QStringLiteral("yes");
        }
        if (p.isSet(QStringLiteral("not-applicable")) && p.isSet(QStringLiteral("applicable")))
            throw CliError("review set: --not-applicable and --applicable contradict each other", 2);
        if (p.isSet(QStringLiteral("not-applicable"))) {
            edit.notApplicable = true;
            text("not-applicable", edit.notApplicableReason);
            if (edit.notApplicableReason->empty())
                throw CliError("review set: --not-applicable needs a reason", 2);
        } else if (p.isSet(QStringLiteral("applicable"))) {
            edit.notApplicable = false;
            edit.notApplicableReason = std::string();
        }
        if (p.isSet(QStringLiteral("no-waiver"))) {
            if (p.isSet(QStringLiteral("waiver")) || p.isSet(QStringLiteral("waiver-until")))
                throw CliError("review set: --no-waiver and --waiver contradict each other", 2);
            edit.waiverReason = std::string();
            edit.waiverExpiresMs = 0;
        } else if (p.isSet(QStringLiteral("waiver")) || p.isSet(QStringLiteral("waiver-until"))) {
            text("waiver", edit.waiverReason);
            if (p.isSet(QStringLiteral("waiver-until"))) {
                const QDate until = QDate::fromString(p.value(QStringLiteral("waiver-until")), Qt::ISODate);
                if (!until.isValid())
                    throw CliError("review set: --waiver-until must be a date, YYYY-MM-DD", 2);
                edit.waiverExpiresMs = QDateTime(until, QTime(23, 59, 59), Qt::UTC).toMSecsSinceEpoch();
                if (*edit.waiverExpiresMs < now)
                    throw CliError("review set: --waiver-until " + str(p.value(QStringLiteral("waiver-until"))) +
                                       " has passed",
                                   2);
            } else if (item->waiverExpiresMs == 0) {
                throw CliError("review set: a waiver needs --waiver-until, its last day", 2);
            }
            if (edit.waiverReason.value_or(item->waiverReason).empty())
                throw CliError("review set: a waiver needs a reason (--waiver REASON): who accepted which risk", 2);
        }
        applyItemEdit(*item, edit, now);
        saveReview(file, doc);
        const ItemStatus st = evaluateItem(*item, now);
        if (fmt == "table") {
            const std::string why = reasonsLine(st);
            writeOutput(p, item->id + ": " + toString(st.color) + (why.empty() ? "" : " (" + why + ")") + "\n");
        } else {
            writeOutput(p, nlohmann::json{{"item", item->id},
                                          {"title", item->title},
                                          {"status", toString(st.color)},
                                          {"why", st.reasons}}
                                   .dump(1) +
                               "\n");
        }
        return 0;
    }
    if (action == QStringLiteral("milestone")) {
        try {
            const Milestone &m = addMilestone(doc, str(p.value(QStringLiteral("name"))), now);
            std::printf("%s %s\n", m.name.c_str(), m.sha256.c_str());
        } catch (const std::invalid_argument &e) {
            throw CliError(std::string("review milestone: ") + e.what(), 2);
        }
        saveReview(file, doc);
        return 0;
    }
    if (action == QStringLiteral("compare")) {
        auto find = [&](const QString &name) -> const Milestone & {
            for (const auto &m : doc.milestones)
                if (m.name == str(name))
                    return m;
            throw CliError("review compare: no milestone \"" + str(name) + "\" in " + file, 2);
        };
        if (!p.isSet(QStringLiteral("from")))
            throw CliError("review compare: give --from MILESTONE", 2);
        const Milestone &from = find(p.value(QStringLiteral("from")));
        ReviewDocument a, b = doc;
        int64_t bAt = now;
        try {
            a = milestoneReview(from);
            if (p.isSet(QStringLiteral("to"))) {
                const Milestone &to = find(p.value(QStringLiteral("to")));
                b = milestoneReview(to);
                bAt = to.createdAtMs;
            }
        } catch (const FormatError &e) {
            throw CliError(e.what());
        }
        const auto changes = compareReviews(a, from.createdAtMs, b, bAt);
        if (fmt == "table") {
            std::string out;
            for (const auto &c : changes) {
                out += c.title + " (" + toString(c.before) + " -> " + toString(c.after) + ")\n";
                for (const auto &ch : c.changes)
                    out += "  " + ch + "\n";
            }
            writeOutput(p, out.empty() ? "no changes\n" : out);
        } else {
            nlohmann::json j = nlohmann::json::array();
            for (const auto &c : changes)
                j.push_back({{"item", c.item},
                             {"title", c.title},
                             {"before", toString(c.before)},
                             {"after", toString(c.after)},
                             {"changes", c.changes}});
            writeOutput(p, j.dump(1) + "\n");
        }
        return 0;
    }
    if (action == QStringLiteral("export")) {
        const QString as = p.value(QStringLiteral("as"));
        if (as == QStringLiteral("markdown"))
            writeOutput(p, reviewMarkdown(doc, now));
        else if (as == QStringLiteral("html"))
            writeOutput(p, reviewHtml(doc, now));
        else if (as == QStringLiteral("json"))
            writeOutput(p, reviewToJson(doc));
        else if (as == QStringLiteral("pdf")) {
            if (!p.isSet(QStringLiteral("output")))
                throw CliError("review export --as pdf: give --output FILE", 2);
            if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
                throw CliError("review export --as pdf: this build cannot lay out PDF pages without a GUI application");
            writeOutput(p, reviewPdf(doc, now).toStdString());
        } else
            throw CliError("review export: --as markdown, html, json or pdf", 2);
        return 0;
    }
    throw CliError(
        "review: unknown action " + str(action) + " (new, show, set, check, drill, milestone, compare, export)", 2);
}

int cmdProfile(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, show, add or remove"));
    p.addOptions({{QStringLiteral("db"), QStringLiteral("Profile store."), QStringLiteral("FILE")},
                  {QStringLiteral("bootstrap"), QStringLiteral("Bootstrap servers."), QStringLiteral("HOSTS")},
                  {QStringLiteral("command-config"), QStringLiteral("Java client.properties."), QStringLiteral("FILE")},
                  {QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input.")},
                  {QStringLiteral("client-az"), QStringLiteral("Clients in this address block are in AZ (repeatable)."),
                   QStringLiteral("CIDR=AZ")}});
    parseOrThrow(p, args);
    const QStringList pos = p.positionalArguments();
    if (pos.isEmpty())
        throw CliError("profile: say list, show NAME, add NAME or remove NAME", 2);
    const QString action = pos.first();
    Database db(dbPath(p));
    ProfileStore store(db);
    auto needName = [&]() {
        if (pos.size() < 2)
            throw CliError("profile " + str(action) + ": which profile? give its NAME", 2);
        return str(pos.at(1));
    };
    if (action == QStringLiteral("list")) {
        for (const auto &pr : store.list())
            std::printf("%s\t%s\t%s\n", pr.name.c_str(), pr.bootstrap.c_str(), pr.securityProtocol.c_str());
        return 0;
    }
    if (action == QStringLiteral("show")) {
        auto pr = store.find(needName());
        if (!pr)
            throw CliError("no profile named '" + needName() + "'");
        nlohmann::json j{{"name", pr->name},
                         {"bootstrap", pr->bootstrap},
                         {"securityProtocol", pr->securityProtocol},
                         {"saslMechanism", pr->saslMechanism},
                         {"username", pr->username},
                         {"sslCaLocation", pr->sslCaLocation},
                         {"extra", pr->extra},
                         {"timeoutMs", pr->timeoutMs},
                         {"clientAzs", nlohmann::json::array()}};
        for (const auto &r : pr->clientAzs)
            j["clientAzs"].push_back({{"cidr", r.cidr}, {"az", r.az}});
        std::printf("%s\n", j.dump(1).c_str());
        return 0;
    }
    if (action == QStringLiteral("remove")) {
        const std::string name = needName();
        if (!store.remove(name))
            throw CliError("no profile named '" + name + "'");
        SecretStore::remove(QString::fromStdString(name), QStringLiteral("password"));
        return 0;
    }
    if (action == QStringLiteral("add")) {
        const std::string name = needName();
        ConnectionProfile pr;
        const std::string bootstrap = str(p.value(QStringLiteral("bootstrap")));
        if (p.isSet(QStringLiteral("command-config"))) {
            try {
                auto imported =
                    profileFromClientPropertiesFile(str(p.value(QStringLiteral("command-config"))), name, bootstrap);
                pr = imported.profile;
                for (const auto &k : imported.ignoredKeys)
                    std::fprintf(stderr, "kafka-planner: note: %s has no meaning here and was not kept\n", k.c_str());
            } catch (const FormatError &e) {
                throw CliError(e.what());
            }
        } else {
            pr.name = name;
            pr.bootstrap = bootstrap;
        }
        if (p.isSet(QStringLiteral("password-stdin")))
            pr.password = readPassword("");
        pr.clientAzs = clientAzOptions(p);
        store.save(pr);
        if (!pr.password.empty()) {
            auto r = SecretStore::write(QString::fromStdString(name), QStringLiteral("password"),
                                        QString::fromStdString(pr.password));
            if (!r.ok)
                std::fprintf(stderr,
                             "kafka-planner: note: the password was not saved (%s); it will be asked for when "
                             "needed and never written to disk\n",
                             str(r.error).c_str());
        }
        std::printf("saved profile %s\n", name.c_str());
        return 0;
    }
    throw CliError("profile: unknown action '" + str(action) + "' (list, show, add, remove)", 2);
}

} // namespace

bool needsGuiApplication(const QStringList &args)
{
    if (args.value(1) != QStringLiteral("review") || !args.contains(QStringLiteral("export")))
        return false;
    const qsizetype as = args.indexOf(QStringLiteral("--as"));
    return args.contains(QStringLiteral("--as=pdf")) || (as > 0 && args.value(as + 1) == QStringLiteral("pdf"));
}

bool isCliInvocation(const QStringList &args)
{
    return args.size() > 1 && (kCommands.contains(args.at(1)) || args.at(1) == QStringLiteral("--help") ||
                               args.at(1) == QStringLiteral("-h") || args.at(1) == QStringLiteral("--version"));
}

int run(const QStringList &args)
{
    std::signal(SIGINT, [](int) { g_cancel = true; });
    const QString command = args.value(1);
    QStringList rest = args;
    rest.removeAt(1); // QCommandLineParser expects argv[0] first
    try {
        if (kCommands.contains(command) && command != QStringLiteral("help") &&
            (rest.contains(QStringLiteral("--help")) || rest.contains(QStringLiteral("-h")))) {
            std::fputs(commandUsage(command).c_str(), stdout);
            return 0;
        }
        if (command == QStringLiteral("--version")) {
            std::printf("kafka-planner %s (librdkafka %s)\n", KP_VERSION, librdkafkaVersion().c_str());
            return 0;
        }
        if (command == QStringLiteral("snapshot"))
            return cmdSnapshot(rest);
        if (command == QStringLiteral("lag"))
            return cmdLag(rest);
        if (command == QStringLiteral("profile"))
            return cmdProfile(rest);
        if (command == QStringLiteral("watch"))
            return cmdWatch(rest);
        if (command == QStringLiteral("traffic"))
            return cmdTraffic(rest);
        if (command == QStringLiteral("plan"))
            return cmdPlan(rest);
        if (command == QStringLiteral("run"))
            return cmdRun(rest);
        if (command == QStringLiteral("review"))
            return cmdReview(rest);
        usage(stdout);
        return 0;
    } catch (const CliError &e) {
        std::fprintf(stderr, "kafka-planner: error: %s\n", e.what());
        if (e.code() == 2)
            std::fprintf(stderr, "(kafka-planner %s--help shows the usage)\n",
                         kCommands.contains(command) && command != QStringLiteral("help")
                             ? qPrintable(command + QLatin1Char(' '))
                             : "");
        return e.code();
    } catch (const StoreError &e) {
        std::fprintf(stderr, "kafka-planner: error: %s\n", e.what());
        return 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "kafka-planner: error: %s\n", e.what());
        return 1;
    }
}

} // namespace kp::cli
