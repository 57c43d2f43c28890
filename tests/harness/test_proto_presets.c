/* tests/harness/test_proto_presets.c — the preset_check and fixed_gen protocols as a user
 * runs them: `ganrepro run` on small experiment files, the summary metrics read back with
 * the strict reader (harness/results.h), against references that do not come from the
 * protocols:
 *   - preset_check, method: the paper preset's resolved WGAN-clip settings are the numbers
 *     of WGAN Algorithm 1 (5e-5, 0.01, 64, 5), a file that overrides two of them is counted
 *     as differing in exactly those two with their deviations; clipping after the update
 *     keeps max |w| <= c, clamping before it does not (main.py's order); the penalty's
 *     parameter gradient meets central differences (1e-6) at a non-trivial scale;
 *   - preset_check, toys: the 25-Gaussian pool holds 100 000 points, 4000 per centre; the
 *     Swiss roll's curve radius lies in [1.5 pi, 4.5 pi]/7.5;
 *   - fixed_gen, coupling: the assignment and the simplex agree, the pooled dual attains
 *     them, the W1 equals gr_ot_wasserstein on the same draws (regenerated here);
 *   - fixed_gen, collapse: W1 of the means against the chord sums of the ring (one mode, seven
 *     modes) and the grid (a column: 2 spacings), the mode metrics' exact values (captured k,
 *     reverse KL >= log(K/k)); a ring pattern on the grid is refused with a message.
 * Seeds fixed: deterministic checks. */
#define _GNU_SOURCE /* nftw in fixture_results.h */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "core/rng.h"
#include "distance/ot.h"
#include "fixture_results.h"
#include "harness/results.h"
#include "proto_run.h"

static char g_tmp[256];

static const char *CFG_METHOD =
    "experiment = { name = \"pa\"; claims = [\"C26\"]; protocol = \"preset_check\"; };\n"
    "seeds = [3];\n"
    "preset_check = { what = \"method\"; };\n"
    "data = { set = \"8gaussians\"; };\n"
    "nets = { d = \"2-16relu-16relu-1linear\"; };\n"
    "method = ( { name = \"wgan_clip\"; label = \"paper\"; },\n"
    "  { name = \"wgan_clip\"; preset = \"wgan_code\"; label = \"code\"; },\n"
    "  { name = \"wgan_clip\"; label = \"off\"; clip = 0.02; optim_d = { lr = 1e-4; }; },\n"
    "  { name = \"wgan_gp\"; label = \"gp\"; } );\n"
    "schedule = { steps = 50; };\n";

static const char *CFG_TOYS =
    "experiment = { name = \"pb\"; claims = [\"C37\"]; protocol = \"preset_check\"; };\n"
    "seeds = [3];\n"
    "preset_check = { what = \"toys\"; n = 20000; };\n";

static const char *CFG_COUPLING =
    "experiment = { name = \"pc\"; claims = [\"C29\"]; protocol = \"fixed_gen\"; };\n"
    "seeds = [11];\n"
    "fixed_gen = { case = \"coupling\"; };\n"
    "eval = { n = 20; };\n";

static const char *CFG_RING =
    "experiment = { name = \"pd\"; claims = [\"C45\"]; protocol = \"fixed_gen\"; };\n"
    "seeds = [5];\n"
    "data = { set = \"8gaussians\"; };\n"
    "fixed_gen = { case = \"collapse\"; pattern = [\"one\", \"seven\"]; };\n"
    "eval = { n = 300; n_modes = 1000; };\n";

static const char *CFG_GRID =
    "experiment = { name = \"pe\"; claims = [\"C45\"]; protocol = \"fixed_gen\"; };\n"
    "seeds = [5];\n"
    "data = { set = \"25gaussians\"; };\n"
    "fixed_gen = { case = \"collapse\"; pattern = \"first_k\"; k = 5; };\n"
    "eval = { n = 300; n_modes = 1000; };\n";

static const char *CFG_BAD =
    "experiment = { name = \"pf\"; claims = [\"C45\"]; protocol = \"fixed_gen\"; };\n"
    "seeds = [5];\n"
    "data = { set = \"25gaussians\"; };\n"
    "fixed_gen = { case = \"collapse\"; pattern = \"opposite\"; };\n"
    "eval = { n = 30; };\n";

