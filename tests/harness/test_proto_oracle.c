/* tests/harness/test_proto_oracle.c — the oracle protocol (harness/proto_oracle.c) in
 * process: each run written through gr_results_write_run_file as the runner does, read back
 * with the strict reader, and its series and metrics compared with references computed here
 * without the protocol's code path: TV halving exactly at eta = 1 (C04), a linear G whose
 * image is a plane (C06), the Cauchy scale and a Gaussian's rejection (C12), O9's peak and
 * mass in closed form (C14), A&B's bound typed here (C17), erf / theta^2 / 2 (C21), sign
 * theta (C22); error paths. Fixed seeds: the statistical checks state their false-alarm
 * rates (each below 1e-3 for the seed used, deterministic once run). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/protocol.h"
#include "harness/results.h"
#include "proto_run.h"
#include "test.h"

static char g_tmp[256];

typedef gr_test_run one;

static int run1(one *o, const char *name, const gr_run_param *p, size_t n) {
    return gr_test_run_protocol(o, g_tmp, "oracle", "oracle", "C04", gr_protocol_oracle, name, p,
                                n);
}

static double metric(one *o, const char *name) { return gr_test_run_metric(o, name); }

static double *series(one *o, const char *name, size_t *n) {
    return gr_test_run_series(o, name, n);
}

static void done(one *o) {
    gr_results_close(o->r);
    o->r = NULL;
}

static double npdf(double x, double m, double s) {
    return exp(-(x - m) * (x - m) / (2 * s * s)) / (s * sqrt(2 * M_PI));
}

/* C04 at eta = 1: p_g <- (p_data + p_g) / 2, so p_g - p_data halves: TV_t = TV_0 / 2^t. */
static void test_function_space(void) {
    const gr_run_param p[] = {{"oracle.kind", "function_space"},
                              {"oracle.eta", "1"},
                              {"oracle.grid", "241"},
                              {"oracle.steps", "40"}};
    one o;
    if (run1(&o, "fs", p, sizeof p / sizeof p[0]) != GR_OK) return;
    CHECK(o.status == GR_RUN_OK);
    double pd[241], s = 0, tv0 = 0, c0 = 0;
    for (int i = 0; i < 241; i++) {
        double x = -6.0 + 0.05 * i;
        pd[i] = 0.3 * npdf(x, -2, 0.5) + 0.7 * npdf(x, 1.5, 0.8);
        s += pd[i];
    }
    for (int i = 0; i < 241; i++) {
        double a = pd[i] / s, b = 1.0 / 241;
        tv0 += 0.5 * fabs(a - b);
        c0 += a * log(2 * a / (a + b)) + b * log(2 * b / (a + b));
    }
    size_t n, k;
    double *tv = series(&o, "tv", &n), *c4 = series(&o, "c_plus_log4", &k);
    CHECK(n == 41 && k == 41);
    if (tv && c4 && n == 41) {
        CHECK_CLOSE(tv[0], tv0, 1e-12, 0);
        CHECK_CLOSE(c4[0], c0, 1e-12, 0);
        for (int t = 1; t <= 30; t++)
            CHECK_CLOSE(tv[t], tv0 / ldexp(1.0, t), 1e-6, 1e-16);
    }
    free(tv);
    free(c4);
    /* first t with tv0 / 2^t < 1e-6 */
    CHECK(metric(&o, "steps_to_tv_1e6") == ceil(log2(tv0 / 1e-6)));
    CHECK(metric(&o, "tv_monotone") == 1);
    done(&o);
}

/* C06: a linear G maps R^2 onto a plane of R^5: lambda_3 / lambda_1 at rounding level; the
 * Gaussian control is full-dimensional. */
static void test_local_pca(void) {
    const gr_run_param p[] = {{"oracle.kind", "local_pca"}, {"nets.g", "2-5linear"},
                              {"oracle.n", "3000"},         {"oracle.queries", "40"},
                              {"oracle.k", "30"},           {"oracle.bias_sd", "0.1"}};
    one o;
    if (run1(&o, "pca", p, sizeof p / sizeof p[0]) != GR_OK) return;
    CHECK(o.status == GR_RUN_OK);
    CHECK(metric(&o, "median_ratio_g") < 1e-9);
    CHECK(metric(&o, "median_ratio_control") > 0.3);
    size_t n;
    double *r = series(&o, "ratio_g", &n);
    CHECK(n == 40);
    free(r);
    done(&o);
    /* the ReLU net of C06, small: between the two */
    const gr_run_param q[] = {
        {"oracle.kind", "local_pca"}, {"nets.g", "2-64relu-64relu-64relu-16linear"},
        {"oracle.n", "5000"},         {"oracle.queries", "50"},
        {"oracle.k", "30"},           {"oracle.bias_sd", "0.1"}};
    if (run1(&o, "pca2", q, sizeof q / sizeof q[0]) != GR_OK) return;
    CHECK(o.status == GR_RUN_OK);
    CHECK(metric(&o, "median_ratio_g") < 0.1);
    CHECK(metric(&o, "median_ratio_g") > 1e-9); /* not a plane: ReLU kinks and curvature */
    done(&o);
}

