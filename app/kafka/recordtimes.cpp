#include "kafka/recordtimes.h"

#include "kafka/kafkaclient.h"

#include <algorithm>
#include <chrono>
#include <memory>

namespace kp {

namespace {

using Topic = std::unique_ptr<rd_kafka_topic_t, rdk::Deleter<rd_kafka_topic_t, rd_kafka_topic_destroy>>;
using Message = std::unique_ptr<rd_kafka_message_t, rdk::Deleter<rd_kafka_message_t, rd_kafka_message_destroy>>;
using Clock = std::chrono::steady_clock;

const char *kNotAnswered = "not answered in time";

} // namespace

std::map<PartitionOffset, RecordTime> recordTimesAt(const ConnectionProfile &profile,
                                                    const std::set<PartitionOffset> &offsets, int timeoutMs,
                                                    const std::atomic<bool> *cancel)
{
    std::map<PartitionOffset, RecordTime> result;
    for (const auto &po : offsets)
        result[po].error = kNotAnswered;
    if (offsets.empty())
        return result;
    ConnectionProfile peek = profile;
    // Small fetches: 64 KiB a partition (a larger first batch still comes whole), 8 MiB a response.
    // (queued.min.messages at 1 to stop prefetching made half the partitions wait a second's fetch backoff: 1,045 ms
    // instead of 68 for 1,892 partitions; the partitions are stopped as soon as their record is in anyway.)
    peek.extra["max.partition.fetch.bytes"] = "65536";
    peek.extra["fetch.max.bytes"] = "8388608";
    peek.extra["auto.offset.reset"] = "error"; // an offset the log no longer holds is reported, not skipped
    KafkaClient client(peek, "record-times");
    rd_kafka_t *rk = client.get();
    rdk::Queue queue(rd_kafka_queue_new(rk));
    std::map<std::string, Topic> topics;
    auto topicHandle = [&](const std::string &name) {
        auto &t = topics[name];
        if (!t)
            t.reset(rd_kafka_topic_new(rk, name.c_str(), nullptr));
        return t.get();
    };
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    auto stopped = [&] { return Clock::now() >= deadline || (cancel && cancel->load()); };

    // In turns: the lowest offset not yet read of every partition (a partition is consumed from one place at a time).
    std::set<PartitionOffset> left = offsets;
    while (!left.empty() && !stopped()) {
        std::map<std::pair<rd_kafka_topic_t *, int32_t>, PartitionOffset> started;
        for (auto it = left.begin(); it != left.end();) {
            const PartitionOffset po = *it;
            it = left.erase(it);
            while (it != left.end() && it->first == po.first)
                ++it; // a later turn
            rd_kafka_topic_t *rkt = topicHandle(po.first.topic);
            if (!rkt || rd_kafka_consume_start_queue(rkt, po.first.partition, po.second, queue.get()) == -1) {
                result[po].error = rdErrorText(rd_kafka_last_error());
                continue;
            }
            started.emplace(std::make_pair(rkt, po.first.partition), po);
        }
        size_t open = started.size();
        while (open > 0 && !stopped()) {
            Message m(rd_kafka_consume_queue(queue.get(), 100));
            if (!m || !m->rkt || m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
                continue;
            auto it = started.find({m->rkt, m->partition});
            if (it == started.end())
                continue;
            RecordTime &r = result[it->second];
            if (r.error != kNotAnswered)
                continue; // answered already; a prefetched record behind it
            if (!m->err && m->offset < it->second.second)
                continue; // not the record asked for (librdkafka drops a restarted partition's old fetches anyway)
            --open;
            if (m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE || m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
                r.error =
                    "offset " + std::to_string(it->second.second) + " is no longer in the log (retention deleted it)";
            } else if (m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
                r.error = "not allowed to read the topic (it needs a Read ACL): " + rdErrorText(m->err);
            } else if (m->err) {
                r.error = rdErrorText(m->err);
            } else {
                rd_kafka_timestamp_type_t type;
                r.offset = m->offset;
                r.timestampMs = rd_kafka_message_timestamp(m.get(), &type);
                r.error = r.timestampMs >= 0 ? std::string() : std::string("the record carries no timestamp");
            }
        }
        for (const auto &[key, po] : started)
            rd_kafka_consume_stop(key.first, key.second);
        // A message of a stopped partition may still sit in the queue: the next turn must not take it for its own.
        while (Message m{rd_kafka_consume_queue(queue.get(), 0)}) {
        }
    }
    if (cancel && cancel->load())
        for (auto &[po, r] : result)
            if (r.error == kNotAnswered)
                r.error = "cancelled";
    return result;
}

RecordTimeLag timeLagFromRecord(const TopicPartition &tp, int64_t committed, int64_t lag,
                                const std::map<PartitionOffset, RecordTime> &times, int64_t nowMs)
{
    RecordTimeLag out;
    if (lag == 0) {
        out.seconds = 0.0;
        return out;
    }
    auto it = times.find({tp, committed});
    if (it == times.end()) {
        out.why = committed < 0 ? "no committed offset" : "the record was not read";
        return out;
    }
    if (!it->second.error.empty()) {
        out.why = it->second.error;
        return out;
    }
    out.record = &it->second;
    out.seconds = double(std::max<int64_t>(0, nowMs - it->second.timestampMs)) / 1000.0;
    return out;
}

} // namespace kp
