// The usage text of every command: see usage.h.

#include "cli/usage.h"

#include "cli/options.h"

#include <cstdio>
#include <string>

namespace kp::cli {

const QStringList kCommands{QStringLiteral("snapshot"), QStringLiteral("lag"),     QStringLiteral("profile"),
                            QStringLiteral("watch"),    QStringLiteral("traffic"), QStringLiteral("plan"),
                            QStringLiteral("run"),      QStringLiteral("review"),  QStringLiteral("probe"),
                            QStringLiteral("reassign"), QStringLiteral("help")};

// One entry per usage line that starts with "  kafka-planner"; lines indented further continue it.
const char *const kUsage =
    "Usage:\n"
    "  kafka-planner                       open the desktop app\n"
    "  kafka-planner snapshot CONNECTION [--output FILE] [--format json|table] [--no-groups] [--no-log-dirs]\n"
    "                                  [--strict]\n"
    "  kafka-planner snapshot --input FILE [--format json|table]\n"
    "  kafka-planner lag CONNECTION|--input FILE [--group REGEX] [--format json|table]\n"
    "  kafka-planner lag CONNECTION --time-lag [--group REGEX]   (time lag from the first unconsumed record)\n"
    "  kafka-planner lag CONNECTION --history DURATION [--group REGEX] [--time-lag]   (rates, time lag, status)\n"
    "  kafka-planner lag --evaluate FILE [--group REGEX]\n"
    "  kafka-planner watch (--profile NAME ... | --bootstrap HOSTS) [--interval SECONDS] [--count N]\n"
    "                                  [--metrics HOST:PORT]\n"
    "                                  (records the lag history of one or several clusters; runs until stopped)\n"
    "  kafka-planner traffic CONNECTION [--history DURATION] [--client-az CIDR=AZ ...] [--pricing NAME|FILE]\n"
    "                                  [--price-per-gb PRICE]\n"
    "  kafka-planner plan CONNECTION|--input FILE|--plan FILE|--write-mbps X ... [--pricing NAME|FILE]\n"
    "                                  [--save FILE] [--format json|table]   (kafka-planner plan --help: all)\n"
    "  kafka-planner run record CONNECTION --job ID --model NAME --topic T ... (--from TIME [--to TIME] |\n"
    "                                  --group GROUP) [--schema-version S=V ...] [--transform-version V]\n"
    "                                  [--source-snapshot ID ...] [--notes TEXT] [--lineage-url URL]\n"
    "  kafka-planner run finish ID [CONNECTION] [--lineage-url URL]   (group runs: the end offsets)\n"
    "  kafka-planner run list | show ID | manifest ID | commands ID [--tool kcat|console] | remove ID\n"
    "  kafka-planner run send-events   (OpenLineage events left pending; exit 1 while some are)\n"
    "  kafka-planner run check ID [CONNECTION]   (replayability; exit 4 when records are gone)\n"
    "  kafka-planner reassign CONNECTION|--input FILE (--add-broker ID:RACK ... | --remove-broker ID | --fix-racks |\n"
    "                                  --balance) [--topic REGEX] [--throttle MB/s] [--reassignment-file FILE]\n"
    "                                  [--format json|table]\n"
    "                                  (a reassignment plan and its cost; printed, never executed)\n"
    "  kafka-planner review new FILE [--pipeline-topics REGEX] [--replay-window-hours H] [--cross-az-budget X]\n"
    "  kafka-planner review check FILE CONNECTION   (refreshes the evidence; exit 5 when an item is red)\n"
    "  kafka-planner review drill FILE --item ID CONNECTION [--seconds N] [--interval S] | --probe PROBE.json\n"
    "  kafka-planner review show FILE | milestone FILE --name NAME | compare FILE --from NAME [--to NAME]\n"
    "  kafka-planner review set FILE --item ID [--owner P] [--team T] [--runbook R] [--threshold T] [--metric M]\n"
    "                [--evidence TEXT --basis measured|pilot|vendor|none --passes yes|no] [--notes TEXT]\n"
    "                [--not-applicable REASON | --applicable] [--waiver REASON --waiver-until DATE | --no-waiver]\n"
    "  kafka-planner review export FILE --as markdown|html|json [--output FILE] | --as pdf --output FILE\n"
    "  kafka-planner probe replay CONNECTION --topic REGEX (--from TIME | --earliest) --max-bytes SIZE\n"
    "                                  --max-seconds N [--throttle MB/s] [--client-rack AZ] [--fetchers N]\n"
    "                                  [--format json|table] [--output FILE]   (reads, never commits)\n"
    "  kafka-planner profile list|show NAME|remove NAME\n"
    "  kafka-planner profile add NAME --bootstrap HOSTS [--command-config FILE] [--password-stdin]\n"
    "                                  [--client-az CIDR=AZ ...]\n";

const char *const kUsageFooter =
    "CONNECTION is --profile NAME, or --bootstrap HOSTS [--command-config FILE] (a Java client.properties:\n"
    "security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location with type PEM).\n"
    "Common options: --timeout SECONDS (default 10), --db FILE|URL (the store: a SQLite file or a postgresql:// URL), "
    "--password-stdin.\n"
    "Exit status: 0 success, 1 failure (reason on stderr), 2 usage error, 3 partial snapshot with --strict,\n"
    "4 a run that can no longer be replayed (run check), 5 a review item is red (review check, show).\n";

// Every option of `plan` (the general usage shows the common ones).
const char *const kPlanUsage =
    "  kafka-planner plan CONNECTION|--snapshot FILE|--plan FILE.kpplan.json|--workload FILE|--write-mbps X\n"
    "                   [--peak-mbps X] [--retention-hours H] [--rf N] [--groups N] [--azs N] [--partitions N]\n"
    "                   [--existing-brokers N] [--existing-instance TYPE] [--existing-follower-fetching]\n"
    "                   [--dedicated-brokers N] [--tiered-brokers N] [--shared-brokers N]\n"
    "                   [--dedicated-follower-fetching] [--tiered-follower-fetching]\n"
    "                   [--instance TYPE] [--local-retention-hours H] [--wal ebs|s3] [--no-zone-routing]\n"
    "                   [--pricing NAME|FILE] [--save FILE.kpplan.json] [--format json|table] [--history DURATION]\n"
    "                   [--scenario replay|cadence|scale|failure|FILE ...] [--replay-days D] [--replay-share S]\n"
    "                   [--target-mbps R] [--backfills-per-month N] [--add-brokers K] [--throttle-mbps T]\n"
    "                   [--follower-fetching] [--replay-topics REGEX] [--replay-from TIME [--replay-to TIME]]\n"
    "                   [--replay-run ID] [--replay-probe FILE]\n"
    "                   [--sweep PARAM=FROM:TO:STEPS --sweep PARAM=FROM:TO:STEPS]\n";

void usage(FILE *to)
{
    std::fputs(kUsage, to);
    std::fputs("\n", to);
    std::fputs(kUsageFooter, to);
}

// The usage entries of one command, then what CONNECTION and the common options are.
std::string commandUsage(const QString &command)
{
    if (command == QStringLiteral("plan"))
        return std::string("Usage:\n") + kPlanUsage + "\n" + kUsageFooter;
    const std::string prefix = "  kafka-planner " + str(command) + " ";
    std::string out = "Usage:\n";
    bool inEntry = false;
    for (const QString &line : QString::fromUtf8(kUsage).split(QLatin1Char('\n'))) {
        const std::string l = str(line);
        if (l.rfind("  kafka-planner", 0) == 0)
            inEntry = l.rfind(prefix, 0) == 0;
        else if (l.rfind("   ", 0) != 0)
            inEntry = false;
        if (inEntry)
            out += l + "\n";
    }
    return out + "\n" + kUsageFooter;
}

} // namespace kp::cli
