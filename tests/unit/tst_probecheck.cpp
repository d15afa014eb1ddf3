// A probe held against the plan: the replay sized from the probe's window, and each prediction beside what the probe
// measured, with the assumption that explains the difference.
#include "models/probecheck.h"

#include <QTest>
#include <nlohmann/json.hpp>

using namespace kp;

namespace {

// Two partitions: 1,000 offsets at 200 bytes each, and 500 at 400 bytes of which the first 250 are in the remote tier
// only: 400,000 bytes on disk, a quarter of them remote. Read whole in 10 s from the first byte (0.04 MB/s on disk).
ProbeResult probe()
{
    ProbeResult r;
    r.request.topicRegex = "^t$";
    r.request.fromMs = 1000;
    r.request.maxBytes = 1 << 30;
    r.request.maxSeconds = 60;
    r.startedAtMs = 1000 + 2 * 86400000;
    r.seconds = 10;
    r.firstByteMs = 0;
    r.stoppedBy = "complete";
    r.bytes = 300000;
    r.remoteBytes = 75000;
    r.crossAzBytes = 150000;
    ProbePartition a{"t", 0, 1, 0, 1000, 1000, 1000, 200000, 0, -1, 200.0, 0, true, {}};
    ProbePartition b{"t", 1, 2, 0, 500, 500, 500, 100000, 75000, 250, 400.0, 0, true, {}};
    r.partitions = {a, b};
    return r;
}

ScenarioResult predicted(double rateMBps)
{
    ScenarioResult s;
    s.metrics = {{"bytes", 0.0004, "GB", ""},
                 {"duration", 0.0004 * 1000 / rateMBps / 3600, "h", ""},
                 {"effective rate", rateMBps, "MB/s", ""},
                 {"cross-AZ cost", 0.000004, "USD", ""}};
    return s;
}

} // namespace

class TestProbeCheck : public QObject
{
    Q_OBJECT
    PricingProfile m_aws;

private Q_SLOTS:
    void initTestCase() { m_aws = loadPricingFile(KP_PRICING_DIR "/aws-us-east-1.json"); }

    void sizedFromTheWindow()
    {
        QCOMPARE(probe().windowBytes(), int64_t(400000));
        const ReplaySettings s = replayOfProbe(probe());
        QCOMPARE(s.bytesGB, 0.0004);
        QCOMPARE(s.remoteShare, 0.25);
        QCOMPARE(s.days, 2.0);
        ProbeResult unsized = probe();
        unsized.partitions[1].logBytesPerOffset = -1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, replayOfProbe(unsized));
    }

    void predictedAgainstObserved()
    {
        const ProbeComparison c = compareWithProbe(predicted(0.05), probe(), m_aws);
        QCOMPARE(c.checks.size(), size_t(4));
        QCOMPARE(c.checks[0].figure, std::string("throughput"));
        QCOMPARE(c.checks[0].observed, 0.04);
        QVERIFY(std::abs(c.checks[0].relativeError() + 0.2) < 1e-9);
        QCOMPARE(c.checks[1].observed, 0.0004 * 1000 / 0.04 / 3600); // the window at the observed rate
        QCOMPARE(c.checks[2].observed, 0.0004);
        QVERIFY(c.checks[3].observedKnown);
        QCOMPARE(c.checks[3].observed, crossAzCost(m_aws, 0.0004 * 0.5)); // half the record bytes crossed
        QVERIFY2(c.explanation.rfind("remote tier", 0) == 0, c.explanation.c_str());
        const auto j = probeComparisonToJson(c);
        QVERIFY(std::abs(j.at("checks")[0].at("relativeError").get<double>() + 0.2) < 1e-9);
    }

    void explanations()
    {
        QVERIFY(compareWithProbe(predicted(0.042), probe(), m_aws).explanation.rfind("within 15%", 0) == 0);
        ProbeResult throttled = probe();
        throttled.request.throttleMBps = 0.03; // the record bytes came at 0.03 MB/s
        QVERIFY(compareWithProbe(predicted(0.05), throttled, m_aws).explanation.rfind("throttle", 0) == 0);
        QVERIFY(compareWithProbe(predicted(0.02), probe(), m_aws).explanation.rfind("page cache", 0) == 0);
        ProbeResult local = probe();
        local.remoteBytes = 0;
        QVERIFY(compareWithProbe(predicted(0.05), local, m_aws).explanation.rfind("network share", 0) == 0);
        local.request.fetchers = 4;
        QVERIFY(compareWithProbe(predicted(0.05), local, m_aws).explanation.rfind("disk", 0) == 0);
        ProbeResult bounded = probe();
        bounded.stoppedBy = "bytes";
        QVERIFY(!compareWithProbe(predicted(0.05), bounded, m_aws).checks[2].observedKnown);
    }
};

QTEST_GUILESS_MAIN(TestProbeCheck)
#include "tst_probecheck.moc"
