// `kafka-planner watch`: samples one or several clusters at an interval into the lag history, as a long-running
// service (packaging/kafka-planner-watch.service) or for a while (--count).

#include "cli/commands.h"
#include "cli/options.h"
#include "services/watchservice.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <cstdio>

namespace kp::cli {

namespace {

void printEvent(const nlohmann::json &line)
{
    std::printf("%s\n", line.dump().c_str());
    std::fflush(stdout);
    if (line.contains("error"))
        std::fprintf(stderr, "kafka-planner: watch: %s: %s (trying again in %.0f s)\n",
                     line.at("profile").get<std::string>().c_str(), line.at("error").get<std::string>().c_str(),
                     line.at("retryIn").get<double>());
}

} // namespace

int cmdWatch(const QStringList &args)
{
    QCommandLineParser p;
    addConnectionOptions(p);
    p.addOptions(
        {{QStringLiteral("interval"), QStringLiteral("Seconds between samples (default 10)."),
          QStringLiteral("SECONDS")},
         {QStringLiteral("count"), QStringLiteral("Stop after N samples of each cluster."), QStringLiteral("N")},
         {QStringLiteral("metrics"),
          QStringLiteral("Serve Prometheus metrics (kafka-lag-exporter's names) at http://HOST:PORT/metrics."),
          QStringLiteral("HOST:PORT")}});
    parseOrThrow(p, args);
    bool ok = true;
    WatchOptions options;
    options.intervalSeconds = numberOption(p, "interval", 10, 1, 3600);
    options.count = p.isSet(QStringLiteral("count")) ? p.value(QStringLiteral("count")).toInt(&ok) : 0;
    if (!ok || options.count < 0)
        throw CliError("--count must be a whole number", 2);
    options.metrics = str(p.value(QStringLiteral("metrics")));
    // Resolved once (a password from stdin is read once); each sample has a client of its own.
    const std::vector<ConnectionProfile> profiles = resolveConnections(p);
    try {
        runWatch(dbPath(p), profiles, options, g_cancel, printEvent);
    } catch (const StoreError &) {
        throw;
    } catch (const std::runtime_error &e) { // the metrics address: refused before any sampling
        throw CliError(e.what(), 2);
    }
    return 0;
}

} // namespace kp::cli
