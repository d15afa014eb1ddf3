#include "ui/runspage.h"

#include "services/issuelog.h"
#include "ui/lineagedialog.h"
#include "ui/recordrundialog.h"

#include "models/snapshotjson.h"
#include "models/units.h"
#include "services/runservice.h"
#include "ui/widgetutil.h"

#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
#include <QDialog>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace kp {

namespace {

struct Loaded
{
    std::vector<TrainingRun> runs;
    std::map<int64_t, int> pending; // OpenLineage events not sent yet, per run
    LineageDelivery delivery;
    QString error, deliveryError;
};

struct Recorded
{
    TrainingRun run;
    LineageDelivery delivery;
    QString error, deliveryError;
};

// The store's pending OpenLineage events sent; a store that fails here is said, not thrown (the run is stored). Not
// while another delivery runs (`busy`): that one sends what waits, and the next refresh tries again; an endpoint that
// hangs holds one worker for its timeout, not one per refresh.
void deliver(const RunService &service, std::atomic<bool> &busy, LineageDelivery &delivery, QString &error)
{
    if (busy.exchange(true))
        return;
    try {
        delivery = service.deliverLineage();
    } catch (const std::exception &e) {
        error = QString::fromUtf8(e.what());
    }
    busy = false;
}

QColor stateColor(Replayability r)
{
    switch (r) {
    case Replayability::Replayable:
        return ui::toneColor(ui::Tone::Good);
    case Replayability::PartlyAgedOut:
        return ui::toneColor(ui::Tone::Warning);
    case Replayability::AgedOut:
        return ui::toneColor(ui::Tone::Bad);
    case Replayability::Unknown:
        break;
    }
    return ui::toneColor(ui::Tone::Neutral);
}

} // namespace

RunsPage::RunsPage(ClusterContext *context, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_record = new QPushButton(tr("&Record run…"), this);
    m_record->setObjectName(QStringLiteral("runsRecord"));
    m_record->setToolTip(tr("Record which data a training run read: a time window or a consumer group's offsets"));
    m_finish = new QPushButton(tr("&Finish group run"), this);
    m_finish->setToolTip(tr("Record the group's committed offsets now as the run's end"));
    m_manifest = new QPushButton(tr("Export &manifest…"), this);
    m_commands = new QPushButton(tr("&Copy replay commands"), this);
    m_remove = new QPushButton(tr("Delete"), this);
    m_plan = new QPushButton(tr("&Plan this replay"), this);
    m_plan->setObjectName(QStringLiteral("runsPlanReplay"));
    m_plan->setToolTip(tr("Open the Planner's replay scenario with what replaying this run reads today: its records "
                          "still retained, and how much of them only the remote tier holds"));
    m_lineageButton = new QPushButton(tr("Open&Lineage…"), this);
    m_lineageButton->setObjectName(QStringLiteral("runsLineage"));
    for (auto *b : {m_record, m_finish, m_manifest, m_commands, m_plan, m_remove, m_lineageButton})
        bar->addWidget(b);
    bar->addStretch(1);
    m_error = ui::makeErrorLabel(this, QStringLiteral("runsError"));
    auto *split = new QSplitter(Qt::Vertical, this);
    m_list =
        ui::makeTree(split, QStringLiteral("runsList"),
                     {tr("Run"), tr("Job"), tr("Model"), tr("Read"), tr("Topics"), tr("Recorded"), tr("OpenLineage")});
    auto *details = new QWidget(split);
    auto *dv = new QVBoxLayout(details);
    dv->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(tr("Record a run, or choose one above."), details);
    m_summary->setObjectName(QStringLiteral("runsSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ranges = ui::makeTree(
        details, QStringLiteral("runsRanges"),
        {tr("Topic"), tr("Partition"), tr("Start"), tr("End"), tr("Records"), tr("Bytes"), tr("Replay"), tr("Why")});
    dv->addWidget(m_summary);
    dv->addWidget(m_ranges, 1);
    split->setStretchFactor(1, 2);
    layout->addLayout(bar);
    layout->addWidget(m_error);
    layout->addWidget(split, 1);

    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            select(item->data(0, Qt::UserRole).toLongLong());
    });
    connect(m_record, &QPushButton::clicked, this, &RunsPage::openRecordDialog);
    connect(m_finish, &QPushButton::clicked, this, [this] {
        if (m_shown)
            finish(m_shown->id);
    });
    connect(m_manifest, &QPushButton::clicked, this, &RunsPage::exportManifest);
    connect(m_commands, &QPushButton::clicked, this, &RunsPage::copyCommands);
    connect(m_remove, &QPushButton::clicked, this, &RunsPage::removeRun);
    connect(m_plan, &QPushButton::clicked, this, &RunsPage::planShownReplay);
    connect(m_lineageButton, &QPushButton::clicked, this, &RunsPage::openLineageDialog);
    setLineageEndpoint(LineageDialog::saved());
    setCluster(nullptr, std::nullopt);
    subscribe(context);
}

