// A refresh the person cancels ends as "cancelled", a type of its own, never as a failure to show: the session talks to
// a server on loopback that accepts connections and never answers (no cluster needed), so that the refresh is still
// connecting when it is cancelled.

#include "services/clustersession.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace kp;

namespace {

// A profile whose bootstrap server is `silent`: it accepts connections and never answers.
ConnectionProfile silentProfile(const QTcpServer &silent, int timeoutMs)
{
    ConnectionProfile profile;
    profile.name = "silent";
    profile.bootstrap = "127.0.0.1:" + std::to_string(silent.serverPort());
    profile.timeoutMs = timeoutMs;
    return profile;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cancelledRefreshIsNotAFailure()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        ClusterSession session(silentProfile(silent, 3000));
        QSignalSpy cancelled(&session, &ClusterSession::cancelled);
        QSignalSpy failed(&session, &ClusterSession::failed);
        QSignalSpy ready(&session, &ClusterSession::snapshotReady);
        session.refresh();
        QVERIFY(session.busy());
        QTest::qWait(300);
        session.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 10000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(ready.count(), 0);
        QVERIFY(!session.busy());
    }

    // Without the cancel, the same refresh fails, and says so.
    void unansweredRefreshFails()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        ClusterSession session(silentProfile(silent, 1000));
        QSignalSpy cancelled(&session, &ClusterSession::cancelled);
        QSignalSpy failed(&session, &ClusterSession::failed);
        session.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 15000);
        QCOMPARE(cancelled.count(), 0);
        QVERIFY2(!failed.at(0).at(0).toString().isEmpty(), "a failure names what failed");
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
