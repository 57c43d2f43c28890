/* eval/frechet.h — the Frechet distance between two sets of feature vectors (the FID
 * construction of Heusel et al. 2017, Eq. 6, here in the penultimate-layer features of the
 * project's MNIST classifier, eval/classifier.h):
 *
 *     FD = |mu_1 - mu_2|^2 + tr(S_1 + S_2 - 2 (S_2^1/2 S_1 S_2^1/2)^1/2),
 *
 * the squared 2-Wasserstein distance between the Gaussians N(mu_1, S_1), N(mu_2, S_2) fitted
 * to the two sets (sample means, sample covariances with the 1/(n - 1) normalisation, as
 * numpy.cov and the reference FID code). The closed form is distance/gauss.h's
 * gr_gauss_w2sq_ws (symmetric square roots by GSL's gsl_eigen_symmv, eigenvalues within
 * rounding of 0 set to 0, the result clamped at 0; the trace term is the same whichever
 * covariance is rooted first, since S_1 S_2 and S_2 S_1 have the same eigenvalues); this
 * file computes the statistics, in double, and calls it.
 *
 * Statistics: two passes over the float features, in double: the mean, then the centred
 * rows in blocks of GR_FRECHET_BLOCK rows accumulated by cblas_dsyrk into the lower
 * triangle, mirrored to the upper. Cost O(n d^2) for the covariance plus the closed form's
 * eigen-decompositions, O(d^3) (about 5.7 s at d = 784, ~1.6 s at d = 512: distance/gauss.h).
 *
 * Workspace: gr_frechet_alloc sizes everything for d <= d_max (two means, two covariances,
 * the block buffer, the closed form's workspace: about 56 d_max^2 bytes); no call allocates.
 */
#ifndef GR_EVAL_FRECHET_H
#define GR_EVAL_FRECHET_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_FRECHET_BLOCK 256 /* rows centred at a time for the covariance */

typedef struct gr_frechet gr_frechet;

/* Errors (*out = NULL): GR_EINVAL (NULL out, d_max 0, sizes overflow), GR_ENOMEM. */
int gr_frechet_alloc(gr_frechet **out, size_t d_max, gr_error *err);
void gr_frechet_free(gr_frechet *w); /* NULL is a no-op */

/* Mean (d) and sample covariance (d x d, symmetric, 1/(n - 1)) of the n >= 2 rows of x
 * (n x d floats), accumulated in double. GR_EINVAL (NULL, n < 2, d > d_max), GR_EDOM (a
 * non-finite feature, naming row and column). */
int gr_frechet_stats(gr_frechet *w, double *mean, double *cov, const float *x, size_t n, size_t d,
                     gr_error *err);

/* FD between the Gaussians (m1, S1) and (m2, S2) of dimension d <= d_max: the formula at
 * the top, by gr_gauss_w2sq_ws (its errors: GR_EDOM for a covariance with an eigenvalue
 * below -d eps lambda_max). */
int gr_frechet_from_stats(gr_frechet *w, double *fd, size_t d, const double *m1, const double *S1,
                          const double *m2, const double *S2, gr_error *err);

/* FD between the rows of x1 (n1 x d) and x2 (n2 x d): both statistics, then the closed
 * form. Errors as gr_frechet_stats and gr_frechet_from_stats. */
int gr_frechet_distance(gr_frechet *w, double *fd, const float *x1, size_t n1, const float *x2,
                        size_t n2, size_t d, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
