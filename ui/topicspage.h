#pragma once

#include "services/clustercontext.h"

#include <QTreeWidget>

namespace kp {

// The Topics page: one row per topic of the shown snapshot (partitions, RF, messages, size, replica health, the
// configs that matter for replays); for tiered topics the data held in the remote tier only, estimated.
class TopicsPage : public QTreeWidget
{
    Q_OBJECT
public:
    explicit TopicsPage(ClusterContext *context, QWidget *parent = nullptr);

Q_SIGNALS:
    void topicActivated(const QString &topic); // Enter or a double click: its groups and their lag

protected:
    void showEvent(QShowEvent *event) override;

private:
    void fill(const ClusterSnapshot &s);
    void setRow(QTreeWidgetItem *item, const TopicInfo &t);    // every column of the topic's row, in a new item
    void updateRow(QTreeWidgetItem *item, const TopicInfo &t); // a shown row: only the cells that changed

    SnapshotPtr m_unshown; // the newest snapshot or sample while the page is hidden: its rows follow when shown
};

} // namespace kp
