// The Planner's inputs: the workload, the architectures' settings, the scenario panel, the chart box and the plan's
// file buttons; what each change recomputes.
#include "ui/plannerpage.h"

#include "ui/plotutil.h"
#include "ui/pricingeditor.h"
#include "ui/widgetutil.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
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
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>
#include <tuple>

namespace kp {

using namespace ui;

namespace {

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

QGroupBox *PlannerPage::buildWorkloadBox(QWidget *parent)
{
    auto *workload = new QGroupBox(tr("Workload"), parent);
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
    connect(derive, &QPushButton::clicked, this, &PlannerPage::deriveFromCluster);
    return workload;
}

QGroupBox *PlannerPage::buildArchitecturesBox(QWidget *parent)
{
    auto *settings = new QGroupBox(tr("Architectures"), parent);
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
        choosePricing(path);
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
    return settings;
}

QHBoxLayout *PlannerPage::buildFileButtons(QWidget *parent)
{
    auto *buttons = new QHBoxLayout;
    auto *open = new QPushButton(tr("&Open plan…"), parent);
    auto *save = new QPushButton(tr("&Save plan…"), parent);
    auto *csv = new QPushButton(tr("CSV…"), parent);
    auto *png = new QPushButton(tr("PNG/PDF…"), parent);
    for (auto *b : {open, save, csv, png})
        buttons->addWidget(b);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save plan"), QStringLiteral("plan.kpplan.json"),
                                                          tr("Plans (*.kpplan.json)"));
        if (!path.isEmpty())
            ui::saveInBackground(this, path, planText(), ui::warnIfFailed(this, tr("Save plan")));
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
        if (path.isEmpty())
            return;
        if (!plan()) {
            QMessageBox::warning(this, tr("Export CSV"), tr("There is no plan to export."));
            return;
        }
        ui::saveInBackground(this, path, this->csv(), ui::warnIfFailed(this, tr("Export CSV")));
    });
    connect(png, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QStringLiteral("plan.png"),
                                                          tr("PNG images (*.png);;PDF documents (*.pdf)"));
        if (path.isEmpty())
            return;
        if (path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive)) {
            if (!exportPdf(path))
                QMessageBox::warning(this, tr("Export chart"), tr("The chart could not be written to %1.").arg(path));
            return;
        }
        ui::saveImageInBackground(this, path, chartImage(), ui::warnIfFailed(this, tr("Export chart")));
    });
    return buttons;
}

// Scenarios: one kind at a time, on one architecture, every figure with its formula.
QGroupBox *PlannerPage::buildScenarioBox(QWidget *parent)
{
    auto *scenarioBox = new QGroupBox(tr("Scenario"), parent);
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
    auto *runBar = buildRunReplayBar(scenarioBox);
    m_scenarioResults =
        makeTree(scenarioBox, QStringLiteral("plannerScenarioResults"), {tr("Figure"), tr("Value"), tr("How")});
    m_scenarioResults->setSortingEnabled(false);
    m_scenarioResults->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    sv->addLayout(sbar);
    sv->addLayout(params);
    sv->addLayout(runBar);
    sv->addWidget(m_scenarioResults);
    return scenarioBox;
}

QWidget *PlannerPage::buildChartBox(QWidget *parent)
{
    auto *chartBox = new QWidget(parent);
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
    wholeNumbers(m_chart->yAxis);
    return chartBox;
}

// A run's replay (from the Runs page) in place of the window, share and topics, until cleared.
QHBoxLayout *PlannerPage::buildRunReplayBar(QWidget *parent)
{
    auto *runBar = new QHBoxLayout;
    m_runReplayLabel = new QLabel(parent);
    m_runReplayLabel->setObjectName(QStringLiteral("plannerRunReplay"));
    m_runReplayLabel->setWordWrap(true);
    m_runReplayClear = new QPushButton(tr("Replay a window instead"), parent);
    m_runReplayClear->setObjectName(QStringLiteral("plannerRunReplayClear"));
    auto *probe = new QPushButton(tr("Open &probe result…"), parent);
    probe->setObjectName(QStringLiteral("plannerOpenProbe"));
    probe->setToolTip(tr("A replay probe's result (kafka-planner probe replay --output FILE): its window replayed on "
                         "the existing cluster, beside what the probe measured"));
    connect(probe, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a replay probe's result"), QString(),
                                                          tr("Probe results (*.json);;All files (*)"));
        if (!path.isEmpty())
            openProbe(path);
    });
    connect(this, &PlannerPage::probeFailed, this, [this](const QString &message) {
        m_error->setText(tr("The probe result was not opened: %1").arg(message));
    });
    runBar->addWidget(m_runReplayLabel, 1);
    runBar->addWidget(m_runReplayClear);
    runBar->addWidget(probe);
    m_runReplayLabel->hide();
    m_runReplayClear->hide();
    connect(m_runReplayClear, &QPushButton::clicked, this, &PlannerPage::clearRunReplay);
    return runBar;
}

void PlannerPage::connectInputs()
{
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
        choosePricing(ref);
        recompute();
    });
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
}

} // namespace kp
