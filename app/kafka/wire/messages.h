#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// The few Kafka requests librdkafka lacks or that a raw connection needs: ApiVersions, SaslHandshake,
// SaslAuthenticate and DescribeLogDirs (ApiKey 35). Encoders return the request body after the header; decoders take
// the response body after the header and throw ProtocolError on anything malformed.
namespace kp::wire {

enum ApiKey : int16_t {
    kFetch = 1,
    kListOffsets = 2,
    kMetadata = 3,
    kOffsetFetch = 9,
    kFindCoordinator = 10,
    kDescribeGroups = 15,
    kListGroups = 16,
    kSaslHandshake = 17,
    kApiVersions = 18,
    kDescribeConfigs = 32,
    kDescribeLogDirs = 35,
    kSaslAuthenticate = 36,
    kConsumerGroupDescribe = 69,
};

struct VersionRange
{
    int16_t min = 0;
    int16_t max = -1;
};

// The highest version both sides speak, or -1.
int16_t pickVersion(const std::map<int16_t, VersionRange> &broker, int16_t api, int16_t ourMin, int16_t ourMax);

// Whether a request/response of this API version uses the flexible (compact, tagged) encoding.
bool isFlexible(int16_t api, int16_t version);

std::string encodeRequestHeader(int16_t api, int16_t version, int32_t correlationId, const std::string &clientId);

struct ApiVersionsResponse
{
    int16_t errorCode = 0;
    std::map<int16_t, VersionRange> apis;
};
std::string encodeApiVersionsRequest();                                 // v0: an empty body
ApiVersionsResponse decodeApiVersionsResponse(const std::string &body); // v0

struct SaslHandshakeResponse
{
    int16_t errorCode = 0;
    std::vector<std::string> mechanisms;
};
std::string encodeSaslHandshakeRequest(const std::string &mechanism); // v1
SaslHandshakeResponse decodeSaslHandshakeResponse(const std::string &body);

struct SaslAuthenticateResponse
{
    int16_t errorCode = 0;
    std::string errorMessage;
    std::string authBytes;
    int64_t sessionLifetimeMs = 0;
};
std::string encodeSaslAuthenticateRequest(int16_t version, const std::string &authBytes); // v0..v2
SaslAuthenticateResponse decodeSaslAuthenticateResponse(int16_t version, const std::string &body);

struct LogDirPartition
{
    std::string topic;
    int32_t partition = -1;
    int64_t sizeBytes = 0;
    int64_t offsetLag = 0;
    bool isFuture = false;
};

struct LogDirResult
{
    int16_t errorCode = 0;
    std::string path;
    int64_t totalBytes = -1;  // v4+
    int64_t usableBytes = -1; // v4+
    std::vector<LogDirPartition> partitions;
};

struct DescribeLogDirsResponse
{
    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0; // v3+
    std::vector<LogDirResult> results;
};

// topics empty = all topics (a null array on the wire). Versions 1 to 4.
std::string encodeDescribeLogDirsRequest(int16_t version);
DescribeLogDirsResponse decodeDescribeLogDirsResponse(int16_t version, const std::string &body);

// Fetch v4 (the oldest version Kafka 4 still answers, non-flexible), used only to measure record batches on disk for
// size estimates: the records are never decoded, only their batch headers read.
struct FetchPartitionRequest
{
    std::string topic;
    int32_t partition = -1;
    int64_t offset = 0;
    int32_t maxBytes = 65536;
};
std::string encodeFetchRequest(const std::vector<FetchPartitionRequest> &partitions, int32_t maxWaitMs,
                               int32_t maxBytes);

struct FetchPartitionResponse
{
    std::string topic;
    int32_t partition = -1;
    int16_t errorCode = 0;
    int64_t highWatermark = -1;
    std::string records; // raw record batches, possibly ending in a partial one
};
struct FetchResponse
{
    int32_t throttleTimeMs = 0;
    std::vector<FetchPartitionResponse> partitions;
};
FetchResponse decodeFetchResponse(const std::string &body); // v4

// What record batches take on disk: their bytes (headers and compressed records, as the log stores them) and the
// offsets they span, from their headers. A partial batch at the end (a fetch cut at its byte limit) counts when its
// header is whole; a malformed batch throws.
struct BatchStats
{
    int64_t bytes = 0;
    int64_t offsets = 0;
    int64_t batches = 0;
};
BatchStats summarizeRecordBatches(const std::string &records);

// OffsetFetch v5 (non-flexible) for one group and every topic it committed on: the committed offsets, read straight
// from the group coordinator. librdkafka 2.0.2's ListConsumerGroupOffsets crashes (NULL group handle) when a
// coordinator answers NOT_COORDINATOR, as it does while it shuts down (librdkafka#5040).
std::string encodeOffsetFetchRequest(const std::string &group); // v5, topics null = all
struct OffsetFetchPartition
{
    std::string topic;
    int32_t partition = -1;
    int64_t committed = -1; // -1: none
    int16_t errorCode = 0;
};
struct OffsetFetchResponse
{
    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0;
    std::vector<OffsetFetchPartition> partitions;
};
OffsetFetchResponse decodeOffsetFetchResponse(const std::string &body); // v5

// FindCoordinator v2 (non-flexible) for a group.
std::string encodeFindCoordinatorRequest(const std::string &group);
struct FindCoordinatorResponse
{
    int16_t errorCode = 0;
    std::string errorMessage;
    int32_t nodeId = -1;
    std::string host;
    int32_t port = -1;
};
FindCoordinatorResponse decodeFindCoordinatorResponse(const std::string &body); // v2

// ListOffsets v6 to v9 (flexible, one layout) for one timestamp on many partitions of one leader. Used with -2
// (earliest) and -1 (latest: the high watermark, as a consumer reading uncommitted data sees it) for the watermarks,
// and with -4 (EARLIEST_LOCAL, KIP-1005, v8+): the first offset still in the broker's local log of a tiered topic; the
// offsets below it live in the remote tier only.
inline constexpr int64_t kEarliestTimestamp = -2;
inline constexpr int64_t kLatestTimestamp = -1;
inline constexpr int64_t kEarliestLocalTimestamp = -4;
struct ListOffsetsPartitionRequest
{
    std::string topic;
    int32_t partition = -1;
};
std::string encodeListOffsetsRequest(int16_t version, const std::vector<ListOffsetsPartitionRequest> &partitions,
                                     int64_t timestamp);
struct ListOffsetsPartitionResponse
{
    std::string topic;
    int32_t partition = -1;
    int16_t errorCode = 0;
    int64_t offset = -1;
};
std::vector<ListOffsetsPartitionResponse> decodeListOffsetsResponse(int16_t version, const std::string &body);

// ListGroups v3 to v5 (flexible), no filter: every group the broker coordinates. v4 adds the state, v5 the type
// (KIP-848: "classic", "consumer", and on newer brokers "share", "streams"; kept as the broker spells it).
struct ListedGroup
{
    std::string groupId;
    std::string protocolType; // "consumer" for consumer groups of either protocol, "" for a group that only commits
    std::string state;        // v4+, else empty
    std::string type;         // v5+, else empty
};
struct ListGroupsResponse
{
    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0;
    std::vector<ListedGroup> groups;
};
std::string encodeListGroupsRequest(int16_t version);
ListGroupsResponse decodeListGroupsResponse(int16_t version, const std::string &body);

// ConsumerGroupDescribe v0 and v1 (API 69, flexible): groups of the consumer protocol (KIP-848), with each member's
// epoch, current and target assignment. A classic group is answered with GROUP_ID_NOT_FOUND. v1 adds the member type.
struct AssignedPartitions
{
    std::string topic;
    std::vector<int32_t> partitions;
};
struct ConsumerGroupMemberDescription
{
    std::string memberId;
    std::optional<std::string> instanceId;
    std::optional<std::string> rackId;
    int32_t memberEpoch = -1;
    std::string clientId;
    std::string clientHost;
    std::vector<std::string> subscribedTopics;
    std::optional<std::string> subscribedRegex;
    std::vector<AssignedPartitions> assignment;
    std::vector<AssignedPartitions> targetAssignment;
    int8_t memberType = -1; // v1+: 0 classic (a classic member in a consumer group), 1 consumer; -1 unknown
};
struct ConsumerGroupDescription
{
    int16_t errorCode = 0;
    std::string errorMessage;
    std::string groupId;
    std::string state;
    int32_t groupEpoch = -1;
    int32_t assignmentEpoch = -1;
    std::string assignor;
    std::vector<ConsumerGroupMemberDescription> members;
};
std::string encodeConsumerGroupDescribeRequest(const std::vector<std::string> &groups); // the same in v0 and v1
std::vector<ConsumerGroupDescription> decodeConsumerGroupDescribeResponse(int16_t version, const std::string &body);

// Kafka error codes this module names; anything else is "error code N".
std::string errorName(int16_t code);

} // namespace kp::wire
