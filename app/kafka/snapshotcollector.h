#pragma once

#include "kafka/kafkaclient.h"
#include "models/clustersnapshot.h"

#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>

namespace kp {

// Nothing could be collected at all (no broker reached, authentication failed, cancelled).
class CollectError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct CollectOptions
{
    int timeoutMs = kDefaultTimeoutMs; // bound for each step
    bool includeGroups = true;
    bool includeLogDirs = true;
    bool includeConfigs = true; // broker and topic configs (racks come from the broker configs)
    bool includeInternalTopics = true;
    int describeGroupsBatch = 100;
    int topicConfigsBatch = 200;
    int watermarkBatch = 2000; // partitions per ListOffsets request (a leader's requests are pipelined)
};

struct CollectProgress
{
    std::string step; // "Connecting", "Metadata", "Broker configs", ...
    int64_t done = 0;
    int64_t total = 0;
};

// Turns a live cluster into a ClusterSnapshot. Read-only: it only describes and lists. Blocking: run it on a worker
// thread. What cannot be read ends up in ClusterSnapshot::problems; CollectError only when nothing can be read.
class SnapshotCollector
{
public:
    using ProgressFn = std::function<void(const CollectProgress &)>;

    SnapshotCollector(KafkaClient &client, CollectOptions options = {});

    ClusterSnapshot collect(const std::atomic<bool> *cancel = nullptr, const ProgressFn &progress = {});

private:
    class Run;
    KafkaClient &m_client;
    CollectOptions m_options;
};

} // namespace kp
