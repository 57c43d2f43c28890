/* tests/distance/test_ot.c — exact optimal transport (distance/ot.h) and 1-D W_p (distance/oned.h).
 *
 * Oracles: GLPK's simplex on the dense transport LP (independent code, glpk_oracle.h);
 * the 1-D sort formula (CLAIMS O5) against the network simplex and GLPK; closed forms:
 * the box-moving example (Monge's cost 5, not the 9 of the naive matching), WGAN Example 1
 * (C19: W1 = |theta| between parallel lines with a shared y-grid), W2 between 1-D
 * Gaussians (O2: (m1 - m2)^2 + (s1 - s2)^2), W1 between 1-D Gaussians (O6 values).
 * The certificate (u_i + v_j <= c_ij for every pair, plan marginals, primal = dual, O12)
 * is re-verified here independently of the solver's own check.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "distance/glpk_oracle.h"
#include "distance/oned.h"
#include "distance/ot.h"
#include "test.h"

static double *dmalloc(size_t k) {
    double *p = malloc((k ? k : 1) * sizeof(double));
    if (!p) abort();
    return p;
}

static double dist_p(const double *p, const double *q, size_t d, int pw) {
    double s = 0.0;
    for (size_t k = 0; k < d; k++)
        s += (p[k] - q[k]) * (p[k] - q[k]);
    return pw == 1 ? sqrt(s) : s;
}

static double *cost_matrix(const double *x, size_t n, const double *y, size_t m, size_t d, int pw) {
    double *c = dmalloc(n * m);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            c[i * m + j] = dist_p(x + i * d, y + j * d, d, pw);
    return c;
}

/* Independent re-check of a result: plan >= 0 with the right marginals, primal = sum of
 * the plan's costs = dual = sum a u + sum b v, and u_i + v_j <= c_ij + tol for all pairs. */
static void check_certificate(const gr_ot_result *r, const double *c, const double *a, size_t n,
                              const double *b, size_t m, double tol) {
    CHECK(r->status == GR_OK);
    CHECK(r->plan_nnz <= n + m - 1);
    double *rs = calloc(n, sizeof(double)), *cs = calloc(m, sizeof(double));
    double primal = 0.0, mass = 0.0, cmax = 0.0;
    int nonneg = 1;
    for (size_t k = 0; k < r->plan_nnz; k++) {
        const gr_ot_entry *e = &r->plan[k];
        if (!(e->mass >= 0) || e->i >= n || e->j >= m) {
            nonneg = 0;
            continue;
        }
        rs[e->i] += e->mass;
        cs[e->j] += e->mass;
        primal += e->mass * c[e->i * m + e->j];
    }
    CHECK(nonneg);
    double maxres = 0.0, dual = 0.0, viol = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double ai = a ? a[i] : 1.0 / (double)n;
        mass += ai;
        maxres = fmax(maxres, fabs(rs[i] - ai));
        dual += ai * r->u[i];
    }
    double sb = 0.0;
    for (size_t j = 0; j < m; j++)
        sb += b ? b[j] : 1.0 / (double)m;
    for (size_t j = 0; j < m; j++) {
        double bj = (b ? b[j] : 1.0 / (double)m) * mass / sb;
        maxres = fmax(maxres, fabs(cs[j] - bj));
        dual += bj * r->v[j];
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            viol = fmax(viol, r->u[i] + r->v[j] - c[i * m + j]);
            cmax = fmax(cmax, fabs(c[i * m + j]));
        }
    double scale = (cmax > 0 ? cmax : 1.0) * mass;
    CHECK(maxres <= tol * mass);
    CHECK(viol <= tol * (cmax > 0 ? cmax : 1.0));
    CHECK_CLOSE(primal, r->cost, 0, tol * scale);
    CHECK_CLOSE(dual, r->cost, 0, tol * scale); /* O12: primal = dual */
    CHECK_CLOSE(r->dual, dual, 0, tol * scale);
    CHECK(r->marginal_residual <= 1e-10);
    CHECK(r->max_violation <= 1e-12 * (cmax > 0 ? cmax : 1.0) * 1.0000001);
    CHECK(fabs(r->duality_gap) <= 1e-10 * scale);
    CHECK(r->iterations > 0 || r->warm_start || n * m == 1 || r->cost == 0);
    free(rs);
    free(cs);
}

/* Box moving (Villani / WGAN paper's motivating example): unit masses at {0, 0, 4} moved
 * to {1, 3, 3}: moving 0->1, 0->3, 4->3 costs 1 + 3 + 1 = 5 (the pairing 0->3, 0->3,
 * 4->1 would cost 9). As probability measures W1 = 5/3. */
static void test_box_moving(void) {
    const double p[3] = {0, 0, 4}, q[3] = {1, 3, 3}, ones[3] = {1, 1, 1};
    gr_error err;
    double v;
    CHECK_OK(gr_oned_wasserstein(NULL, p, ones, 3, q, ones, 3, 1, 1e-12, &v, &err), &err);
    CHECK_CLOSE(v, 5.0, 1e-15, 0);
    CHECK_OK(gr_oned_wasserstein(NULL, p, NULL, 3, q, NULL, 3, 1, 1e-12, &v, &err), &err);
    CHECK_CLOSE(v, 5.0 / 3.0, 1e-15, 0);
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, 3, 3, &err), &err);
    gr_ot_problem pr = gr_ot_problem_points(p, ones, 3, q, ones, 3, 1, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    CHECK_OK(gr_ot_solve(w, &pr, NULL, &r, &err), &err);
    CHECK_CLOSE(r.value, 5.0, 1e-15, 0);
    double c[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            c[i * 3 + j] = fabs(p[i] - q[j]);
    check_certificate(&r, c, ones, 3, ones, 3, 1e-12);
    CHECK_CLOSE(glpk_transport(c, ones, 3, ones, 3), 5.0, 1e-12, 0);
    pr.a = pr.b = NULL;
    CHECK_OK(gr_ot_solve(w, &pr, NULL, &r, &err), &err);
    CHECK_CLOSE(r.value, 5.0 / 3.0, 1e-15, 0);
    /* the same boxes embedded in 2-D at an arbitrary height */
    const double p2[6] = {0, 2.385, 0, 2.385, 4, 2.385}, q2[6] = {1, 2.385, 3, 2.385, 3, 2.385};
    pr = gr_ot_problem_points(p2, ones, 3, q2, ones, 3, 2, GR_OT_COST_EUCLIDEAN);
    CHECK_OK(gr_ot_solve(w, &pr, NULL, &r, &err), &err);
    CHECK_CLOSE(r.value, 5.0, 1e-15, 0);
    gr_ot_workspace_free(w);
}

typedef enum { GEN_GAUSS, GEN_GRID, GEN_DUP } gen_kind;

/* Points: Gaussian; on a coarse integer grid (many equal costs: ties); or with
 * duplicates (every third point repeats an earlier one, also across the two sets). */
static void gen_points(gsl_rng *rng, double *x, size_t n, size_t d, gen_kind g,
                       const double *other) {
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < d; k++) {
            double v =
                g == GEN_GRID ? (double)gsl_rng_uniform_int(rng, 3) : gsl_ran_gaussian(rng, 1.0);
            x[i * d + k] = v;
        }
    if (g == GEN_DUP)
        for (size_t i = 2; i < n; i += 3) {
            size_t src = gsl_rng_uniform_int(rng, i);
            const double *from = (other && i % 2) ? other + (src % 5) * d : x + src * d;
            for (size_t k = 0; k < d; k++)
                x[i * d + k] = from[k];
        }
}

