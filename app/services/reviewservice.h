#pragma once

// Readiness reviews for the command line and the Review page alike: a new review from a template (the bundled one by
// default), review files, and the evidence a look at the cluster gives. The bundled template is built into this
// library (:/review/readiness.json).

#include "models/clustersnapshot.h"
#include "models/review.h"
#include "models/reviewdoc.h"
#include "store/database.h"

#include <QString>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kp {

ReviewTemplate bundledReviewTemplate();                     // std::runtime_error when the build lacks it
ReviewTemplate reviewTemplateFile(const std::string &path); // FormatError naming the file and the field
// A new review named `name` from `tmpl`, for the pipeline `inputs` describe.
ReviewDocument newReviewFrom(const ReviewTemplate &tmpl, const std::string &name, const ReviewInputs &inputs = {});

ReviewDocument loadReviewFile(const std::string &path); // FormatError naming the file and the field
// Stamps the review's updated time and writes it whole (writeFileAtomically); std::runtime_error naming the path.
void saveReviewFile(const std::string &path, ReviewDocument &doc, int64_t nowMs);

// The evidence a look at the cluster gives for the review's inputs: the automatic evidence (autoEvidence) and the
// lineage of the training runs in the store at `dbPath` that read the pipeline's topics (none when `dbPath` is
// empty). std::invalid_argument when the inputs cannot be used (a pipeline-topics pattern that is not a regex).
std::map<std::string, Evidence> clusterEvidence(const ClusterSnapshot &look, const ReviewInputs &inputs,
                                                const QString &dbPath);

// The reviews kept in the local store, by name, through a connection of its own (make one on the thread that uses it,
// one per job). Calls throw what the store throws (StoreError) or, for a stored text that is not a review,
// FormatError.
class StoredReviews
{
public:
    struct Loaded
    {
        ReviewDocument doc;
        int64_t revision = 0;
    };
    explicit StoredReviews(const QString &dbPath) : m_db(dbPath) {} // opens the store (StoreError)
    std::vector<std::string> names();
    std::optional<Loaded> load(const std::string &name); // none when there is no such review
    // Over revision `basedOn` (0: new to the store); the new revision. StoreConflict when someone saved meanwhile.
    int64_t save(const std::string &name, const ReviewDocument &doc, int64_t basedOn);

private:
    Database m_db;
};

} // namespace kp
