#include "mainwindow.h"

#include "database.h"
#include "formaterror.h"
#include "profiledialog.h"
#include "services/profileservice.h"
#include "snapshotjson.h"
#include "units.h"
#include "widgetutil.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryFile>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <map>
#include <nlohmann/json.hpp>

namespace kp {

namespace {

using ui::makeTree;
using ui::setBytes;
using ui::setNumber;
using ui::SortableItem;

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

QString profileLabel(const ConnectionProfile &p)
{
    // Profiles made from a bare bootstrap list are named after it: say it once.
    return p.name == p.bootstrap ? qs(p.name)
                                 : qs(p.name) + QStringLiteral("  (") + qs(p.bootstrap) + QStringLiteral(")");
}

const QString kKindDemo = QStringLiteral("demo");
const QString kKindProfile = QStringLiteral("profile");
const QString kKindFile = QStringLiteral("file");
constexpr int kKindRole = Qt::UserRole + 1;
constexpr int kValueRole = Qt::UserRole + 2;

// The Topics page: one row per topic; for tiered topics the remote-only data, estimated (no Kafka API tells it).
void fillTopics(QTreeWidget *tree, const ClusterSnapshot &s)
{
    tree->setSortingEnabled(false);
    tree->clear();
    for (const auto &t : s.topics) {
        auto *item = new SortableItem(tree);
        const int64_t messages = t.messageCount();
        auto cfg = [&](const char *k) {
            auto it = t.configs.find(k);
            return !t.configsKnown ? MainWindow::tr("unknown") : it == t.configs.end() ? QString() : qs(it->second);
        };
        item->setText(0, qs(t.name));
        setNumber(item, 1, qint64(t.partitions.size()));
        setNumber(item, 2, t.replicationFactor());
        if (messages >= 0)
            setNumber(item, 3, messages);
        else
            item->setText(3, MainWindow::tr("unknown"));
        if (const int64_t size = t.sizeBytes(); size >= 0)
            setBytes(item, 4, size, t.sizeEstimated());
        else
            item->setText(4, MainWindow::tr("unknown"));
        setNumber(item, 5, t.underReplicatedCount());
        setNumber(item, 6, t.offlineCount());
        item->setText(7, cfg("retention.ms"));
        item->setText(8, cfg("cleanup.policy"));
        item->setText(9, cfg("min.insync.replicas"));
        if (t.tiered()) {
            const int64_t offsets = t.remoteOnlyOffsets();
            const int64_t bytes = t.remoteBytesEstimate();
            if (bytes >= 0) {
                setBytes(item, 10, bytes, true);
                item->setToolTip(10, MainWindow::tr("About %L1 bytes in %L2 offsets held in the remote tier only: the "
                                                    "offsets from the log start to the first local one (ListOffsets "
                                                    "-4), times the bytes per offset of sampled record batches")
                                         .arg(qlonglong(bytes))
                                         .arg(qlonglong(offsets)));
            } else {
                item->setText(10, offsets >= 0 ? MainWindow::tr("%L1 offsets").arg(qlonglong(offsets))
                                               : MainWindow::tr("unknown"));
            }
            // -2: the local log keeps as long as the topic (retention.ms); only tiered topics have a local retention.
            const QString local = cfg("local.retention.ms");
            item->setText(11, local == QStringLiteral("-2") ? MainWindow::tr("-2 (= retention.ms)") : local);
        }
    }
    tree->setSortingEnabled(true);
}

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
        resize(1280, 800);
    }
    addClusterItem(tr("Demo cluster (snapshot)"), kKindDemo, QString());
    loadProfiles();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
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
    m_overview = new OverviewPage(m_tabs);
    m_layout = new LayoutPage(m_tabs);
    m_lag = new LagPage(m_tabs);
    m_topics = makeTree(m_tabs, QStringLiteral("topics"),
                        {tr("Topic"), tr("Partitions"), tr("RF"), tr("Messages"), tr("Size"), tr("Under-replicated"),
                         tr("Offline"), tr("retention.ms"), tr("cleanup.policy"), tr("min.insync.replicas"),
                         tr("Remote only"), tr("local.retention.ms")});
    m_topics->headerItem()->setToolTip(4, tr("One copy of the topic on the brokers' disks (the local log)"));
    m_topics->headerItem()->setToolTip(
        10,
        tr("Tiered topics (remote.storage.enable): the data in the remote tier only, below the first local offset"));
    m_problems =
        makeTree(m_tabs, QStringLiteral("problems"), {tr("Step"), tr("Subject"), tr("What could not be read")});
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(m_layout, tr("&Layout"));
    m_tabs->addTab(m_lag, tr("La&g"));
    m_tabs->addTab(m_topics, tr("&Topics"));
    m_tabs->addTab(m_problems, tr("&Issues"));
    m_traffic = new TrafficPage(m_tabs);
    m_tabs->addTab(m_traffic, tr("T&raffic"));
    m_planner = new PlannerPage(m_tabs);
    m_tabs->addTab(m_planner, tr("&Planner"));
    m_review = new ReviewPage(m_tabs);
    m_tabs->addTab(m_review, tr("Re&view"));
    m_runs = new RunsPage(m_tabs);
    m_tabs->addTab(m_runs, tr("R&uns"));
    m_review->setStore(Database::defaultPath());
    m_runs->setStore(Database::defaultPath());
    connect(m_runs, &RunsPage::planReplay, this, [this](const ReplaySettings &run) {
        m_planner->planRunReplay(run);
        m_tabs->setCurrentWidget(m_planner);
    });
    // A drill samples every 2 s; afterwards, the configured interval again.
    connect(m_review, &ReviewPage::drillChanged, this, [this](bool running) {
        if (m_session && m_session->sampling())
            m_session->startSampling(Database::defaultPath(),
                                     running ? 2 : std::clamp(kSamplingInterval.get(), 1, 3600));
    });
    connect(m_lag, &LagPage::ratesReady, m_layout, &LayoutPage::setRates);
    connect(m_overview, &OverviewPage::overviewShown, this, [this] {
        m_layout->showSnapshot(m_overview->shownSnapshot(), LayoutView::violationsOf(m_overview->overview()));
    });
    connect(m_overview, &OverviewPage::partitionActivated, this, [this](const QString &topic, int partition) {
        m_tabs->setCurrentWidget(m_layout);
        m_layout->showPartition(topic, partition);
    });
    connect(m_topics, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        // A topic's groups and their lag, from the topic's side.
        m_tabs->setCurrentWidget(m_lag);
        m_lag->setTopic(item->text(0));
    });
    layout->addWidget(m_banner);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

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
    tb->addSeparator();
    m_refreshAction = tb->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setEnabled(false);
    m_cancelAction = tb->addAction(tr("&Cancel"), this, &MainWindow::cancel);
    m_cancelAction->setShortcut(Qt::Key_Escape);
    m_cancelAction->setEnabled(false);
    m_disconnectAction = tb->addAction(tr("&Disconnect"), this, &MainWindow::disconnectCluster);
    m_disconnectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_disconnectAction->setToolTip(tr("Close the connection and stop sampling; the last snapshot stays on screen"));
    m_disconnectAction->setEnabled(false);
    // Ctrl+1..9: the pages.
    for (int i = 0; i < 9; ++i) {
        auto *page = new QAction(this);
        page->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(page, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        addAction(page);
    }
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    addAction(quit);
}

