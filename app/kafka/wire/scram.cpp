#include "kafka/wire/scram.h"

#include "kafka/wire/wirebuffer.h"

#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QRandomGenerator>

namespace kp::wire {

namespace {

// Parses "a=x,b=y,..." attributes; values may contain '=' but not ','.
std::string attribute(const std::string &message, char key)
{
    size_t pos = 0;
    while (pos <= message.size()) {
        const size_t end = std::min(message.find(',', pos), message.size());
        if (end - pos >= 2 && message[pos] == key && message[pos + 1] == '=')
            return message.substr(pos + 2, end - pos - 2);
        pos = end + 1;
    }
    return {};
}

} // namespace

ScramClient::ScramClient(QCryptographicHash::Algorithm algorithm, const std::string &user, const std::string &password,
                         const std::string &clientNonce)
    : m_algorithm(algorithm), m_user(user), m_password(password), m_nonce(clientNonce)
{
    if (m_nonce.empty()) {
        QByteArray random(24, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
        m_nonce = random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals).toStdString();
    }
}

std::string ScramClient::escapeUser(const std::string &user)
{
    std::string out;
    for (char c : user) {
        if (c == '=')
            out += "=3D";
        else if (c == ',')
            out += "=2C";
        else
            out += c;
    }
    return out;
}

std::string ScramClient::clientFirst() const
{
    return "n,,n=" + escapeUser(m_user) + ",r=" + m_nonce;
}

QByteArray ScramClient::hmac(const QByteArray &key, const QByteArray &message) const
{
    return QMessageAuthenticationCode::hash(message, key, m_algorithm);
}

std::string ScramClient::clientFinal(const std::string &serverFirst)
{
    if (!attribute(serverFirst, 'e').empty())
        throw ProtocolError("the broker refused SCRAM: " + attribute(serverFirst, 'e'));
    const std::string nonce = attribute(serverFirst, 'r');
    const std::string salt64 = attribute(serverFirst, 's');
    const std::string iter = attribute(serverFirst, 'i');
    if (nonce.size() <= m_nonce.size() || nonce.compare(0, m_nonce.size(), m_nonce) != 0)
        throw ProtocolError("SCRAM: the broker's nonce does not extend ours");
    if (salt64.empty() || iter.empty())
        throw ProtocolError("SCRAM: malformed server-first-message");
    int iterations = 0;
    try {
        iterations = std::stoi(iter);
    } catch (...) {
        throw ProtocolError("SCRAM: malformed iteration count");
    }
    if (iterations < 4096 || iterations > 1000000)
        throw ProtocolError("SCRAM: iteration count " + iter + " is out of the range 4096 to 1,000,000");
    const QByteArray salt = QByteArray::fromBase64(QByteArray::fromStdString(salt64));
    const int keyLength = m_algorithm == QCryptographicHash::Sha512 ? 64 : 32;
    const QByteArray salted = QPasswordDigestor::deriveKeyPbkdf2(m_algorithm, QByteArray::fromStdString(m_password),
                                                                 salt, iterations, quint64(keyLength));
    const QByteArray clientKey = hmac(salted, QByteArrayLiteral("Client Key"));
    const QByteArray storedKey = QCryptographicHash::hash(clientKey, m_algorithm);
    const std::string withoutProof = "c=biws,r=" + nonce;
    const std::string authMessage = clientFirst().substr(3) + "," + serverFirst + "," + withoutProof;
    const QByteArray clientSignature = hmac(storedKey, QByteArray::fromStdString(authMessage));
    QByteArray proof = clientKey;
    for (int i = 0; i < proof.size(); ++i)
        proof[i] = char(proof[i] ^ clientSignature[i]);
    const QByteArray serverKey = hmac(salted, QByteArrayLiteral("Server Key"));
    m_serverSignature = hmac(serverKey, QByteArray::fromStdString(authMessage));
    return withoutProof + ",p=" + proof.toBase64().toStdString();
}

void ScramClient::verifyServerFinal(const std::string &serverFinal) const
{
    if (!attribute(serverFinal, 'e').empty())
        throw ProtocolError("the broker refused SCRAM: " + attribute(serverFinal, 'e'));
    if (QByteArray::fromBase64(QByteArray::fromStdString(attribute(serverFinal, 'v'))) != m_serverSignature ||
        m_serverSignature.isEmpty())
        throw ProtocolError("SCRAM: the broker's signature does not match: it does not know this user's password");
}

} // namespace kp::wire
