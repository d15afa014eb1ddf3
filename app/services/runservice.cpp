#include "services/runservice.h"

#include "kafka/offsetlookup.h"
#include "models/snapshotjson.h"
#include "store/database.h"
#include "store/runstore.h"

#include <stdexcept>

namespace kp {

ClusterSnapshot lookForRuns(KafkaClient &client, const std::atomic<bool> *cancel,
                            const SnapshotCollector::ProgressFn &progress)
{
    CollectOptions options;
    options.timeoutMs = client.profile().timeoutMs;
    return SnapshotCollector(client, options).collect(cancel, progress);
}

TrainingRun RunService::record(const RunRequest &request, const ClusterSnapshot &look, KafkaClient *client) const
{
    TrainingRun run = newRun(request, look);
    if (request.basis == RunBasis::GroupOffsets)
        startGroupRun(run, look);
    else if (client)
        resolveWindowRun(run, look, *client, client->profile().timeoutMs);
    else
        throw std::invalid_argument("a time window is resolved on the live cluster, not a snapshot file");
    Database db(m_dbPath);
    const auto events = run.open() ? std::vector{LineageEventType::Start}
                                   : std::vector{LineageEventType::Start, LineageEventType::Complete};
    run.id = RunStore(db).add(run, m_lineage.send(events));
    run.revision = 1; // as stored
    return run;
}

TrainingRun RunService::recordOn(const ConnectionProfile &profile, const RunRequest &request) const
{
    KafkaClient client(profile, "app-runs");
    return record(request, lookForRuns(client), &client);
}

TrainingRun RunService::finishOn(const ConnectionProfile &profile, TrainingRun run) const
{
    KafkaClient client(profile, "app-runs");
    return finish(std::move(run), lookForRuns(client));
}

TrainingRun RunService::finish(TrainingRun run, const ClusterSnapshot &look) const
{
    requireOpenGroupRun(run);
    requireSameCluster(run, look);
    finishGroupRun(run, look);
    Database db(m_dbPath);
    RunStore(db).update(run, m_lineage.send({LineageEventType::Complete}));
    ++run.revision;
    return run;
}

std::vector<RangeCheck> RunService::check(const TrainingRun &run, const ClusterSnapshot &look)
{
    requireSameCluster(run, look);
    return checkRun(run, look);
}

std::vector<TrainingRun> RunService::list() const
{
    Database db(m_dbPath);
    return RunStore(db).list();
}

std::vector<TrainingRun> RunService::all() const
{
    Database db(m_dbPath);
    return RunStore(db).all();
}

std::optional<TrainingRun> RunService::find(int64_t id) const
{
    Database db(m_dbPath);
    return RunStore(db).find(id);
}

bool RunService::remove(int64_t id) const
{
    Database db(m_dbPath);
    return RunStore(db).remove(id);
}

LineageDelivery RunService::deliverLineage() const
{
    return kp::deliverLineage(m_dbPath, m_lineage);
}

std::map<int64_t, int> RunService::pendingLineage() const
{
    Database db(m_dbPath);
    return LineageOutbox(db).pendingPerRun();
}

std::vector<QueuedLineageEvent> RunService::lineageEventsOf(int64_t runId) const
{
    Database db(m_dbPath);
    return LineageOutbox(db).eventsOf(runId);
}

void RunService::requireOpenGroupRun(const TrainingRun &run)
{
    if (run.basis != RunBasis::GroupOffsets)
        throw std::invalid_argument("run " + std::to_string(run.id) +
                                    " is a time window: it was complete when recorded");
    if (!run.open())
        throw std::invalid_argument("run " + std::to_string(run.id) + " was finished at " +
                                    formatIsoTime(run.finishedAtMs));
}

void RunService::requireSameCluster(const TrainingRun &run, const ClusterSnapshot &look)
{
    if (!run.clusterId.empty() && look.clusterId != run.clusterId)
        throw std::runtime_error("run " + std::to_string(run.id) + " was recorded on cluster " + run.clusterId +
                                 ", this connection reaches cluster " + look.clusterId +
                                 ": connect to the run's cluster");
}

} // namespace kp
