#pragma once

#include "models/overview.h"
#include "services/clustercontext.h"
#include "ui/jobs.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace kp {

// Brokers by rack with their load, cluster totals, partition health, rack-awareness violations, risky topics and
// leader/replica skew. The figures are computed off the GUI thread.
class OverviewPage : public QWidget
{
    Q_OBJECT
public:
    // Shows what `context` shows, from its signals.
    explicit OverviewPage(ClusterContext *context, QWidget *parent = nullptr);
    const Overview &overview() const { return m_overview; }
    SnapshotPtr shownSnapshot() const { return m_shown; } // the snapshot overview() belongs to

Q_SIGNALS:
    void overviewShown();
    void partitionActivated(const QString &topic, int partition); // a finding double-clicked: show it in the layout

private:
    void subscribe(ClusterContext *context);
    void setSnapshot(SnapshotPtr snapshot);
    void showOverview(SnapshotPtr snapshot, const Overview &o);
    void showCards(const Overview &o);
    void showBrokers(const ClusterSnapshot &s, const Overview &o);
    void showFindings(const Overview &o);
    QLabel *m_cards = nullptr;
    QLabel *m_skew = nullptr;
    QTreeWidget *m_brokers = nullptr;
    QTreeWidget *m_findings = nullptr;
    Overview m_overview;
    SnapshotPtr m_shown;
    ui::JobLane m_job; // the overview of the newest snapshot
};

} // namespace kp
