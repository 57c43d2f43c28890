/* prob/mixture.c — Gaussian mixtures (see mixture.h).
 *
 * Log-densities, not densities: components far from x have log-weights of -10^4 or less,
 * which underflow as densities but are harmless in a log-sum-exp; and divergence integrands
 * are formed from log-densities (distance/divergence.c) so that 0 log 0 and ratios of tiny
 * densities never produce NaN.
 */
#include "prob/mixture.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "core/check.h"
#include "core/mathfn.h"

void gr_mixture_free(gr_mixture *m) {
    if (!m) return;
    free(m->w);
    free(m->cw);
    free(m->mu);
    free(m->sd);
    free(m->logc);
    free(m->box_lo);
    free(m->box_hi);
    free(m);
}

int gr_mixture_alloc(gr_mixture **out, size_t d, size_t k, const double *w, const double *mu,
                     const double *sd, int isotropic, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_mixture_alloc: NULL output");
    *out = NULL;
    if (!w || !mu || !sd) return GR_ERROR(err, GR_EINVAL, "gr_mixture_alloc: NULL argument");
    if (d == 0 || k == 0)
        return GR_ERROR(err, GR_EINVAL, "gr_mixture_alloc: need d > 0 and k > 0 (d=%zu, k=%zu)", d,
                        k);
    size_t bad = gr_first_bad_weight(w, k);
    if (bad < k)
        return GR_ERROR(err, GR_EDOM, "gr_mixture_alloc: weight %zu is %g (need finite >= 0)", bad,
                        w[bad]);
    double wsum = gr_mass_total(w, k);
    if (!(wsum > 0.0)) return GR_ERROR(err, GR_EDOM, "gr_mixture_alloc: weights sum to 0");
    size_t nsd = isotropic ? k : k * d;
    for (size_t i = 0; i < nsd; i++)
        if (!isfinite(sd[i]) || sd[i] <= 0.0)
            return GR_ERROR(err, GR_EDOM, "gr_mixture_alloc: sd[%zu] is %g (need finite > 0)", i,
                            sd[i]);
    bad = gr_first_nonfinite(mu, k * d);
    if (bad < k * d)
        return GR_ERROR(err, GR_EDOM,
                        "gr_mixture_alloc: mean of component %zu, coordinate "
                        "%zu is %g",
                        bad / d, bad % d, mu[bad]);
    gr_mixture *m = calloc(1, sizeof *m);
    if (!m) return GR_ERROR(err, GR_ENOMEM, "gr_mixture_alloc");
    m->d = d;
    m->k = k;
    m->box_sds = GR_DENSITY_BOX_SDS;
    m->w = malloc(k * sizeof *m->w);
    m->cw = malloc(k * sizeof *m->cw);
    m->mu = malloc(k * d * sizeof *m->mu);
    m->sd = malloc(k * d * sizeof *m->sd);
    m->logc = malloc(k * sizeof *m->logc);
    m->box_lo = malloc(d * sizeof *m->box_lo);
    m->box_hi = malloc(d * sizeof *m->box_hi);
    if (!m->w || !m->cw || !m->mu || !m->sd || !m->logc || !m->box_lo || !m->box_hi) {
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
    /* cumulative weights for sampling; from the last component with weight on they are 1, so
     * a uniform u < 1 always finds a component and never one of zero weight */
    double acc = 0.0;
    size_t last = 0;
    for (size_t c = 0; c < k; c++) {
        acc += m->w[c];
        m->cw[c] = acc;
        if (m->w[c] > 0.0) last = c;
    }
    for (size_t c = last; c < k; c++)
        m->cw[c] = 1.0;
    *out = m;
    return GR_OK;
}

int gr_mixture_logpdf(const void *ctx, const double *x, double *out) {
    const gr_mixture *m = ctx;
    gr_lse_acc lse = GR_LSE_ACC_INIT;
    for (size_t j = 0; j < m->d; j++)
        if (!isfinite(x[j])) return GR_EDOM;
    for (size_t c = 0; c < m->k; c++) {
        double q = 0.0;
        const double *mu = m->mu + c * m->d, *sd = m->sd + c * m->d;
        for (size_t j = 0; j < m->d; j++) {
            double z = (x[j] - mu[j]) / sd[j];
            q += z * z;
        }
        gr_lse_push(&lse, m->logc[c] - 0.5 * q); /* streaming: no buffer of k terms */
    }
    *out = gr_lse_value(&lse);
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

int gr_mixture_sample(const gr_mixture *m, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    if (!m || !rng || (n > 0 && !x))
        return GR_ERROR(err, GR_EINVAL, "gr_mixture_sample: NULL argument");
    size_t d = m->d;
    for (size_t i = 0; i < n; i++) {
        double u = gsl_rng_uniform(rng);
        size_t lo = 0, hi = m->k - 1; /* first c with u < cw[c]: cw[k-1] = 1 > u */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (u < m->cw[mid])
                hi = mid;
            else
                lo = mid + 1;
        }
        const double *mu = m->mu + lo * d, *sd = m->sd + lo * d;
        for (size_t j = 0; j < d; j++)
            x[i * d + j] = mu[j] + sd[j] * gsl_ran_gaussian_ziggurat(rng, 1.0);
    }
    return GR_OK;
}

/* ---- 1-D: CDF and quantile ---------------------------------------------------------- */

static double mix_cdf(double x, const void *ctx) {
    const gr_mixture *m = ctx;
    double s = 0.0;
    for (size_t c = 0; c < m->k; c++)
        s += m->w[c] * gsl_cdf_ugaussian_P((x - m->mu[c]) / m->sd[c]);
    return s;
}

static double mix_sf(double x, const void *ctx) {
    const gr_mixture *m = ctx;
    double s = 0.0;
    for (size_t c = 0; c < m->k; c++)
        s += m->w[c] * gsl_cdf_ugaussian_Q((x - m->mu[c]) / m->sd[c]);
    return s;
}

/* the quantile for 0 < u < 1 */
static double mix_quantile(const gr_mixture *m, double u) {
    /* Phi^-1(u), computed from whichever tail keeps its digits */
    double z = u > 0.5 ? gsl_cdf_ugaussian_Qinv(1.0 - u) : gsl_cdf_ugaussian_Pinv(u);
    if (m->k == 1) return m->mu[0] + m->sd[0] * z;
    /* F(x) <= u at x = min_c(mu_c + sd_c z) (each Phi term is <= u), >= u at the max */
    double lo = INFINITY, hi = -INFINITY, smin = INFINITY;
    for (size_t c = 0; c < m->k; c++) {
        if (m->w[c] == 0.0) continue;
        double q = m->mu[c] + m->sd[c] * z;
        lo = fmin(lo, q);
        hi = fmax(hi, q);
        smin = fmin(smin, m->sd[c]);
    }
    return gr_density_quantile_bisect(mix_cdf, mix_sf, m, u, lo, hi, smin);
}

static int check_1d(const gr_mixture *m, const char *fn, gr_error *err) {
    if (!m) return GR_ERROR(err, GR_EINVAL, "%s: NULL mixture", fn);
    if (m->d != 1)
        return GR_ERROR(err, GR_EINVAL, "%s: the mixture has dimension %zu (need 1)", fn, m->d);
    return GR_OK;
}

int gr_mixture_cdf(const gr_mixture *m, double x, double *out, gr_error *err) {
    GR_TRY(check_1d(m, "gr_mixture_cdf", err));
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_mixture_cdf: NULL output");
    if (isnan(x)) return GR_ERROR(err, GR_EDOM, "gr_mixture_cdf: x is NaN");
    *out = mix_cdf(x, m);
    return GR_OK;
}

int gr_mixture_quantile(const gr_mixture *m, double u, double *out, gr_error *err) {
    GR_TRY(check_1d(m, "gr_mixture_quantile", err));
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_mixture_quantile: NULL output");
    if (!(u >= 0.0 && u <= 1.0))
        return GR_ERROR(err, GR_EDOM, "gr_mixture_quantile: u is %g (need 0 <= u <= 1)", u);
    *out = u == 0.0 ? -INFINITY : u == 1.0 ? INFINITY : mix_quantile(m, u);
    return GR_OK;
}

double gr_mixture_cdf_fn(double x, void *ctx) {
    double v;
    return gr_mixture_cdf(ctx, x, &v, NULL) ? NAN : v;
}

double gr_mixture_quantile_fn(double u, void *ctx) {
    double v;
    return gr_mixture_quantile(ctx, u, &v, NULL) ? NAN : v;
}
