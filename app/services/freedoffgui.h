#pragma once

#include "services/workpool.h"

#include <QCoreApplication>
#include <QThread>
#include <memory>

// Large values shared with the window (a 50,000-partition snapshot, the Lag page's data) are freed where their last
// owner lets go, often the GUI thread when a page takes the next one: tens of thousands of strings and vectors, 50 to
// 100 ms of free() that froze the window at every sample (tests/bench/stall-bench.sh, perf). Shared through these,
// they are freed on a pool thread instead whenever the GUI thread drops the last reference.
namespace kp {

template <class T> void deleteOffGuiThread(T *value)
{
    const QCoreApplication *app = QCoreApplication::instance();
    if (app && QThread::currentThread() == app->thread())
        startOnWorkPool([value] { delete value; });
    else
        delete value;
}

// Lets go of `value` (left empty) on a pool thread: freed there if this was its last owner.
template <class T> void releaseOffGuiThread(std::shared_ptr<T> &value)
{
    startOnWorkPool([held = std::move(value)]() mutable { held.reset(); });
}

template <class T> std::shared_ptr<const T> shareFreedOffGuiThread(T &&value)
{
    return std::shared_ptr<const T>(new T(std::move(value)), &deleteOffGuiThread<T>);
}

} // namespace kp
