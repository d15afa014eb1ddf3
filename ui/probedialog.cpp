#include "ui/probedialog.h"

#include "models/cancelled.h"
#include "models/qtstrings.h"
#include "models/units.h"
#include "services/replayprobe.h"
#include "ui/jobs.h"
#include "ui/widgetutil.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <nlohmann/json.hpp>

namespace kp {

ProbeDialog::ProbeDialog(ConnectionProfile profile, const std::vector<std::string> &racks, QWidget *parent)
    : QDialog(parent), m_profile(std::move(profile))
{
    setWindowTitle(tr("Replay probe: %1").arg(qs(m_profile.name)));
    buildForm();
    m_rack->addItem(tr("unknown (no cross-AZ count)"), QString());
    for (const auto &r : racks)
        m_rack->addItem(qs(r), qs(r));
    m_ticker = new QTimer(this);
    m_ticker->setInterval(200);
    connect(m_ticker, &QTimer::timeout, this, [this] {
        m_status->setText(tr("Reading: %1 of at most %2, %3 s of %4 s. Esc stops it.")
                              .arg(qs(formatBytes(m_bytes->load())), m_maxBytes->text())
                              .arg((QDateTime::currentMSecsSinceEpoch() - m_startedMs) / 1000)
                              .arg(m_maxSeconds->value()));
    });
    resize(760, 620);
}

ProbeDialog::~ProbeDialog()
{
    if (m_stop)
        m_stop->store(true); // a probe still running ends now; its result goes nowhere
}

void ProbeDialog::buildForm()
{
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_topics = new QLineEdit(this);
    m_topics->setObjectName(QStringLiteral("probeTopics"));
    m_topics->setPlaceholderText(tr("a regular expression, e.g. ^training\\."));
    m_earliest = new QCheckBox(tr("from each partition's earliest offset"), this);
    m_earliest->setChecked(true);
    m_from = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(-3600), this);
    m_from->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_from->setCalendarPopup(true);
    m_from->setEnabled(false);
    connect(m_earliest, &QCheckBox::toggled, m_from, [this](bool on) { m_from->setEnabled(!on); });
    auto *start = new QHBoxLayout;
    start->addWidget(m_earliest);
    start->addWidget(new QLabel(tr("or from"), this));
    start->addWidget(m_from, 1);
    m_maxBytes = new QLineEdit(QStringLiteral("1GB"), this);
    m_maxBytes->setObjectName(QStringLiteral("probeMaxBytes"));
    m_maxBytes->setToolTip(tr("Record bytes (key and value) at most: 500MB, 2GiB, ..."));
    m_maxSeconds = new QSpinBox(this);
    m_maxSeconds->setRange(1, 86400);
    m_maxSeconds->setValue(60);
    m_maxSeconds->setSuffix(tr(" s"));
    m_throttle = new QDoubleSpinBox(this);
    m_throttle->setRange(0, 100000);
    m_throttle->setDecimals(3);
    m_throttle->setSuffix(tr(" MB/s"));
    m_throttle->setSpecialValueText(tr("unthrottled"));
    m_rack = new QComboBox(this);
    m_fetchers = new QSpinBox(this);
    m_fetchers->setRange(1, 64);
    form->addRow(tr("&Topics:"), m_topics);
    form->addRow(tr("Start:"), start);
    form->addRow(tr("At most &bytes:"), m_maxBytes);
    form->addRow(tr("At most &seconds:"), m_maxSeconds);
    form->addRow(tr("T&hrottle:"), m_throttle);
    form->addRow(tr("Reader's &AZ:"), m_rack);
    form->addRow(tr("&Fetchers:"), m_fetchers);
    layout->addLayout(form);
    m_status = new QLabel(tr("Reads the topics as a refresh job would: no group, nothing committed."), this);
    m_status->setObjectName(QStringLiteral("probeStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_output = new QPlainTextEdit(this);
    m_output->setReadOnly(true);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_output, 1);
    auto *buttons = new QDialogButtonBox(this);
    m_run = buttons->addButton(tr("&Run"), QDialogButtonBox::ActionRole);
    m_run->setDefault(true);
    m_save = buttons->addButton(tr("&Save result…"), QDialogButtonBox::ActionRole);
    m_planner = buttons->addButton(tr("Open in &Planner"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    m_save->setEnabled(false);
    m_planner->setEnabled(false);
    connect(m_run, &QPushButton::clicked, this, [this] { m_running ? stop() : run(); });
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the probe's result"),
                                                          QStringLiteral("probe.json"), tr("JSON (*.json)"));
        if (!path.isEmpty() && m_result)
            ui::saveInBackground(this, path, resultText(), [this](const QString &error) {
                if (!error.isEmpty())
                    fail(error);
            });
    });
    connect(m_planner, &QPushButton::clicked, this, [this] {
        if (m_result)
            Q_EMIT openInPlanner(*m_result);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &ProbeDialog::reject);
    layout->addWidget(buttons);
}

std::optional<ProbeRequest> ProbeDialog::request(QString *error) const
{
    ProbeRequest r;
    r.topicRegex = m_topics->text().trimmed().toStdString();
    if (!m_earliest->isChecked())
        r.fromMs = m_from->dateTime().toMSecsSinceEpoch();
    const auto bytes = parseSize(m_maxBytes->text().trimmed().toStdString());
    if (!bytes) {
        *error = tr("At most bytes: %1 is not a size (500MB, 2GiB, ...)").arg(m_maxBytes->text());
        return std::nullopt;
    }
    r.maxBytes = *bytes;
    r.maxSeconds = m_maxSeconds->value();
    if (m_throttle->value() > 0)
        r.throttleMBps = m_throttle->value();
    r.clientRack = m_rack->currentData().toString().toStdString();
    r.fetchers = m_fetchers->value();
    const QRegularExpression re(m_topics->text().trimmed());
    try {
        validateProbeRequest(r);
        if (!re.isValid())
            throw std::invalid_argument("--topic: not a valid regular expression (" + re.errorString().toStdString() +
                                        ")");
    } catch (const std::invalid_argument &e) {
        *error = QString::fromUtf8(e.what());
        return std::nullopt;
    }
    return r;
}

void ProbeDialog::setTopics(const QString &regex)
{
    m_topics->setText(regex);
}

void ProbeDialog::setBounds(const QString &maxBytes, int maxSeconds)
{
    m_maxBytes->setText(maxBytes);
    m_maxSeconds->setValue(maxSeconds);
}

void ProbeDialog::setThrottle(double mbPerSecond)
{
    m_throttle->setValue(mbPerSecond);
}

void ProbeDialog::run()
{
    QString error;
    const auto req = request(&error);
    if (!req) {
        fail(error);
        return;
    }
    m_running = true;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_bytes = std::make_shared<std::atomic<int64_t>>(0);
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    m_run->setText(tr("&Stop"));
    m_ticker->start();
    using Outcome = std::pair<std::optional<ProbeResult>, QString>;
    ui::runAsync(
        this,
        [profile = m_profile, r = *req, stop = m_stop, bytes = m_bytes]() -> Outcome {
            try {
                return {runReplayProbe(profile, r, stop.get(), {}, bytes.get()), QString()};
            } catch (const Cancelled &) {
                return {std::nullopt, tr("Stopped before reading began.")};
            } catch (const std::exception &e) {
                return {std::nullopt, QString::fromUtf8(e.what())};
            }
        },
        [this](const Outcome &o) {
            m_running = false;
            m_ticker->stop();
            m_run->setText(tr("&Run"));
            if (o.first)
                showResult(*o.first);
            else
                fail(o.second);
            Q_EMIT finished();
        });
}

void ProbeDialog::stop()
{
    if (m_stop)
        m_stop->store(true);
}

void ProbeDialog::reject()
{
    if (m_running) {
        stop();
        return;
    }
    QDialog::reject();
}

void ProbeDialog::showResult(const ProbeResult &r)
{
    m_result = r;
    m_output->setPlainText(qs(probeResultTable(r)));
    m_status->setStyleSheet(QString());
    const size_t unread = r.unreadPartitions();
    m_status->setText(unread > 0
                          ? tr("Done (%1), with %2 partition(s) not read: see below.").arg(qs(r.stoppedBy)).arg(unread)
                      : r.problems.empty() ? tr("Done: %1.").arg(qs(r.stoppedBy))
                                           : tr("Done (%1); see the problems below.").arg(qs(r.stoppedBy)));
    m_save->setEnabled(true);
    m_planner->setEnabled(true);
}

void ProbeDialog::fail(const QString &message)
{
    m_status->setStyleSheet(QStringLiteral("color: #a1261d;"));
    m_status->setText(message);
}

QString ProbeDialog::statusText() const
{
    return m_status->text();
}

QByteArray ProbeDialog::resultText() const
{
    return m_result ? QByteArray::fromStdString(probeResultToJson(*m_result).dump(1) + "\n") : QByteArray();
}

} // namespace kp
