/* tests/data/test_fixedgen.c — the fixed "generators": noisy (gan_toy's real + N(0, I)),
 * shifted and rotated copies, and mixtures collapsed on m of the K modes, whose exact W1 to
 * the 8 ring means must give CLAIMS C45's oracles. Draw orders reproduced, densities
 * against the inner density at the pre-image and integrating to 1, KS of the noisy sampler
 * against its exact projected CDF (false-alarm rate 1e-3, fixed seed). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/rng.h"
#include "data/fixedgen.h"
#include "data/oned.h"
#include "data/sampler.h"
#include "data/toys.h"
#include "distance/ot.h"
#include "dquad.h"
#include "prob/mixture.h"
#include "test.h"

typedef struct {
    const gr_modes *m;
} proj_ctx;

static double proj_cdf(double a, void *p) {
    const gr_modes *m = ((proj_ctx *)p)->m;
    double f = 0.0;
    for (size_t k = 0; k < m->k; k++)
        f += m->w[k] * gsl_cdf_ugaussian_P((a - m->mu[2 * k]) / m->sd[k]);
    return f;
}

static void test_noisy(void) {
    gr_error err = {0};
    gr_sampler *in = NULL, *ref = NULL, *s = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&in, &err), &err);
    CHECK_OK(gr_data_gauss8_alloc(&ref, &err), &err);
    CHECK_OK(gr_data_noisy_alloc(&s, in, 1.0, &err), &err); /* gan_toy's FIXED_GENERATOR */
    gsl_rng *r = NULL, *r2 = NULL;
    CHECK_OK(gr_rng_alloc(&r, 1, GR_STREAM_DATA, &err), &err);
    CHECK_OK(gr_rng_alloc(&r2, 1, GR_STREAM_DATA, &err), &err);
    const size_t n = 20000;
    double *x = malloc(2 * n * sizeof *x), *p = malloc(n * sizeof *p);
    if (!s || !ref || !r || !r2 || !x || !p) {
        CHECK(0);
        goto done;
    }
    CHECK_STR_CONTAINS(gr_sampler_name(s), "noisy:8gaussians");
    CHECK_OK(gr_sampler_sample(s, r, n, x, &err), &err);
    double worst = INFINITY; /* the n inner draws, then 2 n normals, row-major */
    double *u = malloc(2 * n * sizeof *u);
    if (u) {
        worst = 0.0;
        CHECK_OK(gr_sampler_sample(ref, r2, n, u, &err), &err);
        for (size_t i = 0; i < 2 * n; i++)
            worst = fmax(worst, fabs(x[i] - (u[i] + gsl_ran_gaussian_ziggurat(r2, 1.0))));
    }
    free(u);
    CHECK(worst == 0.0);
    const gr_modes *m = gr_sampler_modes(s);
    CHECK(m && m->k == 8);
    if (!m) goto done;
    double sd = sqrt(pow(0.02 / 1.414, 2) + 1.0);
    CHECK_CLOSE(m->sd[0], sd, 1e-15, 0);
    for (size_t j = 0; j < n; j++)
        p[j] = x[2 * j];
    proj_ctx c = {m};
    CHECK(dq_ks(p, n, proj_cdf, &c) < dq_ks_crit(1e-3, n));
    gr_density d;
    CHECK_OK(gr_sampler_density(s, &d, &err), &err);
    CHECK(d.mixture != NULL);
    double px[8], py[8], e = NAN;
    for (size_t k = 0; k < 8; k++) {
        px[k] = m->mu[2 * k];
        py[k] = m->mu[2 * k + 1];
    }
    CHECK_CLOSE(dq_mass2(&d, px, 8, py, 8, &e), 1.0, 0, 1e-9);
    CHECK(e < 1e-9);
    double pt[2] = {0.37, -0.81}, lp = NAN, want = 0.0;
    CHECK_OK(d.logpdf(d.ctx, pt, &lp), NULL);
    for (size_t k = 0; k < 8; k++) {
        double a = (pt[0] - m->mu[2 * k]) / sd, b = (pt[1] - m->mu[2 * k + 1]) / sd;
        want += exp(-0.5 * (a * a + b * b)) / (8.0 * 2.0 * M_PI * sd * sd);
    }
    CHECK_CLOSE(lp, log(want), 1e-13, 0);
    double lo[2], hi[2], ilo[2], ihi[2];
    CHECK_OK(gr_sampler_box(s, lo, hi, &err), &err);
    CHECK_OK(gr_sampler_box(ref, ilo, ihi, &err), &err);
    CHECK_CLOSE(lo[0], ilo[0] - 12.0, 1e-15, 0);
    CHECK_CLOSE(hi[1], ihi[1] + 12.0, 1e-15, 0);
