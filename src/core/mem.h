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
 */
#ifndef GR_CORE_MEM_H
#define GR_CORE_MEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* `bytes` zeroed bytes (at least 1), aligned as above; NULL if out of memory or if the
 * size overflows. */
void *gr_alloc_zeroed(size_t bytes);

/* Free a block of gr_alloc_zeroed; NULL is a no-op. */
void gr_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
