/* tests/distance/test_assign_kr.c — the Hungarian method (distance/assign.h) against brute
 * force over all permutations and against the network simplex (distance/ot.h), and the
 * Kantorovich-Rubinstein potential and McShane extension (distance/kr.h) against closed
 * forms and the W1 they must certify (CLAIMS C29, O12). Fixed seeds, no statistics. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "distance/assign.h"
#include "distance/kr.h"
#include "distance/ot.h"
#include "test.h"

static double brute(const double *c, size_t n) {
    size_t perm[8], best_set = 0;
    double best = INFINITY;
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    /* Heap's algorithm, iterative */
    size_t cnt[8] = {0};
    for (;;) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += c[i * n + perm[i]];
        if (s < best) best = s;
        best_set = 1;
        size_t i = 1;
        while (i < n && cnt[i] >= i)
            cnt[i++] = 0;
        if (i >= n) break;
        size_t j = i % 2 ? cnt[i] : 0, t = perm[i];
        perm[i] = perm[j], perm[j] = t;
        cnt[i]++;
    }
    return best_set ? best : NAN;
}

static int is_perm(const size_t *p, size_t n) {
    int seen[64] = {0};
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= n || seen[p[i]]) return 0;
        seen[p[i]] = 1;
    }
    return 1;
}

static void test_assign_brute(void) {
    gsl_rng *r = NULL;
    gr_error err;
    CHECK_OK(gr_rng_alloc(&r, 2385, GR_STREAM_TEST, &err), &err);
    gr_assign_workspace *w = NULL;
    CHECK_OK(gr_assign_workspace_alloc(&w, 7, &err), &err);
    if (!r || !w) return;
    double c[49];
    size_t perm[7];
    for (size_t n = 1; n <= 7; n++)
        for (int rep = 0; rep < 20; rep++) {
            for (size_t i = 0; i < n * n; i++) /* integers make ties; reals do not */
                c[i] = rep % 2 ? (double)gsl_rng_uniform_int(r, 5) : 3.7 * gsl_rng_uniform(r) - 1.3;
            gr_assign_result res;
            CHECK_OK(gr_assign_solve(w, c, n, perm, &res, &err), &err);
            CHECK(is_perm(perm, n));
            CHECK_CLOSE(res.cost, brute(c, n), 1e-13, 1e-13);
            CHECK(fabs(res.duality_gap) <= 1e-12);
            CHECK(res.max_violation <= 1e-12);
        }
    gr_assign_workspace_free(w);
    gr_rng_free(r);
}

