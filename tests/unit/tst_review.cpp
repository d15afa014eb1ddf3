// The scorecard rules, row by row: what makes an item Green, Yellow, Red or not applicable, with the reason it gives;
// and the bundled template.

#include "formaterror.h"
#include "review.h"
#include "snapshotjson.h"

#include <QFile>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace kp;

namespace {

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
};

QTEST_GUILESS_MAIN(TestReview)
#include "tst_review.moc"
