/* distance/knn.c — k-nearest-neighbour estimators of KL and JS divergences (see knn.h).
 *
 * Neighbour search: a k-d tree (median split on the widest coordinate, leaves of at most
 * GR_KNN_LEAF points) built once per sample, queried with a bounded max-heap of size k.
 * Exact Euclidean neighbours; 10^4 points in 2-D take a few milliseconds.
 *
 * KL (Wang, Kulkarni & Verdu 2009, eq. 5, same k for both samples):
 *     D_hat = d/n sum_i log(nu_k(i)/rho_k(i)) + log(m/(n-1)).
 * JS through the mixture M = ½P + ½Q. A sample Z of M: the whole smaller sample and
 * s = min(n, m) evenly spaced rows (floor(j L / s), j < s) of the larger one L, so Z has
 * M's ½/½ weights (evenly spaced rather than the first s, so a sorted file still gives a
 * representative subset). KL(P||M) is estimated by the WKV formula with Z \ {x_i} as the
 * reference sample:
 *     KL_hat(P||M) = d/n sum_i log(nu^Z_k(i)/rho_k(i)) + log((|Z| - [x_i in Z])/(n-1)),
 * where rho uses all n points of X; symmetrically for Q; JS_hat = ½ KL_hat(P||M) +
 * ½ KL_hat(Q||M). (The pooled points near x_i form a Poisson process of intensity
 * ~ |Z| m(x), the own-sample points one of intensity (n-1) p(x): the log-ratio is linear in
 * the log distances, so the same digamma terms cancel as in WKV and the estimator is
 * consistent at fixed k. A pooled sample of all n + m points would be a sample of
 * (nP + mQ)/(n+m), not of M, and a non-linear correction would break that cancellation.)
 * With n = m, Z = X u Y and each term is at most log((2n-1)/(n-1)) ~ log 2 + 1/n: disjoint
 * samples give JS_hat -> log 2 as they should.
 *
 * Bias (continuous data): like every fixed-k kNN estimator it is biased at finite n; the
 * estimate is clipped to [0, log 2] and the unclipped value kept in res->raw. Measured on
 * O3 pairs N(0,I) vs N(delta e1, I), delta in {0.5, 1, 2, 4}, 10 seeds (bias of raw, sd):
 *   n = 1e3, k = 1: |bias| <= 0.014, sd <= 0.045;   n = 1e3, k = 5: |bias| <= 0.006, sd <= 0.015
 *   n = 1e4, k = 1: |bias| <= 0.003, sd <= 0.010;   n = 1e4, k = 5: |bias| <= 0.003, sd <= 0.006
 * (1-D and 2-D alike). Prefer k = 5 or so: the spread shrinks faster than the bias grows.
 * KL (WKV), O1 pair (m1 = 0, S1 = [[1,.3],[.3,2]] vs m2 = (1,-1), S2 = diag(.5,1.5), KL =
 * 1.5326): biased LOW, -7.6 % at n = m = 1e4, k = 1 (sd 3 %), -14 % with k = 3, -4.4 % at
 * n = m = 1e5, k = 1 (scipy cKDTree gives the same numbers; WKV's adaptive-k variant gives
 * -7.8 %, no better). The reverse direction is within 1 %. The estimator is poor when q has
 * lighter tails than p: nu_k is then taken in regions Q barely samples.
 *
 * Repeated points (docs/estimators.md has the argument and the measurements). The laws
 * are split into atoms and a part with a density; JS and KL w.r.t. counting + Lebesgue
 * measure are the sum over atoms plus the integral over the density part.
 *  - Detection: the pooled rows are sorted lexicographically (exact comparison of the
 *    input doubles); a value occurring >= 2 times is an atom.
 *  - Grid: per coordinate, the distinct pooled values are on a grid when every gap
 *    between consecutive values is an integer multiple of the smallest gap (to 1e-6 of
 *    it, and within 1e9 steps of span). If all coordinates are, each point gets
 *    U(-step/2, step/2) per coordinate. The cells of the grid partition R^d and the jitter
 *    moves an atom's whole mass inside its own cell, the same kernel for P and Q: the
 *    smoothed densities are p_a / |cell| and q_a / |cell| on cell a, so every f-divergence
 *    (JS, KL) of the smoothed laws EQUALS that of the discrete laws. (For any common kernel,
 *    data processing only gives JS(smoothed) <= JS(discrete); disjoint cells give equality.)
 *    The kNN estimate then has its usual continuous-data error, plus that of the
 *    discontinuities at cell faces, which both samples share.
 *  - Atoms (some coordinate off any grid): for a query on atom a the log density ratio is
 *    the plug-in one (c_x(a)/n against c_y(a)/m, and for JS their mixture ½ c_x/n +
 *    ½ c_y/m, from all points); the kNN formulas run over the unrepeated points only (an
 *    atom has no Lebesgue density), with the full n, m, |Z| in the normalisations. If a
 *    sample has at most k unrepeated points they cannot carry a density estimate and are
 *    counted as atoms seen once. GR_KNN_REPEATS_ATOMS counts also on a grid (no jitter).
 *  - Weights (GR_KNN_REPEATS_WEIGHTS): each sample is first reduced to its distinct rows
 *    (stable sort, first occurrences in input order) with multiplicities w_i; everything
 *    above then runs on the distinct rows, whose counts n', m' are the sample sizes of the
 *    density estimates (rho, nu, |Z| = 2 min(n', m') and the normalisations), and whose
 *    per-row terms are averaged with weights w_i / n. A value left repeating is in both
 *    samples and is counted as an atom with the multiplicities as counts (masses c_x/n,
 *    c_y/m). The sums use the integer weights w_i / g (g = gcd of the sample's w) over n / g:
 *    with all w_i = c that is the plain sum over n' terms divided by n', bit for bit.
 */
#include "distance/knn.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/mem.h"
#include "core/rng.h"
#include "linalg/vec.h"

#define GR_KNN_LEAF 12

typedef struct {
    size_t lo, hi;       /* range of perm[] held by this node */
    size_t left, right;  /* child node ids; 0 when leaf (node 0 is the root, never a child) */
    size_t dim;          /* split coordinate */
    double split;        /* split value */
    double *bmin, *bmax; /* bounding box of the node's points (d values each) */
} kd_node;

typedef struct {
    const double *pts; /* n x d, not owned */
    size_t n, d;
    size_t *perm;   /* point indices, reordered by the build (in a kd_store, not owned) */
    kd_node *nodes; /* at most cap = kd_cap(n) nodes (kd_store) */
    size_t nnodes, cap;
    double *boxes; /* 2 * d * cap doubles (kd_store) */
} kd_tree;

/* Bounded max-heap of (squared distance) of size k: the k smallest seen so far. */
typedef struct {
    double *v;
    size_t size, k;
} kheap;

