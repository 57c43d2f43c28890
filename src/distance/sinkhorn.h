/* distance/sinkhorn.h — entropic optimal transport by log-domain Sinkhorn iterations.
 *
 * An APPROXIMATION of optimal transport, never an exact distance: it solves
 *     min_P <P, C> + eps KL(P | a b^T)  s.t.  P 1 = a, P^T 1 = b
 * (Cuturi 2013, "Sinkhorn distances", NeurIPS; the log-domain form of Peyré & Cuturi,
 * "Computational Optimal Transport", 2019, §4.4, eq. 4.43) by alternating exact updates
 * of the dual potentials f, g with log-sum-exp, which never under/overflows for small eps:
 *     f_i = -eps log sum_j b_j exp((g_j - C_ij)/eps),   g_j likewise,
 *     P_ij = a_i b_j exp((f_i + g_j - C_ij)/eps).
 * After each g-update the column marginals are exact; the row marginal error
 * sum_i |P 1 - a|_i (L1, relative to the total mass) is the stopping test.
 * <P, C> >= the exact optimum and tends to it as eps -> 0 (bias O(eps log(1/eps))).
 *
 * Memory: the workspace stores the n x m cost matrix (8 n m bytes: 8 MB for
 * n = m = 1000, 128 MB for 4000) plus O(n + m).
 */
#ifndef GR_DISTANCE_SINKHORN_H
#define GR_DISTANCE_SINKHORN_H

#include <stddef.h>

#include "core/error.h"
#include "core/settings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_sinkhorn_settings {
    double epsilon;  /* entropic regularisation, in cost units, > 0. No default: it is
                        scale dependent (the CLI uses 0.05 x the mean cost) */
    size_t max_iter; /* cap on (f, g) update pairs; default 10000 */
    double tol;      /* stop when the relative L1 row-marginal error <= tol; default 1e-9 */
    int p;           /* ground cost |x - y|^p, p = 1 or 2; default 1 */
    double tol_mass; /* |sum a - sum b| <= tol_mass max(sum a, sum b) is accepted (b is
                        rescaled to sum a); more is GR_EINFEAS. Default 1e-9, as
                        gr_ot_settings.tol_mass: the two solvers accept the same inputs */
} gr_sinkhorn_settings;

/* epsilon = 0 (must be set), max_iter 10000, tol 1e-9, p = 1, tol_mass 1e-9: the one place
 * the defaults are set. Cannot fail. */
gr_sinkhorn_settings gr_sinkhorn_settings_default(void);

/* The settings as (name, value) entries (core/settings.h), in declaration order, for a
 * results file: writes min(cap, GR_SINKHORN_SETTINGS_COUNT) entries into out (which may be
 * NULL when cap is 0) and returns GR_SINKHORN_SETTINGS_COUNT. Cannot fail. */
enum { GR_SINKHORN_SETTINGS_COUNT = 5 };
size_t gr_sinkhorn_settings_describe(const gr_sinkhorn_settings *s, gr_setting *out, size_t cap);

typedef struct gr_sinkhorn_result {
    int status;            /* GR_OK when tol was met, GR_EMAXITER otherwise */
    double cost;           /* <P, C> of the entropic plan (an upper bound on the exact cost) */
    double objective;      /* <P, C> + eps KL(P | a b^T) = sum P_ij (f_i + g_j) */
    double marginal_error; /* relative L1 row-marginal error of the returned plan */
    size_t iterations;
    double epsilon;   /* the epsilon used */
    double mean_cost; /* mean of C_ij (for choosing epsilon) */
} gr_sinkhorn_result;

typedef struct gr_sinkhorn_workspace gr_sinkhorn_workspace;

/* Buffers (the n_max x m_max cost matrix, potentials) for problems with n <= n_max and
 * m <= m_max, into *out. Returns GR_OK; GR_EINVAL (a size 0, n_max * m_max doubles beyond
 * SIZE_MAX, out NULL) or GR_ENOMEM, with a message, and *out = NULL on any failure. */
int gr_sinkhorn_workspace_alloc(gr_sinkhorn_workspace **out, size_t n_max, size_t m_max,
                                gr_error *err);
void gr_sinkhorn_workspace_free(gr_sinkhorn_workspace *w); /* NULL is a no-op */

/* Mean ground cost between the two clouds (|x - y|^p averaged over all pairs). Errors as
 * gr_sinkhorn_solve. */
int gr_sinkhorn_mean_cost(const double *x, size_t n, const double *y, size_t m, size_t d, int p,
                          double *mean, gr_error *err);

/* Entropic OT between sum a_i delta_{x_i} and sum b_j delta_{y_j} (x: n x d, y: m x d,
 * weights NULL = uniform; total masses must agree to s->tol_mass relative, b is rescaled).
 * Errors: GR_EINVAL (sizes, epsilon <= 0, p, a negative tolerance), GR_EDOM (NaN/Inf,
 * negative weights),
 * GR_EINFEAS (masses), GR_EMAXITER (res is filled with the last iterate). */
int gr_sinkhorn_solve(gr_sinkhorn_workspace *w, const double *x, const double *a, size_t n,
                      const double *y, const double *b, size_t m, size_t d,
                      const gr_sinkhorn_settings *s, gr_sinkhorn_result *res, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
