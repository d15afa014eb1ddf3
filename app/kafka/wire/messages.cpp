#include "kafka/wire/messages.h"

#include "kafka/wire/wirebuffer.h"

namespace kp::wire {

int16_t pickVersion(const std::map<int16_t, VersionRange> &broker, int16_t api, int16_t ourMin, int16_t ourMax)
{
    auto it = broker.find(api);
    if (it == broker.end())
        return -1;
    const int16_t hi = std::min(ourMax, it->second.max);
    const int16_t lo = std::max(ourMin, it->second.min);
    return hi >= lo ? hi : int16_t(-1);
}

bool isFlexible(int16_t api, int16_t version)
{
    switch (api) {
    case kApiVersions:
        return version >= 3;
    case kSaslHandshake:
        return false;
    case kSaslAuthenticate:
        return version >= 2;
    case kDescribeLogDirs:
        return version >= 2;
    case kListGroups:
        return version >= 3;
    case kDescribeGroups:
        return version >= 5;
    case kOffsetFetch:
        return version >= 6;
    case kListOffsets:
        return version >= 6;
    case kMetadata:
        return version >= 9;
    case kDescribeConfigs:
        return version >= 4;
    case kConsumerGroupDescribe:
        return true;
    default:
        return false;
    }
}

std::string encodeRequestHeader(int16_t api, int16_t version, int32_t correlationId, const std::string &clientId)
{
    Writer w;
    w.int16(api);
    w.int16(version);
    w.int32(correlationId);
    w.string(clientId); // request header v1 and v2 both keep a classic client id
    if (isFlexible(api, version))
        w.emptyTaggedFields(); // header v2
    return w.take();
}

std::string encodeApiVersionsRequest()
{
    return {};
}

ApiVersionsResponse decodeApiVersionsResponse(const std::string &body)
{
    Reader r(body);
    ApiVersionsResponse out;
    out.errorCode = r.int16();
    const int32_t n = r.arrayLength(6);
    for (int32_t i = 0; i < n; ++i) {
        const int16_t key = r.int16();
        VersionRange range;
        range.min = r.int16();
        range.max = r.int16();
        out.apis[key] = range;
    }
    // v0 ends here; a broker answering a newer version than asked is malformed for us.
    r.expectEnd();
    return out;
}

std::string encodeSaslHandshakeRequest(const std::string &mechanism)
{
    Writer w;
    w.string(mechanism);
    return w.take();
}

SaslHandshakeResponse decodeSaslHandshakeResponse(const std::string &body)
{
    Reader r(body);
    SaslHandshakeResponse out;
    out.errorCode = r.int16();
    const int32_t n = r.arrayLength(2);
    for (int32_t i = 0; i < n; ++i)
        out.mechanisms.push_back(r.string());
    r.expectEnd();
    return out;
}

std::string encodeSaslAuthenticateRequest(int16_t version, const std::string &authBytes)
{
    Writer w;
    if (isFlexible(kSaslAuthenticate, version)) {
        w.compactBytes(authBytes);
        w.emptyTaggedFields();
    } else {
        w.bytes(authBytes);
    }
    return w.take();
}

SaslAuthenticateResponse decodeSaslAuthenticateResponse(int16_t version, const std::string &body)
{
    Reader r(body);
    SaslAuthenticateResponse out;
    const bool flexible = isFlexible(kSaslAuthenticate, version);
    out.errorCode = r.int16();
    out.errorMessage = (flexible ? r.compactNullableString() : r.nullableString()).value_or(std::string());
    out.authBytes = flexible ? r.compactBytes() : r.bytes();
    if (version >= 1)
        out.sessionLifetimeMs = r.int64();
    if (flexible)
        r.skipTaggedFields();
    r.expectEnd();
    return out;
}

std::string encodeDescribeLogDirsRequest(int16_t version)
{
    Writer w;
    if (isFlexible(kDescribeLogDirs, version)) {
        w.compactArrayLength(-1); // null: every topic
        w.emptyTaggedFields();
    } else {
        w.arrayLength(-1);
    }
    return w.take();
}

DescribeLogDirsResponse decodeDescribeLogDirsResponse(int16_t version, const std::string &body)
{
    if (version < 1 || version > 4)
        throw ProtocolError("DescribeLogDirs version " + std::to_string(version) + " is not supported");
    Reader r(body);
    const bool flexible = isFlexible(kDescribeLogDirs, version);
    auto str = [&]() { return flexible ? r.compactString() : r.string(); };
    auto arrayLen = [&](size_t minBytes) {
        const int32_t n = flexible ? r.compactArrayLength(minBytes) : r.arrayLength(minBytes);
        if (n < 0)
            throw ProtocolError("null array in a DescribeLogDirs response at offset " + std::to_string(r.position()));
        return n;
    };
    DescribeLogDirsResponse out;
    out.throttleTimeMs = r.int32();
    if (version >= 3)
        out.errorCode = r.int16();
    const int32_t dirs = arrayLen(4);
    out.results.reserve(size_t(dirs));
    for (int32_t d = 0; d < dirs; ++d) {
        LogDirResult dir;
        dir.errorCode = r.int16();
        dir.path = str();
        const int32_t topics = arrayLen(3);
        for (int32_t t = 0; t < topics; ++t) {
            const std::string topic = str();
            const int32_t parts = arrayLen(21);
            for (int32_t p = 0; p < parts; ++p) {
                LogDirPartition part;
                part.topic = topic;
                part.partition = r.int32();
                part.sizeBytes = r.int64();
                part.offsetLag = r.int64();
                part.isFuture = r.boolean();
                if (part.sizeBytes < 0)
                    throw ProtocolError("negative partition size for " + topic + "-" + std::to_string(part.partition));
                if (flexible)
                    r.skipTaggedFields();
                dir.partitions.push_back(std::move(part));
            }
            if (flexible)
                r.skipTaggedFields();
        }
        if (version >= 4) {
            dir.totalBytes = r.int64();
            dir.usableBytes = r.int64();
        }
        if (flexible)
            r.skipTaggedFields();
        out.results.push_back(std::move(dir));
    }
    if (flexible)
        r.skipTaggedFields();
    r.expectEnd();
    return out;
}

namespace {

// Requests name each topic once with its partitions: runs of one topic, in the order given.
template <typename Partition>
std::vector<std::pair<std::string, std::vector<const Partition *>>> byTopic(const std::vector<Partition> &partitions)
{
    std::vector<std::pair<std::string, std::vector<const Partition *>>> topics;
    for (const auto &p : partitions) {
        if (topics.empty() || topics.back().first != p.topic)
            topics.push_back({p.topic, {}});
        topics.back().second.push_back(&p);
    }
    return topics;
}

} // namespace

std::string encodeFetchRequest(const std::vector<FetchPartitionRequest> &partitions, int32_t maxWaitMs,
                               int32_t maxBytes)
{
    const auto topics = byTopic(partitions);
    Writer w;
    w.int32(-1); // replica id: a consumer
    w.int32(maxWaitMs);
    w.int32(0); // min bytes: answer at once
    w.int32(maxBytes);
    w.int8(0); // read uncommitted: every batch on disk counts
    w.arrayLength(int32_t(topics.size()));
    for (const auto &[topic, parts] : topics) {
        w.string(topic);
        w.arrayLength(int32_t(parts.size()));
        for (const auto *p : parts) {
            w.int32(p->partition);
            w.int64(p->offset);
            w.int32(p->maxBytes);
        }
    }
    return w.take();
}

FetchResponse decodeFetchResponse(const std::string &body)
{
    Reader r(body);
    FetchResponse out;
    out.throttleTimeMs = r.int32();
    const int32_t topics = r.arrayLength(6);
    if (topics < 0)
        throw ProtocolError("null topic array in a Fetch response");
    for (int32_t t = 0; t < topics; ++t) {
        const std::string topic = r.string();
        const int32_t parts = r.arrayLength(30);
        if (parts < 0)
            throw ProtocolError("null partition array in a Fetch response");
        for (int32_t i = 0; i < parts; ++i) {
            FetchPartitionResponse p;
            p.topic = topic;
            p.partition = r.int32();
            p.errorCode = r.int16();
            p.highWatermark = r.int64();
            r.int64(); // last stable offset
            const int32_t aborted = r.arrayLength(16);
            for (int32_t a = 0; a < aborted; ++a) {
                r.int64(); // producer id
                r.int64(); // first offset
            }
            const int32_t size = r.int32();
            if (size < -1)
                throw ProtocolError("negative records size in a Fetch response");
            if (size > 0) {
                p.records = body.substr(r.position(), size_t(size));
                r.skip(size_t(size));
            }
            out.partitions.push_back(std::move(p));
        }
    }
    r.expectEnd();
    return out;
}

BatchStats summarizeRecordBatches(const std::string &records)
{
    BatchStats out;
    Reader r(records);
    // Each batch (magic 2): base offset (8), batch length (4), leader epoch (4), magic (1), crc (4), attributes (2),
    // last offset delta (4), ... ; the length counts the bytes after its own field. Magic 0 and 1 entries have the
    // same offset and length in front and span one offset each (a compressed wrapper holds more: then an estimate).
    while (r.remaining() >= 12) {
        r.int64(); // base offset
        const int32_t length = r.int32();
        if (length < 0)
            throw ProtocolError("negative record batch length");
        // A fetch ends with a partial batch (or is one, when a batch exceeds the partition's byte limit): its header
        // still tells its length and offsets, which is all this needs. A header cut short ends the list.
        const bool partial = size_t(length) > r.remaining();
        if (partial && r.remaining() < 4 + 1 + 4 + 2 + 4)
            break;
        const size_t start = r.position();
        int64_t offsets = 1;
        if (length >= 4 + 1 + 4 + 2 + 4) {
            r.int32(); // partition leader epoch (magic 2) or crc (magic 0, 1)
            const int8_t magic = r.int8();
            if (magic == 2) {
                r.int32(); // crc
                r.int16(); // attributes
                const int32_t lastOffsetDelta = r.int32();
                if (lastOffsetDelta < 0)
                    throw ProtocolError("negative last offset delta in a record batch");
                offsets = int64_t(lastOffsetDelta) + 1;
            } else if (magic != 0 && magic != 1) {
                throw ProtocolError("record batch of unknown magic " + std::to_string(magic));
            }
        } else if (length < 4 + 1) {
            throw ProtocolError("record batch shorter than its header");
        }
        // Skip the rest of the batch.
        out.bytes += 12 + int64_t(length);
        out.offsets += offsets;
        ++out.batches;
        if (partial)
            break;
        r.skip(size_t(length) - (r.position() - start));
    }
    return out;
}

std::string encodeOffsetFetchRequest(const std::string &group)
{
    Writer w;
    w.string(group);
    w.arrayLength(-1); // every topic the group committed on
    return w.take();
}

OffsetFetchResponse decodeOffsetFetchResponse(const std::string &body)
{
    Reader r(body);
    OffsetFetchResponse out;
    out.throttleTimeMs = r.int32();
    const int32_t topics = r.arrayLength(6);
    for (int32_t t = 0; t < topics; ++t) {
        const std::string topic = r.string();
        const int32_t parts = r.arrayLength(20); // partition, offset, epoch, metadata (2 when empty), error
        for (int32_t p = 0; p < parts; ++p) {
            OffsetFetchPartition o;
            o.topic = topic;
            o.partition = r.int32();
            if (o.partition < 0)
                throw ProtocolError("negative partition " + std::to_string(o.partition) + " of " + topic +
                                    " in an OffsetFetch response");
            o.committed = r.int64();
            r.int32();          // committed leader epoch
            r.nullableString(); // metadata
            o.errorCode = r.int16();
            if (o.committed < 0)
                o.committed = -1;
            out.partitions.push_back(std::move(o));
        }
    }
    out.errorCode = r.int16();
    r.expectEnd();
    return out;
}

std::string encodeFindCoordinatorRequest(const std::string &group)
{
    Writer w;
    w.string(group);
    w.int8(0); // key type: group
    return w.take();
}

FindCoordinatorResponse decodeFindCoordinatorResponse(const std::string &body)
{
    Reader r(body);
    FindCoordinatorResponse out;
    r.int32(); // throttle time
    out.errorCode = r.int16();
    out.errorMessage = r.nullableString().value_or("");
    out.nodeId = r.int32();
    out.host = r.string();
    out.port = r.int32();
    r.expectEnd();
    return out;
}

std::string encodeListOffsetsRequest(int16_t version, const std::vector<ListOffsetsPartitionRequest> &partitions,
                                     int64_t timestamp)
{
    if (version < 6 || version > 9)
        throw ProtocolError("ListOffsets version " + std::to_string(version) + " is not supported");
    const auto topics = byTopic(partitions);
    Writer w;
    w.int32(-1); // replica id: a consumer
    w.int8(0);   // isolation: read uncommitted
    w.compactArrayLength(int32_t(topics.size()));
    for (const auto &[topic, parts] : topics) {
        w.compactString(topic);
        w.compactArrayLength(int32_t(parts.size()));
        for (const auto *p : parts) {
            w.int32(p->partition);
            w.int32(-1); // current leader epoch: not checked
            w.int64(timestamp);
            w.emptyTaggedFields();
        }
        w.emptyTaggedFields();
    }
    w.emptyTaggedFields();
    return w.take();
}

std::vector<ListOffsetsPartitionResponse> decodeListOffsetsResponse(int16_t version, const std::string &body)
{
    if (version < 6 || version > 9)
        throw ProtocolError("ListOffsets version " + std::to_string(version) + " is not supported");
    Reader r(body);
    r.int32(); // throttle time
    std::vector<ListOffsetsPartitionResponse> out;
    const int32_t topics = r.compactCount(3, "ListOffsets topic");
    for (int32_t t = 0; t < topics; ++t) {
        const std::string topic = r.compactString();
        const int32_t parts = r.compactCount(27, "ListOffsets partition");
        for (int32_t i = 0; i < parts; ++i) {
            ListOffsetsPartitionResponse p;
            p.topic = topic;
            p.partition = r.int32();
            p.errorCode = r.int16();
            r.int64(); // timestamp
            p.offset = r.int64();
            r.int32(); // leader epoch
            r.skipTaggedFields();
            if (p.offset < -1)
                throw ProtocolError("negative offset " + std::to_string(p.offset) + " for " + topic + "-" +
                                    std::to_string(p.partition) + " in a ListOffsets response");
            out.push_back(std::move(p));
        }
        r.skipTaggedFields();
    }
    r.skipTaggedFields();
    r.expectEnd();
    return out;
}

std::string encodeListGroupsRequest(int16_t version)
{
    if (version < 3 || version > 5)
        throw ProtocolError("ListGroups version " + std::to_string(version) + " is not supported");
    Writer w;
    if (version >= 4)
        w.compactArrayLength(0); // states filter: none
    if (version >= 5)
        w.compactArrayLength(0); // types filter: none
    w.emptyTaggedFields();
    return w.take();
}

ListGroupsResponse decodeListGroupsResponse(int16_t version, const std::string &body)
{
    if (version < 3 || version > 5)
        throw ProtocolError("ListGroups version " + std::to_string(version) + " is not supported");
    Reader r(body);
    ListGroupsResponse out;
    out.throttleTimeMs = r.int32();
    out.errorCode = r.int16();
    const int32_t n = r.compactCount(3, "ListGroups group");
    out.groups.reserve(size_t(n));
    for (int32_t i = 0; i < n; ++i) {
        ListedGroup g;
        g.groupId = r.compactString();
        g.protocolType = r.compactString();
        if (version >= 4)
            g.state = r.compactString();
        if (version >= 5)
            g.type = r.compactString();
        r.skipTaggedFields();
        out.groups.push_back(std::move(g));
    }
    r.skipTaggedFields();
    r.expectEnd();
    return out;
}

std::string encodeConsumerGroupDescribeRequest(const std::vector<std::string> &groups)
{
    Writer w;
    w.compactArrayLength(int32_t(groups.size()));
    for (const auto &g : groups)
        w.compactString(g);
    w.boolean(false); // include authorized operations: no
    w.emptyTaggedFields();
    return w.take();
}

namespace {

std::vector<AssignedPartitions> readAssignment(Reader &r)
{
    std::vector<AssignedPartitions> out;
    const int32_t topics = r.compactCount(19, "assignment topic");
    for (int32_t t = 0; t < topics; ++t) {
        AssignedPartitions a;
        r.skip(16); // topic id
        a.topic = r.compactString();
        const int32_t parts = r.compactCount(4, "assignment partition");
        for (int32_t p = 0; p < parts; ++p) {
            const int32_t partition = r.int32();
            if (partition < 0)
                throw ProtocolError("negative partition " + std::to_string(partition) + " assigned in " + a.topic);
            a.partitions.push_back(partition);
        }
        r.skipTaggedFields();
        out.push_back(std::move(a));
    }
    r.skipTaggedFields();
    return out;
}

ConsumerGroupMemberDescription readMember(Reader &r, int16_t version)
{
    ConsumerGroupMemberDescription m;
    m.memberId = r.compactString();
    m.instanceId = r.compactNullableString();
    m.rackId = r.compactNullableString();
    m.memberEpoch = r.int32();
    m.clientId = r.compactString();
    m.clientHost = r.compactString();
    const int32_t topics = r.compactCount(1, "subscribed topic");
    for (int32_t t = 0; t < topics; ++t)
        m.subscribedTopics.push_back(r.compactString());
    m.subscribedRegex = r.compactNullableString();
    m.assignment = readAssignment(r);
    m.targetAssignment = readAssignment(r);
    if (version >= 1)
        m.memberType = r.int8();
    r.skipTaggedFields();
    return m;
}

} // namespace

std::vector<ConsumerGroupDescription> decodeConsumerGroupDescribeResponse(int16_t version, const std::string &body)
{
    if (version < 0 || version > 1)
        throw ProtocolError("ConsumerGroupDescribe version " + std::to_string(version) + " is not supported");
    Reader r(body);
    r.int32(); // throttle time
    std::vector<ConsumerGroupDescription> out;
    const int32_t n = r.compactCount(22, "ConsumerGroupDescribe group");
    for (int32_t i = 0; i < n; ++i) {
        ConsumerGroupDescription g;
        g.errorCode = r.int16();
        g.errorMessage = r.compactNullableString().value_or(std::string());
        g.groupId = r.compactString();
        g.state = r.compactString();
        g.groupEpoch = r.int32();
        g.assignmentEpoch = r.int32();
        g.assignor = r.compactString();
        const int32_t members = r.compactCount(20, "group member");
        for (int32_t m = 0; m < members; ++m)
            g.members.push_back(readMember(r, version));
        r.int32(); // authorized operations
        r.skipTaggedFields();
        out.push_back(std::move(g));
    }
    r.skipTaggedFields();
    r.expectEnd();
    return out;
}

std::string errorName(int16_t code)
{
    switch (code) {
    case 0:
        return "NONE";
    case 14:
        return "COORDINATOR_LOAD_IN_PROGRESS";
    case 15:
        return "COORDINATOR_NOT_AVAILABLE";
    case 16:
        return "NOT_COORDINATOR";
    case 30:
        return "GROUP_AUTHORIZATION_FAILED";
    case 69:
        return "GROUP_ID_NOT_FOUND";
    case 29:
        return "TOPIC_AUTHORIZATION_FAILED";
    case 31:
        return "CLUSTER_AUTHORIZATION_FAILED";
    case 33:
        return "UNSUPPORTED_SASL_MECHANISM";
    case 34:
        return "ILLEGAL_SASL_STATE";
    case 35:
        return "UNSUPPORTED_VERSION";
    case 57:
        return "LOG_DIR_NOT_FOUND";
    case 58:
        return "SASL_AUTHENTICATION_FAILED";
    case 56:
        return "KAFKA_STORAGE_ERROR";
    default:
        return "error code " + std::to_string(code);
    }
}

} // namespace kp::wire
