#pragma once

#include "models/clustersnapshot.h"
#include "models/connectionprofile.h"

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>

namespace kp {

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
    bool sampling() const { return m_sampling; }

public Q_SLOTS:
    void refresh();
    void cancel();
    // Records a light sample into the lag history at `dbPath` every interval (and every refresh), downsampling as it
    // goes, until stopSampling() or the session ends. Failures come out as samplingFailed; sampling goes on.
    void startSampling(const QString &dbPath, int intervalSeconds);
    void stopSampling();

Q_SIGNALS:
    void progress(const QString &step, qint64 done, qint64 total);
    void snapshotReady(kp::SnapshotPtr snapshot);
    void failed(const QString &message);
    void cancelled(); // a refresh stopped by cancel(): nothing failed
    void busyChanged(bool busy);
    // A light sample (no configs) was stored: its watermarks, sizes and group offsets are current.
    void sampleRecorded(kp::SnapshotPtr sample, qint64 frameBytes);
    void samplingFailed(const QString &message);

private:
    ConnectionProfile m_profile;
    QThread m_thread;
    SessionWorker *m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<bool>> m_stopSampling;
    bool m_busy = false;
    bool m_sampling = false;
};

} // namespace kp

Q_DECLARE_METATYPE(kp::SnapshotPtr)
