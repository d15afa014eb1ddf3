// The window that follows the newest samples (HistoryWindow) against a whole read of the same window
// (SampleStore::history): every point the same, for each shape the pages read, over a random history with runs,
// drops, new partitions and a recreated topic; and the following reads really follow (decode only what is new). The
// pages build their rows from the window itself with the newest snapshot not yet in it (HistoryWindow::use): the
// same rows and rates as from a whole read with the snapshot appended. The Traffic page's ends of a window, followed
// (EndsWindow), are each series' first and last point as a whole read of them (SampleStore::windowEnds) has them.

#include "analysis/lagdata.h"
#include "analysis/workloaddata.h"
#include "store/database.h"
#include "store/endswindow.h"
#include "store/historywindow.h"
#include "store/samplestore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <random>
#include <thread>
#include <unistd.h>

using namespace kp;

namespace {

constexpr int64_t kStart = 1'700'000'000'000;
constexpr int64_t kStep = 10'000;

template <typename Point> std::string text(const std::vector<Point> &points)
{
    std::string out;
    for (const auto &p : points) {
        if constexpr (std::is_same_v<Point, SizedPoint>)
            out += std::to_string(p.timeMs) + ":" + std::to_string(p.endOffset) + "/" + std::to_string(p.sizeBytes);
        else
            out += std::to_string(p.timeMs) + ":" + std::to_string(p.offset);
        out += " ";
    }
    return out;
}

std::string text(const SampleStore::History &h)
{
    std::string out;
    for (const auto &[tp, points] : h.partitions)
        out += tp.topic + "-" + std::to_string(tp.partition) + " " + text(points) + "\n";
    for (const auto &[group, parts] : h.groups)
        for (const auto &[tp, points] : parts)
            out += group + " " + tp.topic + "-" + std::to_string(tp.partition) + " " + text(points) + "\n";
    return out;
}

// A cluster whose end offsets and commits move at random: runs of unchanged offsets, a truncation now and then, a
// partition added at sample 100, and topic "t" deleted and recreated (a new id) at sample 200. Sparse: group g2's
// offsets are read in a third of the samples only (as when OffsetFetch fails now and then).
class RandomCluster
{
public:
    explicit RandomCluster(bool sparse = false) : m_sparse(sparse) {}
    ClusterSnapshot next(int i)
    {
        ClusterSnapshot s;
        s.clusterId = "c1";
        s.takenAtMs = kStart + i * kStep;
        TopicInfo t;
        t.name = "t";
        t.topicId = i < 200 ? "AAAAAAAAAAAAAAAAAAAAAQ" : "AAAAAAAAAAAAAAAAAAAAAg";
        const int partitions = i < 100 ? 6 : 7;
        m_end.resize(size_t(partitions), 0);
        m_pastEnds.resize(size_t(partitions));
        if (i == 200)
            std::fill(m_end.begin(), m_end.end(), 0);
        ConsumerGroup g1, g2, g3;
        g1.groupId = "g1";
        g2.groupId = "g2";
        g3.groupId = "g3";
        for (int p = 0; p < partitions; ++p) {
            int64_t &end = m_end[size_t(p)];
            const int roll = int(m_random() % 100);
            if (roll < 45)
                end += int64_t(m_random() % 4);
            else if (roll == 99 && end > 10)
                end -= 10; // truncated: rates start over
            PartitionInfo info;
            info.partition = p;
            info.leader = 1;
            info.lowWatermark = 0; // bytes per record known: produce rates in bytes
            info.highWatermark = end;
            info.replicaSizes = {{1, "/d", 1000 + end * 100 + int64_t(m_random() % 3), 0, false}};
            t.partitions.push_back(info);
            g1.offsets.push_back({"t", p, std::max<int64_t>(0, end - int64_t(m_random() % 5)), -1, -1, ""});
            if (!m_sparse || roll % 3 == 0)
                g2.offsets.push_back({"t", p, std::max<int64_t>(0, end - 7), -1, -1, ""});
            // g3 trails by 15 samples: its time lags are interpolated from end offsets older than g1's and g2's
            // verdict windows reach.
            auto &past = m_pastEnds[size_t(p)];
            past.push_back(end);
            if (past.size() > 15)
                past.pop_front();
            g3.offsets.push_back({"t", p, past.front(), -1, -1, ""});
        }
        TopicInfo idle;
        idle.name = "idle";
        PartitionInfo p0;
        p0.partition = 0;
        p0.highWatermark = 42;
        idle.partitions = {p0};
        s.topics = {t, idle};
        s.groups = {g1, g2, g3};
        return s;
    }

private:
    bool m_sparse;
    std::mt19937 m_random{20261202};
    std::vector<int64_t> m_end;
    std::vector<std::deque<int64_t>> m_pastEnds;
};

HistoryShape lagShape()
{
    HistoryShape shape;
    shape.collapseRuns = true;
    shape.groups = HistoryShape::Keep::Last;
    shape.last = 10;
    shape.allOf.insert("g2");
    return shape;
}

HistoryShape trafficShape()
{
    HistoryShape shape;
    shape.partitions = shape.groups = HistoryShape::Keep::Endpoints;
    return shape;
}

HistoryShape everything()
{
    return {};
}

std::string text(const LagData &d)
{
    std::string out = d.hasHistory ? "history\n" : "none\n";
    for (const auto &g : d.groups)
        out += g.group + " " + toString(g.status) + " lag " + std::to_string(g.totalLag) + " time " +
               (g.maxTimeLagSeconds ? std::to_string(*g.maxTimeLagSeconds) : "-") + "\n";
    for (const auto &[group, rows] : d.partitions)
        for (const auto &r : rows)
            out += group + " " + r.topic() + "-" + std::to_string(r.partition()) + " " + toString(r.status) + " " +
                   r.reason() + " " + r.timeLagNote() + " " +
                   (r.timeLagSeconds ? std::to_string(*r.timeLagSeconds) : "-") + "\n";
    for (const auto &[group, parts] : d.histories)
        for (const auto &p : parts)
            out += "chart " + group + " " + p.topic + "-" + std::to_string(p.partition) + " " + text(p.commits) + "\n";
    return out;
}

std::string text(const SampleStore::WindowEnds &ends)
{
    std::string out;
    ends.names.forEach([&](uint32_t id, const SeriesName &name) {
        const size_t slot = ends.names.slot(id);
        if (ends.first[slot].endOffset < 0)
            return;
        out += std::get<0>(name).str() + " " + std::get<1>(name).str() + "-" + std::to_string(std::get<2>(name)) + " " +
               text(std::vector<SizedPoint>{ends.first[slot], ends.last[slot]}) + "\n";
    });
    return out;
}

std::string text(const TrafficInputs &in)
{
    std::string out;
    for (const auto &[tp, rate] : in.produceBytesPerSecond)
        out += tp.topic + "-" + std::to_string(tp.partition) + " " + std::to_string(rate) + "\n";
    for (const auto &[group, rates] : in.consumeBytesPerSecond)
        for (const auto &[tp, rate] : rates)
            out += group + " " + tp.topic + "-" + std::to_string(tp.partition) + " " + std::to_string(rate) + "\n";
    return out;
}

} // namespace

class TestHistoryWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The names' table by id: ids in any order, ids never added and ids outside the table not found.
    void seriesNamesByIdInAnyOrder()
    {
        SeriesNames names;
        QCOMPARE(names.find(7), nullptr);
        names.add(10, {"", "t", 0});
        names.add(12, {"g", "t", 1});
        names.add(8, {"g", "u", 2}); // before the first: the table grows at its front
        QCOMPARE(names.tableSize(), size_t(5));
        QCOMPARE(*names.find(10), (SeriesName{"", "t", 0}));
        QCOMPARE(*names.find(12), (SeriesName{"g", "t", 1}));
        QCOMPARE(*names.find(8), (SeriesName{"g", "u", 2}));
        for (uint32_t absent : {0u, 7u, 9u, 11u, 13u, 4000000000u})
            QCOMPARE(names.find(absent), nullptr);
        QCOMPARE(names.slot(13), SeriesNames::npos);
        std::string seen;
        names.forEach([&](uint32_t id, const SeriesName &name) {
            seen += std::to_string(id) + ":" + std::get<0>(name).str() + "/" + std::get<1>(name).str() + " ";
        });
        QCOMPARE(seen, std::string("8:g/u 10:/t 12:g/t "));
        names.clear();
        QVERIFY(names.empty());
        QCOMPARE(names.find(10), nullptr);
        // With room reserved, ids come in any order (the store's index order) and the table stays where it is.
        names.reserve(100, 104);
        for (uint32_t id : {103u, 100u, 104u})
            names.add(id, {"g", "t", int32_t(id)});
        QCOMPARE(names.tableSize(), size_t(5));
        QCOMPARE(names.slot(100), size_t(0));
        QCOMPARE(std::get<2>(*names.find(104)), 104);
        QCOMPARE(names.find(101), nullptr);
    }

    void followsAsAWholeReadWould_data()
    {
        QTest::addColumn<int>("shapeIndex");
        QTest::addColumn<int>("spanSamples");
        QTest::addColumn<bool>("sparse");
        QTest::addColumn<bool>("secondCluster"); // the store holds another cluster's series first, with lower ids
        QTest::addRow("lag page, 30 samples") << 0 << 30 << false << false;
        QTest::addRow("lag page, 90 samples") << 0 << 90 << false << false;
        QTest::addRow("traffic, 30 samples") << 1 << 30 << false << false;
        QTest::addRow("traffic, 90 samples") << 1 << 90 << false << false;
        QTest::addRow("every point, 45 samples") << 2 << 45 << false << false;
        QTest::addRow("lag page, sparse") << 0 << 30 << true << false;
        QTest::addRow("traffic, sparse") << 1 << 30 << true << false;
        QTest::addRow("lag page, chart changes") << 3 << 30 << false << false;
        QTest::addRow("lag page, chart changes, sparse") << 3 << 30 << true << false;
        QTest::addRow("lag page, a store's second cluster") << 0 << 30 << false << true;
        QTest::addRow("traffic, a store's second cluster") << 1 << 30 << false << true;
    }

    void followsAsAWholeReadWould()
    {
        QFETCH(int, shapeIndex);
        QFETCH(int, spanSamples);
        QFETCH(bool, sparse);
        QFETCH(bool, secondCluster);
        HistoryShape shape = shapeIndex == 0 || shapeIndex == 3 ? lagShape()
                             : shapeIndex == 1                  ? trafficShape()
                                                                : everything();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        Database db(path);
        SampleStore store(db);
        RandomCluster cluster(sparse);
        HistoryWindow window;
        int followed = 0;
        const int64_t span = spanSamples * kStep - kStep / 2; // window edges between samples
        for (int i = 0; i < 300; ++i) {
            if (secondCluster) { // 1,000 series of another cluster, numbered before this one's
                ClusterSnapshot other;
                other.clusterId = "c0";
                other.takenAtMs = kStart + i * kStep;
                other.topics.push_back({});
                other.topics.back().name = "other";
                for (int p = 0; p < 1000; ++p) {
                    PartitionInfo info;
                    info.partition = p;
                    info.highWatermark = i;
                    other.topics.back().partitions.push_back(info);
                }
                QVERIFY(store.record(other) > 0);
            }
            QVERIFY(store.record(cluster.next(i)) > 0);
            const int64_t to = kStart + i * kStep;
            if (shapeIndex == 3) // another chart every 7 samples: g2, g1 and g2, none
                shape.allOf = i / 7 % 3 == 0   ? std::set<std::string>{"g2"}
                              : i / 7 % 3 == 1 ? std::set<std::string>{"g1", "g2"}
                                               : std::set<std::string>{};
            const std::string whole = text(store.history("c1", to - span, to, shape));
            const std::string followedText = text(window.read(path, "c1", to, span, shape));
            if (followedText != whole)
                QFAIL(("sample " + std::to_string(i) + " differs:\nwhole:\n" + whole + "followed:\n" + followedText)
                          .c_str());
            followed += window.lastReadWasWhole() ? 0 : 1;
        }
        // Room for this cluster's series only (29 of them), not for the other cluster's numbered below them.
        QVERIFY2(window.seriesSlots() <= 29, std::to_string(window.seriesSlots()).c_str());
        // Whole reads: the first, and the one after the topic was recreated; every other read followed. With sparse
        // offsets many are read whole (a series missing from the window's first sample): 96 of 300 followed for the
        // Traffic page, which needs every series' first point.
        if (sparse)
            QVERIFY2(followed > 50, std::to_string(followed).c_str());
        else
            QCOMPARE(followed, 298);
    }

    void endsFollowAsAWholeReadWould_data()
    {
        QTest::addColumn<int>("spanSamples");
        QTest::addColumn<bool>("sparse");
        QTest::addColumn<bool>("secondCluster");
        QTest::addRow("30 samples") << 30 << false << false;
        QTest::addRow("90 samples") << 90 << false << false;
        QTest::addRow("sparse") << 30 << true << false;
        QTest::addRow("a store's second cluster") << 30 << false << true;
    }

    static int gOnes(const SampleStore::WindowEnds &ends)
    {
        int n = 0;
        ends.names.forEach([&](uint32_t id, const SeriesName &name) {
            n += std::get<0>(name) == "g1" && ends.first[ends.names.slot(id)].endOffset >= 0 ? 1 : 0;
        });
        return n;
    }

    // Through runs, truncations (first points start over), a partition added at sample 100, group g1 gone from sample
    // 120 to 180 (its series out of the window, then back), the topic recreated at sample 200, and (sparse) a group's
    // offsets missing from two samples in three.
    void endsFollowAsAWholeReadWould()
    {
        QFETCH(int, spanSamples);
        QFETCH(bool, sparse);
        QFETCH(bool, secondCluster);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        Database db(path);
        SampleStore store(db);
        RandomCluster cluster(sparse);
        EndsWindow window;
        int followed = 0, truncated = 0, withoutG1 = 0;
        const int64_t span = spanSamples * kStep - kStep / 2; // window edges between samples
        for (int i = 0; i < 300; ++i) {
            if (secondCluster) { // another cluster's series, numbered before and between this one's
                ClusterSnapshot other;
                other.clusterId = "c0";
                other.takenAtMs = kStart + i * kStep;
                other.topics.push_back({});
                other.topics.back().name = "other";
                other.topics.back().partitions.push_back({});
                other.topics.back().partitions.back().highWatermark = i;
                QVERIFY(store.record(other) > 0);
            }
            ClusterSnapshot next = cluster.next(i);
            if (i >= 120 && i < 180)
                std::erase_if(next.groups, [](const ConsumerGroup &g) { return g.groupId == "g1"; });
            QVERIFY(store.record(next) > 0);
            const int64_t to = kStart + i * kStep;
            const SampleStore::WindowEnds whole = store.windowEnds("c1", to - span, to);
            withoutG1 += i > 0 && gOnes(whole) == 0 ? 1 : 0;
            std::string followedText;
            window.use(path, "c1", to, span, [&](const SampleStore::WindowEnds &ends) { followedText = text(ends); });
            if (followedText != text(whole))
                QFAIL(
                    ("sample " + std::to_string(i) + " differs:\nwhole:\n" + text(whole) + "followed:\n" + followedText)
                        .c_str());
            followed += window.lastReadWasWhole() ? 0 : 1;
            for (size_t slot = 0; slot < whole.first.size(); ++slot) // a first point after the window's first frame
                truncated += whole.first[slot].timeMs > std::max(to - span, kStart) + kStep ? 1 : 0;
        }
        QVERIFY2(truncated > 20, std::to_string(truncated).c_str()); // the drops were seen inside windows
        QCOMPARE(withoutG1, std::max(0, 60 - spanSamples + 1));      // g1's series left the 30-sample windows whole
        // Whole reads: the first, the partition added (series it has no name for) and the topic recreated. Sparse:
        // whenever g2 has no value in the window's first sample but one after it.
        if (sparse)
            QVERIFY2(followed > 50 && followed < 297, std::to_string(followed).c_str());
        else
            QCOMPARE(followed, 297);
    }

    // What the Lag and Traffic pages build from the window itself, the newest snapshot not yet recorded, is what they
    // built from a whole read with the snapshot appended (a copy of the window, tens of megabytes on a large cluster).
    void pagesBuildFromTheWindowItself_data()
    {
        QTest::addColumn<bool>("sparse");
        QTest::addRow("every group's offsets") << false;
        QTest::addRow("sparse offsets") << true;
    }

    void pagesBuildFromTheWindowItself()
    {
        QFETCH(bool, sparse);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        Database db(path);
        SampleStore store(db);
        RandomCluster cluster(sparse);
        HistoryWindow lagWindow, trafficWindow;
        EndsWindow endsWindow;
        const int64_t span = 30 * kStep - kStep / 2;
        int withHistory = 0;
        long moving = 0;
        for (int i = 0; i < 260; ++i) {
            const auto shared = std::make_shared<const ClusterSnapshot>(cluster.next(i));
            const ClusterSnapshot &now = *shared;
            const int64_t to = now.takenAtMs - kStep; // the window ends with the sample before `now`
            SampleStore::History whole = store.history("c1", to - span, to, lagPageShape(now, "g2"));
            appendSnapshot(whole, now);
            std::string lag, rates, produce;
            lagWindow.use(path, "c1", to, span, lagPageShape(now, "g2"), [&](const SampleStore::History &h) {
                lag = text(buildLagData(shared, h, {}, "g2"));
                rates = text(trafficInputs(now, h));
                produce = text(TrafficInputs{produceBytesPerSecond(now, h), {}, {}});
            });
            QCOMPARE(QString::fromStdString(lag), QString::fromStdString(text(buildLagData(shared, whole, {}, "g2"))));
            // Only the end offsets the evaluation reads are copied for it: the same verdicts and time lags as with
            // every point, with a chart or without one.
            QCOMPARE(QString::fromStdString(lag),
                     QString::fromStdString(text(buildLagData(shared, whole, {}, "g2", EndsKept::All))));
            QCOMPARE(QString::fromStdString(text(buildLagData(shared, whole))),
                     QString::fromStdString(text(buildLagData(shared, whole, {}, {}, EndsKept::All))));
            QCOMPARE(QString::fromStdString(rates), QString::fromStdString(text(trafficInputs(now, whole))));
            // The produce rates alone (the Lag page's), the snapshot not in the window: as with it appended.
            const auto produced = produceBytesPerSecond(now, whole);
            QCOMPARE(QString::fromStdString(produce), QString::fromStdString(text(TrafficInputs{produced, {}, {}})));
            moving += std::count_if(produced.begin(), produced.end(), [](const auto &r) { return r.second > 0; });
            HistoryShape endpoints;
            endpoints.partitions = endpoints.groups = HistoryShape::Keep::Endpoints;
            SampleStore::History ends = store.history("c1", to - span, to, endpoints);
            appendSnapshot(ends, now);
            trafficWindow.use(path, "c1", to, span, endpoints,
                              [&](const SampleStore::History &h) { rates = text(trafficInputs(now, h)); });
            QCOMPARE(QString::fromStdString(rates), QString::fromStdString(text(trafficInputs(now, ends))));
            // The Traffic page's read, each series' first and last point alone, whole and followed: the same rates.
            QCOMPARE(QString::fromStdString(text(trafficInputs(now, SampleStore::readEnds(path, "c1", to, span)))),
                     QString::fromStdString(rates));
            endsWindow.use(path, "c1", to, span,
                           [&](const SampleStore::WindowEnds &e) { produce = text(trafficInputs(now, e)); });
            QCOMPARE(QString::fromStdString(produce), QString::fromStdString(rates));
            withHistory += lag.starts_with("history") ? 1 : 0;
            QVERIFY(store.record(now) > 0);
        }
        QCOMPARE(withHistory, 259); // every build but the first had samples before its snapshot
        QVERIFY2(moving > 500, std::to_string(moving).c_str()); // the comparisons saw rates in bytes, not zeros
    }

    // The planner reads an hour of history with the least it needs (workloadHistoryShape): the same workload and
    // topic rates as from every point, through runs, truncations and a recreated topic.
    void plannerWorkloadFromItsShape()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("h.sqlite")));
        SampleStore store(db);
        RandomCluster cluster;
        auto workloadText = [](const ClusterSnapshot &now, SampleStore::History history) {
            appendSnapshot(history, now);
            const Workload w = workloadFrom(now, history);
            return std::to_string(w.writeMBps) + " peak " + std::to_string(w.peakWriteMBps) + " " + w.source + "\n" +
                   text(trafficInputs(now, history));
        };
        int peaks = 0;
        for (int i = 0; i < 260; ++i) {
            ClusterSnapshot now = cluster.next(i);
            for (auto &p : now.topics.front().partitions)
                p.lowWatermark = 0; // bytes per record known: rates in bytes
            const int64_t from = now.takenAtMs - 90 * kStep;
            const std::string all = workloadText(now, store.history("c1", from, now.takenAtMs - 1));
            QCOMPARE(QString::fromStdString(
                         workloadText(now, store.history("c1", from, now.takenAtMs - 1, workloadHistoryShape()))),
                     QString::fromStdString(all));
            peaks += all.find("peak 0.000000") == std::string::npos ? 1 : 0;
            QVERIFY(store.record(now) > 0);
        }
        QVERIFY2(peaks > 200, std::to_string(peaks).c_str()); // the comparison saw rates, not zeros
    }

    // What the windows free after a heavy turn goes back to the system (giveBackFreedMemory): 200 MB freed in 2 KB
    // blocks below one still in use stays resident until then (glibc trims only the top of its heap by itself).
    void freedMemoryGoesBack()
    {
        auto residentMB = [] {
            QFile statm(QStringLiteral("/proc/self/statm"));
            if (!statm.open(QIODevice::ReadOnly))
                return -1.0;
            const QList<QByteArray> fields = statm.readAll().split(' ');
            return fields.size() > 1 ? fields[1].toDouble() * double(sysconf(_SC_PAGESIZE)) / (1024 * 1024) : -1.0;
        };
        std::vector<char *> blocks(100000);
        for (auto &b : blocks) {
            b = static_cast<char *>(std::malloc(2048));
            std::memset(b, 1, 2048);
        }
        char *pinned = static_cast<char *>(std::malloc(2048)); // above the others: the heap's top stays in use
        std::memset(pinned, 1, 2048);
        for (char *b : blocks)
            std::free(b);
        const double freed = residentMB();
        QVERIFY(freed > 0);
        giveBackFreedMemory();
        const double after = residentMB();
        std::free(pinned);
        QVERIFY2(
            freed - after > 150,
            qPrintable(QStringLiteral("%1 MB resident after freeing, %2 MB after giving back").arg(freed).arg(after)));
    }

    // Heavy history work takes turns across windows: a page's build from its window does not run while another
    // window's is under way, so their peaks of memory do not add up.
    void windowsTakeTurns()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        {
            Database db(path);
            SampleStore store(db);
            RandomCluster cluster;
            QVERIFY(store.record(cluster.next(0)) > 0);
        }
        HistoryWindow lagWindow, trafficWindow;
        std::atomic<bool> inside = false, overlapped = false, started = false;
        std::thread lag([&] {
            lagWindow.use(path, "c1", kStart, kStep, lagShape(), [&](const SampleStore::History &) {
                inside = started = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                inside = false;
            });
        });
        while (!started)
            std::this_thread::yield();
        bool ran = false;
        trafficWindow.use(path, "c1", kStart, kStep, trafficShape(), [&](const SampleStore::History &h) {
            overlapped = inside.load();
            ran = !h.partitions.empty();
        });
        lag.join();
        QVERIFY(ran);
        QVERIFY(!overlapped);
    }

    // A read that would reach into the downsampled tiers is made whole; a changed shape or span too.
    void whatCannotBeFollowedIsReadWhole()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        Database db(path);
        SampleStore::Retention retention;
        retention.keepMs[0] = 20 * kStep; // tier 0 keeps 20 samples, then minutes
        SampleStore store(db, retention);
        RandomCluster cluster;
        HistoryWindow window;
        for (int i = 0; i < 130; ++i) { // past two keyframes: tier 0 is cut at the second
            QVERIFY(store.record(cluster.next(i)) > 0);
            store.compact("c1", kStart + i * kStep);
        }
        const int64_t to = kStart + 129 * kStep;
        const int64_t span = 100 * kStep; // reaches into tier 1 (tier 0 starts at sample 60)
        QCOMPARE(QString::fromStdString(text(window.read(path, "c1", to, span, lagShape()))),
                 QString::fromStdString(text(store.history("c1", to - span, to, lagShape()))));
        QVERIFY(window.lastReadWasWhole());
        QVERIFY(store.record(cluster.next(130)) > 0);
        QCOMPARE(QString::fromStdString(text(window.read(path, "c1", to + kStep, span, lagShape()))),
                 QString::fromStdString(text(store.history("c1", to + kStep - span, to + kStep, lagShape()))));
        QVERIFY(window.lastReadWasWhole());
        window.read(path, "c1", to + kStep, 5 * kStep, lagShape());
        QVERIFY(window.lastReadWasWhole()); // another span
        window.read(path, "c1", to + kStep, 5 * kStep, lagShape());
        QVERIFY(!window.lastReadWasWhole());
        window.read(path, "c1", to + kStep, 5 * kStep, trafficShape());
        QVERIFY(window.lastReadWasWhole()); // another shape
        QVERIFY(window.read(path, "nobody", to, span, lagShape()).partitions.empty());
    }
};

QTEST_GUILESS_MAIN(TestHistoryWindow)
#include "tst_historywindow.moc"
