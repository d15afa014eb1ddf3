#include "net/httppost.h"

#include <curl/curl.h>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace kp {

namespace {

constexpr size_t kMaxAnswer = 1 << 20;

struct CurlDeleter
{
    void operator()(CURL *h) const { curl_easy_cleanup(h); }
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};

size_t collect(char *data, size_t size, size_t count, void *out)
{
    auto *body = static_cast<std::string *>(out);
    if (body->size() + size * count > kMaxAnswer)
        return 0; // curl then fails the transfer
    body->append(data, size * count);
    return size * count;
}

} // namespace

HttpAnswer httpPost(const HttpPost &request)
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, CurlDeleter> h(curl_easy_init());
    if (!h)
        throw std::runtime_error("could not start an HTTP client");
    curl_slist *headers = nullptr;
    for (const auto &header : request.headers)
        headers = curl_slist_append(headers, header.c_str());
    std::unique_ptr<curl_slist, CurlDeleter> headerList(headers);
    HttpAnswer answer;
    char error[CURL_ERROR_SIZE] = {};
    CURL *c = h.get();
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(request.timeoutMs));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(request.timeoutMs));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headerList.get());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(request.body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    if (!request.caFile.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, request.caFile.c_str());
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        throw std::runtime_error("could not be reached: " + std::string(error[0] ? error : curl_easy_strerror(rc)));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
}

} // namespace kp
