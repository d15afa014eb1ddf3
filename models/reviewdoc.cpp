#include "models/reviewdoc.h"

#include "models/jsonreader.h"
#include "models/laghistoryjson.h"
#include "models/snapshotjson.h"

#include <QCryptographicHash>
#include <algorithm>
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

ReviewDocument reviewFromJson(const std::string &text)
{
    const json j = parseVersionedDocument(text, "kafka-planner-review", ReviewDocument::kFormatVersion);
    JsonReader root(j, "");
    ReviewDocument d;
    d.name = root.field("name").string();
    d.updatedAtMs = timeOr(root, "updatedAt");
    if (root.has("inputs")) {
        const JsonReader in = root.field("inputs");
        in.requireObject();
        d.inputs.pipelineTopics = in.stringOr("pipelineTopics", ".*");
        if (in.has("replayWindowHours"))
            d.inputs.replayWindowHours = in.field("replayWindowHours").number();
        if (d.inputs.replayWindowHours <= 0)
            in.field("replayWindowHours").fail("must be more than 0");
        if (in.has("crossAzFactorBudget"))
            d.inputs.crossAzFactorBudget = in.field("crossAzFactorBudget").number();
        if (d.inputs.crossAzFactorBudget < 0)
            in.field("crossAzFactorBudget").fail("must not be negative");
    }
    d.passes = readReviewPasses(root.field("passes"), [](const JsonReader &ir, ReviewItem &it) {
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
    });
    if (root.has("drills")) {
        const JsonReader drills = root.field("drills");
        for (size_t i = 0; i < drills.arraySize(); ++i) {
            const JsonReader dr = drills.at(i);
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
            d.drills.push_back(std::move(rec));
        }
    }
    if (root.has("milestones")) {
        const JsonReader ms = root.field("milestones");
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
            d.milestones.push_back(std::move(m));
        }
    }
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

std::vector<ScoreLine> scorecard(const ReviewDocument &doc, int64_t nowMs)
{
    std::vector<ScoreLine> out;
    for (const auto &p : doc.passes)
        for (const auto &i : p.items)
            out.push_back({&p, &i, evaluateItem(i, nowMs)});
    return out;
}

namespace {

std::string htmlEscape(const std::string &s)
{
    std::string o;
    for (char c : s) {
        switch (c) {
        case '&':
            o += "&amp;";
            break;
        case '<':
            o += "&lt;";
            break;
        case '>':
            o += "&gt;";
            break;
        case '"':
            o += "&quot;";
            break;
        default:
            o += c;
        }
    }
    return o;
}

std::string mdCell(const std::string &s)
{
    std::string o;
    for (char c : s)
        o += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
    return o;
}

std::string join(const std::vector<std::string> &v, const char *sep)
{
    std::string o;
    for (const auto &s : v)
        o += (o.empty() ? "" : sep) + s;
    return o;
}

std::map<ReviewColor, int> counts(const std::vector<ScoreLine> &lines)
{
    std::map<ReviewColor, int> c;
    for (const auto &l : lines)
        ++c[l.status.color];
    return c;
}

} // namespace

std::string reviewMarkdown(const ReviewDocument &doc, int64_t nowMs)
{
    const auto lines = scorecard(doc, nowMs);
    auto c = counts(lines);
    std::string o = "# " + doc.name + "\n\nScorecard at " + formatIsoTime(nowMs) + ": " +
                    std::to_string(c[ReviewColor::Green]) + " green, " + std::to_string(c[ReviewColor::Yellow]) +
                    " yellow, " + std::to_string(c[ReviewColor::Red]) + " red, " +
                    std::to_string(c[ReviewColor::NotApplicable]) + " not applicable.\n\nPipeline topics `" +
                    doc.inputs.pipelineTopics + "`, replay window " +
                    std::to_string(int64_t(doc.inputs.replayWindowHours)) + " h.\n";
    const ReviewPass *pass = nullptr;
    for (const auto &l : lines) {
        if (l.pass != pass) {
            pass = l.pass;
            o += "\n## " + pass->title +
                 "\n\n| Item | Status | Why | Owner | Runbook | Threshold | Metric | Evidence |\n"
                 "|---|---|---|---|---|---|---|---|\n";
        }
        const ReviewItem &i = *l.item;
        const std::string owner = i.ownerPerson.empty() && i.ownerTeam.empty()
                                      ? std::string()
                                      : i.ownerPerson + (i.ownerTeam.empty() ? "" : " (" + i.ownerTeam + ")");
        const std::string evidence =
            i.evidence.basis == EvidenceBasis::None
                ? std::string()
                : std::string(toString(i.evidence.basis)) + (i.evidence.passes ? ", passes" : ", fails") +
                      (i.evidence.collectedAtMs > 0 ? " (" + formatIsoTime(i.evidence.collectedAtMs) + ")" : "") +
                      (i.evidence.detail.empty() ? "" : ": " + i.evidence.detail);
        o += "| " + mdCell(i.title) + " | **" + toString(l.status.color) + "** | " +
             mdCell(join(l.status.reasons, "; ")) + " | " + mdCell(owner) + " | " + mdCell(i.runbook) + " | " +
             mdCell(i.threshold) + " | " + mdCell(i.metric) + " | " + mdCell(evidence) + " |\n";
    }
    if (!doc.drills.empty()) {
        o += "\n## Drills\n\n";
        for (const auto &d : doc.drills)
            o += "- " + d.item + ", " + formatIsoTime(d.summary.startedAtMs) + ": " + d.summary.describe() + "\n";
    }
    if (!doc.milestones.empty()) {
        o += "\n## Milestones\n\n";
        for (const auto &m : doc.milestones)
            o += "- " + m.name + ", " + formatIsoTime(m.createdAtMs) + ", sha256 `" + m.sha256 + "`\n";
    }
    return o;
}

