#include "kafka/wire/wirebuffer.h"

#include <cstring>

namespace kp::wire {

void Writer::int16(int16_t v)
{
    const auto u = uint16_t(v);
    m_buf.push_back(char(u >> 8));
    m_buf.push_back(char(u));
}

void Writer::int32(int32_t v)
{
    const auto u = uint32_t(v);
    for (int s = 24; s >= 0; s -= 8)
        m_buf.push_back(char(u >> s));
}

void Writer::int64(int64_t v)
{
    const auto u = uint64_t(v);
    for (int s = 56; s >= 0; s -= 8)
        m_buf.push_back(char(u >> s));
}

void Writer::uvarint(uint32_t v)
{
    while (v >= 0x80) {
        m_buf.push_back(char((v & 0x7F) | 0x80));
        v >>= 7;
    }
    m_buf.push_back(char(v));
}

void Writer::string(const std::string &s)
{
    int16(int16_t(s.size()));
    m_buf += s;
}

void Writer::nullableString(const std::optional<std::string> &s)
{
    if (!s) {
        int16(-1);
        return;
    }
    string(*s);
}

void Writer::compactString(const std::string &s)
{
    uvarint(uint32_t(s.size() + 1));
    m_buf += s;
}

void Writer::compactNullableString(const std::optional<std::string> &s)
{
    if (!s) {
        uvarint(0);
        return;
    }
    compactString(*s);
}

void Writer::bytes(const std::string &b)
{
    int32(int32_t(b.size()));
    m_buf += b;
}

void Writer::compactBytes(const std::string &b)
{
    uvarint(uint32_t(b.size() + 1));
    m_buf += b;
}

const char *Reader::need(size_t n)
{
    if (n > m_size - m_pos)
        throw ProtocolError("truncated response: needed " + std::to_string(n) + " more byte(s) at offset " +
                            std::to_string(m_pos) + ", " + std::to_string(m_size - m_pos) + " left");
    const char *p = m_data + m_pos;
    m_pos += n;
    return p;
}

int8_t Reader::int8()
{
    return int8_t(*need(1));
}

int16_t Reader::int16()
{
    const auto *p = reinterpret_cast<const unsigned char *>(need(2));
    return int16_t(uint16_t(p[0] << 8 | p[1]));
}

int32_t Reader::int32()
{
    const auto *p = reinterpret_cast<const unsigned char *>(need(4));
    return int32_t(uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]));
}

int64_t Reader::int64()
{
    const auto *p = reinterpret_cast<const unsigned char *>(need(8));
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = v << 8 | p[i];
    return int64_t(v);
}

uint32_t Reader::uvarint()
{
    uint32_t v = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
        const auto b = uint8_t(int8());
        if (shift == 28 && (b & 0xF0))
            throw ProtocolError("malformed varint at offset " + std::to_string(m_pos - 1));
        v |= uint32_t(b & 0x7F) << shift;
        if (!(b & 0x80))
            return v;
    }
    throw ProtocolError("malformed varint at offset " + std::to_string(m_pos));
}

std::string Reader::string()
{
    const int16_t n = int16();
    if (n < 0)
        throw ProtocolError("null where a string was required at offset " + std::to_string(m_pos - 2));
    return std::string(need(size_t(n)), size_t(n));
}

std::optional<std::string> Reader::nullableString()
{
    const int16_t n = int16();
    if (n == -1)
        return std::nullopt;
    if (n < 0)
        throw ProtocolError("negative string length at offset " + std::to_string(m_pos - 2));
    return std::string(need(size_t(n)), size_t(n));
}

std::string Reader::compactString()
{
    auto s = compactNullableString();
    if (!s)
        throw ProtocolError("null where a string was required at offset " + std::to_string(m_pos - 1));
    return *s;
}

std::optional<std::string> Reader::compactNullableString()
{
    const uint32_t n = uvarint();
    if (n == 0)
        return std::nullopt;
    return std::string(need(n - 1), n - 1);
}

std::string Reader::bytes()
{
    const int32_t n = int32();
    if (n < 0)
        throw ProtocolError("negative bytes length at offset " + std::to_string(m_pos - 4));
    return std::string(need(size_t(n)), size_t(n));
}

std::string Reader::compactBytes()
{
    const uint32_t n = uvarint();
    if (n == 0)
        throw ProtocolError("null where bytes were required at offset " + std::to_string(m_pos - 1));
    return std::string(need(n - 1), n - 1);
}

int32_t Reader::arrayLength(size_t minElementBytes)
{
    const int32_t n = int32();
    if (n == -1)
        return -1;
    if (n < 0 || size_t(n) * std::max<size_t>(1, minElementBytes) > remaining())
        throw ProtocolError("array length " + std::to_string(n) + " at offset " + std::to_string(m_pos - 4) +
                            " does not fit the " + std::to_string(remaining()) + " byte(s) left");
    return n;
}

int32_t Reader::compactArrayLength(size_t minElementBytes)
{
    const size_t at = m_pos;
    const uint32_t n = uvarint();
    if (n == 0)
        return -1;
    if (size_t(n - 1) * std::max<size_t>(1, minElementBytes) > remaining())
        throw ProtocolError("array length " + std::to_string(n - 1) + " at offset " + std::to_string(at) +
                            " does not fit the " + std::to_string(remaining()) + " byte(s) left");
    return int32_t(n - 1);
}

void Reader::skipTaggedFields()
{
    const uint32_t count = uvarint();
    if (count > remaining())
        throw ProtocolError("tagged field count " + std::to_string(count) + " does not fit");
    for (uint32_t i = 0; i < count; ++i) {
        uvarint(); // tag
        const uint32_t size = uvarint();
        need(size);
    }
}

void Reader::expectEnd() const
{
    if (m_pos != m_size)
        throw ProtocolError(std::to_string(m_size - m_pos) + " unexpected trailing byte(s) at offset " +
                            std::to_string(m_pos));
}

int32_t Reader::compactCount(size_t minElementBytes, const char *what)
{
    const int32_t n = compactArrayLength(minElementBytes);
    if (n < 0)
        throw ProtocolError(std::string("null ") + what + " array at offset " + std::to_string(m_pos));
    return n;
}

} // namespace kp::wire
