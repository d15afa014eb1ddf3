// The living demo's workload (kp-workload, started by scripts/demo.sh) against the real cluster: within a minute the
// pages have something to show. Sampled by `watch` every 2 s while the workload runs with a wave every 20 s: the
// produce rates and the cross-AZ traffic are non-zero, demo-online and demo-batch read, and demo-refresh's latest wave
// is a rewind that is seen caught up (it commits what it read before it leaves) and not stopped. The demo topics are
// dropped at the end; the test runs last (label demo, the default Kafka line only).

#include "clusterfixture.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

namespace {

const QString kBootstrap = QString::fromLatin1(kp::seed::kPlaintextBootstrap);

nlohmann::json cli(const QStringList &args)
{
    const kp::test::ProcessRun r = kp::test::runProcess(QStringLiteral(KP_CLI), args);
    if (r.code != 0) {
        qWarning("kafka-planner %s: exit %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.code, r.err.constData());
        return nullptr;
    }
    return args.first() == QStringLiteral("watch") ? nlohmann::json(r.out.count('\n'))
                                                   : nlohmann::json::parse(r.out.toStdString());
}

const nlohmann::json *group(const nlohmann::json &lag, const std::string &id)
{
    for (const auto &g : lag.at("groups"))
        if (g.at("group") == id)
            return &g;
    return nullptr;
}

} // namespace

class TestDemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyPageHasSomethingWithinAMinute()
    {
        QVERIFY(kp::test::requireCluster());
        QProcess workload;
        workload.start(QStringLiteral(KP_WORKLOAD_TOOL),
                       {QStringLiteral("--bootstrap"), kBootstrap, QStringLiteral("--wave-seconds"),
                        QStringLiteral("20"), QStringLiteral("--seconds"), QStringLiteral("57"),
                        QStringLiteral("--stdin")});
        QVERIFY(workload.waitForStarted());
        QByteArray started;
        for (int i = 0; i < 300 && !started.contains("STARTED") && workload.state() == QProcess::Running; ++i)
            if (workload.waitForReadyRead(100))
                started += workload.readAllStandardOutput();
        QVERIFY2(started.contains("STARTED"), workload.readAllStandardError().constData());
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("demo.sqlite"));
        const QStringList connection{QStringLiteral("--bootstrap"), kBootstrap, QStringLiteral("--db"), db};
        const auto samples = cli(QStringList{QStringLiteral("watch")} + connection +
                                 QStringList{QStringLiteral("--interval"), QStringLiteral("2"),
                                             QStringLiteral("--count"), QStringLiteral("31")});
        QVERIFY(samples == nlohmann::json(31));
        const auto lag = cli(QStringList{QStringLiteral("lag")} + connection +
                             QStringList{QStringLiteral("--history"), QStringLiteral("2m"), QStringLiteral("--group"),
                                         QStringLiteral("^demo-")});
        const auto traffic = cli(QStringList{QStringLiteral("traffic")} + connection +
                                 QStringList{QStringLiteral("--history"), QStringLiteral("2m")});
        workload.closeWriteChannel();
        QVERIFY(workload.waitForFinished(30000));
        for (const char *topic : {"demo.clicks", "demo.features", "demo.labels"})
            kp::test::runProcess(QStringLiteral(KP_SEED_TOOL),
                                 {QStringLiteral("drop"), QStringLiteral("--topic"), QString::fromLatin1(topic)});
        QCOMPARE(workload.exitCode(), 0);
        QVERIFY(!lag.is_null() && !traffic.is_null());

        double produced = 0;
        for (const auto &t : traffic.at("topics"))
            if (t.at("topic").get<std::string>().rfind("demo.", 0) == 0)
                produced += t.at("producedBytesPerSecond").get<double>();
        QVERIFY2(produced > 0, traffic.dump().c_str());
        QVERIFY2(traffic.at("crossAzBytesPerSecond").get<double>() > 0, traffic.dump().c_str());

        for (const char *reader : {"demo-online", "demo-batch"}) {
            const nlohmann::json *g = group(lag, reader);
            QVERIFY2(g && g->at("consumeRate").get<double>() > 0, lag.dump().c_str());
        }
        const nlohmann::json *refresh = group(lag, "demo-refresh");
        QVERIFY2(refresh && refresh->at("refreshWave").is_object(), lag.dump().c_str());
        const auto &wave = refresh->at("refreshWave");
        QCOMPARE(wave.at("kind").get<std::string>(), std::string("rewind"));
        QVERIFY2(wave.at("rewoundMessages").get<int64_t>() >= 1000, wave.dump().c_str());
        QVERIFY2(wave.at("caughtUp").get<bool>() && !wave.at("stopped").get<bool>(), wave.dump().c_str());
        QVERIFY2(wave.at("replayedMessages").get<int64_t>() >= wave.at("rewoundMessages").get<int64_t>(),
                 wave.dump().c_str());
        QVERIFY2(wave.at("replayedBytes").get<int64_t>() > 0, wave.dump().c_str());
        bool onlineSeen = false;
        for (const auto &other : wave.at("otherGroups"))
            onlineSeen = onlineSeen || other.at("group") == "demo-online";
        QVERIFY2(onlineSeen, wave.dump().c_str());
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
