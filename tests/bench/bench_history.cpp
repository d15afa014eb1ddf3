// Google Benchmark for the lag history at the size the issue names: 50,000 partitions and 2,000 groups (25 partitions
// each, 50,000 group series). Reports the time to store one sample, to compute every rate, time lag and status, and
// the database bytes a day of 10-second samples takes with 20% of the partitions active.
//
//   build/dev/tests/bench_history --benchmark_counters_tabular=true

#include "analysis/lagdata.h"
#include "models/lagevaluator.h"
#include "models/rates.h"
#include "models/traffic.h"
#include "store/database.h"
#include "store/endswindow.h"
#include "store/samplestore.h"
#include "storefixture.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>
#include <chrono>
#include <random>
#include <unordered_map>

using namespace kp;

namespace {

constexpr int kTopics = 500;
constexpr int kPartitionsPerTopic = 100; // 50,000 partitions
constexpr int kGroups = 2000;
constexpr int kPartitionsPerGroup = 25; // 50,000 group series

ClusterSnapshot syntheticSnapshot(int sample, std::mt19937 &rng, int topics = kTopics, int groups = kGroups,
                                  int perGroup = kPartitionsPerGroup)
{
    ClusterSnapshot s;
    s.clusterId = "bench";
    s.takenAtMs = 1795000000000 + int64_t(sample) * 10000;
    for (int b = 1; b <= 30; ++b)
        s.brokers.push_back({b, "h", 9092, "az-" + std::to_string(b % 3), true, {}, {}, false});
    std::uniform_int_distribution<int> active(0, 4); // one partition in five receives data
    for (int t = 0; t < topics; ++t) {
        TopicInfo topic;
        topic.name = "topic-" + std::to_string(t);
        for (int p = 0; p < kPartitionsPerTopic; ++p) {
            PartitionInfo part;
            part.partition = p;
            part.leader = 1 + (t + p) % 30;
            part.lowWatermark = 0;
            part.highWatermark = 1000000 + int64_t(sample) * (active(rng) == 0 ? 500 : 0) + p;
            part.replicaSizes = {{part.leader, "/d", part.highWatermark * 300, 0, false}};
            topic.partitions.push_back(std::move(part));
        }
        s.topics.push_back(std::move(topic));
    }
    for (int g = 0; g < groups; ++g) {
        ConsumerGroup group;
        group.groupId = "group-" + std::to_string(g);
        const auto &topic = s.topics[size_t(g % topics)];
        for (int p = 0; p < perGroup; ++p)
            group.offsets.push_back({topic.name, p, topic.partitions[size_t(p)].highWatermark - 100, -1, -1, ""});
        s.groups.push_back(std::move(group));
    }
    return s;
}

// The next sample, 10 s later: one partition in five took 500 messages, its groups consumed 480 of them.
void advance(ClusterSnapshot &snapshot, std::mt19937 &rng, int i)
{
    std::uniform_int_distribution<int> active(0, 4);
    snapshot.takenAtMs += 10000;
    for (auto &t : snapshot.topics)
        for (auto &p : t.partitions)
            if (active(rng) == 0) {
                p.highWatermark += 500;
                p.replicaSizes[0].sizeBytes += 500 * 300;
            }
    std::unordered_map<std::string, const TopicInfo *> topics; // 200,000 offsets: not a linear search each
    for (const auto &t : snapshot.topics)
        topics.emplace(t.name, &t);
    for (auto &g : snapshot.groups)
        for (auto &o : g.offsets) {
            const int64_t end = topics.at(o.topic)->partitions[size_t(o.partition)].highWatermark;
            o.committed = std::max(o.committed, end - 100 - 20 * (i % 5));
        }
}

// The argument is each group's partitions: 25 (50,000 group series) or 100 as on stall-bench.sh's cluster (200,000).
// KP_STORE_BACKEND=postgres: the store is a fresh database on the test server (tests/postgres/postgres.sh), as the
// store tests' *_postgres runs use it; a SQLite file otherwise.
void BM_StoreOneSample(benchmark::State &state)
{
    const test::TestStore where(QStringLiteral("bench.sqlite"));
    Database db(where.location());
    SampleStore store(db);
    std::mt19937 rng(1);
    ClusterSnapshot snapshot = syntheticSnapshot(0, rng, kTopics, kGroups, int(state.range(0)));
    int i = 0;
    size_t keyframe = 0, deltas = 0, deltaCount = 0;
    for (auto _ : state) {
        const size_t bytes = store.record(snapshot);
        if (i % SampleStore::kKeyframeEvery == 0)
            keyframe = bytes;
        else {
            deltas += bytes;
            ++deltaCount;
        }
        ++i;
        state.PauseTiming();
        advance(snapshot, rng, i);
        state.ResumeTiming();
    }
    const double avgDelta = deltaCount ? double(deltas) / double(deltaCount) : 0;
    state.counters["keyframe_KiB"] = double(keyframe) / 1024;
    state.counters["delta_KiB"] = avgDelta / 1024;
    // 8,640 samples a day at 10 s: one keyframe in 60.
    state.counters["MiB_per_day"] =
        (8640.0 / SampleStore::kKeyframeEvery * double(keyframe) + 8640.0 * avgDelta) / (1024 * 1024);
    db.db().close();
}
BENCHMARK(BM_StoreOneSample)->Arg(25)->Arg(100)->Unit(benchmark::kMillisecond)->Iterations(20);

// The first sample into a new store: every series (50,000 partitions, 50,000 group offsets) added as well.
void BM_StoreFirstSample(benchmark::State &state)
{
    std::mt19937 rng(1);
    const ClusterSnapshot snapshot = syntheticSnapshot(0, rng);
    int i = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const test::TestStore where(QStringLiteral("first-%1.sqlite").arg(++i));
        {
            Database db(where.location());
            SampleStore store(db);
            state.ResumeTiming();
            store.record(snapshot);
            state.PauseTiming();
            db.db().close();
        }
        state.ResumeTiming();
    }
}
BENCHMARK(BM_StoreFirstSample)->Unit(benchmark::kMillisecond)->Iterations(3);

