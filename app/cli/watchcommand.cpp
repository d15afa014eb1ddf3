// `kafka-planner watch`: samples a cluster at an interval into the lag history.

#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "models/connectionprofile.h"
#include "models/snapshotjson.h"
#include "services/sampler.h"

#include <QCommandLineParser>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

namespace kp::cli {

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
    Sampler sampler(dbPath(p));
    sampler.open();
    // The connection is resolved once (a password from stdin is read once); each sample has a client of its own (see
    // freshClient).
    const ConnectionProfile profile = resolveConnection(p);
    for (int n = 0; (count == 0 || n < count) && !g_cancel; ++n) {
        const auto started = std::chrono::steady_clock::now();
        const ClusterSnapshot s = collectSnapshot(*freshClient(profile), Sampler::lightOptions(profile.timeoutMs));
        warnPartial(s);
        const auto recorded = sampler.record(s); // downsampled as it goes (see Sampler)
        const size_t bytes = recorded ? recorded->frameBytes : 0;
        const SampleStore::CompactResult compacted = recorded ? recorded->compacted : SampleStore::CompactResult{};
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

} // namespace kp::cli
