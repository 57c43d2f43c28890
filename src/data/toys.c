/* data/toys.c — 8 Gaussians, 25 Gaussians and the Swiss roll of gan_toy.py (see toys.h). */
#include "data/toys.h"

#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "data/mixture.h"
#include "prob/mixture.h"

/* ---------- 8 Gaussians ---------- */

int gr_data_gauss8_alloc(gr_sampler **out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_gauss8_alloc: NULL output");
    const double s = 1.0 / sqrt(2.0);
    const double c[8][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {s, s}, {s, -s}, {-s, s}, {-s, -s}};
    double mu[16], w[8], sd[8];
    for (size_t k = 0; k < 8; k++) {
        mu[2 * k] = GR_DATA_GAUSS8_RADIUS * c[k][0] / GR_DATA_GAUSS8_SCALE;
        mu[2 * k + 1] = GR_DATA_GAUSS8_RADIUS * c[k][1] / GR_DATA_GAUSS8_SCALE;
        w[k] = 1.0 / 8.0;
        sd[k] = GR_DATA_GAUSS8_SD / GR_DATA_GAUSS8_SCALE;
    }
    return gr_data_mixture_alloc(out, "8gaussians", 2, 8, w, mu, sd, err);
}

/* ---------- 25 Gaussians ---------- */

typedef struct {
    double *pool; /* GR_DATA_GAUSS25_POOL x 2 */
    size_t cursor;
    uint64_t seed;
    gr_mixture *m; /* the generating mixture */
    double sd[25];
    gr_modes modes;
} g25_impl;

static void g25_free(void *p) {
    g25_impl *q = p;
    if (!q) return;
    free(q->pool);
    gr_mixture_free(q->m);
    free(q);
}

static int g25_sample(void *p, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    (void)rng; /* the pool was drawn once; reading it takes no randomness */
    g25_impl *q = p;
    if (n > GR_DATA_GAUSS25_POOL)
        return GR_ERROR(err, GR_EINVAL, "25gaussians: %zu points asked, the pool holds %d", n,
                        GR_DATA_GAUSS25_POOL);
    if (GR_DATA_GAUSS25_POOL - q->cursor < n) q->cursor = 0; /* new epoch, as gan_toy.py */
    memcpy(x, q->pool + 2 * q->cursor, 2 * n * sizeof *x);
    q->cursor += n;
    return GR_OK;
}

static const gr_modes *g25_modes(const void *p) { return &((const g25_impl *)p)->modes; }

static int g25_density(const void *p, gr_density *out, gr_error *err) {
    (void)err;
    gr_mixture_density(((const g25_impl *)p)->m, out);
    return GR_OK;
}

enum { G25_STATE = 16 };

static size_t g25_state_size(const void *p) {
    (void)p;
    return G25_STATE;
}

static void put_u64(unsigned char *b, uint64_t v) {
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *b) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static int g25_state_save(const void *p, void *buf, size_t size, gr_error *err) {
    (void)size;
    (void)err;
    const g25_impl *q = p;
    put_u64(buf, (uint64_t)q->cursor);
    put_u64((unsigned char *)buf + 8, q->seed);
    return GR_OK;
}

static int g25_state_load(void *p, const void *buf, size_t size, gr_error *err) {
    (void)size;
    g25_impl *q = p;
    uint64_t cur = get_u64(buf), seed = get_u64((const unsigned char *)buf + 8);
    if (seed != q->seed)
        return GR_ERROR(err, GR_EMISMATCH,
                        "25gaussians: saved state is for the pool of seed %llu, this pool has "
                        "seed %llu",
                        (unsigned long long)seed, (unsigned long long)q->seed);
    if (cur > GR_DATA_GAUSS25_POOL)
        return GR_ERROR(err, GR_EFORMAT, "25gaussians: saved cursor %llu is outside the pool (%d)",
                        (unsigned long long)cur, GR_DATA_GAUSS25_POOL);
    q->cursor = (size_t)cur;
    return GR_OK;
}

static const gr_sampler_ops g25_ops = {g25_sample,     g25_modes,      g25_density, g25_state_size,
                                       g25_state_save, g25_state_load, g25_free};