static void kheap_push(kheap *h, double x) {
    if (h->size < h->k) {
        size_t i = h->size++;
        h->v[i] = x;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (h->v[p] >= h->v[i]) break;
            double t = h->v[p];
            h->v[p] = h->v[i];
            h->v[i] = t;
            i = p;
        }
    } else if (x < h->v[0]) {
        size_t i = 0;
        h->v[0] = x;
        for (;;) {
            size_t l = 2 * i + 1, r = l + 1, b = i;
            if (l < h->size && h->v[l] > h->v[b]) b = l;
            if (r < h->size && h->v[r] > h->v[b]) b = r;
            if (b == i) break;
            double t = h->v[b];
            h->v[b] = h->v[i];
            h->v[i] = t;
            i = b;
        }
    }
}

static double kheap_worst(const kheap *h) { return h->size < h->k ? INFINITY : h->v[0]; }

/* Quickselect on perm[lo, hi) so that perm[mid] holds the median along `dim`. Three-way
 * partition around a median-of-three pivot: the "equal" block is never empty, so every
 * pass shrinks the range even with many tied coordinates. */
static void kd_select(const double *pts, size_t d, size_t *perm, size_t lo, size_t hi, size_t mid,
                      size_t dim) {
    while (hi - lo > 1) {
        double va = pts[perm[lo] * d + dim], vb = pts[perm[hi - 1] * d + dim],
               vc = pts[perm[lo + (hi - lo) / 2] * d + dim];
        double piv =
            va < vb ? (vb < vc ? vb : (va < vc ? vc : va)) : (va < vc ? va : (vb < vc ? vc : vb));
        size_t lt = lo, i = lo, gt = hi; /* [lo,lt) < piv, [lt,i) == piv, [gt,hi) > piv */
        while (i < gt) {
            double v = pts[perm[i] * d + dim];
            size_t t = perm[i];
            if (v < piv) {
                perm[i++] = perm[lt];
                perm[lt++] = t;
            } else if (v > piv) {
                perm[i] = perm[--gt];
                perm[gt] = t;
            } else {
                i++;
            }
        }
        if (mid < lt)
            hi = lt;
        else if (mid >= gt)
            lo = gt;
        else
            return;
    }
}

static size_t kd_build_node(kd_tree *t, size_t lo, size_t hi) {
    size_t id = t->nnodes++;
    kd_node *nd = &t->nodes[id];
    size_t d = t->d;
    nd->lo = lo;
    nd->hi = hi;
    nd->left = nd->right = 0;
    nd->bmin = t->boxes + 2 * d * id;
    nd->bmax = nd->bmin + d;
    for (size_t j = 0; j < d; j++) {
        nd->bmin[j] = INFINITY;
        nd->bmax[j] = -INFINITY;
    }
    for (size_t i = lo; i < hi; i++) {
        const double *p = t->pts + t->perm[i] * d;
        for (size_t j = 0; j < d; j++) {
            if (p[j] < nd->bmin[j]) nd->bmin[j] = p[j];
            if (p[j] > nd->bmax[j]) nd->bmax[j] = p[j];
        }
    }
    if (hi - lo <= GR_KNN_LEAF) return id;
    size_t dim = 0;
    double wmax = -1.0;
    for (size_t j = 0; j < d; j++) {
        double w = nd->bmax[j] - nd->bmin[j];
        if (w > wmax) {
            wmax = w;
            dim = j;
        }
    }
    if (wmax <= 0.0) return id; /* all points identical: keep as a (large) leaf */
    size_t mid = lo + (hi - lo) / 2;
    kd_select(t->pts, d, t->perm, lo, hi, mid, dim);
    nd->dim = dim;
    nd->split = t->pts[t->perm[mid] * d + dim];
    size_t l = kd_build_node(t, lo, mid);
    size_t r = kd_build_node(t, mid, hi);
    t->nodes[id].left = l; /* re-index: nodes[] does not move, but keep it explicit */
    t->nodes[id].right = r;
    return id;
}

/* Node bound of a tree of n points: a binary tree with leaves of >= LEAF/2 points has
 * < 4n/LEAF + 1 nodes; be generous. */
static size_t kd_cap(size_t n) { return 2 * (n / (GR_KNN_LEAF / 2) + 1) + 1; }

/* Memory for one tree of up to n_max points in dimension <= d_max, owned by a workspace. */
typedef struct {
    size_t n_max, cap; /* cap = kd_cap(n_max) >= kd_cap(n) for every n <= n_max */
    size_t *perm;      /* n_max */
    kd_node *nodes;    /* cap */
    double *boxes;     /* 2 d_max cap */
} kd_store;

static void kd_store_free(kd_store *s) {
    free(s->perm);
    free(s->nodes);
    free(s->boxes);
    memset(s, 0, sizeof *s);
}

/* 0 on success, 1 when out of memory (sizes already checked against overflow). */
static int kd_store_alloc(kd_store *s, size_t n_max, size_t d_max) {
    s->n_max = n_max;
    s->cap = kd_cap(n_max);
    s->perm = malloc(n_max * sizeof *s->perm);
    s->nodes = malloc(s->cap * sizeof *s->nodes);
    s->boxes = malloc(2 * d_max * s->cap * sizeof *s->boxes);
    return !s->perm || !s->nodes || !s->boxes;
}

/* Build the tree of pts (n x d) in the memory of s (n <= s->n_max, d <= its d_max);
 * allocates nothing. */
static int kd_build(kd_tree *t, const kd_store *s, const double *pts, size_t n, size_t d,
                    gr_error *err) {
    memset(t, 0, sizeof *t);
    t->pts = pts;
    t->n = n;
    t->d = d;
    t->cap = kd_cap(n);
    t->perm = s->perm;
    t->nodes = s->nodes;
    t->boxes = s->boxes;
    if (n > s->n_max || t->cap > s->cap) /* callers check sizes first: cannot happen */
        return GR_ERROR(err, GR_EINTERNAL, "k-d tree of %zu points exceeds its storage (%zu)", n,
                        s->n_max);
    for (size_t i = 0; i < n; i++)
        t->perm[i] = i;
    kd_build_node(t, 0, n);
    if (t->nnodes > t->cap) /* cannot happen with the bound above; memory is already hurt */
        return GR_ERROR(err, GR_EINTERNAL, "k-d tree node count exceeded its bound");
    return GR_OK;
}

/* squared distance from q to the node's bounding box */
static double kd_box_dist2(const kd_node *nd, const double *q, size_t d) {
    double s = 0.0;
    for (size_t j = 0; j < d; j++) {
        double e = 0.0;
        if (q[j] < nd->bmin[j])
            e = nd->bmin[j] - q[j];
        else if (q[j] > nd->bmax[j])
            e = q[j] - nd->bmax[j];
        s += e * e;
    }
    return s;
}

/* Push into h the squared distances from q to every tree point except index `skip`
 * (skip = (size_t)-1 for none) that can enter the k smallest. */
