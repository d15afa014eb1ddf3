// The Review and Runs pages: editing an item recolours it with the reason and is kept in the store; evidence comes
// from a snapshot; a drill fed with samples counts the failure path only when one shows it; milestones compare;
// exports are written. The Runs page records a time window on the real cluster and shows the seeded offsets, and sends
// its OpenLineage events (or keeps them until the endpoint is back).

#include "clusterfixture.h"
#include "kafka/kafkaclient.h"
#include "kafka/snapshotcollector.h"
#include "lineagereceiver.h"
#include "storefixture.h"
#include "models/snapshotjson.h"
#include "services/reviewservice.h"
#include "store/database.h"
#include "store/runstore.h"
#include "ui/plannerpage.h"
#include "ui/recordrundialog.h"
#include "ui/reviewconflictdialog.h"
#include "ui/reviewpage.h"
#include "ui/runspage.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace kp;
namespace sd = kp::seed;

namespace {

QTreeWidgetItem *itemRow(QTreeWidget *tree, const QString &id)
{
    QTreeWidgetItemIterator it(tree);
    for (; *it; ++it)
        if ((*it)->data(0, Qt::UserRole).toString() == id)
            return *it;
    return nullptr;
}

// Records a run of `topic` over the last 7 days (inside the retention) as the dialog would, and waits until the page
// lists it; the request, for refusals.
RunRequest recordLastWeek(RunsPage &page, QSignalSpy &loaded, const std::string &job, const std::string &topic)
{
    RunRequest r;
    r.jobId = job;
    r.model = "ranker";
    r.topics = {topic};
    r.fromMs = QDateTime::currentMSecsSinceEpoch() - 7LL * 86400000 + 3600000;
    r.toMs = QDateTime::currentMSecsSinceEpoch();
    QSignalSpy recorded(&page, &RunsPage::recorded);
    QSignalSpy failed(&page, &RunsPage::failed);
    page.record(r);
    if (!recorded.wait(30000))
        qWarning("recording failed: %s", failed.isEmpty() ? "no answer" : qPrintable(failed.at(0).at(0).toString()));
    else if (!loaded.wait(10000))
        qWarning("the page did not list the run");
    return r;
}

// The demo cluster with every partition fully in sync (the demo has one under-replicated partition).
ClusterSnapshot whole()
{
    ClusterSnapshot s = loadSnapshotFile(KP_DEMO_SNAPSHOT);
    for (auto &t : s.topics)
        for (auto &p : t.partitions)
            p.isr = p.replicas;
    return s;
}

} // namespace

