#include "ui/lagpage.h"
#include "services/freedoffgui.h"

#include "services/issuelog.h"

#include "kafka/recordtimes.h"
#include "store/samplestore.h"
#include "ui/lagmodels.h"
#include "ui/lagwave.h"
#include "ui/plotutil.h"
#include "ui/widgetutil.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace kp {

namespace {

struct Loaded
{
    std::shared_ptr<const LagData> data;
    PartitionRatesPtr rates; // freed off the GUI thread: 50,000 partitions
    QString note;
    bool historyPending = false; // built without the history, which is being read (or could not be)
};

// The note and the Issues page's line when the history cannot be read.
QString historyUnreadable(const QString &why)
{
    return QObject::tr("The lag history could not be read (tried again at the next sample): %1").arg(why);
}

// Calls `use` with the Lag page's window of `snapshot` (HistoryWindow::use), tried once more when it fails: the
// session's thread writes the same file. Returns what failed, empty when it went through.
template <typename Use>
QString useWindow(HistoryWindow &window, const SnapshotPtr &snapshot, const QString &db, int64_t windowMs,
                  const std::string &chartGroup, Use &&use)
{
    QString error;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            window.use(db, snapshot->clusterId, snapshot->takenAtMs, windowMs, lagPageShape(*snapshot, chartGroup),
                       use);
            return {};
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
            QThread::msleep(200);
        }
    }
    return error;
}

// `withoutHistory`: the window is not read yet (its opening read runs beside this build, or failed): the rows are
// built from the snapshot alone, under that note, rather than wait seconds for a week of a large cluster's history.
Loaded load(SnapshotPtr snapshot, QString db, std::shared_ptr<HistoryWindow> window, int64_t windowMs,
            std::string topic, std::string chartGroup,
            std::shared_ptr<const std::map<PartitionOffset, RecordTime>> recordTimes,
            std::vector<ClientAzRule> clientAzs, QString withoutHistory)
{
    Loaded out;
    out.historyPending = !withoutHistory.isEmpty();
    if (out.historyPending) {
        db.clear();
        out.note = withoutHistory;
    }
    std::shared_ptr<LagData> data;
    // Built from the window itself, the snapshot as the newest point (a copy of the window held tens of megabytes more
    // on a large cluster).
    auto build = [&](const SampleStore::History &history) {
        out.rates = shareFreedOffGuiThread(produceBytesPerSecond(*snapshot, history)); // Layout colours
        data = std::shared_ptr<LagData>(new LagData(buildLagData(snapshot, history, topic, chartGroup)),
                                        &deleteOffGuiThread<LagData>);
        findChartWave(*data, historyStartMs(history, snapshot->takenAtMs), clientAzs);
    };
    if (!db.isEmpty())
        if (const QString error = useWindow(*window, snapshot, db, windowMs, chartGroup, build); !error.isEmpty())
            out.note = historyUnreadable(error);
    if (!data) {
        if (!out.note.isEmpty() && !out.historyPending)
            IssueLog::instance().report(QObject::tr("lag history"), qs(snapshot->clusterId), out.note);
        build(SampleStore::History{});
    }
    if (recordTimes)
        applyRecordTimes(*data, *recordTimes);
    if (out.note.isEmpty())
        out.note = db.isEmpty() ? QObject::tr("No recorded history for a snapshot file: lags are exact, statuses and "
                                              "time lags unknown.")
                   : data->hasHistory
                       ? QObject::tr("Statuses and time lags from the recorded history of the last %1 min and this "
                                     "snapshot.")
                             .arg(windowMs / 60000)
                       : QObject::tr("No samples recorded yet in the last %1 min: statuses appear as samples arrive "
                                     "(every few seconds while the cluster is open); time lags meanwhile from the "
                                     "first record each group has not consumed.")
                             .arg(windowMs / 60000);
    out.data = std::move(data);
    return out;
}

} // namespace

