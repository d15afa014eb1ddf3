// Training-run lineage against the real cluster, through the CLI: a time window resolves to the offsets of the
// records' own timestamps (seeded one a second); a group run takes the committed offsets at its start and its end;
// a range whose records retention has deleted is reported unreplayable (exit 4); the manifest names the datasets
// OpenLineage's way, and the run's OpenLineage events reach a real receiver (or wait for it). Test topics are created
// here and dropped at the end.

#include "clusterfixture.h"
#include "lineagereceiver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>
#include <thread>

namespace sd = kp::seed;

namespace {

using Run = kp::test::ProcessRun;
const auto exec = kp::test::runProcess;

const QString kBootstrap = QString::fromLatin1(sd::kPlaintextBootstrap);

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

class TestLineage : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;
    QStringList m_topics;
    QString m_group;
    qint64 m_base = 0;

    Run cli(QStringList args)
    {
        args << QStringLiteral("--db") << m_db;
        return exec(QStringLiteral(KP_CLI), args);
    }
    Run cliWith(const QProcessEnvironment &env, QStringList args)
    {
        args << QStringLiteral("--db") << m_db;
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(KP_CLI), args);
        p.waitForFinished(120000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
    // The run's OpenLineage events not sent yet, as `run list` says.
    int pendingOf(int64_t id)
    {
        const Run list = cli({QStringLiteral("run"), QStringLiteral("list")});
        for (const auto &r : nlohmann::json::parse(list.out.toStdString()))
            if (r.at("id").get<int64_t>() == id)
                return r.at("lineagePending").get<int>();
        return -1;
    }
    bool seed(const QStringList &args)
    {
        const Run r = exec(QStringLiteral(KP_SEED_TOOL), args);
        if (r.code != 0)
            qWarning("kp-seed %s: %s", qPrintable(args.join(QLatin1Char(' '))), r.err.constData());
        return r.code == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(kp::test::requireCluster());
        m_db = m_dir.filePath(QStringLiteral("runs.sqlite"));
        // Record i of every partition stamped base + i s, base an hour ago on a whole second.
        m_base = (QDateTime::currentMSecsSinceEpoch() / 1000 - 3600) * 1000;
        // Names of this run only: a topic deleted by an earlier run may still be going away under the same name.
        const QString run = QString::number(QDateTime::currentMSecsSinceEpoch());
        m_topics = {QStringLiteral("kp-lineage-window-") + run, QStringLiteral("kp-lineage-group-") + run,
                    QStringLiteral("kp-lineage-aged-") + run};
        m_group = QStringLiteral("kp-lineage-") + run;
        QVERIFY(seed({QStringLiteral("timed"), QStringLiteral("--topic"), m_topics[0], QStringLiteral("--partitions"),
                      QStringLiteral("3"), QStringLiteral("--messages"), QStringLiteral("60"),
                      QStringLiteral("--base-ms"), QString::number(m_base)}));
        QVERIFY(seed({QStringLiteral("timed"), QStringLiteral("--topic"), m_topics[1], QStringLiteral("--partitions"),
                      QStringLiteral("2"), QStringLiteral("--messages"), QStringLiteral("50"),
                      QStringLiteral("--base-ms"), QString::number(m_base), QStringLiteral("--group"), m_group,
                      QStringLiteral("--commit"), QStringLiteral("5")}));
        QVERIFY(
            seed({QStringLiteral("timed"), QStringLiteral("--topic"), m_topics[2], QStringLiteral("--partitions"),
                  QStringLiteral("2"), QStringLiteral("--messages"), QStringLiteral("40"), QStringLiteral("--base-ms"),
                  QString::number(m_base), QStringLiteral("--step-ms"), QStringLiteral("100")}));
        QVERIFY(kp::test::topicShows(m_topics[0], 3, 60));
        QVERIFY(kp::test::topicShows(m_topics[1], 2, 50));
        QVERIFY(kp::test::topicShows(m_topics[2], 2, 40));
    }

    void cleanupTestCase()
    {
        for (const auto &t : m_topics)
            seed({QStringLiteral("drop"), QStringLiteral("--topic"), t});
    }

    // [base + 10 s, base + 30 s) holds records 10 to 29 of every partition: offsets 10..30, 20 records each.
    void timeWindowResolvesToTheSeededTimestamps()
    {
        Run r = cli({QStringLiteral("run"),
                     QStringLiteral("record"),
                     QStringLiteral("--bootstrap"),
                     kBootstrap,
                     QStringLiteral("--job"),
                     QStringLiteral("train-42"),
                     QStringLiteral("--model"),
                     QStringLiteral("ranker-v7"),
                     QStringLiteral("--topic"),
                     m_topics[0],
                     QStringLiteral("--from"),
                     iso(m_base + 10000),
                     QStringLiteral("--to"),
                     iso(m_base + 30000),
                     QStringLiteral("--schema-version"),
                     QStringLiteral("events-value=12"),
                     QStringLiteral("--transform-version"),
                     QStringLiteral("fe-2.3.1"),
                     QStringLiteral("--source-snapshot"),
                     QStringLiteral("snap-2026-11-26"),
                     QStringLiteral("--notes"),
                     QStringLiteral("nightly refresh")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j.at("id").get<int>(), 1);
        QCOMPARE(j.at("ranges").size(), size_t(3));
        for (int p = 0; p < 3; ++p) {
            const auto &range = j.at("ranges")[size_t(p)];
            QCOMPARE(range.at("partition").get<int>(), p);
            QCOMPARE(range.at("start").get<int64_t>(), 10);
            QCOMPARE(range.at("end").get<int64_t>(), 30);
            QCOMPARE(range.at("records").get<int64_t>(), 20);
            QVERIFY2(range.at("bytesEstimated").get<int64_t>() > 20 * 100, range.dump().c_str());
            QCOMPARE(QString::fromStdString(range.at("kcat").get<std::string>()),
                     QStringLiteral("kcat -C -b %1 -t %2 -p %3 -o 10 -c 20 -e").arg(kBootstrap, m_topics[0]).arg(p));
            QCOMPARE(QString::fromStdString(range.at("consoleConsumer").get<std::string>()),
                     QStringLiteral("kafka-console-consumer.sh --bootstrap-server %1 --topic %2 --partition %3 "
                                    "--offset 10 --max-messages 20")
                         .arg(kBootstrap, m_topics[0])
                         .arg(p));
        }
        QCOMPARE(j.at("records").get<int64_t>(), 60);
        // Stored: show gives the same ranges.
        Run show = cli({QStringLiteral("run"), QStringLiteral("show"), QStringLiteral("1")});
        QVERIFY2(show.code == 0, show.err.constData());
        QVERIFY(nlohmann::json::parse(show.out.toStdString()).at("ranges") == j.at("ranges"));
        // The manifest: the run's COMPLETE event, OpenLineage's dataset naming and the offset-range facet.
        Run manifest = cli({QStringLiteral("run"), QStringLiteral("manifest"), QStringLiteral("1")});
        QVERIFY2(manifest.code == 0, manifest.err.constData());
        const auto m = nlohmann::json::parse(manifest.out.toStdString());
        QCOMPARE(m.at("eventType").get<std::string>(), std::string("COMPLETE"));
        QCOMPARE(m.at("job").at("name").get<std::string>(), std::string("train-42"));
        const auto &input = m.at("inputs").at(0);
        QCOMPARE(QString::fromStdString(input.at("namespace").get<std::string>()),
                 QStringLiteral("kafka://127.0.0.1:19091"));
        QCOMPARE(QString::fromStdString(input.at("name").get<std::string>()), m_topics[0]);
        const auto &facet = input.at("inputFacets").at("kafkaPlanner_offsetRanges");
        QVERIFY(!facet.at("clusterId").get<std::string>().empty());
        QCOMPARE(facet.at("ranges")[1].at("start").get<int64_t>(), 10);
        QCOMPARE(facet.at("ranges")[1].at("end").get<int64_t>(), 30);
        QCOMPARE(QString::fromStdString(facet.at("ranges")[1].at("startTime").get<std::string>()), iso(m_base + 10000));
        const auto &run = m.at("run").at("facets").at("kafkaPlanner_trainingRun");
        QCOMPARE(run.at("schemaVersions").at("events-value").get<std::string>(), std::string("12"));
        QCOMPARE(run.at("transformVersion").get<std::string>(), std::string("fe-2.3.1"));
        QCOMPARE(run.at("sourceSnapshots")[0].get<std::string>(), std::string("snap-2026-11-26"));
        // Still replayable: exit 0, every range said so.
        Run check = cli({QStringLiteral("run"), QStringLiteral("check"), QStringLiteral("1"),
                         QStringLiteral("--bootstrap"), kBootstrap});
        QCOMPARE(check.code, 0);
        const auto checked = nlohmann::json::parse(check.out.toStdString());
        for (const auto &range : checked.at("ranges"))
            QCOMPARE(range.at("replayability").get<std::string>(), std::string("replayable"));
        // A window past the last record is empty on every partition; one in the future is refused.
        Run late = cli({QStringLiteral("run"), QStringLiteral("record"), QStringLiteral("--bootstrap"), kBootstrap,
                        QStringLiteral("--job"), QStringLiteral("j"), QStringLiteral("--model"), QStringLiteral("m"),
                        QStringLiteral("--topic"), m_topics[0], QStringLiteral("--from"), iso(m_base + 120000)});
        QVERIFY2(late.code == 0, late.err.constData());
        QCOMPARE(nlohmann::json::parse(late.out.toStdString()).at("records").get<int64_t>(), 0);
        Run future = cli({QStringLiteral("run"), QStringLiteral("record"), QStringLiteral("--bootstrap"), kBootstrap,
                          QStringLiteral("--job"), QStringLiteral("j"), QStringLiteral("--model"), QStringLiteral("m"),
                          QStringLiteral("--topic"), m_topics[0], QStringLiteral("--from"),
                          iso(QDateTime::currentMSecsSinceEpoch() + 86400000)});
        QCOMPARE(future.code, 2);
        QVERIFY2(future.err.contains("the window must end after it starts") ||
                     future.err.contains("the window starts in the future"),
                 future.err.constData());
        Run missing =
            cli({QStringLiteral("run"), QStringLiteral("record"), QStringLiteral("--bootstrap"), kBootstrap,
                 QStringLiteral("--job"), QStringLiteral("j"), QStringLiteral("--model"), QStringLiteral("m"),
                 QStringLiteral("--topic"), QStringLiteral("no-such-topic"), QStringLiteral("--from"), iso(m_base)});
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.contains("the cluster has no topic \"no-such-topic\""), missing.err.constData());
    }

    // The group's committed offsets at the start (5) and, after it read on to 25, at the end: 20 records a partition.
    void groupRunTakesTheCommittedOffsets()
    {
        Run start = cli({QStringLiteral("run"), QStringLiteral("record"), QStringLiteral("--bootstrap"), kBootstrap,
                         QStringLiteral("--job"), QStringLiteral("train-43"), QStringLiteral("--model"),
                         QStringLiteral("ranker-v8"), QStringLiteral("--topic"), m_topics[1], QStringLiteral("--group"),
                         m_group});
        QVERIFY2(start.code == 0, start.err.constData());
        const auto s = nlohmann::json::parse(start.out.toStdString());
        const QString id = QString::number(s.at("id").get<int64_t>());
        QVERIFY(s.at("open") == true);
        for (const auto &r : s.at("ranges")) {
            QCOMPARE(r.at("start").get<int64_t>(), 5);
            QCOMPARE(r.at("records").get<int64_t>(), 0);
        }
        QVERIFY(seed({QStringLiteral("commit"), QStringLiteral("--topic"), m_topics[1], QStringLiteral("--partitions"),
                      QStringLiteral("2"), QStringLiteral("--group"), m_group, QStringLiteral("--commit"),
                      QStringLiteral("25")}));
        Run finish =
            cli({QStringLiteral("run"), QStringLiteral("finish"), id, QStringLiteral("--bootstrap"), kBootstrap});
        QVERIFY2(finish.code == 0, finish.err.constData());
        const auto f = nlohmann::json::parse(finish.out.toStdString());
        QVERIFY(f.at("open") == false);
        QCOMPARE(f.at("ranges").size(), size_t(2));
        for (const auto &r : f.at("ranges")) {
            QCOMPARE(r.at("start").get<int64_t>(), 5);
            QCOMPARE(r.at("end").get<int64_t>(), 25);
            QCOMPARE(r.at("records").get<int64_t>(), 20);
        }
        Run again =
            cli({QStringLiteral("run"), QStringLiteral("finish"), id, QStringLiteral("--bootstrap"), kBootstrap});
        QCOMPARE(again.code, 2);
        QVERIFY2(again.err.contains("was finished at"), again.err.constData());
    }

    // A group run's OpenLineage events through a real HTTP receiver that parses them with the official Java client:
    // recorded while the endpoint is down, the run is stored and its START waits (run list says so); finished once the
    // endpoint is up, START then COMPLETE arrive with the exact offsets the group committed, the key as a bearer token,
    // the topic named kafka://BOOTSTRAP / TOPIC.
    void groupRunEventsReachOpenLineage()
    {
        const QString group = m_group + QStringLiteral("-ol");
        QVERIFY(seed({QStringLiteral("commit"), QStringLiteral("--topic"), m_topics[1], QStringLiteral("--partitions"),
                      QStringLiteral("2"), QStringLiteral("--group"), group, QStringLiteral("--commit"),
                      QStringLiteral("10")}));
        kp::test::LineageReceiver receiver;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("OPENLINEAGE_API_KEY"), QStringLiteral("k-45"));
        Run rec = cliWith(env, {QStringLiteral("run"), QStringLiteral("record"), QStringLiteral("--bootstrap"),
                                kBootstrap, QStringLiteral("--job"), QStringLiteral("train-45"),
                                QStringLiteral("--model"), QStringLiteral("ranker-v9"), QStringLiteral("--topic"),
                                m_topics[1], QStringLiteral("--group"), group, QStringLiteral("--lineage-url"),
                                receiver.url(), QStringLiteral("--lineage-namespace"), QStringLiteral("ml-prod")});
        QVERIFY2(rec.code == 0, rec.err.constData());
        const QByteArray pending =
            "OpenLineage: 1 event(s) pending (" + receiver.url().toUtf8() + "/api/v1/lineage: could not be reached";
        QVERIFY2(rec.err.contains(pending), rec.err.constData());
        const auto recorded = nlohmann::json::parse(rec.out.toStdString());
        const int64_t id = recorded.at("id").get<int64_t>();
        const std::string runId = recorded.at("lineage").at("runId").get<std::string>();
        QCOMPARE(pendingOf(id), 1);
        QString why;
        QVERIFY2(receiver.start(&why), qPrintable(why));
        QVERIFY(seed({QStringLiteral("commit"), QStringLiteral("--topic"), m_topics[1], QStringLiteral("--partitions"),
                      QStringLiteral("2"), QStringLiteral("--group"), group, QStringLiteral("--commit"),
                      QStringLiteral("40")}));
        // The endpoint from the environment, as OpenLineage's own clients take it.
        env.insert(QStringLiteral("OPENLINEAGE_URL"), receiver.url());
        env.insert(QStringLiteral("OPENLINEAGE_NAMESPACE"), QStringLiteral("ml-prod"));
        Run fin = cliWith(env, {QStringLiteral("run"), QStringLiteral("finish"), QString::number(id),
                                QStringLiteral("--bootstrap"), kBootstrap});
        QVERIFY2(fin.code == 0, fin.err.constData());
        QVERIFY2(fin.err.contains("OpenLineage: 2 event(s) sent"), fin.err.constData());
        QCOMPARE(pendingOf(id), 0);
        QVERIFY2(receiver.rejected().isEmpty(), receiver.rejected().constData());
        const auto got = receiver.events();
        QCOMPARE(got.size(), size_t(2));
        for (size_t i = 0; i < 2; ++i) {
            const auto &e = got[i].at("event");
            QCOMPARE(got[i].at("authorization").get<std::string>(), std::string("Bearer k-45"));
            QCOMPARE(e.at("eventType").get<std::string>(), std::string(i == 0 ? "START" : "COMPLETE"));
            QCOMPARE(e.at("run").at("runId").get<std::string>(), runId);
            QCOMPARE(e.at("job").at("namespace").get<std::string>(), std::string("ml-prod"));
            QCOMPARE(e.at("job").at("name").get<std::string>(), std::string("train-45"));
            QCOMPARE(e.at("outputs").at(0).at("name").get<std::string>(), std::string("ranker-v9"));
            const auto &input = e.at("inputs").at(0);
            QCOMPARE(input.at("namespace").get<std::string>(), std::string("kafka://127.0.0.1:19091"));
            QCOMPARE(QString::fromStdString(input.at("name").get<std::string>()), m_topics[1]);
            const auto &ranges = input.at("inputFacets").at("kafkaPlanner_offsetRanges").at("ranges");
            QCOMPARE(ranges.size(), size_t(2));
            for (int p = 0; p < 2; ++p) {
                QCOMPARE(ranges[p].at("partition").get<int>(), p);
                QCOMPARE(ranges[p].at("start").get<int64_t>(), 10);
                QCOMPARE(ranges[p].contains("end"), i == 1);
                if (i == 1)
                    QCOMPARE(ranges[p].at("end").get<int64_t>(), 40);
            }
        }
        // Nothing left: send-events says so and exits 0.
        Run send = cliWith(env, {QStringLiteral("run"), QStringLiteral("send-events")});
        QCOMPARE(send.code, 0);
        QCOMPARE(send.out, QByteArray("OpenLineage: 0 event(s) sent, 0 pending\n"));
    }

