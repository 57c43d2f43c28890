/* distance/density.c — Gaussian mixtures and smoothed segments behind gr_density (density.h).
 *
 * Log-densities only: mixture components far from x have log-weights of -10^4 or less, which
 * underflow as densities but are harmless in a log-sum-exp; and divergence integrands are
 * formed from log-densities (distance/divergence.c) so that 0 log 0 and ratios of tiny
 * densities never produce NaN.
 */
#include "distance/density.h"

#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdlib.h>

void gr_mixture_free(gr_mixture *m) {
    if (!m) return;
    free(m->w);
    free(m->mu);
    free(m->sd);
    free(m->logc);
    free(m->box_lo);
    free(m->box_hi);
    free(m);
}

int gr_mixture_alloc(size_t d, size_t k, const double *w, const double *mu, const double *sd,
                     int isotropic, gr_mixture **out, gr_error *err) {
    if (!w || !mu || !sd || !out)
        return GR_ERROR(err, GR_EINVAL, "gr_mixture_alloc: NULL argument");
    *out = NULL;
    if (d == 0 || k == 0)
        return GR_ERROR(err, GR_EINVAL, "gr_mixture_alloc: need d > 0 and k > 0 (d=%zu, k=%zu)", d,
                        k);
    double wsum = 0.0;
    for (size_t c = 0; c < k; c++) {
        if (!isfinite(w[c]) || w[c] < 0.0)
            return GR_ERROR(err, GR_EDOM, "gr_mixture_alloc: weight %zu is %g (need finite >= 0)",
                            c, w[c]);
        wsum += w[c];
    }
    if (!(wsum > 0.0)) return GR_ERROR(err, GR_EDOM, "gr_mixture_alloc: weights sum to 0");
    size_t nsd = isotropic ? k : k * d;
    for (size_t i = 0; i < nsd; i++)
        if (!isfinite(sd[i]) || sd[i] <= 0.0)
            return GR_ERROR(err, GR_EDOM, "gr_mixture_alloc: sd[%zu] is %g (need finite > 0)", i,
                            sd[i]);
    for (size_t i = 0; i < k * d; i++)
        if (!isfinite(mu[i]))
            return GR_ERROR(err, GR_EDOM,
                            "gr_mixture_alloc: mean of component %zu, coordinate "
                            "%zu is %g",
                            i / d, i % d, mu[i]);
    gr_mixture *m = calloc(1, sizeof *m);
    if (!m) return GR_ERROR(err, GR_ENOMEM, "gr_mixture_alloc");
    m->d = d;
    m->k = k;
    m->box_sds = GR_MIXTURE_BOX_SDS;
    m->w = malloc(k * sizeof *m->w);
    m->mu = malloc(k * d * sizeof *m->mu);
    m->sd = malloc(k * d * sizeof *m->sd);
    m->logc = malloc(k * sizeof *m->logc);
    m->box_lo = malloc(d * sizeof *m->box_lo);
    m->box_hi = malloc(d * sizeof *m->box_hi);
    if (!m->w || !m->mu || !m->sd || !m->logc || !m->box_lo || !m->box_hi) {
        gr_mixture_free(m);
        return GR_ERROR(err, GR_ENOMEM, "gr_mixture_alloc: %zu components in dimension %zu", k, d);
    }
    for (size_t j = 0; j < d; j++) {
        m->box_lo[j] = INFINITY;
        m->box_hi[j] = -INFINITY;
    }
    for (size_t c = 0; c < k; c++) {
        m->w[c] = w[c] / wsum;
        double lc = log(m->w[c]) - 0.5 * (double)d * log(2.0 * M_PI);
        for (size_t j = 0; j < d; j++) {
            double s = isotropic ? sd[c] : sd[c * d + j];
            m->sd[c * d + j] = s;
            m->mu[c * d + j] = mu[c * d + j];
            lc -= log(s);
            m->box_lo[j] = fmin(m->box_lo[j], mu[c * d + j] - m->box_sds * s);
            m->box_hi[j] = fmax(m->box_hi[j], mu[c * d + j] + m->box_sds * s);
        }
        m->logc[c] = lc; /* -inf for a zero weight: that component never contributes */
    }
    *out = m;
    return GR_OK;
}

int gr_mixture_logpdf(const void *ctx, const double *x, double *out) {
    const gr_mixture *m = ctx;
    double mx = -INFINITY, s = 0.0;
    for (size_t j = 0; j < m->d; j++)
        if (!isfinite(x[j])) return GR_EDOM;
    for (size_t c = 0; c < m->k; c++) {
        double q = 0.0;
        const double *mu = m->mu + c * m->d, *sd = m->sd + c * m->d;
        for (size_t j = 0; j < m->d; j++) {
            double z = (x[j] - mu[j]) / sd[j];
            q += z * z;
        }
        double l = m->logc[c] - 0.5 * q;
        if (l == -INFINITY) continue;
        /* streaming log-sum-exp: s = sum exp(l_c - mx) */
        if (l > mx) {
            s = s * exp(mx - l) + 1.0;
            mx = l;
        } else {
            s += exp(l - mx);
        }
    }
    *out = mx == -INFINITY ? -INFINITY : mx + log(s);
    return GR_OK;
}

void gr_mixture_density(const gr_mixture *m, gr_density *out) {
    out->d = m->d;
    out->logpdf = gr_mixture_logpdf;
    out->ctx = m;
    out->box_lo = m->box_lo;
    out->box_hi = m->box_hi;
    out->mixture = m;
}

/* ---- smoothed segment -------------------------------------------------------------- */

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

int gr_segment_alloc(size_t d, const double *u, const double *v, double sigma, gr_segment **out,
                     gr_error *err) {
    if (!u || !v || !out) return GR_ERROR(err, GR_EINVAL, "gr_segment_alloc: NULL argument");
    *out = NULL;
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
        s->box_lo[j] = fmin(u[j], v[j]) - GR_MIXTURE_BOX_SDS * sigma;
        s->box_hi[j] = fmax(u[j], v[j]) + GR_MIXTURE_BOX_SDS * sigma;
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
