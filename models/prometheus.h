#pragma once
// The lag history as Prometheus metrics (`watch --metrics HOST:PORT`): kafka-lag-exporter's metric names and labels,
// so that dashboards made for it work unchanged, and a few of Kafka Planner's own under kafka_planner_. Each metric is
// described in README (Prometheus metrics). A value that is not known is left out, never written as 0.

#include "models/clustersnapshot.h"
#include "models/lagevaluator.h"
#include "models/traffic.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kp {

struct MetricSample
{
    std::string family;
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;
};

// One cluster's metrics from its latest sample: `clusterName` (the profile's name) is the cluster_name label;
// `evaluations`: the groups' verdicts over the recorded history (time lag, status); `traffic`: the cross-AZ flows of
// the Traffic model when the racks are known.
std::vector<MetricSample> clusterMetrics(const std::string &clusterName, const ClusterSnapshot &now,
                                         const std::vector<GroupEvaluation> &evaluations,
                                         const std::optional<Traffic> &traffic);

// The text exposition format (0.0.4): every family's HELP and TYPE once, then its samples from every cluster.
std::string prometheusText(const std::vector<std::vector<MetricSample>> &clusters);

} // namespace kp
