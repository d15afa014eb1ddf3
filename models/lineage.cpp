#include "models/lineage.h"

#include "models/shellquote.h"

#include "models/clustersnapshot.h"
#include "models/openlineage.h"
#include "models/snapshotjson.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace kp {

const char *toString(RunBasis b)
{
    return b == RunBasis::TimeWindow ? "time window" : "group offsets";
}

const char *toString(Replayability r)
{
    switch (r) {
    case Replayability::Replayable:
        return "replayable";
    case Replayability::PartlyAgedOut:
        return "partly aged out";
    case Replayability::AgedOut:
        return "aged out";
    case Replayability::Unknown:
        return "unknown";
    }
    return "?";
}

int64_t TrainingRun::records() const
{
    int64_t n = 0;
    for (const auto &r : ranges)
        n += r.records();
    return n;
}

int64_t TrainingRun::bytes() const
{
    int64_t n = 0;
    for (const auto &r : ranges) {
        if (r.bytes < 0 && r.records() > 0)
            return -1;
        n += std::max<int64_t>(0, r.bytes);
    }
    return n;
}

RangeCheck checkRange(const OffsetRange &range, int64_t earliest, int64_t latest)
{
    RangeCheck c;
    c.earliest = earliest;
    c.latest = latest;
    if (range.records() == 0) {
        c.state = Replayability::Replayable;
        c.why = "nothing was read from this partition";
        return c;
    }
    if (earliest < 0 || latest < 0) {
        c.state = Replayability::Unknown;
        c.why = "the partition's offsets could not be read now";
        return c;
    }
    if (latest < range.end) {
        // The log was truncated or the topic recreated: offsets this run read no longer exist.
        c.state = Replayability::AgedOut;
        c.lostRecords = range.records();
        c.why = "the partition now ends at " + std::to_string(latest) + ", before the range's end " +
                std::to_string(range.end) + ": the topic was recreated or truncated";
        return c;
    }
    if (earliest <= range.start) {
        c.state = Replayability::Replayable;
        c.why = "earliest offset " + std::to_string(earliest) + " <= start " + std::to_string(range.start);
    } else if (earliest >= range.end) {
        c.state = Replayability::AgedOut;
        c.lostRecords = range.records();
        c.why = "earliest offset " + std::to_string(earliest) + " >= end " + std::to_string(range.end) +
                ": retention has deleted every record of the range";
    } else {
        c.state = Replayability::PartlyAgedOut;
        c.lostRecords = earliest - range.start;
        c.why = "earliest offset " + std::to_string(earliest) + " is inside the range: the first " +
                std::to_string(c.lostRecords) + " records are gone";
    }
    return c;
}

OffsetRange rangeForWindow(const std::string &topic, int32_t partition, int64_t fromMs, int64_t toMs, int64_t atFrom,
                           int64_t atTo, int64_t low, int64_t high)
{
    OffsetRange r;
    r.topic = topic;
    r.partition = partition;
    r.startTimeMs = fromMs;
    r.endTimeMs = toMs;
    r.start = atFrom >= 0 ? atFrom : high;
    r.end = atTo >= 0 ? atTo : high;
    if (r.end < r.start)
        r.end = r.start;
    // Kafka answers with the earliest retained offset when the window starts before it: records older than that were
    // in the window but are gone.
    r.startClipped = low > 0 && r.start == low && r.records() > 0;
    return r;
}

ReplayCommands replayCommands(const std::string &bootstrap, const OffsetRange &r)
{
    ReplayCommands c;
    const std::string count = std::to_string(r.records());
    c.kcat = "kcat -C -b " + shellQuote(bootstrap) + " -t " + shellQuote(r.topic) + " -p " +
             std::to_string(r.partition) + " -o " + std::to_string(r.start) + " -c " + count + " -e";
    c.consoleConsumer = "kafka-console-consumer.sh --bootstrap-server " + shellQuote(bootstrap) + " --topic " +
                        shellQuote(r.topic) + " --partition " + std::to_string(r.partition) + " --offset " +
                        std::to_string(r.start) + " --max-messages " + count;
    return c;
}

std::string runManifestJson(const TrainingRun &run)
{
    const auto type = run.open() ? LineageEventType::Start : LineageEventType::Complete;
    return nlohmann::json::parse(lineageEvent(run, type, kDefaultJobNamespace)).dump(2) + "\n";
}

