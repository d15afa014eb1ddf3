#include "kafka/kafkaclient.h"

#include "kafka/clusterwire.h"
#include "kafka/listenerprobe.h"
#include "kafka/oidctoken.h"
#include "models/cancelled.h"
#include "models/units.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <stdexcept>
#include <thread>

namespace kp {

std::string rdErrorText(rd_kafka_resp_err_t err)
{
    return rd_kafka_err2str(err);
}

namespace {

void setOrThrow(rd_kafka_conf_t *conf, const std::string &key, const std::string &value, bool secret = false)
{
    char errstr[512];
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        throw std::runtime_error("client property " + key + (secret ? std::string() : "=" + value) +
                                 " was refused: " + errstr);
}

// librdkafka's refusal of a missing file is "ssl.ca.location failed: error:05880002:x509 certificate routines::system
// lib": the path and the setting it came from say more.
void requireReadableFile(const std::string &path, const char *setting, const char *what)
{
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        throw std::runtime_error(std::string("the ") + what + " " + path + " (" + setting +
                                 ") cannot be read: " + std::strerror(errno));
    std::fclose(f);
}

} // namespace

KafkaClient::KafkaClient(const ConnectionProfile &profile, const std::string &clientIdSuffix)
    : m_profile(profile), m_clientId("kafka-planner-" + clientIdSuffix)
{
    if (auto err = profile.validate(); !err.empty())
        throw std::runtime_error(err);
    m_handle = makeHandle(profile.bootstrap);
}

void KafkaClient::onTokenRefresh(rd_kafka_t *rk, const char *, void *opaque)
{
    const ConnectionProfile &profile = static_cast<KafkaClient *>(opaque)->m_profile;
    try {
        const wire::AccessToken t = oidcAccessToken(profile, profile.timeoutMs);
        char errstr[512];
        if (rd_kafka_oauthbearer_set_token(rk, t.token.c_str(), t.expiresAtMs, t.principal.c_str(), nullptr, 0, errstr,
                                           sizeof errstr) != RD_KAFKA_RESP_ERR_NO_ERROR)
            rd_kafka_oauthbearer_set_token_failure(rk, errstr);
    } catch (const std::exception &e) {
        rd_kafka_oauthbearer_set_token_failure(rk, e.what());
    }
}

rdk::Handle KafkaClient::makeHandle(const std::string &bootstrap)
{
    const ConnectionProfile &profile = m_profile;
    rdk::Conf conf(rd_kafka_conf_new());
    rd_kafka_conf_t *c = conf.get();
    setOrThrow(c, "bootstrap.servers", bootstrap);
    setOrThrow(c, "client.id", m_clientId);
    setOrThrow(c, "security.protocol", profile.securityProtocol);
    setOrThrow(c, "socket.timeout.ms", std::to_string(std::max(1000, profile.timeoutMs)));
    setOrThrow(c, "socket.connection.setup.timeout.ms", std::to_string(std::max(1000, profile.timeoutMs)));
    setOrThrow(c, "reconnect.backoff.max.ms", "2000");
    setOrThrow(c, "enable.auto.commit", "false"); // read-only: never commit anything by accident
    setOrThrow(c, "enable.partition.eof", "false");
    setOrThrow(c, "allow.auto.create.topics", "false");
    setOrThrow(c, "log.connection.close", "false");
    if (profile.usesOidc()) {
        // The app's token (oidctoken.h), the same the wire client logs in with: fetched here first, so that a token
        // endpoint that is down or refuses the client fails here with its reason; librdkafka asks again through the
        // refresh callback on its background thread (the token is kept until a minute before it expires).
        oidcAccessToken(profile, profile.timeoutMs);
        setOrThrow(c, "sasl.mechanisms", "OAUTHBEARER");
        rd_kafka_conf_set_oauthbearer_token_refresh_cb(c, &KafkaClient::onTokenRefresh);
        rd_kafka_conf_enable_sasl_queue(c, 1);
    } else if (profile.usesSasl() && profile.saslMechanism == "OAUTHBEARER") {
        // An unsecured JWT naming the principal, made by librdkafka (brokers with Kafka's unsecured validator).
        setOrThrow(c, "sasl.mechanisms", "OAUTHBEARER");
        setOrThrow(c, "enable.sasl.oauthbearer.unsecure.jwt", "true");
        setOrThrow(c, "sasl.oauthbearer.config", "principal=" + profile.username);
    } else if (profile.usesSasl()) {
        setOrThrow(c, "sasl.mechanisms", profile.saslMechanism);
        setOrThrow(c, "sasl.username", profile.username);
        setOrThrow(c, "sasl.password", profile.password, true);
    }
    if (!profile.sslCaLocation.empty()) {
        requireReadableFile(profile.sslCaLocation, "ssl.truststore.location", "CA certificate file");
        setOrThrow(c, "ssl.ca.location", profile.sslCaLocation);
    }
    if (!profile.sslCertLocation.empty()) {
        requireReadableFile(profile.sslCertLocation, "ssl.keystore.location", "client certificate file");
        setOrThrow(c, "ssl.certificate.location", profile.sslCertLocation);
    }
    if (!profile.sslKeyLocation.empty()) {
        requireReadableFile(profile.sslKeyLocation, "ssl.keystore.location", "client key file");
        setOrThrow(c, "ssl.key.location", profile.sslKeyLocation);
    }
    if (auto ks = profile.extra.find("ssl.keystore.location"); ks != profile.extra.end())
        requireReadableFile(ks->second, "ssl.keystore.location", "PKCS12 keystore");
    if (!profile.sslKeyPassword.empty())
        setOrThrow(c, profile.extra.count("ssl.keystore.location") ? "ssl.keystore.password" : "ssl.key.password",
                   profile.sslKeyPassword, true);
    // The OIDC settings are the app's own (oidctoken.h), not librdkafka's.
    static const std::set<std::string> oidcKeys{"sasl.oauthbearer.method", "sasl.oauthbearer.token.endpoint.url",
                                                "sasl.oauthbearer.scope", "https.ca.location"};
    for (const auto &[k, v] : profile.extra)
        if (!oidcKeys.count(k))
            setOrThrow(c, k, v, k.find("password") != std::string::npos || k.find("secret") != std::string::npos);

    rd_kafka_conf_set_opaque(c, this);
    rd_kafka_conf_set_error_cb(
        c, [](rd_kafka_t *rk, int err, const char *reason, void *opaque) { onError(rk, err, reason, opaque); });
    rd_kafka_conf_set_log_cb(c, &KafkaClient::onLog);

    char errstr[512];
    // A consumer-type handle: offsets_for_times and the admin API both work on it, and it never produces.
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, errstr, sizeof errstr);
    if (!rk)
        throw std::runtime_error(std::string("could not create the Kafka client: ") + errstr);
    conf.release(); // owned by rk now
    if (profile.usesOidc())
        if (rd_kafka_error_t *e = rd_kafka_sasl_background_callbacks_enable(rk)) {
            const std::string why = rd_kafka_error_string(e);
            rd_kafka_error_destroy(e);
            rd_kafka_destroy(rk);
            throw std::runtime_error("could not create the Kafka client: " + why);
        }
    return rdk::Handle(rk);
}

