#pragma once

#include <cstdint>
#include <string>
#include <vector>

// Classic consumer groups over the app's own wire client: DescribeGroups v3 and v4 (API 15, non-flexible; every Kafka
// from 2.4 to 4.x answers them) for many groups a request, and the consumer protocol's member assignment it carries
// as bytes. Encoders return the request body after the header; decoders take the response body after the header and
// throw ProtocolError on anything malformed.
namespace kp::wire {

struct DescribedMember
{
    std::string memberId;
    std::string groupInstanceId; // v4+; empty when the member has none
    std::string clientId;
    std::string clientHost;
    std::string assignment; // raw bytes: a ConsumerProtocolAssignment when the protocol type is "consumer"
};
struct DescribedGroup
{
    int16_t errorCode = 0;
    std::string groupId;
    std::string state;        // Stable, Empty, PreparingRebalance, CompletingRebalance, Dead
    std::string protocolType; // "consumer"; empty for a group that only commits offsets
    std::string protocolData; // for consumer groups: the partition assignor
    std::vector<DescribedMember> members;
};
std::string encodeDescribeGroupsRequest(int16_t version, const std::vector<std::string> &groups); // v3, v4
std::vector<DescribedGroup> decodeDescribeGroupsResponse(int16_t version, const std::string &body);

// The partitions of a ConsumerProtocolAssignment (any version: they come first), in the order the bytes list them.
struct AssignedTopicPartition
{
    std::string topic;
    int32_t partition = -1;
};
std::vector<AssignedTopicPartition> decodeConsumerAssignment(const std::string &bytes);

} // namespace kp::wire

#include "kafka/wire/messages.h"

namespace kp::wire {

// OffsetFetch v8 (flexible, KIP-709): many groups a request, every topic each committed on (topics null). Each group's
// answer in the shape of v5's. Kafka 3.0 and later answer it.
std::string encodeOffsetFetchGroupsRequest(const std::vector<std::string> &groups);
struct GroupOffsetFetch
{
    std::string groupId;
    OffsetFetchResponse response; // throttle time 0; the group's error code and partitions
};
std::vector<GroupOffsetFetch> decodeOffsetFetchGroupsResponse(const std::string &body);

} // namespace kp::wire
