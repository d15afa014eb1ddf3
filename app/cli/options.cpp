// The command line's shared layer: see options.h.

#include "cli/options.h"

#include "models/atomicfile.h"
#include "models/formaterror.h"
#include "services/profileservice.h"
#include "store/database.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace kp::cli {

std::atomic<bool> g_cancel{false};

void addConnectionOptions(QCommandLineParser &p)
{
    p.addOptions({{QStringLiteral("profile"), QStringLiteral("Saved connection profile."), QStringLiteral("NAME")},
                  {QStringLiteral("bootstrap"), QStringLiteral("Bootstrap servers."), QStringLiteral("HOSTS")},
                  {QStringLiteral("command-config"), QStringLiteral("Java client.properties."), QStringLiteral("FILE")},
                  {QStringLiteral("timeout"), QStringLiteral("Seconds per step."), QStringLiteral("SECONDS")},
                  {QStringLiteral("db"),
                   QStringLiteral("The store: a SQLite file, or postgresql://user@host:port/dbname (the password from "
                                  "PGPASSWORD or ~/.pgpass)."),
                   QStringLiteral("FILE|URL")},
                  {QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input.")},
                  {{QStringLiteral("input"), QStringLiteral("snapshot")},
                   QStringLiteral("Read a snapshot file instead of a cluster."),
                   QStringLiteral("FILE")},
                  {QStringLiteral("format"), QStringLiteral("json or table."), QStringLiteral("FORMAT")}});
}

void parseOrThrow(QCommandLineParser &p, const QStringList &args)
{
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!p.parse(args))
        throw CliError(str(p.errorText()), 2);
}

std::string readPassword(const std::string &prompt)
{
    if (isatty(STDIN_FILENO)) {
        std::fprintf(stderr, "%s", prompt.c_str());
        termios old{};
        tcgetattr(STDIN_FILENO, &old);
        termios noEcho = old;
        noEcho.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &noEcho);
        std::string line;
        std::getline(std::cin, line);
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fprintf(stderr, "\n");
        return line;
    }
    std::string line;
    std::getline(std::cin, line);
    return line;
}

QString dbPath(const QCommandLineParser &p)
{
    return p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db")) : Database::defaultPath();
}

int timeoutMs(const QCommandLineParser &p)
{
    return int(numberOption(p, "timeout", kDefaultTimeoutMs / 1000.0, 0.1, 600) * 1000);
}

namespace {

// A stored profile by name, its secret from the keyring, stdin (--password-stdin, once) or a prompt.
ConnectionProfile storedProfile(const QCommandLineParser &p, const std::string &name)
{
    const ProfileService profiles(dbPath(p));
    const bool fromStdin = p.isSet(QStringLiteral("password-stdin"));
    QString error;
    auto found = profiles.find(name, !fromStdin, &error);
    if (!found)
        throw CliError("no profile named '" + name + "' in " + str(Database::displayName(profiles.dbPath())) +
                       " (kafka-planner profile list shows them)");
    ConnectionProfile profile = *found;
    if (profile.hasSecret() && !fromStdin && profile.password.empty()) {
        if (isatty(STDIN_FILENO))
            profile.password = readPassword((profile.usesOidc() ? "Client secret for " : "Password for ") +
                                            profile.username + " (" + name + "): ");
        else
            throw CliError("profile '" + name + "' needs " +
                           (profile.usesOidc() ? "its OIDC client secret" : "a password") +
                           " and the keyring gave none (" + str(error) + "): pass it with --password-stdin");
    }
    return profile;
}

// --bootstrap HOSTS [--command-config FILE].
ConnectionProfile bootstrapProfile(const QCommandLineParser &p)
{
    const std::string bootstrap = str(p.value(QStringLiteral("bootstrap")));
    if (!p.isSet(QStringLiteral("command-config"))) {
        ConnectionProfile profile;
        profile.name = "command-line";
        profile.bootstrap = bootstrap;
        return profile;
    }
    try {
        return profileFromClientPropertiesFile(str(p.value(QStringLiteral("command-config"))), "command-line",
                                               bootstrap)
            .profile;
    } catch (const FormatError &e) {
        throw CliError(e.what());
    }
}

// The options every connection takes: the password from stdin, the timeout; then checked.
ConnectionProfile finishProfile(const QCommandLineParser &p, ConnectionProfile profile, const std::string &password)
{
    if (p.isSet(QStringLiteral("password-stdin")))
        profile.password = password;
    profile.timeoutMs = timeoutMs(p);
    if (auto err = profile.validate(); !err.empty())
        throw CliError(err, 2);
    return profile;
}

} // namespace

