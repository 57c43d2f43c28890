/* tests/distance/test_ot_pot.c — the values a caller of distance/ot.h and distance/oned.h receives,
 * on every solver path, against POT (tests/reference/make_ot_fixtures.py: ot.emd2 on SciPy cdist
 * costs, W2 = sqrt of the optimum on squared distances), to 1e-9 relative.
 *
 * Paths, each checked for W1 and W2, uniform and given weights, on cases with n != m,
 * duplicates and ties (integer grids, shared points), few points on one side (3 targets,
 * 5 sources), coordinates near 1e-6 and near 1e6, 1-D to 784-D:
 *  - gr_oned_wasserstein: the 1-D sort formula (own and temporary workspace);
 *  - gr_ot_solve with default settings: d = 1 and 3..15 on-the-fly pricing, d = 2 the
 *    Euclidean SIMD screen, d >= 16 the dense cost cache (result.cached_costs is checked,
 *    so a case cannot silently take another path);
 *  - d >= 16 with cache_bytes = 0, and with a budget one double short of n m (on the fly),
 *    and exactly n m doubles (cache); d < 16 with cache_min_dim = 1 (cache at low d);
 *  - gr_ot_wasserstein, the convenience wrapper;
 *  - GR_OT_COST_MATRIX and GR_OT_COST_CALLBACK: the fixture's own mixed-sign matrix
 *    (value = the optimal cost), and the points' distance matrices built here: a Euclidean
 *    matrix gives value = W1, a squared one value = W2^2 (a caller's matrix has no
 *    "squared" meaning: no root is taken).
 * Also the entropic solver (distance/sinkhorn.h): cost, objective and mean cost against POT's
 * log-domain Sinkhorn at the same epsilon.
 * Issue 8's reproduction is the d16 case: before the fix the cached path returned W2^2.
 */
#include <math.h>
#include <stdlib.h>

#include "distance/oned.h"
#include "distance/ot.h"
#include "distance/pot_fixture.h"
#include "distance/sinkhorn.h"
#include "test.h"

#define RTOL 1e-9

static gr_ot_workspace *ws;

/* Solve and check the value (and the path: want_cached 0/1, or -1 for either). */
static void check_solve(const gr_ot_problem *p, const gr_ot_settings *s, double want,
                        int want_cached, const char *name, const char *path) {
    gr_error err;
    gr_error_clear(&err);
    gr_ot_result r;
    int st = gr_ot_solve(ws, p, s, &r, &err);
    CHECK_OK(st, &err);
    CHECK_CLOSE(r.value, want, RTOL, 0);
    if (want_cached >= 0) CHECK(r.cached_costs == want_cached);
    /* the certificate is of the cost solved: for SQEUCLIDEAN the squared cost */
    double c = p->cost == GR_OT_COST_SQEUCLIDEAN ? want * want : want;
    CHECK_CLOSE(r.cost, c, RTOL, 0);
    CHECK_CLOSE(r.dual, c, RTOL, 0);
    if (st != GR_OK || !gr_test_close_(r.value, want, RTOL, 0) ||
        (want_cached >= 0 && r.cached_costs != want_cached))
        fprintf(stderr, "  case %s, path %s: value %.17g (cached %d), POT %.17g\n", name, path,
                r.value, r.cached_costs, want);
}

static double *costs(const double *x, size_t n, const double *y, size_t m, size_t d, int sq) {
    double *c = malloc(n * m * sizeof(double));
    if (!c) abort();
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double s = 0.0;
            for (size_t k = 0; k < d; k++) {
                double t = x[i * d + k] - y[j * d + k];
                s += t * t;
            }
            c[i * m + j] = sq ? s : sqrt(s);
        }
    return c;
}

typedef struct {
    const double *c;
    size_t m;
} table_ctx;

static double cb_table(size_t i, size_t j, void *ctx) {
    const table_ctx *t = ctx;
    return t->c[i * t->m + j];
}

