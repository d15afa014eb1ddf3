#pragma once

#include "kafka/brokeraddress.h"
#include "kafka/rdkafkahandles.h"
#include "models/connectionprofile.h"

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

    // Waits until a broker answers metadata, or the deadline or an authentication failure; throws Cancelled when the
    // cancel flag is set.
    // Returns an empty string on success, else a message naming the bootstrap servers and the cause.
    // The bootstrap servers are first asked all at once over the app's own client (see answeringBootstrap).
    std::string connect(int timeoutMs, const std::atomic<bool> *cancel);
    // The bootstrap servers that answered at connect(), fastest first (empty before it, or when the app's own client
    // could not reach any). The handle (get()) may be a new one after connect().
    const std::vector<BrokerAddress> &answeringBootstrap() const { return m_answering; }

private:
    rdk::Handle makeHandle(const std::string &bootstrap);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);
    static void onLog(const rd_kafka_t *rk, int level, const char *fac, const char *buf);
    static void onTokenRefresh(rd_kafka_t *rk, const char *config, void *opaque);

    ConnectionProfile m_profile;
    std::string m_clientId;
    rdk::Handle m_handle;
    std::vector<BrokerAddress> m_answering;
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
