#include "cli.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    if (kp::cli::isCliInvocation(args)) {
        // Headless: no display needed, no widgets created.
        QCoreApplication app(argc, argv);
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
    window.openInitial(args.mid(1));
    return app.exec();
}
