// A review as Markdown and as HTML (the PDF is printed from the HTML): the scorecard, then each item with its owner,
// evidence and drills.
#include "models/reviewdoc.h"

#include "models/snapshotjson.h"

namespace kp {

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