done:
    free(x);
    free(p);
    gr_rng_free(r);
    gr_rng_free(r2);
    gr_sampler_free(ref);
    gr_sampler_free(s);
}

static void test_noisy_other(void) {
    gr_error err = {0};
    gr_sampler *sr = NULL, *s = NULL, *p = NULL, *q = NULL, *pa = NULL, *pb = NULL;
    CHECK_OK(gr_data_swissroll_alloc(&sr, &err), &err);
    CHECK_OK(gr_data_noisy_alloc(&s, sr, 0.1, &err), &err);
    gr_density d;
    if (s) {
        CHECK_STATUS(gr_sampler_density(s, &d, &err), GR_EINVAL);
        CHECK(gr_sampler_modes(s) == NULL);
    }
    /* the 25-Gaussian cursor travels through the wrapper */
    CHECK_OK(gr_data_gauss25_alloc(&pa, 4, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&pb, 4, &err), &err);
    CHECK_OK(gr_data_noisy_alloc(&p, pa, 0.5, &err), &err);
    CHECK_OK(gr_data_noisy_alloc(&q, pb, 0.5, &err), &err);
    gsl_rng *r = NULL, *r2 = NULL;
    gr_rng_alloc(&r, 2, GR_STREAM_DATA, NULL);
    gr_rng_alloc(&r2, 2, GR_STREAM_DATA, NULL);
    if (p && q && r && r2) {
        double x[2 * 100], y[2 * 100];
        unsigned char st[16];
        CHECK(gr_sampler_state_size(p) == 16);
        CHECK_OK(gr_sampler_sample(p, r, 100, x, &err), &err);
        CHECK_OK(gr_sampler_state_save(p, st, 16, &err), &err);
        CHECK_OK(gr_sampler_state_load(q, st, 16, &err), &err);
        gr_rng_seed(r, 9, GR_STREAM_DATA, NULL); /* the same noise draws for both */
        gr_rng_seed(r2, 9, GR_STREAM_DATA, NULL);
        CHECK_OK(gr_sampler_sample(p, r, 100, x, &err), &err);
        CHECK_OK(gr_sampler_sample(q, r2, 100, y, &err), &err);
        const double *pool = gr_data_gauss25_pool(pb);
        CHECK(pool != NULL && fabs(y[0] - pool[200]) < 3.0); /* rows 100.. plus N(0, 0.25) */
        CHECK(memcmp(x, y, sizeof x) == 0);
        /* the noisy 25G density is the smoothed generating mixture */
        CHECK_OK(gr_sampler_density(p, &d, &err), &err);
        CHECK(d.mixture != NULL && d.mixture->k == 25);
        if (d.mixture) CHECK_CLOSE(d.mixture->sd[0], sqrt(pow(0.05 / 2.828, 2) + 0.25), 1e-15, 0);
    }
    gr_rng_free(r);
    gr_rng_free(r2);
    gr_sampler_free(s);
    gr_sampler_free(p);
    gr_sampler_free(q);
}

