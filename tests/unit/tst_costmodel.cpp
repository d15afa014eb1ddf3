// The four architectures' monthly costs for a workload worked out by hand from COST-MODEL.md and the bundled AWS
// prices: each figure below is computed here from the formula, not read back from the model.

#include "costmodel.h"
#include "formaterror.h"
#include "scenarios.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace kp;

namespace {

const CostLine &line(const ArchitectureCost &a, const std::string &item)
{
    for (const auto &l : a.lines)
        if (l.item == item)
            return l;
    static const CostLine none{"missing", -1, ""};
    return none;
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b));
}

Workload workload()
{
    Workload w;
    w.writeMBps = 100;
    w.peakWriteMBps = 150;
    w.retentionHours = 168;
    w.replicationFactor = 3;
    w.partitions = 300;
    w.consumerGroups = 2;
    w.azs = 3;
    return w;
}

} // namespace

class TestCostModel : public QObject
{
    Q_OBJECT
    PricingProfile m_aws;

private Q_SLOTS:
    void initTestCase() { m_aws = loadPricingFile(KP_PRICING_DIR "/aws-us-east-1.json"); }

    void crossAzFactors()
    {
        QCOMPARE(crossAzFactor(3, 3, 2, false), 2.0 / 3 + 2 + 2 * 2.0 / 3); // 4
        QCOMPARE(crossAzFactor(3, 3, 2, true), 2.0 / 3 + 2);                // followers in every AZ
        QCOMPARE(crossAzFactor(3, 2, 1, true), 2.0 / 3 + 1 + 1.0 / 3);      // one AZ has no replica
        QCOMPARE(crossAzFactor(1, 3, 5, false), 0.0);
    }

    void fourArchitectures()
    {
        PlanSettings s;
        s.existingBrokers = 6;
        s.existingInstance = "r6i.2xlarge";
        s.existingFollowerFetching = true;
        Workload w = workload();
        w.storedGB = 50000;
        const Plan plan = planCosts(w, s, m_aws);
        QCOMPARE(plan.architectures.size(), size_t(4));
        const double gbMonth = 100 * 730 * 3600 / 1000.0; // 262,800 GB produced a month

        const ArchitectureCost &existing = plan.architectures[0];
        QCOMPARE(existing.brokers, 6);
        QVERIFY(near(line(existing, "compute").monthly, 6 * 0.504 * 730));
        QVERIFY(near(line(existing, "block storage").monthly, 50000 / 0.8 * 0.08));
        QVERIFY(near(line(existing, "cross-AZ transfer").monthly, (2.0 / 3 + 2) * gbMonth * 0.02));

        // Dedicated: CPU decides (AKalculator): 150 MB/s = 143.05 MiB/s; x RF 3 / 5 + x 2 groups / 15 = 104.9 vCPU;
        // m7g.xlarge (4 vCPU, $0.1632/h) needs 27 and is the cheapest in the catalogue.
        const ArchitectureCost &dedicated = plan.architectures[1];
        QCOMPARE(dedicated.instanceType, std::string("m7g.xlarge"));
        QCOMPARE(dedicated.brokers, 27);
        QVERIFY(near(line(dedicated, "compute").monthly, 27 * 0.1632 * 730));
        QVERIFY(near(line(dedicated, "block storage").monthly, 100 * 168 * 3600 / 1000.0 * 3 / 0.8 * 0.08));
        QVERIFY(near(line(dedicated, "cross-AZ transfer").monthly, 4 * gbMonth * 0.02)); // $21,024
        QVERIFY(near(dedicated.total(), 27 * 0.1632 * 730 + 18144 + 21024));
        // Network headroom: 600 MB/s out of 27 x 1.876 Gbps.
        QVERIFY(near(dedicated.headroom, 1 - 600 / (27 * 1.876 * 125)));

        const ArchitectureCost &tiered = plan.architectures[2];
        QVERIFY(near(line(tiered, "block storage").monthly,
                     (100 * 24 * 3600 / 1000.0 * 3 + 300 * 1024 / 1000.0 * 3) / 0.8 * 0.08));
        QVERIFY(near(line(tiered, "object storage").monthly, 100 * 168 * 3600 / 1000.0 * 0.023));
        // 1 GiB-ish segments (1,024 MB) in 25 MiB parts: 40 parts + 4 other requests each.
        QVERIFY(near(line(tiered, "object requests").monthly, 100 / 1024.0 * 44 * 730 * 3600 / 1000 * 0.005));
        QVERIFY(near(line(tiered, "cross-AZ transfer").monthly, 21024));

        // Shared storage: no replication; egress 1 + 2 groups; CPU 143.05/5 + 143.05 x 2/15 = 47.7 vCPU -> 12 x
        // m7g.xlarge (m7g.2xlarge x 6 costs the same; the first listed wins).
        const ArchitectureCost &shared = plan.architectures[3];
        QCOMPARE(shared.brokers, 12);
        QCOMPARE(shared.instanceType, std::string("m7g.xlarge"));
        QVERIFY(near(line(shared, "block storage").monthly, 12 * 10 * 1.073741824 * 0.08));
        QVERIFY(near(line(shared, "object requests").monthly,
                     (100 * 147.3 / 500 * 0.005 + 100 * 63.6 / 500 * 0.0004) / 1000 * 730 * 3600));
        QCOMPARE(line(shared, "cross-AZ transfer").monthly, 0.0);
        // Every line says how it was computed.
        for (const auto &a : plan.architectures)
            for (const auto &l : a.lines)
                QVERIFY2(!l.formula.empty(), (a.name + " " + l.item).c_str());
    }

