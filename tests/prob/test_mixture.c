/* tests/prob/test_mixture.c — Gaussian mixtures (prob/mixture.h): constructor checks, the
 * log-density against the formula, samples against the exact moments, the 1-D CDF against GSL
 * quadrature of exp(logpdf) and Phi, quantile round trips, and the CDF and quantile plugged
 * into distance/oned.h (W1 between two Gaussians: |mu1 - mu2| for equal SDs, CLAIMS O6
 * otherwise, through distance/gauss.h).
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <stdlib.h>

#include "core/rng.h"
#include "distance/gauss.h"
#include "distance/oned.h"
#include "moments.h"
#include "prob/mixture.h"
#include "test.h"

static gr_mixture *mix1(size_t k, const double *w, const double *mu, const double *sd) {
    gr_mixture *m = NULL;
    gr_error err;
    CHECK_OK(gr_mixture_alloc(&m, 1, k, w, mu, sd, 1, &err), &err);
    return m;
}

/* the 1-D mixture used below (weights normalised by the constructor: 0.2, 0.5, 0.3) */
static const double W3[3] = {0.4, 1.0, 0.6}, MU3[3] = {-1.7, 0.4, 2.385}, SD3[3] = {0.3, 0.8, 0.5};

/* moved from tests/distance/test_divergence.c (test_errors) */
static void test_constructors(void) {
    double w = 1.0, m0 = 0.0, s0 = 1.0;
    gr_mixture *P = mix1(1, &w, &m0, &s0);
    gr_error err;
    gr_mixture *M = NULL;
    double bad = -1.0, zero = 0.0, nan = NAN;
    CHECK_STATUS(gr_mixture_alloc(&M, 1, 1, NULL, &m0, &s0, 1, &err), GR_EINVAL);
    CHECK_STATUS(gr_mixture_alloc(&M, 0, 1, &w, &m0, &s0, 1, &err), GR_EINVAL);
    CHECK_STATUS(gr_mixture_alloc(&M, 1, 0, &w, &m0, &s0, 1, &err), GR_EINVAL);
    CHECK_STATUS(gr_mixture_alloc(&M, 1, 1, &bad, &m0, &s0, 1, &err), GR_EDOM);
    CHECK_STATUS(gr_mixture_alloc(&M, 1, 1, &zero, &m0, &s0, 1, &err), GR_EDOM);
    CHECK_STATUS(gr_mixture_alloc(&M, 1, 1, &w, &nan, &s0, 1, &err), GR_EDOM);
    CHECK_STATUS(gr_mixture_alloc(&M, 1, 1, &w, &m0, &zero, 1, &err), GR_EDOM);
    CHECK(M == NULL);
    double xn = NAN, lp;
    CHECK_STATUS(gr_mixture_logpdf(P, &xn, &lp), GR_EDOM);
    gr_mixture_free(NULL);
    /* out first: a NULL out is refused, and *out is NULL after any failure */
    CHECK_STATUS(gr_mixture_alloc(NULL, 1, 1, &w, &m0, &s0, 1, &err), GR_EINVAL);
    M = P;
    CHECK_STATUS(gr_mixture_alloc(&M, 1, 1, &w, &m0, &zero, 1, &err), GR_EDOM);
    CHECK(M == NULL);
    CHECK_STR_CONTAINS(err.msg, "sd[0]");
    gr_mixture_free(P);
}

