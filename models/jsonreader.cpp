#include "jsonreader.h"

#include <fstream>

namespace kp {

namespace {
const char *typeName(const nlohmann::json &v)
{
    return v.type_name();
}
} // namespace

nlohmann::json parseVersionedDocument(const std::string &text, const char *format, int maxVersion)
{
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        throw FormatError(std::string("not JSON: ") + e.what());
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
    return m_value.get<int64_t>();
}

double JsonReader::number() const
{
    if (!m_value.is_number())
        fail(std::string("expected a number, found ") + typeName(m_value));
    return m_value.get<double>();
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
    }
}

} // namespace kp
