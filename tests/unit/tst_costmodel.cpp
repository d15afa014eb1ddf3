// The four architectures' monthly costs for a workload worked out by hand from docs/cost-model.md and the bundled AWS
// prices: each figure below is computed here from the formula, not read back from the model.

#include "models/costmodel.h"
#include "models/formaterror.h"
#include "models/scenarios.h"

#include <nlohmann/json.hpp>
#include <random>

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
        // RF above the AZ count, worked out by placing replicas round the AZs from the leader's: RF 4 in 2 AZs puts
        // leader + 1 follower in AZ a and 2 followers in AZ b: 2 copies cross (was min(RF, N) - 1 = 1).
        QCOMPARE(crossAzFactor(2, 4, 0, false), 1.0 / 2 + 2);
        // RF 3 in 2 AZs: a holds leader + follower, b one follower: 1 copy crosses.
        QCOMPARE(crossAzFactor(2, 3, 0, false), 1.0 / 2 + 1);
        // RF 5 in 3 AZs, dealt a b c a b: a holds 2 (the leader and a follower), b 2, c 1: 3 follower copies cross.
        QCOMPARE(crossAzFactor(3, 5, 1, false), 2.0 / 3 + 3 + 2.0 / 3);
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
                     (100 * 24 * 3600 / 1000.0 * 3 + 300 * 1073.741824 / 1000.0 * 3) / 0.8 * 0.08));
        QVERIFY(near(line(tiered, "object storage").monthly, 100 * 168 * 3600 / 1000.0 * 0.023));
        // 1 GiB-ish segments (1,024 MB) in 25 MiB parts: 40 parts + 4 other requests each.
        // A 1 GiB segment (1,073,741,824 bytes) is 41 parts of 25 MiB, and 4 requests more.
        QVERIFY(near(line(tiered, "object requests").monthly, 100 / 1073.741824 * 45 * 730 * 3600 / 1000 * 0.005));
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
        // A per-GiB price shows the conversion it applies.
        QCOMPARE(line(g, "cross-AZ transfer").formula,
                 std::string("4.000 x 262800 GB produced a month (730 h) / 1.073741824 GB per GiB x 0.0100 per GiB "
                             "(producers (N-1)/N + replication RF-ceil(RF/N) + consumers F(N-1)/N)"));
    }

    // A profile may count a month in other hours than AWS's 730; every monthly figure and formula follows.
    void hoursPerMonthFromTheProfile()
    {
        PricingProfile p = m_aws;
        p.hoursPerMonth = 720;
        const PricingProfile back = pricingFromJson(pricingToJson(p));
        QCOMPARE(back.hoursPerMonth, 720.0);
        const ArchitectureCost d = planCosts(workload(), PlanSettings{}, back).architectures[1];
        QVERIFY(near(line(d, "compute").monthly, 27 * 0.1632 * 720));
        QCOMPARE(line(d, "compute").formula, std::string("27 x m7g.xlarge x 0.1632/h x 720 h"));
        QVERIFY(near(line(d, "cross-AZ transfer").monthly, 4 * 100 * 720 * 3600 / 1000.0 * 0.02));
        QVERIFY(line(d, "cross-AZ transfer").formula.find("GB produced a month (720 h)") != std::string::npos);
        const ArchitectureCost t = planCosts(workload(), PlanSettings{}, back).architectures[2];
        QVERIFY(near(line(t, "object requests").monthly, 100 / 1073.741824 * 45 * 720 * 3600 / 1000 * 0.005));
        QVERIFY2(line(t, "object requests").formula.find("x 720 h x") != std::string::npos,
                 line(t, "object requests").formula.c_str());
        // The default is AWS's 730, and a month is 28 to 31 days.
        QCOMPARE(m_aws.hoursPerMonth, 730.0);
        auto doc = nlohmann::json::parse(pricingToJson(p));
        doc["hoursPerMonth"] = 800;
        try {
            pricingFromJson(doc.dump());
            QFAIL("accepted");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()),
                     std::string("hoursPerMonth: must be between 672 (28 days) and 744 (31 days) hours"));
        }
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
                            // copy x $0.023, outweighs the upload requests, 45 per 1 GiB segment x $0.005 per 1,000:
                            // both scale with the rate, so only R, L and RF decide (2 h with 1 h local at RF 2 loses).
                            const double perMBps = 3600 / 1000.0;
                            const double saving =
                                (hours - s.localRetentionHours) * perMBps * rf / 0.8 * 0.08 - hours * perMBps * 0.023;
                            const double requests = 45 / 1073.741824 * 730 * 3600 / 1000 * 0.005;
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

    // Issue 11 item 9: every architecture takes a broker count and (the replicated ones) follower fetching, not only
    // the existing cluster. Worked by hand with the workload above (N 3, RF 3, F 2): follower fetching leaves
    // producers 2/3 + replication 2 = 2.667 of the 4 cross-AZ bytes per byte produced.
    void brokersAndFollowerFetchingForEveryArchitecture()
    {
        PlanSettings s;
        s.dedicatedBrokers = 30;
        s.tieredBrokers = 9;
        s.sharedStorageBrokers = 5;
        s.dedicatedFollowerFetching = true;
        s.tieredFollowerFetching = true;
        const Plan plan = planCosts(workload(), s, m_aws);
        const double gbMonth = 262800;
        const ArchitectureCost &dedicated = plan.architectures[1];
        QCOMPARE(dedicated.brokers, 30);
        QVERIFY(near(line(dedicated, "compute").monthly, 30 * 0.1632 * 730));
        QVERIFY(near(line(dedicated, "cross-AZ transfer").monthly, (2.0 / 3 + 2) * gbMonth * 0.02));
        QVERIFY(std::any_of(dedicated.notes.begin(), dedicated.notes.end(), [](const std::string &n) {
            return n.rfind("brokers as set: 30 (sizing for the peak gives 27: ", 0) == 0;
        }));
        const ArchitectureCost &tiered = plan.architectures[2];
        QCOMPARE(tiered.brokers, 9);
        QVERIFY(near(line(tiered, "compute").monthly, 9 * 0.1632 * 730));
        QVERIFY(near(line(tiered, "cross-AZ transfer").monthly, (2.0 / 3 + 2) * gbMonth * 0.02));
        QVERIFY(std::any_of(tiered.notes.begin(), tiered.notes.end(), [](const std::string &n) {
            return n.find("; fewer than the peak needs") != std::string::npos;
        }));
        QVERIFY(near(tiered.headroom, 1 - 600 / (9 * 1.876 * 125))); // CPU, not network, asked for 27
        const ArchitectureCost &shared = plan.architectures[3];
        QCOMPARE(shared.brokers, 5);
        QVERIFY(near(line(shared, "block storage").monthly, 5 * 10 * 1.073741824 * 0.08)); // one WAL per broker
        // Unset, every one is sized as before, and follower fetching is off.
        const Plan sized = planCosts(workload(), PlanSettings{}, m_aws);
        QCOMPARE(sized.architectures[1].brokers, 27);
        QCOMPARE(sized.architectures[3].brokers, 12);
        QVERIFY(near(line(sized.architectures[2], "cross-AZ transfer").monthly, 4 * gbMonth * 0.02));
        // Saved and reopened as set; a fractional count is refused naming the field.
        PlanFile f;
        f.workload = workload();
        f.settings = s;
        const PlanFile back = planFileFromJson(planFileToJson(f));
        QCOMPARE(back.settings.tieredBrokers, 9);
        QVERIFY(back.settings.dedicatedFollowerFetching && back.settings.tieredFollowerFetching);
        auto doc = nlohmann::json::parse(planFileToJson(f));
        doc["settings"]["sharedStorageBrokers"] = 2.5;
        try {
            planFileFromJson(doc.dump());
            QFAIL("must refuse");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()),
                     std::string("settings.sharedStorageBrokers: must be a whole number from 0 to 100000, not 2.5"));
        }
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
            QCOMPARE(std::string(e.what()),
                     std::string("workload.replicationFactor: must be a whole number from 1 to 100, not 0"));
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

    // Every number of a plan file is checked against its range where the file is read, naming the field.
    void planFilesRefuseBadNumbers_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("raw"); // JSON text of the value
        QTest::addColumn<QString>("message");
        QTest::addRow("infinite rate") << "workload.writeMBps"
                                       << "1e400"
                                       << "not JSON: number overflow parsing '1e400'";
        QTest::addRow("negative rate") << "workload.writeMBps"
                                       << "-5"
                                       << "workload.writeMBps: must be a number from 0 to 10000000, not -5";
        QTest::addRow("fractional RF") << "workload.replicationFactor"
                                       << "2.5"
                                       << "workload.replicationFactor: must be a whole number from 1 to 100, not 2.5";
        QTest::addRow("1e12 partitions")
            << "workload.partitions"
            << "1000000000000"
            << "workload.partitions: must be a whole number from 0 to 10000000, not 1000000000000";
        QTest::addRow("above int64") << "workload.partitions"
                                     << "18446744073709551615"
                                     << "workload.partitions: must be a whole number from 0 to 10000000, not "
                                        "1.84467440737096e+19";
        QTest::addRow("zero retention")
            << "workload.retentionHours"
            << "0"
            << "workload.retentionHours: must be a number more than 0 and at most 876000, not 0";
        QTest::addRow("negative brokers")
            << "settings.existingBrokers"
            << "-3"
            << "settings.existingBrokers: must be a whole number from 0 to 100000, not -3";
        QTest::addRow("headroom above 1")
            << "settings.networkHeadroom"
            << "1.5"
            << "settings.networkHeadroom: must be a number more than 0 and at most 1, not 1.5";
    }
    void planFilesRefuseBadNumbers()
    {
        QFETCH(QString, field);
        QFETCH(QString, raw);
        QFETCH(QString, message);
        PlanFile f;
        f.workload = workload();
        const QStringList path = field.split(QLatin1Char('.'));
        // Put the raw JSON text in place, so that values JSON cannot round-trip through a double (1e400) stay as typed.
        auto doc = nlohmann::json::parse(planFileToJson(f));
        doc[path[0].toStdString()][path[1].toStdString()] = "@@";
        QString text = QString::fromStdString(doc.dump());
        text.replace(QStringLiteral("\"@@\""), raw);
        try {
            planFileFromJson(text.toStdString());
            QFAIL("accepted");
        } catch (const FormatError &e) {
            QCOMPARE(QString::fromUtf8(e.what()), message);
        }
    }

    // Over random valid inputs spanning every field's whole range, each cost line is finite and not negative, and
    // broker counts stay positive (no int overflow).
    void randomValidInputsCostFiniteAmounts()
    {
        std::mt19937_64 rng(20261202);
        auto logUniform = [&](double lo, double hi) {
            return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
        };
        auto count = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        int refused = 0;
        for (int i = 0; i < 3000; ++i) {
            Workload w;
            w.writeMBps = i % 10 == 0 ? 0 : logUniform(1e-3, 1e7);
            w.peakWriteMBps = std::min(1e7, w.writeMBps * logUniform(1, 10));
            w.retentionHours = logUniform(0.01, 876000);
            w.replicationFactor = count(1, 100);
            w.partitions = i % 3 == 0 ? 0 : int(logUniform(1, 1e7));
            w.consumerGroups = i % 5 == 0 ? 0 : int(logUniform(1, 1e6));
            w.azs = count(1, 100);
            w.storedGB = i % 2 == 0 ? -1 : logUniform(1e-3, 1e12);
            PlanSettings s;
            s.existingBrokers = i % 4 == 0 ? 0 : int(logUniform(1, 1e5));
            s.existingFollowerFetching = i % 2 == 1;
            s.localRetentionHours = w.retentionHours * std::uniform_real_distribution<double>(0.001, 1)(rng);
            s.wal = i % 2 ? "s3" : "ebs";
            s.zoneLocalRouting = i % 3 != 0;
            const QByteArray at = QStringLiteral("plan %1: %2 MB/s, %3 h, RF %4, %5 partitions, %6 groups, %7 AZs")
                                      .arg(i)
                                      .arg(w.writeMBps)
                                      .arg(w.retentionHours)
                                      .arg(w.replicationFactor)
                                      .arg(w.partitions)
                                      .arg(w.consumerGroups)
                                      .arg(w.azs)
                                      .toUtf8();
            Plan plan;
            try {
                plan = planCosts(w, s, m_aws);
            } catch (const std::invalid_argument &e) {
                // Only a workload that needs more brokers than the model sizes is refused, and said so.
                QVERIFY2(std::string(e.what()).find("brokers, more than the 100000 this model sizes") !=
                             std::string::npos,
                         e.what());
                ++refused;
                continue;
            }
            for (const auto &a : plan.architectures) {
                QVERIFY2(a.brokers > 0, at.constData());
                QVERIFY2(std::isfinite(a.total()) && a.total() >= 0, at.constData());
                for (const auto &l : a.lines) {
                    QVERIFY2(std::isfinite(l.monthly) && l.monthly >= 0,
                             QByteArray(at + " " + l.item.c_str()).constData());
                    QVERIFY2(l.formula.find("-2147483648") == std::string::npos, l.formula.c_str());
                }
                for (const auto &n : a.notes)
                    QVERIFY2(n.find("-2147483648") == std::string::npos, n.c_str());
            }
        }
        QVERIFY2(refused < 1500, qPrintable(QString::number(refused)));
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