static void gen_weights(gsl_rng *rng, double *a, size_t n, int zeros) {
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        a[i] = 0.1 + gsl_rng_uniform(rng);
        if (zeros && i % 7 == 3) a[i] = 0.0;
        s += a[i];
    }
    for (size_t i = 0; i < n; i++)
        a[i] /= s;
}

/* Simplex = GLPK (and = the 1-D sort formula when d = 1) on random instances. */
static void test_vs_glpk(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 2385, GR_STREAM_TEST, NULL), NULL);
    const size_t dims[4] = {1, 2, 10, 784};
    const size_t sizes[3][2] = {{30, 30}, {41, 57}, {63, 35}};
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, 80, 80, &err), &err);
    gr_oned_workspace *ow = NULL;
    CHECK_OK(gr_oned_workspace_alloc(&ow, 80, 80, &err), &err);
    gr_ot_settings s = gr_ot_settings_default();
    s.check_tree = 1;
    int count = 0;
    for (int di = 0; di < 4; di++)
        for (int si = 0; si < 3; si++)
            for (int g = 0; g < 3; g++)
                for (int wk = 0; wk < 3; wk++)
                    for (int pw = 1; pw <= 2; pw++) {
                        size_t d = dims[di], n = sizes[si][0], m = sizes[si][1];
                        if (d == 784 && (wk == 1 || g == 1)) continue; /* keep it fast */
                        double *x = dmalloc(n * d), *y = dmalloc(m * d), *a = dmalloc(n),
                               *b = dmalloc(m);
                        gen_points(rng, y, m, d, (gen_kind)g, NULL);
                        gen_points(rng, x, n, d, (gen_kind)g, y);
                        gen_weights(rng, a, n, wk == 2);
                        gen_weights(rng, b, m, wk == 2);
                        const double *A = wk ? a : NULL, *B = wk ? b : NULL;
                        double *c = cost_matrix(x, n, y, m, d, pw);
                        double *ua = dmalloc(n), *ub = dmalloc(m);
                        for (size_t i = 0; i < n; i++)
                            ua[i] = A ? A[i] : 1.0 / (double)n;
                        for (size_t j = 0; j < m; j++)
                            ub[j] = B ? B[j] : 1.0 / (double)m;
                        double ref = glpk_transport(c, ua, n, ub, m);
                        gr_ot_problem pr = gr_ot_problem_points(x, A, n, y, B, m, d,
                                                                pw == 1 ? GR_OT_COST_EUCLIDEAN
                                                                        : GR_OT_COST_SQEUCLIDEAN);
                        gr_ot_result r;
                        CHECK_OK(gr_ot_solve(w, &pr, &s, &r, &err), &err);
                        CHECK_CLOSE(r.cost, ref, 1e-9, 1e-13);
                        check_certificate(&r, c, A, n, B, m, 1e-11);
                        /* d >= 16 uses the dense cache by default: compare with on-the-fly */
                        if (d >= 16) {
                            gr_ot_settings s2 = s;
                            s2.cache_bytes = 0;
                            gr_ot_result r2;
                            CHECK(r.cached_costs == 1);
                            CHECK_OK(gr_ot_solve(w, &pr, &s2, &r2, &err), &err);
                            CHECK(r2.cached_costs == 0);
                            CHECK_CLOSE(r2.cost, r.cost, 1e-12, 0);
                        }
                        if (d == 1) {
                            double v1;
                            CHECK_OK(gr_oned_wasserstein(ow, x, A, n, y, B, m, pw, 1e-9, &v1, &err),
                                     &err);
                            CHECK_CLOSE(v1, r.value, 1e-11, 1e-14);
                        }
                        free(x), free(y), free(a), free(b), free(c), free(ua), free(ub);
                        count++;
                    }
    CHECK(count == 4 * 3 * 3 * 3 * 2 - 3 * 5 * 2);
    gr_ot_workspace_free(w);
    gr_oned_workspace_free(ow);
    gr_rng_free(rng);
}

/* Matrix and callback costs, including negative costs, against GLPK. */
static double cb_cost(size_t i, size_t j, void *ctx) {
    const double *c = ctx;
    return c[i * 23 + j];
}

static void test_matrix_callback(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 77, GR_STREAM_TEST, NULL), NULL);
    size_t n = 17, m = 23;
    double *c = dmalloc(n * m), a[17], b[23];
    for (size_t k = 0; k < n * m; k++)
        c[k] = gsl_ran_gaussian(rng, 2.0) - 1.0; /* signs mixed */
    gen_weights(rng, a, n, 0);
    gen_weights(rng, b, m, 1);
    double ref = glpk_transport(c, a, n, b, m);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, m, &err), &err);
    gr_ot_problem pr = {0};
    pr.n = n;
    pr.m = m;
    pr.a = a;
    pr.b = b;
    pr.cost = GR_OT_COST_MATRIX;
    pr.matrix = c;
    gr_ot_settings s = gr_ot_settings_default();
    s.check_tree = 1;
    gr_ot_result r;
    CHECK_OK(gr_ot_solve(w, &pr, &s, &r, &err), &err);
    CHECK_CLOSE(r.value, ref, 1e-10, 1e-13);
    check_certificate(&r, c, a, n, b, m, 1e-11);
    pr.cost = GR_OT_COST_CALLBACK;
    pr.matrix = NULL;
    pr.fn = cb_cost;
    pr.ctx = c;
    CHECK_OK(gr_ot_solve(w, &pr, &s, &r, &err), &err);
    CHECK_CLOSE(r.value, ref, 1e-10, 1e-13);
    free(c);
    gr_ot_workspace_free(w);
    gr_rng_free(rng);
}

