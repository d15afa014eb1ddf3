// The command line at its edges, without a cluster: `COMMAND --help` for every command, numbers refused with the
// option (or the file and key) named and exit status 2, and `--screenshot` giving up with a reason.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(KP_CLI), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestCliInputs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The build links a librdkafka that logs in with SCRAM to Kafka 4.x (2.6.1 or newer: librdkafka#4895), whatever
    // the system has: scripts/librdkafka.sh builds one where the system's is older.
    void versionNamesALibrdkafkaThatSpeaksScramToKafka4()
    {
        const Run r = cli({QStringLiteral("--version")});
        QCOMPARE(r.code, 0);
        const QRegularExpression form(
            QStringLiteral("^kafka-planner \\d+\\.\\d+\\.\\d+ \\(librdkafka (\\d+)\\.(\\d+)\\.(\\d+)\\)\n$"));
        const QRegularExpressionMatch m = form.match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out));
        const int version = m.captured(1).toInt() * 10000 + m.captured(2).toInt() * 100 + m.captured(3).toInt();
        QVERIFY2(version >= 20601, qPrintable(r.out));
    }

    void helpForEveryCommand_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("mentions"); // an option only that command's usage has
        QTest::addRow("snapshot") << "snapshot"
                                  << "--no-log-dirs";
        QTest::addRow("lag") << "lag"
                             << "--evaluate FILE";
        QTest::addRow("watch") << "watch"
                               << "--interval SECONDS";
        QTest::addRow("traffic") << "traffic"
                                 << "--price-per-gb PRICE";
        QTest::addRow("plan") << "plan"
                              << "--sweep PARAM=FROM:TO:STEPS";
        QTest::addRow("run") << "run"
                             << "--transform-version V";
        QTest::addRow("review") << "review"
                                << "--waiver-until DATE";
        QTest::addRow("profile") << "profile"
                                 << "--client-az CIDR=AZ";
        QTest::addRow("reassign") << "reassign"
                                  << "--add-broker ID:RACK";
        QTest::addRow("run send-events") << "run"
                                         << "kafka-planner run send-events";
    }
    void helpForEveryCommand()
    {
        QFETCH(QString, command);
        QFETCH(QString, mentions);
        for (const QString &flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
            const Run r = cli({command, flag});
            QCOMPARE(r.code, 0);
            QCOMPARE(r.err, QString());
            QVERIFY2(r.out.startsWith(QStringLiteral("Usage:\n  kafka-planner ") + command + QLatin1Char(' ')),
                     qPrintable(r.out));
            QVERIFY2(r.out.contains(mentions), qPrintable(r.out));
            QVERIFY2(r.out.contains(QStringLiteral("CONNECTION is --profile NAME")), qPrintable(r.out));
            // Only this command's lines.
            for (const QString &line : r.out.split(QLatin1Char('\n')))
                if (line.startsWith(QStringLiteral("  kafka-planner ")))
                    QVERIFY2(line.startsWith(QStringLiteral("  kafka-planner ") + command + QLatin1Char(' ')),
                             qPrintable(line));
        }
    }

    // Each row: the plan's options, and the message. NaN, infinity, overflow, negative and fractional counts never
    // reach the cost model.
    void planRefusesBadNumbers_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList base{QStringLiteral("plan"), QStringLiteral("--write-mbps"), QStringLiteral("50")};
        auto with = [&](const QString &option, const QString &value) { return base + QStringList{option, value}; };
        QTest::addRow("nan rate") << QStringList{QStringLiteral("plan"), QStringLiteral("--write-mbps"),
                                                 QStringLiteral("nan")}
                                  << "--write-mbps must be a number from 0 to 10000000, not nan";
        QTest::addRow("infinite peak") << with(QStringLiteral("--peak-mbps"), QStringLiteral("inf"))
                                       << "--peak-mbps must be a number from 0 to 10000000, not inf";
        QTest::addRow("1e400 retention") << with(QStringLiteral("--retention-hours"), QStringLiteral("1e400"))
                                         << "--retention-hours must be a number, not \"1e400\"";
        QTest::addRow("fractional RF") << with(QStringLiteral("--rf"), QStringLiteral("2.5"))
                                       << "--rf must be a whole number from 1 to 100, not 2.5";
        QTest::addRow("1e12 partitions") << with(QStringLiteral("--partitions"), QStringLiteral("1e12"))
                                         << "--partitions must be a whole number from 0 to 10000000, not 1000000000000";
        QTest::addRow("int overflow brokers")
            << with(QStringLiteral("--existing-brokers"), QStringLiteral("3000000000"))
            << "--existing-brokers must be a whole number from 0 to 100000, not 3000000000";
        QTest::addRow("fractional dedicated brokers")
            << with(QStringLiteral("--dedicated-brokers"), QStringLiteral("2.5"))
            << "--dedicated-brokers must be a whole number from 0 to 100000, not 2.5";
        QTest::addRow("negative tiered brokers") << with(QStringLiteral("--tiered-brokers"), QStringLiteral("-3"))
                                                 << "--tiered-brokers must be a whole number from 0 to 100000, not -3";
        QTest::addRow("nan shared brokers") << with(QStringLiteral("--shared-brokers"), QStringLiteral("nan"))
                                            << "--shared-brokers must be a whole number from 0 to 100000, not nan";
        QTest::addRow("negative rate") << QStringList{QStringLiteral("plan"), QStringLiteral("--write-mbps"),
                                                      QStringLiteral("-4")}
                                       << "--write-mbps must be a number from 0 to 10000000, not -4";
        QTest::addRow("words") << with(QStringLiteral("--groups"), QStringLiteral("three"))
                               << "--groups must be a number, not \"three\"";
        QTest::addRow("share above 1") << with(QStringLiteral("--replay-share"), QStringLiteral("1.5"))
                                       << "--replay-share must be a number more than 0 and at most 1, not 1.5";
        QTest::addRow("zero add-brokers")
            << with(QStringLiteral("--add-brokers"), QStringLiteral("0"))
            << "--add-brokers must not be 0 (a positive number adds brokers, a negative removes)";
        QTest::addRow("sweep rf overflow")
            << base + QStringList{QStringLiteral("--sweep"), QStringLiteral("rf=1:100000:3"), QStringLiteral("--sweep"),
                                  QStringLiteral("write=1:10:3")}
            << "--sweep \"rf=1:100000:3\": rf must be a whole number from 1 to 100, "
               "not 100000";
    }
    void planRefusesBadNumbers()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = cli(args);
        QCOMPARE(r.code, 2);
        QCOMPARE(r.out, QString());
        QCOMPARE(r.err.section(QLatin1Char('\n'), 0, 0), QStringLiteral("kafka-planner: error: ") + message);
        QCOMPARE(r.err.section(QLatin1Char('\n'), 1, 1), QStringLiteral("(kafka-planner plan --help shows the usage)"));
    }

    // A workload file's numbers are checked by the same table, naming the file and the key.
    void workloadFileNumbersAreNamed()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("w.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"writeMBps": 20, "replicationFactor": 2.5})");
        f.close();
        Run r = cli({QStringLiteral("plan"), QStringLiteral("--workload"), path});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.section(QLatin1Char('\n'), 0, 0),
                 QStringLiteral("kafka-planner: error: ") + path +
                     QStringLiteral(": replicationFactor must be a whole number from 1 to 100, not 2.5"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(R"({"writeMBps": 1e400})");
        f.close();
        r = cli({QStringLiteral("plan"), QStringLiteral("--workload"), path});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.section(QLatin1Char('\n'), 0, 0),
                 QStringLiteral("kafka-planner: error: ") + path +
                     QStringLiteral(": not valid JSON: number overflow parsing '1e400'"));
        // The largest values the table allows need more brokers than anything sized: refused, saying so (the broker
        // count overflowed an int: "-2147483648", and 102 brokers were priced).
        r = cli({QStringLiteral("plan"), QStringLiteral("--write-mbps"), QStringLiteral("10000000"),
                 QStringLiteral("--retention-hours"), QStringLiteral("876000"), QStringLiteral("--rf"),
                 QStringLiteral("100"), QStringLiteral("--groups"), QStringLiteral("1000000")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("kafka-planner: error: plan: the workload needs at least ")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral(" brokers, more than the 100000 this model sizes")), qPrintable(r.err));
        // Large but within reach: finite money, no overflowed count.
        r = cli({QStringLiteral("plan"), QStringLiteral("--write-mbps"), QStringLiteral("20000"),
                 QStringLiteral("--retention-hours"), QStringLiteral("876000"), QStringLiteral("--rf"),
                 QStringLiteral("5"), QStringLiteral("--partitions"), QStringLiteral("10000000"),
                 QStringLiteral("--groups"), QStringLiteral("100"), QStringLiteral("--format"),
                 QStringLiteral("table")});
        QCOMPARE(r.code, 0);
        for (const char *bad : {"inf", "nan", "-2147483648"})
            QVERIFY2(!r.out.contains(QLatin1String(bad)), bad);
    }

    // Brokers and follower fetching for every architecture, from a workload file and from the command line (issue 11
    // item 9); the command line wins over the file.
    void everyArchitectureTakesBrokersAndFollowerFetching()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("w.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"writeMBps": 100, "peakWriteMBps": 150, "consumerGroups": 2, "dedicatedBrokers": 30,
                    "tieredBrokers": 6, "tieredFollowerFetching": true})");
        f.close();
        const Run r = cli({QStringLiteral("plan"), QStringLiteral("--workload"), path,
                           QStringLiteral("--tiered-brokers"), QStringLiteral("9"), QStringLiteral("--shared-brokers"),
                           QStringLiteral("5"), QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        const auto &a = j.at("architectures");
        QCOMPARE(a[1].at("brokers").get<int>(), 30);
        QCOMPARE(a[2].at("brokers").get<int>(), 9);
        QCOMPARE(a[3].at("brokers").get<int>(), 5);
        QCOMPARE(j.at("settings").at("tieredFollowerFetching").get<bool>(), true);
        QCOMPARE(j.at("settings").at("dedicatedFollowerFetching").get<bool>(), false);
        auto crossAz = [](const nlohmann::json &arch) {
            for (const auto &l : arch.at("lines"))
                if (l.at("item") == "cross-AZ transfer")
                    return l.at("monthly").get<double>();
            return -1.0;
        };
        // 100 MB/s, 730 h, $0.02/GB: 4 bytes cross per byte produced without follower fetching, 2.667 with it.
        QCOMPARE(qRound64(crossAz(a[1])), qint64(21024));
        QCOMPARE(qRound64(crossAz(a[2])), qint64(14016));
    }

    // A workload file's relative pricing path is read from the file's folder, wherever the command runs (it was read
    // from the working directory: "no such file, and not a bundled profile").
    void workloadPricingBesideTheFile()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("team/prices")));
        QFile bundled(QStringLiteral(KP_PRICING_DIR "/aws-us-east-1.json"));
        QVERIFY(bundled.open(QIODevice::ReadOnly));
        QString profile = QString::fromUtf8(bundled.readAll());
        profile.replace(QStringLiteral("\"AWS us-east-1 (on-demand)\""), QStringLiteral("\"team prices\""));
        QVERIFY(profile.contains(QStringLiteral("team prices")));
        QFile prices(dir.filePath(QStringLiteral("team/prices/ours.json")));
        QVERIFY(prices.open(QIODevice::WriteOnly));
        prices.write(profile.toUtf8());
        prices.close();
        QFile workload(dir.filePath(QStringLiteral("team/w.json")));
        QVERIFY(workload.open(QIODevice::WriteOnly));
        workload.write(R"({"writeMBps": 20, "pricing": "prices/ours.json"})");
        workload.close();
        QProcess p;
        p.setWorkingDirectory(QDir::tempPath());
        p.start(QStringLiteral(KP_CLI), {QStringLiteral("plan"), QStringLiteral("--workload"), workload.fileName()});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0, err.constData());
        QVERIFY2(p.readAllStandardOutput().contains("\"pricing\": \"team prices\""), "priced with the team's profile");
    }

    // --screenshot exits with the reason when the first snapshot cannot be shown (it used to wait for ever).
    void screenshotGivesUpWithAReason()
    {
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), dir.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        const QString missing = dir.filePath(QStringLiteral("missing.kpsnap.json"));
        const QString shot = dir.filePath(QStringLiteral("shot.png"));
        const Run r = cli({missing, QStringLiteral("--screenshot"), shot}, env);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("kafka-planner: --screenshot: no snapshot to show: ") + missing),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(shot));
    }
};

QTEST_GUILESS_MAIN(TestCliInputs)
#include "tst_cliinputs.moc"
