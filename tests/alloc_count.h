/* tests/alloc_count.h — count every heap request of the process while armed, for the tests
 * that prove a call with a workspace allocates nothing.
 *
 * Include it in exactly one file of a test program: it DEFINES malloc, calloc, realloc,
 * free, posix_memalign, aligned_alloc, memalign and valloc, forwarding to glibc's own
 * allocator (__libc_malloc and friends, which glibc exports for exactly this), so every
 * request made by anything in the process — the library, GSL, OpenBLAS, libc — goes
 * through the counter. arm() starts counting (from zero), disarm() stops and returns the
 * requests made by anything but OpenBLAS; g_blas holds those whose caller lies in a shared
 * object named *openblas* (OpenBLAS 0.3.21's small-matrix dgemm kernels malloc a scratch
 * block for some shapes, which nothing outside OpenBLAS can prevent). Not seen: mmap or brk
 * called directly. Replacing malloc conflicts with AddressSanitizer's own: build such a
 * program only when GR_SANITIZE is off.
 */
#ifndef GR_TESTS_ALLOC_COUNT_H
#define GR_TESTS_ALLOC_COUNT_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (dladdr, Dl_info)"

/* disarm(), counting OpenBLAS's requests too: for calls that use no BLAS, where every
 * request is a failure. */
static inline size_t disarm_all(void) {
    size_t n = disarm();
    return n + g_blas;
}

#endif
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

/* glibc's allocator under its exported internal names */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t a, size_t b);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

static volatile int g_armed = 0;
static volatile size_t g_count = 0; /* requests from anywhere but OpenBLAS */
static volatile size_t g_blas = 0;  /* requests made by OpenBLAS's own code */

/* One request from `caller` (the return address into the function that called the
 * allocator): attributed to OpenBLAS when that address lies in a shared object whose
 * file name contains "openblas". dladdr runs disarmed, in case it allocates. */
static void counted(const void *caller) {
    if (!g_armed) return;
    g_armed = 0;
    Dl_info info;
    if (dladdr(caller, &info) && info.dli_fname && strstr(info.dli_fname, "openblas"))
        g_blas++;
    else
        g_count++;
    g_armed = 1;
}

#define CALLER __builtin_return_address(0)

void *malloc(size_t n) {
    counted(CALLER);
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b) {
    counted(CALLER);
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n) {
    counted(CALLER);
    return __libc_realloc(p, n);
}

void free(void *p) { __libc_free(p); }

int posix_memalign(void **out, size_t align, size_t n) {
    counted(CALLER);
    void *p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n) {
    counted(CALLER);
    return __libc_memalign(align, n);
}

void *memalign(size_t align, size_t n);
void *memalign(size_t align, size_t n) {
    counted(CALLER);
    return __libc_memalign(align, n);
}

void *valloc(size_t n) {
    counted(CALLER);
    return __libc_memalign(4096, n);
}

static void arm(void) {
    g_count = 0;
    g_blas = 0;
    g_armed = 1;
}

static size_t disarm(void) {
    g_armed = 0;
    return g_count;
}

/* Draws of one kind: 0 continuous, 1 on a 0.5 grid (jitter), 2 off-grid repeats (atoms),
 * 3 second half repeating the first (weights). */

/* disarm(), counting OpenBLAS's requests too: for calls that use no BLAS, where every
 * request is a failure. */
static inline size_t disarm_all(void) {
    size_t n = disarm();
    return n + g_blas;
}

#endif
