#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <string>

// The client side of SCRAM (RFC 5802, RFC 7677) as Kafka uses it: no channel binding, no extensions.
namespace kp::wire {

class ScramClient
{
public:
    // algorithm: Sha256 or Sha512. clientNonce: empty = a fresh random one.
    ScramClient(QCryptographicHash::Algorithm algorithm, const std::string &user, const std::string &password,
                const std::string &clientNonce = {});

    std::string clientFirst() const;
    // Takes server-first-message, returns client-final-message. Throws ProtocolError on a malformed or hostile
    // message (nonce not extending ours, too few iterations, ...).
    std::string clientFinal(const std::string &serverFirst);
    // Checks server-final-message (v=...); throws ProtocolError when the server cannot prove it knows the password.
    void verifyServerFinal(const std::string &serverFinal) const;

    static std::string escapeUser(const std::string &user); // '=' -> =3D, ',' -> =2C

private:
    QByteArray hmac(const QByteArray &key, const QByteArray &message) const;
    QCryptographicHash::Algorithm m_algorithm;
    std::string m_user;
    std::string m_password;
    std::string m_nonce;
    QByteArray m_serverSignature;
};

} // namespace kp::wire
