// Rates, lag status and time lag from a recorded history while known traffic runs on the real cluster: 200 messages/s
// of 100-byte values produced, 40 messages/s committed by a group (slow enough that the lag grows between any two
// 1-second samples, whatever the jitter of the high watermark with acks=all). Tolerances cover scheduling on a loaded
// 2-core machine; the values are the ones the traffic tool was told to make. Runs last and alone: it adds a topic.

#include "clusterfixture.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace kp;

class TestRates : public QObject
{
    Q_OBJECT

    static nlohmann::json runCli(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(KP_CLI), args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0) {
            QTest::qFail(p.readAllStandardError().constData(), __FILE__, __LINE__);
            return {};
        }
        const QByteArray out = p.readAllStandardOutput();
        return args.first() == QStringLiteral("watch") ? nlohmann::json(out.count('\n'))
                                                       : nlohmann::json::parse(out.toStdString());
    }

private Q_SLOTS:
    void ratesStatusAndTimeLag()
    {
        if (!test::requireCluster())
            return;
        QProcess traffic;
        traffic.start(QStringLiteral(KP_SEED_TOOL),
                      {QStringLiteral("traffic"), QStringLiteral("--rate"), QStringLiteral("200"),
                       QStringLiteral("--consume-rate"), QStringLiteral("40"), QStringLiteral("--seconds"),
                       QStringLiteral("9")});
        QVERIFY(traffic.waitForStarted());
        QByteArray started;
        for (int i = 0; i < 600 && !started.contains("STARTED") && traffic.state() == QProcess::Running; ++i) {
            traffic.waitForReadyRead(100);
            started += traffic.readAllStandardOutput();
        }
        QVERIFY2(traffic.state() == QProcess::Running, traffic.readAllStandardError().constData());
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("h.sqlite"));
        const QString bootstrap = QString::fromLatin1(seed::kPlaintextBootstrap);
        QCOMPARE(
            runCli({QStringLiteral("watch"), QStringLiteral("--bootstrap"), bootstrap, QStringLiteral("--db"), db,
                    QStringLiteral("--interval"), QStringLiteral("1"), QStringLiteral("--count"), QStringLiteral("5")})
                .get<int>(),
            5);
        const nlohmann::json j = runCli({QStringLiteral("lag"), QStringLiteral("--bootstrap"), bootstrap,
                                         QStringLiteral("--db"), db, QStringLiteral("--history"), QStringLiteral("1m"),
                                         QStringLiteral("--group"), QStringLiteral("^kp-rates$")});
        // Cross-AZ traffic from the same history: the topic is RF 3 over az-a, az-b and az-c.
        const nlohmann::json x =
            runCli({QStringLiteral("traffic"), QStringLiteral("--bootstrap"), bootstrap, QStringLiteral("--db"), db,
                    QStringLiteral("--history"), QStringLiteral("1m")});
        // The planner's replay of the chosen topic: its share of the produced bytes over the same history.
        const nlohmann::json plan =
            runCli({QStringLiteral("plan"), QStringLiteral("--bootstrap"), bootstrap, QStringLiteral("--db"), db,
                    QStringLiteral("--history"), QStringLiteral("1m"), QStringLiteral("--scenario"),
                    QStringLiteral("replay"), QStringLiteral("--replay-topics"), QStringLiteral("^rates-test$"),
                    QStringLiteral("--replay-days"), QStringLiteral("1")});
        QVERIFY(traffic.waitForFinished(30000));
        QCOMPARE(traffic.exitCode(), 0);

        double topicRate = -1, topicBytes = -1, rackSum = 0, topicSum = 0, userTopicSum = 0;
        for (const auto &t : j.at("produceRates").at("topics")) {
            topicSum += t.at("messagesPerSecond").get<double>();
            // __consumer_offsets takes the group's commits: not a user topic.
            if (t.at("topic").get<std::string>().rfind("__", 0) != 0)
                userTopicSum += t.at("messagesPerSecond").get<double>();
            if (t.at("topic") == "rates-test") {
                topicRate = t.at("messagesPerSecond").get<double>();
                topicBytes = t.at("bytesPerSecond").get<double>();
            }
        }
        for (const auto &r : j.at("produceRates").at("racks")) {
            QVERIFY2(r.at("rack").get<std::string>().rfind("az-", 0) == 0, r.dump().c_str());
            rackSum += r.at("messagesPerSecond").get<double>();
        }
        QVERIFY2(topicRate > 170 && topicRate < 230, std::to_string(topicRate).c_str());
        // 100-byte values plus record and batch overhead on disk.
        QVERIFY2(topicBytes > 200 * 100 && topicBytes < 200 * 300, std::to_string(topicBytes).c_str());
        QVERIFY2(std::abs(rackSum - topicSum) < 1e-6, "every produced message is counted in one rack");
        QVERIFY2(std::abs(userTopicSum - topicRate) < 1e-6, "the seeded topics are idle");

        // Traffic: exact ratios from the placement, the produced bytes the same as the rates above (both from the
        // history; the traffic command's snapshot is a few hundred ms later).
        QVERIFY2(x.at("azs") == nlohmann::json({"az-a", "az-b", "az-c"}), x.at("azs").dump().c_str());
        QVERIFY(x.at("followerFetching").at("configured") == test::followerFetching());
        const nlohmann::json *rt = nullptr;
        for (const auto &t : x.at("topics"))
            if (t.at("topic") == "rates-test")
                rt = &t;
        QVERIFY2(rt, x.dump().c_str());
        const double produced = rt->at("producedBytesPerSecond").get<double>();
        QVERIFY2(std::abs(produced - topicBytes) < 0.25 * topicBytes, rt->dump().c_str());
        // Every message crosses to the two followers in the other AZs, and two thirds of the producers are elsewhere.
        QVERIFY2(std::abs(rt->at("replicationCrossAzBytesPerSecond").get<double>() - 2 * produced) < 1e-6 * produced,
                 rt->dump().c_str());
        QVERIFY2(std::abs(rt->at("produceCrossAzBytesPerSecond").get<double>() - produced * 2 / 3) < 1e-6 * produced,
                 rt->dump().c_str());
        // The group has no member: taken as spread evenly, two thirds read from another AZ; follower fetching makes it
        // all local (a replica in every AZ), as on the 3.x line's brokers.
        const double consumeCross = rt->at("consumeCrossAzBytesPerSecond").get<double>();
        if (test::followerFetching())
            QVERIFY2(consumeCross == 0, rt->dump().c_str());
        else
            QVERIFY2(consumeCross > 0 && consumeCross < produced, rt->dump().c_str());
        QVERIFY(x.at("followerFetching").at("consumeCrossAzBytesPerSecondWith").get<double>() == 0);
        QVERIFY2(x.at("flows").at("consume").at("assumption").get<std::string>().find("spread evenly") !=
                     std::string::npos,
                 x.dump().c_str());
        // Money: 730 h at $0.02 per GB.
        const double cross = x.at("crossAzBytesPerSecond").get<double>();
        QVERIFY(std::abs(x.at("monthlyCost").get<double>() - cross * 730 * 3600 / 1e9 * 0.02) < 1e-6);

        // One day of the topic's bytes: its rate x 86,400 s (the workload's rate is the cluster's, the share the
        // topic's part of it).
        const auto &replayed = plan.at("scenarios")[1]; // the dedicated cluster
        double replayGB = -1;
        for (const auto &m : replayed.at("metrics"))
            if (m.at("name") == "bytes")
                replayGB = m.at("value").get<double>();
        QVERIFY2(std::abs(replayGB - topicBytes * 86400 / 1e9) < 0.25 * topicBytes * 86400 / 1e9,
                 replayed.dump().c_str());

        QCOMPARE(j.at("groups").size(), size_t(1));
        const auto &g = j.at("groups")[0];
        const double consumed = g.at("consumeRate").get<double>();
        // Commits land once a second: a 4-5 s window can hold one step more or less than its length.
        QVERIFY2(consumed > 28 && consumed < 60, std::to_string(consumed).c_str());
        // Committing a fifth as fast as the producer writes: the lag only grows.
        QVERIFY2(g.at("status") == "WARN", g.dump().c_str());
        const auto &p = g.at("partitions")[0];
        QVERIFY2(p.at("status") == "WARN", p.dump().c_str());
        QVERIFY2(p.at("produceRate").get<double>() > 170, p.dump().c_str());
        // At t seconds the group is at offset 40t, written at t/5: about 5 s behind after 6 or 7 s.
        QVERIFY2(p.at("timeLagSeconds").is_number(), p.dump().c_str());
        const double timeLag = p.at("timeLagSeconds").get<double>();
        QVERIFY2(timeLag > 2.5 && timeLag < 9, p.dump().c_str());
    }
};

QTEST_GUILESS_MAIN(TestRates)
#include "tst_rates.moc"