/* log p(x) against the sum of gsl_ran_gaussian_pdf terms, 1-D and 2-D (per-coordinate SDs) */
static void test_logpdf(void) {
    gr_mixture *m = mix1(3, W3, MU3, SD3);
    const double xs[4] = {-2.385, 0.0, 0.77, 3.1};
    for (size_t i = 0; i < 4; i++) {
        double p = 0.0, lp;
        for (size_t c = 0; c < 3; c++)
            p += W3[c] / 2.0 * gsl_ran_gaussian_pdf(xs[i] - MU3[c], SD3[c]);
        CHECK_OK(gr_mixture_logpdf(m, &xs[i], &lp), NULL);
        CHECK_CLOSE(lp, log(p), 1e-14, 1e-15);
    }
    gr_mixture_free(m);
    const double w[2] = {1.0, 3.0}, mu[4] = {0.5, -1.0, 2.0, 0.25}, sd[4] = {0.7, 1.3, 0.4, 0.9};
    gr_mixture *m2 = NULL;
    gr_error err;
    CHECK_OK(gr_mixture_alloc(&m2, 2, 2, w, mu, sd, 0, &err), &err);
    const double x[2] = {1.1, -0.3};
    double p =
        0.25 * gsl_ran_gaussian_pdf(x[0] - 0.5, 0.7) * gsl_ran_gaussian_pdf(x[1] + 1.0, 1.3) +
        0.75 * gsl_ran_gaussian_pdf(x[0] - 2.0, 0.4) * gsl_ran_gaussian_pdf(x[1] - 0.25, 0.9);
    double lp;
    CHECK_OK(gr_mixture_logpdf(m2, x, &lp), NULL);
    CHECK_CLOSE(lp, log(p), 1e-14, 0.0);
    gr_mixture_free(m2);
}

/* sample mean and variance against the mixture's exact moments:
 *   mean = sum w mu, var = sum w (sd^2 + mu^2) - mean^2,
 *   m4 = sum w (a^4 + 6 a^2 sd^2 + 3 sd^4), a = mu - mean (4th central moment) */
static void mixture_moments(size_t k, const double *w, const double *mu, const double *sd, size_t d,
                            size_t j, double *mean, double *var, double *m4) {
    double ws = 0.0, m = 0.0, s2 = 0.0, q = 0.0;
    for (size_t c = 0; c < k; c++)
        ws += w[c];
    for (size_t c = 0; c < k; c++)
        m += w[c] / ws * mu[c * d + j];
    for (size_t c = 0; c < k; c++) {
        double a = mu[c * d + j] - m, s = sd[c * d + j];
        s2 += w[c] / ws * (s * s + a * a);
        q += w[c] / ws * (a * a * a * a + 6.0 * a * a * s * s + 3.0 * s * s * s * s);
    }
    *mean = m;
    *var = s2;
    *m4 = q;
}

static void test_sample(void) {
    const size_t n = 200000;
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 2385, GR_STREAM_TEST, NULL), NULL);
    double *x = malloc(2 * n * sizeof *x), *y = malloc(2 * n * sizeof *y);
    CHECK(rng && x && y);
    if (!rng || !x || !y) return;
    gr_error err;
    /* 1-D, three components */
    gr_mixture *m = mix1(3, W3, MU3, SD3);
    CHECK_OK(gr_mixture_sample(m, rng, n, x, &err), &err);
    double mean, var, m4;
    mixture_moments(3, W3, MU3, SD3, 1, 0, &mean, &var, &m4);
    check_moments(x, n, 1, 0, mean, var, m4);
    /* the component frequencies: draws below -0.85 are (almost all) component 0 (w 0.2) */
    size_t low = 0;
    for (size_t i = 0; i < n; i++)
        low += x[i] < -0.85;
    double p_low;
    CHECK_OK(gr_mixture_cdf(m, -0.85, &p_low, &err), &err);
    CHECK_CLOSE((double)low / (double)n, p_low, 0.0, 5.0 * sqrt(p_low * (1 - p_low) / (double)n));
    /* same stream, same points, in any batching */
    CHECK_OK(gr_rng_seed(rng, 2385, GR_STREAM_TEST, &err), &err);
    CHECK_OK(gr_mixture_sample(m, rng, 1000, y, &err), &err);
    CHECK_OK(gr_mixture_sample(m, rng, n - 1000, y + 1000, &err), &err);
    CHECK(memcmp(x, y, n * sizeof *x) == 0);
    gr_mixture_free(m);
    /* 2-D, per-coordinate SDs, and a zero-weight component far away that must never be drawn */
    const double w[3] = {1.0, 0.0, 3.0}, mu[6] = {0.5, -1.0, 100.0, 100.0, 2.0, 0.25},
                 sd[6] = {0.7, 1.3, 1.0, 1.0, 0.4, 0.9};
    gr_mixture *m2 = NULL;
    CHECK_OK(gr_mixture_alloc(&m2, 2, 3, w, mu, sd, 0, &err), &err);
    CHECK_OK(gr_mixture_sample(m2, rng, n, x, &err), &err);
    for (size_t j = 0; j < 2; j++) {
        mixture_moments(3, w, mu, sd, 2, j, &mean, &var, &m4);
        check_moments(x, n, 2, j, mean, var, m4);
    }
    int far = 0;
    for (size_t i = 0; i < 2 * n; i++)
        far |= x[i] > 50.0;
    CHECK(!far);
    /* a zero-weight LAST component (the cumulative weights end at 1 before it) */
    const double wl[2] = {1.0, 0.0}, mul[2] = {0.0, 100.0}, sdl[2] = {1.0, 1.0};
    gr_mixture *ml = mix1(2, wl, mul, sdl);
    CHECK_OK(gr_mixture_sample(ml, rng, n, x, &err), &err);
    far = 0;
    for (size_t i = 0; i < n; i++)
        far |= x[i] > 50.0;
    CHECK(!far);
    CHECK_OK(gr_mixture_sample(ml, rng, 0, NULL, &err), &err);
    CHECK_STATUS(gr_mixture_sample(ml, NULL, 1, x, &err), GR_EINVAL);
    CHECK_STATUS(gr_mixture_sample(ml, rng, 1, NULL, &err), GR_EINVAL);
    gr_mixture_free(ml);
    gr_mixture_free(m2);
    free(x);
    free(y);
    gr_rng_free(rng);
}

