#pragma once

#include "models/connectionprofile.h"
#include "models/lineage.h"
#include "models/scenarios.h"
#include "services/clustercontext.h"
#include "services/lineagedelivery.h"

#include <QWidget>
#include <atomic>
#include <map>
#include <memory>
#include <optional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace kp {

// The Runs page: training runs recorded in the store, each with its exact ranges, records and bytes, whether each
// range can still be replayed (against the open cluster's earliest offsets), the replay commands and the manifest.
// Recording resolves a time window on the cluster (batched offsets-for-times) or takes a group's committed offsets;
// recording and finishing send the run's OpenLineage events where an endpoint is set, and events left pending are sent
// again at each refresh. All store and network work runs off the GUI thread.
class RunsPage : public QWidget
{
    Q_OBJECT
public:
    // Shows what `context` shows, from its signals.
    explicit RunsPage(ClusterContext *context, QWidget *parent = nullptr);
    void reload();

    // What "Record run…" does once the dialog is accepted; also for tests.
    void record(const RunRequest &request);
    // "Finish": a group run's end offsets from a fresh look at the cluster.
    void finish(int64_t runId);
    void select(int64_t runId);
    const std::vector<TrainingRun> &runs() const { return m_runs; }
    const std::optional<TrainingRun> &shown() const { return m_shown; }
    const std::vector<RangeCheck> &checks() const { return m_checks; }
    QString lastError() const;
    // Where recording and finishing send OpenLineage events (the "OpenLineage…" dialog's setting, kept in QSettings).
    void setLineageEndpoint(const LineageEndpoint &endpoint);
    const LineageEndpoint &lineageEndpoint() const { return m_lineage; }
    const std::map<int64_t, int> &pendingLineage() const { return m_pending; } // run id -> events not sent yet

Q_SIGNALS:
    void runsLoaded();
    void runShown();
    void recorded(qint64 runId);
    void failed(const QString &message);
    // "Plan this replay": the shown run's bytes still retained, its window and its remote-tier share, for the Planner.
    void planReplay(const kp::ReplaySettings &run);

private:
    void subscribe(ClusterContext *context);
    void setStore(const QString &dbPath); // the SQLite file runs are kept in
    // The open cluster: its latest snapshot (replayability, topics and groups to choose from) and how to reach it.
    void setCluster(SnapshotPtr snapshot, std::optional<ConnectionProfile> profile);
    void showRun(const TrainingRun &run);
    QString describeRun(const TrainingRun &run) const;
    QString describeReplay(const TrainingRun &run, bool sameCluster);
    void showRanges(const TrainingRun &run, bool sameCluster);
    void openRecordDialog();
    void exportManifest();
    void copyCommands();
    void removeRun();
    void openLineageDialog();
    void tookDelivery(const LineageDelivery &delivery, const QString &error);
    void planShownReplay();
    void setError(const QString &message);
    void setFailure(const QString &message); // a read, record or export that failed: shown here and under Issues

    QString m_db;
    SnapshotPtr m_snapshot;
    std::optional<ConnectionProfile> m_profile;
    std::vector<TrainingRun> m_runs;
    std::optional<TrainingRun> m_shown;
    std::vector<RangeCheck> m_checks;
    std::optional<ReplaySettings> m_replay; // the shown run's replay, when it can be planned
    QTreeWidget *m_list = nullptr;
    QTreeWidget *m_ranges = nullptr;
    QLabel *m_summary = nullptr;
    QString emptySummary() const; // what to do first, with or without a connection
    QLabel *m_error = nullptr;
    QPushButton *m_record = nullptr, *m_finish = nullptr, *m_manifest = nullptr, *m_commands = nullptr,
                *m_remove = nullptr, *m_plan = nullptr;
    QPushButton *m_lineageButton = nullptr;
    bool m_busy = false;
    LineageEndpoint m_lineage;
    // Whether a worker is delivering OpenLineage events (shared with the workers, which may outlive the page).
    std::shared_ptr<std::atomic<bool>> m_delivering = std::make_shared<std::atomic<bool>>(false);
    std::map<int64_t, int> m_pending;
    QString m_lineageError; // why events wait, from the last delivery
};

} // namespace kp