/* `ganrepro run` on text as g_tmp/NAME.cfg into g_tmp/out; its exit status. */
static int run_cfg(const char *name, const char *text) {
    return gr_test_run_cli(g_tmp, name, text, "out");
}

static gr_results *open_res(const char *name) { return gr_test_results_open(g_tmp, "out", name); }

static double metric(const gr_results *r, size_t i, const char *name) {
    return gr_test_results_metric(r, i, name);
}

static void test_method(void) {
    CHECK(run_cfg("pa", CFG_METHOD) == 0);
    gr_results *r = open_res("pa");
    if (!r) return;
    CHECK(gr_results_run_count(r) == 4);
    /* run 0: the paper preset = WGAN Algorithm 1 */
    CHECK(metric(r, 0, "cfg_d_lr") == 5e-5 && metric(r, 0, "cfg_g_lr") == 5e-5);
    CHECK(metric(r, 0, "cfg_clip") == 0.01 && metric(r, 0, "cfg_batch") == 64);
    CHECK(metric(r, 0, "cfg_n_critic") == 5);
    CHECK(metric(r, 0, "n_differ_source") == 0 && metric(r, 0, "n_differ_objective") == 0);
    CHECK(metric(r, 0, "clip_max_excess") <= 0);
    CHECK(metric(r, 0, "clip_frac_at_bound") > 0.1); /* the bound is active */
    /* run 1: main.py clamps before the step: after an update weights exceed c */
    CHECK(metric(r, 1, "n_differ_source") == 0);
    CHECK(metric(r, 1, "cfg_warmup_iters") == 100 && metric(r, 1, "cfg_warmup_every") == 500);
    CHECK(metric(r, 1, "clip_max_excess") > 0);
    CHECK(metric(r, 1, "n_differ_paper") == 2); /* clip timing, warm-up */
    /* run 2: two deviations, counted with their sizes */
    CHECK(metric(r, 2, "n_differ_source") == 2);
    CHECK_CLOSE(metric(r, 2, "dev_clip"), 0.01, 1e-15, 0);
    CHECK_CLOSE(metric(r, 2, "dev_d_lr"), 5e-5, 1e-12, 0);
    CHECK(metric(r, 2, "dev_g_lr") == 0);
    CHECK(metric(r, 2, "clip_max_excess") <= 0);
    CHECK(metric(r, 2, "n_differ_objective") == 2);
    /* run 3: the GP gradient check */
    CHECK(metric(r, 3, "gp_grad_fd_rel_err") <= 1e-6);
    CHECK(metric(r, 3, "gp_grad_scale") > 1e-3);
    CHECK(metric(r, 3, "gp_value_rel_err") <= 1e-14);
    CHECK(metric(r, 3, "cfg_gp_lambda") == 10 && metric(r, 3, "cfg_d_beta1") == 0);
    CHECK(metric(r, 3, "cfg_d_beta2") == 0.9 && metric(r, 3, "cfg_d_lr") == 1e-4);
    gr_results_close(r);
}

static void test_toys(void) {
    CHECK(run_cfg("pb", CFG_TOYS) == 0);
    gr_results *r = open_res("pb");
    if (!r) return;
    CHECK(metric(r, 0, "g25_pool_size") == 100000);
    CHECK(metric(r, 0, "g25_per_centre_min") == 4000 && metric(r, 0, "g25_per_centre_max") == 4000);
    CHECK(metric(r, 0, "g25_neighbour_pairs") == 80);
    CHECK(metric(r, 0, "g25_spacing_max_dev") <= 1e-12);
    CHECK(metric(r, 0, "g8_radius_max_dev") <= 1e-12);
    CHECK_CLOSE(metric(r, 0, "g8_radius"), 2 / 1.414, 1e-15, 0);
    double lo = metric(r, 0, "swissroll_radius_min"), hi = metric(r, 0, "swissroll_radius_max");
    CHECK(lo >= 1.5 * M_PI / 7.5 - 1e-12 && lo < 1.5 * M_PI / 7.5 + 1e-3);
    CHECK(hi <= 4.5 * M_PI / 7.5 + 1e-12 && hi > 4.5 * M_PI / 7.5 - 1e-3);
    CHECK(metric(r, 0, "g8_sd_max_rel_dev") < 0.05);
    gr_results_close(r);
}

