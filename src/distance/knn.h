/* distance/knn.h — sample-based k-nearest-neighbour estimators of KL and JS divergences.
 *
 * KL(P||Q) from samples x ~ P (n x d) and y ~ Q (m x d), row-major, one sample per row:
 * the estimator of Wang, Kulkarni & Verdu (2009, IEEE Trans. Inf. Theory 55(5), eq. 5)
 *     D_hat = d/n * sum_i log(nu_k(i) / rho_k(i)) + log(m / (n - 1)),
 * rho_k(i) = distance from x_i to its k-th nearest neighbour among the other x,
 * nu_k(i)  = distance from x_i to its k-th nearest neighbour among the y.
 * Euclidean distance; results in nats. Consistent (n, m -> inf, k fixed) but biased at
 * finite n; see knn.c for the measured bias.
 *
 * JS(P,Q) (½-normalised: 0 <= JS <= log 2, nats) estimated through the mixture
 * M = ½P + ½Q: JS = ½ KL(P||M) + ½ KL(Q||M), each KL estimated with kNN density ratios
 * against a sample of M made of the whole smaller sample and as many evenly spaced rows of
 * the larger one (all n + m points are used as queries and for their own sample's
 * density). The estimate is clipped to [0, log 2], the range of JS, because the
 * estimator's finite-sample error can step outside it; the unclipped value is `raw`.
 *
 * Repeated points (ties). In an i.i.d. sample of a law with a density no value repeats, so
 * a repeated value says something the formulas above do not cover, and what it says cannot
 * be told from the samples: the caller chooses the reading (gr_knn_options.repeats;
 * docs/estimators.md argues each):
 *  - atoms (GR_KNN_REPEATS_ATOMS, and GR_KNN_REPEATS_AUTO off a grid): a repeated value is
 *    an atom of P or Q, a point mass (rounded data, ReLU or clipped outputs);
 *  - weights (GR_KNN_REPEATS_WEIGHTS): a value repeated WITHIN a sample is one draw of a
 *    continuous law written several times (a bootstrap, a minibatch drawn with replacement
 *    from a fixed pool): a weight on that draw.
 * The treatment used is reported in `ties`:
 *  - GR_KNN_TIES_GRID (AUTO only): every coordinate of the pooled sample lies on a grid
 *    (rounded or integer data). Every point is moved uniformly within its grid cell (a
 *    seeded jitter, seed GR_KNN_JITTER_SEED): P and Q then become continuous laws whose JS
 *    and KL equal those of the discrete laws EXACTLY (each atom keeps its own cell), and
 *    the kNN estimators are applied to them.
 *  - GR_KNN_TIES_ATOMS: atoms are counted (plug-in masses c_x/n, c_y/m) and the kNN
 *    formulas are applied to the unrepeated points only; JS and KL are the sums of the two
 *    parts. KL is +inf (GR_EINF) when an atom of the first sample never occurs in the
 *    second or when the second sample has no unrepeated points at all. AUTO when some
 *    coordinate is off any grid; ATOMS always (counting also on a grid, no jitter).
 *  - GR_KNN_TIES_WEIGHTS: each sample is reduced to its n' (m') distinct rows with
 *    multiplicities w_i (sum n, m). The kNN terms are computed on the distinct rows with
 *    n', m' as the sample sizes (the draws are the distinct rows) and averaged with weights
 *    w_i / n (w_j / m); when every row of a sample has the same multiplicity c this is the
 *    plain estimator on the de-duplicated sample, bit for bit. A value found in BOTH
 *    samples cannot be the same draw of two independent samples; it is read as an atom and
 *    counted as above, with its multiplicities as counts (`n_atoms` of them).
 * Without repeated points every reading gives the plain estimators, bit for bit
 * (`ties` = GR_KNN_TIES_NONE).
 *
 * Scaling: coordinates are multiplied by a power of two (exact) so the largest magnitude
 * is in [0.5, 1) before squared distances are formed, so they cannot overflow; if distinct
 * points still come out at distance 0 (a dynamic range beyond ~1e150) the input is
 * refused with GR_EDOM. No estimate is ever returned non-finite with GR_OK.
 *
 * Workspaces. An estimate needs working copies of both samples, classification arrays and
 * k-d trees (three for JS, two for KL). A gr_knn_workspace holds all of them for samples of
 * up to n_max and m_max rows in dimension d_max (about (44 d_max + 160) bytes per point of
 * n_max + m_max when n_max = m_max); gr_knn_kl_ws / gr_knn_js_ws allocate nothing, so a caller
 * estimating at every logged step allocates once. Samples larger than the workspace are refused
 * (GR_EINVAL), never grown into. The workspace keeps no state between calls: a call with one gives
 * bit for bit the result of the one-shot gr_knn_kl_opt / gr_knn_js_opt, which allocate a
 * workspace sized for their inputs and free it before returning. JS at n = m = 2000, d = 2,
 * k = 5 takes 6.4 ms with a workspace and 6.6 ms one-shot (bench/ws, best of rounds, CPU
 * time, shared machine): the gain is no heap traffic per step more than speed.
 *     gr_knn_workspace *w;
 *     int st = gr_knn_workspace_alloc(&w, n_max, m_max, d, &err);
 *     if (st != GR_OK) return st;
 *     gr_knn_options o = gr_knn_options_default();
 *     for (each logged step) gr_knn_js_ws(w, x, n, y, m, d, &o, &res, &err);
 *     gr_knn_workspace_free(w);
 */
