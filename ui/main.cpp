#include "cli/cli.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QTimer>
#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <memory>
#include <pwd.h>
#include <unistd.h>

namespace {

int optionInt(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at > 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

// --screenshot FILE [--tab N] [--wait S] [--chart N] [--lag-group G]: save the window S seconds (default 1) after the
// first snapshot shows, then quit (docs and visual checks). Exits 1, naming why, when the first snapshot cannot be
// shown (the connection or the file failed, or nothing showed within 3 minutes) or the file cannot be written.
void armScreenshot(kp::MainWindow &window, const QStringList &args)
{
    const qsizetype shotIndex = args.indexOf(QStringLiteral("--screenshot"));
    if (shotIndex <= 0 || shotIndex + 1 >= args.size())
        return;
    const QString file = args.at(shotIndex + 1);
    const int tab = optionInt(args, QStringLiteral("--tab"), 0);
    const int waitMs = optionInt(args, QStringLiteral("--wait"), 1) * 1000;
    const int chart = optionInt(args, QStringLiteral("--chart"), -1);
    const qsizetype groupAt = args.indexOf(QStringLiteral("--lag-group"));
    const QString group = groupAt > 0 && groupAt + 1 < args.size() ? args.at(groupAt + 1) : QString();
    window.resize(1400, 860); // the size of the README's screenshots, whatever the saved geometry
    auto shown = std::make_shared<bool>(false);
    auto giveUp = [shown](const QString &why) {
        if (*shown)
            return;
        std::fprintf(stderr, "kafka-planner: --screenshot: %s\n", qPrintable(why));
        QApplication::exit(1);
    };
    QObject::connect(&window, &kp::MainWindow::errorShown, &window,
                     [giveUp](const QString &message) { giveUp(QStringLiteral("no snapshot to show: ") + message); });
    QTimer::singleShot(180000, &window, [giveUp] { giveUp(QStringLiteral("no snapshot was shown within 3 minutes")); });
    QObject::connect(
        &window, &kp::MainWindow::snapshotShown, &window, [&window, file, tab, waitMs, chart, shown, group] {
            window.showTab(tab);
            if (!group.isEmpty()) // the group the Lag page shows, as a person would click it (again at each snapshot)
                window.lagPage()->chooseGroup(group);
            if (chart >= 0)
                window.plannerPage()->setChart(kp::PlannerPage::Chart(chart));
            if (std::exchange(*shown, true))
                return;
            // The pages compute off the GUI thread: give them a moment.
            QTimer::singleShot(waitMs, &window, [&window, file, tab] {
                window.showTab(tab); // the page asked for, whatever --cycle-tabs showed meanwhile
                if (window.grab().save(file)) {
                    QApplication::quit();
                    return;
                }
                std::fprintf(stderr, "kafka-planner: --screenshot: could not write %s\n", qPrintable(file));
                QApplication::exit(1);
            });
        });
}

// --cycle-tabs S: shows the next page every S seconds, round all of them (the soak benchmark visits every page).
void armTabCycle(kp::MainWindow &window, const QStringList &args)
{
    const int seconds = optionInt(args, QStringLiteral("--cycle-tabs"), 0);
    if (seconds <= 0)
        return;
    auto *timer = new QTimer(&window);
    QObject::connect(timer, &QTimer::timeout, &window, [&window, tab = 0]() mutable {
        tab = (tab + 1) % kp::MainWindow::kPageCount;
        window.showTab(tab);
    });
    timer->start(seconds * 1000);
}

} // namespace

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    if (kp::cli::isCliInvocation(args)) {
        // Headless: no display needed, no widgets created. PDF pages need fonts, hence a GUI application, offscreen.
        std::unique_ptr<QCoreApplication> app;
        if (kp::cli::needsGuiApplication(args)) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            // Outside a desktop session (cron, CI, ssh) Qt warns on stderr that XDG_RUNTIME_DIR is not set, then uses
            // this directory; naming it keeps a script's stderr for real errors.
            if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
                if (const passwd *user = getpwuid(geteuid()))
                    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(QDir::tempPath() + QStringLiteral("/runtime-") +
                                                                 QString::fromLocal8Bit(user->pw_name)));
            app = std::make_unique<QGuiApplication>(argc, argv);
        } else {
            app = std::make_unique<QCoreApplication>(argc, argv);
        }
        QCoreApplication::setApplicationName(QStringLiteral("kafka-planner"));
        QCoreApplication::setOrganizationName(QStringLiteral("kafka-planner"));
        return kp::cli::run(args);
    }
#if defined(__GLIBC__)
    // Built without jemalloc (KP_JEMALLOC off; ui/allocator.cpp configures it otherwise, and this does nothing to it):
    // two malloc arenas, not one per thread: the pages build and drop large evaluations on worker threads at every
    // sample, and each thread's arena kept its own high-water mark. On 20,000 partitions and 2,000 groups the window
    // levelled at 414-443 MB instead of 467-486 MB (tests/bench/soak-window.sh), for about 3% more of one core.
    mallopt(M_ARENA_MAX, 2);
#endif
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("kafka-planner"));
    QApplication::setOrganizationName(QStringLiteral("kafka-planner"));
    QApplication::setApplicationDisplayName(QStringLiteral("Kafka Planner"));
    QApplication::setApplicationVersion(QStringLiteral(KP_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(KP_APP_ID));
    kp::MainWindow window;
    window.show();
    armScreenshot(window, args);
    armTabCycle(window, args);
    window.openInitial(args.mid(1));
    return app.exec();
}
