/* tests/eval/test_eval_w1.c — eval/w1.h: W1 to fresh real samples and the noise floor.
 * References: the same points solved by distance/ot's one-shot gr_ot_wasserstein (the value
 * the user would get by hand, bit for bit); the translation oracle W1(P, P + v) = |v| (CLAIMS
 * O13, exact for empirical measures); the documented draw order; error paths. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "eval/mix_sampler.h"
#include "eval/w1.h"
#include "test.h"

/* run vs one-shot OT on the points the documented draw order says were used */
static void test_run_matches_ot(void) {
    gr_error err;
    gr_sampler *real = NULL, *gen = NULL;
    const size_t sub[4] = {0, 2, 4, 6};
    CHECK_OK(test_ring_sampler(&real, NULL, 0, &err), &err);
    CHECK_OK(test_ring_sampler(&gen, sub, 4, &err), &err);
    const size_t n = 300, nmax = 400;
    gr_eval_w1 *w = NULL;
    CHECK_OK(gr_eval_w1_alloc(&w, nmax, 2, &err), &err);
    gsl_rng *rg = NULL, *re = NULL;
    CHECK_OK(gr_rng_alloc(&rg, 2385, GR_STREAM_PRIOR, &err), &err);
    CHECK_OK(gr_rng_alloc(&re, 2385, GR_STREAM_EVAL, &err), &err);
    double *x = malloc(n * 2 * sizeof *x), *y1 = malloc(n * 2 * sizeof *y1),
           *y2 = malloc(n * 2 * sizeof *y2);
    if (!real || !gen || !w || !rg || !re || !x || !y1 || !y2) {
        CHECK(0);
        return;
    }
    CHECK_OK(gr_sampler_sample(gen, rg, n, x, &err), &err);
    gr_eval_w1_result res;
    CHECK_OK(gr_eval_w1_run(w, x, n, real, re, NULL, &res, &err), &err);
    CHECK(res.has_w1 && res.has_floor && res.n == n && res.d == 2);
    CHECK_STATUS(res.w1.status, GR_OK);
    CHECK_STATUS(res.floor.status, GR_OK);
    /* the same real points, drawn again from the same stream state */
    CHECK_OK(gr_rng_seed(re, 2385, GR_STREAM_EVAL, &err), &err);
    CHECK_OK(gr_sampler_sample(real, re, n, y1, &err), &err);
    CHECK_OK(gr_sampler_sample(real, re, n, y2, &err), &err);
    double v1 = NAN, v2 = NAN;
    CHECK_OK(gr_ot_wasserstein(x, NULL, n, y1, NULL, n, 2, 1, NULL, &v1, &err), &err);
    CHECK_OK(gr_ot_wasserstein(y1, NULL, n, y2, NULL, n, 2, 1, NULL, &v2, &err), &err);
    CHECK(res.w1.value == v1);
    CHECK(res.floor.value == v2);
    /* gr_eval_w1_last_real: exactly the two samples the values were solved on */
    const double *l0 = gr_eval_w1_last_real(w, 0), *l1 = gr_eval_w1_last_real(w, 1);
    CHECK(l0 && l1 && !memcmp(l0, y1, n * 2 * sizeof *y1) && !memcmp(l1, y2, n * 2 * sizeof *y2));
    CHECK(gr_eval_w1_last_real(w, 2) == NULL && gr_eval_w1_last_real(NULL, 0) == NULL);
    /* certificate recorded */
    CHECK(res.w1.iterations > 0 && res.floor.iterations > 0);
    CHECK(fabs(res.w1.duality_gap) <= 1e-10 * (res.w1.value + res.w1.cost_scale));
    CHECK(res.w1.marginal_residual <= 1e-10 && res.w1.max_violation <= 1e-12 * res.w1.cost_scale);
    /* a generator on 4 of 8 modes is far above the floor at n = 300 */
    CHECK(res.w1.value > 2.0 * res.floor.value);
    printf("n = %zu: W1 = %.6f (%zu pivots), floor = %.6f (%zu pivots)\n", n, res.w1.value,
           res.w1.iterations, res.floor.value, res.floor.iterations);

    /* to_data draws only the first sample; floor draws two; same stream -> same values */
    gr_eval_w1_result r2, r3;
    CHECK_OK(gr_rng_seed(re, 2385, GR_STREAM_EVAL, &err), &err);
    CHECK_OK(gr_eval_w1_to_data(w, x, n, real, re, NULL, &r2, &err), &err);
    CHECK(r2.has_w1 && !r2.has_floor && r2.w1.value == v1 && isnan(r2.floor.value));
    CHECK_OK(gr_rng_seed(re, 2385, GR_STREAM_EVAL, &err), &err);
    CHECK_OK(gr_eval_w1_floor(w, n, real, re, NULL, &r3, &err), &err);
    CHECK(!r3.has_w1 && r3.has_floor && r3.floor.value == v2 && isnan(r3.w1.value));
    /* float entry: the same points rounded to float, against the double call on them */
    float *xf = malloc(n * 2 * sizeof *xf);
    double *xr = malloc(n * 2 * sizeof *xr);
    if (xf && xr) {
        for (size_t i = 0; i < 2 * n; i++) {
            xf[i] = (float)x[i];
            xr[i] = (double)xf[i];
        }
        gr_eval_w1_result rf, rd;
        CHECK_OK(gr_rng_seed(re, 77, GR_STREAM_EVAL, &err), &err);
        CHECK_OK(gr_eval_w1_run_f(w, xf, n, real, re, NULL, &rf, &err), &err);
        CHECK_OK(gr_rng_seed(re, 77, GR_STREAM_EVAL, &err), &err);
        CHECK_OK(gr_eval_w1_run(w, xr, n, real, re, NULL, &rd, &err), &err);
        CHECK(rf.w1.value == rd.w1.value && rf.floor.value == rd.floor.value);
    } else {
        CHECK(0);
    }
    free(xf);
    free(xr);
    /* a smaller n in the same workspace, then n again: nothing carried over */
    gr_eval_w1_result r4;
    CHECK_OK(gr_eval_w1_run(w, x, 50, real, re, NULL, &r4, &err), &err);
    CHECK_OK(gr_rng_seed(re, 2385, GR_STREAM_EVAL, &err), &err);
    CHECK_OK(gr_eval_w1_run(w, x, n, real, re, NULL, &r4, &err), &err);
    CHECK(r4.w1.value == v1 && r4.floor.value == v2);
    free(x);
    free(y1);
    free(y2);
    gr_rng_free(rg);
    gr_rng_free(re);
    gr_eval_w1_free(w);
    gr_sampler_free(real);
    gr_sampler_free(gen);
}

