// Every security mode against the real cluster's own listeners: SSL, SASL_SSL with PLAIN, SCRAM-SHA-256 and
// SCRAM-SHA-512, through librdkafka (the collector) and through the wire client (DescribeLogDirs, inside the same
// snapshot). A CA that did not sign the brokers' certificate is refused with a message that says so.

#include "clusterfixture.h"
#include "kafka/kafkaclient.h"
#include "kafka/snapshotcollector.h"
#include "kafka/wire/brokerconnection.h"

#include <QTest>

using namespace kp;
namespace sd = kp::seed;

namespace {

using test::tlsDir;

ConnectionProfile tlsProfile(const QString &protocol, const QString &mechanism, const QString &ca)
{
    ConnectionProfile p;
    p.name = "tls";
    p.securityProtocol = protocol.toStdString();
    p.bootstrap = protocol == QStringLiteral("SSL") ? sd::kSslBootstrap : sd::kSaslSslBootstrap;
    p.sslCaLocation = QString(tlsDir() + QLatin1Char('/') + ca).toStdString();
    if (!mechanism.isEmpty()) {
        p.saslMechanism = mechanism.toStdString();
        p.username = sd::kAdminUser;
        p.password = sd::kAdminPassword;
    }
    p.timeoutMs = 8000;
    return p;
}

} // namespace

