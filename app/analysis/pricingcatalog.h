#pragma once

#include "models/pricing.h"

#include <string>
#include <vector>

// The pricing profiles bundled with the app (resources/pricing/, compiled into the executable) and user files.
namespace kp {

std::vector<std::string> bundledPricingNames(); // "aws-us-east-1", ...
inline constexpr const char *kDefaultPricing = "aws-us-east-1";

// A bundled name, or a path to a profile file. Throws FormatError naming the file, the field and the reason, or
// saying which names are bundled.
PricingProfile loadPricing(const std::string &nameOrPath);

} // namespace kp
