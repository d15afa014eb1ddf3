// Refresh waves from sampled histories: a rewind and its catching up, measured exactly; a wave still under way with
// its time to catch up at today's pace; a new group far behind; what is not a wave.
#include "models/refreshwave.h"

#include <QTest>

using namespace kp;

namespace {

// Two partitions of topic t, ten messages a second each: end offsets 1000, 1100, ... at 0, 10, 20 ... s.
std::vector<PartitionHistory> partitions(const std::vector<int64_t> &a, const std::vector<int64_t> &b,
                                         int64_t firstSecond = 0)
{
    std::vector<PartitionHistory> out(2);
    for (int p = 0; p < 2; ++p) {
        out[size_t(p)].topic.assign(1, 't'); // (= "t" trips GCC 12's -Wrestrict false positive)
        out[size_t(p)].partition = p;
        const auto &commits = p == 0 ? a : b;
        for (size_t i = 0; i < 7; ++i)
            out[size_t(p)].ends.push_back({int64_t(i) * 10000, 1000 + int64_t(i) * 100});
        for (size_t i = 0; i < commits.size(); ++i)
            out[size_t(p)].commits.push_back({(firstSecond + int64_t(i) * 10) * 1000, commits[i], -1});
    }
    return out;
}

} // namespace

class TestRefreshWave : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rewindAndCatchUp()
    {
        const auto parts = partitions({995, 1095, 1195, 100, 600, 1100, 1598}, {990, 1090, 1190, 200, 700, 1200, 1599});
        const auto waves = detectRefreshWaves({{"refresh", parts}}, 0, {{"t", 500.0}});
        QCOMPARE(waves.size(), size_t(1));
        const RefreshWave &w = waves[0];
        QCOMPARE(w.group, std::string("refresh"));
        QCOMPARE(w.kind, RefreshWave::Kind::Rewind);
        QCOMPARE(w.startMs, int64_t(30000));
        QCOMPARE(w.rewoundMessages, int64_t(1095 + 990));
        QCOMPARE(w.startLag, int64_t(1200 + 1100));
        QCOMPARE(w.replayedMessages, int64_t(1598 + 1599 - 300));
        QCOMPARE(w.replayedBytes, int64_t(2897 * 500));
        QCOMPARE(w.lagNow, int64_t(3));
        QCOMPARE(w.nowMs, int64_t(60000));
        QCOMPARE(w.consumePerSecond, 2897.0 / 30);
        QCOMPARE(w.producePerSecond, 600.0 / 30);
        QVERIFY(w.caughtUpMs && w.secondsToCatchUp);
        QCOMPARE(*w.caughtUpMs, int64_t(60000)); // lag 1500 at 40 s, 700 at 50 s, 3 at 60 s
        QCOMPARE(*w.secondsToCatchUp, 30.0);
    }

    // Still under way at 50 s: 700 behind, reading 100/s against 20/s arriving: 8.75 s more at that pace.
    void underWay()
    {
        const auto parts = partitions({995, 1095, 1195, 100, 600, 1100}, {990, 1090, 1190, 200, 700, 1200});
        const auto waves = detectRefreshWaves({{"refresh", parts}}, 0);
        QCOMPARE(waves.size(), size_t(1));
        const RefreshWave &w = waves[0];
        QVERIFY(!w.caughtUpMs);
        QCOMPARE(w.lagNow, int64_t(700));
        QCOMPARE(w.consumePerSecond, 100.0);
        QCOMPARE(w.producePerSecond, 20.0);
        QVERIFY(w.secondsToCatchUp);
        QCOMPARE(*w.secondsToCatchUp, 20 + 700 / 80.0);
        QCOMPARE(w.replayedBytes, int64_t(-1)); // no bytes per message for t
    }

    // Falling behind after the rewind: no time to catch up is claimed.
    void notGaining()
    {
        const auto parts = partitions({995, 1095, 1195, 100, 110, 120}, {990, 1090, 1190, 200, 210, 220});
        const auto waves = detectRefreshWaves({{"refresh", parts}}, 0);
        QCOMPARE(waves.size(), size_t(1));
        QVERIFY(!waves[0].secondsToCatchUp);
        QVERIFY(!waves[0].caughtUpMs);
    }

    // A group that first commits at 20 s, 1,500 behind, is a new group behind; one there from the start, or that went
    // back by fewer messages than the rules ask, or steady, is not a wave.
    void newGroupAndNotWaves()
    {
        const auto late = partitions({400, 1000, 1350}, {500, 1100, 1390}, 20);
        const auto fromStart = partitions({0, 100, 200}, {0, 100, 200});
        const auto smallStep = partitions({995, 1095, 1195, 800}, {990, 1090, 1190, 1190});
        const auto steady = partitions({995, 1095, 1195, 1295}, {990, 1090, 1190, 1290});
        const auto waves = detectRefreshWaves(
            {{"late", late}, {"from-start", fromStart}, {"small-step", smallStep}, {"steady", steady}}, 0);
        QCOMPARE(waves.size(), size_t(1));
        const RefreshWave &w = waves[0];
        QCOMPARE(w.group, std::string("late"));
        QCOMPARE(w.kind, RefreshWave::Kind::NewGroupBehind);
        QCOMPARE(w.startMs, int64_t(20000));
        QCOMPARE(w.startLag, int64_t((1200 - 400) + (1200 - 500)));
        QCOMPARE(w.rewoundMessages, int64_t(0));
        QCOMPARE(w.replayedMessages, int64_t(1350 + 1390 - 900));
        QVERIFY(w.caughtUpMs);
        QCOMPARE(*w.caughtUpMs, int64_t(40000)); // 50 + 10 behind at 40 s
        QCOMPARE(QString::fromLatin1(toString(w.kind)), QStringLiteral("new group behind"));
    }
};

QTEST_GUILESS_MAIN(TestRefreshWave)
#include "tst_refreshwave.moc"
