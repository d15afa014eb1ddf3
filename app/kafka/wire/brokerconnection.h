#pragma once

#include "kafka/wire/messages.h"
#include "models/connectionprofile.h"

#include <QElapsedTimer>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

class QTcpSocket;

namespace kp::wire {

// A connection failed, was refused, or timed out; what() is a message for a person.
class WireError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// The broker accepted the connection but did not answer within the timeout (a frozen or overloaded broker): a later
// request in the same collection need not wait for it again.
class WireTimeout : public WireError
{
public:
    using WireError::WireError;
};

// A blocking connection to one broker over the profile's own security settings (PLAINTEXT, SSL through QSslSocket,
// SASL PLAIN and SCRAM-SHA-256/512), for the requests librdkafka lacks. Every wait is bounded by the timeout and
// checks the cancel flag. Use it from a worker thread only.
class BrokerConnection
{
public:
    BrokerConnection(const ConnectionProfile &profile, std::string host, int port, int timeoutMs,
                     const std::atomic<bool> *cancel = nullptr);
    ~BrokerConnection();
    BrokerConnection(const BrokerConnection &) = delete;
    BrokerConnection &operator=(const BrokerConnection &) = delete;

    // Connects, negotiates TLS, asks ApiVersions and authenticates. Throws WireError.
    void open();
    const std::map<int16_t, VersionRange> &apiVersions() const { return m_apis; }
    // Sends one request and returns the response body after its header. Throws WireError or ProtocolError.
    std::string call(int16_t api, int16_t version, const std::string &body);
    // Sends every request before reading the first answer (a broker answers one connection's requests in order),
    // and returns the response bodies in the same order. Throws like call().
    std::vector<std::string> callAll(int16_t api, int16_t version, const std::vector<std::string> &bodies);

    std::string address() const { return m_host + ":" + std::to_string(m_port); }

private:
    void authenticate();
    void waitUntil(const std::function<bool(int)> &step, const char *what);
    std::string readResponse(int16_t api, int16_t version, int32_t correlation);
    void writeAll(const std::string &bytes);
    std::string readExactly(size_t n);
    int remainingMs() const;
    void checkCancel() const;

    ConnectionProfile m_profile;
    std::string m_host;
    int m_port;
    int m_timeoutMs;
    const std::atomic<bool> *m_cancel;
    std::unique_ptr<QTcpSocket> m_socket;
    QElapsedTimer m_clock;
    int32_t m_correlation = 0;
    std::map<int16_t, VersionRange> m_apis;
};

struct BrokerLogDirs
{
    int16_t version = -1;
    DescribeLogDirsResponse response;
};

// Opens a connection and asks DescribeLogDirs for every topic at the highest version both sides speak (1 to 4).
BrokerLogDirs describeLogDirs(const ConnectionProfile &profile, const std::string &host, int port, int timeoutMs,
                              const std::atomic<bool> *cancel = nullptr);

// Opens a connection and fetches raw record batches (Fetch v4) of the given partitions, all led by this broker.
FetchResponse fetchBatches(const ConnectionProfile &profile, const std::string &host, int port, int timeoutMs,
                           const std::vector<FetchPartitionRequest> &partitions,
                           const std::atomic<bool> *cancel = nullptr);

} // namespace kp::wire