    // Every record of a range deleted by retention (retention.ms set to 1 s; the brokers check every 2 s): the
    // check says aged out with the records lost, and exits 4.
    void agedOutRangeIsUnreplayable()
    {
        Run rec = cli({QStringLiteral("run"), QStringLiteral("record"), QStringLiteral("--bootstrap"), kBootstrap,
                       QStringLiteral("--job"), QStringLiteral("train-44"), QStringLiteral("--model"),
                       QStringLiteral("ranker-v9"), QStringLiteral("--topic"), m_topics[2], QStringLiteral("--from"),
                       iso(m_base - 60000)});
        QVERIFY2(rec.code == 0, rec.err.constData());
        const auto j = nlohmann::json::parse(rec.out.toStdString());
        const QString id = QString::number(j.at("id").get<int64_t>());
        QCOMPARE(j.at("records").get<int64_t>(), 80);
        QCOMPARE(exec(QStringLiteral(KP_CLI), {QStringLiteral("run"), QStringLiteral("check"), id,
                                               QStringLiteral("--db"), m_db, QStringLiteral("--bootstrap"), kBootstrap})
                     .code,
                 0);
        QVERIFY(seed({QStringLiteral("set-config"), QStringLiteral("--topic"), m_topics[2], QStringLiteral("--config"),
                      QStringLiteral("retention.ms=1000")}));
        // Each partition's log is deleted on its own: wait until both have gone.
        Run check;
        QElapsedTimer clock;
        clock.start();
        auto allGone = [](const Run &r) {
            if (r.code != 4)
                return false;
            const auto j = nlohmann::json::parse(r.out.toStdString());
            for (const auto &range : j.at("ranges"))
                if (range.at("replayability") != "aged out")
                    return false;
            return true;
        };
        do {
            std::this_thread::sleep_for(std::chrono::seconds(1));
            check =
                cli({QStringLiteral("run"), QStringLiteral("check"), id, QStringLiteral("--bootstrap"), kBootstrap});
        } while (!allGone(check) && clock.elapsed() < 90000);
        QVERIFY2(check.code == 4, QByteArray(check.out + check.err).constData());
        const auto c = nlohmann::json::parse(check.out.toStdString());
        for (const auto &r : c.at("ranges")) {
            QCOMPARE(r.at("replayability").get<std::string>(), std::string("aged out"));
            QCOMPARE(r.at("lostRecords").get<int64_t>(), 40);
            QCOMPARE(r.at("earliestNow").get<int64_t>(), 40);
        }
        // The table says it in words.
        Run table = cli({QStringLiteral("run"), QStringLiteral("check"), id, QStringLiteral("--bootstrap"), kBootstrap,
                         QStringLiteral("--format"), QStringLiteral("table")});
        QCOMPARE(table.code, 4);
        QVERIFY2(table.out.contains("aged out: earliest offset 40 >= end 40: retention has deleted every record"),
                 table.out.constData());
    }

