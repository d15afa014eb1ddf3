#pragma once
// A minimal HTTP endpoint for Prometheus: GET /metrics answers with what `render` returns (text format 0.0.4), other
// paths 404; one request at a time on a thread of its own, the connection closed after each answer.

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace kp {

class MetricsServer
{
public:
    // Listens on `hostPort` (HOST:PORT) at once; std::runtime_error naming the address when it cannot (the port in
    // use, an address that is not this machine's, a malformed value).
    MetricsServer(const std::string &hostPort, std::function<std::string()> render);
    ~MetricsServer(); // stops listening and joins
    MetricsServer(const MetricsServer &) = delete;
    MetricsServer &operator=(const MetricsServer &) = delete;

private:
    void serve();
    void answer(int client);
    int m_fd = -1;
    std::atomic<bool> m_stop{false};
    std::function<std::string()> m_render;
    std::thread m_thread;
};

} // namespace kp