static double pdf_of(double x, void *ctx) {
    double lp;
    gr_mixture_logpdf(ctx, &x, &lp);
    return exp(lp);
}

/* CDF: against QAGIL of exp(logpdf) from -inf (an independent route: only the log-density is
 * used), against Phi for one component, and the limits */
static void test_cdf(void) {
    gr_mixture *m = mix1(3, W3, MU3, SD3);
    gr_error err;
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(200);
    gsl_function f = {pdf_of, m};
    const double xs[7] = {-4.0, -1.7, -0.3, 0.4, 1.5, 2.385, 5.0};
    for (size_t i = 0; i < 7; i++) {
        double v, e, F;
        CHECK(gsl_integration_qagil(&f, xs[i], 1e-15, 1e-13, 200, ws, &v, &e) == 0);
        CHECK_OK(gr_mixture_cdf(m, xs[i], &F, &err), &err);
        CHECK_CLOSE(F, v, 0.0, 1e-13 + e);
    }
    gsl_integration_workspace_free(ws);
    double F;
    CHECK_OK(gr_mixture_cdf(m, -INFINITY, &F, &err), &err);
    CHECK(F == 0.0);
    CHECK_OK(gr_mixture_cdf(m, INFINITY, &F, &err), &err);
    CHECK(F == 1.0);
    CHECK_STATUS(gr_mixture_cdf(m, NAN, &F, &err), GR_EDOM);
    CHECK(isnan(gr_mixture_cdf_fn(NAN, m)));
    gr_mixture_free(m);
    /* one component: F(mu + 1.2 sd) = Phi(1.2) = 0.8849303297782918 (scipy.stats.norm.cdf,
     * tests/reference/prob_reference.py) */
    double w = 1.0, mu = -0.37, sd = 2.385;
    gr_mixture *g = mix1(1, &w, &mu, &sd);
    CHECK_OK(gr_mixture_cdf(g, mu + 1.2 * sd, &F, &err), &err);
    CHECK_CLOSE(F, 0.8849303297782918, 1e-15, 0.0);
    CHECK_CLOSE(gr_mixture_cdf_fn(mu + 1.2 * sd, g), F, 0.0, 0.0);
    gr_mixture_free(g);
}

