#include "kafka/wire/oauthbearer.h"

#include <QByteArray>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

namespace kp::wire {

namespace {

std::string base64url(const std::string &bytes)
{
    return QByteArray::fromStdString(bytes)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
        .toStdString();
}

std::optional<std::string> fromBase64url(const std::string &text)
{
    const auto r = QByteArray::fromBase64Encoding(QByteArray::fromStdString(text),
                                                  QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals |
                                                      QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return std::nullopt;
    return r.decoded.toStdString();
}

// A JSON number that is a whole count of seconds within reach of int64 milliseconds.
std::optional<int64_t> seconds(const nlohmann::json &v)
{
    if (!v.is_number())
        return std::nullopt;
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < 0 || d > 9.0e15)
        return std::nullopt;
    return int64_t(d);
}

nlohmann::json jwtPayload(const std::string &jwt)
{
    const size_t a = jwt.find('.');
    const size_t b = a == std::string::npos ? a : jwt.find('.', a + 1);
    if (b == std::string::npos || jwt.find('.', b + 1) != std::string::npos || a == 0 || b == a + 1)
        throw std::runtime_error("the access token is not a JWT (header.payload.signature)");
    const auto header = fromBase64url(jwt.substr(0, a));
    const auto payload = fromBase64url(jwt.substr(a + 1, b - a - 1));
    if (!header || !payload)
        throw std::runtime_error("the access token is not a JWT: a part is not base64url");
    const auto h = nlohmann::json::parse(*header, nullptr, false);
    auto p = nlohmann::json::parse(*payload, nullptr, false);
    if (!h.is_object() || !p.is_object())
        throw std::runtime_error("the access token is not a JWT: its header or payload is not a JSON object");
    return p;
}

} // namespace

AccessToken parseTokenResponse(const std::string &body, int64_t nowMs)
{
    const auto answer = nlohmann::json::parse(body, nullptr, false);
    if (!answer.is_object())
        throw std::runtime_error("the answer is not a JSON object");
    const auto token = answer.find("access_token");
    if (token == answer.end() || !token->is_string() || token->get<std::string>().empty())
        throw std::runtime_error("the answer has no access_token");
    if (const auto type = answer.find("token_type"); type != answer.end()) {
        std::string t = type->is_string() ? type->get<std::string>() : std::string();
        std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (t != "bearer")
            throw std::runtime_error("token_type is " + (type->is_string() ? "'" + t + "'" : type->dump()) +
                                     ", not Bearer");
    }
    AccessToken out;
    out.token = token->get<std::string>();
    const nlohmann::json claims = jwtPayload(out.token);
    const auto sub = claims.find("sub");
    if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty())
        throw std::runtime_error("the access token names no principal (no \"sub\" claim)");
    out.principal = sub->get<std::string>();
    const auto exp = claims.find("exp");
    const auto expSeconds = exp == claims.end() ? std::nullopt : seconds(*exp);
    if (!expSeconds)
        throw std::runtime_error("the access token has no valid expiry (\"exp\" claim, seconds since 1970)");
    out.expiresAtMs = *expSeconds * 1000;
    if (out.expiresAtMs <= nowMs)
        throw std::runtime_error("the access token has already expired (its \"exp\" claim is in the past)");
    return out;
}

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
