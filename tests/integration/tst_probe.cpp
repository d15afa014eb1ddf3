// The replay probe against the real cluster, through the CLI: a seeded topic of known size read to its end byte for
// byte, each bound stopping it where it says, a throttle holding the rate, --from resolving to the records' own
// timestamps, the tailing group's lag before and after, nothing committed, and a user without Read named partition by
// partition. The probe's topic is created here and dropped at the end.

#include "clusterfixture.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

namespace sd = kp::seed;

namespace {

using Run = kp::test::ProcessRun;
const auto exec = kp::test::runProcess;

const QString kBootstrap = QString::fromLatin1(sd::kPlaintextBootstrap);
constexpr int kPartitions = 4, kMessages = 2000, kValueBytes = 100; // kp-seed timed: 100-byte values, no key

} // namespace

class TestProbe : public QObject
{
    Q_OBJECT
    QString m_topic, m_group;
    qint64 m_base = 0;

    Run probe(const QStringList &args)
    {
        return exec(QStringLiteral(KP_CLI),
                    QStringList{QStringLiteral("probe"), QStringLiteral("replay"), QStringLiteral("--bootstrap"),
                                kBootstrap, QStringLiteral("--topic"),
                                QStringLiteral("^") + m_topic + QStringLiteral("$")} +
                        args);
    }
    nlohmann::json probeJson(const QStringList &args)
    {
        const Run r = probe(args);
        if (r.code != 0) {
            qWarning("probe %s: exit %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.code, r.err.constData());
            return nullptr;
        }
        return nlohmann::json::parse(r.out.toStdString());
    }
    bool seed(const QStringList &args) { return exec(QStringLiteral(KP_SEED_TOOL), args).code == 0; }
    // Every group's committed offsets, to show the probe changed none.
    std::map<std::string, std::string> committed()
    {
        const Run r = exec(QStringLiteral(KP_CLI), {QStringLiteral("lag"), QStringLiteral("--bootstrap"), kBootstrap});
        std::map<std::string, std::string> out;
        if (r.code == 0)
            for (const auto &g : nlohmann::json::parse(r.out.toStdString()).at("groups")) {
                std::string offsets;
                for (const auto &p : g.at("partitions"))
                    offsets += p.at("topic").get<std::string>() + "-" + p.at("partition").dump() + "@" +
                               p.at("committed").dump() + " ";
                out[g.at("group")] = offsets;
            }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(kp::test::requireCluster());
        m_base = (QDateTime::currentMSecsSinceEpoch() / 1000 - 3600) * 1000; // record i stamped base + i s
        m_topic = QStringLiteral("kp-probe-%1").arg(QDateTime::currentMSecsSinceEpoch());
        m_group = m_topic + QStringLiteral("-tail");
        QVERIFY(seed({QStringLiteral("timed"), QStringLiteral("--topic"), m_topic, QStringLiteral("--partitions"),
                      QString::number(kPartitions), QStringLiteral("--messages"), QString::number(kMessages),
                      QStringLiteral("--base-ms"), QString::number(m_base), QStringLiteral("--group"), m_group,
                      QStringLiteral("--commit"), QString::number(kMessages)}));
        QVERIFY(kp::test::topicShows(m_topic, kPartitions, kMessages));
    }

    void cleanupTestCase() { seed({QStringLiteral("drop"), QStringLiteral("--topic"), m_topic}); }

    // Read to the end: every record, byte for byte, each partition complete; the bytes from brokers outside az-a
    // are the cross-AZ bytes; the tailing group is 0 behind before and after; no group's offsets changed.
    void readsTheTopicWholeAndCommitsNothing()
    {
        const auto before = committed();
        const auto j = probeJson({QStringLiteral("--earliest"), QStringLiteral("--max-bytes"), QStringLiteral("1GB"),
                                  QStringLiteral("--max-seconds"), QStringLiteral("60"),
                                  QStringLiteral("--client-rack"), QStringLiteral("az-a")});
        QVERIFY(!j.is_null());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("complete"));
        QCOMPARE(j.at("messages").get<int64_t>(), int64_t(kPartitions * kMessages));
        QCOMPARE(j.at("bytes").get<int64_t>(), int64_t(kPartitions * kMessages * kValueBytes));
        int64_t outsideA = 0, brokerBytes = 0;
        for (const auto &b : j.at("brokers")) {
            brokerBytes += b.at("bytes").get<int64_t>();
            if (b.at("rack") != "az-a")
                outsideA += b.at("bytes").get<int64_t>();
            QCOMPARE(b.at("fromFollower").get<int64_t>(), int64_t(0)); // no rack-aware selector: leaders serve
        }
        QCOMPARE(brokerBytes, int64_t(kPartitions * kMessages * kValueBytes));
        QCOMPARE(j.at("crossAzBytes").get<int64_t>(), outsideA);
        for (const auto &p : j.at("partitions")) {
            QVERIFY(p.at("complete").get<bool>());
            QCOMPARE(p.at("fromOffset").get<int64_t>(), int64_t(0));
            QCOMPARE(p.at("nextOffset").get<int64_t>(), int64_t(kMessages));
            QCOMPARE(p.at("bytes").get<int64_t>(), int64_t(kMessages * kValueBytes));
        }
        QCOMPARE(j.at("tailingGroups").size(), size_t(1));
        const auto &g = j.at("tailingGroups")[0];
        QCOMPARE(QString::fromStdString(g.at("group")), m_group);
        QCOMPARE(g.at("lagBefore").get<int64_t>(), int64_t(0));
        QCOMPARE(g.at("lagAfter").get<int64_t>(), int64_t(0));
        QVERIFY(j.at("problems").empty());
        QCOMPARE(committed(), before);
    }

