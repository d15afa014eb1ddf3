// The command line's entry: which command runs, and how its failures become exit codes.

#include "cli/cli.h"

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/usage.h"
#include "kafka/kafkaclient.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <csignal>
#include <cstdio>

namespace kp::cli {

bool needsGuiApplication(const QStringList &args)
{
    if (args.value(1) != QStringLiteral("review") || !args.contains(QStringLiteral("export")))
        return false;
    const qsizetype as = args.indexOf(QStringLiteral("--as"));
    return args.contains(QStringLiteral("--as=pdf")) || (as > 0 && args.value(as + 1) == QStringLiteral("pdf"));
}

bool isCliInvocation(const QStringList &args)
{
    return args.size() > 1 && (kCommands.contains(args.at(1)) || args.at(1) == QStringLiteral("--help") ||
                               args.at(1) == QStringLiteral("-h") || args.at(1) == QStringLiteral("--version"));
}

int run(const QStringList &args)
{
    std::signal(SIGINT, [](int) { g_cancel = true; });
    std::signal(SIGTERM, [](int) { g_cancel = true; }); // a service manager stopping `watch`: as Ctrl+C
    const QString command = args.value(1);
    QStringList rest = args;
    rest.removeAt(1); // QCommandLineParser expects argv[0] first
    try {
        if (kCommands.contains(command) && command != QStringLiteral("help") &&
            (rest.contains(QStringLiteral("--help")) || rest.contains(QStringLiteral("-h")))) {
            std::fputs(commandUsage(command).c_str(), stdout);
            return 0;
        }
        if (command == QStringLiteral("--version")) {
            std::printf("kafka-planner %s (librdkafka %s)\n", KP_VERSION, librdkafkaVersion().c_str());
            return 0;
        }
        if (command == QStringLiteral("snapshot"))
            return cmdSnapshot(rest);
        if (command == QStringLiteral("lag"))
            return cmdLag(rest);
        if (command == QStringLiteral("profile"))
            return cmdProfile(rest);
        if (command == QStringLiteral("watch"))
            return cmdWatch(rest);
        if (command == QStringLiteral("traffic"))
            return cmdTraffic(rest);
        if (command == QStringLiteral("plan"))
            return cmdPlan(rest);
        if (command == QStringLiteral("run"))
            return cmdRun(rest);
        if (command == QStringLiteral("review"))
            return cmdReview(rest);
        if (command == QStringLiteral("probe"))
            return cmdProbe(rest);
        if (command == QStringLiteral("reassign"))
            return cmdReassign(rest);
        usage(stdout);
        return 0;
    } catch (const CliError &e) {
        std::fprintf(stderr, "kafka-planner: error: %s\n", e.what());
        if (e.code() == 2)
            std::fprintf(stderr, "(kafka-planner %s--help shows the usage)\n",
                         kCommands.contains(command) && command != QStringLiteral("help")
                             ? qPrintable(command + QLatin1Char(' '))
                             : "");
        return e.code();
    } catch (const StoreError &e) {
        std::fprintf(stderr, "kafka-planner: error: %s\n", e.what());
        return 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "kafka-planner: error: %s\n", e.what());
        return 1;
    }
}

} // namespace kp::cli
