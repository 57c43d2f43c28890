/* distance/ot.h — exact optimal transport between weighted discrete measures, certified.
 *
 * Solves the transport LP  min_P <P, C>  s.t.  P 1 = a, P^T 1 = b, P >= 0  between
 * mu = sum_i a_i delta_{x_i} (n points) and nu = sum_j b_j delta_{y_j} (m points) with a
 * primal network simplex on the complete bipartite graph (the algorithm of LEMON's
 * NetworkSimplex, which POT's ot.emd also uses): block-search pivoting (block size
 * ceil(sqrt(n m)), Grigoriadis' rule), Cunningham's strongly feasible trees against cycling
 * (see ot.c for the floating-point caveats), an iteration cap and relative tolerances.
 * From the usual root-star start that simplex costs ~max(n, m)^2 on very unbalanced
 * problems; when the smaller side has at most settings.warm_max_m points it starts instead
 * from an optimal basis found by successive shortest paths over that side (time about
 * linear in the larger side; see the settings), and very unbalanced problems it cannot
 * start warm above settings.cold_max_n points are refused with a message.
 *
 * Ground costs are computed from the coordinates when needed, never stored as an n x m
 * matrix, except for an optional bounded cache in high dimension (settings.cache_bytes,
 * see below) where recomputing d-dimensional distances in the pricing loop would dominate.
 *
 * Every solution is certified before GR_OK is returned: the plan's marginal residual, the
 * dual feasibility (max over all (i, j) of u_i + v_j - c_ij) and the duality gap
 * (primal cost - dual objective) are recomputed from scratch and checked against the
 * tolerances of the settings; the measured values are in the result either way.
 *
 * Memory: O(n + m) for the tree and results; the cache, when used, 8 n m bytes plus a
 * centred copy of the points, 8 (n + m) d bytes (n = m = 4000 at d = 784: ~180 MB). The warm
 * start, when used, ~24 n m bytes or more (see warm_max_m). When
 * that memory cannot be allocated the solve falls back to on-the-fly costs (the same
 * optimum, slower pricing; result.cached_costs = 0 says which was used).
 *
 * What `value` is (result.value, and *value of gr_ot_wasserstein): it follows the
 * problem's cost kind, whichever internal path (on-the-fly pricing, cost cache) is taken:
 *   EUCLIDEAN     W1 = the optimal cost sum_ij P_ij |x_i - y_j|;
 *   SQEUCLIDEAN   W2 = sqrt(optimal cost), the cost being sum_ij P_ij |x_i - y_j|^2;
 *   MATRIX, CALLBACK  the optimal cost sum_ij P_ij c_ij itself, no root taken: a caller's
 *                 cost has no "squared" meaning (pass squared distances and you get W2^2;
 *                 take the square root yourself), and it may be negative.
 * The mass convention is the LP's: P has row sums a and column sums b rescaled to sum a
 * (so with total mass s != 1 the value is s times the probability-measure value for W1,
 * sqrt(s) times for W2). The certificate fields (cost, dual, duality_gap, max_violation,
 * cost_scale, u, v) are always those of the cost that was optimised: for SQEUCLIDEAN they
 * are in squared units (cost = dual = value^2 at the optimum), not in units of W2.
 *
 * Usage (repeated solves reuse one workspace; nothing is allocated inside a solve except,
 * the first time a larger one is needed, the cost cache and a 2 d-double buffer):
 *     gr_ot_workspace *w = NULL;
 *     if (gr_ot_workspace_alloc(&w, n_max, m_max, &err) != GR_OK) return err.status;
 *     gr_ot_settings s = gr_ot_settings_default();
 *     gr_ot_problem p = gr_ot_problem_points(x, NULL, n, y, NULL, m, d, GR_OT_COST_EUCLIDEAN);
 *     gr_ot_result r;
 *     if (gr_ot_solve(w, &p, &s, &r, &err) == GR_OK) printf("W1 = %.17g\n", r.value);
 *     gr_ot_workspace_free(w);
 */
