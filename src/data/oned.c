/* data/oned.c — the 1-D families as samplers (see oned.h). */
#include "data/oned.h"

#include <math.h>
#include <stdlib.h>

#include "data/mixture.h"
#include "prob/mixture.h"
#include "prob/segment.h"

typedef enum { ONED_UNIFORM, ONED_SMOOTHED, ONED_POINT } oned_kind;

typedef struct {
    oned_kind kind;
    double a, b;     /* segment ends; a = b = x0 for a point mass */
    gr_segment *seg; /* ONED_SMOOTHED */
} oned_impl;

static void oned_free(void *p) {
    oned_impl *q = p;
    if (!q) return;
    gr_segment_free(q->seg);
    free(q);
}

static int oned_sample(void *p, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    const oned_impl *q = p;
    if (q->kind == ONED_SMOOTHED) return gr_segment_sample(q->seg, rng, n, x, err);
    for (size_t i = 0; i < n; i++)
        x[i] = q->kind == ONED_POINT ? q->a : q->a + gsl_rng_uniform(rng) * (q->b - q->a);
    return GR_OK;
}

static int uniform_logpdf(const void *ctx, const double *x, double *out) {
    const oned_impl *q = ctx;
    if (!isfinite(x[0])) return GR_EDOM;
    *out = (x[0] >= q->a && x[0] <= q->b) ? -log(q->b - q->a) : -INFINITY;
    return GR_OK;
}

static int oned_density(const void *p, gr_density *out, gr_error *err) {
    const oned_impl *q = p;
    if (q->kind == ONED_SMOOTHED) {
        gr_segment_density(q->seg, out);
        return GR_OK;
    }
    if (q->kind == ONED_POINT)
        return GR_ERROR(err, GR_EINVAL, "pointmass has no density (it is singular)");
    *out =
        (gr_density){.d = 1, .logpdf = uniform_logpdf, .ctx = q, .box_lo = &q->a, .box_hi = &q->b};
    return GR_OK;
}

static const gr_sampler_ops oned_ops = {oned_sample, NULL, oned_density, NULL,
                                        NULL,        NULL, oned_free};

int gr_data_gauss1d_alloc(gr_sampler **out, double mu, double sd, gr_error *err) {
    const double w = 1.0;
    return gr_data_mixture_alloc(out, "gaussian", 1, 1, &w, &mu, &sd, err);
}

int gr_data_mixture1d_alloc(gr_sampler **out, size_t k, const double *w, const double *mu,
                            const double *sd, gr_error *err) {
    return gr_data_mixture_alloc(out, "mixture1d", 1, k, w, mu, sd, err);
}

static int oned_wrap(gr_sampler **out, oned_impl *q, const char *name, gr_error *err) {
    double lo = q->a, hi = q->b;
    if (q->seg) {
        gr_density d;
        gr_segment_density(q->seg, &d);
        lo = d.box_lo[0];
        hi = d.box_hi[0];
    }
    return gr_sampler_wrap(out, q, &oned_ops, 1, name, &lo, &hi, err);
}

int gr_data_segment1d_alloc(gr_sampler **out, double a, double b, double sigma, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_segment1d_alloc: NULL output");
    *out = NULL;
    if (!isfinite(a) || !isfinite(b) || !(a < b))
        return GR_ERROR(err, GR_EDOM, "gr_data_segment1d_alloc: need finite a < b (a=%g, b=%g)", a,
                        b);
    if (!isfinite(sigma) || sigma < 0.0)
        return GR_ERROR(err, GR_EDOM, "gr_data_segment1d_alloc: need finite sigma >= 0, not %g",
                        sigma);
    oned_impl *q = calloc(1, sizeof *q);
    if (!q) return GR_ERROR(err, GR_ENOMEM, "gr_data_segment1d_alloc");
    q->a = a;
    q->b = b;
    q->kind = sigma > 0.0 ? ONED_SMOOTHED : ONED_UNIFORM;
    if (sigma > 0.0) {
        int st = gr_segment_alloc(&q->seg, 1, &a, &b, sigma, err);
        if (st != GR_OK) {
            oned_free(q);
            return st;
        }
    }
    return oned_wrap(out, q, "segment", err);
}

