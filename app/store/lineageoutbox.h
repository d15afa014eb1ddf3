#pragma once

#include "models/lineage.h"
#include "models/openlineage.h"
#include "store/database.h"

#include <map>
#include <string>
#include <vector>

namespace kp {

// Which OpenLineage events a save of a run queues, and where they go. No endpoint: none.
struct LineageSend
{
    std::string endpoint;     // the full URL events are POSTed to
    std::string jobNamespace; // empty: kDefaultJobNamespace
    std::vector<LineageEventType> events;
    bool any() const { return !endpoint.empty() && !events.empty(); }
};

struct QueuedLineageEvent
{
    int64_t id = 0;
    int64_t run = 0;
    std::string type; // START, COMPLETE
    std::string endpoint;
    std::string body;
    int64_t createdAtMs = 0;
    int64_t sentAtMs = -1; // -1: pending
    int attempts = 0;
    std::string lastError;
};

// The OpenLineage events of runs, in the store until their endpoint took them: an endpoint that is down loses
// nothing. Events are written in the transaction that saves their run (RunStore), and sent in the order written.
class LineageOutbox
{
public:
    explicit LineageOutbox(Database &db) : m_db(db) {}

    // Inside the caller's transaction: the events `send` names, of `run` as it is saved (its id known).
    void enqueue(const TrainingRun &run, const LineageSend &send, int64_t nowMs);
    std::vector<QueuedLineageEvent> pending() const;               // oldest first
    std::vector<QueuedLineageEvent> eventsOf(int64_t runId) const; // sent or not, oldest first
    std::map<int64_t, int> pendingPerRun() const;                  // run id -> events not sent yet
    void markSent(int64_t eventId, int64_t atMs);                  // throws StoreError
    void markFailed(int64_t eventId, const std::string &error);    // counts the attempt; throws StoreError

private:
    std::vector<QueuedLineageEvent> select(const QString &where, const QVariantList &values) const;
    Database &m_db;
};

} // namespace kp