#ifndef GR_DISTANCE_OT_H
#define GR_DISTANCE_OT_H

#include <stddef.h>

#include "core/error.h"
#include "core/settings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gr_ot_cost_kind {
    GR_OT_COST_EUCLIDEAN = 0, /* c_ij = |x_i - y_j|_2; value = optimal cost = W1 */
    GR_OT_COST_SQEUCLIDEAN,   /* c_ij = |x_i - y_j|_2^2; value = sqrt(optimal cost) = W2 */
    GR_OT_COST_MATRIX,        /* c_ij = matrix[i*m + j] (caller's n x m array); value =
                                 optimal cost, no root taken */
    GR_OT_COST_CALLBACK       /* c_ij = fn(i, j, ctx); value = optimal cost, no root taken */
} gr_ot_cost_kind;

/* A caller-supplied ground cost. Must be finite and return the same value for the same
 * (i, j) every time (it is called many times per pair). */
typedef double (*gr_ot_cost_fn)(size_t i, size_t j, void *ctx);

typedef struct gr_ot_problem {
    size_t n, m;          /* numbers of source and target points, both > 0 */
    const double *a;      /* n source weights >= 0, or NULL for uniform 1/n */
    const double *b;      /* m target weights >= 0, or NULL for uniform 1/m */
    gr_ot_cost_kind cost; /* which of the fields below define c_ij */
    const double *x;      /* n x d row-major source points (EUCLIDEAN, SQEUCLIDEAN) */
    const double *y;      /* m x d row-major target points */
    size_t d;             /* dimension, > 0 */
    const double *matrix; /* n x m row-major costs (MATRIX) */
    gr_ot_cost_fn fn;     /* cost callback (CALLBACK) */
    void *ctx;            /* passed to fn */
} gr_ot_problem;

/* A problem between two point clouds with a Euclidean or squared-Euclidean ground cost. */
gr_ot_problem gr_ot_problem_points(const double *x, const double *a, size_t n, const double *y,
                                   const double *b, size_t m, size_t d, gr_ot_cost_kind cost);