void MainWindow::addClusterItem(const QString &label, const QString &kind, const QString &value)
{
    for (int i = 0; i < m_clusters->count(); ++i) {
        auto *it = m_clusters->item(i);
        if (it->data(kKindRole).toString() == kind && it->data(kValueRole).toString() == value)
            return;
    }
    auto *item = new QListWidgetItem(label, m_clusters);
    item->setData(kKindRole, kind);
    item->setData(kValueRole, value);
    item->setToolTip(kind == kKindProfile ? tr("Profile %1: press Enter to connect").arg(value) : value);
}

void MainWindow::loadProfiles()
{
    // The store is a disk file: read it off the GUI thread.
    ui::runAsync(
        this,
        []() -> std::pair<std::vector<ConnectionProfile>, QString> {
            try {
                return {ProfileService(Database::defaultPath()).list(), QString()};
            } catch (const std::exception &e) {
                return {{}, QString::fromStdString(e.what())};
            }
        },
        [this](const std::pair<std::vector<ConnectionProfile>, QString> &loaded) {
            const auto &[profiles, error] = loaded;
            if (!error.isEmpty())
                showError(tr("The profile store could not be opened: %1").arg(error));
            for (const auto &p : profiles)
                addClusterItem(profileLabel(p), kKindProfile, qs(p.name));
        });
}

