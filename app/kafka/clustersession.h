#pragma once

#include "clustersnapshot.h"
#include "connectionprofile.h"

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>

namespace kp {

using SnapshotPtr = std::shared_ptr<const ClusterSnapshot>;

class SessionWorker;

// One connected cluster: a long-lived worker on its own thread that owns the librdkafka client. Requests go in as
// queued calls, snapshots come out as immutable shared values. Cancel is immediate from any thread.
class ClusterSession : public QObject
{
    Q_OBJECT
public:
    explicit ClusterSession(const ConnectionProfile &profile, QObject *parent = nullptr);
    ~ClusterSession() override;

    const ConnectionProfile &profile() const { return m_profile; }
    bool busy() const { return m_busy; }

public Q_SLOTS:
    void refresh();
    void cancel();

Q_SIGNALS:
    void progress(const QString &step, qint64 done, qint64 total);
    void snapshotReady(kp::SnapshotPtr snapshot);
    void failed(const QString &message);
    void busyChanged(bool busy);

private:
    ConnectionProfile m_profile;
    QThread m_thread;
    SessionWorker *m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_busy = false;
};

} // namespace kp

Q_DECLARE_METATYPE(kp::SnapshotPtr)