typedef struct gr_ot_settings {
    size_t max_iter;      /* pivot cap; 0 = automatic: 10^7 + 1000 (n + m) (none of the
                             benchmark sizes, up to n = m = 10^4, comes near it) */
    size_t block_size;    /* pricing block (arcs scanned before accepting the best);
                             0 = automatic: max(10, ceil(sqrt(n m))) as in LEMON/POT */
    double tol_rc;        /* reduced-cost tolerance relative to the largest cost C:
                             an arc enters only if c_ij - u_i - v_j < -tol_rc C, and the
                             certificate requires u_i + v_j - c_ij <= tol_rc C for all
                             (i, j). Default 1e-12. */
    double tol_marginal;  /* max |P 1 - a|, |P^T 1 - b| relative to the total mass.
                             Default 1e-10. */
    double tol_gap;       /* |primal - dual| <= tol_gap (|primal| + C mass). Default 1e-10. */
    double tol_mass;      /* |sum a - sum b| <= tol_mass max(sum a, sum b) is accepted (b is
                             rescaled to sum a, as POT does); more is GR_EINFEAS. Default 1e-9. */
    size_t cache_bytes;   /* for d >= cache_min_dim, the cost matrix is precomputed (BLAS +
                             exact recomputation of near pairs) when n m 8 bytes fit in this
                             budget (the centred copy of the points, 8 (n + m) d bytes, is
                             not counted) and can be allocated; otherwise costs are
                             recomputed on the fly. Default 2^30 (1 GiB). 0 disables the
                             cache. The value does not depend on it (to rounding). */
    size_t cache_min_dim; /* default 16; below, on-the-fly costs are cheaper than loads */
    int check_tree;       /* nonzero: validate the spanning-tree data after every pivot
                             (O(n + m) per pivot; for tests). Default 0. */
    size_t warm_max_m;    /* few targets: when m <= warm_max_m (and every b_j > 0), the
                             simplex starts from an optimal basis computed by successive
                             shortest paths over the m targets (see ot.c): measured 0.2 to
                             1.3 n augmentations of O(m^2 + log n) each, instead of the cold
                             start's ~n^2; the simplex then verifies the basis (one pricing
                             pass, rarely a few pivots) and the certificate is computed as
                             always. The same with n and m exchanged (few sources, all
                             a_i > 0). Extra memory, allocated by the first such solve and
                             kept: ~8 n m + 16 n (m - 1) bytes plus what re-routed sources
                             add to the heaps (whole-process peak, 2-D, n = 200 000: 75 MB at
                             m = 8, 134 MB at 16, 248 MB at 32). Default 16; 0 disables. */
    size_t cold_max_n;    /* the cold start (root star) on a problem with one side >= 8 times
                             the other costs ~max(n, m)^2 (n = 40 000 against 3 to 64 points:
                             3 to 8 s); without the warm start (smaller side > warm_max_m, or
                             a zero weight on it) gr_ot_solve refuses such a problem with
                             GR_EINVAL and a message when max(n, m) > cold_max_n, instead of
                             running for minutes (res->refused_unbalanced = 1 says so).
                             Default 50 000; 0 = no limit. */

    /* The cost cache forms |x - y|^2 as |x|^2 + |y|^2 - 2 x.y (x, y centred on the mean of
     * all points); a pair whose result is below cache_recompute_rel (|x|^2 + |y|^2) is
     * recomputed from the differences, because there the formula has lost digits to
     * cancellation (elsewhere its relative error is below ~1e2 d eps). Default 1e-2: pairs
     * closer than a tenth of the points' norms are exact to rounding. */
    double cache_recompute_rel;
    /* The certificate recomputes the potentials from the tree, free of the drift of the
     * incremental updates; when they still price an arc in (dual violation > tol_rc C) the
     * simplex resumes, at most certify_rounds times, and the last certificate is judged.
     * Default 10: a cap that only bounds the work should rounding keep pricing an arc in;
     * 0 judges the first certificate. */
    size_t certify_rounds;
} gr_ot_settings;

/* The documented defaults above: the one place they are set. Cannot fail. */
gr_ot_settings gr_ot_settings_default(void);

/* The settings as (name, value) entries (core/settings.h), in declaration order, for a
 * results file: writes min(cap, GR_OT_SETTINGS_COUNT) entries into out (which may be NULL
 * when cap is 0) and returns GR_OT_SETTINGS_COUNT. Cannot fail. */
enum { GR_OT_SETTINGS_COUNT = 13 };
size_t gr_ot_settings_describe(const gr_ot_settings *s, gr_setting *out, size_t cap);

/* One entry of the sparse plan: mass transported from source i to target j. */
typedef struct gr_ot_entry {
    size_t i, j;
    double mass;
} gr_ot_entry;

