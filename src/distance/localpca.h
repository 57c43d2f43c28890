/* distance/localpca.h — local principal components: the eigenvalues of the covariance of a
 * point's k nearest neighbours in a sample (CLAIMS C06: the image of R^2 under a ReLU
 * network in R^16 is locally two-dimensional, so lambda_3 / lambda_1 is small; a
 * full-dimensional sample gives a ratio of order 1).
 *
 * Neighbours: the k points of the sample nearest to x_q in Euclidean distance, x_q itself
 * included (as a kNN query on the sample returns it first), found by exhaustive search
 * (squared distances to all n points, then GSL's gsl_sort_smallest_index: O(n d) per query,
 * deterministic; among equidistant points the lower index wins). Covariance: the sample
 * covariance of the k neighbours, divisor k - 1, centred on their own mean. Eigenvalues by
 * GSL's symmetric eigensolver (gsl_eigen_symm), sorted descending; tiny negative values from
 * rounding are returned as they are.
 *
 * Workspace: distances for n_max points, the k neighbours, the d x d covariance and GSL's
 * eigen workspace, allocated once; a query allocates nothing.
 */
#ifndef GR_DISTANCE_LOCALPCA_H
#define GR_DISTANCE_LOCALPCA_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_localpca gr_localpca;

/* A workspace for samples of up to n_max points in dimension d, k neighbours (2 <= k <=
 * n_max), into *out. Errors (*out = NULL): GR_EINVAL (NULL out, d == 0, k out of range,
 * sizes overflow), GR_ENOMEM. */
int gr_localpca_alloc(gr_localpca **out, size_t n_max, size_t d, size_t k, gr_error *err);
void gr_localpca_free(gr_localpca *w); /* NULL is a no-op */

/* The d eigenvalues (descending) of the covariance of the k nearest neighbours of x[q]
 * among x (n x d, row-major), into eig[0..d-1]. Errors: GR_EINVAL (NULL, n > n_max,
 * n < k, q >= n), GR_EDOM (a non-finite coordinate in x[q] or among the neighbours: a point
 * with one has distance +inf, so it is a neighbour only when fewer than k others are
 * finite), GR_ELIB (GSL's
 * eigensolver failed). */
int gr_localpca_eigen(gr_localpca *w, const double *x, size_t n, size_t q, double *eig,
                      gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
