// `kafka-planner reassign` on the real cluster's layout (a snapshot of the seeded cluster, then the plan from that
// file, so that both see the same layout): adding a broker gives it replicas, keeps every partition's replication
// factor and distinct brokers and racks, and the plan's bytes are exactly the moved partitions' sizes as the
// snapshot read them (DescribeLogDirs); the reassignment file is what kafka-reassign-partitions takes; goals that
// cannot be met are refused naming why. (Executing a plan on added brokers is left for a later change.)

#include "clusterfixture.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>
#include <set>

namespace {

using Run = kp::test::ProcessRun;
const auto exec = kp::test::runProcess;

const std::map<int, std::string> kRacks = {{1, "az-a"}, {2, "az-b"}, {3, "az-c"}, {4, "az-a"}};

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
                                "reassignment.json --execute --throttle 10000000")
                     .arg(QString::fromLatin1(kp::seed::kPlaintextBootstrap)));
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
