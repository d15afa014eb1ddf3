#include "kafka/offsetlookup.h"

#include <stdexcept>

namespace kp {

std::map<TopicPartition, OffsetAnswer> offsetsForTimes(KafkaClient &client, const std::vector<TopicPartition> &parts,
                                                       int64_t timestampMs, int timeoutMs, size_t batch)
{
    std::map<TopicPartition, OffsetAnswer> out;
    batch = std::max<size_t>(1, batch);
    for (size_t i = 0; i < parts.size(); i += batch) {
        const size_t end = std::min(parts.size(), i + batch);
        rdk::PartitionList list(rd_kafka_topic_partition_list_new(int(end - i)));
        for (size_t k = i; k < end; ++k)
            rd_kafka_topic_partition_list_add(list.get(), parts[k].topic.c_str(), parts[k].partition)->offset =
                timestampMs;
        const auto err = rd_kafka_offsets_for_times(client.get(), list.get(), timeoutMs);
        for (int k = 0; k < list->cnt; ++k) {
            const auto &e = list->elems[k];
            OffsetAnswer a;
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR || e.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                const auto cause = err != RD_KAFKA_RESP_ERR_NO_ERROR ? err : e.err;
                a.error = rdErrorText(cause);
                if (cause == RD_KAFKA_RESP_ERR__TIMED_OUT || cause == RD_KAFKA_RESP_ERR__TRANSPORT)
                    if (const std::string bg = client.lastBackgroundError(); !bg.empty())
                        a.error += " (" + bg + ")";
            } else {
                a.offset = e.offset >= 0 ? e.offset : -1;
            }
            out[{e.topic, e.partition}] = a;
        }
    }
    return out;
}

void resolveWindowRun(TrainingRun &run, const ClusterSnapshot &snapshot, KafkaClient &client, int timeoutMs)
{
    std::vector<TopicPartition> parts;
    for (const auto &topic : run.topics)
        if (const TopicInfo *t = snapshot.topic(topic))
            for (const auto &p : t->partitions)
                parts.push_back({topic, p.partition});
    const auto atFrom = offsetsForTimes(client, parts, run.windowFromMs, timeoutMs);
    const auto atTo = offsetsForTimes(client, parts, run.windowToMs, timeoutMs);
    std::string failed;
    int failures = 0;
    run.ranges.clear();
    for (const auto &tp : parts) {
        const OffsetAnswer &a = atFrom.at(tp), &b = atTo.at(tp);
        if (!a.error.empty() || !b.error.empty()) {
            if (++failures <= 5)
                failed += (failed.empty() ? "" : "; ") + tp.topic + "-" + std::to_string(tp.partition) + ": " +
                          (a.error.empty() ? b.error : a.error);
            continue;
        }
        const PartitionInfo *p = snapshot.topic(tp.topic)->findPartition(tp.partition);
        OffsetRange r = rangeForWindow(tp.topic, tp.partition, run.windowFromMs, run.windowToMs, a.offset, b.offset,
                                       p->lowWatermark, p->highWatermark);
        r.bytes = estimatedBytes(snapshot, tp.topic, tp.partition, r.records());
        run.ranges.push_back(std::move(r));
    }
    if (failures > 0)
        throw std::runtime_error("offsets for the window could not be read for " + std::to_string(failures) +
                                 " partition(s): " + failed + (failures > 5 ? "; ..." : ""));
}

} // namespace kp
