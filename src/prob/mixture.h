/* prob/mixture.h — Gaussian mixtures with diagonal (or isotropic) SDs in any dimension:
 * log-density, density view for quadrature, sampling, and in 1-D the CDF and quantile.
 *
 * p(x) = sum_k w_k prod_j N(x_j; mu_kj, sd_kj^2): the 8/25-Gaussian rings and grids, 1-D
 * mixtures, and a single Gaussian (k = 1).
 */
#ifndef GR_PROB_MIXTURE_H
#define GR_PROB_MIXTURE_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "core/error.h"
#include "prob/density.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read-only fields for users. */
struct gr_mixture {
    size_t d, k;
    double *w;      /* k weights, normalised to sum 1 */
    double *cw;     /* k cumulative weights, the last nonzero-weight one and after set to 1 */
    double *mu;     /* k x d means */
    double *sd;     /* k x d standard deviations (> 0) */
    double *logc;   /* k: log w_k - sum_j log sd_kj - d/2 log(2 pi) */
    double *box_lo; /* d: min_k (mu_kj - box_sds * sd_kj) */
    double *box_hi; /* d: max_k (mu_kj + box_sds * sd_kj) */
    double box_sds; /* half-width of the box in SDs (GR_DENSITY_BOX_SDS) */
};

/* Build a mixture in *out from k weights w (>= 0, not all 0; normalised here), k x d means mu
 * and standard deviations sd: k x d values when isotropic == 0, k values (one per component,
 * shared by all coordinates) when isotropic != 0. Copies everything. *out = NULL on failure.
 * Errors: GR_EINVAL (NULL, d == 0, k == 0), GR_EDOM (non-finite value, negative weight,
 * zero total weight, sd <= 0), GR_ENOMEM. */
int gr_mixture_alloc(gr_mixture **out, size_t d, size_t k, const double *w, const double *mu,
                     const double *sd, int isotropic, gr_error *err);
void gr_mixture_free(gr_mixture *m); /* NULL is a no-op */

/* log p(x) by a streaming log-sum-exp over components (no allocation; never overflows).
 * ctx is a const gr_mixture *. Cannot fail for finite x; non-finite x gives GR_EDOM. */
int gr_mixture_logpdf(const void *ctx, const double *x, double *out);

/* Fill a density view of m (box and mixture structure set). */
void gr_mixture_density(const gr_mixture *m, gr_density *out);

/* n draws into x (n x d, row-major). Each draw takes, in this order, one gsl_rng_uniform
 * (the component: the first c with u < cw[c]) and d gsl_ran_gaussian_ziggurat(rng, 1)
 * values (x_j = mu_cj + sd_cj z_j), so a stream gives the same points in any batching.
 * Errors: GR_EINVAL (NULL m, rng, or x with n > 0). */
int gr_mixture_sample(const gr_mixture *m, gsl_rng *rng, size_t n, double *x, gr_error *err);

/* 1-D only (d == 1). CDF F(x) = sum_k w_k Phi((x - mu_k)/sd_k), exact up to rounding
 * (gsl_cdf_ugaussian_P / _Q). Quantile: the x with F(x) = u, u in [0, 1] (u = 0 and 1 give
 * -inf and +inf): mu + sd Phi^-1(u) when k == 1, otherwise bisection
 * (gr_density_quantile_bisect, tolerance stated there) in the exact bracket
 * [min_k, max_k] of mu_k + sd_k Phi^-1(u), with scale the smallest SD.
 * Errors: GR_EINVAL (NULL, d != 1), GR_EDOM (NaN x; u outside [0, 1]). */
int gr_mixture_cdf(const gr_mixture *m, double x, double *out, gr_error *err);
int gr_mixture_quantile(const gr_mixture *m, double u, double *out, gr_error *err);

/* The same two as gr_real_fn (ctx: a gr_mixture *), for distance/oned.h's W1 integrators.
 * NaN where the status versions return an error. */
double gr_mixture_cdf_fn(double x, void *ctx);
double gr_mixture_quantile_fn(double u, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
