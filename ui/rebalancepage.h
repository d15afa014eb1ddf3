#pragma once

#include "models/reassignment.h"
#include "services/clustercontext.h"
#include "ui/jobs.h"
#include "ui/layoutview.h"

#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace kp {

// The Rebalance page: a reassignment plan for the cluster shown (models/reassignment.h): the goal (even out, add
// brokers, remove one, fix racks), the throttle, then per broker the replicas and leaders before and after and the
// bytes in and out, the partitions that move with their replicas before and after, the layout map before and after
// (the replicas that leave, and arrive, outlined; totals per broker and rack in the maps' headers), the cross-AZ bytes
// and money and the time under the throttle. The plan is computed off the GUI thread; the page never executes it: it
// saves the kafka-reassign-partitions file and copies the commands.
class RebalancePage : public QWidget
{
    Q_OBJECT
public:
    explicit RebalancePage(ClusterContext *context, QWidget *parent = nullptr);

    // What "Plan" does with the fields' values; also for tests.
    void plan();
    const std::optional<ReassignmentPlan> &shown() const { return m_plan; }
    // The layout maps before and after the plan shown (for tests).
    LayoutView *mapBefore() const { return m_before; }
    LayoutView *mapAfter() const { return m_after; }
    QString lastError() const;

Q_SIGNALS:
    void planShown();
    void failed(const QString &message);

private:
    // The goal the fields describe; std::invalid_argument naming the field when they do not make one.
    ReassignGoal goal() const;
    struct Planned; // a plan with its layout after and the maps' marks, made on a worker
    void showPlan(const Planned &planned);
    void showMaps(const Planned &planned);
    void applyMapFilter();
    void fillBrokers(const ReassignmentPlan &plan);
    void fillMoves(const ReassignmentPlan &plan);
    void saveReassignment();
    void copyCommands();
    QString command(const char *action) const;
    void setError(const QString &message);
    void goalChanged();

    SnapshotPtr m_snapshot;
    std::optional<ReassignmentPlan> m_plan;
    ui::JobLane m_job;
    QComboBox *m_goal = nullptr;
    QLineEdit *m_brokers = nullptr;
    QDoubleSpinBox *m_throttle = nullptr;
    QPushButton *m_run = nullptr, *m_save = nullptr, *m_copy = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_error = nullptr;
    QTreeWidget *m_brokerTable = nullptr;
    QTreeWidget *m_moves = nullptr;
    LayoutView *m_before = nullptr, *m_after = nullptr;
    QCheckBox *m_movedOnly = nullptr;
    QString m_savedFile; // where Save reassignment… last wrote, named by the copied commands
};

} // namespace kp
