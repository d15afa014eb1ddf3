// The planner's sensitivity sweep: 100 write rates x 100 retentions = 10,000 plans of four architectures each, as the
// Planner's heat map and `kafka-planner plan --sweep` evaluate them. Issue 5 asks for under 50 ms.
//
//   build/dev/tests/bench_planner

#include "models/pricing.h"
#include "models/scenarios.h"

#include <benchmark/benchmark.h>

using namespace kp;

static void BM_SensitivitySweep10k(benchmark::State &state)
{
    const PricingProfile aws = loadPricingFile(KP_PRICING_DIR "/aws-us-east-1.json");
    PlanFile plan;
    plan.workload.writeMBps = 100;
    plan.workload.peakWriteMBps = 150;
    plan.workload.partitions = 300;
    plan.workload.consumerGroups = 2;
    plan.settings.existingBrokers = 6;
    plan.settings.existingInstance = "r6i.2xlarge";
    const SweepAxis x = parseSweepAxis("write=1:2000:100");
    const SweepAxis y = parseSweepAxis("retention=1:90:100");
    size_t points = 0;
    for (auto _ : state) {
        const auto sweep = sensitivitySweep(plan, aws, x, y);
        points = sweep.size();
        benchmark::DoNotOptimize(sweep.data());
    }
    state.counters["points"] = double(points);
}
BENCHMARK(BM_SensitivitySweep10k)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
