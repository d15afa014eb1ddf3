// The Review page's widgets: the toolbar (reviews, export, milestones, evidence), the pipeline's inputs and the item
// form; what each edit does; new reviews, milestones and what changed since one.
#include "ui/reviewpage.h"

#include "models/qtstrings.h"
#include "services/reviewservice.h"
#include "ui/widgetutil.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QFileDialog>
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
#include <QTreeWidget>
#include <QVBoxLayout>

namespace kp {

QHBoxLayout *ReviewPage::buildToolbar()
{
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
    connect(m_reviews, &QComboBox::activated, this, [this](int i) { load(m_reviews->itemText(i)); });
    connect(newButton, &QPushButton::clicked, this, &ReviewPage::newReview);
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
    connect(milestone, &QPushButton::clicked, this, &ReviewPage::askMilestone);
    connect(compare, &QPushButton::clicked, this, &ReviewPage::showChangesSince);
    connect(m_refresh, &QPushButton::clicked, this, &ReviewPage::refreshEvidence);
    connect(m_drillButton, &QPushButton::clicked, this, [this] { m_drilling ? stopDrill() : startDrill(); });
    return bar;
}

QHBoxLayout *ReviewPage::buildInputs()
{
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
    return inputs;
}

void ReviewPage::buildItemForm(QWidget *parent)
{
    auto *formBox = new QGroupBox(tr("Item"), parent);
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
}

void ReviewPage::connectItemForm()
{
    connect(m_items, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) { showItem(item); });
    for (QLineEdit *e : {m_person, m_team, m_runbook, m_threshold, m_metric, m_naReason, m_waiver})
        connect(e, &QLineEdit::textEdited, this, &ReviewPage::itemEdited);
    for (QPlainTextEdit *e : {m_notes, m_evidenceDetail})
        connect(e, &QPlainTextEdit::textChanged, this, &ReviewPage::itemEdited);
    for (QCheckBox *c : {m_na, m_passes, m_waived})
        connect(c, &QCheckBox::toggled, this, &ReviewPage::itemEdited);
    connect(m_basis, &QComboBox::currentIndexChanged, this, &ReviewPage::itemEdited);
    connect(m_waiverUntil, &QDateEdit::dateChanged, this, &ReviewPage::itemEdited);
}

void ReviewPage::newReview()
{
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
    m_revision = 0;
    m_name = name.trimmed();
    m_reviews->insertItem(0, m_name);
    m_reviews->setCurrentIndex(0);
    show();
    scheduleSave();
}

void ReviewPage::askMilestone()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Milestone"), tr("Freeze the review now as"), QLineEdit::Normal,
                                               QDate::currentDate().toString(Qt::ISODate), &ok);
    if (ok)
        addMilestone(name.trimmed());
}

void ReviewPage::showChangesSince()
{
    QStringList names;
    for (const auto &m : m_doc.milestones)
        names << qs(m.name);
    if (names.isEmpty()) {
        setError(tr("No milestone yet: Milestone… freezes the review to compare with later."));
        return;
    }
    bool ok = false;
    const QString from =
        QInputDialog::getItem(this, tr("Compare"), tr("What changed since"), names, int(names.size()) - 1, false, &ok);
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
    QMessageBox box(QMessageBox::Information, tr("Since %1").arg(from), text.isEmpty() ? tr("Nothing changed.") : text,
                    QMessageBox::Ok, this);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

} // namespace kp
