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
    int describeGroupsBatch = 100; // groups per DescribeGroups request (a coordinator's requests are pipelined)
    // The watermarks and the classic groups' DescribeGroups over the app's wire client, OffsetFetch v8; false: the
    // paths before issue 17 (librdkafka, OffsetFetch v5 a group each), slower, kept so that a test can compare both.
    bool wireClient = true;
    int topicConfigsBatch = 200;
    int offsetFetchBatch = 100; // groups per OffsetFetch v8 request (a coordinator's requests are pipelined)
    int watermarkBatch = 2000;  // partitions per ListOffsets request (a leader's requests are pipelined)
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
