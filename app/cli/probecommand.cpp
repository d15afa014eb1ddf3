// `kafka-planner probe replay`: a bounded, read-only replay of a window of topics, measured (services/replayprobe).

#include "cli/commands.h"
#include "cli/options.h"
#include "kafka/snapshotcollector.h"
#include "models/cancelled.h"
#include "models/laghistoryjson.h"
#include "models/replayprobe.h"
#include "services/replayprobe.h"

#include <QCommandLineParser>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace kp::cli {

namespace {

void addProbeOptions(QCommandLineParser &p)
{
    addConnectionOptions(p);
    p.addPositionalArgument(QStringLiteral("replay"), QStringLiteral("The probe to run (replay)."));
    p.addOptions(
        {{QStringLiteral("topic"), QStringLiteral("Topics to read (a regular expression)."), QStringLiteral("REGEX")},
         {QStringLiteral("from"), QStringLiteral("Read from the first record at or after TIME (ISO 8601)."),
          QStringLiteral("TIME")},
         {QStringLiteral("earliest"), QStringLiteral("Read from each partition's earliest offset.")},
         {QStringLiteral("max-bytes"), QStringLiteral("Stop after this many record bytes (e.g. 500MB, 2GiB)."),
          QStringLiteral("SIZE")},
         {QStringLiteral("max-seconds"), QStringLiteral("Stop after this many seconds."), QStringLiteral("N")},
         {QStringLiteral("throttle"), QStringLiteral("Read at most this many MB/s (10^6 bytes)."),
          QStringLiteral("MB/s")},
         {QStringLiteral("client-rack"), QStringLiteral("The AZ the reader runs in (client.rack)."),
          QStringLiteral("AZ")},
         {QStringLiteral("fetchers"), QStringLiteral("Readers side by side (default 1)."), QStringLiteral("N")},
         {QStringLiteral("output"), QStringLiteral("Write the result to FILE."), QStringLiteral("FILE")}});
}

// "500MB", "2GiB", "1000": bytes; CliError (exit 2) naming the option otherwise.
int64_t parseSize(const std::string &option, const std::string &text)
{
    static const std::pair<const char *, double> kUnits[] = {
        {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
        {"KB", 1e3},     {"MB", 1e6},        {"GB", 1e9},           {"TB", 1e12},
        {"B", 1}};
    double scale = 1;
    std::string number = text;
    for (const auto &[unit, factor] : kUnits) {
        const std::string u(unit);
        if (number.size() > u.size() && number.compare(number.size() - u.size(), u.size(), u) == 0) {
            number.resize(number.size() - u.size());
            scale = factor;
            break;
        }
    }
    bool ok = false;
    const double value = QString::fromStdString(number).trimmed().toDouble(&ok) * scale;
    if (!ok || !std::isfinite(value) || value < 1 || value > 9.2e18)
        throw CliError("--" + option + " " + text + ": give a size of at least 1 byte, e.g. 500MB or 2GiB", 2);
    return int64_t(value);
}

ProbeRequest probeRequest(const QCommandLineParser &p)
{
    if (p.positionalArguments() != QStringList{QStringLiteral("replay")})
        throw CliError("say which probe: kafka-planner probe replay CONNECTION ...", 2);
    ProbeRequest r;
    r.topicRegex = str(p.value(QStringLiteral("topic")));
    const bool from = p.isSet(QStringLiteral("from")), earliest = p.isSet(QStringLiteral("earliest"));
    if (from == earliest)
        throw CliError("give either --from TIME or --earliest: where the replay starts", 2);
    if (!p.isSet(QStringLiteral("max-bytes")) || !p.isSet(QStringLiteral("max-seconds")))
        throw CliError("a probe needs both bounds: --max-bytes SIZE and --max-seconds N", 2);
    try {
        if (from)
            r.fromMs = parseTimeMs(str(p.value(QStringLiteral("from"))));
    } catch (const std::exception &e) {
        throw CliError(std::string("--from: ") + e.what(), 2);
    }
    r.maxBytes = parseSize("max-bytes", str(p.value(QStringLiteral("max-bytes"))));
    r.maxSeconds = numberOption(p, "max-seconds", 0, 0.001, 86400);
    if (p.isSet(QStringLiteral("throttle")))
        r.throttleMBps = numberOption(p, "throttle", 0, 1e-6, 100000);
    r.clientRack = str(p.value(QStringLiteral("client-rack")));
    r.fetchers = int(numberOption(p, "fetchers", 1, 1, 64));
    try {
        validateProbeRequest(r);
    } catch (const std::invalid_argument &e) {
        throw CliError(e.what(), 2);
    }
    return r;
}

} // namespace

int cmdProbe(const QStringList &args)
{
    QCommandLineParser p;
    addProbeOptions(p);
    parseOrThrow(p, args);
    const ProbeRequest request = probeRequest(p); // every input checked before the cluster is asked anything
    const std::string fmt = format(p);
    const ConnectionProfile profile = resolveConnection(p);
    ProbeResult r;
    try {
        r = runReplayProbe(profile, request, &g_cancel,
                           [](const std::string &step) { std::fprintf(stderr, "probe: %s\n", step.c_str()); });
    } catch (const ProbeRefused &e) {
        throw CliError(e.what(), 2);
    } catch (const Cancelled &) {
        throw CliError("cancelled before reading started");
    }
    for (const auto &problem : r.problems)
        std::fprintf(stderr, "kafka-planner: warning: %s\n", problem.c_str());
    writeOutput(p, fmt == "table" ? probeResultTable(r) : probeResultToJson(r).dump(1) + "\n");
    return 0;
}

} // namespace kp::cli
