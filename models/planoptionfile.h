#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

// `plan --workload FILE` and `plan --scenario FILE`: the plan's options written by hand as a JSON object, one key per
// option (camelCase). Each value is type-checked here and handed on as the command line would give it, so that the
// option layer checks its range (planinputs.h) naming the file and key it came from.
namespace kp {

struct FileKey
{
    const char *key;
    const char *option;
    char kind; // 'n' number, 's' string, 'b' boolean (true sets the flag), 'f' boolean (false sets the flag)
};

enum class PlanOptionFile { Workload, Scenario };

const std::vector<FileKey> &planOptionFileKeys(PlanOptionFile kind);
const std::vector<std::string> &scenarioKinds(); // replay, cadence, scale, failure

struct PlanOptionValues
{
    std::map<std::string, std::string> values; // option -> value as the command line would give it
    std::map<std::string, std::string> origin; // option -> "FILE: key"
    std::vector<std::string> scenarios;        // a scenario file's "scenarios", in order
};

// Adds one file's options to `into` (a later file wins). Throws FormatError naming the key.
void readPlanOptionFile(const nlohmann::json &doc, PlanOptionFile kind, const std::string &path,
                        PlanOptionValues &into);

} // namespace kp
