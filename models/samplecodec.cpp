#include "models/samplecodec.h"

#include <QByteArray>
#include <stdexcept>

namespace kp {

namespace {

constexpr uint8_t kKeyframe = 1;
constexpr uint8_t kFormat = 1 << 4;      // format version 1 in the high nibble
constexpr uint64_t kMaxSeries = 1 << 22; // 4 million series: far above 50,000 partitions and their groups

uint64_t zigzag(int64_t v)
{
    return (uint64_t(v) << 1) ^ uint64_t(v >> 63);
}

int64_t unzigzag(uint64_t v)
{
    return int64_t(v >> 1) ^ -int64_t(v & 1);
}

void putVarint(std::string &out, uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(char((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(char(v));
}

uint64_t getVarint(const char *&p, const char *end)
{
    // Most values of a delta frame are one byte (an idle series: a step of 1, two zero differences).
    if (p < end && !(uint8_t(*p) & 0x80))
        return uint8_t(*p++);
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (p >= end)
            throw std::runtime_error("sample frame truncated");
        const auto b = uint8_t(*p++);
        v |= uint64_t(b & 0x7F) << shift;
        if (!(b & 0x80))
            return v;
    }
    throw std::runtime_error("sample frame has a malformed varint");
}

// Values are >= -1 (unknown); sizes too. The state starts at -1 so a first-seen unknown costs one zero.
void ensure(std::vector<int64_t> &v, uint32_t series)
{
    if (series >= v.size())
        v.resize(size_t(series) + 1, -1);
}

} // namespace

bool isKeyframe(const std::string &blob)
{
    return !blob.empty() && (uint8_t(blob[0]) & kKeyframe);
}

std::string SampleEncoder::encode(const std::vector<SeriesValue> &values, bool keyframe)
{
    std::string body;
    body.reserve(values.size() * 3);
    putVarint(body, values.size());
    if (keyframe) {
        m_value.assign(m_value.size(), -1);
        m_size.assign(m_size.size(), -1);
    }
    uint32_t previous = 0;
    bool first = true;
    for (const auto &v : values) {
        if (!first && v.series <= previous)
            throw std::invalid_argument("sample values must be sorted by series, each series once");
        if (v.series >= kMaxSeries)
            throw std::invalid_argument("series id out of range");
        putVarint(body, first ? v.series : v.series - previous);
        first = false;
        previous = v.series;
        ensure(m_value, v.series);
        ensure(m_size, v.series);
        putVarint(body, zigzag(v.value - m_value[v.series]));
        putVarint(body, zigzag(v.sizeBytes - m_size[v.series]));
        m_value[v.series] = v.value;
        m_size[v.series] = v.sizeBytes;
    }
    const QByteArray packed = qCompress(QByteArray::fromRawData(body.data(), qsizetype(body.size())), 6);
    std::string out(1, char(kFormat | (keyframe ? kKeyframe : 0)));
    out.append(packed.constData(), size_t(packed.size()));
    return out;
}

void SampleEncoder::continueFrom(const SampleDecoder &decoder)
{
    m_value = decoder.m_value;
    m_size = decoder.m_size;
}

std::vector<SeriesValue> SampleDecoder::decode(const std::string &blob)
{
    if (blob.empty() || (uint8_t(blob[0]) & 0xF0) != kFormat)
        throw std::runtime_error("not a sample frame of a known format");
    const bool keyframe = isKeyframe(blob);
    if (!keyframe && !m_started)
        throw std::runtime_error("a delta frame needs its keyframe decoded first");
    // qUncompress trusts the 4-byte length in front; a corrupt one must not make it allocate gigabytes.
    if (blob.size() < 5)
        throw std::runtime_error("sample frame truncated");
    const auto *h = reinterpret_cast<const uchar *>(blob.data() + 1);
    const uint64_t expected = uint64_t(h[0]) << 24 | uint64_t(h[1]) << 16 | uint64_t(h[2]) << 8 | h[3];
    if (expected > 1032 * uint64_t(blob.size()) + 64 || expected > (uint64_t(1) << 28))
        throw std::runtime_error("sample frame has an impossible length");
    const QByteArray body = qUncompress(h, qsizetype(blob.size() - 1));
    if (body.isEmpty() && blob.size() > 1 + 4)
        throw std::runtime_error("sample frame does not decompress");
    if (keyframe) {
        m_value.assign(m_value.size(), -1);
        m_size.assign(m_size.size(), -1);
        m_started = true;
    }
    const char *p = body.constData();
    const char *end = p + body.size();
    const uint64_t count = getVarint(p, end);
    if (count > uint64_t(end - p) / 3 + 1)
        throw std::runtime_error("sample frame count does not fit its size");
    std::vector<SeriesValue> out;
    out.reserve(size_t(count));
    uint64_t series = 0;
    for (uint64_t i = 0; i < count; ++i) {
        const uint64_t step = getVarint(p, end);
        series = i == 0 ? step : series + step;
        if (series >= kMaxSeries || (i > 0 && step == 0))
            throw std::runtime_error("sample frame has a bad series id");
        const auto id = uint32_t(series);
        ensure(m_value, id);
        ensure(m_size, id);
        m_value[id] += unzigzag(getVarint(p, end));
        m_size[id] += unzigzag(getVarint(p, end));
        out.push_back({id, m_value[id], m_size[id]});
    }
    if (p != end)
        throw std::runtime_error("sample frame has trailing bytes");
    return out;
}

} // namespace kp
