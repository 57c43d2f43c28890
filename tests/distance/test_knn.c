/* tests/distance/test_knn.c — kNN KL and JS estimators (distance/knn.h).
 *
 * Exactness of the neighbour search: against a brute-force O(n^2) reference written here.
 * Accuracy: on Gaussian pairs whose KL (O1) and JS (O3) are known in closed form. The
 * tolerances are the estimators' measured finite-sample behaviour (bias + spread over seeds,
 * see the comments at each check, cross-checked with scipy.spatial.cKDTree), not the
 * quadrature precision: kNN estimators are biased at finite n.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <time.h>

#include "core/rng.h"
#include "distance/gauss.h"
#include "distance/knn.h"
#include "test.h"

/* n draws of N(m, S) in 2-D, S = [[s00, s01], [s01, s11]] row-major, via Cholesky */
static void gauss2(gsl_rng *r, size_t n, const double *m, const double *S, double *x) {
    double l00 = sqrt(S[0]), l10 = S[2] / l00, l11 = sqrt(S[3] - l10 * l10);
    for (size_t i = 0; i < n; i++) {
        double a = gsl_ran_gaussian(r, 1.0), b = gsl_ran_gaussian(r, 1.0);
        x[2 * i] = m[0] + l00 * a;
        x[2 * i + 1] = m[1] + l10 * a + l11 * b;
    }
}

static int cmp_dbl(const void *a, const void *b) {
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* brute-force k-th neighbour distance (squared), excluding index skip */
static double brute_kth(const double *pts, size_t n, size_t d, const double *q, size_t skip,
                        size_t k, double *tmp) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == skip) continue;
        double s = 0.0;
        for (size_t j = 0; j < d; j++)
            s += (pts[i * d + j] - q[j]) * (pts[i * d + j] - q[j]);
        tmp[c++] = s;
    }
    /* partial selection sort: k smallest */
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < c; b++)
            if (tmp[b] < tmp[a]) {
                double t = tmp[a];
                tmp[a] = tmp[b];
                tmp[b] = t;
            }
    return tmp[k - 1];
}

static void test_kl_matches_brute_force(void) {
    const size_t n = 300, m = 241, d = 3, k = 4;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 2385, GR_STREAM_TEST, NULL), NULL);
    double *x = malloc(n * d * sizeof *x), *y = malloc(m * d * sizeof *y),
           *tmp = malloc((n + m) * sizeof *tmp);
    for (size_t i = 0; i < n * d; i++)
        x[i] = gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < m * d; i++)
        y[i] = 0.7 + gsl_ran_gaussian(r, 1.3);
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double r2 = brute_kth(x, n, d, x + i * d, i, k, tmp);
        double v2 = brute_kth(y, m, d, x + i * d, (size_t)-1, k, tmp);
        s += 0.5 * (log(v2) - log(r2));
    }
    double want = (double)d * s / (double)n + log((double)m / (double)(n - 1));
    gr_knn_result res;
    gr_error err;
    CHECK_OK(gr_knn_kl(x, n, y, m, d, k, &res, &err), &err);
    CHECK_CLOSE(res.value, want, 1e-12, 0.0);
    CHECK(res.n == n && res.m == m && res.d == d && res.k == k);

    CHECK(res.ties == GR_KNN_TIES_NONE && res.n_tied == 0 && res.m_tied == 0);

    /* JS, n != m: every x and y is a query and carries its own sample's density; the
     * mixture sample is all of y plus x rows floor(j n / m), j < m */
    size_t nz = 2 * m;
    double *z = malloc(nz * d * sizeof *z);
    size_t *zof = malloc(n * sizeof *zof); /* index in z of x_i, or -1 */
    for (size_t i = 0; i < n; i++)
        zof[i] = (size_t)-1;
    for (size_t j = 0; j < m; j++) {
        memcpy(z + j * d, x + (j * n / m) * d, d * sizeof *z);
        zof[j * n / m] = j;
    }
    memcpy(z + m * d, y, m * d * sizeof *z);
    double sx = 0.0, sy = 0.0;
    for (size_t i = 0; i < n; i++) {
        int in = zof[i] != (size_t)-1;
        sx += 0.5 * (double)d *
                  (log(brute_kth(z, nz, d, x + i * d, zof[i], k, tmp)) -
                   log(brute_kth(x, n, d, x + i * d, i, k, tmp))) +
              log((double)(nz - (size_t)in) / (double)(n - 1));
    }
    for (size_t i = 0; i < m; i++)
        sy += 0.5 * (double)d *
                  (log(brute_kth(z, nz, d, y + i * d, m + i, k, tmp)) -
                   log(brute_kth(y, m, d, y + i * d, i, k, tmp))) +
              log((double)(nz - 1) / (double)(m - 1));
    double js = 0.5 * sx / (double)n + 0.5 * sy / (double)m;
    CHECK_OK(gr_knn_js(x, n, y, m, d, k, &res, &err), &err);
    CHECK_CLOSE(res.raw, js, 1e-12, 0.0);
    CHECK(res.n == n && res.m == m && res.n_mix == nz);
    free(zof);
    free(z);
    free(x);
    free(y);
    free(tmp);
    gsl_rng_free(r);
}

