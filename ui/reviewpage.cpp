#include "ui/reviewpage.h"

#include "models/reviewmerge.h"
#include "store/database.h"
#include "ui/reviewconflictdialog.h"

#include "analysis/reviewpdf.h"
#include "services/issuelog.h"

#include "models/formaterror.h"
#include "models/snapshotjson.h"
#include "services/reviewservice.h"
#include "ui/widgetutil.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace kp {

namespace {

constexpr const char *kDefaultName = "Readiness review";

QColor colorOf(ReviewColor c)
{
    switch (c) {
    case ReviewColor::Green:
        return ui::toneColor(ui::Tone::Good);
    case ReviewColor::Yellow:
        return ui::toneColor(ui::Tone::Warning);
    case ReviewColor::Red:
        return ui::toneColor(ui::Tone::Bad);
    case ReviewColor::NotApplicable:
        break;
    }
    return ui::toneColor(ui::Tone::Neutral);
}

// An item's colour and why in its row of the list (columns 1 and 2; the reasons a line each in the tooltip).
void showStatus(QTreeWidgetItem *row, const ItemStatus &st)
{
    QStringList why;
    for (const auto &r : st.reasons)
        why << QString::fromStdString(r);
    row->setText(1, QString::fromLatin1(toString(st.color)));
    row->setForeground(1, colorOf(st.color));
    row->setText(2, why.join(QStringLiteral("; ")));
    row->setToolTip(2, why.join(QLatin1Char('\n')));
}

// The same for the form's status line: the colour in bold, then why.
QString statusHtml(const ItemStatus &st)
{
    QStringList why;
    for (const auto &r : st.reasons)
        why << QString::fromStdString(r).toHtmlEscaped();
    return QStringLiteral("<b style='color:%1'>%2</b>: %3")
        .arg(colorOf(st.color).name(), QString::fromLatin1(toString(st.color)), why.join(QStringLiteral("; ")));
}

struct Loaded
{
    std::vector<std::string> names;
    std::string name;
    std::optional<StoredReviews::Loaded> doc;
    QString error;
};

// A save's outcome: the new revision, or why not; the stored copy when someone else saved meanwhile.
struct SaveOutcome
{
    int64_t revision = 0;
    QString error;
    std::optional<StoredReviews::Loaded> theirs;
};

} // namespace

ReviewPage::ReviewPage(ClusterContext *context, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("reviewSummary"));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();
    auto *split = new QSplitter(this);
    m_items = ui::makeTree(split, QStringLiteral("reviewItems"), {tr("Item"), tr("Status"), tr("Why")});
    m_items->setSortingEnabled(false);
    m_items->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    buildItemForm(split);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addLayout(buildToolbar());
    layout->addLayout(buildInputs());
    layout->addWidget(m_summary);
    layout->addWidget(m_error);
    layout->addWidget(split, 1);

    m_saveTimer = new QTimer(this);
    m_saveTimer->setSingleShot(true);
    m_saveTimer->setInterval(400);
    connect(m_saveTimer, &QTimer::timeout, this, &ReviewPage::saveNow);
    connectItemForm();
    setSnapshot(nullptr, false);
    subscribe(context);
}

void ReviewPage::subscribe(ClusterContext *context)
{
    setStore(context->storePath());
    connect(context, &ClusterContext::storeChanged, this, [this](const QString &store) { setStore(store); });
    // Drills need a live cluster: one ends, recorded with what it saw, when the connection goes.
    connect(context, &ClusterContext::snapshotChanged, this,
            [this, context](SnapshotPtr snapshot) { setSnapshot(std::move(snapshot), context->connected()); });
    connect(context, &ClusterContext::connectionChanged, this, [this, context](bool connected) {
        if (!connected)
            setSnapshot(context->snapshot(), false);
    });
    connect(context, &ClusterContext::sampleTaken, this, &ReviewPage::addDrillSample);
    connect(this, &ReviewPage::drillChanged, context, &ClusterContext::sampleFaster); // a drill samples every 2 s
}

void ReviewPage::setError(const QString &message)
{
    if (ui::showError(m_error, message))
        Q_EMIT failed(message);
}

void ReviewPage::setFailure(const QString &message)
{
    setError(message);
    IssueLog::instance().report(tr("review"), m_name, message); // listed under Issues too, counted if it repeats
}

void ReviewPage::setStore(const QString &dbPath)
{
    m_dbPath = dbPath;
    load(QString());
}

