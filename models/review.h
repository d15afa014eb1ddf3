#pragma once

#include <cstdint>
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

// Template files: {"format": "kafka-planner-review-template", "version": 1, "name", "passes": [{"id", "title",
// "items": [{"id", "title", "drill", "metric", "threshold", "runbook"}]}]}. Throws FormatError naming the field.
ReviewTemplate reviewTemplateFromJson(const std::string &text);

} // namespace kp

#include "clustersnapshot.h"

#include <map>

namespace kp {

// Evidence the cluster itself gives, for the template's items that it can answer: "replication" (RF >= 3 and
// min.insync.replicas >= 2 on every pipeline topic, unclean leader election off), "retained-data" (retention covers the
// replay window), and "rack-placement" facts folded into "replication" (no pipeline partition whose replicas share a
// rack). Topics are the pipeline's (a regex over topic names); nothing matched is a failing check, never a pass.
struct AutoEvidenceInputs
{
    std::string pipelineTopics = ".*"; // regular expression
    double replayWindowHours = 168;
};
std::map<std::string, Evidence> autoEvidence(const ClusterSnapshot &snapshot, const AutoEvidenceInputs &inputs);

} // namespace kp