static void test_shift_rotate(void) {
    gr_error err = {0};
    gr_sampler *in = NULL, *ref = NULL, *sh = NULL, *ro = NULL, *ro4 = NULL, *in4 = NULL;
    gr_sampler *sr = NULL, *srs = NULL, *srr = NULL, *srref = NULL;
    const double v[2] = {0.3, -0.2}, ang = M_PI / 8;
    CHECK_OK(gr_data_gauss8_alloc(&ref, &err), &err);
    CHECK_OK(gr_data_gauss8_alloc(&in, &err), &err);
    CHECK_OK(gr_data_shift_alloc(&sh, in, v, &err), &err);
    CHECK_OK(gr_data_gauss8_alloc(&in, &err), &err);
    CHECK_OK(gr_data_rotate_alloc(&ro, in, ang, &err), &err);
    CHECK_OK(gr_data_gauss8_alloc(&in4, &err), &err);
    CHECK_OK(gr_data_rotate_alloc(&ro4, in4, M_PI / 4, &err), &err);
    CHECK_OK(gr_data_swissroll_alloc(&srref, &err), &err);
    CHECK_OK(gr_data_swissroll_alloc(&sr, &err), &err);
    CHECK_OK(gr_data_shift_alloc(&srs, sr, v, &err), &err);
    CHECK_OK(gr_data_swissroll_alloc(&sr, &err), &err);
    CHECK_OK(gr_data_rotate_alloc(&srr, sr, ang, &err), &err);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 5, GR_STREAM_DATA, &err), &err);
    if (!ref || !sh || !ro || !ro4 || !srref || !srs || !srr || !r) {
        CHECK(0);
        goto done;
    }
    double u[2 * 50], xs[2 * 50], xr[2 * 50];
    CHECK_OK(gr_sampler_sample(ref, r, 50, u, &err), &err);
    gr_rng_seed(r, 5, GR_STREAM_DATA, NULL);
    CHECK_OK(gr_sampler_sample(sh, r, 50, xs, &err), &err);
    gr_rng_seed(r, 5, GR_STREAM_DATA, NULL);
    CHECK_OK(gr_sampler_sample(ro, r, 50, xr, &err), &err);
    double c = cos(ang), s = sin(ang), worst = 0.0;
    for (size_t i = 0; i < 50; i++) {
        worst = fmax(worst, fabs(xs[2 * i] - (u[2 * i] + 0.3)));
        worst = fmax(worst, fabs(xs[2 * i + 1] - (u[2 * i + 1] - 0.2)));
        worst = fmax(worst, fabs(xr[2 * i] - (c * u[2 * i] - s * u[2 * i + 1])));
        worst = fmax(worst, fabs(xr[2 * i + 1] - (s * u[2 * i] + c * u[2 * i + 1])));
    }
    CHECK(worst < 1e-15);
    /* densities at the image equal the inner density at the pre-image */
    gr_density dref, dsh, dro, dro4, dsr, dsrs, dsrr;
    CHECK_OK(gr_sampler_density(ref, &dref, &err), &err);
    CHECK_OK(gr_sampler_density(sh, &dsh, &err), &err);
    CHECK_OK(gr_sampler_density(ro, &dro, &err), &err);
    CHECK_OK(gr_sampler_density(ro4, &dro4, &err), &err);
    CHECK_OK(gr_sampler_density(srref, &dsr, &err), &err);
    CHECK_OK(gr_sampler_density(srs, &dsrs, &err), &err);
    CHECK_OK(gr_sampler_density(srr, &dsrr, &err), &err);
    CHECK(dsh.mixture && dro.mixture && !dsrs.mixture && !dsrr.mixture);
    for (size_t i = 0; i < 20; i++) {
        const double *y = u + 2 * i;
        double ys[2] = {y[0] + 0.3, y[1] - 0.2}, yr[2] = {c * y[0] - s * y[1], s * y[0] + c * y[1]};
        double a, b;
        dref.logpdf(dref.ctx, y, &a);
        dsh.logpdf(dsh.ctx, ys, &b);
        CHECK_CLOSE(b, a, 1e-12, 1e-12);
        dro.logpdf(dro.ctx, yr, &b);
        CHECK_CLOSE(b, a, 1e-12, 1e-12);
        dro4.logpdf(dro4.ctx, y, &b); /* the ring is invariant under a quarter-pi turn */
        CHECK_CLOSE(b, a, 1e-10, 1e-10);
        double z[2] = {y[0] * 1.2, y[1] * 0.9}; /* somewhere on or near the roll's box */
        double zs[2] = {z[0] + 0.3, z[1] - 0.2}, zr[2] = {c * z[0] - s * z[1], s * z[0] + c * z[1]};
        dsr.logpdf(dsr.ctx, z, &a);
        dsrs.logpdf(dsrs.ctx, zs, &b);
        CHECK_CLOSE(b, a, 1e-13, 1e-13);
        dsrr.logpdf(dsrr.ctx, zr, &b);
        CHECK_CLOSE(b, a, 1e-11, 1e-11);
    }
    /* modes follow the map; the rotated ring keeps its radius */
    const gr_modes *ms = gr_sampler_modes(sh), *mr = gr_sampler_modes(ro),
                   *m0 = gr_sampler_modes(ref);
    CHECK(ms && mr && m0);
    if (ms && mr && m0)
        for (size_t k = 0; k < 8; k++) {
            CHECK_CLOSE(ms->mu[2 * k], m0->mu[2 * k] + 0.3, 1e-15, 1e-15);
            CHECK_CLOSE(hypot(mr->mu[2 * k], mr->mu[2 * k + 1]), 2.0 / 1.414, 1e-15, 0);
            CHECK_CLOSE(atan2(mr->mu[2 * k + 1], mr->mu[2 * k]),
                        remainder(atan2(m0->mu[2 * k + 1], m0->mu[2 * k]) + ang, 2.0 * M_PI), 0,
                        1e-14);
        }
    double lo[2], hi[2], ilo[2], ihi[2];
    CHECK_OK(gr_sampler_box(srs, lo, hi, &err), &err);
    CHECK_OK(gr_sampler_box(srref, ilo, ihi, &err), &err);
    CHECK(lo[0] == ilo[0] + 0.3 && hi[1] == ihi[1] - 0.2);
    CHECK_OK(gr_sampler_box(srr, lo, hi, &err), &err); /* the square turned by pi/8 */
    CHECK_CLOSE(hi[0], ihi[0] * (c + s), 1e-14, 0);