static double w_of(gr_ot_workspace *w, const double *x, size_t n, const double *y, size_t m,
                   size_t d, int pw) {
    gr_error err;
    gr_ot_problem pr = gr_ot_problem_points(
        x, NULL, n, y, NULL, m, d, pw == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
    gr_ot_result r;
    int st = gr_ot_solve(w, &pr, NULL, &r, &err);
    CHECK_OK(st, &err);
    return st ? NAN : r.value;
}

/* Metric properties and equivariances. */
static void test_invariants(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 4242, GR_STREAM_TEST, NULL), NULL);
    size_t n = 60, m = 45, l = 52, d = 3;
    double *x = dmalloc(n * d), *y = dmalloc(m * d), *z = dmalloc(l * d), *t1 = dmalloc(n * d),
           *t2 = dmalloc(m * d);
    gen_points(rng, x, n, d, GEN_GAUSS, NULL);
    gen_points(rng, y, m, d, GEN_GAUSS, NULL);
    gen_points(rng, z, l, d, GEN_GAUSS, NULL);
    for (size_t k = 0; k < m * d; k++)
        y[k] += 0.7;
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, 64, 64, &err), &err);
    for (int pw = 1; pw <= 2; pw++) {
        double wxy = w_of(w, x, n, y, m, d, pw), wyx = w_of(w, y, m, x, n, d, pw);
        CHECK_CLOSE(wxy, wyx, 1e-13, 0);
        CHECK(w_of(w, x, n, x, n, d, pw) <= 1e-13); /* W(X, X) = 0 */
        CHECK(wxy > 0.5);
        const double shift[3] = {3.1, -2.2, 0.37}, sc = 2.385;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < d; k++)
                t1[i * d + k] = x[i * d + k] + shift[k];
        for (size_t j = 0; j < m; j++)
            for (size_t k = 0; k < d; k++)
                t2[j * d + k] = y[j * d + k] + shift[k];
        CHECK_CLOSE(w_of(w, t1, n, t2, m, d, pw), wxy, 1e-12, 0); /* translation */
        for (size_t k = 0; k < n * d; k++)
            t1[k] = sc * x[k];
        for (size_t k = 0; k < m * d; k++)
            t2[k] = sc * y[k];
        CHECK_CLOSE(w_of(w, t1, n, t2, m, d, pw), sc * wxy, 1e-12, 0); /* W(aX, aY) = a W */
        double wxz = w_of(w, x, n, z, l, d, pw), wyz = w_of(w, y, m, z, l, d, pw);
        CHECK(wxz <= wxy + wyz + 1e-13); /* triangle inequality (W1 and W2 are metrics) */
        CHECK(wxy <= wxz + wyz + 1e-13);
    }
    /* a single source point: W1 = mean distance to the targets */
    double mean = 0.0;
    for (size_t j = 0; j < m; j++)
        mean += dist_p(x, y + j * d, d, 1) / (double)m;
    CHECK_CLOSE(w_of(w, x, 1, y, m, d, 1), mean, 1e-13, 0);
    CHECK_CLOSE(w_of(w, x, 1, x, 1, d, 1), 0.0, 0, 0);
    /* determinism: identical inputs give identical bits */
    double v1 = w_of(w, x, n, y, m, d, 1), v2 = w_of(w, x, n, y, m, d, 1);
    CHECK(v1 == v2);
    free(x), free(y), free(z), free(t1), free(t2);
    gr_ot_workspace_free(w);
    gr_rng_free(rng);
}

/* C19 (WGAN Example 1): P0 = law of (0, Z), P_theta = law of (theta, Z); with the shared
 * grid y_i = (i + 1/2)/n on both lines, LP-W1 = |theta| to 1e-12 (CLAIMS C19 pass line). */
static void test_parallel_lines(void) {
    size_t n = 1000;
    double *x = dmalloc(2 * n), *y = dmalloc(2 * n);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, n, &err), &err);
    const double thetas[5] = {1.0, -0.37, 0.01, 0.5, 0.0};
    for (int t = 0; t < 5; t++) {
        for (size_t i = 0; i < n; i++) {
            double yi = ((double)i + 0.5) / (double)n;
            x[2 * i] = 0.0;
            x[2 * i + 1] = yi;
            y[2 * i] = thetas[t];
            y[2 * i + 1] = yi;
        }
        gr_ot_problem pr = gr_ot_problem_points(x, NULL, n, y, NULL, n, 2, GR_OT_COST_EUCLIDEAN);
        gr_ot_result r;
        CHECK_OK(gr_ot_solve(w, &pr, NULL, &r, &err), &err);
        CHECK_CLOSE(r.value, fabs(thetas[t]), 0, 1e-12);
        CHECK(r.marginal_residual <= 1e-12);
    }
    free(x), free(y);
    gr_ot_workspace_free(w);
}

/* O2: W2(N(m1, s1^2), N(m2, s2^2))^2 = (m1 - m2)^2 + (s1 - s2)^2 = 1 + 1 here. Empirical
 * W2 of two samples of n = 20000 is within sampling error: the bound 0.05 is ~10 standard
 * deviations of the estimator at this n (measured spread over seeds: ~0.005). Also the
 * simplex and the sort formula agree on 1-D data of a few hundred points. */
static void test_w2_gaussian_1d(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 31337, GR_STREAM_TEST, NULL), NULL);
    size_t n = 20000;
    double *x = dmalloc(n), *y = dmalloc(n);
    for (size_t i = 0; i < n; i++) {
        x[i] = gsl_ran_gaussian(rng, 1.0);
        y[i] = 1.0 + gsl_ran_gaussian(rng, 2.0);
    }
    gr_error err;
    double v;
    CHECK_OK(gr_oned_wasserstein(NULL, x, NULL, n, y, NULL, n, 2, 1e-9, &v, &err), &err);
    CHECK_CLOSE(v, sqrt(2.0), 0, 0.05);
    size_t k = 300, l = 217;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, k, l, &err), &err);
    for (int pw = 1; pw <= 2; pw++) {
        CHECK_OK(gr_oned_wasserstein(NULL, x, NULL, k, y, NULL, l, pw, 1e-9, &v, &err), &err);
        CHECK_CLOSE(w_of(w, x, k, y, l, 1, pw), v, 1e-12, 0);
    }
    gr_ot_workspace_free(w);
    free(x), free(y);
    gr_rng_free(rng);
}

