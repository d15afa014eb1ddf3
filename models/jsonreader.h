#pragma once

#include "models/formaterror.h"

#include <nlohmann/json.hpp>
#include <string>

namespace kp {

// Strict, path-aware access to a JSON document: every error names where it is ("topics[2].name: ...").
class JsonReader
{
public:
    JsonReader(const nlohmann::json &value, std::string path) : m_value(value), m_path(std::move(path)) {}

    const nlohmann::json &value() const { return m_value; }
    const std::string &path() const { return m_path; }

    JsonReader field(const char *key) const;
    bool has(const char *key) const { return m_value.is_object() && m_value.contains(key); }
    JsonReader at(size_t index) const;

    std::string string() const;
    int64_t integer() const;
    double number() const;
    bool boolean() const;
    size_t arraySize() const;
    void requireObject() const;

    std::string stringOr(const char *key, const std::string &fallback) const;
    int64_t integerOr(const char *key, int64_t fallback) const;
    bool booleanOr(const char *key, bool fallback) const;

    [[noreturn]] void fail(const std::string &what) const;

private:
    const nlohmann::json &m_value;
    std::string m_path;
};

// Parses a document of ours: JSON, an object, `format` equal to `format`, `version` between 1 and `maxVersion`.
// Throws FormatError naming the field.
nlohmann::json parseVersionedDocument(const std::string &text, const char *format, int maxVersion);

// Reads and parses a JSON file, then hands it to `decode`; every error (cannot open, not JSON, malformed value) comes
// back as a FormatError that starts with the path.
nlohmann::json readJsonFile(const std::string &path);
template <typename Decode> auto decodeJsonFile(const std::string &path, Decode &&decode)
{
    const nlohmann::json doc = readJsonFile(path);
    try {
        return decode(doc);
    } catch (const FormatError &e) {
        throw FormatError(path + ": " + e.what());
    }
}

} // namespace kp
