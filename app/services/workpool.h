#pragma once

#include <functional>

class QThreadPool;

// The pool the app's background work runs on (collections, the Lag page's data, merges, frees): not Qt's global
// pool, which Qt 6.4 paints with (QRasterPaintEngine splits large fills over it and waits): with that pool busy with
// seconds of work at 10,000 groups, showing a page held the GUI thread for 2-5 s (tests/bench/stall-bench.sh, gdb).
namespace kp {

QThreadPool *workPool();

// Called first by every task on workPool(): the calling thread (and the threads it starts) yields the CPU to the GUI
// thread. On two cores, four busy pool threads took turns with the GUI thread and every stall grew (stall-bench).
void yieldToTheGuiThread();

// `task` on workPool(), yielding to the GUI thread first.
void startOnWorkPool(std::function<void()> task);

// KP_JOB_TRACE=1: a line on stderr per job the window's pages start, and per startOnWorkPool task
// (tests/bench/stall-bench.sh): how long it waited
// for a pool thread and ran, named by the job's type (the page's function that started it). It found a refresh's Lag
// page build sharing the two cores with a sample's collection. Made on the pool thread as the job starts; prints as it
// ends.
class JobTrace
{
public:
    static long long queuedNow(); // when a job is queued: now in ms, or 0 when not tracing
    JobTrace(const char *typeName, long long queuedAtMs);
    ~JobTrace();
    JobTrace(const JobTrace &) = delete;
    JobTrace &operator=(const JobTrace &) = delete;

private:
    const char *m_name;
    long long m_queued, m_started;
};

} // namespace kp
