// Units as the app prints them: bytes and config durations.
#include "models/units.h"

#include <QTest>

using namespace kp;

class TestUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void durations_data()
    {
        QTest::addColumn<qint64>("millis");
        QTest::addColumn<QString>("text");
        QTest::addRow("a week") << qint64(604800000) << QStringLiteral("7 d");
        QTest::addRow("a day and a half") << qint64(129600000) << QStringLiteral("1 d 12 h");
        QTest::addRow("an hour and a second") << qint64(3601000) << QStringLiteral("1 h");
        QTest::addRow("36 minutes") << qint64(2160000) << QStringLiteral("36 min");
        QTest::addRow("90 s") << qint64(90000) << QStringLiteral("1 min 30 s");
        QTest::addRow("250 ms") << qint64(250) << QStringLiteral("250 ms");
        QTest::addRow("0") << qint64(0) << QStringLiteral("0 ms");
    }
    void durations()
    {
        QFETCH(qint64, millis);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatDuration(millis)), text);
    }
    void sizes()
    {
        QCOMPARE(parseSize("500MB").value_or(0), int64_t(500000000));
        QCOMPARE(parseSize("2GiB").value_or(0), int64_t(2147483648));
        QCOMPARE(parseSize("1.5 GB").value_or(0), int64_t(1500000000));
        QCOMPARE(parseSize("1000").value_or(0), int64_t(1000));
        for (const char *bad : {"", "lots", "0", "-5MB", "nanMB", "1e30", "5 MBs", "MB"})
            QVERIFY2(!parseSize(bad), bad);
    }

    void bytes()
    {
        QCOMPARE(QString::fromStdString(formatBytes(-1)), QStringLiteral("?"));
        QCOMPARE(QString::fromStdString(formatBytes(999)), QStringLiteral("999 B"));
        QCOMPARE(QString::fromStdString(formatBytes(1536)), QStringLiteral("1.5 KiB"));
    }
};

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
