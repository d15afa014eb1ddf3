#include "kafka/clusterwire.h"

#include "kafka/wire/brokerconnection.h"
#include "kafka/wire/messages.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

namespace kp {

namespace {

using Clock = std::chrono::steady_clock;

// A connection at `b`, opened; throws WireError.
std::unique_ptr<wire::BrokerConnection> openAt(const ConnectionProfile &profile, const BrokerAddress &b, int timeoutMs,
                                               const std::atomic<bool> *cancel)
{
    auto conn = std::make_unique<wire::BrokerConnection>(profile, b.host, b.port, timeoutMs, cancel);
    conn->open();
    return conn;
}

wire::MetadataResponse askMetadata(wire::BrokerConnection &conn, bool allTopics)
{
    const int16_t version = wire::pickVersion(conn.apiVersions(), wire::kMetadata, 9, 12);
    if (version < 0)
        throw wire::WireError(conn.address() + " offers no Metadata version from 9 to 12");
    return wire::decodeMetadataResponse(
        version, conn.call(wire::kMetadata, version, wire::encodeMetadataRequest(version, allTopics)));
}

} // namespace

std::vector<BrokerAddress> bootstrapAddresses(const std::string &bootstrap)
{
    std::vector<BrokerAddress> out;
    std::stringstream in(bootstrap);
    std::string entry;
    while (std::getline(in, entry, ',')) {
        entry.erase(0, entry.find_first_not_of(" \t"));
        entry.erase(entry.find_last_not_of(" \t") + 1);
        const size_t colon = entry.rfind(':');
        if (colon == std::string::npos || colon == 0)
            continue;
        std::string host = entry.substr(0, colon);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
        const std::string port = entry.substr(colon + 1);
        if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const int p = std::stoi(port);
        if (p > 0 && p <= 65535)
            out.push_back({-1, host, p});
    }
    return out;
}

std::vector<BrokerAddress> raceBootstrap(const ConnectionProfile &profile, int timeoutMs, int graceMs,
                                         const std::atomic<bool> *cancel)
{
    const std::vector<BrokerAddress> servers = bootstrapAddresses(profile.bootstrap);
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<BrokerAddress> answered;
    size_t finished = 0;
    std::vector<std::thread> threads;
    for (const auto &server : servers)
        threads.emplace_back([&, server] {
            bool ok = true;
            try {
                auto conn = openAt(profile, server, timeoutMs, &stop);
                askMetadata(*conn, false);
            } catch (const std::exception &) {
                ok = false; // librdkafka, left to try after the race, says why
            }
            std::lock_guard lock(mutex);
            if (ok)
                answered.push_back(server);
            ++finished;
            changed.notify_all();
        });
    {
        std::unique_lock lock(mutex);
        auto end = Clock::now() + std::chrono::milliseconds(timeoutMs);
        while (finished < servers.size() && Clock::now() < end && !(cancel && cancel->load())) {
            changed.wait_for(lock, std::chrono::milliseconds(20));
            if (!answered.empty())
                end = std::min(end, Clock::now() + std::chrono::milliseconds(graceMs));
        }
        stop = true; // the slower ones end within 100 ms (their waits are sliced)
    }
    for (auto &t : threads)
        t.join();
    return answered;
}

std::optional<wire::MetadataResponse> metadataFromFirst(const ConnectionProfile &profile,
                                                        const std::vector<BrokerAddress> &preferred, int timeoutMs,
                                                        const std::atomic<bool> *cancel)
{
    for (const auto &b : preferred) {
        try {
            auto conn = openAt(profile, b, timeoutMs, cancel);
            return askMetadata(*conn, true);
        } catch (const std::exception &) {
            if (cancel && cancel->load())
                break; // else the next one
        }
    }
    return std::nullopt;
}

ConfigsAnswer describeConfigsAtFirst(const ConnectionProfile &profile, const std::vector<BrokerAddress> &brokers,
                                     const std::vector<wire::ConfigResourceRequest> &resources,
                                     const std::vector<std::string> &keys, size_t batch, int timeoutMs,
                                     const std::atomic<bool> *cancel)
{
    ConfigsAnswer out;
    std::vector<std::string> bodies;
    for (size_t i = 0; i < resources.size(); i += std::max<size_t>(1, batch)) {
        const auto end = resources.begin() + std::ptrdiff_t(std::min(resources.size(), i + std::max<size_t>(1, batch)));
        bodies.push_back(wire::encodeDescribeConfigsRequest(4, {resources.begin() + std::ptrdiff_t(i), end}, keys));
    }
    if (brokers.empty())
        out.error = "no broker to ask";
    for (const auto &b : brokers) {
        try {
            auto conn = openAt(profile, b, timeoutMs, cancel);
            if (wire::pickVersion(conn->apiVersions(), wire::kDescribeConfigs, 4, 4) < 0)
                throw wire::WireError(brokerName(b) + " does not offer DescribeConfigs version 4");
            out.results.clear();
            for (const auto &response : conn->callAll(wire::kDescribeConfigs, 4, bodies))
                for (auto &r : wire::decodeDescribeConfigsResponse(4, response))
                    out.results.push_back(std::move(r));
            out.error.clear();
            return out;
        } catch (const wire::WireTimeout &e) {
            out.error = std::string("DescribeConfigs on ") + brokerName(b) + ": " + e.what();
            out.silent = true;
        } catch (const std::exception &e) {
            out.error = std::string("DescribeConfigs on ") + brokerName(b) + ": " + e.what();
            out.silent = false;
        }
        if (cancel && cancel->load())
            break;
    }
    return out;
}

} // namespace kp
