// The services the command line and the pages share, without a cluster: runs recorded, finished, checked and removed
// through RunService on a throwaway store (snapshots made by hand), and reviews made from the bundled template (built
// into kp_app, which this test links alone), saved, loaded and given evidence.

#include "models/clustersnapshot.h"
#include "models/jsonreader.h"
#include "models/snapshotjson.h"
#include "services/profileservice.h"
#include "services/reviewservice.h"
#include "services/runservice.h"
#include "services/sampler.h"
#include "services/watchservice.h"
#include "store/samplestore.h"
#include "storefixture.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <stdexcept>

using namespace kp;

namespace {

// Cluster `clusterId` with topic "events" (2 partitions, offsets 100 to 1,100) and group "trainer" committed at
// `committed` on both partitions.
ClusterSnapshot look(const std::string &clusterId, int64_t committed)
{
    ClusterSnapshot s;
    s.clusterId = clusterId;
    s.bootstrap = "b:9092";
    s.takenAtMs = 1'700'000'000'000;
    TopicInfo t;
    t.name = "events";
    for (int32_t p = 0; p < 2; ++p)
        t.partitions.push_back({p, 1, {1}, {1}, "", 100, 1100, {{1, "/d", 250'000, 0, false}}});
    s.topics.push_back(t);
    ConsumerGroup g;
    g.groupId = "trainer";
    g.offsets = {{"events", 0, committed, 1100, 0, ""}, {"events", 1, committed, 1100, 0, ""}};
    s.groups.push_back(g);
    return s;
}

RunRequest groupRequest()
{
    RunRequest r;
    r.jobId = "job-7";
    r.model = "ranker";
    r.topics = {"events"};
    r.basis = RunBasis::GroupOffsets;
    r.group = "trainer";
    return r;
}

template <typename E, typename F> std::string thrown(F f)
{
    try {
        f();
    } catch (const E &e) {
        return e.what();
    }
    return "nothing thrown";
}

} // namespace

class TestServices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The sampler records what was read into the history; a sample that read nothing is not stored; a store that
    // cannot be opened throws, and is tried again at the next sample.
    void samplerRecordsIntoTheHistory()
    {
        const test::TestStore dir(QStringLiteral("h.sqlite"));
        ClusterSnapshot s = loadSnapshotFile(KP_DEMO_SNAPSHOT);
        Sampler sampler(dir.location());
        QVERIFY(!sampler.record(ClusterSnapshot{}));
        const auto first = sampler.record(s);
        QVERIFY(first && first->frameBytes > 0);
        s.takenAtMs += 10000;
        QVERIFY(sampler.record(s));
        Database db(dir.location());
        QCOMPARE(SampleStore(db).sampleCount(s.clusterId), int64_t(2));
        QCOMPARE(Sampler::lightOptions(1234).timeoutMs, 1234);
        QVERIFY(!Sampler::lightOptions(1234).includeConfigs);
        QFile blocker(dir.filePath(QStringLiteral("blocker"))); // a file where the store's folder would be
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        Sampler nowhere(dir.filePath(QStringLiteral("blocker/h.sqlite")));
        QVERIFY_THROWS_EXCEPTION(std::exception, nowhere.record(s));
        QVERIFY(blocker.remove());
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("blocker"))));
        QVERIFY(nowhere.record(s)); // opened again
    }