LagPage::LagPage(ClusterContext *context, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("lagNote"));
    m_note->setWordWrap(true);
    auto *bar = buildBar();
    buildTables();
    buildChart();
    auto *chartPane = new QWidget(this);
    auto *chartLayout = new QVBoxLayout(chartPane);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(m_waveNote);
    chartLayout->addWidget(m_plot, 1);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_partitionsView);
    right->addWidget(chartPane);
    auto *split = new QSplitter(this);
    split->addWidget(m_groupsView);
    split->addWidget(right);
    split->setStretchFactor(0, 5);
    split->setStretchFactor(1, 4);
    layout->addLayout(bar);
    layout->addWidget(m_note);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        QRegularExpression re(text, QRegularExpression::CaseInsensitiveOption);
        m_filter->setStyleSheet(re.isValid() ? QString() : QStringLiteral("QLineEdit { background: #fde2e1; }"));
        if (!re.isValid())
            return;
        // The chosen group stays chosen while the filter shows it.
        const QString chosen = selectedGroup();
        m_groups->setFilter(re);
        if (!selectGroup(chosen))
            showGroup();
    });
    connect(m_topic, &QComboBox::currentIndexChanged, this, [this] { reload(); });
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] { reload(); });
    connect(m_groupsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        if (!m_programmatic) {
            m_userChose = true;
            m_wantedGroup = selectedGroup();
        }
        showGroup();
    });
    subscribe(context);
}

// The group filter, the topic, the window and the exports.
QHBoxLayout *LagPage::buildBar()
{
    auto *bar = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("lagGroupFilter"));
    m_filter->setPlaceholderText(tr("Group filter (regular expression)"));
    m_filter->setClearButtonEnabled(true);
    m_topic = new QComboBox(this);
    m_topic->setObjectName(QStringLiteral("lagTopic"));
    m_topic->setToolTip(tr("A topic's groups and their lag on it"));
    m_topic->addItem(tr("All topics"), QString());
    m_window = new QComboBox(this);
    m_window->setObjectName(QStringLiteral("lagWindow"));
    for (auto [label, minutes] : {std::pair{tr("Last 15 min"), 15},
                                  {tr("Last hour"), 60},
                                  {tr("Last 6 hours"), 360},
                                  {tr("Last day"), 1440},
                                  {tr("Last week"), 10080}})
        m_window->addItem(label, minutes);
    m_window->setCurrentIndex(1);
    auto *csv = new QPushButton(tr("Export &CSV…"), this);
    auto *png = new QPushButton(tr("Export &PNG…"), this);
    bar->addWidget(m_filter, 2);
    bar->addWidget(m_topic, 1);
    bar->addWidget(m_window);
    bar->addWidget(csv);
    bar->addWidget(png);
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export CSV"), QStringLiteral("lag.csv"), tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            ui::saveInBackground(this, path, this->csv(), ui::warnIfFailed(this, tr("Export CSV")));
    });
    connect(png, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export PNG"), QStringLiteral("lag.png"), tr("PNG images (*.png)"));
        if (!path.isEmpty())
            ui::saveImageInBackground(this, path, chartImage(), ui::warnIfFailed(this, tr("Export PNG")));
    });
    return bar;
}

// The groups and the chosen group's partitions: sortable tables over the two models.
void LagPage::buildTables()
{
    m_groups = new LagGroupsModel(this); // sorts and filters itself (10,000 groups)
    m_partitions = new LagPartitionsModel(this);
    m_partitionsProxy = new QSortFilterProxyModel(this);
    m_partitionsProxy->setSourceModel(m_partitions);
    m_partitionsProxy->setSortRole(kRawRole);

    auto table = [this](const QString &name, QAbstractItemModel *model) {
        auto *v = new QTableView(this);
        v->setObjectName(name);
        v->setModel(model);
        v->setSortingEnabled(true);
        v->setSelectionBehavior(QAbstractItemView::SelectRows);
        v->setSelectionMode(QAbstractItemView::SingleSelection);
        v->setAlternatingRowColors(true);
        v->verticalHeader()->hide();
        v->verticalHeader()->setDefaultSectionSize(v->fontMetrics().height() + 6);
        v->horizontalHeader()->setStretchLastSection(true);
        v->setWordWrap(false);
        return v;
    };
    m_groupsView = table(QStringLiteral("lagGroups"), m_groups);
    m_groupsView->sortByColumn(LagGroupsModel::TotalLag, Qt::DescendingOrder);
    m_partitionsView = table(QStringLiteral("lagPartitions"), m_partitionsProxy);
    m_partitionsView->sortByColumn(LagPartitionsModel::Lag, Qt::DescendingOrder);
}

