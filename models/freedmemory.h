#pragma once

#include <string>

// Heap the process freed, given back to the system. glibc keeps freed memory in its arenas, and a large cluster's
// work frees hundreds of megabytes at a time: the next peak came on top of the last one's leftovers. Call it off the
// GUI thread after heavy work (a sample stored, a page's history read and built); it costs a walk of the free lists.
// Under jemalloc (the app, ui/allocator.cpp) every arena's unused pages are purged at once.
namespace kp {

void giveBackFreedMemory();

// The allocator the process runs on, for benchmark reports: "glibc malloc", or "jemalloc, 2 arenas, ...".
std::string allocatorName();

} // namespace kp