/* W1 between two uniform clouds of n points: assignment cost / n = network simplex value. */
static void test_assign_vs_simplex(void) {
    const size_t n = 40, d = 2;
    gsl_rng *r = NULL;
    gr_error err;
    CHECK_OK(gr_rng_alloc(&r, 17, GR_STREAM_TEST, &err), &err);
    double x[80], y[80], c[1600];
    size_t perm[40];
    for (size_t i = 0; i < n * d; i++) {
        x[i] = gsl_ran_gaussian_ziggurat(r, 0.7) + (i % 2 ? 0.0 : 1.5);
        y[i] = gsl_ran_gaussian_ziggurat(r, 1.1);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            c[i * n + j] = hypot(x[i * d] - y[j * d], x[i * d + 1] - y[j * d + 1]);
    gr_assign_workspace *w = NULL;
    CHECK_OK(gr_assign_workspace_alloc(&w, n, &err), &err);
    gr_assign_result res;
    CHECK_OK(gr_assign_solve(w, c, n, perm, &res, &err), &err);
    double w1 = NAN;
    CHECK_OK(gr_ot_wasserstein(x, NULL, n, y, NULL, n, d, 1, NULL, &w1, &err), &err);
    CHECK_CLOSE(res.cost / (double)n, w1, 1e-12, 0.0);
    CHECK(is_perm(perm, n));
    gr_assign_workspace_free(w);
    gr_rng_free(r);
}

static void test_assign_errors(void) {
    gr_error err;
    gr_assign_workspace *w = (gr_assign_workspace *)1;
    CHECK_STATUS(gr_assign_workspace_alloc(&w, 0, &err), GR_EINVAL);
    CHECK(w == NULL);
    CHECK_OK(gr_assign_workspace_alloc(&w, 3, &err), &err);
    double c[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    size_t perm[4];
    CHECK_STATUS(gr_assign_solve(w, c, 4, perm, NULL, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "n = 4");
    CHECK_STATUS(gr_assign_solve(w, c, 0, perm, NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_assign_solve(w, NULL, 3, perm, NULL, &err), GR_EINVAL);
    c[4] = NAN;
    CHECK_STATUS(gr_assign_solve(w, c, 3, perm, NULL, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "cost[1][1]");
    gr_assign_workspace_free(w);
    gr_assign_workspace_free(NULL);
}

/* Closed forms: p = {0, 1} on the line, f = {1, 0}: F(z) = min(1 + |z|, |z - 1|). */
static void test_kr_closed_form(void) {
    gr_error err;
    const double p[2] = {0.0, 1.0}, f[2] = {1.0, 0.0};
    const double z[4] = {-2.0, 0.25, 0.5, 3.0};
    double F[4];
    size_t arg[4];
    CHECK_OK(gr_kr_extend(p, f, 2, 1, z, 4, F, arg, &err), &err);
    CHECK_CLOSE(F[0], 3.0, 0, 0);
    CHECK(arg[0] == 0); /* tie 3 = 3: the lowest index */
    CHECK_CLOSE(F[1], 0.75, 0, 0);
    CHECK_CLOSE(F[2], 0.5, 0, 0);
    CHECK_CLOSE(F[3], 2.0, 0, 0);
    CHECK(arg[3] == 1);
    double g = NAN;
    CHECK_OK(gr_kr_extend_grad_fd(p, f, 2, 1, z + 1, 1e-6, &g, &err), &err);
    CHECK_CLOSE(g, -1.0, 1e-9, 0);
    const double f2[2] = {0.0, 5.0};
    CHECK_CLOSE(gr_kr_lipschitz_violation(p, f2, 2, 1), 4.0, 0, 0);
    CHECK_CLOSE(gr_kr_lipschitz_violation(p, f, 2, 1), 0.0, 0, 0);
    /* c-transform of v = {0.5} at y = {1}: f(z) = |z - 1| - 0.5 */
    const double y[1] = {1.0}, v[1] = {0.5};
    CHECK_OK(gr_kr_potential(y, v, 1, 1, z, 4, F, &err), &err);
    CHECK_CLOSE(F[0], 2.5, 0, 0);
    CHECK_CLOSE(F[3], 1.5, 0, 0);
    const double bad[1] = {NAN};
    CHECK_STATUS(gr_kr_potential(y, bad, 1, 1, z, 4, F, &err), GR_EDOM);
    CHECK_STATUS(gr_kr_extend(p, f, 2, 1, bad, 1, F, NULL, &err), GR_EDOM);
    CHECK_STATUS(gr_kr_extend(p, f, 0, 1, z, 1, F, NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_kr_extend_grad_fd(p, f, 2, 1, z, 0.0, &g, &err), GR_EDOM);
}

/* From a certified W1 solve: the potential is 1-Lipschitz, attains W1, and is affine with
 * unit slope on every coupled segment (WGAN-GP Prop. 1). */
static void test_kr_certifies_w1(void) {
    const size_t n = 25, d = 2;
    gsl_rng *r = NULL;
    gr_error err;
    CHECK_OK(gr_rng_alloc(&r, 29, GR_STREAM_TEST, &err), &err);
    double pts[100], *x = pts, *y = pts + n * d;
    for (size_t i = 0; i < n; i++) {
        x[i * d] = 2.0 + gsl_ran_gaussian_ziggurat(r, 0.3);
        x[i * d + 1] = gsl_ran_gaussian_ziggurat(r, 0.3);
        y[i * d] = gsl_ran_gaussian_ziggurat(r, 0.5);
        y[i * d + 1] = gsl_ran_gaussian_ziggurat(r, 0.5);
    }
    gr_ot_workspace *w = NULL;
    CHECK_OK(gr_ot_workspace_alloc(&w, n, n, &err), &err);
    gr_ot_problem pr = gr_ot_problem_points(x, NULL, n, y, NULL, n, d, GR_OT_COST_EUCLIDEAN);
    gr_ot_result res;
    CHECK_OK(gr_ot_solve(w, &pr, NULL, &res, &err), &err);
    double f[50];
    CHECK_OK(gr_kr_potential(y, res.v, n, d, pts, 2 * n, f, &err), &err);
    CHECK(gr_kr_lipschitz_violation(pts, f, 2 * n, d) <= 1e-14);
    double val = 0;
    for (size_t i = 0; i < n; i++)
        val += (f[i] - f[n + i]) / (double)n;
    CHECK_CLOSE(val, res.value, 1e-12, 0.0);
    double F[50];
    CHECK_OK(gr_kr_extend(pts, f, 2 * n, d, pts, 2 * n, F, NULL, &err), &err);
    CHECK_ARRAY_CLOSE(F, f, 2 * n, 0.0, 1e-15);
    size_t coupled = 0;
    for (size_t e = 0; e < res.plan_nnz; e++) {
        if (res.plan[e].mass <= 0.5 / (double)n) continue;
        size_t i = res.plan[e].i, j = res.plan[e].j;
        coupled++;
        double len = hypot(x[i * d] - y[j * d], x[i * d + 1] - y[j * d + 1]);
        CHECK_CLOSE(f[i] - f[n + j], len, 1e-12, 1e-13);
        double z[2], g[2];
        for (size_t c = 0; c < d; c++)
            z[c] = 0.5 * x[i * d + c] + 0.5 * y[j * d + c];
        CHECK_OK(gr_kr_extend_grad_fd(pts, f, 2 * n, d, z, 1e-6, g, &err), &err);
        CHECK_CLOSE(hypot(g[0], g[1]), 1.0, 1e-6, 0.0);
        CHECK_CLOSE(g[0], (x[i * d] - y[j * d]) / len, 1e-6, 1e-6);
    }
    CHECK(coupled == n);
    gr_ot_workspace_free(w);
    gr_rng_free(r);
}

int main(void) {
    RUN(test_assign_brute);
    RUN(test_assign_vs_simplex);
    RUN(test_assign_errors);
    RUN(test_kr_closed_form);
    RUN(test_kr_certifies_w1);
    return TEST_MAIN_END();
}
