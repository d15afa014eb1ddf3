#pragma once

#include "models/clustersnapshot.h"
#include "models/lagevaluator.h"
#include "models/rates.h"
#include "models/samplecodec.h"
#include "store/database.h"
#include "store/seriesnames.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

struct sqlite3;

namespace kp {

// What a reader keeps of each series, so that a window of a large cluster (20,000 partitions, 200,000 group series,
// 360 samples an hour) is not held whole when a view needs a few points of it.
struct HistoryShape
{
    enum class Keep {
        All,       // every point
        Last,      // the last `last` points (a lag verdict's window)
        Endpoints, // the first (from the last reset on, for end offsets) and the last: a rate over the window
        None,      // nothing
    };
    Keep partitions = Keep::All;
    Keep groups = Keep::All;
    size_t last = 10;
    // Keep::All of end offsets: an unchanged run keeps only its first and last point (what interpolating the time
    // lag and rates need; an idle partition then costs two points however long the window).
    bool collapseRuns = false;
    std::set<std::string> allOf; // groups kept whole whatever `groups` says (the one a chart shows)
};

// The lag history in SQLite: one compact frame per sample (samplecodec.h), a keyframe every kKeyframeEvery samples,
// each sample written in one transaction. Several writers may share a file (the window's sampler beside a `watch`, two
// windows): a tier's frames form one chain whoever wrote them, because a writer whose last frame is no longer the
// tier's last continues from what the store holds, and a sample older than the tier's last frame is not written.
class SampleStore
{
public:
    static constexpr int kKeyframeEvery = 60;
    static constexpr int kTiers = 3;

    // How long each tier keeps its frames, and the bucket a downsampled tier keeps one frame of. Tier 0 holds every
    // sample; tier 1 the last sample of each minute once tier 0 lets it go; tier 2 the last of each 10 minutes.
    struct Retention
    {
        int64_t keepMs[kTiers] = {24LL * 3600 * 1000, 7LL * 24 * 3600 * 1000, 90LL * 24 * 3600 * 1000};
        int64_t bucketMs[kTiers] = {0, 60 * 1000, 600 * 1000};
    };

    explicit SampleStore(Database &db);
    SampleStore(Database &db, const Retention &retention) : m_db(db), m_retention(retention) {}

    // Appends a light sample from a snapshot: every partition's end offset and size, every group's committed offsets,
    // and each topic's id where it changed (a deleted and recreated topic: its history starts again there).
    // Returns the frame's size in bytes, or 0 when the store already holds a sample of this cluster taken at the same
    // time or later (another writer's): such a sample adds nothing and would break the chain after it. Throws
    // StoreError.
    size_t record(const ClusterSnapshot &snapshot);

    // Everything recorded between two times (epoch ms): each partition's end offsets and sizes, each group's
    // committed offsets. A topic recreated before toMs (another topic id) has only the points of its last incarnation:
    // a partition it no longer has is not listed.
    struct History
    {
        std::map<TopicPartition, std::vector<SizedPoint>> partitions;
        std::map<std::string, std::map<TopicPartition, std::vector<CommitPoint>>> groups;
    };
    using Shape = HistoryShape;
    using SeriesName = kp::SeriesName;
    History history(const std::string &clusterId, int64_t fromMs, int64_t toMs, const Shape &shape = {});
    // The same, handing over the series' names it read (a million rows with 10,000 groups: not read twice).
    History history(const std::string &clusterId, int64_t fromMs, int64_t toMs, const Shape &shape, SeriesNames &names);
    // The same through a connection of its own to the file at `dbPath`, for a worker thread: the `spanMs` up to `toMs`.
    // Throws StoreError.
    static History read(const QString &dbPath, const std::string &clusterId, int64_t toMs, int64_t spanMs,
                        const Shape &shape = {});

