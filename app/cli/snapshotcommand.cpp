// `kafka-planner snapshot`: a cluster's snapshot as JSON or a table (or a snapshot file shown again).

#include "cli/commands.h"
#include "cli/connect.h"
#include "cli/options.h"
#include "cli/tableformat.h"
#include "models/snapshotjson.h"

#include <QCommandLineParser>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace kp::cli {

int cmdSnapshot(const QStringList &args)
{
    QCommandLineParser p;
    addConnectionOptions(p);
    p.addOptions({{QStringLiteral("output"), QStringLiteral("Write to FILE."), QStringLiteral("FILE")},
                  {QStringLiteral("no-groups"), QStringLiteral("Skip consumer groups.")},
                  {QStringLiteral("no-log-dirs"), QStringLiteral("Skip replica sizes (DescribeLogDirs).")},
                  {QStringLiteral("strict"), QStringLiteral("Exit 3 when the snapshot is partial.")}});
    parseOrThrow(p, args);
    const std::string fmt = format(p);
    ClusterSnapshot s =
        obtainSnapshot(p, !p.isSet(QStringLiteral("no-groups")), !p.isSet(QStringLiteral("no-log-dirs")));
    warnPartial(s);
    warnFindings(s);
    if (fmt == "table")
        writeOutput(p, snapshotTable(s));
    else
        writeOutput(p, snapshotJsonText(s));
    return s.partial() && p.isSet(QStringLiteral("strict")) ? 3 : 0;
}

} // namespace kp::cli
