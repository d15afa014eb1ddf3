#pragma once

// The workload the seed tool writes into the test cluster, and the truth the integration tests assert. Both sides
// compute from these definitions; the collector reads the cluster independently, so a test passes only when what it
// read matches what was written.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kp::seed {

struct Topic
{
    std::string name;
    int partitions;
    int replicationFactor;
    std::vector<std::pair<std::string, std::string>> configs;
    int valueBytes;
    int64_t baseCount;    // messages in partition 0
    int64_t perPartition; // extra messages per partition index
    bool keyed;           // compacted topics need keys
};

inline const std::vector<Topic> &topics()
{
    static const std::vector<Topic> t{
        {"orders", 12, 3, {{"retention.ms", "604800000"}, {"min.insync.replicas", "2"}}, 200, 50, 3, false},
        {"clickstream", 64, 2, {{"retention.ms", "86400000"}, {"compression.type", "lz4"}}, 100, 20, 3, false},
        {"features", 8, 3, {{"cleanup.policy", "compact"}, {"min.insync.replicas", "2"}}, 300, 30, 3, true},
        {"audit-log", 1, 1, {{"retention.bytes", "1073741824"}, {"retention.ms", "-1"}}, 500, 500, 0, false},
        {"training-events", 24, 3, {{"retention.ms", "2592000000"}, {"segment.bytes", "8388608"}}, 400, 40, 3, false},
    };
    return t;
}

inline const Topic *topic(const std::string &name)
{
    for (const auto &t : topics())
        if (t.name == name)
            return &t;
    return nullptr;
}

inline int64_t messages(const Topic &t, int partition)
{
    return t.baseCount + t.perPartition * partition;
}

enum class GroupKind { CaughtUp, Lagging, Stopped, Active };

struct Group
{
    std::string id;
    std::string topic;
    GroupKind kind;
};

inline const std::vector<Group> &groups()
{
    static const std::vector<Group> g{
        {"kp-caught-up", "orders", GroupKind::CaughtUp},
        {"kp-lagging", "clickstream", GroupKind::Lagging},
        {"kp-stopped", "features", GroupKind::Stopped},
        {"kp-active", "training-events", GroupKind::Active},
    };
    return g;
}

// The committed offset of a group on one partition of its topic.
inline int64_t committed(const Group &g, int partition)
{
    const Topic &t = *topic(g.topic);
    const int64_t end = messages(t, partition);
    switch (g.kind) {
    case GroupKind::CaughtUp:
    case GroupKind::Active:
        return end;
    case GroupKind::Lagging:
        return end - (partition + 1); // lag p+1: 2,080 in all on 64 partitions
    case GroupKind::Stopped:
        return end / 2;
    }
    return -1;
}

inline int64_t expectedLag(const Group &g, int partition)
{
    return messages(*topic(g.topic), partition) - committed(g, partition);
}

inline const char *kActiveClientId = "kp-active-consumer";

// Users created at storage format time by tests/cluster/cluster.sh.
inline const char *kAdminUser = "admin";
inline const char *kAdminPassword = "admin-secret";
inline const char *kInspectorUser = "inspector";
inline const char *kInspectorPassword = "inspector-secret";
inline const char *kLimitedUser = "limited"; // Describe on topics only: no cluster, group or config rights
inline const char *kLimitedPassword = "limited-secret";
inline const char *kReaderUser = "reader"; // Describe and Read on topics, nothing on the cluster: sizes are estimated
inline const char *kReaderPassword = "reader-secret";

inline const char *kPlaintextBootstrap = "127.0.0.1:19091,127.0.0.1:19092,127.0.0.1:19093";
inline const char *kSaslBootstrap = "127.0.0.1:19191,127.0.0.1:19192,127.0.0.1:19193";
inline const char *kSslBootstrap = "127.0.0.1:19391,127.0.0.1:19392,127.0.0.1:19393";
inline const char *kSaslSslBootstrap = "127.0.0.1:19491,127.0.0.1:19492,127.0.0.1:19493";
// OAUTHBEARER with OIDC client credentials: the listener trusts the keys of cluster.sh's token endpoint
// (oidc-server.py), whose clients name a principal each (kp-inspector: inspector).
inline const char *kOidcBootstrap = "127.0.0.1:19591,127.0.0.1:19592,127.0.0.1:19593";
inline const char *kTokenEndpoint = "http://127.0.0.1:19590/token";
inline const char *kOidcInspectorClient = "kp-inspector";
inline const char *kOidcInspectorSecret = "kp-inspector-secret";

inline const std::vector<std::string> &racks()
{
    static const std::vector<std::string> r{"az-a", "az-b", "az-c"};
    return r;
}

} // namespace kp::seed
