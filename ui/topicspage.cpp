#include "ui/topicspage.h"

#include "models/qtstrings.h"
#include "models/units.h"
#include "ui/widgetutil.h"

#include <QHash>
#include <QHeaderView>
#include <algorithm>
#include <limits>
#include <utility>

namespace kp {

using ui::setBytes;
using ui::setNumber;

namespace {

// A duration config (retention.ms, local.retention.ms) as a person reads it, sorted by its value, the raw value in the
// tooltip: -1 keeps forever, -2 (local) as long as retention.ms.
void setDuration(QTreeWidgetItem *item, int column, const char *key, const QString &raw)
{
    bool ok = false;
    const qint64 ms = raw.toLongLong(&ok);
    QString text = raw;
    if (ok && ms == -1)
        text = QObject::tr("forever");
    else if (ok && ms == -2)
        text = QObject::tr("= retention");
    else if (ok && ms >= 0)
        text = qs(formatDuration(ms));
    item->setText(column, text);
    if (ok)
        item->setData(column, Qt::UserRole, ms < 0 ? std::numeric_limits<qlonglong>::max() : qlonglong(ms));
    if (!raw.isEmpty())
        item->setToolTip(column, QStringLiteral("%1 = %2").arg(QLatin1String(key), raw));
}

} // namespace

TopicsPage::TopicsPage(ClusterContext *context, QWidget *parent) : QTreeWidget(parent)
{
    ui::setUpTree(this, QStringLiteral("topics"),
                  {tr("Topic"), tr("Partitions"), tr("RF"), tr("Messages"), tr("Size"), tr("Under-replicated"),
                   tr("Offline"), tr("Retention"), tr("cleanup.policy"), tr("min.insync.replicas"), tr("Remote only"),
                   tr("Local retention")});
    headerItem()->setToolTip(7, tr("retention.ms: how long the topic keeps its data (the raw value in each tooltip)"));
    headerItem()->setToolTip(11, tr("local.retention.ms: how long tiered topics keep data on the brokers' disks"));
    headerItem()->setToolTip(4, tr("One copy of the topic on the brokers' disks (the local log)"));
    headerItem()->setToolTip(
        10,
        tr("Tiered topics (remote.storage.enable): the data in the remote tier only, below the first local offset"));
    connect(this, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { Q_EMIT topicActivated(item->text(0)); });
    // Messages and sizes move with every sample, as on the Lag page; the chosen topic stays chosen. A hidden page
    // updates its rows when it is next shown: 500 topics' rows updated in place took the GUI thread for 16-40 ms at
    // every sample and refresh.
    auto follow = [this](SnapshotPtr snapshot) {
        if (isVisible()) {
            m_unshown.reset();
            fill(*snapshot);
        } else {
            m_unshown = std::move(snapshot);
        }
    };
    connect(context, &ClusterContext::snapshotChanged, this, follow);
    connect(context, &ClusterContext::sampleMerged, this, follow);
}

void TopicsPage::showEvent(QShowEvent *event)
{
    QTreeWidget::showEvent(event);
    if (const SnapshotPtr sample = std::exchange(m_unshown, nullptr))
        fill(*sample);
}

void TopicsPage::fill(const ClusterSnapshot &s)
{
    const QString chosen = currentItem() ? currentItem()->text(0) : QString();
    setSortingEnabled(false);
    // Columns fitted when the rows are built, not as cells change: fitting them at every change measured 100 rows'
    // text per cell (a sample's update of 507 topics held the GUI thread for 40 s), and at every sample 50-90 ms.
    header()->setSectionResizeMode(QHeaderView::Interactive);
    // The same topics as shown (every sample, most refreshes): their rows updated in place, the view's scroll
    // position and selection untouched; otherwise built anew.
    QHash<QString, QTreeWidgetItem *> rows;
    for (int i = 0; i < topLevelItemCount(); ++i)
        rows.insert(topLevelItem(i)->text(0), topLevelItem(i));
    const bool sameTopics =
        rows.size() == qsizetype(s.topics.size()) &&
        std::all_of(s.topics.begin(), s.topics.end(), [&](const TopicInfo &t) { return rows.contains(qs(t.name)); });
    if (sameTopics) {
        for (const auto &t : s.topics)
            updateRow(rows.value(qs(t.name)), t);
    } else {
        clear();
        for (const auto &t : s.topics)
            setRow(new ui::SortableItem(this), t);
        header()->resizeSections(QHeaderView::ResizeToContents);
    }
    setSortingEnabled(true);
    if (const auto found = findItems(chosen, Qt::MatchExactly, 0); !chosen.isEmpty() && !found.isEmpty())
        setCurrentItem(found.front());
}

// Built apart from the tree (a cell set there emits nothing), then only what differs is set on the shown row: at a
// sample most cells say what they said (setting all of them, each cleared first, took 16 ms at 500 topics).
void TopicsPage::updateRow(QTreeWidgetItem *item, const TopicInfo &t)
{
    QTreeWidgetItem fresh;
    setRow(&fresh, t);
    for (int c = 0; c < columnCount(); ++c)
        for (const int role :
             {int(Qt::DisplayRole), int(Qt::UserRole), int(Qt::ToolTipRole), int(Qt::TextAlignmentRole)})
            if (QVariant v = fresh.data(c, role); item->data(c, role) != v)
                item->setData(c, role, std::move(v));
}

void TopicsPage::setRow(QTreeWidgetItem *item, const TopicInfo &t)
{
    auto cfg = [&](const char *k) {
        auto it = t.configs.find(k);
        return !t.configsKnown ? tr("unknown") : it == t.configs.end() ? QString() : qs(it->second);
    };
    item->setText(0, qs(t.name));
    setNumber(item, 1, qint64(t.partitions.size()));
    setNumber(item, 2, t.replicationFactor());
    if (const int64_t messages = t.messageCount(); messages >= 0)
        setNumber(item, 3, messages);
    else
        item->setText(3, tr("unknown"));
    if (const int64_t size = t.sizeBytes(); size >= 0)
        setBytes(item, 4, size, t.sizeEstimated());
    else
        item->setText(4, tr("unknown"));
    setNumber(item, 5, t.underReplicatedCount());
    setNumber(item, 6, t.offlineCount());
    setDuration(item, 7, "retention.ms", cfg("retention.ms"));
    item->setText(8, cfg("cleanup.policy"));
    item->setText(9, cfg("min.insync.replicas"));
    if (!t.tiered())
        return;
    const int64_t offsets = t.remoteOnlyOffsets();
    if (const int64_t bytes = t.remoteBytesEstimate(); bytes >= 0) {
        setBytes(item, 10, bytes, true);
        item->setToolTip(10, tr("About %L1 bytes in %L2 offsets held in the remote tier only: the offsets from the log "
                                "start to the first local one (ListOffsets -4), times the bytes per offset of sampled "
                                "record batches")
                                 .arg(qlonglong(bytes))
                                 .arg(qlonglong(offsets)));
    } else {
        item->setText(10, offsets >= 0 ? tr("%L1 offsets").arg(qlonglong(offsets)) : tr("unknown"));
    }
    // Only tiered topics have a local retention.
    setDuration(item, 11, "local.retention.ms", cfg("local.retention.ms"));
}

} // namespace kp
