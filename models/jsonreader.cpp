#include "models/jsonreader.h"

#include <cmath>
#include <fstream>
#include <limits>

namespace kp {

namespace {
const char *typeName(const nlohmann::json &v)
{
    return v.type_name();
}

// "[json.exception.out_of_range.406] number overflow parsing '1e400'" -> "number overflow parsing '1e400'"
std::string withoutId(const nlohmann::json::exception &e)
{
    const std::string what = e.what();
    const size_t close = what.find("] ");
    return close == std::string::npos ? what : what.substr(close + 2);
}
} // namespace

nlohmann::json parseVersionedDocument(const std::string &text, const char *format, int maxVersion)
{
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        throw FormatError(std::string("not JSON: ") + e.what());
    } catch (const nlohmann::json::exception &e) { // a number too large for a double (1e400): out_of_range
        throw FormatError("not JSON: " + withoutId(e));
    }
    JsonReader root(doc, "");
    root.requireObject();
    if (root.field("format").string() != format)
        root.field("format").fail(std::string("must be \"") + format + "\"");
    const int64_t version = root.field("version").integer();
    if (version < 1 || version > maxVersion)
        root.field("version").fail("version " + std::to_string(version) + " is not one this build reads (1 to " +
                                   std::to_string(maxVersion) + ")");
    return doc;
}

void JsonReader::fail(const std::string &what) const
{
    throw FormatError((m_path.empty() ? std::string("document") : m_path) + ": " + what);
}

void JsonReader::requireObject() const
{
    if (!m_value.is_object())
        fail(std::string("expected an object, found ") + typeName(m_value));
}

JsonReader JsonReader::field(const char *key) const
{
    requireObject();
    auto it = m_value.find(key);
    const std::string sub = m_path.empty() ? std::string(key) : m_path + "." + key;
    if (it == m_value.end())
        throw FormatError(sub + ": missing");
    return JsonReader(*it, sub);
}

JsonReader JsonReader::at(size_t index) const
{
    if (!m_value.is_array())
        fail(std::string("expected an array, found ") + typeName(m_value));
    if (index >= m_value.size())
        fail("index " + std::to_string(index) + " out of range");
    return JsonReader(m_value[index], m_path + "[" + std::to_string(index) + "]");
}

std::string JsonReader::string() const
{
    if (!m_value.is_string())
        fail(std::string("expected a string, found ") + typeName(m_value));
    return m_value.get<std::string>();
}

int64_t JsonReader::integer() const
{
    if (!m_value.is_number_integer())
        fail(std::string("expected an integer, found ") + typeName(m_value));
    // An integer above int64 reads as unsigned, and get<int64_t> would wrap it to a negative number.
    if (m_value.is_number_unsigned() && m_value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
        fail("integer out of range (" + m_value.dump() + " is above 9223372036854775807)");
    return m_value.get<int64_t>();
}

double JsonReader::number() const
{
    if (!m_value.is_number())
        fail(std::string("expected a number, found ") + typeName(m_value));
    const double v = m_value.get<double>();
    if (!std::isfinite(v)) // 1e400 parses as infinity
        fail("number out of range");
    return v;
}

bool JsonReader::boolean() const
{
    if (!m_value.is_boolean())
        fail(std::string("expected true or false, found ") + typeName(m_value));
    return m_value.get<bool>();
}

size_t JsonReader::arraySize() const
{
    if (!m_value.is_array())
        fail(std::string("expected an array, found ") + typeName(m_value));
    return m_value.size();
}

std::string JsonReader::stringOr(const char *key, const std::string &fallback) const
{
    return has(key) ? field(key).string() : fallback;
}

int64_t JsonReader::integerOr(const char *key, int64_t fallback) const
{
    return has(key) ? field(key).integer() : fallback;
}

bool JsonReader::booleanOr(const char *key, bool fallback) const
{
    return has(key) ? field(key).boolean() : fallback;
}

nlohmann::json readJsonFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FormatError(path + ": cannot open the file for reading");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error &e) {
        throw FormatError(path + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
    } catch (const nlohmann::json::exception &e) { // a number too large for a double (1e400): out_of_range
        throw FormatError(path + ": not valid JSON: " + withoutId(e));
    }
}

} // namespace kp
