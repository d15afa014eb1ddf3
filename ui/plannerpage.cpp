#include "ui/plannerpage.h"

#include "analysis/lagdata.h"
#include "analysis/pricingcatalog.h"
#include "analysis/workloaddata.h"
#include "models/formaterror.h"
#include "models/jsonreader.h"
#include "models/units.h"
#include "store/historywindow.h"
#include "store/samplestore.h"
#include "ui/plotutil.h"
#include "ui/pricingeditor.h"
#include "ui/widgetutil.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTextStream>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>
#include <tuple>

namespace kp {

using namespace ui;

namespace {} // namespace

PlannerPage::PlannerPage(ClusterContext *context, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    auto *inputs = new QWidget(this);
    auto *left = new QVBoxLayout(inputs);
    m_error = new QLabel(inputs);
    m_error->setObjectName(QStringLiteral("plannerError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #a1261d;"));
    left->addWidget(buildWorkloadBox(inputs));
    left->addWidget(buildArchitecturesBox(inputs));
    left->addLayout(buildFileButtons(inputs));
    left->addWidget(m_error);
    left->addStretch(1);

    auto *right = new QSplitter(Qt::Vertical, this);
    m_results = makeTree(right, QStringLiteral("plannerResults"),
                         {tr("Architecture / item"), tr("Per month"), tr("Brokers"), tr("How")});
    m_results->setRootIsDecorated(true);
    m_results->setSortingEnabled(false);
    m_results->header()->setSectionResizeMode(3, QHeaderView::Stretch);
    // The cost table over the chart and the scenario, one at a time: stacked all three, at 1400 x 900 the table was
    // a few rows high.
    m_lower = new QTabWidget(right);
    m_lower->setObjectName(QStringLiteral("plannerLower"));
    m_lower->addTab(buildChartBox(m_lower), tr("C&hart"));
    m_lower->addTab(buildScenarioBox(m_lower), tr("&Scenario"));
    right->addWidget(m_results);
    right->addWidget(m_lower);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    right->setSizes({560, 440}); // the chart's size hint would take two thirds
    layout->addWidget(inputs);
    layout->addWidget(right, 1);
    connectInputs();
    recompute();
    subscribe(context);
}

void PlannerPage::subscribe(ClusterContext *context)
{
    connect(context, &ClusterContext::snapshotChanged, this,
            [this, context](SnapshotPtr snapshot) { setSnapshot(std::move(snapshot), context->historyDb()); });
}

void PlannerPage::setSnapshot(SnapshotPtr snapshot, const QString &historyDb)
{
    m_snapshot = std::move(snapshot);
    m_historyDb = historyDb;
}

void PlannerPage::deriveFromCluster()
{
    if (!m_snapshot) {
        m_error->setText(tr("Open a cluster or a snapshot first."));
        return;
    }
    struct Derived
    {
        Workload workload;
        int brokers = 0;
        double localRetentionHours = -1; // the tiered topics', -1: none
        std::map<std::string, double> topicRates;
    };
    auto derive = [snapshot = m_snapshot, db = m_historyDb] {
        std::lock_guard turn(
            heavyHistoryTurn()); // an hour of history, read and reduced, not while a page reads its own
        SampleStore::History history;
        if (!db.isEmpty()) {
            try {
                history = SampleStore::read(db, snapshot->clusterId, snapshot->takenAtMs, 3600 * 1000,
                                            workloadHistoryShape());
            } catch (const std::exception &) {
                // no rates then: the workload says so in its source line
            }
        }
        appendSnapshot(history, *snapshot);
        Derived d{
            workloadFrom(*snapshot, history), int(snapshot->brokers.size()), localRetentionHoursFrom(*snapshot), {}};
        for (const auto &[tp, rate] : produceBytesPerSecond(*snapshot, history))
            d.topicRates[tp.topic] += rate;
        return d;
    };
    m_job.start(this, std::move(derive), [this](const Derived &d) {
        PlanFile f = planFile();
        f.workload = d.workload;
        f.settings.existingBrokers = d.brokers;
        if (d.localRetentionHours > 0)
            f.settings.localRetentionHours = std::min(d.localRetentionHours, d.workload.retentionHours);
        m_topicRates = d.topicRates;
        setPlanFile(f);
        Q_EMIT workloadDerived();
    });
}

PlanFile PlannerPage::planFile() const
{
    PlanFile f;
    Workload &w = f.workload;
    w.writeMBps = m_write->value();
    w.peakWriteMBps = m_peak->value();
    w.retentionHours = m_retention->value();
    w.replicationFactor = m_rf->value();
    w.consumerGroups = m_groups->value();
    w.azs = m_azs->value();
    w.partitions = m_partitions->value();
    w.storedGB = m_stored->value() < 0 ? -1 : m_stored->value();
    w.source = m_source->text().toStdString();
    PlanSettings &s = f.settings;
    s.existingBrokers = m_existingBrokers->value();
    s.existingInstance = m_existingInstance->currentData().toString().toStdString();
    s.existingFollowerFetching = m_followerFetching->isChecked();
    s.dedicatedBrokers = m_dedicatedBrokers->value();
    s.tieredBrokers = m_tieredBrokers->value();
    s.sharedStorageBrokers = m_sharedBrokers->value();
    s.dedicatedFollowerFetching = m_dedicatedFollowers->isChecked();
    s.tieredFollowerFetching = m_tieredFollowers->isChecked();
    s.instanceType = m_instance->currentData().toString().toStdString();
    s.localRetentionHours = m_localRetention->value();
    s.wal = m_wal->currentData().toString().toStdString();
    s.zoneLocalRouting = m_zoneRouting->isChecked();
    f.pricing = m_pricingRef.toStdString();
    return f;
}

void PlannerPage::setPlanFile(const PlanFile &f)
{
    m_loading = true;
    choosePricing(qs(f.pricing));
    const int pricingIndex = m_pricingBox->findData(m_pricingRef);
    if (pricingIndex >= 0)
        m_pricingBox->setCurrentIndex(pricingIndex);
    m_write->setValue(f.workload.writeMBps);
    m_peak->setValue(f.workload.peakWriteMBps);
    m_retention->setValue(f.workload.retentionHours);
    m_rf->setValue(f.workload.replicationFactor);
    m_groups->setValue(f.workload.consumerGroups);
    m_azs->setValue(f.workload.azs);
    m_partitions->setValue(f.workload.partitions);
    m_stored->setValue(f.workload.storedGB < 0 ? -1 : f.workload.storedGB);
    m_source->setText(qs(f.workload.source));
    m_existingBrokers->setValue(f.settings.existingBrokers);
    m_followerFetching->setChecked(f.settings.existingFollowerFetching);
    m_dedicatedBrokers->setValue(f.settings.dedicatedBrokers);
    m_tieredBrokers->setValue(f.settings.tieredBrokers);
    m_sharedBrokers->setValue(f.settings.sharedStorageBrokers);
    m_dedicatedFollowers->setChecked(f.settings.dedicatedFollowerFetching);
    m_tieredFollowers->setChecked(f.settings.tieredFollowerFetching);
    m_localRetention->setValue(f.settings.localRetentionHours);
    m_wal->setCurrentIndex(std::max(0, m_wal->findData(qs(f.settings.wal))));
    m_zoneRouting->setChecked(f.settings.zoneLocalRouting);
    m_loading = false;
    recompute(); // loads the pricing, fills the instance lists
    m_loading = true;
    m_existingInstance->setCurrentIndex(std::max(0, m_existingInstance->findData(qs(f.settings.existingInstance))));
    m_instance->setCurrentIndex(std::max(0, m_instance->findData(qs(f.settings.instanceType))));
    m_loading = false;
    recompute();
}

QString PlannerPage::error() const
{
    return m_error->text();
}

void PlannerPage::recompute()
{
    if (m_loading)
        return;
    m_error->clear();
    try {
        if (!m_pricingRead)
            m_pricing = loadPricing(m_pricingRef.toStdString());
        m_pricingRead = true;
    } catch (const FormatError &e) {
        m_error->setText(QString::fromUtf8(e.what()));
        m_plan.reset();
        showPlan();
        return;
    }
    // The instance lists follow the pricing profile's catalogue; the choice stays when it is still there.
    for (QComboBox *box : {m_existingInstance, m_instance}) {
        const QString current = box->currentData().toString();
        const QSignalBlocker block(box);
        box->clear();
        box->addItem(box == m_instance ? tr("cheapest that fits") : tr("as a dedicated cluster"), QString());
        for (const auto &i : m_pricing.instances)
            box->addItem(qs(i.type), qs(i.type));
        box->setCurrentIndex(std::max(0, box->findData(current)));
    }
    if (m_localRetention->value() > m_retention->value())
        m_localRetention->setValue(m_retention->value());
    try {
        const PlanFile f = planFile();
        m_plan = planCosts(f.workload, f.settings, m_pricing);
    } catch (const std::invalid_argument &e) {
        m_error->setText(QString::fromUtf8(e.what()));
        m_plan.reset();
    }
    showPlan();
}

void PlannerPage::showPlan()
{
    m_results->clear();
    if (!m_plan) {
        drawChart();
        runScenario();
        Q_EMIT planShown();
        return;
    }
    const QString currency = qs(m_plan->currency);
    auto money = [&](double v) { return QStringLiteral("%L1 %2").arg(v, 0, 'f', 2).arg(currency); };
    for (const auto &a : m_plan->architectures) {
        auto *top = new QTreeWidgetItem(m_results);
        top->setText(0, qs(a.name));
        top->setText(1, money(a.total()));
        top->setText(2, QStringLiteral("%1 x %2").arg(a.brokers).arg(qs(a.instanceType)));
        top->setText(3, tr("network headroom %1%").arg(a.headroom * 100, 0, 'f', 0));
        QFont bold = top->font(0);
        bold.setBold(true);
        top->setFont(0, bold);
        top->setFont(1, bold);
        top->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        for (const auto &l : a.lines) {
            auto *item = new QTreeWidgetItem(top);
            item->setText(0, qs(l.item));
            item->setText(1, money(l.monthly));
            item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
            item->setText(3, qs(l.formula));
            item->setToolTip(3, qs(l.formula));
        }
        for (const auto &n : a.notes) {
            auto *item = new QTreeWidgetItem(top);
            item->setText(0, tr("note"));
            item->setText(3, qs(n));
            item->setToolTip(3, qs(n));
            item->setForeground(3, QColor(0x55, 0x55, 0x55));
        }
        top->setExpanded(true);
    }
    drawChart();
    runScenario();
    Q_EMIT planShown();
}

void PlannerPage::planRunReplay(const ReplaySettings &run)
{
    m_runReplay = run;
    const QString share = run.remoteShare < 0 ? tr("the remote tier's share unknown (read as local)")
                                              : tr("%1% only in the remote tier").arg(run.remoteShare * 100, 0, 'f', 1);
    m_runReplayLabel->setText(tr("Replaying %1: %2 still retained, %3 (window %4 days).")
                                  .arg(qs(run.source))
                                  .arg(qs(formatBytes(int64_t(run.bytesGB * 1e9))))
                                  .arg(share)
                                  .arg(run.days, 0, 'g', 3));
    m_runReplayLabel->show();
    m_runReplayClear->show();
    for (QWidget *w : std::initializer_list<QWidget *>{m_days, m_share, m_replayTopics, m_replayRange})
        w->setEnabled(false);
    setScenario(Scenario::Replay, Architecture::Existing);
}

void PlannerPage::openProbe(const QString &path)
{
    ui::runAsync(
        this,
        [path]() -> std::pair<std::optional<ProbeResult>, QString> {
            try {
                return {decodeJsonFile(path.toStdString(), probeResultFromJson), QString()};
            } catch (const std::exception &e) {
                return {std::nullopt, QString::fromUtf8(e.what())};
            }
        },
        [this](const std::pair<std::optional<ProbeResult>, QString> &loaded) {
            if (loaded.first)
                showProbe(*loaded.first);
            else
                Q_EMIT probeFailed(loaded.second);
        });
}

void PlannerPage::showProbe(const ProbeResult &probe)
{
    try {
        const ReplaySettings settings = replayOfProbe(probe);
        m_probe = probe;
        planRunReplay(settings); // runs the scenario, and with it the comparison
    } catch (const std::invalid_argument &e) {
        Q_EMIT probeFailed(QString::fromUtf8(e.what()));
        return;
    }
    if (m_snapshot && m_snapshot->clusterId != probe.clusterId)
        m_runReplayLabel->setText(m_runReplayLabel->text() + tr(" The probe read cluster %1, not the open one (%2).")
                                                                 .arg(qs(probe.clusterId), qs(m_snapshot->clusterId)));
    Q_EMIT probeShown();
}

// The probe beside the existing cluster's replay of its window: each figure predicted, observed and the error.
void PlannerPage::showProbeComparison()
{
    m_probeComparison.reset();
    if (!m_probe || !m_scenario || m_scenario->architecture != Architecture::Existing ||
        Scenario(m_scenarioKind->currentIndex()) != Scenario::Replay)
        return;
    m_probeComparison = compareWithProbe(*m_scenario, *m_probe, m_pricing);
    auto *title = new QTreeWidgetItem(m_scenarioResults);
    title->setText(0, tr("observed by the probe of %1").arg(qs(m_probe->request.topicRegex)));
    title->setFirstColumnSpanned(true);
    for (const auto &k : m_probeComparison->checks) {
        auto *item = new QTreeWidgetItem(m_scenarioResults);
        item->setText(0, qs(k.figure));
        item->setText(1, k.observedKnown ? QStringLiteral("%L1 %2").arg(k.observed, 0, 'f', 2).arg(qs(k.unit))
                                         : tr("unknown"));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(2, k.observedKnown && k.predicted != 0
                             ? tr("predicted %L1 %2: %3%4%")
                                   .arg(k.predicted, 0, 'f', 2)
                                   .arg(qs(k.unit))
                                   .arg(k.relativeError() >= 0 ? QStringLiteral("+") : QString())
                                   .arg(k.relativeError() * 100, 0, 'f', 0)
                             : tr("predicted %L1 %2").arg(k.predicted, 0, 'f', 2).arg(qs(k.unit)));
    }
    auto *why = new QTreeWidgetItem(m_scenarioResults);
    why->setText(0, tr("explained by"));
    why->setText(2, qs(m_probeComparison->explanation));
    why->setToolTip(2, qs(m_probeComparison->explanation));
}

void PlannerPage::clearRunReplay()
{
    m_probe.reset();
    m_probeComparison.reset();
    m_runReplay.reset();
    m_runReplayLabel->hide();
    m_runReplayClear->hide();
    m_replayRange->setEnabled(true);
    m_days->setEnabled(!m_replayRange->isChecked());
    m_replayTopics->setEnabled(true);
    m_share->setEnabled(m_replayTopics->text().isEmpty());
    runScenario();
}

ReplaySettings PlannerPage::replaySettings() const
{
    ReplaySettings s;
    if (m_runReplay) {
        s = *m_runReplay;
        s.targetMBps = m_target->value();
        s.followerFetching = m_replayFollowers->isChecked();
        return s;
    }
    s.days = m_days->value();
    if (m_replayRange->isChecked()) {
        const qint64 from = m_replayFrom->dateTime().toMSecsSinceEpoch();
        const qint64 to = m_replayTo->dateTime().toMSecsSinceEpoch();
        if (to <= from)
            throw std::invalid_argument("time range: it must end after it starts");
        const double retentionHours = m_plan ? m_plan->workload.retentionHours : 0;
        if (from < QDateTime::currentMSecsSinceEpoch() - qint64(retentionHours * 3600 * 1000))
            throw std::invalid_argument("time range: it starts before the retention (" +
                                        std::to_string(int(retentionHours)) + " h) reaches back: that data is gone");
        s.days = double(to - from) / 86400000.0;
    }
    s.share = m_share->value();
    if (!m_replayTopics->text().isEmpty()) {
        const QRegularExpression re(m_replayTopics->text());
        if (!re.isValid())
            throw std::invalid_argument("topics: not a valid regular expression: " + re.errorString().toStdString());
        double chosen = 0, all = 0;
        for (const auto &[topic, rate] : m_topicRates) {
            all += rate;
            if (re.match(qs(topic)).hasMatch())
                chosen += rate;
        }
        if (chosen <= 0)
            throw std::invalid_argument(m_topicRates.empty()
                                            ? "chosen topics need their rates: take the workload from the open "
                                              "cluster after it has sampled"
                                            : "no topic matching it produced anything in the recorded history");
        s.share = chosen / all;
    }
    s.targetMBps = m_target->value();
    s.followerFetching = m_replayFollowers->isChecked();
    return s;
}

void PlannerPage::setChart(Chart chart)
{
    m_chartKind->setCurrentIndex(int(chart));
    m_lower->setCurrentIndex(0);
}

void PlannerPage::setScenario(Scenario scenario, Architecture architecture)
{
    m_scenarioArch->setCurrentIndex(std::max(0, m_scenarioArch->findData(int(architecture))));
    m_scenarioKind->setCurrentIndex(int(scenario));
    m_lower->setCurrentIndex(1);
    runScenario();
}

void PlannerPage::runScenario()
{
    m_layoutJob.cancel();
    m_scenarioResults->clear();
    m_scenario.reset();
    if (!m_plan)
        return;
    const auto arch = Architecture(m_scenarioArch->currentData().toInt());
    try {
        switch (Scenario(m_scenarioKind->currentIndex())) {
        case Scenario::Replay:
            m_scenario = replay(*m_plan, arch, replaySettings(), m_pricing);
            break;
        case Scenario::Cadence:
            m_scenario = refreshCadence(*m_plan, arch, replaySettings(), m_perMonth->value(), m_pricing);
            break;
        case Scenario::Scale:
            if (m_addBrokers->value() == 0)
                return;
            m_scenario = scaleBrokers(*m_plan, arch, m_addBrokers->value(), m_throttle->value());
            if (arch == Architecture::Existing && m_snapshot)
                addLayoutFiguresLater([brokers = m_addBrokers->value(), throttle = m_throttle->value()](
                                          ScenarioResult &r, const ClusterSnapshot &layout) {
                    addLayoutFigures(r, layout, brokers, throttle);
                });
            break;
        case Scenario::Failure:
            m_scenario = loseBrokerDuringReplay(*m_plan, arch, replaySettings(), m_throttle->value(), m_pricing);
            if (arch == Architecture::Existing && m_snapshot)
                addLayoutFiguresLater(
                    [throttle = m_throttle->value()](ScenarioResult &r, const ClusterSnapshot &layout) {
                        addLossFigures(r, layout, throttle);
                    });
            break;
        }
    } catch (const std::invalid_argument &e) {
        auto *item = new QTreeWidgetItem(m_scenarioResults);
        item->setText(0, tr("cannot compute"));
        item->setText(2, QString::fromUtf8(e.what()));
        return;
    }
    showScenario();
}

void PlannerPage::addLayoutFiguresLater(std::function<void(ScenarioResult &, const ClusterSnapshot &)> add)
{
    m_layoutJob.start(
        this,
        [layout = m_snapshot, base = *m_scenario, add = std::move(add)]() {
            ScenarioResult figures = base; // the formula's figures, which the layout's may use
            add(figures, *layout);
            figures.metrics.erase(figures.metrics.begin(), figures.metrics.begin() + qsizetype(base.metrics.size()));
            figures.notes.erase(figures.notes.begin(), figures.notes.begin() + qsizetype(base.notes.size()));
            return figures; // only what the layout added
        },
        [this](ScenarioResult figures) {
            if (!m_scenario)
                return;
            m_scenario->metrics.insert(m_scenario->metrics.end(), figures.metrics.begin(), figures.metrics.end());
            m_scenario->notes.insert(m_scenario->notes.end(), figures.notes.begin(), figures.notes.end());
            showScenario();
            Q_EMIT layoutFiguresShown();
        });
}

void PlannerPage::showScenario()
{
    m_scenarioResults->clear();
    auto *title = new QTreeWidgetItem(m_scenarioResults);
    title->setText(0, qs(m_scenario->title));
    title->setFirstColumnSpanned(true);
    for (const auto &m : m_scenario->metrics) {
        auto *item = new QTreeWidgetItem(m_scenarioResults);
        item->setText(0, qs(m.name));
        item->setText(1, std::isfinite(m.value) ? QStringLiteral("%L1 %2").arg(m.value, 0, 'f', 2).arg(qs(m.unit))
                                                : tr("never"));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(2, qs(m.formula));
        item->setToolTip(2, qs(m.formula));
    }
    for (const auto &n : m_scenario->notes) {
        auto *item = new QTreeWidgetItem(m_scenarioResults);
        item->setText(0, tr("note"));
        item->setText(2, qs(n));
        item->setToolTip(2, qs(n));
    }
    showProbeComparison();
}

void PlannerPage::refreshPricingList()
{
    const QSignalBlocker block(m_pricingBox);
    m_pricingBox->clear();
    for (const auto &name : bundledPricingNames())
        m_pricingBox->addItem(qs(name), qs(name));
    const QDir mine(PricingEditor::userDirectory());
    for (const QString &f : mine.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        m_pricingBox->addItem(tr("mine: %1").arg(f), mine.filePath(f));
    m_pricingBox->addItem(tr("Open a pricing file…"), QString());
    m_pricingBox->setCurrentIndex(std::max(0, m_pricingBox->findData(m_pricingRef)));
}

QString PlannerPage::copyPricingForEditing(QString *error)
{
    return PricingEditor::copyToUserDirectory(pricingToJson(m_pricing), m_pricing.name, error);
}

QByteArray PlannerPage::planText() const
{
    return QByteArray::fromStdString(planFileToJson(planFile()));
}

bool PlannerPage::openPlan(const QString &path, QString *error)
{
    try {
        const PlanFile f =
            decodeJsonFile(path.toStdString(), [](const nlohmann::json &doc) { return planFileFromJson(doc.dump()); });
        setPlanFile(f);
        return true;
    } catch (const FormatError &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
}

QByteArray PlannerPage::csv() const
{
    QByteArray bytes;
    if (!m_plan)
        return bytes;
    QTextStream out(&bytes, QIODevice::WriteOnly);
    out << "architecture,brokers,instance,item,monthly,currency,formula\n";
    auto quote = [](const std::string &s) { return csvField(qs(s)); };
    for (const auto &a : m_plan->architectures) {
        for (const auto &l : a.lines)
            out << quote(a.name) << ',' << a.brokers << ',' << qs(a.instanceType) << ',' << quote(l.item) << ','
                << QString::number(l.monthly, 'f', 2) << ',' << qs(m_plan->currency) << ',' << quote(l.formula) << '\n';
        out << quote(a.name) << ',' << a.brokers << ',' << qs(a.instanceType) << ",total,"
            << QString::number(a.total(), 'f', 2) << ',' << qs(m_plan->currency) << ",\n";
    }
    out.flush();
    return bytes;
}

QImage PlannerPage::chartImage() const
{
    return m_chart->toPixmap(1200, 600).toImage();
}

bool PlannerPage::exportPdf(const QString &path) const
{
    return m_chart->savePdf(path, 1200, 600);
}

} // namespace kp
