#include "cli.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QTimer>
#include <memory>
#include <pwd.h>
#include <unistd.h>

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
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("kafka-planner"));
    QApplication::setOrganizationName(QStringLiteral("kafka-planner"));
    QApplication::setApplicationDisplayName(QStringLiteral("Kafka Planner"));
    QApplication::setApplicationVersion(QStringLiteral(KP_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(KP_APP_ID));
    kp::MainWindow window;
    window.show();
    // --screenshot FILE [--tab N]: save the window once the first snapshot shows, then quit (docs and visual checks).
    const int shotIndex = int(args.indexOf(QStringLiteral("--screenshot")));
    if (shotIndex > 0 && shotIndex + 1 < args.size()) {
        const QString file = args.at(shotIndex + 1);
        const int tabIndex = int(args.indexOf(QStringLiteral("--tab")));
        const int tab = tabIndex > 0 && tabIndex + 1 < args.size() ? args.at(tabIndex + 1).toInt() : 0;
        window.resize(1400, 860); // the size of the README's screenshots, whatever the saved geometry
        // --wait S: take it S seconds after the first snapshot (a live cluster's history fills in meanwhile).
        const int waitIndex = int(args.indexOf(QStringLiteral("--wait")));
        const int waitMs = waitIndex > 0 && waitIndex + 1 < args.size() ? args.at(waitIndex + 1).toInt() * 1000 : 1000;
        // --chart N: the Planner's chart to show (its order in the chart list).
        const int chartIndex = int(args.indexOf(QStringLiteral("--chart")));
        const int chart = chartIndex > 0 && chartIndex + 1 < args.size() ? args.at(chartIndex + 1).toInt() : -1;
        QObject::connect(&window, &kp::MainWindow::snapshotShown, &window, [&window, file, tab, waitMs, chart] {
            window.showTab(tab);
            if (chart >= 0)
                window.plannerPage()->setChart(kp::PlannerPage::Chart(chart));
            static bool once = false;
            if (std::exchange(once, true))
                return;
            // The pages compute off the GUI thread: give them a moment.
            QTimer::singleShot(waitMs, &window, [&window, file] {
                if (!window.grab().save(file))
                    qWarning("could not write %s", qPrintable(file));
                QApplication::quit();
            });
        });
    }
    window.openInitial(args.mid(1));
    return app.exec();
}
