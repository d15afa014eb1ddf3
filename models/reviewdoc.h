#pragma once

#include "models/drill.h"
#include "models/lineage.h"
#include "models/replayprobe.h"
#include "models/review.h"

#include <string>
#include <vector>

// A readiness review as a person keeps it: the template's passes with each item's facts and evidence, the inputs the
// automatic evidence uses, the drills the app recorded, and milestones (frozen copies, each with its SHA-256). One
// JSON document, the same in a file (`kafka-planner review ... FILE`) and in the app's store.
namespace kp {

struct ReviewInputs
{
    std::string pipelineTopics = ".*";
    double replayWindowHours = 168;
    double crossAzFactorBudget = 0; // cross-AZ bytes per byte produced that the team agreed to; 0: none agreed
};

struct DrillRecord
{
    std::string item;
    DrillSummary summary;
    std::vector<DrillSample> samples;
};

struct Milestone
{
    std::string name;
    int64_t createdAtMs = 0;
    std::string sha256;   // of `document`
    std::string document; // the review as it was (without milestones), canonical JSON
};

struct ReviewDocument
{
    static constexpr int kFormatVersion = 1;
    std::string name;
    ReviewInputs inputs;
    std::vector<ReviewPass> passes;
    std::vector<DrillRecord> drills;
    std::vector<Milestone> milestones;
    int64_t updatedAtMs = 0;

    ReviewItem *item(const std::string &id);
    const ReviewItem *item(const std::string &id) const;
};

ReviewDocument newReview(const ReviewTemplate &t, const std::string &name);

// {"format": "kafka-planner-review", "version": 1, ...}; times ISO 8601. Throws FormatError naming the field.
std::string reviewToJson(const ReviewDocument &doc, bool withMilestones = true);
ReviewDocument reviewFromJson(const std::string &text);

// Freezes the review as it is now under `name` (unique); returns the milestone.
const Milestone &addMilestone(ReviewDocument &doc, const std::string &name, int64_t nowMs);
// The review a milestone froze; throws FormatError when its hash does not match (the copy was altered).
ReviewDocument milestoneReview(const Milestone &m);

struct ItemChange
{
    std::string item;
    std::string title;
    ReviewColor before = ReviewColor::Red, after = ReviewColor::Red;
    std::vector<std::string> changes; // "owner: '' -> 'Ana (data-platform)'", "evidence: ...", ...
};
// Item by item, what differs between two reviews (colours evaluated at each one's own time).
std::vector<ItemChange> compareReviews(const ReviewDocument &before, int64_t beforeAtMs, const ReviewDocument &after,
                                       int64_t afterAtMs);

// Evidence from the cluster into the items it answers (basis Measured, collected now). Returns the item ids set.
std::vector<std::string> applyEvidence(ReviewDocument &doc, const std::map<std::string, Evidence> &evidence);

// Evidence from the recorded training runs on the pipeline's topics: "offset-ranges", "job-ids",
// "schema-transform-versions", "source-snapshots", and "rollback" (the latest finished run still fully replayable, from
// `latestChecks`, its ranges checked against the cluster now). No run: every one of them fails, saying so.
std::map<std::string, Evidence> lineageEvidence(const std::vector<TrainingRun> &pipelineRuns,
                                                const std::vector<RangeCheck> &latestChecks, int64_t nowMs);

// The same from every recorded run: those on the snapshot's cluster that read a topic matching `pipelineTopics`,
// the latest finished one checked against the snapshot's offsets. Throws std::regex_error for a bad expression.
std::map<std::string, Evidence> pipelineLineageEvidence(const std::vector<TrainingRun> &runs,
                                                        const ClusterSnapshot &snapshot,
                                                        const std::string &pipelineTopics);

// A drill's outcome into its item: basis Drill, exercised only if the app saw the failure, passing when it recovered
// with no partition offline.
void applyDrill(ReviewDocument &doc, const DrillRecord &drill);
// A replay probe as measured evidence for a drill item (the replay drill): the failure path counts as exercised only
// when the probe put pressure on the cluster: read unthrottled for 5 s or more (the brokers, not the probe, set the
// rate), or a tailing group fell behind by more than the item's threshold (a duration in it, "60s", "5 min"; 60 s
// when it names none), in seconds of production (its peak lag / the produce rate meanwhile). It passes when no
// tailing group went over the threshold and every partition asked for could be read. Throws std::invalid_argument
// for an item the review lacks or one that is not a drill.
void applyProbe(ReviewDocument &doc, const std::string &item, const ProbeResult &probe);

struct ScoreLine
{
    const ReviewPass *pass = nullptr;
    const ReviewItem *item = nullptr;
    ItemStatus status;
};
std::vector<ScoreLine> scorecard(const ReviewDocument &doc, int64_t nowMs);

std::string reviewMarkdown(const ReviewDocument &doc, int64_t nowMs);
std::string reviewHtml(const ReviewDocument &doc, int64_t nowMs);

} // namespace kp
