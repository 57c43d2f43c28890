/* tests/prob/test_lines.c — WGAN's parallel lines (prob/lines.h): the closed forms against
 * the C19/C20/O10 numbers (moved from tests/distance/test_gauss.c), the equal-variance normal
 * pair (prob/normal.h) against 40-digit mpmath and the same functions in distance/gauss.h, and
 * the sampler (exact x, uniform y, moments, the same draws as the segment sampler).
 */
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "distance/gauss.h"
#include "moments.h"
#include "prob/lines.h"
#include "prob/normal.h"
#include "test.h"

/* C19/C20/O10: parallel lines */
static void test_lines(void) {
    gr_lines_closed r;
    gr_error err;
    CHECK_OK(gr_lines_closed_eval(0.0, &r, &err), &err);
    CHECK(r.w1 == 0.0 && r.js == 0.0 && r.kl == 0.0 && !r.kl_is_inf && r.tv == 0.0);
    const double th[4] = {1e-9, -0.37, 0.5, 1.0};
    for (size_t i = 0; i < 4; i++) {
        CHECK_OK(gr_lines_closed_eval(th[i], &r, &err), &err);
        CHECK(r.w1 == fabs(th[i]));
        CHECK(r.js == M_LN2); /* 0.6931471806..., ½-normalised */
        CHECK(r.kl_is_inf && isinf(r.kl) && r.kl > 0.0);
        CHECK(r.tv == 1.0);
    }
    /* C20: JS jumps by log 2 between theta = 0 and 1e-9; W is 1-Lipschitz on the grid */
    gr_lines_closed a, b;
    CHECK_OK(gr_lines_closed_eval(0.0, &a, &err), &err);
    CHECK_OK(gr_lines_closed_eval(1e-9, &b, &err), &err);
    CHECK(b.js - a.js == M_LN2);
    int lip = 1;
    for (int i = -100; i < 100; i++) {
        CHECK_OK(gr_lines_closed_eval(0.01 * i, &a, &err), &err);
        CHECK_OK(gr_lines_closed_eval(0.01 * (i + 1), &b, &err), &err);
        if (fabs(a.w1 - b.w1) > 0.01 + 1e-15) lip = 0;
    }
    CHECK(lip);
    /* O10 smoothed: sigma = 0.3, theta = 0.4: JS = 0.18289477, KL = 0.888889 (= 8/9) */
    CHECK_OK(gr_lines_closed_smoothed(0.4, 0.3, &r, &err), &err);
    CHECK_CLOSE(r.js, 0.18289477, 0.0, 5e-9);
    CHECK_CLOSE(r.kl, 8.0 / 9.0, 1e-15, 0.0);
    CHECK(!r.kl_is_inf);
    CHECK_CLOSE(r.w1, 0.4, 0.0, 0.0);
    CHECK_CLOSE(r.tv, erf(0.4 / (2.0 * 0.3 * M_SQRT2)), 1e-15, 0.0);
    /* sigma -> 0 tends to the clean step: JS -> log 2, TV -> 1, KL -> inf */
    CHECK_OK(gr_lines_closed_smoothed(0.4, 0.01, &r, &err), &err);
    CHECK_CLOSE(r.js, M_LN2, 0.0, 1e-15);
    CHECK_CLOSE(r.tv, 1.0, 0.0, 1e-15);
    CHECK(r.kl > 700.0);
    CHECK_OK(gr_lines_closed_smoothed(0.0, 0.3, &r, &err), &err);
    CHECK(r.js == 0.0 && r.kl == 0.0 && r.tv == 0.0);
}

