/* eval/frechet.h — the Frechet distance between two sets of feature vectors (the FID
 * construction of Heusel et al. 2017, Eq. 6, here in the penultimate-layer features of the
 * project's MNIST classifier, eval/classifier.h):
 *
 *     FD = |mu_1 - mu_2|^2 + tr(S_1 + S_2 - 2 (S_2^1/2 S_1 S_2^1/2)^1/2),
 *
 * the squared 2-Wasserstein distance between the Gaussians N(mu_1, S_1), N(mu_2, S_2) fitted
 * to the two sets (sample means, sample covariances with the 1/(n - 1) normalisation, as
 * numpy.cov and the reference FID code). Computed, in double, as
 *     tr S_1 + tr S_2 - 2 sum_i sqrt(mu_i),   mu_i the eigenvalues of S_1^1/2 S_2 S_1^1/2,
 * S_1^1/2 = V diag(sqrt(lambda)) V' from the symmetric eigen-decomposition S_1 = V diag(lambda)
 * V' (LAPACK dsyevd, in OpenBLAS): one decomposition with eigenvectors, two without (one to
 * check S_2 on its own). The trace term is the same whichever covariance is rooted (S_1 S_2
 * and S_2 S_1 have the same eigenvalues). As distance/gauss.h's W2 (which gives the same
 * value, by GSL's eigensolver, ~30 times slower at d = 512): eigenvalues in
 * [-d eps lambda_max, 0) are rounding and set to 0, more negative ones are GR_EDOM (not
 * positive semi-definite); the result is clamped at 0 (cancellation when the two coincide).
 * Only the lower triangles of S_1, S_2 are read. Accuracy: ~d eps (tr S_1 + tr S_2) for
 * regular covariances; a singular one (n <= d, or a feature that is constant, e.g. a dead
 * ReLU unit) has eigenvalues that are 0 exactly but come out as rounding noise up to
 * ~d eps lambda_max, whose roots add up to ~d sqrt(d eps lambda_max): then the FD is only
 * that accurate (tests/eval/test_frechet.c; ~1e-6 on MNIST-sized values, far below any
 * difference a table reports).
 *
 * Statistics: two passes over the float features, in double: the mean, then the centred
 * rows in blocks of GR_FRECHET_BLOCK rows accumulated by cblas_dsyrk into the lower
 * triangle, mirrored to the upper. Cost O(n d^2) for the covariance plus O(d^3) for the
 * closed form.
 *
 * Workspace: gr_frechet_alloc sizes everything for d <= d_max (two means, two covariances,
 * the block buffer, four d_max^2 matrices and dsyevd's workspace: about 100 d_max^2 bytes);
 * no call allocates.
 */
#ifndef GR_EVAL_FRECHET_H
#define GR_EVAL_FRECHET_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_FRECHET_BLOCK 256   /* rows centred at a time for the covariance */
#define GR_FRECHET_D_MAX 46340 /* largest d_max: d^2 fits a LAPACK int */

typedef struct gr_frechet gr_frechet;

/* Errors (*out = NULL): GR_EINVAL (NULL out, d_max 0 or above GR_FRECHET_D_MAX), GR_ENOMEM. */
int gr_frechet_alloc(gr_frechet **out, size_t d_max, gr_error *err);
void gr_frechet_free(gr_frechet *w); /* NULL is a no-op */

/* Mean (d) and sample covariance (d x d, symmetric, 1/(n - 1)) of the n >= 2 rows of x
 * (n x d floats), accumulated in double. GR_EINVAL (NULL, n < 2, d > d_max), GR_EDOM (a
 * non-finite feature, naming row and column). */
int gr_frechet_stats(gr_frechet *w, double *mean, double *cov, const float *x, size_t n, size_t d,
                     gr_error *err);

/* FD between the Gaussians (m1, S1) and (m2, S2) of dimension d <= d_max: the formula at
 * the top. Errors: GR_EINVAL (NULL, d), GR_EDOM (a non-finite mean or covariance entry, or a
 * covariance, or S1^1/2 S2 S1^1/2, with an eigenvalue below -d eps lambda_max), GR_ELIB
 * (dsyevd failed to converge). */
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
