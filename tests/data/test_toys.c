/* tests/data/test_toys.c — the C37 toy sets: the constants of gan_toy.py (C37's pass line),
 * the documented draw orders reproduced independently, the 25-Gaussian pool and its cursor
 * across a save/load, streams, densities integrating to 1, samplers agreeing with their
 * densities (KS on a 1-D projection, chi-square on polar bins), and the Swiss roll's
 * quadrature density against a brute-force sum over t. */
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/rng.h"
#include "data/sampler.h"
#include "data/toys.h"
#include "dquad.h"
#include "prob/mixture.h"
#include "test.h"

#define N5 100000

/* index of the nearest mode centre */
static size_t nearest(const gr_modes *m, const double *x) {
    size_t best = 0;
    double bd = INFINITY;
    for (size_t k = 0; k < m->k; k++) {
        double a = x[0] - m->mu[2 * k], b = x[1] - m->mu[2 * k + 1], d = a * a + b * b;
        if (d < bd) {
            bd = d;
            best = k;
        }
    }
    return best;
}

/* per-mode SD (pooled over both coordinates) of points assigned to their nearest centre */
static void per_mode_sd(const gr_modes *m, const double *x, size_t n, double *sd, size_t *cnt) {
    double ss[32] = {0};
    for (size_t k = 0; k < m->k; k++)
        cnt[k] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = nearest(m, x + 2 * i);
        double a = x[2 * i] - m->mu[2 * k], b = x[2 * i + 1] - m->mu[2 * k + 1];
        ss[k] += a * a + b * b;
        cnt[k]++;
    }
    for (size_t k = 0; k < m->k; k++)
        sd[k] = cnt[k] ? sqrt(ss[k] / (2.0 * (double)cnt[k])) : NAN;
}

static void test_gauss8_constants(void) {
    gr_error err = {0};
    gr_sampler *s = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&s, &err), &err);
    if (!s) return;
    CHECK(gr_sampler_dim(s) == 2);
    CHECK_STR_CONTAINS(gr_sampler_name(s), "8gaussians");
    const gr_modes *m = gr_sampler_modes(s);
    CHECK(m && m->k == 8 && m->d == 2);
    if (!m) goto done;
    for (size_t k = 0; k < 8; k++) {
        CHECK_CLOSE(hypot(m->mu[2 * k], m->mu[2 * k + 1]), 2.0 / 1.414, 0, 1e-6); /* C37 */
        CHECK_CLOSE(m->sd[k], 0.02 / 1.414, 1e-15, 0);
        CHECK_CLOSE(m->w[k], 0.125, 0, 0);
    }
    /* gan_toy.py's order: (1,0), (-1,0), (0,1), (0,-1), then the diagonals */
    CHECK_CLOSE(m->mu[0], 2.0 / 1.414, 1e-15, 0);
    CHECK_CLOSE(m->mu[3], 0.0, 0, 0);
    CHECK_CLOSE(m->mu[5], 2.0 / 1.414, 1e-15, 0);
    CHECK_CLOSE(m->mu[8], sqrt(2.0) / 1.414, 1e-15, 0);
    CHECK_CLOSE(m->mu[11], -sqrt(2.0) / 1.414, 1e-15, 0);

    /* per-mode SD within 2 % of 0.01414 on 1e5 samples (C37); ~12 500 points a mode give a
     * relative standard error of 0.45 %, so 2 % is a 4.4-sigma band per mode */
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 20261201, GR_STREAM_DATA, &err), &err);
    double *x = malloc(2 * N5 * sizeof *x);
    CHECK(x != NULL);
    if (r && x) {
        CHECK_OK(gr_sampler_sample(s, r, N5, x, &err), &err);
        double sd[8];
        size_t cnt[8];
        per_mode_sd(m, x, N5, sd, cnt);
        for (size_t k = 0; k < 8; k++) {
            CHECK_CLOSE(sd[k], 0.01414, 0.02, 0);
            CHECK(cnt[k] > 12000 && cnt[k] < 13000); /* 1/8 of 1e5 = 12500, SD 105 */
        }
    }
    free(x);
    gr_rng_free(r);
done:
    gr_sampler_free(s);
}

