#pragma once

class QThreadPool;

// The pool the app's background work runs on (collections, the Lag page's data, merges, frees): not Qt's global
// pool, which Qt 6.4 paints with (QRasterPaintEngine splits large fills over it and waits): with that pool busy with
// seconds of work at 10,000 groups, showing a page held the GUI thread for 2-5 s (tests/bench/stall-bench.sh, gdb).
namespace kp {

QThreadPool *workPool();

} // namespace kp
