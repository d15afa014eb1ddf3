#include "store/secretstore.h"

#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace kp {

namespace {

const QString kService = QStringLiteral("io.github.kafkaplanner.KafkaPlanner");

QString entryKey(const QString &profile, const QString &key)
{
    return QStringLiteral("profile/") + profile + QStringLiteral("/") + key;
}

// Runs a keychain job to completion with a bound: a keyring daemon that never answers is the same as none.
bool runJob(QKeychain::Job &job, QString *error)
{
    job.setAutoDelete(false);
    job.setInsecureFallback(false); // never fall back to a plaintext file
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    timer.start(5000);
    job.start();
    loop.exec();
    if (timedOut) {
        if (error)
            *error = QStringLiteral("the system keyring did not answer within 5 s");
        return false;
    }
    if (job.error() != QKeychain::NoError) {
        if (error)
            *error = job.errorString();
        return false;
    }
    return true;
}

} // namespace

SecretStore::Result SecretStore::write(const QString &profile, const QString &key, const QString &secret)
{
    QKeychain::WritePasswordJob job(kService);
    job.setKey(entryKey(profile, key));
    job.setTextData(secret);
    Result r;
    r.ok = runJob(job, &r.error);
    return r;
}

std::optional<QString> SecretStore::read(const QString &profile, const QString &key, QString *error)
{
    QKeychain::ReadPasswordJob job(kService);
    job.setKey(entryKey(profile, key));
    if (!runJob(job, error))
        return std::nullopt;
    return job.textData();
}

SecretStore::Result SecretStore::remove(const QString &profile, const QString &key)
{
    QKeychain::DeletePasswordJob job(kService);
    job.setKey(entryKey(profile, key));
    Result r;
    r.ok = runJob(job, &r.error);
    return r;
}

} // namespace kp
