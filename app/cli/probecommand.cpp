// `kafka-planner probe replay`: a bounded, read-only replay of a window of topics, measured (services/replayprobe).

#include "cli/commands.h"
#include "cli/options.h"
#include "kafka/snapshotcollector.h"
#include "models/cancelled.h"
#include "models/laghistoryjson.h"
#include "models/replayprobe.h"
#include "models/units.h"
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

// --max-bytes SIZE; CliError (exit 2) naming the option otherwise.
int64_t sizeOption(const QCommandLineParser &p, const std::string &option)
{
    const std::string text = str(p.value(QString::fromStdString(option)));
    if (const auto bytes = parseSize(text))
        return *bytes;
    throw CliError("--" + option + " " + text + ": give a size of at least 1 byte, e.g. 500MB or 2GiB", 2);
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
    r.maxBytes = sizeOption(p, "max-bytes");
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
