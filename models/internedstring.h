#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// A text kept once per process and shared by pointer: the topic names and error texts of a million committed offsets
// (10,000 groups) are a few hundred distinct strings, and a std::string each held 32 bytes (more past 15 characters)
// in every snapshot copy. 8 bytes, copied as a pointer, compared by content. Interned texts are never freed: what they
// cost is bounded by the distinct texts the process has seen. Thread-safe.
namespace kp {

class InternedString
{
public:
    InternedString() = default; // empty
    InternedString(std::string_view text) : m_text(intern(text)) {}
    InternedString(const std::string &text) : InternedString(std::string_view(text)) {}
    InternedString(const char *text) : InternedString(std::string_view(text)) {}

    const std::string &str() const { return m_text ? *m_text : empty_(); }
    operator const std::string &() const { return str(); }
    bool empty() const { return m_text == nullptr; }
    size_t size() const { return str().size(); }
    const char *c_str() const { return str().c_str(); }
    // By identity, which equal texts share: for hash tables keyed by interned texts.
    size_t hash() const { return std::hash<const void *>{}(m_text); }

    // One text, one pointer: equal texts are the same pointer.
    friend bool operator==(const InternedString &a, const InternedString &b) { return a.m_text == b.m_text; }
    friend bool operator==(const InternedString &a, const std::string &b) { return a.str() == b; }
    friend bool operator==(const InternedString &a, std::string_view b) { return a.str() == b; }
    friend bool operator==(const InternedString &a, const char *b) { return a.str() == b; }
    // (auto, not std::strong_ordering: moc cannot parse <compare>)
    friend auto operator<=>(const InternedString &a, const InternedString &b)
    {
        return (a.m_text == b.m_text ? 0 : a.str().compare(b.str())) <=> 0;
    }
    friend auto operator<=>(const InternedString &a, const std::string &b) { return a.str().compare(b) <=> 0; }

private:
    static const std::string *intern(std::string_view text);
    static const std::string &empty_();
    const std::string *m_text = nullptr; // null: empty
};

} // namespace kp
