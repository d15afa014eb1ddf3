#include "models/review.h"

#include "models/formaterror.h"
#include "models/jsonreader.h"

#include <set>

namespace kp {

const char *toString(ReviewColor c)
{
    switch (c) {
    case ReviewColor::Green:
        return "GREEN";
    case ReviewColor::Yellow:
        return "YELLOW";
    case ReviewColor::Red:
        return "RED";
    case ReviewColor::NotApplicable:
        return "N/A";
    }
    return "?";
}

const char *toString(EvidenceBasis b)
{
    switch (b) {
    case EvidenceBasis::None:
        return "none";
    case EvidenceBasis::Measured:
        return "measured";
    case EvidenceBasis::Drill:
        return "drill";
    case EvidenceBasis::Vendor:
        return "vendor claim";
    case EvidenceBasis::Pilot:
        return "pilot";
    }
    return "?";
}

std::optional<EvidenceBasis> evidenceBasisFromString(const std::string &text)
{
    if (text == "vendor")
        return EvidenceBasis::Vendor;
    for (EvidenceBasis e : kEvidenceBases)
        if (text == toString(e))
            return e;
    return std::nullopt;
}

void applyItemEdit(ReviewItem &item, const ItemEdit &edit, int64_t nowMs)
{
    auto take = [](std::string &field, const std::optional<std::string> &v) {
        if (v)
            field = *v;
    };
    take(item.ownerPerson, edit.ownerPerson);
    take(item.ownerTeam, edit.ownerTeam);
    take(item.runbook, edit.runbook);
    take(item.threshold, edit.threshold);
    take(item.metric, edit.metric);
    take(item.notes, edit.notes);
    const EvidenceBasis basis = edit.basis.value_or(item.evidence.basis);
    const bool passes = edit.passes.value_or(item.evidence.passes);
    const std::string detail = edit.evidenceDetail.value_or(item.evidence.detail);
    if (basis != item.evidence.basis || passes != item.evidence.passes || detail != item.evidence.detail)
        item.evidence.collectedAtMs = nowMs;
    if (basis != EvidenceBasis::Drill)
        item.evidence.failurePathExercised = false;
    item.evidence.basis = basis;
    item.evidence.passes = passes;
    item.evidence.detail = detail;
    if (edit.notApplicable)
        item.notApplicable = *edit.notApplicable;
    take(item.notApplicableReason, edit.notApplicableReason);
    take(item.waiverReason, edit.waiverReason);
    if (edit.waiverExpiresMs)
        item.waiverExpiresMs = *edit.waiverExpiresMs;
}

ItemStatus evaluateItem(const ReviewItem &item, int64_t nowMs, const ScorecardRules &rules)
{
    ItemStatus s;
    if (item.notApplicable) {
        if (!item.notApplicableReason.empty()) {
            s.color = ReviewColor::NotApplicable;
            s.reasons.push_back("not applicable: " + item.notApplicableReason);
            return s;
        }
        s.color = ReviewColor::Yellow;
        s.reasons.push_back("marked not applicable without a reason");
        return s;
    }

    // Red: a failing check, or nothing but intuition, a vendor's claim or a pilot that did not exercise the failure.
    std::vector<std::string> red;
    const Evidence &e = item.evidence;
    if (e.basis == EvidenceBasis::None)
        red.push_back("no evidence: relying on intuition");
    else if (e.basis == EvidenceBasis::Vendor)
        red.push_back("evidence is a vendor claim, not a measurement");
    else if (e.basis == EvidenceBasis::Pilot && (item.drill ? !e.failurePathExercised : true))
        red.push_back(item.drill ? "a pilot that did not exercise the failure path"
                                 : "a pilot, not a repeatable measurement");
    else if (!e.passes)
        red.push_back("the check fails" + (e.detail.empty() ? std::string() : ": " + e.detail));
    if (item.drill && e.basis != EvidenceBasis::None && e.passes && !e.failurePathExercised &&
        e.basis != EvidenceBasis::Pilot)
        red.push_back("the failure path was not seen happening: the drill did not exercise it");

    // Yellow: the risk is understood but something of the scorecard is missing, or the evidence is stale.
    std::vector<std::string> yellow;
    if (item.ownerPerson.empty() || item.ownerTeam.empty())
        yellow.push_back(item.ownerPerson.empty() && item.ownerTeam.empty() ? "no owner"
                         : item.ownerPerson.empty()                         ? "no named person owns it"
                                                                            : "no owning team");
    if (item.runbook.empty())
        yellow.push_back("no runbook or repeatable command");
    if (item.threshold.empty())
        yellow.push_back("no pass/fail threshold");
    if (item.metric.empty())
        yellow.push_back("no observable metric");
    if (e.basis != EvidenceBasis::None && e.collectedAtMs > 0 && nowMs - e.collectedAtMs > rules.staleAfterMs)
        yellow.push_back("the evidence is stale (older than " + std::to_string(rules.staleAfterMs / 86400000) +
                         " days)");

    const bool waived = item.waiverExpiresMs > nowMs && !item.waiverReason.empty();
    if (!red.empty()) {
        if (waived) {
            s.color = ReviewColor::Yellow;
            s.reasons.push_back("waived until the expiry: " + item.waiverReason);
            s.reasons.insert(s.reasons.end(), red.begin(), red.end());
        } else {
            s.color = ReviewColor::Red;
            s.reasons = red;
            if (item.waiverExpiresMs > 0 && item.waiverExpiresMs <= nowMs)
                s.reasons.push_back("the waiver has expired");
        }
        s.reasons.insert(s.reasons.end(), yellow.begin(), yellow.end());
        return s;
    }
    if (!yellow.empty()) {
        s.color = ReviewColor::Yellow;
        s.reasons = yellow;
        return s;
    }
    s.color = ReviewColor::Green;
    s.reasons.push_back("owned by " + item.ownerPerson + " (" + item.ownerTeam +
                        "), runbook, threshold and metric set, " + toString(e.basis) + " evidence passes");
    return s;
}

std::vector<ReviewPass> readReviewPasses(const JsonReader &passes,
                                         const std::function<void(const JsonReader &, ReviewItem &)> &more)
{
    if (passes.arraySize() == 0)
        passes.fail("must list at least one pass");
    std::vector<ReviewPass> out;
    std::set<std::string> ids;
    for (size_t i = 0; i < passes.arraySize(); ++i) {
        const JsonReader pr = passes.at(i);
        ReviewPass pass;
        pass.id = pr.field("id").string();
        pass.title = pr.field("title").string();
        const JsonReader items = pr.field("items");
        for (size_t k = 0; k < items.arraySize(); ++k) {
            const JsonReader ir = items.at(k);
            ReviewItem item;
            item.id = ir.field("id").string();
            if (item.id.empty())
                ir.field("id").fail("must not be empty");
            if (!ids.insert(item.id).second)
                ir.field("id").fail("\"" + item.id + "\" is used twice");
            item.title = ir.field("title").string();
            item.drill = ir.booleanOr("drill", false);
            item.metric = ir.stringOr("metric", "");
            item.threshold = ir.stringOr("threshold", "");
            item.runbook = ir.stringOr("runbook", "");
            if (more)
                more(ir, item);
            pass.items.push_back(std::move(item));
        }
        out.push_back(std::move(pass));
    }
    return out;
}

ReviewTemplate reviewTemplateFromJson(const std::string &text)
{
    const nlohmann::json doc =
        parseVersionedDocument(text, "kafka-planner-review-template", ReviewTemplate::kFormatVersion);
    JsonReader root(doc, "");
    ReviewTemplate t;
    t.name = root.field("name").string();
    t.passes = readReviewPasses(root.field("passes"), {});
    return t;
}

} // namespace kp

