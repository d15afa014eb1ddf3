#include "models/pricing.h"

#include "models/formaterror.h"
#include "models/jsonreader.h"

#include <cstdio>
#include <regex>
#include <set>
#include <stdexcept>

namespace kp {

using nlohmann::json;

const std::vector<std::pair<std::string, std::string>> &priceKeys()
{
    static const std::vector<std::pair<std::string, std::string>> keys{
        {"crossAzPerGB", "per GB crossing AZs, both directions together (per GiB with crossAzPerGiB)"},
        {"blockStoragePerGBMonth", "broker disk (gp3, pd-balanced, ...) per GB-month"},
        {"objectStoragePerGBMonth", "object storage (S3 Standard, ...) per GB-month"},
        {"objectPutPer1000", "object storage PUT/COPY/POST/LIST per 1,000 requests"},
        {"objectGetPer1000", "object storage GET per 1,000 requests"},
    };
    return keys;
}

const Price &PricingProfile::price(const std::string &key) const
{
    return prices.at(key);
}

const InstanceType *PricingProfile::instance(const std::string &type) const
{
    for (const auto &i : instances)
        if (i.type == type)
            return &i;
    return nullptr;
}

namespace {

void checkDate(const JsonReader &r, const std::string &date)
{
    static const std::regex iso(R"(\d{4}-\d{2}-\d{2})");
    if (!std::regex_match(date, iso))
        r.fail("must be a date written YYYY-MM-DD");
}

double nonNegative(const JsonReader &r)
{
    const double v = r.number();
    if (v < 0)
        r.fail("must not be negative");
    return v;
}

double positive(const JsonReader &r)
{
    const double v = r.number();
    if (v <= 0)
        r.fail("must be more than 0");
    return v;
}

std::string required(const JsonReader &r)
{
    std::string s = r.string();
    if (s.empty())
        r.fail("must not be empty");
    return s;
}

} // namespace

double crossAzCost(const PricingProfile &profile, double gigabytes)
{
    const double gbPerUnit = profile.crossAzPerGiB ? 1.073741824 : 1.0;
    return gigabytes / gbPerUnit * profile.price("crossAzPerGB").value;
}

std::string crossAzPriceText(const PricingProfile &profile)
{
    char price[32];
    std::snprintf(price, sizeof price, "%.4f", profile.price("crossAzPerGB").value);
    return profile.crossAzPerGiB ? std::string("/ 1.073741824 GB per GiB x ") + price + " per GiB"
                                 : std::string("x ") + price + " per GB";
}

PricingProfile pricingFromJson(const std::string &text)
{
    const json doc = parseVersionedDocument(text, "kafka-planner-pricing", PricingProfile::kFormatVersion);
    JsonReader root(doc, "");
    PricingProfile p;
    p.name = required(root.field("name"));
    p.provider = required(root.field("provider"));
    p.region = required(root.field("region"));
    p.currency = required(root.field("currency"));
    p.crossAzPerGiB = root.booleanOr("crossAzPerGiB", false);
    if (root.has("hoursPerMonth")) {
        p.hoursPerMonth = root.field("hoursPerMonth").number();
        if (p.hoursPerMonth < 672 || p.hoursPerMonth > 744)
            root.field("hoursPerMonth").fail("must be between 672 (28 days) and 744 (31 days) hours");
    }
    const JsonReader prices = root.field("prices");
    prices.requireObject();
    for (const auto &[key, unit] : priceKeys()) {
        const JsonReader pr = prices.field(key.c_str());
        pr.requireObject();
        Price price;
        price.value = nonNegative(pr.field("value"));
        price.source = required(pr.field("source"));
        price.date = pr.field("date").string();
        checkDate(pr.field("date"), price.date);
        p.prices[key] = price;
    }
    for (auto it = prices.value().begin(); it != prices.value().end(); ++it)
        if (!p.prices.count(it.key()))
            prices.field(it.key().c_str()).fail("is not a price this format knows");
    const JsonReader instances = root.field("instances");
    const size_t n = instances.arraySize();
    if (n == 0)
        instances.fail("must list at least one instance type to size brokers from");
    std::set<std::string> seen;
    for (size_t i = 0; i < n; ++i) {
        const JsonReader in = instances.at(i);
        in.requireObject();
        InstanceType t;
        t.type = required(in.field("type"));
        if (!seen.insert(t.type).second)
            in.field("type").fail("\"" + t.type + "\" is listed twice");
        const int64_t vcpu = in.field("vcpu").integer();
        if (vcpu <= 0 || vcpu > 1024)
            in.field("vcpu").fail("must be between 1 and 1024");
        t.vcpu = int(vcpu);
        t.memoryGiB = positive(in.field("memoryGiB"));
        t.baselineNetworkGbps = positive(in.field("baselineNetworkGbps"));
        t.hourly = positive(in.field("hourly"));
        t.source = required(in.field("source"));
        t.date = in.field("date").string();
        checkDate(in.field("date"), t.date);
        p.instances.push_back(std::move(t));
    }
    return p;
}

PricingProfile loadPricingFile(const std::string &path)
{
    return decodeJsonFile(path, [](const json &doc) { return pricingFromJson(doc.dump()); });
}

std::string pricingToJson(const PricingProfile &p)
{
    json j{{"format", "kafka-planner-pricing"},
           {"version", PricingProfile::kFormatVersion},
           {"name", p.name},
           {"provider", p.provider},
           {"region", p.region},
           {"currency", p.currency},
           {"crossAzPerGiB", p.crossAzPerGiB},
           {"hoursPerMonth", p.hoursPerMonth}};
    for (const auto &[key, price] : p.prices)
        j["prices"][key] = {{"value", price.value}, {"source", price.source}, {"date", price.date}};
    j["instances"] = json::array();
    for (const auto &i : p.instances)
        j["instances"].push_back({{"type", i.type},
                                  {"vcpu", i.vcpu},
                                  {"memoryGiB", i.memoryGiB},
                                  {"baselineNetworkGbps", i.baselineNetworkGbps},
                                  {"hourly", i.hourly},
                                  {"source", i.source},
                                  {"date", i.date}});
    return j.dump(2) + "\n";
}

} // namespace kp
