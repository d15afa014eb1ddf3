#include "models/drill.h"

#include "models/clustersnapshot.h"

#include <algorithm>
#include <regex>

namespace kp {

DrillSample drillSample(const ClusterSnapshot &s, const std::map<std::string, int32_t> *previous,
                        std::map<std::string, int32_t> &leaders, const std::string &pipelineTopics)
{
    DrillSample d;
    d.takenAtMs = s.takenAtMs;
    d.brokers = int(s.brokers.size());
    leaders.clear();
    for (const auto &t : s.topics)
        for (const auto &p : t.partitions) {
            if (p.offline())
                ++d.offline;
            else if (p.underReplicated())
                ++d.underReplicated;
            const std::string key = t.name + "/" + std::to_string(p.partition);
            leaders[key] = p.leader;
            if (previous)
                if (auto it = previous->find(key); it != previous->end() && it->second != p.leader)
                    ++d.leaderMoves;
        }
    std::regex re;
    try {
        re = std::regex(pipelineTopics.empty() ? std::string(".*") : pipelineTopics);
    } catch (const std::regex_error &) {
        re = std::regex(".*");
    }
    int64_t lag = 0;
    bool any = false, unknown = false;
    for (const auto &g : s.groups)
        for (const auto &o : g.offsets) {
            if (!std::regex_search(o.topic.str(), re))
                continue;
            any = true;
            if (o.lag < 0)
                unknown = true;
            else
                lag += o.lag;
        }
    d.pipelineLag = any && !unknown ? lag : (any ? lag : -1);
    for (const auto &pr : s.problems)
        d.notes.push_back(pr.step + (pr.subject.empty() ? "" : " " + pr.subject) + ": " + pr.message);
    return d;
}

DrillSummary summarizeDrill(const std::vector<DrillSample> &samples)
{
    DrillSummary m;
    m.samples = int(samples.size());
    if (samples.empty())
        return m;
    m.startedAtMs = samples.front().takenAtMs;
    m.endedAtMs = samples.back().takenAtMs;
    m.brokersAtStart = 0;
    for (const auto &d : samples)
        m.brokersAtStart = std::max(m.brokersAtStart, d.brokers); // the whole cluster, even if a drill began late
    m.fewestBrokers = m.brokersAtStart;
    for (const auto &d : samples) {
        m.fewestBrokers = std::min(m.fewestBrokers, d.brokers);
        m.maxUnderReplicated = std::max(m.maxUnderReplicated, d.underReplicated);
        m.maxOffline = std::max(m.maxOffline, d.offline);
        m.leaderMoves += d.leaderMoves;
        m.maxPipelineLag = std::max(m.maxPipelineLag, d.pipelineLag);
        const bool failing = d.brokers < m.brokersAtStart || d.underReplicated > 0 || d.offline > 0;
        if (failing && m.failureAtMs < 0)
            m.failureAtMs = d.takenAtMs;
        if (failing)
            m.recoveredAtMs = -1;
        else if (m.failureAtMs >= 0 && m.recoveredAtMs < 0)
            m.recoveredAtMs = d.takenAtMs;
    }
    m.failureSeen = m.failureAtMs >= 0 || m.leaderMoves > 0;
    return m;
}

std::string DrillSummary::describe() const
{
    std::string s = std::to_string(samples) + " samples over " + std::to_string((endedAtMs - startedAtMs) / 1000) +
                    " s: brokers " + std::to_string(brokersAtStart) + " -> fewest " + std::to_string(fewestBrokers) +
                    ", at most " + std::to_string(maxUnderReplicated) + " under-replicated and " +
                    std::to_string(maxOffline) + " offline partition(s), " + std::to_string(leaderMoves) +
                    " leader move(s)";
    if (maxPipelineLag >= 0)
        s += ", pipeline lag at most " + std::to_string(maxPipelineLag);
    if (!failureSeen)
        s += "; nothing failed: the failure path was not exercised";
    else if (recoveredAtMs >= 0)
        s += "; recovered in " + std::to_string(recoverySeconds()) + " s";
    else if (failureAtMs >= 0)
        s += "; not recovered when the drill ended";
    return s;
}

} // namespace kp
