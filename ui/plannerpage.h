#pragma once

#include "models/costmodel.h"
#include "models/probecheck.h"
#include "models/scenarios.h"
#include "services/clustercontext.h"
#include "ui/jobs.h"

#include <QWidget>
#include <functional>
#include <map>

class QCheckBox;
class QDateTimeEdit;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QLineEdit;
class QSpinBox;
class QTabWidget;
class QTreeWidget;

namespace kp {

// The Planner page: a workload (from the open cluster and its history, a saved plan, or by hand), settings and a
// pricing profile; the four architectures side by side with every line's formula; a stacked chart of monthly cost;
// save and reopen plans; CSV, PNG and PDF export. The cost model is pure arithmetic: it runs as the inputs change.
class PlannerPage : public QWidget
{
    Q_OBJECT
public:
    // Shows what `context` shows, from its signals.
    explicit PlannerPage(ClusterContext *context, QWidget *parent = nullptr);

    void deriveFromCluster(); // off the GUI thread
    void setPlanFile(const PlanFile &plan);
    PlanFile planFile() const;
    const Plan *plan() const { return m_plan ? &*m_plan : nullptr; }
    QString error() const;

    // The plan file's text (the Save plan button writes it on a worker).
    QByteArray planText() const;
    bool openPlan(const QString &path, QString *error);
    // Each architecture's cost lines and total as CSV, empty when there is no plan (the Export CSV button writes it
    // on a worker).
    QByteArray csv() const;
    QImage chartImage() const;                 // the chart at 1200 x 600, what a .png export writes (on a worker)
    bool exportPdf(const QString &path) const; // laid out and written here: QPdfWriter belongs to the GUI thread

    enum class Chart { MonthlyCost, CostAgainstRetention, ReplayDuration, CheapestByRateAndRetention };
    void setChart(Chart chart);
    int chartSeriesPoints() const { return m_chartPoints; }
    enum class Scenario { Replay, Cadence, Scale, Failure };
    void setScenario(Scenario scenario, Architecture architecture);
    // Replays what a training run read (the Runs page's "Plan this replay"): its bytes, window and remote-tier share
    // replace the window, share and topics until cleared, on the existing cluster.
    void planRunReplay(const ReplaySettings &run);
    void clearRunReplay();
    bool replaysRun() const { return m_runReplay.has_value(); }
    // A replay probe's result (kafka-planner probe replay --output FILE): its window replayed on the existing cluster
    // and each prediction beside what the probe measured. Read off the GUI thread; probeShown or probeFailed follow.
    void openProbe(const QString &path);
    void showProbe(const ProbeResult &probe); // one just run (the probe dialog)
    const std::optional<ProbeComparison> &probeComparison() const { return m_probeComparison; }
    const ScenarioResult *scenario() const { return m_scenario ? &*m_scenario : nullptr; }

Q_SIGNALS:
    void planShown();
    void probeShown();
    // The existing cluster's scale or failure scenario got its figures from the shown layout (on a worker).
    void layoutFiguresShown();
    void probeFailed(const QString &message);
    void workloadDerived();

private:
    void subscribe(ClusterContext *context);
    // plannerinputs.cpp
    QGroupBox *buildWorkloadBox(QWidget *parent);
    QGroupBox *buildArchitecturesBox(QWidget *parent);
    QHBoxLayout *buildFileButtons(QWidget *parent);
    QGroupBox *buildScenarioBox(QWidget *parent);
    QHBoxLayout *buildRunReplayBar(QWidget *parent);
    QWidget *buildChartBox(QWidget *parent);
    void connectInputs();
    void setSnapshot(SnapshotPtr snapshot, const QString &historyDb);
    void recompute();
    void showPlan();
    void drawChart(); // plannerchart.cpp, one function per kind of chart
    void drawCostBars();
    void drawCostAgainstRetention();
    void drawReplayDuration();
    void drawCheapestMap();
    void runScenario();
    void showScenario();
    // On a worker: the reassignment plan of the scale scenario on the shown snapshot's layout, added when it comes
    // if the scenario shown is still the same.
    // The existing cluster's scenario gets `add`'s figures from the shown layout, computed on a worker.
    void addLayoutFiguresLater(std::function<void(ScenarioResult &, const ClusterSnapshot &)> add);
    void showProbeComparison();
    ReplaySettings replaySettings() const;
    void refreshPricingList();

public:
    // Copies the current pricing profile to the user's profiles (for the editor); the path, or "" with the reason.
    QString copyPricingForEditing(QString *error);
    void usePricing(const QString &nameOrPath)
    {
        choosePricing(nameOrPath);
        refreshPricingList();
        recompute();
    }

private:
    SnapshotPtr m_snapshot;
    QString m_historyDb;
    std::optional<Plan> m_plan;
    PricingProfile m_pricing;
    QString m_pricingRef = QStringLiteral("aws-us-east-1");
    // Whether m_pricing is read from m_pricingRef: it is read when a profile is chosen, not at each input's change.
    bool m_pricingRead = false;
    void choosePricing(const QString &ref)
    {
        m_pricingRef = ref;
        m_pricingRead = false;
    }
    bool m_loading = false;

