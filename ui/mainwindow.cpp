#include "ui/mainwindow.h"
#include "services/freedoffgui.h"
#include "ui/storedialog.h"

#include "models/formaterror.h"
#include "models/snapshotjson.h"
#include "models/units.h"
#include "services/profileservice.h"
#include "store/database.h"
#include "ui/plannerpage.h"
#include "ui/probedialog.h"
#include "ui/profiledialog.h"
#include "ui/widgetutil.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <map>
#include <nlohmann/json.hpp>

namespace kp {

namespace {

// Typed setting keys, declared next to the window that owns them.
template <typename T> struct Setting
{
    const char *key;
    T fallback;
    T get() const { return QSettings().value(QLatin1String(key), QVariant::fromValue(fallback)).template value<T>(); }
    void set(const T &v) const { QSettings().setValue(QLatin1String(key), QVariant::fromValue(v)); }
};

const Setting<QByteArray> kGeometry{"window/geometry", {}};
const Setting<QByteArray> kState{"window/state", {}};
const Setting<int> kStateVersion{"window/stateVersion", 0};
constexpr int kCurrentStateVersion = 1;
// While a live cluster is open, a light sample goes into the lag history every interval.
const Setting<bool> kSamplingEnabled{"sampling/enabled", true};
const Setting<int> kSamplingInterval{"sampling/intervalSeconds", 10};
// The store chosen with Store…: empty for the default SQLite file.
const Setting<QString> kStoreLocation{"store/location", {}};

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Kafka Planner"));
    buildUi();
    buildActions();
    if (kStateVersion.get() == kCurrentStateVersion) {
        restoreGeometry(kGeometry.get());
        restoreState(kState.get());
    } else {
        resize(1400, 900);
    }
    fitToScreen();
    addDemoItem();
    loadProfiles();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    const QString store = kStoreLocation.get();
    m_context = new ClusterContext(store.isEmpty() ? Database::defaultPath() : store, this);
    connect(m_context, &ClusterContext::storeChanged, this, &MainWindow::reloadProfiles);
    auto *splitter = new QSplitter(this);
    m_clusters = new QListWidget(splitter);
    m_clusters->setObjectName(QStringLiteral("clusterList"));
    m_clusters->setMinimumWidth(200);
    m_clusters->setTextElideMode(Qt::ElideMiddle); // long bootstrap lists stay readable at both ends
    m_clusters->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(m_clusters, &QListWidget::itemActivated, this, &MainWindow::activateItem);

    auto *right = new QWidget(splitter);
    auto *layout = new QVBoxLayout(right);
    m_banner = new QLabel(right);
    m_banner->setObjectName(QStringLiteral("errorBanner"));
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fde2e1; color: #7a1c17; border: 1px solid #e8a29d;"
                                           " padding: 6px; border-radius: 3px; }"));
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();
    m_header =
        new QLabel(tr("Choose a cluster on the left: the demo snapshot, a profile, or open a snapshot file."), right);
    m_header->setObjectName(QStringLiteral("summaryHeader"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tabs = new QTabWidget(right);
    m_tabs->setObjectName(QStringLiteral("pages"));
    buildPages();
    layout->addWidget(m_banner);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);
    buildStatusBar();
    followContext();
}

template <typename Page> Page *MainWindow::addPage(Page *page, const QString &title)
{
    m_tabs->addTab(page, title);
    return page;
}

