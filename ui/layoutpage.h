#pragma once

#include "ui/jobs.h"
#include "ui/layoutview.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace kp {

// The Layout page: filters (topic regex, state), colour choice, partition search, the map, and the clicked cell's
// details.
class LayoutPage : public QWidget
{
    Q_OBJECT
public:
    explicit LayoutPage(QWidget *parent = nullptr);
    void setSnapshot(SnapshotPtr snapshot); // checks rack placement on a worker
    // When the rack violations are known already (the Overview computed them for this snapshot).
    void showSnapshot(SnapshotPtr snapshot, const LayoutView::Violations &violations);
    void setRates(PartitionRatesPtr bytesPerSecond);
    LayoutView *view() const { return m_view; }
    // "topic-3" or "topic 3"; false when not found.
    bool search(const QString &text);
    void showPartition(const QString &topic, int partition);

Q_SIGNALS:
    void layoutShown();

private:
    void applyFilter();
    LayoutView *m_view = nullptr;
    QLineEdit *m_topic = nullptr;
    QComboBox *m_state = nullptr;
    QComboBox *m_color = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_count = nullptr;
    ui::JobLane m_job; // the rack check of the newest snapshot
};

} // namespace kp
