/* tests/eval/test_frechet.c — the Frechet distance of eval/frechet.h on samples whose
 * answer is known exactly from the sample itself (no statistics involved, so no false
 * alarms): a sample against itself (0), against a translated copy (the squared shift),
 * against a scaled copy ((1 - c)^2 (|mu|^2 + tr S), since S^1/2 (c^2 S) S^1/2 has the root
 * c S); the covariance against a naive double loop; every error path.
 *
 * Against distance/gauss.h's W2 closed form (GSL's eigensolver, an independent
 * implementation of the same formula): two different samples, also with singular
 * covariances (n <= d); a covariance that is not positive semi-definite is GR_EDOM.
 *
 * The sample: n = 600 points (three GR_FRECHET_BLOCK blocks, the last partial) in d = 7 of
 * x = mu + A z, z standard normal, A a fixed random matrix (correlated coordinates),
 * rounded to multiples of 2^-12 with |x| < 2^6, so that x + delta (delta on a 2^-3 grid) and
 * c x (c = 2, 3, 1/2) are exact in float: the shifted and scaled samples are exactly what
 * the closed forms describe.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "core/rng.h"
#include "distance/gauss.h"
#include "eval/frechet.h"
#include "test.h"

enum { N = 600, D = 7 };

static float X[N * D], Y[N * D];
static double mu_s[D], trace_s; /* the sample's own mean and covariance trace (test loops) */

static void make_sample(void) {
    gsl_rng *r = NULL;
    if (gr_rng_alloc(&r, 4242, GR_STREAM_TEST, NULL) != GR_OK) return;
    double A[D * D], mu[D];
    for (size_t i = 0; i < D * D; i++)
        A[i] = gsl_ran_gaussian(r, 0.6);
    for (size_t j = 0; j < D; j++)
        mu[j] = -1.5 + 0.5 * (double)j;
    for (size_t i = 0; i < N; i++) {
        double z[D];
        for (size_t j = 0; j < D; j++)
            z[j] = gsl_ran_gaussian(r, 1.0);
        for (size_t j = 0; j < D; j++) {
            double v = mu[j];
            for (size_t l = 0; l < D; l++)
                v += A[j * D + l] * z[l];
            if (v > 60.0) v = 60.0;
            if (v < -60.0) v = -60.0;
            X[i * D + j] = (float)(nearbyint(v * 4096.0) / 4096.0);
        }
    }
    gr_rng_free(r);
    for (size_t j = 0; j < D; j++) {
        double s = 0.0;
        for (size_t i = 0; i < N; i++)
            s += X[i * D + j];
        mu_s[j] = s / N;
    }
    trace_s = 0.0;
    for (size_t j = 0; j < D; j++) {
        double s = 0.0;
        for (size_t i = 0; i < N; i++) {
            double c = X[i * D + j] - mu_s[j];
            s += c * c;
        }
        trace_s += s / (N - 1);
    }
}

static void test_stats_against_naive(void) {
    gr_error err;
    gr_frechet *w = NULL;
    CHECK_OK(gr_frechet_alloc(&w, D, &err), &err);
    if (!w) return;
    double m[D], S[D * D], Sn[D * D];
    CHECK_OK(gr_frechet_stats(w, m, S, X, N, D, &err), &err);
    CHECK_ARRAY_CLOSE(m, mu_s, (size_t)D, 1e-14, 1e-15);
    for (size_t a = 0; a < D; a++)
        for (size_t b = 0; b < D; b++) {
            double s = 0.0;
            for (size_t i = 0; i < N; i++)
                s += (X[i * D + a] - mu_s[a]) * (X[i * D + b] - mu_s[b]);
            Sn[a * D + b] = s / (N - 1);
        }
    CHECK_ARRAY_CLOSE(S, Sn, (size_t)(D * D), 1e-12, 1e-14);
    int sym = 1;
    for (size_t a = 0; a < D; a++)
        for (size_t b = 0; b < D; b++)
            sym &= S[a * D + b] == S[b * D + a];
    CHECK(sym);
    gr_frechet_free(w);
}

static void test_self_is_zero(void) {
    gr_error err;
    gr_frechet *w = NULL;
    CHECK_OK(gr_frechet_alloc(&w, D, &err), &err);
    if (!w) return;
    double fd = -1.0;
    CHECK_OK(gr_frechet_distance(w, &fd, X, N, X, N, D, &err), &err);
    /* eigen-decomposition rounding only: ~ d eps tr S */
    CHECK(fd >= 0.0 && fd <= 1e-12 * trace_s);
    printf("FD(X, X) = %.3g (tr S = %.6g)\n", fd, trace_s);
    gr_frechet_free(w);
}

