/* prob/segment.c — the smoothed segment (see segment.h). */
#include "prob/segment.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdlib.h>

struct gr_segment {
    size_t d;
    double *u, *e; /* start point and unit direction */
    double len, sigma;
    double logc; /* -(d-1)/2 log(2 pi sigma^2) - log len */
    double *box_lo, *box_hi;
};

void gr_segment_free(gr_segment *s) {
    if (!s) return;
    free(s->u);
    free(s->e);
    free(s->box_lo);
    free(s->box_hi);
    free(s);
}

int gr_segment_alloc(gr_segment **out, size_t d, const double *u, const double *v, double sigma,
                     gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_segment_alloc: NULL output");
    *out = NULL;
    if (!u || !v) return GR_ERROR(err, GR_EINVAL, "gr_segment_alloc: NULL argument");
    if (d == 0) return GR_ERROR(err, GR_EINVAL, "gr_segment_alloc: dimension must be positive");
    if (!isfinite(sigma) || sigma <= 0.0)
        return GR_ERROR(err, GR_EDOM, "gr_segment_alloc: sigma is %g (need finite > 0)", sigma);
    double len2 = 0.0;
    for (size_t j = 0; j < d; j++) {
        if (!isfinite(u[j]) || !isfinite(v[j]))
            return GR_ERROR(err, GR_EDOM, "gr_segment_alloc: non-finite end point coordinate %zu",
                            j);
        len2 += (v[j] - u[j]) * (v[j] - u[j]);
    }
    if (!(len2 > 0.0))
        return GR_ERROR(err, GR_EDOM, "gr_segment_alloc: end points coincide (zero length)");
    gr_segment *s = calloc(1, sizeof *s);
    if (!s) return GR_ERROR(err, GR_ENOMEM, "gr_segment_alloc");
    s->u = malloc(d * sizeof *s->u);
    s->e = malloc(d * sizeof *s->e);
    s->box_lo = malloc(d * sizeof *s->box_lo);
    s->box_hi = malloc(d * sizeof *s->box_hi);
    if (!s->u || !s->e || !s->box_lo || !s->box_hi) {
        gr_segment_free(s);
        return GR_ERROR(err, GR_ENOMEM, "gr_segment_alloc");
    }
    s->d = d;
    s->len = sqrt(len2);
    s->sigma = sigma;
    s->logc = -0.5 * (double)(d - 1) * log(2.0 * M_PI * sigma * sigma) - log(s->len);
    for (size_t j = 0; j < d; j++) {
        s->u[j] = u[j];
        s->e[j] = (v[j] - u[j]) / s->len;
        s->box_lo[j] = fmin(u[j], v[j]) - GR_DENSITY_BOX_SDS * sigma;
        s->box_hi[j] = fmax(u[j], v[j]) + GR_DENSITY_BOX_SDS * sigma;
    }
    *out = s;
    return GR_OK;
}

/* log of the standard normal upper tail Q(z) = 1 - Phi(z), accurate for any z */
static double log_q(double z) { return gsl_sf_log_erfc(z / M_SQRT2) - M_LN2; }

/* log(Phi(a) - Phi(b)) for a > b, without cancellation in either tail */
static double log_phi_diff(double a, double b) {
    if (b >= 0.0) { /* both in the upper tail: Q(b) - Q(a) */
        double lb = log_q(b), la = log_q(a);
        return lb + log1p(-exp(la - lb));
    }
    if (a <= 0.0) { /* both in the lower tail: Q(-a) - Q(-b) */
        double la = log_q(-a), lb = log_q(-b);
        return la + log1p(-exp(lb - la));
    }
    /* b < 0 < a: 1 - Q(a) - Q(-b), the sum of tails is < 1 */
    return log1p(-(exp(log_q(a)) + exp(log_q(-b))));
}

int gr_segment_logpdf(const void *ctx, const double *x, double *out) {
    const gr_segment *sg = ctx;
    size_t d = sg->d;
    double s = 0.0;
    for (size_t j = 0; j < d; j++) {
        if (!isfinite(x[j])) return GR_EDOM;
        s += (x[j] - sg->u[j]) * sg->e[j];
    }
    double r2 = 0.0;
    for (size_t j = 0; j < d; j++) {
        double t = x[j] - sg->u[j] - s * sg->e[j];
        r2 += t * t;
    }
    double sig = sg->sigma;
    *out = sg->logc - 0.5 * r2 / (sig * sig) + log_phi_diff(s / sig, (s - sg->len) / sig);
    return GR_OK;
}