typedef struct gr_ot_result {
    int status;        /* GR_OK (certified optimal) or the error returned by gr_ot_solve */
    double value;      /* see "What `value` is" above: W1 (EUCLIDEAN), W2 = sqrt(cost)
                          (SQEUCLIDEAN), the optimal cost (MATRIX, CALLBACK); for non-OK
                          statuses the same function of the last (feasible or not) plan's
                          cost; NaN if the simplex did not run */
    double cost;       /* primal cost <P, C> of the returned plan, in the units of the
                          cost optimised: squared distances for SQEUCLIDEAN (W2^2) */
    double dual;       /* dual objective sum a_i u_i + sum b_j v_j (same units as cost) */
    size_t iterations; /* pivots performed */
    /* certificate (always filled once the simplex has run) */
    double marginal_residual; /* max_i |sum_j P_ij - a_i| and max_j |...-b_j|, / total mass */
    double duality_gap;       /* cost - dual (>= 0 up to rounding at the optimum; squared
                                 units for SQEUCLIDEAN, as cost and dual) */
    double max_violation;     /* max_ij (u_i + v_j - c_ij), clipped below at 0 (cost units) */
    double cost_scale;        /* C: the bound on max |c_ij| the relative tolerances use (a
                                 squared distance for SQEUCLIDEAN) */
    double mass;              /* total mass sum a (b rescaled to it) */
    int cached_costs;         /* 1 if the n x m cost cache was used; 0 if the costs were
                                 computed on the fly (below cache_min_dim, over the
                                 cache_bytes budget, or the cache could not be allocated) */
    int warm_start;           /* 1 if the simplex started from the few-target basis */
    size_t augmentations;     /* shortest-path augmentations of that warm start */
    int refused_unbalanced;   /* 1 if refused (GR_EINVAL) as too unbalanced for the cold
                                 start: raise cold_max_n (0 = no limit), or warm_max_m to
                                 the smaller side when all its weights are > 0 */
    /* plan and duals: point into the workspace, valid until its next solve or free */
    size_t plan_nnz; /* <= n + m - 1 */
    const gr_ot_entry *plan;
    const double *u; /* n source potentials (cost units: squared for SQEUCLIDEAN) */
    const double *v; /* m target potentials; u_i + v_j <= c_ij (+ tolerance) */
} gr_ot_result;

typedef struct gr_ot_workspace gr_ot_workspace;

/* A workspace for problems with n <= n_max and m <= m_max (O(n + m) memory; the optional
 * cost cache is allocated by the first solve that uses it and kept), into *out. Returns
 * GR_OK; GR_EINVAL (n_max or m_max 0 or above INT32_MAX, out NULL) or GR_ENOMEM, with a
 * message, and *out = NULL on any failure. */
int gr_ot_workspace_alloc(gr_ot_workspace **out, size_t n_max, size_t m_max, gr_error *err);
void gr_ot_workspace_free(gr_ot_workspace *w); /* NULL is a no-op */

/* Solve `p` exactly. Returns GR_OK only for a certified optimum; otherwise
 *   GR_EINVAL   n or m is 0 or too large for the workspace, d = 0, missing arrays, a
 *               negative tolerance; or a very unbalanced problem refused for the cold
 *               start (see cold_max_n; res->refused_unbalanced = 1);
 *   GR_EDOM     NaN/Inf/negative weight, NaN/Inf coordinate or cost, zero total mass;
 *   GR_EINFEAS  total masses differ by more than tol_mass;
 *   GR_EMAXITER the pivot cap was reached (res holds the current plan and its certificate);
 *   GR_ENOTCONV the simplex stopped but the certificate fails the tolerances;
 *   GR_ENOMEM   no memory for the 2 d doubles of the points' bounding box (EUCLIDEAN,
 *               SQEUCLIDEAN). Not for the cost cache: without its memory the solve falls
 *               back to on-the-fly costs and succeeds (res->cached_costs = 0).
 *   GR_ENOMEM   also: the warm start's buffers (see warm_max_m) could not be allocated.
 * `s` may be NULL (defaults). res->status repeats the return value. */
int gr_ot_solve(gr_ot_workspace *w, const gr_ot_problem *p, const gr_ot_settings *s,
                gr_ot_result *res, gr_error *err);

/* Convenience: *value = W_p (p = 1 or 2) between two point clouds: result.value of the
 * EUCLIDEAN (p = 1) or SQEUCLIDEAN (p = 2: the square root of the optimal squared cost)
 * problem, solved with a temporary workspace (allocated and freed inside: use gr_ot_solve
 * for repeated solves). `s` may be NULL. Same statuses as gr_ot_solve; *value is set only
 * on GR_OK. */
int gr_ot_wasserstein(const double *x, const double *a, size_t n, const double *y, const double *b,
                      size_t m, size_t d, int p, const gr_ot_settings *s, double *value,
                      gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
