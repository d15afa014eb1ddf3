#pragma once

#include "connectionprofile.h"
#include "rdkafkahandles.h"

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace kp {

// One librdkafka client for one profile, with the errors librdkafka reports in the background (connection refused,
// authentication failed, certificate not trusted) kept so that a failed call can say why.
class KafkaClient
{
public:
    // Throws std::runtime_error with a person-readable message when a property is refused.
    explicit KafkaClient(const ConnectionProfile &profile, const std::string &clientIdSuffix = "collector");
    ~KafkaClient();
    KafkaClient(const KafkaClient &) = delete;
    KafkaClient &operator=(const KafkaClient &) = delete;

    rd_kafka_t *get() const { return m_handle.get(); }
    const ConnectionProfile &profile() const { return m_profile; }

    // The most telling background error since the client started: authentication and TLS errors win over transport.
    std::string lastBackgroundError() const;
    bool authenticationFailed() const { return m_authFailed.load(); }

    // Waits until a broker answers metadata, or the deadline, the cancel flag or an authentication failure.
    // Returns an empty string on success, else a message naming the bootstrap servers and the cause.
    std::string connect(int timeoutMs, const std::atomic<bool> *cancel);

private:
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);
    static void onLog(const rd_kafka_t *rk, int level, const char *fac, const char *buf);

    ConnectionProfile m_profile;
    rdk::Handle m_handle;
    mutable std::mutex m_mutex;
    std::string m_lastError;
    int m_lastErrorRank = 0;
    std::atomic<bool> m_authFailed{false};
    std::atomic<bool> m_tlsFailed{false};
};

std::string rdErrorText(rd_kafka_resp_err_t err);

// The librdkafka this program runs with ("2.8.0"), and whether it can log in with SCRAM to Kafka 4.x: 2.6.1 and later
// (librdkafka#4895). Versions compare as numbers: as text "2.10.0" < "2.6.1".
std::string librdkafkaVersion();
bool librdkafkaScramWorksOnKafka4();

} // namespace kp
