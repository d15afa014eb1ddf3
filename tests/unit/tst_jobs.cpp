// The one way the window runs work off the GUI thread (ui/jobs.h): results come back on the owner's thread; a newer
// job of a lane drops the older one's result; a cancelled job's result is dropped and the job sees its token; an
// owner that is gone gets nothing; one-at-a-time lanes run again with the newest state instead of side by side;
// KP_JOB_TRACE names each job as it ends; a lane that is gone cancels its job; the process waits for its jobs at exit.

#include "services/workpool.h"
#include "ui/jobs.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSemaphore>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <unistd.h>

using namespace kp;
using namespace kp::ui;

class TestJobs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Read once, at the process's first job: set before any, for jobTraceSaysWhatRanAndWhere.
        qputenv("KP_JOB_TRACE", "1");
    }

    void resultComesBackOnTheOwnersThread()
    {
        QObject owner;
        QThread *worker = nullptr, *delivered = nullptr;
        int result = 0;
        runAsync(
            &owner,
            [&] {
                worker = QThread::currentThread();
                return 42;
            },
            [&](int r) {
                delivered = QThread::currentThread();
                result = r;
            });
        QTRY_COMPARE(result, 42);
        QVERIFY(worker != QThread::currentThread());
        QCOMPARE(delivered, QThread::currentThread());
    }

    void newerJobDropsTheOlderResult()
    {
        QObject owner;
        JobLane lane;
        QSemaphore release;
        std::vector<int> shown;
        lane.start(
            &owner,
            [&] {
                release.acquire(); // held until the newer job has started
                return 1;
            },
            [&](int r) { shown.push_back(r); });
        lane.start(
            &owner, [] { return 2; }, [&](int r) { shown.push_back(r); });
        release.release();
        QTRY_VERIFY(!lane.running());
        QTest::qWait(100); // the older job's end has been delivered too
        QCOMPARE(shown, std::vector<int>{2});
    }

    void cancelReachesTheJobAndDropsItsResult()
    {
        QObject owner;
        JobLane lane;
        std::atomic<bool> sawCancel{false}, started{false};
        bool shown = false;
        lane.start(
            &owner,
            [&](const CancelToken &token) {
                started = true;
                while (!token.cancelled())
                    QThread::msleep(5);
                sawCancel = true;
                return 0;
            },
            [&](int) { shown = true; });
        QTRY_VERIFY(started.load());
        lane.cancel();
        QTRY_VERIFY(sawCancel.load());
        QTest::qWait(100);
        QVERIFY(!shown);
        QVERIFY(!lane.running());
    }

    void aJobThatThrowsCancelledDeliversNothing()
    {
        QObject owner;
        bool shown = false;
        std::atomic<bool> ran{false};
        runAsync(
            &owner,
            [&]() -> int {
                ran = true;
                throw Cancelled();
            },
            [&](int) { shown = true; });
        QTRY_VERIFY(ran.load());
        QTest::qWait(100);
        QVERIFY(!shown);
    }

    void anOwnerThatIsGoneGetsNothing()
    {
        auto *owner = new QObject;
        QSemaphore release;
        bool shown = false;
        runAsync(
            owner,
            [&] {
                release.acquire();
                return 1;
            },
            [&](int) { shown = true; });
        delete owner;
        release.release();
        QTest::qWait(200);
        QVERIFY(!shown);
    }

    // A page's lanes go with the page: its running job sees its token cancelled (and stops reading), so that a window
    // closed during a long build does not keep the process busy at exit.
    void aLaneThatIsGoneCancelsItsJob()
    {
        QObject owner;
        std::atomic<bool> jobLaneSaw = false, serialLaneSaw = false;
        QSemaphore started;
        const auto work = [&started](std::atomic<bool> &saw) {
            return [&started, &saw](const CancelToken &token) {
                started.release();
                for (int i = 0; i < 500 && !token.cancelled(); ++i)
                    QThread::msleep(10); // 5 s unless cancelled
                saw = token.cancelled();
                return 0;
            };
        };
        {
            JobLane lane;
            lane.start(&owner, work(jobLaneSaw), [](int) {});
            started.acquire();
        }
        {
            SerialLane lane;
            lane.start(
                &owner, work(serialLaneSaw), [](int) {}, [] {});
            started.acquire();
        }
        QVERIFY(workPool()->waitForDone(2000));
        QVERIFY(jobLaneSaw);
        QVERIFY(serialLaneSaw);
    }

    // The process waits for the jobs still running when its application object goes (as Qt waits for its own global
    // pool), before the statics they may use are destroyed: a CI run's test process died with SIGSEGV at address 0
    // after every test had passed, with collections of an unreachable cluster still running. The child (this binary,
    // --exit-with-a-job-running) returns from main while a 300-ms job runs; the job's last line must come out.
    void theProcessWaitsForItsJobsAtExit()
    {
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--exit-with-a-job-running")});
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(child.readAllStandardOutput()), QStringLiteral("the job ended\n"));
    }

    void serialLaneRunsAgainWithTheNewestState()
    {
        QObject owner;
        SerialLane lane;
        QSemaphore release;
        std::atomic<int> runs{0};
        int again = 0;
        std::vector<int> shown;
        auto work = [&] {
            const int n = ++runs;
            if (n == 1)
                release.acquire();
            return n;
        };
        struct Release // a failed check must not leave the pool's thread waiting (the test would hang at exit)
        {
            QSemaphore &s;
            ~Release() { s.release(); }
        } guard{release};
        lane.start(
            &owner, work, [&](int r) { shown.push_back(r); }, [&] { ++again; });
        QTRY_COMPARE(runs.load(), 1);
        lane.start(
            &owner, work, [&](int r) { shown.push_back(r); }, [&] { ++again; }); // while the first runs
        lane.start(
            &owner, work, [&](int r) { shown.push_back(r); }, [&] { ++again; });
        QTest::qWait(50);
        QCOMPARE(runs.load(), 1); // never side by side
        release.release();
        QTRY_COMPARE(again, 1); // the first one's result is old: dropped, and the page asked to read again
        QVERIFY(shown.empty());
        QVERIFY(!lane.running());
        lane.start(
            &owner, work, [&](int r) { shown.push_back(r); }, [&] { ++again; });
        QTRY_COMPARE(shown, std::vector<int>{2});
    }

    // KP_JOB_TRACE=1 (the stall bench's job trace): a line per job as it ends, before its result is delivered, naming
    // the function that started it and how long it ran.
    void jobTraceSaysWhatRanAndWhere()
    {
        QObject owner;
        bool done = false;
        const QString trace = stderrOf([&] {
            runAsync(
                &owner,
                [] {
                    QThread::msleep(40);
                    return 1;
                },
                [&](int) { done = true; });
            QTRY_VERIFY(done);
        });
        static const QRegularExpression line(QStringLiteral(
            R"(^job queued at \d+: waited \d+ ms, ran (\d+) ms: TestJobs::jobTraceSaysWhatRanAndWhere\(\)::\{lambda\(\)#1\}::operator\(\)\(\) const::\{lambda\(\)#1\}\n$)"));
        const auto match = line.match(trace);
        QVERIFY2(match.hasMatch(), qPrintable(trace));
        QVERIFY2(match.captured(1).toInt() >= 40, qPrintable(trace));
    }

    // The same for a task started on the work pool without a result (a sample's merge, a snapshot freed off the GUI
    // thread).
    void poolTasksAreTracedToo()
    {
        std::atomic<bool> done{false};
        const QString trace = stderrOf([&] {
            kp::startOnWorkPool([&done] {
                QThread::msleep(30);
                done = true;
            });
            QTRY_VERIFY(done.load());
            workPool()->waitForDone(); // the line is printed as the task's wrapper ends
        });
        static const QRegularExpression line(QStringLiteral(
            R"(^job queued at \d+: waited \d+ ms, ran (\d+) ms: TestJobs::poolTasksAreTracedToo\(\)::\{lambda\(\)#1\}::operator\(\)\(\) const::\{lambda\(\)#1\}\n$)"));
        const auto match = line.match(trace);
        QVERIFY2(match.hasMatch(), qPrintable(trace));
        QVERIFY2(match.captured(1).toInt() >= 30, qPrintable(trace));
    }

private:
    // What `run` wrote on stderr.
    static QString stderrOf(const std::function<void()> &run)
    {
        QTemporaryFile file;
        if (!file.open())
            return QStringLiteral("(no temporary file)");
        std::fflush(stderr);
        const int saved = dup(2);
        if (saved < 0 || dup2(file.handle(), 2) != 2)
            return QStringLiteral("(stderr not redirected)");
        run();
        std::fflush(stderr);
        dup2(saved, 2);
        close(saved);
        file.seek(0); // the trace moved the file's offset it shares with the duplicated descriptor
        return QString::fromUtf8(file.readAll());
    }
};

// The child of theProcessWaitsForItsJobsAtExit: a job still running when main returns, its owner gone first.
static int exitWithAJobRunning(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QObject owner;
    runAsync(
        &owner,
        [] {
            QThread::msleep(300);
            std::fputs("the job ended\n", stdout);
            std::fflush(stdout);
            return 0;
        },
        [](int) {});
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && std::strcmp(argv[1], "--exit-with-a-job-running") == 0)
        return exitWithAJobRunning(argc, argv);
    QCoreApplication app(argc, argv);
    TestJobs test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_jobs.moc"