/* The documented draw order, reproduced here: one uniform (the centre), two normals. */
static void test_gauss8_draw_order(void) {
    gr_error err = {0};
    gr_sampler *s = NULL;
    gsl_rng *r1 = NULL, *r2 = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&s, &err), &err);
    CHECK_OK(gr_rng_alloc(&r1, 5, GR_STREAM_DATA, &err), &err);
    CHECK_OK(gr_rng_alloc(&r2, 5, GR_STREAM_DATA, &err), &err);
    if (!s || !r1 || !r2) goto done;
    const double h = 1.0 / sqrt(2.0);
    const double c[8][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {h, h}, {h, -h}, {-h, h}, {-h, -h}};
    double x[2 * 300];
    CHECK_OK(gr_sampler_sample(s, r1, 300, x, &err), &err);
    size_t bad = 0;
    for (size_t i = 0; i < 300; i++) {
        double u = gsl_rng_uniform(r2);
        size_t k = (size_t)floor(8.0 * u);
        double z0 = gsl_ran_gaussian_ziggurat(r2, 1.0), z1 = gsl_ran_gaussian_ziggurat(r2, 1.0);
        double sd = 0.02 / 1.414;
        double e0 = 2.0 * c[k][0] / 1.414 + sd * z0, e1 = 2.0 * c[k][1] / 1.414 + sd * z1;
        if (fabs(x[2 * i] - e0) > 1e-15 || fabs(x[2 * i + 1] - e1) > 1e-15) bad++;
    }
    CHECK(bad == 0);
done:
    gr_rng_free(r1);
    gr_rng_free(r2);
    gr_sampler_free(s);
}

/* The pool rebuilt here from the documented recipe must equal the sampler's, bit for bit. */
static void test_gauss25_pool(void) {
    gr_error err = {0};
    gr_sampler *s = NULL;
    CHECK_OK(gr_data_gauss25_alloc(&s, 42, &err), &err);
    if (!s) return;
    const double *pool = gr_data_gauss25_pool(s);
    CHECK(pool != NULL);
    const gr_modes *m = gr_sampler_modes(s);
    CHECK(m && m->k == 25);
    double *ref = malloc(2 * N5 * sizeof *ref);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 42, GR_STREAM_POOL, &err), &err);
    if (!pool || !m || !ref || !r) goto done;
    CHECK(GR_DATA_GAUSS25_POOL == 100000); /* C37 */
    size_t i = 0;
    for (int rep = 0; rep < 4000; rep++)
        for (int a = -2; a <= 2; a++)
            for (int b = -2; b <= 2; b++, i++) {
                double z0 = gsl_ran_gaussian_ziggurat(r, 1.0),
                       z1 = gsl_ran_gaussian_ziggurat(r, 1.0);
                ref[2 * i] = 2.0 * a + 0.05 * z0;
                ref[2 * i + 1] = 2.0 * b + 0.05 * z1;
            }
    gsl_ran_shuffle(r, ref, N5, 2 * sizeof *ref);
    for (i = 0; i < 2 * N5; i++)
        ref[i] /= 2.828;
    CHECK(memcmp(ref, pool, 2 * N5 * sizeof *ref) == 0);

    /* spacing 2/2.828 (C37), SD 0.05/2.828, exactly 4000 points per centre */
    for (size_t k = 0; k + 1 < 25; k++)
        if (k % 5 != 4)
            CHECK_CLOSE(m->mu[2 * (k + 1) + 1] - m->mu[2 * k + 1], 2.0 / 2.828, 1e-14, 0);
    for (size_t k = 0; k + 5 < 25; k++)
        CHECK_CLOSE(m->mu[2 * (k + 5)] - m->mu[2 * k], 2.0 / 2.828, 1e-14, 0);
    double sd[25];
    size_t cnt[25];
    per_mode_sd(m, pool, N5, sd, cnt);
    for (size_t k = 0; k < 25; k++) {
        CHECK(cnt[k] == 4000);
        CHECK_CLOSE(sd[k], 0.05 / 2.828, 0.04, 0); /* 8000 values: rel. s.e. 0.8 %, 5 sigma */
        CHECK_CLOSE(m->sd[k], 0.05 / 2.828, 1e-15, 0);
    }
    /* shuffled: the first 25 rows are not the generation order (centre 0, 1, 2, ...) */
    size_t in_order = 0;
    for (size_t j = 0; j < 25; j++)
        in_order += nearest(m, pool + 2 * j) == j;
    CHECK(in_order < 25);