// An hour of the 50,000-partition, 2,000-group cluster (360 samples 10 s apart, recorded before the timing), read
// whole: every point (/0), or as the Lag page reads its window when it opens (/1: runs of end offsets collapsed, each
// group series' last 10 commits), or as its window reads a group newly charted (/2: that group's commits only,
// HistoryWindow::rechart).
void BM_ReadAnHour(benchmark::State &state)
{
    const test::TestStore where(QStringLiteral("hour.sqlite"));
    Database db(where.location());
    SampleStore store(db);
    std::mt19937 rng(4);
    ClusterSnapshot snapshot = syntheticSnapshot(0, rng);
    const int64_t from = snapshot.takenAtMs;
    HistoryShape shape = state.range(0) == 1 ? lagPageShape(snapshot, {}) : HistoryShape{};
    if (state.range(0) == 2) {
        shape.partitions = shape.groups = HistoryShape::Keep::None;
        shape.allOf = {snapshot.groups.front().groupId};
    }
    for (int i = 0; i < 360; ++i) {
        store.record(snapshot);
        advance(snapshot, rng, i + 1);
    }
    size_t points = 0;
    for (auto _ : state) {
        const SampleStore::History h = store.history(snapshot.clusterId, from, snapshot.takenAtMs, shape);
        points = 0;
        for (const auto &[tp, pts] : h.partitions)
            points += pts.size();
        benchmark::DoNotOptimize(points);
    }
    state.counters["end_offset_points"] = double(points);
    db.db().close();
}
BENCHMARK(BM_ReadAnHour)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);

