/* tests/distance/test_ot_fallback.c — the cost cache's memory. First: gr_ot_solve when the cache
 * cannot be allocated: ot.h
 * promises the solve falls back to on-the-fly costs (issue 8, item 3: it used to return
 * GR_ENOMEM). The allocation failure is real, not simulated inside the library: the
 * address-space limit (RLIMIT_AS) is lowered to a few MB above the current size just for
 * the solve, so the cache's malloc of 8 n m bytes (3.2 MB here) fails. Under
 * AddressSanitizer, which reserves terabytes of shadow memory and cannot run under such a
 * limit, ASan's own allocator limit does the same (allocator_may_return_null with a 2 MB
 * cap on one allocation, set below for this program only). The test first checks that the
 * limit really makes such a malloc fail, so it cannot pass vacuously.
 * Expected: GR_OK, cached_costs = 0, and the value bit-identical to the cache_bytes = 0
 * solve (the same on-the-fly code path); then, with memory back, the same workspace builds
 * its cache and gives the same value to 1e-12.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/rng.h"
#include "distance/ot.h"
#include "test.h"

#if defined(__SANITIZE_ADDRESS__)
#define GR_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GR_TEST_ASAN 1
#endif
#endif

#ifdef GR_TEST_ASAN
/* Read by ASan at start-up: malloc beyond 2 MB returns NULL instead of aborting. */
__attribute__((used)) const char *__asan_default_options(void);
__attribute__((used)) const char *__asan_default_options(void) {
    return "allocator_may_return_null=1:max_allocation_size_mb=2";
}
#endif

static struct rlimit saved;
static int limited = 0;

/* Make allocations beyond a few MB fail. 0 on success. */
static int limit_memory(void) {
#ifdef GR_TEST_ASAN
    return 0;
#else
    long pages = 0, page = sysconf(_SC_PAGESIZE);
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld", &pages) != 1 || page <= 0) {
        if (f) fclose(f);
        fprintf(stderr, "cannot read /proc/self/statm\n");
        return -1;
    }
    fclose(f);
    if (getrlimit(RLIMIT_AS, &saved) != 0) return -1;
    struct rlimit lim = saved;
    lim.rlim_cur = (rlim_t)pages * (rlim_t)page + ((rlim_t)2 << 20);
    if (saved.rlim_max != RLIM_INFINITY && lim.rlim_cur > saved.rlim_max) return -1;
    if (setrlimit(RLIMIT_AS, &lim) != 0) return -1;
    limited = 1;
    return 0;
#endif
}

static void unlimit_memory(void) {
    if (limited) setrlimit(RLIMIT_AS, &saved);
    limited = 0;
}

