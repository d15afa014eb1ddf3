#include "models/units.h"

#include <cstdio>

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

} // namespace kp
