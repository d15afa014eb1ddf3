#pragma once

#include "models/lagevaluator.h"
#include "models/refreshwave.h"

#include <nlohmann/json_fwd.hpp>
#include <string>

// The lag-history file that `kafka-planner lag --evaluate FILE` reads (documented in README.md, "Lag history files"),
// and the evaluation it prints.
namespace kp {

struct LagHistory
{
    int64_t nowMs = 0;
    LagRules rules;
    std::vector<std::pair<std::string, std::vector<PartitionHistory>>> groups;
};

LagHistory lagHistoryFromJson(const nlohmann::json &doc); // throws FormatError naming the JSON path
LagHistory loadLagHistoryFile(const std::string &path);
nlohmann::json evaluationToJson(const GroupEvaluation &group);
// A group's refresh wave in `lag --history` (README, "Refresh waves"): what it replayed, how fast, when it caught up,
// its cross-AZ bytes and what it did to the other groups on its topics.
nlohmann::json refreshWaveToJson(const RefreshWave &wave, const std::vector<WaveEffect> &effects,
                                 const WaveCrossAz &crossAz);

// Accepts epoch milliseconds (an integer) or an ISO 8601 UTC time ("2026-11-26T10:00:00Z", fractions allowed).
int64_t parseTimeMs(const std::string &iso); // throws FormatError

} // namespace kp
