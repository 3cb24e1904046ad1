#include "verso_allocator_tuning.h"

#if defined(__linux__)
#include <malloc.h>
#endif

void verso_keep_freed_memory(void) {
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD) && defined(M_TOP_PAD)
    // glibc trims a heap when 128 KiB at its top are free; a batch run frees and reallocates
    // about that much per file, so each file paid an mprotect and page faults to grow it back.
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
#endif
}
