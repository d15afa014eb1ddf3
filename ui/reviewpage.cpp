#include "reviewpage.h"
#include "reviewpdf.h"

#include "database.h"
#include "formaterror.h"
#include "reviewstore.h"
#include "services/reviewservice.h"
#include "snapshotjson.h"
#include "widgetutil.h"

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
#include <QSaveFile>
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
    std::optional<ReviewDocument> doc;
    QString error;
};

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        if (error)
            *error = path + QStringLiteral(": ") + f.errorString();
        return false;
    }
    return true;
}

} // namespace

ReviewPage::ReviewPage(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_reviews = new QComboBox(this);
    m_reviews->setObjectName(QStringLiteral("reviewName"));
    m_reviews->setMinimumWidth(200);
    auto *newButton = new QPushButton(tr("&New"), this);
    auto *open = new QPushButton(tr("&Open file…"), this);
    auto *exportButton = new QPushButton(tr("&Export"), this);
    auto *exportMenu = new QMenu(exportButton);
    exportButton->setMenu(exportMenu);
    auto *milestone = new QPushButton(tr("&Milestone…"), this);
    auto *compare = new QPushButton(tr("Com&pare…"), this);
    m_refresh = new QPushButton(tr("Evidence from the &cluster"), this);
    m_refresh->setObjectName(QStringLiteral("reviewRefresh"));
    m_refresh->setToolTip(tr("Fill the items the open cluster answers: replication, retained data, consumer groups, "
                             "cross-AZ share, and the lineage items from the recorded runs"));
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_reviews, newButton, open, exportButton, milestone, compare, m_refresh})
        bar->addWidget(w);
    bar->addStretch(1);
    auto *inputs = new QHBoxLayout;
    m_topics = new QLineEdit(this);
    m_topics->setObjectName(QStringLiteral("reviewTopics"));
    m_topics->setToolTip(tr("The pipeline's topics, a regular expression"));
    m_window = new QDoubleSpinBox(this);
    m_window->setRange(1, 100000);
    m_window->setSuffix(tr(" h"));
    m_window->setDecimals(0);
    m_budget = new QDoubleSpinBox(this);
    m_budget->setRange(0, 100);
    m_budget->setDecimals(2);
    m_budget->setSpecialValueText(tr("none agreed"));
    m_budget->setToolTip(tr("Cross-AZ bytes per byte produced the team agreed to; 0: none"));
    inputs->addWidget(new QLabel(tr("Pipeline topics"), this));
    inputs->addWidget(m_topics, 1);
    inputs->addWidget(new QLabel(tr("replay window"), this));
    inputs->addWidget(m_window);
    inputs->addWidget(new QLabel(tr("cross-AZ budget"), this));
    inputs->addWidget(m_budget);
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
    auto *formBox = new QGroupBox(tr("Item"), split);
    auto *formOuter = new QVBoxLayout(formBox);
    auto *form = new QFormLayout;
    formOuter->addLayout(form);
    formOuter->addStretch(1);
    m_status = new QLabel(formBox);
    m_status->setObjectName(QStringLiteral("reviewStatus"));
    m_status->setWordWrap(true);
    m_person = new QLineEdit(formBox);
    m_person->setObjectName(QStringLiteral("reviewOwnerPerson"));
    m_team = new QLineEdit(formBox);
    m_team->setObjectName(QStringLiteral("reviewOwnerTeam"));
    m_runbook = new QLineEdit(formBox);
    m_runbook->setObjectName(QStringLiteral("reviewRunbook"));
    m_runbook->setPlaceholderText(tr("a link, or the command that checks it"));
    m_threshold = new QLineEdit(formBox);
    m_threshold->setObjectName(QStringLiteral("reviewThreshold"));
    m_metric = new QLineEdit(formBox);
    m_metric->setObjectName(QStringLiteral("reviewMetric"));
    m_basis = new QComboBox(formBox);
    m_basis->setObjectName(QStringLiteral("reviewBasis"));
    for (EvidenceBasis b : kEvidenceBases)
        m_basis->addItem(QString::fromLatin1(toString(b)), int(b));
    m_passes = new QCheckBox(tr("passes the threshold"), formBox);
    m_passes->setObjectName(QStringLiteral("reviewPasses"));
    m_exercised = new QCheckBox(tr("the failure path was seen (drills record this)"), formBox);
    m_exercised->setEnabled(false);
    m_evidenceDetail = new QPlainTextEdit(formBox);
    m_evidenceDetail->setObjectName(QStringLiteral("reviewEvidence"));
    m_evidenceDetail->setMaximumHeight(70);
    m_evidenceAt = new QLabel(formBox);
    m_notes = new QPlainTextEdit(formBox);
    m_notes->setMaximumHeight(60);
    m_na = new QCheckBox(tr("not applicable, because"), formBox);
    m_na->setObjectName(QStringLiteral("reviewNotApplicable"));
    m_naReason = new QLineEdit(formBox);
    m_naReason->setObjectName(QStringLiteral("reviewNotApplicableReason"));
    m_waived = new QCheckBox(tr("waived until"), formBox);
    m_waived->setObjectName(QStringLiteral("reviewWaived"));
    m_waiverUntil = new QDateEdit(QDate::currentDate().addMonths(1), formBox);
    m_waiverUntil->setCalendarPopup(true);
    m_waiverUntil->setObjectName(QStringLiteral("reviewWaiverUntil"));
    m_waiver = new QLineEdit(formBox);
    m_waiver->setObjectName(QStringLiteral("reviewWaiverReason"));
    m_waiver->setPlaceholderText(tr("why, and who accepted the risk"));
    m_drillButton = new QPushButton(tr("Start &drill"), formBox);
    m_drillButton->setObjectName(QStringLiteral("reviewDrill"));
    m_drillState = new QLabel(formBox);
    m_drillState->setWordWrap(true);
    auto *naRow = new QHBoxLayout;
    naRow->addWidget(m_na);
    naRow->addWidget(m_naReason, 1);
    auto *waiverRow = new QHBoxLayout;
    waiverRow->addWidget(m_waived);
    waiverRow->addWidget(m_waiverUntil);
    waiverRow->addWidget(m_waiver, 1);
    auto *evidenceRow = new QHBoxLayout;
    evidenceRow->addWidget(m_basis);
    evidenceRow->addWidget(m_passes);
    evidenceRow->addStretch(1);
    auto *drillRow = new QHBoxLayout;
    drillRow->addWidget(m_drillButton);
    drillRow->addWidget(m_drillState, 1);
    form->addRow(tr("Status"), m_status);
    form->addRow(tr("Owner"), m_person);
    form->addRow(tr("Team"), m_team);
    form->addRow(tr("Runbook"), m_runbook);
    form->addRow(tr("Threshold"), m_threshold);
    form->addRow(tr("Metric"), m_metric);
    form->addRow(tr("Evidence"), evidenceRow);
    form->addRow(QString(), m_exercised);
    form->addRow(tr("Detail"), m_evidenceDetail);
    form->addRow(QString(), m_evidenceAt);
    form->addRow(tr("Drill"), drillRow);
    form->addRow(tr("Notes"), m_notes);
    form->addRow(naRow);
    form->addRow(waiverRow);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addLayout(bar);
    layout->addLayout(inputs);
    layout->addWidget(m_summary);
    layout->addWidget(m_error);
    layout->addWidget(split, 1);

    m_saveTimer = new QTimer(this);
    m_saveTimer->setSingleShot(true);
    m_saveTimer->setInterval(400);
    connect(m_saveTimer, &QTimer::timeout, this, &ReviewPage::saveNow);

    connect(m_items, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) { showItem(item); });
    for (QLineEdit *e : {m_person, m_team, m_runbook, m_threshold, m_metric, m_naReason, m_waiver})
        connect(e, &QLineEdit::textEdited, this, &ReviewPage::itemEdited);
    for (QPlainTextEdit *e : {m_notes, m_evidenceDetail})
        connect(e, &QPlainTextEdit::textChanged, this, &ReviewPage::itemEdited);
    for (QCheckBox *c : {m_na, m_passes, m_waived})
        connect(c, &QCheckBox::toggled, this, &ReviewPage::itemEdited);
    connect(m_basis, &QComboBox::currentIndexChanged, this, &ReviewPage::itemEdited);
    connect(m_waiverUntil, &QDateEdit::dateChanged, this, &ReviewPage::itemEdited);
    auto inputsEdited = [this] {
        if (m_loading)
            return;
        m_doc.inputs.pipelineTopics = m_topics->text().toStdString();
        m_doc.inputs.replayWindowHours = m_window->value();
        m_doc.inputs.crossAzFactorBudget = m_budget->value();
        scheduleSave();
    };
    connect(m_topics, &QLineEdit::textEdited, this, inputsEdited);
    connect(m_window, &QDoubleSpinBox::valueChanged, this, inputsEdited);
    connect(m_budget, &QDoubleSpinBox::valueChanged, this, inputsEdited);
    connect(m_reviews, &QComboBox::activated, this, [this](int i) { load(m_reviews->itemText(i)); });
    connect(newButton, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("New review"), tr("Name"), QLineEdit::Normal,
                                                   tr("Readiness review %1").arg(m_reviews->count() + 1), &ok);
        if (!ok || name.trimmed().isEmpty())
            return;
        for (int i = 0; i < m_reviews->count(); ++i)
            if (m_reviews->itemText(i) == name.trimmed()) {
                setError(tr("There is already a review named %1.").arg(name.trimmed()));
                return;
            }
        saveNow();
        m_doc = newReviewFrom(bundledReviewTemplate(), name.trimmed().toStdString());
        m_name = name.trimmed();
        m_reviews->insertItem(0, m_name);
        m_reviews->setCurrentIndex(0);
        show();
        scheduleSave();
    });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open review"), QString(), tr("Reviews (*.json);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    for (auto [label, suffix] : {std::pair<QString, QString>{tr("Markdown…"), QStringLiteral("md")},
                                 {tr("HTML…"), QStringLiteral("html")},
                                 {tr("PDF…"), QStringLiteral("pdf")},
                                 {tr("JSON (the review file)…"), QStringLiteral("json")}})
        exportMenu->addAction(label, this, [this, suffix = suffix] {
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export review"), m_name + QStringLiteral(".") + suffix, QStringLiteral("*.") + suffix);
            QString error;
            if (!path.isEmpty() && !exportTo(path, &error))
                setError(error);
        });
    connect(milestone, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Milestone"), tr("Freeze the review now as"),
                                                   QLineEdit::Normal, QDate::currentDate().toString(Qt::ISODate), &ok);
        if (ok)
            addMilestone(name.trimmed());
    });
    connect(compare, &QPushButton::clicked, this, [this] {
        QStringList names;
        for (const auto &m : m_doc.milestones)
            names << qs(m.name);
        if (names.isEmpty()) {
            setError(tr("No milestone yet: Milestone… freezes the review to compare with later."));
            return;
        }
        bool ok = false;
        const QString from = QInputDialog::getItem(this, tr("Compare"), tr("What changed since"), names,
                                                   int(names.size()) - 1, false, &ok);
        if (!ok)
            return;
        QString text;
        for (const auto &c : compareWith(from)) {
            text += QStringLiteral("<b>%1</b> (%2 → %3)<ul>")
                        .arg(qs(c.title).toHtmlEscaped(), QString::fromLatin1(toString(c.before)),
                             QString::fromLatin1(toString(c.after)));
            for (const auto &ch : c.changes)
                text += QStringLiteral("<li>%1</li>").arg(qs(ch).toHtmlEscaped());
            text += QStringLiteral("</ul>");
        }
        QMessageBox box(QMessageBox::Information, tr("Since %1").arg(from),
                        text.isEmpty() ? tr("Nothing changed.") : text, QMessageBox::Ok, this);
        box.setTextFormat(Qt::RichText);
        box.exec();
    });
    connect(m_refresh, &QPushButton::clicked, this, &ReviewPage::refreshEvidence);
    connect(m_drillButton, &QPushButton::clicked, this, [this] { m_drilling ? stopDrill() : startDrill(); });
    setSnapshot(nullptr, false);
}