    // `plan --replay-run ID`: the replay scenario reads the run's bytes still retained; on the existing cluster from
    // where they are now (this topic is not tiered: all from disk, none from the remote tier). Bad ids are refused.
    void planReplaysWhatARunRead()
    {
        Run rec = cli({QStringLiteral("run"), QStringLiteral("record"), QStringLiteral("--bootstrap"), kBootstrap,
                       QStringLiteral("--job"), QStringLiteral("refresh-3"), QStringLiteral("--model"),
                       QStringLiteral("ranker"), QStringLiteral("--topic"), m_topics[0], QStringLiteral("--from"),
                       iso(m_base + 10000), QStringLiteral("--to"), iso(m_base + 30000)});
        QVERIFY2(rec.code == 0, rec.err.constData());
        const auto run = nlohmann::json::parse(rec.out.toStdString());
        const QString id = QString::number(run.at("id").get<int64_t>());
        int64_t bytes = 0;
        for (const auto &r : run.at("ranges"))
            bytes += r.at("bytesEstimated").get<int64_t>();
        QVERIFY(bytes > 0);
        Run plan = cli({QStringLiteral("plan"), QStringLiteral("--bootstrap"), kBootstrap, QStringLiteral("--scenario"),
                        QStringLiteral("replay"), QStringLiteral("--replay-run"), id, QStringLiteral("--format"),
                        QStringLiteral("json")});
        QVERIFY2(plan.code == 0, plan.err.constData());
        const auto j = nlohmann::json::parse(plan.out.toStdString());
        int seen = 0;
        for (const auto &sc : j.at("scenarios")) {
            std::map<std::string, double> m;
            for (const auto &metric : sc.at("metrics"))
                m[metric.at("name")] = metric.at("value").is_null() ? -1 : metric.at("value").get<double>();
            QCOMPARE(m.at("bytes"), double(bytes) / 1e9);
            if (sc.at("architecture") == "existing cluster") {
                ++seen;
                QCOMPARE(m.at("from page cache"), 0.0);
                QCOMPARE(m.at("from remote tier"), 0.0);
                QCOMPARE(m.at("from local disk"), double(bytes) / 1e9);
                QCOMPARE(sc.at("title").get<std::string>(),
                         "replay of run " + id.toStdString() + " (refresh-3, ranker) on the existing cluster");
            }
        }
        QCOMPARE(seen, 1);
        Run bad = cli({QStringLiteral("plan"), QStringLiteral("--bootstrap"), kBootstrap,
                       QStringLiteral("--replay-run"), QStringLiteral("2.5")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("--replay-run must be a run's number"), bad.err.constData());
        Run missing = cli({QStringLiteral("plan"), QStringLiteral("--bootstrap"), kBootstrap,
                           QStringLiteral("--replay-run"), QStringLiteral("99999")});
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.contains("--replay-run: no training run 99999 in"), missing.err.constData());
        Run byHand = cli({QStringLiteral("plan"), QStringLiteral("--write-mbps"), QStringLiteral("10"),
                          QStringLiteral("--replay-run"), id});
        QCOMPARE(byHand.code, 2);
        QVERIFY2(byHand.err.contains("--replay-run needs the cluster the run read from"), byHand.err.constData());
    }