int gr_data_pointmass_alloc(gr_sampler **out, double x0, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_pointmass_alloc: NULL output");
    *out = NULL;
    if (!isfinite(x0))
        return GR_ERROR(err, GR_EDOM, "gr_data_pointmass_alloc: x0 is %g (need finite)", x0);
    oned_impl *q = calloc(1, sizeof *q);
    if (!q) return GR_ERROR(err, GR_ENOMEM, "gr_data_pointmass_alloc");
    q->kind = ONED_POINT;
    q->a = q->b = x0;
    return oned_wrap(out, q, "pointmass", err);
}

/* ---------- CDF and quantile ---------- */

static double oned_cdf_fn(double x, void *ctx) {
    const oned_impl *q = ctx;
    if (isnan(x)) return NAN;
    switch (q->kind) {
    case ONED_SMOOTHED: return gr_segment_cdf_fn(x, q->seg);
    case ONED_POINT: return x >= q->a ? 1.0 : 0.0;
    default: return x <= q->a ? 0.0 : x >= q->b ? 1.0 : (x - q->a) / (q->b - q->a);
    }
}

static double oned_quantile_fn(double u, void *ctx) {
    const oned_impl *q = ctx;
    if (!(u >= 0.0 && u <= 1.0)) return NAN;
    switch (q->kind) {
    case ONED_SMOOTHED: return gr_segment_quantile_fn(u, q->seg);
    case ONED_POINT: return q->a;
    default: return u >= 1.0 ? q->b : q->a + u * (q->b - q->a);
    }
}

int gr_data_oned_fns(const gr_sampler *s, gr_real_fn *cdf, gr_real_fn *quantile, void **ctx,
                     gr_error *err) {
    const gr_mixture *m = gr_data_mixture_get(s);
    if (m && m->d == 1) {
        if (cdf) *cdf = gr_mixture_cdf_fn;
        if (quantile) *quantile = gr_mixture_quantile_fn;
        if (ctx) *ctx = (void *)m; /* the adapters only read it */
        return GR_OK;
    }
    oned_impl *q = gr_sampler_impl(s, &oned_ops);
    if (!q)
        return GR_ERROR(err, GR_EINVAL, "%s is not a 1-D family of data/oned.h",
                        gr_sampler_name(s));
    if (cdf) *cdf = oned_cdf_fn;
    if (quantile) *quantile = oned_quantile_fn;
    if (ctx) *ctx = q;
    return GR_OK;
}

int gr_data_oned_cdf(const gr_sampler *s, double x, double *out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_oned_cdf: NULL output");
    const gr_mixture *m = gr_data_mixture_get(s);
    if (m && m->d == 1) return gr_mixture_cdf(m, x, out, err);
    const oned_impl *q = gr_sampler_impl(s, &oned_ops);
    if (!q)
        return GR_ERROR(err, GR_EINVAL, "%s is not a 1-D family of data/oned.h",
                        gr_sampler_name(s));
    if (q->kind == ONED_SMOOTHED) return gr_segment_cdf(q->seg, x, out, err);
    if (isnan(x)) return GR_ERROR(err, GR_EDOM, "gr_data_oned_cdf: x is NaN");
    *out = oned_cdf_fn(x, (void *)q);
    return GR_OK;
}

int gr_data_oned_quantile(const gr_sampler *s, double u, double *out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_data_oned_quantile: NULL output");
    const gr_mixture *m = gr_data_mixture_get(s);
    if (m && m->d == 1) return gr_mixture_quantile(m, u, out, err);
    const oned_impl *q = gr_sampler_impl(s, &oned_ops);
    if (!q)
        return GR_ERROR(err, GR_EINVAL, "%s is not a 1-D family of data/oned.h",
                        gr_sampler_name(s));
    if (q->kind == ONED_SMOOTHED) return gr_segment_quantile(q->seg, u, out, err);
    if (!(u >= 0.0 && u <= 1.0))
        return GR_ERROR(err, GR_EDOM, "gr_data_oned_quantile: u = %g is outside [0, 1]", u);
    *out = oned_quantile_fn(u, (void *)q);
    return GR_OK;
}
