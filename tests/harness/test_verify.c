/* tests/harness/test_verify.c — harness/verify.h on results constructed in memory: a plan
 * loaded from text and a gr_resview filled by hand (run statuses and the metric m chosen
 * per run), so every verdict, measured value and description is known exactly. Covers
 * over = "count" (k of n runs, failed runs as not satisfying, k above the profile's run
 * count, where selecting none, missing runs) next to the other kinds, and the schema's
 * checks of criteria.k with their FILE:LINE messages; over = "paired" (pairs formed by seed
 * and the other axes, infinite values, unpaired runs, too few pairs, the load-time checks
 * of against and of ambiguous pairings).
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
    gr_resview_run runs[32];
    double values[32];
    const char *metrics[1];
} fake;

static void fake_view(fake *f, gr_plan *p, long drop) {
    memset(f, 0, sizeof *f);
    f->metrics[0] = "m";
    size_t n = 0;
    for (size_t i = 0; i < gr_plan_n_runs(p) && n < 32; i++) {
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
               "v.cfg:13: k applies to over = \"count\" and \"paired\" only (this criterion has "
               "over = \"each\")");
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

/* ---- over = "paired" ---------------------------------------------------------------- */

#define PAIRED_(cond, k, end)                                                                      \
    " { claim = \"C44\"; metric = \"m\"; condition = \"" cond "\"; over = \"paired\"; k = " #k     \
    ";\n   " GRID "against = \"curve.samples = \\\"independent\\\"\"; }" end "\n"
#define PAIRED(cond, k) PAIRED_(cond, k, ",")

static const char *CRIT_P = "criteria = (\n"
    /* 1: grid < independent per seed: 0.05<0.02 no, 0.2<nan(failed) no, 0.01<0.05 yes,
     * 0.1<0.03 no, 0<0.08 yes -> 2 of 5 pairs: PASS with k = 2 */
    PAIRED("<", 2)
    /* 2: FAIL with k = 3, measured 2 */
    PAIRED("<", 3)
    /* 3: grid > independent: yes, no (nan), no, yes, no -> 2 */
    PAIRED(">", 2)
    /* 4: neither side selects a run: NOT TESTED */
    " { claim = \"C44\"; metric = \"m\"; condition = \"<\"; over = \"paired\"; k = 1;\n"
    "   where = \"eval.n = 2000\"; against = \"eval.n = 3000\"; }\n"
    ");\n";

/* The value of run (samples, seed) in the fake view. */
static void set_m(fake *f, int indep, uint64_t seed, double x) {
    for (size_t i = 0; i < f->v.n_runs; i++) {
        const char *s = NULL;
        gr_run_get_string(f->runs[i].plan_run, "curve.samples", &s, NULL);
        if (f->runs[i].seed == seed && s && !strcmp(s, indep ? "independent" : "shared_grid"))
            f->values[i] = x;
    }
}

