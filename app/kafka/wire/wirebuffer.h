#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

// Kafka wire-format primitives: big-endian integers, (u)varints, classic and compact strings, bytes and arrays, and
// tagged fields. The reader is strict: any read past the end, negative length or absurd count throws ProtocolError,
// it never over-reads.
namespace kp::wire {

class ProtocolError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class Writer
{
public:
    void int8(int8_t v) { m_buf.push_back(char(v)); }
    void int16(int16_t v);
    void int32(int32_t v);
    void int64(int64_t v);
    void uvarint(uint32_t v);
    void boolean(bool v) { int8(v ? 1 : 0); }
    void string(const std::string &s);                        // int16 length
    void nullableString(const std::optional<std::string> &s); // -1 for null
    void compactString(const std::string &s);                 // uvarint length + 1
    void compactNullableString(const std::optional<std::string> &s);
    void bytes(const std::string &b);        // int32 length
    void compactBytes(const std::string &b); // uvarint length + 1
    void arrayLength(int32_t n) { int32(n); }
    void compactArrayLength(int32_t n) { uvarint(uint32_t(n + 1)); } // n = -1: null
    void emptyTaggedFields() { uvarint(0); }

    const std::string &data() const { return m_buf; }
    std::string take() { return std::move(m_buf); }

private:
    std::string m_buf;
};

class Reader
{
public:
    explicit Reader(const std::string &data) : m_data(data.data()), m_size(data.size()) {}
    Reader(std::string &&) = delete; // it keeps a pointer: the bytes must outlive it
    Reader(const char *data, size_t size) : m_data(data), m_size(size) {}

    int8_t int8();
    int16_t int16();
    int32_t int32();
    int64_t int64();
    uint32_t uvarint();
    bool boolean() { return int8() != 0; }
    std::string string();
    std::optional<std::string> nullableString();
    std::string compactString();
    std::optional<std::string> compactNullableString();
    std::string bytes();
    std::string compactBytes();
    // Element counts, checked against what is left (each element takes at least minElementBytes).
    int32_t arrayLength(size_t minElementBytes);        // -1 for null
    int32_t compactArrayLength(size_t minElementBytes); // -1 for null
    // A compact array's length where null is malformed; `what` names the array in the error.
    int32_t compactCount(size_t minElementBytes, const char *what);
    void skipTaggedFields();
    void skip(size_t n) { need(n); }
    std::string fixedBytes(size_t n) { return std::string(need(n), n); } // a uuid, say

    size_t remaining() const { return m_size - m_pos; }
    size_t position() const { return m_pos; }
    void expectEnd() const;

private:
    const char *need(size_t n);
    const char *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

} // namespace kp::wire
