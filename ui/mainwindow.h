#pragma once

#include "clustersession.h"
#include "connectionprofile.h"
#include "jobs.h"
#include "lagpage.h"
#include "layoutpage.h"
#include "overviewpage.h"
#include "plannerpage.h"
#include "reviewpage.h"
#include "runspage.h"
#include "trafficpage.h"

#include <QDateTime>
#include <QMainWindow>
#include <QPointer>
#include <map>
#include <memory>
#include <string>
#include <vector>

class QAction;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QTabWidget;
class QTreeWidget;
class QToolButton;

namespace kp {

// The window: the cluster list (demo, profiles, snapshot files), the toolbar, the summary header and the pages
// (Overview, Layout, Lag, Topics, Issues, Traffic, Planner, Review, Runs). It connects through a ClusterSession,
// shows each snapshot it collects or opens, and hands it to the pages.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Command-line arguments of the GUI: --bootstrap HOSTS [--command-config FILE], --profile NAME, or
    // FILE.kpsnap.json.
    void openInitial(const QStringList &args);

    // For tests: the snapshot shown now (null when none).
    SnapshotPtr currentSnapshot() const { return m_snapshot; }
    ClusterSession *session() const { return m_session.get(); }
    OverviewPage *overviewPage() const { return m_overview; }
    LayoutPage *layoutPage() const { return m_layout; }
    LagPage *lagPage() const { return m_lag; }
    TrafficPage *trafficPage() const { return m_traffic; }
    PlannerPage *plannerPage() const { return m_planner; }
    static constexpr int kPageCount = 9; // Overview ... Runs, as Ctrl+1 ... Ctrl+9 reach them
    void showTab(int index);

Q_SIGNALS:
    void snapshotShown();
    void errorShown(const QString &message);
    void sampleRecorded(qint64 takenAtMs);

public Q_SLOTS:
    void connectTo(const kp::ConnectionProfile &profile);
    void openSnapshotFile(const QString &path);
    void showDemo();
    void refresh();
    void cancel();
    void disconnectCluster();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void buildActions();
    void loadProfiles();
    void addClusterItem(const QString &label, const QString &kind, const QString &value);
    void activateItem(QListWidgetItem *item);
    void showSnapshot(SnapshotPtr snapshot);
    void showError(const QString &message);
    void clearError();
    void setBusy(bool busy);
    void saveSnapshotAs();
    void addProfile();
    void importProperties();
    void editProfile(const QString &propertiesFile);
    void loadSnapshotAsync(const QString &path, const QString &label);
    // Failures of background work (sampling): listed under Issues, never a modal dialog.
    struct BackgroundProblem
    {
        QString step;
        QString message;
        QDateTime when;
    };
    void addBackgroundProblem(const QString &step, const QString &message);
    void addProblemItem(const BackgroundProblem &problem);
    void updateIssuesTab();
    std::vector<BackgroundProblem> m_backgroundProblems;

    QListWidget *m_clusters = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_header = nullptr;
    QTabWidget *m_tabs = nullptr;
    OverviewPage *m_overview = nullptr;
    LayoutPage *m_layout = nullptr;
    LagPage *m_lag = nullptr;
    TrafficPage *m_traffic = nullptr;
    PlannerPage *m_planner = nullptr;
    ReviewPage *m_review = nullptr;
    RunsPage *m_runs = nullptr;
    QTreeWidget *m_topics = nullptr;
    QTreeWidget *m_problems = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_step = nullptr;
    QLabel *m_lastRefresh = nullptr;
    QLabel *m_samplingLabel = nullptr;
    int m_samplesThisSession = 0;
    QAction *m_refreshAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_saveAction = nullptr;

    std::unique_ptr<ClusterSession> m_session;
    SnapshotPtr m_snapshot;
    ui::JobLane m_loadJob;                                 // the snapshot file or demo being opened
    std::map<std::string, std::string> m_sessionPasswords; // where no keyring answers: memory only, never disk
};

} // namespace kp
