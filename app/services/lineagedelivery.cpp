#include "services/lineagedelivery.h"

#include "net/httppost.h"

#include <QDateTime>
#include <QUrl>
#include <cstdlib>
#include <mutex>
#include <set>
#include <stdexcept>

namespace kp {

namespace {

std::string env(const char *name)
{
    const char *v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

// One event to its endpoint: empty when taken, else why not (and whether the endpoint answered at all).
std::string post(const LineageEndpoint &endpoint, const QueuedLineageEvent &event, bool &reached)
{
    HttpPost request;
    request.url = event.endpoint;
    request.body = event.body;
    request.timeoutMs = endpoint.timeoutMs;
    request.headers = {"Content-Type: application/json"};
    // The key is the configured endpoint's: an event queued for another (configured before) goes there without it.
    if (!endpoint.apiKey.empty() && event.endpoint == endpoint.url)
        request.headers.push_back("Authorization: Bearer " + endpoint.apiKey);
    reached = false;
    try {
        const HttpAnswer answer = httpPost(request);
        reached = true;
        if (answer.status >= 200 && answer.status <= 299)
            return {};
        std::string said = answer.body.substr(0, 200);
        return "answered HTTP " + std::to_string(answer.status) + (said.empty() ? "" : " (" + said + ")");
    } catch (const std::runtime_error &e) {
        return e.what();
    }
}

} // namespace

std::string lineageEventsUrl(const std::string &given)
{
    const QUrl url(QString::fromStdString(given), QUrl::StrictMode);
    const std::string what = "OpenLineage endpoint " + url.toString(QUrl::RemoveUserInfo).toStdString();
    if (!url.isValid() || (url.scheme() != QStringLiteral("http") && url.scheme() != QStringLiteral("https")))
        throw std::invalid_argument(what + ": give an http:// or https:// URL");
    if (url.host().isEmpty())
        throw std::invalid_argument(what + ": no host");
    if (!url.userInfo().isEmpty())
        throw std::invalid_argument(what + ": no user or password in the URL; give a key through OPENLINEAGE_API_KEY");
    QUrl out = url;
    if (out.path().isEmpty() || out.path() == QStringLiteral("/"))
        out.setPath(QStringLiteral("/api/v1/lineage"));
    return out.toString().toStdString();
}

LineageEndpoint lineageEndpointFromEnvironment()
{
    LineageEndpoint endpoint;
    endpoint.apiKey = env("OPENLINEAGE_API_KEY");
    endpoint.jobNamespace = env("OPENLINEAGE_NAMESPACE");
    const std::string base = env("OPENLINEAGE_URL");
    if (base.empty())
        return endpoint;
    std::string path = env("OPENLINEAGE_ENDPOINT");
    if (!path.empty() && path.front() != '/')
        path.insert(0, "/");
    std::string trimmed = base;
    while (!path.empty() && !trimmed.empty() && trimmed.back() == '/')
        trimmed.pop_back();
    endpoint.url = lineageEventsUrl(trimmed + path);
    return endpoint;
}

LineageDelivery deliverLineage(const QString &dbPath, const LineageEndpoint &endpoint)
{
    // One delivery at a time in a process (the window's refresh and a recording may overlap): the second reads what
    // the first left pending, and sends nothing twice.
    static std::mutex one;
    std::lock_guard lock(one);
    Database db(dbPath);
    LineageOutbox outbox(db);
    LineageDelivery out;
    std::set<int64_t> held;            // runs with an earlier event not taken
    std::set<std::string> unreachable; // endpoints that did not answer
    for (const QueuedLineageEvent &event : outbox.pending()) {
        if (held.count(event.run) || unreachable.count(event.endpoint)) {
            ++out.pending;
            continue;
        }
        bool reached = false;
        const std::string why = post(endpoint, event, reached);
        if (why.empty()) {
            outbox.markSent(event.id, QDateTime::currentMSecsSinceEpoch());
            ++out.sent;
            continue;
        }
        outbox.markFailed(event.id, why);
        out.lastError = event.endpoint + ": " + why;
        ++out.pending;
        held.insert(event.run);
        if (!reached)
            unreachable.insert(event.endpoint);
    }
    return out;
}

} // namespace kp
