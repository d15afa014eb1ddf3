// The Rebalance page on the demo cluster's layout: the plan it shows is the planner's for the same snapshot and goal,
// row for row; a goal typed in the fields (new brokers, their racks) is planned; what cannot be planned is said
// naming the field or the reason; the commands copied are the ones to run; the maps before and after show the moved
// partitions with the replicas that leave and arrive outlined.

#include "models/snapshotjson.h"
#include "ui/rebalancepage.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace kp;

class TestRebalancePage : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    SnapshotPtr m_demo;

    // The page planning `goal` (the combo's index) with `brokers` in the field; false when nothing came.
    bool planWith(RebalancePage &page, int goal, const QString &brokers)
    {
        page.findChild<QComboBox *>(QStringLiteral("rebalanceGoal"))->setCurrentIndex(goal);
        page.findChild<QLineEdit *>(QStringLiteral("rebalanceBrokers"))->setText(brokers);
        QSignalSpy shown(&page, &RebalancePage::planShown);
        QSignalSpy failed(&page, &RebalancePage::failed);
        page.plan();
        for (int i = 0; i < 500 && shown.isEmpty() && failed.isEmpty(); ++i)
            QTest::qWait(20);
        return !shown.isEmpty() || !failed.isEmpty();
    }

private Q_SLOTS:
    void initTestCase() { m_demo = std::make_shared<const ClusterSnapshot>(loadSnapshotFile(KP_DEMO_SNAPSHOT)); }

    void evenOutShowsThePlannersPlan()
    {
        ClusterContext context(m_dir.filePath(QStringLiteral("s.sqlite")));
        RebalancePage page(&context);
        context.show(m_demo);
        QVERIFY(planWith(page, 0, QString()));
        QVERIFY2(page.lastError().isEmpty(), qPrintable(page.lastError()));
        QVERIFY(page.shown());
        const ReassignmentPlan expected = planReassignment(*m_demo, {ReassignGoalKind::Balance, {}, -1});
        QCOMPARE(reassignmentJson(*page.shown()), reassignmentJson(expected));
        auto *moves = page.findChild<QTreeWidget *>(QStringLiteral("rebalanceMoves"));
        auto *brokers = page.findChild<QTreeWidget *>(QStringLiteral("rebalanceBrokerTable"));
        QCOMPARE(moves->topLevelItemCount(), int(expected.moves.size()));
        QCOMPARE(brokers->topLevelItemCount(), int(m_demo->brokers.size()));
        QSignalSpy again(&page, &RebalancePage::planShown);
        page.findChild<QPushButton *>(QStringLiteral("rebalancePlan"))->click(); // again: the same
        QVERIFY(again.wait(10000));
        QCOMPARE(reassignmentJson(*page.shown()), reassignmentJson(expected));
    }

    void newBrokersTypedInTheFieldArePlanned()
    {
        ClusterContext context(m_dir.filePath(QStringLiteral("s.sqlite")));
        RebalancePage page(&context);
        context.show(m_demo);
        const std::string rack = m_demo->brokers.front().rack;
        QVERIFY(planWith(page, 1, QStringLiteral("101:%1, 102:%1").arg(QString::fromStdString(rack))));
        QVERIFY2(page.lastError().isEmpty(), qPrintable(page.lastError()));
        const ReassignmentPlan expected =
            planReassignment(*m_demo, {ReassignGoalKind::AddBrokers, {{101, rack}, {102, rack}}, -1});
        QCOMPARE(reassignmentJson(*page.shown()), reassignmentJson(expected));
        QVERIFY(page.shown()->brokers.at(101).replicasAfter > 0);
        auto *brokers = page.findChild<QTreeWidget *>(QStringLiteral("rebalanceBrokerTable"));
        QCOMPARE(brokers->topLevelItemCount(), int(m_demo->brokers.size()) + 2);
        // The maps: the moved partitions only, the new brokers as columns after; a replica on a new broker that
        // leads its partition is outlined and says it arrives; the one it replaces says it leaves.
        LayoutView *before = page.mapBefore(), *after = page.mapAfter();
        QCOMPARE(before->rowCount(), int(expected.moves.size()));
        QCOMPARE(after->rowCount(), int(expected.moves.size()));
        QCOMPARE(before->columnCount(), int(m_demo->brokers.size()));
        QCOMPARE(after->columnCount(), int(m_demo->brokers.size()) + 2);
        QVERIFY(before->columnOf(101) < 0 && after->columnOf(101) >= 0 && after->columnOf(102) >= 0);
        const PartitionMove *led = nullptr;
        for (const auto &m : expected.moves)
            if (!led && m.after.front() >= 101 && m.before.front() != m.after.front())
                led = &m;
        QVERIFY(led);
        QVERIFY(after->showPartition(QString::fromStdString(led->topic), led->partition));
        QVERIFY2(after->selectionText().startsWith(QStringLiteral("%1-%2 on broker %3")
                                                       .arg(QString::fromStdString(led->topic))
                                                       .arg(led->partition)
                                                       .arg(led->after.front())),
                 qPrintable(after->selectionText()));
        QVERIFY2(after->selectionText().contains(QStringLiteral("this replica arrives in the plan")),
                 qPrintable(after->selectionText()));
        QVERIFY(before->showPartition(QString::fromStdString(led->topic), led->partition));
        QCOMPARE(before->selectionText().contains(QStringLiteral("this replica leaves in the plan")),
                 std::find(led->after.begin(), led->after.end(), led->before.front()) == led->after.end());
        auto *movedOnly = page.findChild<QCheckBox *>();
        movedOnly->setChecked(false);
        QCOMPARE(after->rowCount(), int(m_demo->partitionCount()));
        movedOnly->setChecked(true);
        QCOMPARE(after->rowCount(), int(expected.moves.size()));
        // The commands to run, with the throttle in bytes per second.
        for (auto *b : page.findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("&Copy commands"))
                b->click();
        const QString copied = QApplication::clipboard()->text();
        QVERIFY2(copied.contains(QStringLiteral("--execute --throttle 50000000\n")), qPrintable(copied));
        QVERIFY2(copied.contains(QStringLiteral("--reassignment-json-file reassignment.json --verify")),
                 qPrintable(copied));
    }

    void whatCannotBePlannedIsSaid_data()
    {
        QTest::addColumn<int>("goal");
        QTest::addColumn<QString>("brokers");
        QTest::addColumn<QString>("message");
        QTest::addRow("no rack") << 1 << "7"
                                 << "Brokers: write each new broker ID:RACK (\"7\")";
        QTest::addRow("not an id") << 2 << "two"
                                   << "Brokers: \"two\" is not a broker id (a whole number, 0 or more)";
        QTest::addRow("existing") << 1 << "1:x"
                                  << "broker 1 already exists";
        QTest::addRow("unknown broker") << 2 << "99"
                                        << "broker 99 is not in the cluster";
    }
    void whatCannotBePlannedIsSaid()
    {
        QFETCH(int, goal);
        QFETCH(QString, brokers);
        QFETCH(QString, message);
        ClusterContext context(m_dir.filePath(QStringLiteral("s.sqlite")));
        RebalancePage page(&context);
        context.show(m_demo);
        QVERIFY(planWith(page, goal, brokers));
        QVERIFY2(page.lastError().startsWith(message), qPrintable(page.lastError()));
        QVERIFY(!page.shown());
    }
};

QTEST_MAIN(TestRebalancePage)
#include "tst_rebalancepage.moc"
