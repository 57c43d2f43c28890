/* tests/harness/test_verify.c — harness/verify.h on results constructed in memory: a plan
 * loaded from text and a gr_resview filled by hand (run statuses and the metric m chosen
 * per run), so every verdict, measured value and description is known exactly. Covers
 * over = "count" (k of n runs, failed runs as not satisfying, k above the profile's run
 * count, where selecting none, missing runs) next to the other kinds, and the schema's
 * checks of criteria.k with their FILE:LINE messages.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/plan.h"
#include "harness/resview.h"
#include "harness/verify.h"
#include "test.h"

/* 5 seeds x curve.samples {shared_grid, independent} = 10 runs at quick, 6 at ci. */
#define HEAD                                                                                       \
    "experiment = { name = \"v\"; claims = [\"C19\", \"C44\"];\n"                                  \
    "  protocol = \"distance_curve\"; };\n"                                                        \
    "seeds = [1, 2, 3, 4, 5];\n"                                                                   \
    "data = { set = \"parallel_lines\"; sigma = 0.0; };\n"                                         \
    "curve = { param = \"data.theta\"; from = -1.0; to = 1.0;\n"                                   \
    "  samples = [\"shared_grid\", \"independent\"]; };\n"                                         \
    "eval = { divergence = \"knn\"; knn_k = 5; };\n"                                               \
    "profiles = { ci = { curve = { points = 3; }; eval = { n = 40; }; n_seeds = 3; };\n"           \
    "  quick = { curve = { points = 3; }; eval = { n = 40; }; n_seeds = 5; };\n"                   \
    "  full = { curve = { points = 3; }; eval = { n = 40; }; n_seeds = 5; }; };\n"

#define GRID  "where = \"curve.samples = \\\"shared_grid\\\"\"; "
#define INDEP "where = \"curve.samples = \\\"independent\\\"\"; "

static const char *CRIT =
    "criteria = (\n"
    /* 1: shared_grid values 0.05 0.2 0.01 0.1 0 -> 4 of 5 satisfy <= 0.1: PASS */
    " { claim = \"C44\"; metric = \"m\"; condition = \"<=\"; threshold = 0.1; over = \"count\";\n"
    "   k = 4; " GRID "},\n"
    /* 2: the same with k = 5: FAIL, measured 4 */
    " { claim = \"C44\"; metric = \"m\"; condition = \"<=\"; threshold = 0.1; over = \"count\";\n"
    "   k = 5; " GRID "},\n"
    /* 3: independent: seed 2 failed (NaN), seed 4 diverged with 0.03, the rest <= 0.1:
     * 4 of 5 satisfy (the failed run does not) -> PASS with k = 4 */
    " { claim = \"C44\"; metric = \"m\"; condition = \"<=\"; threshold = 0.1; over = \"count\";\n"
    "   k = 4; " INDEP "},\n"
    /* 4: and FAIL with k = 5 */
    " { claim = \"C44\"; metric = \"m\"; condition = \"<=\"; threshold = 0.1; over = \"count\";\n"
    "   k = 5; " INDEP "},\n"
    /* 5: where selects no run: NOT TESTED */
    " { claim = \"C44\"; metric = \"m\"; condition = \"<=\"; threshold = 0.1; over = \"count\";\n"
    "   k = 1; where = \"eval.n = 2000\"; },\n"
    /* 6: "in" over all 10 runs: 0.05 0.2 0.01 0.1 0 | 0.02 nan 0.05 0.03 0.08 -> in
     * [0.01, 0.1]: 0.05 0.01 0.1 0.02 0.05 0.03 0.08 = 7 -> PASS with k = 7 */
    " { claim = \"C19\"; metric = \"m\"; condition = \"in\"; threshold = 0.01; threshold_hi = "
    "0.1;\n"
    "   over = \"count\"; k = 7; },\n"
    /* 7: each over shared_grid: worst 0.2 -> FAIL (the older kinds are unchanged) */
    " { claim = \"C19\"; metric = \"m\"; condition = \"<=\"; threshold = 0.1; " GRID "}\n"
    ");\n";

static const double GRID_M[5] = {0.05, 0.2, 0.01, 0.1, 0.0};
static const double INDEP_M[5] = {0.02, 0.5, 0.05, 0.03, 0.08}; /* seed 2's is never read */

static gr_plan *load(const char *crit, const char *profile, gr_error *err) {
    char text[8192];
    snprintf(text, sizeof text, "%s%s", HEAD, crit);
    gr_plan_options o = gr_plan_options_default();
    o.profile = profile;
    gr_plan *p = NULL;
    gr_error_clear(err);
    gr_plan_load_text(&p, text, "v.cfg", NULL, &o, err);
    return p;
}

/* A view of the plan's runs with m and statuses as above; `drop` >= 0 leaves that run out
 * of the file (a shard). */
typedef struct fake {
    gr_resview v;
    gr_resview_run runs[16];
    double values[16];
    const char *metrics[1];
} fake;

