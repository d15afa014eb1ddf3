#include "models/reviewdoc.h"

#include "models/jsonreader.h"
#include "models/laghistoryjson.h"
#include "models/snapshotjson.h"

#include <QCryptographicHash>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <regex>
#include <set>

namespace kp {

using nlohmann::json;

namespace {

std::string isoOrEmpty(int64_t ms)
{
    return ms > 0 ? formatIsoTime(ms) : std::string();
}

int64_t timeOr(const JsonReader &r, const char *key)
{
    if (!r.has(key))
        return 0;
    const std::string text = r.field(key).string();
    if (text.empty())
        return 0;
    try {
        return parseTimeMs(text);
    } catch (const FormatError &e) {
        r.field(key).fail(e.what());
    }
}

EvidenceBasis basisFrom(const JsonReader &r)
{
    if (const auto basis = evidenceBasisFromString(r.string()))
        return *basis;
    r.fail("must be none, measured, drill, vendor claim or pilot");
}

json sampleJson(const DrillSample &d)
{
    return {{"at", formatIsoTime(d.takenAtMs)},
            {"brokers", d.brokers},
            {"underReplicated", d.underReplicated},
            {"offline", d.offline},
            {"leaderMoves", d.leaderMoves},
            {"pipelineLag", d.pipelineLag},
            {"notes", d.notes}};
}

json docJson(const ReviewDocument &doc, bool withMilestones)
{
    json passes = json::array();
    for (const auto &p : doc.passes) {
        json items = json::array();
        for (const auto &i : p.items)
            items.push_back({{"id", i.id},
                             {"title", i.title},
                             {"drill", i.drill},
                             {"ownerPerson", i.ownerPerson},
                             {"ownerTeam", i.ownerTeam},
                             {"runbook", i.runbook},
                             {"threshold", i.threshold},
                             {"metric", i.metric},
                             {"notes", i.notes},
                             {"notApplicable", i.notApplicable},
                             {"notApplicableReason", i.notApplicableReason},
                             {"waiverReason", i.waiverReason},
                             {"waiverExpires", isoOrEmpty(i.waiverExpiresMs)},
                             {"evidence",
                              {{"basis", toString(i.evidence.basis)},
                               {"passes", i.evidence.passes},
                               {"collectedAt", isoOrEmpty(i.evidence.collectedAtMs)},
                               {"detail", i.evidence.detail},
                               {"failurePathExercised", i.evidence.failurePathExercised}}}});
        passes.push_back({{"id", p.id}, {"title", p.title}, {"items", std::move(items)}});
    }
    json drills = json::array();
    for (const auto &d : doc.drills) {
        json samples = json::array();
        for (const auto &s : d.samples)
            samples.push_back(sampleJson(s));
        const DrillSummary &m = d.summary;
        drills.push_back({{"item", d.item},
                          {"startedAt", formatIsoTime(m.startedAtMs)},
                          {"endedAt", formatIsoTime(m.endedAtMs)},
                          {"failureSeen", m.failureSeen},
                          {"brokersAtStart", m.brokersAtStart},
                          {"fewestBrokers", m.fewestBrokers},
                          {"maxUnderReplicated", m.maxUnderReplicated},
                          {"maxOffline", m.maxOffline},
                          {"leaderMoves", m.leaderMoves},
                          {"maxPipelineLag", m.maxPipelineLag},
                          {"recoverySeconds", m.recoverySeconds()},
                          {"summary", m.describe()},
                          {"samples", std::move(samples)}});
    }
    json j{{"format", "kafka-planner-review"},
           {"version", ReviewDocument::kFormatVersion},
           {"name", doc.name},
           {"updatedAt", isoOrEmpty(doc.updatedAtMs)},
           {"inputs",
            {{"pipelineTopics", doc.inputs.pipelineTopics},
             {"replayWindowHours", doc.inputs.replayWindowHours},
             {"crossAzFactorBudget", doc.inputs.crossAzFactorBudget}}},
           {"passes", std::move(passes)},
           {"drills", std::move(drills)}};
    if (withMilestones) {
        j["milestones"] = json::array();
        for (const auto &m : doc.milestones)
            j["milestones"].push_back({{"name", m.name},
                                       {"createdAt", formatIsoTime(m.createdAtMs)},
                                       {"sha256", m.sha256},
                                       {"document", m.document}});
    }
    return j;
}

std::string sha256(const std::string &text)
{
    return QCryptographicHash::hash(QByteArray::fromStdString(text), QCryptographicHash::Sha256).toHex().toStdString();
}

} // namespace

ReviewItem *ReviewDocument::item(const std::string &id)
{
    for (auto &p : passes)
        for (auto &i : p.items)
            if (i.id == id)
                return &i;
    return nullptr;
}

const ReviewItem *ReviewDocument::item(const std::string &id) const
{
    return const_cast<ReviewDocument *>(this)->item(id);
}

ReviewDocument newReview(const ReviewTemplate &t, const std::string &name)
{
    ReviewDocument d;
    d.name = name.empty() ? t.name : name;
    d.passes = t.passes;
    return d;
}

std::string reviewToJson(const ReviewDocument &doc, bool withMilestones)
{
    return docJson(doc, withMilestones).dump(2) + "\n";
}

namespace {

void readInputs(const JsonReader &in, ReviewInputs &inputs)
{
    in.requireObject();
    inputs.pipelineTopics = in.stringOr("pipelineTopics", ".*");
    if (in.has("replayWindowHours"))
        inputs.replayWindowHours = in.field("replayWindowHours").number();
    if (inputs.replayWindowHours <= 0)
        in.field("replayWindowHours").fail("must be more than 0");
    if (in.has("crossAzFactorBudget"))
        inputs.crossAzFactorBudget = in.field("crossAzFactorBudget").number();
    if (inputs.crossAzFactorBudget < 0)
        in.field("crossAzFactorBudget").fail("must not be negative");
}

// What a team filled in for one item: owners, notes, applicability, waiver, evidence.
void readItemFacts(const JsonReader &ir, ReviewItem &it)
{
    it.ownerPerson = ir.stringOr("ownerPerson", "");
    it.ownerTeam = ir.stringOr("ownerTeam", "");
    it.notes = ir.stringOr("notes", "");
    it.notApplicable = ir.booleanOr("notApplicable", false);
    it.notApplicableReason = ir.stringOr("notApplicableReason", "");
    it.waiverReason = ir.stringOr("waiverReason", "");
    it.waiverExpiresMs = timeOr(ir, "waiverExpires");
    if (it.waiverExpiresMs > 0 && it.waiverReason.empty())
        ir.field("waiverReason").fail("a waiver needs its reason");
    if (ir.has("evidence")) {
        const JsonReader er = ir.field("evidence");
        er.requireObject();
        if (er.has("basis"))
            it.evidence.basis = basisFrom(er.field("basis"));
        it.evidence.passes = er.booleanOr("passes", false);
        it.evidence.collectedAtMs = timeOr(er, "collectedAt");
        it.evidence.detail = er.stringOr("detail", "");
        it.evidence.failurePathExercised = er.booleanOr("failurePathExercised", false);
    }
}

DrillRecord drillFromJson(const JsonReader &dr)
{
    DrillRecord rec;
    rec.item = dr.field("item").string();
    if (dr.has("samples")) {
        const JsonReader ss = dr.field("samples");
        for (size_t k = 0; k < ss.arraySize(); ++k) {
            const JsonReader sr = ss.at(k);
            DrillSample s;
            s.takenAtMs = timeOr(sr, "at");
            s.brokers = int(sr.field("brokers").integer());
            s.underReplicated = int(sr.field("underReplicated").integer());
            s.offline = int(sr.field("offline").integer());
            s.leaderMoves = int(sr.integerOr("leaderMoves", 0));
            s.pipelineLag = sr.integerOr("pipelineLag", -1);
            rec.samples.push_back(std::move(s));
        }
    }
    // The summary is recomputed from the samples: what the app saw decides, not what a file says.
    rec.summary = summarizeDrill(rec.samples);
    return rec;
}

// Milestones: names used once, each frozen copy matching its sha256.
std::vector<Milestone> milestonesFromJson(const JsonReader &ms)
{
    std::vector<Milestone> out;
    std::set<std::string> names;
    for (size_t i = 0; i < ms.arraySize(); ++i) {
        const JsonReader mr = ms.at(i);
        Milestone m;
        m.name = mr.field("name").string();
        if (!names.insert(m.name).second)
            mr.field("name").fail("\"" + m.name + "\" is used twice");
        m.createdAtMs = timeOr(mr, "createdAt");
        m.sha256 = mr.field("sha256").string();
        m.document = mr.field("document").string();
        if (sha256(m.document) != m.sha256)
            mr.field("document").fail("does not match its sha256: the frozen copy was altered");
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace

ReviewDocument reviewFromJson(const std::string &text)
{
    const json j = parseVersionedDocument(text, "kafka-planner-review", ReviewDocument::kFormatVersion);
    JsonReader root(j, "");
    ReviewDocument d;
    d.name = root.field("name").string();
    d.updatedAtMs = timeOr(root, "updatedAt");
    if (root.has("inputs"))
        readInputs(root.field("inputs"), d.inputs);
    d.passes = readReviewPasses(root.field("passes"), readItemFacts);
    if (root.has("drills")) {
        const JsonReader drills = root.field("drills");
        for (size_t i = 0; i < drills.arraySize(); ++i)
            d.drills.push_back(drillFromJson(drills.at(i)));
    }
    if (root.has("milestones"))
        d.milestones = milestonesFromJson(root.field("milestones"));
    return d;
}

const Milestone &addMilestone(ReviewDocument &doc, const std::string &name, int64_t nowMs)
{
    if (name.empty())
        throw std::invalid_argument("a milestone needs a name");
    for (const auto &m : doc.milestones)
        if (m.name == name)
            throw std::invalid_argument("there is already a milestone \"" + name + "\"");
    Milestone m;
    m.name = name;
    m.createdAtMs = nowMs;
    ReviewDocument frozen = doc;
    frozen.updatedAtMs = nowMs;
    m.document = docJson(frozen, false).dump();
    m.sha256 = sha256(m.document);
    doc.milestones.push_back(std::move(m));
    return doc.milestones.back();
}

ReviewDocument milestoneReview(const Milestone &m)
{
    if (sha256(m.document) != m.sha256)
        throw FormatError("milestone \"" + m.name + "\" does not match its sha256: the frozen copy was altered");
    return reviewFromJson(m.document);
}

std::vector<ItemChange> compareReviews(const ReviewDocument &a, int64_t aAt, const ReviewDocument &b, int64_t bAt)
{
    std::vector<ItemChange> out;
    auto field = [](std::vector<std::string> &changes, const char *name, const std::string &x, const std::string &y) {
        if (x != y)
            changes.push_back(std::string(name) + ": '" + x + "' -> '" + y + "'");
    };
    for (const auto &pass : b.passes)
        for (const auto &after : pass.items) {
            ItemChange c;
            c.item = after.id;
            c.title = after.title;
            c.after = evaluateItem(after, bAt).color;
            const ReviewItem *before = a.item(after.id);
            if (!before) {
                c.before = c.after;
                c.changes.push_back("new item");
                out.push_back(std::move(c));
                continue;
            }
            c.before = evaluateItem(*before, aAt).color;
            if (c.before != c.after)
                c.changes.push_back(std::string("colour: ") + toString(c.before) + " -> " + toString(c.after));
            field(c.changes, "owner", before->ownerPerson + " (" + before->ownerTeam + ")",
                  after.ownerPerson + " (" + after.ownerTeam + ")");
            field(c.changes, "runbook", before->runbook, after.runbook);
            field(c.changes, "threshold", before->threshold, after.threshold);
            field(c.changes, "metric", before->metric, after.metric);
            field(c.changes, "notes", before->notes, after.notes);
            field(c.changes, "not applicable", before->notApplicable ? before->notApplicableReason : "",
                  after.notApplicable ? after.notApplicableReason : "");
            field(c.changes, "waiver", before->waiverReason + " " + isoOrEmpty(before->waiverExpiresMs),
                  after.waiverReason + " " + isoOrEmpty(after.waiverExpiresMs));
            auto evidence = [](const Evidence &e) {
                return std::string(toString(e.basis)) + (e.passes ? ", passes" : ", fails") +
                       (e.failurePathExercised ? ", exercised" : "") + (e.detail.empty() ? "" : ": " + e.detail);
            };
            field(c.changes, "evidence", evidence(before->evidence), evidence(after.evidence));
            if (!c.changes.empty())
                out.push_back(std::move(c));
        }
    for (const auto &pass : a.passes)
        for (const auto &before : pass.items)
            if (!b.item(before.id)) {
                ItemChange c;
                c.item = before.id;
                c.title = before.title;
                c.before = c.after = evaluateItem(before, aAt).color;
                c.changes.push_back("item removed");
                out.push_back(std::move(c));
            }
    return out;
}

std::vector<std::string> applyEvidence(ReviewDocument &doc, const std::map<std::string, Evidence> &evidence)
{
    std::vector<std::string> set;
    for (const auto &[id, e] : evidence)
        if (ReviewItem *it = doc.item(id)) {
            it->evidence = e;
            set.push_back(id);
        }
    return set;
}

namespace {

// The run a rollback would go back to: the latest that has its end offsets.
const TrainingRun *latestFinished(const std::vector<TrainingRun> &runs)
{
    const TrainingRun *latest = nullptr;
    for (const auto &r : runs)
        if (!r.open() && (!latest || r.startedAtMs > latest->startedAtMs))
            latest = &r;
    return latest;
}

} // namespace

std::map<std::string, Evidence> pipelineLineageEvidence(const std::vector<TrainingRun> &runs,
                                                        const ClusterSnapshot &snapshot,
                                                        const std::string &pipelineTopics)
{
    const std::regex re(pipelineTopics);
    std::vector<TrainingRun> pipeline;
    for (const auto &r : runs)
        if (r.clusterId == snapshot.clusterId &&
            std::any_of(r.topics.begin(), r.topics.end(),
                        [&](const std::string &t) { return std::regex_search(t, re); }))
            pipeline.push_back(r);
    const TrainingRun *latest = latestFinished(pipeline);
    return lineageEvidence(pipeline, latest ? checkRun(*latest, snapshot) : std::vector<RangeCheck>{},
                           snapshot.takenAtMs);
}

std::map<std::string, Evidence> lineageEvidence(const std::vector<TrainingRun> &runs,
                                                const std::vector<RangeCheck> &latestChecks, int64_t nowMs)
{
    std::map<std::string, Evidence> out;
    const char *ids[] = {"offset-ranges", "job-ids", "schema-transform-versions", "source-snapshots", "rollback"};
    if (runs.empty()) {
        for (const char *id : ids)
            out[id] = {EvidenceBasis::Measured, false, nowMs,
                       "no training run recorded on the pipeline's topics (kafka-planner run record)", false};
        return out;
    }
    auto missing = [&](auto has, const std::string &what) {
        std::string names;
        int n = 0;
        for (const auto &r : runs)
            if (!has(r) && n++ < 5)
                names += (names.empty() ? "" : ", ") + std::to_string(r.id) + " (" + r.jobId + ")";
        Evidence e{EvidenceBasis::Measured, n == 0, nowMs, "", false};
        e.detail = n == 0 ? std::to_string(runs.size()) + " run(s) recorded, every one with " + what
                          : std::to_string(n) + " of " + std::to_string(runs.size()) + " run(s) without " + what +
                                ": " + names;
        return e;
    };
    out["offset-ranges"] = missing([](const TrainingRun &r) { return !r.open() && !r.ranges.empty(); },
                                   "its offset ranges (open group runs have no end yet)");
    out["job-ids"] = missing([](const TrainingRun &r) { return !r.jobId.empty(); }, "a job id");
    out["schema-transform-versions"] =
        missing([](const TrainingRun &r) { return !r.schemaVersions.empty() && !r.transformVersion.empty(); },
                "schema and transformation versions");
    out["source-snapshots"] =
        missing([](const TrainingRun &r) { return !r.snapshotIds.empty(); }, "source snapshot ids");
    const TrainingRun *latest = latestFinished(runs);
    Evidence rollback{EvidenceBasis::Measured, false, nowMs, "", false};
    if (!latest) {
        rollback.detail = "no finished run to roll back to";
    } else {
        int64_t lost = 0;
        int bad = 0;
        for (const auto &c : latestChecks)
            if (c.state != Replayability::Replayable) {
                ++bad;
                lost += c.lostRecords;
            }
        rollback.passes = bad == 0 && latestChecks.size() == latest->ranges.size();
        rollback.detail = "latest run " + std::to_string(latest->id) + " (" + latest->jobId + ", " +
                          std::to_string(latest->records()) + " records): " +
                          (rollback.passes ? std::string("every range still replayable")
                                           : std::to_string(bad) + " range(s) not replayable, " + std::to_string(lost) +
                                                 " records gone");
    }
    out["rollback"] = rollback;
    return out;
}

void applyDrill(ReviewDocument &doc, const DrillRecord &drill)
{
    ReviewItem *it = doc.item(drill.item);
    if (!it)
        throw std::invalid_argument("the review has no item \"" + drill.item + "\"");
    const DrillSummary &m = drill.summary;
    it->evidence.basis = EvidenceBasis::Drill;
    it->evidence.collectedAtMs = m.endedAtMs;
    it->evidence.failurePathExercised = m.failureSeen;
    it->evidence.passes = m.failureSeen && m.recoveredAtMs >= 0 && m.maxOffline == 0;
    it->evidence.detail = m.describe();
    if (m.failureSeen && m.maxOffline > 0)
        it->evidence.detail += "; partitions went offline";
    doc.drills.push_back(drill);
}

namespace {

// The first duration in a threshold's text ("lag under 60s", "5 min", "2 h") in seconds; empty when it names none.
std::optional<double> thresholdSeconds(const std::string &text)
{
    static const std::regex re(R"((\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?|min|minutes?|m|h|hours?)\b)");
    std::smatch m;
    if (!std::regex_search(text, m, re))
        return std::nullopt;
    const double v = std::stod(m[1].str());
    const std::string u = m[2].str();
    return u == "ms" ? v / 1000 : u[0] == 's' ? v : u[0] == 'm' ? v * 60 : v * 3600;
}

std::string shown(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", v);
    return text;
}

} // namespace

void applyProbe(ReviewDocument &doc, const std::string &item, const ProbeResult &probe)
{
    ReviewItem *it = doc.item(item);
    if (!it)
        throw std::invalid_argument("the review has no item \"" + item + "\"");
    if (!it->drill)
        throw std::invalid_argument(item + " is not a drill item: a probe is evidence for a replay drill");
    const auto given = thresholdSeconds(it->threshold);
    const double limit = given.value_or(60);
    const double rate = probe.producePerSecond.value_or(0);
    std::string groups;
    bool over = false;
    for (const auto &g : probe.groups) {
        const double behind = rate > 0 && g.lagPeak > 0 ? double(g.lagPeak) / rate : 0;
        over = over || behind > limit;
        groups += "; " + g.group + " lag " + std::to_string(g.lagBefore) + " -> peak " + std::to_string(g.lagPeak) +
                  " (" + shown(behind) + " s of production) -> " + std::to_string(g.lagAfter);
    }
    const bool saturated = !probe.request.throttleMBps && probe.seconds >= 5;
    it->evidence.basis = EvidenceBasis::Measured;
    it->evidence.collectedAtMs = probe.startedAtMs + int64_t(probe.seconds * 1000);
    it->evidence.failurePathExercised = saturated || over;
    const size_t unread = probe.unreadPartitions();
    it->evidence.passes = !over && unread == 0;
    it->evidence.detail = "replay probe of " + probe.request.topicRegex + ": " + std::to_string(probe.bytes) +
                          " record bytes in " + shown(probe.seconds) + " s (" +
                          shown(probe.throughputBytesPerSecond() / 1e6) + " MB/s, " +
                          (saturated ? "unthrottled: the brokers set the rate" : "not under pressure from the probe") +
                          "), threshold " + shown(limit) + " s" + (given ? "" : " (the item names none)") + groups +
                          (unread == 0 ? "" : "; " + std::to_string(unread) + " partition(s) not read");
}

std::vector<ScoreLine> scorecard(const ReviewDocument &doc, int64_t nowMs)
{
    std::vector<ScoreLine> out;
    for (const auto &p : doc.passes)
        for (const auto &i : p.items)
            out.push_back({&p, &i, evaluateItem(i, nowMs)});
    return out;
}

} // namespace kp