/* Workspace reuse: a big solve, a small one, the big one again: same bits. */
static void test_workspace_reuse(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 99, GR_STREAM_TEST, NULL), NULL);
    size_t n = 70, d = 20;
    double *x = dmalloc(n * d), *y = dmalloc(n * d);
    gen_points(rng, x, n, d, GEN_GAUSS, NULL);
    gen_points(rng, y, n, d, GEN_GAUSS, NULL);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, n, &err), &err);
    double v1 = w_of(w, x, n, y, n, d, 1);
    double v2 = w_of(w, x, 5, y, 9, d, 2);
    double v3 = w_of(w, x, n, y, n, d, 1);
    CHECK(v1 == v3);
    gr_ot_workspace *w2 = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w2, 5, 9, &err), &err);
    CHECK(w_of(w2, x, 5, y, 9, d, 2) == v2);
    gr_ot_workspace_free(w);
    gr_ot_workspace_free(w2);
    free(x), free(y);
    gr_rng_free(rng);
}

/* Every error path of gr_ot_solve and gr_oned_wasserstein. */
static double nan_cb(size_t i, size_t j, void *ctx) {
    (void)ctx;
    return (i == 2 && j == 1) ? NAN : 1.0;
}

static void test_errors(void) {
    gr_error err;
    double x[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y[8] = {1, 1, 2, 2, 3, 3, 4, 4};
    double a[4] = {0.25, 0.25, 0.25, 0.25}, b[4] = {0.25, 0.25, 0.25, 0.25};
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, 4, 4, &err), &err);
    gr_ot_workspace *bad = w; /* stale: failure must clear it */
    CHECK(gr_ot_workspace_alloc(&bad, 0, 4, &err) == GR_EINVAL && err.status == GR_EINVAL);
    CHECK(bad == NULL);
    gr_ot_workspace_free(NULL);
    gr_ot_result r;
    gr_ot_problem pr = gr_ot_problem_points(x, a, 4, y, b, 4, 2, GR_OT_COST_EUCLIDEAN);
    CHECK_OK(gr_ot_solve(w, &pr, NULL, &r, &err), &err);

    pr.n = 0;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "empty");
    pr.n = 4;
    pr.m = 5;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EINVAL); /* exceeds workspace */
    pr.m = 4;
    x[3] = NAN;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "x[3]");
    x[3] = INFINITY;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EDOM);
    x[3] = 3;
    a[1] = -0.25;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "negative");
    CHECK(r.status == GR_EDOM);
    a[1] = 0.25;
    b[2] = 0.5; /* masses 1 vs 1.25 */
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EINFEAS);
    CHECK_STR_CONTAINS(err.msg, "masses differ");
    b[2] = 0.25 * (1 + 1e-12); /* within tol_mass: accepted, b rescaled */
    CHECK_OK(gr_ot_solve(w, &pr, NULL, &r, &err), &err);
    b[2] = 0.25;
    double zero[4] = {0, 0, 0, 0};
    pr.a = zero;
    pr.b = zero;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EDOM);
    pr.a = a;
    pr.b = b;
    gr_ot_settings s = gr_ot_settings_default();
    s.tol_rc = -1;
    CHECK_STATUS(gr_ot_solve(w, &pr, &s, &r, &err), GR_EINVAL);
    pr.d = 0;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EINVAL);
    pr.d = 2;
    pr.cost = GR_OT_COST_CALLBACK;
    pr.fn = nan_cb;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EDOM);
    pr.fn = NULL;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EINVAL);
    pr.cost = GR_OT_COST_MATRIX;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EINVAL);
    CHECK_STATUS(gr_ot_solve(NULL, &pr, NULL, &r, &err), GR_EINVAL);
    gr_ot_workspace_free(w);

    /* iteration cap: a status, not a silent number */
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 5, GR_STREAM_TEST, &err), &err);
    size_t n = 40;
    double *px = dmalloc(2 * n), *py = dmalloc(2 * n);
    gen_points(rng, px, n, 2, GEN_GAUSS, NULL);
    gen_points(rng, py, n, 2, GEN_GAUSS, NULL);
    CHECK_OK(gr_ot_workspace_alloc(&w, n, n, &err), &err);
    s = gr_ot_settings_default();
    s.max_iter = 5;
    pr = gr_ot_problem_points(px, NULL, n, py, NULL, n, 2, GR_OT_COST_EUCLIDEAN);
    CHECK_STATUS(gr_ot_solve(w, &pr, &s, &r, &err), GR_EMAXITER);
    CHECK(r.status == GR_EMAXITER && r.iterations == 5);
    CHECK(r.max_violation > 0); /* the certificate shows it is not optimal */
    CHECK_STR_CONTAINS(err.msg, "iteration cap");
    double v;
    CHECK_STATUS(gr_ot_wasserstein(px, NULL, n, py, NULL, n, 2, 3, NULL, &v, &err), GR_EINVAL);
    CHECK_OK(gr_ot_wasserstein(px, NULL, n, py, NULL, n, 2, 1, NULL, &v, &err), &err);
    CHECK_CLOSE(v, w_of(w, px, n, py, n, 2, 1), 1e-15, 0);
    gr_ot_workspace_free(w);
    free(px), free(py);
    gr_rng_free(rng);

    /* 1-D */
    double q[3] = {0, 1, 2}, wq[3] = {1, 1, 1};
    CHECK_STATUS(gr_oned_wasserstein(NULL, q, NULL, 0, q, NULL, 3, 1, 1e-9, &v, &err), GR_EINVAL);
    CHECK_STATUS(gr_oned_wasserstein(NULL, q, NULL, 3, q, NULL, 3, 3, 1e-9, &v, &err), GR_EINVAL);
    q[1] = NAN;
    CHECK_STATUS(gr_oned_wasserstein(NULL, q, NULL, 3, y, NULL, 3, 1, 1e-9, &v, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "x[1]");
    q[1] = 1;
    wq[2] = -1;
    CHECK_STATUS(gr_oned_wasserstein(NULL, q, wq, 3, y, NULL, 3, 1, 1e-9, &v, &err), GR_EDOM);
    wq[2] = 1; /* mass 3 vs 1 */
    CHECK_STATUS(gr_oned_wasserstein(NULL, q, wq, 3, y, NULL, 3, 1, 1e-9, &v, &err), GR_EINFEAS);
    gr_oned_workspace *ow = NULL;
    CHECK_OK(gr_oned_workspace_alloc(&ow, 2, 2, &err), &err);
    CHECK_STATUS(gr_oned_wasserstein(ow, q, NULL, 3, y, NULL, 3, 1, 1e-9, &v, &err), GR_EINVAL);
    gr_oned_workspace_free(ow);
    gr_oned_workspace_free(NULL);
}

/* ---- quadrature (CLAIMS O6 values) ---------------------------------------------------- */

typedef struct {
    double mu, sigma;
} gauss;

