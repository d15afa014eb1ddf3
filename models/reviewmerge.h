#pragma once
// Two saves of one review that crossed (two people, one shared store): what differs between the copy being saved
// ("mine") and the one stored meanwhile ("theirs"), item by item and field by field, and the review that keeps theirs
// except the items the person chose to keep as they had them.

#include "models/reviewdoc.h"

#include <set>
#include <string>
#include <vector>

namespace kp {

struct ReviewDifference
{
    std::string item;  // an item id; "inputs" for the review's inputs
    std::string field; // e.g. "ownerPerson", "evidence.detail"
    std::string mine, theirs;
};

// Every field that differs, in the template's order of items (then the inputs); drills and milestones are not
// compared: both copies' are kept on merging.
std::vector<ReviewDifference> reviewDifferences(const ReviewDocument &mine, const ReviewDocument &theirs);

// `theirs`, with each item of `keepMine` (and the inputs, when "inputs" is among them) as `mine` has it, and the drills
// and milestones of either (mine's that theirs lacks are added, by start time and name).
ReviewDocument mergeReviews(const ReviewDocument &theirs, const ReviewDocument &mine,
                            const std::set<std::string> &keepMine);

} // namespace kp
