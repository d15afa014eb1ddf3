#include "models/internedstring.h"

#include <mutex>
#include <unordered_set>

namespace kp {

namespace {

struct TextHash
{
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

} // namespace

const std::string *InternedString::intern(std::string_view text)
{
    if (text.empty())
        return nullptr;
    static std::mutex mutex;
    // Node-based: a text's address stays put as the set grows.
    static auto *texts = new std::unordered_set<std::string, TextHash, std::equal_to<>>(); // never destroyed
    std::lock_guard lock(mutex);
    auto it = texts->find(text);
    if (it == texts->end())
        it = texts->emplace(text).first;
    return &*it;
}

const std::string &InternedString::empty_()
{
    static const std::string empty;
    return empty;
}

} // namespace kp