static void fake_view(fake *f, gr_plan *p, long drop) {
    memset(f, 0, sizeof *f);
    f->metrics[0] = "m";
    size_t n = 0;
    for (size_t i = 0; i < gr_plan_n_runs(p) && n < 16; i++) {
        if ((long)i == drop) continue;
        const gr_run *r = gr_plan_run(p, i);
        const char *samples = NULL;
        gr_error err;
        gr_error_clear(&err);
        CHECK_OK(gr_run_get_string(r, "curve.samples", &samples, &err), &err);
        int indep = samples && !strcmp(samples, "independent");
        uint64_t seed = gr_run_seed(r);
        gr_resview_run *w = &f->runs[n];
        w->id = gr_run_id(r);
        w->index = (int64_t)i;
        w->seed = seed;
        w->status = GR_RUN_OK;
        w->reason = "";
        w->plan_run = r;
        f->values[n] = indep ? INDEP_M[seed - 1] : GRID_M[seed - 1];
        if (indep && seed == 2) {
            w->status = GR_RUN_FAILED;
            f->values[n] = NAN; /* a failed run writes no summary metric */
        }
        if (indep && seed == 4) w->status = GR_RUN_DIVERGED;
        n++;
    }
    f->v.path = "mem.h5";
    f->v.experiment = "v";
    f->v.profile = gr_plan_profile(p);
    f->v.plan = p;
    f->v.n_runs = n;
    f->v.runs = f->runs;
    f->v.n_metrics = 1;
    f->v.metrics = f->metrics;
    f->v.values = f->values;
}

static void verdict(const fake *f, size_t i, gr_verdict *d, char *text, size_t size) {
    gr_error err;
    gr_error_clear(&err);
    memset(d, 0, sizeof *d);
    CHECK_OK(gr_verify_criterion(&f->v, i, d, &err), &err);
    gr_verify_describe(d, text, size);
}