void ReviewPage::load(const QString &name)
{
    if (m_dbPath.isEmpty())
        return;
    if (!m_name.isEmpty())
        saveNow();
    const QString db = m_dbPath;
    m_loadJob.start(
        this,
        [db, name]() {
            Loaded out;
            try {
                StoredReviews stored(db); // one connection for the names and the review
                out.names = stored.names();
                out.name = name.isEmpty() ? (out.names.empty() ? std::string(kDefaultName) : out.names.front())
                                          : name.toStdString();
                out.doc = stored.load(out.name);
            } catch (const std::exception &e) {
                out.error = QString::fromUtf8(e.what());
            }
            return out;
        },
        [this](Loaded loaded) {
            if (!loaded.error.isEmpty()) {
                setFailure(tr("The review could not be read: %1").arg(loaded.error));
                return;
            }
            if (!loaded.doc) {
                loaded.names.insert(loaded.names.begin(), loaded.name);
                m_doc = newReviewFrom(bundledReviewTemplate(), loaded.name);
                m_revision = 0;
                m_name = qs(loaded.name);
                scheduleSave();
            } else {
                m_doc = std::move(loaded.doc->doc);
                m_revision = loaded.doc->revision;
                m_name = qs(loaded.name);
            }
            const QSignalBlocker block(m_reviews);
            m_reviews->clear();
            for (const auto &n : loaded.names)
                m_reviews->addItem(qs(n));
            m_reviews->setCurrentText(m_name);
            show();
            Q_EMIT reviewLoaded();
        });
}

