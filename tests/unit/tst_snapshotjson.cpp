#include "models/atomicfile.h"
#include "models/formaterror.h"
#include "models/snapshotjson.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <tuple>
#include <unistd.h>
#include <vector>

using namespace kp;

namespace {

ClusterSnapshot sample()
{
    ClusterSnapshot s;
    s.clusterId = "abc";
    s.bootstrap = "h:1";
    s.takenAtMs = 1764000000123;
    s.durationMs = 42;
    BrokerInfo b1{1, "h1", 9092, "az-a", true, {{"broker.rack", "az-a"}}, {{"/data/a", "", 1000, 400}}, true};
    BrokerInfo b2{2, "h2", 9092, "", false, {}, {}, false};
    s.brokers = {b1, b2};
    TopicInfo t;
    t.name = "orders";
    t.configs = {{"retention.ms", "1000"}};
    t.configsKnown = true;
    t.partitions = {{0, 1, {1, 2}, {1, 2}, "", 5, 100, {{1, "/data/a", 4096, 0, false}, {2, "/d", 4000, 3, false}}},
                    {1, -1, {2}, {}, "Broker: Leader not available", -1, -1, {}}};
    // A tiered topic: offsets 100 to 599 in the remote tier only, 600 to 1099 local in 5,000 bytes.
    TopicInfo tiered;
    tiered.name = "tiered";
    tiered.configs = {{"remote.storage.enable", "true"}, {"local.retention.ms", "1000"}};
    tiered.configsKnown = true;
    tiered.partitions = {{0, 1, {1}, {1}, "", 100, 1100, {{1, "/data/a", 5000, 0, false}}}};
    tiered.partitions[0].localLogStartOffset = 600;
    s.topics = {t, tiered};
    ConsumerGroup g;
    g.groupId = "g1";
    g.state = "Stable";
    g.offsetsKnown = true;
    g.members = {{"m-1", "", "client", "/10.0.0.1", {{"orders", 0}, {"orders", 1}}}};
    g.offsets = {{"orders", 0, 90, -1, -1, ""}, {"orders", 1, 3, -1, -1, ""}, {"gone", 0, 1, -1, -1, ""}};
    g.type = "classic";
    // A group of the KIP-848 protocol whose member is moving from one partition to two.
    ConsumerGroup k;
    k.groupId = "g848";
    k.type = "consumer";
    k.state = "Reconciling";
    k.groupEpoch = 5;
    k.assignmentEpoch = 5;
    k.protocol = "uniform";
    GroupMember m{"Zv1sL3lF", "", "c848", "/10.0.0.2", {{"orders", 0}}};
    m.memberEpoch = 4;
    m.rackId = "az-b";
    m.targetAssignment = {{"orders", 0}, {"orders", 1}};
    k.members = {m};
    s.groups = {g, k};
    s.timings = {{"Metadata", 3, true}};
    s.problems = {{"watermarks", "1 partition(s)", "offline"}};
    computeLag(s);
    return s;
}

} // namespace

class TestSnapshotJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lagFromWatermarks()
    {
        ClusterSnapshot s = sample();
        const auto &o = s.groups[0].offsets;
        QCOMPARE(o[0].highWatermark, int64_t(100));
        QCOMPARE(o[0].lag, int64_t(10));
        QCOMPARE(o[1].lag, int64_t(-1)); // offline partition: unknown, not zero
        QCOMPARE(o[2].lag, int64_t(-1)); // topic not in the snapshot
        QCOMPARE(s.groups[0].totalLag(), int64_t(10));
        QCOMPARE(s.groups[0].unknownLagCount(), int64_t(2));
    }

    void committedAheadOfEndIsNoNegativeLag()
    {
        ClusterSnapshot s = sample();
        s.groups[0].offsets[0].committed = 120;
        computeLag(s);
        QCOMPARE(s.groups[0].offsets[0].lag, int64_t(0));
    }

    // The file is written as it goes (JsonWriter), not through a document tree: its text is exactly what nlohmann's
    // dump(1) makes of the same document (keys sorted, indent 1, the same escapes), for every field the sample sets,
    // strings with quotes, control characters and non-ASCII included. Bytes that are not UTF-8 become U+FFFD (dump
    // threw on them, and the snapshot was lost).
    void writtenTextIsWhatDumpWrites()
    {
        ClusterSnapshot s = sample();
        s.topics[1].remoteBytesPerOffset = 12.5;
        s.groups[0].members[0].clientId = "say \"hi\"\\ \t\n\x01\x1f \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
        s.problems.push_back({"groups", "group g", "a/b"});
        s.timings.push_back({"Metadata", 12, true});
        const std::string text = snapshotJsonText(s);
        QCOMPARE(text, nlohmann::json::parse(text).dump(1) + "\n");
        QCOMPARE(snapshotFromJson(nlohmann::json::parse(text)).groups[0].members[0].clientId,
                 s.groups[0].members[0].clientId);
        QVERIFY(text.find("\"remoteBytesPerOffset\": 12.5") != std::string::npos);
        QVERIFY(text.find("\\u0001\\u001f") != std::string::npos);

        s.groups[0].groupId = "bad\xff\xc3(\xed\xa0\x80"
                              "end"; // a stray byte, a cut sequence, a surrogate
        const std::string replaced = snapshotJsonText(s);
        QCOMPARE(snapshotFromJson(nlohmann::json::parse(replaced)).groups[0].groupId,
                 std::string("bad\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                             "end"));
    }

    void roundTrip()
    {
        const ClusterSnapshot s = sample();
        const nlohmann::json j = snapshotToJson(s);
        QCOMPARE(j.at("format").get<std::string>(), std::string("kafka-planner-snapshot"));
        QCOMPARE(j.at("version").get<int>(), 2);
        QCOMPARE(j.at("takenAt").get<std::string>(), std::string("2025-11-24T16:00:00.123Z"));
        const ClusterSnapshot r = snapshotFromJson(j);
        QVERIFY(snapshotToJson(r) == j);
        QCOMPARE(r.brokers[1].rackKnown, false);
        QCOMPARE(r.topics[0].partitions[1].error, std::string("Broker: Leader not available"));
        QCOMPARE(r.groups[0].offsets[0].lag, int64_t(10));
        QCOMPARE(r.groups[0].members[0].assignment.size(), size_t(2));
        QCOMPARE(r.groups[0].type, std::string("classic"));
        QCOMPARE(r.groups[0].members[0].memberEpoch, -1);
        QCOMPARE(r.groups[0].groupEpoch, -1);
        const ConsumerGroup &k = r.groups[1];
        QCOMPARE(k.type, std::string("consumer"));
        QCOMPARE(k.groupEpoch, 5);
        QCOMPARE(k.assignmentEpoch, 5);
        QCOMPARE(k.members[0].memberEpoch, 4);
        QCOMPARE(k.members[0].rackId, std::string("az-b"));
        QCOMPARE(k.members[0].targetAssignment, (std::vector<TopicPartition>{{"orders", 0}, {"orders", 1}}));
        QVERIFY(!j.at("groups")[0].contains("groupEpoch")); // absent, not -1, for a classic group
        QVERIFY(r.source == SnapshotSource::File);          // a file read back is a file, whatever it was collected as
        QCOMPARE(r.brokers[0].logDirs.size(), size_t(1));
        QCOMPARE(r.brokers[0].logDirs[0].usableBytes, int64_t(400));
        QVERIFY(!r.brokers[1].logDirsKnown);
        QCOMPARE(r.topics[0].partitions[0].replicaSizes[1].offsetLag, int64_t(3));
        QCOMPARE(r.topics[0].partitions[0].sizeBytes(), int64_t(4096)); // the leader's replica
        QCOMPARE(r.topics[0].sizeBytes(), int64_t(-1));                 // partition 1 has no size
    }

    // Remote-only data: the offsets below the first local one; bytes at the sampled remote bytes per offset, else at
    // the local log's.
    void tieredTopicsRemoteOnlyData()
    {
        ClusterSnapshot s = sample();
        TopicInfo &t = s.topics[1];
        QVERIFY(t.tiered());
        QVERIFY(!s.topics[0].tiered());
        QCOMPARE(t.remoteOnlyOffsets(), int64_t(500));
        QCOMPARE(t.remoteBytesEstimate(), int64_t(5000)); // 5,000 local bytes / 500 local offsets x 500
        t.remoteBytesPerOffset = 12.5;
        QCOMPARE(t.remoteBytesEstimate(), int64_t(6250));
        const ClusterSnapshot r = snapshotFromJson(snapshotToJson(s));
        QCOMPARE(r.topics[1].partitions[0].localLogStartOffset, int64_t(600));
        QCOMPARE(r.topics[1].remoteBytesPerOffset, 12.5);
        QCOMPARE(r.topics[0].partitions[0].localLogStartOffset, int64_t(-1));
        QCOMPARE(r.topics[0].remoteOnlyOffsets(), int64_t(-1)); // not tiered: not known, not 0
        // Nothing local yet and no sample: unknown, not 0.
        t.remoteBytesPerOffset = -1;
        t.partitions[0].localLogStartOffset = 1100;
        QCOMPARE(t.remoteOnlyOffsets(), int64_t(1000));
        QCOMPARE(t.remoteBytesEstimate(), int64_t(-1));
    }

    void versionOneFilesStillLoad()
    {
        const ClusterSnapshot s = loadSnapshotFile(KP_TEST_DATA "/version1.kpsnap.json");
        QCOMPARE(s.clusterId, std::string("v1-cluster"));
        QCOMPARE(s.topics[0].partitions[0].highWatermark, int64_t(42));
        QVERIFY(!s.brokers[0].logDirsKnown);
        QVERIFY(s.topics[0].partitions[0].replicaSizes.empty());
    }

    void fileRoundTripAndNoPartialFileLeft()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.kpsnap.json")).toStdString();
        saveSnapshotFile(sample(), path);
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".part")));
        QCOMPARE(loadSnapshotFile(path).topics[0].partitions[0].highWatermark, int64_t(100));
    }

    // `snapshot --output /dev/null` (the benchmarks) replaced /dev/null with a regular file when run as root: the
    // temporary file was renamed over the device. A device or a pipe is written into, and stays what it was.
    void writingIntoAPipeKeepsThePipe_data()
    {
        QTest::addColumn<bool>("snapshotFile");
        QTest::newRow("writeFileAtomically") << false;
        QTest::newRow("saveSnapshotFile") << true;
    }

    void writingIntoAPipeKeepsThePipe()
    {
        QFETCH(bool, snapshotFile);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("pipe")).toStdString();
        QCOMPARE(mkfifo(path.c_str(), 0600), 0);
        const int reader = open(path.c_str(), O_RDONLY | O_NONBLOCK); // so that the writer's open does not wait
        QVERIFY(reader >= 0);
        const std::string text = snapshotFile ? snapshotJsonText(sample()) : std::string("written into the pipe\n");
        if (snapshotFile)
            saveSnapshotFile(sample(), path);
        else
            writeFileAtomically(path, text);
        std::string got(text.size() + 1, '\0');
        const ssize_t n = read(reader, got.data(), got.size());
        close(reader);
        got.resize(size_t(std::max<ssize_t>(n, 0)));
        QCOMPARE(got, text);
        struct stat st
        {
        };
        QCOMPARE(stat(path.c_str(), &st), 0);
        QVERIFY(S_ISFIFO(st.st_mode));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot).size(), qsizetype(1));
    }

    void demoSnapshotLoads()
    {
        const ClusterSnapshot s = loadSnapshotFile(KP_DEMO_SNAPSHOT);
        QCOMPARE(s.brokers.size(), size_t(6));
        QVERIFY(s.partitionCount() >= 300);
        for (const auto &t : s.topics)
            QVERIFY2(t.sizeBytes() > 0, t.name.c_str());
        QVERIFY(s.groups.size() >= 5);
        int64_t lag = 0;
        for (const auto &g : s.groups)
            lag += g.totalLag();
        QVERIFY(lag > 0);
        // The demo has exactly one partition whose replicas share a rack.
        int violations = 0;
        for (const auto &t : s.topics)
            for (const auto &p : t.partitions) {
                std::set<std::string> racks;
                for (auto r : p.replicas)
                    racks.insert(s.broker(r)->rack);
                violations += racks.size() < p.replicas.size() ? 1 : 0;
            }
        QCOMPARE(violations, 1);
        // Replica bytes by rack add up to the replica bytes of every topic.
        const LayoutTotals totals = layoutTotals(s);
        int64_t byRack = 0, byTopic = 0;
        for (const auto &[rack, bytes] : totals.bytesByRack) {
            QVERIFY2(rack.rfind("us-east-1", 0) == 0, rack.c_str());
            byRack += bytes;
        }
        for (const auto &t : s.topics)
            byTopic += t.replicatedBytes();
        QCOMPARE(totals.bytesByRack.size(), size_t(3));
        QCOMPARE(byRack, byTopic);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        const QByteArray good = QByteArray::fromStdString(snapshotToJson(sample()).dump());
        auto edit = [&](auto f) {
            nlohmann::json j = nlohmann::json::parse(good.toStdString());
            f(j);
            return QByteArray::fromStdString(j.dump());
        };
        QTest::addRow("not json") << QByteArray("{\"format\": ") << "not valid JSON (byte 12)";
        QTest::addRow("array") << QByteArray("[]") << "document: expected an object, found array";
        QTest::addRow("other format") << edit([](auto &j) { j["format"] = "x"; })
                                      << "not a Kafka Planner snapshot: \"format\" must be \"kafka-planner-snapshot\"";
        QTest::addRow("future version") << edit([](auto &j) {
            j["version"] = 99;
        }) << "version: snapshot format version 99 is not supported (this build reads 1 to 2)";
        QTest::addRow("missing clusterId") << edit([](auto &j) { j.erase("clusterId"); }) << "clusterId: missing";
        QTest::addRow("leader string") << edit([](auto &j) { j["topics"][0]["partitions"][1]["leader"] = "1"; })
                                       << "topics[0].partitions[1].leader: expected an integer, found string";
        QTest::addRow("replica too big") << edit([](auto &j) { j["topics"][0]["partitions"][0]["replicas"][1] = 1e12; })
                                         << "topics[0].partitions[0].replicas[1]: expected an integer, found number";
        QTest::addRow("negative partition") << edit([](auto &j) { j["topics"][0]["partitions"][0]["p"] = -3; })
                                            << "topics[0].partitions[0].p: must not be negative";
        QTest::addRow("config not string") << edit([](auto &j) { j["topics"][0]["configs"]["retention.ms"] = 5; })
                                           << "topics[0].configs.retention.ms: expected a string, found number";
        QTest::addRow("groups object") << edit([](auto &j) { j["groups"] = nlohmann::json::object(); })
                                       << "groups: expected an array, found object";
        QTest::addRow("negative size") << edit([](auto &j) {
            j["topics"][0]["partitions"][0]["sizes"][0]["bytes"] = -5;
        }) << "topics[0].partitions[0].sizes[0].bytes: must not be negative";
        QTest::addRow("size above int64")
            << edit([](auto &j) {
                   j["topics"][0]["partitions"][0]["sizes"][0]["bytes"] = uint64_t(18446744073709551615ULL);
               })
            << "topics[0].partitions[0].sizes[0].bytes: integer out of range (18446744073709551615 is above "
               "9223372036854775807)";
        QTest::addRow("low above high") << edit([](auto &j) {
            j["topics"][0]["partitions"][0]["low"] = 100;
            j["topics"][0]["partitions"][0]["high"] = 5;
        }) << "topics[0].partitions[0].low: the low watermark 100 is above the high watermark 5";
        QTest::addRow("negative high") << edit([](auto &j) { j["topics"][0]["partitions"][0]["high"] = -7; })
                                       << "topics[0].partitions[0].high: must be -1 (unknown) or an offset";
        QTest::addRow("duplicated partition") << edit([](auto &j) { j["topics"][0]["partitions"][1]["p"] = 0; })
                                              << "topics[0].partitions[1].p: partition 0 is listed twice";
        QTest::addRow("duplicated topic") << edit([](auto &j) { j["topics"].push_back(j["topics"][0]); })
                                          << "topics[2].name: topic \"orders\" is listed twice";
        QTest::addRow("duplicated broker")
            << edit([](auto &j) { j["brokers"][1]["id"] = 1; }) << "brokers[1].id: broker 1 is listed twice";
        QTest::addRow("negative committed partition")
            << edit([](auto &j) { j["groups"][0]["offsets"][0]["partition"] = -1; })
            << "groups[0].offsets[0].partition: must not be negative";
        QTest::addRow("committed below -1") << edit([](auto &j) { j["groups"][0]["offsets"][0]["committed"] = -9; })
                                            << "groups[0].offsets[0].committed: must be -1 (none) or an offset";
        QTest::addRow("negative member epoch")
            << edit([](auto &j) { j["groups"][1]["members"][0]["memberEpoch"] = -2; })
            << "groups[1].members[0].memberEpoch: must not be negative";
        QTest::addRow("group epoch too big")
            << edit([](auto &j) { j["groups"][1]["groupEpoch"] = int64_t(10000000000); })
            << "groups[1].groupEpoch: out of range for a 32-bit integer";
        QTest::addRow("target partition")
            << edit([](auto &j) { j["groups"][1]["members"][0]["targetAssignment"][1]["partition"] = "1"; })
            << "groups[1].members[0].targetAssignment[1].partition: expected an integer, found string";
        QTest::addRow("local start below the log")
            << edit([](auto &j) { j["topics"][1]["partitions"][0]["localLow"] = 50; })
            << "topics[1].partitions[0].localLow: the local log start 50 is "
               "outside the log (100 to 1100)";
        QTest::addRow("remote bytes per offset") << edit([](auto &j) { j["topics"][1]["remoteBytesPerOffset"] = -3; })
                                                 << "topics[1].remoteBytesPerOffset: must be a number of bytes from 0 "
                                                    "to 1e9";
        QTest::addRow("assignment topic")
            << edit([](auto &j) { j["groups"][0]["members"][0]["assignment"][0].erase("topic"); })
            << "groups[0].members[0].assignment[0].topic: missing";
    }

    void malformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.kpsnap.json"));
        {
            std::ofstream out(path.toStdString());
            out << text.toStdString();
        }
        try {
            loadSnapshotFile(path.toStdString());
            QFAIL("a malformed file must be refused");
        } catch (const FormatError &e) {
            QCOMPARE(QString::fromStdString(e.what()), path + QStringLiteral(": ") + message);
        }
    }

    // GroupOffset's texts: one copy per distinct text, shared across threads, compared and ordered by content.
    void internedTextsAreSharedAndCompareByContent()
    {
        const std::string longName = "ml.training.features.clickstream.v3"; // past std::string's inline 15
        std::vector<InternedString> fromThreads(8);
        std::vector<std::thread> threads;
        for (size_t i = 0; i < fromThreads.size(); ++i)
            threads.emplace_back([&, i] { fromThreads[i] = InternedString(std::string(longName)); });
        for (auto &t : threads)
            t.join();
        for (const auto &t : fromThreads) {
            QCOMPARE(&t.str(), &fromThreads[0].str()); // the same copy
            QVERIFY(t == longName);
        }
        const InternedString a("orders"), b(std::string("payments")), none;
        QVERIFY(none.empty());
        QCOMPARE(none.str(), std::string());
        QVERIFY(none == InternedString(""));
        QVERIFY(a < b && b > a && a != b);
        QVERIFY(a == "orders" && a < std::string("ordersz") && !(a == std::string("order")));
        std::vector<GroupOffset> offsets(3);
        offsets[0].topic = "payments", offsets[0].partition = 1;
        offsets[1].topic = "orders", offsets[1].partition = 2;
        offsets[2].topic = std::string("orders"), offsets[2].partition = 1;
        std::sort(offsets.begin(), offsets.end(), [](const GroupOffset &x, const GroupOffset &y) {
            return std::tie(x.topic, x.partition) < std::tie(y.topic, y.partition);
        });
        QCOMPARE(offsets[0].topic.str() + "-" + std::to_string(offsets[0].partition), std::string("orders-1"));
        QCOMPARE(offsets[2].topic.str(), std::string("payments"));
        QCOMPARE(sizeof(GroupOffset), size_t(48)); // a million of them with 10,000 groups
    }

    void missingFile()
    {
        try {
            loadSnapshotFile("/nonexistent/x.kpsnap.json");
            QFAIL("must throw");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()),
                     std::string("/nonexistent/x.kpsnap.json: cannot open the file for reading"));
        }
    }
};

QTEST_GUILESS_MAIN(TestSnapshotJson)
#include "tst_snapshotjson.moc"
