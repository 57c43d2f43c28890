/* distance/ot.c — exact optimal transport by the primal network simplex, with a certificate.
 *
 * The algorithm is LEMON's NetworkSimplex (Kovács, "Minimum-cost flow algorithms: an
 * experimental evaluation", Optim. Methods Softw. 30, 2015; the code POT's ot.emd wraps),
 * specialised to the uncapacitated complete bipartite graph of a transport problem:
 *  - nodes 0..n-1 are sources (supply a_i), n..n+m-1 targets (supply -b_j), n+m is an
 *    artificial root; arc (i, j) has id i m + j and is never stored: its cost is computed
 *    from the coordinates when the pricing needs it; only the n + m tree arcs carry data
 *    (their flow is stored on the child node, `flow[u]` = flow on `pred[u]`);
 *  - the initial tree (unless the few-side warm start below supplies an optimal one) is
 *    the root star: i -> root (cost 0, flow a_i) for every node with supply >= 0, root -> j (cost
 * M, flow b_j) for the others. Big-M is M = 3 C where C bounds max |c_ij| (C = 1 when every cost is
 * 0): M exceeds max c_ij - min c_ij (at most 2 C; a caller's costs may be negative), so on a
 * complete bipartite graph any flow through the root, i -> root -> j, costs more than the direct
 * arc and is strictly improved by it: an optimum never uses the root. (LEMON's general M = (C + 1)
 * N would put every potential near N C and cost log10(N) digits in each reduced cost.) Artificial
 * arcs that leave the tree never re-enter: pricing scans real arcs only (as LEMON does);
 *  - pricing: block search (Grigoriadis 1986; LEMON's default): scan arcs cyclically in
 *    blocks of B = ceil(sqrt(n m)) and take the most negative reduced cost of the first
 *    block that has one below -tol_rc C. For the Euclidean cost the scan avoids most
 *    square roots: c_ij + pi_i - pi_j < t  <=>  |x_i - y_j|^2 < (t - pi_i + pi_j)^2 when
 *    the right side is positive, and only candidates get an exact sqrt;
 *  - anti-cycling: Cunningham's strongly feasible trees (the leaving arc is the last
 *    blocking arc met when walking the cycle from its apex in the cycle's direction; LEMON's
 *    `<` / `<=` tie rule). In exact arithmetic this rules out cycling. In floating point a
 *    flow that should be 0 can come out as a tiny positive number; that only makes a pivot
 *    non-degenerate with a tiny step (the objective still does not increase), and the
 *    iteration cap bounds the work in any case. Flows stay >= 0 exactly: a decreasing flow
 *    becomes f - delta with delta <= f, and the blocking arc gets exactly 0.
 * At the end the potentials are recomputed from the tree (removing the drift of the
 * incremental updates), the plan is read off the tree, and the certificate is computed
 * from scratch: marginal residual, max_ij (u_i + v_j - c_ij) over all n m pairs, and the
 * duality gap. If the recomputed potentials still price an arc in, the simplex resumes
 * (at most settings.certify_rounds times).
 * gr_ot_solve runs these as named steps, in order: ot_setup (validation, supplies),
 * ot_select_costs (cost bound, pricing mode, cost cache), ot_initial_tree (warm start or
 * root star, the unbalanced refusal), ot_pivot_loop and certify / ot_judge (certification).
 */
#include "distance/ot.h"

#include <cblas.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "linalg/vec.h"

enum { DIR_UP = 1, DIR_DOWN = -1 }; /* pred arc goes u -> parent (UP) or parent -> u */

/* A source in the exchange heap of a target pair (j, l): key = c_il - c_ij. */
struct heap_entry {
    double key;
    int64_t i;
};

struct gr_ot_workspace {
    size_t n_max, m_max;
    /* tree, indexed by node (n + m + 1 nodes; the root is n + m) */
    int64_t *parent, *pred, *thread, *rev_thread, *succ_num, *last_succ, *dirty;
    signed char *pred_dir;
    double *flow, *pi, *supply;
    /* results */
    double *u, *v, *rowsum, *colsum;
    gr_ot_entry *plan;
    /* optional dense cost cache and centred copies of the points (high dimension) */
    double *cache;
    size_t cache_cap;
    double *xc, *yc, *nx, *ny;
    size_t xc_cap, yc_cap;
    double *mean;
    size_t mean_cap;
    double *ysoa; /* 2-D targets as two coordinate arrays (2 m_max), for the SIMD screen */
    /* few-target warm start (allocated by the first solve that uses it, grown, kept) */
    double *wflow;             /* n x m flows of the successive-shortest-path phase */
    size_t wflow_cap;          /* doubles */
    int64_t *worder;           /* n + 2 m + 1: the DFS stack */
    int64_t *wadj;             /* n + 2 m + 1: m + 1 CSR offsets, then per-target source lists */
    size_t wnode_cap;          /* entries of worder and wadj */
    struct heap_entry **heaps; /* one binary heap per ordered target pair (j, l), j != l */
    size_t *heap_len, *heap_cap;
    size_t heap_pairs; /* number of heaps allocated */
    double *wtgt;      /* 4 m: target potentials, excesses, distances, one cost row */
    int64_t *wtix;     /* 5 m: Dijkstra predecessors, arcs, flags; components; the forest */
    size_t wtgt_cap;   /* m of wtgt / wtix */
};

typedef enum { MODE_E2, MODE_E, MODE_SQ, MODE_TABLE, MODE_FN } cost_mode;

/* Everything one solve needs, on the stack. */
typedef struct {
    size_t n, m, d, nm;
    int64_t N, root;
    cost_mode mode;
    const double *x, *y, *table;
    const double *yx, *yy; /* MODE_E2: target coordinates, structure of arrays */
    gr_ot_cost_fn fn;
    void *ctx;
    double C, M; /* cost bound, big-M of the artificial arcs */
    gr_ot_workspace *w;
    /* pivot state */
    int64_t in_arc, join, u_in, v_in, u_out;
    double delta;
    size_t block, next_i, next_j;
    /* warm start: wn nodes ship to wk nodes; wt = 1 if those are targets and sources */
    size_t wn, wk;
    int wt;
} solver;

gr_ot_settings gr_ot_settings_default(void) {
    gr_ot_settings s;
    s.max_iter = 0;
    s.block_size = 0;
    s.tol_rc = 1e-12;
    s.tol_marginal = 1e-10;
    s.tol_gap = 1e-10;
    s.tol_mass = 1e-9;
    s.cache_bytes = (size_t)1 << 30;
    s.cache_min_dim = 16;
    s.check_tree = 0;
    s.warm_max_m = 16;
    s.cold_max_n = 50000;
    s.cache_recompute_rel = 1e-2;
    s.certify_rounds = 10;
    return s;
}

size_t gr_ot_settings_describe(const gr_ot_settings *s, gr_setting *out, size_t cap) {
    const gr_setting all[GR_OT_SETTINGS_COUNT] = {
        gr_setting_size("max_iter", s->max_iter),
        gr_setting_size("block_size", s->block_size),
        gr_setting_double("tol_rc", s->tol_rc),
        gr_setting_double("tol_marginal", s->tol_marginal),
        gr_setting_double("tol_gap", s->tol_gap),
        gr_setting_double("tol_mass", s->tol_mass),
        gr_setting_size("cache_bytes", s->cache_bytes),
        gr_setting_size("cache_min_dim", s->cache_min_dim),
        gr_setting_int("check_tree", s->check_tree),
        gr_setting_size("warm_max_m", s->warm_max_m),
        gr_setting_size("cold_max_n", s->cold_max_n),
        gr_setting_double("cache_recompute_rel", s->cache_recompute_rel),
        gr_setting_size("certify_rounds", s->certify_rounds),
    };
    return gr_settings_copy(out, cap, all, GR_OT_SETTINGS_COUNT);
}

gr_ot_problem gr_ot_problem_points(const double *x, const double *a, size_t n, const double *y,
                                   const double *b, size_t m, size_t d, gr_ot_cost_kind cost) {
    gr_ot_problem p;
    memset(&p, 0, sizeof p);
    p.n = n;
    p.m = m;
    p.a = a;
    p.b = b;
    p.x = x;
    p.y = y;
    p.d = d;
    p.cost = cost;
    return p;
}

void gr_ot_workspace_free(gr_ot_workspace *w) {
    if (!w) return;
    free(w->parent);
    free(w->pred);
    free(w->thread);
    free(w->rev_thread);
    free(w->succ_num);
    free(w->last_succ);
    free(w->dirty);
    free(w->pred_dir);
    free(w->flow);
    free(w->pi);
    free(w->supply);
    free(w->u);
    free(w->v);
    free(w->rowsum);
    free(w->colsum);
    free(w->plan);
    free(w->cache);
    free(w->xc);
    free(w->yc);
    free(w->nx);
    free(w->ny);
    free(w->ysoa);
    free(w->mean);
    free(w->wflow);
    free(w->worder);
    free(w->wadj);
    if (w->heaps)
        for (size_t k = 0; k < w->heap_pairs; k++)
            free(w->heaps[k]);
    free(w->heaps);
    free(w->heap_len);
    free(w->heap_cap);
    free(w->wtgt);
    free(w->wtix);
    free(w);
}

