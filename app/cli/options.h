#pragma once

// The command line's shared layer, used by every command: the error that carries an exit code, the connection
// options, numbers, durations and the output format checked once where they enter, and the writers of the output.

#include "models/connectionprofile.h"
#include "models/qtstrings.h"
#include "models/traffic.h"

#include <QCommandLineParser>
#include <QString>
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace kp::cli {

// Set by Ctrl+C (SIGINT); long commands (collections, watch, drills) stop at the next step.
extern std::atomic<bool> g_cancel;

// A failure the command reports on stderr: code 1 for a failure, 2 for a usage error (then the usage is pointed to),
// 3-5 for the verdicts the usage lists.
class CliError : public std::runtime_error
{
public:
    explicit CliError(const std::string &what, int code = 1) : std::runtime_error(what), m_code(code) {}
    int code() const { return m_code; }

private:
    int m_code;
};

// CONNECTION (--profile NAME | --bootstrap HOSTS [--command-config FILE]), --timeout, --db, --password-stdin,
// --input FILE and --format.
void addConnectionOptions(QCommandLineParser &p);
void parseOrThrow(QCommandLineParser &p, const QStringList &args); // CliError (exit 2) with the parser's reason
// The profile the options name, with its secret from the keyring, --password-stdin or a prompt; validated.
ConnectionProfile resolveConnection(const QCommandLineParser &p);
// Several connections (watch): every --profile NAME given, and --bootstrap HOSTS when given; the password from stdin
// (--password-stdin) is read once and goes to each.
std::vector<ConnectionProfile> resolveConnections(const QCommandLineParser &p);
std::string readPassword(const std::string &prompt); // no echo on a terminal
QString dbPath(const QCommandLineParser &p);         // --db, else the default store
int timeoutMs(const QCommandLineParser &p);          // --timeout SECONDS, 0.1 to 600, default 10

// "90s", "15m", "1h", "7d" -> milliseconds (up to 3650 days); CliError (exit 2) otherwise.
int64_t parseDuration(const std::string &text);
std::string format(const QCommandLineParser &p); // "json" (default) or "table"
std::string shownNumber(double v);               // %g
// A number option, checked once where it enters: a finite number from `min` to `max` (NaN, infinity and "1e400" are
// refused); `fallback` when absent. CliError (exit 2) naming the option.
double numberOption(const QCommandLineParser &p, const char *name, double fallback, double min, double max);
std::vector<ClientAzRule> clientAzOptions(const QCommandLineParser &p); // --client-az CIDR=AZ, repeatable

// --output FILE (written whole: writeFileAtomically), else stdout.
void writeOutput(const QCommandLineParser &p, const std::string &text);

} // namespace kp::cli
