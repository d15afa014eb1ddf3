#pragma once
// The tests' OpenLineage endpoint (tests/openlineage/receiver.sh): a real HTTP receiver on loopback that parses every
// event with the official OpenLineage Java client, started and stopped by the test. events() gives each event it took,
// as the client re-serialised it, with the Authorization header it came with.

#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <nlohmann/json.hpp>
#include <vector>

namespace kp::test {

class LineageReceiver
{
public:
    LineageReceiver()
    {
        QTcpServer probe; // a port free now
        probe.listen(QHostAddress::LocalHost);
        m_port = probe.serverPort();
    }
    ~LineageReceiver() { stop(); }

    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

    // False (with the receiver's output in `why`) when it did not listen within 90 s (the first start resolves the
    // client's jars from Maven Central).
    bool start(QString *why)
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(KP_LINEAGE_RECEIVER),
                        {QStringLiteral("run"), QString::number(m_port), m_dir.filePath(QStringLiteral("events"))});
        QByteArray said;
        for (int i = 0; i < 900 && m_process.state() != QProcess::NotRunning; ++i) {
            m_process.waitForReadyRead(100);
            said += m_process.readAll();
            if (said.contains("listening on"))
                return true;
        }
        *why = QString::fromUtf8(said);
        return false;
    }
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(5000);
    }

    // {"authorization": ..., "event": {...}} per event taken, in the order taken.
    std::vector<nlohmann::json> events() const
    {
        std::vector<nlohmann::json> out;
        QFile f(m_dir.filePath(QStringLiteral("events")));
        if (!f.open(QIODevice::ReadOnly))
            return out;
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                out.push_back(nlohmann::json::parse(line.toStdString()));
        return out;
    }
    // What the Java client could not parse (empty: everything was parsed).
    QByteArray rejected() const
    {
        QFile f(m_dir.filePath(QStringLiteral("events.rejected")));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private:
    quint16 m_port = 0;
    QTemporaryDir m_dir;
    QProcess m_process;
};

} // namespace kp::test