done:
    free(ref);
    gr_rng_free(r);
    gr_sampler_free(s);
}

/* Batches read the pool in order; an epoch is 390 batches of 256 (the last 160 rows are
 * never read), then the first batch again; the cursor survives a save/load. */
static void test_gauss25_cursor(void) {
    gr_error err = {0};
    gr_sampler *s = NULL, *t = NULL, *other = NULL;
    gsl_rng *r = NULL;
    CHECK_OK(gr_data_gauss25_alloc(&s, 7, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&t, 7, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&other, 8, &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 7, GR_STREAM_DATA, &err), &err);
    if (!s || !t || !other || !r) goto done;
    const double *pool = gr_data_gauss25_pool(s);
    double x[2 * 256], y[2 * 256];
    unsigned long before = gsl_rng_get(r);
    gr_rng_seed(r, 7, GR_STREAM_DATA, NULL);
    for (size_t b = 0; b < 390; b++) {
        CHECK_OK(gr_sampler_sample(s, r, 256, x, &err), &err);
        if (b == 0 || b == 389) CHECK(memcmp(x, pool + 2 * 256 * b, sizeof x) == 0);
    }
    CHECK(gsl_rng_get(r) == before); /* reading the pool draws nothing */
    size_t cur = 0;
    CHECK_OK(gr_data_gauss25_cursor(s, &cur, &err), &err);
    CHECK(cur == 390 * 256);
    CHECK_OK(gr_sampler_sample(s, r, 256, x, &err), &err); /* new epoch */
    CHECK(memcmp(x, pool, sizeof x) == 0);

    /* save after 3 batches, load into a fresh sampler: it continues with batch 4 */
    CHECK(gr_sampler_state_size(s) == 16);
    unsigned char st[16];
    CHECK_OK(gr_sampler_sample(s, r, 256, x, &err), &err);
    CHECK_OK(gr_sampler_sample(s, r, 256, x, &err), &err);
    CHECK_OK(gr_sampler_state_save(s, st, sizeof st, &err), &err);
    CHECK_OK(gr_sampler_sample(s, r, 256, x, &err), &err);
    CHECK_OK(gr_sampler_state_load(t, st, sizeof st, &err), &err);
    CHECK_OK(gr_sampler_sample(t, r, 256, y, &err), &err);
    CHECK(memcmp(x, y, sizeof x) == 0);
    CHECK(memcmp(y, pool + 2 * 256 * 3, sizeof y) == 0);

    /* refused: another pool's state, a cursor past the end, a wrong size, too large a batch */
    CHECK_STATUS(gr_sampler_state_load(other, st, sizeof st, &err), GR_EMISMATCH);
    CHECK_STR_CONTAINS(err.msg, "seed 7");
    unsigned char badst[16];
    memcpy(badst, st, 16);
    badst[0] = 0xff;
    badst[1] = 0xff;
    badst[2] = 0xff;
    CHECK_STATUS(gr_sampler_state_load(t, badst, sizeof badst, &err), GR_EFORMAT);
    CHECK_STATUS(gr_sampler_state_load(t, st, 8, &err), GR_EFORMAT);
    CHECK_STATUS(gr_sampler_state_save(t, st, 8, &err), GR_EINVAL);
    double *big = malloc(2 * (N5 + 1) * sizeof *big);
    if (big) CHECK_STATUS(gr_sampler_sample(t, r, N5 + 1, big, &err), GR_EINVAL);
    free(big);
    size_t c2 = 0;
    CHECK_OK(gr_data_gauss25_cursor(t, &c2, &err), &err);
    CHECK(c2 == 4 * 256); /* failed calls did not move it */
done:
    gr_rng_free(r);
    gr_sampler_free(s);
    gr_sampler_free(t);
    gr_sampler_free(other);
}

