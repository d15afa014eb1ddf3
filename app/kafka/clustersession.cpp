#include "clustersession.h"

#include "kafkaclient.h"
#include "snapshotcollector.h"

#include <QMetaObject>

namespace kp {

// Lives on the session's thread; owns the client so that every librdkafka call happens there.
class SessionWorker : public QObject
{
    Q_OBJECT
public:
    SessionWorker(ConnectionProfile profile, std::shared_ptr<std::atomic<bool>> cancel)
        : m_profile(std::move(profile)), m_cancel(std::move(cancel))
    {}

public Q_SLOTS:
    void collect()
    {
        try {
            if (!m_client)
                m_client = std::make_unique<KafkaClient>(m_profile, "app");
            CollectOptions options;
            options.timeoutMs = m_profile.timeoutMs;
            SnapshotCollector collector(*m_client, options);
            auto snapshot =
                std::make_shared<ClusterSnapshot>(collector.collect(m_cancel.get(), [this](const CollectProgress &p) {
                    Q_EMIT progress(QString::fromStdString(p.step), p.done, p.total);
                }));
            Q_EMIT ready(std::move(snapshot));
        } catch (const std::exception &e) {
            // A failed connect leaves librdkafka retrying in the background: start afresh next time.
            m_client.reset();
            Q_EMIT failed(QString::fromStdString(e.what()));
        }
    }

Q_SIGNALS:
    void progress(const QString &step, qint64 done, qint64 total);
    void ready(kp::SnapshotPtr snapshot);
    void failed(const QString &message);

private:
    ConnectionProfile m_profile;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::unique_ptr<KafkaClient> m_client;
};

ClusterSession::ClusterSession(const ConnectionProfile &profile, QObject *parent)
    : QObject(parent), m_profile(profile), m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    qRegisterMetaType<kp::SnapshotPtr>();
    m_worker = new SessionWorker(profile, m_cancel);
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
    m_thread.setObjectName(QStringLiteral("kafka-session"));
    m_thread.start();
}

ClusterSession::~ClusterSession()
{
    m_cancel->store(true);
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

} // namespace kp

#include "clustersession.moc"
