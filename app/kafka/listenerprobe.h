#pragma once

#include "models/connectionprofile.h"

#include <string>

// When librdkafka cannot connect and says only "1/1 brokers are down" (a PLAINTEXT client on a TLS or SASL port) or
// blames the password (a SASL client on a PLAINTEXT port), one short look at the first bootstrap address tells which
// protocol its listener speaks, so that the message can say what to change.
namespace kp {

// Empty when the listener speaks what the profile asks for, or when it cannot be told; else a sentence naming the
// address, what the listener speaks and the setting to change. Blocks up to `timeoutMs`.
std::string listenerMismatch(const ConnectionProfile &profile, int timeoutMs);

} // namespace kp