static void test_cache_fallback(void) {
    const size_t n = 1000, m = 400, d = 16;
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1601, GR_STREAM_TEST, NULL), NULL);
    double *x = malloc(n * d * sizeof(double)), *y = malloc(m * d * sizeof(double));
    CHECK(x && y);
    if (!x || !y) return;
    for (size_t k = 0; k < n * d; k++)
        x[k] = gsl_ran_gaussian(rng, 1.0);
    for (size_t k = 0; k < m * d; k++)
        y[k] = 0.3 + gsl_ran_gaussian(rng, 1.0);
    gr_error err;
    gr_ot_workspace *w0 = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w0, n, m, &err), &err);
    CHECK(w0 != NULL);
    for (int pw = 1; pw <= 2 && w0; pw++) {
        gr_ot_workspace *w = NULL;
        CHECK_OK(gr_ot_workspace_alloc(&w, n, m, &err), &err); /* no cache yet */
        CHECK(w != NULL);
        if (!w) break;
        gr_ot_problem p = gr_ot_problem_points(
            x, NULL, n, y, NULL, m, d, pw == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
        /* the on-the-fly reference, and a small cached solve so BLAS is warmed up */
        gr_ot_settings s = gr_ot_settings_default();
        s.cache_bytes = 0;
        gr_ot_result r0, r;
        CHECK_OK(gr_ot_solve(w0, &p, &s, &r0, &err), &err);
        gr_ot_problem small = gr_ot_problem_points(x, NULL, 50, y, NULL, 60, d, p.cost);
        CHECK_OK(gr_ot_solve(w0, &small, NULL, &r, &err), &err);
        CHECK(r.cached_costs == 1);

        /* w has no cache yet: under the limit its allocation must fail */
        CHECK(limit_memory() == 0);
        void *probe = malloc(n * m * sizeof(double));
        CHECK(probe == NULL); /* the limit works: the cache's malloc will fail too */
        free(probe);
        gr_error_clear(&err);
        int st = gr_ot_solve(w, &p, NULL, &r, &err);
        unlimit_memory();
        CHECK_OK(st, &err);
        CHECK(r.status == GR_OK);
        CHECK(r.cached_costs == 0);
        CHECK(r.value == r0.value); /* the same on-the-fly path, the same bits */
        CHECK(r.iterations == r0.iterations);
        if (pw == 2) CHECK_CLOSE(r.value, sqrt(r.cost), 1e-15, 0); /* W2, not W2^2 */

#ifndef GR_TEST_ASAN
        /* memory back: the same workspace now builds its cache */
        CHECK_OK(gr_ot_solve(w, &p, NULL, &r, &err), &err);
        CHECK(r.cached_costs == 1);
        CHECK_CLOSE(r.value, r0.value, 1e-12, 0);
#endif
        gr_ot_workspace_free(w);
    }
    gr_ot_workspace_free(w0);
    free(x);
    free(y);
    gr_rng_free(rng);
}

/* One workspace, the cache used at changing (n, d): the norms |x_i|^2 need n doubles even
 * when n d is below what an earlier, higher-dimensional solve allocated (the buffers were
 * sized by n d only, and a 40-point 2-D solve after a 10-point 50-D one wrote past the end
 * of them: ASan reports it). Values against a fresh workspace's on-the-fly solve. */
static void test_cache_reuse_across_dims(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1602, GR_STREAM_TEST, NULL), NULL);
    const size_t shapes[3][3] = {{10, 12, 50}, {40, 45, 2}, {60, 3, 3}}; /* n, m, d */
    double *x = malloc(60 * 50 * sizeof(double)), *y = malloc(60 * 50 * sizeof(double));
    CHECK(x && y);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, 60, 60, &err), &err);
    CHECK(w != NULL);
    for (int t = 0; t < 3 && x && y && w; t++) {
        size_t n = shapes[t][0], m = shapes[t][1], d = shapes[t][2];
        for (size_t k = 0; k < n * d; k++)
            x[k] = gsl_ran_gaussian(rng, 1.0);
        for (size_t k = 0; k < m * d; k++)
            y[k] = 0.5 + gsl_ran_gaussian(rng, 1.0);
        for (int pw = 1; pw <= 2; pw++) {
            gr_ot_problem p = gr_ot_problem_points(
                x, NULL, n, y, NULL, m, d, pw == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
            gr_ot_settings s = gr_ot_settings_default();
            s.cache_min_dim = 1; /* the cache at every d */
            gr_ot_result r;
            CHECK_OK(gr_ot_solve(w, &p, &s, &r, &err), &err);
            CHECK(r.cached_costs == 1);
            double v = NAN;
            s.cache_bytes = 0;
            CHECK_OK(gr_ot_wasserstein(x, NULL, n, y, NULL, m, d, pw, &s, &v, &err), &err);
            CHECK_CLOSE(r.value, v, 1e-12, 0);
        }
    }
    gr_ot_workspace_free(w);
    free(x);
    free(y);
    gr_rng_free(rng);
}

int main(void) {
    gr_core_init();
    RUN(test_cache_fallback);
    RUN(test_cache_reuse_across_dims);
    return TEST_MAIN_END();
}