static void kd_search(const kd_tree *t, size_t id, const double *q, size_t skip, kheap *h) {
    const kd_node *nd = &t->nodes[id];
    size_t d = t->d;
    if (kd_box_dist2(nd, q, d) > kheap_worst(h)) return;
    if (nd->left == 0) {
        for (size_t i = nd->lo; i < nd->hi; i++) {
            size_t pi = t->perm[i];
            if (pi == skip) continue;
            kheap_push(h, gr_linalg_dsqdist(t->pts + pi * d, q, d));
        }
        return;
    }
    /* nearer child first */
    size_t first = q[nd->dim] < nd->split ? nd->left : nd->right;
    size_t second = first == nd->left ? nd->right : nd->left;
    kd_search(t, first, q, skip, h);
    kd_search(t, second, q, skip, h);
}

#define NO_ATOM ((size_t)-1)
/* A gap is a whole number of grid steps when it is within GR_KNN_GRID_TOL steps of one;
 * decimal data parsed from text is off by ~1e-16 |value| / step, far below. A grid may
 * span at most GR_KNN_GRID_MAX_STEPS steps (beyond, "integer" ratios mean nothing). */
#define GR_KNN_GRID_TOL       1e-6
#define GR_KNN_GRID_MAX_STEPS 1e9

const char *gr_knn_ties_name(gr_knn_ties t) {
    switch (t) {
    case GR_KNN_TIES_NONE: return "none";
    case GR_KNN_TIES_GRID: return "grid-jitter";
    case GR_KNN_TIES_ATOMS: return "atoms";
    case GR_KNN_TIES_WEIGHTS: return "weights";
    }
    return "unknown";
}

const char *gr_knn_repeats_name(gr_knn_repeats r) {
    switch (r) {
    case GR_KNN_REPEATS_AUTO: return "auto";
    case GR_KNN_REPEATS_ATOMS: return "atoms";
    case GR_KNN_REPEATS_WEIGHTS: return "weights";
    }
    return "unknown";
}

gr_knn_options gr_knn_options_default(void) {
    gr_knn_options o = {5, GR_KNN_REPEATS_AUTO};
    return o;
}

/* Squared distance to the k-th neighbour of q in t, excluding tree index `skip`
 * ((size_t)-1 for none); the tree must hold at least k other points. */
static double kd_kth(const kd_tree *t, const double *q, size_t skip, size_t k, double *buf) {
    kheap h = {buf, 0, k};
    kd_search(t, 0, q, skip, &h);
    return h.v[0];
}

static int check_input(const char *fn, const double *x, size_t n, const double *y, size_t m,
                       size_t d, size_t k, size_t min_m, gr_knn_result *res, gr_error *err) {
    if (!x || !y || !res) return GR_ERROR(err, GR_EINVAL, "%s: NULL argument", fn);
    if (d == 0) return GR_ERROR(err, GR_EINVAL, "%s: dimension d must be positive", fn);
    if (k == 0) return GR_ERROR(err, GR_EINVAL, "%s: k must be positive", fn);
    if (n <= k)
        return GR_ERROR(err, GR_EINVAL, "%s: first sample has n = %zu points, need n > k = %zu", fn,
                        n, k);
    if (m < min_m)
        return GR_ERROR(err, GR_EINVAL, "%s: second sample has m = %zu points, need m >= %zu", fn,
                        m, min_m);
    /* every buffer below holds at most 2 (n + m) d doubles or n + m indices */
    if (n > SIZE_MAX / 4 - m || (n + m) > SIZE_MAX / (4 * sizeof(double)) / d ||
        (n > 0 && m > SIZE_MAX / n))
        return GR_ERROR(err, GR_EINVAL,
                        "%s: samples of %zu and %zu points in dimension %zu are too large", fn, n,
                        m, d);
    size_t i = gr_first_nonfinite(x, n * d);
    if (i < n * d)
        return GR_ERROR(err, GR_EDOM, "%s: first sample, point %zu coordinate %zu is %g", fn, i / d,
                        i % d, x[i]);
    i = gr_first_nonfinite(y, m * d);
    if (i < m * d)
        return GR_ERROR(err, GR_EDOM, "%s: second sample, point %zu coordinate %zu is %g", fn,
                        i / d, i % d, y[i]);
    return GR_OK;
}

/* Everything one estimate needs, sized for samples of n <= n_max and m <= m_max rows in
 * dimension d <= d_max (N_max = n_max + m_max). The estimators write only here. */
struct gr_knn_workspace {
    size_t n_max, m_max, d_max;
    size_t *idx, *tmp;   /* N_max: sort indices and the merge sort's scratch */
    double *xd, *yd;     /* WEIGHTS: distinct rows, n_max x d_max and m_max x d_max */
    size_t *wx, *wy;     /* WEIGHTS: their multiplicities, n_max and m_max */
    double *xs, *ys;     /* scaled (GRID: jittered) working copies, n_max x d_max, m_max x d_max */
    size_t *ax, *ay;     /* atom id per row, n_max and m_max */
    size_t *cx, *cy;     /* N_max: occurrences of each atom in x and in y */
    double *vals;        /* 2 N_max: one pooled coordinate (grid detection) and sort scratch */
    double *step;        /* d_max: grid step of each coordinate */
    gsl_rng *rng;        /* jitter generator, re-seeded (GR_KNN_JITTER_SEED) at each use */
    double *xc, *yc;     /* packed unrepeated rows, n_max x d_max and m_max x d_max */
    double *zc;          /* JS: packed mixture sample, 2 min(n_max, m_max) x d_max */
    int *keep;           /* max(n_max, m_max) row flags */
    int *inzx, *inzy;    /* JS: row is in the mixture sample, n_max and m_max */
    size_t *px, *py;     /* packed index of each row in xc, yc: n_max and m_max */
    size_t *pzx, *pzy;   /* JS: packed index in zc, n_max and m_max */
    double *heap;        /* n_max: the bounded heap of the k smallest distances (k < n) */
    kd_store tx, ty, tz; /* trees of xc (n_max), yc (m_max), zc (2 min(n_max, m_max)) */
};

void gr_knn_workspace_free(gr_knn_workspace *w) {
    if (!w) return;
    free(w->idx);
    free(w->tmp);
    free(w->xd);
    free(w->yd);
    free(w->wx);
    free(w->wy);
    free(w->xs);
    free(w->ys);
    free(w->ax);
    free(w->ay);
    free(w->cx);
    free(w->cy);
    free(w->vals);
    free(w->step);
    gr_rng_free(w->rng);
    free(w->xc);
    free(w->yc);
    free(w->zc);
    free(w->keep);
    free(w->inzx);
    free(w->inzy);
    free(w->px);
    free(w->py);
    free(w->pzx);
    free(w->pzy);
    free(w->heap);
    kd_store_free(&w->tx);
    kd_store_free(&w->ty);
    kd_store_free(&w->tz);
    free(w);
}

