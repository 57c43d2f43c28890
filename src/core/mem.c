/* core/mem.c — see mem.h. */
#if defined(__linux__)
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include <sys/mman.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"

#define GR_LINE ((size_t)64)
#define GR_HUGE ((size_t)2 << 20)

void *gr_alloc_zeroed(size_t bytes) {
    if (bytes == 0) bytes = 1;
    size_t align = bytes >= GR_HUGE ? GR_HUGE : GR_LINE;
    if (bytes > SIZE_MAX - align) return NULL;
    size_t rounded = (bytes + align - 1) / align * align; /* aligned_alloc wants a multiple */
    void *p = aligned_alloc(align, rounded);
    if (!p) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (align == GR_HUGE) (void)madvise(p, rounded, MADV_HUGEPAGE); /* a hint: failure is fine */
#endif
    memset(p, 0, rounded); /* after the advice, so the first touch can fault in huge pages */
    return p;
}

void gr_free(void *p) { free(p); }

size_t gr_mem_physical_bytes(void) {
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    size_t bytes;
    if (pages > 0 && page > 0 && !gr_size_mul((size_t)pages, (size_t)page, &bytes)) return bytes;
#endif
    return SIZE_MAX;
}
