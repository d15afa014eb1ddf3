// `kafka-planner review`: the readiness review kept in a JSON file (new, show, check, drill, set, milestone, compare,
// export).

#include "analysis/reviewpdf.h"
#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "models/connectionprofile.h"
#include "models/formaterror.h"
#include "models/jsonreader.h"
#include "models/reviewdoc.h"
#include "models/snapshotjson.h"
#include "services/reviewservice.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

namespace kp::cli {

namespace {

// An item's reasons for its colour, as one line.
std::string reasonsLine(const ItemStatus &status)
{
    std::string why;
    for (const auto &r : status.reasons)
        why += (why.empty() ? "" : "; ") + r;
    return why;
}

std::string scorecardTable(const ReviewDocument &doc, int64_t nowMs)
{
    std::string out = doc.name + " (" + formatIsoTime(nowMs) + ")\n";
    const ReviewPass *pass = nullptr;
    std::map<ReviewColor, int> counts;
    for (const auto &l : scorecard(doc, nowMs)) {
        if (l.pass != pass) {
            pass = l.pass;
            out += "\n" + pass->title + "\n";
        }
        ++counts[l.status.color];
        char line[160];
        std::snprintf(line, sizeof line, "  %-7s %-40s ", toString(l.status.color), l.item->title.c_str());
        out += line + reasonsLine(l.status) + "\n";
    }
    out += "\n" + std::to_string(counts[ReviewColor::Green]) + " green, " +
           std::to_string(counts[ReviewColor::Yellow]) + " yellow, " + std::to_string(counts[ReviewColor::Red]) +
           " red, " + std::to_string(counts[ReviewColor::NotApplicable]) + " not applicable\n";
    return out;
}

nlohmann::json scorecardJson(const ReviewDocument &doc, int64_t nowMs)
{
    nlohmann::json items = nlohmann::json::array();
    for (const auto &l : scorecard(doc, nowMs))
        items.push_back({{"pass", l.pass->id},
                         {"item", l.item->id},
                         {"title", l.item->title},
                         {"status", toString(l.status.color)},
                         {"why", l.status.reasons},
                         {"evidence", l.item->evidence.detail}});
    return {{"review", doc.name}, {"at", formatIsoTime(nowMs)}, {"items", std::move(items)}};
}

bool anyRed(const ReviewDocument &doc, int64_t nowMs)
{
    for (const auto &l : scorecard(doc, nowMs))
        if (l.status.color == ReviewColor::Red)
            return true;
    return false;
}

void addReviewOptions(QCommandLineParser &p)
{
    addConnectionOptions(p);
    p.addPositionalArgument(QStringLiteral("action"),
                            QStringLiteral("new, show, set, check, drill, milestone, compare or export, then FILE"));
    p.addOptions(
        {{QStringLiteral("template"), QStringLiteral("new: a review template (default: the bundled one)."),
          QStringLiteral("FILE")},
         {QStringLiteral("name"), QStringLiteral("new: the review's name; milestone: the milestone's."),
          QStringLiteral("NAME")},
         {QStringLiteral("pipeline-topics"), QStringLiteral("new: the pipeline's topics (regex, default .*)."),
          QStringLiteral("REGEX")},
         {QStringLiteral("replay-window-hours"), QStringLiteral("new: the replay window retention must cover."),
          QStringLiteral("H")},
         {QStringLiteral("cross-az-budget"), QStringLiteral("new: agreed cross-AZ bytes per byte produced."),
          QStringLiteral("X")},
         {QStringLiteral("force"), QStringLiteral("new: replace an existing file.")},
         {QStringLiteral("no-write"), QStringLiteral("check: leave the file as it is.")},
         {QStringLiteral("item"), QStringLiteral("set: the item to edit; drill: the item the drill exercises."),
          QStringLiteral("ID")},
         {QStringLiteral("owner"), QStringLiteral("set: the owner (a person)."), QStringLiteral("PERSON")},
         {QStringLiteral("team"), QStringLiteral("set: the owner's team."), QStringLiteral("TEAM")},
         {QStringLiteral("runbook"), QStringLiteral("set: a runbook link or a repeatable command."),
          QStringLiteral("TEXT")},
         {QStringLiteral("threshold"), QStringLiteral("set: the pass/fail threshold."), QStringLiteral("TEXT")},
         {QStringLiteral("metric"), QStringLiteral("set: the observable metric."), QStringLiteral("TEXT")},
         {QStringLiteral("evidence"), QStringLiteral("set: what the evidence shows (dated now)."),
          QStringLiteral("TEXT")},
         {QStringLiteral("basis"), QStringLiteral("set: the evidence's basis: measured, pilot, vendor or none."),
          QStringLiteral("BASIS")},
         {QStringLiteral("passes"), QStringLiteral("set: whether the evidence passes the threshold: yes or no."),
          QStringLiteral("YES|NO")},
         {QStringLiteral("notes"), QStringLiteral("set: notes."), QStringLiteral("TEXT")},
         {QStringLiteral("not-applicable"), QStringLiteral("set: the item does not apply, for this reason."),
          QStringLiteral("REASON")},
         {QStringLiteral("applicable"), QStringLiteral("set: the item applies again.")},
         {QStringLiteral("waiver"), QStringLiteral("set: accept the risk until --waiver-until, for this reason."),
          QStringLiteral("REASON")},
         {QStringLiteral("waiver-until"), QStringLiteral("set: the waiver's last day."), QStringLiteral("YYYY-MM-DD")},
         {QStringLiteral("no-waiver"), QStringLiteral("set: remove the waiver.")},
         {QStringLiteral("seconds"), QStringLiteral("drill: how long to sample (default 120; Ctrl-C ends it)."),
          QStringLiteral("N")},
         {QStringLiteral("probe"),
          QStringLiteral("drill: a replay probe's result (probe replay --output FILE) as the evidence."),
          QStringLiteral("FILE")},
         {QStringLiteral("interval"), QStringLiteral("drill: seconds between samples (default 2)."),
          QStringLiteral("S")},
         {QStringLiteral("from"), QStringLiteral("compare: a milestone."), QStringLiteral("NAME")},
         {QStringLiteral("to"), QStringLiteral("compare: a milestone (default: the review now)."),
          QStringLiteral("NAME")},
         {QStringLiteral("as"), QStringLiteral("export: markdown, html, json or pdf (pdf needs --output)."),
          QStringLiteral("KIND")},
         {QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")}});
}

// What every action of `review` works from: the parsed options, the review file and the time the command started.
struct ReviewCommand
{
    const QCommandLineParser &p;
    std::string file;
    std::string fmt;
    int64_t now = 0;

    // The scorecard as a table or JSON; 5 when an item is red and `redExits`, else 0.
    int scorecard(const ReviewDocument &doc, bool redExits) const
    {
        writeOutput(p, fmt == "table" ? scorecardTable(doc, now) : scorecardJson(doc, now).dump(1) + "\n");
        return redExits && anyRed(doc, now) ? 5 : 0;
    }
    void save(ReviewDocument &doc) const { saveReviewFile(file, doc, QDateTime::currentMSecsSinceEpoch()); }
};

int newReviewFile(const ReviewCommand &c)
{
    const QCommandLineParser &p = c.p;
    if (QFileInfo::exists(QString::fromStdString(c.file)) && !p.isSet(QStringLiteral("force")))
        throw CliError(c.file + " exists: give --force to replace it", 2);
    ReviewInputs inputs;
    if (p.isSet(QStringLiteral("pipeline-topics")))
        inputs.pipelineTopics = str(p.value(QStringLiteral("pipeline-topics")));
    inputs.replayWindowHours = numberOption(p, "replay-window-hours", 168, 1, 876000);
    inputs.crossAzFactorBudget = numberOption(p, "cross-az-budget", 0, 0, 1000);
    const ReviewTemplate t = p.isSet(QStringLiteral("template"))
                                 ? reviewTemplateFile(str(p.value(QStringLiteral("template"))))
                                 : bundledReviewTemplate();
    ReviewDocument doc = newReviewFrom(t, str(p.value(QStringLiteral("name"))), inputs);
    c.save(doc);
    return c.scorecard(doc, false);
}

int checkReview(const ReviewCommand &c, ReviewDocument &doc)
{
    const auto client = makeClient(c.p);
    const ClusterSnapshot s = collectSnapshot(*client, true, true, true);
    warnPartial(s);
    std::map<std::string, Evidence> evidence;
    try {
        evidence = clusterEvidence(s, doc.inputs, dbPath(c.p));
    } catch (const std::invalid_argument &e) {
        throw CliError(c.file + ": inputs: " + e.what(), 2);
    }
    const auto set = applyEvidence(doc, evidence);
    if (!c.p.isSet(QStringLiteral("no-write")))
        c.save(doc);
    std::string note = "evidence refreshed from cluster " + s.clusterId + " for:";
    for (const auto &id : set)
        note += " " + id;
    std::fprintf(stderr, "%s\n", note.c_str());
    return c.scorecard(doc, true);
}

// Samples the cluster every `interval` seconds for `seconds` (Ctrl-C ends it); a sample that cannot be taken is said
// on stderr and skipped, not an abort.
DrillRecord sampleDrill(const ConnectionProfile &profile, const std::string &item, double seconds, double interval,
                        const std::string &pipelineTopics)
{
    DrillRecord rec;
    rec.item = item;
    std::map<std::string, int32_t> leaders, previous;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(seconds * 1000));
    std::fprintf(stderr, "drill on %s: sampling every %.1f s for %.0f s (Ctrl-C ends it)\n", item.c_str(), interval,
                 seconds);
    while (!g_cancel && std::chrono::steady_clock::now() < until) {
        const auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(interval * 1000));
        ClusterSnapshot s;
        try {
            s = collectSnapshot(*freshClient(profile), true, false, false);
        } catch (const CliError &e) {
            if (g_cancel)
                break;
            std::fprintf(stderr, "sample failed: %s\n", e.what());
            std::this_thread::sleep_until(next);
            continue;
        }
        DrillSample d = drillSample(s, rec.samples.empty() ? nullptr : &previous, leaders, pipelineTopics);
        previous = leaders;
        std::fprintf(stderr, "%s brokers %d, under-replicated %d, offline %d, leader moves %d\n",
                     formatIsoTime(d.takenAtMs).c_str(), d.brokers, d.underReplicated, d.offline, d.leaderMoves);
        rec.samples.push_back(std::move(d));
        std::this_thread::sleep_until(next);
    }
    return rec;
}

// review drill --probe FILE: a replay probe's result as the item's measured evidence (applyProbe).
int probeDrill(const ReviewCommand &c, ReviewDocument &doc, const std::string &item)
{
    const std::string path = str(c.p.value(QStringLiteral("probe")));
    try {
        applyProbe(doc, item, decodeJsonFile(path, probeResultFromJson));
    } catch (const std::exception &e) {
        throw CliError("review drill --probe " + path + ": " + e.what(), 2);
    }
    c.save(doc);
    const ReviewItem &it = *doc.item(item);
    writeOutput(c.p, c.fmt == "table" ? it.evidence.detail + "\n"
                                      : nlohmann::json{{"item", item},
                                                       {"passes", it.evidence.passes},
                                                       {"failurePathExercised", it.evidence.failurePathExercised},
                                                       {"detail", it.evidence.detail}}
                                                .dump(1) +
                                            "\n");
    return 0;
}

int drillReview(const ReviewCommand &c, ReviewDocument &doc)
{
    const std::string item = str(c.p.value(QStringLiteral("item")));
    const ReviewItem *it = doc.item(item);
    if (!it)
        throw CliError(
            "review drill: give --item, one of the review's items (kafka-planner review show " + c.file + ")", 2);
    if (!it->drill)
        throw CliError("review drill: " + item + " is not a drill item", 2);
    if (c.p.isSet(QStringLiteral("probe")))
        return probeDrill(c, doc, item);
    const double seconds = numberOption(c.p, "seconds", 120, 1, 86400);
    const double interval = numberOption(c.p, "interval", 2, 0.2, 3600);
    DrillRecord rec = sampleDrill(resolveConnection(c.p), item, seconds, interval, doc.inputs.pipelineTopics);
    if (rec.samples.empty())
        throw CliError("review drill: no sample could be taken; nothing recorded");
    rec.summary = summarizeDrill(rec.samples);
    applyDrill(doc, rec);
    c.save(doc);
    writeOutput(c.p, c.fmt == "table" ? rec.summary.describe() + "\n"
                                      : nlohmann::json::parse(reviewToJson(doc)).at("drills").back().dump(1) + "\n");
    return 0;
}

ReviewItem &itemToSet(const ReviewCommand &c, ReviewDocument &doc)
{
    const std::string id = str(c.p.value(QStringLiteral("item")));
    if (ReviewItem *item = doc.item(id))
        return *item;
    std::string ids;
    for (const auto &pass : doc.passes)
        for (const auto &i : pass.items)
            ids += (ids.empty() ? "" : ", ") + i.id;
    throw CliError("review set: " + (id.empty() ? std::string("give --item ID") : "no item " + id) + " in " + c.file +
                       "; its items: " + ids,
                   2);
}

std::optional<std::string> textOption(const QCommandLineParser &p, const char *name)
{
    if (!p.isSet(QString::fromLatin1(name)))
        return std::nullopt;
    return p.value(QString::fromLatin1(name)).trimmed().toStdString();
}

// --basis and --passes: the evidence's basis (never "drill": drills record their own) and verdict.
void readEvidenceEdit(const QCommandLineParser &p, ItemEdit &edit)
{
    if (p.isSet(QStringLiteral("basis"))) {
        edit.basis = evidenceBasisFromString(str(p.value(QStringLiteral("basis"))));
        if (!edit.basis)
            throw CliError("review set: --basis must be measured, pilot, vendor or none", 2);
        if (*edit.basis == EvidenceBasis::Drill)
            throw CliError("review set: drill evidence is what the app saw during a drill: record it with "
                           "`review drill`",
                           2);
    }
    if (p.isSet(QStringLiteral("passes"))) {
        const QString v = p.value(QStringLiteral("passes")).toLower();
        if (v != QStringLiteral("yes") && v != QStringLiteral("no"))
            throw CliError("review set: --passes must be yes or no", 2);
        edit.passes = v == QStringLiteral("yes");
    }
}

// --not-applicable REASON | --applicable.
void readApplicabilityEdit(const QCommandLineParser &p, ItemEdit &edit)
{
    if (p.isSet(QStringLiteral("not-applicable")) && p.isSet(QStringLiteral("applicable")))
        throw CliError("review set: --not-applicable and --applicable contradict each other", 2);
    if (p.isSet(QStringLiteral("not-applicable"))) {
        edit.notApplicable = true;
        edit.notApplicableReason = textOption(p, "not-applicable");
        if (edit.notApplicableReason->empty())
            throw CliError("review set: --not-applicable needs a reason", 2);
    } else if (p.isSet(QStringLiteral("applicable"))) {
        edit.notApplicable = false;
        edit.notApplicableReason = std::string();
    }
}

// --waiver REASON --waiver-until DATE | --no-waiver: a waiver has a reason and a last day that has not passed.
void readWaiverEdit(const QCommandLineParser &p, const ReviewItem &item, int64_t now, ItemEdit &edit)
{
    if (p.isSet(QStringLiteral("no-waiver"))) {
        if (p.isSet(QStringLiteral("waiver")) || p.isSet(QStringLiteral("waiver-until")))
            throw CliError("review set: --no-waiver and --waiver contradict each other", 2);
        edit.waiverReason = std::string();
        edit.waiverExpiresMs = 0;
        return;
    }
    if (!p.isSet(QStringLiteral("waiver")) && !p.isSet(QStringLiteral("waiver-until")))
        return;
    edit.waiverReason = textOption(p, "waiver");
    if (p.isSet(QStringLiteral("waiver-until"))) {
        const QDate until = QDate::fromString(p.value(QStringLiteral("waiver-until")), Qt::ISODate);
        if (!until.isValid())
            throw CliError("review set: --waiver-until must be a date, YYYY-MM-DD", 2);
        edit.waiverExpiresMs = QDateTime(until, QTime(23, 59, 59), Qt::UTC).toMSecsSinceEpoch();
        if (*edit.waiverExpiresMs < now)
            throw CliError("review set: --waiver-until " + str(p.value(QStringLiteral("waiver-until"))) + " has passed",
                           2);
    } else if (item.waiverExpiresMs == 0) {
        throw CliError("review set: a waiver needs --waiver-until, its last day", 2);
    }
    if (edit.waiverReason.value_or(item.waiverReason).empty())
        throw CliError("review set: a waiver needs a reason (--waiver REASON): who accepted which risk", 2);
}

int setReviewItem(const ReviewCommand &c, ReviewDocument &doc)
{
    ReviewItem &item = itemToSet(c, doc);
    ItemEdit edit;
    edit.ownerPerson = textOption(c.p, "owner");
    edit.ownerTeam = textOption(c.p, "team");
    edit.runbook = textOption(c.p, "runbook");
    edit.threshold = textOption(c.p, "threshold");
    edit.metric = textOption(c.p, "metric");
    edit.notes = textOption(c.p, "notes");
    edit.evidenceDetail = textOption(c.p, "evidence");
    readEvidenceEdit(c.p, edit);
    readApplicabilityEdit(c.p, edit);
    readWaiverEdit(c.p, item, c.now, edit);
    applyItemEdit(item, edit, c.now);
    c.save(doc);
    const ItemStatus st = evaluateItem(item, c.now);
    if (c.fmt == "table") {
        const std::string why = reasonsLine(st);
        writeOutput(c.p, item.id + ": " + toString(st.color) + (why.empty() ? "" : " (" + why + ")") + "\n");
        return 0;
    }
    const nlohmann::json j{
        {"item", item.id}, {"title", item.title}, {"status", toString(st.color)}, {"why", st.reasons}};
    writeOutput(c.p, j.dump(1) + "\n");
    return 0;
}

int addReviewMilestone(const ReviewCommand &c, ReviewDocument &doc)
{
    try {
        const Milestone &m = addMilestone(doc, str(c.p.value(QStringLiteral("name"))), c.now);
        std::printf("%s %s\n", m.name.c_str(), m.sha256.c_str());
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("review milestone: ") + e.what(), 2);
    }
    c.save(doc);
    return 0;
}

std::string changesTable(const std::vector<ItemChange> &changes)
{
    std::string out;
    for (const auto &ch : changes) {
        out += ch.title + " (" + toString(ch.before) + " -> " + toString(ch.after) + ")\n";
        for (const auto &line : ch.changes)
            out += "  " + line + "\n";
    }
    return out.empty() ? "no changes\n" : out;
}

nlohmann::json changesJson(const std::vector<ItemChange> &changes)
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto &ch : changes)
        j.push_back({{"item", ch.item},
                     {"title", ch.title},
                     {"before", toString(ch.before)},
                     {"after", toString(ch.after)},
                     {"changes", ch.changes}});
    return j;
}

