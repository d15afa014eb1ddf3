// Prometheus metrics of `watch --metrics`: the exposition of a known sample line by line (kafka-lag-exporter's names
// and labels, unknown values left out, labels escaped), checked by promtool; the endpoint answering GET /metrics and
// refusing a port in use; and a real Prometheus server (Debian's) scraping it, its query API returning the values.

#include "models/prometheus.h"
#include "services/metricsserver.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace kp;

namespace {

// Topic t (2 partitions, offsets 100..1,100 and 0..500); group "g\"x" (a quote in its id) committed at 1,000 and 480,
// partition 0 held by member m1 on host h1; time lag known for partition 0 only; the Traffic model's flows.
std::string sampleText()
{
    ClusterSnapshot s;
    s.clusterId = "c";
    s.takenAtMs = 1'700'000'000'000;
    TopicInfo t;
    t.name = "t";
    t.partitions = {{0, 1, {1}, {1}, "", 100, 1100, {}}, {1, 1, {1}, {1}, "", 0, 500, {}}};
    s.topics = {t};
    ConsumerGroup g;
    g.groupId = "g\"x";
    g.members.push_back({"m1", "", "client-1", "h1", {{"t", 0}}});
    g.offsets = {{"t", 0, 1000, 1100, 100, ""}, {"t", 1, 480, 500, 20, ""}};
    s.groups = {g};
    GroupEvaluation e;
    e.group = g.groupId;
    e.status = GroupStatus::Warn;
    e.partitions.resize(2);
    e.partitions[0].topic = "t";
    e.partitions[0].partition = 0;
    e.partitions[0].timeLag.seconds = 12.5;
    e.partitions[1].topic = "t";
    e.partitions[1].partition = 1;
    Traffic traffic;
    traffic.racksKnown = true;
    traffic.produce.add("az-a", "az-b", 300);
    traffic.consume.add("az-b", "az-a", 50);
    return prometheusText({clusterMetrics("prod", s, {e}, traffic)});
}

// GET http://127.0.0.1:port/path: the status line and the body.
std::pair<QByteArray, QByteArray> get(int port, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray all;
    while (socket.waitForReadyRead(5000))
        all += socket.readAll();
    all += socket.readAll();
    const int head = int(all.indexOf("\r\n\r\n"));
    return {all.left(int(all.indexOf("\r\n"))), head < 0 ? QByteArray() : all.mid(head + 4)};
}

int freePort(int offset)
{
    return 20000 + int(QCoreApplication::applicationPid() % 2000) * 3 + offset;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exposition()
    {
        const std::string text = sampleText();
        const std::string labels0 = "cluster_name=\"prod\",group=\"g\\\"x\",topic=\"t\",partition=\"0\",member_host="
                                    "\"h1\",consumer_id=\"m1\",client_id=\"client-1\"";
        const std::string labels1 = "cluster_name=\"prod\",group=\"g\\\"x\",topic=\"t\",partition=\"1\",member_host="
                                    "\"\",consumer_id=\"\",client_id=\"\"";
        for (const std::string &line :
             {"kafka_consumergroup_group_offset{" + labels0 + "} 1000",
              "kafka_consumergroup_group_lag{" + labels0 + "} 100", "kafka_consumergroup_group_lag{" + labels1 + "} 20",
              "kafka_consumergroup_group_lag_seconds{" + labels0 + "} 12.5",
              std::string("kafka_consumergroup_group_max_lag{cluster_name=\"prod\",group=\"g\\\"x\",is_simple_consumer="
                          "\"false\"} 100"),
              std::string("kafka_consumergroup_group_max_lag_seconds{cluster_name=\"prod\",group=\"g\\\"x\",is_simple_"
                          "consumer=\"false\"} 12.5"),
              std::string("kafka_consumergroup_group_sum_lag{cluster_name=\"prod\",group=\"g\\\"x\"} 120"),
              std::string(
                  "kafka_consumergroup_group_topic_sum_lag{cluster_name=\"prod\",group=\"g\\\"x\",topic=\"t\"} 120"),
              std::string("kafka_partition_latest_offset{cluster_name=\"prod\",topic=\"t\",partition=\"0\"} 1100"),
              std::string("kafka_partition_earliest_offset{cluster_name=\"prod\",topic=\"t\",partition=\"1\"} 0"),
              std::string("kafka_planner_group_status{cluster_name=\"prod\",group=\"g\\\"x\",status=\"WARN\"} 1"),
              std::string("kafka_planner_cross_az_bytes_per_second{cluster_name=\"prod\",flow=\"produce\"} 300"),
              std::string("kafka_planner_cross_az_bytes_per_second{cluster_name=\"prod\",flow=\"consume\"} 50"),
              std::string("kafka_planner_sample_timestamp_seconds{cluster_name=\"prod\"} 1700000000"),
              std::string("# TYPE kafka_consumergroup_group_lag gauge")})
            QVERIFY2(text.find(line + "\n") != std::string::npos, (line + "\n---\n" + text).c_str());
        // Partition 1's time lag is not known: no sample, never 0.
        QVERIFY(text.find("kafka_consumergroup_group_lag_seconds{" + labels1) == std::string::npos);
        // promtool (Debian's prometheus package) finds nothing to say.
        QProcess promtool;
        promtool.start(QStringLiteral("promtool"), {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY2(promtool.waitForStarted(), "promtool not found: scripts/install-deps.sh installs prometheus");
        promtool.write(QByteArray::fromStdString(text));
        promtool.closeWriteChannel();
        QVERIFY(promtool.waitForFinished(30000));
        QVERIFY2(promtool.exitCode() == 0,
                 QByteArray(promtool.readAllStandardOutput() + promtool.readAllStandardError()).constData());
    }

    void endpoint()
    {
        const int port = freePort(0);
        const std::string address = "127.0.0.1:" + std::to_string(port);
        MetricsServer server(address, [] { return std::string("x_total 1\n"); });
        const auto [status, body] = get(port, "/metrics");
        QCOMPARE(status, QByteArray("HTTP/1.1 200 OK"));
        QCOMPARE(body, QByteArray("x_total 1\n"));
        QCOMPARE(get(port, "/elsewhere").first, QByteArray("HTTP/1.1 404 Not Found"));
        try {
            MetricsServer twice(address, [] { return std::string(); });
            QFAIL("a port in use must be refused");
        } catch (const std::runtime_error &e) {
            QCOMPARE(std::string(e.what()), "--metrics " + address + ": the port is in use");
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, MetricsServer("127.0.0.1", [] { return std::string(); }));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, MetricsServer("127.0.0.1:99999", [] { return std::string(); }));
    }

    // Debian's Prometheus scrapes the endpoint every second; its query API returns what was served.
    void scrapedByPrometheus()
    {
        const int port = freePort(1), promPort = freePort(2);
        MetricsServer server("127.0.0.1:" + std::to_string(port), [] { return sampleText(); });
        QTemporaryDir dir;
        QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: kp\n    "
                                    "static_configs:\n      - targets: ['127.0.0.1:%1']\n")
                         .arg(port)
                         .toUtf8());
        config.close();
        QProcess prometheus;
        prometheus.setProcessChannelMode(QProcess::MergedChannels);
        prometheus.start(QStringLiteral("prometheus"),
                         {QStringLiteral("--config.file=") + config.fileName(),
                          QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
                          QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort)});
        QVERIFY2(prometheus.waitForStarted(), "prometheus not found: scripts/install-deps.sh installs it");
        QByteArray answer;
        const QByteArray query =
            "/api/v1/query?query=" +
            QUrl::toPercentEncoding(QStringLiteral("kafka_consumergroup_group_sum_lag{cluster_name=\"prod\"}"));
        for (int i = 0; i < 60 && !answer.contains("\"value\""); ++i) {
            QTest::qWait(500);
            answer = get(promPort, query).second;
        }
        prometheus.terminate();
        prometheus.waitForFinished(10000);
        const QJsonObject j = QJsonDocument::fromJson(answer).object();
        const QJsonArray result = j.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
        QVERIFY2(result.size() == 1, answer.constData());
        QCOMPARE(
            result[0].toObject().value(QStringLiteral("metric")).toObject().value(QStringLiteral("group")).toString(),
            QStringLiteral("g\"x"));
        QCOMPARE(result[0].toObject().value(QStringLiteral("value")).toArray()[1].toString(), QStringLiteral("120"));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