static double gq(double u, void *c) {
    const gauss *g = c;
    return g->mu + gsl_cdf_gaussian_Pinv(u, g->sigma);
}

static double gF(double t, void *c) {
    const gauss *g = c;
    return gsl_cdf_gaussian_P(t - g->mu, g->sigma);
}

static double bad_q(double u, void *c) {
    (void)c;
    return u > 0.5 ? NAN : u;
}

static void test_quadrature(void) {
    const gauss pairs[3][2] = {{{0, 1}, {0, 2}}, {{0, 1}, {1, 3}}, {{2, 0.5}, {-1, 1.5}}};
    const double want[3] = {0.7978845608, 1.79118623, 3.0007643086}; /* CLAIMS O6 */
    /* O6 closed form to full precision, for the 1e-8 comparisons */
    gr_error err;
    for (int k = 0; k < 3; k++) {
        double a = pairs[k][0].mu - pairs[k][1].mu, b = fabs(pairs[k][0].sigma - pairs[k][1].sigma);
        double exact = b * sqrt(2.0 / M_PI) * exp(-a * a / (2 * b * b)) +
                       a * (1 - 2 * gsl_cdf_ugaussian_P(-a / b));
        CHECK_CLOSE(exact, want[k], 0, 6e-9); /* the printed digits */
        gr_oned_quad q;
        CHECK_OK(gr_oned_w1_quantile(gq, (void *)&pairs[k][0], gq, (void *)&pairs[k][1], 1e-12,
                                     1e-12, 1000, &q, &err),
                 &err);
        CHECK_CLOSE(q.value, exact, 0, 1e-8);
        CHECK(q.abserr < 1e-8 && q.intervals > 0);
        CHECK_OK(gr_oned_w1_cdf(gF, (void *)&pairs[k][0], gF, (void *)&pairs[k][1], 1e-12, 1e-12,
                                1000, &q, &err),
                 &err);
        CHECK_CLOSE(q.value, exact, 0, 1e-8);
        CHECK(q.abserr < 1e-8);
    }
    gr_oned_quad q;
    CHECK_STATUS(
        gr_oned_w1_quantile(bad_q, NULL, gq, (void *)&pairs[0][0], 1e-10, 1e-10, 100, &q, &err),
        GR_EDOM);
    CHECK_STATUS(
        gr_oned_w1_cdf(gF, (void *)&pairs[0][0], gF, (void *)&pairs[0][1], 0, 0, 100, &q, &err),
        GR_EINVAL);
    CHECK_STATUS(
        gr_oned_w1_cdf(gF, (void *)&pairs[0][0], gF, (void *)&pairs[0][1], 1e-10, 0, 0, &q, &err),
        GR_EINVAL);
    /* too few subintervals for the requested accuracy: GR_ENOTCONV, not a silent number */
    CHECK_STATUS(gr_oned_w1_quantile(gq, (void *)&pairs[1][0], gq, (void *)&pairs[1][1], 0, 1e-14,
                                     2, &q, &err),
                 GR_ENOTCONV);
}

/* A larger degenerate instance: 1-D, n = 1500 vs m = 1700 points rounded to a grid of 50
 * values (massive ties and duplicates), random weights with zeros: simplex = sort formula. */
static void test_large_1d_ties(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 8080, GR_STREAM_TEST, NULL), NULL);
    size_t n = 1500, m = 1700;
    double *x = dmalloc(n), *y = dmalloc(m), *a = dmalloc(n), *b = dmalloc(m);
    for (size_t i = 0; i < n; i++)
        x[i] = floor(50 * gsl_rng_uniform(rng)) / 7.0;
    for (size_t j = 0; j < m; j++)
        y[j] = floor(50 * gsl_rng_uniform(rng)) / 7.0 + 0.5;
    gen_weights(rng, a, n, 1);
    gen_weights(rng, b, m, 1);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, m, &err), &err);
    for (int pw = 1; pw <= 2; pw++) {
        double v1;
        CHECK_OK(gr_oned_wasserstein(NULL, x, a, n, y, b, m, pw, 1e-9, &v1, &err), &err);
        gr_ot_problem pr = gr_ot_problem_points(
            x, a, n, y, b, m, 1, pw == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
        gr_ot_result r;
        CHECK_OK(gr_ot_solve(w, &pr, NULL, &r, &err), &err);
        CHECK_CLOSE(r.value, v1, 1e-11, 0);
        CHECK(r.plan_nnz <= n + m - 1);
    }
    gr_ot_workspace_free(w);
    free(x), free(y), free(a), free(b);
    gr_rng_free(rng);
}

/* ---- unbalanced problems: n sources against m <= 8 targets (the warm start) ------------- */

/* Solve, re-verify the certificate independently, and return the value. */
static double solve_checked(gr_ot_workspace *w, const gr_ot_problem *pr, const gr_ot_settings *s,
                            gr_ot_result *r, int pw) {
    gr_error err;
    int st = gr_ot_solve(w, pr, s, r, &err);
    CHECK_OK(st, &err);
    if (st) return NAN;
    double *c = cost_matrix(pr->x, pr->n, pr->y, pr->m, pr->d, pw);
    check_certificate(r, c, pr->a, pr->n, pr->b, pr->m, 1e-11);
    free(c);
    return r->value;
}

/* m = 1: every source ships everything to y, so W1 = sum_i a_i |x_i - y| (closed form). */
static void test_unbalanced_one_target(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1301, GR_STREAM_TEST, NULL), NULL);
    size_t n = 20000, d = 2;
    double *x = dmalloc(n * d), *a = dmalloc(n), y[2] = {0.385, -1.25}, b[1] = {2.385};
    gen_points(rng, x, n, d, GEN_DUP, NULL);
    gen_weights(rng, a, n, 1);
    for (size_t i = 0; i < n; i++)
        a[i] *= 2.385; /* total mass 2.385 = b */
    double want = 0.0;
    for (size_t i = 0; i < n; i++)
        want += a[i] * dist_p(x + i * d, y, d, 1);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, 1, &err), &err);
    gr_ot_problem pr = gr_ot_problem_points(x, a, n, y, b, 1, d, GR_OT_COST_EUCLIDEAN);
    gr_ot_settings s = gr_ot_settings_default();
    s.check_tree = 1; /* validates the warm tree too (it needs no pivot) */
    gr_ot_result r;
    CHECK_CLOSE(solve_checked(w, &pr, &s, &r, 1), want, 1e-12, 0);
    CHECK(r.warm_start == 1 && r.augmentations == 0 && r.iterations == 0);
    pr.a = NULL; /* uniform weights: W1 = mean distance */
    pr.b = NULL;
    want = 0.0;
    for (size_t i = 0; i < n; i++)
        want += dist_p(x + i * d, y, d, 1) / (double)n;
    CHECK_CLOSE(solve_checked(w, &pr, NULL, &r, 1), want, 1e-12, 0);
    gr_ot_workspace_free(w);
    free(x), free(a);
    gr_rng_free(rng);
}

