#include "plannerpage.h"

#include "formaterror.h"
#include "jsonreader.h"
#include "lagdata.h"
#include "plotutil.h"
#include "pricingcatalog.h"
#include "pricingeditor.h"
#include "samplestore.h"
#include "units.h"
#include "widgetutil.h"
#include "workloaddata.h"

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
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QTextStream>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>
#include <tuple>

namespace kp {

using namespace ui;

namespace {

// The bar chart's architecture names wrap at this many characters: at 1400 px, "dedicated Kafka cluster" and "Kafka
// with tiered storage" on one line each ran into each other.
constexpr int kAxisLabelChars = 19;

const char *kItems[] = {"compute", "block storage", "object storage", "object requests", "cross-AZ transfer"};

QDoubleSpinBox *doubleBox(QWidget *parent, double min, double max, double value, const QString &suffix, int decimals)
{
    auto *b = new QDoubleSpinBox(parent);
    b->setRange(min, max);
    b->setDecimals(decimals);
    b->setValue(value);
    b->setSuffix(suffix);
    b->setKeyboardTracking(false);
    return b;
}

QSpinBox *intBox(QWidget *parent, int min, int max, int value)
{
    auto *b = new QSpinBox(parent);
    b->setRange(min, max);
    b->setValue(value);
    b->setKeyboardTracking(false);
    return b;
}

} // namespace

PlannerPage::PlannerPage(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    auto *inputs = new QWidget(this);
    auto *left = new QVBoxLayout(inputs);
    auto *workload = new QGroupBox(tr("Workload"), inputs);
    auto *wf = new QFormLayout(workload);
    m_write = doubleBox(workload, 0, 1e6, 10, tr(" MB/s"), 2);
    m_write->setObjectName(QStringLiteral("plannerWrite"));
    m_peak = doubleBox(workload, 0, 1e6, 15, tr(" MB/s"), 2);
    m_retention = doubleBox(workload, 1, 1e6, 168, tr(" h"), 1);
    m_rf = intBox(workload, 1, 10, 3);
    m_groups = intBox(workload, 0, 1000, 1);
    m_azs = intBox(workload, 1, 10, 3);
    m_partitions = intBox(workload, 0, 10000000, 100);
    m_stored = doubleBox(workload, -1, 1e9, -1, tr(" GB"), 1);
    m_stored->setSpecialValueText(tr("from rate x retention"));
    wf->addRow(tr("&Write rate:"), m_write);
    wf->addRow(tr("&Peak write rate:"), m_peak);
    wf->addRow(tr("&Retention:"), m_retention);
    wf->addRow(tr("Replication &factor:"), m_rf);
    wf->addRow(tr("Consumer &groups (fan-out):"), m_groups);
    wf->addRow(tr("&AZs:"), m_azs);
    wf->addRow(tr("Pa&rtitions:"), m_partitions);
    wf->addRow(tr("On disk now (existing):"), m_stored);
    m_source = new QLabel(tr("Entered by hand"), workload);
    m_source->setWordWrap(true);
    m_source->setObjectName(QStringLiteral("plannerSource"));
    wf->addRow(m_source);
    auto *derive = new QPushButton(tr("From the open &cluster"), workload);
    derive->setObjectName(QStringLiteral("plannerDerive"));
    wf->addRow(derive);

    auto *settings = new QGroupBox(tr("Architectures"), inputs);
    auto *sf = new QFormLayout(settings);
    m_pricingBox = new QComboBox(settings);
    m_pricingBox->setObjectName(QStringLiteral("plannerPricing"));
    refreshPricingList();
    auto *copyPricing = new QPushButton(tr("Cop&y and edit…"), settings);
    copyPricing->setObjectName(QStringLiteral("plannerCopyPricing"));
    copyPricing->setToolTip(tr("Copy this pricing profile to your own profiles and edit it"));
    connect(copyPricing, &QPushButton::clicked, this, [this] {
        QString error;
        const QString path = copyPricingForEditing(&error);
        if (path.isEmpty()) {
            m_error->setText(error);
            return;
        }
        PricingEditor editor(path, this);
        editor.exec();
        refreshPricingList();
        m_pricingRef = path;
        m_pricingBox->setCurrentIndex(std::max(0, m_pricingBox->findData(path)));
        recompute();
    });
    m_existingBrokers = intBox(settings, 0, 10000, 0);
    m_existingBrokers->setSpecialValueText(tr("unknown (sized)"));
    m_existingInstance = new QComboBox(settings);
    m_instance = new QComboBox(settings);
    m_followerFetching = new QCheckBox(tr("Existing cluster has follower fetching"), settings);
    m_localRetention = doubleBox(settings, 1, 1e6, 24, tr(" h"), 1);
    m_wal = new QComboBox(settings);
    m_wal->addItem(tr("EBS WAL"), QStringLiteral("ebs"));
    m_wal->addItem(tr("S3 WAL"), QStringLiteral("s3"));
    m_zoneRouting = new QCheckBox(tr("Zone-local client routing"), settings);
    m_zoneRouting->setChecked(true);
    // The new clusters as someone means to run them: brokers (0: sized for the peak) and follower fetching.
    auto *newBrokers = new QHBoxLayout;
    for (auto [box, label, tip] : {std::tuple{&m_dedicatedBrokers, tr("dedicated"), tr("Dedicated cluster")},
                                   std::tuple{&m_tieredBrokers, tr("tiered"), tr("Kafka with tiered storage")},
                                   std::tuple{&m_sharedBrokers, tr("shared"), tr("Shared-storage platform")}}) {
        *box = intBox(settings, 0, 10000, 0);
        (*box)->setSpecialValueText(tr("sized"));
        (*box)->setToolTip(tip + tr(": brokers (sized: as many as the peak needs)"));
        (*box)->setAccessibleName(tip + tr(" brokers"));
        newBrokers->addWidget(new QLabel(label, settings));
        newBrokers->addWidget(*box, 1);
    }
    m_dedicatedFollowers = new QCheckBox(tr("dedicated"), settings);
    m_tieredFollowers = new QCheckBox(tr("tiered"), settings);
    auto *newFollowers = new QHBoxLayout;
    newFollowers->addWidget(m_dedicatedFollowers);
    newFollowers->addWidget(m_tieredFollowers);
    newFollowers->addStretch(1);
    auto *pricingRow = new QHBoxLayout;
    pricingRow->addWidget(m_pricingBox, 1);
    pricingRow->addWidget(copyPricing);
    sf->addRow(tr("Pr&icing:"), pricingRow);
    sf->addRow(tr("Existing &brokers:"), m_existingBrokers);
    sf->addRow(tr("Existing &instance:"), m_existingInstance);
    sf->addRow(m_followerFetching);
    sf->addRow(tr("New clusters' i&nstance:"), m_instance);
    sf->addRow(tr("New clusters' brokers:"), newBrokers);
    sf->addRow(tr("Follower fetching:"), newFollowers);
    sf->addRow(tr("Tiered: &local retention:"), m_localRetention);
    sf->addRow(tr("Shared storage: &WAL:"), m_wal);
    sf->addRow(m_zoneRouting);

    auto *buttons = new QHBoxLayout;
    auto *open = new QPushButton(tr("&Open plan…"), inputs);
    auto *save = new QPushButton(tr("&Save plan…"), inputs);
    auto *csv = new QPushButton(tr("CSV…"), inputs);
    auto *png = new QPushButton(tr("PNG/PDF…"), inputs);
    for (auto *b : {open, save, csv, png})
        buttons->addWidget(b);
    m_error = new QLabel(inputs);
    m_error->setObjectName(QStringLiteral("plannerError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #a1261d;"));
    left->addWidget(workload);
    left->addWidget(settings);
    left->addLayout(buttons);
    left->addWidget(m_error);
    left->addStretch(1);

    auto *right = new QSplitter(Qt::Vertical, this);
    m_results = makeTree(right, QStringLiteral("plannerResults"),
                         {tr("Architecture / item"), tr("Per month"), tr("Brokers"), tr("How")});
    m_results->setRootIsDecorated(true);
    m_results->setSortingEnabled(false);
    m_results->header()->setSectionResizeMode(3, QHeaderView::Stretch);
    // Scenarios: one kind at a time, on one architecture, every figure with its formula.
    auto *scenarioBox = new QGroupBox(tr("Scenario"), right);
    auto *sv = new QVBoxLayout(scenarioBox);
    auto *sbar = new QHBoxLayout;
    m_scenarioKind = new QComboBox(scenarioBox);
    m_scenarioKind->setObjectName(QStringLiteral("plannerScenario"));
    m_scenarioKind->addItems(
        {tr("Replay a window"), tr("Refresh cadence"), tr("Add/remove brokers"), tr("Lose a broker during a replay")});
    m_scenarioArch = new QComboBox(scenarioBox);
    for (Architecture a :
         {Architecture::Existing, Architecture::Dedicated, Architecture::Tiered, Architecture::SharedStorage})
        m_scenarioArch->addItem(QString::fromLatin1(toString(a)), int(a));
    m_scenarioArch->setCurrentIndex(1);
    m_days = doubleBox(scenarioBox, 0.1, 3650, 7, tr(" days"), 1);
    m_share = doubleBox(scenarioBox, 0.01, 1, 1, QString(), 2);
    m_share->setToolTip(tr("Share of the workload's bytes replayed (the chosen topics)"));
    m_target = doubleBox(scenarioBox, 1, 1e6, 500, tr(" MB/s"), 0);
    m_perMonth = doubleBox(scenarioBox, 0.1, 1000, 30, tr(" /month"), 2);
    m_addBrokers = intBox(scenarioBox, -1000, 1000, 3);
    m_addBrokers->setToolTip(tr("Brokers to add; negative removes"));
    m_throttle = doubleBox(scenarioBox, 1, 1e5, 100, tr(" MB/s"), 0);
    m_throttle->setToolTip(tr("Reassignment or recovery throttle per broker"));
    m_replayFollowers = new QCheckBox(tr("follower fetching"), scenarioBox);
    m_replayTopics = new QLineEdit(scenarioBox);
    m_replayTopics->setObjectName(QStringLiteral("plannerReplayTopics"));
    m_replayTopics->setPlaceholderText(tr("topics (regex): their share of the bytes"));
    m_replayTopics->setToolTip(tr("Replay only these topics: their share of the bytes produced in the recorded history "
                                  "(needs the workload from the open cluster)"));
    m_replayTopics->setClearButtonEnabled(true);
    sbar->addWidget(m_scenarioKind);
    sbar->addWidget(m_scenarioArch);
    sbar->addWidget(m_replayTopics, 1);
    sbar->addWidget(m_replayFollowers);
    sbar->addStretch(1);
    auto *params = new QGridLayout;
    int slot = 0;
    for (auto [label, w] : {std::pair<QString, QWidget *>{tr("window"), m_days},
                            {tr("share"), m_share},
                            {tr("target"), m_target},
                            {tr("backfills"), m_perMonth},
                            {tr("brokers"), m_addBrokers},
                            {tr("throttle"), m_throttle}}) {
        params->addWidget(new QLabel(label, scenarioBox), slot / 3, (slot % 3) * 2);
        params->addWidget(w, slot / 3, (slot % 3) * 2 + 1);
        ++slot;
    }
    m_replayRange = new QCheckBox(tr("time range"), scenarioBox);
    m_replayRange->setObjectName(QStringLiteral("plannerReplayRange"));
    m_replayRange->setToolTip(tr("Replay a time range instead of the last N days; it must lie within the retention"));
    const QDateTime now = QDateTime::currentDateTime();
    m_replayFrom = new QDateTimeEdit(now.addDays(-2), scenarioBox);
    m_replayTo = new QDateTimeEdit(now, scenarioBox);
    m_replayFrom->setObjectName(QStringLiteral("plannerReplayFrom"));
    m_replayTo->setObjectName(QStringLiteral("plannerReplayTo"));
    for (auto *e : {m_replayFrom, m_replayTo}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        e->setEnabled(false);
    }
    params->addWidget(m_replayRange, 2, 0);
    params->addWidget(m_replayFrom, 2, 1);
    params->addWidget(new QLabel(tr("to"), scenarioBox), 2, 2, Qt::AlignRight);
    params->addWidget(m_replayTo, 2, 3);
    params->setColumnStretch(6, 1);
    // A run's replay (from the Runs page) in place of the window, share and topics, until cleared.
    auto *runBar = new QHBoxLayout;
    m_runReplayLabel = new QLabel(scenarioBox);
    m_runReplayLabel->setObjectName(QStringLiteral("plannerRunReplay"));
    m_runReplayLabel->setWordWrap(true);
    m_runReplayClear = new QPushButton(tr("Replay a window instead"), scenarioBox);
    m_runReplayClear->setObjectName(QStringLiteral("plannerRunReplayClear"));
    runBar->addWidget(m_runReplayLabel, 1);
    runBar->addWidget(m_runReplayClear);
    m_runReplayLabel->hide();
    m_runReplayClear->hide();
    connect(m_runReplayClear, &QPushButton::clicked, this, &PlannerPage::clearRunReplay);
    m_scenarioResults =
        makeTree(scenarioBox, QStringLiteral("plannerScenarioResults"), {tr("Figure"), tr("Value"), tr("How")});
    m_scenarioResults->setSortingEnabled(false);
    m_scenarioResults->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    sv->addLayout(sbar);
    sv->addLayout(params);
    sv->addLayout(runBar);
    sv->addWidget(m_scenarioResults);
    right->addWidget(scenarioBox);

    auto *chartBox = new QWidget(right);
    auto *cv = new QVBoxLayout(chartBox);
    cv->setContentsMargins(0, 0, 0, 0);
    m_chartKind = new QComboBox(chartBox);
    m_chartKind->setObjectName(QStringLiteral("plannerChartKind"));
    m_chartKind->addItems({tr("Monthly cost by architecture"), tr("Monthly cost against retention"),
                           tr("Replay duration against throughput"),
                           tr("Cheapest new architecture by write rate and retention")});
    m_chart = new QCustomPlot(chartBox);
    cv->addWidget(m_chartKind, 0, Qt::AlignLeft);
    cv->addWidget(m_chart, 1);
    m_chart->setObjectName(QStringLiteral("plannerChart"));
    m_chart->setMinimumHeight(220);
    legendBelow(m_chart, 2);
    m_chart->addLayer(QStringLiteral("front"), m_chart->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    m_chart->yAxis->setLabel(tr("per month"));
    m_chart->yAxis->setNumberFormat(QStringLiteral("f"));
    m_chart->yAxis->setNumberPrecision(0);
    right->insertWidget(0, m_results);
    right->addWidget(chartBox);
    layout->addWidget(inputs);
    layout->addWidget(right, 1);

    for (auto *b : {m_write, m_peak, m_retention, m_stored, m_localRetention})
        connect(b, &QDoubleSpinBox::valueChanged, this, &PlannerPage::recompute);
    for (auto *b :
         {m_rf, m_groups, m_azs, m_partitions, m_existingBrokers, m_dedicatedBrokers, m_tieredBrokers, m_sharedBrokers})
        connect(b, &QSpinBox::valueChanged, this, &PlannerPage::recompute);
    for (auto *b : {m_existingInstance, m_instance, m_wal})
        connect(b, &QComboBox::currentIndexChanged, this, &PlannerPage::recompute);
    for (auto *b : {m_zoneRouting, m_followerFetching, m_dedicatedFollowers, m_tieredFollowers})
        connect(b, &QCheckBox::toggled, this, &PlannerPage::recompute);
    connect(m_pricingBox, &QComboBox::activated, this, [this](int index) {
        QString ref = m_pricingBox->itemData(index).toString();
        if (ref.isEmpty()) {
            ref = QFileDialog::getOpenFileName(this, tr("Pricing profile"), QString(), tr("JSON (*.json)"));
            if (ref.isEmpty())
                return;
        }
        m_pricingRef = ref;
        recompute();
    });
    connect(derive, &QPushButton::clicked, this, &PlannerPage::deriveFromCluster);
    connect(m_chartKind, &QComboBox::currentIndexChanged, this, &PlannerPage::drawChart);
    for (auto *b : {m_scenarioKind, m_scenarioArch})
        connect(b, &QComboBox::currentIndexChanged, this, [this] {
            runScenario();
            drawChart();
        });
    for (auto *b : {m_days, m_share, m_target, m_perMonth, m_throttle})
        connect(b, &QDoubleSpinBox::valueChanged, this, [this] {
            runScenario();
            drawChart();
        });
    connect(m_addBrokers, &QSpinBox::valueChanged, this, &PlannerPage::runScenario);
    connect(m_replayRange, &QCheckBox::toggled, this, [this](bool on) {
        m_days->setEnabled(!on);
        m_replayFrom->setEnabled(on);
        m_replayTo->setEnabled(on);
        runScenario();
        drawChart();
    });
    for (auto *e : {m_replayFrom, m_replayTo})
        connect(e, &QDateTimeEdit::dateTimeChanged, this, [this] {
            runScenario();
            drawChart();
        });
    connect(m_replayFollowers, &QCheckBox::toggled, this, &PlannerPage::runScenario);
    connect(m_replayTopics, &QLineEdit::textChanged, this, [this] {
        m_share->setEnabled(m_replayTopics->text().isEmpty());
        runScenario();
        drawChart();
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save plan"), QStringLiteral("plan.kpplan.json"),
                                                          tr("Plans (*.kpplan.json)"));
        QString error;
        if (!path.isEmpty() && !savePlan(path, &error))
            QMessageBox::warning(this, tr("Save plan"), error);
    });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open plan"), QString(), tr("Plans (*.kpplan.json);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !openPlan(path, &error))
            QMessageBox::warning(this, tr("Open plan"), error);
    });
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export CSV"), QStringLiteral("plan.csv"), tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            QMessageBox::warning(this, tr("Export CSV"), error);
    });
    connect(png, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QStringLiteral("plan.png"),
                                                          tr("PNG images (*.png);;PDF documents (*.pdf)"));
        if (!path.isEmpty() && !exportChart(path))
            QMessageBox::warning(this, tr("Export chart"), tr("The chart could not be written to %1.").arg(path));
    });
    recompute();
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
        SampleStore::History history;
        if (!db.isEmpty()) {
            try {
                history = SampleStore::read(db, snapshot->clusterId, snapshot->takenAtMs, 3600 * 1000);
            } catch (const std::exception &) {
                // no rates then: the workload says so in its source line
            }
        }
        appendSnapshot(history, *snapshot);
        Derived d{
            workloadFrom(*snapshot, history), int(snapshot->brokers.size()), localRetentionHoursFrom(*snapshot), {}};
        for (const auto &[tp, rate] : trafficInputs(*snapshot, history).produceBytesPerSecond)
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
    m_pricingRef = qs(f.pricing);
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
        m_pricing = loadPricing(m_pricingRef.toStdString());
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

