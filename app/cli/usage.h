#pragma once

// The usage text: every command's entries in one table, so that `kafka-planner --help` and `COMMAND --help` agree.

#include <QStringList>
#include <cstdio>
#include <string>

namespace kp::cli {

extern const QStringList kCommands; // snapshot, lag, profile, watch, traffic, plan, run, review, probe, reassign, help

void usage(FILE *to);
// The usage entries of one command, then what CONNECTION and the common options are.
std::string commandUsage(const QString &command);

} // namespace kp::cli
