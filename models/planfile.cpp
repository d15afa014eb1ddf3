// A plan file (*.kpplan.json): the workload, the settings and the pricing profile's name, read back field by field.
#include "models/costmodel.h"

#include "models/formaterror.h"
#include "models/jsonreader.h"
#include "models/planinputs.h"

namespace kp {

using nlohmann::json;

std::string planFileToJson(const PlanFile &p)
{
    const Workload &w = p.workload;
    const PlanSettings &s = p.settings;
    json j{{"format", "kafka-planner-plan"},
           {"version", PlanFile::kFormatVersion},
           {"pricing", p.pricing},
           {"workload",
            {{"writeMBps", w.writeMBps},
             {"peakWriteMBps", w.peakWriteMBps},
             {"retentionHours", w.retentionHours},
             {"replicationFactor", w.replicationFactor},
             {"partitions", w.partitions},
             {"consumerGroups", w.consumerGroups},
             {"azs", w.azs},
             {"storedGB", w.storedGB},
             {"source", w.source}}},
           {"settings",
            {{"existingBrokers", s.existingBrokers},
             {"existingInstance", s.existingInstance},
             {"existingFollowerFetching", s.existingFollowerFetching},
             {"dedicatedBrokers", s.dedicatedBrokers},
             {"tieredBrokers", s.tieredBrokers},
             {"sharedStorageBrokers", s.sharedStorageBrokers},
             {"dedicatedFollowerFetching", s.dedicatedFollowerFetching},
             {"tieredFollowerFetching", s.tieredFollowerFetching},
             {"networkHeadroom", s.networkHeadroom},
             {"diskFill", s.diskFill},
             {"instanceType", s.instanceType},
             {"localRetentionHours", s.localRetentionHours},
             {"segmentMB", s.segmentMB},
             {"wal", s.wal},
             {"zoneLocalRouting", s.zoneLocalRouting}}}};
    return j.dump(2) + "\n";
}

PlanFile planFileFromJson(const std::string &text)
{
    const json doc = parseVersionedDocument(text, "kafka-planner-plan", PlanFile::kFormatVersion);
    JsonReader root(doc, "");
    PlanFile p;
    p.pricing = root.stringOr("pricing", p.pricing);
    auto number = [](const JsonReader &r, const char *key, double fallback) {
        if (!r.has(key))
            return fallback;
        const JsonReader f = r.field(key);
        const double v = f.number();
        if (const std::string e = checkNumber(key, v); !e.empty())
            f.fail(e);
        return v;
    };
    // A count: the table says it is whole and small enough for an int.
    auto integer = [&](const JsonReader &r, const char *key, int fallback) { return int(number(r, key, fallback)); };
    const JsonReader w = root.field("workload");
    w.requireObject();
    for (const char *required : {"writeMBps", "retentionHours", "replicationFactor"})
        w.field(required); // fails when missing
    p.workload.writeMBps = number(w, "writeMBps", 0);
    p.workload.peakWriteMBps = number(w, "peakWriteMBps", p.workload.writeMBps);
    p.workload.retentionHours = number(w, "retentionHours", 0);
    p.workload.replicationFactor = integer(w, "replicationFactor", 0);
    p.workload.partitions = integer(w, "partitions", 0);
    p.workload.consumerGroups = integer(w, "consumerGroups", 1);
    p.workload.azs = integer(w, "azs", 3);
    // -1 was written for "unknown, derive it" by earlier versions.
    if (!w.has("storedGB") || w.field("storedGB").value() != -1)
        p.workload.storedGB = number(w, "storedGB", -1);
    p.workload.source = w.stringOr("source", "entered by hand");
    if (root.has("settings")) {
        const JsonReader s = root.field("settings");
        s.requireObject();
        p.settings.existingBrokers = integer(s, "existingBrokers", 0);
        p.settings.existingInstance = s.stringOr("existingInstance", "");
        p.settings.existingFollowerFetching = s.booleanOr("existingFollowerFetching", false);
        p.settings.dedicatedBrokers = integer(s, "dedicatedBrokers", 0);
        p.settings.tieredBrokers = integer(s, "tieredBrokers", 0);
        p.settings.sharedStorageBrokers = integer(s, "sharedStorageBrokers", 0);
        p.settings.dedicatedFollowerFetching = s.booleanOr("dedicatedFollowerFetching", false);
        p.settings.tieredFollowerFetching = s.booleanOr("tieredFollowerFetching", false);
        p.settings.networkHeadroom = number(s, "networkHeadroom", 0.8);
        p.settings.diskFill = number(s, "diskFill", 0.8);
        p.settings.instanceType = s.stringOr("instanceType", "");
        p.settings.localRetentionHours = number(s, "localRetentionHours", 24);
        p.settings.segmentMB = number(s, "segmentMB", PlanSettings{}.segmentMB);
        p.settings.wal = s.stringOr("wal", "ebs");
        p.settings.zoneLocalRouting = s.booleanOr("zoneLocalRouting", true);
        if (p.settings.wal != "ebs" && p.settings.wal != "s3")
            s.field("wal").fail("must be \"ebs\" or \"s3\"");
    }
    return p;
}

std::string planToJson(const Plan &plan)
{
    PlanFile f{plan.workload, plan.settings, plan.pricingName};
    json j = json::parse(planFileToJson(f));
    j["format"] = "kafka-planner-plan-result";
    j["currency"] = plan.currency;
    j["architectures"] = json::array();
    for (const auto &a : plan.architectures) {
        json ja{{"architecture", a.name},
                {"brokers", a.brokers},
                {"instanceType", a.instanceType},
                {"networkHeadroom", a.headroom},
                {"monthlyTotal", a.total()},
                {"lines", json::array()},
                {"notes", a.notes}};
        for (const auto &l : a.lines)
            ja["lines"].push_back({{"item", l.item}, {"monthly", l.monthly}, {"formula", l.formula}});
        j["architectures"].push_back(std::move(ja));
    }
    return j.dump(1) + "\n";
}

} // namespace kp
