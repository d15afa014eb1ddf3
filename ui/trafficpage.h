#pragma once

#include "models/traffic.h"
#include "services/clustercontext.h"
#include "ui/jobs.h"

#include <QWidget>
#include <memory>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QTableWidget;
class QTreeWidget;

namespace kp {

class EndsWindow;

// The Traffic page: AZ x AZ matrices of bytes/s and money per month for producers -> leaders, replication and
// consumers <- leaders or followers, from the real placement and the recorded rates; a per-topic breakdown; whether
// follower fetching is on and what it would save. Rates are read and computed off the GUI thread.
class TrafficPage : public QWidget
{
    Q_OBJECT
public:
    // Shows what `context` shows, from its signals.
    explicit TrafficPage(ClusterContext *context, QWidget *parent = nullptr);
    void reload();
    const Traffic *traffic() const { return m_traffic.get(); }
    void setClientAzRules(const QString &rules); // "10.1.0.0/16=az-a, 10.2.0.0/16=az-b"
    void setPricePerGB(double price);

Q_SIGNALS:
    void trafficShown();

protected:
    // In the window, the page computes only while it is shown; showing it again computes from the newest snapshot.
    void showEvent(QShowEvent *event) override;
    // Lets go of the ends it followed (~26 MB on 50,000 partitions and 200,000 group series).
    void hideEvent(QHideEvent *event) override;

private:
    void subscribe(ClusterContext *context);
    std::string m_rulesFrom; // the profile whose client AZ rules the field was given
    // `historyDb` empty: no recorded rates (a snapshot file, the demo).
    void setSnapshot(SnapshotPtr snapshot, const QString &historyDb);
    bool paused() const { return parentWidget() && !isVisible(); } // a page of the window, not shown
    void showTraffic(std::shared_ptr<const Traffic> traffic, const QString &note);
    void fillMatrix(QTableWidget *table, const FlowMatrix &m);

    SnapshotPtr m_snapshot;
    QString m_historyDb;
    std::shared_ptr<const Traffic> m_traffic;
    QDoubleSpinBox *m_price = nullptr;
    QLineEdit *m_rules = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_note = nullptr;
    QTableWidget *m_matrices[3] = {};
    QLabel *m_assumptions[3] = {};
    QTreeWidget *m_topics = nullptr;
    ui::SerialLane m_job;                 // the computation, one at a time
    std::shared_ptr<EndsWindow> m_window; // the rates' window, following the samples while the page is shown
    bool m_stale = false;                 // asked while paused: computed when shown
};

} // namespace kp