/* O1 pair: m1 = 0, S1 = [[1,.3],[.3,2]], m2 = (1,-1), S2 = diag(.5,1.5), KL = 1.532607. */
static void test_kl_o1_pair(void) {
    const size_t n = 10000;
    const double m1[2] = {0.0, 0.0}, S1[4] = {1.0, 0.3, 0.3, 2.0};
    const double m2[2] = {1.0, -1.0}, S2[4] = {0.5, 0.0, 0.0, 1.5};
    double fwd, rev;
    gr_error err;
    CHECK_OK(gr_gauss_kl(2, m1, S1, m2, S2, &fwd, &err), &err);
    CHECK_OK(gr_gauss_kl(2, m2, S2, m1, S1, &rev, &err), &err);
    CHECK_CLOSE(fwd, 1.532607, 0.0, 5e-7);
    double *x = malloc(n * 2 * sizeof *x), *y = malloc(n * 2 * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 4242, GR_STREAM_TEST, &err), &err);
    gauss2(r, n, m1, S1, x);
    gauss2(r, n, m2, S2, y);
    gr_knn_result res;
    clock_t t0 = clock();
    CHECK_OK(gr_knn_kl(x, n, y, n, 2, 1, &res, &err), &err);
    /* timing is printed for the record only: speed targets live in bench/, not in tests */
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    fprintf(stderr, "kNN KL(P||Q) O1 pair, n=m=%zu, k=1: %.6f (exact %.6f, %.1f%%) in %.3f s\n", n,
            res.value, fwd, 100.0 * (res.value / fwd - 1.0), secs);
    /* Forward direction: q = N(m2, S2) has lighter tails than p along y, and the WKV
     * estimator is biased LOW there: measured mean over 5 seeds (this code and
     * scipy cKDTree agree) -7.6 % at n = m = 1e4, k = 1 (sd 3 %), -4.4 % at 1e5; k = 3: -14 %.
     * The 5 % target is therefore NOT met in this direction at n = 1e4; we check the
     * measured band [-15 %, +5 %] so a regression in the code (not the estimator) fails. */
    CHECK(res.value > 0.85 * fwd && res.value < 1.05 * fwd);
    /* Reverse direction (sample of Q against P, heavier-tailed reference): within 5 %
     * (measured mean bias -0.8 % k = 1, -0.6 % k = 3, sd 2.5 %). */
    gauss2(r, n, m2, S2, x);
    gauss2(r, n, m1, S1, y);
    CHECK_OK(gr_knn_kl(x, n, y, n, 2, 3, &res, &err), &err);
    fprintf(stderr, "kNN KL(Q||P) O1 pair, n=m=%zu, k=3: %.6f (exact %.6f, %.1f%%)\n", n, res.value,
            rev, 100.0 * (res.value / rev - 1.0));
    CHECK_CLOSE(res.value, rev, 0.05, 0.0);
    /* equal distributions: KL = 0 up to the estimator's spread (sd ~0.02 at 1e4, k = 3) */
    gauss2(r, n, m1, S1, x);
    gauss2(r, n, m1, S1, y);
    CHECK_OK(gr_knn_kl(x, n, y, n, 2, 3, &res, &err), &err);
    CHECK_CLOSE(res.value, 0.0, 0.0, 0.06);
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* O3 pairs: N(0, I) vs N(delta e1, I), JS depends on delta only (any dimension). */
static void test_js_o3(void) {
    const size_t n = 10000, k = 5;
    double *x = malloc(n * 2 * sizeof *x), *y = malloc(n * 2 * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 777, GR_STREAM_TEST, NULL), NULL);
    const double I[4] = {1.0, 0.0, 0.0, 1.0}, zero[2] = {0.0, 0.0};
    const double deltas[4] = {0.5, 1.0, 2.0, 4.0};
    gr_error err;
    for (size_t t = 0; t < 4; t++) {
        double js, abserr;
        CHECK_OK(gr_gauss_js_eqvar(deltas[t], &js, &abserr, &err), &err);
        double md[2] = {deltas[t], 0.0};
        gauss2(r, n, zero, I, x);
        gauss2(r, n, md, I, y);
        gr_knn_result res;
        CHECK_OK(gr_knn_js(x, n, y, n, 2, k, &res, &err), &err);
        /* measured at n = 1e4, k = 5 over 10 seeds (see knn.c): |bias| <= 0.003 nats,
         * sd <= 0.006; 0.015 is 2.5 sd of the worst case */
        fprintf(stderr, "kNN JS 2-D delta=%g n=%zu k=%zu: %.6f (O3 %.6f)\n", deltas[t], n, k,
                res.value, js);
        CHECK_CLOSE(res.value, js, 0.0, 0.015);
        CHECK(res.value >= 0.0 && res.value <= M_LN2);
        /* 1-D version */
        for (size_t i = 0; i < n; i++) {
            x[i] = gsl_ran_gaussian(r, 1.0);
            y[i] = deltas[t] + gsl_ran_gaussian(r, 1.0);
        }
        CHECK_OK(gr_knn_js(x, n, y, n, 1, k, &res, &err), &err);
        fprintf(stderr, "kNN JS 1-D delta=%g n=%zu k=%zu: %.6f (O3 %.6f)\n", deltas[t], n, k,
                res.value, js);
        CHECK_CLOSE(res.value, js, 0.0, 0.015);
    }
    /* disjoint samples: JS = log 2 up to the 1/n term (clipped) */
    for (size_t i = 0; i < n; i++) {
        x[i] = gsl_rng_uniform(r);
        y[i] = 5.0 + gsl_rng_uniform(r);
    }
    gr_knn_result res;
    CHECK_OK(gr_knn_js(x, n, y, n, 1, k, &res, &err), &err);
    CHECK_CLOSE(res.value, M_LN2, 0.0, 1e-12);
    CHECK(res.raw >= M_LN2); /* raw is log 2 + O(1/n) */
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* JS between h-rounded N(0,1) and N(mu,1): a finite sum over the grid's atoms, masses
 * Phi(c + h/2 - mu) - Phi(c - h/2 - mu) by GSL (independent of the estimator; the same
 * numbers come from tests/reference/knn_ties_reference.py). */
static void rounded_gauss_js_kl(double mu, double h, double *js, double *kl) {
    *js = *kl = 0.0;
    for (double c = -40.0; c <= 40.0; c += h) {
        /* upper tail by the survival function, so small masses keep their digits */
        double p = c >= 0.0 ? gsl_cdf_ugaussian_Q(c - h / 2) - gsl_cdf_ugaussian_Q(c + h / 2)
                            : gsl_cdf_ugaussian_P(c + h / 2) - gsl_cdf_ugaussian_P(c - h / 2);
        double q = c >= mu
                       ? gsl_cdf_ugaussian_Q(c - h / 2 - mu) - gsl_cdf_ugaussian_Q(c + h / 2 - mu)
                       : gsl_cdf_ugaussian_P(c + h / 2 - mu) - gsl_cdf_ugaussian_P(c - h / 2 - mu);
        if (!(p > 0.0 && q > 0.0)) continue;
        double mm = 0.5 * (p + q);
        *js += 0.5 * p * log(p / mm) + 0.5 * q * log(q / mm);
        *kl += p * log(p / q);
    }
}

/* n draws of h * round((mu + N(0,1)) / h) in d dimensions (h = 0: not rounded) */
static void draw_rounded(gsl_rng *r, size_t n, size_t d, double mu, double h, double *x) {
    for (size_t i = 0; i < n * d; i++) {
        double z = (i % d == 0 ? mu : 0.0) + gsl_ran_gaussian(r, 1.0);
        x[i] = h > 0.0 ? h * nearbyint(z / h) : z;
    }
}

/* Issue 8.4: two independent samples of round(N(0,1), 1) have JS = 0 (and KL = 0); the old
 * code printed 0.692 (k = 1) / 0.689 (k = 5) in 1-D and 0.64 / 0.46 in 2-D. Bounds from 30
 * seeds of this code at n = m = 2000 (mean / sd of raw JS; sd of KL):
 *   1-D k=1: -0.013 / 0.022, KL 0.047    1-D k=5: -0.001 / 0.010, KL 0.014
 *   2-D k=1:  0.000 / 0.020, KL 0.045    2-D k=5:  0.004 / 0.009, KL 0.015
 * (unrounded data, 1-D: k=1 0.002 / 0.015, k=5 0.001 / 0.009: the ties cost little). Each
 * bound is the mean + 4 sd or more, and 8 to 20 times below the old values. */
static void test_rounded_same_law(void) {
    const size_t n = 2000;
    double *x = malloc(2 * n * sizeof *x), *y = malloc(2 * n * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 8004, GR_STREAM_TEST, NULL), NULL);
    const double js_bound[2][2] = {{0.08, 0.04}, {0.08, 0.04}}; /* [d-1][k==5] */
    const double kl_bound[2][2] = {{0.2, 0.06}, {0.2, 0.065}};
    gr_error err;
    for (size_t d = 1; d <= 2; d++)
        for (size_t seed = 0; seed < 5; seed++) {
            draw_rounded(r, n, d, 0.0, 0.1, x);
            draw_rounded(r, n, d, 0.0, 0.1, y);
            for (size_t kk = 0; kk < 2; kk++) {
                size_t k = kk ? 5 : 1;
                gr_knn_result res;
                CHECK_OK(gr_knn_js(x, n, y, n, d, k, &res, &err), &err);
                if (res.value > js_bound[d - 1][kk])
                    fprintf(stderr, "rounded same law d=%zu k=%zu: JS %g\n", d, k, res.value);
                CHECK(res.value >= 0.0 && res.value <= js_bound[d - 1][kk]);
                CHECK(res.ties == GR_KNN_TIES_GRID);
                CHECK(res.n_tied > n / 2 && res.m_tied > n / 2 && res.n_atoms > 10);
                CHECK_CLOSE(res.grid_min, 0.1, 1e-9, 0.0);
                CHECK_CLOSE(res.grid_max, 0.1, 1e-9, 0.0);
                CHECK_OK(gr_knn_kl(x, n, y, n, d, k, &res, &err), &err);
                CHECK(fabs(res.value) <= kl_bound[d - 1][kk]);
                CHECK(res.ties == GR_KNN_TIES_GRID);
            }
        }
    /* the same file twice: x and y coincide point for point; JS = 0 (old code: log 2) */
    gr_knn_result res;
    CHECK_OK(gr_knn_js(x, n, x, n, 2, 1, &res, &err), &err);
    CHECK(res.value <= 0.08);
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* Closed form at a coarse grid: h-rounded N(0,1) against h-rounded N(0.5,1), h = 0.5 and 1.
 * n = m = 5000, k = 5; 30 seeds of this code: JS mean 0.0288 / 0.0284 (exact 0.0297 /
 * 0.0280), sd 0.0068 / 0.0048; KL mean 0.1198 / 0.1109 (exact 0.1225 / 0.1154), sd 0.015 /
 * 0.012. Each estimate within 4 sd (0.027 JS, 0.06 KL), the mean of 5 seeds within 4 sd of
 * a mean plus the measured bias (0.012 JS, 0.03 KL). */