    // The same workload priced on the bundled GCP and Azure profiles: 104.9 vCPU needs 27 brokers of 4 vCPU (the
    // n2-standard and Dsv5 sizes cost the same per vCPU; the first listed wins); GCP bills transfer per GiB, Azure
    // not at all.
    void gcpAndAzure()
    {
        const PricingProfile gcp = loadPricingFile(KP_PRICING_DIR "/gcp-us-central1.json");
        const PricingProfile azure = loadPricingFile(KP_PRICING_DIR "/azure-eastus.json");
        const double gbMonth = 100 * 730 * 3600 / 1000.0;
        const ArchitectureCost g = planCosts(workload(), PlanSettings{}, gcp).architectures[1];
        QCOMPARE(g.instanceType, std::string("n2-standard-4"));
        QCOMPARE(g.brokers, 27);
        QVERIFY(near(line(g, "compute").monthly, 27 * 0.194236 * 730));
        QVERIFY(near(line(g, "cross-AZ transfer").monthly, 4 * gbMonth / 1.073741824 * 0.01));
        QVERIFY(
            near(line(g, "block storage").monthly, 100 * 168 * 3600 / 1000.0 * 3 / 0.8 * 0.093132)); // $0.10/GiB-month
        const ArchitectureCost a = planCosts(workload(), PlanSettings{}, azure).architectures[1];
        QCOMPARE(a.instanceType, std::string("Standard_D4s_v5"));
        QCOMPARE(a.brokers, 27);
        QVERIFY(near(line(a, "compute").monthly, 27 * 0.192 * 730));
        QCOMPARE(line(a, "cross-AZ transfer").monthly, 0.0);
    }