KafkaClient::~KafkaClient()
{
    // rd_kafka_destroy on a consumer that never subscribed returns promptly; the handle goes first.
    m_handle.reset();
}

void KafkaClient::onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<KafkaClient *>(opaque);
    const auto code = rd_kafka_resp_err_t(err);
    int rank = 1;
    if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION) {
        rank = 4;
        self->m_authFailed = true;
    } else if (code == RD_KAFKA_RESP_ERR__SSL) {
        rank = 3;
        // An untrusted certificate will not become trusted by retrying: stop waiting.
        if (reason && std::string(reason).find("certificate verify failed") != std::string::npos)
            self->m_tlsFailed = true;
    } else if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
        rank = 0; // says less than the transport error before it
    } else if (code == RD_KAFKA_RESP_ERR__TRANSPORT || code == RD_KAFKA_RESP_ERR__RESOLVE) {
        rank = 2;
    }
    std::lock_guard lock(self->m_mutex);
    if (rank >= self->m_lastErrorRank) {
        self->m_lastErrorRank = rank;
        self->m_lastError = reason ? reason : rd_kafka_err2str(code);
    }
}

void KafkaClient::onLog(const rd_kafka_t *, int, const char *, const char *)
{
    // librdkafka repeats what error_cb already reported; keep stderr clean for the CLI's JSON.
}

std::string KafkaClient::lastBackgroundError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

