#pragma once

#include "models/connectionprofile.h"
#include "services/clustercontext.h"
#include "ui/issuespage.h"
#include "ui/jobs.h"
#include "ui/lagpage.h"
#include "ui/layoutpage.h"
#include "ui/overviewpage.h"
#include "ui/plannerpage.h"
#include "ui/rebalancepage.h"
#include "ui/reviewpage.h"
#include "ui/runspage.h"
#include "ui/topicspage.h"
#include "ui/trafficpage.h"

#include <QMainWindow>
#include <QPointer>
#include <map>
#include <memory>
#include <string>

class QAction;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace kp {

class ProbeDialog;

// The window: the cluster list (demo, profiles, snapshot files), the toolbar, the summary header and the pages
// (Overview, Layout, Lag, Topics, Issues, Traffic, Planner, Review, Runs). It tells its ClusterContext what to open;
// the pages follow the context themselves.
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
    SnapshotPtr currentSnapshot() const { return m_context->snapshot(); }
    ClusterSession *session() const { return m_context->session(); }
    ClusterContext *context() const { return m_context; }
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
    // The store from now on (Store… once the dialog opened it), and at the next start.
    void useStore(const QString &location);

protected:
    void closeEvent(QCloseEvent *event) override;
    void fitToScreen();
    void setConnectionActions(bool connected);

public:
    ProbeDialog *openProbeDialog(); // null without a connection

private:
private:
    void buildUi();
    void buildPages();
    template <typename Page> Page *addPage(Page *page, const QString &title);
    void buildStatusBar();
    void buildActions();
    void followContext();
    void showSampleTaken(SnapshotPtr sample, qint64 frameBytes);
    void showProgress(const QString &step, qint64 done, qint64 total);
    void loadProfiles();
    void reloadProfiles(); // after the store changed
    void chooseStore();    // Store…
    void addClusterItem(const QString &label, const QString &kind, const QString &value, const QString &toolTip = {});
    void addDemoItem();
    void addProfileItem(const ConnectionProfile &profile);
    void addFileItem(const QString &path);
    void activateItem(QListWidgetItem *item);
    void showSnapshot(const ClusterSnapshot &s);
    void showError(const QString &message);
    void clearError();
    void setBusy(bool busy);
    void saveSnapshotAs();
    void addProfile();
    void importProperties();
    void editProfile(const QString &propertiesFile);
    void loadSnapshotAsync(const QString &path, const QString &label);

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
    RebalancePage *m_rebalance = nullptr;
    TopicsPage *m_topics = nullptr;
    IssuesPage *m_issues = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_step = nullptr;
    QLabel *m_lastRefresh = nullptr;
    QLabel *m_samplingLabel = nullptr;
    int m_samplesThisSession = 0;
    QAction *m_refreshAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_probeAction = nullptr;
    QAction *m_saveAction = nullptr;

    ClusterContext *m_context = nullptr;                    // what the window shows: the pages follow it
    ui::JobLane m_loadJob;                                  // the snapshot file or demo being opened
    std::map<QString, ConnectionProfile> m_sessionProfiles; // connections given on the command line, by name
    std::map<std::string, std::string> m_sessionPasswords;  // where no keyring answers: memory only, never disk
};

} // namespace kp
