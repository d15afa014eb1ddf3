// DescribeLogDirs through our own wire client against the real cluster, on PLAINTEXT and SASL SCRAM-SHA-512 (which,
// unlike librdkafka 2.0.2, our SCRAM speaks correctly to Kafka 4.x too). Sizes are checked against the placement the
// collector reads independently: every replica of a seeded partition is on the broker metadata names, with the same
// size on every broker, at least messages x value bytes.

#include "clusterfixture.h"
#include "kafka/kafkaclient.h"
#include "kafka/snapshotcollector.h"
#include "kafka/wire/brokerconnection.h"
#include "models/cancelled.h"

#include <QTest>
#include <map>
#include <set>

using namespace kp;
using namespace kp::wire;
namespace sd = kp::seed;

class TestLogDirs : public QObject
{
    Q_OBJECT

    ClusterSnapshot m_snapshot;

    // (topic, partition) -> broker -> size, over all brokers, for one profile.
    std::map<std::pair<std::string, int32_t>, std::map<int32_t, int64_t>> sizes(const ConnectionProfile &profile,
                                                                                int basePort)
    {
        std::map<std::pair<std::string, int32_t>, std::map<int32_t, int64_t>> out;
        for (int b = 1; b <= 3; ++b) {
            BrokerLogDirs dirs = describeLogDirs(profile, "127.0.0.1", basePort + b - 1, 10000);
            if (dirs.version != 4)
                QTest::qFail(qPrintable(QStringLiteral("DescribeLogDirs v%1, expected v4").arg(dirs.version)), __FILE__,
                             __LINE__);
            if (dirs.response.results.size() != 1)
                QTest::qFail("one log dir per broker expected", __FILE__, __LINE__);
            const auto &dir = dirs.response.results.front();
            if (dir.path != "/tmp/kafka-planner-cluster/node" + std::to_string(b) + "/data" || dir.errorCode != 0 ||
                dir.totalBytes <= 0 || dir.usableBytes <= 0 || dir.usableBytes > dir.totalBytes)
                QTest::qFail(qPrintable(QString::fromStdString("unexpected log dir " + dir.path)), __FILE__, __LINE__);
            for (const auto &p : dir.partitions)
                out[{p.topic, p.partition}][b] = p.sizeBytes;
        }
        return out;
    }

