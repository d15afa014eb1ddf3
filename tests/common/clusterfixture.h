#pragma once

// Helpers shared by the integration tests: the real cluster must be running and seeded (run-tests.sh does both and
// sets KP_TEST_CLUSTER=1). Without it the tests fail loudly rather than skip.

#include "models/clustersnapshot.h"
#include "models/connectionprofile.h"
#include "seedspec.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

namespace kp::test {

inline bool requireCluster()
{
    if (qEnvironmentVariableIsEmpty("KP_TEST_CLUSTER")) {
        QTest::qFail("KP_TEST_CLUSTER is not set: start and seed the test cluster with ./run-tests.sh "
                     "(or tests/cluster/cluster.sh start --fresh && kp-seed seed)",
                     __FILE__, __LINE__);
        return false;
    }
    return true;
}

// The Kafka major version the test cluster runs (KAFKA_VERSION, else what cluster.sh recorded, else 3).
inline int kafkaMajor()
{
    QString v = qEnvironmentVariable("KAFKA_VERSION");
    if (v.isEmpty()) {
        QFile f(qEnvironmentVariable("KP_CLUSTER_DIR", QStringLiteral("/tmp/kafka-planner-cluster")) +
                QStringLiteral("/version"));
        if (f.open(QIODevice::ReadOnly))
            v = QString::fromLatin1(f.readAll()).trimmed();
    }
    return v.isEmpty() ? 3 : v.section(QLatin1Char('.'), 0, 0).toInt();
}

// Whether the brokers serve reads from followers in the reader's rack (cluster.sh configures the rack-aware replica
// selector on the 3.x line only).
inline bool followerFetching()
{
    return kafkaMajor() < 4;
}

inline ConnectionProfile plaintextProfile(int timeoutMs = 10000)
{
    ConnectionProfile p;
    p.name = "test-plaintext";
    p.bootstrap = seed::kPlaintextBootstrap;
    p.timeoutMs = timeoutMs;
    return p;
}

inline QString tlsDir()
{
    return qEnvironmentVariable("KP_CLUSTER_DIR", QStringLiteral("/tmp/kafka-planner-cluster")) +
           QStringLiteral("/tls");
}

inline ConnectionProfile saslProfile(const char *user, const char *password, int timeoutMs = 10000)
{
    ConnectionProfile p;
    p.name = std::string("test-") + user;
    p.bootstrap = seed::kSaslBootstrap;
    p.securityProtocol = "SASL_PLAINTEXT";
    p.saslMechanism = "SCRAM-SHA-512";
    p.username = user;
    p.password = password;
    p.timeoutMs = timeoutMs;
    return p;
}

// SASL OAUTHBEARER with OIDC client credentials against the OIDC listener; `endpoint` may name a fault path of the
// test token endpoint (http://127.0.0.1:19590/malformed/token, ...).
inline ConnectionProfile oidcProfile(const char *client, const char *secret,
                                     const std::string &endpoint = seed::kTokenEndpoint)
{
    ConnectionProfile p = saslProfile(client, secret);
    p.name = std::string("test-oidc-") + client;
    p.bootstrap = seed::kOidcBootstrap;
    p.saslMechanism = "OAUTHBEARER";
    p.extra["sasl.oauthbearer.token.endpoint.url"] = endpoint;
    return p;
}

// SASL PLAIN over TLS.
inline ConnectionProfile plainTlsProfile(const char *user, const char *password, int timeoutMs = 10000)
{
    ConnectionProfile p = saslProfile(user, password, timeoutMs);
    p.name = std::string("test-tls-") + user;
    p.bootstrap = seed::kSaslSslBootstrap;
    p.securityProtocol = "SASL_SSL";
    p.saslMechanism = "PLAIN";
    p.sslCaLocation = QString(tlsDir() + QStringLiteral("/ca.pem")).toStdString();
    return p;
}

// The kp-active group's live member: `kp-seed hold` consumes everything, commits, prints READY and stays until its
// stdin closes (when this object goes).
class ActiveConsumer
{
public:
    bool start()
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::SeparateChannels);
        m_process->start(QStringLiteral(KP_SEED_TOOL), {QStringLiteral("hold")});
        if (!m_process->waitForStarted(10000))
            return false;
        QByteArray out;
        for (int i = 0; i < 1200 && !out.contains("READY"); ++i) {
            if (m_process->state() != QProcess::Running)
                return false;
            m_process->waitForReadyRead(100);
            out += m_process->readAllStandardOutput();
        }
        return out.contains("READY");
    }
    QString errors() const { return m_process ? QString::fromLocal8Bit(m_process->readAllStandardError()) : QString(); }
    ~ActiveConsumer()
    {
        if (!m_process)
            return;
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(15000))
            m_process->kill();
        m_process->waitForFinished(5000);
    }

private:
    std::unique_ptr<QProcess> m_process;
};

// Every problem of a snapshot, one per line, for failure messages.
inline std::string describeProblems(const ClusterSnapshot &s)
{
    std::string out;
    for (const auto &p : s.problems)
        out += p.step + " / " + p.subject + ": " + p.message + "\n";
    return out;
}

// Whether a problem of `step` mentions `needle` in its subject or message.
inline bool hasProblem(const ClusterSnapshot &s, const std::string &step, const std::string &needle)
{
    for (const auto &p : s.problems)
        if (p.step == step && (p.subject + " " + p.message).find(needle) != std::string::npos)
            return true;
    return false;
}

// A program run to its end (two minutes at most): exit code (-1 when it crashed or hung), stdout, stderr.
struct ProcessRun
{
    int code = -1;
    QByteArray out, err;
};

inline ProcessRun runProcess(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// Until every partition of a new topic shows its records to a snapshot (the CLI's): right after a run of broker
// restarts (tst_reviewcli) a new topic has read as empty for a moment, twice in full runs. False after 30 s, with a
// warning naming what was seen.
inline bool topicShows(const QString &topic, int partitions, int64_t messages)
{
    QElapsedTimer clock;
    clock.start();
    std::string seen = "not in the snapshot";
    while (clock.elapsed() < 30000) {
        QProcess p;
        p.start(QStringLiteral(KP_CLI), {QStringLiteral("snapshot"), QStringLiteral("--bootstrap"),
                                         QString::fromLatin1(seed::kPlaintextBootstrap), QStringLiteral("--no-groups"),
                                         QStringLiteral("--no-log-dirs")});
        p.waitForFinished(60000);
        if (p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0) {
            const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
            for (const auto &t : j.at("topics"))
                if (t.at("name") == topic.toStdString() && int(t.at("partitions").size()) == partitions) {
                    seen = t.at("partitions").dump();
                    bool all = true;
                    for (const auto &pt : t.at("partitions"))
                        all = all && pt.value("high", int64_t(-1)) == messages;
                    if (all)
                        return true;
                }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    qWarning("%s did not show %lld records on each of %d partitions within 30 s: %s", qPrintable(topic),
             (long long)messages, partitions, seen.c_str());
    return false;
}

inline int clusterScript(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(QStringLiteral("bash"), QStringList{QStringLiteral(KP_CLUSTER_SCRIPT)} + args);
    if (!p.waitForFinished(180000))
        return -1;
    return p.exitCode();
}

} // namespace kp::test