std::string KafkaClient::connect(int timeoutMs, const std::atomic<bool> *cancel)
{
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::milliseconds(timeoutMs);
    // librdkafka keeps sending metadata requests to the bootstrap server it reached first, even when that one froze
    // just after the handshake: each waits out its timeout and the others are never tried. So every bootstrap server
    // is asked at once over the app's own client first; when some answered and others did not, librdkafka starts
    // again with those that answered. (Where the app's client cannot connect at all, librdkafka is left to try.)
    m_answering = raceBootstrap(m_profile, timeoutMs, 200, cancel);
    if (!m_answering.empty() && m_answering.size() < bootstrapAddresses(m_profile.bootstrap).size()) {
        std::string answering;
        for (const auto &b : m_answering)
            answering += (answering.empty() ? "" : ",") + hostPort(b);
        m_handle.reset();
        m_authFailed = false;
        m_tlsFailed = false;
        m_handle = makeHandle(answering);
    }
    while (true) {
        if (cancel && cancel->load())
            throw Cancelled();
        rd_kafka_poll(m_handle.get(), 0); // serves error_cb: connection refused, authentication failed, TLS
        if (m_authFailed || m_tlsFailed)
            break;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0)
            break;
        const rd_kafka_metadata_t *md = nullptr;
        // A metadata request for no topic: the cheapest proof that a broker answers.
        rd_kafka_resp_err_t err = rd_kafka_metadata(m_handle.get(), 0, nullptr, &md, int(std::min<int64_t>(left, 250)));
        rdk::Metadata guard(md);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
            return {};
        if (err != RD_KAFKA_RESP_ERR__TIMED_OUT && err != RD_KAFKA_RESP_ERR__TRANSPORT)
            return "metadata request failed: " + rdErrorText(err);
    }
    rd_kafka_poll(m_handle.get(), 0);
    std::string why = lastBackgroundError();
    // A listener of another protocol fails in ways that name the wrong cause ("brokers are down", "check the password",
    // "SSL handshake failed"): one look at the listener says what it speaks.
    const bool saslStateError = why.find("not valid in current SASL state") != std::string::npos;
    if (!(m_authFailed && !saslStateError) && why.find("certificate verify failed") == std::string::npos &&
        !(cancel && cancel->load()))
        if (const std::string mismatch = listenerMismatch(m_profile, std::min(timeoutMs, 3000)); !mismatch.empty())
            return "could not connect to " + m_profile.bootstrap + ": " + mismatch +
                   (why.empty() ? std::string() : " (" + why + ")");
    if (why.find("Unsupported SASL mechanism") != std::string::npos)
        return "could not log in to " + m_profile.bootstrap + ": the listener does not accept SASL " +
               m_profile.saslMechanism + "; use a mechanism it offers, or another listener (" + why + ")";
    if (m_authFailed && m_profile.usesOidc())
        return oidcTokenRefused(m_profile, m_profile.bootstrap, why);
    if (m_authFailed) {
        std::string msg = "SASL authentication failed for user '" + m_profile.username + "' on " + m_profile.bootstrap +
                          ": check the user name and password (" + why + ")";
        if (m_profile.saslMechanism.rfind("SCRAM", 0) == 0 && !librdkafkaScramWorksOnKafka4())
            msg += ". If the brokers run Apache Kafka 4.x, a correct password fails too: librdkafka " +
                   std::string(rd_kafka_version_str()) +
                   " sends a SCRAM nonce that 4.x brokers reject (librdkafka#4895, fixed in 2.6.1); use SASL PLAIN "
                   "over TLS or a build with a newer librdkafka";
        return msg;
    }
    if (why.find("certificate verify failed") != std::string::npos)
        return "TLS with " + m_profile.bootstrap +
               " failed: the broker's certificate was not trusted; check the CA certificate (" +
               (m_profile.sslCaLocation.empty() ? std::string("none given: the system's CAs were used")
                                                : m_profile.sslCaLocation) +
               "): " + why;
    return "could not reach any bootstrap server (" + m_profile.bootstrap + ") within " + formatSeconds(timeoutMs) +
           (why.empty() ? std::string() : ": " + why);
}

std::string librdkafkaVersion()
{
    return rd_kafka_version_str();
}

bool librdkafkaScramWorksOnKafka4()
{
    return rd_kafka_version() >= 0x020601ff; // 2.6.1 released (0xMMmmrrxx, xx = 0xff for a release)
}

} // namespace kp