int gr_ot_workspace_alloc(gr_ot_workspace **out, size_t n_max, size_t m_max, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_ot_workspace_alloc: NULL output");
    *out = NULL;
    if (n_max == 0 || m_max == 0)
        return GR_ERROR(err, GR_EINVAL, "OT workspace: sizes must be positive (got %zu x %zu)",
                        n_max, m_max);
    if (n_max > (size_t)INT32_MAX || m_max > (size_t)INT32_MAX)
        return GR_ERROR(err, GR_EINVAL, "OT workspace: %zu x %zu points is too large", n_max,
                        m_max);
    gr_ot_workspace *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "OT workspace: out of memory");
    size_t N = n_max + m_max + 1;
    w->n_max = n_max;
    w->m_max = m_max;
    w->parent = malloc(N * sizeof(int64_t));
    w->pred = malloc(N * sizeof(int64_t));
    w->thread = malloc(N * sizeof(int64_t));
    w->rev_thread = malloc(N * sizeof(int64_t));
    w->succ_num = malloc(N * sizeof(int64_t));
    w->last_succ = malloc(N * sizeof(int64_t));
    w->dirty = malloc(N * sizeof(int64_t));
    w->pred_dir = malloc(N);
    w->flow = malloc(N * sizeof(double));
    w->pi = malloc(N * sizeof(double));
    w->supply = malloc(N * sizeof(double));
    w->u = malloc(n_max * sizeof(double));
    w->v = malloc(m_max * sizeof(double));
    w->rowsum = malloc(n_max * sizeof(double));
    w->colsum = malloc(m_max * sizeof(double));
    w->plan = malloc(N * sizeof(gr_ot_entry));
    w->ysoa = malloc(2 * m_max * sizeof(double));
    if (!w->ysoa || !w->parent || !w->pred || !w->thread || !w->rev_thread || !w->succ_num ||
        !w->last_succ || !w->dirty || !w->pred_dir || !w->flow || !w->pi || !w->supply || !w->u ||
        !w->v || !w->rowsum || !w->colsum || !w->plan) {
        gr_ot_workspace_free(w);
        return GR_ERROR(err, GR_ENOMEM, "OT workspace: out of memory for %zu + %zu points", n_max,
                        m_max);
    }
    *out = w;
    return GR_OK;
}

/* ---- costs ------------------------------------------------------------------------------ */

static double cost_ij(const solver *S, size_t i, size_t j) {
    switch (S->mode) {
    case MODE_E2: {
        double dx = S->x[2 * i] - S->y[2 * j], dy = S->x[2 * i + 1] - S->y[2 * j + 1];
        return sqrt(dx * dx + dy * dy);
    }
    case MODE_E: return sqrt(gr_linalg_dsqdist(S->x + i * S->d, S->y + j * S->d, S->d));
    case MODE_SQ: return gr_linalg_dsqdist(S->x + i * S->d, S->y + j * S->d, S->d);
    case MODE_TABLE: return S->table[i * S->m + j];
    case MODE_FN: return S->fn(i, j, S->ctx);
    }
    return NAN;
}

static int64_t arc_source(const solver *S, int64_t e) {
    if (e < (int64_t)S->nm) return e / (int64_t)S->m;
    int64_t u = e - (int64_t)S->nm;
    return S->w->supply[u] >= 0 ? u : S->root;
}

static int64_t arc_target(const solver *S, int64_t e) {
    if (e < (int64_t)S->nm) return (int64_t)S->n + e % (int64_t)S->m;
    int64_t u = e - (int64_t)S->nm;
    return S->w->supply[u] >= 0 ? S->root : u;
}

static double arc_cost(const solver *S, int64_t e) {
    if (e < (int64_t)S->nm)
        return cost_ij(S, (size_t)(e / (int64_t)S->m), (size_t)(e % (int64_t)S->m));
    return S->w->supply[e - (int64_t)S->nm] >= 0 ? 0.0 : S->M;
}

/* Scalar scans of arcs (i, j0..j1-1): among reduced costs rc = c_ij + pis - pit[j] below
 * *best, record the smallest in *best / *bestj. The Euclidean kernels compare squared
 * distances with the squared threshold and take a square root only for candidates. */
static void scan_e2(const solver *S, size_t i, size_t j0, size_t j1, double pis, const double *pit,
                    double *best, size_t *bestj) {
    const double xi0 = S->x[2 * i], xi1 = S->x[2 * i + 1];
    const double *y = S->y;
    for (size_t j = j0; j < j1; j++) {
        double t = *best - pis + pit[j];
        if (t <= 0.0) continue;
        double dx = xi0 - y[2 * j], dy = xi1 - y[2 * j + 1];
        double q = dx * dx + dy * dy;
        if (q < t * t) {
            double rc = sqrt(q) + pis - pit[j];
            if (rc < *best) {
                *best = rc;
                *bestj = j;
            }
        }
    }
}

static void scan_table(const double *c, size_t j0, size_t j1, double pis, const double *pit,
                       double *best, size_t *bestj) {
    for (size_t j = j0; j < j1; j++) {
        double rc = c[j] + pis - pit[j];
        if (rc < *best) {
            *best = rc;
            *bestj = j;
        }
    }
}

/* The pricing kernel. For the two hot cases (2-D Euclidean, cached table) the row is
 * first screened in chunks by a branch-free loop the compiler vectorises ("does any arc
 * in this chunk beat the current best?"); only chunks that do are rescanned scalarly.
 * The screens evaluate exactly the expressions of the scalar scans, so they select the
 * same arcs as a plain scan would. */
enum { SCREEN_CHUNK = 64 };

/* Screens: does any arc of [c0, c1) pass the test? SSE2 (two lanes, the same IEEE
 * operations as the scalar tests) where available, plain loops elsewhere. */
static int screen_e2(const double *yx, const double *yy, const double *pit, double xi0, double xi1,
                     double bb, size_t c0, size_t c1) {
    size_t j = c0;
    int any = 0;
#if defined(__SSE2__)
    const __m128d x0v = _mm_set1_pd(xi0), x1v = _mm_set1_pd(xi1), zero = _mm_setzero_pd(),
                  bbv = _mm_set1_pd(bb);
    __m128d acc = _mm_setzero_pd();
    for (; j + 2 <= c1; j += 2) {
        __m128d t = _mm_add_pd(bbv, _mm_loadu_pd(pit + j));
        __m128d dx = _mm_sub_pd(x0v, _mm_loadu_pd(yx + j));
        __m128d dy = _mm_sub_pd(x1v, _mm_loadu_pd(yy + j));
        __m128d q = _mm_add_pd(_mm_mul_pd(dx, dx), _mm_mul_pd(dy, dy));
        acc = _mm_or_pd(acc, _mm_and_pd(_mm_cmpgt_pd(t, zero), _mm_cmplt_pd(q, _mm_mul_pd(t, t))));
    }
    any = _mm_movemask_pd(acc) != 0;
#endif
    for (; j < c1; j++) {
        double t = bb + pit[j];
        double dx = xi0 - yx[j], dy = xi1 - yy[j];
        double q = dx * dx + dy * dy;
        any |= (t > 0.0) & (q < t * t);
    }
    return any;
}

static int screen_table(const double *c, const double *pit, double pis, double b, size_t c0,
                        size_t c1) {
    size_t j = c0;
    int any = 0;
#if defined(__SSE2__)
    const __m128d pv = _mm_set1_pd(pis), bv = _mm_set1_pd(b);
    __m128d acc = _mm_setzero_pd();
    for (; j + 2 <= c1; j += 2)
        acc = _mm_or_pd(
            acc, _mm_cmplt_pd(
                     _mm_sub_pd(_mm_add_pd(_mm_loadu_pd(c + j), pv), _mm_loadu_pd(pit + j)), bv));
    any = _mm_movemask_pd(acc) != 0;
#endif
    for (; j < c1; j++)
        any |= (c[j] + pis - pit[j] < b);
    return any;
}

static void row_scan(const solver *S, size_t i, size_t j0, size_t j1, double pis, const double *pit,
                     double *best, size_t *bestj) {
    switch (S->mode) {
    case MODE_E2: {
        const double xi0 = S->x[2 * i], xi1 = S->x[2 * i + 1];
        for (size_t c0 = j0; c0 < j1; c0 += SCREEN_CHUNK) {
            size_t c1 = c0 + SCREEN_CHUNK < j1 ? c0 + SCREEN_CHUNK : j1;
            if (screen_e2(S->yx, S->yy, pit, xi0, xi1, *best - pis, c0, c1))
                scan_e2(S, i, c0, c1, pis, pit, best, bestj);
        }
        break;
    }
    case MODE_E: {
        const double *xi = S->x + i * S->d;
        const size_t d = S->d;
        for (size_t j = j0; j < j1; j++) {
            double t = *best - pis + pit[j];
            if (t <= 0.0) continue;
            /* partial distances: stop as soon as the sum exceeds t^2 */
            const double *yj = S->y + j * d, t2 = t * t;
            double q = 0.0;
            size_t k = 0;
            while (k < d && q < t2) {
                size_t kend = k + 16 < d ? k + 16 : d;
                for (; k < kend; k++) {
                    double u = xi[k] - yj[k];
                    q += u * u;
                }
            }
            if (k == d && q < t2) {
                double rc = sqrt(q) + pis - pit[j];
                if (rc < *best) {
                    *best = rc;
                    *bestj = j;
                }
            }
        }
        break;
    }
    case MODE_SQ: {
        const double *xi = S->x + i * S->d;
        for (size_t j = j0; j < j1; j++) {
            double rc = gr_linalg_dsqdist(xi, S->y + j * S->d, S->d) + pis - pit[j];
            if (rc < *best) {
                *best = rc;
                *bestj = j;
            }
        }
        break;
    }
    case MODE_TABLE: {
        const double *c = S->table + i * S->m;
        for (size_t c0 = j0; c0 < j1; c0 += SCREEN_CHUNK) {
            size_t c1 = c0 + SCREEN_CHUNK < j1 ? c0 + SCREEN_CHUNK : j1;
            if (screen_table(c, pit, pis, *best, c0, c1))
                scan_table(c, c0, c1, pis, pit, best, bestj);
        }
        break;
    }
    case MODE_FN:
        for (size_t j = j0; j < j1; j++) {
            double rc = S->fn(i, j, S->ctx) + pis - pit[j];
            if (rc < *best) {
                *best = rc;
                *bestj = j;
            }
        }
        break;
    }
}

