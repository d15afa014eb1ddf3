#include "kafka/wire/brokerconnection.h"

#include "kafka/oidctoken.h"
#include "kafka/wire/oauthbearer.h"
#include "kafka/wire/scram.h"
#include "kafka/wire/wirebuffer.h"
#include "models/cancelled.h"
#include "models/units.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>

namespace kp::wire {

namespace {

constexpr int32_t kMaxFrameBytes = 256 * 1024 * 1024; // a frame larger than this is not a Kafka response to us
constexpr const char *kClientId = "kafka-planner-wire";

std::string qstr(const QString &s)
{
    return s.toStdString();
}

} // namespace

BrokerConnection::BrokerConnection(const ConnectionProfile &profile, std::string host, int port, int timeoutMs,
                                   const std::atomic<bool> *cancel)
    : m_profile(profile), m_host(std::move(host)), m_port(port), m_timeoutMs(timeoutMs), m_cancel(cancel)
{}

BrokerConnection::~BrokerConnection()
{
    if (m_socket)
        m_socket->abort();
}

int BrokerConnection::remainingMs() const
{
    return int(std::max<qint64>(0, m_timeoutMs - m_clock.elapsed()));
}

void BrokerConnection::checkCancel() const
{
    if (m_cancel && m_cancel->load())
        throw Cancelled();
    if (remainingMs() == 0)
        throw WireTimeout(address() + ": no answer within " + formatSeconds(m_timeoutMs));
}

// Qt's blocking waits, in slices of 100 ms so that the cancel flag and the deadline are seen.
void BrokerConnection::waitUntil(const std::function<bool(int)> &step, const char *what)
{
    while (!step(std::min(remainingMs(), 100))) {
        checkCancel();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            throw WireError(std::string(what) + address() + ": " + qstr(m_socket->errorString()));
    }
}

void BrokerConnection::open()
{
    m_clock.start();
    if (m_profile.usesSsl()) {
        auto ssl = std::make_unique<QSslSocket>();
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        if (!m_profile.sslCaLocation.empty()) {
            const auto cas = QSslCertificate::fromPath(QString::fromStdString(m_profile.sslCaLocation));
            if (cas.isEmpty())
                throw WireError("no CA certificate could be read from " + m_profile.sslCaLocation);
            conf.setCaCertificates(cas);
        }
        if (!m_profile.sslCertLocation.empty()) {
            const auto certs = QSslCertificate::fromPath(QString::fromStdString(m_profile.sslCertLocation));
            if (certs.isEmpty())
                throw WireError("no client certificate could be read from " + m_profile.sslCertLocation);
            conf.setLocalCertificate(certs.first());
            QFile keyFile(QString::fromStdString(m_profile.sslKeyLocation));
            if (!keyFile.open(QIODevice::ReadOnly))
                throw WireError("the client key " + m_profile.sslKeyLocation + " cannot be read");
            QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey,
                        QByteArray::fromStdString(m_profile.sslKeyPassword));
            if (key.isNull()) {
                keyFile.seek(0);
                key = QSslKey(&keyFile, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey,
                              QByteArray::fromStdString(m_profile.sslKeyPassword));
            }
            if (key.isNull())
                throw WireError("the client key " + m_profile.sslKeyLocation + " is not a readable PEM key");
            conf.setPrivateKey(key);
        }
        if (auto ks = m_profile.extra.find("ssl.keystore.location"); ks != m_profile.extra.end()) {
            // A PKCS12 keystore (Java's ssl.keystore.type=PKCS12): the client's key and certificate in one file.
            QFile store(QString::fromStdString(ks->second));
            if (!store.open(QIODevice::ReadOnly))
                throw WireError("the PKCS12 keystore " + ks->second + " cannot be read");
            QSslKey key;
            QSslCertificate cert;
            QList<QSslCertificate> chain;
            if (!QSslCertificate::importPkcs12(&store, &key, &cert, &chain,
                                               QByteArray::fromStdString(m_profile.sslKeyPassword)))
                throw WireError("the PKCS12 keystore " + ks->second +
                                " could not be opened (wrong ssl.keystore.password, or not PKCS12)");
            conf.setPrivateKey(key);
            conf.setLocalCertificate(cert);
        }
        conf.setPeerVerifyMode(QSslSocket::VerifyPeer);
        ssl->setSslConfiguration(conf);
        auto it = m_profile.extra.find("ssl.endpoint.identification.algorithm");
        if (it != m_profile.extra.end() && it->second == "none")
            ssl->ignoreSslErrors({QSslError(QSslError::HostNameMismatch)});
        ssl->connectToHostEncrypted(QString::fromStdString(m_host), quint16(m_port));
        QSslSocket *raw = ssl.get();
        m_socket = std::move(ssl);
        while (!raw->waitForEncrypted(std::min(remainingMs(), 100))) {
            checkCancel();
            if (raw->state() != QAbstractSocket::UnconnectedState &&
                raw->error() == QAbstractSocket::SocketTimeoutError)
                continue;
            std::string why;
            for (const auto &e : raw->sslHandshakeErrors())
                why += (why.empty() ? "" : "; ") + qstr(e.errorString());
            if (!why.empty())
                throw WireError("TLS with " + address() + " failed: the broker's certificate was not trusted (" + why +
                                ")");
            throw WireError("TLS with " + address() + " failed: " + qstr(raw->errorString()));
        }
    } else {
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->connectToHost(QString::fromStdString(m_host), quint16(m_port));
        waitUntil([this](int ms) { return m_socket->waitForConnected(ms); }, "could not connect to ");
    }
    const auto versions = decodeApiVersionsResponse(call(kApiVersions, 0, encodeApiVersionsRequest()));
    if (versions.errorCode != 0)
        throw WireError(address() + " refused ApiVersions: " + errorName(versions.errorCode));
    m_apis = versions.apis;
    if (m_profile.usesSasl())
        authenticate();
}

