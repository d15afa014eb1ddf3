// The main window offscreen: the demo snapshot, a live connection to the seeded cluster, cancel, and errors.

#include "clusterfixture.h"
#include "seedspec.h"
#include "services/profileservice.h"
#include "store/database.h"
#include "store/samplestore.h"
#include "ui/lagmodels.h"
#include "ui/layoutpage.h"
#include "ui/layoutview.h"
#include "ui/mainwindow.h"
#include "ui/plannerpage.h"
#include "ui/probedialog.h"
#include "ui/reviewpage.h"
#include "ui/storedialog.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace kp;

namespace {

QTreeWidgetItem *row(QTreeWidget *tree, const QString &firstColumn)
{
    const auto items = tree->findItems(firstColumn, Qt::MatchExactly, 0);
    return items.isEmpty() ? nullptr : items.first();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Keep the test's settings and profile store away from the user's.
        QStandardPaths::setTestModeEnabled(true);
    }

    void demoSnapshotShows()
    {
        MainWindow w;
        w.show();
        QSignalSpy shown(&w, &MainWindow::snapshotShown);
        QSignalSpy overview(w.overviewPage(), &OverviewPage::overviewShown);
        w.showDemo();
        QVERIFY(shown.wait(10000));
        QVERIFY(overview.count() == 1 || overview.wait(10000));
        // Brokers by rack: three racks of two brokers, each rack with its totals.
        auto *brokers = w.findChild<QTreeWidget *>(QStringLiteral("brokers"));
        QCOMPARE(brokers->topLevelItemCount(), 3);
        QCOMPARE(brokers->topLevelItem(0)->text(0), QStringLiteral("rack us-east-1a"));
        QCOMPARE(brokers->topLevelItem(0)->childCount(), 2);
        QCOMPARE(brokers->topLevelItem(0)->data(2, Qt::UserRole).toLongLong(), 218LL + 217LL);
        QCOMPARE(brokers->topLevelItem(0)->child(0)->text(0), QStringLiteral("broker 1"));
        // Every column that is filled has its header.
        QCOMPARE(brokers->headerItem()->text(4), QStringLiteral("Data"));
        QCOMPARE(brokers->headerItem()->text(5), QStringLiteral("Disk used"));
        QVERIFY2(brokers->topLevelItem(0)->child(0)->text(5).contains(QStringLiteral(" of 8.0 TiB (")),
                 qPrintable(brokers->topLevelItem(0)->child(0)->text(5)));
        auto *findings = w.findChild<QTreeWidget *>(QStringLiteral("findings"));
        QCOMPARE(findings->findItems(QStringLiteral("payments-5"), Qt::MatchExactly | Qt::MatchRecursive).size(), 1);
        QCOMPARE(
            findings->findItems(QStringLiteral("training.samples.v7-17"), Qt::MatchExactly | Qt::MatchRecursive).size(),
            1);
        auto *cards = w.findChild<QLabel *>(QStringLiteral("overviewCards"));
        QVERIFY2(cards->text().contains(QStringLiteral("6 in 3 racks")), qPrintable(cards->text()));
        auto *topics = w.findChild<QTreeWidget *>(QStringLiteral("topics"));
        QCOMPARE(topics->topLevelItemCount(), 0); // hidden: its rows are made when it is shown
        w.showTab(3);
        QCOMPARE(topics->columnCount(), 12);
        QCOMPARE(topics->headerItem()->text(10), QStringLiteral("Remote only"));
        QCOMPARE(topics->headerItem()->text(4), QStringLiteral("Size"));
        QCOMPARE(topics->headerItem()->text(9), QStringLiteral("min.insync.replicas"));
        QTreeWidgetItem *samples = row(topics, QStringLiteral("training.samples.v7"));
        QVERIFY(samples);
        QCOMPARE(samples->text(4), QStringLiteral("329.8 GiB"));
        QCOMPARE(samples->text(5), QStringLiteral("1")); // the under-replicated partition
        // Sizes sort by bytes, not by their text: 913.6 MiB < 1.0 GiB < 329.8 GiB.
        topics->sortByColumn(4, Qt::DescendingOrder);
        QCOMPARE(topics->topLevelItem(0)->text(0), QStringLiteral("training.samples.v7"));
        auto *header = w.findChild<QLabel *>(QStringLiteral("summaryHeader"));
        QVERIFY2(header->text().contains(QStringLiteral("demo snapshot")), qPrintable(header->text()));
        QVERIFY(w.currentSnapshot());
        QVERIFY(w.currentSnapshot()->source == SnapshotSource::Demo);
    }

