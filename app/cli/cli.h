#pragma once

#include <QStringList>

namespace kp::cli {

// True when argv names a subcommand (snapshot, lag, profile, ...): main() then runs headless.
bool isCliInvocation(const QStringList &args);

// True for the subcommands that lay out pages (`review export --as pdf`): main() gives them an offscreen
// QGuiApplication instead of a QCoreApplication. Still no display and no window.
bool needsGuiApplication(const QStringList &args);

// Runs a subcommand; returns the process exit code (0 ok, 1 failure with a one-line reason on stderr, 2 usage,
// 3 a partial snapshot under --strict).
int run(const QStringList &args);

} // namespace kp::cli
