#pragma once

#include <cstdint>
#include <string>

// SASL OAUTHBEARER (RFC 7628, KIP-255) for the app's own broker connections, with an unsecured JWT: the token names
// the principal and is signed by nobody ("alg": "none"), as librdkafka's enable.sasl.oauthbearer.unsecure.jwt and the
// Java client's unsecuredLoginStringClaim_sub make it. Brokers accept it with Kafka's unsecured validator only.
namespace kp::wire {

// header.payload. with {"alg":"none"} and {"sub": principal, "iat": now, "exp": now + lifetime}, base64url.
std::string unsecuredJwt(const std::string &principal, int64_t nowSeconds, int64_t lifetimeSeconds = 3600);

// The client's first (and only) message: gs2 header "n,,", then auth=Bearer TOKEN between 0x01 separators.
std::string oauthBearerClientFirst(const std::string &token);

} // namespace kp::wire