void MainWindow::activateItem(QListWidgetItem *item)
{
    const QString kind = item->data(kKindRole).toString();
    const QString value = item->data(kValueRole).toString();
    if (kind == kKindDemo) {
        showDemo();
    } else if (kind == kKindFile) {
        openSnapshotFile(value);
    } else if (kind == kKindProfile) {
        const std::string name = value.toStdString();
        using Found = std::pair<std::optional<ConnectionProfile>, QString>;
        auto find = [name]() -> Found {
            try {
                return {ProfileService(Database::defaultPath()).find(name, true), QString()};
            } catch (const std::exception &e) {
                return {std::nullopt, QString::fromStdString(e.what())};
            }
        };
        ui::runAsync(this, std::move(find), [this, value](Found found) {
            auto &[profile, error] = found;
            if (!profile) {
                showError(error.isEmpty() ? tr("Profile %1 no longer exists.").arg(value) : error);
                return;
            }
            if (profile->needsPassword()) {
                if (auto it = m_sessionPasswords.find(profile->name); it != m_sessionPasswords.end())
                    profile->password = it->second;
            }
            if (profile->needsPassword()) {
                bool ok = false;
                // No keyring answered: ask, and keep the answer in memory only.
                const QString pw = QInputDialog::getText(this, tr("Password"),
                                                         tr("Password for %1 on %2:").arg(qs(profile->username), value),
                                                         QLineEdit::Password, QString(), &ok);
                if (!ok)
                    return;
                profile->password = pw.toStdString();
                m_sessionPasswords[profile->name] = profile->password;
            }
            connectTo(*profile);
        });
    }
}

void MainWindow::connectTo(const ConnectionProfile &profile)
{
    clearError();
    m_traffic->setClientAzRules(QString::fromStdString(formatClientAzRules(profile.clientAzs)));
    m_session = std::make_unique<ClusterSession>(profile);
    connect(m_session.get(), &ClusterSession::progress, this, [this](const QString &step, qint64 done, qint64 total) {
        m_step->setText(total > 0 ? tr("%1: %2 of %3").arg(step).arg(done).arg(total) : step + QStringLiteral("…"));
        if (total > 0) {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(done * 1000 / std::max<qint64>(1, total)));
        } else {
            m_progress->setRange(0, 0);
        }
    });
    connect(m_session.get(), &ClusterSession::busyChanged, this, &MainWindow::setBusy);
    connect(m_session.get(), &ClusterSession::snapshotReady, this, &MainWindow::showSnapshot);
    connect(m_session.get(), &ClusterSession::failed, this, &MainWindow::showError);
    connect(m_session.get(), &ClusterSession::cancelled, this, [this] { m_step->setText(tr("Refresh cancelled.")); });
    connect(m_session.get(), &ClusterSession::sampleRecorded, this, [this](SnapshotPtr sample, qint64 frameBytes) {
        const qint64 takenAtMs = sample->takenAtMs;
        ++m_samplesThisSession;
        // The lag and traffic pages follow every sample; the other pages keep the last full refresh.
        if (m_snapshot && m_snapshot->clusterId == sample->clusterId && m_snapshot->source == SnapshotSource::Live) {
            m_snapshot = std::make_shared<const ClusterSnapshot>(withSample(*m_snapshot, *sample));
            m_lag->setSnapshot(m_snapshot, Database::defaultPath());
            m_traffic->setSnapshot(m_snapshot, Database::defaultPath());
            if (m_session)
                m_runs->setCluster(m_snapshot, m_session->profile()); // replayability against the newest offsets
        }
        m_review->addDrillSample(sample);
        m_samplingLabel->setText(
            tr("History: %n sample(s), last %1", nullptr, m_samplesThisSession)
                .arg(QDateTime::fromMSecsSinceEpoch(takenAtMs).toString(QStringLiteral("HH:mm:ss"))));
        m_samplingLabel->setToolTip(tr("Every %1 s into %2; the last frame took %3 bytes")
                                        .arg(kSamplingInterval.get())
                                        .arg(Database::defaultPath())
                                        .arg(frameBytes));
        Q_EMIT sampleRecorded(takenAtMs);
    });
    connect(m_session.get(), &ClusterSession::samplingFailed, this, [this](const QString &message) {
        m_samplingLabel->setText(tr("History: sampling failed"));
        m_samplingLabel->setToolTip(message);
        addBackgroundProblem(tr("sampling"), message);
    });
    m_samplesThisSession = 0;
    m_samplingLabel->clear();
    if (kSamplingEnabled.get())
        m_session->startSampling(Database::defaultPath(), std::clamp(kSamplingInterval.get(), 1, 3600));
    m_refreshAction->setEnabled(true);
    m_disconnectAction->setEnabled(true);
    addClusterItem(profileLabel(profile), kKindProfile, qs(profile.name));
    setWindowTitle(tr("%1 - Kafka Planner").arg(qs(profile.name)));
    refresh();
}