// The chosen group's total lag and time lag over the window.
void LagPage::buildChart()
{
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("lagChart"));
    m_plot->setMinimumHeight(180);
    m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
    m_plot->graph(0)->setName(tr("Total lag (messages)"));
    m_plot->graph(0)->setPen(QPen(QColor(0x1f, 0x5f, 0xa8), 2));
    m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_plot->graph(1)->setName(tr("Max time lag (s)"));
    m_plot->graph(1)->setPen(QPen(QColor(0xd9, 0x6c, 0x00), 2, Qt::DashLine));
    // Where the end-offset table could not tell the time lag, the first unconsumed record did: marked on the line.
    m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_plot->graph(2)->setName(tr("Time lag read from records (s)"));
    m_plot->graph(2)->setLineStyle(QCPGraph::lsNone);
    m_plot->graph(2)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(0xd9, 0x6c, 0x00), 6));
    m_plot->graph(2)->removeFromLegend(); // listed once it has a point
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    ticker->setTickCount(4); // the default five ran into each other at the pane's usual width
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(tr("lag (messages)"));
    ui::wholeNumbers(m_plot->yAxis);
    m_plot->yAxis2->setLabel(tr("time lag (s)"));
    m_plot->yAxis2->setVisible(true);
    ui::legendBelow(m_plot, 1); // one to a row: two side by side made the plot, and the splitter, wider
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_waveMarks = std::make_unique<WaveMarks>(m_plot);
    m_waveNote = new QLabel(this);
    m_waveNote->setObjectName(QStringLiteral("lagWave"));
    m_waveNote->setWordWrap(true);
    m_waveNote->setTextFormat(Qt::RichText);
    m_waveNote->setVisible(false);
}

void LagPage::subscribe(ClusterContext *context)
{
    // Every sample moves the lags on; a disconnect stops the record reads.
    auto show = [this, context](SnapshotPtr snapshot) { setSnapshot(std::move(snapshot), context->historyDb()); };
    connect(context, &ClusterContext::snapshotChanged, this, show);
    connect(context, &ClusterContext::sampleMerged, this, show);
    connect(context, &ClusterContext::connectionChanged, this,
            [this, context] { setConnection(context->connection()); });
}

LagPage::~LagPage()
{
    m_timesRead.cancel(); // a record read under way ends now, not at its timeout (closing the window waits for it)
}

void LagPage::setSnapshot(SnapshotPtr snapshot, const QString &historyDb)
{
    const bool sameCluster = m_snapshot && snapshot && m_snapshot->clusterId == snapshot->clusterId;
    m_snapshot = std::move(snapshot);
    m_historyDb = historyDb;
    m_historyError.clear(); // a window that could not be read is tried again with each snapshot
    if (!sameCluster) {
        // The topic list follows the cluster; the chosen topic stays when it still exists.
        const QString current = m_topic->currentData().toString();
        const QSignalBlocker block(m_topic);
        m_topic->clear();
        m_topic->addItem(tr("All topics"), QString());
        if (m_snapshot)
            for (const auto &t : m_snapshot->topics)
                m_topic->addItem(QString::fromStdString(t.name), QString::fromStdString(t.name));
        m_topic->setCurrentIndex(std::max(0, m_topic->findData(current)));
    }
    reload();
}

void LagPage::setTopic(const QString &topic)
{
    m_topic->setCurrentIndex(std::max(0, m_topic->findData(topic)));
}

void LagPage::setWindowMinutes(int minutes)
{
    m_window->setCurrentIndex(std::max(0, m_window->findData(minutes)));
}

