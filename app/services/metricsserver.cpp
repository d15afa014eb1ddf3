#include "services/metricsserver.h"

#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace kp {

namespace {

[[noreturn]] void refuse(const std::string &hostPort, const std::string &why)
{
    throw std::runtime_error("--metrics " + hostPort + ": " + why);
}

// A socket listening on HOST:PORT.
int listenOn(const std::string &hostPort)
{
    const auto colon = hostPort.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == hostPort.size())
        refuse(hostPort, "give HOST:PORT, e.g. 127.0.0.1:9308");
    const std::string host = hostPort.substr(0, colon), port = hostPort.substr(colon + 1);
    char *end = nullptr;
    const long number = std::strtol(port.c_str(), &end, 10);
    if (*end != '\0' || number < 1 || number > 65535)
        refuse(hostPort, "the port must be a number from 1 to 65535");
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo *found = nullptr;
    if (const int err = getaddrinfo(host.c_str(), port.c_str(), &hints, &found))
        refuse(hostPort, gai_strerror(err));
    const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    std::string why;
    if (fd < 0)
        why = std::strerror(errno);
    else if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
             bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, 16) != 0)
        why = errno == EADDRINUSE ? std::string("the port is in use") : std::string(std::strerror(errno));
    freeaddrinfo(found);
    if (!why.empty()) {
        if (fd >= 0)
            close(fd);
        refuse(hostPort, why);
    }
    return fd;
}

// The request line of what the client sent, read for at most two seconds.
std::string requestLine(int client)
{
    std::string request;
    char buf[2048];
    pollfd p{client, POLLIN, 0};
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384 && poll(&p, 1, 2000) > 0) {
        const ssize_t n = read(client, buf, sizeof buf);
        if (n <= 0)
            break;
        request.append(buf, size_t(n));
    }
    return request.substr(0, request.find("\r\n"));
}

void writeAll(int client, const std::string &bytes)
{
    for (size_t done = 0; done < bytes.size();) {
        const ssize_t n = send(client, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        done += size_t(n);
    }
}

} // namespace

MetricsServer::MetricsServer(const std::string &hostPort, std::function<std::string()> render)
    : m_fd(listenOn(hostPort)), m_render(std::move(render)), m_thread([this] { serve(); })
{}

MetricsServer::~MetricsServer()
{
    m_stop = true;
    m_thread.join();
    close(m_fd);
}

void MetricsServer::serve()
{
    pollfd p{m_fd, POLLIN, 0};
    while (!m_stop) {
        if (poll(&p, 1, 200) <= 0)
            continue;
        const int client = accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0)
            continue;
        answer(client);
        close(client);
    }
}

void MetricsServer::answer(int client)
{
    const std::string line = requestLine(client);
    std::string status = "404 Not Found", type = "text/plain; charset=utf-8", body = "Not found: try /metrics\n";
    if (line.rfind("GET /metrics ", 0) == 0 || line == "GET /metrics") {
        status = "200 OK";
        type = "text/plain; version=0.0.4; charset=utf-8";
        body = m_render();
    } else if (line.rfind("GET ", 0) != 0) {
        status = "405 Method Not Allowed";
        body = "GET /metrics\n";
    }
    writeAll(client, "HTTP/1.1 " + status + "\r\nContent-Type: " + type +
                         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
}

} // namespace kp