    // On 4.x, cluster.sh seed-4x's tiered topic: `run check` says which records are in the remote tier only (it read
    // no topic configs before, so never knew a topic was tiered), and `plan --replay-run` reads that share from the
    // remote tier. The 3.9 test cluster has no tiered storage.
    void runOfATieredTopicIsPlannedFromWhereItsRecordsAre()
    {
        Run snap = exec(QStringLiteral(KP_CLI), {QStringLiteral("snapshot"), QStringLiteral("--bootstrap"), kBootstrap,
                                                 QStringLiteral("--no-groups")});
        QVERIFY2(snap.code == 0, snap.err.constData());
        const auto s = nlohmann::json::parse(snap.out.toStdString());
        const nlohmann::json *tiered = nullptr;
        for (const auto &t : s.at("topics"))
            if (t.at("name") == "tiered-events")
                tiered = &t;
        QCOMPARE(tiered != nullptr, kp::test::kafkaMajor() >= 4);
        if (!tiered)
            return;
        int64_t records = 0, remote = 0;
        for (const auto &p : tiered->at("partitions")) {
            records += p.at("high").get<int64_t>() - p.at("low").get<int64_t>();
            remote += p.at("localLow").get<int64_t>() - p.at("low").get<int64_t>();
        }
        QVERIFY(remote > 0);
        Run rec = cli({QStringLiteral("run"), QStringLiteral("record"), QStringLiteral("--bootstrap"), kBootstrap,
                       QStringLiteral("--job"), QStringLiteral("refresh-4"), QStringLiteral("--model"),
                       QStringLiteral("ranker"), QStringLiteral("--topic"), QStringLiteral("tiered-events"),
                       QStringLiteral("--from"), iso(QDateTime::currentMSecsSinceEpoch() - 6 * 86400000LL)});
        QVERIFY2(rec.code == 0, rec.err.constData());
        const QString id = QString::number(nlohmann::json::parse(rec.out.toStdString()).at("id").get<int64_t>());
        Run check =
            cli({QStringLiteral("run"), QStringLiteral("check"), id, QStringLiteral("--bootstrap"), kBootstrap});
        QVERIFY2(check.code == 0, check.err.constData());
        int64_t checkedRecords = 0, remoteOnly = 0, bytes = 0;
        const auto checked = nlohmann::json::parse(check.out.toStdString());
        for (const auto &r : checked.at("ranges")) {
            checkedRecords += r.at("records").get<int64_t>();
            remoteOnly += r.at("remoteOnlyRecords").get<int64_t>();
            bytes += r.at("bytesEstimated").get<int64_t>();
        }
        QVERIFY2(checkedRecords == records && remoteOnly == remote, check.out.constData());
        QVERIFY(bytes > records * 400); // 512-byte records as the log stores them, not the local bytes spread thin
        Run plan = cli({QStringLiteral("plan"), QStringLiteral("--bootstrap"), kBootstrap, QStringLiteral("--scenario"),
                        QStringLiteral("replay"), QStringLiteral("--replay-run"), id});
        QVERIFY2(plan.code == 0, plan.err.constData());
        const auto planned = nlohmann::json::parse(plan.out.toStdString());
        int seen = 0;
        for (const auto &sc : planned.at("scenarios"))
            if (sc.at("architecture") == "existing cluster")
                for (const auto &m : sc.at("metrics"))
                    if (m.at("name") == "from remote tier") {
                        QCOMPARE(m.at("value").get<double>(), double(bytes) / 1e9 * (double(remote) / double(records)));
                        ++seen;
                    }
        QCOMPARE(seen, 1);
    }