/* Block search: returns 1 and sets S->in_arc if some arc has rc < -thr. */
static int find_entering(solver *S, double thr) {
    const double *pi = S->w->pi;
    const double *pit = pi + S->n;
    size_t n = S->n, m = S->m, total = S->nm;
    size_t i = S->next_i, j = S->next_j, scanned = 0, cnt = S->block;
    double best = -thr;
    size_t bi = 0, bj = SIZE_MAX;
    while (scanned < total) {
        size_t len = m - j;
        if (len > cnt) len = cnt;
        size_t bj0 = bj;
        row_scan(S, i, j, j + len, pi[i], pit, &best, &bj);
        if (bj != bj0) bi = i;
        scanned += len;
        cnt -= len;
        j += len;
        if (j == m) {
            j = 0;
            if (++i == n) i = 0;
        }
        if (cnt == 0) {
            if (bj != SIZE_MAX) break;
            cnt = S->block;
        }
    }
    if (bj == SIZE_MAX) return 0;
    S->next_i = i;
    S->next_j = j;
    S->in_arc = (int64_t)(bi * m + bj);
    return 1;
}

/* ---- pivot (LEMON NetworkSimplex, uncapacitated, flows stored on child nodes) ------------ */

static void find_join(solver *S) {
    gr_ot_workspace *w = S->w;
    int64_t u = arc_source(S, S->in_arc), v = arc_target(S, S->in_arc);
    while (u != v) {
        if (w->succ_num[u] < w->succ_num[v])
            u = w->parent[u];
        else
            v = w->parent[v];
    }
    S->join = u;
}

/* Cunningham's rule: on the source side the first blocking arc from the entering arc
 * (strict <), on the target side the last one before the apex (<=). Returns 0 if no arc
 * blocks (an unbounded cycle: impossible here, reported as an internal error). */
static int find_leaving(solver *S) {
    gr_ot_workspace *w = S->w;
    int64_t first = arc_source(S, S->in_arc), second = arc_target(S, S->in_arc);
    double delta = INFINITY;
    int result = 0;
    for (int64_t u = first; u != S->join; u = w->parent[u]) {
        if (w->pred_dir[u] == DIR_UP && w->flow[u] < delta) {
            delta = w->flow[u];
            S->u_out = u;
            result = 1;
        }
    }
    for (int64_t u = second; u != S->join; u = w->parent[u]) {
        if (w->pred_dir[u] == DIR_DOWN && w->flow[u] <= delta) {
            delta = w->flow[u];
            S->u_out = u;
            result = 2;
        }
    }
    if (result == 1) {
        S->u_in = first;
        S->v_in = second;
    } else {
        S->u_in = second;
        S->v_in = first;
    }
    S->delta = delta;
    return result != 0;
}

static void change_flow(solver *S) {
    gr_ot_workspace *w = S->w;
    double val = S->delta;
    if (val > 0) {
        for (int64_t u = arc_source(S, S->in_arc); u != S->join; u = w->parent[u])
            w->flow[u] -= w->pred_dir[u] * val;
        for (int64_t u = arc_target(S, S->in_arc); u != S->join; u = w->parent[u])
            w->flow[u] += w->pred_dir[u] * val;
    }
    /* the blocking arc(s) reach exactly 0: flow - delta with flow == delta */
}

static void update_tree(solver *S) {
    gr_ot_workspace *w = S->w;
    int64_t *parent = w->parent, *pred = w->pred, *thread = w->thread, *rev = w->rev_thread;
    int64_t *succ = w->succ_num, *last_succ = w->last_succ;
    signed char *dir = w->pred_dir;
    double *flow = w->flow;
    const int64_t u_in = S->u_in, v_in = S->v_in, u_out = S->u_out, join = S->join;
    const int64_t in_arc = S->in_arc;
    const signed char in_dir = (u_in == arc_source(S, in_arc)) ? DIR_UP : DIR_DOWN;

    int64_t old_rev_thread = rev[u_out];
    int64_t old_succ_num = succ[u_out];
    int64_t old_last_succ = last_succ[u_out];
    int64_t v_out = parent[u_out];

    if (u_in == u_out) {
        parent[u_in] = v_in;
        pred[u_in] = in_arc;
        dir[u_in] = in_dir;
        flow[u_in] = S->delta;
        if (thread[v_in] != u_out) {
            int64_t after = thread[old_last_succ];
            thread[old_rev_thread] = after;
            rev[after] = old_rev_thread;
            after = thread[v_in];
            thread[v_in] = u_out;
            rev[u_out] = v_in;
            thread[old_last_succ] = after;
            rev[after] = old_last_succ;
        }
    } else {
        int64_t thread_continue = old_rev_thread == v_in ? thread[old_last_succ] : thread[v_in];
        int64_t stem = u_in, par_stem = v_in, next_stem;
        int64_t last = last_succ[u_in];
        int64_t before, after = thread[last];
        size_t ndirty = 0;
        thread[v_in] = u_in;
        w->dirty[ndirty++] = v_in;
        while (stem != u_out) {
            next_stem = parent[stem];
            thread[last] = next_stem;
            w->dirty[ndirty++] = last;
            before = rev[stem];
            thread[before] = after;
            rev[after] = before;
            parent[stem] = par_stem;
            par_stem = stem;
            stem = next_stem;
            last = last_succ[stem] == last_succ[par_stem] ? rev[par_stem] : last_succ[stem];
            after = thread[last];
        }
        parent[u_out] = par_stem;
        thread[last] = thread_continue;
        rev[thread_continue] = last;
        last_succ[u_out] = last;
        if (old_rev_thread != v_in) {
            thread[old_rev_thread] = after;
            rev[after] = old_rev_thread;
        }
        for (size_t k = 0; k < ndirty; k++) {
            int64_t u = w->dirty[k];
            rev[thread[u]] = u;
        }
        int64_t tmp_sc = 0, tmp_ls = last_succ[u_out];
        for (int64_t u = u_out, p = parent[u]; u != u_in; u = p, p = parent[u]) {
            pred[u] = pred[p];
            dir[u] = (signed char)-dir[p];
            flow[u] = flow[p];
            tmp_sc += succ[u] - succ[p];
            succ[u] = tmp_sc;
            last_succ[p] = tmp_ls;
        }
        pred[u_in] = in_arc;
        dir[u_in] = in_dir;
        flow[u_in] = S->delta;
        succ[u_in] = old_succ_num;
    }

    int64_t up_limit_out = last_succ[join] == v_in ? join : -1;
    int64_t last_succ_out = last_succ[u_out];
    for (int64_t u = v_in; u != -1 && last_succ[u] == v_in; u = parent[u])
        last_succ[u] = last_succ_out;
    if (join != old_rev_thread && v_in != old_rev_thread) {
        for (int64_t u = v_out; u != up_limit_out && last_succ[u] == old_last_succ; u = parent[u])
            last_succ[u] = old_rev_thread;
    } else if (last_succ_out != old_last_succ) {
        for (int64_t u = v_out; u != up_limit_out && last_succ[u] == old_last_succ; u = parent[u])
            last_succ[u] = last_succ_out;
    }
    for (int64_t u = v_in; u != join; u = parent[u])
        succ[u] += old_succ_num;
    for (int64_t u = v_out; u != join; u = parent[u])
        succ[u] -= old_succ_num;
}

static void update_potential(solver *S, double in_cost) {
    gr_ot_workspace *w = S->w;
    double sigma = w->pi[S->v_in] - w->pi[S->u_in] - w->pred_dir[S->u_in] * in_cost;
    int64_t end = w->thread[w->last_succ[S->u_in]];
    for (int64_t u = S->u_in; u != end; u = w->thread[u])
        w->pi[u] += sigma;
}

/* Potentials from scratch along the tree (preorder = thread order from the root). */
static void recompute_potentials(solver *S) {
    gr_ot_workspace *w = S->w;
    w->pi[S->root] = 0.0;
    for (int64_t u = w->thread[S->root]; u != S->root; u = w->thread[u]) {
        double c = arc_cost(S, w->pred[u]);
        w->pi[u] = w->pred_dir[u] == DIR_UP ? w->pi[w->parent[u]] - c : w->pi[w->parent[u]] + c;
    }
}

/* Consistency of the tree data (settings.check_tree; tests). */
static int check_tree(const solver *S, gr_error *err) {
    const gr_ot_workspace *w = S->w;
    int64_t N = S->N;
    /* thread is one cycle through all nodes starting at the root; rev is its inverse.
     * dirty[] is free between pivots: use it for positions in thread order. */
    int64_t *pos = w->dirty;
    for (int64_t u = 0; u < N; u++)
        pos[u] = -1;
    int64_t u = S->root;
    for (int64_t k = 0; k < N; k++) {
        if (u < 0 || u >= N || pos[u] != -1)
            return GR_ERROR(err, GR_EINTERNAL, "OT tree check: thread is not a cycle");
        pos[u] = k;
        if (w->rev_thread[w->thread[u]] != u)
            return GR_ERROR(err, GR_EINTERNAL, "OT tree check: rev_thread[thread[%ld]] != %ld",
                            (long)u, (long)u);
        u = w->thread[u];
    }
    if (u != S->root) return GR_ERROR(err, GR_EINTERNAL, "OT tree check: thread too long");
    double tol = 1e-9 * (S->C > 0 ? S->C : 1.0) + 1e-9 * fabs(S->M);
    for (u = 0; u < N; u++) {
        int64_t last = w->last_succ[u], sn = w->succ_num[u];
        if (sn < 1 || pos[u] + sn - 1 >= N || pos[last] != pos[u] + sn - 1)
            return GR_ERROR(err, GR_EINTERNAL, "OT tree check: subtree of %ld inconsistent",
                            (long)u);
        if (u == S->root) continue;
        int64_t p = w->parent[u];
        if (p < 0 || pos[p] >= pos[u] || pos[u] > pos[p] + w->succ_num[p] - 1)
            return GR_ERROR(err, GR_EINTERNAL, "OT tree check: %ld not inside parent's subtree",
                            (long)u);
        int64_t e = w->pred[u], s = arc_source(S, e), t = arc_target(S, e);
        if (!((w->pred_dir[u] == DIR_UP && s == u && t == p) ||
              (w->pred_dir[u] == DIR_DOWN && s == p && t == u)))
            return GR_ERROR(err, GR_EINTERNAL,
                            "OT tree check: pred arc of %ld does not join it "
                            "to its parent",
                            (long)u);
        if (!(w->flow[u] >= 0.0))
            return GR_ERROR(err, GR_EINTERNAL, "OT tree check: negative flow %g at %ld", w->flow[u],
                            (long)u);
        double rc = arc_cost(S, e) + w->pi[s] - w->pi[t];
        if (fabs(rc) > tol)
            return GR_ERROR(err, GR_EINTERNAL, "OT tree check: tree arc reduced cost %g", rc);
    }
    /* succ_num = 1 + sum of the children's */
    int64_t total = 0;
    for (u = 0; u < N; u++)
        total += (u == S->root) ? 0 : 1;
    if (w->succ_num[S->root] != total + 1)
        return GR_ERROR(err, GR_EINTERNAL, "OT tree check: root subtree size %ld != %ld",
                        (long)w->succ_num[S->root], (long)(total + 1));
    return GR_OK;
}