// What the Lag page does with its window at each sample (lagpage.cpp's load): the rates the Layout page colours by,
// every group's rows with statuses and time lags, the chart group's wave. The window is an hour of the
// 50,000-partition, 2,000-group cluster read as the page reads it (chart group group-0, whose neighbours are kept
// whole), read once before the timing; the snapshot is the newest sample. The argument is each group's partitions: 25
// (50,000 group series), or 100 as on the seeded cluster of stall-bench.sh (200,000).
void BM_LagPageBuild(benchmark::State &state)
{
    const test::TestStore where(QStringLiteral("build.sqlite"));
    Database db(where.location());
    SampleStore store(db);
    std::mt19937 rng(5);
    ClusterSnapshot snapshot = syntheticSnapshot(0, rng, kTopics, kGroups, int(state.range(0)));
    const int64_t from = snapshot.takenAtMs;
    for (int i = 0; i < 360; ++i) {
        store.record(snapshot);
        advance(snapshot, rng, i + 1);
    }
    const std::string chart = "group-0";
    const SampleStore::History h =
        store.history(snapshot.clusterId, from, snapshot.takenAtMs, lagPageShape(snapshot, chart));
    const auto shared = std::make_shared<const ClusterSnapshot>(snapshot);
    size_t rows = 0;
    for (auto _ : state) {
        const auto rates = produceBytesPerSecond(snapshot, h);
        LagData data = buildLagData(shared, h, {}, chart);
        findChartWave(data, historyStartMs(h, snapshot.takenAtMs), {});
        rows = 0;
        for (const auto &[group, parts] : data.partitions)
            rows += parts.size();
        benchmark::DoNotOptimize(rates.size());
    }
    state.counters["partition_rows"] = double(rows);
    db.db().close();
}
BENCHMARK(BM_LagPageBuild)->Arg(25)->Arg(100)->Unit(benchmark::kMillisecond)->Iterations(5);