void validate(const RunRequest &r, int64_t nowMs)
{
    if (r.jobId.empty())
        throw std::invalid_argument("a run needs its job id");
    if (r.model.empty())
        throw std::invalid_argument("a run needs the model or dataset it trained");
    if (r.topics.empty())
        throw std::invalid_argument("a run needs at least one topic");
    if (r.basis == RunBasis::TimeWindow) {
        if (r.fromMs < 0 || r.toMs < 0)
            throw std::invalid_argument("a time-window run needs its start and end");
        if (r.toMs <= r.fromMs)
            throw std::invalid_argument("the window must end after it starts");
        if (r.fromMs > nowMs)
            throw std::invalid_argument("the window starts in the future (" + formatIsoTime(r.fromMs) + ")");
    } else if (r.group.empty()) {
        throw std::invalid_argument("a group-offsets run needs the consumer group");
    }
}

TrainingRun newRun(const RunRequest &request, const ClusterSnapshot &snapshot)
{
    TrainingRun run;
    run.jobId = request.jobId;
    run.model = request.model;
    run.clusterId = snapshot.clusterId;
    run.bootstrap = snapshot.bootstrap;
    run.basis = request.basis;
    run.windowFromMs = request.basis == RunBasis::TimeWindow ? request.fromMs : -1;
    run.windowToMs = request.basis == RunBasis::TimeWindow ? request.toMs : -1;
    run.group = request.basis == RunBasis::GroupOffsets ? request.group : std::string();
    run.startedAtMs = snapshot.takenAtMs;
    run.lineageId = newLineageRunId(snapshot.takenAtMs);
    run.finishedAtMs = request.basis == RunBasis::TimeWindow ? snapshot.takenAtMs : -1;
    run.schemaVersions = request.schemaVersions;
    run.transformVersion = request.transformVersion;
    run.snapshotIds = request.snapshotIds;
    run.notes = request.notes;
    std::set<std::string> seen;
    for (const auto &t : request.topics) {
        if (!seen.insert(t).second)
            continue;
        if (!snapshot.topic(t))
            throw std::invalid_argument("the cluster has no topic \"" + t + "\"");
        run.topics.push_back(t);
    }
    return run;
}

int64_t estimatedBytes(const ClusterSnapshot &snapshot, const std::string &topic, int32_t partition, int64_t records)
{
    const TopicInfo *t = snapshot.topic(topic);
    const PartitionInfo *p = t ? t->findPartition(partition) : nullptr;
    if (!p || !p->watermarksKnown() || p->sizeBytes() < 0)
        return -1;
    // The bytes on disk are the local log's: per record over the local offsets (a tiered partition's older records
    // are in the remote tier only, and counting them made every record look a fraction of its size). A tiered
    // partition whose local log holds nothing yet takes the bytes per offset sampled from its remote tier.
    if (records <= 0)
        return 0;
    const double local = p->localBytesPerOffset();
    const double perOffset = local >= 0 ? local : t->remoteBytesPerOffset;
    if (perOffset < 0)
        return -1;
    return int64_t(perOffset * double(records) + 0.5);
}

void startGroupRun(TrainingRun &run, const ClusterSnapshot &snapshot)
{
    const ConsumerGroup *g = snapshot.group(run.group);
    if (!g)
        throw std::invalid_argument("the cluster has no consumer group \"" + run.group + "\"");
    run.ranges.clear();
    int committed = 0, fromLow = 0;
    for (const auto &topic : run.topics) {
        const TopicInfo *t = snapshot.topic(topic);
        for (const auto &p : t->partitions) {
            OffsetRange r;
            r.topic = topic;
            r.partition = p.partition;
            r.startTimeMs = r.endTimeMs = snapshot.takenAtMs;
            const auto o = std::find_if(g->offsets.begin(), g->offsets.end(), [&](const GroupOffset &go) {
                return go.topic == topic && go.partition == p.partition && go.committed >= 0;
            });
            if (o != g->offsets.end()) {
                r.start = o->committed;
                ++committed;
            } else {
                r.start = p.lowWatermark;
                ++fromLow;
            }
            r.end = r.start;
            r.bytes = 0;
            run.ranges.push_back(std::move(r));
        }
    }
    if (committed == 0)
        throw std::invalid_argument("group \"" + run.group + "\" has committed no offset on these topics");
    if (fromLow > 0)
        run.notes += std::string(run.notes.empty() ? "" : "\n") + std::to_string(fromLow) +
                     " partition(s) had no committed offset at the start: taken from their earliest offset";
}

