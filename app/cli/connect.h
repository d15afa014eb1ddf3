#pragma once

// Connecting and collecting for the commands: a snapshot from the connection options or a file, with progress on a
// terminal and Ctrl+C honoured, and the warnings a partial snapshot gives.

#include "kafka/kafkaclient.h"
#include "kafka/snapshotcollector.h"
#include "models/clustersnapshot.h"
#include "models/connectionprofile.h"

#include <QCommandLineParser>
#include <memory>

namespace kp::cli {

// --input FILE, else a collection over the connection options.
ClusterSnapshot obtainSnapshot(const QCommandLineParser &p, bool includeGroups, bool includeLogDirs,
                               bool includeConfigs = true);
std::unique_ptr<KafkaClient> makeClient(const QCommandLineParser &p);
// A client for one collection only (watch and drills take one per sample).
std::unique_ptr<KafkaClient> freshClient(const ConnectionProfile &profile);
// With progress on a terminal; Ctrl+C and a failed collection end as CliError.
ClusterSnapshot collectSnapshot(KafkaClient &client, bool includeGroups, bool includeLogDirs, bool includeConfigs);
ClusterSnapshot collectSnapshot(KafkaClient &client, const CollectOptions &options);
void warnPartial(const ClusterSnapshot &s);  // what could not be read, on stderr
void warnFindings(const ClusterSnapshot &s); // what needs a person (tiered uploads that appear stalled), on stderr

} // namespace kp::cli
