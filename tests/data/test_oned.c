/* tests/data/test_oned.c — the 1-D families as samplers: densities integrating to 1 (GSL
 * QAGP), samplers against their exact CDFs (KS at false-alarm rate 1e-3, fixed seeds),
 * CDF/quantile round trips and closed forms, the point mass (no density, a step CDF), and
 * distance/oned.h's exact W1 fed with the quantile functions against closed forms. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/rng.h"
#include "data/oned.h"
#include "data/sampler.h"
#include "data/toys.h"
#include "distance/oned.h"
#include "dquad.h"
#include "test.h"

typedef struct {
    const char *what;
    gr_sampler *s;
    double pts[4]; /* break points for the mass quadrature */
    size_t npts;
} family;

typedef struct {
    const gr_sampler *s;
} cdf_ctx;

static double cdf_of(double x, void *p) {
    double f = NAN;
    gr_data_oned_cdf(((cdf_ctx *)p)->s, x, &f, NULL);
    return f;
}

static void test_families(void) {
    gr_error err = {0};
    family f[5] = {{"gaussian", NULL, {0.37}, 1},
                   {"mixture", NULL, {-1.5, 0.2, 2.0}, 3},
                   {"uniform", NULL, {-0.4, 1.9}, 2},
                   {"smoothed segment", NULL, {-0.4, 1.9}, 2},
                   {"pointmass", NULL, {0}, 0}};
    const double w[3] = {0.2, 0.5, 0.3}, mu[3] = {-1.5, 0.2, 2.0}, sd[3] = {0.3, 0.8, 0.05};
    CHECK_OK(gr_data_gauss1d_alloc(&f[0].s, 0.37, 1.3, &err), &err);
    CHECK_OK(gr_data_mixture1d_alloc(&f[1].s, 3, w, mu, sd, &err), &err);
    CHECK_OK(gr_data_segment1d_alloc(&f[2].s, -0.4, 1.9, 0.0, &err), &err);
    CHECK_OK(gr_data_segment1d_alloc(&f[3].s, -0.4, 1.9, 0.15, &err), &err);
    CHECK_OK(gr_data_pointmass_alloc(&f[4].s, 0.625, &err), &err);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 2026, GR_STREAM_TEST, &err), &err);
    const size_t n = 20000;
    double *x = malloc(n * sizeof *x);
    for (int i = 0; i < 5 && r && x; i++) {
        gr_sampler *s = f[i].s;
        if (!s) continue;
        CHECK(gr_sampler_dim(s) == 1);
        gr_density d;
        double lo, hi;
        CHECK_OK(gr_sampler_box(s, &lo, &hi, &err), &err);
        if (i == 4) {
            CHECK_STATUS(gr_sampler_density(s, &d, &err), GR_EINVAL);
            CHECK_STR_CONTAINS(err.msg, "no density");
            CHECK(lo == 0.625 && hi == 0.625);
        } else {
            CHECK_OK(gr_sampler_density(s, &d, &err), &err);
            double e = NAN, mass = dq_mass1(&d, lo, hi, f[i].pts, f[i].npts, &e);
            CHECK_CLOSE(mass, 1.0, 0, 1e-10);
            CHECK(e < 1e-10);
        }
        /* KS against the family's own CDF, at false-alarm rate 1e-3 */
        CHECK_OK(gr_sampler_sample(s, r, n, x, &err), &err);
        cdf_ctx c = {s};
        if (i < 4) {
            double D = dq_ks(x, n, cdf_of, &c);
            if (!(D < dq_ks_crit(1e-3, n))) fprintf(stderr, "%s: KS D = %g\n", f[i].what, D);
            CHECK(D < dq_ks_crit(1e-3, n));
        } else {
            size_t off = 0;
            for (size_t j = 0; j < n; j++)
                off += x[j] != 0.625;
            CHECK(off == 0);
        }
        /* quantile(cdf(x)) = x where the density is not tiny, and the ends */
        for (double u = 0.01; u < 1.0; u += 0.0735) {
            double q = NAN, F = NAN;
            CHECK_OK(gr_data_oned_quantile(s, u, &q, &err), &err);
            CHECK_OK(gr_data_oned_cdf(s, q, &F, &err), &err);
            if (i < 4)
                CHECK_CLOSE(F, u, 1e-12, 1e-14);
            else
                CHECK(q == 0.625 && F == 1.0);
        }
        double q0 = NAN, q1 = NAN;
        CHECK_OK(gr_data_oned_quantile(s, 0.0, &q0, &err), &err);
        CHECK_OK(gr_data_oned_quantile(s, 1.0, &q1, &err), &err);
        if (i < 2 || i == 3) CHECK(q0 == -INFINITY && q1 == INFINITY);
        if (i == 2) CHECK(q0 == -0.4 && q1 == 1.9);
        if (i == 4) CHECK(q0 == 0.625 && q1 == 0.625);
        double bad;
        CHECK_STATUS(gr_data_oned_quantile(s, 1.5, &bad, &err), GR_EDOM);
        CHECK_STATUS(gr_data_oned_cdf(s, NAN, &bad, &err), GR_EDOM);
    }
    /* closed forms */
    double v = NAN;
    if (f[0].s) {
        CHECK_OK(gr_data_oned_cdf(f[0].s, 0.37 + 1.3 * 0.5, &v, &err), &err);
        CHECK_CLOSE(v, gsl_cdf_ugaussian_P(0.5), 1e-15, 0);
        const gr_modes *m = gr_sampler_modes(f[0].s);
        CHECK(m && m->k == 1 && m->mu[0] == 0.37 && m->sd[0] == 1.3);
    }
    if (f[2].s) {
        CHECK_OK(gr_data_oned_cdf(f[2].s, 0.75, &v, &err), &err);
        CHECK_CLOSE(v, 0.5, 1e-15, 0);
        CHECK_OK(gr_data_oned_cdf(f[2].s, -3.0, &v, &err), &err);
        CHECK(v == 0.0);
        CHECK_OK(gr_data_oned_quantile(f[2].s, 0.25, &v, &err), &err);
        CHECK_CLOSE(v, -0.4 + 0.25 * 2.3, 1e-15, 0);
        gr_density d;
        CHECK_OK(gr_sampler_density(f[2].s, &d, &err), &err);
        double xin = 1.0, xout = 2.0, lp;
        CHECK_OK(d.logpdf(d.ctx, &xin, &lp), NULL);
        CHECK_CLOSE(lp, -log(2.3), 1e-15, 0);
        CHECK_OK(d.logpdf(d.ctx, &xout, &lp), NULL);
        CHECK(lp == -INFINITY);
        CHECK(gr_sampler_modes(f[2].s) == NULL);
    }
    if (f[4].s) {
        CHECK_OK(gr_data_oned_cdf(f[4].s, 0.6249999, &v, &err), &err);
        CHECK(v == 0.0);
        CHECK_OK(gr_data_oned_cdf(f[4].s, 0.625, &v, &err), &err);
        CHECK(v == 1.0);
        /* a point mass draws nothing */
        gr_rng_seed(r, 2026, GR_STREAM_TEST, NULL);
        unsigned long a0 = gsl_rng_get(r);
        gr_rng_seed(r, 2026, GR_STREAM_TEST, NULL);
        CHECK_OK(gr_sampler_sample(f[4].s, r, 10, x, &err), &err);
        CHECK(gsl_rng_get(r) == a0);
    }
    free(x);
    gr_rng_free(r);
    for (int i = 0; i < 5; i++)
        gr_sampler_free(f[i].s);
}