/* ---- warm start for few targets (or few sources) ------------------------------------------ */

/* From the root star, the simplex needs about 2 n pivots, and when m is small each pivot that
 * re-hangs a target moves a subtree holding ~n/m sources whose potentials are all updated:
 * O(n^2) in total (n = 40 000 against m = 3 took 3.2 s). For m <= settings.warm_max_m the
 * simplex instead starts from an optimal basis found by successive shortest paths (Ahuja,
 * Magnanti & Orlin, "Network Flows", 1993, sec. 9.7) on the "exchange graph" of the m
 * targets:
 *  - every source first ships all its mass to its nearest target (potentials q = 0);
 *  - moving mass of source i from target j to l changes the cost by key = c_il - c_ij, a
 *    constant, so for each ordered pair (j, l) the sources at j sit in a binary heap keyed
 *    by it (entries whose flow to j has dropped to 0 are discarded when they surface);
 *  - while some target holds more than b_j, Dijkstra over the m targets with arc lengths
 *    heap top + q_j - q_l (>= 0: the invariant "every source ships only to targets
 *    minimising c_ij - q_j") finds the cheapest way from a surplus to a deficit target; the
 *    mass moved is the smallest of the surplus, the deficit and the flows the path reduces,
 *    and q_l += min(dist_l, D) (Johnson's update) keeps the invariant;
 *  - cycles in the support (sources split between targets already connected through other
 *    split sources) are cancelled (zero reduced cost, so the cost does not change), which
 *    leaves a forest; its components hang from the root by zero-flow artificial arcs of
 *    one of their sources, zero-weight sources hang from their best target by zero-flow arcs
 *    pointing to the root: a strongly feasible tree, as Cunningham's rule needs.
 * With few sources instead (n <= warm_max_m < m) the same is done on the transposed
 * problem: targets are then the side that ships (to its sources), and zero-weight targets
 * hang from the root by their zero-cost artificial arcs.
 * The simplex then only confirms optimality (one pricing pass) or finishes a few pivots, and
 * the certificate is computed exactly as for a cold start. Each augmentation costs O(m^2 +
 * path log n); each either ends a surplus or deficit (at most m times) or empties one flow.
 * They are capped at settings.max_iter like pivots. Memory, 8 n m bytes of flows plus heaps
 * of about 16 n (m - 1) bytes, is allocated by the first solve that needs it and kept. */

static int heap_less(const struct heap_entry *p, const struct heap_entry *q) {
    return p->key < q->key || (p->key == q->key && p->i < q->i);
}

static int heap_push(gr_ot_workspace *w, size_t h, double key, int64_t i) {
    if (w->heap_len[h] == w->heap_cap[h]) {
        size_t cap = w->heap_cap[h] ? 2 * w->heap_cap[h] : 256;
        struct heap_entry *p = realloc(w->heaps[h], cap * sizeof *p);
        if (!p) return GR_ENOMEM;
        w->heaps[h] = p;
        w->heap_cap[h] = cap;
    }
    struct heap_entry *a = w->heaps[h], e = {key, i};
    size_t k = w->heap_len[h]++;
    while (k > 0 && heap_less(&e, &a[(k - 1) / 2])) {
        a[k] = a[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    a[k] = e;
    return GR_OK;
}

static void heap_pop(gr_ot_workspace *w, size_t h) {
    struct heap_entry *a = w->heaps[h];
    size_t len = --w->heap_len[h], k = 0;
    if (len == 0) return;
    struct heap_entry last = a[len];
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= len) break;
        if (c + 1 < len && heap_less(&a[c + 1], &a[c])) c++;
        if (!heap_less(&a[c], &last)) break;
        a[k] = a[c];
        k = c;
    }
    a[k] = last;
}

static size_t pair_index(size_t m, size_t j, size_t l) { return j * (m - 1) + (l < j ? l : l - 1); }

/* The warm start's view: S->wn "many" nodes i ship their mass to S->wk "few" nodes f; they
 * are the sources and targets, or (S->wt = 1) the targets and sources. */
static double wcost(const solver *S, size_t i, size_t f) {
    return S->wt ? cost_ij(S, f, i) : cost_ij(S, i, f);
}
static double wmass(const solver *S, size_t i) { /* >= 0 (and -(-0.0) = +0.0) */
    return S->wt ? -S->w->supply[S->n + i] : S->w->supply[i];
}
static double wdemand(const solver *S, size_t f) {
    return S->wt ? S->w->supply[f] : -S->w->supply[S->n + f];
}
static int64_t wnode_many(const solver *S, size_t i) { return (int64_t)(S->wt ? S->n + i : i); }
static int64_t wnode_few(const solver *S, size_t f) { return (int64_t)(S->wt ? f : S->n + f); }
static int64_t warc(const solver *S, size_t i, size_t f) {
    return (int64_t)(S->wt ? f * S->m + i : i * S->m + f);
}

/* Grow the warm-start buffers to n sources and m targets. */
static int warm_alloc(gr_ot_workspace *w, size_t n, size_t m) {
    size_t nodes = n + 2 * m + 1, pairs = m * (m - 1);
    if (w->wflow_cap < n * m) {
        free(w->wflow);
        w->wflow = malloc(n * m * sizeof(double));
        w->wflow_cap = w->wflow ? n * m : 0;
    }
    if (w->wnode_cap < nodes) {
        free(w->worder);
        free(w->wadj);
        w->worder = malloc(nodes * sizeof(int64_t));
        w->wadj = malloc(nodes * sizeof(int64_t));
        w->wnode_cap = (w->worder && w->wadj) ? nodes : 0;
    }
    if (w->wtgt_cap < m) {
        free(w->wtgt);
        free(w->wtix);
        w->wtgt = malloc(4 * m * sizeof(double));
        w->wtix = malloc(5 * m * sizeof(int64_t));
        w->wtgt_cap = (w->wtgt && w->wtix) ? m : 0;
    }
    if (w->heap_pairs < pairs) {
        struct heap_entry **hp = realloc(w->heaps, pairs * sizeof *hp);
        if (hp) w->heaps = hp;
        size_t *hl = realloc(w->heap_len, pairs * sizeof *hl);
        if (hl) w->heap_len = hl;
        size_t *hc = realloc(w->heap_cap, pairs * sizeof *hc);
        if (hc) w->heap_cap = hc;
        if (!hp || !hl || !hc) return GR_ENOMEM;
        for (size_t h = w->heap_pairs; h < pairs; h++) {
            w->heaps[h] = NULL;
            w->heap_cap[h] = 0;
        }
        w->heap_pairs = pairs;
    }
    if (!w->wflow || !w->worder || !w->wadj || !w->wtgt || !w->wtix) return GR_ENOMEM;
    return GR_OK;
}

/* Many-node i now ships to few-node l: enter it in the heaps (l, o). */
static int warm_enter(solver *S, int64_t i, size_t l, double *crow) {
    size_t m = S->wk;
    for (size_t o = 0; o < m; o++)
        crow[o] = wcost(S, (size_t)i, o);
    for (size_t o = 0; o < m; o++)
        if (o != l && heap_push(S->w, pair_index(m, l, o), crow[o] - crow[l], i)) return GR_ENOMEM;
    return GR_OK;
}

/* Cancel cycles through split source i (flows to two targets the forest `forest` of split
 * sources already connects); afterwards i joins the forest if it is still split. */