#include "models/overview.h"
#include "models/traffic.h"
#include "models/units.h"

#include <regex>
#include <set>

namespace kp {

namespace {

void addFailure(Evidence &e, const std::string &why)
{
    e.passes = false;
    e.detail += (e.detail.empty() ? "" : "; ") + why;
}

std::vector<const TopicInfo *> pipelineTopics(const ClusterSnapshot &s, const std::string &pattern)
{
    std::regex re;
    try {
        re = std::regex(pattern);
    } catch (const std::regex_error &) {
        throw std::invalid_argument("pipeline topics: '" + pattern + "' is not a valid regular expression");
    }
    std::vector<const TopicInfo *> topics;
    for (const auto &t : s.topics)
        if (!t.internal && std::regex_search(t.name, re))
            topics.push_back(&t);
    return topics;
}

// RF, min.insync.replicas, rack placement and unclean leader election of the pipeline's topics.
Evidence replicationEvidence(const ClusterSnapshot &s, const std::vector<const TopicInfo *> &topics, const Overview &o,
                             const std::string &pattern)
{
    Evidence replication{EvidenceBasis::Measured, true, s.takenAtMs, "", false};
    if (topics.empty())
        addFailure(replication, "no topic matches the pipeline's '" + pattern + "'");
    for (const TopicInfo *t : topics) {
        const int rf = t->replicationFactor();
        const int minIsr = minInsyncReplicas(s, *t);
        if (rf < 3)
            addFailure(replication, t->name + " has RF " + std::to_string(rf));
        if (minIsr < 0)
            addFailure(replication, t->name + ": min.insync.replicas could not be read");
        else if (minIsr < 2)
            addFailure(replication, t->name + " has min.insync.replicas " + std::to_string(minIsr));
        for (const auto &v : o.rackViolations)
            if (v.topic == t->name)
                addFailure(replication, t->name + "-" + std::to_string(v.partition) + ": " + v.detail);
    }
    bool brokerConfigsRead = false;
    for (const auto &b : s.brokers) {
        if (b.configs.empty())
            continue;
        brokerConfigsRead = true;
        if (auto it = b.configs.find("unclean.leader.election.enable"); it != b.configs.end() && it->second == "true")
            addFailure(replication, "broker " + std::to_string(b.id) + " allows unclean leader election");
    }
    if (!brokerConfigsRead)
        addFailure(replication, "the broker configs could not be read (unclean leader election unknown)");
    if (!o.racksKnown)
        addFailure(replication, "the brokers' racks could not be read (placement unknown)");
    if (replication.passes)
        replication.detail = std::to_string(topics.size()) + " pipeline topic(s): RF >= 3, min.insync.replicas >= 2, "
                                                             "replicas on distinct racks, unclean leader election off";
    return replication;
}

// Tiered storage: how much of the replay window is on local disk, the rest comes from the remote tier.
void describeTiers(Evidence &retained, const TopicInfo &t, const Overview &o)
{
    const auto local = t.configs.find("local.retention.ms");
    const double localMs = local == t.configs.end() ? -2 : std::atof(local->second.c_str());
    retained.detail +=
        (retained.detail.empty() ? "" : "; ") + t.name + " is tiered" +
        (localMs >= 0 ? ", " + std::to_string(int64_t(localMs / 3.6e6)) + " h local: older replays read the remote tier"
                      : ", all of it local (local.retention.ms -2)");
    for (const auto &stall : o.tieredUploadsStalled)
        if (stall.topic == t.name)
            addFailure(retained, t.name + "-" + std::to_string(stall.partition) + ": " + stall.detail);
    // What the brokers said of the tiers (ListOffsets -4), where the snapshot read it.
    if (const int64_t remoteOffsets = t.remoteOnlyOffsets(); remoteOffsets >= 0) {
        const int64_t bytes = t.remoteBytesEstimate();
        retained.detail += " (now " + std::to_string(remoteOffsets) + " offsets" +
                           (bytes >= 0 ? ", about " + formatBytes(bytes) : std::string()) + " in the remote tier only)";
    }
}

// Whether each pipeline topic keeps the replay window, and where its older data lives.
Evidence retainedEvidence(const ClusterSnapshot &s, const std::vector<const TopicInfo *> &topics, const Overview &o,
                          const AutoEvidenceInputs &in)
{
    Evidence retained{EvidenceBasis::Measured, true, s.takenAtMs, "", false};
    if (topics.empty())
        addFailure(retained, "no topic matches the pipeline's '" + in.pipelineTopics + "'");
    for (const TopicInfo *t : topics) {
        const auto it = t->configs.find("retention.ms");
        if (!t->configsKnown || it == t->configs.end()) {
            addFailure(retained, t->name + ": retention could not be read");
        } else {
            const double ms = std::atof(it->second.c_str());
            if (ms >= 0 && ms < in.replayWindowHours * 3.6e6)
                addFailure(retained, t->name + " keeps " + std::to_string(int64_t(ms / 3.6e6)) + " h, less than the " +
                                         std::to_string(int64_t(in.replayWindowHours)) + " h replay window");
        }
    }
    for (const TopicInfo *t : topics)
        if (t->tiered())
            describeTiers(retained, *t, o);
    if (retained.passes)
        retained.detail = "every pipeline topic keeps at least the " + std::to_string(int64_t(in.replayWindowHours)) +
                          " h replay window" + (retained.detail.empty() ? "" : "; " + retained.detail);
    return retained;
}

// A group's committed offsets below the earliest retained offset: "" when none, else the count and the first.
std::string offsetsBelowStart(const ClusterSnapshot &s, const ConsumerGroup &g, const std::set<std::string> &pipeline)
{
    int belowStart = 0;
    std::string first;
    for (const auto &o : g.offsets) {
        if (!pipeline.count(o.topic) || o.committed < 0)
            continue;
        const TopicInfo *t = s.topic(o.topic);
        const PartitionInfo *p = t ? t->findPartition(o.partition) : nullptr;
        if (p && p->lowWatermark >= 0 && o.committed < p->lowWatermark) {
            if (belowStart++ == 0)
                first = o.topic.str() + "-" + std::to_string(o.partition) + " at " + std::to_string(o.committed) +
                        " < earliest " + std::to_string(p->lowWatermark);
        }
    }
    return belowStart == 0 ? std::string() : std::to_string(belowStart) + " partition(s) (" + first + ")";
}

// Consumer group health on the pipeline's topics; `groupCount` the groups that read them.
Evidence groupEvidence(const ClusterSnapshot &s, const std::vector<const TopicInfo *> &topics, int &groupCount)
{
    Evidence groups{EvidenceBasis::Measured, true, s.takenAtMs, "", false};
    groupCount = 0;
    std::set<std::string> pipelineNames;
    for (const TopicInfo *t : topics)
        pipelineNames.insert(t->name);
    for (const auto &g : s.groups) {
        bool reads = false;
        for (const auto &o : g.offsets)
            reads = reads || pipelineNames.count(o.topic) > 0;
        if (!reads)
            continue;
        ++groupCount;
        if (!g.error.empty() || !g.offsetsKnown)
            addFailure(groups,
                       g.groupId + ": offsets could not be read" + (g.error.empty() ? "" : " (" + g.error + ")"));
        if (g.state == "Dead")
            addFailure(groups, g.groupId + " is Dead");
        if (const std::string below = offsetsBelowStart(s, g, pipelineNames); !below.empty())
            addFailure(groups, g.groupId + " has committed offsets below the earliest retained offset on " + below +
                                   ": it will reset by auto.offset.reset on its next start");
    }
    if (groupCount == 0)
        addFailure(groups, "no consumer group reads the pipeline's topics");
    if (groups.passes)
        groups.detail = std::to_string(groupCount) + " group(s) on the pipeline's topics, offsets readable, none "
                                                     "below the earliest retained offset";
    return groups;
}

// Cross-AZ transfer per byte produced, from the real placement, against the team's budget.
Evidence crossAzEvidence(const ClusterSnapshot &s, const std::vector<const TopicInfo *> &topics, int groupCount,
                         double budget)
{
    std::set<std::string> racks;
    for (const auto &b : s.brokers)
        racks.insert(b.rack);
    const double n = double(racks.size());
    double bytes = 0, replicaCross = 0;
    for (const TopicInfo *t : topics)
        for (const auto &p : t->partitions) {
            const BrokerInfo *leader = s.broker(p.leader);
            const double size = std::max<int64_t>(1, p.sizeBytes()); // weight by size; unknown counts once
            bytes += size;
            if (!leader)
                continue;
            int cross = 0;
            for (int32_t r : p.replicas)
                if (const BrokerInfo *b = s.broker(r); b && r != p.leader && b->rack != leader->rack)
                    ++cross;
            replicaCross += size * cross;
        }
    const bool followerFetching = followerFetchingConfigured(s);
    int rf = 0;
    for (const TopicInfo *t : topics)
        rf = std::max(rf, t->replicationFactor());
    const double spread = n > 1 ? (n - 1) / n : 0;
    const double consumers = followerFetching ? groupCount * std::max(0.0, n - rf) / n : groupCount * spread;
    const double factor = spread + (bytes > 0 ? replicaCross / bytes : 0) + consumers;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%.2f cross-AZ bytes per byte produced (producers %.2f + replication %.2f + %d group(s) %.2f%s) "
                  "against a budget of %.2f",
                  factor, spread, bytes > 0 ? replicaCross / bytes : 0, groupCount, consumers,
                  followerFetching ? ", follower fetching on" : "", budget);
    return {EvidenceBasis::Measured, factor <= budget + 1e-9, s.takenAtMs, buf, false};
}

} // namespace

std::map<std::string, Evidence> autoEvidence(const ClusterSnapshot &s, const AutoEvidenceInputs &in)
{
    const std::vector<const TopicInfo *> topics = pipelineTopics(s, in.pipelineTopics);
    const Overview o = computeOverview(s);
    std::map<std::string, Evidence> out;
    int groupCount = 0;
    out["offset-behaviour"] = groupEvidence(s, topics, groupCount);
    if (in.crossAzFactorBudget > 0 && o.racksKnown && !topics.empty())
        out["cross-az-transfer"] = crossAzEvidence(s, topics, groupCount, in.crossAzFactorBudget);
    out["replication"] = replicationEvidence(s, topics, o, in.pipelineTopics);
    out["retained-data"] = retainedEvidence(s, topics, o, in);
    return out;
}

} // namespace kp
