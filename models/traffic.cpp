#include "models/traffic.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cstring>
#include <set>
#include <stdexcept>

namespace kp {

namespace {

struct Address
{
    int family = 0; // AF_INET or AF_INET6
    std::array<unsigned char, 16> bytes{};
};

bool parseAddress(const std::string &text, Address &out)
{
    if (inet_pton(AF_INET, text.c_str(), out.bytes.data()) == 1) {
        out.family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text.c_str(), out.bytes.data()) == 1) {
        out.family = AF_INET6;
        return true;
    }
    return false;
}

struct Subnet
{
    Address base;
    int prefix = 0;
};

Subnet parseCidr(const std::string &cidr)
{
    Subnet s;
    const auto slash = cidr.find('/');
    const std::string address = cidr.substr(0, slash);
    if (!parseAddress(address, s.base))
        throw std::invalid_argument("'" + cidr + "' is not an address block (e.g. 10.1.0.0/16)");
    const int max = s.base.family == AF_INET ? 32 : 128;
    if (slash == std::string::npos) {
        s.prefix = max;
    } else {
        const std::string bits = cidr.substr(slash + 1);
        if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), ::isdigit) ||
            std::stoi(bits) > max)
            throw std::invalid_argument("'" + cidr + "' has a bad prefix length (0 to " + std::to_string(max) + ")");
        s.prefix = std::stoi(bits);
    }
    return s;
}

bool contains(const Subnet &s, const Address &a)
{
    if (s.base.family != a.family)
        return false;
    const int full = s.prefix / 8, rest = s.prefix % 8;
    if (std::memcmp(s.base.bytes.data(), a.bytes.data(), size_t(full)) != 0)
        return false;
    if (rest == 0)
        return true;
    const auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
    return (s.base.bytes[size_t(full)] & mask) == (a.bytes[size_t(full)] & mask);
}

} // namespace

void validateClientAzRules(const std::vector<ClientAzRule> &rules)
{
    for (size_t i = 0; i < rules.size(); ++i) {
        try {
            parseCidr(rules[i].cidr);
        } catch (const std::invalid_argument &e) {
            throw std::invalid_argument("client AZ rule " + std::to_string(i + 1) + ": " + e.what());
        }
        if (rules[i].az.empty())
            throw std::invalid_argument("client AZ rule " + std::to_string(i + 1) + " (" + rules[i].cidr +
                                        "): the AZ is empty");
    }
}

std::vector<ClientAzRule> parseClientAzRules(const std::string &text)
{
    auto trim = [](std::string s) {
        const auto b = s.find_first_not_of(" \t\n");
        const auto e = s.find_last_not_of(" \t\n");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    std::vector<ClientAzRule> rules;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        const std::string part = trim(text.substr(start, comma - start));
        if (!part.empty()) {
            const auto eq = part.find('=');
            rules.push_back(eq == std::string::npos
                                ? ClientAzRule{part, ""}
                                : ClientAzRule{trim(part.substr(0, eq)), trim(part.substr(eq + 1))});
        }
        start = comma + 1;
    }
    return rules;
}

std::string formatClientAzRules(const std::vector<ClientAzRule> &rules)
{
    std::string out;
    for (const auto &r : rules)
        out += (out.empty() ? "" : ", ") + r.cidr + "=" + r.az;
    return out;
}

std::string clientAz(const std::vector<ClientAzRule> &rules, const std::string &host)
{
    std::string h = host;
    if (!h.empty() && h.front() == '/')
        h.erase(0, 1); // Kafka reports members as "/10.1.2.3"
    Address a;
    if (!parseAddress(h, a))
        return {};
    // The most specific block wins.
    int best = -1;
    std::string az;
    for (const auto &r : rules) {
        const Subnet s = parseCidr(r.cidr);
        if (s.prefix > best && contains(s, a)) {
            best = s.prefix;
            az = r.az;
        }
    }
    return az;
}

