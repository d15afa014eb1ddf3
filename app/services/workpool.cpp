#include "services/workpool.h"

#include <QThread>
#include <QThreadPool>
#include <algorithm>

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

} // namespace kp
