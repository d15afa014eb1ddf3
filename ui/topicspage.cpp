#include "ui/topicspage.h"

#include "models/qtstrings.h"
#include "ui/widgetutil.h"

namespace kp {

using ui::setBytes;
using ui::setNumber;

TopicsPage::TopicsPage(ClusterContext *context, QWidget *parent) : QTreeWidget(parent)
{
    ui::setUpTree(this, QStringLiteral("topics"),
                  {tr("Topic"), tr("Partitions"), tr("RF"), tr("Messages"), tr("Size"), tr("Under-replicated"),
                   tr("Offline"), tr("retention.ms"), tr("cleanup.policy"), tr("min.insync.replicas"),
                   tr("Remote only"), tr("local.retention.ms")});
    headerItem()->setToolTip(4, tr("One copy of the topic on the brokers' disks (the local log)"));
    headerItem()->setToolTip(
        10,
        tr("Tiered topics (remote.storage.enable): the data in the remote tier only, below the first local offset"));
    connect(this, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { Q_EMIT topicActivated(item->text(0)); });
    // Messages and sizes move with every sample, as on the Lag page; the chosen topic stays chosen.
    auto show = [this](SnapshotPtr snapshot) { fill(*snapshot); };
    connect(context, &ClusterContext::snapshotChanged, this, show);
    connect(context, &ClusterContext::sampleMerged, this, show);
}

void TopicsPage::fill(const ClusterSnapshot &s)
{
    const QString chosen = currentItem() ? currentItem()->text(0) : QString();
    setSortingEnabled(false);
    clear();
    for (const auto &t : s.topics)
        addTopic(t);
    setSortingEnabled(true);
    if (const auto found = findItems(chosen, Qt::MatchExactly, 0); !chosen.isEmpty() && !found.isEmpty())
        setCurrentItem(found.front());
}

void TopicsPage::addTopic(const TopicInfo &t)
{
    auto *item = new ui::SortableItem(this);
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
    item->setText(7, cfg("retention.ms"));
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
    // -2: the local log keeps as long as the topic (retention.ms); only tiered topics have a local retention.
    const QString local = cfg("local.retention.ms");
    item->setText(11, local == QStringLiteral("-2") ? tr("-2 (= retention.ms)") : local);
}

} // namespace kp