/* C12: the scale |J| s_r / s_eps; the KS test does not reject Cauchy draws (p ~ U(0, 1):
 * P(p < 1e-3) = 1e-3) and rejects the Gaussian control (D ~ 0.2 at n = 2e4: p ~ 0). */
static void test_cauchy(void) {
    const gr_run_param p[] = {
        {"oracle.kind", "cauchy"},  {"oracle.n", "20000"},        {"oracle.m", "8"},
        {"oracle.n_small", "1000"}, {"oracle.n_large", "100000"}, {"oracle.jacobian", "-2"},
        {"oracle.s_r", "0.5"},      {"oracle.s_eps", "0.25"}};
    one o;
    if (run1(&o, "cauchy", p, sizeof p / sizeof p[0]) != GR_OK) return;
    CHECK(o.status == GR_RUN_OK);
    CHECK(metric(&o, "cauchy_scale") == 4.0);
    CHECK(metric(&o, "ks_p") > 1e-3);
    CHECK(metric(&o, "ks_avg_p") > 1e-3);
    CHECK(metric(&o, "gauss_ks_p") < 1e-10);
    /* Gaussian: var of 1e5 / var of 1e3 within 1 +- 0.2 (SD of the ratio ~ 0.045) */
    CHECK_CLOSE(metric(&o, "gauss_var_ratio"), 1.0, 0, 0.2);
    CHECK(metric(&o, "var_ratio") > 0);
    done(&o);
}

/* C14: O9's peak phi_sigma(0) (2 Phi(0.5 / sigma) - 1), its mass 1, bins of the box. */
static void test_smoothed_segment(void) {
    const gr_run_param p[] = {{"oracle.kind", "smoothed_segment"},
                              {"oracle.sigma", "0.05"},
                              {"oracle.bin", "0.02"},
                              {"oracle.n", "200000"}};
    one o;
    if (run1(&o, "seg", p, sizeof p / sizeof p[0]) != GR_OK) return;
    CHECK(o.status == GR_RUN_OK);
    double s = 0.05, peak = erf(0.5 / s / sqrt(2.0)) / (s * sqrt(2 * M_PI));
    CHECK_CLOSE(metric(&o, "o9_peak"), peak, 1e-13, 0);
    CHECK(metric(&o, "o9_mass_abs_err") <= 1e-10);
    /* x: [-0.3, 0.3] in 30 bins, y: [-0.3, 1.3] in 80, each end rounded OUT to whole bins
     * (in double, 6 sigma / bin is 15.000000000000002: one more bin at each x end) */
    double nb = metric(&o, "hist_bins");
    CHECK(nb >= 30 * 80 && nb <= 32 * 82);
    CHECK(metric(&o, "hist_outside_fraction") < 1e-4);
    CHECK(metric(&o, "hist_min_p_bonferroni") >= 0.01); /* 1 % false alarm */
    CHECK_CLOSE(metric(&o, "hist_peak_count_sd_over_peak"), 1 / sqrt(2e5 * 4e-4 * peak), 1e-12, 0);
    done(&o);
}

/* C17: the bound typed here at a few theta; the sample W1 <= mean |eps| (the coupling x_i ->
 * x_i + e_i is a transport plan, so the optimum cannot exceed its cost). */
static void test_noise_bound(void) {
    const gr_run_param p[] = {{"oracle.kind", "noise_bound"},
                              {"oracle.h", "0.5"},
                              {"oracle.theta_max", "3"},
                              {"oracle.grid", "31"},
                              {"oracle.n", "2000"}};
    one o;
    if (run1(&o, "nb", p, sizeof p / sizeof p[0]) != GR_OK) return;
    CHECK(o.status == GR_RUN_OK);
    size_t n, k;
    double *th = series(&o, "theta", &n), *b = series(&o, "bound", &k);
    CHECK(n == 31 && k == 31);
    for (size_t i = 0; th && b && i < n; i++) {
        double t = th[i], h = 0.5, js = t < 1 ? t * log(2.0) : log(2.0);
        CHECK_CLOSE(t, 0.1 * (double)i, 1e-14, 1e-15);
        CHECK_CLOSE(b[i], 2 * h / sqrt(3.0) + 2 * (1 + t) * sqrt(js), 1e-13, 0);
    }
    free(th);
    free(b);
    CHECK(metric(&o, "w1_sample") <= metric(&o, "w1_sample_mean_abs_eps") + 1e-15);
    CHECK(metric(&o, "w1_sample") > 0);
    CHECK_CLOSE(metric(&o, "v_sqrt"), 0.5 / sqrt(3.0), 1e-15, 0);
    CHECK_CLOSE(metric(&o, "bound_min_slack"), 1 / sqrt(3.0), 1e-14, 0); /* at theta = 0 */
    done(&o);
}