static void test_rounded_closed_form(void) {
    const size_t n = 5000, k = 5;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 8005, GR_STREAM_TEST, NULL), NULL);
    const double hs[2] = {0.5, 1.0};
    /* tests/reference/knn_ties_reference.py (SciPy) */
    const double ref_js[2] = {0.029710652508, 0.028042596029};
    const double ref_kl[2] = {0.122450233406, 0.115401452631};
    gr_error err;
    for (size_t t = 0; t < 2; t++) {
        double js, kl;
        rounded_gauss_js_kl(0.5, hs[t], &js, &kl);
        CHECK_CLOSE(js, ref_js[t], 1e-9, 0.0);
        CHECK_CLOSE(kl, ref_kl[t], 1e-9, 0.0);
        double sj = 0.0, sk = 0.0;
        for (size_t seed = 0; seed < 5; seed++) {
            draw_rounded(r, n, 1, 0.0, hs[t], x);
            draw_rounded(r, n, 1, 0.5, hs[t], y);
            gr_knn_result res;
            CHECK_OK(gr_knn_js(x, n, y, n, 1, k, &res, &err), &err);
            CHECK_CLOSE(res.value, js, 0.0, 0.027);
            CHECK(res.ties == GR_KNN_TIES_GRID);
            CHECK_CLOSE(res.grid_min, hs[t], 1e-9, 0.0);
            sj += res.value;
            CHECK_OK(gr_knn_kl(x, n, y, n, 1, k, &res, &err), &err);
            CHECK_CLOSE(res.value, kl, 0.0, 0.06);
            sk += res.value;
        }
        fprintf(stderr, "rounded h=%g: JS mean %.5f (exact %.5f), KL mean %.5f (exact %.5f)\n",
                hs[t], sj / 5, js, sk / 5, kl);
        CHECK_CLOSE(sj / 5, js, 0.0, 0.012);
        CHECK_CLOSE(sk / 5, kl, 0.0, 0.03);
    }
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* Atoms off any grid. ReLU Gaussians max(0, N(mu, 1)): an atom at 0 of mass Phi(-mu) and a
 * density on (0, inf); JS(mu = 0 vs 0.5) = 0.026660421895, KL = 0.104411150316
 * (tests/reference/knn_ties_reference.py). n = m = 4000, k = 5; over 10 seeds JS sd 0.007,
 * mean - exact -0.002; KL sd 0.019, mean - exact -0.001; same law: JS max 0.010, KL sd
 * 0.0055. Bounds: 4 sd. Duplicated samples: each point of x twice. */
static void test_atoms(void) {
    const size_t n = 4000, k = 5;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 8006, GR_STREAM_TEST, NULL), NULL);
    gr_error err;
    gr_knn_result res;
    for (size_t seed = 0; seed < 5; seed++) {
        for (size_t i = 0; i < n; i++) {
            x[i] = fmax(0.0, gsl_ran_gaussian(r, 1.0));
            y[i] = fmax(0.0, 0.5 + gsl_ran_gaussian(r, 1.0));
        }
        CHECK_OK(gr_knn_js(x, n, y, n, 1, k, &res, &err), &err);
        CHECK_CLOSE(res.value, 0.026660421895, 0.0, 0.03);
        CHECK(res.ties == GR_KNN_TIES_ATOMS && res.n_atoms == 1);
        CHECK(res.n_tied > 9 * n / 20 && res.n_tied < 11 * n / 20);    /* Phi(0) = 0.5 */
        CHECK(res.m_tied > 26 * n / 100 && res.m_tied < 36 * n / 100); /* Phi(-0.5) = 0.309 */
        CHECK_OK(gr_knn_kl(x, n, y, n, 1, k, &res, &err), &err);
        CHECK_CLOSE(res.value, 0.104411150316, 0.0, 0.08);
        for (size_t i = 0; i < n; i++)
            y[i] = fmax(0.0, gsl_ran_gaussian(r, 1.0));
        CHECK_OK(gr_knn_js(x, n, y, n, 1, k, &res, &err), &err);
        CHECK(res.value <= 0.025);
        CHECK_OK(gr_knn_kl(x, n, y, n, 1, k, &res, &err), &err);
        CHECK_CLOSE(res.value, 0.0, 0.0, 0.03);
    }
    /* every point of x twice, y an independent continuous sample of the same law. Repeated
     * values are atoms of the first law (a continuous law repeats a value with probability
     * 0), which the second lacks: JS = log 2 exactly, KL = +inf in both directions (the old
     * code printed -0.67 / +0.43). */
    for (size_t i = 0; i < n / 2; i++)
        x[i] = x[n / 2 + i] = gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < n; i++)
        y[i] = gsl_ran_gaussian(r, 1.0);
    CHECK_OK(gr_knn_js(x, n, y, n, 1, k, &res, &err), &err);
    CHECK(res.value == M_LN2 && res.ties == GR_KNN_TIES_ATOMS);
    CHECK(res.n_tied == n && res.m_tied == 0 && res.n_atoms == n / 2);
    CHECK_STATUS(gr_knn_kl(x, n, y, n, 1, 1, &res, &err), GR_EINF);
    CHECK_STR_CONTAINS(err.msg, "never occurs in the second sample");
    CHECK_STATUS(gr_knn_kl(y, n, x, n, 1, 5, &res, &err), GR_EINF);
    CHECK_STR_CONTAINS(err.msg, "every point of the second sample repeats");
    /* the same continuous sample twice: one law, every point an atom seen once in each
     * sample: JS = 0 and KL = 0 exactly (the old code gave log 2 for JS at k = 1) */
    CHECK_OK(gr_knn_js(y, n, y, n, 1, 1, &res, &err), &err);
    CHECK(res.value == 0.0 && res.raw == 0.0);
    CHECK_OK(gr_knn_kl(y, n, y, n, 1, 5, &res, &err), &err);
    CHECK(res.value == 0.0);
    /* the duplicated sample against itself with its halves swapped: same atoms, same
     * counts: 0 */
    memcpy(y, x + n / 2, n / 2 * sizeof *y);
    memcpy(y + n / 2, x, n / 2 * sizeof *y);
    CHECK_OK(gr_knn_js(x, n, y, n, 1, 5, &res, &err), &err);
    CHECK(res.value == 0.0);
    CHECK_OK(gr_knn_kl(x, n, y, n, 1, 5, &res, &err), &err);
    CHECK(res.value == 0.0);
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* n != m: all points are used and the mixture sample takes evenly spaced rows of the
 * larger sample, so a sorted file is fine (the old code took the first min(n, m) rows: of
 * a sorted x, its lowest values). O3 pair delta = 1, n = 20000 (sorted), m = 4000, k = 5:
 * the spread is that of n = m = 4000 or better (sd <= 0.01, see knn.c); 0.03 = 3 sd. */