void LagPage::reload()
{
    if (!m_snapshot) {
        m_job.cancel();
        showData(nullptr, QString());
        return;
    }
    const int64_t windowMs = int64_t(m_window->currentData().toInt()) * 60000;
    QString withoutHistory;
    if (!m_historyDb.isEmpty() && !m_history->opened(m_historyDb, m_snapshot->clusterId, windowMs)) {
        withoutHistory = m_historyError.isEmpty()
                             ? tr("Reading the recorded history of the last %1 min: lags are exact; statuses and time "
                                  "lags follow once it is read.")
                                   .arg(windowMs / 60000)
                             : historyUnreadable(m_historyError);
        openWindow(windowMs);
    }
    // One read at a time: a request while one runs is served when it ends, by one read of the newest state (on a large
    // cluster each read builds 200,000 rows, and reads side by side held them all at once).
    m_job.start(
        this,
        [snapshot = m_snapshot, db = m_historyDb, history = m_history, windowMs,
         topic = m_topic->currentData().toString().toStdString(), group = selectedGroup().toStdString(),
         records = m_recordTimes, azs = m_connection ? m_connection->clientAzs : std::vector<ClientAzRule>{},
         withoutHistory] { return load(snapshot, db, history, windowMs, topic, group, records, azs, withoutHistory); },
        [this](Loaded r) {
            m_historyPending = r.historyPending;
            if (!r.historyPending) // the Layout page's colours keep the last rates read with the history
                Q_EMIT ratesReady(r.rates);
            showData(std::move(r.data), r.note);
        },
        [this] { reload(); });
}

// The window's first read of a file, cluster and span (a week of a large cluster's samples: seconds) runs on a lane of
// its own; the page's builds meanwhile show the snapshot's rows without the history, and the next one after the read
// follows the window. A read that failed is said in the note and tried again at the next sample.
void LagPage::openWindow(int64_t windowMs)
{
    if (m_opening.running() || !m_historyError.isEmpty())
        return;
    m_opening.start(
        this,
        [snapshot = m_snapshot, db = m_historyDb, window = m_history, windowMs, group = selectedGroup().toStdString()] {
            return useWindow(*window, snapshot, db, windowMs, group, [](const SampleStore::History &) {});
        },
        [this, cluster = qs(m_snapshot->clusterId)](const QString &error) {
            m_historyError = error;
            if (!error.isEmpty())
                IssueLog::instance().report(tr("lag history"), cluster, historyUnreadable(error));
            reload();
        });
}

void LagPage::showData(std::shared_ptr<const LagData> data, const QString &note)
{
    m_data = std::move(data);
    m_note->setText(note);
    const bool first = m_groups->rowCount() == 0;
    m_groups->setData(m_data);
    // Sized to the contents when rows first appear, not at every sample: widths a person set stay, and 2,000 groups
    // are not measured every 10 s. A long group name does not push the verdict out of the pane.
    if (first && m_groups->rowCount() > 0) {
        m_groupsView->resizeColumnsToContents();
        m_groupsView->setColumnWidth(LagGroupsModel::Group,
                                     std::min(m_groupsView->columnWidth(LagGroupsModel::Group),
                                              std::max(120, m_groupsView->viewport()->width() / 3)));
    }
    // The group a person chose stays chosen; until then the first row (the most lag, by default) is shown.
    if (!m_userChose || !selectGroup(m_wantedGroup)) {
        if (const LagGroupRow *top = m_groups->row(0))
            selectGroup(qs(top->group));
    }
    showGroup();
    Q_EMIT dataShown();
}

QString LagPage::selectedGroup() const
{
    const QModelIndex current = m_groupsView->selectionModel()->currentIndex();
    if (!current.isValid())
        return {};
    const LagGroupRow *g = m_groups->row(current.row());
    return g ? qs(g->group) : QString();
}

bool LagPage::chooseGroup(const QString &group)
{
    m_userChose = true;
    m_wantedGroup = group;
    return selectGroup(group);
}