static void test_count_quick(void) {
    gr_error err;
    gr_plan *p = load(CRIT, "quick", &err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK(gr_plan_n_runs(p) == 10);
    const gr_criterion *c0 = gr_plan_criterion(p, 0);
    CHECK(c0 && !strcmp(c0->over, "count") && c0->k == 4);
    CHECK(gr_plan_criterion(p, 6)->k == 0);
    static fake f;
    fake_view(&f, p, -1);
    gr_verdict d;
    char t[1024];

    verdict(&f, 0, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_PASS);
    CHECK(d.measured == 4.0 && d.n_pass == 4 && d.n_selected == 5);
    CHECK(isnan(d.se));
    CHECK_STR_CONTAINS(t, "m: 4 of 5 runs satisfy <= 0.1, want at least 4 (n = 5 runs; where "
                          "curve.samples = \"shared_grid\")");

    verdict(&f, 1, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_FAIL);
    CHECK(d.measured == 4.0);
    CHECK_STR_CONTAINS(t, "m: 4 of 5 runs satisfy <= 0.1, want at least 5 (n = 5 runs;");

    /* the failed run counts as not satisfying, the diverged run's value counts */
    verdict(&f, 2, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_PASS);
    CHECK(d.measured == 4.0 && d.n_failed == 1 && d.n_diverged == 1 && d.n_nan == 1);
    CHECK_STR_CONTAINS(t, "m: 4 of 5 runs satisfy <= 0.1, want at least 4 (n = 5 runs, 1 failed "
                          "(counted as failing), 1 diverged;");
    verdict(&f, 3, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_FAIL);
    CHECK(d.measured == 4.0);

    verdict(&f, 4, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_NOT_TESTED);
    CHECK(isnan(d.measured));
    CHECK_STR_CONTAINS(t, "m <= 0.1 in >= 1 runs: no run of this profile is selected by where "
                          "eval.n = 2000");

    verdict(&f, 5, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_PASS);
    CHECK(d.measured == 7.0 && d.n_selected == 10);
    CHECK_STR_CONTAINS(t, "m: 7 of 10 runs satisfy in [0.01, 0.1], want at least 7");

    verdict(&f, 6, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_FAIL);
    CHECK(d.measured == 0.2 && d.n_pass == 4);

    /* the claim combination is unchanged: C44 has a FAIL */
    int kinds[2] = {GR_VERDICT_PASS, GR_VERDICT_FAIL};
    CHECK(gr_verify_claim_kind(kinds, 2) == GR_VERDICT_FAIL);

    char ct[256];
    gr_verify_criterion_text(c0, ct, sizeof ct);
    CHECK(!strcmp(ct, "m <= 0.1 in >= 4 runs"));
    gr_verify_criterion_text(gr_plan_criterion(p, 6), ct, sizeof ct);
    CHECK(!strcmp(ct, "m each <= 0.1"));
    gr_plan_free(p);
}

/* ci runs 3 seeds: a criterion asking for 4 cannot pass there; it FAILs (not an error,
 * not NOT TESTED) and says why. A run missing from the file makes it NOT RUN instead. */
static void test_count_few_runs_and_missing(void) {
    gr_error err;
    gr_plan *p = load(CRIT, "ci", &err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK(gr_plan_n_runs(p) == 6);
    static fake f;
    fake_view(&f, p, -1);
    gr_verdict d;
    char t[1024];
    verdict(&f, 0, &d, t, sizeof t);
    /* seeds 1-3 on the grid: 0.05 0.2 0.01 -> 2 of 3 */
    CHECK(d.kind == GR_VERDICT_FAIL);
    CHECK(d.measured == 2.0 && d.n_selected == 3);
    CHECK_STR_CONTAINS(t, "m: 2 of 3 runs satisfy <= 0.1, want at least 4: only 3 runs are "
                          "selected in this profile, fewer than k, so it cannot pass here (n = 3 "
                          "runs;");
    fake_view(&f, p, 0); /* the first run (grid, seed 1) is not in the file */
    verdict(&f, 0, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_NOT_RUN);
    CHECK(d.n_missing == 1);
    CHECK_STR_CONTAINS(t, "m <= 0.1 in >= 4 runs: 1 of 3 selected runs are not in the file");
    gr_plan_free(p);
}

static void expect_bad(const char *crit, const char *msg) {
    gr_error err;
    gr_plan *p = load(crit, "quick", &err);
    CHECK(p == NULL);
    gr_plan_free(p);
    CHECK_STATUS(err.status, GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, msg);
}

/* criteria.k is checked like any key, with the file and line of the offending value. */
static void test_k_checked(void) {
    /* HEAD is 10 lines; "criteria = (" is line 11 and the criterion line 12 */
    expect_bad("criteria = (\n { claim = \"C44\"; metric = \"m\"; condition = \"<\"; threshold = "
               "1.0; over = \"count\"; }\n);\n",
               "v.cfg:12: over = \"count\" needs k, the number of runs that must satisfy the "
               "condition (an int >= 1)");
    expect_bad("criteria = (\n { claim = \"C44\"; metric = \"m\"; condition = \"<\"; threshold = "
               "1.0;\n   k = 3; }\n);\n",
               "v.cfg:13: k applies to over = \"count\" only (this criterion has over = "
               "\"each\")");
    expect_bad("criteria = (\n { claim = \"C44\"; metric = \"m\"; condition = \"<\"; threshold = "
               "1.0;\n   over = \"count\"; k = 0; }\n);\n",
               "v.cfg:13: criteria.k = 0 is out of range; criteria.k accepts an int in [1, ");
    expect_bad(
        "criteria = (\n { claim = \"C44\"; metric = \"m\"; condition = \"<\"; threshold = "
        "1.0;\n   over = \"count\"; k = 2.5; }\n);\n",
        "v.cfg:13: criteria.k: wrong type, got the number 2.5; criteria.k accepts an int in [1, ");
    expect_bad("criteria = (\n { claim = \"C44\"; metric = \"m\"; condition = \"<\"; threshold = "
               "1.0;\n   over = \"count\"; k = -1; }\n);\n",
               "v.cfg:13: criteria.k = -1 is out of range");
}

/* k is documentation of the claim like every criteria key: no run id moves, and the
 * resolved declaration prints k only where it is given (so the declaration hash of a file
 * that does not use it is unchanged), and reads back to itself. */
static void test_k_ids_and_text(void) {
    gr_error err;
    gr_plan *a = load(CRIT, "quick", &err);
    gr_plan *b = load("", "quick", &err);
    gr_plan *c = load("criteria = ( { claim = \"C19\"; metric = \"m\"; condition = \"<\"; "
                      "threshold = 1.0; } );\n",
                      "quick", &err);
    CHECK(a && b && c);
    if (a && b && c) {
        CHECK(gr_plan_n_runs(a) == gr_plan_n_runs(b));
        for (size_t i = 0; i < gr_plan_n_runs(a); i++)
            CHECK(!strcmp(gr_run_id(gr_plan_run(a, i)), gr_run_id(gr_plan_run(b, i))));
        CHECK_STR_CONTAINS(gr_plan_text(a), "    over = \"count\";\n    k = 4;\n");
        CHECK(strstr(gr_plan_text(c), " k = ") == NULL);
        gr_plan *r = NULL;
        gr_plan_options o = gr_plan_options_default();
        gr_error_clear(&err);
        CHECK_OK(gr_plan_load_text(&r, gr_plan_text(a), "resolved", NULL, &o, &err), &err);
        if (r) {
            CHECK(!strcmp(gr_plan_text(r), gr_plan_text(a)));
            CHECK(!strcmp(gr_plan_hash(r), gr_plan_hash(a)));
            CHECK(gr_plan_criterion(r, 1)->k == 5);
        }
        gr_plan_free(r);
    }
    gr_plan_free(a);
    gr_plan_free(b);
    gr_plan_free(c);
}

int main(void) {
    RUN(test_count_quick);
    RUN(test_count_few_runs_and_missing);
    RUN(test_k_checked);
    RUN(test_k_ids_and_text);
    return TEST_MAIN_END();
}
