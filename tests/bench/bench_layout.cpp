// Google Benchmark for the Layout page at the size the issue names: 100,000 partitions (RF 3) on 30 brokers in three
// racks, in a 1920x1080 view, offscreen. Reports one full repaint (target under 16 ms), building the view from a
// snapshot, a topic filter over every row, and the Overview figures.
//
//   QT_QPA_PLATFORM=offscreen build/dev/tests/bench_layout

#include "models/overview.h"
#include "ui/layoutview.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <benchmark/benchmark.h>

using namespace kp;

namespace {

SnapshotPtr synthetic()
{
    auto s = std::make_shared<ClusterSnapshot>();
    s->clusterId = "bench";
    for (int b = 1; b <= 30; ++b)
        s->brokers.push_back(
            {b, "broker-" + std::to_string(b), 9092, "az-" + std::to_string(b % 3), true, {}, {}, true});
    for (int t = 0; t < 1000; ++t) {
        TopicInfo topic;
        topic.name = "topic-" + std::to_string(t);
        for (int p = 0; p < 100; ++p) {
            PartitionInfo part;
            part.partition = p;
            const int leader = 1 + (t * 7 + p) % 30;
            part.replicas = {leader, 1 + (leader + 9) % 30, 1 + (leader + 19) % 30};
            part.isr = (t + p) % 97 == 0 ? std::vector<int32_t>{leader} : part.replicas;
            part.leader = leader;
            part.lowWatermark = 0;
            part.highWatermark = 1000 + t * p;
            for (int32_t r : part.replicas)
                part.replicaSizes.push_back({r, "/d", int64_t(1 + t) * (p + 1) * 4096, 0, false});
            topic.partitions.push_back(std::move(part));
        }
        s->topics.push_back(std::move(topic));
    }
    return s;
}

const SnapshotPtr &snapshot()
{
    static const SnapshotPtr s = synthetic();
    return s;
}

void BM_FullRepaint(benchmark::State &state)
{
    LayoutView view;
    view.resize(1920, 1080);
    view.setSnapshot(snapshot(), LayoutView::violationsOf(*snapshot()));
    view.show();
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    // Scrolled to the middle: a worst-ish case with every column and a screenful of rows.
    view.showPartition(QStringLiteral("topic-500"), 50);
    for (auto _ : state) {
        view.viewport()->render(&image);
        benchmark::DoNotOptimize(image.bits());
    }
    if (qEnvironmentVariableIsSet("KP_BENCH_SAVE")) // to look at what was measured
        image.save(qEnvironmentVariable("KP_BENCH_SAVE"));
    state.counters["rows"] = view.rowCount();
    state.counters["columns"] = view.columnCount();
}
BENCHMARK(BM_FullRepaint)->Unit(benchmark::kMillisecond);

void BM_SetSnapshot(benchmark::State &state)
{
    LayoutView view;
    view.resize(1920, 1080);
    // What happens on the GUI thread when a snapshot arrives (the rack check runs before, on a worker).
    const auto violations = LayoutView::violationsOf(*snapshot());
    for (auto _ : state)
        view.setSnapshot(snapshot(), violations);
}
BENCHMARK(BM_SetSnapshot)->Unit(benchmark::kMillisecond);

void BM_TopicFilter(benchmark::State &state)
{
    LayoutView view;
    view.resize(1920, 1080);
    view.setSnapshot(snapshot());
    int i = 0;
    for (auto _ : state) {
        view.setFilter(QRegularExpression(QStringLiteral("topic-%1").arg(i++ % 10)), LayoutView::State::All);
        benchmark::DoNotOptimize(view.rowCount());
    }
}
BENCHMARK(BM_TopicFilter)->Unit(benchmark::kMillisecond);

void BM_Overview(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(computeOverview(*snapshot()).rackViolations.size());
}
BENCHMARK(BM_Overview)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