typedef struct {
    double delta;
    size_t i;
} key_index;

static int cmp_key(const void *p, const void *q) {
    const key_index *u = p, *v = q;
    return (u->delta > v->delta) - (u->delta < v->delta);
}

/* m = 2, weighted: the exact greedy. Every source goes to target 2 except the cheapest b_1
 * of mass to move to target 1, the sources with the smallest c_i1 - c_i2 (sorted). */
static double two_target_reference(const double *x, const double *a, size_t n, const double *y,
                                   const double *b, size_t d, int pw) {
    key_index *k = malloc(n * sizeof *k);
    if (!k) abort();
    double cost = 0.0, mass = 0.0;
    for (size_t i = 0; i < n; i++) {
        double c1 = dist_p(x + i * d, y, d, pw), c2 = dist_p(x + i * d, y + d, d, pw);
        k[i].delta = c1 - c2;
        k[i].i = i;
        cost += a[i] * c2;
        mass += a[i];
    }
    qsort(k, n, sizeof *k, cmp_key);
    double need = b[0] * mass / (b[0] + b[1]);
    for (size_t t = 0; t < n && need > 0; t++) {
        double q = fmin(a[k[t].i], need);
        cost += q * k[t].delta;
        need -= q;
    }
    free(k);
    return cost;
}

static void test_unbalanced_two_targets(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1302, GR_STREAM_TEST, NULL), NULL);
    size_t n = 20000;
    const size_t dims[2] = {2, 20}; /* 20-D: the cost cache path */
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, 2, &err), &err);
    gr_ot_workspace *wt = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&wt, 2, n, &err), &err);
    for (int di = 0; di < 2; di++)
        for (int pw = 1; pw <= 2; pw++) {
            size_t d = dims[di], nn = d == 2 ? n : n / 4;
            double *x = dmalloc(nn * d), *y = dmalloc(2 * d), *a = dmalloc(nn), b[2];
            gen_points(rng, x, nn, d, GEN_GAUSS, NULL);
            gen_points(rng, y, 2, d, GEN_GAUSS, NULL);
            gen_weights(rng, a, nn, 1);
            gen_weights(rng, b, 2, 0);
            double want = two_target_reference(x, a, nn, y, b, d, pw);
            gr_ot_problem pr = gr_ot_problem_points(
                x, a, nn, y, b, 2, d, pw == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
            gr_ot_result r;
            double v = solve_checked(w, &pr, NULL, &r, pw);
            /* W1 = value; for W2 compare the optimal cost (value is its root) */
            CHECK_CLOSE(pw == 1 ? v : r.cost, want, 1e-12, 0);
            CHECK(r.warm_start == 1 && r.cached_costs == (d >= 16));
            gr_ot_problem pt = gr_ot_problem_points(y, b, 2, x, a, nn, d, pr.cost);
            v = solve_checked(wt, &pt, NULL, &r, pw); /* 2 sources, nn targets */
            CHECK_CLOSE(pw == 1 ? v : r.cost, want, 1e-12, 0);
            CHECK(r.warm_start == 1);
            free(x), free(y), free(a);
        }
    gr_ot_workspace_free(w);
    gr_ot_workspace_free(wt);
    gr_rng_free(rng);
}

/* 1-D, n = 20000 vs m = 3 weighted, on a grid (ties): simplex = the sort formula (O5). */
static void test_unbalanced_1d(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1303, GR_STREAM_TEST, NULL), NULL);
    size_t n = 20000, m = 3;
    double *x = dmalloc(n), *a = dmalloc(n), y[3] = {-0.5, 0.25, 1.75}, b[3];
    for (size_t i = 0; i < n; i++)
        x[i] = floor(40 * gsl_ran_gaussian(rng, 1.0)) / 16.0;
    gen_weights(rng, a, n, 1);
    gen_weights(rng, b, m, 0);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, m, &err), &err);
    for (int pw = 1; pw <= 2; pw++) {
        double v1;
        CHECK_OK(gr_oned_wasserstein(NULL, x, a, n, y, b, m, pw, 1e-12, &v1, &err), &err);
        gr_ot_problem pr = gr_ot_problem_points(
            x, a, n, y, b, m, 1, pw == 1 ? GR_OT_COST_EUCLIDEAN : GR_OT_COST_SQEUCLIDEAN);
        gr_ot_result r;
        CHECK_CLOSE(solve_checked(w, &pr, NULL, &r, pw), v1, 1e-12, 0);
        CHECK(r.warm_start == 1);
    }
    gr_ot_workspace_free(w);
    free(x), free(a);
    gr_rng_free(rng);
}

/* Warm start against GLPK and against the cold start (warm_max_m = 0) on small instances
 * with ties, duplicates and zero weights, every tree validated (check_tree); a zero weight
 * on the few side turns the warm start off. Each instance is also solved transposed (few
 * sources, many targets). One workspace per orientation throughout (reuse across sizes). */