    void checkAgainstPlacement(const std::map<std::pair<std::string, int32_t>, std::map<int32_t, int64_t>> &s)
    {
        for (const auto &t : m_snapshot.topics) {
            for (const auto &p : t.partitions) {
                auto it = s.find({t.name, p.partition});
                QVERIFY2(it != s.end(), (t.name + "-" + std::to_string(p.partition)).c_str());
                std::set<int32_t> brokers;
                for (const auto &[b, size] : it->second)
                    brokers.insert(b);
                QCOMPARE(brokers, std::set<int32_t>(p.replicas.begin(), p.replicas.end()));
                const sd::Topic *spec = sd::topic(t.name);
                if (!spec)
                    continue;
                const int64_t first = it->second.begin()->second;
                for (const auto &[b, size] : it->second)
                    QCOMPARE(size, first); // followers hold byte-identical copies
                // A topic with its own compression.type (clickstream: lz4) is recompressed by the broker.
                const bool compressed = std::any_of(spec->configs.begin(), spec->configs.end(),
                                                    [](const auto &kv) { return kv.first == "compression.type"; });
                QVERIFY2(first >= (compressed ? 1 : sd::messages(*spec, p.partition) * spec->valueBytes),
                         (t.name + "-" + std::to_string(p.partition) + ": " + std::to_string(first)).c_str());
                QVERIFY(first < sd::messages(*spec, p.partition) * (spec->valueBytes + 200) + 200);
            }
        }
        QCOMPARE(s.size(), size_t(m_snapshot.partitionCount()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!test::requireCluster())
            return;
        KafkaClient client(test::plaintextProfile());
        m_snapshot = SnapshotCollector(client).collect();
        QVERIFY(!m_snapshot.partial());
    }

    void plaintext() { checkAgainstPlacement(sizes(test::plaintextProfile(), 19091)); }

    void scramSha512() { checkAgainstPlacement(sizes(test::saslProfile(sd::kAdminUser, sd::kAdminPassword), 19191)); }

    void inspectorMayDescribeLogDirs()
    {
        checkAgainstPlacement(sizes(test::saslProfile(sd::kInspectorUser, sd::kInspectorPassword), 19191));
    }

    // The record batches a fetch returns are what the log holds: their bytes are the partition's size on disk, exactly
    // (a single segment), and they span every seeded offset.
    void fetchedBatchesAreTheLogOnDisk()
    {
        const sd::Topic &orders = *sd::topic("orders");
        const TopicInfo *t = m_snapshot.topic("orders");
        for (int32_t partition : {0, 7, 11}) {
            const PartitionInfo *p = t->findPartition(partition);
            const BrokerInfo *leader = m_snapshot.broker(p->leader);
            const FetchResponse r = fetchBatches(test::plaintextProfile(), leader->host, leader->port, 10000,
                                                 {{"orders", partition, 0, 1 << 20}});
            QCOMPARE(r.partitions.size(), size_t(1));
            QCOMPARE(r.partitions[0].errorCode, int16_t(0));
            QCOMPARE(r.partitions[0].highWatermark, sd::messages(orders, partition));
            const BatchStats st = summarizeRecordBatches(r.partitions[0].records);
            QCOMPARE(st.offsets, sd::messages(orders, partition));
            QCOMPARE(st.bytes, p->sizeBytes());
        }
    }

    void fetchNeedsRead()
    {
        const TopicInfo *t = m_snapshot.topic("orders");
        const BrokerInfo *leader = m_snapshot.broker(t->partitions[0].leader);
        // The limited user may describe topics but not read them: the broker says so per partition.
        const FetchResponse r = fetchBatches(test::saslProfile(sd::kLimitedUser, sd::kLimitedPassword), "127.0.0.1",
                                             19190 + leader->id, 10000, {{"orders", 0, 0, 65536}});
        QCOMPARE(r.partitions.size(), size_t(1));
        QCOMPARE(errorName(r.partitions[0].errorCode), std::string("TOPIC_AUTHORIZATION_FAILED"));
    }

    void limitedUserIsRefusedWithTheReason()
    {
        BrokerLogDirs dirs =
            describeLogDirs(test::saslProfile(sd::kLimitedUser, sd::kLimitedPassword), "127.0.0.1", 19191, 10000);
        QCOMPARE(dirs.version, int16_t(4));
        QCOMPARE(errorName(dirs.response.errorCode), std::string("CLUSTER_AUTHORIZATION_FAILED"));
        QCOMPARE(dirs.response.results.size(), size_t(0));
    }

    void wrongPassword()
    {
        try {
            describeLogDirs(test::saslProfile(sd::kAdminUser, "wrong"), "127.0.0.1", 19192, 10000);
            QFAIL("must fail");
        } catch (const WireError &e) {
            QVERIFY2(std::string(e.what()).find("SASL authentication failed for user 'admin' on 127.0.0.1:19192") !=
                         std::string::npos,
                     e.what());
        }
    }

    void unreachable()
    {
        try {
            describeLogDirs(test::plaintextProfile(), "127.0.0.1", 1, 3000);
            QFAIL("must fail");
        } catch (const WireError &e) {
            QVERIFY2(std::string(e.what()).find("could not connect to 127.0.0.1:1") != std::string::npos, e.what());
        }
    }

    void cancelled()
    {
        std::atomic<bool> cancel{true};
        try {
            describeLogDirs(test::plaintextProfile(), "127.0.0.1", 19091, 10000, &cancel);
            QFAIL("must stop");
        } catch (const Cancelled &) {
        }
    }
};

QTEST_GUILESS_MAIN(TestLogDirs)
#include "tst_logdirs.moc"
