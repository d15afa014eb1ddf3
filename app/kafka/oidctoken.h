#pragma once

#include "kafka/wire/oauthbearer.h"
#include "models/connectionprofile.h"

// SASL OAUTHBEARER with OIDC client credentials: the app asks the profile's token endpoint for an access token with
// the client id and secret (HTTP Basic, URL-encoded as Kafka's Java client sends them; RFC 6749 section 4.4), and both
// of its Kafka clients, librdkafka and the wire client, log in with that one token. A token is kept (in memory only)
// until a minute before it expires, so that the clients of one sample ask the endpoint once.
namespace kp {

// The profile's token, fetched or kept. Throws std::runtime_error naming the endpoint and what failed: not reached
// (and why), refused (the HTTP status and the OAuth error it gave), or an answer that is not a usable JWT.
wire::AccessToken oidcAccessToken(const ConnectionProfile &profile, int timeoutMs);

// What a broker's refusal of such a token says, for either client: "SASL OAUTHBEARER login refused by WHERE: ...".
std::string oidcTokenRefused(const ConnectionProfile &profile, const std::string &where, const std::string &why);

} // namespace kp
