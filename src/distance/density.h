/* distance/density.h — known probability densities behind one small interface.
 *
 * A gr_density is a view: dimension, a log-density callback with its context, and two
 * optional pieces of structure that quadrature uses (distance/divergence.h):
 *   - a bounding box [box_lo, box_hi] outside which the mass is negligible (each
 *     implementation says how much it leaves out), needed by adaptive quadrature;
 *   - a Gaussian-mixture structure (weights, means, diagonal SDs), which enables per-component
 *     tensor Gauss-Hermite integration (CLAIMS O4) for mixtures with tiny components.
 * The view owns nothing: the pointers live as long as the object that filled it.
 *
 * Implementations here: Gaussian mixtures with diagonal (or isotropic) SDs in any dimension
 * (the 8/25-Gaussian rings and grids, 1-D mixtures), and a uniform segment smoothed by
 * isotropic Gaussian noise (CLAIMS O9, instance noise on the parallel lines). Data samplers
 * (data/) fill a gr_density for the distributions they sample.
 */
#ifndef GR_DISTANCE_DENSITY_H
#define GR_DISTANCE_DENSITY_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* log p(x) into *out (x has d coordinates). -INFINITY is allowed (outside the support);
 * NaN is not. Returns GR_OK or a GR_E* status. */
typedef int (*gr_logpdf_fn)(const void *ctx, const double *x, double *out);

typedef struct gr_mixture gr_mixture;

typedef struct gr_density {
    size_t d;                  /* dimension */
    gr_logpdf_fn logpdf;       /* required */
    const void *ctx;           /* passed to logpdf */
    const double *box_lo;      /* optional (NULL): d lower corners of the bounding box */
    const double *box_hi;      /* optional (NULL): d upper corners */
    const gr_mixture *mixture; /* optional (NULL): Gaussian-mixture structure of p */
} gr_density;

/* ---- Gaussian mixtures ------------------------------------------------------------ *
 * p(x) = sum_k w_k prod_j N(x_j; mu_kj, sd_kj^2). Read-only fields for users. */
struct gr_mixture {
    size_t d, k;
    double *w;      /* k weights, normalised to sum 1 */
    double *mu;     /* k x d means */
    double *sd;     /* k x d standard deviations (> 0) */
    double *logc;   /* k: log w_k - sum_j log sd_kj - d/2 log(2 pi) */
    double *box_lo; /* d: min_k (mu_kj - box_sds * sd_kj) */
    double *box_hi; /* d: max_k (mu_kj + box_sds * sd_kj) */
    double box_sds; /* half-width of the box in SDs */
};

/* Half-width, in component SDs, of the bounding box of a mixture: the mass left outside is
 * at most d * erfc(12/sqrt 2) ~ 4e-33 * d, far below any quadrature tolerance. */
#define GR_MIXTURE_BOX_SDS 12.0

/* Build a mixture from k weights w (>= 0, not all 0; normalised here), k x d means mu and
 * standard deviations sd: k x d values when isotropic == 0, k values (one per component,
 * shared by all coordinates) when isotropic != 0. Copies everything.
 * Errors: GR_EINVAL (NULL, d == 0, k == 0), GR_EDOM (non-finite value, negative weight,
 * zero total weight, sd <= 0), GR_ENOMEM. */
int gr_mixture_alloc(size_t d, size_t k, const double *w, const double *mu, const double *sd,
                     int isotropic, gr_mixture **out, gr_error *err);
void gr_mixture_free(gr_mixture *m);

/* log p(x) by a streaming log-sum-exp over components (no allocation; never overflows).
 * ctx is a const gr_mixture *. Cannot fail for finite x; non-finite x gives GR_EDOM. */
int gr_mixture_logpdf(const void *ctx, const double *x, double *out);

/* Fill a density view of m (box and mixture structure set). */
void gr_mixture_density(const gr_mixture *m, gr_density *out);

/* ---- Segment smoothed by isotropic Gaussian noise (CLAIMS O9) ---------------------- *
 * Uniform mass on the segment from u to v in R^d (length l > 0, direction e), convolved with
 * N(0, sigma^2 I_d). With s = (x - u).e and r = |(x - u) - s e|:
 *   p(x) = (2 pi sigma^2)^(-(d-1)/2) exp(-r^2/(2 sigma^2)) [Phi(s/sigma) - Phi((s-l)/sigma)] / l.
 * The log of the Phi difference is computed from log-tails (gsl_sf_log_erfc), accurate far
 * into the tails. Box: the segment's bounding box widened by GR_MIXTURE_BOX_SDS sigma. */
typedef struct gr_segment gr_segment;

int gr_segment_alloc(size_t d, const double *u, const double *v, double sigma, gr_segment **out,
                     gr_error *err);
void gr_segment_free(gr_segment *s);
int gr_segment_logpdf(const void *ctx, const double *x, double *out);
void gr_segment_density(const gr_segment *s, gr_density *out);

#ifdef __cplusplus
}
#endif

#endif
