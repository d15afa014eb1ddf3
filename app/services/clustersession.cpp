#include "services/clustersession.h"
#include "services/freedoffgui.h"

#include "kafka/kafkaclient.h"
#include "kafka/snapshotcollector.h"
#include "models/cancelled.h"
#include "models/freedmemory.h"

#include "services/sampler.h"

#include <QMetaObject>
#include <QTimer>

namespace kp {

// Lives on the session's thread; owns the client so that every librdkafka call happens there.
class SessionWorker : public QObject
{
    Q_OBJECT
public:
    SessionWorker(ConnectionProfile profile, std::shared_ptr<std::atomic<bool>> cancel,
                  std::shared_ptr<std::atomic<bool>> stopSampling)
        : m_profile(std::move(profile)), m_cancel(std::move(cancel)), m_stopSampling(std::move(stopSampling))
    {}

public Q_SLOTS:
    void collect()
    {
        try {
            // One client per refresh, as for samples: nothing carried across a broker's failure.
            KafkaClient client(m_profile, "app");
            CollectOptions options;
            options.timeoutMs = m_profile.timeoutMs;
            SnapshotCollector collector(client, options);
            auto snapshot = shareFreedOffGuiThread(collector.collect(m_cancel.get(), [this](const CollectProgress &p) {
                Q_EMIT progress(QString::fromStdString(p.step), p.done, p.total);
            }));
            Q_EMIT ready(snapshot);
            if (m_timer && m_timer->isActive()) {
                record(snapshot); // a full refresh is a sample too: the next one is an interval after it
                m_timer->start();
            }
        } catch (const Cancelled &) {
            Q_EMIT cancelled();
        } catch (const std::exception &e) {
            Q_EMIT failed(QString::fromStdString(e.what()));
        }
    }

    void startSampling(const QString &dbPath, int intervalMs)
    {
        if (dbPath != m_dbPath)
            m_sampler.reset();
        m_dbPath = dbPath;
        m_stopSampling->store(false);
        if (!m_timer) {
            m_timer = new QTimer(this);
            connect(m_timer, &QTimer::timeout, this, &SessionWorker::sample);
        }
        m_timer->start(intervalMs);
    }

    void stopSampling()
    {
        if (m_timer)
            m_timer->stop();
        m_sampler.reset();
    }

    // A light sample (watermarks, sizes, committed offsets; no configs) into the store, then downsampling.
    void sample()
    {
        if (m_stopSampling->load())
            return;
        // What the last sample's pages built and let go (a large cluster's lag tables and history copies, hundreds of
        // MB) goes back to the system, rather than staying in the process as free heap glibc keeps.
        giveBackFreedMemory();
        try {
            KafkaClient client(m_profile, "app-sampler"); // let go last, as in collect(): its destroy can take 1 s
            record(shareFreedOffGuiThread(Sampler::collect(client, m_profile.timeoutMs, m_stopSampling.get())));
        } catch (const Cancelled &) {
            // sampling stopped on purpose: nothing stored, nothing failed
        } catch (const std::exception &e) {
            Q_EMIT samplingFailed(QString::fromStdString(e.what()));
        }
    }

Q_SIGNALS:
    void progress(const QString &step, qint64 done, qint64 total);
    void ready(kp::SnapshotPtr snapshot);
    void failed(const QString &message);
    void cancelled();
    void sampleRecorded(kp::SnapshotPtr sample, qint64 frameBytes);
    void samplingFailed(const QString &message);

private:
    // Into the lag history, downsampled once the pages have the sample; a store that fails is said, sampling goes on.
    void record(const SnapshotPtr &sample)
    {
        try {
            if (!m_sampler)
                m_sampler = std::make_unique<Sampler>(m_dbPath);
            if (const auto frameBytes = m_sampler->recordFrame(*sample)) {
                Q_EMIT sampleRecorded(sample, qint64(*frameBytes));
                m_sampler->compact(*sample);
            }
        } catch (const std::exception &e) {
            Q_EMIT samplingFailed(QString::fromStdString(e.what()));
        }
    }

    ConnectionProfile m_profile;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<bool>> m_stopSampling;
    QString m_dbPath;
    QTimer *m_timer = nullptr;
    std::unique_ptr<Sampler> m_sampler; // the store, opened at the first sample
};

ClusterSession::ClusterSession(const ConnectionProfile &profile, QObject *parent)
    : QObject(parent), m_profile(profile), m_cancel(std::make_shared<std::atomic<bool>>(false)),
      m_stopSampling(std::make_shared<std::atomic<bool>>(false))
{
    qRegisterMetaType<kp::SnapshotPtr>();
    m_worker = new SessionWorker(profile, m_cancel, m_stopSampling);
    connect(m_worker, &SessionWorker::sampleRecorded, this, &ClusterSession::sampleRecorded);
    connect(m_worker, &SessionWorker::samplingFailed, this, &ClusterSession::samplingFailed);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SessionWorker::progress, this, &ClusterSession::progress);
    connect(m_worker, &SessionWorker::ready, this, [this](SnapshotPtr s) {
        m_busy = false;
        Q_EMIT busyChanged(false);
        Q_EMIT snapshotReady(std::move(s));
    });
    connect(m_worker, &SessionWorker::failed, this, [this](const QString &message) {
        m_busy = false;
        Q_EMIT busyChanged(false);
        Q_EMIT failed(message);
    });
    connect(m_worker, &SessionWorker::cancelled, this, [this] {
        m_busy = false;
        Q_EMIT busyChanged(false);
        Q_EMIT cancelled();
    });
    m_thread.setObjectName(QStringLiteral("kafka-session"));
    m_thread.start();
}

ClusterSession::~ClusterSession()
{
    m_cancel->store(true);
    m_stopSampling->store(true);
    m_thread.requestInterruption();
    m_thread.quit();
    m_thread.wait();
}

void ClusterSession::refresh()
{
    if (m_busy)
        return;
    m_busy = true;
    m_cancel->store(false);
    Q_EMIT busyChanged(true);
    QMetaObject::invokeMethod(m_worker, "collect", Qt::QueuedConnection);
}

void ClusterSession::cancel()
{
    m_cancel->store(true);
}

void ClusterSession::startSampling(const QString &dbPath, int intervalSeconds)
{
    m_sampling = true;
    QMetaObject::invokeMethod(m_worker, "startSampling", Qt::QueuedConnection, Q_ARG(QString, dbPath),
                              Q_ARG(int, intervalSeconds * 1000));
}

void ClusterSession::stopSampling()
{
    m_sampling = false;
    m_stopSampling->store(true); // a sample under way stops at its next step
    QMetaObject::invokeMethod(m_worker, "stopSampling", Qt::QueuedConnection);
}

} // namespace kp

#include "clustersession.moc"
