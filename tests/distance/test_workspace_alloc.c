/* tests/distance/test_workspace_alloc.c — a call with a workspace allocates nothing
 * (issue 10.6): gr_knn_kl_ws, gr_knn_js_ws (every reading of repeated points, grid jitter
 * included), gr_gauss_kl_ws and gr_gauss_w2sq_ws.
 *
 * How it is counted: this program defines malloc, calloc, realloc, free, posix_memalign,
 * aligned_alloc, memalign and valloc itself, forwarding to glibc's own allocator
 * (__libc_malloc and friends, which glibc exports for exactly this), so every heap request
 * made by anything in the process — the library, GSL, OpenBLAS, libc — goes through a
 * counter. The counter is armed only around the call under test. What it proves: no heap
 * allocation through the C allocator happens during those calls, on their first use or
 * later, except inside OpenBLAS: a request whose caller lies in libopenblas is counted
 * apart and printed, not failed, because OpenBLAS 0.3.21's small-matrix dgemm kernel
 * (SkylakeX / Cooper Lake builds) mallocs a scratch block for some shapes (d = 33 here)
 * and nothing outside OpenBLAS can prevent it; the W2 closed form calls dgemm twice. The
 * kNN estimators call no BLAS, so for them every request fails the test. What it does not
 * see: mmap or brk called directly (OpenBLAS reserves its buffer pool that way, once). To
 * show the counter is live, the one-shot calls on the same inputs must be counted
 * allocating.
 *
 * Replacing malloc conflicts with AddressSanitizer's own; tests/distance/CMakeLists.txt
 * builds this program only when GR_SANITIZE is off (the results of workspace calls are
 * checked under the sanitizers by test_knn and test_gauss).
 */
#define _GNU_SOURCE /* dladdr, Dl_info */
#include <dlfcn.h>
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <stdint.h>

#include "alloc_count.h"
#include "core/rng.h"
#include "distance/gauss.h"
#include "distance/knn.h"
#include "test.h"

static void sample(gsl_rng *r, int kind, size_t n, size_t d, double mu, double *x) {
    for (size_t i = 0; i < n * d; i++)
        x[i] = mu + gsl_ran_gaussian(r, 1.0);
    if (kind == 1)
        for (size_t i = 0; i < n * d; i++)
            x[i] = 0.5 * nearbyint(2.0 * x[i]);
    if (kind == 2)
        for (size_t i = 4; i < n; i += 4)
            memcpy(x + i * d, x, d * sizeof *x);
    if (kind == 3)
        for (size_t i = n / 2; i < n; i++)
            memcpy(x + i * d, x + (i - n / 2) * d, d * sizeof *x);
}

