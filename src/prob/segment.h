/* prob/segment.h — a uniform segment smoothed by isotropic Gaussian noise (CLAIMS O9,
 * instance noise on the parallel lines): log-density, density view for quadrature,
 * sampling, and in 1-D the CDF and quantile.
 *
 * Uniform mass on the segment from u to v in R^d (length l > 0, direction e), convolved with
 * N(0, sigma^2 I_d). With s = (x - u).e and r = |(x - u) - s e|:
 *   p(x) = (2 pi sigma^2)^(-(d-1)/2) exp(-r^2/(2 sigma^2)) [Phi(s/sigma) - Phi((s-l)/sigma)] / l.
 * The log of the Phi difference is computed from log-tails (gsl_sf_log_erfc), accurate far
 * into the tails. Box: the segment's bounding box widened by GR_DENSITY_BOX_SDS sigma.
 */
#ifndef GR_PROB_SEGMENT_H
#define GR_PROB_SEGMENT_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "core/error.h"
#include "prob/density.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_segment gr_segment;

/* Build in *out the segment from u to v (d coordinates each, copied) smoothed by sigma.
 * *out = NULL on failure. Errors: GR_EINVAL (NULL, d == 0), GR_EDOM (non-finite end point,
 * zero length, sigma not finite and > 0), GR_ENOMEM. */
int gr_segment_alloc(gr_segment **out, size_t d, const double *u, const double *v, double sigma,
                     gr_error *err);
void gr_segment_free(gr_segment *s); /* NULL is a no-op */

/* log p(x); ctx is a const gr_segment *. Non-finite x gives GR_EDOM. */
int gr_segment_logpdf(const void *ctx, const double *x, double *out);

/* Fill a density view of s (box set, no mixture structure). */
void gr_segment_density(const gr_segment *s, gr_density *out);

/* n draws into x (n x d, row-major): each takes one gsl_rng_uniform t, then d
 * gsl_ran_gaussian_ziggurat(rng, 1) values z_j: x = u + t (v - u) + sigma z.
 * Errors: GR_EINVAL (NULL s, rng, or x with n > 0). */
int gr_segment_sample(const gr_segment *s, gsl_rng *rng, size_t n, double *x, gr_error *err);

/* 1-D only (d == 1), segment [a, b] (a = min(u, v), b = max(u, v), l = b - a).
 * CDF in closed form, with G(z) = z Phi(z) + phi(z) the antiderivative of Phi:
 *   F(x) = (sigma / l) [G((x - a)/sigma) - G((x - b)/sigma)],
 * and the survival function, used where F is near 1, as the mirror image
 *   1 - F(x) = (sigma / l) [G((b - x)/sigma) - G((a - x)/sigma)].
 * Absolute error a few ulp of 1; in the far left tail the cancellation inside G costs up to
 * about z^2 ulp of relative accuracy at z = (x - b)/sigma << 0 (measured against mpmath for
 * l = sigma: 5 ulp at z = -8, 124 at -20, 567 at -30), the survival function likewise in the
 * far right tail. Quantile: the x with F(x) = u, u in [0, 1] (0 and 1 give -inf and +inf), by
 * bisection (gr_density_quantile_bisect, tolerance stated there, scale sigma) in the exact bracket
 * [a + sigma Phi^-1(u), b + sigma Phi^-1(u)] (F lies between the CDFs of N(a, sigma^2) and
 * N(b, sigma^2)). Errors: GR_EINVAL (NULL, d != 1), GR_EDOM (NaN x; u outside [0, 1]). */
int gr_segment_cdf(const gr_segment *s, double x, double *out, gr_error *err);
int gr_segment_quantile(const gr_segment *s, double u, double *out, gr_error *err);

/* The same two as gr_real_fn (ctx: a gr_segment *), for distance/oned.h's W1 integrators.
 * NaN where the status versions return an error. */
double gr_segment_cdf_fn(double x, void *ctx);
double gr_segment_quantile_fn(double u, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