    // Properties across 288 workloads (rate x retention x RF x consumer groups x AZs), each following from the
    // formulas: the same brokers and transfer for dedicated and tiered, so tiered is cheaper exactly when its storage
    // saving beats its upload requests; shared storage with zone routing moves nothing across AZs and, with RF >= 2
    // over 2+ AZs, costs less than the dedicated cluster (its requests cost about $4 a month per MB/s, transfer alone
    // costs the dedicated cluster over $50); follower fetching never adds transfer; the formula-free totals are the
    // same.
    void architecturesOrderAsTheFormulasSay()
    {
        int checked = 0;
        for (double rate : {1.0, 10.0, 50.0, 100.0, 500.0, 2000.0})
            for (double hours : {2.0, 24.0, 168.0, 720.0})
                for (int rf : {2, 3})
                    for (int groups : {0, 1, 4})
                        for (int azs : {2, 3}) {
                            Workload w;
                            w.writeMBps = rate;
                            w.peakWriteMBps = rate * 1.5;
                            w.retentionHours = hours;
                            w.replicationFactor = rf;
                            w.consumerGroups = groups;
                            w.azs = azs;
                            w.partitions = 0;
                            PlanSettings s;
                            s.localRetentionHours = std::min(1.0, hours);
                            const QByteArray at = QStringLiteral("%1 MB/s %2 h RF %3 F %4 N %5")
                                                      .arg(rate)
                                                      .arg(hours)
                                                      .arg(rf)
                                                      .arg(groups)
                                                      .arg(azs)
                                                      .toUtf8();
                            const Plan plan = planCosts(w, s, m_aws);
                            const auto &dedicated = plan.architectures[1], &tiered = plan.architectures[2],
                                       &shared = plan.architectures[3];
                            QVERIFY2(dedicated.brokers == tiered.brokers, at.constData());
                            QVERIFY2(line(dedicated, "cross-AZ transfer").monthly ==
                                         line(tiered, "cross-AZ transfer").monthly,
                                     at.constData());
                            // Tiered is cheaper exactly when the disk it saves, (R-L) x RF / 0.8 x $0.08 less one
                            // copy x $0.023, outweighs the upload requests, 44 per 1,024 MB x $0.005 per 1,000: both
                            // scale with the rate, so only R, L and RF decide (2 h with 1 h local at RF 2 loses).
                            const double perMBps = 3600 / 1000.0;
                            const double saving =
                                (hours - s.localRetentionHours) * perMBps * rf / 0.8 * 0.08 - hours * perMBps * 0.023;
                            const double requests = 44 / 1024.0 * 730 * 3600 / 1000 * 0.005;
                            QVERIFY2((tiered.total() < dedicated.total()) == (saving > requests), at.constData());
                            QVERIFY2(line(shared, "cross-AZ transfer").monthly == 0, at.constData());
                            QVERIFY2(shared.total() < dedicated.total(), at.constData());
                            PlanSettings ff = s;
                            ff.existingFollowerFetching = true;
                            QVERIFY2(line(planCosts(w, ff, m_aws).architectures[0], "cross-AZ transfer").monthly <=
                                         line(plan.architectures[0], "cross-AZ transfer").monthly,
                                     at.constData());
                            const Plan totals = planCosts(w, s, m_aws, PlanDetail::TotalsOnly);
                            for (size_t a = 0; a < 4; ++a) {
                                QCOMPARE(totals.architectures[a].total(), plan.architectures[a].total());
                                QCOMPARE(totals.architectures[a].brokers, plan.architectures[a].brokers);
                            }
                            ++checked;
                        }
        QCOMPARE(checked, 288);
    }

    // Every architecture's total grows (or stays) with the write rate and with the retention, over a 40 x 40 sweep.
    void totalsGrowWithRateAndRetention()
    {
        PlanFile plan;
        plan.workload = workload();
        plan.settings.existingBrokers = 6;
        plan.settings.existingInstance = "r6i.2xlarge";
        const SweepAxis x = parseSweepAxis("write=1:1000:40");
        const SweepAxis y = parseSweepAxis("retention=0.5:60:40");
        const auto points = sensitivitySweep(plan, m_aws, x, y);
        QCOMPARE(points.size(), size_t(1600));
        QCOMPARE(points[41].x, x.value(1));
        QCOMPARE(points[41].y, y.value(1));
        for (int j = 0; j < 40; ++j)
            for (int i = 0; i < 40; ++i)
                for (size_t a = 0; a < 4; ++a) {
                    const double here = points[size_t(j * 40 + i)].monthly[a];
                    if (i > 0)
                        QVERIFY(here >= points[size_t(j * 40 + i - 1)].monthly[a] - 1e-9);
                    if (j > 0)
                        QVERIFY(here >= points[size_t((j - 1) * 40 + i)].monthly[a] - 1e-9);
                }
        // One point worked out: the dedicated cluster at the last rate and retention equals a plan made directly.
        Workload w = workload();
        w.writeMBps = 1000;
        w.peakWriteMBps = 1500;
        w.retentionHours = 60 * 24;
        QVERIFY(near(points.back().monthly[1], planCosts(w, plan.settings, m_aws).architectures[1].total()));
    }

