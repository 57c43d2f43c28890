/* tests/eval/test_eval_alloc.c — an evaluation with a workspace allocates nothing (issue
 * 13.1: "no allocation per call after alloc"): gr_eval_w1_run / _run_f / _to_data / _floor
 * (2-D, first call included), gr_eval_embed_run (D = 16, k = 2), gr_eval_modes, and the kNN
 * path of gr_eval_div_knn. The quadrature path (gr_eval_div_exact) is measured and printed,
 * not asserted: eval/divergence.h promises nothing about it.
 *
 * Counting: tests/alloc_count.h (every heap request of the process while armed). None of
 * these calls use BLAS, so every request counts, OpenBLAS's included. Replacing malloc conflicts
 * with AddressSanitizer's: built only without sanitizers (tests/eval/CMakeLists.txt). To show the
 * counter is live, a one-shot gr_ot_wasserstein is counted allocating. */
#define _GNU_SOURCE /* tests/alloc_count.h: dladdr */
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <stdint.h>

#include "alloc_count.h"
#include "core/rng.h"
#include "eval/divergence.h"
#include "eval/embed.h"
#include "eval/mix_sampler.h"
#include "eval/modes.h"
#include "eval/w1.h"
#include "test.h"

static void test_w1_no_alloc(void) {
    const size_t n = 400;
    gr_error err;
    gr_sampler *real = NULL;
    gr_eval_w1 *w = NULL;
    gsl_rng *r = NULL;
    double *x = malloc(n * 2 * sizeof *x);
    float *xf = malloc(n * 2 * sizeof *xf);
    CHECK_OK(test_ring_sampler(&real, NULL, 0, &err), &err);
    CHECK_OK(gr_eval_w1_alloc(&w, n, 2, &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 13, GR_STREAM_EVAL, &err), &err);
    if (!real || !w || !r || !x || !xf) {
        CHECK(0);
        return;
    }
    CHECK_OK(gr_sampler_sample(real, r, n, x, &err), &err);
    for (size_t i = 0; i < 2 * n; i++)
        xf[i] = (float)x[i];
    size_t allocs = 0, ok = 0;
    gr_eval_w1_result res;
    for (int rep = 0; rep < 3; rep++) { /* the first call after alloc included */
        size_t m = rep == 1 ? n / 3 : n;
        arm();
        ok += gr_eval_w1_run(w, x, m, real, r, NULL, &res, &err) == GR_OK;
        ok += gr_eval_w1_run_f(w, xf, m, real, r, NULL, &res, &err) == GR_OK;
        ok += gr_eval_w1_to_data(w, x, m, real, r, NULL, &res, &err) == GR_OK;
        ok += gr_eval_w1_floor(w, m, real, r, NULL, &res, &err) == GR_OK;
        allocs += disarm_all();
    }
    CHECK(ok == 12);
    CHECK(allocs == 0);
    /* the counter is live: the one-shot solve allocates its workspace */
    double v;
    arm();
    (void)gr_ot_wasserstein(x, NULL, n, x, NULL, n, 2, 1, NULL, &v, &err);
    size_t one_shot = disarm_all();
    CHECK(one_shot > 0);
    /* the mode metric */
    size_t hq[8], near[8], *as = malloc(n * sizeof *as);
    gr_eval_modes_result mr;
    arm();
    int st = gr_eval_modes(gr_sampler_modes(real), x, n, 3.0, hq, near, as, &mr, &err);
    size_t ma = disarm_all();
    CHECK_OK(st, &err);
    CHECK(ma == 0);
    printf("W1: 12 evaluations, %zu allocations (one-shot solve: %zu); modes: %zu\n", allocs,
           one_shot, ma);
    free(as);
    free(x);
    free(xf);
    gsl_rng_free(r);
    gr_eval_w1_free(w);
    gr_sampler_free(real);
}

/* a 16-D sampler: the ring in the first two coordinates (A = [e1 e2], b = 0) */
static int pad_sample(void *impl, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    gr_sampler *base = impl;
    /* draw 2-D points into the head of x, then spread them out from the back */
    int st = gr_sampler_sample(base, rng, n, x, err);
    if (st) return st;
    for (size_t i = n; i-- > 0;) {
        double a = x[2 * i], b = x[2 * i + 1];
        for (size_t j = 0; j < 16; j++)
            x[16 * i + j] = 0.0;
        x[16 * i] = a;
        x[16 * i + 1] = b;
    }
    return GR_OK;
}
static const gr_modes *pad_modes(const void *impl) { return gr_sampler_modes(impl); }
static void pad_free(void *impl) { gr_sampler_free(impl); }

