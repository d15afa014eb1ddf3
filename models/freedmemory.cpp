#include "models/freedmemory.h"

#include <cstdlib> // defines __GLIBC__ where glibc is the C library (the header includes nothing)
#include <dlfcn.h>

#ifdef __GLIBC__
#include <malloc.h> // here only: malloc.h's names stay out of every file that includes the header
#endif

namespace kp {

namespace {

using Mallctl = int (*)(const char *, void *, size_t *, void *, size_t);

// jemalloc's control entry when the program runs on it (the app, ui/allocator.cpp), else null (tests, sanitizers).
Mallctl jemallocControl()
{
    static const auto control = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
    return control;
}

} // namespace

void giveBackFreedMemory()
{
    if (Mallctl control = jemallocControl()) {
        control("arena.4096.purge", nullptr, nullptr, nullptr, 0); // 4096: MALLCTL_ARENAS_ALL, every arena
        return;
    }
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

std::string allocatorName()
{
    Mallctl control = jemallocControl();
    if (!control)
        return "glibc malloc";
    unsigned arenas = 0;
    ssize_t decayMs = 0;
    size_t size = sizeof arenas, decaySize = sizeof decayMs;
    if (control("opt.narenas", &arenas, &size, nullptr, 0) != 0 ||
        control("opt.dirty_decay_ms", &decayMs, &decaySize, nullptr, 0) != 0)
        return "jemalloc";
    return "jemalloc, " + std::to_string(arenas) + " arenas, pages back after " + std::to_string(decayMs) + " ms";
}

} // namespace kp
