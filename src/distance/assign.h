/* distance/assign.h — the optimal assignment problem (linear sum assignment): for an n x n
 * cost matrix C, the permutation sigma minimising sum_i C[i, sigma(i)], by the Hungarian
 * method with potentials (Kuhn 1955, Munkres 1957; the O(n^3) shortest-augmenting-path form
 * of Jonker and Volgenant 1987, one row added per phase). Between two uniform empirical
 * measures of n points each, the optimal transport plan can be taken to be a permutation
 * (Birkhoff), so W1 = (1/n) min_sigma sum_i |x_i - y_sigma(i)| (CLAIMS O12): an exact
 * primal solver independent of distance/ot.h's network simplex, for certificates that
 * compare the two (C29).
 *
 * The result carries its certificate: the potentials u (rows) and v (columns) with
 * u_i + v_j <= C_ij for every (i, j) (max violation reported) and equality on the assigned
 * pairs, so sum u + sum v = the assignment cost at the optimum (duality gap reported).
 * Arithmetic in double; costs must be finite. Time O(n^3), memory O(n) in the workspace
 * (the matrix is the caller's). No allocation inside gr_assign_solve.
 */
#ifndef GR_DISTANCE_ASSIGN_H
#define GR_DISTANCE_ASSIGN_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_assign_workspace gr_assign_workspace;

/* A workspace for n <= n_max (O(n_max) memory). GR_EINVAL (out NULL, n_max 0 or too large
 * for size_t arithmetic), GR_ENOMEM; *out = NULL on failure. */
int gr_assign_workspace_alloc(gr_assign_workspace **out, size_t n_max, gr_error *err);
void gr_assign_workspace_free(gr_assign_workspace *w); /* NULL is a no-op */

typedef struct gr_assign_result {
    double cost;          /* sum_i C[i, perm[i]] of the returned permutation */
    double dual;          /* sum_i u_i + sum_j v_j */
    double duality_gap;   /* cost - dual (0 to rounding at the optimum) */
    double max_violation; /* max_ij (u_i + v_j - C_ij), clipped below at 0 */
    const double *u, *v;  /* n potentials each, in the workspace (valid until its next solve) */
} gr_assign_result;

/* Solve for the n x n row-major matrix `cost`: perm[i] = the column assigned to row i (a
 * permutation of 0..n-1). GR_EINVAL (NULL arguments, n = 0 or > n_max), GR_EDOM (a
 * non-finite cost; the message names the entry). res may be NULL. */
int gr_assign_solve(gr_assign_workspace *w, const double *cost, size_t n, size_t *perm,
                    gr_assign_result *res, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
