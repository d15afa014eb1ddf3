// The scorecard rules, row by row: what makes an item Green, Yellow, Red or not applicable, with the reason it gives;
// and the bundled template.

#include "formaterror.h"
#include "review.h"

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
