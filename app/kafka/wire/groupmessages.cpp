#include "kafka/wire/groupmessages.h"

#include "kafka/wire/wirebuffer.h"

namespace kp::wire {

std::string encodeDescribeGroupsRequest(int16_t version, const std::vector<std::string> &groups)
{
    if (version < 3 || version > 4)
        throw ProtocolError("DescribeGroups version " + std::to_string(version) + " is not spoken here");
    Writer w;
    w.arrayLength(int32_t(groups.size()));
    for (const auto &g : groups)
        w.string(g);
    w.boolean(false); // include authorized operations
    return w.take();
}

std::vector<DescribedGroup> decodeDescribeGroupsResponse(int16_t version, const std::string &body)
{
    if (version < 3 || version > 4)
        throw ProtocolError("DescribeGroups version " + std::to_string(version) + " is not spoken here");
    Reader r(body);
    r.int32(); // throttle time
    // error, id, state, protocol type and data (2 bytes each when empty), members, authorized operations
    const int32_t count = r.arrayLength(20);
    std::vector<DescribedGroup> out;
    out.reserve(size_t(std::max(count, 0)));
    for (int32_t i = 0; i < count; ++i) {
        DescribedGroup g;
        g.errorCode = r.int16();
        g.groupId = r.string();
        g.state = r.string();
        g.protocolType = r.string();
        g.protocolData = r.string();
        const int32_t members = r.arrayLength(version >= 4 ? 18 : 16);
        for (int32_t m = 0; m < members; ++m) {
            DescribedMember d;
            d.memberId = r.string();
            if (version >= 4)
                d.groupInstanceId = r.nullableString().value_or(std::string());
            d.clientId = r.string();
            d.clientHost = r.string();
            r.bytes(); // member metadata (the subscription): not read
            d.assignment = r.bytes();
            g.members.push_back(std::move(d));
        }
        r.int32(); // authorized operations
        out.push_back(std::move(g));
    }
    r.expectEnd();
    return out;
}

std::vector<AssignedTopicPartition> decodeConsumerAssignment(const std::string &bytes)
{
    std::vector<AssignedTopicPartition> out;
    if (bytes.empty())
        return out;
    Reader r(bytes);
    r.int16(); // version
    const int32_t topics = r.arrayLength(6);
    for (int32_t t = 0; t < topics; ++t) {
        const std::string topic = r.string();
        const int32_t parts = r.arrayLength(4);
        for (int32_t p = 0; p < parts; ++p)
            out.push_back({topic, r.int32()});
    }
    return out; // user data (and newer versions' fields) follow: not read
}

} // namespace kp::wire

namespace kp::wire {

std::string encodeOffsetFetchGroupsRequest(const std::vector<std::string> &groups)
{
    Writer w;
    w.compactArrayLength(int32_t(groups.size()));
    for (const auto &g : groups) {
        w.compactString(g);
        w.compactArrayLength(-1); // every topic the group committed on
        w.emptyTaggedFields();
    }
    w.boolean(false); // require stable: no
    w.emptyTaggedFields();
    return w.take();
}

std::vector<GroupOffsetFetch> decodeOffsetFetchGroupsResponse(const std::string &body)
{
    Reader r(body);
    r.int32(); // throttle time
    std::vector<GroupOffsetFetch> out;
    const int32_t groups = r.compactCount(4, "groups"); // id, topics, error, tags
    out.reserve(size_t(groups));
    for (int32_t g = 0; g < groups; ++g) {
        GroupOffsetFetch answer;
        answer.groupId = r.compactString();
        const int32_t topics = r.compactCount(3, "topics");
        for (int32_t t = 0; t < topics; ++t) {
            const std::string topic = r.compactString();
            // partition, offset, epoch, metadata (1 when null), error, tags
            const int32_t parts = r.compactCount(20, "partitions");
            for (int32_t p = 0; p < parts; ++p) {
                OffsetFetchPartition o;
                o.topic = topic;
                o.partition = r.int32();
                if (o.partition < 0)
                    throw ProtocolError("negative partition " + std::to_string(o.partition) + " of " + topic +
                                        " in an OffsetFetch response");
                o.committed = r.int64();
                r.int32(); // committed leader epoch
                r.compactNullableString();
                o.errorCode = r.int16();
                r.skipTaggedFields();
                if (o.committed < 0)
                    o.committed = -1;
                answer.response.partitions.push_back(std::move(o));
            }
            r.skipTaggedFields();
        }
        answer.response.errorCode = r.int16();
        r.skipTaggedFields();
        out.push_back(std::move(answer));
    }
    r.skipTaggedFields();
    r.expectEnd();
    return out;
}

} // namespace kp::wire