static int ws_alloc(gr_knn_workspace **out, const char *fn, size_t n_max, size_t m_max,
                    size_t d_max, gr_error *err) {
    *out = NULL;
    if (n_max == 0 || m_max == 0 || d_max == 0)
        return GR_ERROR(err, GR_EINVAL,
                        "%s: sizes must be positive (got n_max = %zu, m_max = %zu, d_max = %zu)",
                        fn, n_max, m_max, d_max);
    /* the largest block is 2 d_max kd_cap(n) doubles (< 2 d_max (n/3 + 3)) per tree and
     * n_max d_max or 2 N_max doubles per array: check (N_max + 3) * d_max * 4 * 8 fits */
    size_t N = 0, bytes = 0;
    if (gr_size_add(n_max, m_max, &N) || gr_size_add(N, 3, &bytes) ||
        gr_size_mul(bytes, d_max, &bytes) || gr_size_mul(bytes, 4 * sizeof(double), &bytes))
        return GR_ERROR(err, GR_EINVAL,
                        "%s: a workspace for %zu + %zu points in dimension %zu is too large", fn,
                        n_max, m_max, d_max);
    gr_knn_workspace *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "%s: workspace record", fn);
    w->n_max = n_max;
    w->m_max = m_max;
    w->d_max = d_max;
    size_t s = n_max < m_max ? n_max : m_max, l = n_max > m_max ? n_max : m_max;
    size_t nd = n_max * d_max, md = m_max * d_max;
    w->idx = malloc(N * sizeof *w->idx);
    w->tmp = malloc(N * sizeof *w->tmp);
    w->xd = malloc(nd * sizeof *w->xd);
    w->yd = malloc(md * sizeof *w->yd);
    w->wx = malloc(n_max * sizeof *w->wx);
    w->wy = malloc(m_max * sizeof *w->wy);
    w->xs = malloc(nd * sizeof *w->xs);
    w->ys = malloc(md * sizeof *w->ys);
    w->ax = malloc(n_max * sizeof *w->ax);
    w->ay = malloc(m_max * sizeof *w->ay);
    w->cx = malloc(N * sizeof *w->cx);
    w->cy = malloc(N * sizeof *w->cy);
    w->vals = malloc(2 * N * sizeof *w->vals);
    w->step = malloc(d_max * sizeof *w->step);
    (void)gr_rng_alloc(&w->rng, GR_KNN_JITTER_SEED, GR_KNN_JITTER_STREAM, NULL); /* NULL: below */
    w->xc = malloc(nd * sizeof *w->xc);
    w->yc = malloc(md * sizeof *w->yc);
    w->zc = malloc(2 * s * d_max * sizeof *w->zc);
    w->keep = malloc(l * sizeof *w->keep);
    w->inzx = malloc(n_max * sizeof *w->inzx);
    w->inzy = malloc(m_max * sizeof *w->inzy);
    w->px = malloc(n_max * sizeof *w->px);
    w->py = malloc(m_max * sizeof *w->py);
    w->pzx = malloc(n_max * sizeof *w->pzx);
    w->pzy = malloc(m_max * sizeof *w->pzy);
    w->heap = malloc(n_max * sizeof *w->heap);
    int bad = kd_store_alloc(&w->tx, n_max, d_max);
    bad |= kd_store_alloc(&w->ty, m_max, d_max);
    bad |= kd_store_alloc(&w->tz, 2 * s, d_max);
    if (bad || !w->idx || !w->tmp || !w->xd || !w->yd || !w->wx || !w->wy || !w->xs || !w->ys ||
        !w->ax || !w->ay || !w->cx || !w->cy || !w->vals || !w->step || !w->rng || !w->xc ||
        !w->yc || !w->zc || !w->keep || !w->inzx || !w->inzy || !w->px || !w->py || !w->pzx ||
        !w->pzy || !w->heap) {
        gr_knn_workspace_free(w);
        return GR_ERROR(err, GR_ENOMEM, "%s: workspace for %zu + %zu points in dimension %zu", fn,
                        n_max, m_max, d_max);
    }
    *out = w;
    return GR_OK;
}

int gr_knn_workspace_alloc(gr_knn_workspace **out, size_t n_max, size_t m_max, size_t d_max,
                           gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_knn_workspace_alloc: NULL output");
    return ws_alloc(out, "gr_knn_workspace_alloc", n_max, m_max, d_max, err);
}

/* A call with a workspace: the samples must fit it (refused, never grown). */
static int check_fits(const char *fn, const gr_knn_workspace *w, size_t n, size_t m, size_t d,
                      gr_error *err) {
    if (n > w->n_max || m > w->m_max || d > w->d_max)
        return GR_ERROR(err, GR_EINVAL,
                        "%s: samples of n = %zu and m = %zu points in dimension d = %zu do not fit "
                        "the workspace (n_max = %zu, m_max = %zu, d_max = %zu)",
                        fn, n, m, d, w->n_max, w->m_max, w->d_max);
    return GR_OK;
}

/* One estimate's working state: scaled (for GRID: jittered) copies of both samples (for
 * WEIGHTS: of their distinct rows) and the classification of every row as an atom (id into
 * cx/cy) or unrepeated (NO_ATOM). Every array points into the workspace. */
typedef struct {
    size_t n, m, d, k; /* rows processed: the draws (distinct rows under WEIGHTS) */
    size_t nw, mw;     /* total multiplicity (the rows given); nw = n without WEIGHTS */
    size_t *wx, *wy;   /* WEIGHTS: multiplicity of each processed row; NULL otherwise (1) */
    size_t gx, gy;     /* gcd of wx (wy), 1 without weights: the outer averages use the
                          integer weights w / g, so uniform weights give the plain mean */
    double *xs, *ys;   /* n x d, m x d */
    size_t *ax, *ay;   /* atom id per row, NO_ATOM if the row has a density */
    size_t *cx, *cy;   /* per atom: occurrences (with multiplicity) in x and in y */
    size_t natoms;     /* atoms in cx/cy (repeated values, then atoms seen once) */
    size_t nrep;       /* repeated values in the pooled processed sample */
    size_t n_tied, m_tied;
    gr_knn_repeats repeats;
    gr_knn_ties ties;
    double scale; /* power of two the copies were multiplied by */
    double step_min, step_max;
} knn_prep;

/* multiplicity of processed row i of the first (second) sample */
static size_t wt(const size_t *w, size_t i) { return w ? w[i] : 1; }

