#include "ui/profiledialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

using namespace kp;

class TestProfileDialog : public QObject
{
    Q_OBJECT

    static QLineEdit *field(ProfileDialog &d, const char *name)
    {
        return d.findChild<QLineEdit *>(QLatin1String(name));
    }

private Q_SLOTS:
    void buildsAScramProfile()
    {
        ProfileDialog d;
        field(d, "name")->setText(QStringLiteral(" local "));
        field(d, "bootstrap")->setText(QStringLiteral("127.0.0.1:19191"));
        d.findChild<QComboBox *>(QStringLiteral("protocol"))->setCurrentText(QStringLiteral("SASL_PLAINTEXT"));
        d.findChild<QComboBox *>(QStringLiteral("mechanism"))->setCurrentText(QStringLiteral("SCRAM-SHA-512"));
        field(d, "user")->setText(QStringLiteral("inspector"));
        field(d, "password")->setText(QStringLiteral(" pass word "));
        QVERIFY(field(d, "user")->isEnabled());
        QVERIFY(!field(d, "ca")->isEnabled()); // no TLS on SASL_PLAINTEXT
        const ConnectionProfile p = d.profile();
        QCOMPARE(p.name, std::string("local"));
        QCOMPARE(p.securityProtocol, std::string("SASL_PLAINTEXT"));
        QCOMPARE(p.username, std::string("inspector"));
        QCOMPARE(p.password, std::string(" pass word "));
        QCOMPARE(p.validate(), std::string());
    }

    // OAUTHBEARER with a token endpoint: OIDC client credentials (user: the client id, password: its secret); the
    // endpoint and scope fields are only for OAUTHBEARER and round-trip through a saved profile.
    void buildsAnOidcProfile()
    {
        ProfileDialog d;
        field(d, "bootstrap")->setText(QStringLiteral("127.0.0.1:19591"));
        d.findChild<QComboBox *>(QStringLiteral("protocol"))->setCurrentText(QStringLiteral("SASL_PLAINTEXT"));
        d.findChild<QComboBox *>(QStringLiteral("mechanism"))->setCurrentText(QStringLiteral("SCRAM-SHA-512"));
        QVERIFY(!field(d, "tokenEndpoint")->isEnabled());
        d.findChild<QComboBox *>(QStringLiteral("mechanism"))->setCurrentText(QStringLiteral("OAUTHBEARER"));
        QVERIFY(field(d, "tokenEndpoint")->isEnabled());
        QVERIFY(field(d, "scope")->isEnabled());
        field(d, "user")->setText(QStringLiteral("kp-admin"));
        field(d, "password")->setText(QStringLiteral("kp-admin-secret"));
        field(d, "tokenEndpoint")->setText(QStringLiteral(" http://127.0.0.1:19590/token "));
        field(d, "scope")->setText(QStringLiteral("kafka"));
        // The user and password fields are named for what they hold with a token endpoint.
        auto labelOf = [&](const char *name) {
            for (auto *l : d.findChildren<QLabel *>())
                if (l->buddy() == field(d, name))
                    return l->text();
            return QString();
        };
        QCOMPARE(labelOf("user"), QStringLiteral("C&lient id:"));
        QCOMPARE(labelOf("password"), QStringLiteral("Client s&ecret:"));
        if (const QString shots = qEnvironmentVariable("KP_TEST_SHOTS"); !shots.isEmpty()) // to look at it
            d.grab().save(shots + QStringLiteral("/profile-oidc.png"));
        const ConnectionProfile p = d.profile();
        QVERIFY(p.usesOidc());
        QVERIFY(p.hasSecret());
        QCOMPARE(p.oidcTokenEndpoint(), std::string("http://127.0.0.1:19590/token"));
        QCOMPARE(p.oidcScope(), std::string("kafka"));
        QCOMPARE(p.password, std::string("kp-admin-secret"));
        QCOMPARE(p.validate(), std::string());
        ProfileDialog again;
        again.setProfile(p);
        QCOMPARE(field(again, "tokenEndpoint")->text(), QStringLiteral("http://127.0.0.1:19590/token"));
        QCOMPARE(field(again, "scope")->text(), QStringLiteral("kafka"));
        QCOMPARE(again.profile().extra, p.extra);
        // Without an endpoint it is the unsecured JWT again, with no secret and no scope kept.
        field(again, "tokenEndpoint")->clear();
        QVERIFY(!again.profile().usesOidc());
        QVERIFY(again.profile().extra.empty());
    }

    void refusesWithAnInlineMessage_data()
    {
        QTest::addColumn<QString>("bootstrap");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("ca");
        QTest::addColumn<QString>("azs");
        QTest::addColumn<QString>("message");
        QTest::addRow("no bootstrap") << ""
                                      << "PLAINTEXT"
                                      << ""
                                      << ""
                                      << ""
                                      << "bootstrap servers are empty: give host:port[,host:port...]";
        QTest::addRow("sasl without user") << "a:1"
                                           << "SASL_SSL"
                                           << ""
                                           << ""
                                           << ""
                                           << "SASL needs a user name";
        QTest::addRow("missing CA file") << "a:1"
                                         << "SSL"
                                         << ""
                                         << "/nonexistent/ca.pem"
                                         << ""
                                         << "file not found: /nonexistent/ca.pem";
        QTest::addRow("client AZ without an AZ") << "a:1"
                                                 << "PLAINTEXT"
                                                 << ""
                                                 << ""
                                                 << "10.1.0.0/16=az-a, 10.2.0.0/16"
                                                 << "client AZ rule 2 (10.2.0.0/16): the AZ is empty";
    }

    void refusesWithAnInlineMessage()
    {
        QFETCH(QString, bootstrap);
        QFETCH(QString, protocol);
        QFETCH(QString, user);
        QFETCH(QString, ca);
        QFETCH(QString, azs);
        QFETCH(QString, message);
        ProfileDialog d;
        d.show();
        field(d, "bootstrap")->setText(bootstrap);
        d.findChild<QComboBox *>(QStringLiteral("protocol"))->setCurrentText(protocol);
        field(d, "user")->setText(user);
        field(d, "ca")->setText(ca);
        field(d, "clientAzs")->setText(azs);
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Rejected)); // still open
        QVERIFY(d.isVisible());
        auto *error = d.findChild<QLabel *>(QStringLiteral("error"));
        QVERIFY(!error->isHidden());
        QCOMPARE(error->text(), message);
    }

    void importsClientProperties()
    {
        ProfileDialog d;
        field(d, "bootstrap")->setText(QStringLiteral("127.0.0.1:19191"));
        QCOMPARE(d.importProperties(QStringLiteral(KP_TEST_DATA "/wrong-password.properties")), QString());
        QCOMPARE(d.findChild<QComboBox *>(QStringLiteral("protocol"))->currentText(), QStringLiteral("SASL_PLAINTEXT"));
        QCOMPARE(field(d, "user")->text(), QStringLiteral("admin"));
        QCOMPARE(d.profile().password, std::string("wrong"));
        QCOMPARE(d.profile().bootstrap, std::string("127.0.0.1:19191"));
        const QString error = d.importProperties(QStringLiteral(KP_TEST_DATA "/jks.properties"));
        QVERIFY2(error.contains(QStringLiteral("a JKS truststore cannot be read here")), qPrintable(error));
    }
};

QTEST_MAIN(TestProfileDialog)
#include "tst_profiledialog.moc"
