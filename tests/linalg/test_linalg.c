/* tests/linalg/test_linalg.c — every BLAS-backed kernel of linalg/ against its naive reference
 * (triple loop, double accumulation), in float and double, on odd shapes (1, primes, the
 * 2-D toy and MNIST layer shapes), with alpha/beta != 0/1 and the degenerate sizes.
 *
 * Tolerances: double kernels agree to 1e-13 relative to the scale sum_p |A||B| (a bound on
 * the rounding of any summation order: k * eps * sum |a b|, k <= 784); float kernels to
 * 1e-5 of that scale (k * 2^-24 ~ 5e-5 worst case; typical errors are ~sqrt(k) smaller).
 */
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "linalg/linalg.h"
#include "test.h"

static gsl_rng *rng;

static void fill_f(float *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(2.0 * gsl_rng_uniform(rng) - 1.0);
}
static void fill_d(double *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        x[i] = 2.0 * gsl_rng_uniform(rng) - 1.0;
}

struct shape {
    size_t m, n, k;
};
static const struct shape shapes[] = {{1, 1, 1},     {3, 5, 7},      {17, 1, 13},   {1, 19, 2},
                                      {64, 512, 2},  {256, 512, 2},  {64, 31, 512}, {7, 784, 64},
                                      {33, 65, 129}, {64, 512, 784}, {5, 3, 0}};

enum variant { NT, NN, TN };

/* Run variant v for one shape in float and double; compare with the reference. */
static void check_shape(enum variant v, struct shape s, double alpha, double beta) {
    size_t m = s.m, n = s.n, k = s.k;
    size_t na = m * k + 1, nb = k * n + 1, nc = m * n;
    float *Af = malloc(na * sizeof *Af), *Bf = malloc(nb * sizeof *Bf);
    float *Cf = malloc(nc * sizeof *Cf), *Rf = malloc(nc * sizeof *Rf);
    double *Ad = malloc(na * sizeof *Ad), *Bd = malloc(nb * sizeof *Bd);
    double *Cd = malloc(nc * sizeof *Cd), *Rd = malloc(nc * sizeof *Rd);
    CHECK(Af && Bf && Cf && Rf && Ad && Bd && Cd && Rd);
    if (!(Af && Bf && Cf && Rf && Ad && Bd && Cd && Rd)) goto out;
    fill_f(Af, na);
    fill_f(Bf, nb);
    fill_f(Cf, nc);
    memcpy(Rf, Cf, nc * sizeof *Cf);
    fill_d(Ad, na);
    fill_d(Bd, nb);
    fill_d(Cd, nc);
    memcpy(Rd, Cd, nc * sizeof *Cd);
    float af = (float)alpha, bf = (float)beta;
    switch (v) {
    case NT:
        gr_linalg_sgemm_nt(m, n, k, af, Af, Bf, bf, Cf);
        gr_linalg_sgemm_nt_ref(m, n, k, af, Af, Bf, bf, Rf);
        gr_linalg_dgemm_nt(m, n, k, alpha, Ad, Bd, beta, Cd);
        gr_linalg_dgemm_nt_ref(m, n, k, alpha, Ad, Bd, beta, Rd);
        break;
    case NN:
        gr_linalg_sgemm_nn(m, n, k, af, Af, Bf, bf, Cf);
        gr_linalg_sgemm_nn_ref(m, n, k, af, Af, Bf, bf, Rf);
        gr_linalg_dgemm_nn(m, n, k, alpha, Ad, Bd, beta, Cd);
        gr_linalg_dgemm_nn_ref(m, n, k, alpha, Ad, Bd, beta, Rd);
        break;
    case TN:
        gr_linalg_sgemm_tn(m, n, k, af, Af, Bf, bf, Cf);
        gr_linalg_sgemm_tn_ref(m, n, k, af, Af, Bf, bf, Rf);
        gr_linalg_dgemm_tn(m, n, k, alpha, Ad, Bd, beta, Cd);
        gr_linalg_dgemm_tn_ref(m, n, k, alpha, Ad, Bd, beta, Rd);
        break;
    }
    /* entries are U(-1,1): sum_p |a b| <= k, plus |beta c| <= |beta| */
    double scale = fabs(alpha) * (double)(k ? k : 1) + fabs(beta);
    CHECK_ARRAY_CLOSE(Cf, Rf, nc, 0.0, 1e-5 * scale);
    CHECK_ARRAY_CLOSE(Cd, Rd, nc, 0.0, 1e-13 * scale);
out:
    free(Af), free(Bf), free(Cf), free(Rf), free(Ad), free(Bd), free(Cd), free(Rd);
}

