#include "kafka/oidctoken.h"

#include "net/httppost.h"

#include <QByteArray>
#include <QDateTime>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kp {

namespace {

std::string urlEncoded(const std::string &text)
{
    return QByteArray::fromStdString(text).toPercentEncoding().toStdString();
}

// What an error answer says: {"error": "invalid_client", "error_description": "..."} (RFC 6749 section 5.2).
std::string oauthError(const std::string &body)
{
    const auto j = nlohmann::json::parse(body, nullptr, false);
    std::string out;
    if (j.is_object()) {
        if (auto e = j.find("error"); e != j.end() && e->is_string())
            out = e->get<std::string>();
        if (auto d = j.find("error_description"); d != j.end() && d->is_string())
            out += (out.empty() ? "" : ": ") + d->get<std::string>();
    }
    if (out.size() > 300)
        out = out.substr(0, 300) + "...";
    return out.empty() ? "no OAuth error in the answer" : out;
}

HttpAnswer post(const ConnectionProfile &profile, const std::string &url, int timeoutMs)
{
    HttpPost request;
    request.url = url;
    request.body = "grant_type=client_credentials";
    if (const std::string scope = profile.oidcScope(); !scope.empty())
        request.body += "&scope=" + urlEncoded(scope);
    const std::string basic =
        QByteArray::fromStdString(urlEncoded(profile.username) + ":" + urlEncoded(profile.password))
            .toBase64()
            .toStdString();
    request.headers = {"Accept: application/json", "Content-Type: application/x-www-form-urlencoded",
                       "Authorization: Basic " + basic};
    request.timeoutMs = timeoutMs;
    if (auto ca = profile.extra.find("https.ca.location"); ca != profile.extra.end())
        request.caFile = ca->second;
    return httpPost(request);
}

std::mutex g_mutex;
std::map<std::string, wire::AccessToken> g_tokens; // by endpoint, client id, scope and secret

} // namespace

wire::AccessToken oidcAccessToken(const ConnectionProfile &profile, int timeoutMs)
{
    const std::string url = profile.oidcTokenEndpoint();
    const std::string key = url + '\n' + profile.username + '\n' + profile.oidcScope() + '\n' + profile.password;
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    {
        std::lock_guard lock(g_mutex);
        if (auto it = g_tokens.find(key); it != g_tokens.end() && it->second.expiresAtMs - 60000 > now)
            return it->second;
    }
    const std::string what = "the OIDC token endpoint " + url;
    HttpAnswer answer;
    try {
        answer = post(profile, url, timeoutMs);
    } catch (const std::runtime_error &e) {
        throw std::runtime_error(what + " " + e.what());
    }
    if (answer.status < 200 || answer.status > 299)
        throw std::runtime_error(
            what + " answered HTTP " + std::to_string(answer.status) + " to client '" + profile.username + "' (" +
            oauthError(answer.body) + ")" +
            (answer.status == 400 || answer.status == 401 ? ": check the client id and secret" : ""));
    wire::AccessToken token;
    try {
        token = wire::parseTokenResponse(answer.body, now);
    } catch (const std::runtime_error &e) {
        throw std::runtime_error(what + " gave no usable token: " + e.what());
    }
    std::lock_guard lock(g_mutex);
    g_tokens[key] = token;
    return token;
}

std::string oidcTokenRefused(const ConnectionProfile &profile, const std::string &where, const std::string &why)
{
    return "SASL OAUTHBEARER login refused by " + where + ": the token client '" + profile.username + "' got from " +
           profile.oidcTokenEndpoint() + " was rejected (" + why +
           "); the brokers must trust the endpoint's signing keys (its JWKS), and the token's issuer and audience "
           "must be the ones they expect";
}

} // namespace kp