void ReviewPage::openFile(const QString &path)
{
    ReviewDocument doc;
    try {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            throw FormatError(path.toStdString() + ": " + f.errorString().toStdString());
        doc = reviewFromJson(f.readAll().toStdString());
    } catch (const FormatError &e) {
        setFailure(tr("%1 was not opened: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(e.what())));
        return;
    }
    saveNow();
    if (m_loadJob.running()) {
        m_loadJob.cancel();  // a load still on its way must not replace what is opened here
        listStoredReviews(); // but what it would have listed is listed beside it
    }
    QString name = qs(doc.name.empty() ? QFileInfo(path).completeBaseName().toStdString() : doc.name);
    for (int i = 0; i < m_reviews->count(); ++i)
        if (m_reviews->itemText(i) == name)
            name += tr(" (from %1)").arg(QFileInfo(path).fileName());
    m_doc = doc;
    m_revision = 0;
    m_name = name;
    m_reviews->insertItem(0, m_name);
    m_reviews->setCurrentIndex(0);
    setError({});
    show();
    scheduleSave();
}

void ReviewPage::show()
{
    m_loading = true;
    m_topics->setText(qs(m_doc.inputs.pipelineTopics));
    m_window->setValue(m_doc.inputs.replayWindowHours);
    m_budget->setValue(m_doc.inputs.crossAzFactorBudget);
    const QString keep = current() ? qs(current()->id) : QString();
    m_items->clear();
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    std::map<ReviewColor, int> counts;
    QTreeWidgetItem *select = nullptr;
    for (const auto &pass : m_doc.passes) {
        auto *p = new QTreeWidgetItem(m_items);
        p->setText(0, qs(pass.title));
        p->setFirstColumnSpanned(true);
        QFont bold = p->font(0);
        bold.setBold(true);
        p->setFont(0, bold);
        p->setFlags(Qt::ItemIsEnabled);
        for (const auto &item : pass.items) {
            const ItemStatus st = evaluateItem(item, now);
            ++counts[st.color];
            auto *row = new QTreeWidgetItem(p);
            row->setData(0, Qt::UserRole, qs(item.id));
            row->setText(0, qs(item.title) + (item.drill ? tr(" (drill)") : QString()));
            showStatus(row, st);
            QFont f = row->font(1);
            f.setBold(true);
            row->setFont(1, f);
            if (qs(item.id) == keep || (!select && keep.isEmpty()))
                select = row;
        }
    }
    m_items->expandAll();
    m_summary->setText(tr("<b>%1</b>: %2 green, %3 yellow, %4 red, %5 not applicable%6")
                           .arg(m_name.toHtmlEscaped())
                           .arg(counts[ReviewColor::Green])
                           .arg(counts[ReviewColor::Yellow])
                           .arg(counts[ReviewColor::Red])
                           .arg(counts[ReviewColor::NotApplicable])
                           .arg(m_doc.milestones.empty() ? QString()
                                                         : tr("; milestones: %1, the last %2")
                                                               .arg(m_doc.milestones.size())
                                                               .arg(qs(m_doc.milestones.back().name).toHtmlEscaped())));
    m_loading = false;
    if (select)
        m_items->setCurrentItem(select);
    showItem(m_items->currentItem());
}

ReviewItem *ReviewPage::current()
{
    QTreeWidgetItem *row = m_items->currentItem();
    if (!row || !row->data(0, Qt::UserRole).isValid())
        return nullptr;
    return m_doc.item(row->data(0, Qt::UserRole).toString().toStdString());
}

void ReviewPage::selectItem(const QString &id)
{
    QTreeWidgetItemIterator it(m_items);
    for (; *it; ++it)
        if ((*it)->data(0, Qt::UserRole).toString() == id) {
            m_items->setCurrentItem(*it);
            return;
        }
}

void ReviewPage::showItem(QTreeWidgetItem *row)
{
    if (m_loading)
        return;
    m_loading = true;
    const ReviewItem *item = row && row->data(0, Qt::UserRole).isValid()
                                 ? m_doc.item(row->data(0, Qt::UserRole).toString().toStdString())
                                 : nullptr;
    for (QWidget *w : std::initializer_list<QWidget *>{m_person, m_team, m_runbook, m_threshold, m_metric, m_basis,
                                                       m_passes, m_evidenceDetail, m_notes, m_na, m_naReason, m_waived,
                                                       m_waiverUntil, m_waiver})
        w->setEnabled(item != nullptr);
    if (item) {
        m_status->setText(statusHtml(evaluateItem(*item, QDateTime::currentMSecsSinceEpoch())));
        m_person->setText(qs(item->ownerPerson));
        m_team->setText(qs(item->ownerTeam));
        m_runbook->setText(qs(item->runbook));
        m_threshold->setText(qs(item->threshold));
        m_metric->setText(qs(item->metric));
        m_basis->setCurrentIndex(m_basis->findData(int(item->evidence.basis)));
        m_passes->setChecked(item->evidence.passes);
        m_exercised->setChecked(item->evidence.failurePathExercised);
        m_evidenceDetail->setPlainText(qs(item->evidence.detail));
        m_evidenceAt->setText(item->evidence.collectedAtMs > 0
                                  ? tr("collected %1").arg(qs(formatIsoTime(item->evidence.collectedAtMs)))
                                  : QString());
        m_notes->setPlainText(qs(item->notes));
        m_na->setChecked(item->notApplicable);
        m_naReason->setText(qs(item->notApplicableReason));
        m_waived->setChecked(item->waiverExpiresMs > 0);
        if (item->waiverExpiresMs > 0)
            m_waiverUntil->setDate(QDateTime::fromMSecsSinceEpoch(item->waiverExpiresMs, Qt::UTC).date());
        m_waiver->setText(qs(item->waiverReason));
    } else {
        m_status->setText(tr("Choose an item."));
    }
    m_drillButton->setEnabled(item && item->drill && (m_drilling || m_live));
    m_drillButton->setToolTip(m_live ? tr("Sample the cluster every 2 s while you run the drill; the item counts its "
                                          "failure path only if the app sees it")
                                     : tr("Connect to the live cluster to run a drill"));
    if (!m_drilling)
        m_drillState->setText(item && item->drill ? tr("Start, then run the drill (stop a broker during a replay, …)")
                                                  : QString());
    m_loading = false;
}

void ReviewPage::itemEdited()
{
    if (m_loading)
        return;
    ReviewItem *item = current();
    if (!item)
        return;
    ItemEdit edit;
    edit.ownerPerson = m_person->text().trimmed().toStdString();
    edit.ownerTeam = m_team->text().trimmed().toStdString();
    edit.runbook = m_runbook->text().trimmed().toStdString();
    edit.threshold = m_threshold->text().trimmed().toStdString();
    edit.metric = m_metric->text().trimmed().toStdString();
    edit.basis = EvidenceBasis(m_basis->currentData().toInt());
    edit.passes = m_passes->isChecked();
    edit.evidenceDetail = m_evidenceDetail->toPlainText().toStdString();
    edit.notes = m_notes->toPlainText().toStdString();
    edit.notApplicable = m_na->isChecked();
    edit.notApplicableReason = m_naReason->text().trimmed().toStdString();
    edit.waiverReason = m_waiver->text().trimmed().toStdString();
    edit.waiverExpiresMs =
        m_waived->isChecked() ? QDateTime(m_waiverUntil->date(), QTime(23, 59, 59), Qt::UTC).toMSecsSinceEpoch() : 0;
    applyItemEdit(*item, edit, QDateTime::currentMSecsSinceEpoch());
    // The colour and why follow as you type; the form keeps its focus.
    QTreeWidgetItem *row = m_items->currentItem();
    const ItemStatus st = evaluateItem(*item, QDateTime::currentMSecsSinceEpoch());
    showStatus(row, st);
    m_status->setText(statusHtml(st));
    scheduleSave();
}

void ReviewPage::scheduleSave()
{
    m_saveTimer->start();
}

void ReviewPage::listStoredReviews()
{
    if (m_dbPath.isEmpty())
        return;
    ui::runAsync(
        this,
        [db = m_dbPath] {
            try {
                return StoredReviews(db).names();
            } catch (const std::exception &) {
                return std::vector<std::string>{}; // the load that was cancelled says nothing either
            }
        },
        [this](const std::vector<std::string> &names) {
            for (const auto &n : names)
                if (m_reviews->findText(qs(n)) < 0)
                    m_reviews->addItem(qs(n));
        });
}

void ReviewPage::saveNow()
{
    m_saveTimer->stop();
    if (m_dbPath.isEmpty() || m_name.isEmpty() || m_resolving)
        return;
    if (m_saving) {
        m_saveAgain = true;
        return;
    }
    m_doc.updatedAtMs = QDateTime::currentMSecsSinceEpoch();
    const std::string name = m_name.toStdString();
    m_saving = true;
    ++m_pendingSaves;
    ui::runAsync(
        this,
        [db = m_dbPath, name, doc = m_doc, basedOn = m_revision]() {
            SaveOutcome out;
            try {
                StoredReviews stored(db);
                try {
                    out.revision = stored.save(name, doc, basedOn);
                } catch (const StoreConflict &e) {
                    out.error = QString::fromUtf8(e.what());
                    out.theirs = stored.load(name);
                }
            } catch (const std::exception &e) {
                out.error = QString::fromUtf8(e.what());
            }
            return out;
        },
        [this, name](SaveOutcome out) { saveDone(name, out.revision, out.error, std::move(out.theirs)); });
}

void ReviewPage::saveDone(const std::string &name, int64_t revision, const QString &error,
                          std::optional<StoredReviews::Loaded> theirs)
{
    --m_pendingSaves;
    m_saving = false;
    const bool shown = name == m_name.toStdString(); // the person may have opened another review meanwhile
    if (error.isEmpty()) {
        if (shown)
            m_revision = revision;
        Q_EMIT saved();
    } else if (theirs && shown) {
        resolveConflict(std::move(*theirs));
    } else {
        setFailure(tr("The review was not saved: %1").arg(error));
    }
    if (std::exchange(m_saveAgain, false))
        saveNow();
}

// Someone saved the review shown since it was read here: the person chooses, item by item, whose copy to keep; the
// merge is saved over their revision. Nothing is saved until then.
void ReviewPage::resolveConflict(StoredReviews::Loaded theirs)
{
    const auto differences = reviewDifferences(m_doc, theirs.doc);
    if (differences.empty()) { // the same edits: nothing to choose
        m_revision = theirs.revision;
        return;
    }
    m_resolving = true;
    auto *dialog = new ReviewConflictDialog(m_name, differences, m_doc, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog, theirs = std::move(theirs)](int result) {
        m_resolving = false;
        m_doc = result == QDialog::Accepted ? mergeReviews(theirs.doc, m_doc, dialog->keepMine()) : theirs.doc;
        m_revision = theirs.revision;
        show();
        if (result == QDialog::Accepted)
            saveNow();
    });
    dialog->open();
    Q_EMIT conflictShown(dialog);
}

void ReviewPage::setSnapshot(SnapshotPtr snapshot, bool live)
{
    m_snapshot = std::move(snapshot);
    m_live = live && m_snapshot;
    m_refresh->setEnabled(m_snapshot != nullptr);
    m_refresh->setToolTip(m_snapshot ? m_refresh->toolTip() : tr("Open a cluster or a snapshot first"));
    if (!m_live && m_drilling)
        stopDrill();
    showItem(m_items->currentItem());
}

void ReviewPage::refreshEvidence()
{
    if (!m_snapshot)
        return;
    const ReviewInputs in = m_doc.inputs;
    const SnapshotPtr snapshot = m_snapshot;
    const QString db = m_dbPath;
    using Result = std::pair<std::map<std::string, Evidence>, QString>;
    ui::runAsync(
        this,
        [snapshot, in, db]() -> Result {
            try {
                return {clusterEvidence(*snapshot, in, db), QString()};
            } catch (const std::exception &e) {
                return {{}, QString::fromUtf8(e.what())};
            }
        },
        [this](Result r) {
            if (!r.second.isEmpty()) {
                setFailure(tr("Evidence: %1").arg(r.second));
                return;
            }
            setError({});
            applyEvidence(m_doc, r.first);
            show();
            scheduleSave();
            Q_EMIT evidenceRefreshed();
        });
}

void ReviewPage::startDrill()
{
    const ReviewItem *item = current();
    if (!item || !item->drill || m_drilling)
        return;
    m_drill = DrillRecord{};
    m_drill.item = item->id;
    m_drillLeaders.clear();
    m_drilling = true;
    m_drillButton->setText(tr("Stop &drill"));
    m_drillButton->setEnabled(true);
    m_drillState->setText(tr("Drill running on %1: waiting for the first sample…").arg(qs(item->title)));
    Q_EMIT drillChanged(true);
}

void ReviewPage::addDrillSample(SnapshotPtr sample)
{
    if (!m_drilling || !sample)
        return;
    std::map<std::string, int32_t> leaders;
    DrillSample d =
        drillSample(*sample, m_drill.samples.empty() ? nullptr : &m_drillLeaders, leaders, m_doc.inputs.pipelineTopics);
    m_drillLeaders = std::move(leaders);
    m_drill.samples.push_back(std::move(d));
    const DrillSummary s = summarizeDrill(m_drill.samples);
    m_drillState->setText(tr("Drill running: %1").arg(qs(s.describe())));
}

void ReviewPage::stopDrill()
{
    if (!m_drilling)
        return;
    m_drilling = false;
    m_drillButton->setText(tr("Start &drill"));
    Q_EMIT drillChanged(false);
    if (m_drill.samples.empty()) {
        m_drillState->setText(tr("The drill ended before any sample: nothing recorded."));
        return;
    }
    m_drill.summary = summarizeDrill(m_drill.samples);
    applyDrill(m_doc, m_drill);
    const QString summary = qs(m_drill.summary.describe());
    show();
    selectItem(qs(m_drill.item));
    m_drillState->setText(tr("Recorded: %1").arg(summary));
    scheduleSave();
}

void ReviewPage::addMilestone(const QString &name)
{
    try {
        const Milestone &m = kp::addMilestone(m_doc, name.toStdString(), QDateTime::currentMSecsSinceEpoch());
        setError({});
        m_summary->setToolTip(tr("Milestone %1: sha256 %2").arg(qs(m.name), qs(m.sha256)));
    } catch (const std::invalid_argument &e) {
        setError(QString::fromUtf8(e.what()));
        return;
    }
    show();
    scheduleSave();
}

std::vector<ItemChange> ReviewPage::compareWith(const QString &milestone) const
{
    for (const auto &m : m_doc.milestones)
        if (qs(m.name) == milestone)
            return compareReviews(milestoneReview(m), m.createdAtMs, m_doc, QDateTime::currentMSecsSinceEpoch());
    return {};
}

bool ReviewPage::exportTo(const QString &path, QString *error)
{
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (suffix == QStringLiteral("md")) {
        bytes = QByteArray::fromStdString(reviewMarkdown(m_doc, now));
    } else if (suffix == QStringLiteral("html") || suffix == QStringLiteral("htm")) {
        bytes = QByteArray::fromStdString(reviewHtml(m_doc, now));
    } else if (suffix == QStringLiteral("json")) {
        bytes = QByteArray::fromStdString(reviewToJson(m_doc));
    } else if (suffix == QStringLiteral("pdf")) {
        // Laid out here (fonts belong to the GUI thread), into memory; the file is written off the GUI thread.
        bytes = reviewPdf(m_doc, now);
    } else {
        if (error)
            *error = tr("Export as .md, .html, .pdf or .json");
        return false;
    }
    ui::saveInBackground(this, path, std::move(bytes), [this, path](const QString &e) {
        if (!e.isEmpty())
            setError(e);
        Q_EMIT exported(path, e);
    });
    return true;
}

} // namespace kp