static void warm_cancel_cycles(solver *S, int64_t i, int64_t *forest, size_t *nforest) {
    gr_ot_workspace *w = S->w;
    size_t m = S->wk;
    double *x = w->wflow;
    int64_t *comp = w->wtix + 3 * m, *bprev = w->wtix, *bvia = w->wtix + m,
            *queue = w->wtix + 2 * m;
    for (;;) {
        /* components of the targets under the forest (each forest source joins its targets) */
        for (size_t j = 0; j < m; j++)
            comp[j] = (int64_t)j;
        for (int changed = 1; changed;) {
            changed = 0;
            for (size_t f = 0; f < *nforest; f++) {
                const double *row = x + (size_t)forest[f] * m;
                int64_t lo = INT64_MAX;
                for (size_t j = 0; j < m; j++)
                    if (row[j] > 0 && comp[j] < lo) lo = comp[j];
                for (size_t j = 0; j < m; j++)
                    if (row[j] > 0 && comp[j] != lo) {
                        int64_t old = comp[j];
                        for (size_t k = 0; k < m; k++)
                            if (comp[k] == old) comp[k] = lo;
                        changed = 1;
                    }
            }
        }
        const double *xi = x + (size_t)i * m;
        size_t ja = SIZE_MAX, jb = SIZE_MAX, nsup = 0;
        for (size_t j = 0; j < m && ja == SIZE_MAX; j++) {
            if (!(xi[j] > 0)) continue;
            nsup++;
            for (size_t l = j + 1; l < m; l++)
                if (xi[l] > 0 && comp[l] == comp[j]) {
                    ja = j;
                    jb = l;
                    break;
                }
        }
        if (ja == SIZE_MAX) {
            nsup = 0;
            for (size_t j = 0; j < m; j++)
                nsup += xi[j] > 0;
            if (nsup >= 2) forest[(*nforest)++] = i;
            return;
        }
        /* BFS from jb to ja through forest sources: jb = t0 -s1- t1 ... -sr- tr = ja */
        for (size_t j = 0; j < m; j++)
            bprev[j] = -1;
        size_t qh = 0, qt = 0;
        queue[qt++] = (int64_t)jb;
        bprev[jb] = (int64_t)jb;
        while (qh < qt && bprev[ja] < 0) {
            size_t t = (size_t)queue[qh++];
            for (size_t f = 0; f < *nforest; f++) {
                const double *row = x + (size_t)forest[f] * m;
                if (!(row[t] > 0)) continue;
                for (size_t l = 0; l < m; l++)
                    if (row[l] > 0 && bprev[l] < 0) {
                        bprev[l] = (int64_t)t;
                        bvia[l] = forest[f];
                        queue[qt++] = (int64_t)l;
                    }
            }
        }
        /* orientation +1: i moves theta from jb to ja; each s_l moves theta from t_l to t_{l-1} */
        double dcost = wcost(S, (size_t)i, ja) - wcost(S, (size_t)i, jb);
        for (size_t l = ja; l != jb; l = (size_t)bprev[l])
            dcost += wcost(S, (size_t)bvia[l], (size_t)bprev[l]) - wcost(S, (size_t)bvia[l], l);
        int dir = dcost <= 0 ? 1 : -1;
        /* the arcs that decrease: (i, jb) and (s_l, t_l) for dir = +1, the others for -1 */
        double theta = dir > 0 ? xi[jb] : xi[ja];
        for (size_t l = ja; l != jb; l = (size_t)bprev[l]) {
            const double *row = x + (size_t)bvia[l] * m;
            theta = fmin(theta, dir > 0 ? row[l] : row[bprev[l]]);
        }
        double *xm = x + (size_t)i * m;
        size_t dec = dir > 0 ? jb : ja, inc = dir > 0 ? ja : jb;
        xm[dec] = xm[dec] == theta ? 0.0 : xm[dec] - theta;
        xm[inc] += theta;
        for (size_t l = ja; l != jb; l = (size_t)bprev[l]) {
            double *row = x + (size_t)bvia[l] * m;
            size_t d2 = dir > 0 ? l : (size_t)bprev[l], i2 = dir > 0 ? (size_t)bprev[l] : l;
            row[d2] = row[d2] == theta ? 0.0 : row[d2] - theta;
            row[i2] += theta;
        }
        /* forest sources reduced to one target leave the forest */
        size_t keep = 0;
        for (size_t f = 0; f < *nforest; f++) {
            const double *row = x + (size_t)forest[f] * m;
            size_t c = 0;
            for (size_t j = 0; j < m; j++)
                c += row[j] > 0;
            if (c >= 2) forest[keep++] = forest[f];
        }
        *nforest = keep;
    }
}

/* argmin_j (c_ij - q_j): the target a zero-weight source hangs from. */
static size_t warm_home(const solver *S, size_t i, const double *q) {
    size_t best = 0;
    double bv = INFINITY;
    for (size_t j = 0; j < S->wk; j++) {
        double v = wcost(S, i, j) - q[j];
        if (v < bv) {
            bv = v;
            best = j;
        }
    }
    return best;
}

/* e_j = sum_i x_ij - demand_j with Neumaier's compensated sums (plain running sums of ~n
 * terms can be off by ~n eps mass, far above the stopping threshold); returns max |e_j|. */
static double warm_surplus(const solver *S, const double *x, double *e) {
    const size_t n = S->wn, m = S->wk;
    double emax = 0.0;
    for (size_t j = 0; j < m; j++) {
        double sum = -wdemand(S, j), comp = 0.0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j], t = sum + v;
            comp += fabs(sum) >= fabs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }
        e[j] = sum + comp;
        emax = fmax(emax, fabs(e[j]));
    }
    return emax;
}

/* The successive-shortest-path phase and the tree it leaves. Returns GR_OK with *used = 1
 * when the tree (with potentials) is in place; *used = 0 (the caller starts from the root
 * star) if the augmentation cap was reached; GR_ENOMEM if the buffers cannot be had.
 * Below, "sources" i are the many nodes and "targets" j the few (see wcost). */
