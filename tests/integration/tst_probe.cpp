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
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

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
    QStringList probeArgs(const QString &topic, const QStringList &more,
                          const QString &maxSeconds = QStringLiteral("60"))
    {
        return QStringList{QStringLiteral("probe"),
                           QStringLiteral("replay"),
                           QStringLiteral("--bootstrap"),
                           kBootstrap,
                           QStringLiteral("--topic"),
                           QStringLiteral("^") + topic + QStringLiteral("$"),
                           QStringLiteral("--earliest"),
                           QStringLiteral("--max-bytes"),
                           QStringLiteral("1GB"),
                           QStringLiteral("--max-seconds"),
                           maxSeconds} +
               more;
    }
    // After a broker's restart: every partition's leader back on its preferred replica with its whole ISR (the
    // brokers check every 5 s), so that the tests after this one see the cluster as it was. False after 90 s.
    static bool leadersSettled()
    {
        for (int attempt = 0; attempt < 90; ++attempt, std::this_thread::sleep_for(std::chrono::seconds(1))) {
            const Run r =
                exec(QStringLiteral(KP_CLI), {QStringLiteral("snapshot"), QStringLiteral("--bootstrap"), kBootstrap,
                                              QStringLiteral("--no-groups"), QStringLiteral("--no-log-dirs")});
            if (r.code != 0)
                continue;
            bool settled = true;
            for (const auto &t : nlohmann::json::parse(r.out.toStdString()).at("topics"))
                for (const auto &p : t.at("partitions"))
                    settled = settled && !p.at("replicas").empty() && p.at("leader") == p.at("replicas")[0] &&
                              p.at("isr").size() == p.at("replicas").size();
            if (settled)
                return true;
        }
        return false;
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
        int64_t outsideA = 0, brokerBytes = 0, fromFollowers = 0;
        for (const auto &b : j.at("brokers")) {
            brokerBytes += b.at("bytes").get<int64_t>();
            fromFollowers += b.at("fromFollower").get<int64_t>();
            if (b.at("rack") != "az-a")
                outsideA += b.at("bytes").get<int64_t>();
        }
        QCOMPARE(brokerBytes, int64_t(kPartitions * kMessages * kValueBytes));
        QCOMPARE(j.at("crossAzBytes").get<int64_t>(), outsideA);
        // With the rack-aware selector (3.x line) every partition (RF 3, a replica in each AZ) is read from az-a's
        // broker, the ones it does not lead from it as a follower: nothing crosses an AZ. Without it leaders serve.
        int64_t ledOutsideA = 0;
        for (const auto &p : j.at("partitions"))
            ledOutsideA += p.at("leader") == 1 ? 0 : p.at("bytes").get<int64_t>();
        QCOMPARE(outsideA, kp::test::followerFetching() ? 0 : ledOutsideA);
        QCOMPARE(fromFollowers, kp::test::followerFetching() ? ledOutsideA : 0);
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

    // Retention deleting data under the reader (DeleteRecords to offset 18,000 of 20,000 while a probe throttled to
    // 0.2 MB/s is about 3,000 records in, and has fetched at most 256 kB and one 1 MB fetch ahead): the partition stops
    // where the log no longer has its next offset, named with why; what was read before is kept, exactly.
    void dataDeletedUnderTheReaderIsNamed()
    {
        const QString topic = m_topic + QStringLiteral("-deleted");
        QVERIFY(seed({QStringLiteral("timed"), QStringLiteral("--topic"), topic, QStringLiteral("--partitions"),
                      QStringLiteral("1"), QStringLiteral("--messages"), QStringLiteral("20000"),
                      QStringLiteral("--base-ms"), QString::number(m_base), QStringLiteral("--step-ms"),
                      QStringLiteral("100")})); // stamps within the past hour
        QVERIFY(kp::test::topicShows(topic, 1, 20000));
        QProcess p;
        p.start(QStringLiteral(KP_CLI), probeArgs(topic, {QStringLiteral("--throttle"), QStringLiteral("0.2")}));
        QVERIFY(p.waitForStarted());
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        const bool deleted =
            seed({QStringLiteral("delete-records"), QStringLiteral("--topic"), topic, QStringLiteral("--partitions"),
                  QStringLiteral("1"), QStringLiteral("--before"), QStringLiteral("18000")});
        QVERIFY(p.waitForFinished(60000));
        seed({QStringLiteral("drop"), QStringLiteral("--topic"), topic});
        QVERIFY(deleted);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        const auto &part = j.at("partitions")[0];
        QVERIFY2(!part.at("complete").get<bool>(), j.dump().c_str());
        const int64_t read = part.at("messages").get<int64_t>();
        QVERIFY2(read > 0 && read < 18000, j.dump().c_str());
        QCOMPARE(part.at("nextOffset").get<int64_t>(), read);
        QCOMPARE(j.at("bytes").get<int64_t>(), read * kValueBytes);
        QCOMPARE(j.at("problems").size(), size_t(1));
        const std::string problem = j.at("problems")[0].get<std::string>();
        QVERIFY2(problem.find(topic.toStdString() + "-0: read " + std::to_string(read) + " of 20000 offsets") == 0 &&
                     problem.find("retention deleted it") != std::string::npos,
                 problem.c_str());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("errors"));
    }

    // A broker killed (SIGKILL) 2 s into a probe throttled to 1 MB/s over a topic of RF 3 (3 x 100 kB) and one of RF 1
    // (3 x 3 MB, more than the reader fetches ahead): the RF 3 topic is read whole, exactly, from the new leaders once
    // the controller moves them; the RF 1 partition that lived on the dead broker is not, and is named (as unfinished,
    // or a problem with the client's error) when the time bound ends the probe; the others are complete. The client
    // waits for the broker, it does not spin: the probe's CPU stays far below the wall time.
    void brokerKilledMidProbe()
    {
        const QString rf3 = m_topic + QStringLiteral("-rf3"), rf1 = m_topic + QStringLiteral("-rf1");
        QVERIFY(seed({QStringLiteral("timed"), QStringLiteral("--topic"), rf3, QStringLiteral("--partitions"),
                      QStringLiteral("3"), QStringLiteral("--messages"), QStringLiteral("1000"),
                      QStringLiteral("--base-ms"), QString::number(m_base)}));
        QVERIFY(seed({QStringLiteral("timed"), QStringLiteral("--topic"), rf1, QStringLiteral("--partitions"),
                      QStringLiteral("3"), QStringLiteral("--rf"), QStringLiteral("1"), QStringLiteral("--messages"),
                      QStringLiteral("30000"), QStringLiteral("--base-ms"), QString::number(m_base),
                      QStringLiteral("--step-ms"), QStringLiteral("100")})); // stamps within the past hour
        QVERIFY(kp::test::topicShows(rf3, 3, 1000) && kp::test::topicShows(rf1, 3, 30000));
        QProcess p;
        // bash's `times` after the probe: the CPU the probe used (user and system), on the last line of stderr.
        p.start(QStringLiteral("bash"),
                QStringList{QStringLiteral("-c"), QStringLiteral("\"$0\" \"$@\"; rc=$?; times >&2; exit $rc"),
                            QStringLiteral(KP_CLI)} +
                    probeArgs(QStringLiteral("(%1|%2)").arg(rf3, rf1),
                              {QStringLiteral("--throttle"), QStringLiteral("1")}, QStringLiteral("25")));
        QVERIFY(p.waitForStarted());
        std::this_thread::sleep_for(std::chrono::seconds(2));
        QCOMPARE(kp::test::clusterScript({QStringLiteral("kill-broker"), QStringLiteral("2")}), 0);
        const bool finished = p.waitForFinished(90000);
        QCOMPARE(kp::test::clusterScript({QStringLiteral("start-broker"), QStringLiteral("2")}), 0);
        const bool settled = leadersSettled();
        seed({QStringLiteral("drop"), QStringLiteral("--topic"), rf3});
        seed({QStringLiteral("drop"), QStringLiteral("--topic"), rf1});
        QVERIFY(finished && settled);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0, err.constData());
        const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(j.at("stoppedBy").get<std::string>(), std::string("time"));
        const std::string named = j.at("unfinished").dump() + j.at("problems").dump();
        int onDeadBroker = 0;
        int64_t bytes = 0;
        for (const auto &part : j.at("partitions")) {
            const std::string name = part.at("topic").get<std::string>() + "-" + part.at("partition").dump();
            if (part.at("topic") == rf1.toStdString() && part.at("leader") == 2) {
                ++onDeadBroker;
                QVERIFY2(!part.at("complete").get<bool>(), j.dump().c_str());
                QVERIFY2(named.find(name) != std::string::npos, j.dump().c_str());
            } else {
                QVERIFY2(part.at("complete").get<bool>(), j.dump().c_str());
                QCOMPARE(part.at("messages").get<int64_t>(), part.at("topic") == rf1.toStdString() ? 30000 : 1000);
            }
            bytes += part.at("bytes").get<int64_t>();
        }
        QCOMPARE(onDeadBroker, 1);
        QCOMPARE(j.at("bytes").get<int64_t>(), bytes);
        const QList<QByteArray> times = err.trimmed().split('\n').last().split(' ');
        QCOMPARE(times.size(), 2); // "0m0.52s 0m0.10s": the children's user and system time
        auto seconds = [](const QByteArray &t) {
            const int m = t.indexOf('m');
            return t.left(m).toDouble() * 60 + t.mid(m + 1).chopped(1).toDouble();
        };
        const double cpu = seconds(times[0]) + seconds(times[1]);
        QVERIFY2(cpu < 0.2 * j.at("seconds").get<double>(), qPrintable(QString::number(cpu)));
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