void RunsPage::subscribe(ClusterContext *context)
{
    setStore(context->storePath());
    connect(context, &ClusterContext::storeChanged, this, [this](const QString &store) { setStore(store); });
    // Replayability against the newest offsets; recording needs the connection.
    auto follow = [this, context] { setCluster(context->snapshot(), context->connection()); };
    connect(context, &ClusterContext::snapshotChanged, this, follow);
    // Runs recorded or finished elsewhere on a shared store (a CI job, a colleague) show at the next refresh.
    connect(context, &ClusterContext::snapshotChanged, this, &RunsPage::reload);
    connect(context, &ClusterContext::sampleMerged, this, follow);
    connect(context, &ClusterContext::connectionChanged, this, follow);
}

QString RunsPage::lastError() const
{
    return ui::shownError(m_error);
}

void RunsPage::setError(const QString &message)
{
    if (ui::showError(m_error, message))
        Q_EMIT failed(message);
}

void RunsPage::setFailure(const QString &message)
{
    setError(message);
    IssueLog::instance().report(tr("runs"), QString(), message); // listed under Issues too, counted if it repeats
}

void RunsPage::setStore(const QString &dbPath)
{
    m_db = dbPath;
    reload();
}

void RunsPage::setCluster(SnapshotPtr snapshot, std::optional<ConnectionProfile> profile)
{
    m_snapshot = std::move(snapshot);
    m_profile = std::move(profile);
    m_record->setEnabled(m_profile.has_value() && m_snapshot && !m_busy);
    m_record->setToolTip(m_profile ? tr("Record which data a training run read")
                                   : tr("Connect to a cluster (a profile) to record runs on it"));
    if (m_shown)
        showRun(*m_shown); // replayability against the new snapshot
    else if (m_runs.empty())
        m_summary->setText(emptySummary());
}

QString RunsPage::emptySummary() const
{
    return m_profile ? tr("No training run recorded yet: Record run… notes which data a model saw.")
                     : tr("No training run recorded yet. Runs are recorded on a connected cluster: add or choose one "
                          "on the left, then Record run… notes which data a model saw.");
}

void RunsPage::reload()
{
    if (m_db.isEmpty())
        return;
    const QString db = m_db;
    const LineageEndpoint lineage = m_lineage;
    ui::runAsync(
        this,
        [db, lineage, busy = m_delivering]() {
            Loaded out;
            try {
                const RunService service(db, lineage);
                if (!service.pendingLineage().empty()) // an endpoint that was down may be back
                    deliver(service, *busy, out.delivery, out.deliveryError);
                out.runs = service.all();
                out.pending = service.pendingLineage();
            } catch (const std::exception &e) {
                out.error = QString::fromUtf8(e.what());
            }
            return out;
        },
        [this](Loaded loaded) {
            if (!loaded.error.isEmpty()) {
                setFailure(loaded.error);
                return;
            }
            m_runs = std::move(loaded.runs);
            m_pending = std::move(loaded.pending);
            if (loaded.delivery.sent > 0 || loaded.delivery.pending > 0 || !loaded.deliveryError.isEmpty())
                tookDelivery(loaded.delivery, loaded.deliveryError);
            const int64_t keep = m_shown ? m_shown->id : (m_runs.empty() ? 0 : m_runs.front().id);
            m_list->clear();
            for (const auto &r : m_runs) {
                auto *item = new ui::SortableItem(m_list);
                item->setData(0, Qt::DisplayRole, QVariant::fromValue<qlonglong>(r.id));
                item->setData(0, Qt::UserRole, QVariant::fromValue<qlonglong>(r.id));
                item->setText(1, qs(r.jobId));
                item->setText(2, qs(r.model));
                item->setText(3, r.basis == RunBasis::TimeWindow
                                     ? qs(formatIsoTime(r.windowFromMs) + " .. " + formatIsoTime(r.windowToMs))
                                     : tr("group %1%2").arg(qs(r.group), r.open() ? tr(" (open)") : QString()));
                QStringList topics;
                for (const auto &t : r.topics)
                    topics << qs(t);
                item->setText(4, topics.join(QStringLiteral(", ")));
                item->setText(5, qs(formatIsoTime(r.startedAtMs)));
                if (auto waiting = m_pending.find(r.id); waiting != m_pending.end()) {
                    item->setText(6, tr("%n event(s) pending", nullptr, waiting->second));
                    item->setToolTip(6, m_lineageError);
                    item->setForeground(6, ui::toneColor(ui::Tone::Warning));
                }
                if (r.id == keep)
                    m_list->setCurrentItem(item);
            }
            if (m_runs.empty()) {
                m_shown.reset();
                m_ranges->clear();
                m_summary->setText(emptySummary());
                m_replay.reset();
                m_plan->setEnabled(false);
            }
            for (auto *b : {m_finish, m_manifest, m_commands, m_remove})
                b->setEnabled(m_shown.has_value());
            Q_EMIT runsLoaded();
        });
}