static void test_unequal_sizes(void) {
    const size_t n = 20000, m = 4000, k = 5;
    double *x = malloc(n * sizeof *x), *y = malloc(m * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 31, GR_STREAM_TEST, NULL), NULL);
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < m; i++)
        y[i] = 1.0 + gsl_ran_gaussian(r, 1.0);
    qsort(x, n, sizeof *x, cmp_dbl);
    double js, abserr;
    gr_error err;
    CHECK_OK(gr_gauss_js_eqvar(1.0, &js, &abserr, &err), &err);
    gr_knn_result res;
    CHECK_OK(gr_knn_js(x, n, y, m, 1, k, &res, &err), &err);
    fprintf(stderr, "kNN JS n=%zu (sorted) m=%zu: %.5f (O3 %.5f)\n", n, m, res.value, js);
    CHECK_CLOSE(res.value, js, 0.0, 0.03);
    CHECK(res.n == n && res.m == m && res.n_mix == 2 * m);
    CHECK_OK(gr_knn_js(y, m, x, n, 1, k, &res, &err), &err); /* symmetric in the roles */
    CHECK_CLOSE(res.value, js, 0.0, 0.03);
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* Issue 9.4: squared distances overflowed (1e155^2) and the estimate came out NaN with
 * GR_OK. Coordinates are now scaled by a power of two first: scaling both samples by 2^500
 * or 2^-900 gives the same bits; a range beyond double precision's squares is refused. */
static void test_scaling(void) {
    const double e[12] = {1e155, 0, -1e155, 0, 1, 1, 2, 2, 0, 0, 3, 1};
    const double f[12] = {0, 0, 1, 1, 2, 2, 3, 1, 1, 0, 0, 1};
    gr_knn_result res;
    gr_error err;
    CHECK_OK(gr_knn_js(e, 6, f, 6, 2, 1, &res, &err), &err);
    CHECK(isfinite(res.raw) && res.value >= 0.0 && res.value <= M_LN2);
    CHECK_OK(gr_knn_kl(e, 6, f, 6, 2, 1, &res, &err), &err);
    CHECK(isfinite(res.value));
    double big[12];
    for (size_t i = 0; i < 12; i++)
        big[i] = e[i] * 1e45; /* 1e200: distances 1..3 vanish next to 1e200 when squared */
    CHECK_STATUS(gr_knn_js(big, 6, f, 6, 2, 1, &res, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "orders of magnitude");
    /* KL only measures distances from the x: the collapsed y are still at distance ~1e45 */
    CHECK_OK(gr_knn_kl(big, 6, f, 6, 2, 1, &res, &err), &err);
    CHECK(isfinite(res.value));
    /* scale invariance, exact for powers of two */
    const size_t n = 500;
    double *x = malloc(3 * n * sizeof *x), *y = malloc(3 * n * sizeof *y);
    double *xs = malloc(3 * n * sizeof *xs), *ys = malloc(3 * n * sizeof *ys);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 94, GR_STREAM_TEST, &err), &err);
    draw_rounded(r, n, 3, 0.0, 0.0, x);
    draw_rounded(r, n, 3, 0.7, 0.0, y);
    gr_knn_result r0, r1;
    CHECK_OK(gr_knn_js(x, n, y, n, 3, 3, &r0, &err), &err);
    const double sc[2] = {ldexp(1.0, 500), ldexp(1.0, -900)};
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < 3 * n; i++) {
            xs[i] = x[i] * sc[t];
            ys[i] = y[i] * sc[t];
        }
        CHECK_OK(gr_knn_js(xs, n, ys, n, 3, 3, &r1, &err), &err);
        CHECK(r1.raw == r0.raw);
    }
    free(x);
    free(y);
    free(xs);
    free(ys);
    gsl_rng_free(r);
}

/* The grid jitter is seeded: the same input gives the same bits. */
static void test_deterministic(void) {
    const size_t n = 1000;
    double *x = malloc(2 * n * sizeof *x), *y = malloc(2 * n * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 7, GR_STREAM_TEST, NULL), NULL);
    draw_rounded(r, n, 2, 0.0, 0.25, x);
    draw_rounded(r, n, 2, 0.3, 0.25, y);
    gr_knn_result a, b;
    gr_error err;
    CHECK_OK(gr_knn_js(x, n, y, n, 2, 5, &a, &err), &err);
    CHECK_OK(gr_knn_js(x, n, y, n, 2, 5, &b, &err), &err);
    CHECK(a.ties == GR_KNN_TIES_GRID && a.raw == b.raw);
    CHECK_OK(gr_knn_kl(x, n, y, n, 2, 5, &a, &err), &err);
    CHECK_OK(gr_knn_kl(x, n, y, n, 2, 5, &b, &err), &err);
    CHECK(a.raw == b.raw);
    CHECK(!strcmp(gr_knn_ties_name(GR_KNN_TIES_GRID), "grid-jitter"));
    CHECK(!strcmp(gr_knn_ties_name(GR_KNN_TIES_ATOMS), "atoms"));
    CHECK(!strcmp(gr_knn_ties_name(GR_KNN_TIES_NONE), "none"));
    free(x);
    free(y);
    gsl_rng_free(r);
}