/* Same seed and stream: same points; another stream id or seed: different points. */
static void test_streams(void) {
    gr_error err = {0};
    gr_sampler *g8 = NULL, *sr = NULL, *p1 = NULL, *p2 = NULL, *p3 = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&g8, &err), &err);
    CHECK_OK(gr_data_swissroll_alloc(&sr, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&p1, 11, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&p2, 11, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&p3, 12, &err), &err);
    gr_sampler *ss[2] = {g8, sr};
    for (int k = 0; k < 2; k++) {
        if (!ss[k]) continue;
        gsl_rng *a = NULL, *b = NULL, *c = NULL;
        gr_rng_alloc(&a, 99, GR_STREAM_DATA, NULL);
        gr_rng_alloc(&b, 99, GR_STREAM_DATA, NULL);
        gr_rng_alloc(&c, 99, GR_STREAM_EVAL, NULL);
        double x[200], y[200], z[200];
        CHECK_OK(gr_sampler_sample(ss[k], a, 100, x, &err), &err);
        CHECK_OK(gr_sampler_sample(ss[k], b, 40, y, &err), &err); /* any batching */
        CHECK_OK(gr_sampler_sample(ss[k], b, 60, y + 80, &err), &err);
        CHECK_OK(gr_sampler_sample(ss[k], c, 100, z, &err), &err);
        CHECK(memcmp(x, y, sizeof x) == 0);
        size_t same = 0;
        for (int i = 0; i < 200; i++)
            same += x[i] == z[i];
        CHECK(same == 0);
        gr_rng_free(a);
        gr_rng_free(b);
        gr_rng_free(c);
    }
    if (p1 && p2 && p3) {
        CHECK(memcmp(gr_data_gauss25_pool(p1), gr_data_gauss25_pool(p2), 2 * N5 * sizeof(double)) ==
              0);
        CHECK(memcmp(gr_data_gauss25_pool(p1), gr_data_gauss25_pool(p3),
                     2 * 100 * sizeof(double)) != 0);
    }
    gr_sampler_free(g8);
    gr_sampler_free(sr);
    gr_sampler_free(p1);
    gr_sampler_free(p2);
    gr_sampler_free(p3);
}

/* Swiss roll: t/7.5 in [0.628, 1.885] before noise (C37), the documented draw order, the
 * noise SD 0.25/7.5 around c(t)/7.5. */
