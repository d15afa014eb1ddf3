// The readiness review against the real cluster, through the CLI: `review check` fills the items the cluster answers
// with what the seed made (exact facts), exits 5 while an item is red; a drill that stops a broker is recorded as
// exercised, with the under-replicated partitions and the recovery it saw, and one where nothing failed is not;
// milestones are frozen with their hash and compared; exports name every item. Runs serially (it stops a broker).

#include "clusterfixture.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>
#include <thread>

namespace sd = kp::seed;

namespace {

struct Run
{
    int code = -1;
    QByteArray out, err;
};

Run cli(const QStringList &args, const QStringList &unsetEnv = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto &name : unsetEnv)
        env.remove(name);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(KP_CLI), args);
    p.waitForFinished(180000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

const QString kBootstrap = QString::fromLatin1(sd::kPlaintextBootstrap);

nlohmann::json readJson(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return nlohmann::json::parse(f.readAll().toStdString());
}

const nlohmann::json &item(const nlohmann::json &review, const std::string &id)
{
    for (const auto &p : review.at("passes"))
        for (const auto &i : p.at("items"))
            if (i.at("id") == id)
                return i;
    static const nlohmann::json none;
    return none;
}

bool cluster(const QString &action, int node)
{
    QProcess p;
    p.start(QStringLiteral("bash"), {QStringLiteral(KP_CLUSTER_SCRIPT), action, QString::number(node)});
    return p.waitForFinished(120000) && p.exitCode() == 0;
}

} // namespace

