#pragma once

// The one way the app writes a whole file: to a temporary file beside it, then renamed over it (QSaveFile), so that a
// reader never sees half a file and a failure (a full disk, a killed process) leaves the old file as it was. A device
// or a pipe (/dev/null, a FIFO) is written into directly.

#include <string>

namespace kp {

// std::runtime_error naming the path: "PATH: cannot open the file for writing" or "PATH: writing failed".
void writeFileAtomically(const std::string &path, const std::string &bytes);

} // namespace kp
