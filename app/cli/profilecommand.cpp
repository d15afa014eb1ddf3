// `kafka-planner profile`: saved connection profiles (list, show, add, remove); secrets go to the keyring.

#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "models/connectionprofile.h"
#include "services/profileservice.h"

#include <QCommandLineParser>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace kp::cli {

namespace {

void addProfileOptions(QCommandLineParser &p)
{
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, show, add or remove"));
    p.addOptions({{QStringLiteral("db"),
                   QStringLiteral("The store: a SQLite file, or postgresql://user@host:port/dbname (the password from "
                                  "PGPASSWORD or ~/.pgpass)."),
                   QStringLiteral("FILE|URL")},
                  {QStringLiteral("bootstrap"), QStringLiteral("Bootstrap servers."), QStringLiteral("HOSTS")},
                  {QStringLiteral("command-config"), QStringLiteral("Java client.properties."), QStringLiteral("FILE")},
                  {QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input.")},
                  {QStringLiteral("client-az"), QStringLiteral("Clients in this address block are in AZ (repeatable)."),
                   QStringLiteral("CIDR=AZ")}});
}

nlohmann::json profileJson(const ConnectionProfile &pr)
{
    nlohmann::json j{{"name", pr.name},
                     {"bootstrap", pr.bootstrap},
                     {"securityProtocol", pr.securityProtocol},
                     {"saslMechanism", pr.saslMechanism},
                     {"username", pr.username},
                     {"sslCaLocation", pr.sslCaLocation},
                     {"extra", pr.extra},
                     {"timeoutMs", pr.timeoutMs},
                     {"clientAzs", nlohmann::json::array()}};
    for (const auto &r : pr.clientAzs)
        j["clientAzs"].push_back({{"cidr", r.cidr}, {"az", r.az}});
    return j;
}

// `profile add NAME`: from --bootstrap and --command-config (a Java client.properties), the secret from stdin.
int addProfile(const QCommandLineParser &p, const ProfileService &profiles, const std::string &name)
{
    ConnectionProfile pr;
    const std::string bootstrap = str(p.value(QStringLiteral("bootstrap")));
    if (p.isSet(QStringLiteral("command-config"))) {
        auto imported =
            profileFromClientPropertiesFile(str(p.value(QStringLiteral("command-config"))), name, bootstrap);
        pr = imported.profile;
        for (const auto &k : imported.ignoredKeys)
            std::fprintf(stderr, "kafka-planner: note: %s has no meaning here and was not kept\n", k.c_str());
    } else {
        pr.name = name;
        pr.bootstrap = bootstrap;
    }
    if (p.isSet(QStringLiteral("password-stdin")))
        pr.password = readPassword("");
    pr.clientAzs = clientAzOptions(p);
    if (const QString refused = profiles.save(pr); !refused.isEmpty())
        std::fprintf(stderr,
                     "kafka-planner: note: the password was not saved (%s); it will be asked for when needed and "
                     "never written to disk\n",
                     str(refused).c_str());
    std::printf("saved profile %s\n", name.c_str());
    return 0;
}

} // namespace

int cmdProfile(const QStringList &args)
{
    QCommandLineParser p;
    addProfileOptions(p);
    parseOrThrow(p, args);
    const QStringList pos = p.positionalArguments();
    if (pos.isEmpty())
        throw CliError("profile: say list, show NAME, add NAME or remove NAME", 2);
    const QString action = pos.first();
    const ProfileService profiles(dbPath(p));
    if (action == QStringLiteral("list")) {
        for (const auto &pr : profiles.list())
            std::printf("%s\t%s\t%s\n", pr.name.c_str(), pr.bootstrap.c_str(), pr.securityProtocol.c_str());
        return 0;
    }
    if (pos.size() < 2 &&
        (action == QStringLiteral("show") || action == QStringLiteral("remove") || action == QStringLiteral("add")))
        throw CliError("profile " + str(action) + ": which profile? give its NAME", 2);
    const std::string name = str(pos.value(1));
    if (action == QStringLiteral("show")) {
        const auto pr = profiles.find(name);
        if (!pr)
            throw CliError("no profile named '" + name + "'");
        std::printf("%s\n", profileJson(*pr).dump(1).c_str());
        return 0;
    }
    if (action == QStringLiteral("remove")) {
        if (!profiles.remove(name))
            throw CliError("no profile named '" + name + "'");
        return 0;
    }
    if (action == QStringLiteral("add"))
        return addProfile(p, profiles, name);
    throw CliError("profile: unknown action '" + str(action) + "' (list, show, add, remove)", 2);
}

} // namespace kp::cli