static int warm_start(solver *S, double mass, size_t max_aug, size_t *naug, int *used,
                      gr_error *err) {
    gr_ot_workspace *w = S->w;
    const size_t n = S->wn, m = S->wk;
    *used = 0;
    *naug = 0;
    if (warm_alloc(w, n, m))
        return GR_ERROR(err, GR_ENOMEM,
                        "OT: no memory for the warm start (%zu x %zu flows; warm_max_m = 0 "
                        "selects the cold start)",
                        n, m);
    double *x = w->wflow, *q = w->wtgt, *e = w->wtgt + m, *dist = w->wtgt + 2 * m,
           *crow = w->wtgt + 3 * m;
    int64_t *prev = w->wtix, *via = w->wtix + m, *done = w->wtix + 2 * m;
    memset(x, 0, n * m * sizeof(double));
    for (size_t h = 0; h < m * (m - 1); h++)
        w->heap_len[h] = 0;
    for (size_t j = 0; j < m; j++)
        q[j] = 0.0;
    /* every source to its nearest target */
    for (size_t i = 0; i < n; i++) {
        double ai = wmass(S, i);
        if (ai == 0.0) continue;
        size_t best = 0;
        for (size_t j = 0; j < m; j++) {
            crow[j] = wcost(S, i, j);
            if (crow[j] < crow[best]) best = j;
        }
        x[i * m + best] = ai;
        for (size_t o = 0; o < m; o++)
            if (o != best && heap_push(w, pair_index(m, best, o), crow[o] - crow[best], (int64_t)i))
                return GR_ERROR(err, GR_ENOMEM,
                                "OT: no memory for the warm-start heaps (warm_max_m = 0 selects "
                                "the cold start)");
    }
    /* Surpluses and deficits up to eps = 2^-44 mass (~6e-14 relative) are left (the
     * certificate measures them): the masses themselves are only known to ~n eps (sum a is
     * a rounded sum), and pushing amounts at that level around would create "dust" flows
     * that block later paths one at a time. */
    const double eps = 0x1p-44 * mass;
    warm_surplus(S, x, e); /* mass held minus demand */
    for (int pass = 0;; pass++) {
        for (;;) {
            int any = 0;
            for (size_t j = 0; j < m; j++) {
                prev[j] = -1;
                done[j] = 0;
                dist[j] = e[j] > eps ? 0.0 : INFINITY;
                any |= e[j] > eps;
            }
            if (!any) break;
            if (*naug >= max_aug) return GR_OK; /* not used: the simplex starts cold */
            int64_t t = -1;
            double D = 0.0;
            for (;;) {
                int64_t jm = -1;
                double dm = INFINITY;
                for (size_t j = 0; j < m; j++)
                    if (!done[j] && dist[j] < dm) {
                        dm = dist[j];
                        jm = (int64_t)j;
                    }
                if (jm < 0) break;
                if (e[jm] < -eps) {
                    t = jm;
                    D = dm;
                    break;
                }
                done[jm] = 1;
                for (size_t l = 0; l < m; l++) {
                    if (done[l]) continue;
                    size_t h = pair_index(m, (size_t)jm, l);
                    while (w->heap_len[h] > 0 &&
                           !(x[(size_t)w->heaps[h][0].i * m + (size_t)jm] > 0))
                        heap_pop(w, h);
                    if (w->heap_len[h] == 0) continue;
                    double r = w->heaps[h][0].key + q[jm] - q[l];
                    if (r < 0.0) r = 0.0; /* rounding of the potentials */
                    if (dm + r < dist[l]) {
                        dist[l] = dm + r;
                        prev[l] = jm;
                        via[l] = w->heaps[h][0].i;
                    }
                }
            }
            if (t < 0) break; /* no deficit above eps left: only rounding remains */
            int64_t start = t;
            while (prev[start] >= 0)
                start = prev[start];
            /* The path may pass the same source along consecutive arcs (j -> l -> o via i,
             * a tie with j -> o): such a run changes only x_ij and x_io, so each run counts
             * once. The amount: the smaller of surplus and deficit, or the smallest flow the
             * path reduces when that is below (or within eps above: moving the flow whole
             * rather than leaving eps-sized dust, which would block later paths). */
            double delta = fmin(e[start], -e[t]), cmin = INFINITY;
            for (int64_t l = t, k; prev[l] >= 0; l = k) {
                for (k = prev[l]; prev[k] >= 0 && via[k] == via[l];)
                    k = prev[k];
                cmin = fmin(cmin, x[(size_t)via[l] * m + (size_t)k]);
            }
            if (cmin <= delta + eps) delta = cmin;
            for (int64_t l = t, k; prev[l] >= 0; l = k) {
                size_t i = (size_t)via[l];
                for (k = prev[l]; prev[k] >= 0 && via[k] == via[l];)
                    k = prev[k];
                x[i * m + (size_t)k] -= delta; /* exactly 0 for the blocking flow */
                int fresh = !(x[i * m + (size_t)l] > 0);
                x[i * m + (size_t)l] += delta;
                if (fresh && warm_enter(S, (int64_t)i, (size_t)l, crow))
                    return GR_ERROR(err, GR_ENOMEM,
                                    "OT: no memory for the warm-start heaps (warm_max_m = 0 "
                                    "selects the cold start)");
            }
            e[start] -= delta;
            e[t] += delta;
            for (size_t j = 0; j < m; j++)
                q[j] += fmin(dist[j], D);
            (*naug)++;
        }
        /* The running surpluses have absorbed one rounding per update: recompute them
         * from the flows and resume if one still exceeds eps (a pass or two at most). */
        if (pass == 3 || warm_surplus(S, x, e) <= eps) break;
    }

    /* cancel support cycles: the split sources left form a forest over the targets */
    int64_t *forest = w->wtix + 4 * m;
    size_t nforest = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        for (size_t j = 0; j < m; j++)
            c += x[i * m + j] > 0;
        if (c >= 2) warm_cancel_cycles(S, (int64_t)i, forest, &nforest);
    }

    /* per-target lists of the sources that ship to it (CSR: m + 1 offsets, then lists);
     * zero-weight sources join their best target's list (not transposed) or hang from the
     * root (transposed: their artificial arcs are the zero-cost ones) */
    int64_t *off = w->wadj, *list = w->wadj + m + 1;
    for (size_t j = 0; j <= m; j++)
        off[j] = 0;
    for (size_t i = 0; i < n; i++) {
        if (wmass(S, i) == 0.0) {
            if (!S->wt) off[warm_home(S, i, q) + 1]++;
            continue;
        }
        for (size_t j = 0; j < m; j++)
            off[j + 1] += x[i * m + j] > 0;
    }
    for (size_t j = 0; j < m; j++)
        off[j + 1] += off[j];
    if ((size_t)off[m] > n + m - 1) return GR_OK; /* cannot happen for a forest */
    int64_t *fill = w->wtix;                      /* m cursors */
    for (size_t j = 0; j < m; j++) {
        fill[j] = off[j];
        if (off[j + 1] == off[j]) return GR_OK; /* a target nobody ships to: start cold */
    }
    for (size_t i = 0; i < n; i++) /* shipping sources first: a list starts with one */
        for (size_t j = 0; j < m && wmass(S, i) != 0.0; j++)
            if (x[i * m + j] > 0) list[fill[j]++] = (int64_t)i;
    for (size_t i = 0; i < n && !S->wt; i++)
        if (wmass(S, i) == 0.0) {
            size_t j = warm_home(S, i, q);
            list[fill[j]++] = (int64_t)i;
        }

    /* depth-first preorder from the root. Each component hangs from the root by the
     * zero-flow artificial arc of a node whose artificial arc points to the root (a real
     * source: not transposed, the first source on the list of the component's first
     * target; transposed, that target itself). Stack and lists hold warm-view indices:
     * sources 0..n-1, targets n..n+m-1. */
    int64_t *parent = w->parent, *pred = w->pred, *order = w->dirty, *stack = w->worder;
    signed char *dir = w->pred_dir;
    double *flow = w->flow;
    const int64_t root = S->root, nm = (int64_t)S->nm;
    for (int64_t u = 0; u < S->N; u++)
        parent[u] = -2;
    parent[root] = -1;
    pred[root] = -1;
    dir[root] = 0;
    flow[root] = 0.0;
    int64_t cnt = 0;
    order[cnt++] = root;
    for (size_t j0 = 0; j0 < m + (S->wt ? n : 0); j0++) {
        int64_t top; /* warm-view index of the component's top node */
        if (j0 < m) {
            if (parent[wnode_few(S, j0)] != -2) continue;
            top = S->wt ? (int64_t)(n + j0) : list[off[j0]];
        } else { /* transposed: zero-weight many nodes */
            if (wmass(S, j0 - m) != 0.0) continue;
            top = (int64_t)(j0 - m);
        }
        int64_t r = top < (int64_t)n ? wnode_many(S, (size_t)top)
                                     : wnode_few(S, (size_t)(top - (int64_t)n));
        parent[r] = root;
        pred[r] = nm + r;
        dir[r] = DIR_UP;
        flow[r] = 0.0;
        size_t sp = 0;
        stack[sp++] = top;
        while (sp > 0) {
            int64_t t = stack[--sp];
            int64_t u =
                t < (int64_t)n ? wnode_many(S, (size_t)t) : wnode_few(S, (size_t)(t - (int64_t)n));
            order[cnt++] = u;
            if (t < (int64_t)n) { /* a source: its other targets are its children */
                size_t i = (size_t)t;
                for (size_t j = 0; j < m; j++) {
                    int64_t v = wnode_few(S, j);
                    if (!(x[i * m + j] > 0) || parent[v] != -2) continue;
                    parent[v] = u;
                    pred[v] = warc(S, i, j);
                    dir[v] = S->wt ? DIR_UP : DIR_DOWN;
                    flow[v] = x[i * m + j];
                    stack[sp++] = (int64_t)(n + j);
                }
            } else { /* a target: the sources on its list */
                size_t j = (size_t)(t - (int64_t)n);
                for (int64_t k = off[j]; k < off[j + 1]; k++) {
                    size_t i = (size_t)list[k];
                    int64_t v = wnode_many(S, i);
                    if (parent[v] != -2) continue;
                    parent[v] = u;
                    pred[v] = warc(S, i, j);
                    dir[v] = S->wt ? DIR_DOWN : DIR_UP;
                    flow[v] = x[i * m + j];
                    stack[sp++] = (int64_t)i;
                }
            }
        }
    }
    if (cnt != S->N) return GR_OK; /* not a spanning tree (cannot happen): start cold */
    int64_t *thread = w->thread, *rev = w->rev_thread, *succ = w->succ_num, *last = w->last_succ;
    for (int64_t k = 0; k < cnt; k++) {
        int64_t u = order[k], v = order[k + 1 < cnt ? k + 1 : 0];
        thread[u] = v;
        rev[v] = u;
        succ[u] = 1;
        last[u] = -1;
    }
    for (int64_t k = cnt - 1; k > 0; k--) {
        int64_t u = order[k], p = parent[u];
        if (last[u] < 0) last[u] = u;
        if (last[p] < 0) last[p] = last[u];
        succ[p] += succ[u];
    }
    if (last[root] < 0) last[root] = root;
    recompute_potentials(S);
    *used = 1;
    return GR_OK;
}

/* ---- set-up -------------------------------------------------------------------------------- */

static int check_finite(const double *v, size_t len, const char *what, int nonneg, gr_error *err) {
    size_t k = nonneg ? gr_first_bad_weight(v, len) : gr_first_nonfinite(v, len);
    if (k == len) return GR_OK;
    if (!isfinite(v[k]))
        return GR_ERROR(err, GR_EDOM, "OT: %s[%zu] is not finite (%g)", what, k, v[k]);
    return GR_ERROR(err, GR_EDOM, "OT: %s[%zu] = %g is negative", what, k, v[k]);
}

/* Dense cost cache for high dimension: |x - y|^2 = |x|^2 + |y|^2 - 2 x.y by one dgemm on
 * centred points, with every pair whose squared distance is below recompute_rel (|x|^2 +
 * |y|^2) (settings.cache_recompute_rel, default 1e-2) recomputed from differences (there the
 * formula loses digits to cancellation; elsewhere its relative error is below ~1e2 d eps).
 * Returns GR_ENOMEM, leaving S unchanged and no message, when a buffer cannot be allocated:
 * the caller then keeps on-the-fly costs. */
static int build_cache(solver *S, gr_ot_workspace *w, int squared, double recompute_rel) {
    size_t n = S->n, m = S->m, d = S->d;
    if (w->cache_cap < n * m) {
        free(w->cache);
        w->cache = malloc(n * m * sizeof(double));
        w->cache_cap = w->cache ? n * m : 0;
    }
    if (w->xc_cap < n * d) {
        free(w->xc);
        free(w->nx);
        w->xc = malloc(n * d * sizeof(double));
        w->nx = malloc(w->n_max * sizeof(double)); /* any n: xc_cap counts n d only */
        w->xc_cap = (w->xc && w->nx) ? n * d : 0;
    }
    if (w->yc_cap < m * d) {
        free(w->yc);
        free(w->ny);
        w->yc = malloc(m * d * sizeof(double));
        w->ny = malloc(w->m_max * sizeof(double));
        w->yc_cap = (w->yc && w->ny) ? m * d : 0;
    }
    if (!w->cache || !w->xc || !w->yc || !w->nx || !w->ny) return GR_ENOMEM;
    /* centre on the mean of all points (row-major passes; w->mean has >= 2 d doubles) */
    double *mu = w->mean;
    for (size_t k = 0; k < d; k++)
        mu[k] = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < d; k++)
            mu[k] += S->x[i * d + k];
    for (size_t j = 0; j < m; j++)
        for (size_t k = 0; k < d; k++)
            mu[k] += S->y[j * d + k];
    for (size_t k = 0; k < d; k++)
        mu[k] /= (double)(n + m);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < d; k++)
            w->xc[i * d + k] = S->x[i * d + k] - mu[k];
    for (size_t j = 0; j < m; j++)
        for (size_t k = 0; k < d; k++)
            w->yc[j * d + k] = S->y[j * d + k] - mu[k];
    for (size_t i = 0; i < n; i++)
        w->nx[i] = cblas_ddot((int)d, w->xc + i * d, 1, w->xc + i * d, 1);
    for (size_t j = 0; j < m; j++)
        w->ny[j] = cblas_ddot((int)d, w->yc + j * d, 1, w->yc + j * d, 1);
    double cmax = 0.0;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)m, (int)d, -2.0, w->xc,
                (int)d, w->yc, (int)d, 0.0, w->cache, (int)m);
    for (size_t i = 0; i < n; i++) {
        double *row = w->cache + i * m;
        for (size_t j = 0; j < m; j++) {
            double s = w->nx[i] + w->ny[j];
            double q = s + row[j];
            if (q < recompute_rel * s) q = gr_linalg_dsqdist(S->x + i * d, S->y + j * d, d);
            row[j] = squared ? q : sqrt(q);
            if (row[j] > cmax) cmax = row[j];
        }
    }
    S->C = cmax; /* the exact largest cost */
    return GR_OK;
}

