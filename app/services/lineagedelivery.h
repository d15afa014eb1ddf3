#pragma once

// Sending training runs' OpenLineage events (models/openlineage.h) to an HTTP endpoint, Marquez's POST /api/v1/lineage
// or any that takes the same. Events wait in the store (store/lineageoutbox.h) until the endpoint takes one with a 2xx;
// an endpoint that is down or refuses loses nothing, and the next delivery tries again. Every call blocks (the store,
// the network): the window makes them off the GUI thread.

#include "store/lineageoutbox.h"

#include <QString>
#include <string>

namespace kp {

struct LineageEndpoint
{
    std::string url;          // where events are POSTed (lineageEventsUrl); empty: events are not sent
    std::string apiKey;       // sent as "Authorization: Bearer KEY"; from the environment only, never stored
    std::string jobNamespace; // empty: kDefaultJobNamespace
    int timeoutMs = 10000;
    bool configured() const { return !url.empty(); }
    // The events a save of `run` queues here: START, COMPLETE, or both for a run recorded complete.
    LineageSend send(const std::vector<LineageEventType> &events) const { return {url, jobNamespace, events}; }
};

// The URL events are POSTed to: an http(s) URL without a path gets /api/v1/lineage (as OpenLineage's clients do).
// std::invalid_argument naming what is wrong: not http or https, no host, a user or password in it (give a key
// through OPENLINEAGE_API_KEY instead).
std::string lineageEventsUrl(const std::string &given);

// OPENLINEAGE_URL (plus OPENLINEAGE_ENDPOINT, a path), OPENLINEAGE_API_KEY and OPENLINEAGE_NAMESPACE, the variables
// OpenLineage's own clients read; no URL when OPENLINEAGE_URL is unset. std::invalid_argument as above.
LineageEndpoint lineageEndpointFromEnvironment();

struct LineageDelivery
{
    int sent = 0;
    int pending = 0;       // still waiting after this delivery
    std::string lastError; // "ENDPOINT: why" of the last event that was not taken
};

// Sends the store's pending events, oldest first, each to the endpoint it was queued for, with `endpoint`'s key and
// timeout. A run's later events wait while an earlier one of it is not taken (START before COMPLETE); an endpoint
// that cannot be reached is not tried again in the same delivery. Throws StoreError.
LineageDelivery deliverLineage(const QString &dbPath, const LineageEndpoint &endpoint);

} // namespace kp
