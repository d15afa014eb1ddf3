// The cluster context pages follow and the process's issue log: what each says, in which order, and how repeats fold.
#include "services/clustercontext.h"
#include "services/issuelog.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace kp;

namespace {

SnapshotPtr snapshotOf(const std::string &clusterId, SnapshotSource source, std::vector<Problem> problems = {})
{
    auto s = std::make_shared<ClusterSnapshot>();
    s->clusterId = clusterId;
    s->source = source;
    s->problems = std::move(problems);
    return s;
}

ConnectionProfile profileNamed(const std::string &name)
{
    ConnectionProfile p;
    p.name = name;
    p.bootstrap = "127.0.0.1:9092";
    return p;
}

} // namespace

class TestContext : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { IssueLog::instance().clear(); }

    // A live snapshot reads its history from the store; a file or the demo has none, whatever cluster it is of.
    void historyOnlyForALiveSnapshot()
    {
        ClusterContext context(QStringLiteral("/tmp/store.sqlite"));
        QCOMPARE(context.historyDb(), QString());
        QVERIFY(!context.snapshot());
        context.show(snapshotOf("c1", SnapshotSource::Live), profileNamed("prod"));
        QCOMPARE(context.historyDb(), QStringLiteral("/tmp/store.sqlite"));
        QVERIFY(context.connected());
        QCOMPARE(context.connection()->name, std::string("prod"));
        context.show(snapshotOf("c1", SnapshotSource::File));
        QCOMPARE(context.historyDb(), QString());
        QVERIFY(!context.connected());
        context.show(snapshotOf("c1", SnapshotSource::Demo));
        QCOMPARE(context.source(), SnapshotSource::Demo);
        QCOMPARE(context.historyDb(), QString());
        QCOMPARE(context.storePath(), QStringLiteral("/tmp/store.sqlite")); // reviews and runs stay in the store
    }

    // Pages read the connection when the snapshot arrives: it is set first. A file drops it (said once), a null
    // snapshot changes nothing.
    void connectionBeforeSnapshot()
    {
        ClusterContext context({});
        QStringList order;
        connect(&context, &ClusterContext::connectionChanged, this,
                [&](bool connected) { order << (connected ? QStringLiteral("connected") : QStringLiteral("none")); });
        connect(&context, &ClusterContext::snapshotChanged, this, [&](SnapshotPtr s) {
            order << QString::fromStdString(s->clusterId) + (context.connected() ? QStringLiteral("+c") : QString());
        });
        context.show(snapshotOf("a", SnapshotSource::File)); // no connection before, none now: nothing to say
        context.show(snapshotOf("b", SnapshotSource::Live), profileNamed("p"));
        context.show(snapshotOf("c", SnapshotSource::File));
        context.show(nullptr);
        QCOMPARE(order.join(QLatin1Char(' ')), QStringLiteral("a connected b+c none c"));
        QCOMPARE(context.snapshot()->clusterId, std::string("c"));
    }

    // The shown snapshot's problems are the log's first rows, replaced by the next snapshot's.
    void snapshotProblemsReplaceEachOther()
    {
        ClusterContext context({});
        IssueLog &log = IssueLog::instance();
        log.report(QStringLiteral("sampling"), QStringLiteral("prod"), QStringLiteral("timed out"));
        context.show(
            snapshotOf("a", SnapshotSource::File,
                       {{"logDirs", "broker 1", "not authorized"}, {"logDirs", "broker 2", "not authorized"}}));
        auto issues = log.issues();
        QCOMPARE(issues.size(), size_t(3));
        QVERIFY(issues[0].ofSnapshot && issues[1].ofSnapshot && !issues[2].ofSnapshot);
        QCOMPARE(issues[1].subject, QStringLiteral("broker 2"));
        QCOMPARE(issues[2].message, QStringLiteral("timed out"));
        context.show(snapshotOf("a", SnapshotSource::File));
        issues = log.issues();
        QCOMPARE(issues.size(), size_t(1));
        QCOMPARE(issues[0].step, QStringLiteral("sampling"));
    }

    // A repeat counts up and moves to the end; another subject is another row; the oldest goes past the cap.
    void repeatsFoldWithACount()
    {
        IssueLog &log = IssueLog::instance();
        QSignalSpy changed(&log, &IssueLog::changed);
        log.report(QStringLiteral("sampling"), QStringLiteral("prod"), QStringLiteral("timed out"));
        log.report(QStringLiteral("review"), QStringLiteral("r.json"), QStringLiteral("not valid JSON"));
        log.report(QStringLiteral("sampling"), QStringLiteral("prod"), QStringLiteral("timed out"));
        log.report(QStringLiteral("sampling"), QStringLiteral("dev"), QStringLiteral("timed out"));
        QCOMPARE(changed.count(), 4);
        auto issues = log.issues();
        QCOMPARE(issues.size(), size_t(3));
        QCOMPARE(issues[0].step, QStringLiteral("review"));
        QCOMPARE(issues[1].subject, QStringLiteral("prod"));
        QCOMPARE(issues[1].count, 2);
        QVERIFY(issues[1].first <= issues[1].last);
        QCOMPARE(issues[2].subject, QStringLiteral("dev"));
        QCOMPARE(issues[2].count, 1);
        for (size_t i = 0; i < IssueLog::kMaxReported; ++i)
            log.report(QStringLiteral("x"), QString::number(i), QStringLiteral("m"));
        issues = log.issues();
        QCOMPARE(issues.size(), IssueLog::kMaxReported);
        QCOMPARE(issues.front().subject, QStringLiteral("0"));
        QCOMPARE(issues.back().subject, QString::number(IssueLog::kMaxReported - 1));
    }

    // From a worker thread: folded all the same, and `changed` reaches the log's own thread.
    void reportsFromAnotherThread()
    {
        IssueLog &log = IssueLog::instance();
        QThread *seenOn = nullptr;
        connect(&log, &IssueLog::changed, this, [&] { seenOn = QThread::currentThread(); });
        QThread *worker = QThread::create([&log] {
            for (int i = 0; i < 50; ++i)
                log.report(QStringLiteral("sampling"), QStringLiteral("prod"), QStringLiteral("timed out"));
        });
        worker->start();
        QVERIFY(worker->wait(10000));
        delete worker;
        QTRY_VERIFY(seenOn != nullptr);
        QCOMPARE(seenOn, QThread::currentThread());
        QCOMPARE(log.issues().size(), size_t(1));
        QCOMPARE(log.issues()[0].count, 50);
    }
};

QTEST_GUILESS_MAIN(TestContext)
#include "tst_context.moc"