static void test_paired_quick(void) {
    gr_error err;
    gr_plan *p = load(CRIT_P, "quick", &err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    const gr_criterion *c0 = gr_plan_criterion(p, 0);
    CHECK(!strcmp(c0->over, "paired") && c0->k == 2 && isnan(c0->threshold));
    CHECK(!strcmp(c0->against, "curve.samples = \"independent\""));
    CHECK(!strcmp(gr_plan_criterion(p, 3)->where, "eval.n = 2000"));
    /* the pairs: one per seed, grid run first, the independent run of the same seed */
    CHECK(gr_plan_criterion_n_pairs(p, 0) == 5 && gr_plan_criterion_n_unpaired(p, 0) == 0);
    for (size_t j = 0; j < gr_plan_criterion_n_pairs(p, 0); j++) {
        const gr_run *a = gr_plan_criterion_pair(p, 0, j, 0),
                     *b = gr_plan_criterion_pair(p, 0, j, 1);
        const char *sa = NULL, *sb = NULL;
        CHECK(a && b && a != b);
        if (!a || !b) continue;
        gr_run_get_string(a, "curve.samples", &sa, NULL);
        gr_run_get_string(b, "curve.samples", &sb, NULL);
        CHECK(gr_run_seed(a) == gr_run_seed(b) && gr_run_seed(a) == j + 1);
        CHECK(sa && sb && !strcmp(sa, "shared_grid") && !strcmp(sb, "independent"));
        CHECK(gr_plan_criterion_selects(p, 0, a) && !gr_plan_criterion_selects(p, 0, b));
        CHECK(gr_plan_criterion_selects_against(p, 0, b) &&
              !gr_plan_criterion_selects_against(p, 0, a));
    }
    CHECK(gr_plan_criterion_pair(p, 0, 5, 0) == NULL);
    CHECK(gr_plan_criterion_n_pairs(p, 3) == 0);
    static fake f;
    fake_view(&f, p, -1);
    gr_verdict d;
    char t[2048];
    verdict(&f, 0, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_PASS);
    CHECK(d.measured == 2.0 && d.n_pass == 2 && d.n_pairs == 5 && d.n_selected == 10);
    CHECK(d.n_failed == 1 && d.n_diverged == 1 && d.n_unpaired == 0 && d.n_undecided == 0);
    CHECK_STR_CONTAINS(t, "m: 2 of 5 pairs satisfy where < against, want at least 2 (n = 10 "
                          "runs, 1 failed (counted as failing), 1 diverged; where curve.samples = "
                          "\"shared_grid\"; against curve.samples = \"independent\")");
    verdict(&f, 1, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_FAIL && d.measured == 2.0);
    verdict(&f, 2, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_PASS && d.measured == 2.0);
    verdict(&f, 3, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_NOT_TESTED && isnan(d.measured));
    CHECK_STR_CONTAINS(t, "no run of this profile is selected by where eval.n = 2000 or against "
                          "eval.n = 3000");

    char ct[256];
    gr_verify_criterion_text(c0, ct, sizeof ct);
    CHECK(!strcmp(ct, "m < the against run's in >= 2 pairs"));
    gr_verify_condition_text(c0, ct, sizeof ct);
    CHECK(!strcmp(ct, "< against"));
    gr_plan_free(p);
}

/* +inf (never reached) on both sides of a pair satisfies nothing, not even <= (IEEE would
 * say inf <= inf); one infinite value compares as it is. */
static void test_paired_inf(void) {
    gr_error err;
    gr_plan *p = load("criteria = (\n" PAIRED("<=", 1) PAIRED("<", 1) PAIRED_(">=", 1, "") ");\n",
                      "quick", &err);
    CHECK(p != NULL);
    if (!p) return;
    static fake f;
    fake_view(&f, p, -1);
    set_m(&f, 0, 1, INFINITY); /* seed 1: inf vs inf: undecided */
    set_m(&f, 1, 1, INFINITY);
    set_m(&f, 0, 3, 5.0); /* seed 3: 5 vs inf: 5 <= inf, 5 < inf */
    set_m(&f, 1, 3, INFINITY);
    set_m(&f, 0, 4, -INFINITY); /* seed 4: -inf vs -inf: undecided */
    set_m(&f, 1, 4, -INFINITY);
    set_m(&f, 0, 5, INFINITY); /* seed 5: inf vs 3: neither <= nor < */
    set_m(&f, 1, 5, 3.0);
    gr_verdict d;
    char t[2048];
    /* seed 2's independent run failed (nan): no */
    verdict(&f, 0, &d, t, sizeof t);
    CHECK(d.n_pass == 1 && d.n_undecided == 2 && d.kind == GR_VERDICT_PASS);
    CHECK_STR_CONTAINS(t, "m: 1 of 5 pairs satisfy where <= against, want at least 1; 2 pairs "
                          "have both values infinite (undecided, e.g. neither reached the "
                          "target: counted as not satisfying)");
    verdict(&f, 1, &d, t, sizeof t);
    CHECK(d.n_pass == 1 && d.n_undecided == 2);
    /* >=: seed 5 only (inf >= 3); the undecided pairs do not count here either */
    verdict(&f, 2, &d, t, sizeof t);
    CHECK(d.n_pass == 1 && d.measured == 1.0);
    set_m(&f, 0, 5, 1.0);
    verdict(&f, 2, &d, t, sizeof t);
    CHECK(d.n_pass == 0 && d.kind == GR_VERDICT_FAIL);
    gr_plan_free(p);
}

/* eval.knn_k swept [5, 7] and set by where only: it pairs like the seed, so the independent
 * runs with k = 7 have no partner: FAIL naming them. ci (3 seeds) forms 3 pairs < k. */
static void test_paired_unpaired_and_few(void) {
    gr_error err;
    char text[8192];
    /* HEAD with eval.knn_k swept */
    const char *head = HEAD, *kk = strstr(head, "knn_k = 5;");
    CHECK(kk != NULL);
    if (!kk) return;
    snprintf(text, sizeof text, "%.*sknn_k = [5, 7];%s%s", (int)(kk - head), head, kk + 10,
             "criteria = ( { claim = \"C44\"; metric = \"m\"; condition = \"<\";\n"
             "  over = \"paired\"; k = 1;\n"
             "  where = \"curve.samples = \\\"shared_grid\\\" and eval.knn_k = 5\";\n"
             "  against = \"curve.samples = \\\"independent\\\"\"; } );\n");
    gr_plan_options o = gr_plan_options_default();
    o.profile = "quick";
    gr_plan *p = NULL;
    gr_error_clear(&err);
    CHECK_OK(gr_plan_load_text(&p, text, "u.cfg", NULL, &o, &err), &err);
    if (!p) return;
    CHECK(gr_plan_n_runs(p) == 20);
    CHECK(gr_plan_criterion_n_pairs(p, 0) == 5 && gr_plan_criterion_n_unpaired(p, 0) == 5);
    for (size_t j = 0; j < gr_plan_criterion_n_pairs(p, 0); j++) {
        int64_t ka = 0, kb = 0;
        gr_run_get_int(gr_plan_criterion_pair(p, 0, j, 0), "eval.knn_k", &ka, NULL);
        gr_run_get_int(gr_plan_criterion_pair(p, 0, j, 1), "eval.knn_k", &kb, NULL);
        CHECK(ka == 5 && kb == 5);
    }
    int side = -1;
    const gr_run *u = gr_plan_criterion_unpaired(p, 0, 0, &side);
    int64_t ku = 0;
    CHECK(u && side == 1);
    if (u) gr_run_get_int(u, "eval.knn_k", &ku, NULL);
    CHECK(ku == 7);
    static fake f;
    fake_view(&f, p, -1);
    gr_verdict d;
    char t[2048], want[128];
    verdict(&f, 0, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_FAIL && d.n_unpaired == 5 && d.n_pass == 2);
    CHECK_STR_CONTAINS(t, "; 5 runs without a partner, so it cannot pass:");
    snprintf(want, sizeof want, " %s (seed %llu, against)", gr_run_id(u),
             (unsigned long long)gr_run_seed(u));
    CHECK_STR_CONTAINS(t, want);
    /* a run missing from the file: NOT RUN */
    fake_view(&f, p, 0);
    verdict(&f, 0, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_NOT_RUN && d.n_missing == 1);
    gr_plan_free(p);

    p = load("criteria = (\n" PAIRED_("<", 4, "") ");\n", "ci", &err);
    CHECK(p != NULL);
    if (!p) return;
    CHECK(gr_plan_criterion_n_pairs(p, 0) == 3);
    fake_view(&f, p, -1);
    verdict(&f, 0, &d, t, sizeof t);
    CHECK(d.kind == GR_VERDICT_FAIL && d.n_pass == 1);
    CHECK_STR_CONTAINS(t, "m: 1 of 3 pairs satisfy where < against, want at least 4: only 3 pairs "
                          "are formed in this profile, fewer than k, so it cannot pass here");
    gr_plan_free(p);
}

/* A training plan with a method sweep: the method axis is the contrast; settings of other
 * methods are not compared; a side with two partners per run is refused at load. */
#define TRAIN_P                                                                                    \
    "experiment = { name = \"t\"; claims = [\"C39\"]; protocol = \"train\"; };\n"                  \
    "seeds = [1, 2];\n"                                                                            \
    "data = { set = \"8gaussians\"; };\n"                                                          \
    "nets = { g = \"2-8relu-2linear\"; d = \"2-8relu-1linear\"; };\n"                              \
    "method = (\n"                                                                                 \
    "  { name = \"wgan_clip\"; clip = [0.01, 0.1]; },\n"                                           \
    "  { name = \"wgan_gp\"; lambda = [1.0, 10.0]; optim_d = { lr = [1e-4, 2e-4]; }; }\n"          \
    ");\n"                                                                                         \
    "schedule = { steps = 10; };\n"                                                                \
    "eval = { n = 50; };\n"                                                                        \
    "criteria = ( { claim = \"C39\"; metric = \"m\"; condition = \"<\"; over = \"paired\"; k = "   \
    "2;\n"

static gr_plan *load_train(const char *rest, gr_error *err) {
    char text[8192];
    snprintf(text, sizeof text, "%s%s", TRAIN_P, rest);
    gr_plan_options o = gr_plan_options_default();
    o.profile = "quick";
    gr_plan *p = NULL;
    gr_error_clear(err);
    gr_plan_load_text(&p, text, "t.cfg", NULL, &o, err);
    return p;
}

static void test_paired_methods(void) {
    gr_error err;
    /* gp (lambda 10, lr 1e-4) against clip 0.01: by seed; gp's lr is not compared with
     * clip's (another method) */
    gr_plan *p =
        load_train("  where = \"method.name = \\\"wgan_gp\\\" and method.lambda = 10.0 and "
                   "method.optim_d.lr = 1e-4\";\n"
                   "  against = \"method.name = \\\"wgan_clip\\\" and method.clip = 0.01\"; } );\n",
                   &err);
    CHECK(p != NULL);
    if (!p) fprintf(stderr, "  %s\n", err.msg);
    if (p) {
        CHECK(gr_plan_criterion_n_pairs(p, 0) == 2 && gr_plan_criterion_n_unpaired(p, 0) == 0);
        for (size_t j = 0; j < 2; j++) {
            const gr_run *a = gr_plan_criterion_pair(p, 0, j, 0),
                         *b = gr_plan_criterion_pair(p, 0, j, 1);
            const char *na = NULL, *nb = NULL;
            double clip = 0;
            gr_run_get_string(a, "method.name", &na, NULL);
            gr_run_get_string(b, "method.name", &nb, NULL);
            gr_run_get_double(b, "method.clip", &clip, NULL);
            CHECK(na && nb && !strcmp(na, "wgan_gp") && !strcmp(nb, "wgan_clip") && clip == 0.01);
            CHECK(gr_run_seed(a) == gr_run_seed(b));
        }
    }
    gr_plan_free(p);
    /* within one method: lambda 1 against lambda 10 pairs by seed AND by lr (not set) */
    p = load_train("  where = \"method.name = \\\"wgan_gp\\\" and method.lambda = 1.0\";\n"
                   "  against = \"method.name = \\\"wgan_gp\\\" and method.lambda = 10.0\"; } );\n",
                   &err);
    CHECK(p != NULL);
    if (!p) fprintf(stderr, "  %s\n", err.msg);
    if (p) {
        CHECK(gr_plan_criterion_n_pairs(p, 0) == 4 && gr_plan_criterion_n_unpaired(p, 0) == 0);
        for (size_t j = 0; j < gr_plan_criterion_n_pairs(p, 0); j++) {
            double la = 0, lb = 0, ra = 0, rb = 0;
            gr_run_get_double(gr_plan_criterion_pair(p, 0, j, 0), "method.lambda", &la, NULL);
            gr_run_get_double(gr_plan_criterion_pair(p, 0, j, 1), "method.lambda", &lb, NULL);
            gr_run_get_double(gr_plan_criterion_pair(p, 0, j, 0), "method.optim_d.lr", &ra, NULL);
            gr_run_get_double(gr_plan_criterion_pair(p, 0, j, 1), "method.optim_d.lr", &rb, NULL);
            CHECK(la == 1.0 && lb == 10.0 && ra == rb);
        }
    }
    gr_plan_free(p);
    /* clip with both c values: every gp run has two partners */
    p = load_train("  where = \"method.name = \\\"wgan_gp\\\" and method.lambda = 10.0 and "
                   "method.optim_d.lr = 1e-4\";\n"
                   "  against = \"method.name = \\\"wgan_clip\\\"\"; } );\n",
                   &err);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(err.msg, "t.cfg:11: criterion 1 (over = \"paired\"): run ");
    CHECK_STR_CONTAINS(err.msg, " of where pairs with two runs of against, run ");
    CHECK_STR_CONTAINS(err.msg, "each run needs exactly one partner");
    gr_plan_free(p);
    /* an against run with two partners (where names no lr) */
    p = load_train("  where = \"method.name = \\\"wgan_gp\\\" and method.lambda = 10.0\";\n"
                   "  against = \"method.name = \\\"wgan_clip\\\" and method.clip = 0.01\"; } );\n",
                   &err);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(err.msg, " of against pairs with two runs of where, ");
    gr_plan_free(p);
    /* a run on both sides */
    p = load_train("  where = \"method.name = \\\"wgan_gp\\\"\";\n"
                   "  against = \"method.optim_d.lr = 1e-4\"; } );\n",
                   &err);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(err.msg, "is selected by both where and against; the two sides must be "
                                "disjoint");
    gr_plan_free(p);
}

/* The schema's checks of a paired criterion, with FILE:LINE. */
static void test_paired_checked(void) {
    const char *c0 = "criteria = (\n { claim = \"C44\"; metric = \"m\"; condition = \"<\"; ";
    char t[1024];
    snprintf(t, sizeof t, "%sover = \"paired\"; k = 2; }\n);\n", c0);
    expect_bad(t, "v.cfg:12: over = \"paired\" needs against, the runs each run of where is "
                  "compared with");
    snprintf(t, sizeof t, "%sthreshold = 1.0;\n   against = \"eval.n = 40\"; }\n);\n", c0);
    expect_bad(t, "v.cfg:13: against applies to over = \"paired\" only (this criterion has over "
                  "= \"each\")");
    snprintf(t, sizeof t, "%sover = \"paired\";\n against = \"eval.n = 40\"; }\n);\n", c0);
    expect_bad(t, "v.cfg:12: over = \"paired\" needs k, the number of pairs that must satisfy");
    snprintf(t, sizeof t,
             "%sover = \"paired\"; k = 1;\n threshold = 0.0; against = \"eval.n = 40\"; }\n);\n",
             c0);
    expect_bad(t, "v.cfg:13: threshold does not apply to over = \"paired\"");
    snprintf(t, sizeof t, "%s}\n);\n", c0);
    expect_bad(t, "v.cfg:12: criterion 1 has no threshold; it accepts ");
    expect_bad("criteria = (\n { claim = \"C44\"; metric = \"m\"; condition = \"in\"; "
               "threshold_hi = 1.0;\n over = \"paired\"; k = 1; against = \"eval.n = 40\"; }\n);\n",
               "v.cfg:12: condition \"in\" does not apply to over = \"paired\"");
    snprintf(t, sizeof t, "%sover = \"paired\"; k = 1;\n against = \"foo.bar = 1\"; }\n);\n", c0);
    expect_bad(t, "v.cfg:13: criteria.against: unknown key foo.bar");
    snprintf(t, sizeof t, "%sover = \"paired\"; k = 1;\n against = \"\"; }\n);\n", c0);
    expect_bad(t, "criteria.against is empty");
}

/* against is documentation like every criteria key: run ids do not move, the resolved
 * text carries it and reads back to itself. */
static void test_paired_ids_and_text(void) {
    gr_error err;
    gr_plan *a = load(CRIT_P, "quick", &err), *b = load("", "quick", &err);
    CHECK(a && b);
    if (a && b) {
        for (size_t i = 0; i < gr_plan_n_runs(a); i++)
            CHECK(!strcmp(gr_run_id(gr_plan_run(a, i)), gr_run_id(gr_plan_run(b, i))));
        CHECK_STR_CONTAINS(gr_plan_text(a),
                           "    against = \"curve.samples = \\\"independent\\\"\";\n");
        CHECK(strstr(gr_plan_text(a), "    threshold = ") == NULL);
        gr_plan *r = NULL;
        gr_plan_options o = gr_plan_options_default();
        gr_error_clear(&err);
        CHECK_OK(gr_plan_load_text(&r, gr_plan_text(a), "resolved", NULL, &o, &err), &err);
        if (r) {
            CHECK(!strcmp(gr_plan_text(r), gr_plan_text(a)));
            CHECK(gr_plan_criterion_n_pairs(r, 0) == 5);
        }
        gr_plan_free(r);
    }
    gr_plan_free(a);
    gr_plan_free(b);
}

int main(void) {
    RUN(test_paired_quick);
    RUN(test_paired_inf);
    RUN(test_paired_unpaired_and_few);
    RUN(test_paired_methods);
    RUN(test_paired_checked);
    RUN(test_paired_ids_and_text);
    RUN(test_count_quick);
    RUN(test_count_few_runs_and_missing);
    RUN(test_k_checked);
    RUN(test_k_ids_and_text);
    return TEST_MAIN_END();
}
