// Consumer groups (classic and KIP-848: list, describe) and their committed offsets.
#include "kafka/collectorrun.h"

#include "kafka/wire/groupmessages.h"

namespace kp {

bool SnapshotCollector::Run::groups()
{
    const std::vector<BrokerAddress> brokers = brokerAddresses();
    listGroups(brokers);
    std::vector<ConsumerGroup *> consumerProtocol;
    std::vector<ConsumerGroup *> classic; // described with the classic DescribeGroups
    for (auto &g : m_s.groups) {
        if (describedAsClassic(g))
            classic.push_back(&g);
        else if (g.type == "consumer")
            consumerProtocol.push_back(&g);
    }
    auto consumerLater = std::async(std::launch::async, [&] {
        return describeConsumerProtocolGroups(m_client.profile(), brokers, consumerProtocol, m_opt.timeoutMs, m_cancel);
    });
    if (m_opt.wireClient)
        describeClassicOverWire(brokers, classic);
    else
        describeClassicWithLibrdkafka(classic);
    for (const auto &e : consumerLater.get())
        problem(e.step, e.subject, e.message);
    checkCancel();
    return true;
}

void SnapshotCollector::Run::describeClassicOverWire(const std::vector<BrokerAddress> &brokers,
                                                     const std::vector<ConsumerGroup *> &classic)
{
    std::atomic<int64_t> done{0}; // groups asked again where they moved count twice: capped at the total
    const auto total = int64_t(classic.size());
    const auto problems = describeClassicGroups(
        m_client.profile(), brokers, classic, size_t(std::max(1, m_opt.describeGroupsBatch)), m_opt.timeoutMs, m_cancel,
        [&](size_t n) { report("Consumer groups", std::min(done += int64_t(n), total), total); });
    for (const auto &e : problems)
        problem(e.step, e.subject, e.message);
}

// ListGroups on every broker ourselves: v5 names each group's type, and a broker that cannot be asked is named.
void SnapshotCollector::Run::listGroups(const std::vector<BrokerAddress> &brokers)
{
    std::vector<BrokerAddress> asked;
    for (const auto &b : brokers)
        if (silent(b.id))
            problem("groups", "",
                    "ListGroups on " + brokerName(b) + ": " + notAskedAgain() +
                        " (groups coordinated there are missing)");
        else
            asked.push_back(b);
    GroupListing listing = listGroupsOnEveryBroker(m_client.profile(), asked, m_opt.timeoutMs, m_cancel);
    checkCancel();
    for (const auto &e : listing.brokerErrors)
        problem("groups", "", e);
    // ListGroups filters silently by ACL: checked against __consumer_offsets once its watermarks are in.
    m_groupsMayBeHidden = listing.groups.empty() && listing.brokerErrors.size() < asked.size();
    m_s.groups = std::move(listing.groups);
}

// DescribeGroups through librdkafka's DescribeConsumerGroups, in batches: the collector's way before issue 17, kept
// for CollectOptions::wireClient = false.
void SnapshotCollector::Run::describeClassicWithLibrdkafka(const std::vector<ConsumerGroup *> &classic)
{
    rdk::Queue queue(rd_kafka_queue_new(m_rk));
    std::unordered_map<std::string, ConsumerGroup *> byId;
    std::vector<std::string> ids;
    for (ConsumerGroup *g : classic) {
        byId[g->groupId] = g;
        ids.push_back(g->groupId);
    }

    auto describeOptions = adminOptions(RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
    const size_t batch = size_t(std::max(1, m_opt.describeGroupsBatch));
    size_t requests = 0;
    for (size_t i = 0; i < ids.size(); i += batch) {
        std::vector<const char *> names;
        for (size_t k = i; k < std::min(ids.size(), i + batch); ++k)
            names.push_back(ids[k].c_str());
        rd_kafka_DescribeConsumerGroups(m_rk, names.data(), names.size(), describeOptions.get(), queue.get());
        ++requests;
    }
    size_t done = 0;
    std::set<std::string> described;
    drain(queue.get(), requests, [&](rd_kafka_event_t *ev) {
        if (auto err = rd_kafka_event_error(ev)) {
            problem("groups", "", explain(err, "DescribeGroups"));
            return;
        }
        const auto *result = rd_kafka_event_DescribeConsumerGroups_result(ev);
        size_t n = 0;
        const rd_kafka_ConsumerGroupDescription_t **descs = rd_kafka_DescribeConsumerGroups_result_groups(result, &n);
        for (size_t i = 0; i < n; ++i) {
            auto it = byId.find(rd_kafka_ConsumerGroupDescription_group_id(descs[i]));
            if (it == byId.end())
                continue;
            ConsumerGroup &g = *it->second;
            described.insert(g.groupId);
            report("Consumer groups", int64_t(++done), int64_t(ids.size()));
            if (const rd_kafka_error_t *e = rd_kafka_ConsumerGroupDescription_error(descs[i])) {
                g.error = errorText(e);
                problem("groups", "group " + g.groupId,
                        explain(rd_kafka_error_code(e), "DescribeGroups") + " (state and members unknown)");
                continue;
            }
            readDescription(g, descs[i]);
        }
    });
    const int64_t missing = int64_t(ids.size() - described.size());
    if (missing > 0)
        problem("groups", std::to_string(missing) + " group(s)",
                "DescribeGroups: " + noAnswer() + " (state and members unknown)");
}

void SnapshotCollector::Run::readDescription(ConsumerGroup &g, const rd_kafka_ConsumerGroupDescription_t *d)
{
    g.state = rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(d));
    g.simple = rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(d) != 0;
    if (const char *a = rd_kafka_ConsumerGroupDescription_partition_assignor(d))
        g.protocol = a;
    if (const rd_kafka_Node_t *c = rd_kafka_ConsumerGroupDescription_coordinator(d))
        g.coordinator = rd_kafka_Node_id(c);
    const size_t members = rd_kafka_ConsumerGroupDescription_member_count(d);
    for (size_t m = 0; m < members; ++m) {
        const rd_kafka_MemberDescription_t *md = rd_kafka_ConsumerGroupDescription_member(d, m);
        GroupMember mem;
        auto str = [](const char *s) { return s ? std::string(s) : std::string(); };
        mem.memberId = str(rd_kafka_MemberDescription_consumer_id(md));
        mem.groupInstanceId = str(rd_kafka_MemberDescription_group_instance_id(md));
        mem.clientId = str(rd_kafka_MemberDescription_client_id(md));
        mem.host = str(rd_kafka_MemberDescription_host(md));
        if (const rd_kafka_MemberAssignment_t *asg = rd_kafka_MemberDescription_assignment(md)) {
            if (const rd_kafka_topic_partition_list_t *tps = rd_kafka_MemberAssignment_partitions(asg)) {
                for (int k = 0; k < tps->cnt; ++k)
                    mem.assignment.push_back({tps->elems[k].topic, tps->elems[k].partition});
            }
        }
        std::sort(mem.assignment.begin(), mem.assignment.end());
        g.members.push_back(std::move(mem));
    }
}

namespace {

// One group's OffsetFetch answer, or why there is none.
struct OffsetAnswer
{
    ConsumerGroup *group;
    std::optional<wire::OffsetFetchResponse> response;
    std::string error;
};

// OffsetFetch v8: `perRequest` groups a request, every request in flight at once.
std::vector<OffsetAnswer> fetchManyGroupsAt(wire::BrokerConnection &conn, const std::vector<ConsumerGroup *> &groups,
                                            size_t perRequest)
{
    std::vector<std::string> bodies;
    for (size_t i = 0; i < groups.size(); i += perRequest) {
        std::vector<std::string> ids;
        for (size_t k = i; k < std::min(groups.size(), i + perRequest); ++k)
            ids.push_back(groups[k]->groupId);
        bodies.push_back(wire::encodeOffsetFetchGroupsRequest(ids));
    }
    std::unordered_map<std::string, ConsumerGroup *> byId;
    for (ConsumerGroup *g : groups)
        byId[g->groupId] = g;
    std::vector<OffsetAnswer> out;
    std::set<ConsumerGroup *> answered;
    for (const std::string &body : conn.callAll(wire::kOffsetFetch, 8, bodies))
        for (auto &a : wire::decodeOffsetFetchGroupsResponse(body)) {
            auto it = byId.find(a.groupId);
            if (it != byId.end() && answered.insert(it->second).second)
                out.push_back({it->second, std::move(a.response), {}});
        }
    for (ConsumerGroup *g : groups)
        if (!answered.count(g))
            out.push_back({g, std::nullopt, conn.address() + " did not answer for it"});
    return out;
}

// Asks one broker for its groups' committed offsets over one connection (v8, `perRequest` groups a request; v5, a
// request each, pipelined, on brokers before Kafka 3.0 or when `perRequest` is 0); what it no longer coordinates comes
// back with NOT_COORDINATOR.
std::vector<OffsetAnswer> fetchOffsetsFrom(const ConnectionProfile &profile, const BrokerAddress *where,
                                           const std::vector<ConsumerGroup *> &groups, size_t perRequest, int timeoutMs,
                                           const std::atomic<bool> *cancel)
{
    std::vector<OffsetAnswer> out;
    if (!where) {
        for (ConsumerGroup *g : groups)
            out.push_back({g, std::nullopt, "its coordinator is not among the brokers"});
        return out;
    }
    try {
        wire::BrokerConnection conn(profile, where->host, where->port, timeoutMs, cancel);
        conn.open();
        if (perRequest > 0 && wire::pickVersion(conn.apiVersions(), wire::kOffsetFetch, 8, 8) == 8)
            return fetchManyGroupsAt(conn, groups, perRequest);
        if (wire::pickVersion(conn.apiVersions(), wire::kOffsetFetch, 5, 5) < 0)
            throw std::runtime_error(conn.address() + " does not offer OffsetFetch version 5 or 8");
        std::vector<std::string> bodies; // every group's request in flight at once
        bodies.reserve(groups.size());
        for (const ConsumerGroup *g : groups)
            bodies.push_back(wire::encodeOffsetFetchRequest(g->groupId));
        const std::vector<std::string> answers = conn.callAll(wire::kOffsetFetch, 5, bodies);
        for (size_t i = 0; i < groups.size(); ++i) {
            try {
                out.push_back({groups[i], wire::decodeOffsetFetchResponse(answers[i]), {}});
            } catch (const wire::ProtocolError &e) {
                out.push_back({groups[i], std::nullopt, e.what()});
            }
        }
    } catch (const std::exception &e) {
        for (ConsumerGroup *g : groups)
            if (std::none_of(out.begin(), out.end(), [g](const OffsetAnswer &a) { return a.group == g; }))
                out.push_back({g, std::nullopt, e.what()});
    }
    return out;
}

// Groups whose coordinator moved (or was loading): their answers cleared, the groups by their new coordinator.
std::map<int32_t, std::vector<ConsumerGroup *>> findMovedCoordinators(std::vector<OffsetAnswer> &answers,
                                                                      const std::vector<BrokerAddress> &brokers,
                                                                      const ConnectionProfile &profile, int timeoutMs,
                                                                      const std::atomic<bool> *cancel)
{
    std::vector<ConsumerGroup *> moved;
    for (const auto &a : answers) {
        const int16_t code = a.response ? a.response->errorCode : 0;
        if (code == 14 || code == 15 || code == 16)
            moved.push_back(a.group);
    }
    if (moved.empty())
        return {};
    auto placed = findCoordinators(profile, brokers, moved, timeoutMs, cancel);
    for (const auto &[coordinator, groups] : placed)
        for (ConsumerGroup *g : groups)
            for (auto &a : answers)
                if (a.group == g) {
                    a.response.reset();
                    a.error = "moved";
                }
    return placed;
}

void readCommittedOffsets(ConsumerGroup &g, const wire::OffsetFetchResponse &response)
{
    g.offsetsKnown = true;
    g.offsets.reserve(response.partitions.size());
    InternedString topic; // a topic's partitions come together: one lookup in the pool for each
    for (const auto &p : response.partitions) {
        GroupOffset o;
        if (topic != p.topic)
            topic = p.topic;
        o.topic = topic;
        o.partition = p.partition;
        o.committed = p.committed;
        if (p.errorCode != 0)
            o.error = wire::errorName(p.errorCode);
        g.offsets.push_back(std::move(o));
    }
    std::sort(g.offsets.begin(), g.offsets.end(), [](const GroupOffset &x, const GroupOffset &y) {
        return std::tie(x.topic, x.partition) < std::tie(y.topic, y.partition);
    });
}

} // namespace

bool SnapshotCollector::Run::groupOffsets()
{
    // OffsetFetch straight to each group's coordinator over our own connection: librdkafka 2.0.2's
    // ListConsumerGroupOffsets dereferences a NULL group handle when a coordinator answers NOT_COORDINATOR (a
    // broker shutting down, librdkafka#5040) and takes the whole process down. One connection per coordinator,
    // coordinators in parallel; a group whose coordinator moved is asked again where FindCoordinator says.
    std::map<int32_t, std::vector<ConsumerGroup *>> byCoordinator;
    for (auto &g : m_s.groups)
        if (hasCommittedOffsets(g))
            byCoordinator[g.coordinator].push_back(&g);
    const std::vector<BrokerAddress> brokers = brokerAddresses();
    const auto &profile = m_client.profile();
    auto ask = [&](int32_t coordinator, const std::vector<ConsumerGroup *> &groups) {
        const size_t perRequest = m_opt.wireClient ? size_t(std::max(1, m_opt.offsetFetchBatch)) : 0; // 0: v5
        return fetchOffsetsFrom(profile, findBroker(brokers, coordinator), groups, perRequest, m_opt.timeoutMs,
                                m_cancel);
    };
    std::vector<std::future<std::vector<OffsetAnswer>>> futures;
    for (auto &[coordinator, groups] : byCoordinator)
        futures.push_back(std::async(std::launch::async, ask, coordinator, groups));
    std::vector<OffsetAnswer> answers;
    for (auto &f : futures)
        for (auto &a : f.get())
            answers.push_back(std::move(a));
    for (auto &[coordinator, groups] : findMovedCoordinators(answers, brokers, profile, m_opt.timeoutMs, m_cancel))
        for (auto &retry : ask(coordinator, groups))
            for (auto &a : answers)
                if (a.group == retry.group)
                    a = std::move(retry);
    int64_t done = 0;
    for (auto &a : answers) {
        ConsumerGroup &g = *a.group;
        report("Group offsets", ++done, int64_t(answers.size()));
        if (!a.response)
            problem("groupOffsets", "group " + g.groupId, "OffsetFetch: " + a.error + " (committed offsets unknown)");
        else if (a.response->errorCode != 0)
            problem("groupOffsets", "group " + g.groupId,
                    "OffsetFetch: " + wire::errorName(a.response->errorCode) + " (committed offsets unknown)");
        else
            readCommittedOffsets(g, *a.response);
        a.response.reset(); // read: 200,000 answered offsets and the snapshot's copies of them were held at once
    }
    checkCancel();
    int64_t missing = 0;
    for (const auto &g : m_s.groups)
        if (!g.offsetsKnown && hasCommittedOffsets(g))
            ++missing;
    const int64_t reported = int64_t(problemCount("groupOffsets")); // under the lock: the other lanes add theirs
    if (missing > reported)
        problem("groupOffsets", std::to_string(missing - reported) + " group(s)",
                "OffsetFetch: " + noAnswer() + " (committed offsets unknown)");
    return true;
}

// ListGroups returned no group where some broker answered: committed offsets on record hint that groups exist unseen.
void SnapshotCollector::Run::warnOfHiddenGroups()
{
    const TopicInfo *offsets = m_s.topic("__consumer_offsets");
    if (!offsets)
        return;
    int64_t records = 0;
    for (const auto &p : offsets->partitions)
        records += p.watermarksKnown() ? p.highWatermark - p.lowWatermark : 0;
    if (records > 0)
        problem("groups", "",
                "ListGroups returned no group, yet __consumer_offsets holds " + std::to_string(records) +
                    " records: groups may be hidden from this user (Describe on Cluster or on each Group)");
}

} // namespace kp
