// Secrets through QtKeychain. With KP_TEST_KEYRING=1 (run-tests.sh starts a private D-Bus session with an unlocked
// gnome-keyring for it) a secret must round-trip through the real keyring; without a keyring, every call must fail
// quickly with a message and write nothing anywhere.

#include "store/secretstore.h"

#include <QElapsedTimer>
#include <QTest>

using namespace kp;

class TestSecretStore : public QObject
{
    Q_OBJECT

    static bool keyringExpected() { return qEnvironmentVariable("KP_TEST_KEYRING") == QStringLiteral("1"); }

private Q_SLOTS:
    void roundTripOrCleanRefusal()
    {
        const QString profile = QStringLiteral("tst-secretstore-%1").arg(QCoreApplication::applicationPid());
        QElapsedTimer timer;
        timer.start();
        const auto written = SecretStore::write(profile, QStringLiteral("password"), QStringLiteral("s3cr3t \u00e9"));
        if (!keyringExpected()) {
            QVERIFY(!written.ok);
            QVERIFY2(!written.error.isEmpty(), "a refusal must say why");
            QString error;
            QVERIFY(!SecretStore::read(profile, QStringLiteral("password"), &error));
            QVERIFY(!error.isEmpty());
            QVERIFY2(timer.elapsed() < 11000, "no keyring must not hang the caller");
            return;
        }
        QVERIFY2(written.ok, qPrintable(written.error));
        QString error;
        auto read = SecretStore::read(profile, QStringLiteral("password"), &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(*read, QStringLiteral("s3cr3t \u00e9"));
        // Another key of the same profile is not there.
        QVERIFY(!SecretStore::read(profile, QStringLiteral("sslKeyPassword")));
        QVERIFY(SecretStore::remove(profile, QStringLiteral("password")).ok);
        QVERIFY(!SecretStore::read(profile, QStringLiteral("password")));
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
