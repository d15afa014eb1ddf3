#pragma once

#include "analysis/lagdata.h"
#include "models/traffic.h"
#include "services/clustercontext.h"
#include "store/historywindow.h"
#include "ui/jobs.h"

#include <QWidget>
#include <atomic>
#include <map>
#include <memory>
#include <optional>

class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

class QHBoxLayout;

namespace kp {

class LagGroupsModel;
class LagPartitionsModel;
class WaveMarks;

// The Lag page: groups (state, members, total lag, max time lag, status), sortable and filterable, optionally from one
// topic's side; the selected group's partitions; its lag and time lag over a chosen window from the store, updated as
// samples arrive; CSV and PNG export. History is read and evaluated off the GUI thread.
class LagPage : public QWidget
{
    Q_OBJECT
public:
    // Shows what `context` shows, from its signals.
    explicit LagPage(ClusterContext *context, QWidget *parent = nullptr);
    ~LagPage() override;

    void reload();
    // As a person would: the group stays chosen across reloads.
    bool chooseGroup(const QString &group);
    QString selectedGroup() const;
    void setTopic(const QString &topic); // "" for all topics
    void setWindowMinutes(int minutes);

    // The selected group's partitions, or every group when none is selected: raw values, one header line. The Export
    // CSV button writes it on a worker.
    QByteArray csv() const;
    QImage chartImage() const; // the chart at 1200 x 500, what Export PNG writes (on a worker)

    const LagData *data() const { return m_data.get(); }
    // The rows shown were built without the history: its window is being read (or could not be).
    bool historyPending() const { return m_historyPending; }
    const LagGroupsModel *groupsModel() const { return m_groups; } // the rows shown, filtered and sorted
    QSortFilterProxyModel *partitionsProxy() const { return m_partitionsProxy; }
    int chartPoints() const { return m_chartPoints; }
    int recordChartPoints() const { return m_recordChartPoints; } // time lags on the chart read from records
    QString waveText() const;                                     // the shown group's refresh wave, "" for none
    bool waveMarked() const;                                      // its span shaded on the chart

Q_SIGNALS:
    void dataShown();
    void chartShown();
    void ratesReady(kp::PartitionRatesPtr bytesPerSecond);

private:
    void subscribe(ClusterContext *context);
    QHBoxLayout *buildBar();
    void buildTables();
    void buildChart();
    // `historyDb` empty: no recorded history (a snapshot file, the demo).
    void setSnapshot(SnapshotPtr snapshot, const QString &historyDb);
    // The open cluster's connection (none for a snapshot file): where the history cannot tell a lagging partition's
    // time lag, the page reads the first record the group has not consumed (never commits) and shows its age.
    void setConnection(std::optional<ConnectionProfile> profile);
    void showData(std::shared_ptr<const LagData> data, const QString &note);
    void openWindow(int64_t windowMs);
    void showGroup();
    void plot(const std::vector<LagPoint> &series);
    void showWave();
    bool selectGroup(const QString &group); // the program's choice, not a person's (see m_programmatic)
    void readRecordTimes(const std::string &group);

    SnapshotPtr m_snapshot;
    QString m_historyDb;
    // Follows the newest samples: each sample decodes what is new, not the whole window again.
    std::shared_ptr<HistoryWindow> m_history = std::make_shared<HistoryWindow>();
    ui::JobLane m_opening;  // the window's first read of a file, cluster and span, beside the page's builds
    QString m_historyError; // why that read failed; cleared by the next snapshot, which tries again
    bool m_historyPending = false;
    std::shared_ptr<const LagData> m_data;
    LagGroupsModel *m_groups = nullptr;
    LagPartitionsModel *m_partitions = nullptr;
    QSortFilterProxyModel *m_partitionsProxy = nullptr;
    QTableView *m_groupsView = nullptr;
    QTableView *m_partitionsView = nullptr;
    QCustomPlot *m_plot = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_topic = nullptr;
    QComboBox *m_window = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_waveNote = nullptr;
    std::unique_ptr<WaveMarks> m_waveMarks;
    QString m_wantedGroup;
    bool m_userChose = false;
    bool m_programmatic = false;
    ui::SerialLane m_job;   // the page's read and rows, one at a time
    ui::JobLane m_chartJob; // the chosen group's chart
    int m_chartPoints = 0;
    int m_recordChartPoints = 0;
    std::optional<ConnectionProfile> m_connection;
    std::shared_ptr<const std::map<PartitionOffset, RecordTime>> m_recordTimes;
    ui::JobLane m_timesRead; // the record read under way
};

} // namespace kp
