/* tests/prob/test_segment.c — the smoothed segment (prob/segment.h): constructor checks, the
 * log-density against the O9 formula and in its far tails, samples against the exact moments,
 * the 1-D CDF against GSL quadrature of exp(logpdf), quantile round trips, and W1 between two
 * translated segments through distance/oned.h.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <stdlib.h>

#include "core/rng.h"
#include "distance/oned.h"
#include "moments.h"
#include "prob/segment.h"
#include "test.h"

/* moved from tests/distance/test_divergence.c (test_errors, test_smoothed_lines) */
static void test_constructors(void) {
    gr_error err;
    gr_segment *S = NULL;
    double u[2] = {0, 0}, v[2] = {0, 1};
    CHECK_STATUS(gr_segment_alloc(&S, 2, u, u, 0.3, &err), GR_EDOM);
    CHECK_STATUS(gr_segment_alloc(&S, 2, u, v, 0.0, &err), GR_EDOM);
    CHECK_STATUS(gr_segment_alloc(&S, 0, u, v, 0.3, &err), GR_EINVAL);
    CHECK_STATUS(gr_segment_alloc(&S, 2, NULL, v, 0.3, &err), GR_EINVAL);
    v[1] = NAN;
    CHECK_STATUS(gr_segment_alloc(&S, 2, u, v, 0.3, &err), GR_EDOM);
    gr_segment_free(NULL);
    CHECK(S == NULL);
    CHECK_STATUS(gr_segment_alloc(NULL, 2, u, u, 0.3, &err), GR_EINVAL);
    /* far tails: finite log-density, no NaN */
    double a[2] = {0.7, -0.2}, b[2] = {1.3, 0.6};
    CHECK_OK(gr_segment_alloc(&S, 2, a, b, 0.25, &err), &err);
    double far[2] = {40.0, -35.0}, lp;
    CHECK_OK(gr_segment_logpdf(S, far, &lp), NULL);
    CHECK(isfinite(lp) && lp < -1e4);
    double mid[2] = {1.0, 0.2};
    CHECK_OK(gr_segment_logpdf(S, mid, &lp), NULL);
    CHECK(isfinite(lp));
    /* the O9 formula at mid: s = (x - u).e, r = distance to the line, l = 1 */
    double e[2] = {0.6, 0.8}, s = (mid[0] - a[0]) * e[0] + (mid[1] - a[1]) * e[1];
    double r0 = mid[0] - a[0] - s * e[0], r1 = mid[1] - a[1] - s * e[1], sg = 0.25;
    double p = exp(-(r0 * r0 + r1 * r1) / (2 * sg * sg)) / sqrt(2 * M_PI * sg * sg) *
               (gsl_cdf_ugaussian_P(s / sg) - gsl_cdf_ugaussian_P((s - 1.0) / sg));
    CHECK_CLOSE(lp, log(p), 1e-13, 0.0);
    double xn[2] = {NAN, 0.0};
    CHECK_STATUS(gr_segment_logpdf(S, xn, &lp), GR_EDOM);
    gr_segment_free(S);
}

/* Uniform on [c - h, c + h] plus N(0, s^2): var = h^2/3 + s^2,
 * m4 = h^4/5 + 6 (h^2/3) s^2 + 3 s^4. */
static void uniform_plus_normal(double h, double s, double *var, double *m4) {
    *var = h * h / 3.0 + s * s;
    *m4 = h * h * h * h / 5.0 + 2.0 * h * h * s * s + 3.0 * s * s * s * s;
}

