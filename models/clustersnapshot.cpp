#include "models/clustersnapshot.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace kp {

int64_t ConsumerGroup::totalLag() const
{
    int64_t sum = 0;
    for (const auto &o : offsets)
        if (o.lag >= 0)
            sum += o.lag;
    return sum;
}

int64_t ConsumerGroup::unknownLagCount() const
{
    int64_t n = 0;
    for (const auto &o : offsets)
        if (o.lag < 0)
            ++n;
    return n;
}

const PartitionInfo *TopicInfo::findPartition(int32_t partition) const
{
    if (partition >= 0 && size_t(partition) < partitions.size() && partitions[size_t(partition)].partition == partition)
        return &partitions[size_t(partition)];
    for (const auto &p : partitions)
        if (p.partition == partition)
            return &p;
    return nullptr;
}

int64_t TopicInfo::messageCount() const
{
    int64_t sum = 0;
    for (const auto &p : partitions) {
        if (!p.watermarksKnown())
            return -1;
        sum += p.highWatermark - p.lowWatermark;
    }
    return sum;
}

int64_t PartitionInfo::sizeBytes() const
{
    int64_t largest = -1;
    for (const auto &r : replicaSizes) {
        if (r.future)
            continue;
        if (r.broker == leader)
            return r.sizeBytes;
        largest = std::max(largest, r.sizeBytes);
    }
    return largest;
}

std::string describeMember(const GroupMember &m)
{
    std::string out = m.clientId + " (" + m.host + ")";
    if (m.memberEpoch >= 0)
        out += " epoch " + std::to_string(m.memberEpoch);
    out += ":";
    for (const auto &tp : m.assignment)
        out += " " + tp.topic + "-" + std::to_string(tp.partition);
    if (m.memberEpoch >= 0 && m.targetAssignment != m.assignment)
        out += " (moving to " + std::to_string(m.targetAssignment.size()) + " partition(s))";
    return out;
}

// Sums a per-partition figure; -1 when any partition's is not known.
template <typename F> static int64_t sumKnown(const std::vector<PartitionInfo> &partitions, F figure)
{
    int64_t sum = 0;
    for (const auto &p : partitions) {
        const int64_t v = figure(p);
        if (v < 0)
            return -1;
        sum += v;
    }
    return sum;
}

int64_t PartitionInfo::remoteOnlyOffsets() const
{
    if (localLogStartOffset < 0 || lowWatermark < 0)
        return -1;
    return std::max<int64_t>(0, localLogStartOffset - lowWatermark);
}

double PartitionInfo::localBytesPerOffset() const
{
    if (!watermarksKnown() || sizeBytes() < 0)
        return -1;
    const int64_t offsets = highWatermark - std::max(lowWatermark, localLogStartOffset);
    return offsets > 0 ? double(sizeBytes()) / double(offsets) : -1;
}

bool TopicInfo::tiered() const
{
    auto it = configs.find("remote.storage.enable");
    return it != configs.end() && it->second == "true";
}

int64_t TopicInfo::remoteOnlyOffsets() const
{
    return sumKnown(partitions, [](const PartitionInfo &p) { return p.remoteOnlyOffsets(); });
}

int64_t TopicInfo::remoteBytesEstimate() const
{
    return sumKnown(partitions, [this](const PartitionInfo &p) -> int64_t {
        const int64_t remote = p.remoteOnlyOffsets();
        if (remote <= 0)
            return remote;
        const double perOffset = remoteBytesPerOffset >= 0 ? remoteBytesPerOffset : p.localBytesPerOffset();
        if (perOffset < 0)
            return -1;
        return int64_t(std::llround(perOffset * double(remote)));
    });
}

int64_t TopicInfo::sizeBytes() const
{
    return sumKnown(partitions, [](const PartitionInfo &p) { return p.sizeBytes(); });
}

int64_t TopicInfo::replicatedBytes() const
{
    int64_t sum = 0;
    for (const auto &p : partitions) {
        if (p.replicaSizes.empty())
            return -1;
        for (const auto &r : p.replicaSizes)
            sum += r.future ? 0 : r.sizeBytes;
    }
    return sum;
}

int64_t TopicInfo::underReplicatedCount() const
{
    return std::count_if(partitions.begin(), partitions.end(),
                         [](const PartitionInfo &p) { return !p.offline() && p.underReplicated(); });
}

int64_t TopicInfo::offlineCount() const
{
    return std::count_if(partitions.begin(), partitions.end(), [](const PartitionInfo &p) { return p.offline(); });
}

