#include "models/rates.h"
#include "store/database.h"
#include "store/profilestore.h"
#include "store/samplestore.h"
#include "storefixture.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

using namespace kp;

namespace {

QByteArray digest(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

void write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// Runs work(0..n-1) on n threads released together; what each one threw, empty where nothing.
std::vector<std::string> together(int n, const std::function<void(int)> &work)
{
    std::atomic<int> ready{0};
    std::vector<std::string> errors(static_cast<size_t>(n));
    std::vector<std::thread> threads;
    for (int t = 0; t < n; ++t)
        threads.emplace_back([&, t] {
            ++ready;
            while (ready.load() < n) {
            }
            try {
                work(t);
            } catch (const std::exception &e) {
                errors[size_t(t)] = e.what();
            }
        });
    for (auto &t : threads)
        t.join();
    return errors;
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsWalDatabaseWithSchema()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/kp.sqlite"));
        Database db(path);
        QSqlQuery q(db.db());
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
        QCOMPARE(q.value(0).toInt(), Database::kSchemaVersion);
    }

    // The first start of the app opens its new database from several threads at once (profiles, reviews, runs, the
    // sampler): exactly one of them creates the schema, and none fails or takes the half-made file for a foreign one.
    void firstOpenFromManyThreadsAtOnce()
    {
        QTemporaryDir dir;
        for (int round = 0; round < 20; ++round) {
            const QString path = dir.filePath(QStringLiteral("r%1/kp.sqlite").arg(round));
            for (const auto &e : together(6, [&](int) {
                     Database db(path);
                     ProfileStore profiles(db);
                     profiles.list();
                 }))
                QVERIFY2(e.empty(), e.c_str());
            Database db(path);
            QSqlQuery q(db.db());
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
            QCOMPARE(q.value(0).toInt(), Database::kSchemaVersion);
        }
    }

    // The same across processes (the app and a `watch`, say, on a new file): 6 CLIs at once, 10 times. Before
    // BEGIN IMMEDIATE and the one-statement check, 33 of 120 failed ("table profiles already exists", "another
    // application").
    void firstOpenFromManyProcessesAtOnce()
    {
        QTemporaryDir dir;
        for (int round = 0; round < 10; ++round) {
            const QString path = dir.filePath(QStringLiteral("p%1.sqlite").arg(round));
            std::vector<std::unique_ptr<QProcess>> procs;
            for (int i = 0; i < 6; ++i) {
                procs.push_back(std::make_unique<QProcess>());
                procs.back()->start(QStringLiteral(KP_CLI),
                                    {QStringLiteral("run"), QStringLiteral("list"), QStringLiteral("--db"), path});
            }
            for (auto &p : procs) {
                QVERIFY(p->waitForFinished(30000));
                QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
            }
        }
    }

    // What failed CI once (6 CLIs on a busy machine): SQLite refuses the switch to WAL with "database is locked",
    // without calling the busy handler, while another connection holds the write lock of the new file (as another
    // process does for a moment when it switches the file to WAL itself). Here one holds it for 300 ms: the open waits
    // it out.
    void walSwitchWaitsForAnotherWriterOfTheNewFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("kp.sqlite"));
        QFile(path).open(QIODevice::WriteOnly); // a new, empty file another process has just created
        std::atomic<bool> writing{false};
        std::string writerError;
        std::thread writer([&] {
            {
                QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("writer"));
                other.setDatabaseName(path);
                QSqlQuery q(other.open() ? other : QSqlDatabase());
                if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
                    writerError = q.lastError().text().toStdString();
                writing = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                q.exec(QStringLiteral("ROLLBACK"));
                other.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("writer"));
        });
        while (!writing.load())
            std::this_thread::yield();
        std::string openError;
        try {
            Database db(path);
            QSqlQuery q(db.db());
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        } catch (const std::exception &e) {
            openError = e.what();
        }
        writer.join();
        QVERIFY2(writerError.empty(), writerError.c_str());
        QVERIFY2(openError.empty(), openError.c_str());
    }

    void profilesRoundTripWithoutSecrets()
    {
        const test::TestStore dir(QStringLiteral("kp.sqlite"));
        const QString path = dir.location();
        {
            Database db(path);
            ProfileStore store(db);
            ConnectionProfile p;
            p.name = "prod";
            p.bootstrap = "k1:9094";
            p.securityProtocol = "SASL_SSL";
            p.saslMechanism = "SCRAM-SHA-256";
            p.username = "inspector";
            p.password = "hunter2-very-secret";
            p.sslCaLocation = "/etc/ca.pem";
            p.extra = {{"client.rack", "az-a"}};
            p.timeoutMs = 7000;
            p.clientAzs = {{"10.1.0.0/16", "az-a"}, {"10.2.0.0/16", "az-b"}};
            store.save(p);
            p.bootstrap = "k2:9094";
            store.save(p); // same name: updated, not duplicated
            QCOMPARE(store.list().size(), size_t(1));
            auto found = store.find("prod");
            QVERIFY(found);
            QCOMPARE(found->bootstrap, std::string("k2:9094"));
            QCOMPARE(found->username, std::string("inspector"));
            QCOMPARE(found->password, std::string()); // never stored here
            QCOMPARE(found->extra.at("client.rack"), std::string("az-a"));
            QCOMPARE(found->timeoutMs, 7000);
            QCOMPARE(found->clientAzs.size(), size_t(2));
            QCOMPARE(found->clientAzs[1].cidr, std::string("10.2.0.0/16"));
            QCOMPARE(found->clientAzs[1].az, std::string("az-b"));
            // A malformed rule is refused with the reason; the stored profile stays as it was.
            ConnectionProfile bad = *found;
            bad.clientAzs = {{"10.0.0.0/99", "x"}};
            try {
                store.save(bad);
                QFAIL("must refuse");
            } catch (const StoreError &e) {
                QVERIFY2(std::string(e.what()).find("client AZ rule 1: '10.0.0.0/99' has a bad prefix length") !=
                             std::string::npos,
                         e.what());
            }
            QCOMPARE(store.find("prod")->clientAzs.size(), size_t(2));
            QVERIFY(!store.find("nope"));
        }
        Database db(path);
        // The secret is in no byte of the database or its WAL, nor in any row of the profiles on a server.
        if (test::storeOnPostgres()) {
            QSqlQuery rows(db.db());
            QVERIFY(rows.exec(QStringLiteral("SELECT profiles::text FROM profiles")));
            QVERIFY(rows.next());
            QVERIFY2(!rows.value(0).toString().contains(QStringLiteral("hunter2")),
                     qPrintable(rows.value(0).toString()));
        } else {
            const QDir folder = QFileInfo(path).absoluteDir();
            for (const QString &f : folder.entryList(QDir::Files)) {
                QFile file(folder.filePath(f));
                QVERIFY(file.open(QIODevice::ReadOnly));
                QVERIFY2(!file.readAll().contains("hunter2-very-secret"), qPrintable(f));
            }
        }
        ProfileStore store(db);
        QVERIFY(store.remove("prod"));
        QVERIFY(!store.remove("prod"));
    }

    void secretLookingExtraIsRefused()
    {
        const test::TestStore dir(QStringLiteral("kp.sqlite"));
        Database db(dir.location());
        ProfileStore store(db);
        ConnectionProfile p;
        p.name = "x";
        p.bootstrap = "a:1";
        p.extra = {{"ssl.keystore.password", "pw"}};
        try {
            store.save(p);
            QFAIL("must refuse");
        } catch (const StoreError &e) {
            QVERIFY2(std::string(e.what()).find("looks like a secret") != std::string::npos, e.what());
        }
        QCOMPARE(store.list().size(), size_t(0));
    }

    void refusedFilesAreLeftUntouched_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::addRow("text file") << QByteArray("name,value\nthis is a CSV, not a database\n")
                                   << "not a Kafka Planner database (not SQLite); the file was left untouched";
        QByteArray corrupt("SQLite format 3\0", 16);
        corrupt += QByteArray(4096, '\x5a');
        QTest::addRow("corrupt sqlite") << corrupt << "";
    }

    void refusedFilesAreLeftUntouched()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("kp.sqlite"));
        write(path, content);
        const QByteArray before = digest(path);
        const QStringList connections = QSqlDatabase::connectionNames();
        try {
            Database db(path);
            QFAIL("must refuse");
        } catch (const StoreError &e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.startsWith(path + QStringLiteral(": ")), qPrintable(what));
            QVERIFY2(what.contains(message), qPrintable(what));
            QVERIFY2(what.endsWith(QStringLiteral("the file was left untouched")), qPrintable(what));
        }
        QCOMPARE(digest(path), before);
        QCOMPARE(QSqlDatabase::connectionNames(), connections); // a refused file leaves no connection behind
    }

    void versionOneIsMigrated()
    {
        // A store as the first release wrote it: profiles only, schema 1.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("v1.sqlite"));
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA application_id=1263553614")));
            QVERIFY(q.exec(QStringLiteral(
                "CREATE TABLE profiles (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, bootstrap TEXT NOT NULL, "
                "security_protocol TEXT NOT NULL DEFAULT 'PLAINTEXT', sasl_mechanism TEXT NOT NULL DEFAULT '', "
                "username TEXT NOT NULL DEFAULT '', ssl_ca TEXT NOT NULL DEFAULT '', ssl_cert TEXT NOT NULL DEFAULT "
                "'', "
                "ssl_key TEXT NOT NULL DEFAULT '', extra_json TEXT NOT NULL DEFAULT '{}', timeout_ms INTEGER NOT NULL "
                "DEFAULT 10000, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO profiles (name, bootstrap, created_at, updated_at) "
                                          "VALUES ('old', 'k:9092', 1, 1)")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=1")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        Database db(path);
        QSqlQuery q(db.db());
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
        QCOMPARE(q.value(0).toInt(), Database::kSchemaVersion);
        QCOMPARE(ProfileStore(db).find("old")->bootstrap, std::string("k:9092")); // nothing lost
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM runs")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM reviews")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        QVERIFY(ProfileStore(db).find("old")->clientAzs.empty());
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM samples")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }

    void samplesRecordAndReadBack()
    {
        const test::TestStore dir(QStringLiteral("h.sqlite"));
        Database db(dir.location());
        SampleStore store(db);
        // A consumer group that commits 10 messages per sample behind a producer writing 20 per sample.
        for (int i = 0; i < 70; ++i) { // crosses a keyframe boundary (every 60)
            ClusterSnapshot s;
            s.clusterId = "c1";
            s.takenAtMs = 1000000 + i * 10000;
            TopicInfo t;
            t.name = "events";
            PartitionInfo p;
            p.partition = 0;
            p.leader = 1;
            p.highWatermark = 1000 + 20 * i;
            p.replicaSizes = {{1, "/d", 5000 + 100 * i, 0, false}};
            t.partitions = {p};
            s.topics = {t};
            ConsumerGroup g;
            g.groupId = "g";
            g.offsets = {{"events", 0, 900 + 10 * i, -1, -1, ""}};
            s.groups = {g};
            QVERIFY(store.record(s) > 0);
        }
        QCOMPARE(store.sampleCount("c1"), int64_t(70));
        // The last five samples: from the 65th on, decoded through the keyframe at sample 60.
        auto h = store.groupHistories("c1", 1000000 + 65 * 10000, 1000000 + 69 * 10000);
        QCOMPARE(h.size(), size_t(1));
        QCOMPARE(h[0].group, std::string("g"));
        const PartitionHistory &p = h[0].partitions.at(0);
        QCOMPARE(p.commits.size(), size_t(5));
        QCOMPARE(p.commits.front().offset, int64_t(900 + 10 * 65));
        QCOMPARE(p.commits.back().timeMs, int64_t(1000000 + 69 * 10000));
        QCOMPARE(p.ends.size(), size_t(5));
        QCOMPARE(p.ends.back().offset, int64_t(1000 + 20 * 69));
        const GroupEvaluation e = evaluateGroup("g", h[0].partitions, 1000000 + 69 * 10000 + 1000, {}, true);
        QCOMPARE(e.partitions[0].status, PartitionStatus::Warn); // lag grows by 10 per sample
        QVERIFY(store.groupHistories("other", 0, 1LL << 50).empty());
    }

    // Each value lands in its own series when the sample's series move in place between samples (a topic gone, one
    // added before others, a group gone, a partition added): the store checks a series against its place in the last
    // sample before its table, and each series' points read back are exactly those recorded for it.
    void seriesKeepTheirValuesAsTheyMoveInTheSample()
    {
        const test::TestStore dir(QStringLiteral("moves.sqlite"));
        Database db(dir.location());
        SampleStore store(db);
        // sample -> topics (name, partitions) and groups (group, topic); every value says whose it is.
        const std::vector<std::vector<std::pair<std::string, int>>> topics = {{{"a", 2}, {"b", 1}},
                                                                              {{"b", 1}, {"c", 2}},
                                                                              {{"a", 2}, {"b", 2}, {"c", 2}},
                                                                              {{"a", 2}, {"b", 2}, {"c", 2}},
                                                                              {{"b", 2}, {"c", 2}}};
        // Each group commits on two partitions; in the fourth sample g1 on a-1 and a-2, where it was on a-0 and a-1.
        const std::vector<std::vector<std::pair<std::string, std::string>>> groups = {{{"g1", "b"}, {"g2", "b"}},
                                                                                      {{"g2", "b"}, {"g3", "c"}},
                                                                                      {{"g1", "a"}, {"g3", "c"}},
                                                                                      {{"g1", "a"}},
                                                                                      {{"g1", "b"}}};
        auto end = [](const std::string &t, int p, int i) { return int64_t(1000 * (t[0] - 'a' + 1) + 100 * p + i); };
        auto commit = [](const std::string &g, int p, int i) { return int64_t(10000 * (g[1] - '0') + 100 * p + i); };
        std::map<TopicPartition, std::vector<int64_t>> wantEnds;
        std::map<std::string, std::map<TopicPartition, std::vector<int64_t>>> wantCommits;
        for (int i = 0; i < int(topics.size()); ++i) {
            ClusterSnapshot s;
            s.clusterId = "c1";
            s.takenAtMs = 1000000 + i * 10000;
            for (const auto &[name, count] : topics[size_t(i)]) {
                TopicInfo t;
                t.name = name;
                for (int p = 0; p < count; ++p) {
                    PartitionInfo part;
                    part.partition = p;
                    part.leader = 1;
                    part.highWatermark = end(name, p, i);
                    t.partitions.push_back(part);
                    wantEnds[{name, p}].push_back(part.highWatermark);
                }
                s.topics.push_back(t);
            }
            for (const auto &[group, topic] : groups[size_t(i)]) {
                ConsumerGroup g;
                g.groupId = group;
                for (int p = i == 3 ? 1 : 0; p < (i == 3 ? 3 : 2); ++p) {
                    g.offsets.push_back({topic, p, commit(group, p, i), -1, -1, ""});
                    wantCommits[group][{topic, p}].push_back(commit(group, p, i));
                }
                s.groups.push_back(g);
            }
            QVERIFY(store.record(s) > 0);
        }
        const SampleStore::History h = store.history("c1", 0, 1LL << 50);
        std::map<TopicPartition, std::vector<int64_t>> ends;
        for (const auto &[tp, points] : h.partitions)
            for (const auto &point : points)
                ends[tp].push_back(point.endOffset);
        QCOMPARE(ends, wantEnds);
        std::map<std::string, std::map<TopicPartition, std::vector<int64_t>>> commits;
        for (const auto &[group, parts] : h.groups)
            for (const auto &[tp, points] : parts)
                for (const auto &point : points)
                    commits[group][tp].push_back(point.offset);
        QCOMPARE(commits, wantCommits);
    }

    // A topic deleted and recreated with fewer partitions (issue 11 B): its history starts again at the first sample
    // that saw the new topic id; the partitions it no longer has are not listed, and the group's lag is the new
    // topic's (the old code listed 12 partitions and a lag of 2,160 where the live lag was 4 partitions and 120).
    void recreatedTopicStartsItsHistoryAgain()
    {
        const test::TestStore dir(QStringLiteral("h.sqlite"));
        Database db(dir.location());
        SampleStore store(db);
        auto sample = [&](int i, const std::string &topicId, int partitions, int64_t lagEach) {
            ClusterSnapshot s;
            s.clusterId = "c1";
            s.takenAtMs = 1000000 + i * 10000;
            TopicInfo t;
            t.name = "events";
            t.topicId = topicId;
            ConsumerGroup g;
            g.groupId = "g";
            for (int k = 0; k < partitions; ++k) {
                PartitionInfo p;
                p.partition = k;
                p.leader = 1;
                p.highWatermark = 1000 + 20 * i;
                t.partitions.push_back(p);
                g.offsets.push_back({"events", k, p.highWatermark - lagEach, -1, -1, ""});
            }
            TopicInfo other; // a topic of an older broker: no id, never cut
            other.name = "legacy";
            PartitionInfo p0;
            p0.partition = 0;
            p0.highWatermark = 5 + i;
            other.partitions = {p0};
            s.topics = {t, other};
            s.groups = {g};
            QVERIFY(store.record(s) > 0);
        };
        for (int i = 0; i < 10; ++i)
            sample(i, "AAAAAAAAAAAAAAAAAAAAAQ", 12, 180);
        for (int i = 10; i < 15; ++i)
            sample(i, "AAAAAAAAAAAAAAAAAAAAAg", 4, 30);
        const int64_t last = 1000000 + 14 * 10000;
        const SampleStore::History h = store.history("c1", 0, last);
        int64_t partitions = 0;
        for (const auto &[tp, points] : h.partitions) {
            if (tp.topic != "events")
                continue;
            ++partitions;
            QCOMPARE(points.size(), size_t(5));
            QCOMPARE(points.front().timeMs, int64_t(1000000 + 10 * 10000));
        }
        QCOMPARE(partitions, int64_t(4));
        QCOMPARE(h.partitions.at({"legacy", 0}).size(), size_t(15));
        const auto groups = SampleStore::groupHistoriesOf(h);
        QCOMPARE(groups.size(), size_t(1));
        QCOMPARE(groups[0].partitions.size(), size_t(4));
        int64_t lag = 0;
        for (const auto &p : groups[0].partitions) {
            QCOMPARE(p.commits.size(), size_t(5));
            lag += p.ends.back().offset - p.commits.back().offset;
        }
        QCOMPARE(lag, int64_t(120));
        // Read up to a time before the recreation: the old topic, whole.
        const SampleStore::History before = store.history("c1", 0, 1000000 + 9 * 10000);
        QCOMPARE(before.partitions.size(), size_t(13));
        QCOMPARE(before.partitions.at({"events", 11}).size(), size_t(10));
        QCOMPARE(before.groups.at("g").size(), size_t(12));
        // The ids recorded: the first one seen (since 0), and the new one from the first sample that saw it.
        QSqlQuery q(db.db());
        QVERIFY(q.exec(QStringLiteral("SELECT topic_id, since FROM topic_ids ORDER BY since")));
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toLongLong(), qlonglong(0));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("AAAAAAAAAAAAAAAAAAAAAg"));
        QCOMPARE(q.value(1).toLongLong(), qlonglong(1000000 + 10 * 10000));
        QVERIFY(!q.next());
        // What the next process's open checks (once per file per process): SQLite 3.40 read the first layout of
        // this table as holding NULLs, and the file was refused as corrupt.
        if (db.backend() == StoreBackend::Sqlite) {
            QVERIFY(q.exec(QStringLiteral("PRAGMA quick_check")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
        }
    }

    // Two writers on one file (the app's sampler and a `watch`, or two apps): a write transaction that read first would
    // get "database is locked" at once, without waiting, when the other wrote in between. Each records 40 samples of
    // its own cluster at the same time; every sample lands.
    void twoWritersRecordSideBySide()
    {
        const test::TestStore dir(QStringLiteral("h.sqlite"));
        const QString path = dir.location();
        {
            Database create(path);
        }
        constexpr int kSamples = 40;
        for (const auto &e : together(2, [&](int w) {
                 Database db(path);
                 SampleStore store(db);
                 for (int i = 0; i < kSamples; ++i) {
                     ClusterSnapshot s;
                     s.clusterId = "c" + std::to_string(w);
                     s.takenAtMs = 1000000 + i * 10000;
                     TopicInfo t;
                     t.name = "events";
                     for (int part = 0; part < 50; ++part) {
                         PartitionInfo p;
                         p.partition = part;
                         p.highWatermark = 1000 + 20 * i + part;
                         t.partitions.push_back(p);
                     }
                     s.topics = {t};
                     store.record(s);
                 }
             }))
            QVERIFY2(e.empty(), e.c_str());
        Database db(path);
        SampleStore store(db);
        QCOMPARE(store.sampleCount("c0"), int64_t(kSamples));
        QCOMPARE(store.sampleCount("c1"), int64_t(kSamples));
    }

    // Two writers sampling the same cluster into one file (the window beside a `watch`): each writer's frames were
    // deltas from its own previous frame, and read back as one chain they decoded into values nobody wrote. Every
    // frame must read back as written, whichever writer wrote it and in whatever order they took turns.
    void twoWritersOfOneClusterKeepOneChain()
    {
        const test::TestStore dir(QStringLiteral("h.sqlite"));
        const QString path = dir.location();
        Database dbA(path);
        Database dbB(path);
        SampleStore a(dbA);
        SampleStore b(dbB);
        std::map<int64_t, int64_t> written; // time -> partition 0's end offset as written
        auto sample = [](int64_t at, int64_t base) {
            ClusterSnapshot s;
            s.clusterId = "c1";
            s.takenAtMs = at;
            TopicInfo t;
            t.name = "events";
            for (int part = 0; part < 20; ++part) {
                PartitionInfo p;
                p.partition = part;
                p.highWatermark = base + part;
                p.replicaSizes = {{1, "/d", base * 3 + part, 0, false}};
                t.partitions.push_back(p);
            }
            s.topics = {t};
            ConsumerGroup g;
            g.groupId = "g";
            g.offsets = {{"events", 0, base / 2, -1, -1, ""}};
            s.groups = {g};
            return s;
        };
        // Uneven turns, across keyframe boundaries: A twice, B once, A once, B three times, ...
        int64_t at = 1'000'000;
        for (int i = 0; i < 150; ++i) {
            const bool byA = (i % 7) < 3 || i % 11 == 0;
            const int64_t base = byA ? 1000 + 17 * i : 900000 - 31 * i; // B sees other (even falling) values
            at += 10000;
            QVERIFY((byA ? a : b).record(sample(at, base)) > 0);
            written[at] = base;
        }
        // A sample older than the store's last one (a slow writer) is not written: it would break the chain after it.
        QCOMPARE(a.record(sample(at - 5000, 42)), size_t(0));
        QCOMPARE(b.record(sample(at, 43)), size_t(0));
        QCOMPARE(a.sampleCount("c1"), int64_t(150));

        Database reader(path);
        const auto h = SampleStore(reader).history("c1", 0, 1LL << 50);
        for (int part = 0; part < 20; part += 19) {
            const auto &points = h.partitions.at({"events", part});
            QCOMPARE(points.size(), written.size());
            size_t k = 0;
            for (const auto &[time, base] : written) {
                QCOMPARE(points[k].timeMs, time);
                QCOMPARE(points[k].endOffset, base + part);
                QCOMPARE(points[k].sizeBytes, base * 3 + part);
                ++k;
            }
        }
        const auto &commits = h.groups.at("g").at({"events", 0});
        QCOMPARE(commits.size(), written.size());
        size_t k = 0;
        for (const auto &[time, base] : written)
            QCOMPARE(commits[k++].offset, base / 2);
    }

    // The same with two threads racing, each with its own connection: whatever each wrote reads back exactly.
    void twoWritersOfOneClusterRacing()
    {
        const test::TestStore dir(QStringLiteral("h.sqlite"));
        const QString path = dir.location();
        {
            Database create(path);
        }
        std::map<int64_t, int64_t> written[2];
        std::atomic<int64_t> clock{1'000'000}; // both take their sample times from one clock, as two real writers do
        for (const auto &e : together(2, [&](int w) {
                 Database db(path);
                 SampleStore store(db);
                 for (int i = 0; i < 120; ++i) {
                     ClusterSnapshot s;
                     s.clusterId = "c1";
                     s.takenAtMs = clock += 1000;
                     const int64_t base = w == 0 ? 1000 + 20 * i : 777777 - 13 * i;
                     TopicInfo t;
                     t.name = "events";
                     for (int part = 0; part < 50; ++part) {
                         PartitionInfo p;
                         p.partition = part;
                         p.highWatermark = base + part;
                         t.partitions.push_back(p);
                     }
                     s.topics = {t};
                     if (store.record(s) > 0)
                         written[w][s.takenAtMs] = base;
                 }
             }))
            QVERIFY2(e.empty(), e.c_str());
        std::map<int64_t, int64_t> all = written[0];
        all.insert(written[1].begin(), written[1].end());
        // Samples taken before the other writer's last one are not written; both wrote, most samples landed.
        QVERIFY(!written[0].empty() && !written[1].empty());
        QVERIFY2(all.size() >= 120, qPrintable(QString::number(all.size())));
        Database db(path);
        SampleStore store(db);
        QCOMPARE(store.sampleCount("c1"), int64_t(all.size()));
        const auto h = store.history("c1", 0, 1LL << 50);
        for (int part : {0, 49}) {
            const auto &points = h.partitions.at({"events", part});
            QCOMPARE(points.size(), all.size());
            size_t k = 0;
            for (const auto &[time, base] : all) {
                QCOMPARE(points[k].timeMs, time);
                QCOMPARE(points[k].endOffset, base + part);
                ++k;
            }
        }
    }

    // What a reader keeps of each series (HistoryShape), point by point: a view of a large cluster reads a window
    // without holding every point of every series.
    // Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's included. A second
    // Database on the file read its header through a descriptor of its own and closed it: another process closing its
    // connection then took itself for the last one and deleted the WAL under the first, whose next samples went to a
    // deleted file that no other process could see (the soak benchmark's window stopped showing new samples).
    void aSecondConnectionKeepsTheFirstOnesLocks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.sqlite"));
        auto sample = [](int64_t at, int64_t end) {
            ClusterSnapshot s;
            s.clusterId = "c1";
            s.takenAtMs = at;
            TopicInfo t;
            t.name = "events";
            PartitionInfo p;
            p.partition = 0;
            p.highWatermark = end;
            t.partitions = {p};
            s.topics = {t};
            return s;
        };
        auto samplesSeenByAnotherProcess = [&] {
            QProcess p;
            p.start(QStringLiteral("python3"),
                    {QStringLiteral("-c"),
                     QStringLiteral("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                                    "print(c.execute('select count(*) from samples').fetchone()[0]); c.close()"),
                     path});
            p.waitForFinished(30000);
            return p.readAllStandardOutput().trimmed().toInt();
        };
        Database a(path);
        SampleStore store(a);
        QVERIFY(store.record(sample(1000, 10)) > 0);
        {
            Database b(path); // a page reading the history
        }
        QCOMPARE(samplesSeenByAnotherProcess(), 1); // and closing its connection
        QVERIFY2(QFile::exists(path + QStringLiteral("-wal")), "the WAL was deleted under an open connection");
        QVERIFY(store.record(sample(2000, 20)) > 0);
        QCOMPARE(samplesSeenByAnotherProcess(), 2);
    }

    void historyShapes()
    {
        const test::TestStore dir(QStringLiteral("h.sqlite"));
        Database db(dir.location());
        SampleStore store(db);
        // Partition 0's end offsets, one per sample; a drop at sample 7 (the topic recreated).
        const std::vector<int64_t> ends{100, 100, 100, 150, 150, 150, 200, 50, 60, 60, 70};
        for (size_t i = 0; i < ends.size(); ++i) {
            ClusterSnapshot s;
            s.clusterId = "c1";
            s.takenAtMs = 1000 * int64_t(i + 1);
            TopicInfo t;
            t.name = "events";
            PartitionInfo p;
            p.partition = 0;
            p.highWatermark = ends[i];
            t.partitions = {p};
            s.topics = {t};
            ConsumerGroup a, b;
            a.groupId = "a";
            a.offsets = {{"events", 0, int64_t(10 + i), -1, -1, ""}};
            b.groupId = "b";
            b.offsets = {{"events", 0, int64_t(20 + i), -1, -1, ""}};
            s.groups = {a, b};
            QVERIFY(store.record(s) > 0);
        }
        auto endsOf = [](const SampleStore::History &h) {
            std::vector<std::pair<int64_t, int64_t>> out;
            for (const auto &p : h.partitions.at({"events", 0}))
                out.push_back({p.timeMs / 1000, p.endOffset});
            return out;
        };
        auto commitsOf = [](const SampleStore::History &h, const std::string &group) {
            std::vector<std::pair<int64_t, int64_t>> out;
            for (const auto &c : h.groups.at(group).at({"events", 0}))
                out.push_back({c.timeMs / 1000, c.offset});
            return out;
        };
        using Points = std::vector<std::pair<int64_t, int64_t>>;
        using Keep = HistoryShape::Keep;
        // Whole: every point, as written.
        const auto whole = store.history("c1", 0, 1LL << 50);
        QCOMPARE(endsOf(whole).size(), ends.size());
        // Unchanged runs collapsed to their first and last point.
        HistoryShape collapsed;
        collapsed.collapseRuns = true;
        QCOMPARE(endsOf(store.history("c1", 0, 1LL << 50, collapsed)),
                 (Points{{1, 100}, {3, 100}, {4, 150}, {6, 150}, {7, 200}, {8, 50}, {9, 60}, {10, 60}, {11, 70}}));
        // The last 3 commits of every group but the one kept whole.
        HistoryShape last;
        last.groups = Keep::Last;
        last.last = 3;
        last.allOf = {"b"};
        const auto h = store.history("c1", 0, 1LL << 50, last);
        QCOMPARE(commitsOf(h, "a"), (Points{{9, 18}, {10, 19}, {11, 20}}));
        QCOMPARE(commitsOf(h, "b").size(), ends.size());
        QCOMPARE(commitsOf(h, "b").front(), (std::pair<int64_t, int64_t>{1, 20}));
        // Endpoints: end offsets from the last drop on, commits from the first.
        HistoryShape endpoints;
        endpoints.partitions = endpoints.groups = Keep::Endpoints;
        const auto e = store.history("c1", 0, 1LL << 50, endpoints);
        QCOMPARE(endsOf(e), (Points{{8, 50}, {11, 70}}));
        QCOMPARE(commitsOf(e, "a"), (Points{{1, 10}, {11, 20}}));
        // The rates read from the endpoints are the rates of the whole window.
        QCOMPARE(consumeRate(e.groups.at("a").at({"events", 0})), consumeRate(whole.groups.at("a").at({"events", 0})));
        QCOMPARE(produceRate(e.partitions.at({"events", 0}), 0).messagesPerSecond,
                 produceRate(whole.partitions.at({"events", 0}), 0).messagesPerSecond);
        // Nothing of the groups.
        HistoryShape none;
        none.groups = Keep::None;
        QVERIFY(store.history("c1", 0, 1LL << 50, none).groups.empty());
    }

    void downsamplingKeepsCoarserHistory()
    {
        const test::TestStore dir(QStringLiteral("tiers.sqlite"));
        Database db(dir.location());
        // Scaled-down retention so that every tier is cut within 9 hours of 10-s samples: tier 0 keeps 20 min, tier 1
        // (one frame a minute) 2 h, tier 2 (one frame per 2 min) 4 h.
        SampleStore::Retention r;
        r.keepMs[0] = 20 * 60000;
        r.keepMs[1] = 120 * 60000;
        r.keepMs[2] = 240 * 60000;
        r.bucketMs[1] = 60000;
        r.bucketMs[2] = 120000;
        SampleStore store(db, r);
        const int64_t t0 = 1'700'000'040'000; // a multiple of 2 minutes
        const int n = 9 * 360;
        auto endOf = [](int64_t i) { return 1000 + 20 * i; };
        auto commitOf = [](int64_t i) { return 900 + 10 * i; };
        auto indexAt = [&](int64_t at) { return (at - t0) / 10000; };
        int64_t downsampled = 0;
        int64_t deleted = 0;
        for (int i = 0; i < n; ++i) {
            ClusterSnapshot s;
            s.clusterId = "c1";
            s.takenAtMs = t0 + i * 10000LL;
            TopicInfo t;
            t.name = "events";
            PartitionInfo p;
            p.partition = 0;
            p.leader = 1;
            p.highWatermark = endOf(i);
            p.replicaSizes = {{1, "/d", 5000 + 100 * i, 0, false}};
            t.partitions = {p};
            s.topics = {t};
            ConsumerGroup g;
            g.groupId = "g";
            g.offsets = {{"events", 0, commitOf(i), -1, -1, ""}};
            s.groups = {g};
            store.record(s);
            const auto c = store.compact("c1", s.takenAtMs);
            downsampled += c.downsampled;
            deleted += c.deleted;
        }
        const int64_t last = t0 + (n - 1) * 10000LL;
        // Compacting again at the same time has nothing to do.
        const auto again = store.compact("c1", last);
        QCOMPARE(again.downsampled, int64_t(0));
        QCOMPARE(again.deleted, int64_t(0));
        QVERIFY(deleted > 0 && downsampled > 0);

        const auto h = store.history("c1", 0, last);
        const auto &ends = h.partitions.at({"events", 0});
        const auto &commits = h.groups.at("g").at({"events", 0});
        QCOMPARE(commits.size(), ends.size());
        // Every tier is cut at a keyframe (every 60 frames), so it keeps between its span and 60 frames more.
        const int64_t oldest = ends.front().timeMs;
        QVERIFY2(oldest <= last - r.keepMs[2] && oldest >= last - r.keepMs[2] - 60 * r.bucketMs[2],
                 qPrintable(QString::number((last - oldest) / 60000)));
        int64_t at10s = 0, at1m = 0, at2m = 0;
        for (size_t k = 0; k < ends.size(); ++k) {
            // Each point is the sample that was taken at its time, whichever tier it came from.
            const int64_t i = indexAt(ends[k].timeMs);
            QCOMPARE(ends[k].endOffset, endOf(i));
            QCOMPARE(ends[k].sizeBytes, int64_t(5000 + 100 * i));
            QCOMPARE(commits[k].timeMs, ends[k].timeMs);
            QCOMPARE(commits[k].offset, commitOf(i));
            if (k == 0)
                continue;
            const int64_t gap = ends[k].timeMs - ends[k - 1].timeMs;
            QVERIFY2(gap == 10000 || gap == 60000 || gap == 120000, qPrintable(QString::number(gap)));
            const int64_t age = last - ends[k].timeMs;
            // The finest tier that still holds a time answers for it; a downsampled frame is its bucket's last sample.
            if (gap == 10000) {
                QVERIFY(age <= r.keepMs[0] + 60 * 10000);
                ++at10s;
            } else if (gap == 60000) {
                QVERIFY(age <= r.keepMs[1] + 60 * r.bucketMs[1] && age >= r.keepMs[0]);
                QCOMPARE((ends[k].timeMs + 10000) % 60000, int64_t(0));
                ++at1m;
            } else {
                QVERIFY(age >= r.keepMs[1]);
                QCOMPARE((ends[k].timeMs + 10000) % 120000, int64_t(0));
                ++at2m;
            }
        }
        // 20 min of 10-s frames; 100 min of 1-min frames; 2 h of 2-min frames (less the first point, which has no gap).
        QVERIFY2(at10s >= 120 && at1m >= 100 && at2m >= 59,
                 qPrintable(QStringLiteral("%1 %2 %3").arg(at10s).arg(at1m).arg(at2m)));
        QCOMPARE(store.sampleCount("c1", 0) + store.sampleCount("c1", 1) + store.sampleCount("c1", 2),
                 int64_t(n) + downsampled - deleted);
        // The rates and statuses still work across tiers: lag grows by 10 messages per 10 s everywhere.
        const auto groups = SampleStore::groupHistoriesOf(h);
        const GroupEvaluation e = evaluateGroup("g", groups[0].partitions, last + 1000, {}, true);
        QCOMPARE(e.partitions[0].status, PartitionStatus::Warn);
    }

    // The window reads the history on worker threads while the session's thread writes it: each with its own
    // connection, WAL mode, no error on either side.
    void readersBesideTheWriter()
    {
        const test::TestStore dir(QStringLiteral("shared.sqlite"));
        const QString path = dir.location();
        {
            Database init(path);
        }
        std::atomic<bool> done = false;
        std::string writerError;
        std::thread writer([&] {
            try {
                Database db(path);
                SampleStore store(db);
                for (int i = 0; i < 300; ++i) {
                    ClusterSnapshot s;
                    s.clusterId = "c1";
                    s.takenAtMs = 1000000 + i * 10000;
                    TopicInfo t;
                    t.name = "events";
                    for (int p = 0; p < 50; ++p)
                        t.partitions.push_back({p, 1, {1}, {1}, "", 0, 1000 + 20 * i + p, {}});
                    s.topics = {t};
                    store.record(s);
                    store.compact("c1", s.takenAtMs);
                }
            } catch (const std::exception &e) {
                writerError = e.what();
            }
            done = true;
        });
        std::vector<std::string> writerErrors;
        int reads = 0;
        while (!done) {
            try {
                Database db(path);
                SampleStore store(db);
                store.history("c1", 0, 1LL << 50);
                ++reads;
            } catch (const std::exception &e) {
                writerErrors.push_back(e.what());
            }
        }
        writer.join();
        QVERIFY2(writerError.empty(), writerError.c_str());
        QVERIFY2(writerErrors.empty(), writerErrors.empty() ? "" : writerErrors.front().c_str());
        QVERIFY(reads > 0);
    }

    void foreignSqliteAndNewerSchemaAreRefused()
    {
        QTemporaryDir dir;
        const QString foreign = dir.filePath(QStringLiteral("other.sqlite"));
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("foreign"));
            db.setDatabaseName(foreign);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE t(x)")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("foreign"));
        const QByteArray before = digest(foreign);
        try {
            Database db(foreign);
            QFAIL("must refuse");
        } catch (const StoreError &e) {
            QVERIFY2(std::string(e.what()).find("a SQLite database of another application") != std::string::npos,
                     e.what());
        }
        QCOMPARE(digest(foreign), before);

        const QString newer = dir.filePath(QStringLiteral("newer.sqlite"));
        {
            Database db(newer);
            QSqlQuery q(db.db());
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=99")));
        }
        try {
            Database db(newer);
            QFAIL("must refuse");
        } catch (const StoreError &e) {
            QVERIFY2(std::string(e.what()).find("made by a newer Kafka Planner (schema 99, this build knows " +
                                                std::to_string(Database::kSchemaVersion) + ")") != std::string::npos,
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
