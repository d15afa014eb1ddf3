#pragma once

#include <string>

namespace kp {

// `s` as one word of a POSIX shell command: as it is when it holds no character the shell reads specially, else
// single-quoted (topic names and file paths may hold such characters).
inline std::string shellQuote(const std::string &s)
{
    if (!s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-:,/") ==
                          std::string::npos)
        return s;
    std::string out = "'";
    for (const char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace kp
