#include "models/connectionprofile.h"
#include "models/formaterror.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kp;

class TestClientProperties : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void javaPropertiesSyntax()
    {
        const ConfigMap m = parseJavaProperties("# comment\n"
                                                "! also a comment\n"
                                                "  a=1\n"
                                                "b : two words  \n"
                                                "c 3\n"
                                                "d=first \\\n"
                                                "    second\n"
                                                "e\\=x=y\n"
                                                "f=tab\\there\n"
                                                "g=\\u00e9t\\u00e9\n"
                                                "empty=\r\n");
        QCOMPARE(m.at("a"), std::string("1"));
        QCOMPARE(m.at("b"), std::string("two words  "));
        QCOMPARE(m.at("c"), std::string("3"));
        QCOMPARE(m.at("d"), std::string("first second"));
        QCOMPARE(m.at("e=x"), std::string("y"));
        QCOMPARE(m.at("f"), std::string("tab\there"));
        QCOMPARE(m.at("g"), std::string("\xc3\xa9t\xc3\xa9"));
        QCOMPARE(m.at("empty"), std::string());
        QCOMPARE(m.size(), size_t(8));
    }

    void scramProfile()
    {
        const auto imported = profileFromClientProperties(
            "bootstrap.servers=k1:9094,k2:9094\n"
            "security.protocol=sasl_plaintext\n"
            "sasl.mechanism=SCRAM-SHA-512\n"
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
            "    username=\"inspector\" password=\"p\\\\\"w\";\n"
            "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer\n",
            "prod");
        const ConnectionProfile &p = imported.profile;
        QCOMPARE(p.name, std::string("prod"));
        QCOMPARE(p.bootstrap, std::string("k1:9094,k2:9094"));
        QCOMPARE(p.securityProtocol, std::string("SASL_PLAINTEXT"));
        QCOMPARE(p.saslMechanism, std::string("SCRAM-SHA-512"));
        QCOMPARE(p.username, std::string("inspector"));
        QCOMPARE(p.password, std::string("p\"w"));
        QCOMPARE(imported.ignoredKeys, std::vector<std::string>{"key.deserializer"});
    }

    // The Java client's unsecured JWT login: the principal from unsecuredLoginStringClaim_sub, no secret to keep.
    void oauthBearerUnsecuredProfile()
    {
        const ConnectionProfile p =
            profileFromClientProperties(
                "bootstrap.servers=k1:9094\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=OAUTHBEARER\n"
                "sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                "unsecuredLoginStringClaim_sub=\"inspector\";\n",
                "oauth")
                .profile;
        QCOMPARE(p.saslMechanism, std::string("OAUTHBEARER"));
        QCOMPARE(p.username, std::string("inspector"));
        QVERIFY(p.password.empty());
        QVERIFY(!p.hasSecret());
        QVERIFY(!p.needsPassword());
        QCOMPARE(p.validate(), std::string());
        // A method other than OIDC is named.
        ConnectionProfile other = p;
        other.extra["sasl.oauthbearer.method"] = "default";
        QCOMPARE(other.validate(),
                 std::string("sasl.oauthbearer.method 'default' is not supported: use oidc with a token endpoint"));
        ConnectionProfile msk = p;
        msk.saslMechanism = "AWS_MSK_IAM";
        QVERIFY2(msk.validate().find("Amazon MSK also offers SASL/SCRAM") != std::string::npos, msk.validate().c_str());
    }

    // The Java client's OIDC client credentials, as Kafka 2.x-4.x write them (the JAAS line) and as Kafka 4.1 does
    // (KIP-1139 settings): the client id is the profile's user, its secret the password (the keyring's), the endpoint
    // and scope plain settings; the secret is never among the settings a store keeps in its file.
    void oauthBearerOidcProfile_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("jaas") << "sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule "
                                 "required clientId=\"kp-admin\" clientSecret=\"s3cret\" scope=\"kafka read\";\n";
        QTest::addRow("kip-1139") << "sasl.oauthbearer.client.credentials.client.id=kp-admin\n"
                                     "sasl.oauthbearer.client.credentials.client.secret=s3cret\n"
                                     "sasl.oauthbearer.scope=kafka read\n"
                                     "sasl.jaas.config=org.apache.kafka.common.security.oauthbearer."
                                     "OAuthBearerLoginModule required;\n";
    }
    void oauthBearerOidcProfile()
    {
        QFETCH(QString, text);
        const ImportedProfile imported = profileFromClientProperties(
            "bootstrap.servers=k1:9094\nsecurity.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER\n"
            "sasl.login.callback.handler.class=org.apache.kafka.common.security.oauthbearer."
            "OAuthBearerLoginCallbackHandler\n"
            "sasl.oauthbearer.token.endpoint.url=https://idp.example.com/oauth2/token\n" +
                text.toStdString(),
            "oidc");
        const ConnectionProfile &p = imported.profile;
        QVERIFY(p.usesOidc());
        QCOMPARE(p.username, std::string("kp-admin"));
        QCOMPARE(p.password, std::string("s3cret"));
        QCOMPARE(p.oidcTokenEndpoint(), std::string("https://idp.example.com/oauth2/token"));
        QCOMPARE(p.oidcScope(), std::string("kafka read"));
        QCOMPARE(p.extra.size(), size_t(2));
        QVERIFY(p.hasSecret());
        QCOMPARE(p.validate(), std::string());
        QCOMPARE(imported.ignoredKeys, std::vector<std::string>{"sasl.login.callback.handler.class"});
        ConnectionProfile fileUrl = p;
        fileUrl.extra["sasl.oauthbearer.token.endpoint.url"] = "file:///etc/token.jwt";
        QCOMPARE(fileUrl.validate(),
                 std::string("sasl.oauthbearer.token.endpoint.url 'file:///etc/token.jwt' is not an http:// or "
                             "https:// URL"));
    }

    void sslPemProfile()
    {
        const auto p = profileFromClientProperties("security.protocol=SSL\n"
                                                   "ssl.truststore.type=PEM\n"
                                                   "ssl.truststore.location=/etc/ca.pem\n"
                                                   "ssl.keystore.type=PEM\n"
                                                   "ssl.keystore.location=/etc/client.pem\n"
                                                   "ssl.endpoint.identification.algorithm=\n",
                                                   "tls", "b:9093")
                           .profile;
        QCOMPARE(p.bootstrap, std::string("b:9093"));
        QCOMPARE(p.sslCaLocation, std::string("/etc/ca.pem"));
        QCOMPARE(p.sslCertLocation, std::string("/etc/client.pem"));
        QCOMPARE(p.sslKeyLocation, std::string("/etc/client.pem"));
        QCOMPARE(p.extra.at("ssl.endpoint.identification.algorithm"), std::string("none"));
    }

    void bootstrapOverrideWins()
    {
        const auto p = profileFromClientProperties("bootstrap.servers=a:1\n", "x", "b:2").profile;
        QCOMPARE(p.bootstrap, std::string("b:2"));
    }

    void refused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::addRow("no bootstrap")
            << "security.protocol=PLAINTEXT\n"
            << "bootstrap.servers: missing; add bootstrap.servers=host:port (or give --bootstrap)";
        QTest::addRow("bad protocol")
            << "bootstrap.servers=a:1\nsecurity.protocol=TLS\n"
            << "security.protocol 'TLS' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL";
        QTest::addRow("gssapi default") << "bootstrap.servers=a:1\nsecurity.protocol=SASL_SSL\n"
                                           "sasl.jaas.config=x required username=\"u\" password=\"p\";\n"
                                        << "sasl.mechanism 'GSSAPI' (Kerberos) is not supported: this app has no "
                                           "Kerberos client; give it a SCRAM-SHA-512, SCRAM-SHA-256, PLAIN or "
                                           "OAUTHBEARER login (a listener with one of them)";
        QTest::addRow("aws msk iam")
            << "bootstrap.servers=a:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=AWS_MSK_IAM\n"
               "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;\n"
            << "sasl.mechanism 'AWS_MSK_IAM' is not supported: it needs AWS's own client library; Amazon MSK also "
               "offers SASL/SCRAM (port 9096): create a SCRAM secret for the cluster and use SCRAM-SHA-512";
        QTest::addRow("oidc without client id")
            << "bootstrap.servers=a:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER\n"
               "sasl.oauthbearer.token.endpoint.url=https://idp/token\n"
               "sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
               "clientSecret=\"s\";\n"
            << "sasl.jaas.config: an OIDC login needs clientId=\"...\" there (or "
               "sasl.oauthbearer.client.credentials.client.id)";
        QTest::addRow("oauthbearer without claim")
            << "bootstrap.servers=a:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER\n"
               "sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;\n"
            << "sasl.jaas.config: an OAUTHBEARER login needs unsecuredLoginStringClaim_sub=\"...\" (an unsecured JWT) "
               "there, or sasl.oauthbearer.token.endpoint.url (OIDC)";
        QTest::addRow("no jaas") << "bootstrap.servers=a:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
                                 << "sasl.jaas.config: missing; SASL needs username=\"...\" password=\"...\" there";
        QTest::addRow("jaas without password")
            << "bootstrap.servers=a:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
               "sasl.jaas.config=x required username=\"u\";\n"
            << "sasl.jaas.config: could not find username=\"...\" and password=\"...\"";
        QTest::addRow("jks truststore")
            << "bootstrap.servers=a:1\nsecurity.protocol=SSL\nssl.truststore.location=/t.jks\n"
            << "ssl.truststore.location: a JKS truststore cannot be read here; export the CA certificate as PEM "
               "(keytool -exportcert -rfc -alias CA -keystore FILE > ca.pem) and set ssl.truststore.type=PEM";
        QTest::addRow("continued to eof") << "bootstrap.servers=a:1\\"
                                          << "line 1: the file ends inside a continued line";
        QTest::addRow("bad unicode") << "a=\\u12G4\n"
                                     << "line 1: malformed \\u escape";
        QTest::addRow("no key") << "=value\n"
                                << "line 1: a value without a key";
        QTest::addRow("escape byte") << "bootstrap.servers=a:1\nclient.id=\x1b[31mred\n"
                                     << "line 2: holds a control character (0x1B): not a text file";
        QTest::addRow("bell in a value") << "bootstrap.servers=a:1\x07\n"
                                         << "line 1: holds a control character (0x07): not a text file";
    }

    // Bytes that are not text, as files: a NUL, UTF-16, binary garbage, a directory.
    void refusedFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes"); // empty: the path is a directory
        QTest::addColumn<QString>("message");
        QTest::addRow("NUL") << QByteArray("bootstrap.servers=a:1\n\0\n", 24)
                             << "line 2: holds a control character (0x00): the file is binary or UTF-16, not a text "
                                "file";
        QTest::addRow("UTF-16") << QByteArray("\xFF\xFE"
                                              "b\0o\0o\0",
                                              8)
                                << "the file is UTF-16: save it as UTF-8 (or Latin-1) text";
        QByteArray garbage;
        for (int i = 0; i < 256; ++i)
            garbage.append(char((i * 167 + 13) % 256));
        QTest::addRow("binary") << garbage << "line 1: holds a control character (0x02): not a text file";
        QTest::addRow("directory") << QByteArray() << "is a directory, not a client.properties file";
    }
    void refusedFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QString path = dir.path();
        if (!bytes.isEmpty()) {
            path = dir.filePath(QStringLiteral("client.properties"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        try {
            profileFromClientPropertiesFile(path.toStdString(), "x", "b:2");
            QFAIL("must be refused");
        } catch (const FormatError &e) {
            QCOMPARE(QString::fromStdString(e.what()), path + QStringLiteral(": ") + message);
        }
    }

    void refused()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            profileFromClientProperties(text.toStdString(), "x");
            QFAIL("must be refused");
        } catch (const FormatError &e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }

    void fileErrorsNameTheFile()
    {
        try {
            profileFromClientPropertiesFile("/nonexistent/client.properties", "x");
            QFAIL("must throw");
        } catch (const FormatError &e) {
            QCOMPARE(std::string(e.what()),
                     std::string("/nonexistent/client.properties: cannot open the file for reading"));
        }
    }
};

QTEST_GUILESS_MAIN(TestClientProperties)
#include "tst_clientproperties.moc"