done:
    gr_rng_free(r);
    gr_sampler_free(ref);
    gr_sampler_free(sh);
    gr_sampler_free(ro);
    gr_sampler_free(ro4);
    gr_sampler_free(srref);
    gr_sampler_free(srs);
    gr_sampler_free(srr);
}

/* W1 between the 8 ring means (weights 1/8) and the collapsed generator's means (C45) */
static double collapsed_w1(const gr_modes *ring, const size_t *idx, size_t m, gr_sampler **keep) {
    gr_error err = {0};
    gr_sampler *g = NULL;
    if (gr_data_collapsed_alloc(&g, ring, m, idx, &err) != GR_OK) return NAN;
    const gr_modes *gm = gr_sampler_modes(g);
    double w = NAN;
    if (gr_ot_wasserstein(ring->mu, ring->w, ring->k, gm->mu, gm->w, gm->k, 2, 1, NULL, &w, &err) !=
        GR_OK)
        w = NAN;
    *keep = g;
    return w;
}

static void test_collapsed(void) {
    gr_error err = {0};
    gr_sampler *g8 = NULL, *g = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&g8, &err), &err);
    if (!g8) return;
    const gr_modes *ring = gr_sampler_modes(g8);
    const double R = 2.0 / 1.414;
    /* ring order by angle: 0 (0 deg), 4 (45), 2 (90), 6 (135), 1 (180), 7 (225), 3, 5 */
    const size_t one[1] = {0}, opp[2] = {0, 1}, alt[4] = {0, 2, 1, 3}, adj[4] = {0, 4, 2, 6};
    const size_t seven[7] = {0, 4, 2, 6, 1, 7, 3};
    CHECK_CLOSE(collapsed_w1(ring, one, 1, &g), R / (4.0 * tan(M_PI / 16)), 1e-12, 0);
    gr_sampler_free(g);
    CHECK_CLOSE(collapsed_w1(ring, opp, 2, &g), 0.736237 * R, 0, 5e-7 * R);
    gr_sampler_free(g);
    CHECK_CLOSE(collapsed_w1(ring, alt, 4, &g), R * sin(M_PI / 8), 1e-12, 0);
    gr_sampler_free(g);
    CHECK_CLOSE(collapsed_w1(ring, adj, 4, &g), 0.653281 * R, 0, 5e-7 * R);
    gr_sampler_free(g);
    CHECK_CLOSE(collapsed_w1(ring, seven, 7, &g), 0.179548 * R, 0, 5e-7 * R);
    gr_sampler_free(g);
    /* samples of a 2-mode generator sit at those modes with the ring's SD, half each */
    CHECK_OK(gr_data_collapsed_alloc(&g, ring, 2, opp, &err), &err);
    gsl_rng *r = NULL;
    gr_rng_alloc(&r, 3, GR_STREAM_DATA, NULL);
    enum { N = 4000 };
    double *x = malloc(2 * N * sizeof *x);
    if (g && r && x) {
        const gr_modes *gm = gr_sampler_modes(g);
        CHECK(gm->k == 2 && gm->w[0] == 0.5 && gm->sd[1] == ring->sd[1]);
        CHECK(gm->mu[2] == ring->mu[2] && gm->mu[3] == ring->mu[3]);
        CHECK_OK(gr_sampler_sample(g, r, N, x, &err), &err);
        size_t far = 0, near0 = 0;
        for (size_t i = 0; i < N; i++) {
            double d0 = hypot(x[2 * i] - ring->mu[0], x[2 * i + 1] - ring->mu[1]);
            double d1 = hypot(x[2 * i] - ring->mu[2], x[2 * i + 1] - ring->mu[3]);
            far += fmin(d0, d1) > 6.0 * ring->sd[0]; /* P(chi_2 > 6) = 1.5e-8 */
            near0 += d0 < d1;
        }
        CHECK(far == 0);
        CHECK(near0 > N / 2 - 200 && near0 < N / 2 + 200); /* 6.3 binomial SDs */
    }
    free(x);
    gr_rng_free(r);
    gr_sampler_free(g);
    /* errors */
    const size_t rep[2] = {3, 3}, big[1] = {8};
    CHECK_STATUS(gr_data_collapsed_alloc(&g, ring, 0, one, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_collapsed_alloc(&g, ring, 2, rep, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "twice");
    CHECK_STATUS(gr_data_collapsed_alloc(&g, ring, 1, big, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_collapsed_alloc(&g, NULL, 1, one, &err), GR_EINVAL);
    CHECK(g == NULL);
    gr_sampler_free(g8);
}

static void test_errors(void) {
    gr_error err = {0};
    gr_sampler *s = NULL, *in = NULL;
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_noisy_alloc(&s, in, -1.0, &err), GR_EDOM); /* in is freed */
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_noisy_alloc(&s, in, INFINITY, &err), GR_EDOM);
    gr_data_gauss8_alloc(&in, NULL);
    const double bad[2] = {0.0, NAN};
    CHECK_STATUS(gr_data_shift_alloc(&s, in, bad, &err), GR_EDOM);
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_shift_alloc(&s, in, NULL, &err), GR_EINVAL);
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_rotate_alloc(&s, in, NAN, &err), GR_EDOM);
    gr_data_gauss1d_alloc(&in, 0.0, 1.0, NULL);
    CHECK_STATUS(gr_data_rotate_alloc(&s, in, 1.0, &err), GR_EMISMATCH);
    CHECK_STATUS(gr_data_noisy_alloc(&s, NULL, 1.0, &err), GR_EINVAL);
    gr_data_gauss8_alloc(&in, NULL);
    CHECK_STATUS(gr_data_noisy_alloc(NULL, in, 1.0, &err), GR_EINVAL);
    CHECK(s == NULL);
    /* a 1-D point mass shifted: no density either */
    gr_data_pointmass_alloc(&in, 0.5, NULL);
    const double v1 = 1.0;
    CHECK_OK(gr_data_shift_alloc(&s, in, &v1, &err), &err);
    gr_density d;
    if (s) CHECK_STATUS(gr_sampler_density(s, &d, &err), GR_EINVAL);
    gr_sampler_free(s);
}

int main(void) {
    RUN(test_noisy);
    RUN(test_noisy_other);
    RUN(test_shift_rotate);
    RUN(test_collapsed);
    RUN(test_errors);
    return TEST_MAIN_END();
}