/* C21: TV = erf(theta / (2 sqrt 2)), KL = theta^2 / 2, W = theta; lines JS = log 2. */
static void test_topology(void) {
    const gr_run_param p[] = {
        {"oracle.kind", "topology"}, {"oracle.grid", "7"}, {"oracle.theta_min", "1e-3"}};
    one o;
    if (run1(&o, "topo", p, sizeof p / sizeof p[0]) != GR_OK) return;
    CHECK(o.status == GR_RUN_OK);
    size_t n, k;
    double *th = series(&o, "theta", &n), *tv = series(&o, "tv", &k), *kl = series(&o, "kl", &k),
           *w = series(&o, "w", &k), *lj = series(&o, "lines_js", &k);
    CHECK(n == 7 && k == 7);
    for (size_t i = 0; th && tv && kl && w && lj && i < n; i++) {
        CHECK_CLOSE(th[i], pow(10.0, -0.5 * (double)i), 1e-13, 0);
        CHECK_CLOSE(tv[i], erf(th[i] / (2 * sqrt(2.0))), 1e-13, 0);
        CHECK_CLOSE(kl[i], th[i] * th[i] / 2, 1e-13, 0);
        CHECK_CLOSE(w[i], th[i], 1e-15, 0);
        CHECK(lj[i] == log(2.0));
    }
    free(th);
    free(tv);
    free(kl);
    free(w);
    free(lj);
    CHECK(metric(&o, "gauss_monotone") == 1);
    CHECK(metric(&o, "lines_kl_inf_fraction") == 1);
    CHECK(metric(&o, "js_ratio_dev_at_min") < 1e-5);
    done(&o);
}

static void test_critic_formula(void) {
    const gr_run_param p[] = {{"oracle.kind", "critic_formula"},
                              {"oracle.grid", "5"},
                              {"oracle.theta_max", "2"},
                              {"oracle.n", "10"}};
    one o;
    if (run1(&o, "cf", p, sizeof p / sizeof p[0]) != GR_OK) return;
    CHECK(o.status == GR_RUN_OK);
    size_t n;
    double *g = series(&o, "critic_grad", &n), want[4] = {-1, -1, 1, 1};
    CHECK(n == 4); /* theta = -2, -1, 1, 2: 0 skipped */
    for (size_t i = 0; g && n == 4 && i < 4; i++)
        CHECK(g[i] == want[i]);
    free(g);
    CHECK(metric(&o, "critic_formula_max_abs_dev") == 0);
    CHECK(metric(&o, "points") == 4);
    done(&o);
}

static void test_errors(void) {
    const gr_run_param a[] = {{"oracle.kind", "function_space"}, {"oracle.grid", "241"}};
    const gr_run_param b[] = {{"oracle.kind", "bogus"}};
    const gr_run_param c[] = {{"oracle.kind", "cauchy"}, {"oracle.n", "100"},
                              {"oracle.m", "2"},         {"oracle.n_small", "10"},
                              {"oracle.n_large", "100"}, {"oracle.jacobian", "0"},
                              {"oracle.s_r", "1"},       {"oracle.s_eps", "1"}};
    struct {
        const gr_run_param *p;
        size_t n;
        const char *name, *want;
    } cases[] = {{a, 2, "e1", "oracle.steps"},
                 {b, 1, "e2", "bogus"},
                 {c, sizeof c / sizeof c[0], "e3", "jacobian must be != 0"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        one o;
        if (run1(&o, cases[i].name, cases[i].p, cases[i].n) != GR_OK) continue;
        CHECK(o.status == GR_RUN_FAILED);
        gr_results_run_info info;
        gr_error err;
        CHECK_OK(gr_results_run_get(o.r, 0, &info, &err), &err);
        CHECK_STR_CONTAINS(info.reason, cases[i].want);
        done(&o);
    }
}

int main(void) {
    if (gr_test_tmpdir(g_tmp, sizeof g_tmp, "gr_proto_oracle_") != 0) return 1;
    RUN(test_function_space);
    RUN(test_local_pca);
    RUN(test_cauchy);
    RUN(test_smoothed_segment);
    RUN(test_noise_bound);
    RUN(test_topology);
    RUN(test_critic_formula);
    RUN(test_errors);
    gr_test_tmpdir_remove(g_tmp);
    return TEST_MAIN_END();
}
