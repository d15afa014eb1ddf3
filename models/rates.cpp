#include "models/rates.h"

#include <algorithm>

namespace kp {

size_t lastResetOf(std::span<const SizedPoint> points)
{
    return lastDropIn(points, &SizedPoint::endOffset);
}

Rate produceRate(std::span<const SizedPoint> all, int64_t retainedMessages)
{
    // From the last reset on (a topic recreated or truncated starts over).
    const size_t start = lastResetOf(all);
    Rate r;
    if (all.size() - start < 2)
        return r;
    const SizedPoint &a = all[start];
    const SizedPoint &b = all.back();
    if (b.timeMs <= a.timeMs || a.endOffset < 0)
        return r;
    const double seconds = double(b.timeMs - a.timeMs) / 1000.0;
    r.known = true;
    r.messagesPerSecond = double(b.endOffset - a.endOffset) / seconds;
    if (b.sizeBytes >= 0 && retainedMessages > 0) {
        r.bytesPerSecond = r.messagesPerSecond * double(b.sizeBytes) / double(retainedMessages);
        r.bytesKnown = true;
    } else if (r.messagesPerSecond == 0) {
        r.bytesKnown = true; // nothing written: zero bytes whatever the record size
    }
    return r;
}

double consumeRate(std::span<const CommitPoint> commits)
{
    if (commits.size() < 2 || commits.back().timeMs <= commits.front().timeMs)
        return 0;
    const double moved = double(commits.back().offset - commits.front().offset);
    return std::max(0.0, moved) / (double(commits.back().timeMs - commits.front().timeMs) / 1000.0);
}

namespace {

// Adds a known partition rate; the sum's bytes are known only when every part's are.
void add(Rate &into, const Rate &r)
{
    if (!into.known) {
        into = r;
        return;
    }
    into.messagesPerSecond += r.messagesPerSecond;
    into.bytesPerSecond += r.bytesPerSecond;
    into.bytesKnown = into.bytesKnown && r.bytesKnown;
}

} // namespace

RateTotals aggregateRates(const ClusterSnapshot &current, const std::map<TopicPartition, Rate> &partitions)
{
    RateTotals out;
    out.partitions = partitions;
    for (const auto &t : current.topics) {
        for (const auto &p : t.partitions) {
            auto it = partitions.find({t.name, p.partition});
            if (it == partitions.end() || !it->second.known)
                continue;
            add(out.topics[t.name], it->second);
            if (p.leader < 0)
                continue;
            add(out.brokers[p.leader], it->second);
            const BrokerInfo *b = current.broker(p.leader);
            add(out.racks[b && b->rackKnown ? (b->rack.empty() ? "(no rack)" : b->rack) : "(unknown)"], it->second);
        }
    }
    return out;
}

} // namespace kp