static void test_coupling(void) {
    CHECK(run_cfg("pc", CFG_COUPLING) == 0);
    gr_results *r = open_res("pc");
    if (!r) return;
    /* the same draws as the protocol's: X then Y from (seed, DATA) */
    gsl_rng *g = NULL;
    gr_error err;
    CHECK_OK(gr_rng_alloc(&g, 11, GR_STREAM_DATA, &err), &err);
    double x[40], y[40], w1 = NAN;
    for (size_t i = 0; g && i < 20; i++) {
        x[2 * i] = 2.0 + gsl_ran_gaussian_ziggurat(g, 0.3);
        x[2 * i + 1] = gsl_ran_gaussian_ziggurat(g, 0.3);
    }
    for (size_t i = 0; g && i < 40; i++)
        y[i] = gsl_ran_gaussian_ziggurat(g, 0.5);
    CHECK_OK(gr_ot_wasserstein(x, NULL, 20, y, NULL, 20, 2, 1, NULL, &w1, &err), &err);
    CHECK_CLOSE(metric(r, 0, "w1_assignment"), w1, 1e-12, 0);
    CHECK_CLOSE(metric(r, 0, "w1_dual_pooled"), w1, 1e-12, 0);
    CHECK(metric(r, 0, "primal_dual_abs_diff") <= 1e-12);
    CHECK(metric(r, 0, "dual_lipschitz_violation") <= 1e-12);
    CHECK(fabs(metric(r, 0, "grad_norm_min") - 1) <= 1e-6);
    CHECK(fabs(metric(r, 0, "grad_norm_max") - 1) <= 1e-6);
    CHECK(metric(r, 0, "grad_dir_max_err") <= 1e-6);
    CHECK(metric(r, 0, "coupled_segments") == 20);
    gr_rng_free(g);
    gr_results_close(r);
}

static void test_collapse(void) {
    const double R = 2 / 1.414, cot = 1 / tan(M_PI / 16);
    CHECK(run_cfg("pd", CFG_RING) == 0);
    gr_results *r = open_res("pd");
    if (r) {
        /* chord sums: (1/8) sum_j 2R sin(j pi/8) and (1/56) of the same over j = 1..7 */
        double s = 0;
        for (int j = 1; j < 8; j++)
            s += 2 * R * sin(j * M_PI / 8);
        CHECK_CLOSE(s, 2 * R * cot, 1e-14, 0);
        CHECK_CLOSE(metric(r, 0, "w1_means"), s / 8, 1e-12, 0);
        CHECK_CLOSE(metric(r, 1, "w1_means"), s / 56, 1e-12, 0);
        CHECK(metric(r, 0, "modes_captured") == 1 && metric(r, 1, "modes_captured") == 7);
        CHECK_CLOSE(metric(r, 0, "rkl"), log(8.0), 1e-14, 0);
        CHECK(metric(r, 1, "rkl") >= log(8.0 / 7.0) - 1e-14);
        CHECK(metric(r, 1, "rkl") < log(8.0 / 7.0) + 0.02);
        CHECK_CLOSE(metric(r, 0, "hq_fraction_expected"), 1 - exp(-4.5), 1e-14, 0);
        CHECK(metric(r, 0, "o13_violation") <= 0 && metric(r, 1, "o13_violation") <= 0);
        gr_results_close(r);
    }
    CHECK(run_cfg("pe", CFG_GRID) == 0);
    r = open_res("pe");
    if (r) {
        CHECK_CLOSE(metric(r, 0, "w1_means"), 2 * 2 / 2.828, 1e-12, 0);
        CHECK(metric(r, 0, "modes_captured") == 5);
        CHECK(metric(r, 0, "rkl") >= log(5.0) - 1e-14);
        gr_results_close(r);
    }
    CHECK(run_cfg("pf", CFG_BAD) == 1); /* the run fails: a ring pattern on the grid */
    r = open_res("pf");
    if (r) {
        gr_results_run_info info;
        gr_error err;
        CHECK_OK(gr_results_run_get(r, 0, &info, &err), &err);
        CHECK(info.status == GR_RUN_FAILED);
        CHECK_STR_CONTAINS(info.reason, "ring pattern");
        gr_results_close(r);
    }
}

int main(void) {
    if (gr_test_tmpdir(g_tmp, sizeof g_tmp, "gr_proto_presets_") != 0) return 1;
    RUN(test_method);
    RUN(test_toys);
    RUN(test_coupling);
    RUN(test_collapse);
    fx_rm_rf(g_tmp);
    return TEST_MAIN_END();
}
