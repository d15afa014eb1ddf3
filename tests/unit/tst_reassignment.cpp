// Reassignment plans on synthetic clusters (3 to 30 brokers over 3 racks, skewed layouts and sizes): each goal is met,
// no partition ever has two replicas on one broker or loses one, racks stay spread, the plan is the same every time, it
// copies no more bytes than a simple greedy baseline, and its cost (bytes per broker and rack pair, time under the
// throttle, the kafka-reassign-partitions JSON) is exact on a small case worked by hand.

#include "models/reassignment.h"

#include <QTest>
#include <nlohmann/json.hpp>
#include <random>

using namespace kp;

namespace {

const std::vector<std::string> kRacks = {"az-a", "az-b", "az-c"};

BrokerInfo broker(int32_t id, const std::string &rack)
{
    BrokerInfo b;
    b.id = id;
    b.rack = rack;
    b.rackKnown = true;
    return b;
}

PartitionInfo partition(int32_t p, std::vector<int32_t> replicas, int64_t size)
{
    PartitionInfo info;
    info.partition = p;
    info.replicas = replicas;
    info.isr = replicas;
    info.leader = replicas.front();
    if (size >= 0)
        for (const int32_t b : replicas)
            info.replicaSizes.push_back({b, "/d", size, 0, false});
    return info;
}

// `brokers` brokers round the racks; `partitions` partitions of RF 3 crowded onto the first brokers of each rack
// (skewed), rack-aware, sizes spread over three orders of magnitude; the same cluster for the same seed.
ClusterSnapshot synthetic(int brokers, int partitions, unsigned seed)
{
    ClusterSnapshot s;
    s.clusterId = "synthetic";
    for (int b = 1; b <= brokers; ++b)
        s.brokers.push_back(broker(b, kRacks[size_t(b - 1) % 3]));
    std::mt19937 random(seed);
    TopicInfo t;
    t.name = "events";
    const int perRack = std::max(1, brokers / 3);
    const int crowded = std::max(1, perRack / 2); // only the first half of each rack's brokers hold data
    for (int p = 0; p < partitions; ++p) {
        std::vector<int32_t> replicas;
        for (int r = 0; r < 3; ++r) {
            const int rack = (p + r) % 3;
            const int inRack = int(random() % unsigned(crowded));
            replicas.push_back(int32_t(rack + 1 + 3 * inRack));
        }
        t.partitions.push_back(partition(p, replicas, int64_t(1000) << (random() % 10)));
    }
    s.topics.push_back(t);
    return s;
}

std::map<int32_t, std::vector<int32_t>> assignment(const ClusterSnapshot &s, const ReassignmentPlan &plan)
{
    std::map<int32_t, std::vector<int32_t>> out;
    for (const auto &p : s.topics.front().partitions)
        out[p.partition] = p.replicas;
    for (const auto &m : plan.moves)
        out[m.partition] = m.after;
    return out;
}

std::string rackOf(const ClusterSnapshot &s, const std::vector<NewBroker> &added, int32_t id)
{
    if (const BrokerInfo *b = s.broker(id))
        return b->rack;
    for (const auto &n : added)
        if (n.id == id)
            return n.rack;
    return "?";
}

// Every partition keeps RF 3 on three distinct brokers, one per rack.
void checkInvariants(const ClusterSnapshot &s, const ReassignmentPlan &plan, const std::vector<NewBroker> &added = {})
{
    for (const auto &[p, replicas] : assignment(s, plan)) {
        QCOMPARE(replicas.size(), size_t(3));
        QCOMPARE(std::set<int32_t>(replicas.begin(), replicas.end()).size(), size_t(3));
        std::set<std::string> racks;
        for (const int32_t b : replicas)
            racks.insert(rackOf(s, added, b));
        QCOMPARE(racks.size(), size_t(3));
    }
}

// Within each rack, brokers differ by at most one replica (racks are filled evenly by rack-aware placement, and a
// rack's share is fixed by RF 3 over 3 racks).
void checkBalancedWithinRacks(const ReassignmentPlan &plan)
{
    std::map<std::string, std::pair<int64_t, int64_t>> range; // rack -> min, max
    for (const auto &[id, b] : plan.brokers) {
        auto [it, first] = range.try_emplace(b.rack, b.replicasAfter, b.replicasAfter);
        it->second.first = std::min(it->second.first, b.replicasAfter);
        it->second.second = std::max(it->second.second, b.replicasAfter);
    }
    for (const auto &[rack, r] : range)
        QVERIFY2(r.second - r.first <= 1,
                 (rack + ": " + std::to_string(r.first) + ".." + std::to_string(r.second)).c_str());
}

// The baseline: the same number of replicas moved onto each broker that gains, taking partitions in topic order
// instead of smallest first (what a plain greedy assigner does).
int64_t baselineBytes(const ClusterSnapshot &s, const ReassignmentPlan &plan)
{
    std::map<std::pair<int32_t, int32_t>, int64_t> need; // (from, to) -> replicas
    for (const auto &m : plan.moves) { // replicas copied, each paired with one dropped (order changes copy nothing)
        const auto added = m.added(), removed = m.removed();
        for (size_t i = 0; i < added.size(); ++i)
            need[{removed.at(i), added[i]}]++;
    }
    int64_t bytes = 0;
    for (const auto &[pair, count] : need) {
        int64_t left = count;
        for (const auto &p : s.topics.front().partitions)
            if (left > 0 && std::find(p.replicas.begin(), p.replicas.end(), pair.first) != p.replicas.end()) {
                bytes += p.sizeBytes();
                --left;
            }
    }
    return bytes;
}

} // namespace