static void test_gemm_variants(void) {
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        for (int v = NT; v <= TN; v++) {
            check_shape((enum variant)v, shapes[i], 1.0, 0.0);
            check_shape((enum variant)v, shapes[i], -0.7316, 1.0);
            check_shape((enum variant)v, shapes[i], 2.385, -0.4271);
        }
}

/* beta = 0 must overwrite, even a C full of NaN (BLAS semantics, relied on by mlp). */
static void test_beta_zero_overwrites_nan(void) {
    float A[6] = {1, 2, 3, 4, 5, 6}, B[6] = {0.5f, -1, 2, 0.25f, 3, -2}, C[4];
    for (int i = 0; i < 4; i++)
        C[i] = NAN;
    gr_linalg_sgemm_nt(2, 2, 3, 1.0f, A, B, 0.0f, C); /* [1 2 3;4 5 6] [.5 -1 2; .25 3 -2]^T */
    float want[4] = {4.5f, 0.25f, 9.0f, 4.0f};
    CHECK_ARRAY_CLOSE(C, want, 4, 0.0, 0.0);
    for (int i = 0; i < 4; i++)
        C[i] = NAN;
    gr_linalg_sgemm_nt(2, 2, 0, 1.0f, A, B, 0.0f, C); /* empty product */
    float zeros[4] = {0, 0, 0, 0};
    CHECK_ARRAY_CLOSE(C, zeros, 4, 0.0, 0.0);
    double Cd[4] = {1, 2, 3, 4}, want_d[4] = {0.5, 1, 1.5, 2};
    gr_linalg_dgemm_tn(2, 2, 0, 1.0, NULL, NULL, 0.5, Cd); /* k = 0: C = beta C */
    CHECK_ARRAY_CLOSE(Cd, want_d, 4, 0.0, 0.0);
    gr_linalg_dgemm_nn(0, 3, 5, 1.0, NULL, NULL, 0.0, NULL); /* m = 0 touches nothing */
    CHECK(1);
}

static void test_colsum(void) {
    const size_t ms[] = {1, 7, 64, 256}, ns[] = {1, 3, 512, 785};
    for (size_t a = 0; a < 4; a++)
        for (size_t b = 0; b < 4; b++) {
            size_t m = ms[a], n = ns[b];
            float *A = malloc(m * n * sizeof *A), *y = malloc(n * sizeof *y),
                  *r = malloc(n * sizeof *r);
            double *Ad = malloc(m * n * sizeof *Ad), *yd = malloc(n * sizeof *yd),
                   *rd = malloc(n * sizeof *rd);
            fill_f(A, m * n);
            fill_f(y, n);
            memcpy(r, y, n * sizeof *y);
            fill_d(Ad, m * n);
            fill_d(yd, n);
            memcpy(rd, yd, n * sizeof *yd);
            gr_linalg_scolsum_add(m, n, A, y);
            gr_linalg_scolsum_add_ref(m, n, A, r);
            gr_linalg_dcolsum_add(m, n, Ad, yd);
            gr_linalg_dcolsum_add_ref(m, n, Ad, rd);
            CHECK_ARRAY_CLOSE(y, r, n, 0.0, 1e-6 * (double)m);
            CHECK_ARRAY_CLOSE(yd, rd, n, 0.0, 1e-14 * (double)m);
            free(A), free(y), free(r), free(Ad), free(yd), free(rd);
        }
}

int main(void) {
    gr_core_init();
    CHECK_OK(gr_rng_alloc(&rng, 20261121, GR_STREAM_TEST, NULL), NULL);
    RUN(test_gemm_variants);
    RUN(test_beta_zero_overwrites_nan);
    RUN(test_colsum);
    gr_rng_free(rng);
    return TEST_MAIN_END();
}
