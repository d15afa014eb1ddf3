#pragma once
// The cluster the window shows, one object every page subscribes to: the current snapshot and its source, the live
// connection (when there is one), where its lag history is recorded and read, and the session that collects and
// samples. Pages connect to its signals in their constructors; the window only tells it what to open.

#include "models/clustersnapshot.h"
#include "models/connectionprofile.h"
#include "services/clustersession.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

namespace kp {

class ClusterContext : public QObject
{
    Q_OBJECT
public:
    // `storePath`: the store (a SQLite file or a postgresql:// URL) that holds the profiles, the lag history, the
    // reviews and the runs.
    explicit ClusterContext(QString storePath, QObject *parent = nullptr);
    ~ClusterContext() override;

    SnapshotPtr snapshot() const { return m_snapshot; }
    SnapshotSource source() const { return m_snapshot ? m_snapshot->source : SnapshotSource::File; }
    // The connection the shown snapshot was taken on and can be read again through: none for a snapshot file, the
    // demo, or after disconnectCluster(). Set with the first snapshot of a connectTo().
    const std::optional<ConnectionProfile> &connection() const { return m_connection; }
    bool connected() const { return m_connection.has_value(); }
    const QString &storePath() const { return m_storePath; }
    // Where the shown snapshot's lag history is: the store for a live snapshot, "" for a file or the demo (a file's
    // cluster may be one the store has samples of, but they are not the file's).
    QString historyDb() const { return source() == SnapshotSource::Live ? m_storePath : QString(); }
    ClusterSession *session() const { return m_session.get(); } // null without a connection
    bool busy() const { return m_session && m_session->busy(); }

    // Connects (a new session), starts sampling every `samplingSeconds` (0: none) and collects a first snapshot.
    void connectTo(const ConnectionProfile &profile, int samplingSeconds);
    // Closes the connection and stops sampling; the snapshot stays.
    void disconnectCluster();
    // Ends the session without a word to the pages (the window is closing): cancels and joins its worker.
    void close() { m_session.reset(); }
    // Shows a snapshot collected elsewhere (a file, the demo, a test's own collection), with the connection it was
    // taken on or none; an open session ends unless `connection` is kept. A null snapshot changes nothing.
    void show(SnapshotPtr snapshot, std::optional<ConnectionProfile> connection = std::nullopt);
    void refresh();
    void cancel();
    // Sampling faster while a review drill runs (2 s), or at the interval connectTo() was given.
    void sampleFaster(bool faster);
    // Another store from now on (the window's Store… choice, already opened once): sampling goes on into it, and
    // storeChanged tells the pages that read it.
    void setStorePath(const QString &storePath);

    // A light sample the session stored (public for tests): merged into the shown snapshot when that is the live
    // snapshot of the same cluster (sampleMerged, once the merge done on a pool thread is in), then sampleTaken either
    // way (at once when there is nothing to merge into, as when the sample is the shown snapshot: a refresh).
    void addSample(SnapshotPtr sample, qint64 frameBytes);

Q_SIGNALS:
    // A whole snapshot (a refresh, a file, the demo): every page shows it.
    void snapshotChanged(kp::SnapshotPtr snapshot);
    // A light sample merged into the live snapshot (watermarks, sizes, committed offsets): pages that follow every
    // sample (lag, traffic, runs, topics) show the merged snapshot; the others keep the last whole one.
    void sampleMerged(kp::SnapshotPtr snapshot);
    // Every light sample as stored, merged or not (a review drill records them).
    void sampleTaken(kp::SnapshotPtr sample, qint64 frameBytes);
    // The connection was set (a session's first snapshot, or show() with one) or cleared (disconnectCluster(), a file
    // opened): emitted before snapshotChanged.
    void connectionChanged(bool connected);
    // The session's own signals, passed on.
    void progress(const QString &step, qint64 done, qint64 total);
    void busyChanged(bool busy);
    void failed(const QString &message);
    void cancelled();
    void samplingFailed(const QString &message);
    void storeChanged(const QString &storePath);

private:
    // Shows `snapshot` taken on `connection`; `announce`: say connectionChanged first.
    void present(SnapshotPtr snapshot, std::optional<ConnectionProfile> connection, bool announce);

    QString m_storePath;
    SnapshotPtr m_snapshot;
    std::optional<ConnectionProfile> m_connection;
    std::unique_ptr<ClusterSession> m_session;
    int m_samplingSeconds = 0;
    bool m_firstOfSession = false; // the session's first snapshot is still to come
};

} // namespace kp