static void test_sample(void) {
    const size_t n = 200000;
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 2385, GR_STREAM_TEST, NULL), NULL);
    double *x = malloc(2 * n * sizeof *x);
    CHECK(rng && x);
    if (!rng || !x) return;
    gr_error err;
    double a[2] = {0.7, -0.2}, b[2] = {1.3, 0.6}, var, m4;
    gr_segment *S = NULL;
    CHECK_OK(gr_segment_alloc(&S, 2, a, b, 0.25, &err), &err);
    CHECK_OK(gr_segment_sample(S, rng, n, x, &err), &err);
    for (size_t j = 0; j < 2; j++) {
        uniform_plus_normal(0.5 * fabs(b[j] - a[j]), 0.25, &var, &m4);
        check_moments(x, n, 2, j, 0.5 * (a[j] + b[j]), var, m4);
    }
    /* the covariance of the two coordinates: l^2/12 e0 e1 = (1/12) 0.6 0.8 */
    double m0 = 0, m1 = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        m0 += x[2 * i];
        m1 += x[2 * i + 1];
    }
    m0 /= (double)n;
    m1 /= (double)n;
    for (size_t i = 0; i < n; i++)
        c += (x[2 * i] - m0) * (x[2 * i + 1] - m1);
    c /= (double)(n - 1);
    CHECK_CLOSE(c, 0.48 / 12.0, 0.0, 5.0 * 0.11 / sqrt((double)n)); /* sd of the product ~0.11 */
    gr_segment_free(S);
    /* nearly unsmoothed (sigma = 1e-9): the uniform segment [-0.3, 2.385] */
    double lo = 2.385, hi = -0.3;
    CHECK_OK(gr_segment_alloc(&S, 1, &lo, &hi, 1e-9, &err), &err);
    CHECK_OK(gr_segment_sample(S, rng, n, x, &err), &err);
    uniform_plus_normal(0.5 * (lo - hi), 1e-9, &var, &m4);
    check_moments(x, n, 1, 0, 0.5 * (lo + hi), var, m4);
    int inside = 1;
    for (size_t i = 0; i < n; i++)
        inside &= x[i] > hi - 1e-7 && x[i] < lo + 1e-7;
    CHECK(inside);
    CHECK_STATUS(gr_segment_sample(S, NULL, 1, x, &err), GR_EINVAL);
    CHECK_STATUS(gr_segment_sample(NULL, rng, 1, x, &err), GR_EINVAL);
    CHECK_OK(gr_segment_sample(S, rng, 0, NULL, &err), &err);
    gr_segment_free(S);
    free(x);
    gr_rng_free(rng);
}

static double pdf_of(double x, void *ctx) {
    double lp;
    gr_segment_logpdf(ctx, &x, &lp);
    return exp(lp);
}

/* the 1-D segment from 1.8 down to 0.3 (direction -1), sigma 0.2 */
static gr_segment *seg1(double u, double v, double sigma) {
    gr_segment *s = NULL;
    gr_error err;
    CHECK_OK(gr_segment_alloc(&s, 1, &u, &v, sigma, &err), &err);
    return s;
}

static void test_cdf(void) {
    gr_segment *s = seg1(1.8, 0.3, 0.2);
    gr_error err;
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(200);
    gsl_function f = {pdf_of, s};
    const double xs[7] = {-0.9, 0.0, 0.3, 1.05, 1.8, 2.2, 3.3};
    for (size_t i = 0; i < 7; i++) {
        double v, e, F;
        CHECK(gsl_integration_qagil(&f, xs[i], 1e-15, 1e-13, 200, ws, &v, &e) == 0);
        CHECK_OK(gr_segment_cdf(s, xs[i], &F, &err), &err);
        CHECK_CLOSE(F, v, 0.0, 1e-13 + e);
        CHECK_CLOSE(gr_segment_cdf_fn(xs[i], s), F, 0.0, 0.0);
    }
    gsl_integration_workspace_free(ws);
    double F;
    CHECK_OK(gr_segment_cdf(s, 1.05, &F, &err), &err); /* the midpoint, by symmetry */
    CHECK_CLOSE(F, 0.5, 0.0, 2e-16);
    CHECK_OK(gr_segment_cdf(s, -INFINITY, &F, &err), &err);
    CHECK(F == 0.0);
    CHECK_OK(gr_segment_cdf(s, INFINITY, &F, &err), &err);
    CHECK(F == 1.0);
    CHECK_STATUS(gr_segment_cdf(s, NAN, &F, &err), GR_EDOM);
    gr_segment_free(s);
    /* sigma << l: inside the segment F is (x - a)/l */
    s = seg1(0.3, 1.8, 1e-3);
    CHECK_OK(gr_segment_cdf(s, 0.3 + 0.4 * 1.5, &F, &err), &err);
    CHECK_CLOSE(F, 0.4, 0.0, 1e-15);
    gr_segment_free(s);
}