class TestReassignment : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Worked by hand: 3 brokers (az-a, az-b, az-c), 6 partitions of RF 3; broker 4 joins az-a. Only broker 1's
    // replicas may move to it (another az-a replica would put two on one rack), the three smallest. Broker 1 then
    // still leads 3 of the 6 partitions (p0, p2, p4) where 2 is its share: p0 gets broker 3 (leading none) first.
    void addingABrokerMovesTheSmallestPartitionsItMayTake()
    {
        ClusterSnapshot s;
        s.brokers = {broker(1, "az-a"), broker(2, "az-b"), broker(3, "az-c")};
        TopicInfo t;
        t.name = "t";
        const std::vector<int64_t> sizes = {600, 100, 500, 200, 400, 300};
        for (int p = 0; p < 6; ++p)
            t.partitions.push_back(
                partition(p, p == 3 ? std::vector<int32_t>{2, 3, 1} : std::vector<int32_t>{1, 2, 3}, sizes[size_t(p)]));
        s.topics.push_back(t);
        ReassignGoal goal{ReassignGoalKind::AddBrokers, {{4, "az-a"}}, -1};
        const ReassignmentPlan plan = planReassignment(s, goal);
        QCOMPARE(plan.moves.size(), size_t(4));
        QCOMPARE(plan.moves[0].partition, 0);
        QCOMPARE(plan.moves[0].after, (std::vector<int32_t>{3, 2, 1}));
        QVERIFY(plan.moves[0].added().empty());
        QCOMPARE(plan.moves[1].partition, 1);
        QCOMPARE(plan.moves[1].after, (std::vector<int32_t>{4, 2, 3}));
        QCOMPARE(plan.moves[2].partition, 3);
        QCOMPARE(plan.moves[2].after, (std::vector<int32_t>{2, 3, 4}));
        QCOMPARE(plan.moves[2].source, 2);
        QCOMPARE(plan.moves[3].partition, 5);
        QCOMPARE(plan.bytesMoved, int64_t(600));
        QCOMPARE(plan.replicasMoved, int64_t(3));
        QCOMPARE(plan.brokers.at(4).bytesIn, int64_t(600));
        QCOMPARE(plan.brokers.at(4).replicasAfter, int64_t(3));
        QCOMPARE(plan.brokers.at(1).replicasOut, int64_t(3));
        QCOMPARE(plan.brokers.at(1).bytesOut, int64_t(400)); // leader of partitions 1 and 5
        QCOMPARE(plan.brokers.at(2).bytesOut, int64_t(200)); // leader of partition 3
        QCOMPARE(plan.brokers.at(4).leadersAfter, int64_t(2));
        QCOMPARE(plan.brokers.at(1).leadersAfter, int64_t(2));
        QCOMPARE(plan.brokers.at(2).leadersAfter, int64_t(1));
        QCOMPARE(plan.brokers.at(3).leadersAfter, int64_t(1));
        QCOMPARE(plan.bytesByRacks.at({"az-a", "az-a"}), int64_t(400));
        QCOMPARE(plan.bytesByRacks.at({"az-b", "az-a"}), int64_t(200));
        QCOMPARE(plan.crossAzBytes(), int64_t(200));
        QCOMPARE(secondsAtThrottle(plan, 100), 6.0); // broker 4 receives 600 bytes at 100 B/s
        // The layout after: broker 4 listed on az-a, holding partitions 1, 3 and 5 with their sizes; broker 1 keeps
        // partitions 0, 2 and 4; the preferred replicas lead.
        const ClusterSnapshot after = snapshotAfter(s, plan);
        QCOMPARE(after.brokers.size(), size_t(4));
        QCOMPARE(after.broker(4)->rack, std::string("az-a"));
        const auto &ps = after.topics.front().partitions;
        QCOMPARE(ps[0].replicas, (std::vector<int32_t>{3, 2, 1}));
        QCOMPARE(ps[0].leader, 3);
        QCOMPARE(ps[1].replicas, (std::vector<int32_t>{4, 2, 3}));
        QCOMPARE(ps[1].isr, ps[1].replicas);
        QCOMPARE(ps[1].leader, 4);
        QCOMPARE(ps[1].sizeBytes(), int64_t(100));
        QCOMPARE(ps[1].replicaSizes.size(), size_t(3));
        QCOMPARE(ps[2].replicas, s.topics.front().partitions[2].replicas);
        int64_t onBroker1 = 0, onBroker4 = 0;
        for (const auto &p : ps)
            for (const auto &r : p.replicaSizes) {
                onBroker1 += r.broker == 1 ? r.sizeBytes : 0;
                onBroker4 += r.broker == 4 ? r.sizeBytes : 0;
            }
        QCOMPARE(onBroker1, int64_t(600 + 500 + 400));
        QCOMPARE(onBroker4, int64_t(600));
        const auto json = nlohmann::json::parse(reassignmentJson(plan));
        QCOMPARE(json.at("version").get<int>(), 1);
        QCOMPARE(json.at("partitions").size(), size_t(4));
        QCOMPARE(json.at("partitions")[2].dump(),
                 std::string("{\"partition\":3,\"replicas\":[2,3,4],\"topic\":\"t\"}"));
    }

    void goalsAreMetOnSyntheticClusters_data()
    {
        QTest::addColumn<int>("brokers");
        QTest::addColumn<int>("partitions");
        QTest::addRow("3 brokers") << 3 << 60;
        QTest::addRow("6 brokers") << 6 << 300;
        QTest::addRow("12 brokers") << 12 << 900;
        QTest::addRow("30 brokers") << 30 << 3000;
    }
    void goalsAreMetOnSyntheticClusters()
    {
        QFETCH(int, brokers);
        QFETCH(int, partitions);
        const ClusterSnapshot s = synthetic(brokers, partitions, unsigned(brokers));
        // Balance: every rack's brokers even, nothing else broken, no more bytes than the baseline.
        const ReassignmentPlan balanced = planReassignment(s, {ReassignGoalKind::Balance, {}, -1});
        checkInvariants(s, balanced);
        checkBalancedWithinRacks(balanced);
        QVERIFY(balanced.bytesMoved <= baselineBytes(s, balanced));
        // Three brokers join, one per rack: they take replicas, racks stay even.
        const std::vector<NewBroker> added = {{brokers + 1, "az-a"}, {brokers + 2, "az-b"}, {brokers + 3, "az-c"}};
        const ReassignmentPlan grown = planReassignment(s, {ReassignGoalKind::AddBrokers, added, -1});
        checkInvariants(s, grown, added);
        checkBalancedWithinRacks(grown);
        for (const auto &n : added)
            QVERIFY(grown.brokers.at(n.id).replicasAfter > 0);
        QVERIFY(grown.bytesMoved <= baselineBytes(s, grown));
        // Removing broker 1 (when its rack has another): it ends empty, its replicas stay in its rack.
        if (brokers >= 6) {
            const ReassignmentPlan shrunk = planReassignment(s, {ReassignGoalKind::RemoveBroker, {}, 1});
            checkInvariants(s, shrunk);
            QCOMPARE(shrunk.brokers.at(1).replicasAfter, int64_t(0));
            QCOMPARE(shrunk.replicasMoved, balanced.brokers.at(1).replicasBefore);
        }
        // The same input, the same plan.
        QCOMPARE(reassignmentJson(planReassignment(s, {ReassignGoalKind::AddBrokers, added, -1})),
                 reassignmentJson(grown));
    }

    // Every partition led by broker 1: balancing puts other replicas first until no broker leads more than its share,
    // without copying a byte (the replica sets stay).
    void balancingSpreadsPreferredLeaders()
    {
        ClusterSnapshot s;
        s.brokers = {broker(1, "az-a"), broker(2, "az-b"), broker(3, "az-c")};
        TopicInfo t;
        t.name = "t";
        for (int p = 0; p < 9; ++p)
            t.partitions.push_back(partition(p, {1, 2, 3}, 100));
        s.topics.push_back(t);
        const ReassignmentPlan plan = planReassignment(s, {ReassignGoalKind::Balance, {}, -1});
        QCOMPARE(plan.brokers.at(1).leadersBefore, int64_t(9));
        for (int32_t b = 1; b <= 3; ++b)
            QCOMPARE(plan.brokers.at(b).leadersAfter, int64_t(3));
        QCOMPARE(plan.replicasMoved, int64_t(0));
        QCOMPARE(plan.bytesMoved, int64_t(0));
        QCOMPARE(plan.moves.size(), size_t(6));
        for (const auto &m : plan.moves)
            QCOMPARE(std::set<int32_t>(m.after.begin(), m.after.end()), (std::set<int32_t>{1, 2, 3}));
        QCOMPARE(secondsAtThrottle(plan, 1e6), 0.0);
    }

    // Two replicas of a partition on one rack: the second moves to the rack it lacks; the leader stays.
    void rackViolationsAreFixed()
    {
        ClusterSnapshot s;
        s.brokers = {broker(1, "az-a"), broker(2, "az-b"), broker(3, "az-c"), broker(4, "az-a")};
        TopicInfo t;
        t.name = "t";
        t.partitions = {partition(0, {1, 4, 2}, 10), partition(1, {2, 3, 1}, 10)};
        s.topics.push_back(t);
        const ReassignmentPlan plan = planReassignment(s, {ReassignGoalKind::FixRacks, {}, -1});
        QCOMPARE(plan.moves.size(), size_t(1));
        QCOMPARE(plan.moves[0].after, (std::vector<int32_t>{1, 3, 2}));
    }

    void impossibleGoalsAreRefusedNamingWhy_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("id");
        QTest::addColumn<QString>("rack");
        QTest::addColumn<QString>("message");
        QTest::addRow("remove at RF") << int(ReassignGoalKind::RemoveBroker) << 2 << QString()
                                      << "removing broker 2 leaves 2 broker(s), and topic t has replication factor 3";
        QTest::addRow("remove unknown") << int(ReassignGoalKind::RemoveBroker) << 9 << QString()
                                        << "broker 9 is not in the cluster (brokers 1, 2, 3)";
        QTest::addRow("add existing") << int(ReassignGoalKind::AddBrokers) << 3 << "az-a"
                                      << "broker 3 already exists and holds 1 replica(s)";
        QTest::addRow("add on a rack without brokers")
            << int(ReassignGoalKind::AddBrokers) << 4 << "az-q"
            << "rack \"az-q\" of new broker 4 has no brokers in this cluster (racks az-a, az-b, az-c)";
    }
    void impossibleGoalsAreRefusedNamingWhy()
    {
        QFETCH(int, kind);
        QFETCH(int, id);
        QFETCH(QString, rack);
        QFETCH(QString, message);
        ClusterSnapshot s;
        s.brokers = {broker(1, "az-a"), broker(2, "az-b"), broker(3, "az-c")};
        TopicInfo t;
        t.name = "t";
        t.partitions = {partition(0, {1, 2, 3}, 10)};
        s.topics.push_back(t);
        ReassignGoal goal{ReassignGoalKind(kind), {}, id};
        if (goal.kind == ReassignGoalKind::AddBrokers)
            goal.add = {{id, rack.toStdString()}};
        try {
            planReassignment(s, goal);
            QFAIL("the goal must be refused");
        } catch (const std::invalid_argument &e) {
            QCOMPARE(QString::fromUtf8(e.what()), message);
        }
    }

    // The usual order: the new broker is started (registered, empty), then the plan is made. It is planned as if it
    // were not there yet; registered on another rack than the one given, it is refused.
    void anEmptyRegisteredBrokerIsAddedLikeANewOne()
    {
        const ClusterSnapshot s = synthetic(6, 300, 6);
        ClusterSnapshot joined = s;
        joined.brokers.push_back(broker(7, "az-a"));
        const ReassignGoal goal{ReassignGoalKind::AddBrokers, {{7, "az-a"}}, -1};
        const ReassignmentPlan plan = planReassignment(joined, goal);
        QVERIFY(plan.brokers.at(7).replicasAfter > 0);
        QCOMPARE(reassignmentJson(plan), reassignmentJson(planReassignment(s, goal)));
        try {
            planReassignment(joined, {ReassignGoalKind::AddBrokers, {{7, "az-b"}}, -1});
            QFAIL("a broker registered on az-a cannot join az-b");
        } catch (const std::invalid_argument &e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     QStringLiteral("broker 7 is already in the cluster on rack \"az-a\", not \"az-b\""));
        }
    }

    // Without replica sizes the plan counts replicas and says the bytes are unknown, never zero.
    void unknownSizesAreUnknownBytes()
    {
        ClusterSnapshot s = synthetic(6, 60, 1);
        for (auto &p : s.topics.front().partitions)
            p.replicaSizes.clear();
        const ReassignmentPlan plan = planReassignment(s, {ReassignGoalKind::RemoveBroker, {}, 1});
        QVERIFY(plan.replicasMoved > 0);
        QCOMPARE(plan.replicasUnknownSize, plan.replicasMoved);
        QVERIFY(!plan.bytesKnown());
        QCOMPARE(secondsAtThrottle(plan, 1e6), -1.0);
        bool someUnknown = false;
        for (const auto &[id, b] : plan.brokers)
            someUnknown = someUnknown || b.bytesIn < 0;
        QVERIFY(someUnknown);
    }
};

QTEST_GUILESS_MAIN(TestReassignment)
#include "tst_reassignment.moc"