static void test_unbalanced_vs_glpk(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1304, GR_STREAM_TEST, NULL), NULL);
    const size_t dims[3] = {1, 2, 20}, ns[2] = {60, 150};
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, 150, 8, &err), &err);
    gr_ot_workspace *wt = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&wt, 8, 150, &err), &err);
    gr_ot_settings s = gr_ot_settings_default(), cold = s;
    s.check_tree = 1;
    cold.warm_max_m = 0;
    int count = 0, warm = 0;
    for (size_t m = 1; m <= 8; m++)
        for (int di = 0; di < 3; di++)
            for (int ni = 0; ni < 2; ni++)
                for (int g = 0; g < 3; g++)
                    for (int wk = 0; wk < 3; wk++) {
                        size_t d = dims[di], n = ns[ni];
                        int pw = 1 + (int)((m + (size_t)g) % 2);
                        double *x = dmalloc(n * d), *y = dmalloc(m * d), *a = dmalloc(n),
                               *b = dmalloc(m);
                        gen_points(rng, y, m, d, (gen_kind)g, NULL);
                        gen_points(rng, x, n, d, (gen_kind)g, m >= 5 ? y : NULL);
                        gen_weights(rng, a, n, wk == 2);
                        gen_weights(rng, b, m, 0);
                        if (wk == 2) { /* the first source weightless too */
                            a[1] += a[0];
                            a[0] = 0.0;
                        }
                        if (wk == 2 && m >= 3) { /* a zero target: no warm start */
                            double rest = 1.0 - b[1];
                            b[1] = 0.0;
                            for (size_t j = 0; j < m; j++)
                                b[j] /= rest;
                        }
                        const double *A = wk ? a : NULL, *B = wk ? b : NULL;
                        double *c = cost_matrix(x, n, y, m, d, pw);
                        double *ua = dmalloc(n), *ub = dmalloc(m), sb = 0.0;
                        for (size_t j = 0; j < m; j++)
                            sb += B ? B[j] : 1.0;
                        for (size_t i = 0; i < n; i++)
                            ua[i] = A ? A[i] : 1.0 / (double)n;
                        for (size_t j = 0; j < m; j++)
                            ub[j] = (B ? B[j] : 1.0) / sb;
                        double ref = glpk_transport(c, ua, n, ub, m);
                        gr_ot_problem pr = gr_ot_problem_points(x, A, n, y, B, m, d,
                                                                pw == 1 ? GR_OT_COST_EUCLIDEAN
                                                                        : GR_OT_COST_SQEUCLIDEAN);
                        gr_ot_result r, r0;
                        CHECK_OK(gr_ot_solve(w, &pr, &s, &r, &err), &err);
                        CHECK_CLOSE(r.cost, ref, 1e-9, 1e-13);
                        check_certificate(&r, c, A, n, B, m, 1e-11);
                        CHECK(r.warm_start == !(wk == 2 && m >= 3));
                        warm += r.warm_start;
                        CHECK_OK(gr_ot_solve(w, &pr, &cold, &r0, &err), &err);
                        CHECK(r0.warm_start == 0);
                        CHECK_CLOSE(r.value, r0.value, 1e-12, 1e-15);
                        /* transposed: m few sources, n many targets (zero-weight ones among
                         * them hang from the root) */
                        gr_ot_problem pt = gr_ot_problem_points(y, B, m, x, A, n, d, pr.cost);
                        double *ct = cost_matrix(y, m, x, n, d, pw);
                        CHECK_OK(gr_ot_solve(wt, &pt, &s, &r0, &err), &err);
                        CHECK(r0.warm_start == r.warm_start);
                        CHECK_CLOSE(r0.value, r.value, 1e-12, 1e-15);
                        check_certificate(&r0, ct, B, m, A, n, 1e-11);
                        free(ct);
                        free(x), free(y), free(a), free(b), free(c), free(ua), free(ub);
                        count++;
                    }
    CHECK(count == 8 * 3 * 2 * 3 * 3);
    CHECK(warm == count - 6 * 3 * 2 * 3);
    gr_ot_workspace_free(w);
    gr_ot_workspace_free(wt);
    gr_rng_free(rng);
}

/* The reproduction: n = 200 000 against m = 3 in 2-D (uniform, then random weights,
 * then those transposed) did not finish in 120 s from the root star. Now certified (re-verified
 * here over all 600 000 pairs) with at most n augmentations and no pivot beyond a few. */
static void test_unbalanced_large(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1305, GR_STREAM_TEST, NULL), NULL);
    size_t n = 200000, m = 3, d = 2;
    double *x = dmalloc(n * d), y[6], *a = dmalloc(n), b[3];
    gen_points(rng, x, n, d, GEN_GAUSS, NULL);
    gen_points(rng, y, m, d, GEN_GAUSS, NULL);
    gen_weights(rng, a, n, 0);
    gen_weights(rng, b, m, 0);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, m, &err), &err);
    gr_ot_workspace *wt = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&wt, m, n, &err), &err);
    for (int wk = 0; wk < 2; wk++) {
        gr_ot_problem pr =
            gr_ot_problem_points(x, wk ? a : NULL, n, y, wk ? b : NULL, m, d, GR_OT_COST_EUCLIDEAN);
        gr_ot_result r;
        double v = solve_checked(w, &pr, NULL, &r, 1);
        CHECK(v > 0.1);
        CHECK(r.warm_start == 1 && r.augmentations <= n && r.iterations <= 10);
        if (!wk) continue;
        /* 3 vs 200 000: the same optimum per unit mass (the total masses differ by the
         * rounding of sum a, 3.5e-12 here, since the second measure is rescaled to the first) */
        double mass = r.mass;
        gr_ot_problem pt = gr_ot_problem_points(y, b, m, x, a, n, d, GR_OT_COST_EUCLIDEAN);
        CHECK_CLOSE(solve_checked(wt, &pt, NULL, &r, 1) / r.mass, v / mass, 1e-13, 0);
        CHECK(r.warm_start == 1 && r.augmentations <= n && r.iterations <= 10);
    }
    gr_ot_workspace_free(w);
    gr_ot_workspace_free(wt);
    free(x), free(a);
    gr_rng_free(rng);
}

/* More targets (m = 64, warm_max_m raised to it), n = 30 000: certified with at most 2 n
 * augmentations. (Paths passing one source along two consecutive arcs, a tie, once moved a
 * dust-sized flow per augmentation without using it up: 2 million augmentations on a
 * NumPy-drawn instance of this shape; this GSL-drawn one did not hit it, so it guards the
 * growth, not that particular tie.) */
static void test_unbalanced_many_targets(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1306, GR_STREAM_TEST, NULL), NULL);
    size_t n = 30000, m = 64, d = 2;
    double *x = dmalloc(n * d), *y = dmalloc(m * d);
    gen_points(rng, x, n, d, GEN_GAUSS, NULL);
    gen_points(rng, y, m, d, GEN_GAUSS, NULL);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, m, &err), &err);
    gr_ot_settings s = gr_ot_settings_default();
    s.warm_max_m = 64;
    gr_ot_problem pr = gr_ot_problem_points(x, NULL, n, y, NULL, m, d, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    double v = solve_checked(w, &pr, &s, &r, 1);
    CHECK(v > 0.1);
    CHECK(r.warm_start == 1 && r.augmentations <= 2 * n);
    CHECK(r.refused_unbalanced == 0);
    gr_ot_workspace_free(w);
    free(x), free(y);
    gr_rng_free(rng);
}

/* A very unbalanced problem the warm start cannot take (smaller side > warm_max_m, or a
 * zero weight on it) and above cold_max_n is refused at once with a message, not solved
 * for minutes (n = 200 000 against 3 from the root star did not finish in 120 s). */