    // The byte bound: no record past it is read (250 records of 100 bytes fit in 25,050).
    void stopsAtTheByteBound()
    {
        const auto j = probeJson({QStringLiteral("--earliest"), QStringLiteral("--max-bytes"), QStringLiteral("25050"),
                                  QStringLiteral("--max-seconds"), QStringLiteral("60")});
        QVERIFY(!j.is_null());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("bytes"));
        QCOMPARE(j.at("bytes").get<int64_t>(), int64_t(25000));
        QCOMPARE(j.at("messages").get<int64_t>(), int64_t(250));
        QVERIFY(!j.at("unfinished").empty());
    }

    // The time bound under a throttle of 0.2 MB/s: two seconds, about 400,000 bytes of the 800,000.
    void stopsAtTheTimeBound()
    {
        const auto j = probeJson({QStringLiteral("--earliest"), QStringLiteral("--max-bytes"), QStringLiteral("1GB"),
                                  QStringLiteral("--max-seconds"), QStringLiteral("2"), QStringLiteral("--throttle"),
                                  QStringLiteral("0.2")});
        QVERIFY(!j.is_null());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("time"));
        const double seconds = j.at("seconds").get<double>();
        QVERIFY2(seconds >= 2 && seconds < 2.5, j.dump().c_str());
        const double bytes = double(j.at("bytes").get<int64_t>());
        QVERIFY2(std::abs(bytes - 400000) < 0.15 * 400000, j.dump().c_str());
    }

    // A throttle of 0.25 MB/s over the whole topic: the rate observed within 15% of it (about 3.2 s).
    void throttleHoldsTheRate()
    {
        const auto j = probeJson({QStringLiteral("--earliest"), QStringLiteral("--max-bytes"), QStringLiteral("1GB"),
                                  QStringLiteral("--max-seconds"), QStringLiteral("60"), QStringLiteral("--throttle"),
                                  QStringLiteral("0.25"), QStringLiteral("--fetchers"), QStringLiteral("2")});
        QVERIFY(!j.is_null());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("complete"));
        const double rate = j.at("throughputBytesPerSecond").get<double>();
        QVERIFY2(std::abs(rate - 250000) < 0.15 * 250000, j.dump().c_str());
    }

    // --from a record's own timestamp: records 1,500 on of every partition (stamped base + 1,500 s).
    void fromATimeReadsFromThatRecord()
    {
        const QString from = QDateTime::fromMSecsSinceEpoch(m_base + 1500 * 1000, Qt::UTC).toString(Qt::ISODate);
        const auto j = probeJson({QStringLiteral("--from"), from, QStringLiteral("--max-bytes"), QStringLiteral("1GB"),
                                  QStringLiteral("--max-seconds"), QStringLiteral("60")});
        QVERIFY(!j.is_null());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("complete"));
        QCOMPARE(j.at("messages").get<int64_t>(), int64_t(kPartitions * (kMessages - 1500)));
        for (const auto &p : j.at("partitions"))
            QCOMPARE(p.at("fromOffset").get<int64_t>(), int64_t(1500));
    }

    // Kafka 4.x, the tiered topic of cluster.sh seed-4x (512-byte records, the older ones in the remote tier only):
    // the bytes read below the first local offset are the remote tier's, exactly.
    void remoteTierBytesOfATieredTopic()
    {
        const Run r = exec(QStringLiteral(KP_CLI),
                           {QStringLiteral("probe"), QStringLiteral("replay"), QStringLiteral("--bootstrap"),
                            kBootstrap, QStringLiteral("--topic"), QStringLiteral("^tiered-events$"),
                            QStringLiteral("--earliest"), QStringLiteral("--max-bytes"), QStringLiteral("1GB"),
                            QStringLiteral("--max-seconds"), QStringLiteral("120")});
        if (kp::test::kafkaMajor() < 4) { // the 3.x line has no tiered topic: refused as matching nothing
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("no topic of the cluster matches"), r.err.constData());
            return;
        }
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("complete"));
        const auto &p = j.at("partitions")[0];
        const int64_t localStart = p.at("localLogStart").get<int64_t>();
        QVERIFY(localStart > 0);
        QCOMPARE(j.at("bytes").get<int64_t>(), p.at("endOffset").get<int64_t>() * 512);
        QCOMPARE(j.at("remoteBytes").get<int64_t>(), localStart * 512);
    }

    // A user with Describe and no Read: nothing read, every partition named with why.
    void withoutReadEveryPartitionIsNamed()
    {
        QTemporaryDir dir;
        const QString props = dir.filePath(QStringLiteral("inspector.properties"));
        QFile f(props);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                "username=\"inspector\" password=\"inspector-secret\";\n");
        f.close();
        const Run r = exec(QStringLiteral(KP_CLI),
                           {QStringLiteral("probe"), QStringLiteral("replay"), QStringLiteral("--bootstrap"),
                            QString::fromLatin1(sd::kSaslBootstrap), QStringLiteral("--command-config"), props,
                            QStringLiteral("--topic"), QStringLiteral("^") + m_topic + QStringLiteral("$"),
                            QStringLiteral("--earliest"), QStringLiteral("--max-bytes"), QStringLiteral("1GB"),
                            QStringLiteral("--max-seconds"), QStringLiteral("20")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j.at("bytes").get<int64_t>(), int64_t(0));
        QCOMPARE(j.at("problems").size(), size_t(kPartitions));
        for (const auto &p : j.at("problems"))
            QVERIFY2(p.get<std::string>().find("Read ACL") != std::string::npos, p.dump().c_str());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("errors"));
    }

    // The probe's result in the plan: the existing cluster's replay of its window, sized from the window's ranges
    // (the bytes predicted are the bytes the probe read, on disk), with what was observed beside each figure. A result
    // from another cluster is refused.
    void planHoldsThePredictionAgainstTheProbe()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("probe.json"));
        const Run r = probe({QStringLiteral("--earliest"), QStringLiteral("--max-bytes"), QStringLiteral("1GB"),
                             QStringLiteral("--max-seconds"), QStringLiteral("60"), QStringLiteral("--client-rack"),
                             QStringLiteral("az-a"), QStringLiteral("--output"), file});
        QVERIFY2(r.code == 0, r.err.constData());
        const Run plan = exec(QStringLiteral(KP_CLI), {QStringLiteral("plan"), QStringLiteral("--bootstrap"),
                                                       kBootstrap, QStringLiteral("--replay-probe"), file});
        QVERIFY2(plan.code == 0, plan.err.constData());
        const auto c = nlohmann::json::parse(plan.out.toStdString()).at("probeComparison");
        QCOMPARE(c.at("checks").size(), size_t(4));
        const auto &bytes = c.at("checks")[2];
        QCOMPARE(bytes.at("figure").get<std::string>(), std::string("bytes"));
        QVERIFY(bytes.at("predicted").get<double>() > 8000 * kValueBytes / 1e9);
        QVERIFY2(std::abs(bytes.at("relativeError").get<double>()) < 1e-6, c.dump().c_str());
        QVERIFY(c.at("checks")[0].at("observed").get<double>() > 0);
        QVERIFY(!c.at("checks")[3].at("observed").is_null()); // the client's rack given: the cross-AZ cost is known
        QVERIFY(!c.at("explanation").get<std::string>().empty());
        // The same result as the replay drill's measured evidence: the tailing group stayed at 0.
        const QString review = dir.filePath(QStringLiteral("review.json"));
        QCOMPARE(exec(QStringLiteral(KP_CLI), {QStringLiteral("review"), QStringLiteral("new"), review}).code, 0);
        const Run drill = exec(QStringLiteral(KP_CLI),
                               {QStringLiteral("review"), QStringLiteral("drill"), review, QStringLiteral("--item"),
                                QStringLiteral("replay-large-range"), QStringLiteral("--probe"), file});
        QVERIFY2(drill.code == 0, drill.err.constData());
        const auto d = nlohmann::json::parse(drill.out.toStdString());
        QVERIFY(d.at("passes").get<bool>());
        QVERIFY2(d.at("detail").get<std::string>().find(m_group.toStdString() + " lag 0 -> peak 0") !=
                     std::string::npos,
                 d.dump().c_str());
        // Another cluster's probe.
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto j = nlohmann::json::parse(f.readAll().toStdString());
        f.close();
        j["clusterId"] = "another-cluster";
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray::fromStdString(j.dump()));
        f.close();
        const Run other = exec(QStringLiteral(KP_CLI), {QStringLiteral("plan"), QStringLiteral("--bootstrap"),
                                                        kBootstrap, QStringLiteral("--replay-probe"), file});
        QCOMPARE(other.code, 2);
        QVERIFY2(other.err.contains("the probe read cluster another-cluster"), other.err.constData());
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList bytes{QStringLiteral("--max-bytes"), QStringLiteral("1MB")};
        const QStringList seconds{QStringLiteral("--max-seconds"), QStringLiteral("5")};
        const QStringList earliest{QStringLiteral("--earliest")};
        QTest::addRow("no byte bound") << earliest + seconds << QStringLiteral("needs both bounds");
        QTest::addRow("no time bound") << earliest + bytes << QStringLiteral("needs both bounds");
        QTest::addRow("no start") << bytes + seconds << QStringLiteral("--from TIME or --earliest");
        QTest::addRow("throttle 0") << earliest + bytes + seconds +
                                           QStringList{QStringLiteral("--throttle"), QStringLiteral("0")}
                                    << QStringLiteral("--throttle");
        QTest::addRow("throttle nan") << earliest + bytes + seconds +
                                             QStringList{QStringLiteral("--throttle"), QStringLiteral("nan")}
                                      << QStringLiteral("--throttle");
        QTest::addRow("bad size") << earliest + seconds +
                                         QStringList{QStringLiteral("--max-bytes"), QStringLiteral("lots")}
                                  << QStringLiteral("--max-bytes lots");
        QTest::addRow("no such topic") << earliest + bytes + seconds +
                                              QStringList{QStringLiteral("--topic"), QStringLiteral("^no-such-topic$")}
                                       << QStringLiteral("no topic of the cluster matches");
    }

    // Refused before anything is read: exit 2, saying why.
    void refusals()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = probe(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(QString::fromLocal8Bit(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "tst_probe.moc"