class TestSecurity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::requireCluster(); }

    void everyListener_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("mechanism");
        QTest::addRow("SSL") << "SSL"
                             << "";
        QTest::addRow("SASL_SSL PLAIN") << "SASL_SSL"
                                        << "PLAIN";
        QTest::addRow("SASL_SSL SCRAM-SHA-256") << "SASL_SSL"
                                                << "SCRAM-SHA-256";
        QTest::addRow("SASL_SSL SCRAM-SHA-512") << "SASL_SSL"
                                                << "SCRAM-SHA-512";
    }

    void everyListener()
    {
        QFETCH(QString, protocol);
        QFETCH(QString, mechanism);
        const ConnectionProfile profile = tlsProfile(protocol, mechanism, QStringLiteral("ca.pem"));

        // The wire client alone: TLS, SASL and DescribeLogDirs on one broker (its SCRAM works on Kafka 4.x too).
        const auto dirs =
            wire::describeLogDirs(profile, "127.0.0.1", protocol == QStringLiteral("SSL") ? 19392 : 19492, 8000);
        QCOMPARE(dirs.response.errorCode, int16_t(0));
        QCOMPARE(dirs.response.results.size(), size_t(1));
        QCOMPARE(dirs.response.results[0].path, std::string("/tmp/kafka-planner-cluster/node2/data"));

        // The whole snapshot through librdkafka, sizes included.
        KafkaClient client(profile);
        const ClusterSnapshot s = SnapshotCollector(client).collect();
        QVERIFY2(!s.partial(), test::describeProblems(s).c_str());
        QCOMPARE(s.brokers[2].port, protocol == QStringLiteral("SSL") ? 19393 : 19493);
        QCOMPARE(s.brokers[2].rack, std::string("az-c"));
        QCOMPARE(s.group("kp-lagging")->totalLag(), int64_t(2080));
        QVERIFY(s.topic("orders")->sizeBytes() > 0);
        QVERIFY(s.broker(1)->logDirsKnown);
    }

    void wrongCaIsNotTrusted_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("mechanism");
        QTest::addRow("SSL") << "SSL"
                             << "";
        QTest::addRow("SASL_SSL PLAIN") << "SASL_SSL"
                                        << "PLAIN";
    }

    void wrongCaIsNotTrusted()
    {
        QFETCH(QString, protocol);
        QFETCH(QString, mechanism);
        const ConnectionProfile profile = tlsProfile(protocol, mechanism, QStringLiteral("other-ca.pem"));
        try {
            wire::describeLogDirs(profile, "127.0.0.1", protocol == QStringLiteral("SSL") ? 19391 : 19491, 8000);
            QFAIL("a certificate signed by another CA must not be trusted");
        } catch (const wire::WireError &e) {
            QVERIFY2(std::string(e.what()).find("the broker's certificate was not trusted") != std::string::npos,
                     e.what());
        }
        try {
            KafkaClient client(profile);
            SnapshotCollector(client).collect();
            QFAIL("a certificate signed by another CA must not be trusted");
        } catch (const CollectError &e) {
            const std::string what = e.what();
            QVERIFY2(what.find("failed: the broker's certificate was not trusted; check the CA certificate (" +
                               profile.sslCaLocation + ")") != std::string::npos,
                     e.what());
        }
    }

    void wrongPasswordOverTls()
    {
        ConnectionProfile profile =
            tlsProfile(QStringLiteral("SASL_SSL"), QStringLiteral("PLAIN"), QStringLiteral("ca.pem"));
        profile.password = "wrong";
        try {
            wire::describeLogDirs(profile, "127.0.0.1", 19491, 8000);
            QFAIL("must fail");
        } catch (const wire::WireError &e) {
            QVERIFY2(std::string(e.what()).find("SASL authentication failed for user 'admin' on 127.0.0.1:19491") !=
                         std::string::npos,
                     e.what());
        }
        try {
            KafkaClient client(profile);
            SnapshotCollector(client).collect();
            QFAIL("must fail");
        } catch (const CollectError &e) {
            QVERIFY2(std::string(e.what()).find("SASL authentication failed for user 'admin'") != std::string::npos,
                     e.what());
        }
    }

    // A client of one protocol at a listener of another is told what the listener speaks and what to change (was "1/1
    // brokers are down", or "check the user name and password" for SASL at a PLAINTEXT port).
    void listenerOfAnotherProtocol_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("mechanism");
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("message");
        QTest::addRow("PLAINTEXT at SSL") << "PLAINTEXT"
                                          << ""
                                          << "127.0.0.1:19391"
                                          << "could not connect to 127.0.0.1:19391: the listener at 127.0.0.1:19391 "
                                             "does not answer plaintext Kafka requests: it is probably a TLS listener "
                                             "(SSL or SASL_SSL); set security.protocol to match it and give the CA "
                                             "(ssl.truststore.location)";
        QTest::addRow("PLAINTEXT at SASL_SSL") << "PLAINTEXT"
                                               << ""
                                               << "127.0.0.1:19491"
                                               << "could not connect to 127.0.0.1:19491: the listener at "
                                                  "127.0.0.1:19491 does not answer plaintext Kafka requests";
        QTest::addRow("PLAINTEXT at SASL_PLAINTEXT")
            << "PLAINTEXT"
            << ""
            << "127.0.0.1:19191"
            << "could not connect to 127.0.0.1:19191: the listener at 127.0.0.1:19191 speaks SASL_PLAINTEXT (it "
               "offers ";
        QTest::addRow("SASL_PLAINTEXT at PLAINTEXT")
            << "SASL_PLAINTEXT"
            << "PLAIN"
            << "127.0.0.1:19091"
            << "could not connect to 127.0.0.1:19091: the listener at 127.0.0.1:19091 speaks PLAINTEXT, without TLS or "
               "SASL: set security.protocol=PLAINTEXT, or use the port of the cluster's SASL_PLAINTEXT listener";
        QTest::addRow("SSL at PLAINTEXT") << "SSL"
                                          << ""
                                          << "127.0.0.1:19091"
                                          << "could not connect to 127.0.0.1:19091: the listener at 127.0.0.1:19091 "
                                             "speaks PLAINTEXT, without TLS or SASL: set security.protocol=PLAINTEXT, "
                                             "or use the port of the cluster's SSL listener";
    }
    void listenerOfAnotherProtocol()
    {
        QFETCH(QString, protocol);
        QFETCH(QString, mechanism);
        QFETCH(QString, address);
        QFETCH(QString, message);
        ConnectionProfile profile = tlsProfile(QStringLiteral("SSL"), mechanism, QStringLiteral("ca.pem"));
        profile.securityProtocol = protocol.toStdString();
        profile.bootstrap = address.toStdString();
        if (!protocol.contains(QStringLiteral("SSL")))
            profile.sslCaLocation.clear();
        if (!mechanism.isEmpty()) {
            profile.username = sd::kAdminUser;
            profile.password = sd::kAdminPassword;
        }
        profile.timeoutMs = 2000;
        try {
            KafkaClient client(profile);
            SnapshotCollector(client).collect();
            QFAIL("must fail");
        } catch (const CollectError &e) {
            QVERIFY2(QString::fromStdString(e.what()).startsWith(message), e.what());
        }
    }

    // A CA file that is not there is named with the setting it came from (librdkafka said "ssl.ca.location failed:
    // error:05880002:x509 certificate routines::system lib").
    void missingCaFileIsNamed()
    {
        ConnectionProfile profile = tlsProfile(QStringLiteral("SSL"), QString(), QStringLiteral("ca.pem"));
        profile.sslCaLocation = "/nonexistent/ca.pem";
        try {
            KafkaClient client(profile);
            QFAIL("must fail");
        } catch (const std::runtime_error &e) {
            QCOMPARE(std::string(e.what()), std::string("the CA certificate file /nonexistent/ca.pem "
                                                        "(ssl.truststore.location) cannot be read: No such file or "
                                                        "directory"));
        }
    }
};

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