static void test_embed_no_alloc(void) {
    const size_t n = 300, D = 16;
    gr_error err;
    double A[32] = {0};
    A[0] = 1.0;
    A[3] = 1.0; /* row 1, column 1 */
    gr_sampler *base = NULL, *real = NULL;
    CHECK_OK(test_ring_sampler(&base, NULL, 0, &err), &err);
    static const gr_sampler_ops ops = {pad_sample, pad_modes, NULL, NULL, NULL, NULL, pad_free};
    CHECK_OK(gr_sampler_wrap(&real, base, &ops, D, "padded-ring", NULL, NULL, &err), &err);
    gr_eval_embed *e = NULL;
    CHECK_OK(gr_eval_embed_alloc(&e, A, NULL, D, 2, n, 0.0, &err), &err);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 14, GR_STREAM_EVAL, &err), &err);
    double *x = malloc(n * D * sizeof *x);
    if (!real || !e || !r || !x) {
        CHECK(0);
        return;
    }
    CHECK_OK(gr_sampler_sample(real, r, n, x, &err), &err);
    size_t hq[8], allocs = 0, ok = 0;
    gr_eval_embed_result res;
    for (int rep = 0; rep < 3; rep++) {
        arm();
        ok += gr_eval_embed_run(e, x, n, real, r, NULL, 3.0, hq, &res, &err) == GR_OK;
        allocs += disarm_all();
    }
    CHECK(ok == 3 && res.has_modes && res.modes.captured == 8);
    CHECK(allocs == 0);
    printf("embed: 3 evaluations, %zu allocations\n", allocs);
    free(x);
    gsl_rng_free(r);
    gr_eval_embed_free(e);
    gr_sampler_free(real);
}

static void test_div_no_alloc(void) {
    const size_t n = 800, d = 2;
    gr_error err;
    gr_eval_div *w = NULL;
    gsl_rng *r = NULL;
    CHECK_OK(gr_eval_div_alloc(&w, NULL, n, n, d, &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 15, GR_STREAM_TEST, &err), &err);
    double *x = malloc(n * d * sizeof *x), *y = malloc(n * d * sizeof *y);
    if (!w || !r || !x || !y) {
        CHECK(0);
        return;
    }
    for (size_t i = 0; i < n * d; i++) {
        x[i] = gsl_ran_gaussian(r, 1.0);
        y[i] = 0.5 + gsl_ran_gaussian(r, 1.0);
    }
    gr_eval_div_result res;
    size_t allocs = 0, ok = 0;
    for (int rep = 0; rep < 2; rep++) {
        arm();
        ok += gr_eval_div_knn(w, GR_EVAL_JS, x, n, y, n, d, NULL, &res, &err) == GR_OK;
        ok += gr_eval_div_knn(w, GR_EVAL_KL, x, n, y, n, d, NULL, &res, &err) == GR_OK;
        allocs += disarm_all();
    }
    CHECK(ok == 4);
    CHECK(allocs == 0);
    /* the quadrature path: measured only */
    gr_sampler *a = NULL, *b = NULL;
    const size_t sub[2] = {1, 5};
    CHECK_OK(test_ring_sampler(&a, NULL, 0, &err), &err);
    CHECK_OK(test_ring_sampler(&b, sub, 2, &err), &err);
    gr_density da, db;
    CHECK_OK(gr_sampler_density(a, &da, &err), &err);
    CHECK_OK(gr_sampler_density(b, &db, &err), &err);
    arm();
    int st = gr_eval_div_exact(w, GR_EVAL_JS, &da, &db, &res, &err);
    size_t qa = disarm_all();
    CHECK_OK(st, &err);
    printf("kNN: 4 estimates, %zu allocations; exact JS (quadrature): %zu allocations\n", allocs,
           qa);
    gr_sampler_free(a);
    gr_sampler_free(b);
    free(x);
    free(y);
    gsl_rng_free(r);
    gr_eval_div_free(w);
}

int main(void) {
    RUN(test_w1_no_alloc);
    RUN(test_embed_no_alloc);
    RUN(test_div_no_alloc);
    return TEST_MAIN_END();
}