static void test_shift_is_squared_shift(void) {
    gr_error err;
    gr_frechet *w = NULL;
    CHECK_OK(gr_frechet_alloc(&w, 16, &err), &err); /* d_max > d: views of a larger workspace */
    if (!w) return;
    double delta[D] = {0.5, -1.25, 2.0, 0.125, -0.375, 3.0, -2.5}, want = 0.0;
    for (size_t j = 0; j < D; j++)
        want += delta[j] * delta[j];
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < D; j++)
            Y[i * D + j] = X[i * D + j] + (float)delta[j]; /* exact: both on the 2^-12 grid */
    double fd = -1.0;
    CHECK_OK(gr_frechet_distance(w, &fd, X, N, Y, N, D, &err), &err);
    CHECK_CLOSE(fd, want, 1e-12, 1e-12 * trace_s);
    CHECK_OK(gr_frechet_distance(w, &fd, Y, N, X, N, D, &err), &err);
    CHECK_CLOSE(fd, want, 1e-12, 1e-12 * trace_s);
    gr_frechet_free(w);
}

static void test_scaled_covariance(void) {
    gr_error err;
    gr_frechet *w = NULL;
    CHECK_OK(gr_frechet_alloc(&w, D, &err), &err);
    if (!w) return;
    double mu2 = 0.0;
    for (size_t j = 0; j < D; j++)
        mu2 += mu_s[j] * mu_s[j];
    const float cs[3] = {2.0f, 3.0f, 0.5f};
    for (size_t t = 0; t < 3; t++) {
        double c = cs[t];
        for (size_t i = 0; i < N * D; i++)
            Y[i] = cs[t] * X[i]; /* exact on the grid */
        /* mu_2 = c mu_1, S_2 = c^2 S_1: FD = (1-c)^2 |mu|^2 + tr(S + c^2 S - 2 c S) */
        double want = (1.0 - c) * (1.0 - c) * (mu2 + trace_s), fd = -1.0;
        CHECK_OK(gr_frechet_distance(w, &fd, X, N, Y, N, D, &err), &err);
        CHECK_CLOSE(fd, want, 1e-11, 0.0);
    }
    gr_frechet_free(w);
}

/* FD from the sample statistics against gr_gauss_w2sq on the same statistics. */
/* Tolerance: with regular covariances both are sums of square roots of well-separated
 * eigenvalues, equal to ~d eps tr. With singular ones (n <= d) the zero eigenvalues of
 * S1^1/2 S2 S1^1/2 come out of either eigensolver as rounding noise up to ~d eps mu_max,
 * whose square roots are ~sqrt(d eps mu_max) each: both values are then only that
 * accurate, so they are compared within 2 d sqrt(d eps mu_max), mu_max <= tr S1 tr S2. */
static void check_against_gauss(gr_frechet *w, const float *x1, size_t n1, const float *x2,
                                size_t n2, size_t d, int singular) {
    gr_error err;
    double *m1 = malloc(d * sizeof(double)), *m2 = malloc(d * sizeof(double));
    double *S1 = malloc(d * d * sizeof(double)), *S2 = malloc(d * d * sizeof(double));
    if (!m1 || !m2 || !S1 || !S2) {
        CHECK(0);
    } else {
        double fd = -1.0, ref = -2.0, fd2 = -3.0;
        CHECK_OK(gr_frechet_stats(w, m1, S1, x1, n1, d, &err), &err);
        CHECK_OK(gr_frechet_stats(w, m2, S2, x2, n2, d, &err), &err);
        CHECK_OK(gr_frechet_from_stats(w, &fd, d, m1, S1, m2, S2, &err), &err);
        CHECK_OK(gr_gauss_w2sq(d, m1, S1, m2, S2, &ref, &err), &err);
        CHECK_OK(gr_frechet_distance(w, &fd2, x1, n1, x2, n2, d, &err), &err);
        double tr1 = 0.0, tr2 = 0.0;
        for (size_t j = 0; j < d; j++) {
            tr1 += S1[j * d + j];
            tr2 += S2[j * d + j];
        }
        double tol = singular ? 2.0 * (double)d * sqrt((double)d * 2.2e-16 * tr1 * tr2)
                              : 1e-11 * (tr1 + tr2);
        CHECK_CLOSE(fd, ref, 0.0, tol);
        CHECK(fd2 == fd);
        printf("d = %zu, n = %zu / %zu: FD %.12g, gauss W2^2 %.12g\n", d, n1, n2, fd, ref);
    }
    free(m1);
    free(m2);
    free(S1);
    free(S2);
}

