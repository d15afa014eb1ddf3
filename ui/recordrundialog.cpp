#include "ui/recordrundialog.h"

#include "models/qtstrings.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QRadioButton>

namespace kp {

namespace {

// "a, b,, c " -> a, b, c
QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &s : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!s.trimmed().isEmpty())
            out << s.trimmed();
    return out;
}

} // namespace

RecordRunDialog::RecordRunDialog(const ClusterSnapshot &cluster, QWidget *parent) : QDialog(parent), m_cluster(cluster)
{
    setWindowTitle(tr("Record a training run"));
    createFields();
    auto *form = new QFormLayout(this);
    form->addRow(tr("Job id"), m_job);
    form->addRow(tr("Model or dataset"), m_model);
    form->addRow(tr("Topics"), m_topics);
    form->addRow(m_byWindow);
    form->addRow(tr("From"), m_from);
    form->addRow(tr("To"), m_to);
    form->addRow(m_byGroup);
    form->addRow(tr("Group"), m_group);
    form->addRow(tr("Schema versions"), m_schemas);
    form->addRow(tr("Transformation version"), m_transform);
    form->addRow(tr("Source snapshots"), m_snapshots);
    form->addRow(tr("Notes"), m_notes);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    auto sync = [this] {
        m_from->setEnabled(m_byWindow->isChecked());
        m_to->setEnabled(m_byWindow->isChecked());
        m_group->setEnabled(m_byGroup->isChecked());
    };
    connect(m_byWindow, &QRadioButton::toggled, this, sync);
    sync();
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, &RecordRunDialog::tryAccept);
}

void RecordRunDialog::createFields()
{
    m_job = new QLineEdit(this);
    m_model = new QLineEdit(this);
    m_topics = new QLineEdit(this);
    m_topics->setPlaceholderText(tr("topic, topic, …"));
    QStringList names;
    for (const auto &t : m_cluster.topics)
        if (!t.internal)
            names << qs(t.name);
    m_topics->setToolTip(tr("Topics on the cluster: %1").arg(names.join(QStringLiteral(", "))));
    m_byWindow = new QRadioButton(tr("Time window"), this);
    m_byGroup = new QRadioButton(tr("Consumer group's offsets now (finish it when the job is done)"), this);
    m_byWindow->setChecked(true);
    m_from = new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1), this);
    m_to = new QDateTimeEdit(QDateTime::currentDateTime(), this);
    for (auto *e : {m_from, m_to}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    m_group = new QComboBox(this);
    for (const auto &g : m_cluster.groups)
        m_group->addItem(qs(g.groupId));
    m_schemas = new QLineEdit(this);
    m_schemas->setPlaceholderText(tr("subject=version, …"));
    m_transform = new QLineEdit(this);
    m_snapshots = new QLineEdit(this);
    m_snapshots->setPlaceholderText(tr("id, id, …"));
    m_notes = new QPlainTextEdit(this);
    m_notes->setMaximumHeight(70);
    for (auto [w, name] : {std::pair<QWidget *, const char *>{m_job, "runJob"},
                           {m_model, "runModel"},
                           {m_topics, "runTopics"},
                           {m_from, "runFrom"},
                           {m_to, "runTo"},
                           {m_group, "runGroup"},
                           {m_schemas, "runSchemas"},
                           {m_transform, "runTransform"},
                           {m_snapshots, "runSnapshots"},
                           {m_notes, "runNotes"}})
        w->setObjectName(QLatin1String(name));
}

bool RecordRunDialog::readRequest(RunRequest &r)
{
    r.jobId = m_job->text().trimmed().toStdString();
    r.model = m_model->text().trimmed().toStdString();
    for (const QString &t : splitList(m_topics->text()))
        r.topics.push_back(t.toStdString());
    r.basis = m_byWindow->isChecked() ? RunBasis::TimeWindow : RunBasis::GroupOffsets;
    r.fromMs = m_from->dateTime().toMSecsSinceEpoch();
    r.toMs = m_to->dateTime().toMSecsSinceEpoch();
    r.group = m_group->currentText().toStdString();
    for (const QString &kv : splitList(m_schemas->text())) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            QMessageBox::warning(this, windowTitle(),
                                 tr("Schema versions: write each as subject=version (\"%1\")").arg(kv));
            return false;
        }
        r.schemaVersions[kv.left(eq).trimmed().toStdString()] = kv.mid(eq + 1).trimmed().toStdString();
    }
    r.transformVersion = m_transform->text().trimmed().toStdString();
    for (const QString &s : splitList(m_snapshots->text()))
        r.snapshotIds.push_back(s.toStdString());
    r.notes = m_notes->toPlainText().toStdString();
    return true;
}

void RecordRunDialog::tryAccept()
{
    RunRequest r;
    if (!readRequest(r))
        return;
    try {
        validate(r, QDateTime::currentMSecsSinceEpoch());
        for (const auto &t : r.topics)
            if (!m_cluster.topic(t))
                throw std::invalid_argument("the cluster has no topic \"" + t + "\"");
    } catch (const std::invalid_argument &e) {
        QMessageBox::warning(this, windowTitle(), QString::fromUtf8(e.what()));
        return; // the dialog stays open: nothing typed is lost
    }
    m_request = std::move(r);
    accept();
}

} // namespace kp