ConnectionProfile resolveConnection(const QCommandLineParser &p)
{
    const bool hasProfile = p.isSet(QStringLiteral("profile"));
    if (hasProfile == p.isSet(QStringLiteral("bootstrap")))
        throw CliError("give either --profile NAME or --bootstrap HOSTS", 2);
    if (hasProfile && p.values(QStringLiteral("profile")).size() > 1)
        throw CliError("--profile once: this command reads one cluster", 2);
    ConnectionProfile profile =
        hasProfile ? storedProfile(p, str(p.value(QStringLiteral("profile")))) : bootstrapProfile(p);
    return finishProfile(p, std::move(profile),
                         p.isSet(QStringLiteral("password-stdin")) ? readPassword("") : std::string());
}

std::vector<ConnectionProfile> resolveConnections(const QCommandLineParser &p)
{
    const QStringList names = p.values(QStringLiteral("profile"));
    if (names.isEmpty() && !p.isSet(QStringLiteral("bootstrap")))
        throw CliError("give --profile NAME (once or more) or --bootstrap HOSTS", 2);
    const std::string password = p.isSet(QStringLiteral("password-stdin")) ? readPassword("") : std::string();
    std::vector<ConnectionProfile> out;
    std::set<std::string> seen;
    for (const QString &name : names) {
        if (!seen.insert(str(name)).second)
            throw CliError("--profile " + str(name) + " is given twice", 2);
        out.push_back(finishProfile(p, storedProfile(p, str(name)), password));
    }
    if (p.isSet(QStringLiteral("bootstrap")))
        out.push_back(finishProfile(p, bootstrapProfile(p), password));
    return out;
}

// "90s", "15m", "1h", "7d" -> milliseconds.
int64_t parseDuration(const std::string &text)
{
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (...) {
        used = 0;
    }
    const std::string unit = text.substr(used);
    const int64_t scale = unit == "s" ? 1000 : unit == "m" ? 60000 : unit == "h" ? 3600000 : unit == "d" ? 86400000 : 0;
    constexpr double kTenYearsMs = 3650.0 * 86400000;
    if (used == 0 || scale == 0 || !std::isfinite(v) || v <= 0 || v * double(scale) > kTenYearsMs)
        throw CliError("--history takes a duration such as 90s, 15m, 1h or 7d (up to 3650d)", 2);
    return int64_t(v * double(scale));
}

std::string format(const QCommandLineParser &p)
{
    const std::string f = p.isSet(QStringLiteral("format")) ? str(p.value(QStringLiteral("format"))) : "json";
    if (f != "json" && f != "table")
        throw CliError("--format must be json or table", 2);
    return f;
}

std::string shownNumber(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A number option, checked once where it enters: a finite number from `min` to `max` (NaN, infinity and "1e400" are
// refused). Throws CliError (exit 2) naming the option.
double numberOption(const QCommandLineParser &p, const char *name, double fallback, double min, double max)
{
    const QString option = QString::fromLatin1(name);
    if (!p.isSet(option))
        return fallback;
    bool ok = false;
    const double v = p.value(option).trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < min || v > max)
        throw CliError(std::string("--") + name + " must be a number from " + shownNumber(min) + " to " +
                           shownNumber(max) + ", not \"" + str(p.value(option)) + "\"",
                       2);
    return v;
}

// --client-az CIDR=AZ, repeatable.
std::vector<ClientAzRule> clientAzOptions(const QCommandLineParser &p)
{
    std::vector<ClientAzRule> rules;
    for (const QString &rule : p.values(QStringLiteral("client-az"))) {
        const qsizetype eq = rule.indexOf(QLatin1Char('='));
        if (eq <= 0)
            throw CliError("--client-az " + str(rule) + ": give CIDR=AZ, e.g. 10.1.0.0/16=us-east-1a", 2);
        rules.push_back({str(rule.left(eq)), str(rule.mid(eq + 1))});
    }
    try {
        validateClientAzRules(rules);
    } catch (const std::invalid_argument &e) {
        throw CliError(std::string("--client-az: ") + e.what(), 2);
    }
    return rules;
}

void writeOutput(const QCommandLineParser &p, const std::string &text)
{
    if (p.isSet(QStringLiteral("output"))) {
        writeFileAtomically(str(p.value(QStringLiteral("output"))), text);
        return;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
}

} // namespace kp::cli
