#include "kafka/oidctoken.h"

#include <QByteArray>
#include <QDateTime>
#include <curl/curl.h>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kp {

namespace {

constexpr size_t kMaxAnswer = 1 << 20;

std::string urlEncoded(const std::string &text)
{
    return QByteArray::fromStdString(text).toPercentEncoding().toStdString();
}

struct CurlDeleter
{
    void operator()(CURL *h) const { curl_easy_cleanup(h); }
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};

size_t collect(char *data, size_t size, size_t count, void *out)
{
    auto *body = static_cast<std::string *>(out);
    if (body->size() + size * count > kMaxAnswer)
        return 0; // curl then fails the transfer: no endpoint answers a token with a megabyte
    body->append(data, size * count);
    return size * count;
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

struct Answer
{
    long status = 0;
    std::string body;
};

Answer post(const ConnectionProfile &profile, const std::string &url, int timeoutMs)
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, CurlDeleter> h(curl_easy_init());
    if (!h)
        throw std::runtime_error("could not start an HTTP client");
    std::string form = "grant_type=client_credentials";
    if (const std::string scope = profile.oidcScope(); !scope.empty())
        form += "&scope=" + urlEncoded(scope);
    const std::string basic =
        QByteArray::fromStdString(urlEncoded(profile.username) + ":" + urlEncoded(profile.password))
            .toBase64()
            .toStdString();
    curl_slist *headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
    headers = curl_slist_append(headers, ("Authorization: Basic " + basic).c_str());
    std::unique_ptr<curl_slist, CurlDeleter> headerList(headers);
    Answer answer;
    char error[CURL_ERROR_SIZE] = {};
    CURL *c = h.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(timeoutMs));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(timeoutMs));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headerList.get());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    if (auto ca = profile.extra.find("https.ca.location"); ca != profile.extra.end())
        curl_easy_setopt(c, CURLOPT_CAINFO, ca->second.c_str());
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        throw std::runtime_error("could not be reached: " + std::string(error[0] ? error : curl_easy_strerror(rc)));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
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
    Answer answer;
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