// The pages, in their tabs' order (Ctrl+1 ... Ctrl+9, Ctrl+0); each follows the context itself. Below: how one page
// leads to another.
void MainWindow::buildPages()
{
    m_overview = addPage(new OverviewPage(m_context), tr("&Overview"));
    m_layout = addPage(new LayoutPage, tr("&Layout"));
    m_lag = addPage(new LagPage(m_context), tr("La&g"));
    m_topics = addPage(new TopicsPage(m_context), tr("&Topics"));
    m_issues = addPage(new IssuesPage(IssueLog::instance()), tr("&Issues"));
    m_traffic = addPage(new TrafficPage(m_context), tr("T&raffic"));
    m_planner = addPage(new PlannerPage(m_context), tr("&Planner"));
    m_review = addPage(new ReviewPage(m_context), tr("Re&view"));
    m_runs = addPage(new RunsPage(m_context), tr("R&uns"));
    m_rebalance = addPage(new RebalancePage(m_context), tr("Re&balance"));

    connect(m_runs, &RunsPage::planReplay, this, [this](const ReplaySettings &run) {
        m_planner->planRunReplay(run);
        m_tabs->setCurrentWidget(m_planner);
    });
    connect(m_lag, &LagPage::ratesReady, m_layout, &LayoutPage::setRates);
    connect(m_overview, &OverviewPage::overviewShown, this, [this] {
        m_layout->showSnapshot(m_overview->shownSnapshot(), LayoutView::violationsOf(m_overview->overview()));
    });
    connect(m_overview, &OverviewPage::partitionActivated, this, [this](const QString &topic, int partition) {
        m_tabs->setCurrentWidget(m_layout);
        m_layout->showPartition(topic, partition);
    });
    connect(m_topics, &TopicsPage::topicActivated, this, [this](const QString &topic) {
        m_tabs->setCurrentWidget(m_lag); // a topic's groups and their lag, from the topic's side
        m_lag->setTopic(topic);
    });
    auto issuesTitle = [this](int n) {
        m_tabs->setTabText(m_tabs->indexOf(m_issues), n == 0 ? tr("&Issues") : tr("&Issues (%1)").arg(n));
    };
    connect(m_issues, &IssuesPage::countChanged, this, issuesTitle);
    issuesTitle(m_issues->issueCount());
}

void MainWindow::buildStatusBar()
{
    m_step = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->hide();
    m_lastRefresh = new QLabel(this);
    m_lastRefresh->setObjectName(QStringLiteral("lastRefresh"));
    statusBar()->addWidget(m_step, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_lastRefresh);
    m_samplingLabel = new QLabel(this);
    m_samplingLabel->setObjectName(QStringLiteral("samplingStatus"));
    statusBar()->addPermanentWidget(m_samplingLabel);
}

// The window's own parts of what the context shows: the header, the status bar, the actions.
void MainWindow::followContext()
{
    connect(m_context, &ClusterContext::snapshotChanged, this, [this](SnapshotPtr s) { showSnapshot(*s); });
    connect(m_context, &ClusterContext::progress, this, &MainWindow::showProgress);
    connect(m_context, &ClusterContext::busyChanged, this, &MainWindow::setBusy);
    connect(m_context, &ClusterContext::failed, this, &MainWindow::showError);
    connect(m_context, &ClusterContext::cancelled, this, [this] { m_step->setText(tr("Refresh cancelled.")); });
    connect(m_context, &ClusterContext::sampleTaken, this, &MainWindow::showSampleTaken);
    connect(m_context, &ClusterContext::samplingFailed, this, [this](const QString &message) {
        m_samplingLabel->setText(tr("History: sampling failed (see Issues)"));
        m_samplingLabel->setToolTip(message);
    });
}

void MainWindow::showProgress(const QString &step, qint64 done, qint64 total)
{
    m_step->setText(total > 0 ? tr("%1: %2 of %3").arg(step).arg(done).arg(total) : step + QStringLiteral("…"));
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(done * 1000 / std::max<qint64>(1, total)));
    } else {
        m_progress->setRange(0, 0);
    }
}

void MainWindow::showSampleTaken(SnapshotPtr sample, qint64 frameBytes)
{
    ++m_samplesThisSession;
    m_samplingLabel->setText(
        tr("History: %n sample(s), last %1", nullptr, m_samplesThisSession)
            .arg(QDateTime::fromMSecsSinceEpoch(sample->takenAtMs).toString(QStringLiteral("HH:mm:ss"))));
    m_samplingLabel->setToolTip(tr("Every %1 s into %2; the last frame took %3 bytes")
                                    .arg(kSamplingInterval.get())
                                    .arg(Database::displayName(m_context->storePath()))
                                    .arg(frameBytes));
    Q_EMIT sampleRecorded(sample->takenAtMs);
}

