#pragma once

// One function per command, each in its own file (snapshotcommand.cpp, ...). `args` starts with the program's name,
// followed by the command's own arguments; the return value is the exit code; failures throw CliError.

#include <QStringList>

namespace kp::cli {

int cmdSnapshot(const QStringList &args);
int cmdLag(const QStringList &args);
int cmdWatch(const QStringList &args);
int cmdTraffic(const QStringList &args);
int cmdPlan(const QStringList &args);
int cmdRun(const QStringList &args);
int cmdReview(const QStringList &args);
int cmdProfile(const QStringList &args);
int cmdProbe(const QStringList &args);
int cmdReassign(const QStringList &args);

} // namespace kp::cli