void BrokerConnection::authenticate()
{
    const int16_t authVersion = pickVersion(m_apis, kSaslAuthenticate, 0, 2);
    if (authVersion < 0 || pickVersion(m_apis, kSaslHandshake, 1, 1) < 0)
        throw WireError(address() + " does not offer SaslHandshake v1 and SaslAuthenticate");
    const auto handshake =
        decodeSaslHandshakeResponse(call(kSaslHandshake, 1, encodeSaslHandshakeRequest(m_profile.saslMechanism)));
    if (handshake.errorCode != 0) {
        std::string offered;
        for (const auto &m : handshake.mechanisms)
            offered += (offered.empty() ? "" : ", ") + m;
        throw WireError(address() + " does not accept SASL " + m_profile.saslMechanism + " (it offers " + offered +
                        ")");
    }
    auto exchange = [&](const std::string &bytes) {
        auto r = decodeSaslAuthenticateResponse(
            authVersion, call(kSaslAuthenticate, authVersion, encodeSaslAuthenticateRequest(authVersion, bytes)));
        if (r.errorCode != 0 && m_profile.usesOidc())
            throw WireError(oidcTokenRefused(m_profile, address(), r.errorMessage));
        if (r.errorCode != 0)
            throw WireError("SASL authentication failed for user '" + m_profile.username + "' on " + address() +
                            ": check the user name and password (" + r.errorMessage + ")");
        return r.authBytes;
    };
    if (m_profile.saslMechanism == "PLAIN") {
        exchange(std::string(1, '\0') + m_profile.username + std::string(1, '\0') + m_profile.password);
        return;
    }
    if (m_profile.saslMechanism == "OAUTHBEARER") {
        // A refused token comes back as a JSON error to acknowledge with 0x01; the broker then fails the login.
        const int64_t now = QDateTime::currentSecsSinceEpoch();
        const bool oidc = m_profile.usesOidc();
        std::string token;
        try {
            token =
                oidc ? oidcAccessToken(m_profile, m_profile.timeoutMs).token : unsecuredJwt(m_profile.username, now);
        } catch (const std::runtime_error &e) {
            throw WireError(e.what());
        }
        const std::string refusal = exchange(oauthBearerClientFirst(token));
        if (!refusal.empty()) {
            try {
                exchange(std::string(1, '\x01'));
            } catch (const WireError &) {
            }
            if (oidc)
                throw WireError(oidcTokenRefused(m_profile, address(), refusal));
            throw WireError("SASL OAUTHBEARER login as '" + m_profile.username + "' refused by " + address() + ": " +
                            refusal + " (the broker must accept unsecured JWTs)");
        }
        return;
    }
    const auto algorithm =
        m_profile.saslMechanism == "SCRAM-SHA-512" ? QCryptographicHash::Sha512 : QCryptographicHash::Sha256;
    ScramClient scram(algorithm, m_profile.username, m_profile.password);
    const std::string serverFirst = exchange(scram.clientFirst());
    const std::string serverFinal = exchange(scram.clientFinal(serverFirst));
    scram.verifyServerFinal(serverFinal);
}

