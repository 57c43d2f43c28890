/* data/oned.h — the 1-D families as samplers (dimension 1): a Gaussian, a Gaussian mixture,
 * a uniform segment (optionally smoothed by Gaussian noise) and a point mass, with their
 * CDF and quantile function for distance/oned.h's exact W1 (gr_oned_w1_quantile /
 * gr_oned_w1_cdf take the (fn, ctx) pairs of gr_data_oned_fns as they are).
 *
 * These are thin wrappers: the Gaussian and the mixture are prob/mixture.h objects (through
 * data/mixture.h), the smoothed segment a prob/segment.h object; their log-density, CDF and
 * quantile are prob/'s, with the accuracy stated there. Only the two cases prob/ does not
 * hold are written here, in closed form:
 *   uniform U[a, b] (sigma = 0): log p = -log(b - a) on [a, b] (-inf outside),
 *       F(x) = clamp((x - a)/(b - a), 0, 1), Q(u) = a + u (b - a) (Q(1) = b);
 *   point mass at x0: NO density (it is singular; gr_sampler_density returns GR_EINVAL),
 *       F(x) = 1 for x >= x0, 0 below; Q(u) = x0 for every u in [0, 1].
 *
 * Draw order per point: Gaussian and mixture, one gsl_rng_uniform (the component; also for
 * a single Gaussian) then one gsl_ran_gaussian_ziggurat (prob/mixture.h); smoothed segment,
 * one gsl_rng_uniform then one gsl_ran_gaussian_ziggurat (prob/segment.h); U[a, b], one
 * gsl_rng_uniform (x = a + u (b - a)); point mass, none (the rng is not touched). Modes:
 * the Gaussian and the mixture have their components; the others none. Boxes: the
 * mixtures' and the smoothed segment's are prob/'s (12 SDs); U[a, b]'s is [a, b]; a point
 * mass's is the degenerate [x0, x0]. All stateless and thread-safe.
 */
#ifndef GR_DATA_ONED_H
#define GR_DATA_ONED_H

#include "core/error.h"
#include "data/sampler.h"
#include "prob/density.h"

#ifdef __cplusplus
extern "C" {
#endif

/* N(mu, sd^2) ("gaussian"). Errors: GR_EINVAL (NULL out), GR_EDOM (non-finite mu, sd not
 * finite and > 0), GR_ENOMEM. */
int gr_data_gauss1d_alloc(gr_sampler **out, double mu, double sd, gr_error *err);

/* sum_k w_k N(mu_k, sd_k^2) ("mixture1d"): k >= 1 weights (normalised), means, SDs.
 * Errors as gr_mixture_alloc. */
int gr_data_mixture1d_alloc(gr_sampler **out, size_t k, const double *w, const double *mu,
                            const double *sd, gr_error *err);

/* Uniform on [a, b], a < b, smoothed by N(0, sigma^2) when sigma > 0 ("segment"); sigma = 0
 * is the plain uniform. Errors: GR_EINVAL (NULL out), GR_EDOM (non-finite a or b, a >= b,
 * sigma not finite and >= 0), GR_ENOMEM. */
int gr_data_segment1d_alloc(gr_sampler **out, double a, double b, double sigma, gr_error *err);

/* The point mass at x0 ("pointmass"). Errors: GR_EINVAL (NULL out), GR_EDOM (non-finite x0),
 * GR_ENOMEM. */
int gr_data_pointmass_alloc(gr_sampler **out, double x0, gr_error *err);

/* CDF and quantile of a sampler made above (quantile: u in [0, 1]; 0 and 1 give -inf and
 * +inf for the Gaussian families, a and b for U[a, b], x0 for a point mass).
 * Errors: GR_EINVAL (NULL, or a sampler not made by this file), GR_EDOM (NaN x; u outside
 * [0, 1]). */
int gr_data_oned_cdf(const gr_sampler *s, double x, double *out, gr_error *err);
int gr_data_oned_quantile(const gr_sampler *s, double u, double *out, gr_error *err);

/* The same two as gr_real_fn with their context (valid while s lives; NaN where the status
 * versions fail), to hand to distance/oned.h: e.g.
 *     gr_data_oned_fns(p, &cdf, &qf, &ctx, err);
 *     gr_oned_w1_quantile(qf, ctx, qg, ctxg, epsabs, epsrel, &res, err);
 * Any output pointer may be NULL. Errors: GR_EINVAL (a sampler not made by this file). */
int gr_data_oned_fns(const gr_sampler *s, gr_real_fn *cdf, gr_real_fn *quantile, void **ctx,
                     gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