    QDoubleSpinBox *m_write = nullptr, *m_peak = nullptr, *m_retention = nullptr, *m_stored = nullptr;
    QSpinBox *m_rf = nullptr, *m_groups = nullptr, *m_azs = nullptr, *m_partitions = nullptr;
    QSpinBox *m_existingBrokers = nullptr;
    QSpinBox *m_dedicatedBrokers = nullptr, *m_tieredBrokers = nullptr, *m_sharedBrokers = nullptr;
    QCheckBox *m_dedicatedFollowers = nullptr, *m_tieredFollowers = nullptr;
    QComboBox *m_existingInstance = nullptr, *m_instance = nullptr, *m_wal = nullptr, *m_pricingBox = nullptr;
    QDoubleSpinBox *m_localRetention = nullptr;
    QCheckBox *m_zoneRouting = nullptr, *m_followerFetching = nullptr;
    QLabel *m_source = nullptr, *m_error = nullptr;
    QTreeWidget *m_results = nullptr;
    QTabWidget *m_lower = nullptr; // the chart and the scenario
    QCustomPlot *m_chart = nullptr;
    QComboBox *m_chartKind = nullptr, *m_scenarioKind = nullptr, *m_scenarioArch = nullptr;
    QDoubleSpinBox *m_days = nullptr, *m_share = nullptr, *m_target = nullptr, *m_perMonth = nullptr,
                   *m_throttle = nullptr;
    QSpinBox *m_addBrokers = nullptr;
    QCheckBox *m_replayFollowers = nullptr;
    QLineEdit *m_replayTopics = nullptr;
    QCheckBox *m_replayRange = nullptr; // a time range instead of N days
    QDateTimeEdit *m_replayFrom = nullptr, *m_replayTo = nullptr;
    std::optional<ReplaySettings> m_runReplay; // a run's bytes, days and remote share (planRunReplay)
    std::optional<ProbeResult> m_probe;        // the probe whose window m_runReplay replays (openProbe)
    std::optional<ProbeComparison> m_probeComparison;
    QLabel *m_runReplayLabel = nullptr;
    QPushButton *m_runReplayClear = nullptr;
    std::map<std::string, double> m_topicRates; // bytes/s per topic, from the last "from the open cluster"
    QTreeWidget *m_scenarioResults = nullptr;
    std::optional<ScenarioResult> m_scenario;
    int m_chartPoints = 0;
    ui::JobLane m_job;       // the workload derived from the newest snapshot
    ui::JobLane m_layoutJob; // the scale and failure scenarios' figures from the layout
};

} // namespace kp
