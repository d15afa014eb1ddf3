#include "ui/rebalancepage.h"
#include "services/freedoffgui.h"

#include "analysis/pricingcatalog.h"
#include "models/qtstrings.h"
#include "models/units.h"
#include "ui/widgetutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace kp {

namespace {

QString replicaList(const std::vector<int32_t> &replicas)
{
    QStringList out;
    for (const int32_t b : replicas)
        out << QString::number(b);
    return out.join(QStringLiteral(", "));
}

int32_t brokerId(const QString &text)
{
    bool ok = false;
    const int id = text.trimmed().toInt(&ok);
    if (!ok || id < 0)
        throw std::invalid_argument("Brokers: \"" + text.trimmed().toStdString() +
                                    "\" is not a broker id (a whole number, 0 or more)");
    return id;
}

} // namespace

struct RebalancePage::Planned
{
    std::optional<ReassignmentPlan> plan;
    QString error;
    SnapshotPtr before, after;
    LayoutView::Marks leaving, arriving; // per moved partition: the replicas that go, and those that come
};

RebalancePage::RebalancePage(ClusterContext *context, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_goal = new QComboBox(this);
    m_goal->setObjectName(QStringLiteral("rebalanceGoal"));
    m_goal->addItem(tr("Even out replicas"), int(ReassignGoalKind::Balance));
    m_goal->addItem(tr("Add brokers"), int(ReassignGoalKind::AddBrokers));
    m_goal->addItem(tr("Remove a broker"), int(ReassignGoalKind::RemoveBroker));
    m_goal->addItem(tr("Fix rack awareness"), int(ReassignGoalKind::FixRacks));
    m_brokers = new QLineEdit(this);
    m_brokers->setObjectName(QStringLiteral("rebalanceBrokers"));
    m_throttle = new QDoubleSpinBox(this);
    m_throttle->setObjectName(QStringLiteral("rebalanceThrottle"));
    m_throttle->setRange(0.1, 100000);
    m_throttle->setValue(50);
    m_throttle->setSuffix(tr(" MB/s"));
    m_throttle->setToolTip(tr("Kafka's replication throttle per broker (kafka-reassign-partitions --throttle)"));
    m_run = new QPushButton(tr("&Plan"), this);
    m_run->setObjectName(QStringLiteral("rebalancePlan"));
    m_save = new QPushButton(tr("&Save reassignment…"), this);
    m_copy = new QPushButton(tr("&Copy commands"), this);
    auto *goalLabel = new QLabel(tr("&Goal:"), this);
    goalLabel->setBuddy(m_goal);
    auto *throttleLabel = new QLabel(tr("&Throttle:"), this);
    throttleLabel->setBuddy(m_throttle);
    for (QWidget *w : std::initializer_list<QWidget *>{goalLabel, m_goal, m_brokers, throttleLabel, m_throttle, m_run,
                                                       m_save, m_copy})
        bar->addWidget(w);
    bar->setStretchFactor(m_brokers, 1);
    m_error = ui::makeErrorLabel(this, QStringLiteral("rebalanceError"));
    m_summary = new QLabel(tr("Choose a goal and Plan: the replicas and bytes a reassignment moves, from this "
                              "cluster's layout. Nothing is executed."),
                           this);
    m_summary->setObjectName(QStringLiteral("rebalanceSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *split = new QSplitter(Qt::Vertical, this);
    m_brokerTable = ui::makeTree(split, QStringLiteral("rebalanceBrokerTable"),
                                 {tr("Broker"), tr("Rack"), tr("Replicas"), tr("After"), tr("Leaders"), tr("After"),
                                  tr("In"), tr("Out"), tr("Bytes in"), tr("Bytes out")});
    auto *tabs = new QTabWidget(split);
    m_moves = ui::makeTree(tabs, QStringLiteral("rebalanceMoves"),
                           {tr("Topic"), tr("Partition"), tr("Replicas"), tr("After"), tr("Bytes"), tr("From")});
    m_before = new LayoutView(tabs);
    m_before->setObjectName(QStringLiteral("rebalanceMapBefore"));
    m_after = new LayoutView(tabs);
    m_after->setObjectName(QStringLiteral("rebalanceMapAfter"));
    tabs->addTab(m_moves, tr("&Moved partitions"));
    tabs->addTab(m_before, tr("Map &before"));
    tabs->addTab(m_after, tr("Map &after"));
    m_movedOnly = new QCheckBox(tr("Moved partitions &only"), tabs);
    m_movedOnly->setChecked(true);
    m_movedOnly->setToolTip(tr("The maps show only the partitions the plan changes; outlined: the replicas that "
                               "leave (before) or arrive (after)"));
    tabs->setCornerWidget(m_movedOnly);
    connect(m_movedOnly, &QCheckBox::toggled, this, &RebalancePage::applyMapFilter);
    layout->addLayout(bar);
    layout->addWidget(m_error);
    layout->addWidget(m_summary);
    split->setStretchFactor(0, 1); // the brokers' table
    split->setStretchFactor(1, 3); // the moves and the maps
    layout->addWidget(split, 1);
    connect(m_goal, &QComboBox::currentIndexChanged, this, &RebalancePage::goalChanged);
    connect(m_run, &QPushButton::clicked, this, &RebalancePage::plan);
    connect(m_brokers, &QLineEdit::returnPressed, this, &RebalancePage::plan);
    connect(m_save, &QPushButton::clicked, this, &RebalancePage::saveReassignment);
    connect(m_copy, &QPushButton::clicked, this, &RebalancePage::copyCommands);
    connect(context, &ClusterContext::snapshotChanged, this, [this](SnapshotPtr s) {
        m_snapshot = std::move(s);
        m_run->setEnabled(m_snapshot != nullptr);
    });
    m_snapshot = context->snapshot();
    m_run->setEnabled(m_snapshot != nullptr);
    m_save->setEnabled(false);
    m_copy->setEnabled(false);
    goalChanged();
}

void RebalancePage::goalChanged()
{
    const auto kind = ReassignGoalKind(m_goal->currentData().toInt());
    m_brokers->setEnabled(kind == ReassignGoalKind::AddBrokers || kind == ReassignGoalKind::RemoveBroker);
    m_brokers->setPlaceholderText(kind == ReassignGoalKind::AddBrokers     ? tr("ID:RACK, ... (e.g. 7:us-east-1a)")
                                  : kind == ReassignGoalKind::RemoveBroker ? tr("the broker id to remove")
                                                                           : QString());
}

ReassignGoal RebalancePage::goal() const
{
    ReassignGoal goal;
    goal.kind = ReassignGoalKind(m_goal->currentData().toInt());
    const QString text = m_brokers->text().trimmed();
    if (goal.kind == ReassignGoalKind::RemoveBroker) {
        goal.remove = brokerId(text);
    } else if (goal.kind == ReassignGoalKind::AddBrokers) {
        for (const QString &given : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString part = given.trimmed();
            const qsizetype colon = part.indexOf(QLatin1Char(':'));
            if (colon <= 0 || colon == part.size() - 1)
                throw std::invalid_argument("Brokers: write each new broker ID:RACK (\"" + part.toStdString() + "\")");
            goal.add.push_back({brokerId(part.left(colon)), part.mid(colon + 1).trimmed().toStdString()});
        }
    }
    return goal;
}

QString RebalancePage::lastError() const
{
    return ui::shownError(m_error);
}

void RebalancePage::setError(const QString &message)
{
    if (ui::showError(m_error, message))
        Q_EMIT failed(message);
}

void RebalancePage::plan()
{
    if (!m_snapshot)
        return;
    ReassignGoal g;
    try {
        g = goal();
    } catch (const std::invalid_argument &e) {
        setError(QString::fromUtf8(e.what()));
        return;
    }
    setError({});
    m_summary->setText(tr("Planning…"));
    const SnapshotPtr snapshot = m_snapshot;
    m_job.start(
        this,
        [snapshot, g]() {
            Planned out;
            try {
                out.plan = planReassignment(*snapshot, g);
            } catch (const std::invalid_argument &e) {
                out.error = QString::fromUtf8(e.what());
                return out;
            }
            out.before = snapshot;
            ClusterSnapshot after = snapshotAfter(*snapshot, *out.plan);
            after.groups.clear(); // the map reads the layout only: not a second copy of every committed offset
            out.after = shareFreedOffGuiThread(std::move(after));
            for (const PartitionMove &m : out.plan->moves) {
                out.leaving[{m.topic, m.partition}] = m.removed();
                out.arriving[{m.topic, m.partition}] = m.added();
            }
            return out;
        },
        [this](const Planned &planned) {
            if (!planned.plan) {
                m_summary->clear();
                setError(planned.error);
                return;
            }
            showPlan(planned);
        });
}

void RebalancePage::showMaps(const Planned &planned)
{
    m_before->setSnapshot(planned.before);
    m_before->setMarks(planned.leaving, tr("this replica leaves in the plan"));
    m_after->setSnapshot(planned.after);
    m_after->setMarks(planned.arriving, tr("this replica arrives in the plan"));
    applyMapFilter();
}

void RebalancePage::applyMapFilter()
{
    const auto state = m_movedOnly->isChecked() ? LayoutView::State::Marked : LayoutView::State::All;
    m_before->setFilter(QRegularExpression(), state);
    m_after->setFilter(QRegularExpression(), state);
}

void RebalancePage::showPlan(const Planned &planned)
{
    const ReassignmentPlan &plan = *planned.plan;
    m_plan = plan;
    const double seconds = secondsAtThrottle(plan, m_throttle->value() * 1e6);
    const PricingProfile pricing = loadPricing(kDefaultPricing);
    m_summary->setText(
        tr("<b>%1 partitions move</b>, %2 new replicas, %3. Cross-AZ: %4 (%5 %6 at %7's price). At %8 MB/s per "
           "broker: %9.")
            .arg(plan.moves.size())
            .arg(plan.replicasMoved)
            .arg(plan.bytesKnown() ? qs(formatBytes(plan.bytesMoved))
                                   : tr("bytes unknown (%1 replicas of unknown size)").arg(plan.replicasUnknownSize))
            .arg(qs(formatBytes(plan.crossAzBytes())))
            .arg(qs(pricing.currency))
            .arg(crossAzCost(pricing, double(plan.crossAzBytes()) / 1e9), 0, 'f', 2)
            .arg(qs(pricing.name))
            .arg(m_throttle->value())
            .arg(seconds >= 0 ? qs(formatDuration(int64_t(seconds * 1000))) : tr("unknown")));
    fillBrokers(plan);
    fillMoves(plan);
    showMaps(planned);
    m_save->setEnabled(!plan.moves.empty());
    m_copy->setEnabled(!plan.moves.empty());
    Q_EMIT planShown();
}

void RebalancePage::fillBrokers(const ReassignmentPlan &plan)
{
    m_brokerTable->setSortingEnabled(false);
    m_brokerTable->clear();
    for (const auto &[id, b] : plan.brokers) {
        auto *item = new ui::SortableItem(m_brokerTable);
        ui::setId(item, 0, id);
        item->setText(1, qs(b.rack));
        ui::setNumber(item, 2, b.replicasBefore);
        ui::setNumber(item, 3, b.replicasAfter);
        ui::setNumber(item, 4, b.leadersBefore);
        ui::setNumber(item, 5, b.leadersAfter);
        ui::setNumber(item, 6, b.replicasIn);
        ui::setNumber(item, 7, b.replicasOut);
        if (b.bytesIn >= 0)
            ui::setBytes(item, 8, b.bytesIn);
        if (b.bytesOut >= 0)
            ui::setBytes(item, 9, b.bytesOut);
        if (b.replicasAfter != b.replicasBefore) // a broker the plan changes
            for (int c : {3, 6, 7})
                item->setForeground(c, ui::toneColor(ui::Tone::Warning));
    }
    m_brokerTable->setSortingEnabled(true);
}

void RebalancePage::fillMoves(const ReassignmentPlan &plan)
{
    m_moves->setSortingEnabled(false);
    m_moves->clear();
    for (const auto &m : plan.moves) {
        auto *item = new ui::SortableItem(m_moves);
        item->setText(0, qs(m.topic));
        ui::setId(item, 1, m.partition);
        item->setText(2, replicaList(m.before));
        item->setText(3, replicaList(m.after));
        item->setForeground(3, ui::toneColor(ui::Tone::Warning));
        if (m.bytes >= 0)
            ui::setBytes(item, 4, m.bytes);
        ui::setId(item, 5, m.source);
    }
    m_moves->setSortingEnabled(true);
}

QString RebalancePage::command(const char *action) const
{
    return qs(reassignmentCommand(m_snapshot ? m_snapshot->bootstrap : std::string(),
                                  m_savedFile.isEmpty() ? "reassignment.json" : m_savedFile.toStdString(),
                                  QLatin1String(action) == QLatin1String("execute"), m_throttle->value() * 1e6));
}

void RebalancePage::copyCommands()
{
    QApplication::clipboard()->setText(command("execute") + QLatin1Char('\n') + command("verify") + QLatin1Char('\n'));
}

void RebalancePage::saveReassignment()
{
    if (!m_plan)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save reassignment"),
                                                      QStringLiteral("reassignment.json"), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    const QByteArray text = QByteArray::fromStdString(reassignmentJson(*m_plan));
    ui::saveInBackground(this, path, text, [this, path](const QString &error) {
        if (error.isEmpty())
            m_savedFile = path; // the commands copied from now on name it
        setError(error);
    });
}

} // namespace kp
