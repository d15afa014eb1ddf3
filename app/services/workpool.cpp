#include "services/workpool.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThread>
#include <QThreadPool>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cxxabi.h>
#include <memory>
#include <sys/resource.h>
#include <typeinfo>
#include <unistd.h>

namespace kp {

namespace {

void waitForThePoolsJobs()
{
    workPool()->waitForDone();
}

} // namespace

QThreadPool *workPool()
{
    // At least four threads: much of the work waits on the network (a collection, a read of record times).
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool; // lives to the process's end, as Qt's global pool does
        p->setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
        // As Qt waits for its global pool: when the application object goes, before the statics its jobs may use
        // (a job left running at exit once met them destroyed: SIGSEGV after a test process's last test). The pages'
        // lanes cancel their jobs as they go, so this waits for what should end anyway (a save) or ends soon.
        qAddPostRoutine(waitForThePoolsJobs);
        return p;
    }();
    return pool;
}

void yieldToTheGuiThread()
{
    // Linux keeps a nice value per thread (and threads started here inherit it): at 10 the scheduler gives this
    // thread about a tenth of the share of the GUI thread's when both want the CPU.
    thread_local bool niced = false;
    if (!niced) {
        setpriority(PRIO_PROCESS, pid_t(gettid()), 10);
        niced = true;
    }
}

void startOnWorkPool(std::function<void()> task)
{
    workPool()->start([task = std::move(task), queued = JobTrace::queuedNow()] {
        const JobTrace trace(task.target_type().name(), queued);
        yieldToTheGuiThread();
        task();
    });
}

namespace {

bool tracingJobs()
{
    static const bool on = qEnvironmentVariableIntValue("KP_JOB_TRACE") == 1;
    return on;
}

} // namespace

long long JobTrace::queuedNow()
{
    return tracingJobs() ? QDateTime::currentMSecsSinceEpoch() : 0;
}

JobTrace::JobTrace(const char *typeName, long long queuedAtMs)
    : m_name(typeName), m_queued(queuedAtMs), m_started(m_queued ? QDateTime::currentMSecsSinceEpoch() : 0)
{}

JobTrace::~JobTrace()
{
    if (m_queued == 0)
        return;
    int status = 0;
    const std::unique_ptr<char, decltype(&std::free)> name(abi::__cxa_demangle(m_name, nullptr, nullptr, &status),
                                                           &std::free);
    std::fprintf(stderr, "job queued at %lld: waited %lld ms, ran %lld ms: %s\n", m_queued, m_started - m_queued,
                 QDateTime::currentMSecsSinceEpoch() - m_started, status == 0 ? name.get() : m_name);
}

} // namespace kp
