// Pricing profiles: the bundled AWS profile reads with every price sourced and dated; a profile survives a round trip;
// every kind of malformed profile is refused naming the field and the reason.

#include "models/formaterror.h"
#include "models/pricing.h"

#include <QFile>
#include <QTest>
#include <cmath>
#include <nlohmann/json.hpp>

using namespace kp;

namespace {

std::string bundledText()
{
    QFile f(QStringLiteral(KP_PRICING_DIR "/aws-us-east-1.json"));
    f.open(QIODevice::ReadOnly);
    return f.readAll().toStdString();
}

} // namespace

class TestPricing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bundledAws()
    {
        const PricingProfile p = loadPricingFile(KP_PRICING_DIR "/aws-us-east-1.json");
        QCOMPARE(p.provider, std::string("aws"));
        QCOMPARE(p.currency, std::string("USD"));
        QVERIFY(!p.crossAzPerGiB);
        QCOMPARE(p.price("crossAzPerGB").value, 0.02);
        QCOMPARE(p.price("objectStoragePerGBMonth").value, 0.023);
        QCOMPARE(p.price("objectGetPer1000").value, 0.0004);
        QCOMPARE(p.prices.size(), priceKeys().size());
        for (const auto &[key, price] : p.prices) {
            QVERIFY2(!price.source.empty(), key.c_str());
            QCOMPARE(price.date.size(), size_t(10));
        }
        QCOMPARE(p.instances.size(), size_t(9));
        const InstanceType *m6i = p.instance("m6i.xlarge");
        QVERIFY(m6i);
        QCOMPARE(m6i->vcpu, 4);
        QCOMPARE(m6i->hourly, 0.192);
        QVERIFY(!p.instance("m5.huge"));
    }

    // GCP and Azure: every price sourced and dated, GCP's transfer billed per GiB, Azure's inter-AZ transfer free.
    void bundledGcpAndAzure()
    {
        const PricingProfile gcp = loadPricingFile(KP_PRICING_DIR "/gcp-us-central1.json");
        const PricingProfile azure = loadPricingFile(KP_PRICING_DIR "/azure-eastus.json");
        for (const PricingProfile *p : {&gcp, &azure}) {
            QCOMPARE(p->prices.size(), priceKeys().size());
            for (const auto &[key, price] : p->prices) {
                QVERIFY2(price.source.find("https://") != std::string::npos, key.c_str());
                QCOMPARE(price.date, std::string("2026-11-26"));
            }
            QCOMPARE(p->instances.size(), size_t(6));
            for (const InstanceType &t : p->instances)
                QVERIFY2(t.source.find("https://") != std::string::npos, t.type.c_str());
        }
        QCOMPARE(gcp.provider, std::string("gcp"));
        QVERIFY(gcp.crossAzPerGiB);
        // 1 GiB across zones costs $0.01 on GCP; nothing on Azure.
        QCOMPARE(crossAzCost(gcp, 1.073741824), 0.01);
        QCOMPARE(crossAzCost(azure, 1000.0), 0.0);
        // GCS Standard: $0.020 per GiB-month, stored per GB.
        QVERIFY(std::abs(gcp.price("objectStoragePerGBMonth").value * 1.073741824 - 0.020) < 1e-6);
        QCOMPARE(gcp.instance("n2-standard-8")->hourly, 0.388472);
        QCOMPARE(gcp.instance("n2-standard-8")->baselineNetworkGbps, 16.0);
        QCOMPARE(azure.instance("Standard_D8s_v5")->hourly, 0.384);
        QCOMPARE(azure.instance("Standard_E4s_v5")->memoryGiB, 32.0);
    }

    void roundTrip()
    {
        const PricingProfile a = pricingFromJson(bundledText());
        const PricingProfile b = pricingFromJson(pricingToJson(a));
        QCOMPARE(pricingToJson(b), pricingToJson(a));
        QCOMPARE(b.instances.back().type, a.instances.back().type);
    }

    void malformedIsRefusedWithTheField_data()
    {
        QTest::addColumn<QString>("pointer"); // JSON pointer to change
        QTest::addColumn<QString>("value");   // new value as JSON, or "" to remove
        QTest::addColumn<QString>("message");
        QTest::addRow("missing price") << "/prices/objectGetPer1000"
                                       << ""
                                       << "prices.objectGetPer1000: missing";
        QTest::addRow("negative price") << "/prices/crossAzPerGB/value"
                                        << "-0.01"
                                        << "prices.crossAzPerGB.value: must not be negative";
        QTest::addRow("price as text") << "/prices/crossAzPerGB/value"
                                       << "\"0.02\""
                                       << "prices.crossAzPerGB.value: expected a number, found string";
        QTest::addRow("no source") << "/prices/blockStoragePerGBMonth/source"
                                   << "\"\""
                                   << "prices.blockStoragePerGBMonth.source: must not be empty";
        QTest::addRow("bad date") << "/prices/objectPutPer1000/date"
                                  << "\"26/11/2026\""
                                  << "prices.objectPutPer1000.date: must be a date written YYYY-MM-DD";
        QTest::addRow("unknown price") << "/prices/gpuPerHour"
                                       << "{\"value\": 1, \"source\": \"x\", \"date\": \"2026-01-01\"}"
                                       << "prices.gpuPerHour: is not a price this format knows";
        QTest::addRow("newer version") << "/version"
                                       << "2"
                                       << "version: version 2 is not one this build reads (1 to 1)";
        QTest::addRow("other format") << "/format"
                                      << "\"kafka-planner-snapshot\""
                                      << "format: must be \"kafka-planner-pricing\"";
        QTest::addRow("zero vcpu") << "/instances/2/vcpu"
                                   << "0"
                                   << "instances[2].vcpu: must be between 1 and 1024";
        QTest::addRow("duplicate instance") << "/instances/1/type"
                                            << "\"m6i.xlarge\""
                                            << "instances[1].type: \"m6i.xlarge\" is listed twice";
        QTest::addRow("no instances") << "/instances"
                                      << "[]"
                                      << "instances: must list at least one instance type to size brokers from";
        QTest::addRow("free instance") << "/instances/0/hourly"
                                       << "0"
                                       << "instances[0].hourly: must be more than 0";
    }

    void malformedIsRefusedWithTheField()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, message);
        nlohmann::json doc = nlohmann::json::parse(bundledText());
        const nlohmann::json::json_pointer ptr(pointer.toStdString());
        if (value.isEmpty())
            doc[ptr.parent_pointer()].erase(ptr.back());
        else
            doc[ptr] = nlohmann::json::parse(value.toStdString());
        try {
            pricingFromJson(doc.dump());
            QFAIL("must refuse");
        } catch (const FormatError &e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }

    void notJsonAndMissingFile()
    {
        QVERIFY_THROWS_EXCEPTION(FormatError, pricingFromJson("{\"format\": "));
        try {
            loadPricingFile("/nonexistent/p.json");
            QFAIL("must refuse");
        } catch (const FormatError &e) {
            QVERIFY2(std::string(e.what()).rfind("/nonexistent/p.json", 0) == 0, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestPricing)
#include "tst_pricing.moc"
