#pragma once

#include "models/clustersnapshot.h"
#include "models/traffic.h"

#include <string>
#include <vector>

namespace kp {

// How long one step of a collection (a request and its answer) may take unless the profile says otherwise; the
// command line's --timeout and the store's profiles default to it too.
constexpr int kDefaultTimeoutMs = 10000;

// How to reach one cluster. Secrets (password, sslKeyPassword) live here only in memory: the store keeps them in the
// system keyring, never in its own file.
struct ConnectionProfile
{
    std::string name;
    std::string bootstrap;
    std::string securityProtocol = "PLAINTEXT"; // PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL
    std::string saslMechanism;                  // PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER
    // The user; with OAUTHBEARER the principal an unsecured JWT names (its "sub" claim).
    std::string username;
    std::string password;
    std::string sslCaLocation;
    std::string sslCertLocation;
    std::string sslKeyLocation;
    std::string sslKeyPassword;
    ConfigMap extra; // further librdkafka properties, passed through as they are
    // Where the cluster's clients sit, for the cross-AZ traffic model ("10.1.0.0/16" -> "us-east-1a").
    std::vector<ClientAzRule> clientAzs;
    int timeoutMs = kDefaultTimeoutMs;

    bool usesSasl() const { return securityProtocol.rfind("SASL_", 0) == 0; }
    bool usesSsl() const { return securityProtocol == "SSL" || securityProtocol == "SASL_SSL"; }
    // OAUTHBEARER with OIDC client credentials: a token endpoint (extra's sasl.oauthbearer.token.endpoint.url), the
    // client id in `username`, its secret in `password` (the keyring), an optional scope (sasl.oauthbearer.scope).
    // Without an endpoint, OAUTHBEARER is an unsecured JWT naming `username` as the principal.
    bool usesOidc() const { return usesSasl() && saslMechanism == "OAUTHBEARER" && !oidcTokenEndpoint().empty(); }
    std::string oidcTokenEndpoint() const { return extraValue("sasl.oauthbearer.token.endpoint.url"); }
    std::string oidcScope() const { return extraValue("sasl.oauthbearer.scope"); }
    // Whether the login takes a secret (kept in the keyring): every SASL mechanism but OAUTHBEARER with an unsecured
    // JWT, whose token names the principal and is signed by nobody (brokers with Kafka's unsecured validator).
    bool hasSecret() const { return usesSasl() && (saslMechanism != "OAUTHBEARER" || usesOidc()); }
    bool needsPassword() const { return hasSecret() && password.empty(); }

    // Empty when the profile is usable; otherwise what is wrong, for a person.
    std::string validate() const;

private:
    std::string extraValue(const std::string &key) const
    {
        const auto it = extra.find(key);
        return it == extra.end() ? std::string() : it->second;
    }
};

struct ImportedProfile
{
    ConnectionProfile profile;
    std::vector<std::string> ignoredKeys; // Java client keys with no librdkafka meaning (serializers, ...)
};

// Parses the Java .properties syntax (comments, key=value / key:value / key value, line continuations, escapes).
// Throws FormatError naming the line.
ConfigMap parseJavaProperties(const std::string &text);

// Turns a Java client.properties (what Kafka's tools take with --command-config) into a profile.
// Throws FormatError naming the key and the reason.
// bootstrapOverride, when given, wins over bootstrap.servers (as --bootstrap-server does for Kafka's tools).
ImportedProfile profileFromClientProperties(const std::string &text, const std::string &name,
                                            const std::string &bootstrapOverride = {});
ImportedProfile profileFromClientPropertiesFile(const std::string &path, const std::string &name,
                                                const std::string &bootstrapOverride = {});

// Parses `...LoginModule required username="u" password="p";` from sasl.jaas.config.
bool parseJaasConfig(const std::string &jaas, std::string &username, std::string &password);
// One option of a JAAS line (key="value"); false when absent or malformed.
bool jaasOption(const std::string &jaas, const std::string &key, std::string &value);

} // namespace kp
