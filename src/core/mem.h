/* core/mem.h — allocation of the large numeric blocks (network parameters, gradients,
 * optimizer moments, activation workspaces).
 *
 * gr_alloc_zeroed returns zeroed memory aligned to 64 bytes (one cache line, and every
 * vector width). Blocks of 2 MiB or more are aligned to 2 MiB and, on Linux, advised
 * MADV_HUGEPAGE: Debian's default transparent-huge-page mode is "madvise", so without the
 * advice a 24 MB parameter + gradient + Adam-moment set lives on 6000 4-KiB pages and every
 * optimizer pass walks the TLB across them. The advice is a hint; when the kernel has no
 * huge page to give, the block is ordinary memory and nothing else changes. Values never
 * depend on it. Free with gr_free.
 *
 * Checked size arithmetic for sizes read from outside the program (dataset shapes, file
 * headers, counts in a file, user options): multiply or add them with gr_size_mul /
 * gr_size_add before allocating or looping over the product, so a crafted shape such as
 * (2^62 + 1) x 4 doubles is refused instead of wrapping to a 32-byte block.
 * gr_mem_physical_bytes gives the machine's RAM, for refusing inputs that cannot fit.
 */
#ifndef GR_CORE_MEM_H
#define GR_CORE_MEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* `bytes` zeroed bytes (at least 1), aligned as above; NULL if out of memory or if the
 * size overflows. */
void *gr_alloc_zeroed(size_t bytes);

/* Free a block of gr_alloc_zeroed; NULL is a no-op. */
void gr_free(void *p);

/* *out = a * b. Returns 0 when the product fits in size_t, 1 when it overflows (then
 * *out = SIZE_MAX, so a caller that ignores the result still cannot allocate a short
 * block). The same convention as __builtin_mul_overflow: nonzero means "does not fit". */
static inline int gr_size_mul(size_t a, size_t b, size_t *out) {
    if (__builtin_mul_overflow(a, b, out)) {
        *out = SIZE_MAX;
        return 1;
    }
    return 0;
}

/* *out = a + b; 0 when it fits, 1 on overflow (then *out = SIZE_MAX). */
static inline int gr_size_add(size_t a, size_t b, size_t *out) {
    if (__builtin_add_overflow(a, b, out)) {
        *out = SIZE_MAX;
        return 1;
    }
    return 0;
}

/* Physical memory of the machine in bytes (sysconf _SC_PHYS_PAGES x page size), or
 * SIZE_MAX when the system does not say. Cannot fail. */
size_t gr_mem_physical_bytes(void);

#ifdef __cplusplus
}
#endif

#endif
