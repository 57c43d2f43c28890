/* tests/eval/test_pixel_w1.c — exact pixel-space W1 of eval/pixel_w1.h on 784-D "images":
 * a set against itself is 0; against a translated copy it is the shift's length exactly
 * (W1 >= |E x - E y| = |delta| by Jensen, and the translation coupling costs |delta|);
 * the value equals distance/ot.h's one-shot gr_ot_wasserstein on the same points (the
 * helper only widens and reuses a workspace); the noise floor of two disjoint samples of
 * one distribution is positive and below the W1 to a shifted distribution; repeated
 * evaluations in one workspace give identical values; errors carry the status.
 *
 * Images: n = 120 rows of 784 pixels on a 2^-8 grid in [0, 1] (so x + delta, delta on a
 * 2^-4 grid, is exact in float).
 */
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "core/rng.h"
#include "eval/pixel_w1.h"
#include "test.h"

enum { N = 120, D = 784 };
static float A[N * D], B[N * D], C[N * D];

static void fill(gsl_rng *r, float *x) {
    for (size_t i = 0; i < N * D; i++)
        x[i] = (float)gsl_rng_uniform_int(r, 257) / 256.0f;
}

static void test_values(void) {
    gr_error err;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 31337, GR_STREAM_TEST, &err), &err);
    if (!r) return;
    fill(r, A);
    fill(r, B);
    gr_rng_free(r);
    gr_pixel_w1 *w = NULL;
    CHECK_OK(gr_pixel_w1_alloc(&w, N, D, NULL, &err), &err);
    if (!w) return;
    gr_pixel_w1_value v;
    CHECK_OK(gr_pixel_w1_eval(w, &v, A, N, A, N, &err), &err);
    CHECK(v.status == GR_OK && v.n == N && v.m == N);
    CHECK_CLOSE(v.value, 0.0, 0.0, 1e-9);

    /* translation by delta: W1 = |delta| */
    double dsq = 0.0;
    for (size_t j = 0; j < D; j++) {
        double dj = (double)((int)(j % 5) - 2) / 16.0;
        dsq += dj * dj;
        for (size_t i = 0; i < N; i++)
            C[i * D + j] = A[i * D + j] + (float)dj;
    }
    CHECK_OK(gr_pixel_w1_eval(w, &v, A, N, C, N, &err), &err);
    CHECK_CLOSE(v.value, sqrt(dsq), 1e-10, 0.0);
    CHECK(v.duality_gap <= 1e-10 * (v.value + 1.0) && v.marginal_residual <= 1e-10);

    /* equal to distance/ot on the same doubles */
    double *ad = malloc(N * D * sizeof(double)), *bd = malloc(N * D * sizeof(double)), ref = -1.0;
    CHECK(ad && bd);
    if (ad && bd) {
        for (size_t i = 0; i < N * D; i++) {
            ad[i] = A[i];
            bd[i] = B[i];
        }
        CHECK_OK(gr_ot_wasserstein(ad, NULL, N, bd, NULL, N, D, 1, NULL, &ref, &err), &err);
        CHECK_OK(gr_pixel_w1_eval(w, &v, A, N, B, N, &err), &err);
        CHECK(v.value == ref);
        gr_pixel_w1_value again;
        CHECK_OK(gr_pixel_w1_eval(w, &again, A, N, B, N, &err), &err);
        CHECK(again.value == v.value && again.iterations == v.iterations);
        /* unequal sizes */
        CHECK_OK(gr_ot_wasserstein(ad, NULL, 70, bd, NULL, N, D, 1, NULL, &ref, &err), &err);
        CHECK_OK(gr_pixel_w1_eval(w, &v, A, 70, B, N, &err), &err);
        CHECK(v.value == ref && v.n == 70);
    }
    free(ad);
    free(bd);

    /* floor: W1(B, A) > 0; W1(C, A) larger (C = A + delta is a shifted distribution, but the
     * same points as A shifted, so compare with a shifted B instead: W1(B + delta, A)) */
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < D; j++)
            C[i * D + j] = B[i * D + j] + (float)((double)((int)(j % 5) - 2) / 16.0);
    gr_pixel_w1_value g, fl;
    CHECK_OK(gr_pixel_w1_with_floor(w, &g, &fl, C, A, B, N, &err), &err);
    CHECK(g.status == GR_OK && fl.status == GR_OK);
    CHECK(fl.value > 0.0 && g.value > fl.value);
    CHECK(g.value >= sqrt(dsq) - 1e-9 * sqrt(dsq)); /* the mean-shift bound */
    printf("n = %d, d = %d: W1 floor %.4f, shifted %.4f (|delta| %.4f), %.3f s per solve\n", N, D,
           fl.value, g.value, sqrt(dsq), fl.seconds);
    gr_pixel_w1_free(w);
}

static void test_errors(void) {
    gr_error err;
    gr_pixel_w1 *w = NULL;
    CHECK_STATUS(gr_pixel_w1_alloc(&w, 0, D, NULL, &err), GR_EINVAL);
    CHECK(w == NULL);
    CHECK_STATUS(gr_pixel_w1_alloc(&w, 10, 0, NULL, &err), GR_EINVAL);
    CHECK_OK(gr_pixel_w1_alloc(&w, 10, D, NULL, &err), &err);
    if (!w) return;
    gr_pixel_w1_value v;
    CHECK_STATUS(gr_pixel_w1_eval(w, &v, A, 11, B, 10, &err), GR_EINVAL);
    CHECK(v.status == GR_EINVAL && isnan(v.value));
    float bad[10 * D];
    for (size_t i = 0; i < 10 * D; i++)
        bad[i] = A[i];
    bad[3 * D + 9] = NAN;
    CHECK_STATUS(gr_pixel_w1_eval(w, &v, bad, 10, B, 10, &err), GR_EDOM);
    CHECK(v.status == GR_EDOM && isnan(v.value));
    CHECK_STR_CONTAINS(err.msg, "pixel-space W1");
    /* with_floor: both attempted, the first failure returned */
    gr_pixel_w1_value g, fl;
    CHECK_STATUS(gr_pixel_w1_with_floor(w, &g, &fl, bad, A, B, 10, &err), GR_EDOM);
    CHECK(g.status == GR_EDOM && fl.status == GR_OK && fl.value > 0.0);
    gr_pixel_w1_free(w);
    gr_pixel_w1_free(NULL);
}

int main(void) {
    RUN(test_values);
    RUN(test_errors);
    return TEST_MAIN_END();
}