void ReviewPage::setError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (!message.isEmpty())
        Q_EMIT failed(message);
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
                Database d(db);
                ReviewStore store(d);
                out.names = store.names();
                out.name = name.isEmpty() ? (out.names.empty() ? std::string(kDefaultName) : out.names.front())
                                          : name.toStdString();
                if (auto text = store.load(out.name))
                    out.doc = reviewFromJson(*text);
            } catch (const std::exception &e) {
                out.error = QString::fromUtf8(e.what());
            }
            return out;
        },
        [this](Loaded loaded) {
            if (!loaded.error.isEmpty()) {
                setError(tr("The review could not be read: %1").arg(loaded.error));
                return;
            }
            if (!loaded.doc) {
                loaded.doc = newReviewFrom(bundledReviewTemplate(), loaded.name);
                loaded.names.insert(loaded.names.begin(), loaded.name);
                m_doc = *loaded.doc;
                m_name = qs(loaded.name);
                scheduleSave();
            } else {
                m_doc = *loaded.doc;
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
        setError(tr("%1 was not opened: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(e.what())));
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
                Database d(db);
                return ReviewStore(d).names();
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
    if (m_dbPath.isEmpty() || m_name.isEmpty())
        return;
    m_doc.updatedAtMs = QDateTime::currentMSecsSinceEpoch();
    const std::string text = reviewToJson(m_doc);
    const std::string name = m_name.toStdString();
    const QString db = m_dbPath;
    ++m_pendingSaves;
    ui::runAsync(
        this,
        [db, name, text]() {
            try {
                Database d(db);
                ReviewStore(d).save(name, text);
                return QString();
            } catch (const std::exception &e) {
                return QString::fromUtf8(e.what());
            }
        },
        [this](const QString &error) {
            --m_pendingSaves;
            if (!error.isEmpty())
                setError(tr("The review was not saved: %1").arg(error));
            else
                Q_EMIT saved();
        });
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
                setError(tr("Evidence: %1").arg(r.second));
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
    ui::runAsync(
        this,
        [path, bytes]() {
            QString e;
            return writeFile(path, bytes, &e) ? QString() : e;
        },
        [this, path](QString e) {
            if (!e.isEmpty())
                setError(e);
            Q_EMIT exported(path, e);
        });
    return true;
}

} // namespace kp
