#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

// Pricing profiles: versioned JSON with a source and a date for every price, and an instance catalogue from which
// brokers are sized. Bundled ones live in resources/pricing/; users copy and edit them. A malformed profile is refused
// naming the field and the reason (FormatError).
namespace kp {

struct Price
{
    double value = 0;
    std::string source; // where the figure comes from (URL or document)
    std::string date;   // when it was read, YYYY-MM-DD
};

struct InstanceType
{
    std::string type; // "m6i.xlarge"
    int vcpu = 0;
    double memoryGiB = 0;
    double baselineNetworkGbps = 0; // sustained, not burst
    double hourly = 0;              // on-demand, in the profile's currency
    std::string source;
    std::string date;
};

struct PricingProfile
{
    static constexpr int kFormatVersion = 1;

    std::string name;     // "AWS us-east-1"
    std::string provider; // aws, gcp, azure, other
    std::string region;
    std::string currency; // "USD"
    // Keys, each a Price (see kPriceKeys for units): crossAzPerGB, blockStoragePerGBMonth, objectStoragePerGBMonth,
    // objectPutPer1000, objectGetPer1000.
    std::map<std::string, Price> prices;
    bool crossAzPerGiB = false; // the cross-AZ price counts GiB (GCP) rather than GB (AWS)
    // Hours a monthly figure counts: 730 (AWS's convention, 365 x 24 / 12); a profile may say otherwise (GCP and Azure
    // also bill 730; a team may plan with 720 or 744).
    double hoursPerMonth = 730;
    std::vector<InstanceType> instances;

    const Price &price(const std::string &key) const; // throws std::out_of_range for a key the format lacks
    const InstanceType *instance(const std::string &type) const;
};

// The required price keys and their units, in the order the README documents them.
const std::vector<std::pair<std::string, std::string>> &priceKeys();

// What moving `gigabytes` (10^9 bytes) across AZs costs at the profile's price, per GB or per GiB as it counts.
double crossAzCost(const PricingProfile &profile, double gigabytes);
// How a formula shows that price applied to GB: "x 0.0200 per GB", or "/ 1.073741824 GB per GiB x 0.0100 per GiB".
std::string crossAzPriceText(const PricingProfile &profile);

PricingProfile pricingFromJson(const std::string &text);  // throws FormatError naming the JSON path
PricingProfile loadPricingFile(const std::string &path);  // same, the message starts with the path
std::string pricingToJson(const PricingProfile &profile); // what pricingFromJson reads back

} // namespace kp
