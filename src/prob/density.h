/* prob/density.h — the view of a known density that quadrature integrates over, and the
 * shared pieces of the 1-D interface (the function type of CDFs and quantiles, inversion).
 *
 * A gr_density is a view: dimension, a log-density callback with its context, and two
 * optional pieces of structure that quadrature uses (distance/divergence.h):
 *   - a bounding box [box_lo, box_hi] outside which the mass is negligible (each
 *     implementation says how much it leaves out), needed by adaptive quadrature;
 *   - a Gaussian-mixture structure (weights, means, diagonal SDs, prob/mixture.h), which
 *     enables per-component tensor Gauss-Hermite integration (CLAIMS O4) for mixtures with
 *     tiny components.
 * The view owns nothing: the pointers live as long as the object that filled it.
 *
 * prob/ implements distributions (prob/mixture.h, prob/segment.h, prob/lines.h) and fills
 * these views; distance/ integrates over them. Any other distribution — a data sampler's,
 * or one written by a user — takes part by filling a gr_density the same way.
 */
#ifndef GR_PROB_DENSITY_H
#define GR_PROB_DENSITY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* log p(x) into *out (x has d coordinates). -INFINITY is allowed (outside the support);
 * NaN is not. Returns GR_OK or a GR_E* status (core/error.h). */
typedef int (*gr_logpdf_fn)(const void *ctx, const double *x, double *out);

typedef struct gr_mixture gr_mixture; /* prob/mixture.h */

typedef struct gr_density {
    size_t d;                  /* dimension */
    gr_logpdf_fn logpdf;       /* required */
    const void *ctx;           /* passed to logpdf */
    const double *box_lo;      /* optional (NULL): d lower corners of the bounding box */
    const double *box_hi;      /* optional (NULL): d upper corners */
    const gr_mixture *mixture; /* optional (NULL): Gaussian-mixture structure of p */
} gr_density;

/* Half-width, in SDs of the Gaussian part, of the bounding boxes of prob's densities: the
 * mass left outside is at most d * erfc(12/sqrt 2) ~ 4e-33 * d per component, far below any
 * quadrature tolerance. */
#define GR_DENSITY_BOX_SDS 12.0

/* A real function of one variable: a CDF on R or a quantile function on [0, 1]. The same
 * type as distance/oned.h's gr_oned_fn, so the *_cdf_fn and *_quantile_fn adapters of the
 * 1-D distributions plug into gr_oned_w1_cdf and gr_oned_w1_quantile directly. They return
 * NaN for an argument they cannot take (which those integrators report as GR_EDOM). */
typedef double (*gr_real_fn)(double t, void *ctx);

/* Quantile by bracketed bisection, for the 1-D distributions here that have a CDF but no
 * closed-form inverse: returns x with cdf(x) = u, given lo <= hi with cdf(lo) <= u <= cdf(hi)
 * (each caller derives an exact bracket from its structure). For u > 1/2 it solves
 * sf(x) = 1 - u on the survival function instead: 1 - u is exact there, while cdf(x) near 1
 * has no digits left to compare. Bisection stops when the bracket is no wider than
 * GR_DENSITY_QUANTILE_RTOL * (|lo| + |hi| + scale), scale being the distribution's smallest
 * length scale (> 0), or after GR_DENSITY_QUANTILE_MAXIT halvings; the midpoint is returned.
 * So x is the root of the computed cdf (or sf) to about 2 ulp of |x| + scale; its distance to
 * the exact quantile adds the rounding error of cdf divided by the density at x. */
#define GR_DENSITY_QUANTILE_RTOL  2.220446049250313e-16 /* DBL_EPSILON */
#define GR_DENSITY_QUANTILE_MAXIT 300
double gr_density_quantile_bisect(double (*cdf)(double x, const void *ctx),
                                  double (*sf)(double x, const void *ctx), const void *ctx,
                                  double u, double lo, double hi, double scale);

#ifdef __cplusplus
}
#endif

#endif