void MainWindow::disconnectCluster()
{
    if (!m_session)
        return;
    m_session.reset();                        // cancels a refresh, stops sampling and joins the worker
    m_review->setSnapshot(m_snapshot, false); // a running drill ends and is recorded with what it saw
    m_runs->setCluster(m_snapshot, std::nullopt);
    m_lag->setConnection(std::nullopt); // reads no more records from it
    setBusy(false);
    m_refreshAction->setEnabled(false);
    m_disconnectAction->setEnabled(false);
    m_samplingLabel->setText(tr("Disconnected"));
    m_step->setText(tr("Disconnected: the last snapshot stays on screen."));
}

void MainWindow::refresh()
{
    if (m_session && !m_session->busy())
        m_session->refresh();
}

void MainWindow::cancel()
{
    if (m_session)
        m_session->cancel();
}

void MainWindow::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_progress->setRange(0, 0);
    m_cancelAction->setEnabled(busy);
    m_refreshAction->setEnabled(!busy && m_session);
    if (!busy)
        m_step->clear();
}

void MainWindow::showDemo()
{
    loadSnapshotAsync(QStringLiteral(":/demo.kpsnap.json"), tr("Demo cluster"));
}

void MainWindow::openSnapshotFile(const QString &path)
{
    addClusterItem(QFileInfo(path).fileName(), kKindFile, path);
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
            auto s = std::make_shared<ClusterSnapshot>(snapshotFromJson(doc));
            s->source = path.startsWith(QLatin1Char(':')) ? SnapshotSource::Demo : SnapshotSource::File;
            return {SnapshotPtr(std::move(s)), QString()};
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
        m_session.reset();
        m_refreshAction->setEnabled(false);
        showSnapshot(snapshot);
    });
}

void MainWindow::showSnapshot(SnapshotPtr snapshot)
{
    m_snapshot = snapshot;
    m_saveAction->setEnabled(true);
    const ClusterSnapshot &s = *snapshot;
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

    m_overview->setSnapshot(snapshot); // the Layout follows with the Overview's rack check: computed once
    const bool live = s.source == SnapshotSource::Live && m_session;
    const std::optional<ConnectionProfile> connection =
        live ? std::optional<ConnectionProfile>(m_session->profile()) : std::nullopt;
    m_lag->setConnection(connection);
    m_lag->setSnapshot(snapshot, s.source == SnapshotSource::Live ? Database::defaultPath() : QString());
    m_traffic->setSnapshot(snapshot, s.source == SnapshotSource::Live ? Database::defaultPath() : QString());
    m_planner->setSnapshot(snapshot, s.source == SnapshotSource::Live ? Database::defaultPath() : QString());
    m_review->setSnapshot(snapshot, live);
    m_runs->setCluster(snapshot, connection);
    fillTopics(m_topics, s);
    m_problems->clear();
    for (const auto &p : s.problems) {
        auto *item = new QTreeWidgetItem(m_problems);
        item->setText(0, qs(p.step));
        item->setText(1, qs(p.subject));
        item->setText(2, qs(p.message));
    }
    for (const auto &b : m_backgroundProblems)
        addProblemItem(b);
    updateIssuesTab();
    Q_EMIT snapshotShown();
}

