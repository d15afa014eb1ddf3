// The Overview figures over the demo snapshot (values counted independently from the JSON file with a few lines of
// Python when the test was written) and over hand-made edge cases.

#include "models/overview.h"
#include "models/snapshotjson.h"

#include <QTest>

using namespace kp;

namespace {

ClusterSnapshot threeRacks()
{
    ClusterSnapshot s;
    for (int b = 1; b <= 3; ++b)
        s.brokers.push_back(
            {b, "h", 9092, "az-" + std::string(1, char('a' + b - 1)), true, {{"min.insync.replicas", "2"}}, {}, false});
    return s;
}

} // namespace

class TestOverview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demoSnapshot()
    {
        const Overview o = computeOverview(loadSnapshotFile(KP_DEMO_SNAPSHOT));
        QCOMPARE(o.brokers.size(), size_t(6));
        QVERIFY(o.racksKnown);
        // By rack, then id.
        QCOMPARE(o.brokers[0].id, 1);
        QCOMPARE(o.brokers[1].id, 4);
        QCOMPARE(o.brokers[1].rack, std::string("us-east-1a"));
        QCOMPARE(o.brokers[0].leaders, int64_t(77));
        QCOMPARE(o.brokers[0].replicas, int64_t(218));
        QCOMPARE(o.racks.size(), size_t(3));
        QCOMPARE(o.racks[0].replicas, int64_t(218 + 217));
        QCOMPARE(o.racks[0].brokers, 2);
        QCOMPARE(o.partitions, int64_t(451));
        QCOMPARE(o.underReplicated.size(), size_t(1));
        QCOMPARE(o.underReplicated[0].topic, std::string("training.samples.v7"));
        QCOMPARE(o.underReplicated[0].partition, 17);
        QCOMPARE(o.underReplicated[0].detail, std::string("ISR 2 of 3"));
        QCOMPARE(o.underMinIsr.size(), size_t(0)); // ISR 2 meets min.insync.replicas 2
        QCOMPARE(o.offline.size(), size_t(0));
        QCOMPARE(o.rackViolations.size(), size_t(1));
        QCOMPARE(o.rackViolations[0].topic, std::string("payments"));
        QCOMPARE(o.rackViolations[0].partition, 5);
        QCOMPARE(o.rackViolations[0].detail, std::string("replicas 1, 4 all in us-east-1a"));
        QCOMPARE(o.riskyTopics.size(), size_t(3));
        QCOMPARE(o.riskyTopics[0].topic, std::string("backfill.tmp"));
        QCOMPARE(o.riskyTopics[0].reason, std::string("replication factor 1 < 3; min.insync.replicas 1 < 2"));
        QCOMPARE(o.riskyTopics[1].topic, std::string("inventory.cdc"));
        QCOMPARE(o.riskyTopics[1].reason, std::string("min.insync.replicas 1 < 2"));
        QCOMPARE(o.riskyTopics[2].topic, std::string("search.queries"));
        // Leaders 77, 76, 76, 73, 74, 75: mean 75.17, max 77 -> 2.44 %; replicas max 220 of mean 217.5 -> 1.15 %.
        QCOMPARE(o.leaderSkewBrokers.worst, std::string("broker 1"));
        QVERIFY(qAbs(o.leaderSkewBrokers.percent - 2.4390) < 0.001);
        QVERIFY(qAbs(o.replicaSkewBrokers.percent - 1.1494) < 0.001);
        QVERIFY(o.bytes > 0);
        QVERIFY(!o.bytesEstimated);
    }

    void underMinIsrOfflineAndSkew()
    {
        ClusterSnapshot s = threeRacks();
        TopicInfo t;
        t.name = "t";
        t.configsKnown = true; // no min.insync.replicas of its own: the brokers' 2 applies
        t.partitions.push_back({0, 1, {1, 2, 3}, {1}, "", 0, 10, {}});
        t.partitions.push_back({1, -1, {2, 3, 1}, {}, "", -1, -1, {}});
        t.partitions.push_back({2, 1, {1, 2, 3}, {1, 2, 3}, "", 0, 10, {}});
        s.topics.push_back(t);
        const Overview o = computeOverview(s);
        QCOMPARE(o.underMinIsr.size(), size_t(1));
        QCOMPARE(o.underMinIsr[0].detail, std::string("ISR 1 of 3, min.insync.replicas 2"));
        QCOMPARE(o.underReplicated.size(), size_t(1));
        QCOMPARE(o.offline.size(), size_t(1));
        QCOMPARE(o.offline[0].partition, 1);
        QCOMPARE(o.rackViolations.size(), size_t(0));
        // Broker 1 leads both online partitions, the others none: mean 2/3, max 2 -> 200 %.
        QCOMPARE(o.leaderSkewBrokers.worst, std::string("broker 1"));
        QVERIFY(qAbs(o.leaderSkewBrokers.percent - 200.0) < 1e-9);
        QCOMPARE(o.replicaSkewBrokers.percent, 0.0);
        QVERIFY(o.riskyTopics.empty());
        QCOMPARE(o.bytes, int64_t(-1)); // no sizes read
    }

    void unknownRacksAndConfigsClaimNothing()
    {
        ClusterSnapshot s = threeRacks();
        for (auto &b : s.brokers) {
            b.rackKnown = false;
            b.configs.clear();
        }
        TopicInfo t;
        t.name = "t";
        t.partitions.push_back({0, 1, {1, 2}, {1, 2}, "", 0, 10, {}});
        s.topics.push_back(t);
        const Overview o = computeOverview(s);
        QVERIFY(!o.racksKnown);
        QVERIFY(o.rackViolations.empty()); // cannot be told without racks
        QCOMPARE(o.leaderSkewRacks.percent, 0.0);
        QCOMPARE(minInsyncReplicas(s, s.topics[0]), -1);
        QCOMPARE(o.riskyTopics.size(), size_t(1));
        QCOMPARE(o.riskyTopics[0].reason, std::string("replication factor 2 < 3")); // min.insync unknown: not claimed
    }

    void twoRacksAllowTwoDistinct()
    {
        // RF 3 over two racks: two distinct racks is the best possible, not a violation; one rack is.
        ClusterSnapshot s;
        for (int b = 1; b <= 4; ++b)
            s.brokers.push_back({b, "h", 9092, b <= 2 ? "x" : "y", true, {}, {}, false});
        TopicInfo t;
        t.name = "t";
        t.partitions.push_back({0, 1, {1, 2, 3}, {1, 2, 3}, "", 0, 1, {}});
        t.partitions.push_back({1, 1, {1, 2}, {1, 2}, "", 0, 1, {}});
        s.topics.push_back(t);
        const Overview o = computeOverview(s);
        QCOMPARE(o.rackViolations.size(), size_t(1));
        QCOMPARE(o.rackViolations[0].partition, 1);
        QCOMPARE(o.rackViolations[0].detail, std::string("replicas 1, 2 all in x"));
    }

    // Tiered uploads that appear stalled: more local bytes than local.retention.bytes plus three segments. At the
    // bound exactly, by time only, with an estimated size, or not tiered: nothing is claimed.
    void tieredUploadsThatAppearStalled()
    {
        constexpr int64_t MiB = 1 << 20;
        ClusterSnapshot s = threeRacks();
        auto partition = [](int32_t n, int64_t bytes, int64_t localStart) {
            PartitionInfo p{n, 1, {1, 2, 3}, {1, 2, 3}, "", 0, 20000, {{1, "/d", bytes, 0, false}}};
            p.localLogStartOffset = localStart;
            return p;
        };
        TopicInfo t;
        t.name = "tiered";
        t.configsKnown = true;
        t.configs = {{"remote.storage.enable", "true"},
                     {"local.retention.bytes", "1048576"},
                     {"segment.bytes", "1048576"},
                     {"retention.bytes", "-1"}};
        t.partitions = {partition(0, 4 * MiB + 1, 0), partition(1, 4 * MiB, 0), partition(2, 9 * MiB, 5000)};
        t.partitions.push_back(partition(3, 10 * MiB, 0));
        t.partitions.back().sizeEstimated = true;
        s.topics.push_back(t);
        TopicInfo byTime = t; // local.retention.bytes -2 and retention.bytes -1: a local retention by time only
        byTime.name = "by-time";
        byTime.configs["local.retention.bytes"] = "-2";
        s.topics.push_back(byTime);
        TopicInfo inherits = byTime; // -2 takes the topic's retention.bytes
        inherits.name = "inherits";
        inherits.configs["retention.bytes"] = "2097152";
        s.topics.push_back(inherits);
        TopicInfo plain = t;
        plain.name = "plain";
        plain.configs["remote.storage.enable"] = "false";
        s.topics.push_back(plain);

        const Overview o = computeOverview(s);
        QCOMPARE(o.tieredUploadsStalled.size(), size_t(3));
        const std::string why = " (the brokers' RemoteLogManager log says why)";
        QCOMPARE(o.tieredUploadsStalled[0].topic, std::string("tiered"));
        QCOMPARE(o.tieredUploadsStalled[0].partition, 0);
        QCOMPARE(o.tieredUploadsStalled[0].detail,
                 std::string("4.0 MiB on local disk against local.retention.bytes 1.0 MiB and segments of 1.0 MiB; "
                             "nothing has reached the remote tier: uploads appear to fail") +
                     why);
        QCOMPARE(o.tieredUploadsStalled[1].partition, 2);
        QCOMPARE(o.tieredUploadsStalled[1].detail,
                 std::string("9.0 MiB on local disk against local.retention.bytes 1.0 MiB and segments of 1.0 MiB; "
                             "5000 offsets in the remote tier: uploads appear stalled or far behind") +
                     why);
        // local.retention.bytes -2 with retention.bytes 2 MiB: the bound is 5 MiB; partitions 0 and 1 are under it,
        // partition 3's size is estimated.
        QCOMPARE(o.tieredUploadsStalled[2].topic, std::string("inherits"));
        QCOMPARE(o.tieredUploadsStalled[2].partition, 2);
        QVERIFY2(o.tieredUploadsStalled[2].detail.find("against local.retention.bytes 2.0 MiB") != std::string::npos,
                 o.tieredUploadsStalled[2].detail.c_str());
    }
};

QTEST_GUILESS_MAIN(TestOverview)
#include "tst_overview.moc"
