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
        for (size_t i = 0; i < std::max<size_t>(7, commits.size()); ++i)
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
        const auto waves = detectRefreshWaves({{"refresh", parts}}, 0, {{{"t", 0}, 500.0}, {{"t", 1}, 500.0}});
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
        QCOMPARE(w.partitions.size(), size_t(2));
        QCOMPARE(w.partitions[0].replayedMessages, int64_t(1598 - 100));
        QCOMPARE(w.partitions[0].replayedBytes, int64_t(1498 * 500));
        QCOMPARE(w.partitions[1].replayedMessages, int64_t(1599 - 200));
    }

    // A job that resets its partitions one by one as it reaches them: partition 0 goes back at 30 s, partition 1 at
    // 40 s, one wave from 30 s; what each read counts from its own rewind on.
    void staggeredRewindsAreOneWave()
    {
        const auto parts = partitions({995, 1095, 1195, 100, 600, 1100, 1598}, {990, 1090, 1190, 1290, 200, 900, 1599});
        const auto waves = detectRefreshWaves({{"refresh", parts}}, 0);
        QCOMPARE(waves.size(), size_t(1));
        const RefreshWave &w = waves[0];
        QCOMPARE(w.startMs, int64_t(30000));
        QCOMPARE(w.rewoundMessages, int64_t((1195 - 100) + (1290 - 200)));
        QCOMPARE(w.startLag, int64_t((1300 - 100) + (1300 - 1290) + (1290 - 200)));
        QCOMPARE(w.partitions[0].replayedMessages, int64_t(1598 - 100));
        QCOMPARE(w.partitions[1].replayedMessages, int64_t(1599 - 200));
        QCOMPARE(w.replayedMessages, int64_t(1498 + 1399));
        QVERIFY(w.caughtUpMs);
        QCOMPARE(*w.caughtUpMs, int64_t(60000));
    }

    // A job that reads the backlog it began with and leaves: over when its commits pass the ends of the wave's start
    // (30 s: 1,200 on both), though new messages keep its lag above the reach of the end.
    void overWhenTheBacklogIsRead()
    {
        const auto parts = partitions({400, 1200, 1200, 1200}, {500, 1200, 1200, 1200}, 20);
        const auto waves = detectRefreshWaves({{"refresh", parts}}, 0);
        QCOMPARE(waves.size(), size_t(1));
        QVERIFY(waves[0].caughtUpMs);
        QCOMPARE(*waves[0].caughtUpMs, int64_t(30000));
        QCOMPARE(waves[0].lagNow, int64_t(2 * (1500 - 1200)));
    }

    // Two waves with the group caught up between them (30 and 40 s): the latest alone, from 50 s.
    void latestOfTwoWaves()
    {
        const auto parts =
            partitions({995, 1095, 100, 1290, 1395, 300, 1500}, {990, 1090, 200, 1300, 1400, 1490, 1600});
        const auto waves = detectRefreshWaves({{"refresh", parts}}, 0);
        QCOMPARE(waves.size(), size_t(1));
        QCOMPARE(waves[0].startMs, int64_t(50000));
        QCOMPARE(waves[0].rewoundMessages, int64_t(1395 - 300));
        QCOMPARE(waves[0].replayedMessages, int64_t((1500 - 300) + (1600 - 1490)));
    }

    // Another group on the same topic: its lag before the wave (20 s), its largest while the wave ran (30 to 60 s),
    // and now; a group on another topic, and the wave's own group, are not affected.
    void effectOnOtherGroups()
    {
        const auto wave = partitions({995, 1095, 1195, 100, 600, 1100, 1598}, {990, 1090, 1190, 200, 700, 1200, 1599});
        const auto online =
            partitions({1000, 1100, 1150, 1200, 1290, 1500, 1600}, {1000, 1100, 1200, 1300, 1400, 1500, 1600});
        auto elsewhere = online;
        for (auto &p : elsewhere)
            p.topic.assign(1, 'u');
        const GroupHistories groups{{"refresh", wave}, {"online", online}, {"elsewhere", elsewhere}};
        const auto waves = detectRefreshWaves(groups, 0);
        QCOMPARE(waves.size(), size_t(1));
        const auto effects = waveEffects(waves[0], groups);
        QCOMPARE(effects.size(), size_t(1));
        QCOMPARE(effects[0].group, std::string("online"));
        QCOMPARE(effects[0].lagBefore, int64_t(50)); // at 20 s: 1200 - 1150, and 0 on partition 1 throughout
        QCOMPARE(effects[0].peakLag, int64_t(110));  // at 40 s: 1400 - 1290
        QCOMPARE(effects[0].peakAtMs, int64_t(40000));
        QCOMPARE(effects[0].lagNow, int64_t(0));
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

    // Reads 1,000 messages from 30 s to 40 s, then commits nothing more: its pace is that of the ten seconds it read
    // (100/s against 20/s produced meanwhile), not diluted by the time it was away; twenty seconds without a commit is
    // a pause (time to catch up at that pace: 30 s so far + 1,900 behind / 80 per second), seventy is a job that left.
    void pausedThenStopped()
    {
        std::vector<int64_t> a{995, 1095, 1195, 100, 600}, b{990, 1090, 1190, 200, 700};
        a.resize(7, 600);
        b.resize(7, 700);
        auto waves = detectRefreshWaves({{"refresh", partitions(a, b)}}, 0);
        QCOMPARE(waves.size(), size_t(1));
        QCOMPARE(waves[0].consumePerSecond, 100.0);
        QCOMPARE(waves[0].producePerSecond, 20.0);
        QCOMPARE(waves[0].lagNow, int64_t(1000 + 900));
        QCOMPARE(waves[0].lastReadMs, std::optional<int64_t>(40000));
        QVERIFY(!waves[0].stopped);
        QCOMPARE(waves[0].secondsToCatchUp, std::optional<double>(30 + 1900 / 80.0));

        a.resize(12, 600);
        b.resize(12, 700);
        waves = detectRefreshWaves({{"refresh", partitions(a, b)}}, 0);
        QCOMPARE(waves.size(), size_t(1));
        QCOMPARE(waves[0].consumePerSecond, 100.0);
        QCOMPARE(waves[0].lastReadMs, std::optional<int64_t>(40000));
        QVERIFY(waves[0].stopped);
        QVERIFY(!waves[0].secondsToCatchUp);
        QVERIFY(!waves[0].caughtUpMs);
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
