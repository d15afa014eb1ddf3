// Lineage rules without a cluster: where a range stands against the earliest offset (every case, data-driven), how
// a window's offsets-for-times answers become a range, the replay commands (shell-quoted), group runs from snapshots,
// and the store's round trip.

#include "models/clustersnapshot.h"
#include "models/lineage.h"
#include "store/database.h"
#include "store/runstore.h"
#include "storefixture.h"

#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace kp;

namespace {

OffsetRange range(int64_t start, int64_t end)
{
    OffsetRange r;
    r.topic = "events";
    r.partition = 3;
    r.start = start;
    r.end = end;
    return r;
}

ClusterSnapshot snapshot(int64_t takenAt, int64_t committed0, int64_t committed1)
{
    ClusterSnapshot s;
    s.clusterId = "c1";
    s.bootstrap = "b:9092";
    s.takenAtMs = takenAt;
    TopicInfo t;
    t.name = "events";
    for (int p = 0; p < 3; ++p) {
        PartitionInfo pi;
        pi.partition = p;
        pi.leader = 1;
        pi.replicas = {1};
        pi.isr = {1};
        pi.lowWatermark = 100;
        pi.highWatermark = 1100;
        pi.replicaSizes = {{1, "/d", 1000 * 250, 0, false}}; // 250 bytes an offset
        t.partitions.push_back(pi);
    }
    s.topics.push_back(t);
    ConsumerGroup g;
    g.groupId = "trainer";
    g.offsets = {{"events", 0, committed0, 1100, 0, ""}, {"events", 1, committed1, 1100, 0, ""}};
    s.groups.push_back(g);
    return s;
}

} // namespace

