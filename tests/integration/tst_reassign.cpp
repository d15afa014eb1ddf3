// `kafka-planner reassign` on the real cluster's layout (a snapshot of the seeded cluster, then the plan from that
// file, so that both see the same layout): adding a broker gives it replicas, keeps every partition's replication
// factor and distinct brokers and racks, and the plan's bytes are exactly the moved partitions' sizes as the
// snapshot read them (DescribeLogDirs); the reassignment file is what kafka-reassign-partitions takes; goals that
// cannot be met are refused naming why. Last, a plan executed: a topic of the test's own, two brokers added to the
// cluster (cluster.sh add-broker), the plan made from the live cluster and applied by Kafka's own
// kafka-reassign-partitions; --verify says it completed, the layout is the plan's, and the bytes the new replicas hold
// are the plan's figure (within 5%). The brokers are unregistered and stopped again afterwards.

#include "clusterfixture.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <nlohmann/json.hpp>
#include <set>

namespace {

using Run = kp::test::ProcessRun;
const auto exec = kp::test::runProcess;

const std::map<int, std::string> kRacks = {{1, "az-a"}, {2, "az-b"}, {3, "az-c"}, {4, "az-a"}};

// The replica lists and per-broker sizes of one topic in a snapshot's JSON.
struct TopicLayout
{
    std::map<int, std::vector<int>> replicas;
    std::map<std::pair<int, int>, int64_t> sizes; // (partition, broker) -> bytes
};

TopicLayout topicLayout(const nlohmann::json &snapshot, const std::string &topic)
{
    TopicLayout out;
    for (const auto &t : snapshot.at("topics"))
        if (t.at("name") == topic)
            for (const auto &p : t.at("partitions")) {
                const int partition = p.at("p").get<int>();
                out.replicas[partition] = p.at("replicas").get<std::vector<int>>();
                for (const auto &size : p.at("sizes"))
                    out.sizes[{partition, size.at("broker").get<int>()}] = size.at("bytes").get<int64_t>();
            }
    return out;
}

// The topic and the added brokers go again however the test ends, so that later tests see the seeded cluster.
struct ExecutionCleanup
{
    ~ExecutionCleanup()
    {
        kp::test::runProcess(QStringLiteral(KP_SEED_TOOL),
                             {QStringLiteral("drop"), QStringLiteral("--topic"), QStringLiteral("reassign-exec")});
        kp::test::clusterScript({QStringLiteral("remove-broker"), QStringLiteral("5")});
        kp::test::clusterScript({QStringLiteral("remove-broker"), QStringLiteral("4")});
    }
};

} // namespace