void BrokerConnection::writeAll(const std::string &bytes)
{
    qint64 done = 0;
    while (done < qint64(bytes.size())) {
        const qint64 n = m_socket->write(bytes.data() + done, qint64(bytes.size()) - done);
        if (n < 0)
            throw WireError("sending to " + address() + " failed: " + qstr(m_socket->errorString()));
        done += n;
    }
    while (m_socket->bytesToWrite() > 0) {
        checkCancel();
        if (!m_socket->waitForBytesWritten(std::min(remainingMs(), 100)) &&
            m_socket->state() != QAbstractSocket::ConnectedState)
            throw WireError("sending to " + address() + " failed: " + qstr(m_socket->errorString()));
    }
}

std::string BrokerConnection::readExactly(size_t n)
{
    std::string out;
    out.reserve(n);
    while (out.size() < n) {
        if (m_socket->bytesAvailable() == 0) {
            checkCancel();
            if (!m_socket->waitForReadyRead(std::min(remainingMs(), 100))) {
                if (m_socket->state() != QAbstractSocket::ConnectedState)
                    throw WireError(address() + " closed the connection (" + qstr(m_socket->errorString()) + ")");
                continue;
            }
        }
        const QByteArray chunk = m_socket->read(qint64(n - out.size()));
        out.append(chunk.constData(), size_t(chunk.size()));
    }
    return out;
}

std::string BrokerConnection::call(int16_t api, int16_t version, const std::string &body)
{
    return callAll(api, version, {body}).front();
}

std::vector<std::string> BrokerConnection::callAll(int16_t api, int16_t version, const std::vector<std::string> &bodies)
{
    const int32_t first = m_correlation + 1;
    std::string frames;
    for (const auto &body : bodies) {
        const std::string payload = encodeRequestHeader(api, version, ++m_correlation, kClientId) + body;
        Writer frame;
        frame.int32(int32_t(payload.size()));
        frames += frame.data() + payload;
    }
    writeAll(frames);
    std::vector<std::string> out;
    for (int32_t correlation = first; correlation <= m_correlation; ++correlation)
        out.push_back(readResponse(api, version, correlation));
    return out;
}

std::string BrokerConnection::readResponse(int16_t api, int16_t version, int32_t correlation)
{
    const std::string sizeBytes = readExactly(4);
    const int32_t size = Reader(sizeBytes).int32();
    if (size < 4 || size > kMaxFrameBytes)
        throw ProtocolError(address() + " sent a frame of " + std::to_string(size) + " bytes");
    const std::string response = readExactly(size_t(size));
    Reader r(response);
    if (r.int32() != correlation)
        throw ProtocolError(address() + " answered another request (correlation id mismatch)");
    // ApiVersions always answers with header v0, whatever its version (KIP-511).
    if (api != kApiVersions && isFlexible(api, version))
        r.skipTaggedFields();
    return response.substr(r.position());
}

BrokerLogDirs describeLogDirs(const ConnectionProfile &profile, const std::string &host, int port, int timeoutMs,
                              const std::atomic<bool> *cancel)
{
    BrokerConnection conn(profile, host, port, timeoutMs, cancel);
    conn.open();
    BrokerLogDirs out;
    out.version = pickVersion(conn.apiVersions(), kDescribeLogDirs, 1, 4);
    if (out.version < 0)
        throw WireError(conn.address() + " does not offer DescribeLogDirs 1 to 4");
    out.response = decodeDescribeLogDirsResponse(
        out.version, conn.call(kDescribeLogDirs, out.version, encodeDescribeLogDirsRequest(out.version)));
    return out;
}

FetchResponse fetchBatches(const ConnectionProfile &profile, const std::string &host, int port, int timeoutMs,
                           const std::vector<FetchPartitionRequest> &partitions, const std::atomic<bool> *cancel)
{
    BrokerConnection conn(profile, host, port, timeoutMs, cancel);
    conn.open();
    if (pickVersion(conn.apiVersions(), kFetch, 4, 4) < 0)
        throw WireError(conn.address() + " does not offer Fetch version 4");
    return decodeFetchResponse(conn.call(kFetch, 4, encodeFetchRequest(partitions, 0, 4 * 1024 * 1024)));
}

} // namespace kp::wire
