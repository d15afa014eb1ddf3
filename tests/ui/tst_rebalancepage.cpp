// The Rebalance page on the demo cluster's layout: the plan it shows is the planner's for the same snapshot and goal,
// row for row; a goal typed in the fields (new brokers, their racks) is planned; what cannot be planned is said
// naming the field or the reason; the commands copied are the ones to run.

#include "models/snapshotjson.h"
#include "ui/rebalancepage.h"

#include <QApplication>
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
