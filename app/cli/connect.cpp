// Connecting and collecting for the commands: see connect.h.

#include "cli/connect.h"

#include "cli/options.h"
#include "kafka/kafkaclient.h"
#include "kafka/snapshotcollector.h"
#include "models/connectionprofile.h"
#include "models/formaterror.h"
#include "models/overview.h"
#include "models/snapshotjson.h"

#include <QCommandLineParser>
#include <cstdio>
#include <memory>
#include <unistd.h>

namespace kp::cli {

ClusterSnapshot obtainSnapshot(const QCommandLineParser &p, bool includeGroups, bool includeLogDirs,
                               bool includeConfigs)
{
    if (p.isSet(QStringLiteral("input"))) {
        try {
            return loadSnapshotFile(str(p.value(QStringLiteral("input"))));
        } catch (const FormatError &e) {
            throw CliError(e.what());
        }
    }
    // The client is left to the process's end, not destroyed here: rd_kafka_destroy now and then waits a second for
    // a broker thread's poll (measured: 1,003 ms in 3 of 6 snapshots of the 50,000-partition cluster), and a command
    // that only reads has nothing to flush. The command writes its output and exits.
    KafkaClient *client = makeClient(p).release();
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
    CollectOptions options;
    options.timeoutMs = client.profile().timeoutMs;
    options.includeGroups = includeGroups;
    options.includeLogDirs = includeLogDirs;
    options.includeConfigs = includeConfigs;
    return collectSnapshot(client, options);
}

ClusterSnapshot collectSnapshot(KafkaClient &client, const CollectOptions &options)
{
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
    } catch (const std::runtime_error &e) { // CollectError, or Cancelled by Ctrl+C (drills and watch stop on it)
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

} // namespace kp::cli
