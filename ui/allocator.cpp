// The app's allocator settings (ui/CMakeLists.txt, KP_JEMALLOC). jemalloc reads `malloc_conf` when it starts, before
// main(); MALLOC_CONF in the environment still overrides it.
#ifdef KP_JEMALLOC
// Two arenas, as glibc's were limited to (each arena keeps a high-water mark of its own: the window's memory on a large
// cluster). A thread's small allocations and frees go through its own cache, without the arena's lock, so a worker
// taken off the CPU holding one no longer holds the GUI thread up. Freed pages go back to the system within half a
// second, by jemalloc's own thread rather than at a later allocation.
extern "C" {
// NOLINTNEXTLINE: the name jemalloc looks for
const char *malloc_conf = "narenas:2,dirty_decay_ms:500,muzzy_decay_ms:0,background_thread:true";
}
#endif