/* Plan, duals (shifted so that sum a u = sum b v) and the certificate. */
static void certify(solver *S, gr_ot_result *res, double mass) {
    gr_ot_workspace *w = S->w;
    size_t n = S->n, m = S->m;
    recompute_potentials(S);
    double sa = 0.0, sb = 0.0;
    for (size_t i = 0; i < n; i++)
        sa += w->supply[i] * w->pi[i];
    for (size_t j = 0; j < m; j++)
        sb += -w->supply[n + j] * w->pi[n + j];
    double shift = (sa + sb) / (2.0 * mass);
    for (int64_t u = 0; u < S->N; u++)
        w->pi[u] -= shift;
    for (size_t i = 0; i < n; i++)
        w->u[i] = -w->pi[i];
    for (size_t j = 0; j < m; j++)
        w->v[j] = w->pi[n + j];

    memset(w->rowsum, 0, n * sizeof(double));
    memset(w->colsum, 0, m * sizeof(double));
    size_t nnz = 0;
    double primal = 0.0;
    for (int64_t u = 0; u < S->N; u++) {
        if (u == S->root || w->pred[u] >= (int64_t)S->nm || w->flow[u] == 0.0) continue;
        size_t i = (size_t)(w->pred[u] / (int64_t)m), j = (size_t)(w->pred[u] % (int64_t)m);
        w->plan[nnz].i = i;
        w->plan[nnz].j = j;
        w->plan[nnz].mass = w->flow[u];
        nnz++;
        w->rowsum[i] += w->flow[u];
        w->colsum[j] += w->flow[u];
        primal += w->flow[u] * cost_ij(S, i, j);
    }
    double resid = 0.0;
    for (size_t i = 0; i < n; i++)
        resid = fmax(resid, fabs(w->rowsum[i] - w->supply[i]));
    for (size_t j = 0; j < m; j++)
        resid = fmax(resid, fabs(w->colsum[j] + w->supply[n + j]));
    double dual = 0.0;
    for (size_t i = 0; i < n; i++)
        dual += w->supply[i] * w->u[i];
    for (size_t j = 0; j < m; j++)
        dual += -w->supply[n + j] * w->v[j];

    /* max_ij (u_i + v_j - c_ij) = -min_ij rc_ij over all pairs */
    double minrc = 0.0;
    size_t bj = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        row_scan(S, i, 0, m, w->pi[i], w->pi + n, &minrc, &bj);

    res->cost = primal;
    res->dual = dual;
    res->duality_gap = primal - dual;
    res->marginal_residual = resid / mass;
    res->max_violation = minrc < 0.0 ? -minrc : 0.0;
    res->plan_nnz = nnz;
    res->plan = w->plan;
    res->u = w->u;
    res->v = w->v;
    res->value = primal; /* gr_ot_solve takes the root for SQEUCLIDEAN problems */
}

/* ---- the solve, step by step ------------------------------------------------------------- */

/* Step 1, set-up: checks the workspace, the sizes and the settings' tolerances; checks the
 * weights (finite, >= 0, positive totals agreeing to tol_mass) and writes the supplies,
 * a_i for the sources and -b_j sum a / sum b for the targets; fills S's sizes. *mass and
 * res->mass = sum a. */
static int ot_setup(solver *S, gr_ot_workspace *w, const gr_ot_problem *p, const gr_ot_settings *s,
                    double *mass, gr_ot_result *res, gr_error *err) {
    if (!w || !p) return GR_ERROR(err, GR_EINVAL, "OT: NULL workspace or problem");
    size_t n = p->n, m = p->m;
    if (n == 0 || m == 0)
        return GR_ERROR(err, GR_EINVAL, "OT: empty measure (n = %zu, m = %zu points)", n, m);
    if (n > w->n_max || m > w->m_max)
        return GR_ERROR(err, GR_EINVAL, "OT: %zu x %zu points exceed the workspace (%zu x %zu)", n,
                        m, w->n_max, w->m_max);
    if (!(s->tol_rc >= 0) || !(s->tol_marginal >= 0) || !(s->tol_gap >= 0) || !(s->tol_mass >= 0) ||
        !(s->cache_recompute_rel >= 0))
        return GR_ERROR(err, GR_EINVAL, "OT: tolerances must be >= 0");

    memset(S, 0, sizeof *S);
    S->n = n;
    S->m = m;
    S->nm = n * m;
    S->N = (int64_t)(n + m + 1);
    S->root = (int64_t)(n + m);
    S->w = w;
    S->d = p->d;
    int st;

    if (p->a && (st = check_finite(p->a, n, "source weight a", 1, err))) return st;
    if (p->b && (st = check_finite(p->b, m, "target weight b", 1, err))) return st;
    double sa = gr_mass_total(p->a, n), sb = gr_mass_total(p->b, m);
    if (!(sa > 0) || !(sb > 0))
        return GR_ERROR(err, GR_EDOM, "OT: total mass must be positive (sum a = %g, sum b = %g)",
                        sa, sb);
    if (gr_masses_differ(sa, sb, s->tol_mass))
        return GR_ERROR(err, GR_EINFEAS,
                        "OT: total masses differ: sum a = %.17g, sum b = %.17g (relative "
                        "difference %.3g > tol_mass %.3g)",
                        sa, sb, fabs(sa - sb) / fmax(sa, sb), s->tol_mass);
    double bscale = sa / sb;
    for (size_t i = 0; i < n; i++)
        w->supply[i] = p->a ? p->a[i] : 1.0 / (double)n;
    for (size_t j = 0; j < m; j++)
        w->supply[n + j] = -(p->b ? p->b[j] : 1.0 / (double)m) * bscale;
    res->mass = sa;
    *mass = sa;
    return GR_OK;
}

/* Step 2, cost mode: checks the cost's inputs (points finite, matrix or callback values
 * finite), computes the bound C on max |c_ij| (for points: the diagonal of their bounding
 * box, squared for SQEUCLIDEAN) and picks how the pricing gets c_ij: the 2-D Euclidean
 * kernel (MODE_E2, targets copied as two coordinate arrays), d-dimensional distances
 * (MODE_E, MODE_SQ), a table (MODE_TABLE: the caller's matrix, or the cost cache when
 * d >= cache_min_dim, the n m doubles fit cache_bytes and can be allocated; otherwise the
 * costs stay on the fly, res->cached_costs says which), or the callback (MODE_FN). Sets the
 * big-M of the artificial arcs and res->cost_scale = C. */
static int ot_select_costs(solver *S, const gr_ot_problem *p, const gr_ot_settings *s,
                           gr_ot_result *res, gr_error *err) {
    gr_ot_workspace *w = S->w;
    const size_t n = S->n, m = S->m;
    int st;
    switch (p->cost) {
    case GR_OT_COST_EUCLIDEAN:
    case GR_OT_COST_SQEUCLIDEAN: {
        if (!p->x || !p->y || p->d == 0)
            return GR_ERROR(err, GR_EINVAL, "OT: points missing or d = 0");
        if ((st = check_finite(p->x, n * p->d, "source coordinate x", 0, err))) return st;
        if ((st = check_finite(p->y, m * p->d, "target coordinate y", 0, err))) return st;
        S->x = p->x;
        S->y = p->y;
        /* bounding box of all points, row-major passes (inputs are finite) */
        const size_t d = p->d;
        if (w->mean_cap < 2 * d) {
            free(w->mean);
            w->mean = malloc(2 * d * sizeof(double));
            w->mean_cap = w->mean ? 2 * d : 0;
            if (!w->mean) return GR_ERROR(err, GR_ENOMEM, "OT: no memory for %zu doubles", d);
        }
        double *lo = w->mean, *hi = w->mean + d;
        for (size_t k = 0; k < d; k++)
            lo[k] = hi[k] = p->x[k];
        for (size_t i = 0; i < n + m; i++) {
            const double *r = i < n ? p->x + i * d : p->y + (i - n) * d;
            for (size_t k = 0; k < d; k++) {
                lo[k] = r[k] < lo[k] ? r[k] : lo[k];
                hi[k] = r[k] > hi[k] ? r[k] : hi[k];
            }
        }
        double diag2 = 0.0;
        for (size_t k = 0; k < d; k++)
            diag2 += (hi[k] - lo[k]) * (hi[k] - lo[k]);
        int squared = p->cost == GR_OT_COST_SQEUCLIDEAN;
        S->C = squared ? diag2 : sqrt(diag2);
        if (!isfinite(S->C))
            return GR_ERROR(err, GR_EDOM, "OT: coordinates too large (cost bound overflows)");
        S->mode = squared ? MODE_SQ : (p->d == 2 ? MODE_E2 : MODE_E);
        if (S->mode == MODE_E2) {
            for (size_t j = 0; j < m; j++) {
                w->ysoa[j] = p->y[2 * j];
                w->ysoa[m + j] = p->y[2 * j + 1];
            }
            S->yx = w->ysoa;
            S->yy = w->ysoa + m;
        }
        /* The cache, when wanted and allocatable; when its memory cannot be had the costs
         * stay on the fly (same optimum, slower pricing), res->cached_costs = 0 says so. */
        if (p->d >= s->cache_min_dim && s->cache_bytes > 0 &&
            n * m <= s->cache_bytes / sizeof(double) &&
            build_cache(S, w, squared, s->cache_recompute_rel) == GR_OK) {
            S->table = w->cache;
            S->mode = MODE_TABLE;
            res->cached_costs = 1;
        }
        break;
    }
    case GR_OT_COST_MATRIX:
        if (!p->matrix) return GR_ERROR(err, GR_EINVAL, "OT: cost matrix missing");
        if ((st = check_finite(p->matrix, n * m, "cost matrix", 0, err))) return st;
        S->table = p->matrix;
        S->mode = MODE_TABLE;
        for (size_t k = 0; k < n * m; k++)
            S->C = fmax(S->C, fabs(p->matrix[k]));
        break;
    case GR_OT_COST_CALLBACK:
        if (!p->fn) return GR_ERROR(err, GR_EINVAL, "OT: cost callback missing");
        S->fn = p->fn;
        S->ctx = p->ctx;
        S->mode = MODE_FN;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < m; j++) {
                double c = p->fn(i, j, p->ctx);
                if (!isfinite(c))
                    return GR_ERROR(err, GR_EDOM, "OT: cost(%zu, %zu) = %g is not finite", i, j, c);
                S->C = fmax(S->C, fabs(c));
            }
        break;
    default: return GR_ERROR(err, GR_EINVAL, "OT: unknown cost kind %d", (int)p->cost);
    }
    /* Negative costs (matrix/callback) are fine: shifting c by a constant shifts every
     * plan's cost by the same amount. M must exceed max c_ij - min c_ij: 2 C + C does. */
    S->M = 3.0 * (S->C > 0 ? S->C : 1.0);
    res->cost_scale = S->C;
    return GR_OK;
}