int gr_data_gauss25_alloc(gr_sampler **out, uint64_t seed, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_gauss25_alloc: NULL output");
    *out = NULL;
    g25_impl *q = calloc(1, sizeof *q);
    if (q) q->pool = malloc(2 * (size_t)GR_DATA_GAUSS25_POOL * sizeof *q->pool);
    if (!q || !q->pool) {
        g25_free(q);
        return GR_ERROR(err, GR_ENOMEM, "gr_data_gauss25_alloc: pool of %d points",
                        GR_DATA_GAUSS25_POOL);
    }
    q->seed = seed;
    double mu[50], w[25];
    for (int x = -2, k = 0; x <= 2; x++)
        for (int y = -2; y <= 2; y++, k++) {
            mu[2 * k] = GR_DATA_GAUSS25_SPACING * x / GR_DATA_GAUSS25_SCALE;
            mu[2 * k + 1] = GR_DATA_GAUSS25_SPACING * y / GR_DATA_GAUSS25_SCALE;
            w[k] = 1.0 / 25.0;
            q->sd[k] = GR_DATA_GAUSS25_SD / GR_DATA_GAUSS25_SCALE;
        }
    int st = gr_mixture_alloc(&q->m, 2, 25, w, mu, q->sd, 1, err);
    if (st != GR_OK) {
        g25_free(q);
        return gr_error_prefix(err, st, "25gaussians: ");
    }
    q->modes = (gr_modes){.k = 25, .d = 2, .mu = q->m->mu, .sd = q->sd, .w = q->m->w};
    gsl_rng *r = NULL;
    st = gr_rng_alloc(&r, seed, GR_STREAM_POOL, err);
    if (st != GR_OK) {
        g25_free(q);
        return gr_error_prefix(err, st, "25gaussians: ");
    }
    size_t i = 0;
    for (int rep = 0; rep < GR_DATA_GAUSS25_PER_MODE; rep++)
        for (int x = -2; x <= 2; x++)
            for (int y = -2; y <= 2; y++, i++) {
                double z0 = gsl_ran_gaussian_ziggurat(r, 1.0);
                double z1 = gsl_ran_gaussian_ziggurat(r, 1.0);
                q->pool[2 * i] = GR_DATA_GAUSS25_SPACING * x + GR_DATA_GAUSS25_SD * z0;
                q->pool[2 * i + 1] = GR_DATA_GAUSS25_SPACING * y + GR_DATA_GAUSS25_SD * z1;
            }
    gsl_ran_shuffle(r, q->pool, GR_DATA_GAUSS25_POOL, 2 * sizeof *q->pool);
    gr_rng_free(r);
    for (i = 0; i < 2 * (size_t)GR_DATA_GAUSS25_POOL; i++)
        q->pool[i] /= GR_DATA_GAUSS25_SCALE;
    return gr_sampler_wrap(out, q, &g25_ops, 2, "25gaussians", q->m->box_lo, q->m->box_hi, err);
}

const double *gr_data_gauss25_pool(const gr_sampler *s) {
    const g25_impl *q = gr_sampler_impl(s, &g25_ops);
    return q ? q->pool : NULL;
}

int gr_data_gauss25_cursor(const gr_sampler *s, size_t *cursor, gr_error *err) {
    const g25_impl *q = gr_sampler_impl(s, &g25_ops);
    if (!q || !cursor)
        return GR_ERROR(err, GR_EINVAL, "gr_data_gauss25_cursor: not a 25-Gaussian sampler");
    *cursor = q->cursor;
    return GR_OK;
}

/* ---------- Swiss roll ---------- */

#define SR_T0     (1.5 * M_PI)
#define SR_T1     (4.5 * M_PI)
#define SR_LIMIT  256 /* subintervals of the QAG workspace */
#define SR_MAXBRK 64
#define SR_WIDTHS 10.0 /* half-width of a peak's own piece, in noise widths sigma/|c'(t)| */

