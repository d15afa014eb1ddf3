#pragma once

// Heap the process freed, given back to the system. glibc keeps freed memory in its arenas, and a large cluster's
// work frees hundreds of megabytes at a time: the next peak came on top of the last one's leftovers. Call it off the
// GUI thread after heavy work (a sample stored, a page's history read and built); it costs a walk of the free lists.
namespace kp {

void giveBackFreedMemory();

} // namespace kp