class TestRuns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replayability_data()
    {
        QTest::addColumn<qlonglong>("start");
        QTest::addColumn<qlonglong>("end");
        QTest::addColumn<qlonglong>("earliest");
        QTest::addColumn<qlonglong>("latest");
        QTest::addColumn<QString>("state");
        QTest::addColumn<qlonglong>("lost");
        QTest::addRow("all retained") << 100LL << 200LL << 50LL << 500LL << "replayable" << 0LL;
        QTest::addRow("earliest at the start") << 100LL << 200LL << 100LL << 500LL << "replayable" << 0LL;
        QTest::addRow("first records gone") << 100LL << 200LL << 130LL << 500LL << "partly aged out" << 30LL;
        QTest::addRow("all gone, earliest at the end") << 100LL << 200LL << 200LL << 500LL << "aged out" << 100LL;
        QTest::addRow("all gone") << 100LL << 200LL << 900LL << 900LL << "aged out" << 100LL;
        QTest::addRow("truncated or recreated") << 100LL << 200LL << 0LL << 50LL << "aged out" << 100LL;
        QTest::addRow("offsets unknown") << 100LL << 200LL << -1LL << -1LL << "unknown" << 0LL;
        QTest::addRow("empty range") << 100LL << 100LL << 900LL << 900LL << "replayable" << 0LL;
    }
    void replayability()
    {
        QFETCH(qlonglong, start);
        QFETCH(qlonglong, end);
        QFETCH(qlonglong, earliest);
        QFETCH(qlonglong, latest);
        QFETCH(QString, state);
        QFETCH(qlonglong, lost);
        const RangeCheck c = checkRange(range(start, end), earliest, latest);
        QCOMPARE(QString::fromLatin1(toString(c.state)), state);
        QCOMPARE(qlonglong(c.lostRecords), lost);
        QVERIFY(!c.why.empty());
    }

    // Tiered topics: what is left of a range, split at the first local offset.
    void tierSplit_data()
    {
        QTest::addColumn<qlonglong>("earliest");
        QTest::addColumn<qlonglong>("localStart");
        QTest::addColumn<qlonglong>("remoteOnly");
        QTest::addColumn<QString>("says");
        QTest::addRow("all local") << 50LL << 100LL << 0LL << "all of it on the brokers' local disks";
        QTest::addRow("all remote") << 50LL << 200LL << 100LL << "all of it in the remote tier only";
        QTest::addRow("split") << 50LL << 130LL << 30LL << "the first 30 of 100 records in the remote tier only";
        QTest::addRow("partly aged out, rest remote") << 120LL << 500LL << 80LL << "all of it in the remote tier only";
        QTest::addRow("partly aged out, split") << 120LL << 150LL << 30LL << "the first 30 of 80 records";
        QTest::addRow("not tiered") << 50LL << -1LL << -1LL << "";
    }
    void tierSplit()
    {
        QFETCH(qlonglong, earliest);
        QFETCH(qlonglong, localStart);
        QFETCH(qlonglong, remoteOnly);
        QFETCH(QString, says);
        RangeCheck c = checkRange(range(100, 200), earliest, 900);
        const std::string before = c.why;
        addTierSplit(c, range(100, 200), localStart);
        QCOMPARE(qlonglong(c.remoteOnlyRecords), remoteOnly);
        if (says.isEmpty())
            QCOMPARE(c.why, before);
        else
            QVERIFY2(c.why.find(says.toStdString()) != std::string::npos, c.why.c_str());
        // Aged out: nothing left to split.
        RangeCheck gone = checkRange(range(100, 200), 300, 900);
        addTierSplit(gone, range(100, 200), localStart);
        QCOMPARE(gone.remoteOnlyRecords, int64_t(-1));
    }

    // A range's bytes from the bytes on disk: per record over the local log's offsets (a tiered partition's local
    // bytes over every retained offset made each record a quarter of its size here).
    void estimatedBytesOfATieredPartition()
    {
        ClusterSnapshot s;
        TopicInfo t;
        t.name = "tiered";
        PartitionInfo p;
        p.partition = 0;
        p.leader = 1;
        p.lowWatermark = 0;
        p.highWatermark = 20000;
        p.replicaSizes = {{1, "/d", 5000 * 512, 0, false}};
        t.partitions = {p};
        s.topics = {t};
        QCOMPARE(estimatedBytes(s, "tiered", 0, 100), int64_t(100 * 128)); // not tiered: every offset on disk
        s.topics[0].partitions[0].localLogStartOffset = 15000;
        QCOMPARE(estimatedBytes(s, "tiered", 0, 100), int64_t(100 * 512));
        QCOMPARE(estimatedBytes(s, "tiered", 0, 20000), int64_t(20000) * 512);
        // Everything in the remote tier, nothing local yet: the bytes per offset sampled from the remote tier, if any.
        s.topics[0].partitions[0].localLogStartOffset = 20000;
        s.topics[0].partitions[0].replicaSizes = {{1, "/d", 0, 0, false}};
        QCOMPARE(estimatedBytes(s, "tiered", 0, 100), int64_t(-1));
        s.topics[0].remoteBytesPerOffset = 530.5;
        QCOMPARE(estimatedBytes(s, "tiered", 0, 100), int64_t(53050));
    }

    // What a replay of the run reads today (the Planner's replay source): records and bytes left, remote-only records.
    void replaySourceOfARun()
    {
        TrainingRun run;
        OffsetRange local = range(0, 100), tiered = range(100, 300), unknownTier = range(0, 10);
        local.bytes = 1000;
        tiered.bytes = 2000;
        unknownTier.bytes = 50;
        run.ranges = {local, tiered};
        RangeCheck a = checkRange(local, 0, 500);
        a.tiered = 0;
        RangeCheck b = checkRange(tiered, 150, 900); // 50 aged out
        b.tiered = 1;
        addTierSplit(b, tiered, 210); // 60 of the 150 left in the remote tier only
        QCOMPARE(b.remoteOnlyRecords, int64_t(60));
        RunReplaySource s = replaySource(run, {a, b});
        QCOMPARE(s.records, int64_t(250));
        QCOMPARE(s.lostRecords, int64_t(50));
        QCOMPARE(s.bytes, int64_t(1000 + 1500));
        QCOMPARE(s.remoteRecords, int64_t(60));
        QCOMPARE(s.remoteShare(), 60.0 / 250.0);
        // A topic whose configs were not read: whether it is tiered is not known, nor the split.
        run.ranges.push_back(unknownTier);
        RangeCheck c = checkRange(unknownTier, 0, 10);
        s = replaySource(run, {a, b, c});
        QCOMPARE(s.bytes, int64_t(2550));
        QCOMPARE(s.remoteRecords, int64_t(-1));
        QCOMPARE(s.remoteShare(), -1.0);
        // A range without bytes: the bytes are unknown, the split still known.
        run.ranges[2].bytes = -1;
        c.tiered = 0;
        s = replaySource(run, {a, b, c});
        QCOMPARE(s.bytes, int64_t(-1));
        QCOMPARE(s.remoteRecords, int64_t(60));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, replaySource(run, {a, b}));
    }

    void windowRanges()
    {
        // Both bounds answered: [10, 30).
        OffsetRange r = rangeForWindow("t", 0, 1000, 2000, 10, 30, 0, 60);
        QCOMPARE(r.start, int64_t(10));
        QCOMPARE(r.end, int64_t(30));
        QCOMPARE(r.records(), int64_t(20));
        QVERIFY(!r.startClipped);
        // No record at or after the end yet: up to the high watermark.
        r = rangeForWindow("t", 0, 1000, 2000, 10, -1, 0, 60);
        QCOMPARE(r.end, int64_t(60));
        // Nothing at or after the start: empty at the end.
        r = rangeForWindow("t", 0, 1000, 2000, -1, -1, 0, 60);
        QCOMPARE(r.records(), int64_t(0));
        QCOMPARE(r.start, int64_t(60));
        // The answer is the earliest retained offset of a log that lost its head: the window may have started before.
        r = rangeForWindow("t", 0, 1000, 2000, 40, 55, 40, 60);
        QVERIFY(r.startClipped);
    }

    void commandsAreQuoted()
    {
        OffsetRange r = range(10, 30);
        r.topic = "odd topic's";
        const ReplayCommands c = replayCommands("h1:9092,h2:9092", r);
        QCOMPARE(c.kcat, std::string("kcat -C -b h1:9092,h2:9092 -t 'odd topic'\\''s' -p 3 -o 10 -c 20 -e"));
        QCOMPARE(c.consoleConsumer, std::string("kafka-console-consumer.sh --bootstrap-server h1:9092,h2:9092 --topic "
                                                "'odd topic'\\''s' --partition 3 --offset 10 --max-messages 20"));
    }

    void groupRunFromSnapshots()
    {
        RunRequest req;
        req.jobId = "j";
        req.model = "m";
        req.topics = {"events"};
        req.basis = RunBasis::GroupOffsets;
        req.group = "trainer";
        validate(req, 0);
        TrainingRun run = newRun(req, snapshot(1000, 300, 400));
        startGroupRun(run, snapshot(1000, 300, 400));
        QVERIFY(run.open());
        QCOMPARE(run.ranges.size(), size_t(3));
        QCOMPARE(run.ranges[0].start, int64_t(300));
        QCOMPARE(run.ranges[2].start, int64_t(100)); // no commit: the earliest offset, said in the notes
        QVERIFY(run.notes.find("1 partition(s) had no committed offset") != std::string::npos);
        finishGroupRun(run, snapshot(5000, 700, 400));
        QVERIFY(!run.open());
        QCOMPARE(run.ranges[0].records(), int64_t(400));
        QCOMPARE(run.ranges[0].bytes, int64_t(400 * 250));
        QCOMPARE(run.ranges[1].records(), int64_t(0));
        QCOMPARE(run.records(), int64_t(400));
        QCOMPARE(run.finishedAtMs, int64_t(5000));
        // The manifest of a finished group run.
        const auto m = nlohmann::json::parse(runManifestJson(run));
        QCOMPARE(m.at("eventType").get<std::string>(), std::string("COMPLETE"));
        QCOMPARE(m.at("inputs")[0].at("namespace").get<std::string>(), std::string("kafka://b:9092"));
        QCOMPARE(m.at("inputs")[0].at("facets").at("offsetRanges").at("ranges")[0].at("end").get<int64_t>(), 700);
        QCOMPARE(m.at("run").at("facets").at("kafkaPlanner").at("group").get<std::string>(), std::string("trainer"));
    }

    void requestsAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::addRow("job") << "job"
                             << "a run needs its job id";
        QTest::addRow("model") << "model"
                               << "a run needs the model or dataset it trained";
        QTest::addRow("topics") << "topics"
                                << "a run needs at least one topic";
        QTest::addRow("order") << "order"
                               << "the window must end after it starts";
        QTest::addRow("group") << "group"
                               << "a group-offsets run needs the consumer group";
    }
    void requestsAreRefusedWithTheReason()
    {
        QFETCH(QString, what);
        QFETCH(QString, message);
        RunRequest r;
        r.jobId = "j";
        r.model = "m";
        r.topics = {"t"};
        r.fromMs = 1000;
        r.toMs = 2000;
        if (what == QStringLiteral("job"))
            r.jobId.clear();
        else if (what == QStringLiteral("model"))
            r.model.clear();
        else if (what == QStringLiteral("topics"))
            r.topics.clear();
        else if (what == QStringLiteral("order"))
            r.toMs = 500;
        else
            r.basis = RunBasis::GroupOffsets;
        try {
            validate(r, 10000);
            QFAIL("accepted");
        } catch (const std::invalid_argument &e) {
            QCOMPARE(QString::fromUtf8(e.what()), message);
        }
    }

    void storeRoundTrip()
    {
        const test::TestStore dir;
        Database db(dir.location());
        RunStore store(db);
        TrainingRun run;
        run.jobId = "job";
        run.model = "model";
        run.clusterId = "c";
        run.bootstrap = "b:1";
        run.topics = {"a", "b"};
        run.windowFromMs = 1;
        run.windowToMs = 2;
        run.startedAtMs = run.finishedAtMs = 3;
        run.schemaVersions = {{"a-value", "7"}};
        run.transformVersion = "t1";
        run.snapshotIds = {"s1", "s2"};
        run.notes = "n";
        OffsetRange r = range(5, 9);
        r.bytes = 44;
        r.startClipped = true;
        run.ranges = {r};
        const int64_t id = store.add(run);
        auto back = store.find(id);
        QVERIFY(back);
        QCOMPARE(back->topics, run.topics);
        QCOMPARE(back->schemaVersions, run.schemaVersions);
        QCOMPARE(back->snapshotIds, run.snapshotIds);
        QCOMPARE(back->ranges.size(), size_t(1));
        QCOMPARE(back->ranges[0].end, int64_t(9));
        QCOMPARE(back->ranges[0].bytes, int64_t(44));
        QVERIFY(back->ranges[0].startClipped);
        QCOMPARE(back->revision, int64_t(1));
        back->ranges[0].end = 12;
        store.update(*back);
        QCOMPARE(store.find(id)->ranges[0].end, int64_t(12));
        QCOMPARE(store.find(id)->revision, int64_t(2));
        // An update based on the copy read before (another person's, or a CI job's) is refused, nothing written.
        back->ranges[0].end = 13;
        try {
            store.update(*back);
            QFAIL("an update over an old revision must be refused");
        } catch (const StoreConflict &e) {
            QCOMPARE(e.storedRevision(), int64_t(2));
            QCOMPARE(std::string(e.what()),
                     "training run " + std::to_string(id) +
                         " was changed elsewhere since it was read (revision 1, now 2); nothing was written");
        }
        QCOMPARE(store.find(id)->ranges[0].end, int64_t(12));
        QCOMPARE(store.list().size(), size_t(1));
        QCOMPARE(store.all().size(), size_t(1));
        QCOMPARE(store.all()[0].ranges.size(), size_t(1));
        QCOMPARE(store.all()[0].ranges[0].end, int64_t(12));
        QCOMPARE(store.all()[0].snapshotIds, run.snapshotIds);
        QVERIFY(store.remove(id));
        QVERIFY(!store.find(id));
    }
};

QTEST_GUILESS_MAIN(TestRuns)
#include "tst_runs.moc"