void finishGroupRun(TrainingRun &run, const ClusterSnapshot &snapshot)
{
    const ConsumerGroup *g = snapshot.group(run.group);
    if (!g)
        throw std::invalid_argument("the cluster has no consumer group \"" + run.group + "\" any more");
    for (auto &r : run.ranges) {
        const auto o = std::find_if(g->offsets.begin(), g->offsets.end(), [&](const GroupOffset &go) {
            return go.topic == r.topic && go.partition == r.partition && go.committed >= 0;
        });
        r.end = o != g->offsets.end() ? std::max(r.start, o->committed) : r.start;
        r.endTimeMs = snapshot.takenAtMs;
        r.bytes = estimatedBytes(snapshot, r.topic, r.partition, r.records());
    }
    run.finishedAtMs = snapshot.takenAtMs;
}

void addTierSplit(RangeCheck &c, const OffsetRange &range, int64_t localStart)
{
    if (localStart < 0 || (c.state != Replayability::Replayable && c.state != Replayability::PartlyAgedOut))
        return;
    const int64_t from = std::max(range.start, c.earliest);
    const int64_t left = range.end - from;
    if (left <= 0)
        return;
    c.remoteOnlyRecords = std::clamp<int64_t>(localStart - from, 0, left);
    if (c.remoteOnlyRecords == 0)
        c.why += "; all of it on the brokers' local disks";
    else if (c.remoteOnlyRecords == left)
        c.why += "; all of it in the remote tier only (local log starts at " + std::to_string(localStart) +
                 "): a replay reads remote storage";
    else
        c.why += "; the first " + std::to_string(c.remoteOnlyRecords) + " of " + std::to_string(left) +
                 " records in the remote tier only (local log starts at " + std::to_string(localStart) + ")";
}

std::vector<RangeCheck> checkRun(const TrainingRun &run, const ClusterSnapshot &snapshot)
{
    std::vector<RangeCheck> out;
    out.reserve(run.ranges.size());
    for (const auto &r : run.ranges) {
        const TopicInfo *t = snapshot.topic(r.topic);
        const PartitionInfo *p = t ? t->findPartition(r.partition) : nullptr;
        RangeCheck c = checkRange(r, p ? p->lowWatermark : -1, p ? p->highWatermark : -1);
        if (!t && r.records() > 0) {
            c.state = Replayability::AgedOut;
            c.lostRecords = r.records();
            c.why = "the topic no longer exists";
        }
        if (t)
            c.tiered = t->configsKnown ? int(t->tiered()) : -1;
        if (t && t->tiered() && p)
            addTierSplit(c, r, p->localLogStartOffset);
        out.push_back(std::move(c));
    }
    return out;
}

RunReplaySource replaySource(const TrainingRun &run, const std::vector<RangeCheck> &checks)
{
    if (checks.size() != run.ranges.size())
        throw std::invalid_argument("the run's checks do not match its ranges");
    RunReplaySource out;
    for (size_t i = 0; i < checks.size(); ++i) {
        const OffsetRange &r = run.ranges[i];
        const RangeCheck &c = checks[i];
        const int64_t left = std::max<int64_t>(0, r.records() - c.lostRecords);
        out.records += left;
        out.lostRecords += r.records() - left;
        if (left == 0)
            continue;
        if (out.bytes >= 0)
            out.bytes = r.bytes < 0 ? -1 : out.bytes + int64_t(double(r.bytes) * double(left) / double(r.records()));
        // A topic that is not tiered holds everything locally; a tiered one says how much is remote only, if known.
        const int64_t remote = c.tiered == 0 ? 0 : c.tiered == 1 ? c.remoteOnlyRecords : -1;
        if (c.state == Replayability::Unknown || remote < 0)
            out.remoteRecords = -1;
        else if (out.remoteRecords >= 0)
            out.remoteRecords += remote;
    }
    return out;
}

} // namespace kp