    void sweepAxesRefuseWhatIsWrong_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::addRow("form") << "write=10-100"
                              << "\"write=10-100\": write it PARAMETER=FROM:TO:STEPS, for example "
                                 "write=10:1000:100";
        QTest::addRow("parameter") << "price=1:2:3"
                                   << "\"price\" is not a parameter to sweep (write, retention, groups, rf, "
                                      "local-retention)";
        QTest::addRow("steps") << "write=1:2:5000"
                               << "\"write=1:2:5000\": between 1 and 1000 steps";
        QTest::addRow("order") << "retention=30:7:5"
                               << "\"retention=30:7:5\": TO must not be below FROM";
        QTest::addRow("zero rf") << "rf=0:3:4"
                                 << "\"rf=0:3:4\": rf must be more than 0";
    }
    void sweepAxesRefuseWhatIsWrong()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            parseSweepAxis(text.toStdString());
            QFAIL("accepted");
        } catch (const std::invalid_argument &e) {
            QCOMPARE(QString::fromUtf8(e.what()), message);
        }
    }

    void sharedStorageWithoutZoneRoutingAndS3Wal()
    {
        PlanSettings s;
        s.zoneLocalRouting = false;
        s.wal = "s3";
        const Plan plan = planCosts(workload(), s, m_aws);
        const ArchitectureCost &shared = plan.architectures[3];
        QVERIFY(near(line(shared, "cross-AZ transfer").monthly, 2.0 / 3 * 3 * 262800 * 0.02));
        QCOMPARE(line(shared, "block storage").monthly, -1.0); // no EBS WAL
        // S3 WAL: each of 12 brokers writes 143.05/12 = 11.9 MiB/s: max(4, 11.9/8) = 4 PUT/s each.
        QVERIFY(
            near(line(shared, "object requests").monthly, ((29.46 + 48) * 0.005 + 12.72 * 0.0004) / 1000 * 730 * 3600));
    }

    void planFilesRoundTripAndRefuseWhatIsWrong()
    {
        PlanFile f;
        f.workload = workload();
        f.workload.source = "entered by hand";
        f.settings.existingBrokers = 6;
        f.settings.wal = "s3";
        f.settings.zoneLocalRouting = false;
        f.pricing = "/home/me/prices.json";
        const PlanFile back = planFileFromJson(planFileToJson(f));
        QCOMPARE(planFileToJson(back), planFileToJson(f));
        QCOMPARE(back.settings.wal, std::string("s3"));
        QCOMPARE(back.workload.peakWriteMBps, 150.0);
        auto doc = nlohmann::json::parse(planFileToJson(f));
        doc["workload"]["replicationFactor"] = 0;
        try {
            planFileFromJson(doc.dump());
            QFAIL("must refuse");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()), std::string("workload.replicationFactor: must be at least 1"));
        }
        doc = nlohmann::json::parse(planFileToJson(f));
        doc["settings"]["wal"] = "nfs";
        QVERIFY_THROWS_EXCEPTION(FormatError, planFileFromJson(doc.dump()));
        doc.erase("workload");
        try {
            planFileFromJson(doc.dump());
            QFAIL("must refuse");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()), std::string("workload: missing"));
        }
    }

    void badInputsAreNamed()
    {
        PlanSettings s;
        s.localRetentionHours = 500;
        try {
            planCosts(workload(), s, m_aws);
            QFAIL("must refuse");
        } catch (const std::invalid_argument &e) {
            QCOMPARE(std::string(e.what()),
                     std::string("tiered local retention must be more than 0 and at most the retention (168 h)"));
        }
        s = {};
        s.instanceType = "z9.mega";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, planCosts(workload(), s, m_aws));
        Workload w = workload();
        w.replicationFactor = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, planCosts(w, {}, m_aws));
    }
};

QTEST_GUILESS_MAIN(TestCostModel)
#include "tst_costmodel.moc"