static void test_swissroll_curve(void) {
    gr_error err = {0};
    gr_sampler *s = NULL;
    gsl_rng *r = NULL, *r2 = NULL;
    CHECK_OK(gr_data_swissroll_alloc(&s, &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 3, GR_STREAM_DATA, &err), &err);
    CHECK_OK(gr_rng_alloc(&r2, 3, GR_STREAM_DATA, &err), &err);
    double *x = malloc(2 * N5 * sizeof *x), *t = malloc(N5 * sizeof *t);
    double *y = malloc(2 * N5 * sizeof *y);
    if (!s || !r || !r2 || !x || !t || !y) {
        CHECK(0);
        goto done;
    }
    CHECK(gr_sampler_modes(s) == NULL);
    CHECK_OK(gr_data_swissroll_sample_t(s, r, N5, x, t, &err), &err);
    CHECK_OK(gr_sampler_sample(s, r2, N5, y, &err), &err);
    CHECK(memcmp(x, y, 2 * N5 * sizeof *x) == 0); /* the same draws */
    double tmin = INFINITY, tmax = -INFINITY, ss = 0.0;
    for (size_t i = 0; i < N5; i++) {
        tmin = fmin(tmin, t[i] / 7.5);
        tmax = fmax(tmax, t[i] / 7.5);
        double a = x[2 * i] - t[i] * cos(t[i]) / 7.5, b = x[2 * i + 1] - t[i] * sin(t[i]) / 7.5;
        ss += a * a + b * b;
    }
    CHECK(tmin >= 0.628 && tmax <= 1.885); /* C37 */
    CHECK(tmin < 0.6284 && tmax > 1.8848); /* and the whole range is used */
    /* noise SD: 2e5 squared normals, relative s.e. of the SD 0.16 %; 1 % is 6 s.e. */
    CHECK_CLOSE(sqrt(ss / (2.0 * N5)), 0.25 / 7.5, 0.01, 0);
    /* the draw order: one uniform, then two normals */
    gr_rng_seed(r2, 3, GR_STREAM_DATA, NULL);
    size_t bad = 0;
    for (size_t i = 0; i < 100; i++) {
        double tt = 1.5 * M_PI * (1.0 + 2.0 * gsl_rng_uniform(r2));
        double z0 = gsl_ran_gaussian_ziggurat(r2, 1.0), z1 = gsl_ran_gaussian_ziggurat(r2, 1.0);
        if (tt != t[i] || fabs(x[2 * i] - (tt * cos(tt) + 0.25 * z0) / 7.5) > 1e-15 ||
            fabs(x[2 * i + 1] - (tt * sin(tt) + 0.25 * z1) / 7.5) > 1e-15)
            bad++;
    }
    CHECK(bad == 0);
    CHECK_STATUS(gr_data_swissroll_sample_t(s, r, 0, x, t, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_swissroll_sample_t(s, r, 1, x, NULL, &err), GR_EINVAL);
done:
    free(x);
    free(t);
    free(y);
    gr_rng_free(r);
    gr_rng_free(r2);
    gr_sampler_free(s);
}

/* break points of a mixture density: the distinct centre coordinates per axis */
static void mixture_breaks(const gr_mixture *m, double *px, double *py) {
    for (size_t k = 0; k < m->k; k++) {
        px[k] = m->mu[2 * k];
        py[k] = m->mu[2 * k + 1];
    }
}

static void test_mixture_mass(void) {
    gr_error err = {0};
    gr_sampler *g8 = NULL, *g25 = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&g8, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&g25, 1, &err), &err);
    gr_sampler *ss[2] = {g8, g25};
    for (int i = 0; i < 2; i++) {
        gr_density d;
        if (!ss[i]) continue;
        CHECK_OK(gr_sampler_density(ss[i], &d, &err), &err);
        CHECK(d.mixture != NULL && d.box_lo && d.box_hi);
        if (!d.mixture) continue;
        double lo[2], hi[2];
        CHECK_OK(gr_sampler_box(ss[i], lo, hi, &err), &err);
        CHECK(lo[0] == d.box_lo[0] && hi[1] == d.box_hi[1]);
        double px[25], py[25], e = NAN;
        mixture_breaks(d.mixture, px, py);
        double mass = dq_mass2(&d, px, d.mixture->k, py, d.mixture->k, &e);
        CHECK_CLOSE(mass, 1.0, 0, 1e-9);
        CHECK(e < 1e-9);
        /* the density is the mixture of the modes table: check one value by hand */
        const gr_modes *m = gr_sampler_modes(ss[i]);
        double x[2] = {m->mu[0] + 0.3 * m->sd[0], m->mu[1] - 0.2 * m->sd[0]}, lp;
        CHECK_OK(d.logpdf(d.ctx, x, &lp), NULL);
        double p = 0.0;
        for (size_t k = 0; k < m->k; k++) {
            double a = (x[0] - m->mu[2 * k]) / m->sd[k], b = (x[1] - m->mu[2 * k + 1]) / m->sd[k];
            p += m->w[k] * exp(-0.5 * (a * a + b * b)) / (2.0 * M_PI * m->sd[k] * m->sd[k]);
        }
        CHECK_CLOSE(lp, log(p), 1e-13, 1e-13);
    }
    gr_sampler_free(g8);
    gr_sampler_free(g25);
}

typedef struct {
    const gr_modes *m;
} proj_ctx;

/* CDF of the x_1 projection of an isotropic 2-D mixture, from the modes table */
static double proj_cdf(double a, void *p) {
    const gr_modes *m = ((proj_ctx *)p)->m;
    double f = 0.0;
    for (size_t k = 0; k < m->k; k++)
        f += m->w[k] * gsl_cdf_ugaussian_P((a - m->mu[2 * k]) / m->sd[k]);
    return f;
}

/* KS on the x_1 projection at false-alarm rate 1e-3 (asymptotic critical value; fixed seed,
 * so the outcome is deterministic; a wrong SD or centre shifts D far above it). */