    // The halves the window's session uses (the frame, the pages told, then downsampling): the frame alone leaves the
    // two-day-old samples as they were; compact() then downsamples them as record() would have.
    void samplerRecordsThenDownsamples()
    {
        const test::TestStore dir(QStringLiteral("halves.sqlite"));
        ClusterSnapshot s = loadSnapshotFile(KP_DEMO_SNAPSHOT);
        Sampler sampler(dir.location());
        const int64_t now = s.takenAtMs;
        for (int i = 0; i < 6; ++i) { // a minute of 10-s samples two days ago
            s.takenAtMs = now - 2 * 86400000LL + i * 10000;
            QVERIFY(sampler.recordFrame(s));
        }
        s.takenAtMs = now;
        QVERIFY(!sampler.recordFrame(ClusterSnapshot{}));
        QVERIFY(*sampler.recordFrame(s) > 0);
        {
            Database db(dir.location());
            QCOMPARE(SampleStore(db).sampleCount(s.clusterId), int64_t(7));
        }
        QCOMPARE(sampler.compact(s).downsampled, int64_t(1)); // the minute's six frames made one, now
        QCOMPARE(sampler.compact(s).downsampled, int64_t(0));
    }

    // watch tries a lost cluster again after twice the interval, then four times ..., never more than five minutes
    // apart, never sooner than the interval.
    void watchBacksOffFromALostCluster()
    {
        QCOMPARE(watchBackoffSeconds(10, 1), 20.0);
        QCOMPARE(watchBackoffSeconds(10, 2), 40.0);
        QCOMPARE(watchBackoffSeconds(10, 5), 300.0);
        QCOMPARE(watchBackoffSeconds(10, 1000), 300.0);
        QCOMPARE(watchBackoffSeconds(1, 3), 8.0);
        QCOMPARE(watchBackoffSeconds(600, 1), 600.0);
    }

    void runsRecordFinishCheckRemove()
    {
        const test::TestStore dir;
        const RunService runs(dir.location());
        const TrainingRun recorded = runs.record(groupRequest(), look("c1", 400), nullptr);
        QVERIFY(recorded.id > 0);
        QVERIFY(recorded.open());
        QCOMPARE(recorded.ranges.size(), size_t(2));
        QCOMPARE(recorded.ranges[0].start, int64_t(400));
        QCOMPARE(runs.find(recorded.id)->ranges[1].start, int64_t(400));

        QCOMPARE(thrown<std::runtime_error>([&] { runs.finish(recorded, look("c2", 900)); }),
                 "run " + std::to_string(recorded.id) +
                     " was recorded on cluster c1, this connection reaches cluster c2: connect to the run's cluster");
        const TrainingRun finished = runs.finish(recorded, look("c1", 900));
        QVERIFY(!finished.open());
        QCOMPARE(finished.records(), int64_t(2 * 500));
        QCOMPARE(runs.find(recorded.id)->records(), int64_t(2 * 500)); // stored
        QVERIFY(thrown<std::invalid_argument>([&] {
                    runs.finish(finished, look("c1", 1000));
                }).find(" was finished at ") != std::string::npos);

        ClusterSnapshot agedOut = look("c1", 900);
        for (auto &p : agedOut.topics[0].partitions)
            p.lowWatermark = 600; // the first 200 of each range are gone
        const auto checks = RunService::check(finished, agedOut);
        QCOMPARE(checks.size(), size_t(2));
        QCOMPARE(checks[0].state, Replayability::PartlyAgedOut);
        QCOMPARE(checks[0].lostRecords, int64_t(200));
        QVERIFY(thrown<std::runtime_error>([&] { RunService::check(finished, look("c2", 0)); }).find("cluster c2") !=
                std::string::npos);

        QCOMPARE(runs.list().size(), size_t(1));
        QVERIFY(runs.remove(recorded.id));
        QVERIFY(!runs.find(recorded.id));
        QVERIFY(runs.all().empty());
    }

