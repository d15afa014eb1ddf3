// Cross-AZ traffic over hand-made placements with exact rates: every flow, the per-topic breakdown, follower fetching
// and its saving, client AZ rules, and money.

#include "models/traffic.h"

#include <QTest>

using namespace kp;

namespace {

// Three brokers in az-a, az-b, az-c; topic "t" with one RF-3 partition led by broker 1 (az-a), and topic "r1" with one
// RF-1 partition on broker 2.
ClusterSnapshot cluster(bool followerFetching = false)
{
    ClusterSnapshot s;
    for (int b = 1; b <= 3; ++b) {
        BrokerInfo info{b, "h", 9092, std::string("az-") + char('a' + b - 1), true, {}, {}, false};
        if (followerFetching)
            info.configs["replica.selector.class"] = "org.apache.kafka.common.replica.RackAwareReplicaSelector";
        else
            info.configs["broker.rack"] = info.rack;
        s.brokers.push_back(info);
    }
    TopicInfo t;
    t.name = "t";
    t.partitions.push_back({0, 1, {1, 2, 3}, {1, 2, 3}, "", 0, 100, {}});
    s.topics.push_back(t);
    TopicInfo r1;
    r1.name = "r1";
    r1.partitions.push_back({0, 2, {2}, {2}, "", 0, 100, {}});
    s.topics.push_back(r1);
    ConsumerGroup g;
    g.groupId = "g";
    GroupMember m;
    m.memberId = "m1";
    m.host = "/10.2.0.7";
    m.assignment = {{"t", 0}};
    g.members = {m};
    s.groups = {g};
    return s;
}

} // namespace