void MainWindow::buildActions()
{
    auto *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    auto *openAction = tb->addAction(tr("&Open snapshot…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open snapshot"), QString(),
                                                          tr("Kafka Planner snapshots (*.kpsnap.json);;All files (*)"));
        if (!path.isEmpty())
            openSnapshotFile(path);
    });
    openAction->setShortcut(QKeySequence::Open);
    m_saveAction = tb->addAction(tr("&Save snapshot…"), this, &MainWindow::saveSnapshotAs);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setEnabled(false);
    tb->addSeparator();
    auto *addClusterAction = tb->addAction(tr("&Add cluster…"), this, &MainWindow::addProfile);
    addClusterAction->setShortcut(QKeySequence::New);
    tb->addAction(tr("&Import client.properties…"), this, &MainWindow::importProperties);
    auto *storeAction = tb->addAction(tr("S&tore…"), this, &MainWindow::chooseStore);
    storeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    storeAction->setToolTip(tr("Where profiles, reviews, runs and the lag history are kept: this computer or a "
                               "team's PostgreSQL database (Ctrl+Shift+S)"));
    tb->addSeparator();
    m_refreshAction = tb->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_cancelAction = tb->addAction(tr("&Cancel"), this, &MainWindow::cancel);
    m_cancelAction->setShortcut(Qt::Key_Escape);
    m_cancelAction->setEnabled(false);
    m_probeAction = tb->addAction(tr("Replay &probe…"), this, &MainWindow::openProbeDialog);
    m_probeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_probeAction->setToolTip(
        tr("Read a window of topics as a refresh job would, bounded, and measure it (Ctrl+Shift+P)"));
    m_disconnectAction = tb->addAction(tr("&Disconnect"), this, &MainWindow::disconnectCluster);
    m_disconnectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_disconnectAction->setToolTip(tr("Close the connection and stop sampling; the last snapshot stays on screen"));
    setConnectionActions(false);
    // Ctrl+1..9, then Ctrl+0: the pages.
    for (int i = 0; i < 10; ++i) {
        auto *page = new QAction(this);
        page->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(i < 9 ? Qt::Key_1 + i : Qt::Key_0)));
        connect(page, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        addAction(page);
    }
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    addAction(quit);
}