int compareMilestones(const ReviewCommand &c, const ReviewDocument &doc)
{
    auto find = [&](const QString &name) -> const Milestone & {
        for (const auto &m : doc.milestones)
            if (m.name == str(name))
                return m;
        throw CliError("review compare: no milestone \"" + str(name) + "\" in " + c.file, 2);
    };
    if (!c.p.isSet(QStringLiteral("from")))
        throw CliError("review compare: give --from MILESTONE", 2);
    const Milestone &from = find(c.p.value(QStringLiteral("from")));
    ReviewDocument a = milestoneReview(from), b = doc;
    int64_t bAt = c.now;
    if (c.p.isSet(QStringLiteral("to"))) {
        const Milestone &to = find(c.p.value(QStringLiteral("to")));
        b = milestoneReview(to);
        bAt = to.createdAtMs;
    }
    const auto changes = compareReviews(a, from.createdAtMs, b, bAt);
    writeOutput(c.p, c.fmt == "table" ? changesTable(changes) : changesJson(changes).dump(1) + "\n");
    return 0;
}

int exportReview(const ReviewCommand &c, const ReviewDocument &doc)
{
    const QString as = c.p.value(QStringLiteral("as"));
    if (as == QStringLiteral("markdown")) {
        writeOutput(c.p, reviewMarkdown(doc, c.now));
    } else if (as == QStringLiteral("html")) {
        writeOutput(c.p, reviewHtml(doc, c.now));
    } else if (as == QStringLiteral("json")) {
        writeOutput(c.p, reviewToJson(doc));
    } else if (as == QStringLiteral("pdf")) {
        if (!c.p.isSet(QStringLiteral("output")))
            throw CliError("review export --as pdf: give --output FILE", 2);
        if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
            throw CliError("review export --as pdf: this build cannot lay out PDF pages without a GUI application");
        writeOutput(c.p, reviewPdf(doc, c.now).toStdString());
    } else {
        throw CliError("review export: --as markdown, html, json or pdf", 2);
    }
    return 0;
}

} // namespace

