#include "models/reviewmerge.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace kp {

namespace {

using json = nlohmann::json;

std::string text(const json &v)
{
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// Field by field, nested objects as "a.b"; a field only one side has is compared with "".
void compare(const std::string &item, const std::string &prefix, const json &mine, const json &theirs,
             std::vector<ReviewDifference> &out)
{
    std::set<std::string> keys;
    for (const auto &[k, v] : mine.items())
        keys.insert(k);
    for (const auto &[k, v] : theirs.items())
        keys.insert(k);
    for (const auto &k : keys) {
        const json a = mine.contains(k) ? mine.at(k) : json(""), b = theirs.contains(k) ? theirs.at(k) : json("");
        if (a.is_object() && b.is_object())
            compare(item, prefix + k + ".", a, b, out);
        else if (a != b)
            out.push_back({item, prefix + k, text(a), text(b)});
    }
}

// Item id -> its JSON, from reviewToJson's passes.
std::map<std::string, json> itemsOf(const json &doc)
{
    std::map<std::string, json> out;
    for (const auto &pass : doc.at("passes"))
        for (const auto &item : pass.at("items"))
            out[item.at("id").get<std::string>()] = item;
    return out;
}

} // namespace

std::vector<ReviewDifference> reviewDifferences(const ReviewDocument &mine, const ReviewDocument &theirs)
{
    const json a = json::parse(reviewToJson(mine, false)), b = json::parse(reviewToJson(theirs, false));
    const auto mineItems = itemsOf(a), theirItems = itemsOf(b);
    std::vector<ReviewDifference> out;
    for (const auto &pass : a.at("passes"))
        for (const auto &item : pass.at("items")) {
            const std::string id = item.at("id").get<std::string>();
            const auto other = theirItems.find(id);
            compare(id, "", item, other == theirItems.end() ? json::object() : other->second, out);
        }
    for (const auto &[id, item] : theirItems)
        if (!mineItems.count(id))
            compare(id, "", json::object(), item, out);
    compare("inputs", "", a.at("inputs"), b.at("inputs"), out);
    return out;
}

ReviewDocument mergeReviews(const ReviewDocument &theirs, const ReviewDocument &mine,
                            const std::set<std::string> &keepMine)
{
    ReviewDocument out = theirs;
    for (auto &pass : out.passes)
        for (auto &item : pass.items)
            if (keepMine.count(item.id))
                if (const ReviewItem *m = mine.item(item.id))
                    item = *m;
    if (keepMine.count("inputs"))
        out.inputs = mine.inputs;
    for (const auto &d : mine.drills)
        if (std::none_of(out.drills.begin(), out.drills.end(), [&](const DrillRecord &o) {
                return o.item == d.item && o.summary.startedAtMs == d.summary.startedAtMs;
            }))
            out.drills.push_back(d);
    std::sort(out.drills.begin(), out.drills.end(),
              [](const DrillRecord &x, const DrillRecord &y) { return x.summary.startedAtMs < y.summary.startedAtMs; });
    for (const auto &m : mine.milestones)
        if (std::none_of(out.milestones.begin(), out.milestones.end(),
                         [&](const Milestone &o) { return o.name == m.name && o.sha256 == m.sha256; }))
            out.milestones.push_back(m);
    return out;
}

} // namespace kp
