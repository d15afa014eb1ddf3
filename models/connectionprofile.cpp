#include "models/connectionprofile.h"

#include "models/formaterror.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace kp {

namespace {

std::string trimLeft(const std::string &s)
{
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f'))
        ++i;
    return s.substr(i);
}

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return s;
}

// Decodes the escapes of a .properties key or value; `lineNo` names the line in errors.
std::string unescape(const std::string &s, int lineNo)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c != '\\' || i + 1 >= s.size()) {
            out += c;
            continue;
        }
        char n = s[++i];
        switch (n) {
        case 't':
            out += '\t';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 'f':
            out += '\f';
            break;
        case 'u': {
            unsigned code = 0;
            for (int k = 1; k <= 4; ++k) {
                if (i + size_t(k) >= s.size())
                    throw FormatError("line " + std::to_string(lineNo) + ": incomplete \\u escape");
                char h = s[i + size_t(k)];
                code <<= 4;
                if (h >= '0' && h <= '9')
                    code |= unsigned(h - '0');
                else if (h >= 'a' && h <= 'f')
                    code |= unsigned(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    code |= unsigned(h - 'A' + 10);
                else
                    throw FormatError("line " + std::to_string(lineNo) + ": malformed \\u escape");
            }
            i += 4;
            // UTF-8 encode the BMP code point.
            if (code < 0x80) {
                out += char(code);
            } else if (code < 0x800) {
                out += char(0xC0 | (code >> 6));
                out += char(0x80 | (code & 0x3F));
            } else {
                out += char(0xE0 | (code >> 12));
                out += char(0x80 | ((code >> 6) & 0x3F));
                out += char(0x80 | (code & 0x3F));
            }
            break;
        }
        default:
            out += n;
        }
    }
    return out;
}

} // namespace

ConfigMap parseJavaProperties(const std::string &text)
{
    ConfigMap out;
    std::istringstream in(text);
    std::string raw;
    int lineNo = 0;
    while (std::getline(in, raw)) {
        ++lineNo;
        const int startLine = lineNo;
        if (!raw.empty() && raw.back() == '\r')
            raw.pop_back();
        std::string line = trimLeft(raw);
        if (line.empty() || line[0] == '#' || line[0] == '!')
            continue;
        // Line continuation: an odd number of trailing backslashes.
        auto continues = [](const std::string &l) {
            size_t n = 0;
            for (auto it = l.rbegin(); it != l.rend() && *it == '\\'; ++it)
                ++n;
            return n % 2 == 1;
        };
        while (continues(line)) {
            line.pop_back();
            std::string next;
            if (!std::getline(in, next))
                throw FormatError("line " + std::to_string(startLine) + ": the file ends inside a continued line");
            ++lineNo;
            if (!next.empty() && next.back() == '\r')
                next.pop_back();
            line += trimLeft(next);
        }
        size_t sep = 0;
        bool escaped = false;
        for (; sep < line.size(); ++sep) {
            char c = line[sep];
            if (escaped) {
                escaped = false;
                continue;
            }
            if (c == '\\') {
                escaped = true;
                continue;
            }
            if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f')
                break;
        }
        std::string key = unescape(line.substr(0, sep), startLine);
        size_t v = sep;
        while (v < line.size() && (line[v] == ' ' || line[v] == '\t' || line[v] == '\f'))
            ++v;
        if (v < line.size() && (line[v] == '=' || line[v] == ':'))
            ++v;
        while (v < line.size() && (line[v] == ' ' || line[v] == '\t' || line[v] == '\f'))
            ++v;
        if (key.empty())
            throw FormatError("line " + std::to_string(startLine) + ": a value without a key");
        out[key] = unescape(line.substr(v), startLine);
    }
    return out;
}

bool jaasOption(const std::string &jaas, const std::string &key, std::string &value)
{
    size_t pos = 0;
    while ((pos = jaas.find(key, pos)) != std::string::npos) {
        const bool boundary = pos == 0 || jaas[pos - 1] == ' ' || jaas[pos - 1] == '\t' || jaas[pos - 1] == '\n';
        size_t i = pos + key.size();
        while (i < jaas.size() && jaas[i] == ' ')
            ++i;
        if (!boundary || i >= jaas.size() || jaas[i] != '=') {
            pos += key.size();
            continue;
        }
        ++i;
        while (i < jaas.size() && jaas[i] == ' ')
            ++i;
        if (i >= jaas.size() || jaas[i] != '"')
            return false;
        std::string v;
        for (++i; i < jaas.size() && jaas[i] != '"'; ++i) {
            if (jaas[i] == '\\' && i + 1 < jaas.size())
                ++i;
            v += jaas[i];
        }
        if (i >= jaas.size())
            return false;
        value = v;
        return true;
    }
    return false;
}

bool parseJaasConfig(const std::string &jaas, std::string &username, std::string &password)
{
    return jaasOption(jaas, "username", username) && jaasOption(jaas, "password", password);
}