static void test_mixture_ks(void) {
    gr_error err = {0};
    gr_sampler *g8 = NULL, *g25 = NULL;
    gsl_rng *r = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&g8, &err), &err);
    CHECK_OK(gr_data_gauss25_alloc(&g25, 3, &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 17, GR_STREAM_TEST, &err), &err);
    const size_t n = 20000;
    double *x = malloc(2 * n * sizeof *x), *p = malloc(n * sizeof *p);
    gr_sampler *ss[2] = {g8, g25};
    for (int i = 0; i < 2 && x && p && r; i++) {
        if (!ss[i]) continue;
        CHECK_OK(gr_sampler_sample(ss[i], r, n, x, &err), &err);
        for (size_t j = 0; j < n; j++)
            p[j] = x[2 * j];
        proj_ctx c = {gr_sampler_modes(ss[i])};
        double D = dq_ks(p, n, proj_cdf, &c);
        CHECK(D < dq_ks_crit(1e-3, n));
        /* power: the same points against the modes with a 50 % larger SD are rejected */
        gr_modes wide = *c.m;
        double sdw[25];
        for (size_t k = 0; k < wide.k; k++)
            sdw[k] = 1.5 * c.m->sd[k];
        wide.sd = sdw;
        proj_ctx cw = {&wide};
        CHECK(dq_ks(p, n, proj_cdf, &cw) > dq_ks_crit(1e-3, n));
    }
    free(x);
    free(p);
    gr_rng_free(r);
    gr_sampler_free(g8);
    gr_sampler_free(g25);
}

/* ---- Swiss roll density ---- */

/* brute force: 100 000 Gauss-Legendre panels (5 nodes each) over t, shifted by the largest
 * exponent on the nodes; returns log p(x) in scaled units */
static double sr_brute(const double *x) {
    static const double gx[5] = {-0.9061798459386640, -0.5384693101056831, 0.0, 0.5384693101056831,
                                 0.9061798459386640};
    static const double gw[5] = {0.2369268850561891, 0.4786286704993665, 0.5688888888888889,
                                 0.4786286704993665, 0.2369268850561891};
    const size_t P = 100000;
    const double t0 = 1.5 * M_PI, t1 = 4.5 * M_PI, h = (t1 - t0) / (double)P, s2 = 2 * 0.0625;
    double X0 = 7.5 * x[0], X1 = 7.5 * x[1], qmin = INFINITY;
    for (int pass = 0; pass < 2; pass++) {
        double sum = 0.0;
        for (size_t i = 0; i < P; i++) {
            double c = t0 + h * ((double)i + 0.5);
            for (int k = 0; k < 5; k++) {
                double t = c + 0.5 * h * gx[k], a = X0 - t * cos(t), b = X1 - t * sin(t);
                double q = (a * a + b * b) / s2;
                if (pass == 0)
                    qmin = fmin(qmin, q);
                else
                    sum += gw[k] * exp(qmin - q);
            }
        }
        if (pass == 1)
            return 2.0 * log(7.5) - log(3.0 * M_PI) - log(2.0 * M_PI * 0.0625) - qmin +
                   log(0.5 * h * sum);
    }
    return NAN;
}

static void test_swissroll_density_accuracy(void) {
    gr_error err = {0};
    gr_sampler *s = NULL;
    gsl_rng *r = NULL;
    CHECK_OK(gr_data_swissroll_alloc(&s, &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 23, GR_STREAM_TEST, &err), &err);
    if (!s || !r) goto done;
    gr_density d;
    CHECK_OK(gr_sampler_density(s, &d, &err), &err);
    CHECK(d.mixture == NULL && d.d == 2);
    /* points on the roll (drawn), between the arms, at both ends, the centre, far outside */
    double pts[40][2];
    size_t np = 0;
    double drawn[2 * 16];
    CHECK_OK(gr_sampler_sample(s, r, 16, drawn, &err), &err);
    for (size_t i = 0; i < 16; i++, np++) {
        pts[np][0] = drawn[2 * i];
        pts[np][1] = drawn[2 * i + 1];
    }
    const double fixed[][2] = {{0, 0},         {0.5, 0.5},     {1.0, -0.2},   {-1.2, 0.3},
                               {0.0, -0.6283}, {0.0, -1.8850}, {0.05, -0.63}, {0.0, -1.95},
                               {1.3, 0.0},     {-0.7, -0.4},   {2.2, 2.2},    {-2.0, 1.5},
                               {0.9, 0.95},    {0.0, 1.1},     {1.6, -0.1},   {-1.6, -0.05}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++, np++) {
        pts[np][0] = fixed[i][0];
        pts[np][1] = fixed[i][1];
    }
    double worst = 0.0;
    for (size_t i = 0; i < np; i++) {
        double lp = NAN;
        CHECK_OK(d.logpdf(d.ctx, pts[i], &lp), NULL);
        double ref = sr_brute(pts[i]);
        double rel = fabs(expm1(lp - ref)); /* relative error of the density */
        worst = fmax(worst, rel);
        CHECK_CLOSE(lp, ref, 0, 1e-9);
    }
    printf("swiss roll density: worst relative error %.2e over %zu points\n", worst, np);
    double bad[2] = {NAN, 0.0}, lp;
    CHECK_STATUS(d.logpdf(d.ctx, bad, &lp), GR_EDOM);
    double huge[2] = {1e200, -1e200}, farx[2] = {40.0, -30.0};
    CHECK_OK(d.logpdf(d.ctx, huge, &lp), NULL);
    CHECK(lp == -INFINITY);
    CHECK_OK(d.logpdf(d.ctx, farx, &lp), NULL); /* ~ -(|7.5 x| - 14.1)^2 / (2 0.25^2) */
    CHECK(isfinite(lp) && lp < -5e5);
done:
    gr_rng_free(r);
    gr_sampler_free(s);
}