class TestReviewCli : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_file;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(kp::test::requireCluster());
        m_file = m_dir.filePath(QStringLiteral("review.json"));
        Run r = cli({QStringLiteral("review"), QStringLiteral("new"), m_file, QStringLiteral("--pipeline-topics"),
                     QStringLiteral("^(orders|training-events)$"), QStringLiteral("--replay-window-hours"),
                     QStringLiteral("200")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(readJson(m_file).at("passes").size(), size_t(4));
    }

    // orders: RF 3, min.insync.replicas 2, 7 days; training-events: RF 3, min.insync.replicas from the brokers (1),
    // 30 days. A 200 h replay window is more than orders keeps.
    void checkFillsWhatTheClusterAnswers()
    {
        QTemporaryDir runs;
        Run r = cli({QStringLiteral("review"), QStringLiteral("check"), m_file, QStringLiteral("--bootstrap"),
                     kBootstrap, QStringLiteral("--db"), runs.filePath(QStringLiteral("r.sqlite"))});
        QCOMPARE(r.code, 5); // red items remain
        const auto doc = readJson(m_file);
        const auto &replication = item(doc, "replication").at("evidence");
        QCOMPARE(replication.at("basis").get<std::string>(), std::string("measured"));
        QVERIFY(replication.at("passes") == false);
        QCOMPARE(replication.at("detail").get<std::string>(), std::string("training-events has min.insync.replicas 1"));
        const auto &retained = item(doc, "retained-data").at("evidence");
        QVERIFY(retained.at("passes") == false);
        QCOMPARE(retained.at("detail").get<std::string>(),
                 std::string("orders keeps 168 h, less than the 200 h replay window"));
        const auto &groups = item(doc, "offset-behaviour").at("evidence");
        QVERIFY2(groups.at("passes") == true, groups.dump().c_str());
        // kp-caught-up on orders, and kp-active on training-events once its consumer has committed: counted here
        // from a snapshot of the same cluster.
        Run snap = cli({QStringLiteral("snapshot"), QStringLiteral("--bootstrap"), kBootstrap});
        int onPipeline = 0;
        const auto snapshot = nlohmann::json::parse(snap.out.toStdString());
        for (const auto &g : snapshot.at("groups")) {
            bool reads = false;
            for (const auto &o : g.at("offsets"))
                reads = reads || o.at("topic") == "orders" || o.at("topic") == "training-events";
            onPipeline += reads ? 1 : 0;
        }
        QVERIFY(onPipeline >= 1);
        QCOMPARE(QString::fromStdString(groups.at("detail").get<std::string>()),
                 QStringLiteral("%1 group(s) on the pipeline's topics, offsets readable, none below the earliest "
                                "retained offset")
                     .arg(onPipeline));
        // No training run recorded: the lineage items say so.
        QCOMPARE(item(doc, "rollback").at("evidence").at("detail").get<std::string>(),
                 std::string("no training run recorded on the pipeline's topics (kafka-planner run record)"));
        // The scorecard says why each item has its colour.
        const auto card = nlohmann::json::parse(r.out.toStdString());
        bool found = false;
        for (const auto &i : card.at("items"))
            if (i.at("item") == "replication") {
                found = true;
                QCOMPARE(i.at("status").get<std::string>(), std::string("RED"));
                QCOMPARE(i.at("why")[0].get<std::string>(),
                         std::string("the check fails: training-events has min.insync.replicas 1"));
            }
        QVERIFY(found);
    }

    // Nothing fails during the drill: not exercised, so the item stays red however well it went.
    void drillWithoutAFailureIsNotExercised()
    {
        Run r =
            cli({QStringLiteral("review"), QStringLiteral("drill"), m_file, QStringLiteral("--item"),
                 QStringLiteral("lose-broker-during-replay"), QStringLiteral("--bootstrap"), kBootstrap,
                 QStringLiteral("--seconds"), QStringLiteral("3"), QStringLiteral("--interval"), QStringLiteral("1")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto doc = readJson(m_file);
        const auto &e = item(doc, "lose-broker-during-replay").at("evidence");
        QCOMPARE(e.at("basis").get<std::string>(), std::string("drill"));
        QVERIFY(e.at("failurePathExercised") == false);
        QVERIFY(e.at("passes") == false);
        const auto &d = doc.at("drills").back();
        QVERIFY(d.at("failureSeen") == false);
        QCOMPARE(d.at("maxUnderReplicated").get<int>(), 0);
        QCOMPARE(d.at("fewestBrokers").get<int>(), 3);
        Run show = cli({QStringLiteral("review"), QStringLiteral("show"), m_file});
        const auto card = nlohmann::json::parse(show.out.toStdString());
        for (const auto &i : card.at("items"))
            if (i.at("item") == "lose-broker-during-replay")
                QVERIFY2(i.at("status") == "RED", i.dump().c_str());
    }

    // Broker 3 stopped a few seconds into the drill and started again: the drill saw 2 brokers, under-replicated
    // partitions, and the recovery.
    void drillThatStopsABrokerIsExercised()
    {
        QProcess drill;
        drill.start(QStringLiteral(KP_CLI),
                    {QStringLiteral("review"), QStringLiteral("drill"), m_file, QStringLiteral("--item"),
                     QStringLiteral("lose-broker-during-replay"), QStringLiteral("--bootstrap"), kBootstrap,
                     QStringLiteral("--seconds"), QStringLiteral("45"), QStringLiteral("--interval"),
                     QStringLiteral("1"), QStringLiteral("--timeout"), QStringLiteral("3")});
        QVERIFY(drill.waitForStarted());
        std::this_thread::sleep_for(std::chrono::seconds(4));
        QVERIFY(cluster(QStringLiteral("stop-broker"), 3));
        std::this_thread::sleep_for(std::chrono::seconds(6));
        QVERIFY(cluster(QStringLiteral("start-broker"), 3));
        QVERIFY(drill.waitForFinished(120000));
        const QByteArray err = drill.readAllStandardError();
        QVERIFY2(drill.exitStatus() == QProcess::NormalExit && drill.exitCode() == 0,
                 QByteArray(QByteArray("exit status ") + QByteArray::number(int(drill.exitStatus())) + " code " +
                            QByteArray::number(drill.exitCode()) + ": " + err.right(1500))
                     .constData());
        const auto doc = readJson(m_file);
        const auto &d = doc.at("drills").back();
        QVERIFY2(d.at("failureSeen") == true, d.dump().c_str());
        QCOMPARE(d.at("brokersAtStart").get<int>(), 3);
        QCOMPARE(d.at("fewestBrokers").get<int>(), 2);
        // Every RF > 1 partition has a replica on broker 3 (rack-aware over three brokers): the seeded RF 2 and 3
        // topics have at least their partitions on it under-replicated.
        QVERIFY2(d.at("maxUnderReplicated").get<int>() > 0, d.dump().c_str());
        QVERIFY2(d.at("recoverySeconds").get<int>() >= 5, d.dump().c_str());
        const auto &e = item(doc, "lose-broker-during-replay").at("evidence");
        QVERIFY(e.at("failurePathExercised") == true);
        // audit-log (RF 1) goes offline if its only replica was on broker 3: then the drill does not pass.
        QCOMPARE(e.at("passes").get<bool>(), d.at("maxOffline").get<int>() == 0);
    }

    void milestonesCompareAndExport()
    {
        Run m1 = cli({QStringLiteral("review"), QStringLiteral("milestone"), m_file, QStringLiteral("--name"),
                      QStringLiteral("before-owners")});
        QVERIFY2(m1.code == 0, m1.err.constData());
        QCOMPARE(m1.out.split(' ').at(1).trimmed().size(), 64); // the SHA-256 in hex
        // A person fills in an item from the command line.
        Run set = cli({QStringLiteral("review"), QStringLiteral("set"), m_file, QStringLiteral("--item"),
                       QStringLiteral("replication"), QStringLiteral("--owner"), QStringLiteral("Ana"),
                       QStringLiteral("--team"), QStringLiteral("data-platform"), QStringLiteral("--runbook"),
                       QStringLiteral("kafka-planner review check review.json --profile prod")});
        QVERIFY2(set.code == 0, set.err.constData());
        const auto setOut = nlohmann::json::parse(set.out.toStdString());
        QCOMPARE(setOut.at("status").get<std::string>(), std::string("RED")); // the cluster's check still fails
        QCOMPARE(item(readJson(m_file), "replication").at("ownerPerson").get<std::string>(), std::string("Ana"));
        Run m2 = cli({QStringLiteral("review"), QStringLiteral("milestone"), m_file, QStringLiteral("--name"),
                      QStringLiteral("owners")});
        QVERIFY2(m2.code == 0, m2.err.constData());
        Run dup = cli({QStringLiteral("review"), QStringLiteral("milestone"), m_file, QStringLiteral("--name"),
                       QStringLiteral("owners")});
        QCOMPARE(dup.code, 2);
        Run cmp = cli({QStringLiteral("review"), QStringLiteral("compare"), m_file, QStringLiteral("--from"),
                       QStringLiteral("before-owners"), QStringLiteral("--to"), QStringLiteral("owners")});
        QVERIFY2(cmp.code == 0, cmp.err.constData());
        const auto changes = nlohmann::json::parse(cmp.out.toStdString());
        QCOMPARE(changes.size(), size_t(1));
        QCOMPARE(changes[0].at("item").get<std::string>(), std::string("replication"));
        QCOMPARE(changes[0].at("changes")[0].get<std::string>(), std::string("owner: ' ()' -> 'Ana (data-platform)'"));
        // A frozen copy that was altered is refused.
        auto tampered = readJson(m_file);
        std::string frozen = tampered["milestones"][0]["document"];
        frozen.replace(frozen.find("\"name\""), 6, "\"nome\"");
        tampered["milestones"][0]["document"] = frozen;
        const QString bad = m_dir.filePath(QStringLiteral("tampered.json"));
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(tampered.dump()));
        }
        Run refused = cli({QStringLiteral("review"), QStringLiteral("show"), bad});
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains("milestones[0].document: does not match its sha256"), refused.err.constData());
        // Exports: every item in Markdown and HTML.
        Run md = cli({QStringLiteral("review"), QStringLiteral("export"), m_file, QStringLiteral("--as"),
                      QStringLiteral("markdown")});
        QVERIFY2(md.code == 0, md.err.constData());
        QVERIFY(
            md.out.contains("| Replication | **RED** | the check fails: training-events has min.insync.replicas 1"));
        QCOMPARE(md.out.count("| **"), 23);
        Run html = cli({QStringLiteral("review"), QStringLiteral("export"), m_file, QStringLiteral("--as"),
                        QStringLiteral("html")});
        QVERIFY2(html.code == 0, html.err.constData());
        QCOMPARE(html.out.count("<td class=\"s\""), 23);
        QVERIFY(html.out.contains("Ana (data-platform)"));
        // PDF from the command line: laid out offscreen, no display needed, and nothing on stderr where no session set
        // XDG_RUNTIME_DIR (cron, CI: Qt warned about it).
        const QString pdf = m_dir.filePath(QStringLiteral("review.pdf"));
        Run pdfRun = cli({QStringLiteral("review"), QStringLiteral("export"), m_file, QStringLiteral("--as"),
                          QStringLiteral("pdf"), QStringLiteral("--output"), pdf},
                         {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"),
                          QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("XDG_RUNTIME_DIR")});
        QVERIFY2(pdfRun.code == 0, pdfRun.err.constData());
        QVERIFY2(pdfRun.err.isEmpty(), pdfRun.err.constData());
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        const QByteArray bytes = pdfFile.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        QVERIFY2(bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") + bytes.count("/Type /Page ") >= 2,
                 "23 items take more than one page");
        Run noOutput = cli({QStringLiteral("review"), QStringLiteral("export"), m_file, QStringLiteral("--as"),
                            QStringLiteral("pdf")});
        QCOMPARE(noOutput.code, 2);
        QVERIFY(noOutput.err.contains("give --output FILE"));
    }

    // `review set` refuses what would make an item look better than it is, and loses nothing when it does.
    void setRefusesMisleadingEdits()
    {
        const QByteArray before = [&] {
            QFile f(m_file);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        const QString drillItem = QStringLiteral("lose-broker-during-replay");
        const QList<QPair<QStringList, QByteArray>> refused = {
            {{QStringLiteral("--basis"), QStringLiteral("drill")}, "record it with `review drill`"},
            {{QStringLiteral("--waiver"), QStringLiteral("ok")}, "a waiver needs --waiver-until"},
            {{QStringLiteral("--waiver"), QStringLiteral("ok"), QStringLiteral("--waiver-until"),
              QStringLiteral("2020-01-01")},
             "--waiver-until 2020-01-01 has passed"},
            {{QStringLiteral("--waiver-until"), QStringLiteral("2099-01-01")}, "a waiver needs a reason"},
            {{QStringLiteral("--passes"), QStringLiteral("maybe")}, "--passes must be yes or no"},
            {{QStringLiteral("--not-applicable"), QStringLiteral("")}, "--not-applicable needs a reason"},
        };
        for (const auto &[extra, message] : refused) {
            Run r = cli(QStringList{QStringLiteral("review"), QStringLiteral("set"), m_file, QStringLiteral("--item"),
                                    drillItem} +
                        extra);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(message), r.err.constData());
        }
        Run unknown = cli({QStringLiteral("review"), QStringLiteral("set"), m_file, QStringLiteral("--item"),
                           QStringLiteral("connect")});
        QCOMPARE(unknown.code, 2);
        QVERIFY2(unknown.err.contains("no item connect") && unknown.err.contains("kafka-connect"),
                 unknown.err.constData());
        QFile f(m_file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        // A waiver with its reason and last day turns the red drill item yellow until then.
        Run waived = cli({QStringLiteral("review"), QStringLiteral("set"), m_file, QStringLiteral("--item"), drillItem,
                          QStringLiteral("--waiver"), QStringLiteral("accepted by the platform lead"),
                          QStringLiteral("--waiver-until"), QStringLiteral("2099-12-31")});
        QVERIFY2(waived.code == 0, waived.err.constData());
        QCOMPARE(nlohmann::json::parse(waived.out.toStdString()).at("status").get<std::string>(),
                 std::string("YELLOW"));
        QCOMPARE(item(readJson(m_file), drillItem.toStdString()).at("waiverExpires").get<std::string>(),
                 std::string("2099-12-31T23:59:59.000Z"));
    }
};

QTEST_GUILESS_MAIN(TestReviewCli)
#include "tst_reviewcli.moc"