    // Each series' first and last point in a window, by the series' slot in `names` (endOffset -1: none; one point:
    // both the same): what a rate over the window needs. End offsets start over after a drop, as Keep::Endpoints
    // does; a group's series holds its committed offsets (sizeBytes -1). 250,000 series take 12 MB in the two tables
    // (and 6 MB of names), where a History of Keep::Endpoints took 44 MB in its maps' nodes and vectors.
    struct WindowEnds
    {
        SeriesNames names;
        std::vector<SizedPoint> first, last;
        // By slot, when the series' topic's incarnation in effect began: its points before are the deleted topic's
        // (empty when no topic was recreated).
        std::vector<int64_t> since;
        // Empty tables for `names`, with the incarnations `starts` (incarnationStarts).
        void start(SeriesNames seriesNames, const std::map<std::string, int64_t> &starts);
        // Takes in the frame at `at` (frames come oldest first). False when a series of it is not in the names.
        bool keep(int64_t at, const std::vector<SeriesValue> &values);
    };
    WindowEnds windowEnds(const std::string &clusterId, int64_t fromMs, int64_t toMs);
    // The same through a connection of its own (a worker thread): the `spanMs` up to `toMs`. Throws StoreError.
    static WindowEnds readEnds(const QString &dbPath, const std::string &clusterId, int64_t toMs, int64_t spanMs);

    struct GroupHistory
    {
        std::string group;
        std::vector<PartitionHistory> partitions;
    };
    // The histories of the groups of `clusterId` between two times (epoch ms), for evaluation.
    std::vector<GroupHistory> groupHistories(const std::string &clusterId, int64_t fromMs, int64_t toMs);
    static std::vector<GroupHistory> groupHistoriesOf(const History &history);

    int64_t sampleCount(const std::string &clusterId, int tier = 0);

    // The pieces of history() that HistoryWindow follows the newest samples with. Series names by id; the store's key
    // of a cluster (-1: none); a tier's first frame at or after a time (-1: none), tier 0's last at or before one.
    SeriesNames seriesNames(int64_t cluster);
    int64_t clusterKeyOf(const std::string &clusterId) { return clusterKey(clusterId, false); }
    int64_t firstFrameAt(int64_t cluster, int tier, int64_t atOrAfterMs);
    int64_t lastFrameAt(int64_t cluster, int64_t atOrBeforeMs);
    // Whether tier 0 alone answers for a window from `fromMs` on (no coarser frame stands for a part of it): what
    // following a window needs.
    bool inTierZero(int64_t cluster, int64_t fromMs);
    // Decodes tier 0's frames in (afterMs, toMs] in order, continuing `decoder`, which holds the state after the frame
    // at afterMs (a fresh decoder with afterMs -1: from the first frame, a keyframe). Calls fn(at, values) for each.
    using FrameFn = std::function<void(int64_t, const std::vector<SeriesValue> &)>;
    void framesAfter(int64_t cluster, int64_t afterMs, int64_t toMs, SampleDecoder &decoder, const FrameFn &fn);
    // Positions `decoder` on the tier-0 frame at `atMs` (decoding from the keyframe before it) and calls fn for it.
    void frameAt(int64_t cluster, int64_t atMs, SampleDecoder &decoder, const FrameFn &fn);
    // Per topic, when the incarnation in effect at toMs began (topics whose id never changed are not listed).
    std::map<std::string, int64_t> incarnationStarts(int64_t cluster, int64_t toMs);