void RunsPage::select(int64_t runId)
{
    for (const auto &r : m_runs)
        if (r.id == runId) {
            showRun(r);
            return;
        }
}

void RunsPage::showRun(const TrainingRun &run)
{
    m_shown = run;
    const bool sameCluster = m_snapshot && m_snapshot->clusterId == run.clusterId;
    m_checks = sameCluster ? checkRun(run, *m_snapshot) : std::vector<RangeCheck>(run.ranges.size());
    m_summary->setText(describeRun(run) + describeReplay(run, sameCluster));
    showRanges(run, sameCluster);
    m_finish->setEnabled(run.open() && m_profile.has_value() && !m_busy);
    for (auto *b : {m_manifest, m_commands, m_remove})
        b->setEnabled(true);
    Q_EMIT runShown();
}

// What the run read and from where it was recorded (HTML).
QString RunsPage::describeRun(const TrainingRun &run) const
{
    QString text = tr("<b>Run %1</b>: job %2, model %3, %4 records, %5 (estimated) on cluster %6 (%7).")
                       .arg(run.id)
                       .arg(qs(run.jobId).toHtmlEscaped(), qs(run.model).toHtmlEscaped())
                       .arg(run.records())
                       .arg(run.bytes() >= 0 ? qs(formatBytes(run.bytes())) : tr("unknown"))
                       .arg(qs(run.clusterId), qs(run.bootstrap).toHtmlEscaped());
    if (run.basis == RunBasis::TimeWindow)
        text +=
            tr(" Time window %1 .. %2.").arg(qs(formatIsoTime(run.windowFromMs)), qs(formatIsoTime(run.windowToMs)));
    else
        text += tr(" Group %1's committed offsets%2.")
                    .arg(qs(run.group).toHtmlEscaped(),
                         run.open() ? tr(" at the start; Finish records the end") : tr(" at the start and the end"));
    if (!run.transformVersion.empty())
        text += tr(" Transformation %1.").arg(qs(run.transformVersion).toHtmlEscaped());
    QStringList schemas;
    for (const auto &[k, v] : run.schemaVersions)
        schemas << qs(k + " " + v).toHtmlEscaped();
    if (!schemas.isEmpty())
        text += tr(" Schemas: %1.").arg(schemas.join(QStringLiteral(", ")));
    QStringList snaps;
    for (const auto &s : run.snapshotIds)
        snaps << qs(s).toHtmlEscaped();
    if (!snaps.isEmpty())
        text += tr(" Source snapshots: %1.").arg(snaps.join(QStringLiteral(", ")));
    if (!run.notes.empty())
        text +=
            QStringLiteral("<br>") + qs(run.notes).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    if (auto waiting = m_pending.find(run.id); waiting != m_pending.end())
        text += tr("<br><span style='color:#9a6700'>OpenLineage: %n event(s) waiting to be sent (%1); tried again at "
                   "each refresh.</span>",
                   nullptr, waiting->second)
                    .arg(m_lineageError.toHtmlEscaped());
    return text;
}

