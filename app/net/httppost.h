#pragma once

#include <string>
#include <vector>

// One blocking HTTP(S) POST through libcurl, for the OIDC token endpoint and the OpenLineage endpoint alike: safe on
// any thread, no event loop. Answers are capped at 1 MB (no endpoint we talk to answers with more).
namespace kp {

struct HttpAnswer
{
    long status = 0; // the HTTP status
    std::string body;
};

struct HttpPost
{
    std::string url;
    std::vector<std::string> headers; // "Name: value"
    std::string body;
    int timeoutMs = 10000;
    std::string caFile; // empty: the system's CAs
};

// Throws std::runtime_error("could not be reached: WHY") when no answer came (refused, timed out, TLS failed, or
// an answer over the cap); any HTTP status is an answer.
HttpAnswer httpPost(const HttpPost &request);

} // namespace kp