    // Moves what tier 0 and 1 no longer keep into the next tier (one frame per bucket) and deletes what tier 2 no
    // longer keeps; a tier is only cut at a keyframe, so what stays always decodes. One transaction. Cheap when there
    // is nothing to do: call it after every sample. Returns the frames written and deleted.
    struct CompactResult
    {
        int64_t downsampled = 0;
        int64_t deleted = 0;
    };
    CompactResult compact(const std::string &clusterId, int64_t nowMs);

private:
    using Frame = std::vector<SeriesValue>;
    // What this writer last wrote to one (cluster, tier), to tell whether the tier's last frame is still its own.
    struct Chain
    {
        SampleEncoder encoder;
        int sinceKeyframe = kKeyframeEvery;
        int64_t lastAt = -1;
        std::string lastFrame;
    };
    int64_t clusterKey(const std::string &clusterId, bool create);
    // cluster, group ("": end offsets), topic, partition; 250,000 of them on a 50,000-partition cluster with 2,000
    // groups, looked up at every sample: interned texts, hashed by identity.
    using SeriesKey = std::tuple<int64_t, InternedString, InternedString, int32_t>;
    struct SeriesKeyHash
    {
        size_t operator()(const SeriesKey &k) const
        {
            const auto &[cluster, group, topic, partition] = k;
            uint64_t h = uint64_t(cluster) * 0x9e3779b97f4a7c15ULL;
            for (uint64_t v : {uint64_t(group.hash()), uint64_t(topic.hash()), uint64_t(uint32_t(partition))})
                h = (h ^ v) * 0xbf58476d1ce4e5b9ULL, h ^= h >> 31; // splitmix64's mixing step
            return size_t(h);
        }
    };
    // The series of `missing` (index into `values`, key) found or added, their ids set in `values`: the cluster's
    // series read once, the new ones added 500 per statement (a first sample of 50,000 partitions made 100,000 round
    // trips one by one).
    void resolveSeries(int64_t cluster, const std::vector<std::pair<size_t, SeriesKey>> &missing, Frame &values);
    void insertSeries(const std::vector<SeriesKey> &keys);
    void insertSeriesIntoSqlite(const std::vector<SeriesKey> &keys); // the same through sqlite3's own API
    // Every series of a cluster: id, group ("" for end offsets), topic, partition.
    void forEachSeries(int64_t cluster,
                       const std::function<void(uint32_t, InternedString, InternedString, int32_t)> &row);
    sqlite3 *sqliteHandle(); // null: not an SQLite store
    size_t writeFrame(int64_t cluster, int tier, int64_t atMs, const Frame &values);
    void recordTopicIds(int64_t cluster, const ClusterSnapshot &s);
    // Decodes a tier's frames in order, from the keyframe at or before fromMs, and calls fn(at, values) for every frame
    // in [fromMs, toMs].
    // Returns the frames decoded from the keyframe on; `decoder` ends holding the state after the last one.
    template <typename Fn>
    int scan(int64_t cluster, int tier, int64_t fromMs, int64_t toMs, Fn &&fn, SampleDecoder &decoder);
    template <typename Fn> void scan(int64_t cluster, int tier, int64_t fromMs, int64_t toMs, Fn &&fn)
    {
        SampleDecoder decoder;
        scan(cluster, tier, fromMs, toMs, std::forward<Fn>(fn), decoder);
    }
    template <typename Fn> void framesInWindow(int64_t cluster, int64_t fromMs, int64_t toMs, Fn &&fn);
    // Makes `chain` continue the tier's chain as the store holds it (another writer extended it).
    void resume(int64_t cluster, int tier, Chain &chain);
    void forgetState();

    Database &m_db;
    Retention m_retention;
    std::unordered_map<SeriesKey, uint32_t, SeriesKeyHash> m_series;
    std::set<int64_t> m_seriesLoaded; // clusters whose stored series are all in m_series
    // Each cluster's series in the order its last sample met them. The next sample mostly meets the same ones in the
    // same order: each is checked against its place there before the hash table is asked (250,000 lookups in the
    // table, each a few cache misses, were half of storing a sample of 50,000 partitions and 2,000 groups).
    struct PlacedSeries
    {
        InternedString group, topic;
        int32_t partition = -1;
        uint32_t id = 0;
    };
    std::map<int64_t, std::vector<PlacedSeries>> m_lastOrder;
    std::map<std::pair<int64_t, int>, Chain> m_chains;
    std::map<std::pair<int64_t, std::string>, std::string> m_topicIds; // the latest id recorded, per cluster and topic
    std::set<int64_t> m_topicIdsLoaded;
};

} // namespace kp
