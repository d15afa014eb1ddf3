#include "services/reviewservice.h"

#include "models/atomicfile.h"
#include "models/jsonreader.h"
#include "store/database.h"
#include "store/reviewstore.h"
#include "store/runstore.h"

#include <QFile>
#include <stdexcept>

namespace kp {

ReviewTemplate bundledReviewTemplate()
{
    QFile bundled(QStringLiteral(":/review/readiness.json"));
    if (!bundled.open(QIODevice::ReadOnly))
        throw std::runtime_error("the bundled review template is missing from this build");
    return reviewTemplateFromJson(bundled.readAll().toStdString());
}

ReviewTemplate reviewTemplateFile(const std::string &path)
{
    return decodeJsonFile(path, [](const nlohmann::json &doc) { return reviewTemplateFromJson(doc.dump()); });
}

ReviewDocument newReviewFrom(const ReviewTemplate &tmpl, const std::string &name, const ReviewInputs &inputs)
{
    ReviewDocument doc = newReview(tmpl, name);
    doc.inputs = inputs;
    return doc;
}

ReviewDocument loadReviewFile(const std::string &path)
{
    return decodeJsonFile(path, [](const nlohmann::json &doc) { return reviewFromJson(doc.dump()); });
}

void saveReviewFile(const std::string &path, ReviewDocument &doc, int64_t nowMs)
{
    doc.updatedAtMs = nowMs;
    writeFileAtomically(path, reviewToJson(doc));
}

std::map<std::string, Evidence> clusterEvidence(const ClusterSnapshot &look, const ReviewInputs &inputs,
                                                const QString &dbPath)
{
    AutoEvidenceInputs in;
    in.pipelineTopics = inputs.pipelineTopics;
    in.replayWindowHours = inputs.replayWindowHours;
    in.crossAzFactorBudget = inputs.crossAzFactorBudget;
    auto evidence = autoEvidence(look, in);
    if (!dbPath.isEmpty()) {
        Database db(dbPath);
        for (auto &[id, e] : pipelineLineageEvidence(RunStore(db).all(), look, in.pipelineTopics))
            evidence[id] = e;
    }
    return evidence;
}

std::vector<std::string> StoredReviews::names()
{
    return ReviewStore(m_db).names();
}

std::optional<StoredReviews::Loaded> StoredReviews::load(const std::string &name)
{
    if (auto stored = ReviewStore(m_db).load(name))
        return Loaded{reviewFromJson(stored->document), stored->revision};
    return std::nullopt;
}

int64_t StoredReviews::save(const std::string &name, const ReviewDocument &doc, int64_t basedOn)
{
    return ReviewStore(m_db).save(name, reviewToJson(doc), basedOn);
}

} // namespace kp