static void test_errors(void) {
    double x[8] = {0.1, 0.4, 0.9, 1.7, 2.2, 2.6, 3.3, 4.0};
    double y[8] = {0.3, 0.8, 1.1, 1.4, 2.0, 2.9, 3.1, 3.8};
    gr_knn_result res;
    gr_error err;
    CHECK_STATUS(gr_knn_kl(NULL, 8, y, 8, 1, 1, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_knn_kl(x, 8, y, 8, 1, 1, NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_knn_kl(x, 8, y, 8, 0, 1, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "dimension");
    CHECK_STATUS(gr_knn_kl(x, 8, y, 8, 1, 0, &res, &err), GR_EINVAL);
    CHECK_STATUS(gr_knn_kl(x, 3, y, 8, 1, 3, &res, &err), GR_EINVAL); /* n <= k */
    CHECK_STR_CONTAINS(err.msg, "n > k");
    CHECK_STATUS(gr_knn_kl(x, 8, y, 2, 1, 3, &res, &err), GR_EINVAL); /* m < k */
    CHECK_STATUS(gr_knn_js(x, 8, y, 3, 1, 3, &res, &err), GR_EINVAL); /* m <= k for JS */
    CHECK_STATUS(gr_knn_js(x, 8, y, 8, 1, 1, &res, NULL), GR_OK);     /* err may be NULL */
    x[5] = NAN;
    CHECK_STATUS(gr_knn_kl(x, 8, y, 8, 1, 1, &res, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "point 5");
    x[5] = 2.6;
    y[2] = INFINITY;
    CHECK_STATUS(gr_knn_js(x, 8, y, 8, 1, 1, &res, &err), GR_EDOM);
    y[2] = 1.1;
    /* a sample of identical points is a point mass. Here y is on a 0.1 grid with c, so the
     * grid treatment applies and the estimates are finite; against an off-grid y the point
     * mass is an atom the other law lacks: KL = +inf both ways, JS = log 2 */
    double c[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    CHECK_STATUS(gr_knn_kl(c, 8, y, 8, 1, 1, &res, &err), GR_OK);
    CHECK(res.ties == GR_KNN_TIES_GRID);
    double yo[8];
    for (size_t i = 0; i < 8; i++)
        yo[i] = y[i] * M_PI;
    CHECK_STATUS(gr_knn_kl(c, 8, yo, 8, 1, 1, &res, &err), GR_EINF);
    CHECK_STATUS(gr_knn_kl(yo, 8, c, 8, 1, 1, &res, &err), GR_EINF);
    CHECK_STATUS(gr_knn_js(c, 8, yo, 8, 1, 1, &res, &err), GR_OK);
    CHECK(res.value == M_LN2 && res.ties == GR_KNN_TIES_ATOMS);
    CHECK_STATUS(gr_knn_js(c, 8, c, 8, 1, 1, &res, &err), GR_OK); /* one atom: JS = 0 */
    CHECK(res.value < 0.5);
}

/* ---- the weights reading (GR_KNN_REPEATS_WEIGHTS) ----------------------------------------
 * A value repeated within a sample is one draw written several times: each sample is reduced
 * to its distinct rows u_i with multiplicities w_i, the kNN terms are those of the distinct
 * rows (n', m' the sample sizes) and they are averaged with weights w_i / n. */

/* Expand distinct rows u (nu x d) with multiplicities w into x: row i written w[i] times in
 * a row, so the first-occurrence order is that of u. Returns the number of rows. */
static size_t expand_rows(const double *u, const size_t *w, size_t nu, size_t d, double *x) {
    size_t c = 0;
    for (size_t i = 0; i < nu; i++)
        for (size_t t = 0; t < w[i]; t++)
            memcpy(x + (c++) * d, u + i * d, d * sizeof *x);
    return c;
}

/* Independent weighted references, brute-force neighbours on the distinct rows:
 *   KL = sum_i w_i [d/2 log(nu2_i / rho2_i) + log(nv / (nu - 1))] / sum_i w_i
 *   JS = ½ sum_i w_i t_i / sum w + ½ sum_j v_j s_j / sum v, the mixture sample Z = all of
 *        v plus the rows floor(j nu / nv) of u (nu >= nv), as in the plain estimator. */
static double brute_kl_weighted(const double *u, const size_t *wu, size_t nu, const double *v,
                                size_t nv, size_t d, size_t k, double *tmp) {
    double s = 0.0, W = 0.0;
    for (size_t i = 0; i < nu; i++) {
        double r2 = brute_kth(u, nu, d, u + i * d, i, k, tmp);
        double v2 = brute_kth(v, nv, d, u + i * d, (size_t)-1, k, tmp);
        s += (double)wu[i] *
             (0.5 * (double)d * (log(v2) - log(r2)) + log((double)nv / (double)(nu - 1)));
        W += (double)wu[i];
    }
    return s / W;
}

static double brute_js_weighted(const double *u, const size_t *wu, size_t nu, const double *v,
                                const size_t *wv, size_t nv, size_t d, size_t k, double *tmp) {
    size_t nz = 2 * nv;
    double *z = malloc(nz * d * sizeof *z);
    size_t *zof = malloc(nu * sizeof *zof);
    for (size_t i = 0; i < nu; i++)
        zof[i] = (size_t)-1;
    for (size_t j = 0; j < nv; j++) {
        memcpy(z + j * d, u + (j * nu / nv) * d, d * sizeof *z);
        zof[j * nu / nv] = j;
    }
    memcpy(z + nv * d, v, nv * d * sizeof *z);
    double sx = 0.0, sy = 0.0, W = 0.0, V = 0.0;
    for (size_t i = 0; i < nu; i++) {
        int in = zof[i] != (size_t)-1;
        sx += (double)wu[i] * (0.5 * (double)d *
                                   (log(brute_kth(z, nz, d, u + i * d, zof[i], k, tmp)) -
                                    log(brute_kth(u, nu, d, u + i * d, i, k, tmp))) +
                               log((double)(nz - (size_t)in) / (double)(nu - 1)));
        W += (double)wu[i];
    }
    for (size_t j = 0; j < nv; j++) {
        sy += (double)wv[j] * (0.5 * (double)d *
                                   (log(brute_kth(z, nz, d, v + j * d, nv + j, k, tmp)) -
                                    log(brute_kth(v, nv, d, v + j * d, j, k, tmp))) +
                               log((double)(nz - 1) / (double)(nv - 1)));
        V += (double)wv[j];
    }
    free(z);
    free(zof);
    return 0.5 * sx / W + 0.5 * sy / V;
}

/* Unequal multiplicities (1 to 4, drawn at random) on both samples, 2-D, n' = 300 distinct
 * rows against m' = 241: the value received equals the weighted formula computed here with
 * brute-force neighbours. */
static void test_weights_brute_force(void) {
    const size_t nu = 300, nv = 241, d = 2, k = 3;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 2386, GR_STREAM_TEST, NULL), NULL);
    double *u = malloc(nu * d * sizeof *u), *v = malloc(nv * d * sizeof *v);
    size_t *wu = malloc(nu * sizeof *wu), *wv = malloc(nv * sizeof *wv);
    double *x = malloc(4 * nu * d * sizeof *x), *y = malloc(4 * nv * d * sizeof *y),
           *tmp = malloc(4 * (nu + nv) * sizeof *tmp);
    for (size_t i = 0; i < nu * d; i++)
        u[i] = gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < nv * d; i++)
        v[i] = 0.4 + gsl_ran_gaussian(r, 1.2);
    for (size_t i = 0; i < nu; i++)
        wu[i] = 1 + gsl_rng_uniform_int(r, 4);
    for (size_t i = 0; i < nv; i++)
        wv[i] = 1 + gsl_rng_uniform_int(r, 4);
    size_t n = expand_rows(u, wu, nu, d, x), m = expand_rows(v, wv, nv, d, y);
    gr_knn_options o = {k, GR_KNN_REPEATS_WEIGHTS};
    gr_knn_result res;
    gr_error err;
    CHECK_OK(gr_knn_kl_opt(x, n, y, m, d, &o, &res, &err), &err);
    CHECK_CLOSE(res.value, brute_kl_weighted(u, wu, nu, v, nv, d, k, tmp), 1e-12, 0.0);
    CHECK(res.ties == GR_KNN_TIES_WEIGHTS && res.repeats == GR_KNN_REPEATS_WEIGHTS);
    CHECK(res.n == n && res.m == m && res.n_distinct == nu && res.m_distinct == nv);
    CHECK(res.n_atoms == 0);
    size_t tied = 0;
    for (size_t i = 0; i < nu; i++)
        tied += wu[i] > 1 ? wu[i] : 0;
    CHECK(res.n_tied == tied);
    CHECK_OK(gr_knn_js_opt(x, n, y, m, d, &o, &res, &err), &err);
    CHECK_CLOSE(res.raw, brute_js_weighted(u, wu, nu, v, wv, nv, d, k, tmp), 1e-12, 0.0);
    CHECK(res.n_mix == 2 * nv);
    free(u);
    free(v);
    free(wu);
    free(wv);
    free(x);
    free(y);
    free(tmp);
    gsl_rng_free(r);
}

/* Issue 8.4's duplicated sample: x = 1000 i.i.d. N(0, I_d) points, every one written twice,
 * y = 2000 independent N(0, I_d) points; KL = JS = 0 when the repeats are weights. 30 seeds
 * of this code (mean / sd; JS: of raw):
 *   d = 1, k = 1: KL -0.003 / 0.053, JS -0.002 / 0.018;  k = 5: KL 0.003 / 0.023, JS 0.001 / 0.011
 *   d = 2, k = 1: KL  0.014 / 0.073, JS  0.002 / 0.023;  k = 5: KL 0.013 / 0.024, JS 0.005 / 0.009
 * Bounds = |mean| + 4 sd, rounded up: |KL| <= 0.22, 0.10 (d = 1), 0.31, 0.11 (d = 2);
 * JS <= 0.08 (k = 1), 0.05 (k = 5). Under the weights reading the estimate is, bit for bit,
 * the plain estimator on the 1000 distinct points (also with 3 copies of each, where the
 * weights are not a power of two). The default reading (atoms) gives JS = log 2 and
 * KL = +inf, as test_atoms checks. */
static void test_weights_duplicated(void) {
    const size_t n0 = 1000, m = 2000;
    const double klb[2][2] = {{0.22, 0.10}, {0.31, 0.11}}, jsb[2] = {0.08, 0.05};
    double *z = malloc(2 * n0 * sizeof *z), *x = malloc(3 * 2 * n0 * sizeof *x),
           *y = malloc(2 * m * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 8408, GR_STREAM_TEST, NULL), NULL);
    gr_error err;
    for (size_t d = 1; d <= 2; d++)
        for (size_t seed = 0; seed < 4; seed++) {
            for (size_t i = 0; i < n0 * d; i++)
                z[i] = gsl_ran_gaussian(r, 1.0);
            for (size_t i = 0; i < m * d; i++)
                y[i] = gsl_ran_gaussian(r, 1.0);
            for (size_t i = 0; i < n0; i++) /* z0 z0 z1 z1 ...: each draw twice */
                for (size_t t = 0; t < 2; t++)
                    memcpy(x + (2 * i + t) * d, z + i * d, d * sizeof *x);
            for (size_t ki = 0; ki < 2; ki++) {
                size_t k = ki ? 5 : 1;
                gr_knn_options o = {k, GR_KNN_REPEATS_WEIGHTS};
                gr_knn_result w, p;
                CHECK_OK(gr_knn_kl_opt(x, 2 * n0, y, m, d, &o, &w, &err), &err);
                CHECK(fabs(w.value) <= klb[d - 1][ki]);
                CHECK(w.ties == GR_KNN_TIES_WEIGHTS && w.n_distinct == n0 && w.m_distinct == m);
                CHECK(w.n_tied == 2 * n0 && w.m_tied == 0 && w.n_atoms == 0);
                CHECK_OK(gr_knn_kl(z, n0, y, m, d, k, &p, &err), &err);
                CHECK(w.value == p.value);
                CHECK_OK(gr_knn_js_opt(x, 2 * n0, y, m, d, &o, &w, &err), &err);
                CHECK(w.value >= 0.0 && w.value <= jsb[ki]);
                CHECK_OK(gr_knn_js(z, n0, y, m, d, k, &p, &err), &err);
                CHECK(w.raw == p.raw && w.value == p.value && w.n_mix == p.n_mix);
                /* the default reading on the same data: atoms, which y lacks */
                CHECK_OK(gr_knn_js(x, 2 * n0, y, m, d, k, &p, &err), &err);
                CHECK(p.value == M_LN2 && p.ties == GR_KNN_TIES_ATOMS);
                CHECK(p.repeats == GR_KNN_REPEATS_AUTO && p.n_distinct == 2 * n0);
                CHECK_STATUS(gr_knn_kl(x, 2 * n0, y, m, d, k, &p, &err), GR_EINF);
                o.repeats = GR_KNN_REPEATS_ATOMS;
                CHECK_STATUS(gr_knn_kl_opt(x, 2 * n0, y, m, d, &o, &p, &err), GR_EINF);
            }
            /* three copies of each draw, in three blocks z z z: weights 3, not a power of
             * two, still the plain estimator on z bit for bit */
            for (size_t t = 0; t < 3; t++)
                memcpy(x + t * n0 * d, z, n0 * d * sizeof *x);
            gr_knn_options o = {5, GR_KNN_REPEATS_WEIGHTS};
            gr_knn_result w, p;
            CHECK_OK(gr_knn_kl_opt(x, 3 * n0, y, m, d, &o, &w, &err), &err);
            CHECK_OK(gr_knn_kl(z, n0, y, m, d, 5, &p, &err), &err);
            CHECK(w.value == p.value && w.n == 3 * n0 && w.n_distinct == n0);
            CHECK_OK(gr_knn_js_opt(x, 3 * n0, y, m, d, &o, &w, &err), &err);
            CHECK_OK(gr_knn_js(z, n0, y, m, d, 5, &p, &err), &err);
            CHECK(w.raw == p.raw);
            /* the roles swapped: the duplicated sample second */
            CHECK_OK(gr_knn_js_opt(y, m, x, 3 * n0, d, &o, &w, &err), &err);
            CHECK_OK(gr_knn_js(y, m, z, n0, d, 5, &p, &err), &err);
            CHECK(w.raw == p.raw);
            CHECK_OK(gr_knn_kl_opt(y, m, x, 3 * n0, d, &o, &w, &err), &err);
            CHECK_OK(gr_knn_kl(y, m, z, n0, d, 5, &p, &err), &err);
            CHECK(w.value == p.value);
        }
    free(z);
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* Without repeated points every reading is the plain estimator, bit for bit (n != m, 3-D). */
static void test_weights_no_repeats(void) {
    const size_t n = 700, m = 450, d = 3;
    double *x = malloc(n * d * sizeof *x), *y = malloc(m * d * sizeof *y);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 8409, GR_STREAM_TEST, NULL), NULL);
    for (size_t i = 0; i < n * d; i++)
        x[i] = gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < m * d; i++)
        y[i] = 0.3 + gsl_ran_gaussian(r, 1.0);
    gr_error err;
    for (int rep = 0; rep < 3; rep++) {
        gr_knn_options o = {4, (gr_knn_repeats)rep};
        gr_knn_result a, b;
        CHECK_OK(gr_knn_kl_opt(x, n, y, m, d, &o, &a, &err), &err);
        CHECK_OK(gr_knn_kl(x, n, y, m, d, 4, &b, &err), &err);
        CHECK(a.value == b.value && a.ties == GR_KNN_TIES_NONE && a.repeats == o.repeats);
        CHECK(a.n_distinct == n && a.m_distinct == m);
        CHECK_OK(gr_knn_js_opt(y, m, x, n, d, &o, &a, &err), &err);
        CHECK_OK(gr_knn_js(y, m, x, n, d, 4, &b, &err), &err);
        CHECK(a.raw == b.raw && a.value == b.value && a.ties == GR_KNN_TIES_NONE);
    }
    gr_knn_result a;
    CHECK_OK(gr_knn_js_opt(x, n, y, m, d, NULL, &a, &err), &err); /* NULL: k = 5, auto */
    CHECK(a.k == 5 && a.repeats == GR_KNN_REPEATS_AUTO);
    free(x);
    free(y);
    gsl_rng_free(r);
}