typedef struct {
    gsl_integration_workspace *ws; /* scratch of the density callback (not thread-safe) */
    double box_lo[2], box_hi[2];
} sr_impl;

static void sr_free(void *p) {
    sr_impl *q = p;
    if (!q) return;
    if (q->ws) gsl_integration_workspace_free(q->ws);
    free(q);
}

static void sr_draw(gsl_rng *rng, size_t n, double *x, double *t) {
    for (size_t i = 0; i < n; i++) {
        double ti = 1.5 * M_PI * (1.0 + 2.0 * gsl_rng_uniform(rng));
        double z0 = gsl_ran_gaussian_ziggurat(rng, 1.0);
        double z1 = gsl_ran_gaussian_ziggurat(rng, 1.0);
        x[2 * i] = (ti * cos(ti) + GR_DATA_SWISSROLL_NOISE * z0) / GR_DATA_SWISSROLL_SCALE;
        x[2 * i + 1] = (ti * sin(ti) + GR_DATA_SWISSROLL_NOISE * z1) / GR_DATA_SWISSROLL_SCALE;
        if (t) t[i] = ti;
    }
}

static int sr_sample(void *p, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    (void)p;
    (void)err;
    sr_draw(rng, n, x, NULL);
    return GR_OK;
}

/* q(t) = |X - c(t)|^2 / (2 sigma^2), X in unscaled units */
typedef struct {
    double X0, X1, shift; /* shift: the smallest candidate q, subtracted in the exponent */
} sr_point;

static double sr_q(const sr_point *P, double t) {
    double a = P->X0 - t * cos(t), b = P->X1 - t * sin(t);
    return (a * a + b * b) / (2.0 * GR_DATA_SWISSROLL_NOISE * GR_DATA_SWISSROLL_NOISE);
}

static double sr_integrand(double t, void *ctx) {
    const sr_point *P = ctx;
    return exp(P->shift - sr_q(P, t));
}

/* Newton on f(t) = (c(t) - X).c'(t) = 0 from t0 (a local minimum of |X - c|^2 near the
 * angle of X on one turn); returns t0 itself when Newton leaves the turn or fails. */