ClusterSnapshot withSample(const ClusterSnapshot &full, const ClusterSnapshot &sample)
{
    const bool groupsRead = std::none_of(sample.problems.begin(), sample.problems.end(),
                                         [](const Problem &p) { return p.step == "groups" && p.subject.empty(); });
    const bool sampleGroups = groupsRead && (!sample.groups.empty() || full.groups.empty());
    // The full snapshot's groups are not copied where the sample's replace them (copying 200,000 committed offsets
    // only to drop them held tens of megabytes more at every sample on a large cluster).
    static_assert(sizeof(ClusterSnapshot) == 2 * sizeof(std::string) + sizeof(int64_t) /* source, padded */ +
                                                 2 * sizeof(int64_t) + 5 * sizeof(std::vector<int>),
                  "ClusterSnapshot has another member: copy it here");
    ClusterSnapshot out{full.clusterId,  full.bootstrap, full.source, sample.takenAtMs,
                        full.durationMs, full.brokers,   full.topics, sampleGroups ? sample.groups : full.groups,
                        full.timings,    full.problems};
    for (auto &t : out.topics) {
        const TopicInfo *st = sample.topic(t.name);
        if (!st)
            continue;
        for (auto &p : t.partitions)
            if (const PartitionInfo *sp = st->findPartition(p.partition)) {
                if (sp->watermarksKnown()) {
                    p.lowWatermark = sp->lowWatermark;
                    p.highWatermark = sp->highWatermark;
                }
                if (!sp->replicaSizes.empty()) {
                    p.replicaSizes = sp->replicaSizes;
                    p.sizeEstimated = sp->sizeEstimated;
                }
            }
    }
    computeLag(out);
    return out;
}

bool TopicInfo::sizeEstimated() const
{
    return std::any_of(partitions.begin(), partitions.end(), [](const PartitionInfo &p) { return p.sizeEstimated; });
}

bool ClusterSnapshot::sizesEstimated() const
{
    return std::any_of(topics.begin(), topics.end(), [](const TopicInfo &t) { return t.sizeEstimated(); });
}

LayoutTotals layoutTotals(const ClusterSnapshot &snapshot)
{
    LayoutTotals t;
    for (const auto &topic : snapshot.topics) {
        for (const auto &p : topic.partitions)
            for (int32_t r : p.replicas)
                ++t.replicasByBroker[r];
        for (const auto &p : topic.partitions) {
            if (p.leader >= 0)
                ++t.leadersByBroker[p.leader];
            t.bytesEstimated = t.bytesEstimated || p.sizeEstimated;
            for (const auto &r : p.replicaSizes) {
                t.bytesByBroker[r.broker] += r.sizeBytes;
                const BrokerInfo *b = snapshot.broker(r.broker);
                t.bytesByRack[b && b->rackKnown ? b->rack : std::string("?")] += r.sizeBytes;
            }
        }
        t.underReplicated += topic.underReplicatedCount();
        t.offline += topic.offlineCount();
    }
    return t;
}

const BrokerInfo *ClusterSnapshot::broker(int32_t id) const
{
    for (const auto &b : brokers)
        if (b.id == id)
            return &b;
    return nullptr;
}

std::set<std::string> ClusterSnapshot::racks() const
{
    std::set<std::string> out;
    for (const auto &b : brokers)
        if (b.rackKnown && !b.rack.empty())
            out.insert(b.rack);
    return out;
}

const TopicInfo *ClusterSnapshot::topic(const std::string &name) const
{
    for (const auto &t : topics)
        if (t.name == name)
            return &t;
    return nullptr;
}

const ConsumerGroup *ClusterSnapshot::group(const std::string &id) const
{
    for (const auto &g : groups)
        if (g.groupId == id)
            return &g;
    return nullptr;
}

int ClusterSnapshot::partitionCount() const
{
    int n = 0;
    for (const auto &t : topics)
        n += int(t.partitions.size());
    return n;
}

int64_t ClusterSnapshot::replicaCount() const
{
    int64_t n = 0;
    for (const auto &t : topics)
        for (const auto &p : t.partitions)
            n += int64_t(p.replicas.size());
    return n;
}

const std::vector<std::string> &topicConfigKeys()
{
    static const std::vector<std::string> keys{"retention.ms",          "retention.bytes",       "local.retention.ms",
                                               "local.retention.bytes", "remote.storage.enable", "cleanup.policy",
                                               "min.insync.replicas",   "segment.bytes",         "compression.type"};
    return keys;
}

const std::vector<std::string> &brokerConfigKeys()
{
    static const std::vector<std::string> keys{"broker.rack",
                                               "default.replication.factor",
                                               "min.insync.replicas",
                                               "unclean.leader.election.enable",
                                               "replica.selector.class",
                                               "remote.log.storage.system.enable"};
    return keys;
}

void computeLag(ClusterSnapshot &snapshot)
{
    // Keyed by topic, then by partition; a flat map of vectors keeps this linear for 50,000 partitions.
    std::unordered_map<std::string, const TopicInfo *> topics;
    topics.reserve(snapshot.topics.size());
    for (const auto &t : snapshot.topics)
        topics.emplace(t.name, &t);
    for (auto &g : snapshot.groups) {
        for (auto &o : g.offsets) {
            o.highWatermark = -1;
            o.lag = -1;
            auto it = topics.find(o.topic);
            if (it == topics.end())
                continue;
            const PartitionInfo *p = it->second->findPartition(o.partition);
            if (!p || p->highWatermark < 0)
                continue;
            o.highWatermark = p->highWatermark;
            if (o.committed >= 0)
                o.lag = std::max<int64_t>(0, p->highWatermark - o.committed);
        }
    }
}

} // namespace kp
