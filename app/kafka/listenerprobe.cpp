#include "kafka/listenerprobe.h"

#include "kafka/clusterwire.h"
#include "kafka/wire/brokerconnection.h"

#include <string>

namespace kp {

namespace {

enum class Listener { Plaintext, Sasl, NotPlaintextKafka, Unknown };

struct Probe
{
    Listener kind = Listener::Unknown;
    std::string mechanisms; // what a SASL listener offers, "PLAIN, SCRAM-SHA-256"
};

constexpr int16_t kSaslHandshake = 17;
constexpr int16_t kIllegalSaslState = 34;

// Plaintext ApiVersions, then SaslHandshake: a PLAINTEXT listener answers the handshake with ILLEGAL_SASL_STATE, a
// SASL one with its mechanisms; a TLS listener does not answer plaintext at all.
Probe probe(const std::string &host, int port, int timeoutMs)
{
    ConnectionProfile plain;
    plain.name = "probe";
    plain.bootstrap = host + ":" + std::to_string(port);
    wire::BrokerConnection c(plain, host, port, timeoutMs);
    try {
        c.open();
    } catch (const wire::WireError &e) {
        // Not even connected (refused, unresolved, filtered): librdkafka's message already says as much.
        if (std::string(e.what()).rfind("could not connect", 0) == 0)
            return {};
        return {Listener::NotPlaintextKafka, {}}; // connected, but closed or silent: no plaintext Kafka there
    } catch (const std::exception &) {
        return {Listener::NotPlaintextKafka, {}}; // answered with bytes that are no Kafka frame (a TLS alert)
    }
    try {
        const auto r =
            wire::decodeSaslHandshakeResponse(c.call(kSaslHandshake, 1, wire::encodeSaslHandshakeRequest("PLAIN")));
        if (r.errorCode == kIllegalSaslState)
            return {Listener::Plaintext, {}};
        std::string offered;
        for (const auto &m : r.mechanisms)
            offered += (offered.empty() ? "" : ", ") + m;
        return {Listener::Sasl, offered};
    } catch (const std::exception &) {
        return {};
    }
}

} // namespace

std::string listenerMismatch(const ConnectionProfile &profile, int timeoutMs)
{
    const std::string first = profile.bootstrap.substr(0, profile.bootstrap.find(','));
    const std::vector<BrokerAddress> address = bootstrapAddresses(first);
    if (address.empty())
        return {};
    const Probe p = probe(address.front().host, address.front().port, timeoutMs);
    const std::string at = "the listener at " + first;
    const bool ssl = profile.usesSsl(), sasl = profile.usesSasl();
    switch (p.kind) {
    case Listener::Plaintext:
        if (ssl || sasl)
            return at +
                   " speaks PLAINTEXT, without TLS or SASL: set security.protocol=PLAINTEXT, or use the port of "
                   "the cluster's " +
                   profile.securityProtocol + " listener";
        break;
    case Listener::Sasl:
        if (ssl || !sasl)
            return at + " speaks SASL_PLAINTEXT (it offers " + (p.mechanisms.empty() ? "no mechanism" : p.mechanisms) +
                   "): set security.protocol=SASL_PLAINTEXT with sasl.mechanism and sasl.jaas.config, or use the port "
                   "of the cluster's " +
                   profile.securityProtocol + " listener";
        break;
    case Listener::NotPlaintextKafka:
        if (!ssl)
            return at + " does not answer plaintext Kafka requests: it is probably a TLS listener (SSL or SASL_SSL); "
                        "set security.protocol to match it and give the CA (ssl.truststore.location)";
        break;
    case Listener::Unknown:
        break;
    }
    return {};
}

} // namespace kp