void MainWindow::chooseStore()
{
    StoreDialog dialog(m_context->storePath(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    useStore(dialog.location());
}

void MainWindow::useStore(const QString &location)
{
    kStoreLocation.set(location == Database::defaultPath() ? QString() : location);
    m_context->setStorePath(location);
    statusBar()->showMessage(tr("Store: %1").arg(Database::displayName(location)), 10000);
}

void MainWindow::connectTo(const ConnectionProfile &profile)
{
    clearError();
    m_samplesThisSession = 0;
    m_samplingLabel->clear();
    m_context->connectTo(profile, kSamplingEnabled.get() ? std::clamp(kSamplingInterval.get(), 1, 3600) : 0);
    setConnectionActions(true);
    addProfileItem(profile);
    setWindowTitle(tr("%1 - Kafka Planner").arg(qs(profile.name)));
}

// What only a connection allows: refresh, disconnect, a replay probe.
void MainWindow::setConnectionActions(bool connected)
{
    for (QAction *a : {m_refreshAction, m_disconnectAction, m_probeAction})
        a->setEnabled(connected);
}

void MainWindow::disconnectCluster()
{
    if (!m_context->session())
        return;
    m_context->disconnectCluster(); // a running drill ends and is recorded with what it saw
    setBusy(false);
    setConnectionActions(false);
    m_samplingLabel->setText(tr("Disconnected"));
    m_step->setText(tr("Disconnected: the last snapshot stays on screen."));
}

void MainWindow::refresh()
{
    m_context->refresh();
}

void MainWindow::cancel()
{
    m_context->cancel();
}

void MainWindow::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_progress->setRange(0, 0);
    m_cancelAction->setEnabled(busy);
    m_refreshAction->setEnabled(!busy && m_context->session());
    if (!busy)
        m_step->clear();
}

void MainWindow::showDemo()
{
    loadSnapshotAsync(QStringLiteral(":/demo.kpsnap.json"), tr("Demo cluster"));
}

void MainWindow::openSnapshotFile(const QString &path)
{
    addFileItem(path);
    loadSnapshotAsync(path, path);
}

void MainWindow::loadSnapshotAsync(const QString &path, const QString &label)
{
    clearError();
    m_step->setText(tr("Reading %1…").arg(label));
    using Loaded = std::pair<SnapshotPtr, QString>;
    auto load = [path]() -> Loaded {
        try {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return {nullptr, path + QStringLiteral(": ") + f.errorString()};
            const QByteArray bytes = f.readAll();
            auto doc = nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
            if (doc.is_discarded())
                return {nullptr, path + QStringLiteral(": not valid JSON")};
            ClusterSnapshot s = snapshotFromJson(doc);
            s.source = path.startsWith(QLatin1Char(':')) ? SnapshotSource::Demo : SnapshotSource::File;
            return {shareFreedOffGuiThread(std::move(s)), QString()};
        } catch (const std::exception &e) {
            return {nullptr, path + QStringLiteral(": ") + QString::fromStdString(e.what())};
        }
    };
    // A newer file or the demo asked for meanwhile supersedes this one.
    m_loadJob.start(this, std::move(load), [this](const Loaded &loaded) {
        const auto &[snapshot, error] = loaded;
        m_step->clear();
        if (!snapshot) {
            showError(error);
            return;
        }
        m_context->show(snapshot); // ends the connection there was
        setConnectionActions(false);
    });
}

// The header and the status bar; the pages follow the context themselves.
void MainWindow::showSnapshot(const ClusterSnapshot &s)
{
    m_saveAction->setEnabled(true);
    const LayoutTotals totals = layoutTotals(s);
    const QString source = s.source == SnapshotSource::Live   ? tr("live")
                           : s.source == SnapshotSource::Demo ? tr("demo snapshot")
                                                              : tr("file");
    m_header->setText(tr("<b>Cluster %1</b> (%2, %3)<br>%4 brokers, %5 topics, %6 partitions, %7 replicas, "
                         "%8 under-replicated, %9 offline, %10 consumer groups%11")
                          .arg(qs(s.clusterId).toHtmlEscaped(), qs(s.bootstrap).toHtmlEscaped(), source)
                          .arg(s.brokers.size())
                          .arg(s.topics.size())
                          .arg(s.partitionCount())
                          .arg(s.replicaCount())
                          .arg(totals.underReplicated)
                          .arg(totals.offline)
                          .arg(s.groups.size())
                          .arg(s.partial() ? tr("<br><span style='color:#a15c00'>Partial: %n thing(s) could not be "
                                                "read, see Issues.</span>",
                                                nullptr, int(s.problems.size()))
                                           : QString()));
    m_lastRefresh->setText(
        tr("Taken %1, took %2 ms")
            .arg(QDateTime::fromMSecsSinceEpoch(s.takenAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
            .arg(s.durationMs));

    Q_EMIT snapshotShown();
}

void MainWindow::showTab(int index)
{
    m_tabs->setCurrentIndex(index);
}

void MainWindow::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->show();
    Q_EMIT errorShown(message);
}

void MainWindow::clearError()
{
    m_banner->hide();
    m_banner->clear();
}

void MainWindow::saveSnapshotAs()
{
    const SnapshotPtr snapshot = m_context->snapshot();
    if (!snapshot)
        return;
    QString path = QFileDialog::getSaveFileName(this, tr("Save snapshot"), QStringLiteral("cluster.kpsnap.json"),
                                                tr("Kafka Planner snapshots (*.kpsnap.json)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QStringLiteral(".kpsnap.json")))
        path += QStringLiteral(".kpsnap.json");
    ui::runAsync(
        this,
        [snapshot, path]() -> QString {
            try {
                saveSnapshotFile(*snapshot, path.toStdString());
                return {};
            } catch (const std::exception &e) {
                return QString::fromStdString(e.what());
            }
        },
        [this, path](const QString &error) {
            if (!error.isEmpty())
                QMessageBox::warning(this, tr("Save snapshot"), error);
            else
                m_step->setText(tr("Saved %1").arg(path));
        });
}

void MainWindow::addProfile()
{
    editProfile({});
}

void MainWindow::importProperties()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import client.properties"), QString(),
                                                      tr("Java client properties (*.properties);;All files (*)"));
    if (!path.isEmpty())
        editProfile(path);
}

void MainWindow::editProfile(const QString &propertiesFile)
{
    ProfileDialog dialog(this);
    if (!propertiesFile.isEmpty()) {
        if (const QString error = dialog.importProperties(propertiesFile); !error.isEmpty()) {
            showError(error);
            return;
        }
    }
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConnectionProfile profile = dialog.profile();
    if (!profile.password.empty())
        m_sessionPasswords[profile.name] = profile.password;
    if (dialog.saveRequested()) {
        // Store and keyring are disk and D-Bus: off the GUI thread. The password never reaches the store.
        auto save = [profile, db = m_context->storePath()]() -> QString {
            QString refused;
            try {
                refused = ProfileService(db).save(profile);
            } catch (const std::exception &e) {
                return tr("The profile was not saved: %1").arg(QString::fromStdString(e.what()));
            }
            if (!refused.isEmpty())
                return tr("The password was not saved (%1): it is kept in memory until you quit and asked for "
                          "next time.")
                    .arg(refused);
            return {};
        };
        ui::runAsync(this, std::move(save), [this](const QString &note) {
            if (!note.isEmpty())
                showError(note);
        });
    }
    connectTo(profile);
}

void MainWindow::openInitial(const QStringList &args)
{
    QString bootstrap, commandConfig, name;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QStringLiteral("--bootstrap") && i + 1 < args.size())
            bootstrap = args[++i];
        else if (args[i] == QStringLiteral("--name") && i + 1 < args.size())
            name = args[++i]; // what the sidebar calls the connection (default: its bootstrap list)
        else if (args[i] == QStringLiteral("--command-config") && i + 1 < args.size())
            commandConfig = args[++i];
        else if (args[i] == QStringLiteral("--review") && i + 1 < args.size())
            m_review->openFile(args[++i]); // a review file (kafka-planner review new) into the store
        else if (args[i].endsWith(QStringLiteral(".json")))
            openSnapshotFile(args[i]);
        else if (args[i] == QStringLiteral("--demo"))
            showDemo();
    }
    if (bootstrap.isEmpty())
        return;
    try {
        ConnectionProfile p;
        if (!commandConfig.isEmpty())
            p = profileFromClientPropertiesFile(commandConfig.toStdString(), bootstrap.toStdString(),
                                                bootstrap.toStdString())
                    .profile;
        p.name = name.isEmpty() ? bootstrap.toStdString() : name.toStdString();
        p.bootstrap = bootstrap.toStdString();
        m_sessionProfiles[qs(p.name)] = p; // in memory only, as its secrets
        connectTo(p);
    } catch (const std::exception &e) {
        showError(QString::fromStdString(e.what()));
    }
}

