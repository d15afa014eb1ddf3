#pragma once

#include "clustersnapshot.h"
#include "database.h"
#include "lagevaluator.h"
#include "rates.h"
#include "samplecodec.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace kp {

// The lag history in SQLite: one compact frame per sample (samplecodec.h), a keyframe every kKeyframeEvery samples,
// each sample written in one transaction.
class SampleStore
{
public:
    static constexpr int kKeyframeEvery = 60;

    explicit SampleStore(Database &db) : m_db(db) {}

    // Appends a light sample from a snapshot: every partition's end offset and size, every group's committed offsets.
    // Returns the frame's size in bytes. Throws StoreError.
    size_t record(const ClusterSnapshot &snapshot);

    // Everything recorded between two times (epoch ms): each partition's end offsets and sizes, each group's
    // committed offsets.
    struct History
    {
        std::map<TopicPartition, std::vector<SizedPoint>> partitions;
        std::map<std::string, std::map<TopicPartition, std::vector<CommitPoint>>> groups;
    };
    History history(const std::string &clusterId, int64_t fromMs, int64_t toMs);

    struct GroupHistory
    {
        std::string group;
        std::vector<PartitionHistory> partitions;
    };
    // The histories of the groups of `clusterId` between two times (epoch ms), for evaluation.
    std::vector<GroupHistory> groupHistories(const std::string &clusterId, int64_t fromMs, int64_t toMs);
    static std::vector<GroupHistory> groupHistoriesOf(const History &history);

    int64_t sampleCount(const std::string &clusterId);

private:
    int64_t clusterKey(const std::string &clusterId, bool create);
    uint32_t seriesId(int64_t cluster, const std::string &group, const std::string &topic, int32_t partition);

    Database &m_db;
    std::map<std::tuple<int64_t, std::string, std::string, int32_t>, uint32_t> m_series;
    std::map<int64_t, SampleEncoder> m_encoders;
    std::map<int64_t, int> m_sinceKeyframe;
};

} // namespace kp
