#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kp {

// "0 B", "999 B", "1.0 KiB", "12.3 MiB", "4.0 TiB"; "?" for a negative (unknown) value.
std::string formatBytes(int64_t bytes);

// "2.0 s", "10.0 s": a timeout or duration in milliseconds, as messages say it.
std::string formatSeconds(int64_t millis);

// A retention or other config duration in milliseconds as a person reads it: "7 d", "1 d 12 h", "36 min", "90 s",
// "250 ms"; two units at most (the rest rounded down).
std::string formatDuration(int64_t millis);

// "500MB", "2GiB", "1.5 GB", "1000": bytes (decimal KB/MB/GB/TB, binary KiB/MiB/GiB/TiB); empty when it is not a size
// of at least one byte.
std::optional<int64_t> parseSize(const std::string &text);

} // namespace kp
