#include "messages.h"

#include "wirebuffer.h"

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

std::string errorName(int16_t code)
{
    switch (code) {
    case 0:
        return "NONE";
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