static void test_knn_no_alloc(void) {
    const size_t n_max = 1500, m_max = 1200, d_max = 3;
    gr_error err;
    gr_knn_workspace *w = NULL;
    CHECK_OK(gr_knn_workspace_alloc(&w, n_max, m_max, d_max, &err), &err);
    if (!w) return;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 9127, GR_STREAM_TEST, &err), &err);
    double *x = malloc(n_max * d_max * sizeof *x), *y = malloc(m_max * d_max * sizeof *y);
    const size_t sizes[][3] = {{1500, 1200, 3}, {200, 900, 1}, {1000, 1000, 2}};
    const gr_knn_repeats reps[3] = {GR_KNN_REPEATS_AUTO, GR_KNN_REPEATS_ATOMS,
                                    GR_KNN_REPEATS_WEIGHTS};
    size_t ws_allocs = 0, one_shot_allocs = 0, calls = 0, ok = 0, ties[4] = {0, 0, 0, 0};
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        size_t n = sizes[c][0], m = sizes[c][1], d = sizes[c][2];
        for (int kind = 0; kind < 4; kind++) {
            sample(r, kind, n, d, 0.0, x);
            sample(r, kind, m, d, 0.5, y);
            for (int ri = 0; ri < 3; ri++) {
                gr_knn_options o = {5, reps[ri]};
                gr_knn_result res;
                arm();
                int s1 = gr_knn_js_ws(w, x, n, y, m, d, &o, &res, &err);
                ws_allocs += disarm() + g_blas; /* no BLAS here: every request counts */
                ok += s1 == GR_OK;
                if (s1 == GR_OK) ties[res.ties]++;
                arm();
                int s2 = gr_knn_kl_ws(w, x, n, y, m, d, &o, &res, &err);
                ws_allocs += disarm() + g_blas;
                ok += s2 == GR_OK;
                calls += 2;
                arm();
                (void)gr_knn_js_opt(x, n, y, m, d, &o, &res, &err);
                one_shot_allocs += disarm();
            }
        }
    }
    CHECK(ws_allocs == 0);
    if (ws_allocs) fprintf(stderr, "  %zu allocations in %zu workspace calls\n", ws_allocs, calls);
    CHECK(one_shot_allocs > 0); /* the counter sees the library's allocations */
    CHECK(ok > calls / 2);
    CHECK(ties[GR_KNN_TIES_NONE] > 0 && ties[GR_KNN_TIES_GRID] > 0 && ties[GR_KNN_TIES_ATOMS] > 0 &&
          ties[GR_KNN_TIES_WEIGHTS] > 0);
    printf("kNN: %zu workspace calls (%zu OK), %zu allocations; one-shot JS: %zu\n", calls, ok,
           ws_allocs, one_shot_allocs);
    free(x);
    free(y);
    gsl_rng_free(r);
    gr_knn_workspace_free(w);
}

static void spd(size_t d, double seed, double *S) {
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = 0.0;
            for (size_t l = 0; l < d; l++)
                s += sin(2.385 * (double)(i * d + l) + seed) *
                     sin(2.385 * (double)(j * d + l) + seed);
            S[i * d + j] = S[j * d + i] = s / (double)d + (i == j ? 0.1 : 0.0);
        }
}

static void test_gauss_no_alloc(void) {
    const size_t d_max = 64;
    gr_error err;
    gr_gauss_workspace *w = NULL;
    CHECK_OK(gr_gauss_workspace_alloc(&w, d_max, &err), &err);
    if (!w) return;
    double *S1 = malloc(d_max * d_max * sizeof *S1), *S2 = malloc(d_max * d_max * sizeof *S2);
    double m1[64], m2[64];
    const size_t ds[] = {64, 5, 33, 1, 64};
    size_t ws_allocs = 0, blas_allocs = 0, one_shot_allocs = 0, calls = 0;
    for (size_t c = 0; c < sizeof ds / sizeof ds[0]; c++) {
        size_t d = ds[c];
        spd(d, 0.7 + (double)c, S1);
        spd(d, 2.1 - (double)c, S2);
        for (size_t i = 0; i < d; i++) {
            m1[i] = sin((double)i);
            m2[i] = cos((double)i);
        }
        double kl, w2;
        arm();
        int s1 = gr_gauss_kl_ws(w, d, m1, S1, m2, S2, &kl, &err);
        int s2 = gr_gauss_w2sq_ws(w, d, m1, S1, m2, S2, &w2, &err);
        ws_allocs += disarm();
        blas_allocs += g_blas;
        CHECK_STATUS(s1, GR_OK);
        CHECK_STATUS(s2, GR_OK);
        calls += 2;
        arm();
        (void)gr_gauss_w2sq(d, m1, S1, m2, S2, &w2, &err);
        one_shot_allocs += disarm();
    }
    CHECK(ws_allocs == 0);
    CHECK(one_shot_allocs > 0);
    printf("Gaussian: %zu workspace calls, %zu allocations (and %zu inside OpenBLAS); one-shot "
           "W2: %zu\n",
           calls, ws_allocs, blas_allocs, one_shot_allocs);
    free(S1);
    free(S2);
    gr_gauss_workspace_free(w);
}

int main(void) {
    gr_core_init();
    RUN(test_knn_no_alloc);
    RUN(test_gauss_no_alloc);
    return TEST_MAIN_END();
}