/* distance/oned.h's W1 through the quantile functions: closed forms
 *   W1(N(m1, s^2), N(m2, s^2)) = |m1 - m2|;  W1(N(m, s1^2), N(m, s2^2)) = |s1 - s2| sqrt(2/pi);
 *   W1(U[0, 1], U[0.3, 1.3]) = 0.3;  W1(U[a, b], delta_{(a+b)/2}) = (b - a)/4. */
static double w1(const gr_sampler *p, const gr_sampler *q, double *abserr) {
    gr_real_fn qp, qq;
    void *cp, *cq;
    gr_error err = {0};
    if (gr_data_oned_fns(p, NULL, &qp, &cp, &err) || gr_data_oned_fns(q, NULL, &qq, &cq, &err))
        return NAN;
    gr_oned_quad res;
    if (gr_oned_w1_quantile(qp, cp, qq, cq, 1e-13, 1e-11, 1000, &res, &err) != GR_OK) return NAN;
    *abserr = res.abserr;
    return res.value;
}

static void test_w1(void) {
    gr_error err = {0};
    gr_sampler *a = NULL, *b = NULL, *c = NULL, *u1 = NULL, *u2 = NULL, *pm = NULL;
    CHECK_OK(gr_data_gauss1d_alloc(&a, 0.0, 1.0, &err), &err);
    CHECK_OK(gr_data_gauss1d_alloc(&b, 1.7, 1.0, &err), &err);
    CHECK_OK(gr_data_gauss1d_alloc(&c, 0.0, 2.5, &err), &err);
    CHECK_OK(gr_data_segment1d_alloc(&u1, 0.0, 1.0, 0.0, &err), &err);
    CHECK_OK(gr_data_segment1d_alloc(&u2, 0.3, 1.3, 0.0, &err), &err);
    CHECK_OK(gr_data_pointmass_alloc(&pm, 0.5, &err), &err);
    double e = NAN;
    CHECK_CLOSE(w1(a, b, &e), 1.7, 1e-10, 0);
    /* z-space truncation at |z| = 8 leaves out ~1e-15 of |s1 - s2| E|Z| */
    CHECK_CLOSE(w1(a, c, &e), 1.5 * sqrt(2.0 / M_PI), 1e-10, 0);
    CHECK_CLOSE(w1(u1, u2, &e), 0.3, 1e-10, 0);
    CHECK_CLOSE(w1(u1, pm, &e), 0.25, 1e-9, 0);
    /* the CDF adapters plug into gr_oned_w1_cdf too */
    gr_real_fn Fa, Fb;
    void *ca, *cb;
    CHECK_OK(gr_data_oned_fns(u1, &Fa, NULL, &ca, &err), &err);
    CHECK_OK(gr_data_oned_fns(u2, &Fb, NULL, &cb, &err), &err);
    gr_oned_quad res;
    CHECK_OK(gr_oned_w1_cdf(Fa, ca, Fb, cb, 1e-13, 1e-11, 1000, &res, &err), &err);
    CHECK_CLOSE(res.value, 0.3, 1e-9, 0);
    gr_sampler_free(a);
    gr_sampler_free(b);
    gr_sampler_free(c);
    gr_sampler_free(u1);
    gr_sampler_free(u2);
    gr_sampler_free(pm);
}