double FlowMatrix::crossAz() const
{
    double sum = 0;
    for (const auto &[from, row] : bytes)
        for (const auto &[to, v] : row)
            if (from != to)
                sum += v;
    return sum;
}

double FlowMatrix::total() const
{
    double sum = 0;
    for (const auto &[from, row] : bytes)
        for (const auto &[to, v] : row)
            sum += v;
    return sum;
}

double monthlyCost(double bytesPerSecond, double pricePerUnit, bool perGiB, double hoursPerMonth)
{
    const double seconds = hoursPerMonth * 3600.0;
    const double unit = perGiB ? 1024.0 * 1024.0 * 1024.0 : 1e9;
    return bytesPerSecond * seconds / unit * pricePerUnit;
}

bool rackAwareSelector(const BrokerInfo &b)
{
    const auto it = b.configs.find("replica.selector.class");
    return it != b.configs.end() && it->second.find("RackAwareReplicaSelector") != std::string::npos;
}

bool followerFetchingConfigured(const ClusterSnapshot &s)
{
    return std::any_of(s.brokers.begin(), s.brokers.end(), rackAwareSelector);
}

namespace {

// A broker's AZ (its rack), "?" where it is not known.
struct RackOf
{
    const ClusterSnapshot &s;
    std::string operator()(int32_t broker) const
    {
        const BrokerInfo *b = s.broker(broker);
        return b && b->rackKnown && !b->rack.empty() ? b->rack : std::string("?");
    }
};

// The AZs, whether every broker's rack is known, and whether follower fetching is configured.
void readBrokers(Traffic &t, const ClusterSnapshot &s, const RackOf &rackOf)
{
    std::set<std::string> azs;
    t.racksKnown = !s.brokers.empty();
    bool configsRead = false;
    std::vector<std::string> selectors;
    for (const auto &b : s.brokers) {
        azs.insert(rackOf(b.id));
        t.racksKnown = t.racksKnown && b.rackKnown && !b.rack.empty();
        configsRead = configsRead || !b.configs.empty();
        if (auto it = b.configs.find("replica.selector.class"); it != b.configs.end() && !it->second.empty()) {
            if (rackAwareSelector(b))
                t.followerFetching = true;
            selectors.push_back("broker " + std::to_string(b.id) + ": " + it->second);
        }
    }
    t.azs.assign(azs.begin(), azs.end());
    if (!configsRead)
        t.followerFetchingDetail = "unknown: the broker configs could not be read";
    else if (t.followerFetching)
        t.followerFetchingDetail = "on (replica.selector.class " +
                                   selectors.front().substr(selectors.front().find(": ") + 2) +
                                   "); consumers must also set client.rack";
    else
        t.followerFetchingDetail = "off (replica.selector.class not set to RackAwareReplicaSelector)";
}

// Producers spread evenly over the AZs to each partition's leader; the leader to each follower.
void addProduceAndReplication(Traffic &t, const ClusterSnapshot &s, const TrafficInputs &in, const RackOf &rackOf)
{
    const double n = double(std::max<size_t>(1, t.azs.size()));
    for (const auto &topic : s.topics)
        for (const auto &p : topic.partitions) {
            if (p.offline())
                continue;
            const auto it = in.produceBytesPerSecond.find({topic.name, p.partition});
            if (it == in.produceBytesPerSecond.end()) {
                ++t.partitionsWithoutRate;
                continue;
            }
            const double w = it->second;
            const std::string leader = rackOf(p.leader);
            TopicTraffic &tt = t.topics[topic.name];
            tt.produced += w;
            for (const auto &az : t.azs) {
                t.produce.add(az, leader, w / n);
                if (az != leader)
                    tt.produceCross += w / n;
            }
            for (int32_t r : p.replicas) {
                if (r == p.leader)
                    continue;
                const std::string follower = rackOf(r);
                t.replication.add(leader, follower, w);
                if (follower != leader)
                    tt.replicationCross += w;
            }
        }
}

// One group partition's reads at `bytes` per second: from the client's AZ where follower fetching lets it read an
// in-sync replica there, else from the leader's. `clientAz` empty: the clients spread evenly over the AZs.
void addPartitionReads(Traffic &t, const RackOf &rackOf, const TopicPartition &tp, const PartitionInfo &p,
                       const std::string &clientAz, double bytes)
{
    const std::string leader = rackOf(p.leader);
    std::set<std::string> inSync;
    for (int32_t r : p.isr)
        inSync.insert(rackOf(r));
    auto source = [&](const std::string &client, bool followerFetching) {
        return followerFetching && inSync.count(client) ? client : leader;
    };
    TopicTraffic &tt = t.topics[tp.topic];
    auto read = [&](const std::string &client, double b) {
        const std::string from = source(client, t.followerFetching);
        t.consume.add(from, client, b);
        if (from != client)
            tt.consumeCross += b;
        if (source(client, true) != client)
            t.consumeCrossWithFollowerFetching += b;
    };
    if (!clientAz.empty()) {
        read(clientAz, bytes);
    } else {
        const double n = double(std::max<size_t>(1, t.azs.size()));
        for (const auto &az : t.azs)
            read(az, bytes / n);
    }
}

// Consumers: the member that owns a partition, its host mapped to an AZ by the rules; else spread evenly.
void addConsumption(Traffic &t, const ClusterSnapshot &s, const TrafficInputs &in, const RackOf &rackOf)
{
    int64_t mapped = 0, unmapped = 0;
    for (const auto &g : s.groups) {
        const auto rates = in.consumeBytesPerSecond.find(g.groupId);
        if (rates == in.consumeBytesPerSecond.end())
            continue;
        std::map<TopicPartition, std::string> ownerAz;
        for (const auto &m : g.members)
            for (const auto &a : m.assignment)
                ownerAz[a] = clientAz(in.clientAzs, m.host);
        const TopicInfo *topic = nullptr; // the rates come by topic: looked up once per topic (500 topics: a search
        const std::string *topicName = nullptr; // each over 200,000 group partitions took 60 ms)
        for (const auto &[tp, c] : rates->second) {
            if (c <= 0)
                continue;
            if (!topicName || *topicName != tp.topic) {
                topic = s.topic(tp.topic);
                topicName = &tp.topic;
            }
            const PartitionInfo *p = topic ? topic->findPartition(tp.partition) : nullptr;
            if (!p || p->offline())
                continue;
            const auto owner = ownerAz.find(tp);
            const std::string az = owner != ownerAz.end() ? owner->second : std::string();
            ++(az.empty() ? unmapped : mapped);
            addPartitionReads(t, rackOf, tp, *p, az, c);
        }
    }
    if (mapped + unmapped == 0)
        t.consumeAssumption = "no consume rate measured yet";
    else if (mapped == 0)
        t.consumeAssumption = in.clientAzs.empty()
                                  ? "consumers taken as spread evenly over the AZs (no client AZ rules in the profile)"
                                  : "no consumer host matched the client AZ rules: taken as spread evenly";
    else
        t.consumeAssumption = std::to_string(mapped) + " of " + std::to_string(mapped + unmapped) +
                              " group partitions from member hosts mapped by the client AZ rules" +
                              (unmapped ? ", the rest taken as spread evenly" : "");
}

} // namespace

Traffic computeTraffic(const ClusterSnapshot &s, const TrafficInputs &in)
{
    Traffic t;
    validateClientAzRules(in.clientAzs);
    const RackOf rackOf{s};
    readBrokers(t, s, rackOf);
    t.produceAssumption = "producers taken as spread evenly over the " + std::to_string(t.azs.size()) +
                          " AZs (Kafka does not reveal producer addresses)";
    t.replicationBasis = "each partition's produce rate times its leader-rack to follower-rack pairs";
    addProduceAndReplication(t, s, in, rackOf);
    addConsumption(t, s, in, rackOf);
    return t;
}

} // namespace kp