#ifndef GR_DISTANCE_KNN_H
#define GR_DISTANCE_KNN_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Seed and stream of the grid jitter: fixed, so an estimate is a deterministic function of
 * its input (same build). */
#define GR_KNN_JITTER_SEED   20090501u
#define GR_KNN_JITTER_STREAM 0x6b6e6eu /* "knn"; outside core/rng.h's gr_stream ids */

/* How repeated points are read (see above). */
typedef enum {
    GR_KNN_REPEATS_AUTO = 0,   /* default: on a grid jitter within cells, otherwise atoms */
    GR_KNN_REPEATS_ATOMS = 1,  /* every repeated value is an atom, counted (also on a grid) */
    GR_KNN_REPEATS_WEIGHTS = 2 /* repeats within a sample are weights on one draw */
} gr_knn_repeats;

typedef struct {
    size_t k;               /* neighbour rank, >= 1 */
    gr_knn_repeats repeats; /* reading of repeated points */
} gr_knn_options;

/* k = 5, repeats = GR_KNN_REPEATS_AUTO (the CLI's defaults). */
gr_knn_options gr_knn_options_default(void);

typedef enum {
    GR_KNN_TIES_NONE = 0,   /* no point repeats: the plain estimator */
    GR_KNN_TIES_GRID = 1,   /* all coordinates on a grid: uniform jitter within grid cells */
    GR_KNN_TIES_ATOMS = 2,  /* atoms counted, kNN on the unrepeated points */
    GR_KNN_TIES_WEIGHTS = 3 /* repeats within a sample merged into weighted distinct rows;
                               values in both samples (n_atoms) counted as atoms */
} gr_knn_ties;

typedef struct {
    double value;           /* the estimate, nats (JS: clipped to [0, log 2]) */
    size_t n, m, d, k;      /* sample sizes (rows given), dimension and neighbour rank used */
    double raw;             /* JS: estimate before clipping; KL: same as value */
    size_t n_mix;           /* JS: points in the sample of the mixture M (2 min(n', m')); KL: 0 */
    gr_knn_repeats repeats; /* the reading requested */
    gr_knn_ties ties;       /* how repeated points were treated */
    size_t n_distinct, m_distinct; /* GR_KNN_REPEATS_WEIGHTS: distinct rows n', m' of each
                                      sample (the draws); n, m otherwise */
    size_t n_tied;             /* points of the first sample whose value occurs >= 2 times in the
                                  pooled sample (x and y together) */
    size_t m_tied;             /* the same for the second sample */
    size_t n_atoms;            /* distinct values read as atoms: every repeated value of the pooled
                                  sample (AUTO, ATOMS), the values found in both samples (WEIGHTS) */
    double atom_bias;          /* JS with atoms counted: (A - 1) / (4 min(n', m')), A = number of
                                  atoms, the first-order bias of the plug-in atom part when P = Q
                                  (G-test: 4n JS_hat ~ chi2(A-1)); 0 otherwise */
    double grid_min, grid_max; /* GR_KNN_TIES_GRID: smallest and largest grid step over
                                  the coordinates (input units); 0 otherwise */
} gr_knn_result;