class TestReassign : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_snapshot;
    nlohmann::json m_layout;

    Run cli(QStringList args)
    {
        args << QStringLiteral("--db") << m_dir.filePath(QStringLiteral("kp.sqlite"));
        return exec(QStringLiteral(KP_CLI), args);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(kp::test::requireCluster());
        m_snapshot = m_dir.filePath(QStringLiteral("layout.json"));
        const Run r = cli({QStringLiteral("snapshot"), QStringLiteral("--bootstrap"),
                           QString::fromLatin1(kp::seed::kPlaintextBootstrap), QStringLiteral("--no-groups"),
                           QStringLiteral("--output"), m_snapshot});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile f(m_snapshot);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_layout = nlohmann::json::parse(f.readAll().toStdString());
    }

    void addingABrokerIsPlannedFromTheRealLayout()
    {
        const QString file = m_dir.filePath(QStringLiteral("reassignment.json"));
        const Run r = cli({QStringLiteral("reassign"), QStringLiteral("--input"), m_snapshot,
                           QStringLiteral("--add-broker"), QStringLiteral("4:az-a"), QStringLiteral("--throttle"),
                           QStringLiteral("10"), QStringLiteral("--reassignment-file"), file});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto plan = nlohmann::json::parse(r.out.toStdString());
        // The partitions' sizes, replicas and leaders as the snapshot read them.
        struct Layout
        {
            std::vector<int> replicas;
            int leader = -1;
            int64_t size = -1;
        };
        std::map<std::pair<std::string, int>, Layout> before;
        for (const auto &t : m_layout.at("topics"))
            for (const auto &p : t.at("partitions")) {
                Layout l{p.at("replicas").get<std::vector<int>>(), p.at("leader").get<int>(), -1};
                for (const auto &s : p.at("sizes"))
                    if (s.at("broker").get<int>() == l.leader)
                        l.size = s.at("bytes").get<int64_t>();
                before[{t.at("name").get<std::string>(), p.at("p").get<int>()}] = l;
            }
        // Each new replica copies the partition from its leader: bytes into the new broker, out of the leader.
        int64_t expectedBytes = 0;
        std::map<int, int64_t> in, out;
        const auto &moved = plan.at("reassignment").at("partitions");
        QVERIFY(!moved.empty());
        for (const auto &m : moved) {
            const Layout &l = before.at({m.at("topic").get<std::string>(), m.at("partition").get<int>()});
            const auto after = m.at("replicas").get<std::vector<int>>();
            QCOMPARE(after.size(), l.replicas.size());
            QCOMPARE(std::set<int>(after.begin(), after.end()).size(), after.size());
            std::set<std::string> racksBefore, racksAfter;
            for (const int b : l.replicas)
                racksBefore.insert(kRacks.at(b));
            for (const int b : after)
                racksAfter.insert(kRacks.at(b));
            QVERIFY(racksAfter.size() >= racksBefore.size()); // never less spread
            for (const int b : after)
                if (std::find(l.replicas.begin(), l.replicas.end(), b) == l.replicas.end()) {
                    expectedBytes += l.size;
                    in[b] += l.size;
                    out[l.leader] += l.size;
                }
        }
        QCOMPARE(plan.at("bytesMoved").get<int64_t>(), expectedBytes);
        int64_t slowest = 0;
        for (const auto &b : plan.at("brokers")) {
            const int id = b.at("broker").get<int>();
            QCOMPARE(b.at("bytesIn").get<int64_t>(), in[id]);
            QCOMPARE(b.at("bytesOut").get<int64_t>(), out[id]);
            slowest = std::max({slowest, in[id], out[id]});
            if (id == 4)
                QVERIFY(b.at("replicasAfter").get<int>() > 0 && in[id] > 0);
        }
        // At 10 MB/s per broker: the slowest broker's bytes over 10^7.
        QCOMPARE(int64_t(plan.at("secondsAtThrottle").get<double>() * 1e7 + 0.5), slowest);
        QCOMPARE(QString::fromStdString(plan.at("commands").at("execute").get<std::string>()),
                 QStringLiteral("kafka-reassign-partitions.sh --bootstrap-server %1 --reassignment-json-file "
                                "%2 --execute --throttle 10000000")
                     .arg(QString::fromLatin1(kp::seed::kPlaintextBootstrap), file));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(nlohmann::json::parse(f.readAll().toStdString()) == plan.at("reassignment"));
    }

    // --topic: only the matching topics move (here the seeded "orders", 12 partitions of RF 3 on 3 brokers).
    void onlyTheChosenTopicsArePlanned()
    {
        const Run r =
            cli({QStringLiteral("reassign"), QStringLiteral("--input"), m_snapshot, QStringLiteral("--add-broker"),
                 QStringLiteral("4:az-b"), QStringLiteral("--topic"), QStringLiteral("orders")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto plan = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(!plan.at("reassignment").at("partitions").empty());
        for (const auto &m : plan.at("reassignment").at("partitions"))
            QCOMPARE(m.at("topic").get<std::string>(), std::string("orders"));
        // 36 replicas over 4 brokers; broker 4 (az-b) can only take az-b's broker 2's replicas: half of its 12.
        for (const auto &b : plan.at("brokers"))
            if (b.at("broker").get<int>() == 4)
                QCOMPARE(b.at("replicasAfter").get<int>(), 6);
    }

    // The Planner's scale and broker-loss scenarios on the same layout: adding one broker (id 4, the first rack az-a)
    // moves exactly the reassignment's bytes; losing a broker of three at RF 3 cannot be re-replicated, and says so.
    void theScenariosUseThePlansBytes()
    {
        const Run planned = cli({QStringLiteral("plan"), QStringLiteral("--input"), m_snapshot,
                                 QStringLiteral("--scenario"), QStringLiteral("scale"), QStringLiteral("--scenario"),
                                 QStringLiteral("failure"), QStringLiteral("--add-brokers"), QStringLiteral("1"),
                                 QStringLiteral("--throttle-mbps"), QStringLiteral("10")});
        QVERIFY2(planned.code == 0, planned.err.constData());
        const Run reassigned =
            cli({QStringLiteral("reassign"), QStringLiteral("--input"), m_snapshot, QStringLiteral("--add-broker"),
                 QStringLiteral("4:az-a"), QStringLiteral("--throttle"), QStringLiteral("10")});
        QVERIFY2(reassigned.code == 0, reassigned.err.constData());
        const auto plan = nlohmann::json::parse(reassigned.out.toStdString());
        const auto scenarios = nlohmann::json::parse(planned.out.toStdString()).at("scenarios");
        auto metric = [](const nlohmann::json &scenario, const std::string &name) {
            for (const auto &m : scenario.at("metrics"))
                if (m.at("name") == name)
                    return m.at("value").get<double>();
            return -1.0;
        };
        int seen = 0;
        for (const auto &sc : scenarios) {
            if (sc.at("architecture") != "existing cluster")
                continue;
            const std::string title = sc.at("title").get<std::string>();
            if (title.rfind("add 1 broker", 0) == 0) {
                ++seen;
                QCOMPARE(int64_t(std::llround(metric(sc, "data moved (layout)") * 1e9)),
                         plan.at("bytesMoved").get<int64_t>());
                QCOMPARE(metric(sc, "time (layout)"), plan.at("secondsAtThrottle").get<double>() / 3600);
            } else if (title.rfind("lose a broker", 0) == 0) {
                ++seen;
                QCOMPARE(metric(sc, "recovery bytes (layout)"), -1.0);
                QVERIFY2(sc.at("notes").dump().find("no recovery plan from the layout: removing broker ") !=
                             std::string::npos,
                         sc.dump().c_str());
            }
        }
        QCOMPARE(seen, 2);
    }

    // reassign-exec: 6 partitions of RF 2 on the three brokers, 2,000 records of 100 bytes each; brokers 4 (az-a) and
    // 5 (az-b) join empty; the plan moves some of it onto them; Kafka executes it.
    void aPlanExecutedByKafkaMovesWhatItSaid()
    {
        const ExecutionCleanup cleanup;
        const QString topic = QStringLiteral("reassign-exec");
        const qint64 base = QDateTime::currentMSecsSinceEpoch() - 2000 * 1000;
        const Run seeded =
            exec(QStringLiteral(KP_SEED_TOOL),
                 {QStringLiteral("timed"), QStringLiteral("--topic"), topic, QStringLiteral("--partitions"),
                  QStringLiteral("6"), QStringLiteral("--rf"), QStringLiteral("2"), QStringLiteral("--messages"),
                  QStringLiteral("2000"), QStringLiteral("--base-ms"), QString::number(base),
                  QStringLiteral("--step-ms"), QStringLiteral("1000")});
        QVERIFY2(seeded.code == 0, seeded.err.constData());
        QVERIFY(kp::test::topicShows(topic, 6, 2000));
        for (const auto &[id, rack] : {std::pair("4", "az-a"), std::pair("5", "az-b")})
            QCOMPARE(kp::test::clusterScript({QStringLiteral("add-broker"), QLatin1String(id), QLatin1String(rack)}),
                     0);

        const QString file = m_dir.filePath(QStringLiteral("executed.json"));
        const Run r = cli({QStringLiteral("reassign"), QStringLiteral("--bootstrap"),
                           QString::fromLatin1(kp::seed::kPlaintextBootstrap), QStringLiteral("--add-broker"),
                           QStringLiteral("4:az-a"), QStringLiteral("--add-broker"), QStringLiteral("5:az-b"),
                           QStringLiteral("--topic"), QStringLiteral("^reassign-exec$"), QStringLiteral("--throttle"),
                           QStringLiteral("50"), QStringLiteral("--reassignment-file"), file});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto plan = nlohmann::json::parse(r.out.toStdString());
        const auto &moved = plan.at("reassignment").at("partitions");
        QVERIFY(!moved.empty());
        std::map<int, int64_t> planIn;
        for (const auto &b : plan.at("brokers"))
            planIn[b.at("broker").get<int>()] = b.at("bytesIn").get<int64_t>();
        QVERIFY2(planIn.at(4) > 0 && planIn.at(5) > 0, r.out.constData());

        const QStringList tool = {QStringLiteral("bash"), QStringLiteral(KP_CLUSTER_SCRIPT),
                                  QStringLiteral("reassign-partitions"), QStringLiteral("--reassignment-json-file"),
                                  file};
        const Run executed = exec(QStringLiteral("bash"),
                                  tool.mid(1) + QStringList{QStringLiteral("--execute"), QStringLiteral("--throttle"),
                                                            QStringLiteral("50000000")});
        QVERIFY2(executed.code == 0 && executed.out.contains("Successfully started partition reassignment"),
                 executed.out.constData());
        // --verify until every moved partition is complete (it also clears the throttle).
        QElapsedTimer clock;
        clock.start();
        Run verified;
        while (clock.elapsed() < 120000) {
            verified = exec(QStringLiteral("bash"), tool.mid(1) + QStringList{QStringLiteral("--verify")});
            if (verified.code == 0 && verified.out.count("is completed.") == moved.size())
                break;
            QThread::msleep(1000);
        }
        QVERIFY2(verified.out.count("is completed.") == moved.size(), verified.out.constData());

        // The layout afterwards is the plan's, and the new replicas hold the bytes the plan said they would copy.
        const Run after = cli({QStringLiteral("snapshot"), QStringLiteral("--bootstrap"),
                               QString::fromLatin1(kp::seed::kPlaintextBootstrap), QStringLiteral("--no-groups")});
        QVERIFY2(after.code == 0, after.err.constData());
        const TopicLayout layout = topicLayout(nlohmann::json::parse(after.out.toStdString()), topic.toStdString());
        QCOMPARE(layout.replicas.size(), size_t(6));
        std::map<int, int64_t> held;
        int64_t copied = 0;
        for (const auto &m : moved) {
            const int partition = m.at("partition").get<int>();
            const auto planned = m.at("replicas").get<std::vector<int>>();
            QCOMPARE(layout.replicas.at(partition), planned);
            for (const auto &pm : plan.at("moves"))
                if (pm.at("partition").get<int>() == partition)
                    for (const int b : pm.at("added").get<std::vector<int>>())
                        copied += layout.sizes.at({partition, b});
        }
        for (const auto &[key, bytes] : layout.sizes)
            held[key.second] += bytes;
        const auto within5 = [](int64_t seen, int64_t planned) {
            return std::abs(double(seen - planned)) <= 0.05 * double(planned);
        };
        qInfo("bytes copied: %lld (plan %lld); broker 4 holds %lld (plan %lld), broker 5 %lld (plan %lld)",
              (long long)copied, (long long)plan.at("bytesMoved").get<int64_t>(), (long long)held[4],
              (long long)planIn.at(4), (long long)held[5], (long long)planIn.at(5));
        for (const int b : {4, 5})
            QVERIFY2(within5(held[b], planIn.at(b)),
                     qPrintable(QStringLiteral("broker %1 holds %2 bytes of %3, the plan said %4")
                                    .arg(b)
                                    .arg(held[b])
                                    .arg(topic)
                                    .arg(planIn.at(b))));
        QVERIFY2(within5(copied, plan.at("bytesMoved").get<int64_t>()), r.out.constData());
    }

    void goalsThatCannotBeMetAreRefused_data()
    {
        QTest::addColumn<QStringList>("goal");
        QTest::addColumn<QString>("message");
        QTest::addRow("remove at RF 3") << QStringList{QStringLiteral("--remove-broker"), QStringLiteral("2")}
                                        << "leaves 2 broker(s), and topic";
        QTest::addRow("existing id") << QStringList{QStringLiteral("--add-broker"), QStringLiteral("3:az-c")}
                                     << "broker 3 already exists";
        QTest::addRow("rack without brokers")
            << QStringList{QStringLiteral("--add-broker"), QStringLiteral("4:az-q")}
            << "rack \"az-q\" of new broker 4 has no brokers in this cluster (racks az-a, az-b, az-c)";
        QTest::addRow("two goals") << QStringList{QStringLiteral("--balance"), QStringLiteral("--fix-racks")}
                                   << "give one goal";
        QTest::addRow("no topic matches")
            << QStringList{QStringLiteral("--balance"), QStringLiteral("--topic"), QStringLiteral("no-such-.*")}
            << "--topic no-such-.*: no topic of the cluster matches";
        QTest::addRow("bad pattern") << QStringList{QStringLiteral("--balance"), QStringLiteral("--topic"),
                                                    QStringLiteral("(")}
                                     << "--topic: ";
    }
    void goalsThatCannotBeMetAreRefused()
    {
        QFETCH(QStringList, goal);
        QFETCH(QString, message);
        const Run r = cli(QStringList{QStringLiteral("reassign"), QStringLiteral("--input"), m_snapshot} + goal);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestReassign)
#include "tst_reassign.moc"