std::string ConnectionProfile::validate() const
{
    if (bootstrap.empty())
        return "bootstrap servers are empty: give host:port[,host:port...]";
    if (name.empty())
        return "the profile has no name";
    static const std::set<std::string> protocols{"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"};
    if (!protocols.count(securityProtocol))
        return "security.protocol '" + securityProtocol + "' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL";
    if (usesSasl()) {
        static const std::set<std::string> mechanisms{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"};
        if (saslMechanism == "GSSAPI")
            return "sasl.mechanism 'GSSAPI' (Kerberos) is not supported: this app has no Kerberos client; give it a "
                   "SCRAM-SHA-512, SCRAM-SHA-256, PLAIN or OAUTHBEARER login (a listener with one of them)";
        if (saslMechanism == "AWS_MSK_IAM")
            return "sasl.mechanism 'AWS_MSK_IAM' is not supported: it needs AWS's own client library; Amazon MSK also "
                   "offers SASL/SCRAM (port 9096): create a SCRAM secret for the cluster and use SCRAM-SHA-512";
        if (!mechanisms.count(saslMechanism))
            return "sasl.mechanism '" + saslMechanism +
                   "' is not supported: use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER";
        if (usesOidc()) {
            const std::string url = oidcTokenEndpoint();
            if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
                return "sasl.oauthbearer.token.endpoint.url '" + url + "' is not an http:// or https:// URL";
            if (username.empty())
                return "OAUTHBEARER with a token endpoint needs the OIDC client id";
        } else if (username.empty()) {
            return saslMechanism == "OAUTHBEARER" ? "OAUTHBEARER needs the principal its token names, or a token "
                                                    "endpoint (OIDC client credentials)"
                                                  : "SASL needs a user name";
        }
        if (auto m = extra.find("sasl.oauthbearer.method"); m != extra.end() && m->second != "oidc")
            return "sasl.oauthbearer.method '" + m->second + "' is not supported: use oidc with a token endpoint";
    }
    if (timeoutMs < 100 || timeoutMs > 600000)
        return "the timeout must be between 0.1 and 600 seconds";
    try {
        validateClientAzRules(clientAzs);
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return {};
}

namespace {

// A client.properties file is text (Latin-1 or UTF-8). Binary data, UTF-16 and control characters are refused here,
// before they could reach a profile name, a log line or a terminal (an escape byte would be echoed as it is).
void requirePropertiesText(const std::string &text)
{
    if (text.size() >= 2 && ((uint8_t(text[0]) == 0xFF && uint8_t(text[1]) == 0xFE) ||
                             (uint8_t(text[0]) == 0xFE && uint8_t(text[1]) == 0xFF)))
        throw FormatError("the file is UTF-16: save it as UTF-8 (or Latin-1) text");
    int line = 1;
    for (const char c : text) {
        const auto b = uint8_t(c);
        if (b == '\n')
            ++line;
        else if ((b < 0x20 && b != '\t' && b != '\r' && b != '\f') || b == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", b);
            throw FormatError("line " + std::to_string(line) + ": holds a control character (" + hex + ")" +
                              (b == 0 ? ": the file is binary or UTF-16, not a text file" : ": not a text file"));
        }
    }
}

// A property's value, empty when the file does not set it.
std::string propertyOf(const ConfigMap &props, const char *key)
{
    const auto it = props.find(key);
    return it == props.end() ? std::string() : it->second;
}

// The Java client's OAUTHBEARER: an unsecured JWT (OAuthBearerLoginModule required
// unsecuredLoginStringClaim_sub="alice";) or OIDC client credentials: sasl.oauthbearer.token.endpoint.url with
// clientId, clientSecret and scope in the JAAS line (Kafka 2.x-4.x) or in
// sasl.oauthbearer.client.credentials.client.id/.client.secret and sasl.oauthbearer.scope (Kafka 4.1, KIP-1139).
void importOAuthBearer(const ConfigMap &props, ConnectionProfile &p)
{
    auto get = [&](const char *key) { return propertyOf(props, key); };
    const std::string jaas = get("sasl.jaas.config");
    const std::string url = get("sasl.oauthbearer.token.endpoint.url");
    if (url.empty()) {
        if (!jaasOption(jaas, "unsecuredLoginStringClaim_sub", p.username))
            throw FormatError("sasl.jaas.config: an OAUTHBEARER login needs unsecuredLoginStringClaim_sub=\"...\" "
                              "(an unsecured JWT) there, or sasl.oauthbearer.token.endpoint.url (OIDC)");
        return;
    }
    p.extra["sasl.oauthbearer.token.endpoint.url"] = url;
    p.username = get("sasl.oauthbearer.client.credentials.client.id");
    p.password = get("sasl.oauthbearer.client.credentials.client.secret");
    std::string scope = get("sasl.oauthbearer.scope");
    if (p.username.empty())
        jaasOption(jaas, "clientId", p.username);
    if (p.password.empty())
        jaasOption(jaas, "clientSecret", p.password);
    if (scope.empty())
        jaasOption(jaas, "scope", scope);
    if (!scope.empty())
        p.extra["sasl.oauthbearer.scope"] = scope;
    if (p.username.empty())
        throw FormatError("sasl.jaas.config: an OIDC login needs clientId=\"...\" there (or "
                          "sasl.oauthbearer.client.credentials.client.id)");
}

} // namespace

ImportedProfile profileFromClientProperties(const std::string &text, const std::string &name,
                                            const std::string &bootstrapOverride)
{
    requirePropertiesText(text);
    const ConfigMap props = parseJavaProperties(text);
    ImportedProfile out;
    ConnectionProfile &p = out.profile;
    p.name = name;
    auto get = [&](const char *key) { return propertyOf(props, key); };
    p.bootstrap = bootstrapOverride.empty() ? get("bootstrap.servers") : bootstrapOverride;
    if (auto sp = get("security.protocol"); !sp.empty())
        p.securityProtocol = upper(sp);
    p.saslMechanism = upper(get("sasl.mechanism"));
    if (p.usesSasl() && p.saslMechanism.empty())
        p.saslMechanism = "GSSAPI"; // the Java client's default; refused by validate() below
    if (p.usesSasl() && (p.saslMechanism == "GSSAPI" || p.saslMechanism == "AWS_MSK_IAM")) {
        // Not supported: validate() below names it and the alternative, whatever the JAAS line holds.
    } else if (p.usesSasl() && p.saslMechanism == "OAUTHBEARER") {
        importOAuthBearer(props, p);
    } else if (p.usesSasl()) {
        const std::string jaas = get("sasl.jaas.config");
        if (jaas.empty())
            throw FormatError("sasl.jaas.config: missing; SASL needs username=\"...\" password=\"...\" there");
        if (!parseJaasConfig(jaas, p.username, p.password))
            throw FormatError("sasl.jaas.config: could not find username=\"...\" and password=\"...\"");
    }
    if (auto ca = get("ssl.truststore.location"); !ca.empty()) {
        const std::string type = upper(get("ssl.truststore.type"));
        if (type != "PEM")
            throw FormatError("ssl.truststore.location: a " + (type.empty() ? std::string("JKS") : type) +
                              " truststore cannot be read here; export the CA certificate as PEM "
                              "(keytool -exportcert -rfc -alias CA -keystore FILE > ca.pem) and set "
                              "ssl.truststore.type=PEM");
        p.sslCaLocation = ca;
    }
    if (auto ks = get("ssl.keystore.location"); !ks.empty()) {
        const std::string type = upper(get("ssl.keystore.type"));
        if (type == "PEM") {
            p.sslCertLocation = ks;
            p.sslKeyLocation = ks;
            p.sslKeyPassword = get("ssl.key.password");
        } else if (type == "PKCS12") {
            p.extra["ssl.keystore.location"] = ks;
            p.sslKeyPassword = get("ssl.keystore.password");
        } else {
            throw FormatError("ssl.keystore.location: a " + (type.empty() ? std::string("JKS") : type) +
                              " keystore cannot be read here; convert it to PKCS12 or PEM");
        }
    }
    if (props.count("ssl.endpoint.identification.algorithm") && get("ssl.endpoint.identification.algorithm").empty())
        p.extra["ssl.endpoint.identification.algorithm"] = "none";
    if (auto id = get("client.id"); !id.empty())
        p.extra["client.id"] = id;

    static const std::set<std::string> handled{"bootstrap.servers",
                                               "security.protocol",
                                               "sasl.mechanism",
                                               "sasl.jaas.config",
                                               "ssl.truststore.location",
                                               "ssl.truststore.type",
                                               "ssl.truststore.password",
                                               "ssl.keystore.location",
                                               "ssl.keystore.type",
                                               "ssl.keystore.password",
                                               "ssl.key.password",
                                               "ssl.endpoint.identification.algorithm",
                                               "sasl.oauthbearer.token.endpoint.url",
                                               "sasl.oauthbearer.client.credentials.client.id",
                                               "sasl.oauthbearer.client.credentials.client.secret",
                                               "sasl.oauthbearer.scope",
                                               "client.id"};
    for (const auto &[k, v] : props)
        if (!handled.count(k))
            out.ignoredKeys.push_back(k);

    if (p.bootstrap.empty())
        throw FormatError("bootstrap.servers: missing; add bootstrap.servers=host:port (or give --bootstrap)");
    if (auto err = p.validate(); !err.empty())
        throw FormatError(err);
    return out;
}

ImportedProfile profileFromClientPropertiesFile(const std::string &path, const std::string &name,
                                                const std::string &bootstrapOverride)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw FormatError(path + ": is a directory, not a client.properties file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FormatError(path + ": cannot open the file for reading");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw FormatError(path + ": reading the file failed");
    try {
        return profileFromClientProperties(ss.str(), name, bootstrapOverride);
    } catch (const FormatError &e) {
        throw FormatError(path + ": " + e.what());
    }
}

} // namespace kp
