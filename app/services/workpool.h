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

} // namespace kp