    void runsRefuseWhatCannotBeRecorded()
    {
        const test::TestStore dir;
        const RunService runs(dir.location());
        RunRequest window = groupRequest();
        window.basis = RunBasis::TimeWindow;
        window.group.clear();
        window.fromMs = 1'600'000'000'000;
        window.toMs = 1'600'000'100'000;
        QCOMPARE(thrown<std::invalid_argument>([&] { runs.record(window, look("c1", 0), nullptr); }),
                 std::string("a time window is resolved on the live cluster, not a snapshot file"));
        RunRequest unknownGroup = groupRequest();
        unknownGroup.group = "nobody";
        QVERIFY(thrown<std::invalid_argument>([&] {
                    runs.record(unknownGroup, look("c1", 0), nullptr);
                }).find("nobody") != std::string::npos);
        QVERIFY(runs.all().empty()); // nothing half-recorded
        TrainingRun timeWindow;
        timeWindow.id = 3;
        QCOMPARE(thrown<std::invalid_argument>([&] { RunService::requireOpenGroupRun(timeWindow); }),
                 std::string("run 3 is a time window: it was complete when recorded"));
    }

    void reviewFromTheBundledTemplate()
    {
        const ReviewTemplate bundled = bundledReviewTemplate();
        const ReviewTemplate file = reviewTemplateFile(KP_REVIEW_TEMPLATE);
        QCOMPARE(bundled.passes.size(), file.passes.size());
        QVERIFY(!bundled.passes.empty());
        ReviewInputs inputs;
        inputs.pipelineTopics = "^events$";
        inputs.replayWindowHours = 48;
        ReviewDocument doc = newReviewFrom(bundled, "Q4 review", inputs);
        QCOMPARE(doc.name, std::string("Q4 review"));
        QCOMPARE(doc.inputs.pipelineTopics, std::string("^events$"));
        QVERIFY(doc.item("replication"));

        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("review.json")).toStdString();
        saveReviewFile(path, doc, 1'700'000'000'000);
        const ReviewDocument loaded = loadReviewFile(path);
        QCOMPARE(loaded.updatedAtMs, int64_t(1'700'000'000'000));
        QCOMPARE(loaded.inputs.replayWindowHours, 48.0);
        const std::string nowhere = dir.filePath(QStringLiteral("missing/review.json")).toStdString();
        QCOMPARE(thrown<std::runtime_error>([&] { saveReviewFile(nowhere, doc, 0); }),
                 nowhere + ": cannot open the file for writing");
    }

    // Reviews kept in the store by name (the Review page's "Save to store"): listed newest first, read back whole with
    // their revision, saved again under the same name in place.
    void reviewsKeptInTheStore()
    {
        const test::TestStore store;
        ReviewInputs inputs;
        inputs.pipelineTopics = "^events$";
        ReviewDocument doc = newReviewFrom(bundledReviewTemplate(), "Q4 review", inputs);
        addMilestone(doc, "kick-off", 1'700'000'000'000);
        {
            StoredReviews stored(store.location());
            QVERIFY(stored.names().empty());
            QCOMPARE(stored.save("Q4 review", doc, 0), int64_t(1));
            doc.name = "Q1 review";
            QCOMPARE(stored.save("Q1 review", doc, 0), int64_t(1));
        }
        StoredReviews stored(store.location());
        QCOMPARE(stored.names().size(), size_t(2));
        const auto loaded = stored.load("Q4 review");
        QVERIFY(loaded);
        QCOMPARE(loaded->revision, int64_t(1));
        QCOMPARE(loaded->doc.name, std::string("Q4 review"));
        QCOMPARE(loaded->doc.inputs.pipelineTopics, std::string("^events$"));
        QCOMPARE(loaded->doc.milestones.size(), size_t(1));
        QCOMPARE(loaded->doc.milestones[0].name, std::string("kick-off"));
        QCOMPARE(loaded->doc.passes.size(), doc.passes.size());
        doc.name = "Q4 review";
        doc.milestones.clear();
        QCOMPARE(stored.save("Q4 review", doc, 1), int64_t(2));
        QCOMPARE(stored.names().size(), size_t(2));
        QVERIFY(stored.load("Q4 review")->doc.milestones.empty());
        QVERIFY(!stored.load("no such review"));
    }

    // Two people on one store (two connections): both open revision 1; the first save makes it 2; the second, based
    // on 1, is refused with the stored revision and writes nothing; based on 2 it goes through. A second "new" review
    // of a name already there is refused the same way.
    void crossedSavesOfAReviewAreRefused()
    {
        const test::TestStore store;
        ReviewDocument doc = newReviewFrom(bundledReviewTemplate(), "shared", {});
        QCOMPARE(StoredReviews(store.location()).save("shared", doc, 0), int64_t(1));
        StoredReviews alice(store.location()), bob(store.location());
        ReviewDocument a = alice.load("shared")->doc, b = bob.load("shared")->doc;
        a.passes[0].items[0].ownerPerson = "alice";
        b.passes[0].items[0].ownerPerson = "bob";
        QCOMPARE(alice.save("shared", a, 1), int64_t(2));
        try {
            bob.save("shared", b, 1);
            QFAIL("a save over an old revision must be refused");
        } catch (const StoreConflict &e) {
            QCOMPARE(e.storedRevision(), int64_t(2));
            QVERIFY2(std::string(e.what()).find("the review 'shared' was saved by someone else since revision 1 (now "
                                                "2)") != std::string::npos,
                     e.what());
        }
        QCOMPARE(bob.load("shared")->doc.passes[0].items[0].ownerPerson, std::string("alice"));
        QCOMPARE(bob.save("shared", b, 2), int64_t(3));
        QCOMPARE(alice.load("shared")->doc.passes[0].items[0].ownerPerson, std::string("bob"));
        QVERIFY_THROWS_EXCEPTION(StoreConflict, alice.save("shared", a, 0));
    }

    // Evidence from a look at the cluster: the automatic evidence, plus lineage from the runs in the store.
    void reviewEvidenceWithLineage()
    {
        const test::TestStore dir;
        const QString db = dir.location();
        ReviewInputs inputs;
        inputs.pipelineTopics = "^events$";
        const ClusterSnapshot s = look("c1", 900);
        const auto withoutStore = clusterEvidence(s, inputs, QString());
        QVERIFY(withoutStore.count("replication"));
        const RunService runs(db);
        runs.finish(runs.record(groupRequest(), look("c1", 400), nullptr), s);
        const auto withRuns = clusterEvidence(s, inputs, db);
        QVERIFY(withRuns.size() > withoutStore.size());
        QCOMPARE(withRuns.at("replication").detail, withoutStore.at("replication").detail);
        QCOMPARE(withRuns.at("offset-ranges").detail,
                 std::string("1 run(s) recorded, every one with its offset ranges (open group runs have no end yet)"));
        inputs.pipelineTopics = "(";
        QVERIFY(thrown<std::exception>([&] { clusterEvidence(s, inputs, db); }) != "nothing thrown");
    }

    // A profile is kept in the store without its secret, whatever the keyring does with it; removing it removes both.
    void profilesNeverStoreTheSecret()
    {
        const test::TestStore dir;
        const ProfileService profiles(dir.location());
        ConnectionProfile p;
        p.name = "prod";
        p.bootstrap = "k1:9093";
        p.securityProtocol = "SASL_SSL";
        p.saslMechanism = "SCRAM-SHA-512";
        p.username = "svc";
        p.password = "s3cret-never-on-disk";
        profiles.save(p); // the keyring may refuse (no session bus here): the profile is saved all the same
        QCOMPARE(profiles.list().size(), size_t(1));
        const auto found = profiles.find("prod");
        QVERIFY(found);
        QCOMPARE(found->username, std::string("svc"));
        QVERIFY(found->password.empty());
        QDirIterator files(dir.filePath(QString()), QDir::Files);
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains("s3cret-never-on-disk"), qPrintable(f.fileName()));
        }
        QVERIFY(profiles.remove("prod"));
        QVERIFY(!profiles.remove("prod"));
        QVERIFY(!profiles.find("prod"));
    }
};

QTEST_GUILESS_MAIN(TestServices)
#include "tst_services.moc"
