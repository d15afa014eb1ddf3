// The scorecard rules, row by row: what makes an item Green, Yellow, Red or not applicable, with the reason it gives;
// and the bundled template.

#include "models/formaterror.h"
#include "models/review.h"
#include "models/reviewdoc.h"
#include "models/snapshotjson.h"
#include "models/units.h"

#include <QFile>
#include <QTest>
#include <algorithm>
#include <nlohmann/json.hpp>

using namespace kp;

namespace {

std::string bundled()
{
    QFile f(QStringLiteral(KP_REVIEW_TEMPLATE));
    f.open(QIODevice::ReadOnly);
    return f.readAll().toStdString();
}

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kDay = 86'400'000;

// Everything Green needs.
ReviewItem complete(bool drill = false)
{
    ReviewItem i;
    i.id = "x";
    i.drill = drill;
    i.ownerPerson = "Ada";
    i.ownerTeam = "platform";
    i.runbook = "kafka-planner plan --scenario replay";
    i.threshold = "< 6 h";
    i.metric = "replay duration";
    i.evidence = {drill ? EvidenceBasis::Drill : EvidenceBasis::Measured, true, kNow - kDay, "", drill};
    return i;
}

} // namespace

class TestReview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("color");
        QTest::addColumn<QString>("reason"); // the first reason given
        int r = 0;
        QTest::addRow("everything set, measured, passing") << r++ << "GREEN"
                                                           << "owned by Ada (platform)";
        QTest::addRow("drill seen happening") << r++ << "GREEN"
                                              << "owned by Ada (platform)";
        QTest::addRow("no evidence") << r++ << "RED"
                                     << "no evidence: relying on intuition";
        QTest::addRow("vendor claim") << r++ << "RED"
                                      << "evidence is a vendor claim, not a measurement";
        QTest::addRow("pilot without the failure path") << r++ << "RED"
                                                        << "a pilot that did not exercise the failure path";
        QTest::addRow("failing check") << r++ << "RED"
                                       << "the check fails: p99 lag 40 min";
        QTest::addRow("drill where nothing failed") << r++ << "RED"
                                                    << "the failure path was not seen happening: the drill did not "
                                                       "exercise it";
        QTest::addRow("no runbook") << r++ << "YELLOW"
                                    << "no runbook or repeatable command";
        QTest::addRow("no threshold") << r++ << "YELLOW"
                                      << "no pass/fail threshold";
        QTest::addRow("no metric") << r++ << "YELLOW"
                                   << "no observable metric";
        QTest::addRow("no owning team") << r++ << "YELLOW"
                                        << "no owning team";
        QTest::addRow("no named person") << r++ << "YELLOW"
                                         << "no named person owns it";
        QTest::addRow("stale evidence") << r++ << "YELLOW"
                                        << "the evidence is stale (older than 30 days)";
        QTest::addRow("not applicable with a reason") << r++ << "N/A"
                                                      << "not applicable: no Kafka Connect here";
        QTest::addRow("not applicable without a reason") << r++ << "YELLOW"
                                                         << "marked not applicable without a reason";
        QTest::addRow("failing, waived") << r++ << "YELLOW"
                                         << "waived until the expiry: vendor fix due in Q1";
        QTest::addRow("failing, waiver expired") << r++ << "RED"
                                                 << "the check fails";
    }

    void rules()
    {
        QFETCH(int, row);
        QFETCH(QString, color);
        QFETCH(QString, reason);
        ReviewItem i = complete(row == 1 || row == 4 || row == 6);
        switch (row) {
        case 2:
            i.evidence = {};
            break;
        case 3:
            i.evidence.basis = EvidenceBasis::Vendor;
            break;
        case 4:
            i.evidence = {EvidenceBasis::Pilot, true, kNow, "", false};
            break;
        case 5:
            i.evidence = {EvidenceBasis::Measured, false, kNow, "p99 lag 40 min", false};
            break;
        case 6:
            i.evidence.failurePathExercised = false;
            break;
        case 7:
            i.runbook.clear();
            break;
        case 8:
            i.threshold.clear();
            break;
        case 9:
            i.metric.clear();
            break;
        case 10:
            i.ownerTeam.clear();
            break;
        case 11:
            i.ownerPerson.clear();
            break;
        case 12:
            i.evidence.collectedAtMs = kNow - 31 * kDay;
            break;
        case 13:
            i.notApplicable = true;
            i.notApplicableReason = "no Kafka Connect here";
            break;
        case 14:
            i.notApplicable = true;
            break;
        case 15:
            i.evidence.passes = false;
            i.waiverReason = "vendor fix due in Q1";
            i.waiverExpiresMs = kNow + kDay;
            break;
        case 16:
            i.evidence.passes = false;
            i.waiverReason = "vendor fix due in Q1";
            i.waiverExpiresMs = kNow - kDay;
            break;
        }
        const ItemStatus s = evaluateItem(i, kNow);
        QCOMPARE(QString::fromLatin1(toString(s.color)), color);
        QVERIFY(!s.reasons.empty());
        QVERIFY2(QString::fromStdString(s.reasons.front()).startsWith(reason), s.reasons.front().c_str());
        if (row == 16)
            QVERIFY(std::find(s.reasons.begin(), s.reasons.end(), "the waiver has expired") != s.reasons.end());
    }

    void everyReasonIsGiven()
    {
        // Red and Yellow at once: both kinds of reason are listed, so the team sees all that is missing.
        ReviewItem i = complete();
        i.evidence.passes = false;
        i.runbook.clear();
        i.metric.clear();
        const ItemStatus s = evaluateItem(i, kNow);
        QCOMPARE(s.color, ReviewColor::Red);
        QCOMPARE(s.reasons.size(), size_t(3));
        QCOMPARE(s.reasons[1], std::string("no runbook or repeatable command"));
        QCOMPARE(s.reasons[2], std::string("no observable metric"));
    }

    void evidenceFromTheDemoCluster()
    {
        const ClusterSnapshot s = loadSnapshotFile(KP_DEMO_SNAPSHOT);
        // training.* : RF 3, min.insync.replicas 2, 30 days kept, replicas on three racks.
        auto e = autoEvidence(s, {"^training\\.", 24 * 14});
        QVERIFY2(e.at("replication").passes, e.at("replication").detail.c_str());
        QVERIFY2(e.at("retained-data").passes, e.at("retained-data").detail.c_str());
        QCOMPARE(e.at("replication").detail,
                 std::string("2 pipeline topic(s): RF >= 3, min.insync.replicas >= 2, replicas on distinct racks, "
                             "unclean leader election off"));
        // payments-5 shares a rack; search.queries has RF 2 and min.insync.replicas 1 and keeps a day.
        e = autoEvidence(s, {"^(payments|search\\.queries)$", 48});
        QVERIFY(!e.at("replication").passes);
        QCOMPARE(e.at("replication").detail,
                 std::string("payments-5: replicas 1, 4 all in us-east-1a; search.queries has RF 2; search.queries has "
                             "min.insync.replicas 1"));
        QCOMPARE(e.at("retained-data").detail,
                 std::string("search.queries keeps 24 h, less than the 48 h replay window"));
        // A tiered pipeline topic: the remote-only data the brokers reported is evidence too.
        ClusterSnapshot tiered = s;
        TopicInfo &t = *tiered.topic("search.queries");
        t.configs["remote.storage.enable"] = "true";
        t.configs["local.retention.ms"] = "3600000";
        for (auto &p : t.partitions)
            p.localLogStartOffset = p.lowWatermark + 10;
        t.remoteBytesPerOffset = 100;
        const std::string detail = autoEvidence(tiered, {"^search\\.queries$", 12}).at("retained-data").detail;
        const std::string expected = "search.queries is tiered, 1 h local: older replays read the remote tier (now " +
                                     std::to_string(10 * t.partitions.size()) + " offsets, about " +
                                     formatBytes(int64_t(1000 * t.partitions.size())) + " in the remote tier only)";
        QVERIFY2(detail.find(expected) != std::string::npos, detail.c_str());
        // Kept forever (-1) covers any window; nothing matched is a failing check, not a pass.
        QVERIFY(autoEvidence(s, {"^features\\.", 1e6}).at("retained-data").passes);
        QVERIFY(!autoEvidence(s, {"^nothing$", 1}).at("replication").passes);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, autoEvidence(s, {"(", 1}));
        // Folded into the item, the evidence makes it Green only with the rest of the scorecard.
        ReviewItem item = complete();
        item.evidence = autoEvidence(s, {"^training\\.", 24}).at("replication");
        item.evidence.collectedAtMs = kNow;
        QCOMPARE(evaluateItem(item, kNow).color, ReviewColor::Green);
    }

    void bundledTemplate()
    {
        QFile f(QStringLiteral(KP_REVIEW_TEMPLATE));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const std::string text = f.readAll().toStdString();
        const ReviewTemplate t = reviewTemplateFromJson(text);
        QCOMPARE(t.passes.size(), size_t(4));
        QCOMPARE(t.passes[0].items.size(), size_t(6)); // semantic compatibility
        QCOMPARE(t.passes[1].items.size(), size_t(8)); // cost drivers
        QCOMPARE(t.passes[2].items.size(), size_t(4)); // drills
        QCOMPARE(t.passes[3].items.size(), size_t(5)); // lineage and rollback
        for (const auto &item : t.passes[2].items)
            QVERIFY2(item.drill, item.id.c_str());
        for (const auto &pass : t.passes)
            for (const auto &item : pass.items)
                QVERIFY2(!item.metric.empty() && !item.threshold.empty(), item.id.c_str());
        // A fresh item from the template is Red until someone brings evidence.
        QCOMPARE(evaluateItem(t.passes[0].items[0], kNow).color, ReviewColor::Red);
        // Malformed: a duplicate id is named.
        auto doc = nlohmann::json::parse(text);
        doc["passes"][1]["items"][0]["id"] = "client-versions";
        try {
            reviewTemplateFromJson(doc.dump());
            QFAIL("must refuse");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()), std::string("passes[1].items[0].id: \"client-versions\" is used twice"));
        }
    }

    // What the app saw decides: a failure is seen when brokers are missing or partitions under-replicated or
    // offline (or leaders moved); recovery is the first later sample with everything whole.
    void drillSummaries_data()
    {
        QTest::addColumn<QString>("samples"); // "brokers/urp/offline/moves" per second, space-separated
        QTest::addColumn<bool>("seen");
        QTest::addColumn<int>("recovery"); // seconds, -1 none
        QTest::addColumn<int>("fewest");
        QTest::addRow("nothing failed") << "3/0/0/0 3/0/0/0 3/0/0/0" << false << -1 << 3;
        QTest::addRow("broker lost and back") << "3/0/0/0 2/40/0/12 2/40/0/0 3/8/0/0 3/0/0/0" << true << 3 << 2;
        QTest::addRow("not recovered") << "3/0/0/0 2/40/0/12 2/40/0/0" << true << -1 << 2;
        QTest::addRow("relapse") << "3/0/0/0 2/40/0/5 3/0/0/0 2/40/0/0 3/0/0/0" << true << 3 << 2;
        QTest::addRow("leaders moved only") << "3/0/0/0 3/0/0/4 3/0/0/0" << true << -1 << 3;
        QTest::addRow("drill began while down") << "2/40/0/0 3/0/0/0" << true << 1 << 2;
    }
    void drillSummaries()
    {
        QFETCH(QString, samples);
        QFETCH(bool, seen);
        QFETCH(int, recovery);
        QFETCH(int, fewest);
        std::vector<DrillSample> v;
        int64_t t = 1000000;
        for (const QString &s : samples.split(QLatin1Char(' '))) {
            const QStringList f = s.split(QLatin1Char('/'));
            DrillSample d;
            d.takenAtMs = t;
            d.brokers = f[0].toInt();
            d.underReplicated = f[1].toInt();
            d.offline = f[2].toInt();
            d.leaderMoves = f[3].toInt();
            v.push_back(d);
            t += 1000;
        }
        const DrillSummary m = summarizeDrill(v);
        QCOMPARE(m.failureSeen, seen);
        QCOMPARE(int(m.recoverySeconds()), recovery);
        QCOMPARE(m.fewestBrokers, fewest);
        // Into the item: exercised only if seen, passing only if it also recovered with nothing offline.
        ReviewDocument doc = newReview(reviewTemplateFromJson(bundled()), "r");
        applyDrill(doc, {"lose-broker-during-replay", m, v});
        const ReviewItem *it = doc.item("lose-broker-during-replay");
        QCOMPARE(it->evidence.basis, EvidenceBasis::Drill);
        QCOMPARE(it->evidence.failurePathExercised, seen);
        QCOMPARE(it->evidence.passes, seen && recovery >= 0);
    }

    // A replay probe as the replay drill's evidence: measured; the failure path exercised when it read unthrottled
    // for 5 s or more, or a tailing group fell behind by more than the threshold (peak lag / produce rate); failing
    // when a group went over it.
    void probeAsReplayDrillEvidence()
    {
        ReviewDocument doc = newReview(reviewTemplateFromJson(bundled()), "r");
        ProbeResult p;
        p.request.topicRegex = "^t$";
        p.request.throttleMBps = 5.0;
        p.seconds = 3;
        p.bytes = 1000;
        p.producePerSecond = 10;
        p.groups = {{"online", 0, 300, 0}}; // 30 s of production behind at its peak
        applyProbe(doc, "replay-large-range", p);
        const ReviewItem *it = doc.item("replay-large-range");
        QCOMPARE(it->evidence.basis, EvidenceBasis::Measured);
        QVERIFY(!it->evidence.failurePathExercised); // throttled, short, under 60 s (the template names no duration)
        QVERIFY(it->evidence.passes);
        QVERIFY2(it->evidence.detail.find("online lag 0 -> peak 300 (30 s of production) -> 0") != std::string::npos,
                 it->evidence.detail.c_str());
        p.groups[0].lagPeak = 1200; // 120 s behind: over the threshold
        applyProbe(doc, "replay-large-range", p);
        QVERIFY(it->evidence.failurePathExercised && !it->evidence.passes);
        doc.item("replay-large-range")->threshold = "online lag under 3 min";
        applyProbe(doc, "replay-large-range", p); // 120 s is within 180 s
        QVERIFY(!it->evidence.failurePathExercised && it->evidence.passes);
        p.request.throttleMBps.reset();
        p.seconds = 6; // unthrottled for 6 s: the brokers set the rate
        applyProbe(doc, "replay-large-range", p);
        QVERIFY(it->evidence.failurePathExercised && it->evidence.passes);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, applyProbe(doc, "retained-data", p)); // not a drill
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, applyProbe(doc, "no-such-item", p));
    }

    void drillSampleFromASnapshot()
    {
        ClusterSnapshot s = loadSnapshotFile(KP_DEMO_SNAPSHOT);
        std::map<std::string, int32_t> leaders, moved;
        const DrillSample first = drillSample(s, nullptr, leaders, ".*");
        QCOMPARE(first.brokers, 6);
        QCOMPARE(first.underReplicated, 1); // the demo's one under-replicated partition
        QCOMPARE(first.leaderMoves, 0);
        // Two partitions change leader.
        int changed = 0;
        for (auto &t : s.topics)
            for (auto &p : t.partitions)
                if (changed < 2 && p.replicas.size() > 1 && p.leader == p.replicas[0]) {
                    p.leader = p.replicas[1];
                    ++changed;
                }
        const DrillSample second = drillSample(s, &leaders, moved, ".*");
        QCOMPARE(second.leaderMoves, 2);
    }

    void documentRoundTripMilestonesAndCompare()
    {
        ReviewDocument doc = newReview(reviewTemplateFromJson(bundled()), "payments refresh");
        doc.inputs.pipelineTopics = "^payments";
        ReviewItem *it = doc.item("replication");
        it->ownerPerson = "Ana";
        it->ownerTeam = "data-platform";
        it->waiverReason = "migration in Q1";
        it->waiverExpiresMs = 1800000000000;
        it->evidence = {EvidenceBasis::Measured, true, 1790000000000, "ok", false};
        const ReviewDocument back = reviewFromJson(reviewToJson(doc));
        QCOMPARE(reviewToJson(back), reviewToJson(doc));
        QCOMPARE(back.item("replication")->waiverExpiresMs, int64_t(1800000000000));
        // A milestone freezes it; the hash guards the copy; a later change shows in the comparison.
        const Milestone m = addMilestone(doc, "m1", 1790000000000);
        QCOMPARE(m.sha256.size(), size_t(64));
        try {
            addMilestone(doc, "m1", 1);
            QFAIL("a second m1 was accepted");
        } catch (const std::invalid_argument &) {
        }
        doc.item("replication")->runbook = "review check";
        doc.item("job-ids")->notApplicable = true;
        doc.item("job-ids")->notApplicableReason = "no jobs";
        const auto changes = compareReviews(milestoneReview(doc.milestones[0]), 1790000000000, doc, 1790000000000);
        QCOMPARE(changes.size(), size_t(2));
        QCOMPARE(changes[0].item, std::string("replication"));
        QCOMPARE(changes[0].changes.back(), std::string("runbook: '' -> 'review check'"));
        QCOMPARE(changes[1].after, ReviewColor::NotApplicable);
        Milestone altered = doc.milestones[0];
        altered.document[altered.document.find("Ana")] = 'E';
        QVERIFY_THROWS_EXCEPTION(FormatError, milestoneReview(altered));
        // Exports: a row for every item.
        const std::string md = reviewMarkdown(doc, 1790000000000);
        size_t rows = 0;
        for (size_t at = md.find("| **"); at != std::string::npos; at = md.find("| **", at + 1))
            ++rows;
        QCOMPARE(rows, size_t(23));
        QVERIFY(md.find("| Job ids | **N/A** | not applicable: no jobs") != std::string::npos);
        doc.item("auth-model")->runbook = "<script>x</script>";
        const std::string html = reviewHtml(doc, 1790000000000);
        QVERIFY(html.find("&lt;script&gt;x&lt;/script&gt;") != std::string::npos);
        QVERIFY(html.find("<script>") == std::string::npos);
    }

    void lineageEvidenceRules()
    {
        auto none = lineageEvidence({}, {}, 5);
        QCOMPARE(none.size(), size_t(5));
        QVERIFY(!none["rollback"].passes);
        TrainingRun a;
        a.id = 1;
        a.jobId = "j1";
        a.startedAtMs = a.finishedAtMs = 10;
        a.ranges = {{"t", 0, 0, 10, 0, 0, -1, false}};
        a.transformVersion = "v1";
        a.schemaVersions = {{"t-value", "3"}};
        TrainingRun b = a;
        b.id = 2;
        b.jobId = "j2";
        b.startedAtMs = 20;
        b.schemaVersions.clear();
        RangeCheck ok;
        ok.state = Replayability::Replayable;
        auto e = lineageEvidence({a, b}, {ok}, 30);
        QVERIFY(e["offset-ranges"].passes);
        QVERIFY(!e["schema-transform-versions"].passes);
        QCOMPARE(e["schema-transform-versions"].detail,
                 std::string("1 of 2 run(s) without schema and transformation versions: 2 (j2)"));
        QVERIFY(!e["source-snapshots"].passes);
        QVERIFY(e["rollback"].passes);
        QCOMPARE(e["rollback"].detail, std::string("latest run 2 (j2, 10 records): every range still replayable"));
        RangeCheck gone;
        gone.state = Replayability::AgedOut;
        gone.lostRecords = 10;
        e = lineageEvidence({a, b}, {gone}, 30);
        QVERIFY(!e["rollback"].passes);
        QCOMPARE(e["rollback"].detail,
                 std::string("latest run 2 (j2, 10 records): 1 range(s) not replayable, 10 records gone"));
    }

    // The edit the Review page and `review set` share: only what is given changes; evidence is dated when it changes;
    // only a drill keeps "failure path exercised"; a waiver expiry of 0 removes the waiver.
    void itemEdits()
    {
        ReviewItem i = complete(true);
        const Evidence before = i.evidence;
        ItemEdit owner;
        owner.ownerPerson = "Bo";
        applyItemEdit(i, owner, kNow);
        QCOMPARE(i.ownerPerson, std::string("Bo"));
        QCOMPARE(i.ownerTeam, std::string("platform"));
        QCOMPARE(i.evidence.collectedAtMs, before.collectedAtMs); // evidence untouched: keeps its date
        QVERIFY(i.evidence.failurePathExercised);
        QCOMPARE(evaluateItem(i, kNow).color, ReviewColor::Green);

        ItemEdit same;
        same.basis = EvidenceBasis::Drill;
        same.passes = true;
        applyItemEdit(i, same, kNow + 5);
        QCOMPARE(i.evidence.collectedAtMs, before.collectedAtMs); // the same evidence again is not new evidence

        ItemEdit pilot;
        pilot.basis = EvidenceBasis::Pilot;
        pilot.evidenceDetail = "pilot in staging";
        applyItemEdit(i, pilot, kNow + 10);
        QCOMPARE(i.evidence.collectedAtMs, kNow + 10);
        QVERIFY(!i.evidence.failurePathExercised);
        QCOMPARE(i.evidence.detail, std::string("pilot in staging"));
        QCOMPARE(evaluateItem(i, kNow + 10).color, ReviewColor::Red);
        pilot.basis = EvidenceBasis::Drill; // choosing "drill" by hand does not bring the exercised failure back
        applyItemEdit(i, pilot, kNow + 20);
        QVERIFY(!i.evidence.failurePathExercised);

        ItemEdit waiver;
        waiver.waiverReason = "accepted by the platform lead";
        waiver.waiverExpiresMs = kNow + kDay;
        applyItemEdit(i, waiver, kNow + 30);
        QCOMPARE(i.waiverExpiresMs, kNow + kDay);
        QCOMPARE(i.evidence.collectedAtMs, kNow + 20);
        ItemEdit noWaiver;
        noWaiver.waiverReason = std::string();
        noWaiver.waiverExpiresMs = 0;
        applyItemEdit(i, noWaiver, kNow + 40);
        QCOMPARE(i.waiverExpiresMs, int64_t(0));
        QVERIFY(i.waiverReason.empty());

        ItemEdit na;
        na.notApplicable = true;
        na.notApplicableReason = "no Kafka Connect";
        applyItemEdit(i, na, kNow + 50);
        QCOMPARE(evaluateItem(i, kNow + 50).color, ReviewColor::NotApplicable);

        QCOMPARE(evidenceBasisFromString("vendor"), std::optional(EvidenceBasis::Vendor));
        QCOMPARE(evidenceBasisFromString("vendor claim"), std::optional(EvidenceBasis::Vendor));
        QCOMPARE(evidenceBasisFromString("measured"), std::optional(EvidenceBasis::Measured));
        QVERIFY(!evidenceBasisFromString("Measured"));
        QVERIFY(!evidenceBasisFromString(""));
    }
};

QTEST_GUILESS_MAIN(TestReview)
#include "tst_review.moc"
