#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

// The readiness review: a versioned template of passes and items, each item's facts (owner, runbook, threshold, metric,
// evidence, not-applicable, waiver), and the scorecard rules that colour it Green, Yellow or Red with the reasons why.
namespace kp {

enum class ReviewColor { Green, Yellow, Red, NotApplicable };
const char *toString(ReviewColor c);

enum class EvidenceBasis {
    None,     // nothing recorded: relying on intuition
    Measured, // collected from the cluster or a command's output
    Drill,    // recorded by the app while a drill ran
    Vendor,   // a vendor's claim
    Pilot,    // a pilot run
};
const char *toString(EvidenceBasis b);

struct Evidence
{
    EvidenceBasis basis = EvidenceBasis::None;
    bool passes = false;
    int64_t collectedAtMs = 0;
    std::string detail;
    // Drill items only: the app saw the failure path happen (a broker down, partitions under-replicated, recovery).
    bool failurePathExercised = false;
};

struct ReviewItem
{
    std::string id;
    std::string title;
    bool drill = false; // a failure-path item: only an exercised drill makes it Green
    std::string ownerPerson;
    std::string ownerTeam;
    std::string runbook; // runbook link or command
    std::string threshold;
    std::string metric;
    Evidence evidence;
    std::string notes;
    bool notApplicable = false;
    std::string notApplicableReason;
    std::string waiverReason;
    int64_t waiverExpiresMs = 0; // 0: no waiver
};

struct ReviewPass
{
    std::string id;
    std::string title;
    std::vector<ReviewItem> items;
};

struct ReviewTemplate
{
    static constexpr int kFormatVersion = 1;
    std::string name;
    std::vector<ReviewPass> passes;
};

struct ItemStatus
{
    ReviewColor color = ReviewColor::Red;
    std::vector<std::string> reasons; // why it has its colour, for a person
};

struct ScorecardRules
{
    int64_t staleAfterMs = 30LL * 24 * 3600 * 1000; // evidence older than this is stale
};

ItemStatus evaluateItem(const ReviewItem &item, int64_t nowMs, const ScorecardRules &rules = {});

// Every basis, in the order a person is offered them.
inline constexpr EvidenceBasis kEvidenceBases[] = {EvidenceBasis::None, EvidenceBasis::Measured, EvidenceBasis::Drill,
                                                   EvidenceBasis::Vendor, EvidenceBasis::Pilot};

// "none", "measured", "drill", "vendor claim" (or "vendor"), "pilot"; nullopt for anything else.
std::optional<EvidenceBasis> evidenceBasisFromString(const std::string &text);

// A person's edit of one item, from the Review page or `review set`; unset fields stay as they are. Evidence that
// changes is dated now (a person's evidence is as of when they give it); evidence of any basis but a drill clears
// "failure path exercised", which only a drill the app recorded can set. A waiver expiry of 0 removes the waiver.
struct ItemEdit
{
    std::optional<std::string> ownerPerson, ownerTeam, runbook, threshold, metric, notes;
    std::optional<EvidenceBasis> basis;
    std::optional<bool> passes;
    std::optional<std::string> evidenceDetail;
    std::optional<bool> notApplicable;
    std::optional<std::string> notApplicableReason;
    std::optional<std::string> waiverReason;
    std::optional<int64_t> waiverExpiresMs;
};
void applyItemEdit(ReviewItem &item, const ItemEdit &edit, int64_t nowMs);

// Template files: {"format": "kafka-planner-review-template", "version": 1, "name", "passes": [{"id", "title",
// "items": [{"id", "title", "drill", "metric", "threshold", "runbook"}]}]}. Throws FormatError naming the field.
ReviewTemplate reviewTemplateFromJson(const std::string &text);

// The passes and items as templates and reviews both write them (ids unique and not empty, titles, drill, metric,
// threshold, runbook); `more` reads the rest of an item. Throws FormatError naming the field.
class JsonReader;
std::vector<ReviewPass> readReviewPasses(const JsonReader &passes,
                                         const std::function<void(const JsonReader &, ReviewItem &)> &more);

} // namespace kp

#include "models/clustersnapshot.h"

#include <map>

namespace kp {

// Evidence the cluster itself gives, for the template's items that it can answer: "replication" (RF >= 3 and
// min.insync.replicas >= 2 on every pipeline topic, unclean leader election off, no pipeline partition whose replicas
// share a rack), "retained-data" (retention covers the replay window; tiered topics say how much of it is local),
// "offset-behaviour" (consumer group health: every group on the pipeline's topics readable, none whose committed
// offset has fallen below the earliest retained offset, which would reset it), and "cross-az-transfer" when a budget
// is set (cross-AZ bytes per byte produced from the real placement: (N-1)/N for producers, each partition's followers
// outside the leader's rack, F(N-1)/N for the F groups, or F max(0,N-RF)/N with follower fetching). Topics are the
// pipeline's (a regex over topic names); nothing matched is a failing check, never a pass.
struct AutoEvidenceInputs
{
    std::string pipelineTopics = ".*"; // regular expression
    double replayWindowHours = 168;
    double crossAzFactorBudget = 0; // > 0: "cross-az-transfer" passes when the placement's factor is within it
};
std::map<std::string, Evidence> autoEvidence(const ClusterSnapshot &snapshot, const AutoEvidenceInputs &inputs);

} // namespace kp
