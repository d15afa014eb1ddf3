#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// A streaming JSON writer for the large documents (snapshot files of 50,000 partitions): it appends text to a string
// as it goes, without building a document tree first. Its output is exactly what nlohmann::json's dump(1) writes for
// the same document (one space of indent per level, strings escaped the same way), provided the caller writes each
// object's keys in sorted order, as nlohmann's objects keep them; tests check the two agree. Bytes that are not UTF-8
// are written as U+FFFD (dump would throw on them).
namespace kp {

class JsonWriter
{
public:
    explicit JsonWriter(std::string &out) : m_out(out) {}

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    // Inside an object: the next value's key.
    JsonWriter &key(std::string_view k);

    void string(std::string_view s);
    void integer(int64_t v);
    void boolean(bool v);
    void real(double v); // as nlohmann writes a double (12.5, 1e+20)
    void null();

    // key(k) then the value, for the common cases.
    void field(std::string_view k, std::string_view s) { key(k).string(s); }
    void field(std::string_view k, const char *s) { key(k).string(s); }
    void field(std::string_view k, const std::string &s) { key(k).string(s); }
    void field(std::string_view k, int64_t v) { key(k).integer(v); }
    void field(std::string_view k, int32_t v) { key(k).integer(v); }
    void field(std::string_view k, bool v) { key(k).boolean(v); }

private:
    void open(char bracket);
    void close(char bracket);
    void beforeValue(); // the separator and indent an array element needs; nothing after a key
    void newlineAndIndent();

    std::string &m_out;
    struct Level
    {
        bool object = false;
        size_t count = 0;
    };
    std::vector<Level> m_levels;
    bool m_afterKey = false;
};

// `s` as a JSON string literal (quotes included), escaped as nlohmann's dump escapes it, appended to `out`.
void appendJsonString(std::string &out, std::string_view s);

} // namespace kp