/* KL(P||Q) in nats, x ~ P (n x d row-major), y ~ Q (m x d), Wang, Kulkarni & Verdu 2009,
 * with repeated points read as opt->repeats says (opt NULL: gr_knn_options_default()).
 * Errors: GR_EINVAL (NULL pointer, d == 0, k == 0, n <= k, m < k, counted in distinct rows
 * under WEIGHTS; an unknown reading), GR_EDOM (non-finite coordinate; dynamic range too
 * large; too few unrepeated points for the kNN part), GR_EINF (KL is +inf: an atom of P
 * absent from the Q sample, or P has unrepeated points while the Q sample is all atoms),
 * GR_ENOMEM. Allocates a workspace for (n, m, d) and frees it: for repeated estimates use
 * gr_knn_kl_ws. */
int gr_knn_kl_opt(const double *x, size_t n, const double *y, size_t m, size_t d,
                  const gr_knn_options *opt, gr_knn_result *res, gr_error *err);

/* JS(P,Q) in nats, ½-normalised, x ~ P (n x d), y ~ Q (m x d), clipped to [0, log 2].
 * Errors as gr_knn_kl_opt without GR_EINF (here both n and m must exceed k). */
int gr_knn_js_opt(const double *x, size_t n, const double *y, size_t m, size_t d,
                  const gr_knn_options *opt, gr_knn_result *res, gr_error *err);

typedef struct gr_knn_workspace gr_knn_workspace;

/* *out = a workspace for samples of n <= n_max and m <= m_max rows (the first and second
 * argument of an estimate, in that order) in dimension d <= d_max. Errors (then *out = NULL):
 * GR_EINVAL (NULL out, a size 0, sizes whose memory overflows size_t), GR_ENOMEM. */
int gr_knn_workspace_alloc(gr_knn_workspace **out, size_t n_max, size_t m_max, size_t d_max,
                           gr_error *err);
void gr_knn_workspace_free(gr_knn_workspace *w); /* NULL is a no-op */

/* gr_knn_kl_opt / gr_knn_js_opt in the memory of w: no allocation. The same results, bit for
 * bit, and the same errors, plus GR_EINVAL for a NULL w or samples that do not fit it
 * (n > n_max, m > m_max or d > d_max); never GR_ENOMEM. Results depend only on the inputs,
 * not on what w computed before. */
int gr_knn_kl_ws(gr_knn_workspace *w, const double *x, size_t n, const double *y, size_t m,
                 size_t d, const gr_knn_options *opt, gr_knn_result *res, gr_error *err);
int gr_knn_js_ws(gr_knn_workspace *w, const double *x, size_t n, const double *y, size_t m,
                 size_t d, const gr_knn_options *opt, gr_knn_result *res, gr_error *err);

/* gr_knn_kl_opt / gr_knn_js_opt with the given k and repeats = GR_KNN_REPEATS_AUTO. */
int gr_knn_kl(const double *x, size_t n, const double *y, size_t m, size_t d, size_t k,
              gr_knn_result *res, gr_error *err);
int gr_knn_js(const double *x, size_t n, const double *y, size_t m, size_t d, size_t k,
              gr_knn_result *res, gr_error *err);

/* Name of a treatment: "none", "grid-jitter", "atoms", "weights". */
const char *gr_knn_ties_name(gr_knn_ties t);

/* Name of a reading: "auto", "atoms", "weights". */
const char *gr_knn_repeats_name(gr_knn_repeats r);

#ifdef __cplusplus
}
#endif

#endif