static size_t gcd_size(size_t a, size_t b) {
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static int row_cmp(const double *a, const double *b, size_t d) {
    for (size_t j = 0; j < d; j++) {
        if (a[j] < b[j]) return -1;
        if (a[j] > b[j]) return 1;
    }
    return 0;
}

static const double *pooled_row(const double *x, size_t n, const double *y, size_t d, size_t i) {
    return i < n ? x + i * d : y + (i - n) * d;
}

/* Bottom-up merge sort of idx[0, N) by lexicographic order of the pooled rows. */
static void sort_rows(size_t *idx, size_t *tmp, size_t N, const double *x, size_t n,
                      const double *y, size_t d) {
    for (size_t w = 1; w < N; w *= 2) {
        for (size_t lo = 0; lo < N; lo += 2 * w) {
            size_t mid = lo + w < N ? lo + w : N, hi = lo + 2 * w < N ? lo + 2 * w : N;
            size_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                tmp[o++] =
                    row_cmp(pooled_row(x, n, y, d, idx[b]), pooled_row(x, n, y, d, idx[a]), d) < 0
                        ? idx[b++]
                        : idx[a++];
            while (a < mid)
                tmp[o++] = idx[a++];
            while (b < hi)
                tmp[o++] = idx[b++];
        }
        memcpy(idx, tmp, N * sizeof *idx);
        if (w > N / 2) break;
    }
}

/* Ascending sort of v[0, N) by a bottom-up merge sort (tmp: N scratch doubles). In place of
 * qsort, which in glibc mallocs a buffer for arrays above 1 KiB. Only the sorted values are
 * read, and they are unique whatever the algorithm (±0, which compare equal, give the same
 * differences below), so the grid test sees exactly what it saw with qsort. */
static void sort_doubles(double *v, double *tmp, size_t N) {
    for (size_t w = 1; w < N; w *= 2) {
        for (size_t lo = 0; lo < N; lo += 2 * w) {
            size_t mid = lo + w < N ? lo + w : N, hi = lo + 2 * w < N ? lo + 2 * w : N;
            size_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                tmp[o++] = v[b] < v[a] ? v[b++] : v[a++];
            while (a < mid)
                tmp[o++] = v[a++];
            while (b < hi)
                tmp[o++] = v[b++];
        }
        memcpy(v, tmp, N * sizeof *v);
        if (w > N / 2) break;
    }
}

/* Grid step of coordinate j of the pooled scaled sample (vals: 2 N scratch doubles): 0 when
 * the coordinate is constant, -1 when its values are not on a grid. */
static double grid_step(const knn_prep *p, size_t j, double *vals) {
    size_t N = p->n + p->m, d = p->d;
    for (size_t i = 0; i < p->n; i++)
        vals[i] = p->xs[i * d + j];
    for (size_t i = 0; i < p->m; i++)
        vals[p->n + i] = p->ys[i * d + j];
    sort_doubles(vals, vals + N, N);
    double gmin = INFINITY;
    for (size_t i = 1; i < N; i++)
        if (vals[i] > vals[i - 1] && vals[i] - vals[i - 1] < gmin) gmin = vals[i] - vals[i - 1];
    if (gmin == INFINITY) return 0.0;
    double steps = 0.0;
    for (size_t i = 1; i < N; i++) {
        if (!(vals[i] > vals[i - 1])) continue;
        double t = (vals[i] - vals[i - 1]) / gmin;
        if (fabs(t - nearbyint(t)) > GR_KNN_GRID_TOL) return -1.0;
        steps += nearbyint(t);
        if (steps > GR_KNN_GRID_MAX_STEPS) return -1.0;
    }
    /* the span over the whole number of steps: the step to full precision */
    return (vals[N - 1] - vals[0]) / steps;
}

/* Distinct rows of x (n x d) in order of first occurrence into out, their multiplicities
 * into w; returns their number. idx, tmp: n scratch indices. The merge sort is stable, so
 * the first index of each run of equal rows is the row's first occurrence. */
static size_t dedup_rows(const double *x, size_t n, size_t d, size_t *idx, size_t *tmp, double *out,
                         size_t *w) {
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_rows(idx, tmp, n, x, n, NULL, d);
    for (size_t i = 0; i < n; i++)
        tmp[i] = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && row_cmp(x + idx[a] * d, x + idx[b] * d, d) == 0)
            b++;
        tmp[idx[a]] = b - a;
        a = b;
    }
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (tmp[i]) {
            memcpy(out + c * d, x + i * d, d * sizeof *out);
            w[c++] = tmp[i];
        }
    return c;
}

/* Copy, scale, find repeated points and choose their treatment (see the opening comment),
 * in the arrays of w (the samples fit it). Under WEIGHTS each sample is first reduced to its
 * distinct rows; everything after works on those, with the multiplicities as counts. */
