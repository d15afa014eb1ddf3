#include "models/freedmemory.h"

#include <cstdlib> // defines __GLIBC__ where glibc is the C library (the header includes nothing)

#ifdef __GLIBC__
#include <malloc.h> // here only: malloc.h's names stay out of every file that includes the header
#endif

namespace kp {

void giveBackFreedMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

} // namespace kp
