#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

// Where the app's own wire connections go: a broker's id and listener address, as metadata named them.
namespace kp {

struct BrokerAddress
{
    int32_t id = -1;
    std::string host;
    int port = -1;
};

// "127.0.0.1:19092", as a bootstrap list spells it.
inline std::string hostPort(const BrokerAddress &b)
{
    return b.host + ":" + std::to_string(b.port);
}

// "broker 2 (127.0.0.1:19092)", as problems name a broker.
inline std::string brokerName(const BrokerAddress &b)
{
    return "broker " + std::to_string(b.id) + " (" + hostPort(b) + ")";
}

// The broker with this id, or null when metadata did not list it.
inline const BrokerAddress *findBroker(const std::vector<BrokerAddress> &brokers, int32_t id)
{
    auto it = std::find_if(brokers.begin(), brokers.end(), [id](const BrokerAddress &b) { return b.id == id; });
    return it == brokers.end() ? nullptr : &*it;
}

} // namespace kp
