#include "ui/overviewpage.h"

#include "models/units.h"
#include "ui/widgetutil.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace kp {

using namespace ui;

namespace {

QString percent(const Skew &s)
{
    if (s.worst.empty())
        return QObject::tr("none");
    return QStringLiteral("%1 % (%2)").arg(s.percent, 0, 'f', 1).arg(qs(s.worst));
}

QString card(const QString &label, const QString &value, bool alarm = false)
{
    return QStringLiteral("<td style='padding:4px 14px 4px 0'><span style='color:#666'>%1</span><br>"
                          "<span style='font-size:15pt;%3'>%2</span></td>")
        .arg(label.toHtmlEscaped(), value.toHtmlEscaped(),
             alarm ? QStringLiteral("color:#b3261e;font-weight:bold") : QString());
}

} // namespace

OverviewPage::OverviewPage(ClusterContext *context, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_cards = new QLabel(this);
    m_cards->setObjectName(QStringLiteral("overviewCards"));
    m_cards->setTextFormat(Qt::RichText);
    m_skew = new QLabel(this);
    m_skew->setObjectName(QStringLiteral("overviewSkew"));
    m_skew->setWordWrap(true);
    m_skew->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_brokers =
        makeTree(splitter, QStringLiteral("brokers"),
                 {tr("Rack / broker"), tr("Address"), tr("Replicas"), tr("Leaders"), tr("Data"), tr("Disk used")});
    m_brokers->setRootIsDecorated(true);
    m_findings = makeTree(splitter, QStringLiteral("findings"), {tr("Finding"), tr("Count / detail")});
    m_findings->setRootIsDecorated(true);
    m_findings->setSortingEnabled(false);
    connect(m_findings, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QVariant topic = item->data(0, Qt::UserRole);
        if (topic.isValid())
            Q_EMIT partitionActivated(topic.toString(), item->data(0, Qt::UserRole + 1).toInt());
    });
    layout->addWidget(m_cards);
    layout->addWidget(m_skew);
    layout->addWidget(splitter, 1);
    subscribe(context);
}

void OverviewPage::subscribe(ClusterContext *context)
{
    connect(context, &ClusterContext::snapshotChanged, this, &OverviewPage::setSnapshot);
}

void OverviewPage::setSnapshot(SnapshotPtr snapshot)
{
    if (!snapshot) {
        m_job.cancel();
        m_brokers->clear();
        m_findings->clear();
        m_cards->clear();
        m_skew->clear();
        return;
    }
    m_job.start(
        this, [snapshot] { return computeOverview(*snapshot); },
        [this, snapshot](const Overview &o) { showOverview(snapshot, o); });
}

void OverviewPage::showOverview(SnapshotPtr snapshot, const Overview &o)
{
    m_overview = o;
    m_shown = snapshot;
    showCards(o);
    showBrokers(*snapshot, o);
    showFindings(o);
    Q_EMIT overviewShown();
}

// The figures at the top, and the skew line.
void OverviewPage::showCards(const Overview &o)
{
    const QString data =
        o.bytes < 0 ? tr("unknown") : (o.bytesEstimated ? QStringLiteral("~") : QString()) + qs(formatBytes(o.bytes));
    m_cards->setText(
        QStringLiteral("<table><tr>") +
        card(tr("Brokers"),
             tr("%1 in %2 racks").arg(o.brokers.size()).arg(o.racksKnown ? QString::number(o.racks.size()) : tr("?"))) +
        card(tr("Topics"), QString::number(o.topics)) +
        card(tr("Partitions"), QLocale().toString(qlonglong(o.partitions))) +
        card(tr("Replicas"), QLocale().toString(qlonglong(o.replicas))) +
        card(o.bytesEstimated ? tr("Data (estimated)") : tr("Data on disk"), data) +
        card(tr("Under-replicated"), QString::number(o.underReplicated.size()), !o.underReplicated.empty()) +
        card(tr("Under min ISR"), QString::number(o.underMinIsr.size()), !o.underMinIsr.empty()) +
        card(tr("Offline"), QString::number(o.offline.size()), !o.offline.empty()) +
        card(tr("Rack violations"), o.racksKnown ? QString::number(o.rackViolations.size()) : tr("unknown"),
             !o.rackViolations.empty()) +
        card(tr("Risky topics"), QString::number(o.riskyTopics.size()), !o.riskyTopics.empty()) +
        QStringLiteral("</tr></table>"));
    m_skew->setText(tr("<b>Skew</b> (how far the most loaded is above the mean: (max − mean) / mean; racks per broker "
                       "of the rack). Leaders: brokers %1, racks %2. Replicas: brokers %3, racks %4.")
                        .arg(percent(o.leaderSkewBrokers), o.racksKnown ? percent(o.leaderSkewRacks) : tr("unknown"),
                             percent(o.replicaSkewBrokers),
                             o.racksKnown ? percent(o.replicaSkewRacks) : tr("unknown")));
}