/* Values found in both samples under the weights reading: counted as atoms (an independent
 * draw cannot repeat a draw of the other sample), masses with multiplicity.
 *  - the same file twice, and the duplicated sample against its distinct points: every value
 *    is an atom of equal mass in both: JS = KL = 0 exactly;
 *  - two minibatches of 2000 drawn with replacement from one pool of 10^5 N(0, I_2) points
 *    (the 25-Gaussians setting; ~20 repeats within each, ~40 values in both): 20 seeds of this
 *    code at k = 5, mean / sd: KL 0.008 / 0.015, JS (raw) 0.005 / 0.011; bounds |KL| <= 0.07,
 *    JS <= 0.05 (mean + 4 sd). The atoms reading gives KL = +inf there (a draw repeated in
 *    one minibatch is an atom the other lacks). */
static void test_weights_cross_ties(void) {
    const size_t n0 = 500, d = 2, P = 100000, nb = 2000;
    double *z = malloc(n0 * d * sizeof *z), *x = malloc(2 * n0 * d * sizeof *x);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 8410, GR_STREAM_TEST, NULL), NULL);
    for (size_t i = 0; i < n0 * d; i++)
        z[i] = gsl_ran_gaussian(r, 1.0);
    memcpy(x, z, n0 * d * sizeof *x);
    memcpy(x + n0 * d, z, n0 * d * sizeof *x);
    gr_knn_options o = {5, GR_KNN_REPEATS_WEIGHTS};
    gr_knn_result res;
    gr_error err;
    CHECK_OK(gr_knn_js_opt(x, 2 * n0, x, 2 * n0, d, &o, &res, &err), &err);
    CHECK(res.value == 0.0 && res.raw == 0.0 && res.n_atoms == n0);
    CHECK(res.ties == GR_KNN_TIES_WEIGHTS && res.n_tied == 2 * n0 && res.m_tied == 2 * n0);
    CHECK_OK(gr_knn_kl_opt(x, 2 * n0, x, 2 * n0, d, &o, &res, &err), &err);
    CHECK(res.value == 0.0);
    CHECK_OK(gr_knn_kl_opt(x, 2 * n0, z, n0, d, &o, &res, &err), &err);
    CHECK(res.value == 0.0 && res.n_atoms == n0);
    CHECK_OK(gr_knn_js_opt(z, n0, x, 2 * n0, d, &o, &res, &err), &err);
    CHECK(res.value == 0.0);

    double *pool = malloc(P * d * sizeof *pool), *a = malloc(nb * d * sizeof *a),
           *b = malloc(nb * d * sizeof *b);
    for (size_t seed = 0; seed < 3; seed++) {
        for (size_t i = 0; i < P * d; i++)
            pool[i] = gsl_ran_gaussian(r, 1.0);
        for (size_t i = 0; i < nb; i++) {
            memcpy(a + i * d, pool + gsl_rng_uniform_int(r, P) * d, d * sizeof *a);
            memcpy(b + i * d, pool + gsl_rng_uniform_int(r, P) * d, d * sizeof *b);
        }
        CHECK_OK(gr_knn_kl_opt(a, nb, b, nb, d, &o, &res, &err), &err);
        CHECK(fabs(res.value) <= 0.07);
        CHECK(res.n_distinct < nb && res.n_distinct > nb - 60);
        CHECK_OK(gr_knn_js_opt(a, nb, b, nb, d, &o, &res, &err), &err);
        CHECK(res.value <= 0.05);
        gr_knn_options at = {5, GR_KNN_REPEATS_ATOMS};
        CHECK_STATUS(gr_knn_kl_opt(a, nb, b, nb, d, &at, &res, &err), GR_EINF);
    }
    free(pool);
    free(a);
    free(b);
    free(z);
    free(x);
    gsl_rng_free(r);
}

