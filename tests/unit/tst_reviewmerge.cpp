// Two copies of one review that were saved across each other: the differences field by field (nested evidence as
// "evidence.detail", the inputs as "inputs"), and the merge that keeps theirs except the items chosen, with the drills
// and milestones of both.

#include "models/reviewmerge.h"

#include <QTest>

using namespace kp;

namespace {

ReviewDocument twoItems()
{
    ReviewTemplate t;
    t.passes.push_back({});
    t.passes[0].id = "p";
    t.passes[0].items.resize(2);
    t.passes[0].items[0].id = "a";
    t.passes[0].items[1].id = "b";
    return newReview(t, "r");
}

} // namespace

class TestReviewMerge : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void differencesFieldByField()
    {
        ReviewDocument mine = twoItems(), theirs = twoItems();
        QVERIFY(reviewDifferences(mine, theirs).empty());
        mine.item("a")->ownerPerson = "ana";
        theirs.item("a")->ownerPerson = "bob";
        theirs.item("b")->evidence.detail = "measured by bob";
        mine.inputs.replayWindowHours = 24;
        const auto d = reviewDifferences(mine, theirs);
        QCOMPARE(d.size(), size_t(3));
        QCOMPARE(d[0].item + "." + d[0].field + "=" + d[0].mine + "|" + d[0].theirs,
                 std::string("a.ownerPerson=ana|bob"));
        QCOMPARE(d[1].item + "." + d[1].field + "=" + d[1].mine + "|" + d[1].theirs,
                 std::string("b.evidence.detail=|measured by bob"));
        QCOMPARE(d[2].item + "." + d[2].field + "=" + d[2].mine + "|" + d[2].theirs,
                 std::string("inputs.replayWindowHours=24.0|168.0"));
    }

    void mergeKeepsTheirsExceptTheChosen()
    {
        ReviewDocument mine = twoItems(), theirs = twoItems();
        mine.item("a")->ownerPerson = "ana";
        mine.item("b")->notes = "ana's notes";
        theirs.item("a")->ownerPerson = "bob";
        theirs.item("b")->notes = "bob's notes";
        mine.inputs.pipelineTopics = "^mine$";
        DrillRecord drill;
        drill.item = "a";
        drill.summary.startedAtMs = 1000;
        mine.drills.push_back(drill);
        theirs.drills.push_back(drill); // the same drill in both: kept once
        drill.summary.startedAtMs = 500;
        mine.drills.push_back(drill);
        addMilestone(mine, "ana's milestone", 2000);
        ReviewDocument merged = mergeReviews(theirs, mine, {"a"});
        QCOMPARE(merged.item("a")->ownerPerson, std::string("ana"));
        QCOMPARE(merged.item("b")->notes, std::string("bob's notes"));
        QCOMPARE(merged.inputs.pipelineTopics, std::string(".*"));
        QCOMPARE(merged.drills.size(), size_t(2));
        QCOMPARE(merged.drills[0].summary.startedAtMs, int64_t(500));
        QCOMPARE(merged.milestones.size(), size_t(1));
        merged = mergeReviews(theirs, mine, {"inputs"});
        QCOMPARE(merged.inputs.pipelineTopics, std::string("^mine$"));
        QCOMPARE(merged.item("a")->ownerPerson, std::string("bob"));
    }
};

QTEST_GUILESS_MAIN(TestReviewMerge)
#include "tst_reviewmerge.moc"
