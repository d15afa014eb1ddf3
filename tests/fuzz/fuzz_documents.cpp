// libFuzzer targets for every document a user or another tool hands the app: snapshot files, lag history files,
// workload and scenario files, plan files, pricing profiles, review files and templates, client.properties, replay
// probe results. Whatever
// the bytes, reading ends in a value or a FormatError that names the problem: never a crash, an over-read (ASan),
// undefined behaviour (UBSan), a hang, or another exception (which libFuzzer reports as a crash). Built once per
// target with KP_FUZZ_TARGET set to the parser's number (tests/fuzz/CMakeLists.txt).

#include "models/connectionprofile.h"
#include "models/costmodel.h"
#include "models/formaterror.h"
#include "models/laghistoryjson.h"
#include "models/planinputs.h"
#include "models/planoptionfile.h"
#include "models/pricing.h"
#include "models/replayprobe.h"
#include "models/review.h"
#include "models/reviewdoc.h"
#include "models/snapshotjson.h"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace {

// As readJsonFile does: bytes that are not JSON are refused before any decoder sees them.
bool parseJson(const std::string &text, nlohmann::json &doc)
{
    try {
        doc = nlohmann::json::parse(text);
        return true;
    } catch (const nlohmann::json::exception &) {
        return false;
    }
}

void readDocument(const std::string &text)
{
    nlohmann::json doc;
    switch (KP_FUZZ_TARGET) {
    case 1: // snapshot files
        if (parseJson(text, doc))
            kp::snapshotFromJson(doc);
        break;
    case 2: // lag history files
        if (parseJson(text, doc))
            kp::lagHistoryFromJson(doc);
        break;
    case 3: // workload and scenario files, then each number through the option layer's ranges
        if (parseJson(text, doc)) {
            kp::PlanOptionValues v;
            const auto kind = text.size() % 2 ? kp::PlanOptionFile::Workload : kp::PlanOptionFile::Scenario;
            kp::readPlanOptionFile(doc, kind, "fuzz.json", v);
            for (const auto &[option, value] : v.values)
                if (const kp::NumberField *f = kp::numberField(option))
                    kp::checkNumber(*f, std::stod(value));
        }
        break;
    case 4: // plan files
        kp::planFileFromJson(text);
        break;
    case 5: // pricing profiles
        kp::pricingFromJson(text);
        break;
    case 6: // review files
        kp::reviewFromJson(text);
        break;
    case 7: // review templates
        kp::reviewTemplateFromJson(text);
        break;
    case 8: // client.properties
        kp::profileFromClientProperties(text, "fuzz");
        break;
    case 9: // replay probe results (plan --replay-probe, review drill --probe, the Planner)
        if (parseJson(text, doc))
            kp::probeResultFromJson(doc);
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        readDocument(std::string(reinterpret_cast<const char *>(data), size));
    } catch (const kp::FormatError &) {
    }
    return 0;
}
