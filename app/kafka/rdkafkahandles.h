#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>

// Every librdkafka handle the app holds lives in one of these: nothing is freed by hand.
namespace kp::rdk {

template <typename T, void (*Destroy)(T *)> struct Deleter
{
    void operator()(T *p) const noexcept
    {
        if (p)
            Destroy(p);
    }
};

inline void destroyMetadata(const rd_kafka_metadata_t *md)
{
    rd_kafka_metadata_destroy(md);
}

using Handle = std::unique_ptr<rd_kafka_t, Deleter<rd_kafka_t, rd_kafka_destroy>>;
using Conf = std::unique_ptr<rd_kafka_conf_t, Deleter<rd_kafka_conf_t, rd_kafka_conf_destroy>>;
using Queue = std::unique_ptr<rd_kafka_queue_t, Deleter<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using Event = std::unique_ptr<rd_kafka_event_t, Deleter<rd_kafka_event_t, rd_kafka_event_destroy>>;
using AdminOptions =
    std::unique_ptr<rd_kafka_AdminOptions_t, Deleter<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>>;
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t,
                                      Deleter<rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_list_destroy>>;
using ConfigResource =
    std::unique_ptr<rd_kafka_ConfigResource_t, Deleter<rd_kafka_ConfigResource_t, rd_kafka_ConfigResource_destroy>>;
using GroupOffsetsRequest =
    std::unique_ptr<rd_kafka_ListConsumerGroupOffsets_t,
                    Deleter<rd_kafka_ListConsumerGroupOffsets_t, rd_kafka_ListConsumerGroupOffsets_destroy>>;
using Error = std::unique_ptr<rd_kafka_error_t, Deleter<rd_kafka_error_t, rd_kafka_error_destroy>>;

struct MetadataDeleter
{
    void operator()(const rd_kafka_metadata_t *md) const noexcept
    {
        if (md)
            rd_kafka_metadata_destroy(md);
    }
};
using Metadata = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

} // namespace kp::rdk
