#include "services/watchservice.h"

#include "analysis/lagdata.h"
#include "models/cancelled.h"
#include "models/freedmemory.h"
#include "models/prometheus.h"
#include "models/snapshotjson.h"
#include "services/metricsserver.h"
#include "services/sampler.h"
#include "store/historywindow.h"
#include "store/samplestore.h"

#include <QDateTime>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace kp {

namespace {

using Clock = std::chrono::steady_clock;

int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Waits until `until` or `stop`, checking every 50 ms.
void waitUntil(Clock::time_point until, const std::atomic<bool> &stop)
{
    while (!stop && Clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

nlohmann::json sampleLine(const std::string &profile, const ClusterSnapshot &s,
                          const std::optional<Sampler::Recorded> &recorded)
{
    nlohmann::json line{{"profile", profile},
                        {"takenAt", formatIsoTime(s.takenAtMs)},
                        {"partitions", s.partitionCount()},
                        {"groups", s.groups.size()},
                        {"collectMs", s.durationMs},
                        {"frameBytes", recorded ? recorded->frameBytes : 0}};
    if (!s.problems.empty())
        line["problems"] = s.problems.size();
    if (recorded && (recorded->compacted.downsampled || recorded->compacted.deleted))
        line["downsampled"] = {{"written", recorded->compacted.downsampled}, {"deleted", recorded->compacted.deleted}};
    return line;
}

// The latest metrics of each cluster, by profile name, for the metrics endpoint.
class MetricsBoard
{
public:
    void set(const std::string &profile, std::vector<MetricSample> samples)
    {
        std::lock_guard lock(m_mutex);
        m_clusters[profile] = std::move(samples);
        ++m_version;
    }
    // A cluster that could not be read: only when it was last sampled stays, so a dashboard sees it go stale.
    void lost(const std::string &profile)
    {
        std::lock_guard lock(m_mutex);
        auto &samples = m_clusters[profile];
        std::erase_if(samples,
                      [](const MetricSample &m) { return m.family != "kafka_planner_sample_timestamp_seconds"; });
        ++m_version;
    }
    // Rendered once per change, whatever the number of scrapes (at 50,000 partitions a render takes ~0.6 s).
    std::string text()
    {
        std::vector<std::vector<MetricSample>> clusters;
        uint64_t version = 0;
        {
            std::lock_guard lock(m_mutex);
            if (m_renderedVersion == m_version)
                return m_rendered;
            version = m_version;
            for (const auto &[profile, samples] : m_clusters)
                clusters.push_back(samples);
        }
        std::string text = prometheusText(clusters);
        std::lock_guard lock(m_mutex);
        if (version == m_version) {
            m_rendered = text;
            m_renderedVersion = version;
        }
        return text;
    }

private:
    std::mutex m_mutex;
    std::map<std::string, std::vector<MetricSample>> m_clusters;
    uint64_t m_version = 1, m_renderedVersion = 0;
    std::string m_rendered;
};

// The metrics of a sample just stored: the groups' verdicts and the Traffic model over the last 15 minutes of its
// cluster's history, followed by `window` (only the samples since the last are read).
std::vector<MetricSample> metricsOf(const std::string &profile, const QString &store, const ClusterSnapshot &s,
                                    HistoryWindow &window)
{
    constexpr int64_t kSpanMs = 15 * 60 * 1000;
    std::vector<MetricSample> out;
    window.use(store, s.clusterId, s.takenAtMs, kSpanMs, {}, [&](const SampleStore::History &history) {
        std::map<std::string, std::vector<PartitionHistory>> groups;
        for (auto &g : SampleStore::groupHistoriesOf(history))
            groups.emplace(std::move(g.group), std::move(g.partitions));
        std::vector<GroupEvaluation> evaluations;
        for (const auto &g : s.groups)
            if (const auto it = groups.find(g.groupId); it != groups.end())
                evaluations.push_back(evaluateGroup(g.groupId, it->second, s.takenAtMs, {}, !g.members.empty()));
        out = clusterMetrics(profile, s, evaluations, computeTraffic(s, trafficInputs(s, history)));
    });
    return out;
}

// One cluster's loop: sample, record, wait out the interval; after a failure, the backoff.
void watchOne(const QString &store, const ConnectionProfile &profile, const WatchOptions &options,
              const std::atomic<bool> &stop, const std::function<void(const nlohmann::json &)> &report,
              MetricsBoard *board)
{
    Sampler sampler(store);
    HistoryWindow window; // the metrics' 15 minutes
    int failures = 0;
    int64_t gapFrom = -1; // the first failure of the run under way
    for (int taken = 0; !stop && (options.count == 0 || taken < options.count);) {
        const auto started = Clock::now();
        double waitSeconds = options.intervalSeconds;
        try {
            const ClusterSnapshot s = Sampler::collect(profile, &stop);
            const auto recorded = sampler.record(s);
            ++taken;
            if (gapFrom >= 0)
                report({{"profile", profile.name},
                        {"gapFrom", formatIsoTime(gapFrom)},
                        {"gapTo", formatIsoTime(s.takenAtMs)}});
            report(sampleLine(profile.name, s, recorded));
            if (board && recorded)
                board->set(profile.name, metricsOf(profile.name, store, s, window));
            failures = 0;
            gapFrom = -1;
        } catch (const Cancelled &) {
            break;
        } catch (const std::exception &e) {
            if (gapFrom < 0)
                gapFrom = nowMs();
            if (board)
                board->lost(profile.name);
            waitSeconds = watchBackoffSeconds(options.intervalSeconds, ++failures);
            report({{"profile", profile.name}, {"error", e.what()}, {"failures", failures}, {"retryIn", waitSeconds}});
        }
        if (options.count != 0 && taken >= options.count)
            break;
        // A sample's peak (~46 MB of heap at 1,123 partitions and 105 groups, heaptrack) is freed when it is stored,
        // but glibc kept it in each thread's arena: three clusters sampled on three threads held ~600 MB after a few
        // minutes (nine 64 MB arenas full of free memory).
        giveBackFreedMemory();
        waitUntil(started + std::chrono::milliseconds(int64_t(waitSeconds * 1000)), stop);
    }
}

} // namespace

double watchBackoffSeconds(double intervalSeconds, int failures)
{
    const double doubled = intervalSeconds * std::pow(2.0, std::min(failures, 20));
    return std::max(intervalSeconds, std::min(doubled, 300.0));
}

void runWatch(const QString &store, const std::vector<ConnectionProfile> &profiles, const WatchOptions &options,
              const std::atomic<bool> &stop, const std::function<void(const nlohmann::json &)> &report)
{
    Sampler(store).open(); // a store that cannot be opened is refused before any sampling
    MetricsBoard board;
    std::unique_ptr<MetricsServer> server;
    if (!options.metrics.empty())
        server = std::make_unique<MetricsServer>(options.metrics, [&board] { return board.text(); });
    std::mutex reporting;
    const std::function<void(const nlohmann::json &)> serialised = [&](const nlohmann::json &line) {
        std::lock_guard lock(reporting);
        report(line);
    };
    std::vector<std::thread> threads;
    for (const auto &profile : profiles)
        threads.emplace_back(watchOne, std::cref(store), std::cref(profile), std::cref(options), std::cref(stop),
                             std::cref(serialised), server ? &board : nullptr);
    for (auto &t : threads)
        t.join();
}

} // namespace kp
