/* tests/distance/test_sinkhorn.c — log-domain Sinkhorn (distance/sinkhorn.h).
 * Oracle: the exact cost from the network simplex (distance/ot.h, itself checked against GLPK
 * in test_ot). Entropic OT's transport cost <P_eps, C> is >= the exact optimum up to the
 * marginal error, and tends to it as eps -> 0 (Cuturi 2013; Peyré & Cuturi 2019, Prop.
 * 4.1). */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "distance/ot.h"
#include "distance/sinkhorn.h"
#include "test.h"

static void test_converges_to_exact(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 123, GR_STREAM_TEST, NULL), NULL);
    size_t n = 40, m = 50, d = 2;
    double x[80], y[100];
    for (size_t k = 0; k < n * d; k++)
        x[k] = gsl_ran_gaussian(rng, 1.0);
    for (size_t k = 0; k < m * d; k++)
        y[k] = 0.5 + gsl_ran_gaussian(rng, 1.3);
    gr_error err;
    double exact;
    CHECK_OK(gr_ot_wasserstein(x, NULL, n, y, NULL, m, d, 1, NULL, &exact, &err), &err);
    gr_sinkhorn_workspace *w = NULL;
    CHECK_OK(gr_sinkhorn_workspace_alloc(&w, n, m, &err), &err);
    double mean;
    CHECK_OK(gr_sinkhorn_mean_cost(x, n, y, m, d, 1, &mean, &err), &err);
    const double rel_eps[4] = {0.3, 0.1, 0.03, 0.01};
    double prev_gap = INFINITY;
    for (int k = 0; k < 4; k++) {
        gr_sinkhorn_settings s = gr_sinkhorn_settings_default();
        s.epsilon = rel_eps[k] * mean;
        s.tol = 1e-10;
        s.max_iter = 200000;
        gr_sinkhorn_result r;
        CHECK_OK(gr_sinkhorn_solve(w, x, NULL, n, y, NULL, m, d, &s, &r, &err), &err);
        CHECK(r.marginal_error <= 1e-10);
        CHECK_CLOSE(r.mean_cost, mean, 1e-12, 0);
        double gap = r.cost - exact;
        CHECK(gap > -1e-8);          /* an (almost) feasible plan costs at least the optimum */
        CHECK(gap < prev_gap);       /* monotone approach as eps decreases */
        CHECK(r.objective > r.cost); /* + eps KL(P | a b^T) > 0 */
        prev_gap = gap;
    }
    CHECK(prev_gap < 0.01 * exact); /* eps = 1% of the mean cost: within 1% */
    /* iteration cap: a status with the last iterate */
    gr_sinkhorn_settings s = gr_sinkhorn_settings_default();
    s.epsilon = 0.01 * mean;
    s.max_iter = 3;
    gr_sinkhorn_result r;
    CHECK_STATUS(gr_sinkhorn_solve(w, x, NULL, n, y, NULL, m, d, &s, &r, &err), GR_EMAXITER);
    CHECK(r.iterations == 3 && r.marginal_error > s.tol);
    /* errors */
    s.max_iter = 100;
    s.epsilon = 0;
    CHECK_STATUS(gr_sinkhorn_solve(w, x, NULL, n, y, NULL, m, d, &s, &r, &err), GR_EINVAL);
    s.epsilon = 0.1;
    s.p = 3;
    CHECK_STATUS(gr_sinkhorn_solve(w, x, NULL, n, y, NULL, m, d, &s, &r, &err), GR_EINVAL);
    s.p = 1;
    CHECK_STATUS(gr_sinkhorn_solve(w, x, NULL, n + 1, y, NULL, m, d, &s, &r, &err), GR_EINVAL);
    CHECK_STATUS(gr_sinkhorn_solve(w, x, NULL, 0, y, NULL, m, d, &s, &r, &err), GR_EINVAL);
    x[5] = NAN;
    CHECK_STATUS(gr_sinkhorn_solve(w, x, NULL, n, y, NULL, m, d, &s, &r, &err), GR_EDOM);
    x[5] = 0.0;
    double a[40];
    for (size_t i = 0; i < n; i++)
        a[i] = 1.0 / (double)n;
    a[7] = -a[7];
    CHECK_STATUS(gr_sinkhorn_solve(w, x, a, n, y, NULL, m, d, &s, &r, &err), GR_EDOM);
    a[7] = 2.0;
    CHECK_STATUS(gr_sinkhorn_solve(w, x, a, n, y, NULL, m, d, &s, &r, &err), GR_EINFEAS);
    gr_sinkhorn_workspace_free(w);
    gr_sinkhorn_workspace_free(NULL);
    w = (gr_sinkhorn_workspace *)(void *)x; /* stale: failure must clear it */
    CHECK_STATUS(gr_sinkhorn_workspace_alloc(&w, 0, 3, &err), GR_EINVAL);
    CHECK(w == NULL);
    gr_rng_free(rng);
}