    // `lag --time-lag`: how far behind in time, from the first record the group has not read (no recorded history
    // needed). The group is at 25 on the group topic (record 25 stamped base + 25 s) and, committed at 0 here, on the
    // aged-out topic, whose records retention deleted: said so, not guessed.
    void timeLagFromTheFirstUnconsumedRecord()
    {
        QVERIFY(seed({QStringLiteral("commit"), QStringLiteral("--topic"), m_topics[2], QStringLiteral("--partitions"),
                      QStringLiteral("2"), QStringLiteral("--group"), m_group, QStringLiteral("--commit"),
                      QStringLiteral("0")}));
        Run r = cli({QStringLiteral("lag"), QStringLiteral("--bootstrap"), kBootstrap, QStringLiteral("--group"),
                     QStringLiteral("^") + m_group + QStringLiteral("$"), QStringLiteral("--time-lag")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j.at("groups").size(), size_t(1));
        const auto &g = j.at("groups")[0];
        const qint64 takenAt =
            QDateTime::fromString(QString::fromStdString(j.at("takenAt").get<std::string>()), Qt::ISODateWithMs)
                .toMSecsSinceEpoch();
        const qint64 record25 = m_base + 25000;
        int onGroupTopic = 0, aged = 0;
        double largest = -1;
        for (const auto &p : g.at("partitions")) {
            if (p.at("topic") == m_topics[1].toStdString()) {
                ++onGroupTopic;
                QCOMPARE(p.at("lag").get<int64_t>(), 25);
                QCOMPARE(p.at("firstUnconsumedOffset").get<int64_t>(), 25);
                QCOMPARE(QString::fromStdString(p.at("firstUnconsumedAt").get<std::string>()), iso(record25));
                QVERIFY2(std::abs(p.at("timeLagSeconds").get<double>() * 1000 - double(takenAt - record25)) < 1.5,
                         p.dump().c_str());
                largest = std::max(largest, p.at("timeLagSeconds").get<double>());
            } else {
                QCOMPARE(p.at("topic").get<std::string>(), m_topics[2].toStdString());
                ++aged;
                QVERIFY(p.at("timeLagSeconds").is_null());
                QCOMPARE(p.at("timeLagError").get<std::string>(),
                         std::string("offset 0 is no longer in the log (retention deleted it)"));
            }
        }
        QCOMPARE(onGroupTopic, 2);
        QCOMPARE(aged, 2);
        QCOMPARE(g.at("maxTimeLagSeconds").get<double>(), largest); // of the partitions whose time lag is known
        // The table says the same in words.
        Run table = cli({QStringLiteral("lag"), QStringLiteral("--bootstrap"), kBootstrap, QStringLiteral("--group"),
                         QStringLiteral("^") + m_group + QStringLiteral("$"), QStringLiteral("--time-lag"),
                         QStringLiteral("--format"), QStringLiteral("table"), QStringLiteral("--partitions")});
        QVERIFY2(table.code == 0, table.err.constData());
        QVERIFY2(table.out.contains("TIME LAG"), table.out.constData());
        QCOMPARE(table.out.count("time lag ? (offset 0 is no longer in the log (retention deleted it))"), 2);
        // With a recorded history too: the history began long after record 25 was written, so its time lag comes from
        // the record, the same one.
        const QString db = m_dir.filePath(QStringLiteral("timelag.sqlite"));
        QCOMPARE(
            cli({QStringLiteral("watch"), QStringLiteral("--bootstrap"), kBootstrap, QStringLiteral("--db"), db,
                 QStringLiteral("--interval"), QStringLiteral("1"), QStringLiteral("--count"), QStringLiteral("2")})
                .code,
            0);
        Run h = cli({QStringLiteral("lag"), QStringLiteral("--bootstrap"), kBootstrap, QStringLiteral("--db"), db,
                     QStringLiteral("--history"), QStringLiteral("1m"), QStringLiteral("--group"),
                     QStringLiteral("^") + m_group + QStringLiteral("$"), QStringLiteral("--time-lag")});
        QVERIFY2(h.code == 0, h.err.constData());
        const auto hj = nlohmann::json::parse(h.out.toStdString());
        int fromRecord = 0;
        for (const auto &p : hj.at("groups")[0].at("partitions"))
            if (p.at("topic") == m_topics[1].toStdString()) {
                ++fromRecord;
                QCOMPARE(p.at("firstUnconsumedOffset").get<int64_t>(), 25);
                QCOMPARE(QString::fromStdString(p.at("firstUnconsumedAt").get<std::string>()), iso(record25));
                QCOMPARE(p.at("timeLagNote").get<std::string>(), std::string("from the first record not consumed yet"));
                QVERIFY(p.at("timeLagSeconds").get<double>() * 1000 >= double(takenAt - record25));
            }
        QCOMPARE(fromRecord, 2);
        // A snapshot file has no records to read.
        Run refused = cli({QStringLiteral("lag"), QStringLiteral("--input"),
                           m_dir.filePath(QStringLiteral("none.json")), QStringLiteral("--time-lag")});
        QCOMPARE(refused.code, 2);
        QVERIFY2(refused.err.contains("--time-lag reads records from the cluster"), refused.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestLineage)
#include "tst_lineage.moc"