// Racks, each with its brokers: replicas, leaders, data, disk use.
void OverviewPage::showBrokers(const ClusterSnapshot &s, const Overview &o)
{
    m_brokers->setSortingEnabled(false);
    m_brokers->clear();
    std::map<std::string, QTreeWidgetItem *> rackItems;
    for (const auto &r : o.racks) {
        auto *item = new SortableItem(m_brokers);
        item->setText(0, r.rack == "?" ? tr("rack unknown") : tr("rack %1").arg(qs(r.rack)));
        item->setText(1, tr("%n broker(s)", nullptr, r.brokers));
        setNumber(item, 2, r.replicas);
        setNumber(item, 3, r.leaders);
        if (o.bytes >= 0)
            setBytes(item, 4, r.bytes, o.bytesEstimated);
        QFont f = item->font(0);
        f.setBold(true);
        for (int c = 0; c < 5; ++c)
            item->setFont(c, f);
        item->setExpanded(true);
        rackItems[r.rack] = item;
    }
    for (const auto &l : o.brokers) {
        const BrokerInfo *b = s.broker(l.id);
        auto *item = new SortableItem(rackItems[l.rack]);
        item->setText(0, tr("broker %1").arg(l.id));
        item->setData(0, Qt::UserRole, l.id);
        item->setText(1, qs(b->host) + QLatin1Char(':') + QString::number(b->port));
        setNumber(item, 2, l.replicas);
        setNumber(item, 3, l.leaders);
        if (l.bytesKnown)
            setBytes(item, 4, l.bytes, o.bytesEstimated && !b->logDirsKnown);
        else
            item->setText(4, tr("unknown"));
        int64_t total = 0, usable = 0;
        for (const auto &d : b->logDirs) {
            total += std::max<int64_t>(0, d.totalBytes);
            usable += std::max<int64_t>(0, d.usableBytes);
        }
        item->setText(5, total > 0 ? tr("%1 of %2 (%3%)")
                                         .arg(qs(formatBytes(total - usable)), qs(formatBytes(total)))
                                         .arg(100.0 * double(total - usable) / double(total), 0, 'f', 1)
                                   : tr("unknown"));
    }
    m_brokers->expandAll();
    m_brokers->setSortingEnabled(true);
}

// What needs a look: offline, under min ISR, under-replicated, rack violations, stalled uploads, risky topics.
void OverviewPage::showFindings(const Overview &o)
{
    m_findings->clear();
    auto section = [this](const QString &title, const std::vector<PartitionRef> &refs, const QString &why) {
        auto *top = new QTreeWidgetItem(m_findings);
        top->setText(0, title);
        top->setText(1, refs.empty() ? tr("none") : QString::number(refs.size()));
        top->setToolTip(0, why);
        // At most 1,000 rows each: the count says how many there are.
        for (size_t i = 0; i < refs.size() && i < 1000; ++i) {
            auto *item = new QTreeWidgetItem(top);
            item->setText(0, QStringLiteral("%1-%2").arg(qs(refs[i].topic)).arg(refs[i].partition));
            item->setData(0, Qt::UserRole, qs(refs[i].topic));
            item->setData(0, Qt::UserRole + 1, refs[i].partition);
            item->setText(1, qs(refs[i].detail));
            item->setToolTip(1, qs(refs[i].detail)); // long details are cut at the column's edge
        }
        top->setExpanded(!refs.empty() && refs.size() <= 20);
    };
    section(tr("Offline partitions"), o.offline, tr("No leader: nothing can be read or written"));
    section(tr("Under min ISR"), o.underMinIsr,
            tr("Fewer in-sync replicas than min.insync.replicas: producers with acks=all fail"));
    section(tr("Under-replicated partitions"), o.underReplicated, tr("A replica is out of sync"));
    section(tr("Rack-awareness violations"), o.rackViolations,
            tr("Replicas share a rack while the cluster has racks to spare: one zone outage takes more than one copy"));
    section(tr("Tiered uploads that appear stalled"), o.tieredUploadsStalled,
            tr("A tiered partition keeps more on local disk than its local.retention.bytes plus three segments: its "
               "segments are not reaching the remote tier, and the local disks fill as if it were not tiered"));
    auto *risky = new QTreeWidgetItem(m_findings);
    risky->setText(0, tr("Topics with RF < 3 or min.insync.replicas < 2"));
    risky->setText(1, o.riskyTopics.empty() ? tr("none") : QString::number(o.riskyTopics.size()));
    for (const auto &t : o.riskyTopics) {
        auto *item = new QTreeWidgetItem(risky);
        item->setText(0, qs(t.topic));
        item->setText(1, qs(t.reason));
    }
    risky->setExpanded(o.riskyTopics.size() <= 20);
    m_findings->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
}

} // namespace kp