/* ---- Swiss roll mass and chi-square, in polar coordinates of the unscaled plane ---- */

typedef struct {
    const gr_density *d;
    double phi, rho_lo, rho_hi;
    gsl_integration_workspace *wi;
    double max_inner_err;
    int status;
} polar_ctx;

static double polar_inner(double rho, void *p) {
    polar_ctx *c = p;
    double x[2] = {rho * cos(c->phi) / 7.5, rho * sin(c->phi) / 7.5}, lp;
    if (c->d->logpdf(c->d->ctx, x, &lp) != GR_OK) c->status = -1;
    return exp(lp) / (7.5 * 7.5) * rho; /* density in unscaled units, times the Jacobian */
}

static double polar_outer(double phi, void *p) {
    polar_ctx *c = p;
    c->phi = phi;
    /* the roll crosses this ray at radii t = phi + 2 pi j: break there and 2 noise SDs away */
    double pts[64];
    size_t n = 0;
    for (int j = -2; j <= 4; j++) {
        double t = phi + 2.0 * M_PI * j;
        if (t < 1.5 * M_PI - 3.0 || t > 4.5 * M_PI + 3.0) continue;
        pts[n++] = t - 0.5;
        pts[n++] = t;
        pts[n++] = t + 0.5;
    }
    double b[DQ_MAXB];
    size_t nb = dq_breaks(pts, n, c->rho_lo, c->rho_hi, b);
    gsl_function F = {polar_inner, c};
    double r = NAN, e = NAN;
    if (gsl_integration_qagp(&F, b, nb, 1e-13, 1e-10, DQ_LIMIT, c->wi, &r, &e) != 0) c->status = -2;
    if (e > c->max_inner_err) c->max_inner_err = e;
    return r;
}

/* mass of the sector [phi0, phi1] x [rho0, rho1] (unscaled polar coordinates) */
static double polar_mass(const gr_density *d, double phi0, double phi1, double rho0, double rho1,
                         double *abserr, int *status) {
    polar_ctx c = {
        .d = d, .rho_lo = rho0, .rho_hi = rho1, .wi = gsl_integration_workspace_alloc(DQ_LIMIT)};
    gsl_integration_workspace *wo = gsl_integration_workspace_alloc(DQ_LIMIT);
    gsl_function F = {polar_outer, &c};
    double r = NAN, e = NAN;
    int gs =
        gsl_integration_qag(&F, phi0, phi1, 1e-12, 1e-9, DQ_LIMIT, GSL_INTEG_GAUSS21, wo, &r, &e);
    gsl_integration_workspace_free(wo);
    gsl_integration_workspace_free(c.wi);
    *status = gs != 0 ? gs : c.status;
    *abserr = e + (phi1 - phi0) * c.max_inner_err;
    return r;
}

/* 8 sectors (starting at the roll's ends, angle -pi/2) x 3 rings; the rings' outer radius
 * 18 leaves out less than exp(-(18 - 4.5 pi)^2 / (2 0.25^2)) ~ 1e-51 of the mass. The mass
 * is the sum over bins; chi-square of 1e5 draws against the bin masses at false-alarm rate
 * 1e-3 (GSL's chi-square quantile), fixed seed. */