/* The atoms reading on a grid counts instead of jittering: with every value of {0, 1, 2, 3}
 * occurring in both samples (counts below), there is no density part and JS, KL are the
 * plug-in sums over the counts, computed here. AUTO jitters the same data. */
static void test_atoms_on_grid(void) {
    const size_t cxn[4] = {40, 25, 20, 15}, cyn[4] = {10, 30, 30, 30};
    double x[100], y[100];
    size_t nx = 0, ny = 0;
    for (size_t a = 0; a < 4; a++) {
        for (size_t t = 0; t < cxn[a]; t++)
            x[nx++] = (double)a;
        for (size_t t = 0; t < cyn[a]; t++)
            y[ny++] = (double)a;
    }
    double js = 0.0, kl = 0.0;
    for (size_t a = 0; a < 4; a++) {
        double p = (double)cxn[a] / 100.0, q = (double)cyn[a] / 100.0, mm = 0.5 * (p + q);
        js += 0.5 * p * log(p / mm) + 0.5 * q * log(q / mm);
        kl += p * log(p / q);
    }
    gr_knn_options o = {3, GR_KNN_REPEATS_ATOMS};
    gr_knn_result res;
    gr_error err;
    CHECK_OK(gr_knn_js_opt(x, 100, y, 100, 1, &o, &res, &err), &err);
    CHECK_CLOSE(res.value, js, 1e-12, 0.0);
    CHECK(res.ties == GR_KNN_TIES_ATOMS && res.n_atoms == 4);
    CHECK_CLOSE(res.atom_bias, 3.0 / 400.0, 1e-15, 0.0);
    CHECK_OK(gr_knn_kl_opt(x, 100, y, 100, 1, &o, &res, &err), &err);
    CHECK_CLOSE(res.value, kl, 1e-12, 0.0);
    o.repeats = GR_KNN_REPEATS_AUTO;
    CHECK_OK(gr_knn_js_opt(x, 100, y, 100, 1, &o, &res, &err), &err);
    CHECK(res.ties == GR_KNN_TIES_GRID);
    /* weights on the same data: all repeats merged, the 4 values in both samples counted
     * with their multiplicities: the same plug-in sums */
    o.repeats = GR_KNN_REPEATS_WEIGHTS;
    CHECK_OK(gr_knn_js_opt(x, 100, y, 100, 1, &o, &res, &err), &err);
    CHECK_CLOSE(res.value, js, 1e-12, 0.0);
    CHECK(res.ties == GR_KNN_TIES_WEIGHTS && res.n_distinct == 4 && res.n_atoms == 4);
    CHECK_OK(gr_knn_kl_opt(x, 100, y, 100, 1, &o, &res, &err), &err);
    CHECK_CLOSE(res.value, kl, 1e-12, 0.0);
}