/* Non-uniform weights and W2 cost: still approaches the exact value. */
static void test_weighted_w2(void) {
    gsl_rng *rng = NULL;
    CHECK_OK(gr_rng_alloc(&rng, 321, GR_STREAM_TEST, NULL), NULL);
    size_t n = 30, m = 20, d = 3;
    double x[90], y[60], a[30], b[20], sa = 0, sb = 0;
    for (size_t k = 0; k < n * d; k++)
        x[k] = gsl_ran_gaussian(rng, 1.0);
    for (size_t k = 0; k < m * d; k++)
        y[k] = gsl_ran_gaussian(rng, 1.0) - 0.4;
    for (size_t i = 0; i < n; i++)
        sa += a[i] = 0.2 + gsl_rng_uniform(rng);
    for (size_t j = 0; j < m; j++)
        sb += b[j] = 0.2 + gsl_rng_uniform(rng);
    for (size_t i = 0; i < n; i++)
        a[i] /= sa;
    for (size_t j = 0; j < m; j++)
        b[j] /= sb;
    gr_error err;
    double w2;
    CHECK_OK(gr_ot_wasserstein(x, a, n, y, b, m, d, 2, NULL, &w2, &err), &err);
    gr_sinkhorn_workspace *w = NULL;
    CHECK_OK(gr_sinkhorn_workspace_alloc(&w, n, m, &err), &err);
    gr_sinkhorn_settings s = gr_sinkhorn_settings_default();
    s.p = 2;
    s.epsilon = 0.005 * w2 * w2 * 10;
    s.max_iter = 100000;
    gr_sinkhorn_result r;
    CHECK_OK(gr_sinkhorn_solve(w, x, a, n, y, b, m, d, &s, &r, &err), &err);
    CHECK(r.cost >= w2 * w2 - 1e-8);
    CHECK_CLOSE(r.cost, w2 * w2, 0.02, 0);
    gr_sinkhorn_workspace_free(w);
    gr_rng_free(rng);
}

/* The mass tolerance is a named setting (issue 10.7): masses 1e-7 apart (relative) are
 * refused by default (1e-9) and solved with tol_mass = 1e-6, b rescaled to sum a (the
 * same cost as with exactly balanced weights, to the marginal tolerance); the describe
 * list gives every field with its documented default. */
static void test_tol_mass_setting(void) {
    size_t n = 3, m = 2, d = 1;
    const double x[3] = {0.0, 1.0, 4.0}, y[2] = {2.0, 3.0};
    const double a[3] = {0.25, 0.25, 0.5};
    const double b[2] = {0.5 * (1.0 + 1e-7), 0.5 * (1.0 + 1e-7)}, bexact[2] = {0.5, 0.5};
    gr_error err;
    gr_sinkhorn_workspace *w = NULL;
    CHECK_OK(gr_sinkhorn_workspace_alloc(&w, n, m, &err), &err);
    gr_sinkhorn_settings s = gr_sinkhorn_settings_default();
    s.epsilon = 0.1;
    gr_sinkhorn_result r, rexact;
    CHECK_STATUS(gr_sinkhorn_solve(w, x, a, n, y, b, m, d, &s, &r, &err), GR_EINFEAS);
    CHECK_STR_CONTAINS(err.msg, "tol_mass");
    s.tol_mass = 1e-6;
    CHECK_OK(gr_sinkhorn_solve(w, x, a, n, y, b, m, d, &s, &r, &err), &err);
    CHECK_OK(gr_sinkhorn_solve(w, x, a, n, y, bexact, m, d, &s, &rexact, &err), &err);
    CHECK_CLOSE(r.cost, rexact.cost, 1e-12, 0);
    s.tol_mass = -1.0;
    CHECK_STATUS(gr_sinkhorn_solve(w, x, a, n, y, b, m, d, &s, &r, &err), GR_EINVAL);
    gr_sinkhorn_workspace_free(w);

    gr_sinkhorn_settings def = gr_sinkhorn_settings_default();
    gr_setting v[GR_SINKHORN_SETTINGS_COUNT];
    CHECK(gr_sinkhorn_settings_describe(&def, NULL, 0) == GR_SINKHORN_SETTINGS_COUNT);
    CHECK(gr_sinkhorn_settings_describe(&def, v, GR_SINKHORN_SETTINGS_COUNT) ==
          GR_SINKHORN_SETTINGS_COUNT);
    CHECK(!strcmp(v[0].name, "epsilon") && v[0].type == GR_SETTING_DOUBLE && v[0].value.real == 0);
    CHECK(!strcmp(v[1].name, "max_iter") && v[1].value.size == 10000);
    CHECK(!strcmp(v[2].name, "tol") && v[2].value.real == 1e-9);
    CHECK(!strcmp(v[3].name, "p") && v[3].type == GR_SETTING_INT && v[3].value.integer == 1);
    CHECK(!strcmp(v[4].name, "tol_mass") && v[4].value.real == 1e-9);
}

int main(void) {
    gr_core_init();
    RUN(test_converges_to_exact);
    RUN(test_weighted_w2);
    RUN(test_tol_mass_setting);
    return TEST_MAIN_END();
}
