#include "models/openlineage.h"

#include "models/snapshotjson.h"

#include <QUuid>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

namespace kp {

namespace {

using nlohmann::json;

constexpr const char *kProducer = "https://github.com/kafka-planner/kafka-planner";
constexpr const char *kRunEventSchema = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
constexpr const char *kJobTypeSchema =
    "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet";
constexpr const char *kNominalTimeSchema =
    "https://openlineage.io/spec/facets/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet";
constexpr const char *kOwnSchemas = "https://github.com/kafka-planner/kafka-planner/blob/main/docs/openlineage/";

json facet(const std::string &schemaUrl)
{
    return {{"_producer", kProducer}, {"_schemaURL", schemaUrl}};
}

std::string isoOrEmpty(int64_t ms)
{
    return ms >= 0 ? formatIsoTime(ms) : std::string();
}

// Only a finished run's ranges have an end: an open group run's START names where it begins.
json rangeJson(const OffsetRange &r, bool withEnd)
{
    json j{{"partition", r.partition}, {"start", r.start}, {"startTime", isoOrEmpty(r.startTimeMs)}};
    if (withEnd) {
        j["end"] = r.end;
        j["records"] = r.records();
        j["endTime"] = isoOrEmpty(r.endTimeMs);
        if (r.bytes >= 0)
            j["bytesEstimated"] = r.bytes;
    }
    if (r.startClipped)
        j["startClipped"] = true;
    return j;
}

json inputsJson(const TrainingRun &run, bool withEnd)
{
    json inputs = json::array();
    for (const auto &topic : run.topics) {
        json ranges = json::array();
        for (const auto &r : run.ranges)
            if (r.topic == topic)
                ranges.push_back(rangeJson(r, withEnd));
        json offsets = facet(std::string(kOwnSchemas) + "OffsetRangesInputDatasetFacet.json");
        offsets["clusterId"] = run.clusterId;
        offsets["basis"] = toString(run.basis);
        offsets["ranges"] = std::move(ranges);
        inputs.push_back({{"namespace", kafkaDatasetNamespace(run.bootstrap)},
                          {"name", topic},
                          {"inputFacets", {{"kafkaPlanner_offsetRanges", std::move(offsets)}}}});
    }
    return inputs;
}

json runFacets(const TrainingRun &run)
{
    json training = facet(std::string(kOwnSchemas) + "TrainingRunRunFacet.json");
    training["plannerRunId"] = run.id;
    training["jobId"] = run.jobId;
    training["model"] = run.model;
    training["basis"] = toString(run.basis);
    training["schemaVersions"] = run.schemaVersions;
    training["transformVersion"] = run.transformVersion;
    training["sourceSnapshots"] = run.snapshotIds;
    training["notes"] = run.notes;
    if (!run.open())
        training["records"] = run.records();
    json facets;
    if (run.basis == RunBasis::TimeWindow) {
        json nominal = facet(kNominalTimeSchema);
        nominal["nominalStartTime"] = formatIsoTime(run.windowFromMs);
        nominal["nominalEndTime"] = formatIsoTime(run.windowToMs);
        facets["nominalTime"] = std::move(nominal);
    } else {
        training["group"] = run.group;
    }
    facets["kafkaPlanner_trainingRun"] = std::move(training);
    return facets;
}

json jobFacets()
{
    json type = facet(kJobTypeSchema);
    type["processingType"] = "BATCH";
    type["integration"] = "KAFKA_PLANNER";
    type["jobType"] = "TRAINING_RUN";
    return {{"jobType", std::move(type)}};
}

} // namespace

const char *toString(LineageEventType t)
{
    return t == LineageEventType::Start ? "START" : "COMPLETE";
}

std::string kafkaDatasetNamespace(const std::string &bootstrap)
{
    std::string first = bootstrap.substr(0, bootstrap.find(','));
    first.erase(0, first.find_first_not_of(' '));
    first.erase(first.find_last_not_of(' ') + 1);
    return "kafka://" + first;
}

std::string lineageEvent(const TrainingRun &run, LineageEventType type, const std::string &jobNamespace)
{
    const bool complete = type == LineageEventType::Complete;
    const int64_t at = complete ? std::max(run.startedAtMs, run.finishedAtMs) : run.startedAtMs;
    json event{{"eventType", toString(type)},
               {"eventTime", formatIsoTime(at)},
               {"producer", kProducer},
               {"schemaURL", kRunEventSchema},
               {"run", {{"runId", run.lineageId}, {"facets", runFacets(run)}}},
               {"job",
                {{"namespace", jobNamespace.empty() ? std::string(kDefaultJobNamespace) : jobNamespace},
                 {"name", run.jobId},
                 {"facets", jobFacets()}}},
               {"inputs", inputsJson(run, !run.open())},
               {"outputs", json::array({{{"namespace", "model"}, {"name", run.model}}})}};
    return event.dump();
}

std::string newLineageRunId(int64_t nowMs)
{
    static thread_local std::mt19937_64 random{std::random_device{}()};
    unsigned char b[16];
    const uint64_t ms = uint64_t(nowMs);
    for (int i = 0; i < 6; ++i)
        b[i] = (unsigned char)(ms >> (40 - 8 * i));
    const uint64_t r1 = random(), r2 = random();
    b[6] = (unsigned char)r1;
    b[7] = (unsigned char)(r1 >> 8);
    for (int i = 0; i < 8; ++i)
        b[8 + i] = (unsigned char)(r2 >> (8 * i));
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0f)); // version 7
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f)); // RFC 4122 variant
    return QUuid::fromRfc4122(QByteArrayView(b, 16)).toString(QUuid::WithoutBraces).toStdString();
}

std::string legacyLineageRunId(const std::string &clusterId, int64_t runId)
{
    // A fixed namespace for these ids: the version 5 UUID of the producer URL in the URL namespace.
    static const QUuid ns =
        QUuid::createUuidV5(QUuid(QStringLiteral("6ba7b811-9dad-11d1-80b4-00c04fd430c8")), QByteArray(kProducer));
    const QByteArray name = QByteArray::fromStdString(clusterId + "/" + std::to_string(runId));
    return QUuid::createUuidV5(ns, name).toString(QUuid::WithoutBraces).toStdString();
}

} // namespace kp