// Whether its ranges can still be replayed, what a replay reads today and from where (HTML); readies the Planner's
// replay of it where the run's own cluster is open.
QString RunsPage::describeReplay(const TrainingRun &run, bool sameCluster)
{
    QString text;
    int gone = 0;
    for (const auto &c : m_checks)
        gone += c.state == Replayability::AgedOut || c.state == Replayability::PartlyAgedOut ? 1 : 0;
    if (!sameCluster)
        text += tr("<br>Replayability: connect to cluster %1 to check it.").arg(qs(run.clusterId));
    else
        text +=
            gone == 0
                ? tr("<br><span style='color:#1b7f3a'>Every range can still be replayed.</span>")
                : tr("<br><span style='color:#b3261e'>%1 range(s) have lost records to retention.</span>").arg(gone);
    // What a replay reads today, and where from: the Planner's replay source.
    const RunReplaySource source = sameCluster ? replaySource(run, m_checks) : RunReplaySource{};
    if (sameCluster && source.records > 0)
        text += tr("<br>A replay today reads %1 records, %2 (estimated)%3.")
                    .arg(source.records)
                    .arg(source.bytes >= 0 ? qs(formatBytes(source.bytes)) : tr("unknown"))
                    .arg(source.remoteShare() < 0 ? tr(", where from is not known (a topic's tiering was not read)")
                         : source.remoteRecords == 0
                             ? tr(", all from the brokers' local disks")
                             : tr(", %1 of them only in the remote tier").arg(source.remoteRecords));
    // Planned as replayOfRun allows (it says why not), on the run's own cluster.
    m_replay.reset();
    QString why = tr("Connect to cluster %1 to plan its replay").arg(qs(run.clusterId));
    if (sameCluster) {
        try {
            m_replay = replayOfRun(run, source);
            why = tr("Open the Planner's replay scenario with what replaying this run reads today, and where from");
        } catch (const std::invalid_argument &e) {
            why = QString::fromUtf8(e.what());
        }
    }
    m_plan->setEnabled(m_replay.has_value());
    m_plan->setToolTip(why);
    return text;
}

void RunsPage::showRanges(const TrainingRun &run, bool sameCluster)
{
    m_ranges->setSortingEnabled(false);
    m_ranges->clear();
    for (size_t i = 0; i < run.ranges.size(); ++i) {
        const auto &r = run.ranges[i];
        auto *item = new ui::SortableItem(m_ranges);
        item->setText(0, qs(r.topic));
        ui::setId(item, 1, r.partition);
        ui::setNumber(item, 2, r.start);
        ui::setNumber(item, 3, r.end);
        ui::setNumber(item, 4, r.records());
        if (r.bytes >= 0)
            ui::setBytes(item, 5, r.bytes, true);
        const RangeCheck &c = m_checks[i];
        item->setText(6, sameCluster ? QString::fromLatin1(toString(c.state)) : tr("not checked"));
        item->setForeground(6, stateColor(sameCluster ? c.state : Replayability::Unknown));
        item->setText(7, qs(c.why));
        item->setToolTip(7, qs(c.why));
        const ReplayCommands cmd = replayCommands(run.bootstrap, r);
        item->setToolTip(0, qs(cmd.kcat + "\n" + cmd.consoleConsumer));
    }
    m_ranges->setSortingEnabled(true);
}

void RunsPage::planShownReplay()
{
    if (m_replay)
        Q_EMIT planReplay(*m_replay);
}

void RunsPage::record(const RunRequest &request)
{
    try {
        validate(request, QDateTime::currentMSecsSinceEpoch());
    } catch (const std::invalid_argument &e) {
        setError(QString::fromUtf8(e.what()));
        return;
    }
    if (!m_profile || m_db.isEmpty()) {
        setError(tr("Connect to the cluster the run read from first."));
        return;
    }
    setError({});
    m_busy = true;
    m_record->setEnabled(false);
    m_summary->setText(tr("Recording… reading the cluster's offsets."));
    const ConnectionProfile profile = *m_profile;
    const QString db = m_db;
    const LineageEndpoint lineage = m_lineage;
    ui::runAsync(
        this,
        [profile, request, db, lineage, busy = m_delivering]() {
            Recorded out;
            const RunService service(db, lineage);
            try {
                out.run = service.recordOn(profile, request);
            } catch (const std::exception &e) {
                out.error = QString::fromUtf8(e.what());
                return out;
            }
            deliver(service, *busy, out.delivery, out.deliveryError);
            return out;
        },
        [this](Recorded r) {
            m_busy = false;
            m_record->setEnabled(m_profile.has_value() && m_snapshot);
            if (!r.error.isEmpty()) {
                setFailure(tr("The run was not recorded: %1").arg(r.error));
                return;
            }
            tookDelivery(r.delivery, r.deliveryError);
            m_shown = r.run;
            reload();
            Q_EMIT recorded(r.run.id);
        });
}

