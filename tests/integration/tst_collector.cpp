// The snapshot collector against the real, seeded cluster: every value asserted here was written by kp-seed
// (tests/common/seedspec.h) and is read back through librdkafka by the collector.

#include "clusterfixture.h"
#include "kafka/kafkaclient.h"
#include "kafka/snapshotcollector.h"
#include "models/cancelled.h"
#include "models/review.h"
#include "models/snapshotjson.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QTest>
#include <map>
#include <set>
#include <thread>

using namespace kp;
namespace sd = kp::seed;

class TestCollector : public QObject
{
    Q_OBJECT

    ClusterSnapshot m_snapshot;
    test::ActiveConsumer m_active;

    static ClusterSnapshot collect(const ConnectionProfile &profile, CollectOptions options = {})
    {
        KafkaClient client(profile);
        options.timeoutMs = profile.timeoutMs;
        return SnapshotCollector(client, options).collect();
    }

    // What a login as the inspector reads, whatever the mechanism: exactly what it reads with SCRAM.
    static void readsAsTheInspectorWithScram(const ClusterSnapshot &s)
    {
        const ClusterSnapshot scram = collect(test::saslProfile(sd::kInspectorUser, sd::kInspectorPassword));
        QCOMPARE(test::describeProblems(s), test::describeProblems(scram));
        QCOMPARE(s.partitionCount(), scram.partitionCount());
        QCOMPARE(s.groups.size(), scram.groups.size());
        QCOMPARE(s.group("kp-lagging")->totalLag(), int64_t(2080));
        QVERIFY(s.brokers[0].logDirsKnown);
        QCOMPARE(s.topic("orders")->sizeBytes(), scram.topic("orders")->sizeBytes());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!test::requireCluster())
            return;
        QVERIFY2(m_active.start(),
                 qPrintable(QStringLiteral("kp-seed hold did not become ready: ") + m_active.errors()));
        m_snapshot = collect(test::plaintextProfile());
        QVERIFY2(!m_snapshot.partial(), test::describeProblems(m_snapshot).c_str());
    }

    // Each topic's id as kafka-topics.sh prints it (Metadata v10+): 22 characters, one per topic, the same in the
    // next snapshot (a deleted and recreated topic gets another).
    void topicIds()
    {
        std::set<std::string> ids;
        for (const auto &t : m_snapshot.topics) {
            QCOMPARE(t.topicId.size(), size_t(22));
            ids.insert(t.topicId);
        }
        QCOMPARE(ids.size(), m_snapshot.topics.size());
        const ClusterSnapshot again = collect(test::plaintextProfile());
        for (const auto &t : again.topics)
            QCOMPARE(t.topicId, m_snapshot.topic(t.name)->topicId);
    }

    void brokersAndRacks()
    {
        QCOMPARE(m_snapshot.clusterId, std::string("S2Fma2FQbGFubmVyVGVzdA"));
        QCOMPARE(m_snapshot.brokers.size(), size_t(3));
        for (int i = 0; i < 3; ++i) {
            const BrokerInfo &b = m_snapshot.brokers[size_t(i)];
            QCOMPARE(b.id, i + 1);
            QCOMPARE(b.host, std::string("127.0.0.1"));
            QCOMPARE(b.port, 19091 + i);
            QVERIFY(b.rackKnown);
            QCOMPARE(b.rack, sd::racks()[size_t(i)]);
            QCOMPARE(b.configs.at("default.replication.factor"), std::string("3"));
            QCOMPARE(b.configs.at("min.insync.replicas"), std::string("1"));
            QCOMPARE(b.configs.at("unclean.leader.election.enable"), std::string("false"));
            // Tiered storage is on in the 4.x test cluster (cluster.sh), off on 3.9.
            QCOMPARE(b.configs.at("remote.log.storage.system.enable"),
                     std::string(test::kafkaMajor() >= 4 ? "true" : "false"));
            QVERIFY(b.configs.count("replica.selector.class"));
        }
    }

    void topicsPartitionsAndWatermarks()
    {
        for (const auto &spec : sd::topics()) {
            const TopicInfo *t = m_snapshot.topic(spec.name);
            QVERIFY2(t, spec.name.c_str());
            QVERIFY(!t->internal);
            QCOMPARE(int(t->partitions.size()), spec.partitions);
            QCOMPARE(t->replicationFactor(), spec.replicationFactor);
            for (const auto &p : t->partitions) {
                QCOMPARE(int(p.replicas.size()), spec.replicationFactor);
                QCOMPARE(std::multiset<int32_t>(p.isr.begin(), p.isr.end()),
                         std::multiset<int32_t>(p.replicas.begin(), p.replicas.end()));
                QVERIFY(std::find(p.replicas.begin(), p.replicas.end(), p.leader) != p.replicas.end());
                // Three brokers in three racks: every replica of a partition is in its own rack.
                std::set<std::string> racks;
                for (int32_t r : p.replicas)
                    racks.insert(m_snapshot.broker(r)->rack);
                QCOMPARE(int(racks.size()), spec.replicationFactor);
                QCOMPARE(p.lowWatermark, int64_t(0));
                QCOMPARE(p.highWatermark, sd::messages(spec, p.partition));
                QVERIFY(p.error.empty());
            }
        }
        const TopicInfo *offsets = m_snapshot.topic("__consumer_offsets");
        QVERIFY(offsets);
        QVERIFY(offsets->internal);
        QCOMPARE(offsets->partitions.size(), size_t(10));
        QCOMPARE(offsets->replicationFactor(), 3);
        // On 4.x also the tiered topic of `cluster.sh seed-4x` and the remote log metadata topic.
        QCOMPARE(m_snapshot.topics.size(), sd::topics().size() + 1 + (test::kafkaMajor() >= 4 ? 2 : 0));
    }

    // Tiered storage on 4.x (cluster.sh seed-4x): tiered-events holds 20,000 records of 512 bytes, uploaded by
    // LocalTieredStorage and deleted locally after a second. What the snapshot says is checked against the files: the
    // first local offset is the base offset of the leader's first local segment, and the remote-only bytes estimate is
    // within 2% of the remote segment files' bytes.
    void tieredTopicLocalAndRemote()
    {
        if (test::kafkaMajor() < 4) {
            QVERIFY(std::none_of(m_snapshot.topics.begin(), m_snapshot.topics.end(),
                                 [](const TopicInfo &t) { return t.tiered(); }));
            return;
        }
        const ClusterSnapshot s = collect(test::plaintextProfile());
        const TopicInfo *t = s.topic("tiered-events");
        QVERIFY2(t, "cluster.sh seed-4x did not run");
        QVERIFY(t->tiered());
        QCOMPARE(t->configs.at("local.retention.ms"), std::string("1000"));
        QCOMPARE(t->partitions.size(), size_t(1));
        const PartitionInfo &p = t->partitions[0];
        QCOMPARE(p.lowWatermark, int64_t(0));
        QCOMPARE(p.highWatermark, int64_t(20000));
        const QString dataDir =
            QStringLiteral("%1/node%2/data/tiered-events-0")
                .arg(qEnvironmentVariable("KP_CLUSTER_DIR", QStringLiteral("/tmp/kafka-planner-cluster")))
                .arg(p.leader);
        const QStringList local = QDir(dataDir).entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name);
        QVERIFY2(!local.isEmpty(), qPrintable(dataDir));
        QCOMPARE(p.localLogStartOffset, local.first().section(QLatin1Char('.'), 0, 0).toLongLong());
        QVERIFY2(p.localLogStartOffset > 0, "nothing was tiered");
        QCOMPARE(t->remoteOnlyOffsets(), p.localLogStartOffset);
        int64_t remoteFiles = 0;
        QDirIterator it(qEnvironmentVariable("KP_CLUSTER_DIR", QStringLiteral("/tmp/kafka-planner-cluster")) +
                            QStringLiteral("/remote-storage"),
                        {QStringLiteral("*.log")}, QDir::Files, QDirIterator::Subdirectories);
        std::map<int64_t, int64_t> segments; // base offset -> bytes (one copy each)
        while (it.hasNext()) {
            it.next();
            if (it.filePath().contains(QStringLiteral("/tiered-events-0-")))
                segments[it.fileName().section(QLatin1Char('-'), 0, 0).toLongLong()] = it.fileInfo().size();
        }
        for (const auto &[base, bytes] : segments)
            if (base < p.localLogStartOffset)
                remoteFiles += bytes;
        QVERIFY2(remoteFiles > 0, "no remote segment on disk");
        const int64_t estimate = t->remoteBytesEstimate();
        QVERIFY2(std::abs(double(estimate - remoteFiles)) <= 0.02 * double(remoteFiles),
                 qPrintable(QStringLiteral("estimated %1, on disk %2").arg(estimate).arg(remoteFiles)));
        QVERIFY2(t->remoteBytesPerOffset > 512 && t->remoteBytesPerOffset < 600,
                 std::to_string(t->remoteBytesPerOffset).c_str());
    }

    void topicConfigs_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        for (const auto &spec : sd::topics())
            for (const auto &[k, v] : spec.configs)
                QTest::addRow("%s %s", spec.name.c_str(), k.c_str())
                    << QString::fromStdString(spec.name) << QString::fromStdString(k) << QString::fromStdString(v);
        // Defaults the cluster applies where the seed set nothing.
        QTest::addRow("orders cleanup.policy") << "orders"
                                               << "cleanup.policy"
                                               << "delete";
        QTest::addRow("orders segment.bytes") << "orders"
                                              << "segment.bytes"
                                              << "16777216";
        QTest::addRow("clickstream min.insync.replicas") << "clickstream"
                                                         << "min.insync.replicas"
                                                         << "1";
        QTest::addRow("orders remote.storage.enable") << "orders"
                                                      << "remote.storage.enable"
                                                      << "false";
        QTest::addRow("orders local.retention.ms") << "orders"
                                                   << "local.retention.ms"
                                                   << "-2";
    }

    void topicConfigs()
    {
        QFETCH(QString, topic);
        QFETCH(QString, key);
        QFETCH(QString, value);
        const TopicInfo *t = m_snapshot.topic(topic.toStdString());
        QVERIFY(t);
        QVERIFY(t->configsKnown);
        QVERIFY2(t->configs.count(key.toStdString()), qPrintable(key));
        QCOMPARE(QString::fromStdString(t->configs.at(key.toStdString())), value);
    }

    void replicaSizesFromLogDirs()
    {
        for (const auto &b : m_snapshot.brokers) {
            QVERIFY(b.logDirsKnown);
            QCOMPARE(b.logDirs.size(), size_t(1));
            QCOMPARE(b.logDirs[0].path, "/tmp/kafka-planner-cluster/node" + std::to_string(b.id) + "/data");
            QVERIFY(b.logDirs[0].totalBytes > 0);
        }
        for (const auto &spec : sd::topics()) {
            const TopicInfo *t = m_snapshot.topic(spec.name);
            int64_t sum = 0;
            for (const auto &p : t->partitions) {
                std::vector<int32_t> brokers;
                for (const auto &r : p.replicaSizes) {
                    brokers.push_back(r.broker);
                    QCOMPARE(r.sizeBytes, p.replicaSizes.front().sizeBytes); // identical copies
                    QCOMPARE(r.offsetLag, int64_t(0));
                    QVERIFY(!r.future);
                }
                std::vector<int32_t> replicas = p.replicas;
                std::sort(replicas.begin(), replicas.end());
                QCOMPARE(brokers, replicas);
                QVERIFY(p.sizeBytes() > 0);
                sum += p.sizeBytes();
            }
            QCOMPARE(t->sizeBytes(), sum);
            QCOMPARE(t->replicatedBytes(), sum * spec.replicationFactor);
        }
        // audit-log: one partition of 500 uncompressed 500-byte values, plus batch and record headers.
        const int64_t audit = m_snapshot.topic("audit-log")->sizeBytes();
        QVERIFY2(audit >= 500 * 500 && audit < 500 * 600, std::to_string(audit).c_str());
    }

    void groupsAndLag()
    {
        for (const auto &spec : sd::groups()) {
            const ConsumerGroup *g = m_snapshot.group(spec.id);
            QVERIFY2(g, spec.id.c_str());
            QVERIFY(g->offsetsKnown);
            QVERIFY(g->error.empty());
            const sd::Topic &topic = *sd::topic(spec.topic);
            QCOMPARE(int(g->offsets.size()), topic.partitions);
            int64_t total = 0;
            for (const auto &o : g->offsets) {
                QCOMPARE(o.topic, spec.topic);
                QCOMPARE(o.committed, sd::committed(spec, o.partition));
                QCOMPARE(o.highWatermark, sd::messages(topic, o.partition));
                QCOMPARE(o.lag, sd::expectedLag(spec, o.partition));
                total += o.lag;
            }
            QCOMPARE(g->totalLag(), total);
            if (spec.kind == sd::GroupKind::Active) {
                QCOMPARE(g->state, std::string("Stable"));
                QCOMPARE(g->members.size(), size_t(1));
                QCOMPARE(g->members[0].clientId, std::string(sd::kActiveClientId));
                QCOMPARE(g->members[0].host.empty(), false);
                QCOMPARE(int(g->members[0].assignment.size()), topic.partitions);
                for (int p = 0; p < topic.partitions; ++p)
                    QCOMPARE(g->members[0].assignment[size_t(p)], (TopicPartition{spec.topic, p}));
                QCOMPARE(g->protocol.empty(), false);
            } else {
                QCOMPARE(g->state, std::string("Empty"));
                QCOMPARE(g->members.size(), size_t(0));
            }
        }
        QCOMPARE(m_snapshot.group("kp-lagging")->totalLag(), int64_t(2080));
        QCOMPARE(m_snapshot.group("kp-caught-up")->totalLag(), int64_t(0));
        // features: 30 + 3p messages, committed at half: lag = ceil((30 + 3p) / 2) summed over 8 partitions.
        QCOMPARE(m_snapshot.group("kp-stopped")->totalLag(), int64_t(164));
    }

    // Partitions whose watermarks or sizes differ between `first` and `last` (collected before and after `between`)
    // lose them in `first` and `between`. Returns those of topics that are not internal, "topic-partition, ...".
    static std::string maskPartitionsThatMoved(ClusterSnapshot &first, ClusterSnapshot &between,
                                               const ClusterSnapshot &last)
    {
        auto same = [](const PartitionInfo &a, const PartitionInfo &b) {
            if (a.lowWatermark != b.lowWatermark || a.highWatermark != b.highWatermark ||
                a.replicaSizes.size() != b.replicaSizes.size())
                return false;
            for (size_t i = 0; i < a.replicaSizes.size(); ++i)
                if (a.replicaSizes[i].sizeBytes != b.replicaSizes[i].sizeBytes)
                    return false;
            return true;
        };
        auto forget = [](ClusterSnapshot &s, const std::string &topic, int32_t partition) {
            for (auto &t : s.topics)
                if (t.name == topic)
                    if (PartitionInfo *p = t.findPartition(partition)) {
                        p->lowWatermark = p->highWatermark = -1;
                        p->replicaSizes.clear();
                    }
        };
        std::vector<TopicPartition> moved;
        std::string seededMoved;
        for (const TopicInfo &t : first.topics) {
            const TopicInfo *later = last.topic(t.name);
            for (const PartitionInfo &p : t.partitions) {
                const PartitionInfo *q = later ? later->findPartition(p.partition) : nullptr;
                if (q && !same(p, *q)) {
                    moved.push_back({t.name, p.partition});
                    if (!t.internal)
                        seededMoved += t.name + "-" + std::to_string(p.partition) + " ";
                }
            }
        }
        for (const TopicPartition &tp : moved) {
            forget(first, tp.topic, tp.partition);
            forget(between, tp.topic, tp.partition);
        }
        return seededMoved;
    }

    // Issue 17 moved the watermarks, DescribeGroups and OffsetFetch (v8, many groups a request) onto the app's wire
    // client; librdkafka's paths stay behind CollectOptions::wireClient = false. Both read the same cluster alike: the
    // snapshot files are equal but for when they were taken and how long the steps took. (Run on the 50,000-partition
    // bench cluster too: `tst_collector theWireClientReadsWhatLibrdkafkaReads` there.)
    void theWireClientReadsWhatLibrdkafkaReads()
    {
        CollectOptions old;
        old.wireClient = false;
        auto comparable = [](ClusterSnapshot s) {
            s.takenAtMs = 0;
            s.durationMs = 0;
            s.timings.clear();
            for (BrokerInfo &b : s.brokers) // the file system's free space moves with every write on the machine
                for (LogDirInfo &d : b.logDirs)
                    d.usableBytes = d.usableBytes >= 0 ? 0 : -1;
            return snapshotJsonText(s);
        };
        ClusterSnapshot viaLibrdkafka = collect(test::plaintextProfile(), old);
        ClusterSnapshot viaWire = collect(test::plaintextProfile());
        const ClusterSnapshot again = collect(test::plaintextProfile(), old);
        QVERIFY2(!viaWire.partial(), test::describeProblems(viaWire).c_str());
        QVERIFY(viaWire.groups.size() >= sd::groups().size());
        QCOMPARE(viaWire.group("kp-lagging")->totalLag(), int64_t(2080));
        // __consumer_offsets grows while the seeded active member and the KIP-848 consumers commit: its partitions
        // that moved between the first and the third collection are left out. Only internal topics may move.
        const std::string moved = maskPartitionsThatMoved(viaLibrdkafka, viaWire, again);
        QVERIFY2(moved.empty(), ("seeded topics changed while the test ran: " + moved).c_str());
        const std::string a = comparable(viaLibrdkafka);
        const std::string b = comparable(viaWire);
        if (a != b) {
            size_t at = 0;
            while (at < std::min(a.size(), b.size()) && a[at] == b[at])
                ++at;
            const size_t from = at > 300 ? at - 300 : 0;
            QFAIL(qPrintable(QStringLiteral("first difference at byte %1:\nlibrdkafka: %2\nwire: %3")
                                 .arg(at)
                                 .arg(QString::fromStdString(a.substr(from, 400)))
                                 .arg(QString::fromStdString(b.substr(from, 400)))));
        }
    }

    // Each group's type as the broker lists it (ListGroups v5). On 4.x, the two groups of the KIP-848 protocol that
    // `cluster.sh seed-4x` made with Kafka's own console consumer on audit-log (500 messages): described with
    // ConsumerGroupDescribe, members, epochs, assignments and lag exact. On 3.9 (protocol off) every group is classic.
    void groupTypesAndKip848Groups()
    {
        for (const auto &spec : sd::groups())
            QCOMPARE(m_snapshot.group(spec.id)->type, std::string("classic"));
        QVERIFY2(std::none_of(m_snapshot.problems.begin(), m_snapshot.problems.end(),
                              [](const Problem &p) { return p.step == "groups" || p.step == "groupOffsets"; }),
                 test::describeProblems(m_snapshot).c_str());
        if (test::kafkaMajor() < 4) {
            for (const auto &g : m_snapshot.groups)
                QVERIFY2(g.type == "classic" && g.groupEpoch == -1, g.groupId.c_str());
            QVERIFY(!m_snapshot.group("kp848-live"));
            return;
        }
        const ConsumerGroup *live = m_snapshot.group("kp848-live");
        QVERIFY2(live, "cluster.sh seed-4x did not run");
        QCOMPARE(live->type, std::string("consumer"));
        QCOMPARE(live->state, std::string("Stable"));
        QCOMPARE(live->protocol, std::string("uniform")); // the broker's default assignor
        QCOMPARE(live->members.size(), size_t(1));
        const GroupMember &m = live->members[0];
        QCOMPARE(m.clientId, std::string("kp848-live-consumer"));
        QCOMPARE(m.memberId.empty(), false);
        QCOMPARE(m.host.empty(), false);
        QCOMPARE(m.assignment, (std::vector<TopicPartition>{{"audit-log", 0}}));
        QCOMPARE(m.targetAssignment, m.assignment);
        // A settled group: the member holds the target assignment of the current group epoch.
        QVERIFY2(m.memberEpoch > 0, std::to_string(m.memberEpoch).c_str());
        QCOMPARE(m.memberEpoch, live->assignmentEpoch);
        QCOMPARE(live->groupEpoch, live->assignmentEpoch);
        QVERIFY(live->offsetsKnown);
        QCOMPARE(live->offsets.size(), size_t(1));
        QCOMPARE(live->offsets[0].committed, int64_t(500));
        QCOMPARE(live->totalLag(), int64_t(0));

        const ConsumerGroup *lagging = m_snapshot.group("kp848-lagging");
        QVERIFY(lagging);
        QCOMPARE(lagging->type, std::string("consumer"));
        QCOMPARE(lagging->state, std::string("Empty"));
        QCOMPARE(lagging->members.size(), size_t(0));
        QCOMPARE(lagging->offsets.size(), size_t(1));
        QCOMPARE(lagging->offsets[0].committed, int64_t(120));
        QCOMPARE(lagging->offsets[0].lag, int64_t(380));
        // Nothing but classic and consumer groups on the test cluster.
        for (const auto &g : m_snapshot.groups)
            QVERIFY2(g.type == "classic" || g.type == "consumer", (g.groupId + ": " + g.type).c_str());
    }

    void timingsCoverEveryStep()
    {
        std::vector<std::string> steps;
        for (const auto &t : m_snapshot.timings) {
            steps.push_back(t.step);
            QVERIFY(t.ok);
            QVERIFY(t.millis >= 0);
        }
        std::vector<std::string> expected{"Connecting", "Metadata", "Broker configs",  "Topic configs",
                                          "Watermarks", "Log dirs", "Consumer groups", "Group offsets"};
        if (test::kafkaMajor() >= 4) // the tiered topic of cluster.sh seed-4x
            expected.insert(expected.begin() + 5, "Tiered offsets");
        QCOMPARE(steps, expected);
        QVERIFY(m_snapshot.takenAtMs > 1700000000000);
    }

    void saslAdminSeesTheSame()
    {
        ClusterSnapshot s = collect(test::saslProfile(sd::kAdminUser, sd::kAdminPassword));
        QVERIFY2(!s.partial(), test::describeProblems(s).c_str());
        QCOMPARE(s.partitionCount(), m_snapshot.partitionCount());
        QCOMPARE(s.brokers[0].port, 19191);
        QCOMPARE(s.group("kp-lagging")->totalLag(), int64_t(2080));
    }

    void inspectorReadsWhatItsRightsAllow()
    {
        // The inspector holds Describe and DescribeConfigs on cluster, topics and groups: enough for all of it but the
        // remote tier's bytes per offset, which need Read on the topic (4.x, the tiered topic): said, and only that.
        ClusterSnapshot s = collect(test::saslProfile(sd::kInspectorUser, sd::kInspectorPassword));
        if (test::kafkaMajor() >= 4) {
            QCOMPARE(s.problems.size(), size_t(1));
            QCOMPARE(s.problems[0].subject, std::string("topic tiered-events"));
            QVERIFY2(s.problems[0].message.find("needs Read on the topic (remote bytes unknown)") != std::string::npos,
                     s.problems[0].message.c_str());
            QCOMPARE(s.topic("tiered-events")->remoteOnlyOffsets(),
                     m_snapshot.topic("tiered-events")->remoteOnlyOffsets());
            QCOMPARE(s.topic("tiered-events")->remoteBytesEstimate(), int64_t(-1));
        } else {
            QVERIFY2(!s.partial(), test::describeProblems(s).c_str());
        }
        QCOMPARE(s.brokers[1].rack, std::string("az-b"));
        QCOMPARE(s.topic("orders")->configs.at("min.insync.replicas"), std::string("2"));
        QCOMPARE(s.group("kp-lagging")->totalLag(), int64_t(2080));
        QCOMPARE(s.groups.size(), m_snapshot.groups.size());
    }

    // SASL/OAUTHBEARER with an unsecured JWT (the SASL_PLAINTEXT listener takes it, cluster.sh): librdkafka's token and
    // the wire client's (log dirs, groups, offsets) both name the principal, whose ACLs apply: the inspector reads
    // exactly what it reads with SCRAM.
    void oauthBearerUnsecuredJwt()
    {
        ConnectionProfile p = test::saslProfile(sd::kInspectorUser, "");
        p.saslMechanism = "OAUTHBEARER";
        const ClusterSnapshot s = collect(p);
        readsAsTheInspectorWithScram(s);
        // A listener that does not take OAUTHBEARER says so, not "check the password".
        p.bootstrap = sd::kSaslSslBootstrap;
        p.securityProtocol = "SASL_SSL";
        p.sslCaLocation = QString(test::tlsDir() + QStringLiteral("/ca.pem")).toStdString();
        try {
            collect(p);
            QFAIL("the SASL_SSL listener offers no OAUTHBEARER");
        } catch (const CollectError &e) {
            QVERIFY2(std::string(e.what()).find("the listener does not accept SASL OAUTHBEARER") != std::string::npos,
                     e.what());
        }
    }

    // SASL/OAUTHBEARER with OIDC client credentials: the app gets a token from the test token endpoint (RS256, checked
    // by the broker against the endpoint's key) and both its clients log in with it as the token's principal, whose
    // ACLs apply: kp-inspector's token names the inspector, who reads exactly what it reads with SCRAM.
    void oauthBearerOidc()
    {
        const ClusterSnapshot s = collect(test::oidcProfile(sd::kOidcInspectorClient, sd::kOidcInspectorSecret));
        readsAsTheInspectorWithScram(s);
    }

    // What fails is named: the endpoint, and whether it was not reached, refused the client, gave no usable token, or
    // gave one the broker does not trust. No snapshot is invented from a failed login.
    void oauthBearerOidcFailures_data()
    {
        QTest::addColumn<QByteArray>("endpoint");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QByteArray>("expected");
        auto row = [](const char *name, const QByteArray &endpoint, const QByteArray &secret,
                      const QByteArray &expected) { QTest::addRow("%s", name) << endpoint << secret << expected; };
        const QByteArray base = "http://127.0.0.1:19590";
        row("wrong secret", base + "/token", "not-the-secret",
            "the OIDC token endpoint http://127.0.0.1:19590/token answered HTTP 401 to "
            "client 'kp-inspector' (invalid_client: unknown client or bad secret): "
            "check the client id and secret");
        row("endpoint down", "http://127.0.0.1:19599/token", sd::kOidcInspectorSecret,
            "the OIDC token endpoint http://127.0.0.1:19599/token could not be reached: ");
        row("endpoint failing", base + "/fail/token", sd::kOidcInspectorSecret,
            "the OIDC token endpoint http://127.0.0.1:19590/fail/token answered HTTP "
            "500 to client 'kp-inspector' (server_error: the identity provider is "
            "down)");
        row("malformed token", base + "/malformed/token", sd::kOidcInspectorSecret,
            "the OIDC token endpoint http://127.0.0.1:19590/malformed/token gave no "
            "usable token: the access token is not a JWT (header.payload.signature)");
        row("expired token", base + "/expired/token", sd::kOidcInspectorSecret,
            "the OIDC token endpoint http://127.0.0.1:19590/expired/token gave no usable "
            "token: the access token has already expired (its \"exp\" claim is in the "
            "past)");
        row("untrusted signature", base + "/untrusted/token", sd::kOidcInspectorSecret,
            "the token client 'kp-inspector' got from http://127.0.0.1:19590/untrusted/token was rejected (");
    }
    void oauthBearerOidcFailures()
    {
        QFETCH(QByteArray, endpoint);
        QFETCH(QByteArray, secret);
        QFETCH(QByteArray, expected);
        const ConnectionProfile p =
            test::oidcProfile(sd::kOidcInspectorClient, secret.constData(), endpoint.toStdString());
        try {
            collect(p);
            QFAIL("a failed OIDC login gave a snapshot");
        } catch (const std::exception &e) {
            const std::string what = e.what();
            qInfo("%s", e.what());
            QVERIFY2(what.find(expected.toStdString()) != std::string::npos, e.what());
            QVERIFY2(what.find(secret.toStdString()) == std::string::npos, "the secret is in the message");
        }
    }

    void limitedUserGetsAPartialSnapshotThatSaysWhy()
    {
        ClusterSnapshot s = collect(test::saslProfile(sd::kLimitedUser, sd::kLimitedPassword));
        QVERIFY(s.partial());
        // What it may read is there, exactly.
        QCOMPARE(s.partitionCount(), m_snapshot.partitionCount());
        QCOMPARE(s.topic("clickstream")->partitions[5].highWatermark, sd::messages(*sd::topic("clickstream"), 5));
        // What it may not read is said, not invented.
        for (const auto &b : s.brokers) {
            QCOMPARE(b.rack, sd::racks()[size_t(b.id - 1)]); // racks come with the metadata, which it may read
            QVERIFY(b.configs.empty());
            QVERIFY2(test::hasProblem(s, "brokerConfigs", "broker " + std::to_string(b.id)),
                     test::describeProblems(s).c_str());
        }
        QVERIFY2(test::hasProblem(s, "brokerConfigs", "not authorized"), test::describeProblems(s).c_str());
        QVERIFY2(test::hasProblem(s, "topicConfigs", "not authorized"), test::describeProblems(s).c_str());
        for (const auto &t : s.topics)
            QVERIFY(!t.configsKnown);
        QCOMPARE(s.groups.size(), size_t(0));
        QVERIFY2(test::hasProblem(s, "groups", "may be hidden"), test::describeProblems(s).c_str());
        QVERIFY2(test::hasProblem(s, "logDirs", "not authorized: DescribeLogDirs needs Describe on the Cluster"),
                 test::describeProblems(s).c_str());
        for (const auto &t : s.topics)
            QCOMPARE(t.sizeBytes(), int64_t(-1));
        // Estimating them needs Read, which it lacks either: said per topic.
        QVERIFY2(test::hasProblem(s, "sizeEstimates", "not authorized: estimating sizes needs Read on the topic"),
                 test::describeProblems(s).c_str());
        QVERIFY(!s.sizesEstimated());
    }

    // The reader may read topics but not describe the cluster: no DescribeLogDirs, so sizes are estimated from the
    // record batches and marked so; on seeded topics the estimate is close to what the admin's log dirs say.
    void readerGetsEstimatedSizes()
    {
        ClusterSnapshot s = collect(test::plainTlsProfile(sd::kReaderUser, sd::kReaderPassword));
        QVERIFY2(test::hasProblem(s, "logDirs", "not authorized: DescribeLogDirs needs Describe on the Cluster"),
                 test::describeProblems(s).c_str());
        QVERIFY2(!test::hasProblem(s, "sizeEstimates", ""), test::describeProblems(s).c_str());
        QVERIFY(s.sizesEstimated());
        QVERIFY(!m_snapshot.sizesEstimated());
        QVERIFY(std::any_of(s.timings.begin(), s.timings.end(),
                            [](const StepTiming &t) { return t.step == "Size estimates" && t.ok; }));
        for (const auto &spec : sd::topics()) {
            const TopicInfo *t = s.topic(spec.name);
            const TopicInfo *real = m_snapshot.topic(spec.name);
            for (const auto &p : t->partitions) {
                QVERIFY(p.sizeEstimated);
                QCOMPARE(p.replicaSizes.size(), p.replicas.size());
                QVERIFY(p.sizeBytes() > 0);
            }
            const double ratio = double(t->sizeBytes()) / double(real->sizeBytes());
            QVERIFY2(ratio > 0.85 && ratio < 1.15, (spec.name + ": estimated " + std::to_string(t->sizeBytes()) +
                                                    ", on disk " + std::to_string(real->sizeBytes()))
                                                       .c_str());
        }
        const LayoutTotals totals = layoutTotals(s);
        QVERIFY(totals.bytesEstimated);
        QCOMPARE(totals.bytesByRack.size(), size_t(3)); // racks come with the metadata, without DescribeConfigs
        QVERIFY(!totals.bytesByRack.count("?"));
    }

    // The review's evidence from the seeded cluster: what the seed configured, read back.
    void reviewEvidenceFromTheCluster()
    {
        auto e = autoEvidence(m_snapshot, {"^orders$", 168}); // RF 3, min.insync.replicas 2, 7 days
        QVERIFY2(e.at("replication").passes, e.at("replication").detail.c_str());
        QVERIFY2(e.at("retained-data").passes, e.at("retained-data").detail.c_str());
        e = autoEvidence(m_snapshot, {"^orders$", 200});
        QCOMPARE(e.at("retained-data").detail, std::string("orders keeps 168 h, less than the 200 h replay window"));
        e = autoEvidence(m_snapshot, {"^clickstream$", 1});
        QVERIFY(!e.at("replication").passes);
        QVERIFY2(e.at("replication").detail.find("clickstream has RF 2") == 0, e.at("replication").detail.c_str());
    }

    void wrongPasswordSaysAuthenticationFailed()
    {
        QElapsedTimer timer;
        timer.start();
        try {
            collect(test::saslProfile(sd::kAdminUser, "not-the-password"));
            QFAIL("a wrong password must fail");
        } catch (const CollectError &e) {
            const std::string what = e.what();
            QVERIFY2(what.find("SASL authentication failed for user 'admin'") != std::string::npos, e.what());
            QVERIFY2(what.find("check the user name and password") != std::string::npos, e.what());
        }
        // It fails on the broker's answer, not at the timeout.
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    }

    void unreachableBootstrapFailsWithinTheTimeout()
    {
        ConnectionProfile p = test::plaintextProfile(2000);
        p.bootstrap = "127.0.0.1:1";
        QElapsedTimer timer;
        timer.start();
        try {
            collect(p);
            QFAIL("an unreachable bootstrap must fail");
        } catch (const CollectError &e) {
            const std::string what = e.what();
            QVERIFY2(what.find("could not reach any bootstrap server (127.0.0.1:1) within 2.0 s") != std::string::npos,
                     e.what());
            QVERIFY2(what.find("Connection refused") != std::string::npos, e.what());
        }
        QVERIFY2(timer.elapsed() < 2000 + 1500, qPrintable(QString::number(timer.elapsed())));
    }

    void cancelStopsTheCollection()
    {
        KafkaClient client(test::plaintextProfile());
        SnapshotCollector collector(client);
        std::atomic<bool> cancel{false};
        std::set<std::string> before, after; // steps reported before and after the cancel
        try {
            collector.collect(&cancel, [&](const CollectProgress &p) {
                (cancel ? after : before).insert(p.step);
                if (p.step == "Topic configs")
                    cancel = true;
            });
            QFAIL("a cancelled collection must not return a snapshot");
        } catch (const Cancelled &) { // the type says it: no message to compare
        }
        // No step begins once the cancel is set, but for the other lanes' first steps, which may be starting in that
        // very instant; nothing after the lanes.
        for (const std::string &step : after)
            QVERIFY2(before.count(step) || step == "Watermarks" || step == "Consumer groups", step.c_str());
        for (const char *later : {"Tiered offsets", "Size estimates"})
            QVERIFY2(!before.count(later) && !after.count(later), later);
    }

    void progressIsReported()
    {
        KafkaClient client(test::plaintextProfile());
        CollectOptions options;
        options.watermarkBatch = 10; // several batches per leader, so progress moves in steps
        SnapshotCollector collector(client, options);
        int64_t lastWatermarks = 0, total = 0;
        std::set<std::string> seen;
        // A count that is neither a step's first nor its last comes 100 ms after the one before.
        QElapsedTimer sinceLast;
        int inBetween = 0;
        collector.collect(nullptr, [&](const CollectProgress &p) {
            if (p.step == "Watermarks" && p.total > 0) {
                QVERIFY(p.done >= lastWatermarks);
                lastWatermarks = p.done;
                total = p.total;
            }
            if (seen.insert(p.step).second == false && p.done < p.total) {
                ++inBetween;
                QVERIFY2(sinceLast.elapsed() >= 100, (p.step + " " + std::to_string(sinceLast.elapsed())).c_str());
            }
            sinceLast.start();
        });
        QCOMPARE(total, int64_t(m_snapshot.partitionCount()));
        QCOMPARE(lastWatermarks, total);
        QVERIFY(seen.count("Metadata") && seen.count("Consumer groups") && seen.count("Group offsets"));
        qInfo("counts passed on between a step's first and last: %d", inBetween);
    }
};

QTEST_GUILESS_MAIN(TestCollector)
#include "tst_collector.moc"