class TestReviewRuns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void itemsRecolourAsTheyAreFilledAndAreKept()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("s.sqlite"));
        {
            ClusterContext context(db);
            ReviewPage page(&context);
            QSignalSpy loaded(&page, &ReviewPage::reviewLoaded);
            QVERIFY(loaded.wait(10000));
            auto *items = page.findChild<QTreeWidget *>(QStringLiteral("reviewItems"));
            QCOMPARE(items->topLevelItemCount(), 4);
            QTreeWidgetItem *row = itemRow(items, QStringLiteral("replication"));
            QVERIFY(row);
            QCOMPARE(row->text(1), QStringLiteral("RED"));
            QCOMPARE(row->text(2).section(QLatin1Char(';'), 0, 0), QStringLiteral("no evidence: relying on intuition"));
            page.selectItem(QStringLiteral("replication"));
            QTest::keyClicks(page.findChild<QLineEdit *>(QStringLiteral("reviewOwnerPerson")), QStringLiteral("Ana"));
            QTest::keyClicks(page.findChild<QLineEdit *>(QStringLiteral("reviewOwnerTeam")),
                             QStringLiteral("data-platform"));
            QTest::keyClicks(page.findChild<QLineEdit *>(QStringLiteral("reviewRunbook")),
                             QStringLiteral("kafka-planner review check review.json --profile prod"));
            auto *basis = page.findChild<QComboBox *>(QStringLiteral("reviewBasis"));
            basis->setCurrentIndex(basis->findText(QStringLiteral("measured")));
            QCOMPARE(row->text(1), QStringLiteral("RED")); // measured, but not passing: a failing check
            QVERIFY2(row->text(2).startsWith(QStringLiteral("the check fails")), qPrintable(row->text(2)));
            page.findChild<QCheckBox *>(QStringLiteral("reviewPasses"))->setChecked(true);
            QCOMPARE(row->text(1), QStringLiteral("GREEN")); // threshold and metric come from the template
            auto *status = page.findChild<QLabel *>(QStringLiteral("reviewStatus"));
            QVERIFY2(status->text().contains(QStringLiteral("owned by Ana (data-platform)")),
                     qPrintable(status->text()));
            // Not applicable without a reason is yellow; with one, N/A.
            page.selectItem(QStringLiteral("kafka-connect"));
            page.findChild<QCheckBox *>(QStringLiteral("reviewNotApplicable"))->setChecked(true);
            QTreeWidgetItem *connect = itemRow(items, QStringLiteral("kafka-connect"));
            QCOMPARE(connect->text(1), QStringLiteral("YELLOW"));
            QTest::keyClicks(page.findChild<QLineEdit *>(QStringLiteral("reviewNotApplicableReason")),
                             QStringLiteral("no connectors in the pipeline"));
            QCOMPARE(connect->text(1), QStringLiteral("N/A"));
            QSignalSpy saved(&page, &ReviewPage::saved);
            page.saveNow();
            QVERIFY(saved.wait(10000));
        }
        // Reopened from the store: as it was left.
        ClusterContext context(db);
        ReviewPage again(&context);
        QSignalSpy loaded(&again, &ReviewPage::reviewLoaded);
        QVERIFY(loaded.wait(10000));
        const ReviewItem *r = again.review().item("replication");
        QCOMPARE(r->ownerPerson, std::string("Ana"));
        QCOMPARE(r->evidence.basis, EvidenceBasis::Measured);
        QVERIFY(r->evidence.passes);
        QCOMPARE(again.review().item("kafka-connect")->notApplicableReason,
                 std::string("no connectors in the pipeline"));
        auto *summary = again.findChild<QLabel *>(QStringLiteral("reviewSummary"));
        QVERIFY2(summary->text().contains(QStringLiteral("1 green, 0 yellow, 21 red, 1 not applicable")),
                 qPrintable(summary->text()));
    }

    // Two people on one review: Bob saves the store's copy while Ana edits hers; Ana's next save is refused by the
    // store, the page shows the differences (the replication item's owner, Bob's notes on kafka-connect) and saves
    // what she chose over Bob's revision: her owner for replication, his kafka-connect.
    void crossedSavesAreResolvedByThePerson()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("s.sqlite"));
        ClusterContext context(db);
        ReviewPage page(&context);
        QSignalSpy loaded(&page, &ReviewPage::reviewLoaded);
        QVERIFY(loaded.wait(10000));
        QSignalSpy saved(&page, &ReviewPage::saved);
        page.saveNow();
        QTRY_COMPARE_WITH_TIMEOUT(page.revision(), int64_t(1), 10000);
        const std::string name = page.review().name;
        {
            StoredReviews bob(db);
            auto theirs = bob.load(name);
            QVERIFY(theirs);
            theirs->doc.item("replication")->ownerPerson = "Bob";
            theirs->doc.item("kafka-connect")->notes = "Bob: no connectors";
            QCOMPARE(bob.save(name, theirs->doc, 1), int64_t(2));
        }
        page.selectItem(QStringLiteral("replication"));
        QTest::keyClicks(page.findChild<QLineEdit *>(QStringLiteral("reviewOwnerPerson")), QStringLiteral("Ana"));
        QSignalSpy conflict(&page, &ReviewPage::conflictShown);
        page.saveNow();
        QVERIFY(conflict.wait(10000));
        auto *dialog = conflict.first().first().value<ReviewConflictDialog *>();
        auto *tree = dialog->findChild<QTreeWidget *>(QStringLiteral("conflicts"));
        QStringList rows;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            for (int k = 0; k < tree->topLevelItem(i)->childCount(); ++k) {
                const QTreeWidgetItem *row = tree->topLevelItem(i)->child(k);
                rows << tree->topLevelItem(i)->text(0) + QLatin1Char(':') + row->text(0) + QLatin1Char('=') +
                            row->text(1) + QLatin1Char('|') + row->text(2);
            }
        QVERIFY2(rows.contains(QStringLiteral("Replication (replication):ownerPerson=Ana|Bob")),
                 qPrintable(rows.join(u';')));
        QVERIFY2(rows.contains(QStringLiteral("Kafka Connect (kafka-connect):notes=|Bob: no connectors")),
                 qPrintable(rows.join(u';')));
        QCOMPARE(rows.size(), 2);
        dialog->setKeepMine("replication", true);
        saved.clear();
        dialog->accept();
        QVERIFY(saved.wait(10000));
        QCOMPARE(page.revision(), int64_t(3));
        const auto stored = StoredReviews(db).load(name);
        QCOMPARE(stored->revision, int64_t(3));
        QCOMPARE(stored->doc.item("replication")->ownerPerson, std::string("Ana"));
        QCOMPARE(stored->doc.item("kafka-connect")->notes, std::string("Bob: no connectors"));
        QCOMPARE(page.review().item("kafka-connect")->notes, std::string("Bob: no connectors"));
    }

    void evidenceDrillsMilestonesAndExports()
    {
        QTemporaryDir dir;
        ClusterContext context(dir.filePath(QStringLiteral("s.sqlite")));
        ReviewPage page(&context);
        QSignalSpy loaded(&page, &ReviewPage::reviewLoaded);
        QVERIFY(loaded.wait(10000));
        // Evidence from the demo snapshot: payments-5 has two replicas in one rack.
        context.show(std::make_shared<const ClusterSnapshot>(loadSnapshotFile(KP_DEMO_SNAPSHOT)));
        QSignalSpy refreshed(&page, &ReviewPage::evidenceRefreshed);
        page.refreshEvidence();
        QVERIFY(refreshed.wait(10000));
        const Evidence &replication = page.review().item("replication")->evidence;
        QCOMPARE(replication.basis, EvidenceBasis::Measured);
        QVERIFY(!replication.passes);
        QVERIFY2(replication.detail.find("payments-5") != std::string::npos, replication.detail.c_str());
        // A drill: whole, a broker gone with partitions under-replicated, whole again.
        context.show(std::make_shared<const ClusterSnapshot>(whole()), test::plaintextProfile()); // as if connected
        page.selectItem(QStringLiteral("lose-broker-during-replay"));
        QSignalSpy drill(&page, &ReviewPage::drillChanged);
        page.startDrill();
        QCOMPARE(drill.count(), 1);
        QVERIFY(drill.at(0).at(0).toBool());
        ClusterSnapshot a = whole(), b = whole(), c = whole();
        a.takenAtMs = 1000000;
        b.takenAtMs = 1002000;
        c.takenAtMs = 1009000;
        b.brokers.pop_back();
        int urp = 0;
        for (auto &t : b.topics)
            for (auto &p : t.partitions)
                if (p.replicas.size() > 1 && std::find(p.isr.begin(), p.isr.end(), 6) != p.isr.end()) {
                    p.isr.erase(std::find(p.isr.begin(), p.isr.end(), 6));
                    ++urp;
                }
        QVERIFY(urp > 0);
        for (const auto *s : {&a, &b, &c})
            page.addDrillSample(std::make_shared<const ClusterSnapshot>(*s));
        page.stopDrill();
        const Evidence &e = page.review().item("lose-broker-during-replay")->evidence;
        QCOMPARE(e.basis, EvidenceBasis::Drill);
        QVERIFY(e.failurePathExercised);
        QVERIFY(e.passes);
        QVERIFY2(e.detail.find("at most " + std::to_string(urp) + " under-replicated") != std::string::npos,
                 e.detail.c_str());
        QVERIFY2(e.detail.find("recovered in 7 s") != std::string::npos, e.detail.c_str());
        // A drill in which nothing failed: not exercised.
        page.selectItem(QStringLiteral("add-remove-brokers"));
        page.startDrill();
        page.addDrillSample(std::make_shared<const ClusterSnapshot>(a));
        page.addDrillSample(std::make_shared<const ClusterSnapshot>(c));
        page.stopDrill();
        QVERIFY(!page.review().item("add-remove-brokers")->evidence.failurePathExercised);
        QCOMPARE(page.review().drills.size(), size_t(2));
        // Milestone, a change, the comparison.
        page.addMilestone(QStringLiteral("after drills"));
        page.selectItem(QStringLiteral("observability"));
        QTest::keyClicks(page.findChild<QLineEdit *>(QStringLiteral("reviewOwnerTeam")), QStringLiteral("sre"));
        const auto changes = page.compareWith(QStringLiteral("after drills"));
        QCOMPARE(changes.size(), size_t(1));
        QCOMPARE(changes[0].item, std::string("observability"));
        // Exports, written off the GUI thread.
        QSignalSpy exported(&page, &ReviewPage::exported);
        QString error;
        const QString pdf = dir.filePath(QStringLiteral("r.pdf")), md = dir.filePath(QStringLiteral("r.md"));
        QVERIFY(page.exportTo(pdf, &error));
        QVERIFY(page.exportTo(md, &error));
        QVERIFY(!page.exportTo(dir.filePath(QStringLiteral("r.docx")), &error));
        QCOMPARE(error, QStringLiteral("Export as .md, .html, .pdf or .json"));
        while (exported.count() < 2)
            QVERIFY(exported.wait(10000));
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.read(5) == "%PDF-");
        QFile m(md);
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QByteArray text = m.readAll();
        QVERIFY(text.contains("| Losing a broker during a replay | **YELLOW** |")); // passes, no owner yet
        QVERIFY(text.contains("## Milestones"));
    }

    // A time window over all of orders' data: every partition from 0 to its seeded count, still replayable.
    // The record dialog hands over what was typed, lists trimmed and split, the basis as chosen.
    void recordDialogReadsWhatWasTyped()
    {
        const ClusterSnapshot demo = loadSnapshotFile(KP_DEMO_SNAPSHOT);
        RecordRunDialog dialog(demo);
        auto set = [&](const char *name, const char *text) {
            auto *edit = dialog.findChild<QLineEdit *>(QLatin1String(name));
            QVERIFY2(edit, name);
            edit->setText(QString::fromUtf8(text));
        };
        set("runJob", " train-9 ");
        set("runModel", "ranker");
        set("runTopics", "payments, orders,, ");
        set("runSchemas", "payments-value=7, orders-value = 3");
        set("runTransform", "t-12");
        set("runSnapshots", "snap-1,snap-2");
        dialog.findChild<QDateTimeEdit *>(QStringLiteral("runFrom"))
            ->setDateTime(QDateTime::currentDateTime().addSecs(-7200));
        dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const RunRequest &r = dialog.request();
        QCOMPARE(r.jobId, std::string("train-9"));
        QCOMPARE(r.model, std::string("ranker"));
        QCOMPARE(r.topics, (std::vector<std::string>{"payments", "orders"}));
        QCOMPARE(r.basis, RunBasis::TimeWindow);
        QCOMPARE(r.schemaVersions.at("orders-value"), std::string("3"));
        QCOMPARE(r.schemaVersions.at("payments-value"), std::string("7"));
        QCOMPARE(r.transformVersion, std::string("t-12"));
        QCOMPARE(r.snapshotIds, (std::vector<std::string>{"snap-1", "snap-2"}));
        QVERIFY(r.toMs - r.fromMs > 7000 * 1000 && r.toMs - r.fromMs < 7400 * 1000);
    }

    void runsPageRecordsAWindowOnTheCluster()
    {
        QVERIFY(test::requireCluster());
        QTemporaryDir dir;
        KafkaClient client(test::plaintextProfile());
        CollectOptions options;
        options.includeConfigs = false;
        auto snapshot = std::make_shared<const ClusterSnapshot>(SnapshotCollector(client, options).collect(nullptr));
        ClusterContext context(dir.filePath(QStringLiteral("s.sqlite")));
        RunsPage page(&context);
        QSignalSpy loaded(&page, &RunsPage::runsLoaded);
        QVERIFY(loaded.wait(10000));
        QVERIFY(page.runs().empty());
        // Without a connection the page says where runs are recorded; with one, how.
        auto *summary = page.findChild<QLabel *>(QStringLiteral("runsSummary"));
        context.show(snapshot);
        QVERIFY2(summary->text().contains(QStringLiteral("Runs are recorded on a connected cluster")),
                 qPrintable(summary->text()));
        context.show(snapshot, test::plaintextProfile());
        QCOMPARE(summary->text(),
                 QStringLiteral("No training run recorded yet: Record run… notes which data a model saw."));
        RunRequest r = recordLastWeek(page, loaded, "train-1", "orders");
        QCOMPARE(page.runs().size(), size_t(1));
        QVERIFY(page.shown());
        const TrainingRun &run = *page.shown();
        QCOMPARE(run.ranges.size(), size_t(12));
        for (const auto &range : run.ranges) {
            QCOMPARE(range.start, int64_t(0));
            QCOMPARE(range.end, sd::messages(*sd::topic("orders"), range.partition));
        }
        QCOMPARE(page.checks().size(), size_t(12));
        for (const auto &c : page.checks())
            QCOMPARE(c.state, Replayability::Replayable);
        auto *ranges = page.findChild<QTreeWidget *>(QStringLiteral("runsRanges"));
        QCOMPARE(ranges->topLevelItemCount(), 12);
        QCOMPARE(ranges->topLevelItem(0)->text(6), QStringLiteral("replayable"));
        // A bad request is refused with the reason, nothing recorded.
        r.topics.clear();
        page.record(r);
        QCOMPARE(page.lastError(), QStringLiteral("a run needs at least one topic"));
    }

    // Recording in the window sends the run's START and COMPLETE to the endpoint set (a real receiver that parses them
    // with the OpenLineage Java client); recorded while it is down, the run is listed with its events pending, and
    // they are sent at the next refresh once it is back.
    // An endpoint that takes the connection and never answers holds one delivery for its timeout (the page's first
    // load, here 10 s); refreshes meanwhile list the runs at once instead of queueing behind it, the event pending.
    void runsPageRefreshesWhileAnEndpointHangs()
    {
        QTemporaryDir dir;
        QTcpServer hole; // the kernel completes the handshake; nothing is ever answered
        QVERIFY(hole.listen(QHostAddress::LocalHost));
        hole.pauseAccepting();
        const QString db = dir.filePath(QStringLiteral("s.sqlite"));
        const std::string url = "http://127.0.0.1:" + std::to_string(hole.serverPort()) + "/api/v1/lineage";
        int64_t id = 0;
        {
            Database store(db);
            id = RunStore(store).add(test::smallWindowRun("hang-1"), {url, "", {LineageEventType::Start}});
        }
        ClusterContext context(db);
        RunsPage page(&context); // its first load starts delivering to the hole
        QSignalSpy loaded(&page, &RunsPage::runsLoaded);
        QElapsedTimer clock;
        clock.start();
        page.reload();
        page.reload();
        QVERIFY(loaded.wait(5000));
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(page.runs().size(), size_t(1));
        QCOMPARE(page.pendingLineage(), (std::map<int64_t, int>{{id, 1}}));
        // The hung delivery ends at its timeout, and says why the event still waits.
        for (int i = 0; i < 150 && loaded.size() < 3; ++i)
            QTest::qWait(100);
        QCOMPARE(loaded.size(), 3);
        QCOMPARE(page.pendingLineage(), (std::map<int64_t, int>{{id, 1}}));
    }

    void runsPageSendsOpenLineageEvents()
    {
        QVERIFY(test::requireCluster());
        QTemporaryDir dir;
        KafkaClient client(test::plaintextProfile());
        CollectOptions options;
        options.includeConfigs = false;
        auto snapshot = std::make_shared<const ClusterSnapshot>(SnapshotCollector(client, options).collect(nullptr));
        ClusterContext context(dir.filePath(QStringLiteral("s.sqlite")));
        RunsPage page(&context);
        QSignalSpy loaded(&page, &RunsPage::runsLoaded);
        QVERIFY(loaded.wait(10000));
        context.show(snapshot, test::plaintextProfile());
        test::LineageReceiver receiver;
        LineageEndpoint endpoint;
        endpoint.url = lineageEventsUrl(receiver.url().toStdString());
        endpoint.jobNamespace = "ml-window";
        page.setLineageEndpoint(endpoint);
        QString why;
        QVERIFY2(receiver.start(&why), qPrintable(why));
        recordLastWeek(page, loaded, "train-ol-1", "orders");
        QVERIFY(page.shown());
        const std::string runId = page.shown()->lineageId;
        auto got = receiver.events();
        QVERIFY2(receiver.rejected().isEmpty(), receiver.rejected().constData());
        QCOMPARE(got.size(), size_t(2));
        QCOMPARE(got[0].at("event").at("eventType").get<std::string>(), std::string("START"));
        QCOMPARE(got[1].at("event").at("eventType").get<std::string>(), std::string("COMPLETE"));
        for (const auto &g : got) {
            QCOMPARE(g.at("event").at("run").at("runId").get<std::string>(), runId);
            QCOMPARE(g.at("event").at("job").at("namespace").get<std::string>(), std::string("ml-window"));
            const auto &input = g.at("event").at("inputs").at(0);
            QCOMPARE(input.at("name").get<std::string>(), std::string("orders"));
            const auto &ranges = input.at("inputFacets").at("kafkaPlanner_offsetRanges").at("ranges");
            QCOMPARE(ranges.size(), size_t(12));
            for (const auto &r : ranges)
                QCOMPARE(r.at("end").get<int64_t>(), sd::messages(*sd::topic("orders"), r.at("partition").get<int>()));
        }
        QVERIFY(page.pendingLineage().empty());
        // Down: the run is stored and listed, its two events pending.
        receiver.stop();
        recordLastWeek(page, loaded, "train-ol-2", "orders");
        QCOMPARE(page.runs().size(), size_t(2));
        const int64_t second = page.shown()->id;
        QCOMPARE(page.pendingLineage(), (std::map<int64_t, int>{{second, 2}}));
        auto *list = page.findChild<QTreeWidget *>(QStringLiteral("runsList"));
        QVERIFY(itemRow(list, QString::number(second)));
        QCOMPARE(itemRow(list, QString::number(second))->text(6), QStringLiteral("2 event(s) pending"));
        // Back: the next refresh sends them.
        QVERIFY2(receiver.start(&why), qPrintable(why));
        page.reload();
        QVERIFY(loaded.wait(20000));
        QVERIFY(page.pendingLineage().empty());
        QCOMPARE(itemRow(list, QString::number(second))->text(6), QString());
        got = receiver.events();
        QCOMPARE(got.size(), size_t(4));
        QCOMPARE(got[2].at("event").at("run").at("runId").get<std::string>(), page.shown()->lineageId);
        QCOMPARE(got[3].at("event").at("eventType").get<std::string>(), std::string("COMPLETE"));
    }

    // "Plan this replay": the Planner replays what the run read, from where it is now. On 4.x the run reads
    // cluster.sh seed-4x's tiered topic, whose first records are in the remote tier only; on 3.9 (no tiered storage in
    // the test cluster) a topic on local disks.
    void planningARunsReplayReadsWhereItsRecordsAre()
    {
        QVERIFY(test::requireCluster());
        QTemporaryDir dir;
        KafkaClient client(test::plaintextProfile());
        auto snapshot = std::make_shared<const ClusterSnapshot>(SnapshotCollector(client, {}).collect(nullptr));
        const TopicInfo *t = snapshot->topic("tiered-events");
        const bool tiered = t != nullptr;
        QCOMPARE(tiered, test::kafkaMajor() >= 4);
        if (!tiered)
            t = snapshot->topic("orders");
        QVERIFY(t && t->configsKnown);
        // By hand from the snapshot: every retained record, the remote-only ones, the bytes per local record.
        int64_t records = 0, remote = 0, bytes = 0;
        for (const auto &p : t->partitions) {
            const int64_t localStart = std::max(p.lowWatermark, p.localLogStartOffset);
            const int64_t local = p.highWatermark - localStart;
            records += p.highWatermark - p.lowWatermark;
            remote += localStart - p.lowWatermark;
            const double perOffset = local > 0 ? double(p.sizeBytes()) / double(local) : t->remoteBytesPerOffset;
            QVERIFY(perOffset > 0);
            bytes += int64_t(perOffset * double(p.highWatermark - p.lowWatermark) + 0.5);
        }
        QVERIFY(records > 0);
        if (tiered) // the first records, or all of them once the last segment rolled, in the remote tier only
            QVERIFY2(remote > 0 && remote <= records, qPrintable(QString::number(remote)));
        else
            QCOMPARE(remote, int64_t(0));
        ClusterContext context(dir.filePath(QStringLiteral("s.sqlite")));
        RunsPage page(&context);
        QSignalSpy loaded(&page, &RunsPage::runsLoaded);
        QVERIFY(loaded.wait(10000));
        context.show(snapshot, test::plaintextProfile());
        recordLastWeek(page, loaded, "refresh-7", t->name);
        QCOMPARE(page.runs().size(), size_t(1));
        QVERIFY(page.shown());
        QCOMPARE(page.shown()->records(), records);
        auto *summary = page.findChild<QLabel *>(QStringLiteral("runsSummary"));
        const QString says = tiered ? QStringLiteral(", %1 of them only in the remote tier").arg(remote)
                                    : QStringLiteral(", all from the brokers' local disks");
        QVERIFY2(summary->text().contains(QStringLiteral("A replay today reads %1 records").arg(records) +
                                          QStringLiteral(", ")) &&
                     summary->text().contains(says),
                 qPrintable(summary->text()));
        std::optional<ReplaySettings> planned;
        connect(&page, &RunsPage::planReplay, this, [&](const ReplaySettings &s) { planned = s; });
        auto *plan = page.findChild<QPushButton *>(QStringLiteral("runsPlanReplay"));
        QVERIFY(plan && plan->isEnabled());
        plan->click();
        QVERIFY(planned);
        QCOMPARE(qRound64(planned->bytesGB * 1e9), bytes);
        QCOMPARE(planned->remoteShare, double(remote) / double(records));
        QCOMPARE(planned->source, "run " + std::to_string(page.shown()->id) + " (refresh-7, ranker)");
        // The Planner's replay on the existing cluster reads the remote share from the remote tier, the rest from disk.
        PlannerPage planner(&context);
        PlanFile f;
        f.workload.writeMBps = 10;
        f.workload.partitions = 12;
        planner.setPlanFile(f);
        planner.planRunReplay(*planned);
        QVERIFY(planner.scenario());
        const ScenarioResult &result = *planner.scenario();
        QCOMPARE(result.architecture, Architecture::Existing);
        QCOMPARE(result.metric("bytes")->value, planned->bytesGB);
        QCOMPARE(result.metric("from page cache")->value, 0.0);
        QCOMPARE(result.metric("from remote tier")->value, planned->bytesGB * planned->remoteShare);
        QCOMPARE(result.metric("from local disk")->value, planned->bytesGB - planned->bytesGB * planned->remoteShare);
        if (const QString shots = qEnvironmentVariable("KP_TEST_SHOTS"); !shots.isEmpty()) { // to look at it
            planner.resize(1500, 950);
            page.resize(1500, 700);
            planner.grab().save(shots + QStringLiteral("/planner-run-replay.png"));
            page.grab().save(shots + QStringLiteral("/runs-plan-replay.png"));
        }
        auto *clear = planner.findChild<QPushButton *>(QStringLiteral("plannerRunReplayClear"));
        QVERIFY(clear);
        clear->click();
        QVERIFY(!planner.replaysRun());
        QCOMPARE(planner.scenario()->metric("bytes")->value, 10 * 7 * 24 * 3.6); // the 7-day window again
    }
};

QTEST_MAIN(TestReviewRuns)
#include "tst_reviewruns.moc"
