#include "oauthbearer.h"

#include <QByteArray>
#include <nlohmann/json.hpp>

namespace kp::wire {

namespace {

std::string base64url(const std::string &bytes)
{
    return QByteArray::fromStdString(bytes)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
        .toStdString();
}

} // namespace

std::string unsecuredJwt(const std::string &principal, int64_t nowSeconds, int64_t lifetimeSeconds)
{
    const nlohmann::json header{{"alg", "none"}};
    const nlohmann::json payload{{"sub", principal}, {"iat", nowSeconds}, {"exp", nowSeconds + lifetimeSeconds}};
    return base64url(header.dump()) + "." + base64url(payload.dump()) + ".";
}

std::string oauthBearerClientFirst(const std::string &token)
{
    return "n,,\x01"
           "auth=Bearer " +
           token + "\x01\x01";
}

} // namespace kp::wire