static double sr_refine(const sr_point *P, double t0) {
    double t = t0;
    for (int it = 0; it < 50; it++) {
        double ct = cos(t), st = sin(t);
        double c0 = t * ct, c1 = t * st;
        double d0 = ct - t * st, d1 = st + t * ct;              /* c' */
        double e0 = -2.0 * st - t * ct, e1 = 2.0 * ct - t * st; /* c'' */
        double f = (c0 - P->X0) * d0 + (c1 - P->X1) * d1;
        double fp = d0 * d0 + d1 * d1 + (c0 - P->X0) * e0 + (c1 - P->X1) * e1;
        if (!(fp > 0.0)) return t0;
        double step = f / fp;
        t -= step;
        if (fabs(t - t0) > M_PI) return t0;
        if (fabs(step) <= 1e-14 * (1.0 + fabs(t))) break;
    }
    return t;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int sr_logpdf(const void *ctx, const double *x, double *out) {
    sr_impl *q = (sr_impl *)ctx; /* the workspace is scratch (see toys.h: not thread-safe) */
    if (!isfinite(x[0]) || !isfinite(x[1])) return GR_EDOM;
    const double sig = GR_DATA_SWISSROLL_NOISE;
    sr_point P = {x[0] * GR_DATA_SWISSROLL_SCALE, x[1] * GR_DATA_SWISSROLL_SCALE, 0.0};
    double phi = atan2(P.X1, P.X0);
    double cand[8];
    size_t nc = 0;
    for (int j = -1; j <= 3 && nc < 8; j++) {
        double tj = phi + 2.0 * M_PI * j;
        if (tj < SR_T0 - M_PI || tj > SR_T1 + M_PI) continue;
        double t = sr_refine(&P, tj);
        cand[nc++] = fmin(fmax(t, SR_T0), SR_T1);
    }
    double brk[SR_MAXBRK];
    size_t nb = 0;
    brk[nb++] = SR_T0;
    brk[nb++] = SR_T1;
    double qmin = fmin(sr_q(&P, SR_T0), sr_q(&P, SR_T1));
    for (size_t i = 0; i < nc; i++) {
        double t = cand[i];
        qmin = fmin(qmin, sr_q(&P, t));
        double w = SR_WIDTHS * sig / sqrt(1.0 + t * t); /* |c'(t)| = sqrt(1 + t^2) */
        double pts[3] = {t - w, t, t + w};
        for (int k = 0; k < 3; k++)
            if (pts[k] > SR_T0 && pts[k] < SR_T1) brk[nb++] = pts[k];
    }
    if (!isfinite(qmin)) { /* |x| near DBL_MAX: the squared distance overflows */
        *out = -INFINITY;
        return GR_OK;
    }
    qsort(brk, nb, sizeof *brk, cmp_double);
    P.shift = qmin;
    gsl_function F = {sr_integrand, &P};
    double total = 0.0;
    int st = GR_OK;
    gr_gsl_quiet_enter();
    for (size_t i = 0; i + 1 < nb; i++) {
        if (!(brk[i + 1] > brk[i])) continue;
        double r = 0.0, e = 0.0;
        int gs = gsl_integration_qag(&F, brk[i], brk[i + 1], 1e-15, GR_DATA_SWISSROLL_EPSREL,
                                     SR_LIMIT, GSL_INTEG_GAUSS31, q->ws, &r, &e);
        if (gs != GSL_SUCCESS) {
            st = GR_ENOTCONV;
            break;
        }
        total += r;
    }
    gr_gsl_quiet_leave();
    if (st != GR_OK) return st;
    if (!(total > 0.0) || !isfinite(total)) return GR_EINTERNAL; /* the candidate's own piece */
    /* p(x) = 7.5^2 / (3 pi) * 1/(2 pi sigma^2) * exp(-qmin) * total */
    *out = 2.0 * log(GR_DATA_SWISSROLL_SCALE) - log(3.0 * M_PI) - log(2.0 * M_PI * sig * sig) -
           qmin + log(total);
    return GR_OK;
}

static int sr_density(const void *p, gr_density *out, gr_error *err) {
    (void)err;
    const sr_impl *q = p;
    *out = (gr_density){.d = 2,
                        .logpdf = sr_logpdf,
                        .ctx = q,
                        .box_lo = q->box_lo,
                        .box_hi = q->box_hi,
                        .mixture = NULL};
    return GR_OK;
}

static const gr_sampler_ops sr_ops = {sr_sample, NULL, sr_density, NULL, NULL, NULL, sr_free};

int gr_data_swissroll_alloc(gr_sampler **out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_swissroll_alloc: NULL output");
    *out = NULL;
    sr_impl *q = calloc(1, sizeof *q);
    if (q) {
        gr_gsl_quiet_enter();
        q->ws = gsl_integration_workspace_alloc(SR_LIMIT);
        gr_gsl_quiet_leave();
    }
    if (!q || !q->ws) {
        sr_free(q);
        return GR_ERROR(err, GR_ENOMEM, "gr_data_swissroll_alloc");
    }
    double h = (SR_T1 + GR_DENSITY_BOX_SDS * GR_DATA_SWISSROLL_NOISE) / GR_DATA_SWISSROLL_SCALE;
    q->box_lo[0] = q->box_lo[1] = -h;
    q->box_hi[0] = q->box_hi[1] = h;
    return gr_sampler_wrap(out, q, &sr_ops, 2, "swissroll", q->box_lo, q->box_hi, err);
}

int gr_data_swissroll_sample_t(gr_sampler *s, gsl_rng *rng, size_t n, double *x, double *t,
                               gr_error *err) {
    if (!gr_sampler_impl(s, &sr_ops))
        return GR_ERROR(err, GR_EINVAL, "gr_data_swissroll_sample_t: not a Swiss-roll sampler");
    if (!rng || !x || !t || n == 0)
        return GR_ERROR(err, GR_EINVAL, "gr_data_swissroll_sample_t: NULL argument or n == 0");
    sr_draw(rng, n, x, t);
    return GR_OK;
}