void RunsPage::finish(int64_t runId)
{
    if (!m_profile || !m_shown || m_shown->id != runId || !m_shown->open())
        return;
    m_busy = true;
    m_finish->setEnabled(false);
    const ConnectionProfile profile = *m_profile;
    const QString db = m_db;
    TrainingRun run = *m_shown;
    const LineageEndpoint lineage = m_lineage;
    ui::runAsync(
        this,
        [profile, run, db, lineage, busy = m_delivering]() mutable {
            Recorded out;
            const RunService service(db, lineage);
            try {
                out.run = service.finishOn(profile, std::move(run));
            } catch (const std::exception &e) {
                out.error = QString::fromUtf8(e.what());
                return out;
            }
            deliver(service, *busy, out.delivery, out.deliveryError);
            return out;
        },
        [this](Recorded r) {
            m_busy = false;
            if (!r.error.isEmpty()) {
                setFailure(tr("The run was not finished: %1").arg(r.error));
                return;
            }
            tookDelivery(r.delivery, r.deliveryError);
            m_shown = r.run;
            reload();
            Q_EMIT recorded(r.run.id);
        });
}

void RunsPage::setLineageEndpoint(const LineageEndpoint &endpoint)
{
    m_lineage = endpoint;
    m_lineageButton->setToolTip(
        m_lineage.configured()
            ? tr("OpenLineage events go to %1 (job namespace %2)")
                  .arg(qs(m_lineage.url),
                       qs(m_lineage.jobNamespace.empty() ? kDefaultJobNamespace : m_lineage.jobNamespace))
            : tr("Send runs' OpenLineage events (START, COMPLETE) to a lineage endpoint such as Marquez"));
}

void RunsPage::openLineageDialog()
{
    LineageDialog dialog(m_lineage, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    LineageDialog::save(dialog.endpoint());
    setLineageEndpoint(dialog.endpoint());
}

// What the last delivery of OpenLineage events left: events not taken are said under Issues too (the run is stored).
void RunsPage::tookDelivery(const LineageDelivery &delivery, const QString &error)
{
    m_lineageError = !error.isEmpty() ? error : qs(delivery.lastError);
    if (delivery.pending > 0 || !error.isEmpty())
        IssueLog::instance().report(tr("OpenLineage"), QString(),
                                    tr("%n event(s) not sent yet: %1", nullptr, delivery.pending).arg(m_lineageError));
}

void RunsPage::openRecordDialog()
{
    if (!m_snapshot)
        return;
    const SnapshotPtr cluster = m_snapshot; // the dialog's while it is open, whatever sample arrives
    RecordRunDialog dialog(*cluster, this);
    if (dialog.exec() == QDialog::Accepted)
        record(dialog.request());
}

void RunsPage::exportManifest()
{
    if (!m_shown)
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export manifest"), QStringLiteral("run-%1.lineage.json").arg(m_shown->id), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    const QByteArray text = QByteArray::fromStdString(runManifestJson(*m_shown));
    ui::saveInBackground(this, path, text, [this](const QString &error) {
        if (!error.isEmpty())
            setFailure(error);
    });
}

void RunsPage::copyCommands()
{
    if (!m_shown)
        return;
    QString text;
    for (const auto &r : m_shown->ranges)
        if (r.records() > 0) {
            const ReplayCommands c = replayCommands(m_shown->bootstrap, r);
            text += qs(c.kcat) + QLatin1Char('\n') + qs(c.consoleConsumer) + QLatin1Char('\n');
        }
    QApplication::clipboard()->setText(text);
}

void RunsPage::removeRun()
{
    if (!m_shown)
        return;
    if (QMessageBox::question(this, tr("Delete run"),
                              tr("Delete run %1 (%2)? Its record of which data the model saw is lost.")
                                  .arg(m_shown->id)
                                  .arg(qs(m_shown->jobId))) != QMessageBox::Yes)
        return;
    const int64_t id = m_shown->id;
    const QString db = m_db;
    m_shown.reset();
    ui::runAsync(
        this,
        [db, id]() {
            try {
                RunService(db).remove(id);
                return QString();
            } catch (const std::exception &e) {
                return QString::fromUtf8(e.what());
            }
        },
        [this](QString error) {
            setError(error);
            reload();
        });
}

} // namespace kp