std::string reviewHtml(const ReviewDocument &doc, int64_t nowMs)
{
    const auto lines = scorecard(doc, nowMs);
    auto c = counts(lines);
    auto colour = [](ReviewColor k) {
        switch (k) {
        case ReviewColor::Green:
            return "#1b7f3a";
        case ReviewColor::Yellow:
            return "#a86b00";
        case ReviewColor::Red:
            return "#b3261e";
        case ReviewColor::NotApplicable:
            return "#666666";
        }
        return "#000000";
    };
    std::string o = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + htmlEscape(doc.name) +
                    "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
                    "td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}"
                    "th{background:#f0f0f0}.s{font-weight:bold;color:#fff;text-align:center}</style></head><body>\n"
                    "<h1>" +
                    htmlEscape(doc.name) + "</h1>\n<p>Scorecard at " + formatIsoTime(nowMs) + ": " +
                    std::to_string(c[ReviewColor::Green]) + " green, " + std::to_string(c[ReviewColor::Yellow]) +
                    " yellow, " + std::to_string(c[ReviewColor::Red]) + " red, " +
                    std::to_string(c[ReviewColor::NotApplicable]) + " not applicable. Pipeline topics <code>" +
                    htmlEscape(doc.inputs.pipelineTopics) + "</code>, replay window " +
                    std::to_string(int64_t(doc.inputs.replayWindowHours)) + " h.</p>\n";
    const ReviewPass *pass = nullptr;
    for (const auto &l : lines) {
        if (l.pass != pass) {
            if (pass)
                o += "</table>\n";
            pass = l.pass;
            o += "<h2>" + htmlEscape(pass->title) +
                 "</h2>\n<table><tr><th>Item</th><th>Status</th><th>Why</th><th>Owner</th><th>Runbook</th>"
                 "<th>Threshold</th><th>Metric</th><th>Evidence</th></tr>\n";
        }
        const ReviewItem &i = *l.item;
        o += "<tr><td>" + htmlEscape(i.title) + "</td><td class=\"s\" style=\"background:" + colour(l.status.color) +
             "\">" + toString(l.status.color) + "</td><td>" + htmlEscape(join(l.status.reasons, "; ")) + "</td><td>" +
             htmlEscape(i.ownerPerson + (i.ownerTeam.empty() ? "" : " (" + i.ownerTeam + ")")) + "</td><td>" +
             htmlEscape(i.runbook) + "</td><td>" + htmlEscape(i.threshold) + "</td><td>" + htmlEscape(i.metric) +
             "</td><td>" +
             htmlEscape(i.evidence.basis == EvidenceBasis::None
                            ? std::string()
                            : std::string(toString(i.evidence.basis)) + (i.evidence.passes ? ", passes" : ", fails") +
                                  (i.evidence.detail.empty() ? "" : ": " + i.evidence.detail)) +
             "</td></tr>\n";
    }
    if (pass)
        o += "</table>\n";
    if (!doc.drills.empty()) {
        o += "<h2>Drills</h2>\n<ul>\n";
        for (const auto &d : doc.drills)
            o += "<li>" + htmlEscape(d.item) + ", " + formatIsoTime(d.summary.startedAtMs) + ": " +
                 htmlEscape(d.summary.describe()) + "</li>\n";
        o += "</ul>\n";
    }
    if (!doc.milestones.empty()) {
        o += "<h2>Milestones</h2>\n<ul>\n";
        for (const auto &m : doc.milestones)
            o += "<li>" + htmlEscape(m.name) + ", " + formatIsoTime(m.createdAtMs) + ", sha256 <code>" + m.sha256 +
                 "</code></li>\n";
        o += "</ul>\n";
    }
    return o + "</body></html>\n";
}

} // namespace kp
