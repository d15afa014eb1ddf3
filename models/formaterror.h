#pragma once

#include <stdexcept>
#include <string>

namespace kp {

// A user-supplied file or text is malformed; what() is a message a person can act on.
class FormatError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace kp
