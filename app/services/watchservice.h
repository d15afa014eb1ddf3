#pragma once
// The always-on sampler behind `kafka-planner watch`: several clusters sampled at once into one store, each on a
// thread of its own, so that one cluster lost does not stop the others. A cluster that cannot be read is tried again
// after a backoff that doubles from the interval up to five minutes; the time it was away is reported as a gap (the
// history has no samples there, nothing is made up). Stopping (SIGTERM, Ctrl+C) ends each thread at its next step: a
// sample in flight is stored whole (one transaction) or not at all.

#include "models/connectionprofile.h"

#include <QString>
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kp {

struct WatchOptions
{
    double intervalSeconds = 10;
    int count = 0;       // samples per cluster, 0: until stopped
    std::string metrics; // HOST:PORT to serve Prometheus metrics on; empty: none
};

// The wait before trying a cluster again after `failures` failures in a row: the interval doubled each time, at most
// 300 s (and never less than the interval).
double watchBackoffSeconds(double intervalSeconds, int failures);

// Samples every profile until `stop` is set or each has taken `count` samples (with `metrics`, serving the latest
// sample of each cluster as Prometheus metrics: models/prometheus.h); `report` gets one JSON object per
// event, from the clusters' threads one at a time: {"profile", "takenAt", "partitions", "groups", "collectMs",
// "frameBytes"} per sample, {"profile", "error", "failures", "retryIn"} per failure, {"profile", "gapFrom", "gapTo"}
// when a cluster is back. Throws StoreError before sampling when the store cannot be opened, std::runtime_error when
// the metrics address cannot be listened on.
void runWatch(const QString &store, const std::vector<ConnectionProfile> &profiles, const WatchOptions &options,
              const std::atomic<bool> &stop, const std::function<void(const nlohmann::json &)> &report);

} // namespace kp
