// A broker stopped before a collection, and one killed in the middle of it: the snapshot is partial, says which
// broker and what is missing, and comes back whole once the broker is back. Runs serially (it stops brokers).

#include "clusterfixture.h"
#include "kafkaclient.h"
#include "snapshotcollector.h"

#include <QElapsedTimer>
#include <QTest>
#include <thread>

using namespace kp;
namespace sd = kp::seed;

namespace {

ClusterSnapshot collect(int timeoutMs = 5000, const SnapshotCollector::ProgressFn &progress = {})
{
    KafkaClient client(test::plaintextProfile(timeoutMs));
    CollectOptions options;
    options.timeoutMs = timeoutMs;
    return SnapshotCollector(client, options).collect(nullptr, progress);
}

// Collects until `done` holds or 90 s pass; returns the last snapshot.
template <typename F> ClusterSnapshot collectUntil(F done)
{
    QElapsedTimer t;
    t.start();
    ClusterSnapshot s;
    while (t.elapsed() < 90000) {
        try {
            s = collect();
            if (done(s))
                return s;
        } catch (const CollectError &) {
        }
        QTest::qWait(500);
    }
    return s;
}

bool whole(const ClusterSnapshot &s)
{
    if (s.partial() || s.brokers.size() != 3)
        return false;
    for (const auto &t : s.topics)
        for (const auto &p : t.partitions)
            if (p.offline() || p.underReplicated())
                return false;
    return true;
}

void verifySeededTruth(const ClusterSnapshot &s)
{
    for (const auto &spec : sd::topics())
        for (const auto &p : s.topic(spec.name)->partitions)
            QCOMPARE(p.highWatermark, sd::messages(spec, p.partition));
    QCOMPARE(s.group("kp-lagging")->totalLag(), int64_t(2080));
}

} // namespace

class TestBrokerDown : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!test::requireCluster())
            return;
        QVERIFY(whole(collectUntil(whole)));
    }

    // Whatever a test left behind (a failed check returns before its own restart), every broker runs again and the
    // cluster is whole before the next test, so that one failure does not cascade into the tests after it.
    void cleanup()
    {
        for (const char *n : {"1", "2", "3"})
            test::clusterScript({QStringLiteral("start-broker"), QString::fromLatin1(n)});
        // Whole, and every leader back on its preferred replica (cluster.sh checks every 5 s): a leader move after
        // this test would read as a failure in the next test's drill.
        auto settled = [](const ClusterSnapshot &s) {
            if (!whole(s))
                return false;
            for (const auto &t : s.topics)
                for (const auto &p : t.partitions)
                    if (p.replicas.empty() || p.leader != p.replicas.front())
                        return false;
            return true;
        };
        QVERIFY(settled(collectUntil(settled)));
    }

    void brokerStoppedBeforeCollection()
    {
        QCOMPARE(test::clusterScript({QStringLiteral("stop-broker"), QStringLiteral("3")}), 0);
        ClusterSnapshot s = collectUntil([](const ClusterSnapshot &s) {
            if (s.brokers.size() != 2)
                return false;
            // Online partitions drop broker 3 from their ISR; a partition whose only replica is on 3 goes offline
            // and keeps its last ISR.
            for (const auto &t : s.topics)
                for (const auto &p : t.partitions)
                    if (!p.offline() && std::find(p.isr.begin(), p.isr.end(), 3) != p.isr.end())
                        return false;
            return true;
        });
        QCOMPARE(s.brokers.size(), size_t(2));
        QVERIFY2(test::hasProblem(s, "metadata", "broker 3"), test::describeProblems(s).c_str());
        QVERIFY2(test::hasProblem(s, "metadata", "not in the cluster metadata: it is down or unreachable"),
                 test::describeProblems(s).c_str());
        int64_t onThree = 0, offline = 0;
        for (const auto &t : s.topics)
            for (const auto &p : t.partitions) {
                const bool hasThree = std::find(p.replicas.begin(), p.replicas.end(), 3) != p.replicas.end();
                onThree += hasThree ? 1 : 0;
                if (hasThree && p.replicas.size() > 1) {
                    QVERIFY(p.underReplicated());
                    QVERIFY(!p.offline());
                    QVERIFY(p.watermarksKnown()); // the new leader answers
                }
                if (p.offline()) {
                    ++offline;
                    QCOMPARE(p.replicas, std::vector<int32_t>{3}); // only a partition whose sole replica is on 3
                    QVERIFY(!p.watermarksKnown());
                }
            }
        QVERIFY(onThree > 0);
        if (offline > 0)
            QVERIFY2(test::hasProblem(s, "watermarks", "offline (no leader)"), test::describeProblems(s).c_str());
        // Everything not on broker 3 is still exact.
        QCOMPARE(s.group("kp-lagging")->offsets.size(), size_t(64));

        QCOMPARE(test::clusterScript({QStringLiteral("start-broker"), QStringLiteral("3")}), 0);
        ClusterSnapshot back = collectUntil(whole);
        QVERIFY2(whole(back), test::describeProblems(back).c_str());
        verifySeededTruth(back);
    }

    void brokerKilledDuringCollection()
    {
        QElapsedTimer timer;
        timer.start();
        bool killed = false;
        ClusterSnapshot s = collect(4000, [&](const CollectProgress &p) {
            // Metadata is in hand and still names broker 2 as alive and leader: now it crashes.
            if (p.step == "Broker configs" && !killed) {
                killed = true;
                test::clusterScript({QStringLiteral("kill-broker"), QStringLiteral("2")});
            }
        });
        QVERIFY(killed);
        QVERIFY2(s.partial(), "a snapshot taken while a broker died must say it is partial");
        QCOMPARE(s.brokers.size(), size_t(3)); // metadata was read before the crash
        QVERIFY2(test::hasProblem(s, "brokerConfigs", "broker 2"), test::describeProblems(s).c_str());
        // The partitions broker 2 led: if the controller moved their leadership before the watermarks step ran (the
        // configs steps above wait out their timeouts first), librdkafka reads them from the new leaders; else the step
        // says it could not. Never a silent gap.
        int64_t unknownWatermarks = 0;
        for (const auto &t : s.topics)
            for (const auto &p : t.partitions)
                unknownWatermarks += p.watermarksKnown() ? 0 : 1;
        QVERIFY2(unknownWatermarks == 0 || test::hasProblem(s, "watermarks", "broker 2"),
                 test::describeProblems(s).c_str());
        QVERIFY2(test::hasProblem(s, "logDirs", "broker 2"), test::describeProblems(s).c_str());
        QVERIFY(!s.broker(2)->logDirsKnown);
        QVERIFY(s.broker(1)->logDirsKnown);
        QVERIFY(s.broker(1)->rackKnown);
        QVERIFY(!s.broker(2)->rackKnown);
        // Partitions led by the other brokers still have their watermarks.
        int64_t known = 0;
        for (const auto &t : s.topics)
            for (const auto &p : t.partitions)
                if (p.leader != 2) {
                    QVERIFY(p.watermarksKnown());
                    ++known;
                }
        QVERIFY(known > 0);
        // Bounded: each step waits at most its timeout, never forever.
        QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));

        QCOMPARE(test::clusterScript({QStringLiteral("start-broker"), QStringLiteral("2")}), 0);
        ClusterSnapshot back = collectUntil(whole);
        QVERIFY2(whole(back), test::describeProblems(back).c_str());
        verifySeededTruth(back);
    }
};

QTEST_GUILESS_MAIN(TestBrokerDown)
#include "tst_brokerdown.moc"