/* O13 translation: W1(P_n, P_n + v) = |v| exactly, for any empirical measure (the identity
 * coupling costs |v|, and f(x) = <x, v>/|v| certifies it). */
static void test_points_translation(void) {
    gr_error err;
    const size_t n = 500, d = 3;
    gr_eval_w1 *w = NULL;
    CHECK_OK(gr_eval_w1_alloc(&w, n, d, &err), &err);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 4417, GR_STREAM_TEST, &err), &err);
    double *x = malloc(n * d * sizeof *x), *y = malloc(n * d * sizeof *y);
    if (!w || !r || !x || !y) {
        CHECK(0);
        return;
    }
    const double v[3] = {0.0231, -0.0187, 0.0112}; /* small against the spread: not trivial */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++) {
            x[i * d + j] = gsl_rng_uniform(r) * 2.385;
            y[i * d + j] = x[i * d + j] + v[j];
        }
    gr_eval_w1_solve s;
    CHECK_OK(gr_eval_w1_points(w, x, y, n, NULL, &s, &err), &err);
    double nv = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    CHECK_CLOSE(s.value, nv, 1e-12, 0.0);
    free(x);
    free(y);
    gsl_rng_free(r);
    gr_eval_w1_free(w);
}

static void test_errors(void) {
    gr_error err;
    gr_eval_w1 *w = (gr_eval_w1 *)&err;
    CHECK_STATUS(gr_eval_w1_alloc(&w, 0, 2, &err), GR_EINVAL);
    CHECK(w == NULL);
    CHECK_STATUS(gr_eval_w1_alloc(&w, 10, 0, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_w1_alloc(NULL, 10, 2, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_w1_alloc(&w, SIZE_MAX / 4, 8, &err), GR_ENOMEM);
    CHECK(w == NULL);
    CHECK_STATUS(gr_eval_w1_alloc(&w, (size_t)1 << 40, 1, &err), GR_EINVAL); /* ot's limit */
    gr_eval_w1_free(NULL);
    CHECK_OK(gr_eval_w1_alloc(&w, 20, 2, &err), &err);
    CHECK(gr_eval_w1_n_max(w) == 20 && gr_eval_w1_dim(w) == 2);
    gr_sampler *real = NULL, *sq = NULL;
    CHECK_OK(test_ring_sampler(&real, NULL, 0, &err), &err);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 1, GR_STREAM_EVAL, &err), &err);
    double x[2 * 21] = {0};
    gr_eval_w1_result res;
    CHECK_STATUS(gr_eval_w1_run(w, x, 0, real, r, NULL, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_w1_run(w, x, 21, real, r, NULL, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "n = 21");
    CHECK_STATUS(gr_eval_w1_run(w, NULL, 5, real, r, NULL, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_w1_run(w, x, 5, NULL, r, NULL, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_w1_run(w, x, 5, real, NULL, NULL, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_w1_run(NULL, x, 5, real, r, NULL, &res, &err), GR_EINVAL);
    /* a 3-D sampler against a 2-D workspace */
    double mu3[3] = {0, 0, 0}, sd1 = 1.0;
    CHECK_OK(test_mix_sampler(&sq, 3, 1, NULL, mu3, &sd1, "gauss3", &err), &err);
    CHECK_STATUS(gr_eval_w1_run(w, x, 5, sq, r, NULL, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "gauss3");
    /* a NaN generated point: GR_EDOM from the solver, the floor still solved and certified */
    x[3] = NAN;
    CHECK_STATUS(gr_eval_w1_run(w, x, 5, real, r, NULL, &res, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "W1(generated");
    CHECK_STATUS(res.w1.status, GR_EDOM);
    CHECK_STATUS(res.floor.status, GR_OK);
    CHECK(isfinite(res.floor.value) && res.floor.value > 0.0);
    /* a pivot cap of 1 on a non-trivial problem: GR_EMAXITER reported for the solve */
    x[3] = 0.5;
    gr_ot_settings s = gr_eval_w1_settings_default();
    s.max_iter = 1;
    CHECK_STATUS(gr_eval_w1_run(w, x, 20, real, r, &s, &res, &err), GR_EMAXITER);
    CHECK_STATUS(res.w1.status, GR_EMAXITER);
    CHECK_STATUS(res.floor.status, GR_EMAXITER);
    gr_eval_w1_solve so;
    CHECK_STATUS(gr_eval_w1_points(w, x, x, 21, NULL, &so, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_w1_points(w, x, NULL, 2, NULL, &so, &err), GR_EINVAL);
    gr_ot_settings def = gr_eval_w1_settings_default();
    CHECK(def.warm_max_m == 0 && def.tol_rc == gr_ot_settings_default().tol_rc);
    gsl_rng_free(r);
    gr_sampler_free(real);
    gr_sampler_free(sq);
    gr_eval_w1_free(w);
}

int main(void) {
    RUN(test_run_matches_ot);
    RUN(test_points_translation);
    RUN(test_errors);
    return TEST_MAIN_END();
}
