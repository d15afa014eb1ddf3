// Time lag and Burrow-style status rules, every rule and edge with hand-computed expectations, and the
// `lag --evaluate` command on a documented history file.

#include "models/formaterror.h"
#include "models/lagevaluator.h"
#include "models/laghistoryjson.h"

#include <QProcess>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace kp;

Q_DECLARE_METATYPE(std::vector<kp::OffsetPoint>)
Q_DECLARE_METATYPE(std::vector<kp::CommitPoint>)

namespace {

constexpr int64_t s(double seconds)
{
    return int64_t(seconds * 1000);
}

std::vector<OffsetPoint> ends(std::initializer_list<std::pair<double, int64_t>> points)
{
    std::vector<OffsetPoint> out;
    for (auto [t, o] : points)
        out.push_back({s(t), o});
    return out;
}

std::vector<CommitPoint> commits(std::initializer_list<std::pair<double, int64_t>> points)
{
    std::vector<CommitPoint> out;
    for (auto [t, o] : points)
        out.push_back({s(t), o, -1});
    return out;
}

} // namespace

class TestLagEvaluator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timeLag_data()
    {
        QTest::addColumn<std::vector<OffsetPoint>>("table");
        QTest::addColumn<qint64>("committed");
        QTest::addColumn<double>("now");
        QTest::addColumn<double>("expected"); // -1: unknown
        QTest::addColumn<QString>("note");
        const auto t = ends({{0, 100}, {10, 200}, {20, 200}, {30, 300}});
        QTest::addRow("caught up") << t << qint64(300) << 40.0 << 0.0 << "caught up";
        QTest::addRow("ahead of the table") << t << qint64(350) << 40.0 << 0.0 << "caught up";
        QTest::addRow("inside a segment") << t << qint64(150) << 40.0 << 34.9 << "interpolated";
        QTest::addRow("segment end") << t << qint64(199) << 40.0 << 30.0 << "interpolated";
        // Offset 200 was written when the end moved past it, after the idle plateau, not when it was first reached.
        QTest::addRow("after an idle plateau") << t << qint64(200) << 40.0 << 19.9 << "interpolated";
        QTest::addRow("before the history")
            << t << qint64(50) << 40.0 << -1.0 << "written before the history starts: at least 40 s behind";
        QTest::addRow("just before the history")
            << t << qint64(99) << 40.0 << -1.0 << "written before the history starts: at least 40 s behind";
        QTest::addRow("no table") << std::vector<OffsetPoint>{} << qint64(5) << 40.0 << -1.0 << "no end-offset history";
        QTest::addRow("no commit") << t << qint64(-1) << 40.0 << -1.0 << "no committed offset";
        const auto idle = ends({{0, 100}, {10, 100}, {20, 100}});
        QTest::addRow("idle, caught up") << idle << qint64(100) << 40.0 << 0.0 << "caught up";
        QTest::addRow("idle, behind") << idle << qint64(90) << 40.0 << -1.0
                                      << "written before the history starts: at least 40 s behind";
        const auto reset = ends({{0, 500}, {10, 600}, {20, 50}, {30, 150}});
        QTest::addRow("after a reset") << reset << qint64(100) << 40.0 << 14.9 << "interpolated";
    }

    void timeLag()
    {
        QFETCH(std::vector<OffsetPoint>, table);
        QFETCH(qint64, committed);
        QFETCH(double, now);
        QFETCH(double, expected);
        QFETCH(QString, note);
        const TimeLag lag = kp::timeLag(table, committed, s(now));
        QCOMPARE(QString::fromStdString(lag.note), note);
        if (expected < 0) {
            QVERIFY(!lag.seconds);
        } else {
            QVERIFY(lag.seconds);
            QVERIFY2(std::abs(*lag.seconds - expected) < 1e-6, qPrintable(QString::number(*lag.seconds)));
        }
    }

    void status_data()
    {
        QTest::addColumn<std::vector<CommitPoint>>("commitPoints");
        QTest::addColumn<std::vector<OffsetPoint>>("endPoints");
        QTest::addColumn<double>("now");
        QTest::addColumn<QString>("status");
        QTest::addColumn<qint64>("lag");
        QTest::addColumn<QString>("reason");
        QTest::addRow("idle topic, caught up: not STOP")
            << commits({{0, 100}, {10, 100}, {20, 100}}) << ends({{0, 100}, {20, 100}}) << 1000.0 << "OK" << qint64(0)
            << "caught up with the end offset";
        QTest::addRow("stopped")
            << commits({{0, 10}, {10, 20}, {20, 30}, {30, 40}, {40, 50}})
            << ends({{0, 100}, {10, 110}, {20, 120}, {30, 130}, {40, 140}, {90, 190}}) << 100.0 << "STOP" << qint64(140)
            << "no commit for 60 s, longer than the window it committed in, while 140 messages wait";
        QTest::addRow("stalled") << commits({{0, 50}, {10, 50}, {20, 50}, {30, 50}, {40, 50}})
                                 << ends({{0, 100}, {10, 110}, {20, 120}, {30, 130}, {40, 140}}) << 45.0 << "STALL"
                                 << qint64(90) << "commits keep coming but the offset stays at 50 while lag is 90";
        QTest::addRow("falling behind") << commits({{0, 10}, {10, 20}, {20, 30}, {30, 40}, {40, 50}})
                                        << ends({{0, 100}, {10, 120}, {20, 140}, {30, 160}, {40, 180}}) << 45.0
                                        << "WARN" << qint64(130)
                                        << "consuming, but the lag did not decrease over the window (90 to 130)";
        QTest::addRow("catching up") << commits({{0, 10}, {10, 40}, {20, 70}, {30, 100}, {40, 130}})
                                     << ends({{0, 150}, {10, 160}, {20, 170}, {30, 180}, {40, 190}}) << 45.0 << "OK"
                                     << qint64(60) << "consuming and catching up";
        QTest::addRow("rewound") << commits({{0, 100}, {10, 110}, {20, 5}}) << ends({{0, 200}, {20, 200}}) << 25.0
                                 << "REWIND" << qint64(195) << "the committed offset went back from 110 to 5";
        QTest::addRow("one commit") << commits({{0, 5}}) << ends({{0, 10}}) << 5.0 << "UNKNOWN" << qint64(5)
                                    << "one commit: not enough history to judge";
        QTest::addRow("no commits") << std::vector<CommitPoint>{} << ends({{0, 10}}) << 5.0 << "UNKNOWN" << qint64(-1)
                                    << "no committed offsets in the history";
        // Replaying from the start: far behind but moving fast and catching up.
        QTest::addRow("replay from the start")
            << commits({{0, 0}, {10, 100000}, {20, 200000}, {30, 300000}}) << ends({{0, 1000000}, {30, 1000300}})
            << 35.0 << "OK" << qint64(700300) << "consuming and catching up";
        // Only the last `window` (10) commits count: an old rewind has left the window.
        std::vector<CommitPoint> old = commits({{0, 500}, {1, 10}});
        for (int i = 0; i < 10; ++i)
            old.push_back({s(2 + i), 20 + 10 * i, -1});
        QTest::addRow("rewind outside the window")
            << old << ends({{0, 1000}, {12, 1000}}) << 12.0 << "OK" << qint64(890) << "consuming and catching up";
        // Caught up at some commit, then no commit at all while messages keep arriving: STOP, as Burrow checks it
        // before the zero-lag shortcut (the commit history is old).
        QTest::addRow("caught up, then stopped committing")
            << commits({{0, 100}, {10, 200}, {20, 300}, {30, 400}})
            << ends({{0, 100}, {10, 200}, {20, 300}, {30, 400}, {100, 900}}) << 100.0 << "STOP" << qint64(500)
            << "no commit for 70 s, longer than the window it committed in, while 500 messages wait";
        // Sampled: the committed offset repeats at every sample while the end moves on after it was caught up.
        QTest::addRow("caught up, then stuck")
            << commits({{0, 100}, {10, 200}, {20, 300}, {30, 300}, {40, 300}, {50, 300}})
            << ends({{0, 100}, {10, 200}, {20, 300}, {30, 350}, {40, 400}, {50, 450}}) << 52.0 << "STALL" << qint64(150)
            << "lag was zero within the window, but the last 3 commits stay at offset 300 while 150 "
               "messages wait";
        // One sample behind on a quiet topic is normal: a message not yet committed.
        QTest::addRow("quiet topic, one message not yet committed")
            << commits({{0, 100}, {10, 200}, {20, 200}}) << ends({{0, 100}, {10, 200}, {20, 201}}) << 21.0 << "OK"
            << qint64(1) << "lag was zero within the window";
        QTest::addRow("caught up at the latest commit") << commits({{0, 100}, {10, 200}}) << ends({{0, 150}, {10, 200}})
                                                        << 11.0 << "OK" << qint64(0) << "caught up with the end offset";
        // An end offset older than a commit says nothing of the commit's lag: not 0, unknown.
        QTest::addRow("end offsets older than the commits")
            << commits({{10, 100}, {20, 150}}) << ends({{0, 100}}) << 25.0 << "UNKNOWN" << qint64(-1)
            << "no lag known: no end offsets at or after the commits and no lag recorded with them";
        // The nearest end offset at or after each commit: 300 - 100 and 300 - 150, falling.
        QTest::addRow("end offset after the commits") << commits({{10, 100}, {20, 150}}) << ends({{0, 100}, {30, 300}})
                                                      << 25.0 << "OK" << qint64(150) << "consuming and catching up";
        QTest::addRow("no end offsets, no recorded lag")
            << commits({{0, 10}, {10, 20}, {20, 30}}) << std::vector<OffsetPoint>{} << 25.0 << "UNKNOWN" << qint64(-1)
            << "no lag known: no end offsets at or after the commits and no lag recorded with them";
    }

    void status()
    {
        QFETCH(std::vector<CommitPoint>, commitPoints);
        QFETCH(std::vector<OffsetPoint>, endPoints);
        QFETCH(double, now);
        QFETCH(QString, status);
        QFETCH(qint64, lag);
        QFETCH(QString, reason);
        const PartitionEvaluation e = evaluatePartition({"t", 0, commitPoints, endPoints}, s(now));
        QCOMPARE(QString::fromLatin1(toString(e.status)), status);
        QCOMPARE(e.lag, lag);
        QCOMPARE(QString::fromStdString(e.reason), reason);
    }

    void recordedLagIsUsed()
    {
        // Lag recorded with the commit (from another tool) is used as it is. Zero at the first commit, then the same
        // offset twice while the lag grows: the consumer stopped after catching up (was OK: "lag was zero").
        std::vector<CommitPoint> c{{s(0), 100, 0}, {s(10), 100, 5}, {s(20), 100, 10}};
        const auto e = evaluatePartition({"t", 0, c, ends({{0, 100}, {20, 110}})}, s(25));
        QCOMPARE(QString::fromLatin1(toString(e.status)), QStringLiteral("STALL"));
        QCOMPARE(e.reason,
                 std::string("lag was zero within the window, but the last 2 commits stay at offset 100 while 10 "
                             "messages wait"));
        c = {{s(0), 100, 0}, {s(10), 150, 5}, {s(20), 200, 10}};
        QCOMPARE(evaluatePartition({"t", 0, c, {}}, s(25)).reason, std::string("lag was zero within the window"));
    }

    void groupStatusIsTheWorstPartition()
    {
        const PartitionHistory ok{"t", 0, commits({{0, 100}, {10, 100}}), ends({{0, 100}})};
        const PartitionHistory warn{"t", 1, commits({{0, 10}, {10, 20}}), ends({{0, 100}, {10, 120}})};
        const PartitionHistory stall{"t", 2, commits({{0, 50}, {10, 50}}), ends({{0, 100}, {10, 110}})};
        const PartitionHistory unknown{"t", 3, {}, {}};
        QCOMPARE(evaluateGroup("g", {ok, unknown}, s(12)).status, GroupStatus::Ok);
        QCOMPARE(evaluateGroup("g", {ok, warn}, s(12)).status, GroupStatus::Warn);
        const GroupEvaluation g = evaluateGroup("g", {ok, warn, stall}, s(12));
        QCOMPARE(g.status, GroupStatus::Err);
        QCOMPARE(g.totalLag, int64_t(0 + 100 + 60));
        QVERIFY(g.maxTimeLagSeconds);
        QCOMPARE(evaluateGroup("g", {unknown}, s(12)).status, GroupStatus::Unknown);
        // Sampled: an unchanged offset with no member at all is a stopped consumer, not a stalled one.
        const GroupEvaluation empty = evaluateGroup("g", {stall}, s(12), {}, false);
        QCOMPARE(empty.partitions[0].status, PartitionStatus::Stop);
        QCOMPARE(empty.partitions[0].reason,
                 std::string("no member consumes it (the group has none) while 60 messages wait"));
        QCOMPARE(evaluateGroup("g", {stall}, s(12), {}, true).partitions[0].status, PartitionStatus::Stall);
    }

    void isoTimes()
    {
        QCOMPARE(parseTimeMs("2026-11-26T10:00:00Z"), int64_t(1795687200000));
        QCOMPARE(parseTimeMs("2026-11-26T10:00:00.25Z"), int64_t(1795687200250));
        QVERIFY_THROWS_EXCEPTION(FormatError, parseTimeMs("2026-11-26T10:00:00+01:00"));
        QVERIFY_THROWS_EXCEPTION(FormatError, parseTimeMs("yesterday"));
        QCOMPARE(parseTimeMs("2028-02-29T23:59:59Z"), int64_t(1835481599000));
        for (const char *impossible : {"2026-02-30T10:00:00Z", "2026-11-26T99:00:00Z", "2026-13-01T00:00:00Z",
                                       "2026-11-26T10:61:00Z", "2027-02-29T00:00:00Z", "1969-12-31T23:59:59Z"}) {
            try {
                parseTimeMs(impossible);
                QFAIL(impossible);
            } catch (const FormatError &e) {
                QCOMPARE(QString::fromUtf8(e.what()),
                         QStringLiteral("'%1' is not a date and time that exists (1970 to 9999, UTC)")
                             .arg(QString::fromLatin1(impossible)));
            }
        }
    }

    // What a lag history file may not hold is refused naming the JSON path; "lag": null reads as not known.
    void historyFilesRefuseImpossibleValues_data()
    {
        QTest::addColumn<QString>("replace"); // in the partition below: what to put in place of "@@"
        QTest::addColumn<QString>("message");
        QTest::addRow("offset beyond int64")
            << R"("commits": [{"time": 1000, "offset": 9223372036854775808}], "ends": [])"
            << "groups[0].partitions[0].commits[0].offset: integer out of range (9223372036854775808 is above "
               "9223372036854775807)";
        QTest::addRow("negative lag") << R"("commits": [{"time": 1000, "offset": 5, "lag": -3}], "ends": [])"
                                      << "groups[0].partitions[0].commits[0].lag: must not be negative (null or leave "
                                         "it out where it is not known)";
        QTest::addRow("negative offset") << R"("commits": [{"time": 1000, "offset": -1}], "ends": [])"
                                         << "groups[0].partitions[0].commits[0].offset: an offset must not be negative";
        QTest::addRow("commit after now") << R"("commits": [{"time": "2026-11-26T10:11:00Z", "offset": 5}], "ends": [])"
                                          << "groups[0].partitions[0].commits[0].time: after \"now\"";
        QTest::addRow("end after now") << R"("commits": [], "ends": [{"time": 1795687860001, "offset": 5}])"
                                       << "groups[0].partitions[0].ends[0].time: after \"now\"";
        QTest::addRow("committed past the end")
            << R"("commits": [{"time": 1000, "offset": 700}], "ends": [{"time": 2000, "offset": 500}])"
            << "groups[0].partitions[0].commits[0].offset: offset 700 is past the end offset 500 the partition had "
               "then";
        QTest::addRow("impossible date") << R"("commits": [{"time": "2026-02-30T10:00:00Z", "offset": 5}], "ends": [])"
                                         << "groups[0].partitions[0].commits[0].time: '2026-02-30T10:00:00Z' is not a "
                                            "date and time that exists (1970 to 9999, UTC)";
        QTest::addRow("hour 99") << R"("commits": [{"time": "2026-11-26T99:00:00Z", "offset": 5}], "ends": [])"
                                 << "groups[0].partitions[0].commits[0].time: '2026-11-26T99:00:00Z' is not a date "
                                    "and time that exists (1970 to 9999, UTC)";
        QTest::addRow("negative epoch") << R"("commits": [{"time": -5, "offset": 5}], "ends": [])"
                                        << "groups[0].partitions[0].commits[0].time: epoch milliseconds must be "
                                           "between 0 and 253402300799999";
        QTest::addRow("partition beyond int32")
            << R"("commits": [], "ends": [], "partition": 4294967296)"
            << "groups[0].partitions[0].partition: must be between 0 and 2147483647";
        QTest::addRow("lag null is accepted") << R"("commits": [{"time": 1000, "offset": 5, "lag": null}], "ends": [])"
                                              << "";
    }
    void historyFilesRefuseImpossibleValues()
    {
        QFETCH(QString, replace);
        QFETCH(QString, message);
        QString text = QStringLiteral(R"({"format": "kafka-planner-lag-history", "version": 1,
            "now": "2026-11-26T10:10:00Z", "groups": [{"group": "g", "partitions": [{"topic": "t", @@}]}]})");
        if (!replace.contains(QStringLiteral("\"partition\"")))
            replace += QStringLiteral(R"(, "partition": 0)");
        text.replace(QStringLiteral("@@"), replace);
        const auto doc = nlohmann::json::parse(text.toStdString());
        if (message.isEmpty()) {
            const LagHistory h = lagHistoryFromJson(doc);
            QCOMPARE(h.groups.at(0).second.at(0).commits.at(0).lag, int64_t(-1));
            return;
        }
        try {
            lagHistoryFromJson(doc);
            QFAIL("accepted");
        } catch (const FormatError &e) {
            QCOMPARE(QString::fromUtf8(e.what()), message);
        }
    }

    void evaluateCommand()
    {
        QProcess p;
        p.start(QStringLiteral(KP_CLI), {QStringLiteral("lag"), QStringLiteral("--evaluate"),
                                         QStringLiteral(KP_TEST_DATA "/lag-history.json")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(j.at("now").get<std::string>(), std::string("2026-11-26T10:10:00.000Z"));
        QCOMPARE(j.at("groups").size(), size_t(2));
        const auto &idle = j.at("groups")[0];
        QCOMPARE(idle.at("group").get<std::string>(), std::string("features-sync"));
        QCOMPARE(idle.at("status").get<std::string>(), std::string("OK"));
        QCOMPARE(idle.at("partitions")[0].at("timeLagSeconds").get<double>(), 0.0);
        const auto &stuck = j.at("groups")[1];
        QCOMPARE(stuck.at("status").get<std::string>(), std::string("ERR"));
        QCOMPARE(stuck.at("partitions")[0].at("status").get<std::string>(), std::string("STOP"));
        QCOMPARE(stuck.at("partitions")[0].at("lag").get<int64_t>(), int64_t(4000));
        // Committed 1000 at 10:02; the end passed 1001 one second after 10:01:00 (1000 -> 2000 over 60 s): 539.94 s.
        QVERIFY(std::abs(stuck.at("partitions")[0].at("timeLagSeconds").get<double>() - 539.94) < 1e-6);
        QVERIFY(stuck.at("partitions")[1].at("timeLagSeconds").is_null());
        QCOMPARE(stuck.at("partitions")[1].at("status").get<std::string>(), std::string("UNKNOWN"));

        QProcess bad;
        bad.start(QStringLiteral(KP_CLI), {QStringLiteral("lag"), QStringLiteral("--evaluate"),
                                           QStringLiteral(KP_TEST_DATA "/bad-leader.kpsnap.json")});
        QVERIFY(bad.waitForFinished(30000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY2(
            bad.readAllStandardError().contains("not a lag history: \"format\" must be \"kafka-planner-lag-history\""),
            "the error names the problem");
    }
};

QTEST_GUILESS_MAIN(TestLagEvaluator)
#include "tst_lagevaluator.moc"
