#pragma once

#include <cstdint>
#include <string>

// SASL OAUTHBEARER (RFC 7628, KIP-255) for the app's own broker connections, with an unsecured JWT: the token names
// the principal and is signed by nobody ("alg": "none"), as librdkafka's enable.sasl.oauthbearer.unsecure.jwt and the
// Java client's unsecuredLoginStringClaim_sub make it. Brokers accept it with Kafka's unsecured validator only.
namespace kp::wire {

// header.payload. with {"alg":"none"} and {"sub": principal, "iat": now, "exp": now + lifetime}, base64url.
std::string unsecuredJwt(const std::string &principal, int64_t nowSeconds, int64_t lifetimeSeconds = 3600);

// An access token from an OIDC token endpoint (RFC 6749 section 4.4, client credentials), what a login needs of it.
struct AccessToken
{
    std::string token;       // the JWT, sent as it is
    std::string principal;   // its "sub" claim
    int64_t expiresAtMs = 0; // its "exp" claim
};

// Reads a token endpoint's answer (JSON with access_token, token_type, expires_in) and the JWT inside it (three
// base64url parts; a payload with "sub" and "exp"). Throws std::runtime_error saying what is missing or malformed,
// without the token itself; a token that expired (at `nowMs`) is refused.
AccessToken parseTokenResponse(const std::string &body, int64_t nowMs);

// The client's first (and only) message: gs2 header "n,,", then auth=Bearer TOKEN between 0x01 separators.
std::string oauthBearerClientFirst(const std::string &token);

} // namespace kp::wire
