#include "kafka/wire/metadatamessages.h"

#include "kafka/wire/messages.h"
#include "kafka/wire/wirebuffer.h"

namespace kp::wire {

namespace {

void checkVersion(const char *api, int16_t version, int16_t lo, int16_t hi)
{
    if (version < lo || version > hi)
        throw ProtocolError(std::string(api) + " version " + std::to_string(version) + " is not supported");
}

std::vector<int32_t> brokerIds(Reader &r, const char *what)
{
    const int32_t n = r.compactCount(4, what);
    std::vector<int32_t> out(size_t(n), -1);
    for (auto &id : out)
        if ((id = r.int32()) < 0)
            throw ProtocolError(std::string("negative broker id in ") + what + " at offset " +
                                std::to_string(r.position()));
    return out;
}

MetadataPartition readPartition(Reader &r)
{
    MetadataPartition p;
    p.errorCode = r.int16();
    p.partition = r.int32();
    if (p.partition < 0)
        throw ProtocolError("negative partition " + std::to_string(p.partition) + " in a Metadata response");
    p.leader = r.int32();
    p.leaderEpoch = r.int32();
    p.replicas = brokerIds(r, "replica");
    p.isr = brokerIds(r, "in-sync replica");
    p.offlineReplicas = brokerIds(r, "offline replica");
    r.skipTaggedFields();
    return p;
}

MetadataTopic readTopic(Reader &r, int16_t version)
{
    MetadataTopic t;
    t.errorCode = r.int16();
    t.name = r.compactNullableString().value_or(std::string()); // nullable from v12: a topic asked by id only
    if (version >= 10)
        t.topicId = uuidText(r.fixedBytes(16));
    t.internal = r.boolean();
    const int32_t parts = r.compactCount(18, "Metadata partition");
    t.partitions.reserve(size_t(parts));
    for (int32_t i = 0; i < parts; ++i)
        t.partitions.push_back(readPartition(r));
    r.int32(); // topic authorized operations
    r.skipTaggedFields();
    return t;
}

} // namespace

std::string uuidText(const std::string &sixteenBytes)
{
    // Kafka's Uuid.toString(): URL-safe base64 without padding, as kafka-topics.sh prints a TopicId.
    static const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (sixteenBytes.find_first_not_of('\0') == std::string::npos)
        return {};
    std::string out;
    uint32_t bits = 0;
    int held = 0;
    for (unsigned char c : sixteenBytes) {
        bits = (bits << 8) | c;
        held += 8;
        while (held >= 6) {
            held -= 6;
            out.push_back(alphabet[(bits >> held) & 63]);
        }
    }
    if (held > 0)
        out.push_back(alphabet[(bits << (6 - held)) & 63]);
    return out;
}

std::string encodeMetadataRequest(int16_t version, bool allTopics)
{
    checkVersion("Metadata", version, 9, 12);
    Writer w;
    w.compactArrayLength(allTopics ? -1 : 0); // null: every topic
    w.boolean(false);                         // allow auto topic creation: never (read-only)
    if (version <= 10)
        w.boolean(false); // include cluster authorized operations
    w.boolean(false);     // include topic authorized operations
    w.emptyTaggedFields();
    return w.take();
}

MetadataResponse decodeMetadataResponse(int16_t version, const std::string &body)
{
    checkVersion("Metadata", version, 9, 12);
    Reader r(body);
    MetadataResponse out;
    r.int32(); // throttle time
    const int32_t brokers = r.compactCount(11, "Metadata broker");
    for (int32_t i = 0; i < brokers; ++i) {
        MetadataBroker b;
        b.nodeId = r.int32();
        b.host = r.compactString();
        b.port = r.int32();
        b.rack = r.compactNullableString();
        r.skipTaggedFields();
        if (b.nodeId < 0 || b.port < 0 || b.port > 65535)
            throw ProtocolError("impossible broker " + std::to_string(b.nodeId) + " at port " + std::to_string(b.port) +
                                " in a Metadata response");
        out.brokers.push_back(std::move(b));
    }
    out.clusterId = r.compactNullableString();
    out.controllerId = r.int32();
    const int32_t topics = r.compactCount(10, "Metadata topic");
    out.topics.reserve(size_t(topics));
    for (int32_t i = 0; i < topics; ++i)
        out.topics.push_back(readTopic(r, version));
    if (version <= 10)
        r.int32(); // cluster authorized operations
    r.skipTaggedFields();
    r.expectEnd();
    return out;
}

std::string encodeDescribeConfigsRequest(int16_t version, const std::vector<ConfigResourceRequest> &resources,
                                         const std::vector<std::string> &keys)
{
    checkVersion("DescribeConfigs", version, 4, 4);
    Writer w;
    w.compactArrayLength(int32_t(resources.size()));
    for (const auto &res : resources) {
        w.int8(int8_t(res.type));
        w.compactString(res.name);
        if (keys.empty()) {
            w.compactArrayLength(-1);
        } else {
            w.compactArrayLength(int32_t(keys.size()));
            for (const auto &k : keys)
                w.compactString(k);
        }
        w.emptyTaggedFields();
    }
    w.boolean(false); // include synonyms
    w.boolean(false); // include documentation
    w.emptyTaggedFields();
    return w.take();
}

std::vector<ConfigResourceResult> decodeDescribeConfigsResponse(int16_t version, const std::string &body)
{
    checkVersion("DescribeConfigs", version, 4, 4);
    Reader r(body);
    r.int32(); // throttle time
    std::vector<ConfigResourceResult> out;
    const int32_t n = r.compactCount(7, "DescribeConfigs result");
    for (int32_t i = 0; i < n; ++i) {
        ConfigResourceResult res;
        res.errorCode = r.int16();
        res.errorMessage = r.compactNullableString().value_or(std::string());
        const int8_t type = r.int8();
        if (type != int8_t(ConfigResourceType::Topic) && type != int8_t(ConfigResourceType::Broker))
            throw ProtocolError("DescribeConfigs answered for resource type " + std::to_string(type) +
                                ", which was not asked");
        res.type = ConfigResourceType(type);
        res.name = r.compactString();
        const int32_t configs = r.compactCount(9, "config entry");
        for (int32_t c = 0; c < configs; ++c) {
            std::string name = r.compactString();
            std::optional<std::string> value = r.compactNullableString();
            r.boolean(); // read only
            r.int8();    // config source
            r.boolean(); // is sensitive
            const int32_t synonyms = r.compactCount(4, "config synonym");
            for (int32_t s = 0; s < synonyms; ++s) {
                r.compactString();
                r.compactNullableString();
                r.int8();
                r.skipTaggedFields();
            }
            r.int8();                  // config type
            r.compactNullableString(); // documentation
            r.skipTaggedFields();
            res.configs.emplace_back(std::move(name), std::move(value));
        }
        r.skipTaggedFields();
        out.push_back(std::move(res));
    }
    r.skipTaggedFields();
    r.expectEnd();
    return out;
}

} // namespace kp::wire