static void test_options_errors(void) {
    double x[8] = {0.1, 0.4, 0.9, 1.7, 2.2, 2.6, 3.3, 4.0};
    double y[8] = {0.3, 0.8, 1.1, 1.4, 2.0, 2.9, 3.1, 3.8};
    double xd[8] = {0.1, 0.1, 0.4, 0.4, 0.9, 0.9, 1.7, 1.7}; /* 4 distinct */
    gr_knn_result res;
    gr_error err;
    gr_knn_options o = {1, (gr_knn_repeats)7};
    CHECK_STATUS(gr_knn_kl_opt(x, 8, y, 8, 1, &o, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "repeats");
    CHECK_STATUS(gr_knn_js_opt(x, 8, y, 8, 1, &o, &res, NULL), GR_EINVAL);
    o.repeats = GR_KNN_REPEATS_WEIGHTS;
    o.k = 0;
    CHECK_STATUS(gr_knn_js_opt(x, 8, y, 8, 1, &o, &res, &err), GR_EINVAL);
    /* k counts against distinct points under weights: 8 rows, 4 distinct */
    o.k = 4;
    CHECK_STATUS(gr_knn_kl_opt(xd, 8, y, 8, 1, &o, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "4 distinct points");
    CHECK_STATUS(gr_knn_js_opt(y, 8, xd, 8, 1, &o, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "second sample has 4 distinct");
    o.k = 3;
    CHECK_OK(gr_knn_kl_opt(xd, 8, y, 8, 1, &o, &res, &err), &err);
    CHECK(!strcmp(gr_knn_ties_name(GR_KNN_TIES_WEIGHTS), "weights"));
    CHECK(!strcmp(gr_knn_repeats_name(GR_KNN_REPEATS_AUTO), "auto"));
    CHECK(!strcmp(gr_knn_repeats_name(GR_KNN_REPEATS_ATOMS), "atoms"));
    CHECK(!strcmp(gr_knn_repeats_name(GR_KNN_REPEATS_WEIGHTS), "weights"));
}

/* ---- workspaces (gr_knn_workspace) -----------------------------------------------------
 * An estimate in a workspace must give exactly (bit for bit) the result of the one-shot
 * call on the same input, whatever the workspace computed before: calls of different n, m,
 * d, k, readings and tie patterns, larger and smaller, failing and succeeding, alternate on
 * one workspace. The one-shot path is the pre-workspace code's (a bit-identity harness run
 * on 1014 cases before and after the change showed the same bits). */

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static int same_result(const gr_knn_result *a, const gr_knn_result *b) {
    return same_bits(a->value, b->value) && same_bits(a->raw, b->raw) && a->n == b->n &&
           a->m == b->m && a->d == b->d && a->k == b->k && a->n_mix == b->n_mix &&
           a->repeats == b->repeats && a->ties == b->ties && a->n_distinct == b->n_distinct &&
           a->m_distinct == b->m_distinct && a->n_tied == b->n_tied && a->m_tied == b->m_tied &&
           a->n_atoms == b->n_atoms && same_bits(a->atom_bias, b->atom_bias) &&
           same_bits(a->grid_min, b->grid_min) && same_bits(a->grid_max, b->grid_max);
}

/* Sample of one of five kinds: 0 continuous, 1 rounded to a 0.25 grid, 2 atoms off any grid
 * (every third row equal, a few rows shared with the other sample), 3 bootstrap-like (second
 * half repeats the first), 4 ReLU-clipped (an atom at 0 on a continuous part). */
static void ws_sample(gsl_rng *r, int kind, size_t n, size_t d, double mu, const double *share,
                      double *x) {
    for (size_t i = 0; i < n * d; i++)
        x[i] = mu + gsl_ran_gaussian(r, 1.0);
    if (kind == 1)
        for (size_t i = 0; i < n * d; i++)
            x[i] = 0.25 * nearbyint(x[i] / 0.25);
    if (kind == 2) {
        for (size_t i = 3; i < n; i += 3)
            memcpy(x + i * d, x, d * sizeof *x);
        for (size_t i = 1; i < n; i += 5)
            memcpy(x + i * d, share, d * sizeof *x);
    }
    if (kind == 3)
        for (size_t i = n / 2; i < n; i++)
            memcpy(x + i * d, x + (i - n / 2) * d, d * sizeof *x);
    if (kind == 4)
        for (size_t i = 0; i < n * d; i++)
            x[i] = x[i] < 0.0 ? 0.0 : x[i];
}

static void test_workspace_matches_one_shot(void) {
    const size_t n_max = 400, m_max = 300, d_max = 4;
    gr_knn_workspace *w = NULL;
    gr_error err;
    CHECK_OK(gr_knn_workspace_alloc(&w, n_max, m_max, d_max, &err), &err);
    if (!w) return;
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 4417, GR_STREAM_TEST, &err), &err);
    double *x = malloc(n_max * d_max * sizeof *x), *y = malloc(m_max * d_max * sizeof *y);
    const size_t sizes[][3] = {{400, 300, 4}, {37, 52, 1}, {250, 300, 2}, {12, 9, 3},
                               {400, 113, 1}, {90, 90, 4}, {300, 300, 2}, {8, 8, 1}};
    const gr_knn_repeats reps[3] = {GR_KNN_REPEATS_AUTO, GR_KNN_REPEATS_ATOMS,
                                    GR_KNN_REPEATS_WEIGHTS};
    size_t calls = 0, oks = 0, same = 0, ties_seen[4] = {0, 0, 0, 0};
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        size_t n = sizes[c][0], m = sizes[c][1], d = sizes[c][2];
        for (int kind = 0; kind < 5; kind++) {
            double share[4] = {0.3125, -1.0625, 0.5, 2.0};
            ws_sample(r, kind, n, d, 0.0, share, x);
            ws_sample(r, kind, m, d, 0.6, share, y);
            for (size_t k = 1; k <= 5; k += 4)
                for (int ri = 0; ri < 3; ri++) {
                    gr_knn_options o = {k, reps[ri]};
                    for (int est = 0; est < 2; est++) {
                        gr_knn_result a, b;
                        memset(&a, 0xa5, sizeof a);
                        memset(&b, 0x5a, sizeof b);
                        int sa = est ? gr_knn_js_opt(x, n, y, m, d, &o, &a, &err)
                                     : gr_knn_kl_opt(x, n, y, m, d, &o, &a, &err);
                        int sb = est ? gr_knn_js_ws(w, x, n, y, m, d, &o, &b, &err)
                                     : gr_knn_kl_ws(w, x, n, y, m, d, &o, &b, &err);
                        calls++;
                        if (sa == GR_OK) {
                            oks++;
                            ties_seen[a.ties]++;
                        }
                        if (sa == sb && (sa != GR_OK || same_result(&a, &b)))
                            same++;
                        else
                            fprintf(stderr,
                                    "  case n=%zu m=%zu d=%zu kind=%d k=%zu %s %s: "
                                    "one-shot %d %.17g, workspace %d %.17g\n",
                                    n, m, d, kind, k, gr_knn_repeats_name(o.repeats),
                                    est ? "JS" : "KL", sa, a.value, sb, b.value);
                    }
                }
        }
    }
    CHECK(same == calls);
    /* the cases reach every treatment, and most succeed (the rest are GR_EINF and
     * too-few-points statuses, which must agree too) */
    CHECK(ties_seen[GR_KNN_TIES_NONE] > 0 && ties_seen[GR_KNN_TIES_GRID] > 0 &&
          ties_seen[GR_KNN_TIES_ATOMS] > 0 && ties_seen[GR_KNN_TIES_WEIGHTS] > 0);
    CHECK(oks > calls / 2 && oks < calls);
    free(x);
    free(y);
    gsl_rng_free(r);
    gr_knn_workspace_free(w);
}

static void test_workspace_errors(void) {
    double x[8] = {0.1, 0.4, 0.9, 1.7, 2.2, 2.6, 3.3, 4.0};
    double y[8] = {0.3, 0.8, 1.1, 1.4, 2.0, 2.9, 3.1, 3.8};
    gr_knn_workspace *w = (gr_knn_workspace *)x; /* must be reset to NULL on failure */
    gr_error err;
    CHECK_STATUS(gr_knn_workspace_alloc(&w, 0, 8, 1, &err), GR_EINVAL);
    CHECK(w == NULL);
    CHECK_STR_CONTAINS(err.msg, "positive");
    w = (gr_knn_workspace *)x;
    CHECK_STATUS(gr_knn_workspace_alloc(&w, SIZE_MAX / 2, SIZE_MAX / 2, 3, &err), GR_EINVAL);
    CHECK(w == NULL);
    CHECK_STR_CONTAINS(err.msg, "too large");
    CHECK_STATUS(gr_knn_workspace_alloc(NULL, 8, 8, 1, &err), GR_EINVAL);
    gr_knn_workspace_free(NULL); /* a no-op */

    CHECK_OK(gr_knn_workspace_alloc(&w, 6, 7, 1, &err), &err);
    gr_knn_result res;
    gr_knn_options o = {1, GR_KNN_REPEATS_AUTO};
    /* larger than the workspace: refused with the sizes, never grown into */
    CHECK_STATUS(gr_knn_js_ws(w, x, 8, y, 7, 1, &o, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "n = 8");
    CHECK_STR_CONTAINS(err.msg, "n_max = 6");
    CHECK_STATUS(gr_knn_kl_ws(w, x, 6, y, 8, 1, &o, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "m_max = 7");
    CHECK_STATUS(gr_knn_kl_ws(w, x, 4, y, 4, 2, &o, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "d_max = 1");
    CHECK_STATUS(gr_knn_kl_ws(NULL, x, 6, y, 7, 1, &o, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "workspace");
    /* the input checks come first, as in the one-shot calls */
    CHECK_STATUS(gr_knn_js_ws(w, x, 6, y, 1, 1, &o, &res, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "m >= 2");
    /* after refusals the workspace still works, and gives the one-shot value */
    gr_knn_result one;
    CHECK_OK(gr_knn_js_ws(w, x, 6, y, 7, 1, NULL, &res, &err), &err);
    CHECK_OK(gr_knn_js_opt(x, 6, y, 7, 1, NULL, &one, &err), &err);
    CHECK(same_result(&res, &one));
    gr_knn_workspace_free(w);
}

int main(void) {
    gr_core_init();
    RUN(test_kl_matches_brute_force);
    RUN(test_kl_o1_pair);
    RUN(test_js_o3);
    RUN(test_rounded_same_law);
    RUN(test_rounded_closed_form);
    RUN(test_atoms);
    RUN(test_unequal_sizes);
    RUN(test_scaling);
    RUN(test_deterministic);
    RUN(test_errors);
    RUN(test_weights_brute_force);
    RUN(test_weights_duplicated);
    RUN(test_weights_no_repeats);
    RUN(test_weights_cross_ties);
    RUN(test_atoms_on_grid);
    RUN(test_options_errors);
    RUN(test_workspace_matches_one_shot);
    RUN(test_workspace_errors);
    return TEST_MAIN_END();
}