static int prep_build(knn_prep *p, gr_knn_workspace *w, const double *x, size_t n, const double *y,
                      size_t m, size_t d, size_t k, gr_knn_repeats rep, gr_error *err) {
    memset(p, 0, sizeof *p);
    p->nw = n;
    p->mw = m;
    p->gx = p->gy = 1;
    p->d = d;
    p->k = k;
    p->repeats = rep;
    size_t N = n + m;
    size_t *idx = w->idx, *tmp = w->tmp;
    if (rep == GR_KNN_REPEATS_WEIGHTS) {
        p->wx = w->wx;
        p->wy = w->wy;
        n = dedup_rows(x, n, d, idx, tmp, w->xd, p->wx);
        m = dedup_rows(y, m, d, idx, tmp, w->yd, p->wy);
        x = w->xd; /* from here on: the distinct rows, caller's values */
        y = w->yd;
        N = n + m;
        p->gx = p->wx[0];
        for (size_t i = 1; i < n; i++)
            p->gx = gcd_size(p->gx, p->wx[i]);
        p->gy = p->wy[0];
        for (size_t i = 1; i < m; i++)
            p->gy = gcd_size(p->gy, p->wy[i]);
    }
    p->n = n;
    p->m = m;
    p->xs = w->xs;
    p->ys = w->ys;
    p->ax = w->ax;
    p->ay = w->ay;
    p->cx = w->cx;
    p->cy = w->cy;
    memset(p->cx, 0, N * sizeof *p->cx);
    memset(p->cy, 0, N * sizeof *p->cy);
    /* scale by 2^-e so the largest magnitude is in [0.5, 1): exact, and squared distances
     * are at most 4 d, so they cannot overflow */
    double amax = 0.0;
    for (size_t i = 0; i < n * d; i++)
        amax = fmax(amax, fabs(x[i]));
    for (size_t i = 0; i < m * d; i++)
        amax = fmax(amax, fabs(y[i]));
    int e = 0;
    if (amax > 0.0) frexp(amax, &e);
    p->scale = ldexp(1.0, -e);
    for (size_t i = 0; i < n * d; i++)
        p->xs[i] = x[i] * p->scale;
    for (size_t i = 0; i < m * d; i++)
        p->ys[i] = y[i] * p->scale;

    /* repeated points: exact comparison of the caller's values (under WEIGHTS only values
     * found in both samples are left to repeat) */
    for (size_t i = 0; i < N; i++)
        idx[i] = i;
    sort_rows(idx, tmp, N, x, n, y, d);
    for (size_t i = 0; i < n; i++)
        p->ax[i] = NO_ATOM;
    for (size_t i = 0; i < m; i++)
        p->ay[i] = NO_ATOM;
    for (size_t a = 0; a < N;) {
        size_t b = a + 1;
        while (b < N &&
               row_cmp(pooled_row(x, n, y, d, idx[a]), pooled_row(x, n, y, d, idx[b]), d) == 0)
            b++;
        if (b - a >= 2) {
            size_t id = p->nrep++;
            for (size_t t = a; t < b; t++) {
                if (idx[t] < n) {
                    size_t c = wt(p->wx, idx[t]);
                    p->ax[idx[t]] = id;
                    p->cx[id] += c;
                    p->n_tied += c;
                } else {
                    size_t c = wt(p->wy, idx[t] - n);
                    p->ay[idx[t] - n] = id;
                    p->cy[id] += c;
                    p->m_tied += c;
                }
            }
        }
        a = b;
    }
    p->natoms = p->nrep;
    if (rep == GR_KNN_REPEATS_WEIGHTS) {
        /* rows repeated within their own sample only are tied too (they count in n_tied) */
        for (size_t i = 0; i < n; i++)
            if (p->ax[i] == NO_ATOM && p->wx[i] > 1) p->n_tied += p->wx[i];
        for (size_t i = 0; i < m; i++)
            if (p->ay[i] == NO_ATOM && p->wy[i] > 1) p->m_tied += p->wy[i];
        p->ties = n < p->nw || m < p->mw ? GR_KNN_TIES_WEIGHTS
                  : p->nrep > 0          ? GR_KNN_TIES_ATOMS
                                         : GR_KNN_TIES_NONE;
        return GR_OK;
    }
    if (p->nrep == 0) {
        p->ties = GR_KNN_TIES_NONE;
        return GR_OK;
    }
    if (rep == GR_KNN_REPEATS_ATOMS) {
        p->ties = GR_KNN_TIES_ATOMS;
        return GR_OK;
    }

    /* all coordinates on a grid? */
    double *step = w->step;
    int on_grid = 1;
    double smax = 0.0, smin = INFINITY;
    for (size_t j = 0; j < d && on_grid; j++) {
        step[j] = grid_step(p, j, w->vals);
        if (step[j] < 0.0) on_grid = 0;
        if (step[j] > 0.0) {
            smax = fmax(smax, step[j]);
            smin = fmin(smin, step[j]);
        }
    }
    if (!on_grid) {
        p->ties = GR_KNN_TIES_ATOMS;
        return GR_OK;
    }
    /* a constant coordinate carries no information: any cell width keeps JS and KL; the
     * largest step of the others keeps the cells' aspect moderate (1 if all constant) */
    if (smax == 0.0) smax = smin = 1.0;
    for (size_t j = 0; j < d; j++)
        if (step[j] == 0.0) step[j] = smax;
    /* the draws of a fresh gr_rng_alloc(&r, GR_KNN_JITTER_SEED, GR_KNN_JITTER_STREAM, err) */
    GR_TRY(gr_rng_seed(w->rng, GR_KNN_JITTER_SEED, GR_KNN_JITTER_STREAM, err));
    gsl_rng *r = w->rng;
    for (size_t i = 0; i < n * d; i++)
        p->xs[i] += step[i % d] * (gsl_rng_uniform(r) - 0.5);
    for (size_t i = 0; i < m * d; i++)
        p->ys[i] += step[i % d] * (gsl_rng_uniform(r) - 0.5);
    p->ties = GR_KNN_TIES_GRID;
    p->step_min = smin / p->scale;
    p->step_max = smax / p->scale;
    for (size_t i = 0; i < n; i++)
        p->ax[i] = NO_ATOM;
    for (size_t i = 0; i < m; i++)
        p->ay[i] = NO_ATOM;
    p->natoms = 0;
    return GR_OK;
}

/* Count the points of one sample that have a density (a[i] == NO_ATOM). */
static size_t count_free(const size_t *a, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += a[i] == NO_ATOM;
    return c;
}

/* Turn the unrepeated points of one sample into atoms seen once (see the opening comment). */
static void free_to_atoms(knn_prep *p, int second) {
    size_t *a = second ? p->ay : p->ax, cnt = second ? p->m : p->n;
    for (size_t i = 0; i < cnt; i++)
        if (a[i] == NO_ATOM) {
            a[i] = p->natoms;
            (second ? p->cy : p->cx)[p->natoms++] = wt(second ? p->wy : p->wx, i);
        }
}

/* Rows of src (cnt x d) whose flag keep[i] is set, packed into dst; pos[i] gets the packed
 * index or NO_ATOM. Returns the number packed. */
static size_t pack_rows(double *dst, const double *src, size_t cnt, size_t d, const int *keep,
                        size_t *pos) {
    size_t c = 0;
    for (size_t i = 0; i < cnt; i++) {
        if (keep[i]) {
            memcpy(dst + c * d, src + i * d, d * sizeof *dst);
            if (pos) pos[i] = c;
            c++;
        } else if (pos) {
            pos[i] = NO_ATOM;
        }
    }
    return c;
}

static void result_set(gr_knn_result *res, const knn_prep *p, double value, double raw,
                       size_t n_mix, double atom_bias) {
    memset(res, 0, sizeof *res);
    res->value = value;
    res->raw = raw;
    res->n = p->nw;
    res->m = p->mw;
    res->d = p->d;
    res->k = p->k;
    res->n_mix = n_mix;
    res->repeats = p->repeats;
    res->ties = p->ties;
    res->n_distinct = p->n;
    res->m_distinct = p->m;
    res->n_tied = p->n_tied;
    res->m_tied = p->m_tied;
    res->n_atoms = p->nrep;
    res->atom_bias = atom_bias;
    res->grid_min = p->step_min;
    res->grid_max = p->step_max;
}

static int zero_distance(gr_error *err, const char *fn, const char *which, size_t i) {
    return GR_ERROR(err, GR_EDOM,
                    "%s: point %zu of the %s sample is at distance 0 from a different point "
                    "after scaling: the coordinates span too many orders of magnitude for "
                    "squared distances in double precision",
                    fn, i, which);
}

/* Options of a call: NULL means the defaults; an unknown reading is refused. */
static int check_options(const char *fn, const gr_knn_options *opt, gr_knn_options *o,
                         gr_error *err) {
    *o = opt ? *opt : gr_knn_options_default();
    if (o->repeats != GR_KNN_REPEATS_AUTO && o->repeats != GR_KNN_REPEATS_ATOMS &&
        o->repeats != GR_KNN_REPEATS_WEIGHTS)
        return GR_ERROR(err, GR_EINVAL,
                        "%s: options.repeats = %d: expected GR_KNN_REPEATS_AUTO, _ATOMS or "
                        "_WEIGHTS",
                        fn, (int)o->repeats);
    return GR_OK;
}

/* Under WEIGHTS the size conditions hold for the distinct rows (the draws). */
static int check_distinct(const char *fn, const knn_prep *p, size_t min_m, gr_error *err) {
    if (p->n <= p->k)
        return GR_ERROR(err, GR_EINVAL,
                        "%s: first sample has %zu distinct points (of %zu rows, repeats read "
                        "as weights), need more than k = %zu",
                        fn, p->n, p->nw, p->k);
    if (p->m < min_m)
        return GR_ERROR(err, GR_EINVAL,
                        "%s: second sample has %zu distinct points (of %zu rows, repeats read "
                        "as weights), need at least %zu",
                        fn, p->m, p->mw, min_m);
    return GR_OK;
}

