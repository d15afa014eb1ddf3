#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The cluster's shape over the app's own wire client: Metadata v9 to v12 (brokers with racks, the cluster id, every
// topic with its topic id and partitions) and DescribeConfigs v1 to v4 (named keys of topics and brokers). Encoders
// return the request body after the header; decoders take the response body after the header and throw ProtocolError
// on anything malformed.
namespace kp::wire {

// A topic id as Kafka prints it (22 characters of URL-safe base64, as in kafka-topics.sh --describe); empty for the
// null id (all zero: a broker older than Metadata v10).
std::string uuidText(const std::string &sixteenBytes);

struct MetadataBroker
{
    int32_t nodeId = -1;
    std::string host;
    int32_t port = -1;
    std::optional<std::string> rack;
};
struct MetadataPartition
{
    int16_t errorCode = 0;
    int32_t partition = -1;
    int32_t leader = -1;
    int32_t leaderEpoch = -1;
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
    std::vector<int32_t> offlineReplicas;
};
struct MetadataTopic
{
    int16_t errorCode = 0;
    std::string name;
    std::string topicId; // uuidText; empty before v10
    bool internal = false;
    std::vector<MetadataPartition> partitions;
};
struct MetadataResponse
{
    std::vector<MetadataBroker> brokers;
    std::optional<std::string> clusterId;
    int32_t controllerId = -1;
    std::vector<MetadataTopic> topics;
};
// allTopics false asks for no topic (brokers and cluster id only: the cheapest proof that a broker answers).
std::string encodeMetadataRequest(int16_t version, bool allTopics);
MetadataResponse decodeMetadataResponse(int16_t version, const std::string &body);

enum class ConfigResourceType : int8_t { Topic = 2, Broker = 4 };
struct ConfigResourceRequest
{
    ConfigResourceType type = ConfigResourceType::Topic;
    std::string name;
};
struct ConfigResourceResult
{
    int16_t errorCode = 0;
    std::string errorMessage;
    ConfigResourceType type = ConfigResourceType::Topic;
    std::string name;
    std::vector<std::pair<std::string, std::optional<std::string>>> configs; // value null: sensitive or unset
};
// keys: only these configuration keys (an empty list asks for all of them).
std::string encodeDescribeConfigsRequest(int16_t version, const std::vector<ConfigResourceRequest> &resources,
                                         const std::vector<std::string> &keys);
std::vector<ConfigResourceResult> decodeDescribeConfigsResponse(int16_t version, const std::string &body);

} // namespace kp::wire
