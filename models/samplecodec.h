#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The compact form of one history sample: for every series (a partition's end offset, or a group's committed offset
// on a partition) its value and, where known, its size in bytes. Samples chain: a keyframe holds values, the frames
// after it hold differences from the last value of each series, zigzag-varint coded and zlib-compressed, so that an
// idle partition costs about a byte before compression and almost nothing after.
namespace kp {

struct SeriesValue
{
    uint32_t series = 0; // dense ids handed out by the store
    int64_t value = -1;
    int64_t sizeBytes = -1;
    friend bool operator==(const SeriesValue &, const SeriesValue &) = default;
};

class SampleEncoder
{
public:
    // `values` sorted by series, each series once. Throws std::invalid_argument otherwise.
    std::string encode(const std::vector<SeriesValue> &values, bool keyframe);
    // Takes a decoder's state, so that the next delta frame continues the chain the decoder read (a chain that another
    // writer extended).
    void continueFrom(const class SampleDecoder &decoder);

private:
    std::vector<int64_t> m_value;
    std::vector<int64_t> m_size;
};

class SampleDecoder
{
public:
    // Decodes one frame; a delta frame needs the frames since its keyframe decoded first, in order.
    // Throws std::runtime_error on a corrupt or out-of-order frame.
    std::vector<SeriesValue> decode(const std::string &blob);
    bool started() const { return m_started; }

private:
    friend class SampleEncoder;
    std::vector<int64_t> m_value;
    std::vector<int64_t> m_size;
    bool m_started = false;
};

bool isKeyframe(const std::string &blob);

} // namespace kp