void MainWindow::addProblemItem(const BackgroundProblem &b)
{
    auto *item = new QTreeWidgetItem(m_problems);
    item->setText(0, b.step);
    item->setText(1, b.when.toString(QStringLiteral("HH:mm:ss")));
    item->setText(2, b.message);
}

void MainWindow::updateIssuesTab()
{
    // An empty list says so in words: a blank table could as well mean "not looked yet".
    constexpr int kPlaceholderRole = Qt::UserRole + 1;
    for (int i = m_problems->topLevelItemCount() - 1; i >= 0; --i)
        if (m_problems->topLevelItem(i)->data(0, kPlaceholderRole).toBool())
            delete m_problems->takeTopLevelItem(i);
    const int n = m_problems->topLevelItemCount();
    m_tabs->setTabText(m_tabs->indexOf(m_problems), n == 0 ? tr("&Issues") : tr("&Issues (%1)").arg(n));
    if (n == 0) {
        auto *none = new QTreeWidgetItem(m_problems);
        none->setData(0, kPlaceholderRole, true);
        none->setText(0, tr("none"));
        none->setText(2,
                      tr("Every step of this snapshot read what it asked for, and nothing failed in the background."));
        none->setFlags(Qt::ItemIsEnabled);
        for (int c = 0; c < 3; ++c)
            none->setForeground(c, palette().color(QPalette::Disabled, QPalette::Text));
    }
}

void MainWindow::addBackgroundProblem(const QString &step, const QString &message)
{
    // A failure that repeats every interval is one entry, with the time it last happened.
    if (!m_backgroundProblems.empty() && m_backgroundProblems.back().step == step &&
        m_backgroundProblems.back().message == message) {
        m_backgroundProblems.back().when = QDateTime::currentDateTime();
        if (auto *last = m_problems->topLevelItem(m_problems->topLevelItemCount() - 1))
            last->setText(1, m_backgroundProblems.back().when.toString(QStringLiteral("HH:mm:ss")));
        return;
    }
    m_backgroundProblems.push_back({step, message, QDateTime::currentDateTime()});
    if (m_backgroundProblems.size() > 100)
        m_backgroundProblems.erase(m_backgroundProblems.begin());
    addProblemItem(m_backgroundProblems.back());
    updateIssuesTab();
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
    if (!m_snapshot)
        return;
    QString path = QFileDialog::getSaveFileName(this, tr("Save snapshot"), QStringLiteral("cluster.kpsnap.json"),
                                                tr("Kafka Planner snapshots (*.kpsnap.json)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QStringLiteral(".kpsnap.json")))
        path += QStringLiteral(".kpsnap.json");
    ui::runAsync(
        this,
        [snapshot = m_snapshot, path]() -> QString {
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
        auto save = [profile]() -> QString {
            QString refused;
            try {
                refused = ProfileService(Database::defaultPath()).save(profile);
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
    QString bootstrap, commandConfig;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QStringLiteral("--bootstrap") && i + 1 < args.size())
            bootstrap = args[++i];
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
        p.name = bootstrap.toStdString();
        p.bootstrap = bootstrap.toStdString();
        connectTo(p);
    } catch (const std::exception &e) {
        showError(QString::fromStdString(e.what()));
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    kGeometry.set(saveGeometry());
    kState.set(saveState());
    kStateVersion.set(kCurrentStateVersion);
    m_session.reset(); // cancels and joins the worker
    QMainWindow::closeEvent(event);
}

} // namespace kp