// What the Traffic page reads and computes at each sample (trafficpage.cpp's compute): the last 15 minutes (90 samples)
// of the 50,000-partition cluster, each series' first and last point, then the cross-AZ traffic from them. The first
// argument is each group's partitions: 25, or 100 as on stall-bench.sh's cluster (200,000 group series, whose commits
// the consume rates come from); the second how the ends are read: whole (0, SampleStore::readEnds, the page's read
// before session 27) or following the samples (1, EndsWindow: a new sample recorded before each, outside the timing).
void BM_TrafficRead(benchmark::State &state)
{
    const test::TestStore where(QStringLiteral("traffic.sqlite"));
    std::mt19937 rng(6);
    ClusterSnapshot snapshot = syntheticSnapshot(0, rng, kTopics, kGroups, int(state.range(0)));
    Database db(where.location());
    SampleStore store(db);
    for (int i = 0; i < 90; ++i) {
        store.record(snapshot);
        advance(snapshot, rng, i + 1);
    }
    store.record(snapshot);
    const bool follow = state.range(1) == 1;
    EndsWindow window;
    constexpr int64_t kSpan = 15 * 60 * 1000;
    if (follow) // the page's first read, whole
        window.use(where.location(), snapshot.clusterId, snapshot.takenAtMs, kSpan, [](const auto &) {});
    size_t flows = 0, whole = 0;
    double inputsMs = 0; // reading the ends and the rates from them: what holds the history turn
    int sample = 91;
    for (auto _ : state) {
        if (follow) {
            state.PauseTiming();
            advance(snapshot, rng, sample++);
            store.record(snapshot);
            state.ResumeTiming();
        }
        TrafficInputs in;
        const auto readStart = std::chrono::steady_clock::now();
        if (follow)
            window.use(where.location(), snapshot.clusterId, snapshot.takenAtMs, kSpan,
                       [&](const SampleStore::WindowEnds &ends) { in = trafficInputs(snapshot, ends); });
        else
            in = trafficInputs(snapshot,
                               SampleStore::readEnds(where.location(), snapshot.clusterId, snapshot.takenAtMs, kSpan));
        inputsMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - readStart).count();
        whole += follow && window.lastReadWasWhole() ? 1 : 0;
        const Traffic traffic = computeTraffic(snapshot, in);
        flows = traffic.topics.size();
        benchmark::DoNotOptimize(flows);
    }
    state.counters["topics"] = double(flows);
    state.counters["whole_reads"] = double(whole);
    state.counters["inputs_ms"] = inputsMs / double(state.iterations());
    db.db().close();
}
BENCHMARK(BM_TrafficRead)
    ->Args({25, 0})
    ->Args({25, 1})
    ->Args({100, 0})
    ->Args({100, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);

// A week of a 10,000-partition cluster (400 groups of 25 partitions) with the default tiers: tier 0 keeps a day of
// 10-s frames, tier 1 keeps a frame a minute. Two hours of samples are recorded with tier 0 shortened to 30 min, so
// that compaction writes real 1-min frames; the week is then a day of tier-0 frames plus six days of tier-1 frames at
// the measured sizes. Also times one compaction (one minute's bucket moved and the tier cut), the steady-state cost
// paid after every sample.
void BM_WeekOf10kPartitions(benchmark::State &state)
{
    QTemporaryDir dir;
    Database db(dir.filePath(QStringLiteral("week.sqlite")));
    SampleStore::Retention retention;
    retention.keepMs[0] = 30 * 60000;
    SampleStore store(db, retention);
    std::mt19937 rng(3);
    ClusterSnapshot snapshot = syntheticSnapshot(0, rng, 100, 400);
    double tier0Bytes = 0;
    int i = 0;
    for (; i < 720; ++i) { // two hours
        tier0Bytes += double(store.record(snapshot));
        store.compact(snapshot.clusterId, snapshot.takenAtMs);
        advance(snapshot, rng, i);
    }
    const double tier0PerFrame = tier0Bytes / 720;
    for (auto _ : state) {
        state.PauseTiming();
        for (int k = 0; k < 6; ++k, ++i) { // one more minute
            store.record(snapshot);
            advance(snapshot, rng, i);
        }
        state.ResumeTiming();
        benchmark::DoNotOptimize(store.compact(snapshot.clusterId, snapshot.takenAtMs - 10000));
    }
    QSqlQuery q(db.db());
    q.exec(QStringLiteral("SELECT avg(length(data)), count(*) FROM samples WHERE tier = 1"));
    q.next();
    const double tier1PerFrame = q.value(0).toDouble();
    state.counters["tier0_frame_KiB"] = tier0PerFrame / 1024;
    state.counters["tier1_frame_KiB"] = tier1PerFrame / 1024;
    state.counters["tier1_frames"] = q.value(1).toDouble();
    state.counters["MiB_per_week"] = (8640 * tier0PerFrame + 6 * 1440 * tier1PerFrame) / (1024 * 1024);
    db.db().close();
}
BENCHMARK(BM_WeekOf10kPartitions)->Unit(benchmark::kMillisecond)->Iterations(20);

void BM_RatesTimeLagsAndStatuses(benchmark::State &state)
{
    std::mt19937 rng(2);
    const ClusterSnapshot now = syntheticSnapshot(10, rng);
    // Ten samples of history per series, 10 s apart.
    std::map<TopicPartition, std::vector<SizedPoint>> points;
    for (const auto &t : now.topics)
        for (const auto &p : t.partitions)
            for (int i = 0; i < 10; ++i)
                points[{t.name, p.partition}].push_back(
                    {now.takenAtMs - (9 - i) * 10000, p.highWatermark - (9 - i) * 50, p.highWatermark * 300});
    std::vector<std::vector<PartitionHistory>> groups;
    for (const auto &g : now.groups) {
        std::vector<PartitionHistory> parts;
        for (const auto &o : g.offsets) {
            PartitionHistory h{o.topic, o.partition, {}, {}};
            for (const auto &pt : points.at({o.topic, o.partition})) {
                h.ends.push_back({pt.timeMs, pt.endOffset});
                h.commits.push_back({pt.timeMs, pt.endOffset - 120, -1});
            }
            parts.push_back(std::move(h));
        }
        groups.push_back(std::move(parts));
    }
    for (auto _ : state) {
        std::map<TopicPartition, Rate> rates;
        for (const auto &[tp, pts] : points)
            rates.emplace_hint(rates.end(), tp, produceRate(pts, pts.back().endOffset));
        const RateTotals totals = aggregateRates(now, rates);
        benchmark::DoNotOptimize(totals.racks.size());
        int64_t lag = 0;
        for (size_t g = 0; g < groups.size(); ++g)
            lag += evaluateGroup(now.groups[g].groupId, groups[g], now.takenAtMs + 1000).totalLag;
        benchmark::DoNotOptimize(lag);
    }
    state.counters["partitions"] = double(points.size());
    state.counters["group_partitions"] = double(kGroups * kPartitionsPerGroup);
}
BENCHMARK(BM_RatesTimeLagsAndStatuses)->Unit(benchmark::kMillisecond)->Iterations(10);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