int cmdReview(const QStringList &args)
{
    QCommandLineParser p;
    addReviewOptions(p);
    parseOrThrow(p, args);
    const QStringList pos = p.positionalArguments();
    if (pos.size() < 2)
        throw CliError("review: say new, show, set, check, drill, milestone, compare or export, then the review FILE",
                       2);
    const QString action = pos.at(0);
    const ReviewCommand c{p, str(pos.at(1)), format(p), QDateTime::currentMSecsSinceEpoch()};
    if (action == QStringLiteral("new"))
        return newReviewFile(c);
    ReviewDocument doc = loadReviewFile(c.file);
    if (action == QStringLiteral("show"))
        return c.scorecard(doc, true);
    if (action == QStringLiteral("check"))
        return checkReview(c, doc);
    if (action == QStringLiteral("drill"))
        return drillReview(c, doc);
    if (action == QStringLiteral("set"))
        return setReviewItem(c, doc);
    if (action == QStringLiteral("milestone"))
        return addReviewMilestone(c, doc);
    if (action == QStringLiteral("compare"))
        return compareMilestones(c, doc);
    if (action == QStringLiteral("export"))
        return exportReview(c, doc);
    throw CliError(
        "review: unknown action " + str(action) + " (new, show, set, check, drill, milestone, compare, export)", 2);
}

} // namespace kp::cli