static void test_errors(void) {
    gr_error err;
    gr_lines_closed r;
    CHECK_STATUS(gr_lines_closed_eval(NAN, &r, &err), GR_EDOM);
    CHECK_STATUS(gr_lines_closed_eval(1.0, NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_lines_closed_smoothed(1.0, 0.0, &r, &err), GR_EDOM);
    CHECK_STATUS(gr_lines_closed_smoothed(INFINITY, 0.3, &r, &err), GR_EDOM);
    CHECK_STATUS(gr_lines_closed_smoothed(1.0, 0.3, NULL, &err), GR_EINVAL);
    gr_segment *s = NULL;
    CHECK_STATUS(gr_lines_segment_alloc(&s, 0.4, 0.0, &err), GR_EDOM);
    CHECK(s == NULL);
    double v;
    CHECK_STATUS(gr_normal_js_eqvar(NAN, &v, NULL, &err), GR_EDOM);
    CHECK_STATUS(gr_normal_js_eqvar(1.0, NULL, NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_normal_js_eqvar_deriv(INFINITY, &v, NULL, &err), GR_EDOM);
    CHECK_STATUS(gr_normal_js_eqvar_deriv(1.0, NULL, NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_normal_tv_eqvar(NAN, &v, &err), GR_EDOM);
    CHECK_STATUS(gr_normal_tv_eqvar(1.0, NULL, &err), GR_EINVAL);
}

/* O3/O8 as prob/normal.h computes them: the mpmath values of tests/distance/test_gauss.c
 * (tests/reference/ref_oracles.py), and bit for bit what distance/gauss.h returns (the same
 * integral, so the smoothed lines and the Gaussian oracles can never disagree) */
static void test_normal_pair(void) {
    const double d[6] = {0.1, 0.5, 1.0, 2.0, 4.0, 8.0};
    const double mpm[6] = {0.00124844009607066, 0.030311300520839, 0.111421482184736,
                           0.336830820346832,   0.632720193736867, 0.69305364548292};
    gr_error err;
    for (size_t i = 0; i < 6; i++) {
        double js, ae, jg, dj, dg, tv, tg;
        CHECK_OK(gr_normal_js_eqvar(d[i], &js, &ae, &err), &err);
        CHECK_CLOSE(js, mpm[i], 0.0, 1e-14);
        CHECK(ae < 1e-12);
        CHECK_OK(gr_gauss_js_eqvar(d[i], &jg, NULL, &err), &err);
        CHECK(js == jg);
        CHECK_OK(gr_normal_js_eqvar_deriv(-d[i], &dj, NULL, &err), &err);
        CHECK_OK(gr_gauss_js_eqvar_deriv(-d[i], &dg, NULL, &err), &err);
        CHECK(dj == dg && dj < 0.0);
        CHECK_OK(gr_normal_tv_eqvar(d[i], &tv, &err), &err);
        CHECK_OK(gr_gauss_tv_eqvar(d[i], &tg, &err), &err);
        CHECK(tv == tg);
        CHECK_CLOSE(tv, erf(d[i] / (2.0 * M_SQRT2)), 1e-15, 0.0);
    }
}

/* P_theta, clean and smoothed: moments of (x, y), and the smoothed draws are exactly those of
 * the line's segment (prob/segment.h) on the same stream */
static void test_sample(void) {
    const size_t n = 200000;
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 2385, GR_STREAM_TEST, NULL), NULL);
    double *x = malloc(2 * n * sizeof *x), *y = malloc(2 * n * sizeof *y);
    CHECK(rng && x && y);
    if (!rng || !x || !y) return;
    gr_error err;
    const double theta = -0.37, sigma = 0.3;
    CHECK_OK(gr_lines_sample(theta, 0.0, rng, n, x, &err), &err);
    int exact = 1;
    for (size_t i = 0; i < n; i++)
        exact &= x[2 * i] == theta && x[2 * i + 1] >= 0.0 && x[2 * i + 1] < 1.0;
    CHECK(exact);
    /* uniform [0, 1): mean 1/2, var 1/12, m4 1/80 */
    check_moments(x, n, 2, 1, 0.5, 1.0 / 12.0, 1.0 / 80.0);
    /* smoothed: x ~ N(theta, s^2) (m4 = 3 s^4), y ~ U[0,1) + N(0, s^2) */
    CHECK_OK(gr_rng_seed(rng, 2385, GR_STREAM_TEST, &err), &err);
    CHECK_OK(gr_lines_sample(theta, sigma, rng, n, x, &err), &err);
    double s2 = sigma * sigma;
    check_moments(x, n, 2, 0, theta, s2, 3.0 * s2 * s2);
    check_moments(x, n, 2, 1, 0.5, 1.0 / 12.0 + s2, 1.0 / 80.0 + 0.5 * s2 + 3.0 * s2 * s2);
    gr_segment *seg = NULL;
    CHECK_OK(gr_lines_segment_alloc(&seg, theta, sigma, &err), &err);
    CHECK_OK(gr_rng_seed(rng, 2385, GR_STREAM_TEST, &err), &err);
    CHECK_OK(gr_segment_sample(seg, rng, n, y, &err), &err);
    CHECK(memcmp(x, y, 2 * n * sizeof *x) == 0);
    /* the segment is the O9 density of the smoothed line: at (theta, 1/2),
     * p = phi_sigma(0) [Phi(0.5/sigma) - Phi(-0.5/sigma)] = erf(0.5/(sigma sqrt 2))/(sigma sqrt(2
     * pi)) */
    double pt[2] = {theta, 0.5}, lp;
    CHECK_OK(gr_segment_logpdf(seg, pt, &lp), NULL);
    CHECK_CLOSE(lp, log(erf(0.5 / (sigma * M_SQRT2)) / (sigma * sqrt(2.0 * M_PI))), 1e-14, 0.0);
    gr_segment_free(seg);
    CHECK_STATUS(gr_lines_sample(theta, -0.1, rng, 1, x, &err), GR_EDOM);
    CHECK_STATUS(gr_lines_sample(NAN, 0.1, rng, 1, x, &err), GR_EDOM);
    CHECK_STATUS(gr_lines_sample(theta, INFINITY, rng, 1, x, &err), GR_EDOM);
    CHECK_STATUS(gr_lines_sample(theta, 0.1, NULL, 1, x, &err), GR_EINVAL);
    CHECK_STATUS(gr_lines_sample(theta, 0.1, rng, 1, NULL, &err), GR_EINVAL);
    CHECK_OK(gr_lines_sample(theta, 0.1, rng, 0, NULL, &err), &err);
    free(x);
    free(y);
    gr_rng_free(rng);
}

int main(void) {
    gr_core_init();
    RUN(test_lines);
    RUN(test_normal_pair);
    RUN(test_sample);
    RUN(test_errors);
    return TEST_MAIN_END();
}