/* Step 3, the initial tree: when the smaller side has at most warm_max_m points, all with
 * positive weight, the optimal basis of the successive-shortest-path warm start (within
 * max_iter augmentations); otherwise the root star, which is refused (GR_EINVAL,
 * res->refused_unbalanced = 1) on a problem with one side > cold_max_n and >= 8 times the
 * other, where it would cost ~max(n, m)^2. */
static int ot_initial_tree(solver *S, const gr_ot_settings *s, double mass, size_t max_iter,
                           gr_ot_result *res, gr_error *err) {
    gr_ot_workspace *w = S->w;
    const size_t n = S->n, m = S->m;
    int st, warm = 0;
    if (m <= s->warm_max_m || n <= s->warm_max_m) {
        S->wt = n < m; /* the smaller side is the "few" side */
        S->wn = S->wt ? m : n;
        S->wk = S->wt ? n : m;
        int positive = 1;
        for (size_t j = 0; j < S->wk; j++)
            positive &= wdemand(S, j) > 0.0;
        size_t naug = 0;
        if (positive && (st = warm_start(S, mass, max_iter, &naug, &warm, err))) return st;
        res->augmentations = naug;
        res->warm_start = warm;
    }
    /* the cold start on a very unbalanced problem costs ~max(n, m)^2: refuse, not hang */
    size_t big = n > m ? n : m, small = n > m ? m : n;
    if (!warm && s->cold_max_n > 0 && big > s->cold_max_n && big >= 8 * small) {
        res->refused_unbalanced = 1;
        if (small > s->warm_max_m)
            return GR_ERROR(err, GR_EINVAL,
                            "OT: %zu x %zu points is too unbalanced for the cold-start simplex "
                            "(time grows like max(n, m)^2; cold_max_n = %zu); the warm start "
                            "needs warm_max_m >= %zu, the smaller side (memory ~40 n m bytes)",
                            n, m, s->cold_max_n, small);
        return GR_ERROR(err, GR_EINVAL,
                        "OT: %zu x %zu points is too unbalanced for the cold-start simplex (time "
                        "grows like max(n, m)^2; cold_max_n = %zu); the warm start needs every "
                        "weight on the smaller side > 0",
                        n, m, s->cold_max_n);
    }
    if (warm) return s->check_tree ? check_tree(S, err) : GR_OK;
    int64_t root = S->root;
    for (int64_t u = 0; u < root; u++) {
        w->parent[u] = root;
        w->pred[u] = (int64_t)S->nm + u;
        w->thread[u] = u + 1;
        w->rev_thread[u + 1] = u;
        w->succ_num[u] = 1;
        w->last_succ[u] = u;
        if (w->supply[u] >= 0) {
            w->pred_dir[u] = DIR_UP;
            w->flow[u] = w->supply[u];
            w->pi[u] = 0.0;
        } else {
            w->pred_dir[u] = DIR_DOWN;
            w->flow[u] = -w->supply[u];
            w->pi[u] = S->M;
        }
    }
    w->parent[root] = -1;
    w->pred[root] = -1;
    w->thread[root] = 0;
    w->rev_thread[0] = root;
    w->succ_num[root] = S->N;
    w->last_succ[root] = root - 1;
    w->pi[root] = 0.0;
    w->pred_dir[root] = 0;
    w->flow[root] = 0.0;
    return GR_OK;
}

/* Step 4, the pivot loop: pivots (entering arc by block search, join, leaving arc by
 * Cunningham's rule, flow change, tree and potential updates) until no arc has a reduced
 * cost below -thr (GR_OK), *iter reaches max_iter (GR_EMAXITER, no message yet) or a
 * tree check fails (check_tree). *iter counts the pivots across calls. */
static int ot_pivot_loop(solver *S, double thr, size_t max_iter, int check, size_t *iter,
                         gr_error *err) {
    int st;
    while (find_entering(S, thr)) {
        if (*iter >= max_iter) return GR_EMAXITER;
        find_join(S);
        if (!find_leaving(S))
            return GR_ERROR(err, GR_EINTERNAL, "OT: unbounded pivot cycle (a bug)");
        change_flow(S);
        update_tree(S);
        update_potential(S, arc_cost(S, S->in_arc));
        (*iter)++;
        if (check && (st = check_tree(S, err)) != GR_OK) return st;
    }
    return GR_OK;
}

/* Step 5, certification: judges the certificate certify() computed (res) against the
 * tolerances: marginal residual <= tol_marginal, dual violation <= thr = tol_rc C, |duality
 * gap| <= tol_gap (|cost| + C mass); a failure is GR_ENOTCONV with the failing measure. A
 * pivot loop stopped by the cap becomes GR_EMAXITER with its message; other statuses pass
 * through. */
static int ot_judge(int status, const gr_ot_result *res, const gr_ot_settings *s, double thr,
                    double Ct, double mass, size_t max_iter, gr_error *err) {
    if (status == GR_EMAXITER)
        return GR_ERROR(err, GR_EMAXITER,
                        "OT: iteration cap %zu reached before optimality (max reduced-cost "
                        "violation %.3g, marginal residual %.3g)",
                        max_iter, res->max_violation, res->marginal_residual);
    if (status != GR_OK) return status;
    double gap_tol = s->tol_gap * (fabs(res->cost) + Ct * mass);
    if (res->marginal_residual > s->tol_marginal)
        return GR_ERROR(err, GR_ENOTCONV,
                        "OT: certificate failed: marginal residual %.3g > tol %.3g",
                        res->marginal_residual, s->tol_marginal);
    if (res->max_violation > thr)
        return GR_ERROR(err, GR_ENOTCONV, "OT: certificate failed: dual violation %.3g > tol %.3g",
                        res->max_violation, thr);
    if (fabs(res->duality_gap) > gap_tol)
        return GR_ERROR(err, GR_ENOTCONV, "OT: certificate failed: duality gap %.3g > tol %.3g",
                        res->duality_gap, gap_tol);
    return GR_OK;
}

int gr_ot_solve(gr_ot_workspace *w, const gr_ot_problem *p, const gr_ot_settings *s_in,
                gr_ot_result *res, gr_error *err) {
    gr_ot_settings s = s_in ? *s_in : gr_ot_settings_default();
    gr_ot_result dummy;
    if (!res) res = &dummy;
    memset(res, 0, sizeof *res);
    res->status = GR_EINVAL;
    res->value = NAN;
    solver S;
    double mass = 0.0;
    int st;
    if ((st = ot_setup(&S, w, p, &s, &mass, res, err))) return res->status = st;
    if ((st = ot_select_costs(&S, p, &s, res, err))) return res->status = st;
    const size_t n = S.n, m = S.m;
    const double Ct = S.C > 0 ? S.C : 1.0; /* the scale of the relative tolerances */
    const double thr = s.tol_rc * Ct;
    S.block = s.block_size ? s.block_size : (size_t)ceil(sqrt((double)n * (double)m));
    if (S.block < 10) S.block = 10;
    size_t max_iter = s.max_iter ? s.max_iter : (size_t)10000000 + 1000 * (n + m);
    if ((st = ot_initial_tree(&S, &s, mass, max_iter, res, err))) return res->status = st;

    /* pivot, certify; resume while the drift-free potentials still price an arc in */
    size_t iter = 0;
    int status;
    for (size_t round = 0;; round++) {
        status = ot_pivot_loop(&S, thr, max_iter, s.check_tree, &iter, err);
        certify(&S, res, mass);
        if (status != GR_OK || res->max_violation <= thr || round >= s.certify_rounds) break;
    }
    res->iterations = iter;
    /* The value follows the problem's cost kind, never the internal cost mode (with the
     * cache a SQEUCLIDEAN problem is priced from the table, MODE_TABLE): W2 is the root of
     * the squared-cost optimum. Matrix and callback costs get no root (value = cost). */
    if (p->cost == GR_OT_COST_SQEUCLIDEAN) res->value = sqrt(fmax(res->cost, 0.0));
    res->status = ot_judge(status, res, &s, thr, Ct, mass, max_iter, err);
    return res->status;
}

int gr_ot_wasserstein(const double *x, const double *a, size_t n, const double *y, const double *b,
                      size_t m, size_t d, int p, const gr_ot_settings *s, double *value,
                      gr_error *err) {
    if (p != 1 && p != 2) return GR_ERROR(err, GR_EINVAL, "OT: p must be 1 or 2 (got %d)", p);
    if (n == 0 || m == 0)
        return GR_ERROR(err, GR_EINVAL, "OT: empty measure (n = %zu, m = %zu points)", n, m);
    gr_ot_workspace *w = NULL;
    GR_TRY(gr_ot_workspace_alloc(&w, n, m, err));
    gr_ot_problem prob = gr_ot_problem_points(
        x, a, n, y, b, m, d, p == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
    gr_ot_result r;
    int st = gr_ot_solve(w, &prob, s, &r, err);
    if (st == GR_OK && value) *value = r.value;
    gr_ot_workspace_free(w);
    return st;
}