/* KL on validated input that fits w; allocates nothing. */
static int kl_run(gr_knn_workspace *w, const char *fn, const double *x, size_t n, const double *y,
                  size_t m, size_t d, const gr_knn_options *o, gr_knn_result *res, gr_error *err) {
    size_t k = o->k;
    knn_prep p;
    GR_TRY(prep_build(&p, w, x, n, y, m, d, k, o->repeats, err));
    GR_TRY(check_distinct(fn, &p, k, err));
    n = p.n; /* from here on: the processed rows (the distinct ones under WEIGHTS) */
    m = p.m;
    size_t nx = count_free(p.ax, n);
    if (nx > 0 && nx <= k) {
        free_to_atoms(&p, 0);
        nx = 0;
    }
    size_t ny = count_free(p.ay, m);
    double *xc = w->xc, *yc = w->yc, *buf = w->heap;
    int *keep = w->keep;
    size_t *posx = w->px;
    kd_tree tx, ty;
    memset(&tx, 0, sizeof tx);
    memset(&ty, 0, sizeof ty);
    for (size_t i = 0; i < n; i++)
        keep[i] = p.ax[i] == NO_ATOM;
    pack_rows(xc, p.xs, n, d, keep, posx);
    for (size_t i = 0; i < m; i++)
        keep[i] = p.ay[i] == NO_ATOM;
    pack_rows(yc, p.ys, m, d, keep, NULL);
    if (nx > 0 && ny == 0)
        return GR_ERROR(err, GR_EINF,
                        "%s: KL = +inf: the first sample has %zu unrepeated points (a part with "
                        "a density) while every point of the second sample repeats (a purely "
                        "atomic law)",
                        fn, nx);
    if (nx > 0 && ny < k)
        return GR_ERROR(err, GR_EDOM,
                        "%s: the second sample has only %zu unrepeated points, fewer than k = "
                        "%zu: its density part cannot be estimated",
                        fn, ny, k);
    if (nx > 0) {
        GR_TRY(kd_build(&tx, &w->tx, xc, nx, d, err));
        GR_TRY(kd_build(&ty, &w->ty, yc, ny, d, err));
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t a = p.ax[i];
        if (a != NO_ATOM) {
            if (p.cy[a] == 0)
                return GR_ERROR(err, GR_EINF,
                                "%s: KL = +inf: %s %zu of the first sample is an atom (%zu "
                                "occurrences there%s) that never occurs in the second sample",
                                fn, p.wx ? "distinct row" : "point", i, p.cx[a],
                                a >= p.nrep ? ", taken as an atom seen once" : "");
            sum += (double)(wt(p.wx, i) / p.gx) *
                   log(((double)p.cx[a] / (double)p.nw) / ((double)p.cy[a] / (double)p.mw));
            continue;
        }
        const double *q = xc + posx[i] * d;
        double r2 = kd_kth(&tx, q, posx[i], k, buf), v2 = kd_kth(&ty, q, (size_t)-1, k, buf);
        if (r2 == 0.0 || v2 == 0.0) return zero_distance(err, fn, "first", i);
        /* squared distances: ½ factor; normalisation by the full sample sizes (in draws);
         * the weight w_i / g multiplies exactly (an integer), 1 without weights */
        sum += (double)(wt(p.wx, i) / p.gx) *
               (0.5 * (double)d * (log(v2) - log(r2)) + log((double)m / (double)(n - 1)));
    }
    double kl = sum / (double)(p.nw / p.gx);
    if (!isfinite(kl)) return GR_ERROR(err, GR_EINTERNAL, "%s: non-finite estimate %g", fn, kl);
    result_set(res, &p, kl, kl, 0, 0.0);
    return GR_OK;
}

/* Sum over one sample (A, na processed rows, own atoms aa) of the log ratio log(dP_A/dM) at
 * each row, times the row's weight w_i / g (1 without weights): plug-in for atoms (masses
 * counted with multiplicity over the rows given), kNN against the packed density part of A
 * (tree ta, packed index pa[i]) and of the mixture sample (tree tz, packed index pz[i] or
 * NO_ATOM), normalised by the processed sizes. */
static int js_side(const char *fn, const knn_prep *p, int second, const kd_tree *ta,
                   const size_t *pa, const kd_tree *tz, size_t nz_free, const size_t *pz,
                   const int *inz, size_t nmix, const double *ac, double *buf, double *sum,
                   gr_error *err) {
    size_t na = second ? p->m : p->n, d = p->d, k = p->k;
    const size_t *aa = second ? p->ay : p->ax, *w = second ? p->wy : p->wx;
    size_t g = second ? p->gy : p->gx;
    double nself = (double)na;
    double mself = (double)(second ? p->mw : p->nw), mother = (double)(second ? p->nw : p->mw);
    for (size_t i = 0; i < na; i++) {
        size_t a = aa[i];
        double wi = (double)(wt(w, i) / g);
        if (a != NO_ATOM) {
            double cs = (double)(second ? p->cy[a] : p->cx[a]) / mself;
            double co = (double)(second ? p->cx[a] : p->cy[a]) / mother;
            *sum += wi * log(2.0 * cs / (cs + co));
            continue;
        }
        size_t avail = nz_free - (size_t)(inz[i] != 0);
        if (avail < k)
            return GR_ERROR(err, GR_EDOM,
                            "%s: the mixture sample has %zu unrepeated points other than point "
                            "%zu of the %s sample, fewer than k = %zu",
                            fn, avail, i, second ? "second" : "first", k);
        const double *q = ac + pa[i] * d;
        double r2 = kd_kth(ta, q, pa[i], k, buf);
        double v2 = kd_kth(tz, q, pz[i] == NO_ATOM ? (size_t)-1 : pz[i], k, buf);
        if (r2 == 0.0 || v2 == 0.0) return zero_distance(err, fn, second ? "second" : "first", i);
        *sum += wi * (0.5 * (double)d * (log(v2) - log(r2)) +
                      log(((double)nmix - (double)(inz[i] != 0)) / (nself - 1.0)));
    }
    return GR_OK;
}