static void test_errors(void) {
    gr_error err = {0};
    gr_sampler *sentinel = NULL, *s = NULL;
    CHECK_OK(gr_data_pointmass_alloc(&sentinel, 1.0, &err), &err);
    s = sentinel; /* a failed allocation must set *out = NULL */
    CHECK_STATUS(gr_data_gauss1d_alloc(&s, 0.0, 0.0, &err), GR_EDOM);
    CHECK(s == NULL);
    gr_sampler_free(sentinel);
    CHECK_STATUS(gr_data_gauss1d_alloc(&s, NAN, 1.0, &err), GR_EDOM);
    CHECK_STATUS(gr_data_gauss1d_alloc(NULL, 0.0, 1.0, &err), GR_EINVAL);
    const double w[2] = {-1.0, 1.0}, mu[2] = {0, 1}, sd[2] = {1, 1};
    CHECK_STATUS(gr_data_mixture1d_alloc(&s, 2, w, mu, sd, &err), GR_EDOM);
    CHECK_STATUS(gr_data_mixture1d_alloc(&s, 0, w, mu, sd, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_segment1d_alloc(&s, 1.0, 1.0, 0.0, &err), GR_EDOM);
    CHECK_STATUS(gr_data_segment1d_alloc(&s, 0.0, 1.0, -0.1, &err), GR_EDOM);
    CHECK_STATUS(gr_data_segment1d_alloc(&s, 0.0, INFINITY, 0.0, &err), GR_EDOM);
    CHECK_STATUS(gr_data_pointmass_alloc(&s, NAN, &err), GR_EDOM);
    CHECK_STATUS(gr_data_pointmass_alloc(NULL, 0.0, &err), GR_EINVAL);
    CHECK(s == NULL);
    /* a 2-D sampler is not a 1-D family */
    gr_sampler *g8 = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&g8, &err), &err);
    double v;
    gr_real_fn f;
    CHECK_STATUS(gr_data_oned_cdf(g8, 0.0, &v, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_oned_quantile(g8, 0.5, &v, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_oned_fns(g8, &f, NULL, NULL, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "8gaussians");
    CHECK_STATUS(gr_data_oned_cdf(NULL, 0.0, &v, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_oned_cdf(g8, 0.0, NULL, &err), GR_EINVAL);
    gr_sampler_free(g8);
}

int main(void) {
    RUN(test_families);
    RUN(test_w1);
    RUN(test_errors);
    return TEST_MAIN_END();
}