    void liveClusterShowsSeededLag()
    {
        if (!test::requireCluster())
            return;
        MainWindow w;
        w.show();
        QSignalSpy shown(&w, &MainWindow::snapshotShown);
        QSignalSpy lagShown(w.lagPage(), &LagPage::dataShown);
        w.connectTo(test::plaintextProfile());
        QVERIFY(shown.wait(30000));
        QTRY_VERIFY_WITH_TIMEOUT(lagShown.count() >= 1, 10000);
        QVERIFY(w.lagPage()->chooseGroup(QStringLiteral("kp-lagging")));
        const LagGroupRow *lagging = nullptr;
        for (const auto &g : w.lagPage()->data()->groups)
            if (g.group == "kp-lagging")
                lagging = &g;
        QVERIFY(lagging);
        QCOMPARE(lagging->state, std::string("Empty"));
        QCOMPARE(lagging->totalLag, int64_t(2080));
        QCOMPARE(lagging->partitions, 64);
        // Its partitions, each with the seeded lag p + 1.
        auto *parts = w.lagPage()->partitionsProxy();
        QCOMPARE(parts->rowCount(), 64);
        for (int r = 0; r < parts->rowCount(); ++r)
            QCOMPARE(parts->index(r, LagPartitionsModel::Lag).data(kRawRole).toLongLong(),
                     parts->index(r, LagPartitionsModel::Partition).data(kRawRole).toLongLong() + 1);
        auto *topics = w.findChild<QTreeWidget *>(QStringLiteral("topics"));
        w.showTab(3); // the Topics page: a hidden page's rows follow the cluster when it is shown
        QTreeWidgetItem *orders = row(topics, QStringLiteral("orders"));
        QVERIFY(orders);
        QCOMPARE(orders->data(1, Qt::UserRole).toLongLong(), 12LL);
        QCOMPARE(orders->text(9), QStringLiteral("2"));
        QVERIFY2(orders->text(4).endsWith(QStringLiteral("KiB")), qPrintable(orders->text(4))); // 798 x 200 B + headers
        QCOMPARE(orders->text(10), QString());                                                  // not tiered
        if (test::kafkaMajor() >= 4) {
            // cluster.sh seed-4x's tiered topic: about 10 MiB of 512-byte records in the remote tier only.
            QTreeWidgetItem *tiered = row(topics, QStringLiteral("tiered-events"));
            QVERIFY(tiered);
            QVERIFY2(tiered->text(10).startsWith(QStringLiteral("~")) &&
                         tiered->text(10).endsWith(QStringLiteral("MiB")),
                     qPrintable(tiered->text(10)));
            QCOMPARE(tiered->text(11), QStringLiteral("1 s")); // local.retention.ms as a duration
            QCOMPARE(tiered->toolTip(11), QStringLiteral("local.retention.ms = 1000"));
            // The Layout's details of its cell: where the local log starts and what lives in the remote tier only.
            QVERIFY(w.layoutPage()->search(QStringLiteral("tiered-events-0")));
            const QString details = w.layoutPage()->view()->selectionText();
            QVERIFY2(details.contains(QStringLiteral("offsets in the remote tier only")), qPrintable(details));
        }
        auto *brokers = w.findChild<QTreeWidget *>(QStringLiteral("brokers"));
        QTRY_VERIFY_WITH_TIMEOUT(brokers->topLevelItemCount() == 3, 10000);
        const auto broker2 = brokers->findItems(QStringLiteral("broker 2"), Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(broker2.size(), 1);
        QCOMPARE(broker2.first()->parent()->text(0), QStringLiteral("rack az-b"));
        // Refresh again: a second snapshot arrives, the window stays responsive meanwhile (the spy waits in the loop).
        w.refresh();
        QVERIFY(shown.wait(30000));
        QCOMPARE(shown.count(), 2);
    }

    // A drill on the Review page takes its samples from the window's sampler (every 2 s while it runs); nothing fails
    // on the healthy cluster, so the item is recorded as not exercised. Disconnecting ends a running drill.
    void reviewDrillUsesTheSessionsSamples()
    {
        if (!test::requireCluster())
            return;
        MainWindow w;
        auto *review = w.findChild<ReviewPage *>();
        QVERIFY(review);
        QSignalSpy loaded(review, &ReviewPage::reviewLoaded);
        QVERIFY(loaded.count() > 0 || loaded.wait(10000));
        QSignalSpy shown(&w, &MainWindow::snapshotShown);
        QSignalSpy samples(&w, &MainWindow::sampleRecorded);
        w.connectTo(test::plaintextProfile());
        QVERIFY(shown.wait(30000));
        review->selectItem(QStringLiteral("replay-large-range"));
        const size_t drills = review->review().drills.size(); // the test store keeps earlier runs' reviews
        review->startDrill();
        QVERIFY(review->drilling());
        const int before = int(samples.count());
        QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= before + 2, 20000); // 2-s samples, not the configured 10 s
        review->stopDrill();
        const ReviewItem *item = review->review().item("replay-large-range");
        QCOMPARE(item->evidence.basis, EvidenceBasis::Drill);
        QVERIFY(!item->evidence.failurePathExercised);
        QCOMPARE(review->review().drills.size(), drills + 1);
        QVERIFY(review->review().drills.back().samples.size() >= 2);
        QCOMPARE(review->review().drills.back().summary.brokersAtStart, 3);
        // Started again, then the window disconnects: the drill ends with what it saw.
        review->startDrill();
        QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= before + 3, 20000);
        w.disconnectCluster();
        QVERIFY(!review->drilling());
        QCOMPARE(review->review().drills.size(), drills + 2);
    }

    void liveClusterIsSampledIntoHistory()
    {
        if (!test::requireCluster())
            return;
        QSettings().setValue(QStringLiteral("sampling/intervalSeconds"), 1);
        const int64_t started = QDateTime::currentMSecsSinceEpoch();
        std::string clusterId;
        {
            MainWindow w;
            QSignalSpy samples(&w, &MainWindow::sampleRecorded);
            QSignalSpy shown(&w, &MainWindow::snapshotShown);
            w.connectTo(test::plaintextProfile());
            // The refresh is a sample, then one a second.
            QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= 3, 30000);
            QVERIFY(shown.count() >= 1);
            clusterId = w.currentSnapshot()->clusterId;
            auto *status = w.findChild<QLabel *>(QStringLiteral("samplingStatus"));
            QVERIFY2(status->text().startsWith(QStringLiteral("History: ")), qPrintable(status->text()));
            // With samples recorded, the Lag page judges: kp-lagging has no member and does not move: STOP on every
            // partition, ERR for the group. When its messages were written is before the history, so the page reads
            // the first record not consumed yet (at the committed offset) and shows its age: never 0 from the history.
            QSignalSpy lagShown(w.lagPage(), &LagPage::dataShown);
            w.lagPage()->reload();
            QVERIFY(lagShown.wait(10000));
            QVERIFY(w.lagPage()->data()->hasHistory);
            auto lagging = [&w]() -> const LagGroupRow * {
                for (const auto &g : w.lagPage()->data()->groups)
                    if (g.group == "kp-lagging")
                        return &g;
                return nullptr;
            };
            QVERIFY(lagging());
            QCOMPARE(lagging()->status, GroupStatus::Err);
            for (const auto &p : w.lagPage()->data()->partitions.at("kp-lagging"))
                QCOMPARE(std::string(toString(p.status)), std::string("STOP"));
            QTRY_VERIFY_WITH_TIMEOUT(lagging() && lagging()->maxTimeLagSeconds, 15000);
            for (const auto &p : w.lagPage()->data()->partitions.at("kp-lagging")) {
                QVERIFY2(p.timeLagNote().rfind("from the first record not consumed yet: offset " +
                                                   std::to_string(p.committed()) + ", written ",
                                               0) == 0,
                         p.timeLagNote().c_str());
                // Seeded before this test started; a day bounds any test cluster.
                QVERIFY2(p.timeLagSeconds && *p.timeLagSeconds > 0 && *p.timeLagSeconds < 86400,
                         p.timeLagNote().c_str());
                QVERIFY(*p.timeLagSeconds <= *lagging()->maxTimeLagSeconds);
            }
            // The chart has the recorded points of the selected group.
            QVERIFY(w.lagPage()->chooseGroup(QStringLiteral("kp-lagging")));
            QTRY_VERIFY_WITH_TIMEOUT(w.lagPage()->chartPoints() >= 3, 10000);
            // Its time lag line has the ages the table shows, read from the records (the history cannot tell them).
            QTRY_VERIFY_WITH_TIMEOUT(w.lagPage()->recordChartPoints() >= 3, 15000);
            // Disconnect: sampling stops, the snapshot stays. A sample taken before may still be announced (its merge
            // into the snapshot shown ends on a pool thread), none taken after.
            const qint64 disconnectedAt = QDateTime::currentMSecsSinceEpoch();
            w.disconnectCluster();
            QVERIFY(!w.session());
            QVERIFY(w.currentSnapshot());
            const int recorded = int(samples.count());
            QTest::qWait(2500);
            for (int i = recorded; i < samples.count(); ++i)
                QVERIFY(samples.at(i).at(0).toLongLong() < disconnectedAt);
        } // closing the window stops the sampler
        QSettings().remove(QStringLiteral("sampling/intervalSeconds"));
        Database db(Database::defaultPath());
        SampleStore store(db);
        const auto h = store.history(clusterId, started, QDateTime::currentMSecsSinceEpoch());
        const seed::Topic &orders = *seed::topic("orders");
        const auto &ends = h.partitions.at({"orders", 3});
        QVERIFY(ends.size() >= 3);
        for (const auto &e : ends)
            QCOMPARE(e.endOffset, seed::messages(orders, 3));
        QVERIFY(ends.back().sizeBytes > 0);
        const seed::Group &lagging = seed::groups()[1];
        const auto &commits = h.groups.at(lagging.id).at({lagging.topic, 5});
        QVERIFY(commits.size() >= 3);
        QCOMPARE(commits.back().offset, seed::committed(lagging, 5));
    }

    // A refresh is recorded as a sample, and the next sample comes an interval after it, not when the sampler's timer
    // was due anyway (a refresh and a sample a few hundred milliseconds apart: two collections from the brokers, two
    // frames, and the pages built twice at once).
    void aRefreshRestartsTheSamplingInterval()
    {
        if (!test::requireCluster())
            return;
        QSettings().setValue(QStringLiteral("sampling/intervalSeconds"), 3);
        {
            MainWindow w;
            QSignalSpy samples(&w, &MainWindow::sampleRecorded);
            QSignalSpy shown(&w, &MainWindow::snapshotShown);
            w.connectTo(test::plaintextProfile());
            QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= 2, 30000); // the connection's refresh, then the timer's sample
            QTest::qWait(2000);                                    // the timer is due in about a second
            const int before = int(samples.count());
            w.refresh();
            QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= before + 2, 30000); // the refresh's, then the next
            const qint64 refreshAt = samples.at(before).at(0).toLongLong();
            const qint64 nextAt = samples.at(before + 1).at(0).toLongLong();
            QCOMPARE(shown.count(), 2); // the connection's and this refresh's snapshots: the second was the refresh's
            // An interval less what a coarse timer may fire early (5%) and when in the refresh its time was taken; the
            // timer's own turn would have come a second after the refresh began.
            QVERIFY2(nextAt - refreshAt >= 2500, qPrintable(QStringLiteral("%1 ms apart").arg(nextAt - refreshAt)));
        }
        QSettings().remove(QStringLiteral("sampling/intervalSeconds"));
    }

    // The Issues tab: what a user without some permissions could not read, step by step, counted in the tab's title;
    // an empty list says so in words.
    void issuesTabSaysWhatCouldNotBeRead()
    {
        if (!test::requireCluster())
            return;
        IssueLog::instance().clear(); // the process's log: what tests before this one reported is not this window's
        auto issuesOf = [](MainWindow &w) { return w.findChild<QTreeWidget *>(QStringLiteral("problems")); };
        auto tabTitle = [](MainWindow &w) {
            auto *tabs = w.findChild<QTabWidget *>(QStringLiteral("pages"));
            return tabs->tabText(tabs->indexOf(w.findChild<QTreeWidget *>(QStringLiteral("problems"))));
        };
        {
            MainWindow w;
            QSignalSpy shown(&w, &MainWindow::snapshotShown);
            w.showDemo();
            QVERIFY(shown.wait(10000));
            QCOMPARE(tabTitle(w), QStringLiteral("&Issues"));
            QCOMPARE(issuesOf(w)->topLevelItemCount(), 1);
            QCOMPARE(issuesOf(w)->topLevelItem(0)->text(0), QStringLiteral("none"));
        }
        // The reader may read topics but not describe the cluster: DescribeLogDirs is refused, said as such.
        MainWindow w;
        QSignalSpy shown(&w, &MainWindow::snapshotShown);
        w.connectTo(test::plainTlsProfile(seed::kReaderUser, seed::kReaderPassword));
        QVERIFY(shown.wait(30000));
        QTreeWidget *issues = issuesOf(w);
        const int n = issues->topLevelItemCount();
        QVERIFY(n >= 3); // one per broker at least
        QCOMPARE(tabTitle(w), QStringLiteral("&Issues (%1)").arg(n));
        QCOMPARE(issues->findItems(QStringLiteral("none"), Qt::MatchExactly, 0).size(), 0);
        int logDirs = 0;
        for (int i = 0; i < n; ++i)
            if (issues->topLevelItem(i)->text(0) == QStringLiteral("logDirs") &&
                issues->topLevelItem(i)->text(2).contains(
                    QStringLiteral("not authorized: DescribeLogDirs needs Describe on the Cluster")))
                ++logDirs;
        QVERIFY2(logDirs >= 1, qPrintable(issues->topLevelItem(0)->text(2)));
        QCOMPARE(w.currentSnapshot()->problems.size(), size_t(n)); // nothing else went wrong
    }

    // Whatever any layer reports lands under Issues once, counted; the next snapshot replaces its own problems only.
    void issuesFoldRepeatsWithACount()
    {
        IssueLog::instance().clear();
        MainWindow w;
        QSignalSpy shown(&w, &MainWindow::snapshotShown);
        w.showDemo();
        QVERIFY(shown.wait(10000));
        auto *issues = w.findChild<QTreeWidget *>(QStringLiteral("problems"));
        auto *tabs = w.findChild<QTabWidget *>(QStringLiteral("pages"));
        QCOMPARE(tabs->tabText(tabs->indexOf(issues)), QStringLiteral("&Issues"));
        for (int i = 0; i < 3; ++i) // a sample failing every interval, say
            IssueLog::instance().report(QStringLiteral("sampling"), QStringLiteral("prod"),
                                        QStringLiteral("no answer within 5 s"));
        QCOMPARE(issues->topLevelItemCount(), 1);
        QCOMPARE(issues->topLevelItem(0)->text(0), QStringLiteral("sampling"));
        QCOMPARE(issues->topLevelItem(0)->text(1), QStringLiteral("prod"));
        QCOMPARE(issues->topLevelItem(0)->text(2), QStringLiteral("no answer within 5 s"));
        QCOMPARE(issues->topLevelItem(0)->text(3), QStringLiteral("3"));
        QCOMPARE(tabs->tabText(tabs->indexOf(issues)), QStringLiteral("&Issues (1)"));
        w.showDemo(); // another snapshot: what was reported stays
        QVERIFY(shown.wait(10000));
        QCOMPARE(issues->topLevelItemCount(), 1);
        QCOMPARE(issues->topLevelItem(0)->text(3), QStringLiteral("3"));
        IssueLog::instance().clear();
        QCOMPARE(issues->topLevelItem(0)->text(0), QStringLiteral("none"));
        QCOMPARE(tabs->tabText(tabs->indexOf(issues)), QStringLiteral("&Issues"));
    }

    // The probe from the window on the real cluster: refused without topics, then orders read whole (798 seeded
    // records), opened in the Planner beside the replay; a throttled one stopped with Esc keeps its partial result.
    void probeFromTheWindow()
    {
        if (!test::requireCluster())
            return;
        MainWindow w;
        QSignalSpy shown(&w, &MainWindow::snapshotShown);
        w.connectTo(test::plaintextProfile());
        QVERIFY(shown.wait(30000));
        ProbeDialog *d = w.openProbeDialog();
        QVERIFY(d);
        d->run();
        QVERIFY(!d->running());
        QVERIFY2(d->statusText().startsWith(QStringLiteral("--topic")), qPrintable(d->statusText()));
        d->setTopics(QStringLiteral("^orders$"));
        QSignalSpy done(d, &ProbeDialog::finished);
        d->run();
        QVERIFY(d->running());
        QVERIFY(done.wait(60000));
        QVERIFY2(d->result(), qPrintable(d->statusText()));
        const seed::Topic &orders = *seed::topic("orders");
        int64_t seeded = 0;
        for (int p = 0; p < orders.partitions; ++p)
            seeded += seed::messages(orders, p);
        QCOMPARE(d->result()->messages, seeded);
        QCOMPARE(d->result()->stoppedBy, std::string("complete"));
        QSignalSpy planned(w.plannerPage(), &PlannerPage::probeShown);
        Q_EMIT d->openInPlanner(*d->result());
        QCOMPARE(planned.count(), 1);
        QVERIFY(w.plannerPage()->probeComparison());
        // Esc while a throttled probe runs: the reading stops at once, the dialog stays with what was read.
        d->setThrottle(0.001); // 1,000 bytes a second: the 159,600 bytes of orders take minutes
        QElapsedTimer sinceRun;
        sinceRun.start();
        d->run();
        // The status follows the bytes read (it said "0 B" throughout: the counter never reached the readers); on a
        // loaded machine the first bytes have come later than 1.5 s in.
        QTRY_VERIFY2_WITH_TIMEOUT(d->statusText().startsWith(QStringLiteral("Reading: ")) &&
                                      !d->statusText().startsWith(QStringLiteral("Reading: 0 B")),
                                  qPrintable(d->statusText()), 10000);
        QVERIFY(d->running());
        QElapsedTimer clock;
        clock.start();
        const double escAt = double(sinceRun.elapsed()) / 1000;
        QTest::keyClick(d, Qt::Key_Escape); // as a person would
        QVERIFY2(done.wait(10000), qPrintable(d->statusText()));
        QVERIFY2(clock.elapsed() < 5000, std::to_string(clock.elapsed()).c_str()); // with the groups' lag after
        QVERIFY2(d->result()->seconds < escAt + 0.7,                               // reading ended at once
                 (std::to_string(d->result()->seconds) + " s read, Esc at " + std::to_string(escAt) + " s").c_str());
        QCOMPARE(d->result()->stoppedBy, std::string("cancelled"));
        QVERIFY(d->result()->messages > 0 && d->result()->messages < seeded);
        QVERIFY(d->isVisible());
    }

    void cancelRefresh()
    {
        if (!test::requireCluster())
            return;
        MainWindow w;
        QSignalSpy shown(&w, &MainWindow::snapshotShown);
        QSignalSpy errors(&w, &MainWindow::errorShown);
        w.connectTo(test::plaintextProfile());
        w.cancel(); // before the worker starts: the collection stops at its first check
        QSignalSpy busy(w.session(), &ClusterSession::busyChanged);
        QTRY_VERIFY_WITH_TIMEOUT(!w.session()->busy(), 10000);
        QCOMPARE(shown.count(), 0);
        QCOMPARE(errors.count(), 0); // a cancel is not an error
        QVERIFY(!w.currentSnapshot());
    }

    void unreachableShowsBanner()
    {
        MainWindow w;
        QSignalSpy errors(&w, &MainWindow::errorShown);
        ConnectionProfile p = test::plaintextProfile(1000);
        p.bootstrap = "127.0.0.1:1";
        w.connectTo(p);
        QVERIFY(errors.wait(10000));
        QVERIFY2(errors.first().first().toString().contains(QStringLiteral("could not reach any bootstrap server")),
                 qPrintable(errors.first().first().toString()));
        auto *banner = w.findChild<QLabel *>(QStringLiteral("errorBanner"));
        QVERIFY(!banner->isHidden());
    }

    // A connection given on the command line: the sidebar names it (--name, else its first address and how many
    // more), and activating it again connects again from memory (it is not in the profile store: it said "no longer
    // exists"). The window fits the screen.
    void commandLineConnectionInTheSidebar()
    {
        MainWindow w;
        QSignalSpy errors(&w, &MainWindow::errorShown);
        w.openInitial({QStringLiteral("--bootstrap"), QStringLiteral("127.0.0.1:1,127.0.0.1:2,127.0.0.1:3")});
        w.openInitial({QStringLiteral("--bootstrap"), QStringLiteral("127.0.0.1:4,127.0.0.1:5"),
                       QStringLiteral("--name"), QStringLiteral("Living demo")});
        auto *list = w.findChild<QListWidget *>(QStringLiteral("clusterList"));
        QStringList labels;
        for (int i = 0; i < list->count(); ++i)
            labels << list->item(i)->text();
        QVERIFY2(labels.contains(QStringLiteral("127.0.0.1:1 +2")), qPrintable(labels.join(QLatin1Char('|'))));
        QVERIFY2(labels.contains(QStringLiteral("Living demo")), qPrintable(labels.join(QLatin1Char('|'))));
        QTRY_VERIFY_WITH_TIMEOUT(!w.session()->busy(), 30000);
        errors.clear();
        const auto items = list->findItems(QStringLiteral("Living demo"), Qt::MatchExactly);
        Q_EMIT list->itemActivated(items.front());
        QVERIFY(errors.wait(30000)); // it connects again, and cannot reach 127.0.0.1:4
        QVERIFY2(errors.last().first().toString().contains(QStringLiteral("127.0.0.1:4")),
                 qPrintable(errors.last().first().toString()));
        QVERIFY(!errors.last().first().toString().contains(QStringLiteral("no longer exists")));
        const QRect screen = w.screen()->availableGeometry();
        QVERIFY(w.width() <= screen.width() && w.height() <= screen.height());
    }

    // Store…: a store that cannot be opened is named and not taken; one that opens is, the sidebar lists its profiles
    // in place of the old store's, and the next window starts on it.
    void storeChosenInTheWindow()
    {
        QTemporaryDir dir;
        const QString other = dir.filePath(QStringLiteral("team.sqlite"));
        ConnectionProfile teamProfile;
        teamProfile.name = "team-cluster";
        teamProfile.bootstrap = "127.0.0.1:1";
        ProfileService(other).save(teamProfile);
        MainWindow w;
        StoreDialog dialog(w.context()->storePath(), &w);
        dialog.setLocation(QStringLiteral("postgresql://kp@127.0.0.1:1/kp?connect_timeout=2"));
        dialog.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.trying(), 15000);
        QVERIFY2(dialog.statusText().startsWith(QStringLiteral("Not used: postgresql://kp@127.0.0.1:1/kp")) &&
                     dialog.statusText().contains(QStringLiteral("cannot connect")),
                 qPrintable(dialog.statusText()));
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        dialog.setLocation(other);
        dialog.accept();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 15000);
        w.useStore(dialog.location());
        QCOMPARE(w.context()->storePath(), other);
        auto *list = w.findChild<QListWidget *>(QStringLiteral("clusterList"));
        QTRY_VERIFY_WITH_TIMEOUT(!list->findItems(QStringLiteral("team-cluster"), Qt::MatchExactly).isEmpty(), 10000);
        {
            MainWindow next;
            QCOMPARE(next.context()->storePath(), other);
        }
        w.useStore(Database::defaultPath());
        QTRY_VERIFY_WITH_TIMEOUT(list->findItems(QStringLiteral("team-cluster"), Qt::MatchExactly).isEmpty(), 10000);
        QVERIFY(!QSettings().contains(QStringLiteral("store/location")) ||
                QSettings().value(QStringLiteral("store/location")).toString().isEmpty());
    }

    void malformedFileShowsBanner()
    {
        MainWindow w;
        QSignalSpy errors(&w, &MainWindow::errorShown);
        w.openSnapshotFile(QStringLiteral(KP_TEST_DATA "/bad-leader.kpsnap.json"));
        QVERIFY(errors.wait(10000));
        QVERIFY2(errors.first().first().toString().contains(
                     QStringLiteral("topics[0].partitions[0].leader: expected an integer, found string")),
                 qPrintable(errors.first().first().toString()));
        QVERIFY(!w.currentSnapshot());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
