/* tests/data/dquad.h — the references data/'s tests check densities and samplers against:
 * GSL quadrature of a gr_density (1-D, and 2-D nested over break points), a KS statistic
 * against an exact CDF, and a chi-square statistic with its upper quantile (GSL). Header
 * only, static functions. */
#ifndef GR_TESTS_DATA_DQUAD_H
#define GR_TESTS_DATA_DQUAD_H

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>

#include "prob/density.h"

#define DQ_LIMIT 2000
#define DQ_MAXB  128

static inline int dq_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* sorted distinct break points in [lo, hi] including both ends; returns their count */
static inline size_t dq_breaks(const double *pts, size_t n, double lo, double hi, double *out) {
    size_t m = 0;
    out[m++] = lo;
    out[m++] = hi;
    for (size_t i = 0; i < n && m < DQ_MAXB; i++)
        if (pts[i] > lo && pts[i] < hi) out[m++] = pts[i];
    qsort(out, m, sizeof *out, dq_cmp);
    size_t k = 1;
    for (size_t i = 1; i < m; i++)
        if (out[i] > out[k - 1] + 1e-12) out[k++] = out[i];
    out[k - 1] = hi;
    return k;
}

typedef struct {
    const gr_density *d;
    double x0;        /* outer coordinate (2-D) */
    const double *b2; /* inner break points */
    size_t nb2;
    gsl_integration_workspace *ws;
    double max_inner_err;
    int status;
} dq_ctx;

static inline double dq_pdf1(double x, void *p) {
    dq_ctx *c = p;
    double lp;
    if (c->d->logpdf(c->d->ctx, &x, &lp) != 0) c->status = -1;
    return exp(lp);
}

/* mass of a 1-D density over [lo, hi] with break points; *abserr GSL's estimate */
static inline double dq_mass1(const gr_density *d, double lo, double hi, const double *pts,
                              size_t n, double *abserr) {
    double b[DQ_MAXB];
    size_t nb = dq_breaks(pts, n, lo, hi, b);
    dq_ctx c = {.d = d};
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(DQ_LIMIT);
    gsl_function F = {dq_pdf1, &c};
    double r = NAN, e = NAN;
    int gs = gsl_integration_qagp(&F, b, nb, 1e-14, 1e-12, DQ_LIMIT, ws, &r, &e);
    gsl_integration_workspace_free(ws);
    if (gs != 0 || c.status) return NAN;
    *abserr = e;
    return r;
}

static inline double dq_pdf2_inner(double y, void *p) {
    dq_ctx *c = p;
    double x[2] = {c->x0, y}, lp;
    if (c->d->logpdf(c->d->ctx, x, &lp) != 0) c->status = -1;
    return exp(lp);
}

static inline double dq_pdf2_outer(double x, void *p) {
    dq_ctx *c = p;
    c->x0 = x;
    gsl_function F = {dq_pdf2_inner, c};
    double r = NAN, e = NAN;
    int gs =
        gsl_integration_qagp(&F, (double *)c->b2, c->nb2, 1e-15, 1e-12, DQ_LIMIT, c->ws, &r, &e);
    if (gs != 0) c->status = -2;
    if (e > c->max_inner_err) c->max_inner_err = e;
    return r;
}

/* mass of a 2-D density over its box, nested QAGP with break points px (outer, x_1) and
 * py (inner, x_2); *abserr = outer estimate + box width x the largest inner estimate */
static inline double dq_mass2(const gr_density *d, const double *px, size_t npx, const double *py,
                              size_t npy, double *abserr) {
    double b1[DQ_MAXB], b2[DQ_MAXB];
    size_t n1 = dq_breaks(px, npx, d->box_lo[0], d->box_hi[0], b1);
    size_t n2 = dq_breaks(py, npy, d->box_lo[1], d->box_hi[1], b2);
    gsl_integration_workspace *wo = gsl_integration_workspace_alloc(DQ_LIMIT);
    dq_ctx c = {.d = d, .b2 = b2, .nb2 = n2, .ws = gsl_integration_workspace_alloc(DQ_LIMIT)};
    gsl_function F = {dq_pdf2_outer, &c};
    double r = NAN, e = NAN;
    int gs = gsl_integration_qagp(&F, b1, n1, 1e-13, 1e-11, DQ_LIMIT, wo, &r, &e);
    gsl_integration_workspace_free(wo);
    gsl_integration_workspace_free(c.ws);
    if (gs != 0 || c.status) return NAN;
    *abserr = e + (d->box_hi[0] - d->box_lo[0]) * c.max_inner_err;
    return r;
}

/* Kolmogorov-Smirnov statistic sup |F_n - F| of x[0..n) (sorted here, in place) */
static inline double dq_ks(double *x, size_t n, double (*cdf)(double, void *), void *ctx) {
    qsort(x, n, sizeof *x, dq_cmp);
    double dmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(x[i], ctx);
        double a = fabs((double)(i + 1) / (double)n - f), b = fabs(f - (double)i / (double)n);
        dmax = fmax(dmax, fmax(a, b));
    }
    return dmax;
}

/* The asymptotic KS critical value at false-alarm rate alpha: sqrt(-log(alpha/2)/2)/sqrt(n)
 * (the first term of Kolmogorov's series, conservative for alpha <= 0.2). */
static inline double dq_ks_crit(double alpha, size_t n) {
    return sqrt(-0.5 * log(alpha / 2.0)) / sqrt((double)n);
}

/* Pearson chi-square of counts against expected counts; bins with expected < 5 are pooled
 * into one; *dof = used bins - 1. */
static inline double dq_chi2(const double *obs, const double *expct, size_t nb, size_t *dof) {
    double chi = 0.0, po = 0.0, pe = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < nb; i++) {
        if (expct[i] < 5.0) {
            po += obs[i];
            pe += expct[i];
            continue;
        }
        chi += (obs[i] - expct[i]) * (obs[i] - expct[i]) / expct[i];
        used++;
    }
    if (pe >= 5.0) {
        chi += (po - pe) * (po - pe) / pe;
        used++;
    }
    *dof = used - 1;
    return chi;
}

#endif