static void test_quantile(void) {
    gr_segment *s = seg1(1.8, 0.3, 0.2);
    gr_error err;
    double worst = 0.0;
    for (double x = -1.0; x <= 3.5; x += 0.0625) {
        double F, q;
        CHECK_OK(gr_segment_cdf(s, x, &F, &err), &err);
        CHECK_OK(gr_segment_quantile(s, F, &q, &err), &err);
        if (F < 1.0 - 1e-6) { /* as in test_mixture: F near 1 has lost the upper-tail digits */
            CHECK_CLOSE(q, x, 0.0, 1e-9);
            worst = fmax(worst, fabs(q - x));
        }
    }
    fprintf(stderr, "segment: worst |quantile(cdf(x)) - x| = %.2e\n", worst);
    const double us[9] = {1e-15, 1e-9, 0.01, 0.2, 0.5, 0.7, 0.99, 1.0 - 1e-9, 1.0 - 1e-15};
    for (size_t i = 0; i < 9; i++) {
        double q, F;
        CHECK_OK(gr_segment_quantile(s, us[i], &q, &err), &err);
        CHECK_OK(gr_segment_cdf(s, q, &F, &err), &err);
        if (us[i] <= 0.5)
            CHECK_CLOSE(F, us[i], 1e-9, 0.0);
        else
            CHECK_CLOSE(F, us[i], 0.0, 4e-16);
        CHECK_CLOSE(gr_segment_quantile_fn(us[i], s), q, 0.0, 0.0);
    }
    double q;
    CHECK_OK(gr_segment_quantile(s, 0.5, &q, &err), &err);
    CHECK_CLOSE(q, 1.05, 0.0, 1e-15);
    CHECK_OK(gr_segment_quantile(s, 0.0, &q, &err), &err);
    CHECK(isinf(q) && q < 0.0);
    CHECK_OK(gr_segment_quantile(s, 1.0, &q, &err), &err);
    CHECK(isinf(q) && q > 0.0);
    CHECK_STATUS(gr_segment_quantile(s, -1e-300, &q, &err), GR_EDOM);
    CHECK_STATUS(gr_segment_quantile(s, NAN, &q, &err), GR_EDOM);
    CHECK(isnan(gr_segment_quantile_fn(2.0, s)));
    gr_segment_free(s);
    double u[2] = {0, 0}, v[2] = {1, 0};
    gr_segment *s2 = NULL;
    CHECK_OK(gr_segment_alloc(&s2, 2, u, v, 0.3, &err), &err);
    CHECK_STATUS(gr_segment_quantile(s2, 0.5, &q, &err), GR_EINVAL);
    CHECK_STATUS(gr_segment_cdf(s2, 0.5, &q, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "dimension 2");
    gr_segment_free(s2);
}

/* two translated copies: W1 = the shift, through both of distance/oned.h's routes */
static void test_oned_w1(void) {
    gr_segment *a = seg1(0.3, 1.8, 0.2), *b = seg1(0.3 + 0.77, 1.8 + 0.77, 0.2);
    gr_oned_quad r;
    gr_error err;
    CHECK_OK(gr_oned_w1_quantile(gr_segment_quantile_fn, a, gr_segment_quantile_fn, b, 1e-12, 0.0,
                                 200, &r, &err),
             &err);
    fprintf(stderr, "W1 of segments shifted by 0.77, by quantiles: %.17g (+- %.1e)\n", r.value,
            r.abserr);
    CHECK_CLOSE(r.value, 0.77, 0.0, 1e-11);
    CHECK_OK(gr_oned_w1_cdf(gr_segment_cdf_fn, a, gr_segment_cdf_fn, b, 1e-12, 0.0, 200, &r, &err),
             &err);
    CHECK_CLOSE(r.value, 0.77, 0.0, 1e-11);
    gr_segment_free(a);
    gr_segment_free(b);
}

int main(void) {
    gr_core_init();
    RUN(test_constructors);
    RUN(test_sample);
    RUN(test_cdf);
    RUN(test_quantile);
    RUN(test_oned_w1);
    return TEST_MAIN_END();
}
