#pragma once

// Training runs for the command line and the Runs page alike: record, finish, check, list, find and remove. Every call
// blocks (the store's file, and the cluster for the look): the window makes its calls off the GUI thread. Each call
// opens the store itself, so that a worker thread never shares a database connection.

#include "kafka/kafkaclient.h"
#include "kafka/snapshotcollector.h"
#include "models/lineage.h"
#include "services/lineagedelivery.h"

#include <QString>
#include <atomic>
#include <optional>
#include <vector>

namespace kp {

// A look at a cluster for its runs: metadata, watermarks, sizes, group offsets and the topics' configs (which topics
// are tiered: a range's bytes per record, and whether its records are local or remote, depend on it).
ClusterSnapshot lookForRuns(KafkaClient &client, const std::atomic<bool> *cancel = nullptr,
                            const SnapshotCollector::ProgressFn &progress = {});

class RunService
{
public:
    // `lineage` configured: recording and finishing runs queue their OpenLineage events for it (deliverLineage
    // sends them).
    explicit RunService(QString dbPath, LineageEndpoint lineage = {})
        : m_dbPath(std::move(dbPath)), m_lineage(std::move(lineage))
    {}

    // Records the run `request` describes (validate() it first) from `look` (lookForRuns on the run's cluster): a
    // group run starts at the group's committed offsets, a time window's offsets are asked of the cluster through
    // `client` (ListOffsets by time). Returns the stored run with its id. std::invalid_argument: the request does
    // not fit the cluster, or a time window without a client (a snapshot file cannot resolve times).
    TrainingRun record(const RunRequest &request, const ClusterSnapshot &look, KafkaClient *client) const;
    // Ends an open group run at the group's committed offsets in `look` and stores it. std::runtime_error when `look`
    // is another cluster; std::invalid_argument when the group's offsets do not fit the run.
    TrainingRun finish(TrainingRun run, const ClusterSnapshot &look) const;
    // The same on the cluster `profile` reaches, looked at now (a client of its own, closed after): what the Runs
    // page calls. Throws what connecting, record() and finish() throw.
    TrainingRun recordOn(const ConnectionProfile &profile, const RunRequest &request) const;
    TrainingRun finishOn(const ConnectionProfile &profile, TrainingRun run) const;
    // Whether each of the run's ranges can still be replayed; std::runtime_error when `look` is another cluster.
    static std::vector<RangeCheck> check(const TrainingRun &run, const ClusterSnapshot &look);

    std::vector<TrainingRun> list() const; // newest first, without ranges
    std::vector<TrainingRun> all() const;  // newest first, with ranges
    std::optional<TrainingRun> find(int64_t id) const;
    bool remove(int64_t id) const;

    // Sends the store's pending OpenLineage events (services/lineagedelivery.h).
    LineageDelivery deliverLineage() const;
    std::map<int64_t, int> pendingLineage() const; // run id -> events not sent yet
    std::vector<QueuedLineageEvent> lineageEventsOf(int64_t runId) const;

    // std::invalid_argument unless `run` is a group run not finished yet (only those can be finished).
    static void requireOpenGroupRun(const TrainingRun &run);
    // std::runtime_error naming both clusters when `look` is not the cluster the run was recorded on.
    static void requireSameCluster(const TrainingRun &run, const ClusterSnapshot &look);

    const QString &dbPath() const { return m_dbPath; }

private:
    QString m_dbPath;
    LineageEndpoint m_lineage;
};

} // namespace kp
