// Lineage rules without a cluster: where a range stands against the earliest offset (every case, data-driven), how
// a window's offsets-for-times answers become a range, the replay commands (shell-quoted), group runs from snapshots,
// the store's round trip, and the OpenLineage events: their fields, their ids, and how they wait in the store until an
// HTTP endpoint takes them.

#include "models/clustersnapshot.h"
#include "models/lineage.h"
#include "models/openlineage.h"
#include "services/lineagedelivery.h"
#include "store/database.h"
#include "store/runstore.h"
#include "storefixture.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

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

// An HTTP endpoint that answers every POST with `status`, keeping what it was sent. deliverLineage blocks, so it runs
// on a thread of its own while this one serves.
class HttpStub : public QObject
{
public:
    int status = 201;
    QList<QByteArray> requests, bodies;

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { read(socket); });
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }
    void close() { m_server.close(); }

    template <typename Work> auto whileServing(Work work)
    {
        std::atomic<bool> done{false};
        decltype(work()) out{};
        std::thread worker([&] {
            out = work();
            done = true;
        });
        while (!done)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        worker.join();
        return out;
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &got = m_pending[socket];
        got += socket->readAll();
        const qsizetype headerEnd = got.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QByteArray head = got.left(headerEnd);
        qsizetype length = 0;
        for (const QByteArray &line : head.split('\n'))
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        if (got.size() < headerEnd + 4 + length)
            return;
        requests.push_back(head);
        bodies.push_back(got.mid(headerEnd + 4, length));
        m_pending.remove(socket);
        const QByteArray text = status == 503 ? "busy" : "";
        socket->write("HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Length: " +
                      QByteArray::number(text.size()) + "\r\nConnection: close\r\n\r\n" + text);
        socket->disconnectFromHost();
    }
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_pending;
};

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
        // The manifest of a finished group run: its COMPLETE event.
        const auto m = nlohmann::json::parse(runManifestJson(run));
        QCOMPARE(m.at("eventType").get<std::string>(), std::string("COMPLETE"));
        QCOMPARE(m.at("inputs")[0].at("namespace").get<std::string>(), std::string("kafka://b:9092"));
        QCOMPARE(m.at("inputs")[0]
                     .at("inputFacets")
                     .at("kafkaPlanner_offsetRanges")
                     .at("ranges")[0]
                     .at("end")
                     .get<int64_t>(),
                 700);
        QCOMPARE(m.at("run").at("facets").at("kafkaPlanner_trainingRun").at("group").get<std::string>(),
                 std::string("trainer"));
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

    // A group run's two events: START names where each partition begins (no end yet), COMPLETE both ends; the
    // datasets are named as OpenLineage names Kafka topics (the first bootstrap server), the job by its id.
    void openLineageEventsOfAGroupRun()
    {
        RunRequest req;
        req.jobId = "train-7";
        req.model = "ranker";
        req.topics = {"events"};
        req.basis = RunBasis::GroupOffsets;
        req.group = "trainer";
        ClusterSnapshot at = snapshot(1764763200000, 300, 400); // 2025-12-03T12:00:00Z
        at.bootstrap = "10.0.0.1:9092, 10.0.0.2:9092";
        TrainingRun run = newRun(req, at);
        run.id = 12;
        startGroupRun(run, at);
        const auto start = nlohmann::json::parse(lineageEvent(run, LineageEventType::Start, ""));
        QCOMPARE(start.at("eventType").get<std::string>(), std::string("START"));
        QCOMPARE(start.at("eventTime").get<std::string>(), std::string("2025-12-03T12:00:00.000Z"));
        QCOMPARE(start.at("run").at("runId").get<std::string>(), run.lineageId);
        QCOMPARE(start.at("job").at("namespace").get<std::string>(), std::string("kafka-planner"));
        QCOMPARE(start.at("job").at("name").get<std::string>(), std::string("train-7"));
        QCOMPARE(start.at("job").at("facets").at("jobType").at("jobType").get<std::string>(),
                 std::string("TRAINING_RUN"));
        const auto &input = start.at("inputs").at(0);
        QCOMPARE(input.at("namespace").get<std::string>(), std::string("kafka://10.0.0.1:9092"));
        QCOMPARE(input.at("name").get<std::string>(), std::string("events"));
        const auto &began = input.at("inputFacets").at("kafkaPlanner_offsetRanges").at("ranges");
        QCOMPARE(began.size(), size_t(3));
        QCOMPARE(began[1].at("start").get<int64_t>(), 400);
        QVERIFY(!began[1].contains("end"));
        QCOMPARE(start.at("outputs").at(0).at("name").get<std::string>(), std::string("ranker"));
        finishGroupRun(run, snapshot(1764766800000, 700, 400));
        const auto done = nlohmann::json::parse(lineageEvent(run, LineageEventType::Complete, "ml-prod"));
        QCOMPARE(done.at("eventType").get<std::string>(), std::string("COMPLETE"));
        QCOMPARE(done.at("eventTime").get<std::string>(), std::string("2025-12-03T13:00:00.000Z"));
        QCOMPARE(done.at("run").at("runId").get<std::string>(), start.at("run").at("runId").get<std::string>());
        QCOMPARE(done.at("job").at("namespace").get<std::string>(), std::string("ml-prod"));
        const auto &ranges = done.at("inputs").at(0).at("inputFacets").at("kafkaPlanner_offsetRanges").at("ranges");
        QCOMPARE(ranges[0].at("start").get<int64_t>(), 300);
        QCOMPARE(ranges[0].at("end").get<int64_t>(), 700);
        QCOMPARE(ranges[0].at("records").get<int64_t>(), 400);
        QCOMPARE(ranges[0].at("bytesEstimated").get<int64_t>(), 400 * 250);
        const auto &facet = done.at("run").at("facets").at("kafkaPlanner_trainingRun");
        QCOMPARE(facet.at("plannerRunId").get<int64_t>(), 12);
        QCOMPARE(facet.at("records").get<int64_t>(), 400);
        QVERIFY(facet.contains("_producer") && facet.contains("_schemaURL"));
    }

    // A time window is the run's nominal time; its ranges are complete at once.
    void openLineageEventOfAWindowRun()
    {
        TrainingRun run;
        run.jobId = "j";
        run.model = "m";
        run.bootstrap = "b:9092";
        run.topics = {"events"};
        run.windowFromMs = 1764763200000;
        run.windowToMs = 1764766800000;
        run.startedAtMs = run.finishedAtMs = 1764770400000;
        run.lineageId = newLineageRunId(run.startedAtMs);
        run.ranges = {range(5, 9)};
        const auto e = nlohmann::json::parse(lineageEvent(run, LineageEventType::Start, ""));
        const auto &nominal = e.at("run").at("facets").at("nominalTime");
        QCOMPARE(nominal.at("nominalStartTime").get<std::string>(), std::string("2025-12-03T12:00:00.000Z"));
        QCOMPARE(nominal.at("nominalEndTime").get<std::string>(), std::string("2025-12-03T13:00:00.000Z"));
        QCOMPARE(e.at("inputs")[0]
                     .at("inputFacets")
                     .at("kafkaPlanner_offsetRanges")
                     .at("ranges")[0]
                     .at("end")
                     .get<int64_t>(),
                 9);
    }

    // Version 7 UUIDs: the time in the first 48 bits, then random; runs stored before have a stable id of their own.
    void lineageRunIds()
    {
        const std::string a = newLineageRunId(0x0123456789ab), b = newLineageRunId(0x0123456789ab);
        QVERIFY(a != b);
        QCOMPARE(QString::fromStdString(a).left(14), QStringLiteral("01234567-89ab-"));
        QCOMPARE(a[14], '7');
        QVERIFY(std::string("89ab").find(a[19]) != std::string::npos);
        QCOMPARE(legacyLineageRunId("c1", 4), legacyLineageRunId("c1", 4));
        QVERIFY(legacyLineageRunId("c1", 4) != legacyLineageRunId("c1", 5));
        QCOMPARE(legacyLineageRunId("c1", 4)[14], '5');
    }

    void lineageEndpointUrls()
    {
        QCOMPARE(lineageEventsUrl("http://marquez:5000"), std::string("http://marquez:5000/api/v1/lineage"));
        QCOMPARE(lineageEventsUrl("https://lineage.example/"), std::string("https://lineage.example/api/v1/lineage"));
        QCOMPARE(lineageEventsUrl("http://h:1/custom/events"), std::string("http://h:1/custom/events"));
        for (const auto &[given, why] : std::vector<std::pair<std::string, std::string>>{
                 {"ftp://h/x", "give an http:// or https:// URL"},
                 {"marquez:5000", "give an http:// or https:// URL"},
                 {"http://user:secret@h:1", "no user or password in the URL"}}) {
            try {
                lineageEventsUrl(given);
                QFAIL(given.c_str());
            } catch (const std::invalid_argument &e) {
                QVERIFY2(std::string(e.what()).find(why) != std::string::npos, e.what());
                QVERIFY2(std::string(e.what()).find("secret") == std::string::npos, e.what());
            }
        }
    }

    // Events wait in the store with their run: an endpoint that cannot be reached keeps them, one that refuses keeps
    // the run's later events behind its first, one that takes them marks them sent; the run is stored throughout.
    void lineageEventsWaitUntilTaken()
    {
        const test::TestStore dir;
        const TrainingRun run = test::smallWindowRun("j");
        HttpStub stub;
        QVERIFY(stub.listen());
        const std::string url = "http://127.0.0.1:" + std::to_string(stub.port()) + "/api/v1/lineage";
        int64_t id = 0;
        {
            Database db(dir.location());
            id = RunStore(db).add(run, {url, "", {LineageEventType::Start, LineageEventType::Complete}});
            QCOMPARE(LineageOutbox(db).pendingPerRun(), (std::map<int64_t, int>{{id, 2}}));
            // Built without a lineage id, the run gets one when stored, and its events carry it.
            const std::string given = RunStore(db).find(id)->lineageId;
            QCOMPARE(QString::fromStdString(given).size(), 36);
            for (const auto &e : LineageOutbox(db).eventsOf(id))
                QCOMPARE(nlohmann::json::parse(e.body).at("run").at("runId").get<std::string>(), given);
        }
        LineageEndpoint endpoint;
        endpoint.url = url;
        endpoint.apiKey = "k-123";
        endpoint.timeoutMs = 2000;
        // Refused: START stays, COMPLETE is not tried before it.
        stub.status = 503;
        LineageDelivery d = stub.whileServing([&] { return deliverLineage(dir.location(), endpoint); });
        QCOMPARE(d.sent, 0);
        QCOMPARE(d.pending, 2);
        QCOMPARE(d.lastError, url + ": answered HTTP 503 (busy)");
        QCOMPARE(stub.bodies.size(), qsizetype(1));
        QVERIFY(stub.requests[0].contains("Authorization: Bearer k-123"));
        QVERIFY(stub.requests[0].contains("Content-Type: application/json"));
        // Taken: both, in order.
        stub.status = 201;
        d = stub.whileServing([&] { return deliverLineage(dir.location(), endpoint); });
        QCOMPARE(d.sent, 2);
        QCOMPARE(d.pending, 0);
        QCOMPARE(stub.bodies.size(), qsizetype(3));
        QCOMPARE(nlohmann::json::parse(stub.bodies[1].toStdString()).at("eventType").get<std::string>(),
                 std::string("START"));
        QCOMPARE(nlohmann::json::parse(stub.bodies[2].toStdString()).at("eventType").get<std::string>(),
                 std::string("COMPLETE"));
        Database db(dir.location());
        const auto events = LineageOutbox(db).eventsOf(id);
        QCOMPARE(events.size(), size_t(2));
        QCOMPARE(events[0].attempts, 2);
        QVERIFY(events[0].sentAtMs > 0 && events[1].sentAtMs > 0);
        QVERIFY(LineageOutbox(db).pendingPerRun().empty());
        // An event queued for the endpoint configured before goes there, without the key of the one configured now.
        const std::string before = "http://127.0.0.1:" + std::to_string(stub.port()) + "/before/lineage";
        RunStore(db).add(run, {before, "", {LineageEventType::Start}});
        d = stub.whileServing([&] { return deliverLineage(dir.location(), endpoint); });
        QCOMPARE(d.sent, 1);
        QVERIFY2(stub.requests.last().startsWith("POST /before/lineage "), stub.requests.last().constData());
        QVERIFY2(!stub.requests.last().contains("Authorization"), stub.requests.last().constData());
        // Nothing listening: the event waits, the reason names the endpoint.
        stub.close();
        RunStore(db).add(run, {url, "", {LineageEventType::Start}});
        d = deliverLineage(dir.location(), endpoint);
        QCOMPARE(d.pending, 1);
        QVERIFY2(d.lastError.rfind(url + ": could not be reached: ", 0) == 0, d.lastError.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRuns)
#include "tst_runs.moc"
