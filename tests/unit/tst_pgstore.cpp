// The store on PostgreSQL, what only a server can show: a database of another application, one made by a newer
// Kafka Planner, a wrong password and an unreachable server are refused with a message that names the store (never
// its password) and leave the database as it was; a URL without what it needs is refused before any connection.
// Runs against the throwaway server of tests/postgres/postgres.sh (label postgres).

#include "store/database.h"
#include "store/profilestore.h"
#include "storefixture.h"

#include <QProcess>
#include <QSqlQuery>
#include <QTest>

using namespace kp;

namespace {

// The refusal's message, empty when `location` opened.
std::string refusal(const QString &location)
{
    try {
        Database db(location);
    } catch (const StoreError &e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TestPgStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(test::storeOnPostgres(), "run with KP_STORE_BACKEND=postgres (ctest -L postgres)"); }

    void anotherApplicationsDatabaseIsLeftAlone()
    {
        const test::TestStore store;
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("raw"));
            const QUrl url(store.location());
            raw.setHostName(url.host());
            raw.setPort(url.port());
            raw.setUserName(url.userName());
            raw.setDatabaseName(url.path().mid(1));
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE orders (id INTEGER)")));
            const std::string why = refusal(store.location());
            QVERIFY2(contains(why, "a PostgreSQL database of another application (1 tables, none of them kp_schema); "
                                   "nothing was changed"),
                     why.c_str());
            QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    }

    void newerSchemaIsRefused()
    {
        const test::TestStore store;
        {
            Database db(store.location());
            QSqlQuery q(db.db());
            QVERIFY(q.exec(QStringLiteral("UPDATE kp_schema SET version = 99")));
        }
        const std::string why = refusal(store.location());
        QVERIFY2(contains(why, "made by a newer Kafka Planner (schema 99, this build knows " +
                                   std::to_string(Database::kSchemaVersion) + "); nothing was changed"),
                 why.c_str());
    }

    // The same store opened twice: the second finds the schema there and changes nothing; what the first saved is
    // read by the second.
    void secondOpenFindsTheSchema()
    {
        const test::TestStore store;
        {
            Database db(store.location());
            ProfileStore profiles(db);
            ConnectionProfile p;
            p.name = "prod";
            p.bootstrap = "k1:9092";
            profiles.save(p);
        }
        Database db(store.location());
        QSqlQuery q(db.db());
        QVERIFY(q.exec(QStringLiteral("SELECT application, version FROM kp_schema")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("kafka-planner"));
        QCOMPARE(q.value(1).toInt(), Database::kSchemaVersion);
        QVERIFY(!q.next());
        QCOMPARE(ProfileStore(db).find("prod")->bootstrap, std::string("k1:9092"));
    }

    // The command line on a shared store: --db takes the URL; a profile added by one command is listed by the next.
    void commandLineUsesTheUrl()
    {
        const test::TestStore store;
        QProcess add;
        add.start(QStringLiteral(KP_CLI),
                  {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("team-prod"),
                   QStringLiteral("--bootstrap"), QStringLiteral("k1:9092,k2:9092"), QStringLiteral("--db"),
                   store.location()});
        QVERIFY(add.waitForFinished(30000));
        QVERIFY2(add.exitCode() == 0, add.readAllStandardError().constData());
        QProcess list;
        list.start(QStringLiteral(KP_CLI),
                   {QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--db"), store.location()});
        QVERIFY(list.waitForFinished(30000));
        QVERIFY2(list.exitCode() == 0, list.readAllStandardError().constData());
        QVERIFY2(list.readAllStandardOutput().contains("team-prod"), "the profile is not listed");
        QProcess wrong;
        wrong.start(QStringLiteral(KP_CLI), {QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--db"),
                                             QStringLiteral("postgresql://kp:bad-pw@127.0.0.1:1/kp")});
        QVERIFY(wrong.waitForFinished(30000));
        const QByteArray err = wrong.readAllStandardError();
        QCOMPARE(wrong.exitCode(), 1);
        QVERIFY2(err.contains("postgresql://kp@127.0.0.1:1/kp: cannot connect") && !err.contains("bad-pw"),
                 err.constData());
    }

    void wrongPasswordIsNamedWithoutThePassword()
    {
        const test::TestStore store;
        QString location = store.location();
        location.replace(QStringLiteral("postgresql://kp@"), QStringLiteral("postgresql://kp:not-the-password@"));
        const std::string why = refusal(location);
        QVERIFY2(contains(why, "cannot connect") && contains(why, "password authentication failed for user \"kp\""),
                 why.c_str());
        QVERIFY2(!contains(why, "not-the-password"), why.c_str());
        QVERIFY2(contains(why, "postgresql://kp@127.0.0.1:"), why.c_str());
    }

    void unreachableServer()
    {
        const std::string why = refusal(QStringLiteral("postgresql://kp@127.0.0.1:1/kp?connect_timeout=2"));
        QVERIFY2(contains(why, "postgresql://kp@127.0.0.1:1/kp?connect_timeout=2: cannot connect"), why.c_str());
    }

    void badUrls_data()
    {
        QTest::addColumn<QString>("location");
        QTest::addColumn<QString>("message");
        QTest::addRow("no database") << QStringLiteral("postgresql://kp@127.0.0.1:5432/")
                                     << QStringLiteral("no database name");
        QTest::addRow("no host") << QStringLiteral("postgresql:///kp") << QStringLiteral("no host");
        QTest::addRow("bad option") << QStringLiteral("postgresql://kp@h/kp?sslmode=a;b")
                                    << QStringLiteral("option sslmode cannot be passed on");
    }

    void badUrls()
    {
        QFETCH(QString, location);
        QFETCH(QString, message);
        const std::string why = refusal(location);
        QVERIFY2(contains(why, message.toStdString()), why.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPgStore)
#include "tst_pgstore.moc"
