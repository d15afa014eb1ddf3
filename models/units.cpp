#include "models/units.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace kp {

std::string formatBytes(int64_t bytes)
{
    if (bytes < 0)
        return "?";
    if (bytes < 1024)
        return std::to_string(bytes) + " B";
    static const char *units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = double(bytes);
    int u = -1;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    return buf;
}

std::string formatSeconds(int64_t millis)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", double(millis) / 1000.0);
    return buf;
}

std::string formatDuration(int64_t millis)
{
    if (millis < 1000)
        return std::to_string(millis) + " ms";
    static const std::pair<int64_t, const char *> units[] = {
        {86400000, "d"}, {3600000, "h"}, {60000, "min"}, {1000, "s"}};
    for (size_t i = 0; i < 4; ++i) {
        const auto [size, name] = units[i];
        if (millis < size)
            continue;
        std::string out = std::to_string(millis / size) + " " + name;
        const int64_t rest = millis % size;
        if (i + 1 < 4 && rest >= units[i + 1].first)
            out += " " + std::to_string(rest / units[i + 1].first) + " " + units[i + 1].second;
        return out;
    }
    return std::to_string(millis) + " ms";
}

std::optional<int64_t> parseSize(const std::string &text)
{
    static const std::pair<const char *, double> kUnits[] = {
        {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}, {"KB", 1e3},
        {"MB", 1e6},     {"GB", 1e9},        {"TB", 1e12},          {"B", 1}};
    double scale = 1;
    std::string number = text;
    for (const auto &[unit, factor] : kUnits) {
        const std::string u(unit);
        if (number.size() > u.size() && number.compare(number.size() - u.size(), u.size(), u) == 0) {
            number.resize(number.size() - u.size());
            scale = factor;
            break;
        }
    }
    while (!number.empty() && number.back() == ' ')
        number.pop_back();
    char *end = nullptr;
    const double value = std::strtod(number.c_str(), &end) * scale;
    if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(value) || value < 1 ||
        value > 9.2e18)
        return std::nullopt;
    return int64_t(value);
}

} // namespace kp
