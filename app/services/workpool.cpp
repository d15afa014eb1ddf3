#include "services/workpool.h"

#include <QThread>
#include <QThreadPool>
#include <algorithm>
#include <sys/resource.h>
#include <unistd.h>

namespace kp {

QThreadPool *workPool()
{
    // At least four threads: much of the work waits on the network (a collection, a read of record times).
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool; // lives to the process's end, as Qt's global pool does
        p->setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
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
    workPool()->start([task = std::move(task)] {
        yieldToTheGuiThread();
        task();
    });
}

} // namespace kp