/* value of the caller-matrix and callback problems on the cost table c (n x m) */
static void check_table(const double *c, const double *a, size_t n, const double *b, size_t m,
                        double want, const char *name) {
    gr_ot_problem p;
    memset(&p, 0, sizeof p);
    p.n = n;
    p.m = m;
    p.a = a;
    p.b = b;
    p.cost = GR_OT_COST_MATRIX;
    p.matrix = c;
    check_solve(&p, NULL, want, 0, name, "matrix");
    table_ctx t = {c, m};
    p.cost = GR_OT_COST_CALLBACK;
    p.matrix = NULL;
    p.fn = cb_table;
    p.ctx = &t;
    check_solve(&p, NULL, want, 0, name, "callback");
}

static void run_points_case(const pot_case *c) {
    gr_points X = {0}, Y = {0}, A = {0}, B = {0};
    int ok = pot_read(c, "x", c->n, c->d, &X) == 0 && pot_read(c, "y", c->m, c->d, &Y) == 0 &&
             pot_read(c, "a", c->n, 1, &A) == 0 && pot_read(c, "b", c->m, 1, &B) == 0;
    CHECK(ok);
    if (!ok) goto done;
    const size_t n = c->n, m = c->m, d = c->d;
    for (int weighted = 0; weighted <= 1; weighted++) {
        const double *a = weighted ? A.data : NULL, *b = weighted ? B.data : NULL;
        const double w1 = c->v[2 * weighted], w2 = c->v[2 * weighted + 1];
        gr_error err;
        for (int pw = 1; pw <= 2; pw++) {
            const double want = pw == 1 ? w1 : w2;
            gr_ot_problem p =
                gr_ot_problem_points(X.data, a, n, Y.data, b, m, d,
                                     pw == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
            gr_ot_settings s = gr_ot_settings_default();
            check_solve(&p, &s, want, d >= 16, c->name, "default settings");
            if (d >= 16) {
                s.cache_bytes = 0;
                check_solve(&p, &s, want, 0, c->name, "cache_bytes = 0");
                s.cache_bytes = n * m * sizeof(double) - 1;
                check_solve(&p, &s, want, 0, c->name, "budget one byte short");
                s.cache_bytes = n * m * sizeof(double);
                check_solve(&p, &s, want, 1, c->name, "budget exactly n m doubles");
            } else {
                s.cache_min_dim = 1;
                check_solve(&p, &s, want, 1, c->name, "cache forced at low d");
            }
            double v = NAN;
            CHECK_OK(gr_ot_wasserstein(X.data, a, n, Y.data, b, m, d, pw, NULL, &v, &err), &err);
            CHECK_CLOSE(v, want, RTOL, 0);
            if (d == 1) {
                gr_oned_workspace *ow = NULL;
                CHECK_OK(gr_oned_workspace_alloc(&ow, n, m, &err), &err);
                CHECK(ow != NULL);
                v = NAN;
                CHECK_OK(gr_oned_wasserstein(ow, X.data, a, n, Y.data, b, m, pw, 1e-9, &v, &err),
                         &err);
                CHECK_CLOSE(v, want, RTOL, 0);
                v = NAN;
                CHECK_OK(gr_oned_wasserstein(NULL, X.data, a, n, Y.data, b, m, pw, 1e-9, &v, &err),
                         &err);
                CHECK_CLOSE(v, want, RTOL, 0);
                gr_oned_workspace_free(ow);
            }
        }
        /* the caller's matrix: Euclidean -> value = W1; squared -> value = W2^2 */
        double *ce = costs(X.data, n, Y.data, m, d, 0), *cs = costs(X.data, n, Y.data, m, d, 1);
        check_table(ce, a, n, b, m, w1, c->name);
        check_table(cs, a, n, b, m, w2 * w2, c->name);
        free(ce);
        free(cs);
    }
done:
    gr_points_free(&X);
    gr_points_free(&Y);
    gr_points_free(&A);
    gr_points_free(&B);
}

static void run_matrix_case(const pot_case *c) {
    gr_points C = {0}, A = {0}, B = {0};
    int ok = pot_read(c, "c", c->n, c->m, &C) == 0 && pot_read(c, "a", c->n, 1, &A) == 0 &&
             pot_read(c, "b", c->m, 1, &B) == 0;
    CHECK(ok);
    if (ok) {
        check_table(C.data, NULL, c->n, NULL, c->m, c->v[0], c->name);
        check_table(C.data, A.data, c->n, B.data, c->m, c->v[1], c->name);
    }
    gr_points_free(&C);
    gr_points_free(&A);
    gr_points_free(&B);
}

static void test_pot_fixture(void) {
    pot_case cases[POT_MAX_CASES];
    size_t k = pot_cases_read(cases, POT_MAX_CASES);
    CHECK(k == 14);
    size_t nmax = 0, mmax = 0, paths = 0;
    for (size_t t = 0; t < k; t++) {
        nmax = cases[t].n > nmax ? cases[t].n : nmax;
        mmax = cases[t].m > mmax ? cases[t].m : mmax;
    }
    gr_error err;
    CHECK_OK(gr_ot_workspace_alloc(&ws, nmax ? nmax : 1, mmax ? mmax : 1, &err), &err);
    CHECK(ws != NULL);
    if (!ws) return;
    int has[5] = {0, 0, 0, 0, 0}; /* d = 1, 2, 3..15, >= 16, 784 */
    for (size_t t = 0; t < k; t++) {
        const pot_case *c = &cases[t];
        if (!strcmp(c->kind, "matrix")) {
            run_matrix_case(c);
            paths++;
            continue;
        }
        has[c->d == 1 ? 0 : c->d == 2 ? 1 : c->d < 16 ? 2 : 3] = 1;
        if (c->d == 784) has[4] = 1;
        run_points_case(c);
    }
    CHECK(has[0] && has[1] && has[2] && has[3] && has[4] && paths == 1); /* every path */
    gr_ot_workspace_free(ws);
    ws = NULL;
}

/* gr_sinkhorn_solve and gr_sinkhorn_mean_cost against POT's log-domain Sinkhorn (same
 * epsilon, converged far below the tolerance used here): the cost <P, C> and the objective
 * a caller receives, for p = 1 and 2, uniform and given weights (zeros included). */
static void test_sinkhorn_pot(void) {
    pot_case cases[POT_MAX_CASES];
    pot_sinkhorn rows[16];
    size_t k = pot_cases_read(cases, POT_MAX_CASES), ns = pot_sinkhorn_read(rows, 16);
    CHECK(ns == 5);
    for (size_t t = 0; t < ns; t++) {
        const pot_sinkhorn *r = &rows[t];
        const pot_case *c = pot_case_find(cases, k, r->name);
        CHECK(c != NULL);
        if (!c) continue;
        gr_points X = {0}, Y = {0}, A = {0}, B = {0};
        int ok = pot_read(c, "x", c->n, c->d, &X) == 0 && pot_read(c, "y", c->m, c->d, &Y) == 0 &&
                 pot_read(c, "a", c->n, 1, &A) == 0 && pot_read(c, "b", c->m, 1, &B) == 0;
        CHECK(ok);
        gr_error err;
        gr_sinkhorn_workspace *w = NULL;
        if (ok) CHECK_OK(gr_sinkhorn_workspace_alloc(&w, c->n, c->m, &err), &err);
        CHECK(w != NULL);
        if (ok && w) {
            double mean = NAN;
            CHECK_OK(gr_sinkhorn_mean_cost(X.data, c->n, Y.data, c->m, c->d, r->p, &mean, &err),
                     &err);
            CHECK_CLOSE(mean, r->mean, 1e-12, 0);
            gr_sinkhorn_settings s = gr_sinkhorn_settings_default();
            s.p = r->p;
            s.epsilon = r->epsilon;
            s.tol = 1e-13;
            s.max_iter = 1000000;
            gr_sinkhorn_result res;
            const double *a = r->weighted ? A.data : NULL, *b = r->weighted ? B.data : NULL;
            CHECK_OK(gr_sinkhorn_solve(w, X.data, a, c->n, Y.data, b, c->m, c->d, &s, &res, &err),
                     &err);
            CHECK_CLOSE(res.cost, r->cost, RTOL, 0);
            CHECK_CLOSE(res.objective, r->objective, RTOL, 0);
            CHECK_CLOSE(res.mean_cost, r->mean, 1e-12, 0);
            CHECK(res.epsilon == r->epsilon);
            if (!gr_test_close_(res.cost, r->cost, RTOL, 0))
                fprintf(stderr, "  sinkhorn %s p = %d: cost %.17g, POT %.17g\n", r->name, r->p,
                        res.cost, r->cost);
        }
        gr_sinkhorn_workspace_free(w);
        gr_points_free(&X);
        gr_points_free(&Y);
        gr_points_free(&A);
        gr_points_free(&B);
    }
}

/* A solve stopped by the iteration cap still reports `value` as the same function of its
 * plan's cost (ot.h): W2 = sqrt(cost) on the cached path too, W1 = cost, never W2^2. */
static void test_value_when_not_optimal(void) {
    pot_case cases[POT_MAX_CASES];
    size_t k = pot_cases_read(cases, POT_MAX_CASES);
    const pot_case *c = pot_case_find(cases, k, "d16");
    CHECK(c != NULL);
    if (!c) return;
    gr_points X = {0}, Y = {0};
    int ok = pot_read(c, "x", c->n, c->d, &X) == 0 && pot_read(c, "y", c->m, c->d, &Y) == 0;
    CHECK(ok);
    gr_error err;
    gr_ot_workspace *w = NULL;
    if (ok) CHECK_OK(gr_ot_workspace_alloc(&w, c->n, c->m, &err), &err);
    for (int pw = 1; pw <= 2 && w; pw++) {
        gr_ot_problem p =
            gr_ot_problem_points(X.data, NULL, c->n, Y.data, NULL, c->m, c->d,
                                 pw == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
        gr_ot_settings s = gr_ot_settings_default();
        s.max_iter = 5;
        gr_ot_result r;
        CHECK_STATUS(gr_ot_solve(w, &p, &s, &r, &err), GR_EMAXITER);
        CHECK(r.cached_costs == 1);
        CHECK(r.value == (pw == 1 ? r.cost : sqrt(r.cost)));
        CHECK(r.max_violation > 0); /* and the certificate says it is not optimal */
    }
    gr_ot_workspace_free(w);
    gr_points_free(&X);
    gr_points_free(&Y);
}

/* The status of every public function of distance/ot.h, oned.h and sinkhorn.h does not depend
 * on whether an error record is passed (issue 8, item 3): each error once with err = NULL. */
static double unit_cost(size_t i, size_t j, void *ctx) {
    (void)i, (void)j, (void)ctx;
    return 1.0;
}

static double qid(double u, void *ctx) {
    (void)ctx;
    return u;
}

static void test_status_without_err(void) {
    double x[4] = {0, 1, 2, 3}, y[4] = {0.5, 1.5, 2.5, NAN}, v = -1.0;
    gr_ot_workspace *w = (gr_ot_workspace *)(void *)x; /* a stale value: failure must clear it */
    CHECK_STATUS(gr_ot_workspace_alloc(&w, 0, 3, NULL), GR_EINVAL);
    CHECK(w == NULL);
    w = (gr_ot_workspace *)(void *)x;
    CHECK_STATUS(gr_ot_workspace_alloc(&w, (size_t)1 << 40, 3, NULL), GR_EINVAL);
    CHECK(w == NULL);
    CHECK_OK(gr_ot_workspace_alloc(&w, 4, 4, NULL), NULL);
    CHECK(w != NULL);
    gr_ot_problem p = gr_ot_problem_points(x, NULL, 0, y, NULL, 3, 1, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    CHECK_STATUS(gr_ot_solve(w, &p, NULL, &r, NULL), GR_EINVAL);
    p.n = 4;
    p.m = 4; /* y[3] is NaN */
    CHECK_STATUS(gr_ot_solve(w, &p, NULL, &r, NULL), GR_EDOM);
    p.m = 3;
    p.cost = GR_OT_COST_CALLBACK;
    p.fn = unit_cost;
    CHECK_OK(gr_ot_solve(w, &p, NULL, &r, NULL), (gr_error *)NULL);
    CHECK(r.value == 1.0);
    gr_ot_workspace_free(w);
    CHECK_STATUS(gr_ot_wasserstein(x, NULL, 4, y, NULL, 3, 1, 3, NULL, &v, NULL), GR_EINVAL);
    CHECK_STATUS(gr_ot_wasserstein(x, NULL, (size_t)1 << 40, y, NULL, 3, 1, 1, NULL, &v, NULL),
                 GR_EINVAL);
    CHECK_STATUS(gr_ot_wasserstein(x, NULL, 4, y, NULL, 4, 1, 1, NULL, &v, NULL), GR_EDOM);
    CHECK(v == -1.0); /* *value untouched on failure */
    CHECK_OK(gr_ot_wasserstein(x, NULL, 4, y, NULL, 3, 1, 1, NULL, &v, NULL), (gr_error *)NULL);
    gr_oned_workspace *ow = NULL;
    CHECK_OK(gr_oned_workspace_alloc(&ow, 2, 2, NULL), NULL);
    CHECK_STATUS(gr_oned_wasserstein(ow, x, NULL, 4, y, NULL, 3, 1, 1e-9, &v, NULL), GR_EINVAL);
    CHECK_STATUS(gr_oned_wasserstein(NULL, x, NULL, 4, y, NULL, 4, 2, 1e-9, &v, NULL), GR_EDOM);
    CHECK_STATUS(gr_oned_wasserstein(NULL, x, NULL, 4, y, NULL, 3, 5, 1e-9, &v, NULL), GR_EINVAL);
    gr_oned_workspace_free(ow);
    gr_oned_quad q;
    CHECK_STATUS(gr_oned_w1_quantile(qid, NULL, qid, NULL, 1e-9, 0, 0, &q, NULL), GR_EINVAL);
    CHECK_STATUS(gr_oned_w1_cdf(qid, NULL, NULL, NULL, 1e-9, 0, 10, &q, NULL), GR_EINVAL);
    gr_sinkhorn_workspace *sw = (gr_sinkhorn_workspace *)(void *)x; /* stale: must be cleared */
    CHECK_STATUS(gr_sinkhorn_workspace_alloc(&sw, 0, 2, NULL), GR_EINVAL);
    CHECK(sw == NULL);
    CHECK_OK(gr_sinkhorn_workspace_alloc(&sw, 4, 4, NULL), NULL);
    CHECK(sw != NULL);
    gr_sinkhorn_settings s = gr_sinkhorn_settings_default(); /* epsilon = 0: refused */
    gr_sinkhorn_result sr;
    CHECK_STATUS(gr_sinkhorn_solve(sw, x, NULL, 4, y, NULL, 3, 1, &s, &sr, NULL), GR_EINVAL);
    s.epsilon = 0.1;
    CHECK_STATUS(gr_sinkhorn_solve(sw, x, NULL, 4, y, NULL, 4, 1, &s, &sr, NULL), GR_EDOM);
    CHECK_STATUS(gr_sinkhorn_mean_cost(x, 4, y, 3, 1, 3, &v, NULL), GR_EINVAL);
    gr_sinkhorn_workspace_free(sw);
}

int main(void) {
    gr_core_init();
    RUN(test_value_when_not_optimal);
    RUN(test_status_without_err);
    RUN(test_pot_fixture);
    RUN(test_sinkhorn_pot);
    return TEST_MAIN_END();
}