bool LagPage::selectGroup(const QString &group)
{
    const int r = group.isEmpty() ? -1 : m_groups->rowOf(group.toStdString());
    if (r < 0)
        return false;
    const QModelIndex idx = m_groups->index(r, LagGroupsModel::Group);
    m_programmatic = true; // not a person's choice: the current-row handler leaves m_wantedGroup alone
    m_groupsView->selectionModel()->setCurrentIndex(idx,
                                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_programmatic = false;
    m_groupsView->scrollTo(idx);
    return true;
}

void LagPage::setConnection(std::optional<ConnectionProfile> profile)
{
    // Another cluster: what was read belongs to the previous one. None (disconnected): what was read stays on screen,
    // nothing more is read. Either way a read under way is cancelled and its answer dropped.
    const bool sameCluster = profile && m_connection && profile->bootstrap == m_connection->bootstrap;
    if (!sameCluster) {
        if (profile)
            m_recordTimes.reset();
        m_timesRead.cancel();
    }
    m_connection = std::move(profile);
}

void LagPage::readRecordTimes(const std::string &group)
{
    // Not while the rows wait for the history, which gives most time lags.
    if (!m_connection || m_timesRead.running() || !m_data || !m_snapshot ||
        m_snapshot->source != SnapshotSource::Live || m_historyPending)
        return;
    // The partitions whose time lag the history could not give and whose record has not been asked for yet: the chosen
    // group's first, then the other groups'; at most kMaxRecordTimes at a time (the next turn takes more once these
    // are in, while a group is chosen).
    constexpr size_t kMaxRecordTimes = 1000;
    std::set<PartitionOffset> wanted;
    auto collect = [&](const std::vector<LagPartitionRow> &rows) {
        for (const auto &r : rows)
            if (wanted.size() < kMaxRecordTimes && !r.timeLagSeconds && r.lag() > 0 && r.committed() >= 0) {
                PartitionOffset at{{r.topic(), r.partition()}, r.committed()};
                if (!(m_recordTimes && m_recordTimes->count(at)))
                    wanted.insert(std::move(at));
            }
    };
    if (auto rows = m_data->partitions.find(group); rows != m_data->partitions.end())
        collect(rows->second);
    for (const auto &[name, rows] : m_data->partitions)
        if (name != group)
            collect(rows);
    if (wanted.empty())
        return;
    m_timesRead.start(
        this,
        [profile = *m_connection, wanted](const ui::CancelToken &cancel) {
            try {
                return recordTimesAt(profile, wanted, std::max(profile.timeoutMs, kDefaultTimeoutMs), cancel.flag());
            } catch (const std::exception &e) {
                std::map<PartitionOffset, RecordTime> failed;
                for (const auto &po : wanted)
                    failed[po].error = e.what();
                return failed;
            }
        },
        [this](std::map<PartitionOffset, RecordTime> read) { // dropped when cancelled: another cluster, disconnected
            // Kept by partition and committed offset: the same record is the first unconsumed one until the group
            // commits past it, and its age grows with every sample. Forgotten past 200,000 (a fresh start).
            auto merged = std::make_shared<std::map<PartitionOffset, RecordTime>>();
            if (m_recordTimes && m_recordTimes->size() + read.size() <= 200000)
                *merged = *m_recordTimes;
            merged->merge(read);
            m_recordTimes = std::move(merged);
            reload();
        });
}

void LagPage::showGroup()
{
    const std::string group = selectedGroup().toStdString();
    m_partitions->setRows(m_data, group);
    m_partitionsView->resizeColumnsToContents();
    readRecordTimes(group);
    if (!m_data || group.empty()) {
        m_chartJob.cancel();
        plot({});
        return;
    }
    // Only the chosen group's whole history is read (a window of every group's took gigabytes on a large cluster):
    // another group's chart needs a read of its own.
    if (m_data->chartGroup != group) {
        m_chartJob.cancel();
        reload();
        return;
    }
    auto it = m_data->histories.find(group);
    if (it == m_data->histories.end()) {
        m_chartJob.cancel();
        plot({});
        return;
    }
    // The data stays alive with the lambda's copy of the pointer.
    m_chartJob.start(
        this,
        [data = m_data, parts = &it->second, records = m_recordTimes] { return lagSeries(*parts, records.get()); },
        [this](const std::vector<LagPoint> &series) { plot(series); });
}

void LagPage::plot(const std::vector<LagPoint> &series)
{
    QVector<double> t, lag, tt, timeLag, rt, recordLag;
    for (const auto &p : series) {
        t.push_back(double(p.timeMs) / 1000.0);
        lag.push_back(double(p.totalLag));
        if (p.maxTimeLagSeconds) {
            tt.push_back(double(p.timeMs) / 1000.0);
            timeLag.push_back(*p.maxTimeLagSeconds);
        }
        if (p.maxTimeLagSeconds && p.timeLagFromRecords) {
            rt.push_back(double(p.timeMs) / 1000.0);
            recordLag.push_back(*p.maxTimeLagSeconds);
        }
    }
    m_plot->graph(0)->setData(t, lag, true);
    m_plot->graph(1)->setData(tt, timeLag, true);
    m_plot->graph(2)->setData(rt, recordLag, true);
    // A lone point draws no line: a dot shows it (a snapshot file, the first sample).
    const QCPScatterStyle lone =
        series.size() == 1 ? QCPScatterStyle(QCPScatterStyle::ssDisc, 8) : QCPScatterStyle(QCPScatterStyle::ssNone);
    m_plot->graph(0)->setScatterStyle(lone);
    m_plot->graph(1)->setScatterStyle(lone);
    if (rt.isEmpty())
        m_plot->graph(2)->removeFromLegend();
    else
        m_plot->graph(2)->addToLegend();
    m_chartPoints = int(series.size());
    m_recordChartPoints = int(rt.size());
    if (!t.isEmpty()) {
        // At least a minute wide: over a narrower span (one point, the first samples) the HH:mm:ss ticks repeat.
        const double pad = std::max(1.0, (60.0 - (t.back() - t.front())) / 2);
        m_plot->xAxis->setRange(t.front() - pad, t.back() + pad);
        bool found = false;
        QCPRange r = m_plot->graph(0)->getValueRange(found);
        m_plot->yAxis->setRange(0, std::max(1.0, r.upper * 1.1));
        r = m_plot->graph(1)->getValueRange(found);
        m_plot->yAxis2->setRange(0, found ? std::max(1.0, r.upper * 1.1) : 1.0);
    }
    m_plot->xAxis->setLabel(series.size() != 1 ? QString()
                            : m_historyPending ? tr("one point: the recorded history is being read")
                                               : tr("one point: the history fills in as samples arrive"));
    showWave();
    m_plot->replot();
    Q_EMIT chartShown();
}

// The shown group's refresh wave, when the data read for its chart has one.
void LagPage::showWave()
{
    const bool shown = m_data && m_data->wave && m_data->chartGroup == selectedGroup().toStdString();
    m_waveMarks->show(shown ? &*m_data->wave : nullptr);
    m_waveNote->setText(shown ? waveSummary(*m_data) : QString());
    m_waveNote->setVisible(shown);
}

QString LagPage::waveText() const
{
    return m_waveNote->isVisible() ? m_waveNote->text() : QString();
}

bool LagPage::waveMarked() const
{
    return m_waveMarks->visible();
}

QByteArray LagPage::csv() const
{
    const bool partitions = !selectedGroup().isEmpty();
    const QAbstractItemModel *model =
        partitions ? static_cast<QAbstractItemModel *>(m_partitionsProxy) : static_cast<QAbstractItemModel *>(m_groups);
    QByteArray bytes;
    QTextStream out(&bytes, QIODevice::WriteOnly);
    if (partitions)
        out << "group,";
    for (int c = 0; c < model->columnCount(); ++c)
        out << (c ? "," : "")
            << model->headerData(c, Qt::Horizontal).toString().toLower().replace(QLatin1Char(' '), QLatin1Char('_'));
    out << "\n";
    for (int r = 0; r < model->rowCount(); ++r) {
        if (partitions) {
            out << ui::csvField(selectedGroup());
            out << ",";
        }
        for (int c = 0; c < model->columnCount(); ++c) {
            if (c)
                out << ",";
            const QVariant v = model->index(r, c).data(kRawRole);
            out << ui::csvField(v.typeId() == QMetaType::Double && v.toDouble() < 0 ? QString() : v.toString());
        }
        out << "\n";
    }
    out.flush();
    return bytes;
}

QImage LagPage::chartImage() const
{
    return m_plot->toPixmap(1200, 500).toImage();
}

} // namespace kp