void gr_segment_density(const gr_segment *s, gr_density *out) {
    out->d = s->d;
    out->logpdf = gr_segment_logpdf;
    out->ctx = s;
    out->box_lo = s->box_lo;
    out->box_hi = s->box_hi;
    out->mixture = NULL;
}

int gr_segment_sample(const gr_segment *s, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    if (!s || !rng || (n > 0 && !x))
        return GR_ERROR(err, GR_EINVAL, "gr_segment_sample: NULL argument");
    size_t d = s->d;
    for (size_t i = 0; i < n; i++) {
        double t = gsl_rng_uniform(rng) * s->len;
        for (size_t j = 0; j < d; j++)
            x[i * d + j] = s->u[j] + t * s->e[j] + s->sigma * gsl_ran_gaussian_ziggurat(rng, 1.0);
    }
    return GR_OK;
}

/* ---- 1-D: CDF and quantile ---------------------------------------------------------- */

/* G(z) = z Phi(z) + phi(z) = int_-inf^z Phi(t) dt */
static double big_g(double z) { return z * gsl_cdf_ugaussian_P(z) + gsl_ran_ugaussian_pdf(z); }

/* the end points a <= b of a 1-D segment */
static void ends(const gr_segment *s, double *a, double *b) {
    *a = s->e[0] > 0.0 ? s->u[0] : s->u[0] - s->len;
    *b = *a + s->len;
}

static double seg_cdf(double x, const void *ctx) {
    const gr_segment *s = ctx;
    double a, b;
    ends(s, &a, &b);
    return s->sigma / s->len * (big_g((x - a) / s->sigma) - big_g((x - b) / s->sigma));
}

static double seg_sf(double x, const void *ctx) {
    const gr_segment *s = ctx;
    double a, b;
    ends(s, &a, &b);
    return s->sigma / s->len * (big_g((b - x) / s->sigma) - big_g((a - x) / s->sigma));
}

static int check_1d(const gr_segment *s, const char *fn, gr_error *err) {
    if (!s) return GR_ERROR(err, GR_EINVAL, "%s: NULL segment", fn);
    if (s->d != 1)
        return GR_ERROR(err, GR_EINVAL, "%s: the segment has dimension %zu (need 1)", fn, s->d);
    return GR_OK;
}

int gr_segment_cdf(const gr_segment *s, double x, double *out, gr_error *err) {
    GR_TRY(check_1d(s, "gr_segment_cdf", err));
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_segment_cdf: NULL output");
    if (isnan(x)) return GR_ERROR(err, GR_EDOM, "gr_segment_cdf: x is NaN");
    if (isinf(x)) {
        *out = x > 0.0 ? 1.0 : 0.0;
        return GR_OK;
    }
    double f = seg_cdf(x, s);
    *out = f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f; /* rounding of the difference */
    return GR_OK;
}

int gr_segment_quantile(const gr_segment *s, double u, double *out, gr_error *err) {
    GR_TRY(check_1d(s, "gr_segment_quantile", err));
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_segment_quantile: NULL output");
    if (!(u >= 0.0 && u <= 1.0))
        return GR_ERROR(err, GR_EDOM, "gr_segment_quantile: u is %g (need 0 <= u <= 1)", u);
    if (u == 0.0 || u == 1.0) {
        *out = u == 0.0 ? -INFINITY : INFINITY;
        return GR_OK;
    }
    double a, b;
    ends(s, &a, &b);
    double z = u > 0.5 ? gsl_cdf_ugaussian_Qinv(1.0 - u) : gsl_cdf_ugaussian_Pinv(u);
    *out = gr_density_quantile_bisect(seg_cdf, seg_sf, s, u, a + s->sigma * z, b + s->sigma * z,
                                      s->sigma);
    return GR_OK;
}

double gr_segment_cdf_fn(double x, void *ctx) {
    double v;
    return gr_segment_cdf(ctx, x, &v, NULL) ? NAN : v;
}

double gr_segment_quantile_fn(double u, void *ctx) {
    double v;
    return gr_segment_quantile(ctx, u, &v, NULL) ? NAN : v;
}
