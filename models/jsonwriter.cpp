#include "models/jsonwriter.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace kp {

namespace {

// The length of the valid UTF-8 sequence starting at s[i], or 0 when the bytes there are not one (overlong forms,
// surrogates and code points above U+10FFFF included).
size_t utf8SequenceLength(std::string_view s, size_t i)
{
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
    for (size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    return n;
}

} // namespace

void appendJsonString(std::string &out, std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const size_t n = utf8SequenceLength(s, i);
            if (n == 0) {
                out += "\xEF\xBF\xBD"; // U+FFFD for the byte that starts no valid sequence
                ++i;
            } else {
                out.append(s.data() + i, n);
                i += n;
            }
            continue;
        }
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 0xF]);
            } else {
                out.push_back(char(c));
            }
        }
        ++i;
    }
    out.push_back('"');
}

JsonWriter &JsonWriter::key(std::string_view k)
{
    Level &level = m_levels.back();
    if (level.count++ > 0)
        m_out.push_back(',');
    newlineAndIndent();
    appendJsonString(m_out, k);
    m_out += ": ";
    m_afterKey = true;
    return *this;
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_levels.empty())
        return; // the document's root
    if (m_levels.back().count++ > 0)
        m_out.push_back(',');
    newlineAndIndent();
}

void JsonWriter::newlineAndIndent()
{
    m_out.push_back('\n');
    m_out.append(m_levels.size(), ' ');
}

void JsonWriter::open(char bracket)
{
    beforeValue();
    m_out.push_back(bracket);
    m_levels.push_back({bracket == '{', 0});
}

void JsonWriter::close(char bracket)
{
    const bool empty = m_levels.back().count == 0;
    m_levels.pop_back();
    if (!empty)
        newlineAndIndent();
    m_out.push_back(bracket);
}

void JsonWriter::string(std::string_view s)
{
    beforeValue();
    appendJsonString(m_out, s);
}

void JsonWriter::integer(int64_t v)
{
    beforeValue();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, r.ptr);
}

void JsonWriter::boolean(bool v)
{
    beforeValue();
    m_out += v ? "true" : "false";
}

void JsonWriter::real(double v)
{
    beforeValue();
    m_out += nlohmann::json(v).dump(); // rare (one per tiered topic): nlohmann's own number format
}

void JsonWriter::null()
{
    beforeValue();
    m_out += "null";
}

} // namespace kp