class TestTraffic : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void flowsFromPlacement()
    {
        const ClusterSnapshot s = cluster();
        TrafficInputs in;
        in.produceBytesPerSecond[{"t", 0}] = 3e6;
        in.produceBytesPerSecond[{"r1", 0}] = 1.5e6;
        in.consumeBytesPerSecond["g"][{"t", 0}] = 3e6;
        in.clientAzs = {{"10.1.0.0/16", "az-a"}, {"10.2.0.0/16", "az-b"}, {"10.3.0.0/16", "az-c"}};
        const Traffic t = computeTraffic(s, in);
        QCOMPARE(t.azs, (std::vector<std::string>{"az-a", "az-b", "az-c"}));
        QVERIFY(t.racksKnown);
        // Producers spread evenly: a third from each AZ to the leader's.
        QCOMPARE(t.produce.bytes.at("az-b").at("az-a"), 1e6);
        QCOMPARE(t.produce.bytes.at("az-a").at("az-a"), 1e6);
        QCOMPARE(t.produce.bytes.at("az-a").at("az-b"), 0.5e6); // r1 is led in az-b
        QCOMPARE(t.produce.crossAz(), 2e6 + 1e6);
        // Replication: leader az-a to both followers; RF 1 replicates nothing.
        QCOMPARE(t.replication.bytes.at("az-a").at("az-b"), 3e6);
        QCOMPARE(t.replication.bytes.at("az-a").at("az-c"), 3e6);
        QCOMPARE(t.replication.crossAz(), 6e6);
        // The consumer's host is in 10.2/16 = az-b, and it reads from the leader in az-a.
        QCOMPARE(t.consume.bytes.at("az-a").at("az-b"), 3e6);
        QCOMPARE(t.consume.crossAz(), 3e6);
        QVERIFY2(t.consumeAssumption.find("1 of 1 group partitions") == 0, t.consumeAssumption.c_str());
        // With follower fetching it would read from the az-b replica: all of it saved.
        QVERIFY(!t.followerFetching);
        QCOMPARE(t.consumeCrossWithFollowerFetching, 0.0);
        // Per topic.
        QCOMPARE(t.topics.at("t").produced, 3e6);
        QCOMPARE(t.topics.at("t").produceCross, 2e6);
        QCOMPARE(t.topics.at("t").replicationCross, 6e6);
        QCOMPARE(t.topics.at("t").consumeCross, 3e6);
        QCOMPARE(t.topics.at("r1").crossAz(), 1e6);
        QCOMPARE(t.crossAz(), 3e6 + 6e6 + 3e6);
        QCOMPARE(t.partitionsWithoutRate, int64_t(0));
    }

    void followerFetchingAndUnmappedConsumers()
    {
        const ClusterSnapshot s = cluster(true);
        TrafficInputs in;
        in.produceBytesPerSecond[{"t", 0}] = 3e6;
        in.consumeBytesPerSecond["g"][{"t", 0}] = 3e6; // no rules: spread evenly
        const Traffic t = computeTraffic(s, in);
        QVERIFY(t.followerFetching);
        QVERIFY2(t.followerFetchingDetail.find("on (replica.selector.class") == 0, t.followerFetchingDetail.c_str());
        // A replica in every AZ: each third reads locally.
        QCOMPARE(t.consume.crossAz(), 0.0);
        QCOMPARE(t.consume.total(), 3e6);
        QCOMPARE(t.partitionsWithoutRate, int64_t(1)); // r1 has no rate
        QVERIFY2(t.consumeAssumption.find("spread evenly") != std::string::npos, t.consumeAssumption.c_str());
        // Off, the same consumers: two thirds cross.
        const Traffic off = computeTraffic(cluster(false), in);
        QCOMPARE(off.consume.crossAz(), 2e6);
        QCOMPARE(off.consumeCrossWithFollowerFetching, 0.0);
    }

    void clientAzRules()
    {
        const std::vector<ClientAzRule> rules{
            {"10.0.0.0/8", "wide"}, {"10.2.0.0/16", "az-b"}, {"fd00::/8", "v6"}, {"192.168.1.5", "one"}};
        QCOMPARE(clientAz(rules, "/10.2.3.4"), std::string("az-b")); // the most specific block wins
        QCOMPARE(clientAz(rules, "10.9.3.4"), std::string("wide"));
        QCOMPARE(clientAz(rules, "fd12::1"), std::string("v6"));
        QCOMPARE(clientAz(rules, "192.168.1.5"), std::string("one"));
        QCOMPARE(clientAz(rules, "192.168.1.6"), std::string());
        QCOMPARE(clientAz(rules, "kafka-client.local"), std::string()); // not an address
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, validateClientAzRules({{"10.0.0.0/33", "x"}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, validateClientAzRules({{"ten", "x"}}));
        try {
            validateClientAzRules({{"10.0.0.0/8", "a"}, {"10.0.0.0/8", ""}});
            QFAIL("must throw");
        } catch (const std::invalid_argument &e) {
            QCOMPARE(std::string(e.what()), std::string("client AZ rule 2 (10.0.0.0/8): the AZ is empty"));
        }
    }

    void rulesAsText()
    {
        const auto rules = parseClientAzRules(" 10.1.0.0/16 = az-a,10.2.0.0/16=az-b ,, fd00::/8=v6");
        QCOMPARE(rules.size(), size_t(3));
        QCOMPARE(rules[0].cidr, std::string("10.1.0.0/16"));
        QCOMPARE(rules[0].az, std::string("az-a"));
        QCOMPARE(formatClientAzRules(rules), std::string("10.1.0.0/16=az-a, 10.2.0.0/16=az-b, fd00::/8=v6"));
        // A part without "=" is kept, for the validation to name.
        const auto bad = parseClientAzRules("10.1.0.0/16");
        QCOMPARE(bad.size(), size_t(1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, validateClientAzRules(bad));
        QVERIFY(parseClientAzRules("").empty());
    }

    void money()
    {
        // 1 MB/s for 730 h = 2,628 GB; at $0.02 per GB: $52.56.
        QVERIFY(qAbs(monthlyCost(1e6, 0.02, false) - 52.56) < 1e-9);
        // Per GiB: 2,628e9 / 2^30 GiB at $0.01.
        QVERIFY(qAbs(monthlyCost(1e6, 0.01, true) - 2628e9 / 1073741824.0 * 0.01) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestTraffic)
#include "tst_traffic.moc"