static void test_unbalanced_refused(void) {
    size_t n = 60000, m = 20, d = 2;
    double *x = dmalloc(n * d), y[40], b[20];
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 1307, GR_STREAM_TEST, NULL), NULL);
    gen_points(rng, x, n, d, GEN_GAUSS, NULL);
    gen_points(rng, y, m, d, GEN_GAUSS, NULL);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, m, &err), &err);
    gr_ot_problem pr = gr_ot_problem_points(x, NULL, n, y, NULL, m, d, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EINVAL); /* 20 > warm_max_m = 16 */
    CHECK_STR_CONTAINS(err.msg, "too unbalanced");
    CHECK_STR_CONTAINS(err.msg, "warm_max_m");
    CHECK(r.status == GR_EINVAL && r.warm_start == 0);
    CHECK(r.refused_unbalanced == 1);
    CHECK_STR_CONTAINS(err.msg, "warm_max_m >= 20"); /* the size the warm start needs */
    CHECK_STR_CONTAINS(err.msg, "cold_max_n = 50000");
    gen_weights(rng, b, 3, 0);
    b[2] += b[1];
    b[1] = 0.0; /* a zero weight on the small side */
    pr.m = 3;
    pr.b = b;
    CHECK_STATUS(gr_ot_solve(w, &pr, NULL, &r, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "weight on the smaller side");
    CHECK(r.refused_unbalanced == 1);
    pr.n = 3; /* transposed: 3 sources, one weightless, against 60 000 targets */
    pr.m = n;
    pr.x = y;
    pr.a = b;
    pr.y = x;
    pr.b = NULL;
    gr_ot_workspace *wt = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&wt, 3, n, &err), &err);
    CHECK_STATUS(gr_ot_solve(wt, &pr, NULL, &r, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "too unbalanced");
    gr_ot_workspace_free(w);
    gr_ot_workspace_free(wt);
    free(x);
    gr_rng_free(rng);
}

/* The settings that decide a result are named and listed for the record (issue 10.7): the
 * describe list gives every field, in declaration order, with the documented defaults; the
 * two constants that were hard-coded take effect through their fields. */
static void test_settings_described(void) {
    gr_ot_settings s = gr_ot_settings_default();
    gr_setting v[GR_OT_SETTINGS_COUNT + 1];
    CHECK(gr_ot_settings_describe(&s, NULL, 0) == GR_OT_SETTINGS_COUNT);
    CHECK(gr_ot_settings_describe(&s, v, GR_OT_SETTINGS_COUNT + 1) == GR_OT_SETTINGS_COUNT);
    const char *names[GR_OT_SETTINGS_COUNT] = {
        "max_iter",   "block_size",          "tol_rc",        "tol_marginal", "tol_gap",
        "tol_mass",   "cache_bytes",         "cache_min_dim", "check_tree",   "warm_max_m",
        "cold_max_n", "cache_recompute_rel", "certify_rounds"};
    for (size_t k = 0; k < GR_OT_SETTINGS_COUNT; k++)
        CHECK(!strcmp(v[k].name, names[k]));
    CHECK(v[0].type == GR_SETTING_SIZE && v[0].value.size == 0);
    CHECK(v[2].type == GR_SETTING_DOUBLE && v[2].value.real == 1e-12);
    CHECK(v[3].value.real == 1e-10 && v[4].value.real == 1e-10 && v[5].value.real == 1e-9);
    CHECK(v[6].value.size == (size_t)1 << 30 && v[7].value.size == 16);
    CHECK(v[8].type == GR_SETTING_INT && v[8].value.integer == 0);
    CHECK(v[9].value.size == 16 && v[10].value.size == 50000);
    CHECK(v[11].type == GR_SETTING_DOUBLE && v[11].value.real == 1e-2);
    CHECK(v[12].type == GR_SETTING_SIZE && v[12].value.size == 10);
    /* a changed value is what the list reports; a short buffer gets the first entries */
    s.certify_rounds = 3;
    gr_setting two[2] = {{NULL, GR_SETTING_INT, {0}}, {NULL, GR_SETTING_INT, {0}}};
    CHECK(gr_ot_settings_describe(&s, v, GR_OT_SETTINGS_COUNT) == GR_OT_SETTINGS_COUNT);
    CHECK(v[12].value.size == 3);
    CHECK(gr_ot_settings_describe(&s, two, 2) == GR_OT_SETTINGS_COUNT);
    CHECK(!strcmp(two[0].name, "max_iter") && !strcmp(two[1].name, "block_size"));

    /* cache_recompute_rel: two identical 784-D clouds far from the origin have W1 = 0; the
     * cache's formula |x|^2 + |y|^2 - 2 x.y leaves rounding noise of ~eps |x|^2 on the
     * coincident pairs unless they are recomputed (the default does; 0 turns it off) */
    size_t n = 12, d = 784;
    double *x = dmalloc(n * d);
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 2385, GR_STREAM_TEST, NULL), NULL);
    for (size_t k = 0; k < n * d; k++)
        x[k] = 1000.0 + gsl_ran_gaussian(rng, 1.0);
    gr_error err;
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, n, &err), &err);
    gr_ot_problem pr = gr_ot_problem_points(x, NULL, n, x, NULL, n, d, GR_OT_COST_EUCLIDEAN);
    gr_ot_result r;
    s = gr_ot_settings_default();
    CHECK_OK(gr_ot_solve(w, &pr, &s, &r, &err), &err);
    CHECK(r.cached_costs == 1 && r.value == 0.0);
    s.cache_recompute_rel = 0.0;
    int st = gr_ot_solve(w, &pr, &s, &r, &err);
    CHECK(r.cached_costs == 1);
    CHECK(st != GR_OK || r.value > 0.0); /* the noise shows (or the solve cannot certify) */
    s.cache_recompute_rel = -1.0;
    CHECK_STATUS(gr_ot_solve(w, &pr, &s, &r, &err), GR_EINVAL);
    s.cache_recompute_rel = NAN;
    CHECK_STATUS(gr_ot_solve(w, &pr, &s, &r, &err), GR_EINVAL);
    gr_ot_workspace_free(w);
    free(x);
    gr_rng_free(rng);
}

int main(void) {
    gr_core_init();
    RUN(test_box_moving);
    RUN(test_vs_glpk);
    RUN(test_matrix_callback);
    RUN(test_invariants);
    RUN(test_parallel_lines);
    RUN(test_w2_gaussian_1d);
    RUN(test_large_1d_ties);
    RUN(test_workspace_reuse);
    RUN(test_errors);
    RUN(test_quadrature);
    RUN(test_unbalanced_one_target);
    RUN(test_unbalanced_two_targets);
    RUN(test_unbalanced_1d);
    RUN(test_unbalanced_vs_glpk);
    RUN(test_unbalanced_large);
    RUN(test_unbalanced_many_targets);
    RUN(test_unbalanced_refused);
    RUN(test_settings_described);
    return TEST_MAIN_END();
}
