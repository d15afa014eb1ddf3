#include "services/clustercontext.h"
#include "services/freedoffgui.h"

#include "services/issuelog.h"

#include <QFutureWatcher>
#include <QPromise>
#include <utility>

namespace kp {

namespace {
constexpr int kDrillSamplingSeconds = 2;
}

ClusterContext::ClusterContext(QString storePath, QObject *parent) : QObject(parent), m_storePath(std::move(storePath))
{}

ClusterContext::~ClusterContext() = default;

void ClusterContext::connectTo(const ConnectionProfile &profile, int samplingSeconds)
{
    m_session = std::make_unique<ClusterSession>(profile);
    ClusterSession *s = m_session.get();
    connect(s, &ClusterSession::progress, this, &ClusterContext::progress);
    connect(s, &ClusterSession::busyChanged, this, &ClusterContext::busyChanged);
    connect(s, &ClusterSession::failed, this, &ClusterContext::failed);
    connect(s, &ClusterSession::cancelled, this, &ClusterContext::cancelled);
    connect(s, &ClusterSession::samplingFailed, this, [this, s](const QString &message) {
        IssueLog::instance().report(tr("sampling"), QString::fromStdString(s->profile().name), message);
        Q_EMIT samplingFailed(message);
    });
    connect(s, &ClusterSession::sampleRecorded, this, &ClusterContext::addSample);
    // The connection goes with the snapshot taken on it: until the first arrives, the one shown keeps its own. Said
    // once per session, with its first snapshot: a refresh on the same connection is not a new one.
    m_firstOfSession = true;
    connect(s, &ClusterSession::snapshotReady, this, [this, s](SnapshotPtr snapshot) {
        present(std::move(snapshot), s->profile(), std::exchange(m_firstOfSession, false));
    });
    m_samplingSeconds = samplingSeconds;
    if (samplingSeconds > 0)
        s->startSampling(m_storePath, samplingSeconds);
    s->refresh();
}

void ClusterContext::disconnectCluster()
{
    if (!m_session)
        return;
    m_session.reset(); // cancels a refresh, stops sampling and joins the worker
    if (std::exchange(m_connection, std::nullopt))
        Q_EMIT connectionChanged(false);
    Q_EMIT busyChanged(false);
}

void ClusterContext::show(SnapshotPtr snapshot, std::optional<ConnectionProfile> connection)
{
    if (!snapshot)
        return;
    if (!connection)
        m_session.reset();
    const bool connectionChanges = connection.has_value() || m_connection.has_value();
    present(std::move(snapshot), std::move(connection), connectionChanges);
}

void ClusterContext::present(SnapshotPtr snapshot, std::optional<ConnectionProfile> connection, bool announce)
{
    m_snapshot = std::move(snapshot);
    m_connection = std::move(connection);
    if (announce)
        Q_EMIT connectionChanged(m_connection.has_value());
    IssueLog::instance().setSnapshotProblems(m_snapshot->problems);
    Q_EMIT snapshotChanged(m_snapshot);
}

void ClusterContext::refresh()
{
    if (m_session && !m_session->busy())
        m_session->refresh();
}

void ClusterContext::cancel()
{
    if (m_session)
        m_session->cancel();
}

void ClusterContext::sampleFaster(bool faster)
{
    if (m_session && m_session->sampling())
        m_session->startSampling(m_storePath, faster ? kDrillSamplingSeconds : m_samplingSeconds);
}

void ClusterContext::setStorePath(const QString &storePath)
{
    if (storePath == m_storePath)
        return;
    m_storePath = storePath;
    if (m_session && m_session->sampling())
        m_session->startSampling(m_storePath, m_samplingSeconds);
    Q_EMIT storeChanged(m_storePath);
}

void ClusterContext::addSample(SnapshotPtr sample, qint64 frameBytes)
{
    // Nothing to merge into: another cluster's snapshot, a file, or the refresh that is this very sample (a refresh is
    // a sample too; the pages had it as a whole snapshot).
    if (!m_snapshot || m_snapshot == sample || m_snapshot->clusterId != sample->clusterId ||
        m_snapshot->source != SnapshotSource::Live) {
        Q_EMIT sampleTaken(sample, frameBytes);
        return;
    }
    // The merge copies the whole snapshot (at 50,000 partitions and 200,000 committed offsets the GUI thread froze
    // for 100-300 ms at every sample: tests/bench/stall-bench.sh): on a pool thread, taken when the snapshot it
    // merged into is still the one shown (a refresh in between wins).
    const SnapshotPtr base = m_snapshot;
    auto promise = std::make_shared<QPromise<SnapshotPtr>>();
    auto *watcher = new QFutureWatcher<SnapshotPtr>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, base, sample, frameBytes] {
        watcher->deleteLater();
        if (m_snapshot == base && watcher->future().resultCount() == 1) {
            m_snapshot = watcher->result();
            Q_EMIT sampleMerged(m_snapshot);
        }
        Q_EMIT sampleTaken(sample, frameBytes);
    });
    watcher->setFuture(promise->future());
    startOnWorkPool([promise, base, sample] {
        promise->start();
        promise->addResult(shareFreedOffGuiThread(withSample(*base, *sample)));
        promise->finish();
    });
}

} // namespace kp