/* quantile(cdf(x)) = x and cdf(quantile(u)) = u, into both tails */
static void test_quantile(void) {
    gr_mixture *m = mix1(3, W3, MU3, SD3);
    gr_error err;
    double worst = 0.0;
    for (double x = -5.0; x <= 6.0; x += 0.0625) {
        double F, q;
        CHECK_OK(gr_mixture_cdf(m, x, &F, &err), &err);
        CHECK_OK(gr_mixture_quantile(m, F, &q, &err), &err);
        /* F rounds to 1 ulp; F near 1 loses the digits that the upper-tail solve needs, so
         * the round trip is checked where F < 1 - 1e-6 (the upper tail: cdf(quantile)) */
        if (F < 1.0 - 1e-6) {
            CHECK_CLOSE(q, x, 0.0, 1e-9);
            worst = fmax(worst, fabs(q - x));
        }
    }
    fprintf(stderr, "mixture: worst |quantile(cdf(x)) - x| = %.2e\n", worst);
    const double us[9] = {1e-15, 1e-9, 0.01, 0.2, 0.5, 0.7, 0.99, 1.0 - 1e-9, 1.0 - 1e-15};
    for (size_t i = 0; i < 9; i++) {
        double q, F;
        CHECK_OK(gr_mixture_quantile(m, us[i], &q, &err), &err);
        CHECK_OK(gr_mixture_cdf(m, q, &F, &err), &err);
        if (us[i] <= 0.5)
            CHECK_CLOSE(F, us[i], 1e-12, 0.0);
        else
            CHECK_CLOSE(F, us[i], 0.0, 4e-16);
        CHECK_CLOSE(gr_mixture_quantile_fn(us[i], m), q, 0.0, 0.0);
    }
    double q;
    CHECK_OK(gr_mixture_quantile(m, 0.0, &q, &err), &err);
    CHECK(isinf(q) && q < 0.0);
    CHECK_OK(gr_mixture_quantile(m, 1.0, &q, &err), &err);
    CHECK(isinf(q) && q > 0.0);
    CHECK_STATUS(gr_mixture_quantile(m, -0.1, &q, &err), GR_EDOM);
    CHECK_STATUS(gr_mixture_quantile(m, 1.1, &q, &err), GR_EDOM);
    CHECK_STATUS(gr_mixture_quantile(m, NAN, &q, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "0 <= u <= 1");
    CHECK(isnan(gr_mixture_quantile_fn(1.5, m)));
    gr_mixture_free(m);
    /* one component: mu + sd Phi^-1(u) (GSL's inverse), exactly */
    double w = 1.0, mu = -0.37, sd = 2.385;
    gr_mixture *g = mix1(1, &w, &mu, &sd);
    CHECK_OK(gr_mixture_quantile(g, 0.3, &q, &err), &err);
    CHECK(q == mu + sd * gsl_cdf_ugaussian_Pinv(0.3));
    gr_mixture_free(g);
    /* 1-D only */
    const double w2[1] = {1.0}, mu2[2] = {0.0, 0.0}, sd2[1] = {1.0};
    gr_mixture *m2 = NULL;
    CHECK_OK(gr_mixture_alloc(&m2, 2, 1, w2, mu2, sd2, 1, &err), &err);
    CHECK_STATUS(gr_mixture_quantile(m2, 0.5, &q, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "dimension 2");
    CHECK_STATUS(gr_mixture_cdf(m2, 0.5, &q, &err), GR_EINVAL);
    CHECK(isnan(gr_mixture_cdf_fn(0.5, m2)) && isnan(gr_mixture_quantile_fn(0.5, m2)));
    gr_mixture_free(m2);
}

/* The prob families plug into distance/oned.h's W1 integrators as they are. */
static void test_oned_w1(void) {
    gr_error err;
    gr_oned_quad r;
    /* equal SDs: W1 = |mu1 - mu2| (a translation); the quantile route drops the mass beyond
     * |z| = 8 (2 x 6.2e-16 of it), the CDF route none */
    double w = 1.0, m1 = 0.37, m2 = -1.1, s = 0.7;
    gr_mixture *a = mix1(1, &w, &m1, &s), *b = mix1(1, &w, &m2, &s);
    CHECK_OK(gr_oned_w1_quantile(gr_mixture_quantile_fn, a, gr_mixture_quantile_fn, b, 1e-13, 0.0,
                                 200, &r, &err),
             &err);
    fprintf(stderr, "W1(N(0.37, 0.49), N(-1.1, 0.49)) by quantiles: %.17g (+- %.1e)\n", r.value,
            r.abserr);
    CHECK_CLOSE(r.value, fabs(m1 - m2), 0.0, 1e-12);
    CHECK_OK(gr_oned_w1_cdf(gr_mixture_cdf_fn, a, gr_mixture_cdf_fn, b, 1e-13, 0.0, 200, &r, &err),
             &err);
    CHECK_CLOSE(r.value, fabs(m1 - m2), 0.0, 1e-12);
    gr_mixture_free(a);
    gr_mixture_free(b);
    /* unequal SDs: CLAIMS O6, W1(N(2, 0.25), N(-1, 2.25)) = 3.0007643086 (distance/gauss.h) */
    double ma = 2.0, sa = 0.5, mb = -1.0, sb = 1.5, want;
    CHECK_OK(gr_gauss_w1_1d(ma, sa, mb, sb, &want, &err), &err);
    a = mix1(1, &w, &ma, &sa);
    b = mix1(1, &w, &mb, &sb);
    CHECK_OK(gr_oned_w1_quantile(gr_mixture_quantile_fn, a, gr_mixture_quantile_fn, b, 1e-13, 0.0,
                                 200, &r, &err),
             &err);
    CHECK_CLOSE(r.value, want, 0.0, 1e-11);
    CHECK_CLOSE(r.value, 3.0007643086, 0.0, 1e-10);
    gr_mixture_free(a);
    gr_mixture_free(b);
    /* a 3-component mixture (quantile by bisection) against a Gaussian: the quantile route
     * and the CDF route (closed-form CDF, no inversion) agree */
    double mg = 0.2, sg = 1.1;
    a = mix1(3, W3, MU3, SD3);
    b = mix1(1, &w, &mg, &sg);
    gr_oned_quad rq, rc;
    CHECK_OK(gr_oned_w1_quantile(gr_mixture_quantile_fn, a, gr_mixture_quantile_fn, b, 1e-12, 0.0,
                                 500, &rq, &err),
             &err);
    CHECK_OK(gr_oned_w1_cdf(gr_mixture_cdf_fn, a, gr_mixture_cdf_fn, b, 1e-12, 0.0, 500, &rc, &err),
             &err);
    fprintf(stderr, "W1(mixture, N(0.2, 1.21)): quantiles %.15f (+- %.1e), CDFs %.15f (+- %.1e)\n",
            rq.value, rq.abserr, rc.value, rc.abserr);
    CHECK_CLOSE(rq.value, rc.value, 0.0, 1e-10);
    /* SciPy: quad of |F - G| split at the crossings (tests/reference/prob_reference.py) */
    CHECK_CLOSE(rq.value, 0.5675936231738646, 0.0, 1e-11);
    CHECK_CLOSE(rc.value, 0.5675936231738646, 0.0, 1e-11);
    /* a 2-D mixture is not a 1-D distribution: the adapters give NaN, reported as GR_EDOM */
    const double w2[1] = {1.0}, mu2[2] = {0.0, 0.0}, sd2[1] = {1.0};
    gr_mixture *m2d = NULL;
    CHECK_OK(gr_mixture_alloc(&m2d, 2, 1, w2, mu2, sd2, 1, &err), &err);
    CHECK_STATUS(gr_oned_w1_quantile(gr_mixture_quantile_fn, m2d, gr_mixture_quantile_fn, b, 1e-12,
                                     0.0, 100, &r, &err),
                 GR_EDOM);
    gr_mixture_free(m2d);
    gr_mixture_free(a);
    gr_mixture_free(b);
}

int main(void) {
    gr_core_init();
    RUN(test_constructors);
    RUN(test_logpdf);
    RUN(test_sample);
    RUN(test_cdf);
    RUN(test_quantile);
    RUN(test_oned_w1);
    return TEST_MAIN_END();
}