static void test_against_gauss_w2(void) {
    gr_error err;
    gr_frechet *w = NULL;
    CHECK_OK(gr_frechet_alloc(&w, 64, &err), &err);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 99, GR_STREAM_TEST, &err), &err);
    if (!w || !r) return;
    enum { M = 300, DD = 64 };
    static float a[M * DD], b[M * DD];
    for (size_t i = 0; i < M * DD; i++) {
        a[i] = (float)gsl_ran_gaussian(r, 1.0);
        b[i] = (float)(0.3 + gsl_ran_gaussian(r, (i % DD) < 10 ? 2.0 : 0.7));
    }
    /* correlate b's coordinates */
    for (size_t i = 0; i < M; i++)
        for (size_t j = 1; j < DD; j++)
            b[i * DD + j] += 0.5f * b[i * DD + j - 1];
    check_against_gauss(w, X, N, X + D, N - 1, D, 0); /* the sample against itself, one row off */
    check_against_gauss(w, a, M, b, M, DD, 0);
    check_against_gauss(w, a, 40, b, 30, DD, 1); /* n < d: singular covariances */
    check_against_gauss(w, a, 2, b, 3, 5, 1);
    gr_rng_free(r);

    /* not PSD: diag(1, -1) */
    double m[2] = {0.0, 0.0}, S[4] = {1.0, 0.0, 0.0, -1.0}, I[4] = {1.0, 0.0, 0.0, 1.0}, fd;
    CHECK_STATUS(gr_frechet_from_stats(w, &fd, 2, m, S, m, I, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "S1 is not positive semi-definite");
    CHECK_STATUS(gr_frechet_from_stats(w, &fd, 2, m, I, m, S, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "S2 is not positive semi-definite");
    /* only the lower triangle is read */
    double L[4] = {2.0, 12345.0, 0.5, 1.0}, F[4] = {2.0, 0.5, 0.5, 1.0}, f1 = 0.0, f2 = 1.0;
    CHECK_OK(gr_frechet_from_stats(w, &f1, 2, m, L, m, I, &err), &err);
    CHECK_OK(gr_frechet_from_stats(w, &f2, 2, m, F, m, I, &err), &err);
    CHECK(f1 == f2);
    /* 2-D closed form by hand: FD(N(0, diag(a, b)), N(0, I)) = (sqrt a - 1)^2 + (sqrt b - 1)^2 */
    double Dg[4] = {2.25, 0.0, 0.0, 0.16};
    CHECK_OK(gr_frechet_from_stats(w, &f1, 2, m, Dg, m, I, &err), &err);
    CHECK_CLOSE(f1, 0.25 + 0.36, 1e-14, 0.0);
    gr_frechet_free(w);
}

static void test_errors(void) {
    gr_error err;
    gr_frechet *w = NULL;
    CHECK_STATUS(gr_frechet_alloc(&w, 0, &err), GR_EINVAL);
    CHECK(w == NULL);
    CHECK_STATUS(gr_frechet_alloc(NULL, 3, &err), GR_EINVAL);
    CHECK_STATUS(gr_frechet_alloc(&w, (size_t)GR_FRECHET_D_MAX + 1, &err), GR_EINVAL);
    CHECK_OK(gr_frechet_alloc(&w, D, &err), &err);
    if (!w) return;
    double m[D + 1], S[(D + 1) * (D + 1)], fd;
    CHECK_STATUS(gr_frechet_stats(w, m, S, X, 1, D, &err), GR_EINVAL);
    CHECK_STATUS(gr_frechet_stats(w, m, S, X, N / (D + 1), D + 1, &err), GR_EINVAL);
    CHECK_STATUS(gr_frechet_stats(w, NULL, S, X, N, D, &err), GR_EINVAL);
    float bad[3 * D];
    for (size_t i = 0; i < 3 * D; i++)
        bad[i] = X[i];
    bad[2 * D + 4] = NAN;
    CHECK_STATUS(gr_frechet_distance(w, &fd, X, N, bad, 3, D, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "second set");
    CHECK_STR_CONTAINS(err.msg, "x[2][4]");
    gr_frechet_free(w);
    gr_frechet_free(NULL);
}

int main(void) {
    make_sample();
    RUN(test_stats_against_naive);
    RUN(test_self_is_zero);
    RUN(test_shift_is_squared_shift);
    RUN(test_scaled_covariance);
    RUN(test_against_gauss_w2);
    RUN(test_errors);
    return TEST_MAIN_END();
}
