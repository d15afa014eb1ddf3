#pragma once

// The one way work says that it stopped because it was asked to: thrown where a cancel flag is seen (a collection's
// steps, a broker connection, connecting), caught by whoever started the work, and never shown as a failure.

#include <stdexcept>

namespace kp {

class Cancelled : public std::runtime_error
{
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

} // namespace kp