// At most the screen's free area (a size remembered from a larger screen, or the first run's 1400 x 900 on a small
// one), centred on it when it had to shrink.
void MainWindow::fitToScreen()
{
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return;
    const QRect free = screen->availableGeometry();
    const QSize fits = size().boundedTo(free.size() * 0.95);
    if (fits == size())
        return;
    resize(fits);
    move(free.center() - rect().center());
}

// The probe dialog on the open connection, its racks offered as the reader's AZ; its result opens in the Planner.
ProbeDialog *MainWindow::openProbeDialog()
{
    const auto &connection = m_context->connection();
    if (!connection)
        return nullptr;
    const SnapshotPtr s = m_context->snapshot();
    const std::set<std::string> racks = s ? s->racks() : std::set<std::string>{};
    auto *dialog = new ProbeDialog(*connection, {racks.begin(), racks.end()}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProbeDialog::openInPlanner, this, [this](const ProbeResult &r) {
        m_planner->showProbe(r);
        m_tabs->setCurrentWidget(m_planner);
    });
    dialog->show();
    return dialog;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    kGeometry.set(saveGeometry());
    kState.set(saveState());
    kStateVersion.set(kCurrentStateVersion);
    m_context->close(); // cancels and joins the worker
    QMainWindow::closeEvent(event);
}

} // namespace kp