static void test_swissroll_mass_chi2(void) {
    gr_error err = {0};
    gr_sampler *s = NULL;
    gsl_rng *r = NULL;
    CHECK_OK(gr_data_swissroll_alloc(&s, &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 31, GR_STREAM_TEST, &err), &err);
    double *x = malloc(2 * N5 * sizeof *x);
    if (!s || !r || !x) {
        CHECK(0);
        goto done;
    }
    gr_density d;
    CHECK_OK(gr_sampler_density(s, &d, &err), &err);
    enum { NS = 8, NR = 3 };
    const double rings[NR + 1] = {0.0, 8.0, 11.5, 18.0};
    double expct[NS * NR], obs[NS * NR] = {0}, mass = 0.0, emass = 0.0;
    int all_ok = 1;
    for (int a = 0; a < NS; a++)
        for (int b = 0; b < NR; b++) {
            double e = NAN;
            int st = 0;
            double phi0 = -M_PI / 2 + a * M_PI / 4, phi1 = phi0 + M_PI / 4;
            double m = polar_mass(&d, phi0, phi1, rings[b], rings[b + 1], &e, &st);
            if (st != 0) all_ok = 0;
            expct[a * NR + b] = N5 * m;
            mass += m;
            emass += e;
        }
    CHECK(all_ok);
    printf("swiss roll mass %.15f (error estimate %.2e)\n", mass, emass);
    CHECK_CLOSE(mass, 1.0, 0, 1e-8);
    CHECK(emass < 1e-8);
    CHECK_OK(gr_sampler_sample(s, r, N5, x, &err), &err);
    for (size_t i = 0; i < N5; i++) {
        double X0 = 7.5 * x[2 * i], X1 = 7.5 * x[2 * i + 1], rho = hypot(X0, X1);
        double phi = atan2(X1, X0);
        if (phi < -M_PI / 2) phi += 2.0 * M_PI;
        int a = (int)floor((phi + M_PI / 2) / (M_PI / 4)), b = 0;
        while (b < NR - 1 && rho >= rings[b + 1])
            b++;
        if (a >= 0 && a < NS && rho < rings[NR]) obs[a * NR + b] += 1.0;
    }
    size_t dof = 0;
    double chi = dq_chi2(obs, expct, NS * NR, &dof);
    double crit = gsl_cdf_chisq_Qinv(1e-3, (double)dof);
    printf("swiss roll chi2 %.2f on %zu dof (critical %.2f at 1e-3)\n", chi, dof, crit);
    CHECK(dof >= 15);
    CHECK(chi < crit);
done:
    free(x);
    gr_rng_free(r);
    gr_sampler_free(s);
}

static void test_errors(void) {
    gr_error err = {0};
    CHECK_STATUS(gr_data_gauss8_alloc(NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_gauss25_alloc(NULL, 1, &err), GR_EINVAL);
    CHECK_STATUS(gr_data_swissroll_alloc(NULL, &err), GR_EINVAL);
    gr_sampler *g8 = NULL;
    CHECK_OK(gr_data_gauss8_alloc(&g8, &err), &err);
    CHECK(gr_data_gauss25_pool(g8) == NULL);
    size_t c;
    CHECK_STATUS(gr_data_gauss25_cursor(g8, &c, &err), GR_EINVAL);
    double x[2], t[1];
    gsl_rng *r = NULL;
    gr_rng_alloc(&r, 1, GR_STREAM_TEST, NULL);
    CHECK_STATUS(gr_data_swissroll_sample_t(g8, r, 1, x, t, &err), GR_EINVAL);
    CHECK_STATUS(gr_sampler_sample(g8, r, 0, x, &err), GR_EINVAL);
    CHECK(gr_sampler_state_size(g8) == 0);
    CHECK_OK(gr_sampler_state_save(g8, NULL, 0, &err), &err);
    gr_rng_free(r);
    gr_sampler_free(g8);
}

int main(void) {
    RUN(test_gauss8_constants);
    RUN(test_gauss8_draw_order);
    RUN(test_gauss25_pool);
    RUN(test_gauss25_cursor);
    RUN(test_streams);
    RUN(test_swissroll_curve);
    RUN(test_mixture_mass);
    RUN(test_mixture_ks);
    RUN(test_swissroll_density_accuracy);
    RUN(test_swissroll_mass_chi2);
    RUN(test_errors);
    return TEST_MAIN_END();
}