/* JS on validated input that fits w; allocates nothing. */
static int js_run(gr_knn_workspace *w, const char *fn, const double *x, size_t n, const double *y,
                  size_t m, size_t d, const gr_knn_options *o, gr_knn_result *res, gr_error *err) {
    size_t k = o->k;
    knn_prep p;
    GR_TRY(prep_build(&p, w, x, n, y, m, d, k, o->repeats, err));
    GR_TRY(check_distinct(fn, &p, k + 1, err));
    n = p.n; /* from here on: the processed rows (the distinct ones under WEIGHTS) */
    m = p.m;
    size_t nx = count_free(p.ax, n), ny = count_free(p.ay, m);
    if (nx > 0 && nx <= k) {
        free_to_atoms(&p, 0);
        nx = 0;
    }
    if (ny > 0 && ny <= k) {
        free_to_atoms(&p, 1);
        ny = 0;
    }
    /* the mixture sample: all of the smaller sample, s evenly spaced rows of the larger */
    size_t s = n < m ? n : m, nmix = 2 * s;
    int *inzx = w->inzx, *inzy = w->inzy, *keep = w->keep;
    size_t *px = w->px, *py = w->py, *pzx = w->pzx, *pzy = w->pzy;
    double *xc = w->xc, *yc = w->yc, *zc = w->zc, *buf = w->heap;
    kd_tree tx, ty, tz;
    memset(&tx, 0, sizeof tx);
    memset(&ty, 0, sizeof ty);
    memset(&tz, 0, sizeof tz);
    for (size_t i = 0; i < n; i++)
        inzx[i] = n == s;
    for (size_t i = 0; i < m; i++)
        inzy[i] = m == s;
    if (n > s)
        for (size_t j = 0; j < s; j++)
            inzx[j * n / s] = 1;
    if (m > s)
        for (size_t j = 0; j < s; j++)
            inzy[j * m / s] = 1;
    for (size_t i = 0; i < n; i++)
        keep[i] = p.ax[i] == NO_ATOM;
    pack_rows(xc, p.xs, n, d, keep, px);
    for (size_t i = 0; i < n; i++)
        keep[i] = p.ax[i] == NO_ATOM && inzx[i];
    size_t nzx = pack_rows(zc, p.xs, n, d, keep, pzx);
    for (size_t i = 0; i < m; i++)
        keep[i] = p.ay[i] == NO_ATOM;
    pack_rows(yc, p.ys, m, d, keep, py);
    for (size_t i = 0; i < m; i++)
        keep[i] = p.ay[i] == NO_ATOM && inzy[i];
    size_t nzy = pack_rows(zc + nzx * d, p.ys, m, d, keep, pzy);
    for (size_t i = 0; i < m; i++)
        if (pzy[i] != NO_ATOM) pzy[i] += nzx;
    size_t nz = nzx + nzy;
    if (nx > 0) GR_TRY(kd_build(&tx, &w->tx, xc, nx, d, err));
    if (ny > 0) GR_TRY(kd_build(&ty, &w->ty, yc, ny, d, err));
    if (nz > 0) GR_TRY(kd_build(&tz, &w->tz, zc, nz, d, err));
    double sx = 0.0, sy = 0.0;
    GR_TRY(js_side(fn, &p, 0, &tx, px, &tz, nz, pzx, inzx, nmix, xc, buf, &sx, err));
    GR_TRY(js_side(fn, &p, 1, &ty, py, &tz, nz, pzy, inzy, nmix, yc, buf, &sy, err));
    double js = 0.5 * sx / (double)(p.nw / p.gx) + 0.5 * sy / (double)(p.mw / p.gy);
    if (!isfinite(js)) return GR_ERROR(err, GR_EINTERNAL, "%s: non-finite estimate %g", fn, js);
    double bias = (p.ties == GR_KNN_TIES_ATOMS || p.ties == GR_KNN_TIES_WEIGHTS) && p.natoms > 0
                      ? (double)(p.natoms - 1) / (4.0 * (double)s)
                      : 0.0;
    result_set(res, &p, js < 0.0 ? 0.0 : (js > M_LN2 ? M_LN2 : js), js, nmix, bias);
    return GR_OK;
}

/* The estimators' entry points. `run` is kl_run or js_run; the second sample needs at
 * least k (KL) or k + 1 (JS) points. With a workspace w it must fit the inputs; without
 * (w == NULL) one is allocated for the call and freed. */
typedef int (*knn_run_fn)(gr_knn_workspace *w, const char *fn, const double *x, size_t n,
                          const double *y, size_t m, size_t d, const gr_knn_options *o,
                          gr_knn_result *res, gr_error *err);

static int knn_entry(const char *fn, knn_run_fn run, size_t m_extra, gr_knn_workspace *w,
                     int one_shot, const double *x, size_t n, const double *y, size_t m, size_t d,
                     const gr_knn_options *opt, gr_knn_result *res, gr_error *err) {
    if (!one_shot && !w) return GR_ERROR(err, GR_EINVAL, "%s: NULL workspace", fn);
    gr_knn_options o;
    GR_TRY(check_options(fn, opt, &o, err));
    GR_TRY(check_input(fn, x, n, y, m, d, o.k, o.k + m_extra, res, err));
    if (!one_shot) {
        GR_TRY(check_fits(fn, w, n, m, d, err));
        return run(w, fn, x, n, y, m, d, &o, res, err);
    }
    GR_TRY(ws_alloc(&w, fn, n, m, d, err));
    int st = run(w, fn, x, n, y, m, d, &o, res, err);
    gr_knn_workspace_free(w);
    return st;
}

int gr_knn_kl_ws(gr_knn_workspace *w, const double *x, size_t n, const double *y, size_t m,
                 size_t d, const gr_knn_options *opt, gr_knn_result *res, gr_error *err) {
    return knn_entry("gr_knn_kl_ws", kl_run, 0, w, 0, x, n, y, m, d, opt, res, err);
}

int gr_knn_kl_opt(const double *x, size_t n, const double *y, size_t m, size_t d,
                  const gr_knn_options *opt, gr_knn_result *res, gr_error *err) {
    return knn_entry("gr_knn_kl", kl_run, 0, NULL, 1, x, n, y, m, d, opt, res, err);
}

int gr_knn_js_ws(gr_knn_workspace *w, const double *x, size_t n, const double *y, size_t m,
                 size_t d, const gr_knn_options *opt, gr_knn_result *res, gr_error *err) {
    return knn_entry("gr_knn_js_ws", js_run, 1, w, 0, x, n, y, m, d, opt, res, err);
}

int gr_knn_js_opt(const double *x, size_t n, const double *y, size_t m, size_t d,
                  const gr_knn_options *opt, gr_knn_result *res, gr_error *err) {
    return knn_entry("gr_knn_js", js_run, 1, NULL, 1, x, n, y, m, d, opt, res, err);
}

int gr_knn_kl(const double *x, size_t n, const double *y, size_t m, size_t d, size_t k,
              gr_knn_result *res, gr_error *err) {
    gr_knn_options o = {k, GR_KNN_REPEATS_AUTO};
    return gr_knn_kl_opt(x, n, y, m, d, &o, res, err);
}

int gr_knn_js(const double *x, size_t n, const double *y, size_t m, size_t d, size_t k,
              gr_knn_result *res, gr_error *err) {
    gr_knn_options o = {k, GR_KNN_REPEATS_AUTO};
    return gr_knn_js_opt(x, n, y, m, d, &o, res, err);
}
