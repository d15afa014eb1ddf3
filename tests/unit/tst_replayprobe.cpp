// The replay probe's request and result: every bad request refused naming its field, and a result written and read
// back whole (the Planner reads the file `probe replay --output` writes).
#include "models/formaterror.h"
#include "models/replayprobe.h"

#include <QFile>
#include <QTest>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

using namespace kp;

namespace {

ProbeRequest good()
{
    ProbeRequest r;
    r.topicRegex = "^orders$";
    r.maxBytes = 1000;
    r.maxSeconds = 5;
    return r;
}

ProbeResult sample()
{
    ProbeResult r;
    r.request = good();
    r.request.fromMs = 1764547200000;
    r.request.throttleMBps = 2.5;
    r.request.clientRack = "az-a";
    r.clusterId = "c1";
    r.topics = {"orders"};
    r.startedAtMs = 1764547260000;
    r.seconds = 4.5;
    r.stoppedBy = "bytes";
    r.messages = 9;
    r.bytes = 900;
    r.firstByteMs = 12.5;
    r.bytesPerSecond = {500, 400};
    ProbePartition p;
    p.topic = "orders";
    p.partition = 0;
    p.leader = 1;
    p.fromOffset = 10;
    p.endOffset = 30;
    p.nextOffset = 19;
    p.messages = 9;
    p.bytes = 900;
    p.logBytesPerOffset = 150;
    p.firstByteMs = 12.5;
    r.partitions = {p};
    r.brokers = {{1, "az-b", 900, 9, 0}};
    r.crossAzBytes = 900;
    r.crossAzBasis = "record bytes from brokers outside az-a";
    r.groups = {{"tail", 0, 30, 2}};
    r.producePerSecond = 6;
    return r;
}

} // namespace

class TestReplayProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void refusesBadRequests_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("field");
        QTest::addRow("no topics") << 0 << QStringLiteral("--topic");
        QTest::addRow("no byte bound") << 1 << QStringLiteral("--max-bytes");
        QTest::addRow("no time bound") << 2 << QStringLiteral("--max-seconds");
        QTest::addRow("time NaN") << 3 << QStringLiteral("--max-seconds");
        QTest::addRow("throttle 0") << 4 << QStringLiteral("--throttle");
        QTest::addRow("throttle NaN") << 5 << QStringLiteral("--throttle");
        QTest::addRow("fetchers 0") << 6 << QStringLiteral("--fetchers");
    }
    void refusesBadRequests()
    {
        QFETCH(int, which);
        QFETCH(QString, field);
        ProbeRequest r = good();
        const double nan = std::numeric_limits<double>::quiet_NaN();
        switch (which) {
        case 0:
            r.topicRegex.clear();
            break;
        case 1:
            r.maxBytes = 0;
            break;
        case 2:
            r.maxSeconds = 0;
            break;
        case 3:
            r.maxSeconds = nan;
            break;
        case 4:
            r.throttleMBps = 0.0;
            break;
        case 5:
            r.throttleMBps = nan;
            break;
        default:
            r.fetchers = 0;
            break;
        }
        try {
            validateProbeRequest(r);
            QFAIL("accepted");
        } catch (const std::invalid_argument &e) {
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(field), e.what());
        }
        validateProbeRequest(good()); // and the good one passes
    }

    void writtenAndReadBack()
    {
        const ProbeResult r = sample();
        const nlohmann::json j = probeResultToJson(r);
        QCOMPARE(j.at("logBytesEstimate").get<int64_t>(), int64_t(9 * 150));
        QVERIFY(j.at("unfinished") == nlohmann::json::array({"orders-0"}));
        const ProbeResult back = probeResultFromJson(nlohmann::json::parse(j.dump()));
        QCOMPARE(probeResultToJson(back).dump(), j.dump());
        QCOMPARE(back.request.throttleMBps.value_or(0), 2.5);
        QCOMPARE(back.request.fromMs.value_or(0), int64_t(1764547200000));
        QCOMPARE(back.throughputBytesPerSecond(), 900 / (4.5 - 0.0125));
    }

    // A result the probe wrote on the real cluster (tests/data/probe-result.json) reads back to the same JSON.
    void readsWhatTheProbeWrote()
    {
        QFile f(QStringLiteral(KP_TEST_DATA "/probe-result.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto doc = nlohmann::json::parse(f.readAll().toStdString());
        const ProbeResult r = probeResultFromJson(doc);
        QCOMPARE(r.partitions.size(), size_t(6));
        QCOMPARE(r.stoppedBy, std::string("complete"));
        QVERIFY2(probeResultToJson(r) == doc, probeResultToJson(r).dump().c_str());
    }

    void refusesOtherFiles()
    {
        nlohmann::json j = probeResultToJson(sample());
        j["version"] = 2;
        QVERIFY_THROWS_EXCEPTION(FormatError, probeResultFromJson(j));
        j = probeResultToJson(sample());
        j.erase("bytes");
        try {
            probeResultFromJson(j);
            QFAIL("accepted");
        } catch (const FormatError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("bytes")), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(FormatError, probeResultFromJson(nlohmann::json{{"kind", "snapshot"}}));
    }
};

QTEST_GUILESS_MAIN(TestReplayProbe)
#include "tst_replayprobe.moc"