void PlannerPage::drawChart()
{
    m_chart->clearPlottables();
    m_chartPoints = 0;
    // Short cost items three to a row, architecture names two.
    m_chart->legend->setWrap(m_chartKind->currentIndex() == int(Chart::MonthlyCost) ? 3 : 2);
    if (!m_plan) {
        m_chart->replot();
        return;
    }
    const QString currency = qs(m_plan->currency);
    const QColor archColors[] = {QColor(0x55, 0x55, 0x55), QColor(0x1f, 0x5f, 0xa8), QColor(0x8e, 0x44, 0xad),
                                 QColor(0x4c, 0x9a, 0x2a)};
    const int chart = m_chartKind->currentIndex();
    if (chart == int(Chart::CostAgainstRetention)) {
        // 1 day to twice the current retention (at least a month), every architecture.
        std::vector<double> days;
        const double maxDays = std::max(30.0, 2 * m_plan->workload.retentionHours / 24);
        for (double d = 1; d <= maxDays + 1e-9; d += std::max(1.0, std::floor(maxDays / 30)))
            days.push_back(d);
        const auto points = costAgainstRetention(planFile(), m_pricing, days);
        m_chart->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        for (size_t a = 0; a < m_plan->architectures.size(); ++a) {
            auto *g = m_chart->addGraph();
            g->setName(qs(m_plan->architectures[a].name));
            // The existing cluster dashed and in front: where it costs what a dedicated one would, both show.
            g->setPen(QPen(archColors[a % 4], 2, a == 0 ? Qt::DashLine : Qt::SolidLine));
            if (a == 0)
                g->setLayer(QStringLiteral("front"));
            for (const auto &p : points)
                g->addData(p.days, p.monthly[a]);
            m_chartPoints += int(points.size());
        }
        m_chart->xAxis->setLabel(tr("retention (days)"));
        m_chart->yAxis->setLabel(tr("%1 per month").arg(currency));
        m_chart->rescaleAxes();
        m_chart->yAxis->setRangeLower(0);
        m_chart->replot();
        return;
    }
    if (chart == int(Chart::CheapestByRateAndRetention)) {
        // A 40 x 40 sensitivity sweep (about 3 ms): which of the three new architectures costs least at each write
        // rate (up to 4x today's) and retention (up to 2x); the existing cluster keeps its brokers, so it is left out.
        const double w = std::max(1.0, m_plan->workload.writeMBps);
        const double days = m_plan->workload.retentionHours / 24;
        SweepAxis x{"write", std::max(1.0, w / 20), std::max(10.0, 4 * w), 40};
        SweepAxis y{"retention", std::max(0.5, days / 20), std::max(30.0, 2 * days), 40};
        std::vector<SweepPoint> points;
        try {
            points = sensitivitySweep(planFile(), m_pricing, x, y);
        } catch (const std::invalid_argument &) {
            m_chart->replot();
            return;
        }
        auto *map = new QCPColorMap(m_chart->xAxis, m_chart->yAxis);
        map->setObjectName(QStringLiteral("plannerCheapestMap"));
        map->data()->setSize(x.steps, y.steps);
        map->data()->setRange(QCPRange(x.from, x.to), QCPRange(y.from, y.to));
        for (int j = 0; j < y.steps; ++j)
            for (int i = 0; i < x.steps; ++i) {
                const auto &m = points[size_t(j * x.steps + i)].monthly;
                const auto cheapest = std::min_element(m.begin() + 1, m.end()) - m.begin();
                map->data()->setCell(i, j, double(cheapest));
            }
        QCPColorGradient gradient;
        gradient.setLevelCount(3);
        gradient.setColorStops({{0.0, archColors[1]}, {0.5, archColors[2]}, {1.0, archColors[3]}});
        gradient.setColorInterpolation(QCPColorGradient::ciRGB);
        map->setGradient(gradient);
        map->setDataRange(QCPRange(1, 3));
        map->setInterpolate(false);
        map->removeFromLegend(); // its colours have legend entries of their own, below
        for (int a = 1; a < 4; ++a) {
            auto *key = m_chart->addGraph(); // legend entries for the map's colours
            key->setName(qs(m_plan->architectures[size_t(a)].name));
            key->setPen(QPen(archColors[a], 8));
        }
        auto *now = m_chart->addGraph();
        now->setName(tr("this workload"));
        now->setLineStyle(QCPGraph::lsNone);
        now->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, Qt::white, Qt::black, 10));
        now->addData(w, days);
        m_chartPoints = int(points.size());
        m_chart->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        m_chart->xAxis->setLabel(tr("write rate (MB/s)"));
        m_chart->yAxis->setLabel(tr("retention (days)"));
        m_chart->xAxis->setRange(x.from, x.to);
        m_chart->yAxis->setRange(y.from, y.to);
        m_chart->replot();
        return;
    }
    if (chart == int(Chart::ReplayDuration)) {
        std::vector<double> targets;
        for (double t = 25; t <= 3000; t *= 1.25)
            targets.push_back(t);
        const auto arch = Architecture(m_scenarioArch->currentData().toInt());
        std::vector<std::pair<double, double>> points;
        double days = 0;
        try {
            const ReplaySettings settings = replaySettings();
            days = settings.days;
            points = replayDurationAgainstThroughput(*m_plan, arch, settings, m_pricing, targets);
        } catch (const std::invalid_argument &) {
            m_chart->replot(); // the scenario panel says why
            return;
        }
        m_chart->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        auto *g = m_chart->addGraph();
        g->setName(tr("%1 days on the %2").arg(days, 0, 'g', 3).arg(QString::fromLatin1(toString(arch))));
        g->setPen(QPen(archColors[int(arch) % 4], 2));
        for (const auto &[t, h] : points)
            if (std::isfinite(h))
                g->addData(t, h);
        m_chartPoints = int(points.size());
        m_chart->xAxis->setLabel(tr("target throughput (MB/s)"));
        m_chart->yAxis->setLabel(tr("hours"));
        m_chart->rescaleAxes();
        m_chart->yAxis->setRangeLower(0);
        m_chart->replot();
        return;
    }
    m_chart->xAxis->setLabel(QString());
    // Stacked bars: one per architecture, one layer per cost item.
    QVector<double> ticks;
    QVector<QString> labels;
    for (size_t i = 0; i < m_plan->architectures.size(); ++i) {
        ticks << double(i + 1);
        labels << wrapWords(qs(m_plan->architectures[i].name), kAxisLabelChars);
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(ticks, labels);
    m_chart->xAxis->setTicker(ticker);
    m_chart->xAxis->setRange(0.4, double(ticks.size()) + 0.6);
    const QColor colors[] = {QColor(0x1f, 0x5f, 0xa8), QColor(0x4c, 0x9a, 0x2a), QColor(0x8e, 0x44, 0xad),
                             QColor(0xe8, 0x8e, 0x00), QColor(0xb3, 0x26, 0x1e)};
    QCPBars *below = nullptr;
    double top = 0;
    for (size_t k = 0; k < std::size(kItems); ++k) {
        auto *bars = new QCPBars(m_chart->xAxis, m_chart->yAxis);
        bars->setName(QString::fromLatin1(kItems[k]));
        bars->setBrush(colors[k]);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.6);
        QVector<double> values;
        for (const auto &a : m_plan->architectures) {
            double v = 0;
            for (const auto &l : a.lines)
                if (l.item == kItems[k])
                    v += l.monthly;
            values << v;
        }
        bars->setData(ticks, values);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    for (const auto &a : m_plan->architectures)
        top = std::max(top, a.total());
    m_chart->yAxis->setRange(0, std::max(1.0, top * 1.1));
    m_chart->yAxis->setLabel(tr("%1 per month").arg(currency));
    m_chartPoints = int(ticks.size());
    m_chart->replot();
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

void PlannerPage::clearRunReplay()
{
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
}

void PlannerPage::setScenario(Scenario scenario, Architecture architecture)
{
    m_scenarioArch->setCurrentIndex(std::max(0, m_scenarioArch->findData(int(architecture))));
    m_scenarioKind->setCurrentIndex(int(scenario));
    runScenario();
}

void PlannerPage::runScenario()
{
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
            break;
        case Scenario::Failure:
            m_scenario = loseBrokerDuringReplay(*m_plan, arch, replaySettings(), m_throttle->value(), m_pricing);
            break;
        }
    } catch (const std::invalid_argument &e) {
        auto *item = new QTreeWidgetItem(m_scenarioResults);
        item->setText(0, tr("cannot compute"));
        item->setText(2, QString::fromUtf8(e.what()));
        return;
    }
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

bool PlannerPage::savePlan(const QString &path, QString *error) const
{
    QSaveFile f(path);
    const std::string text = planFileToJson(planFile());
    if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
        !f.commit()) {
        if (error)
            *error = tr("%1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
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

bool PlannerPage::exportCsv(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!m_plan || !f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = m_plan ? tr("%1: %2").arg(path, f.errorString()) : tr("There is no plan to export.");
        return false;
    }
    QTextStream out(&f);
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
    if (!f.commit()) {
        if (error)
            *error = tr("%1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool PlannerPage::exportChart(const QString &path) const
{
    if (path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive))
        return m_chart->savePdf(path, 1200, 600);
    return m_chart->savePng(path, 1200, 600);
}

} // namespace kp
