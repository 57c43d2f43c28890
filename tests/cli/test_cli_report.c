/* tests/cli/test_cli_report.c — `ganrepro verify`, `table` and `plot` through the
 * executable, on results files crafted for the purpose: the experiment file below is
 * loaded and run in process with a test protocol standing in for distance_curve (it runs
 * the real one, then adds the metric m = seed x (1 for shared_grid, 10 for independent);
 * shared_grid seed 3 ends "diverged", independent seed 2 "failed" before writing
 * anything). The runs' statuses and values are therefore known exactly, and every number
 * verify and table print is checked against values this test computes from the same file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_run.h"
#include "harness/plan.h"
#include "harness/run_from_plan.h"
#include "harness/runner.h"
#include "io/h5io.h"
#include "test.h"

static char dir[128];
static const char *cli;

/* make_results with all_ok set: no crafted failure or divergence (every run ok) */
static int all_ok;

/* The real parallel-lines protocol, then the test's metrics and outcome: m as above; with
 * all_ok also c = 0.1 in every run (a naive sum / n of three 0.1 is 0.10000000000000002, its
 * deviation 1.6e-17), none = NaN in every run (a metric no run has a value of). */
static int proto_crafted(const gr_run_desc *run, gr_results_run *w, gr_error *err) {
    const char *samples = NULL;
    GR_TRY(gr_rundesc_get_str(run, "curve.samples", &samples, err));
    int indep = !strcmp(samples, "independent");
    if (!all_ok && indep && run->seed == 2)
        return GR_ERROR(err, GR_EDOM, "crafted failure before any row");
    GR_TRY(gr_protocol_distance_curve(run, w, err));
    GR_TRY(gr_results_run_metric(w, "m", (double)run->seed * (indep ? 10.0 : 1.0), err));
    if (all_ok) GR_TRY(gr_results_run_metric(w, "c", 0.1, err));
    if (all_ok) GR_TRY(gr_results_run_metric(w, "none", NAN, err));
    if (!all_ok && !indep && run->seed == 3)
        return GR_ERROR(err, GR_EDIVERGED, "crafted divergence");
    return GR_OK;
}

static const gr_protocol PROTOS[] = {{"distance_curve", "crafted", proto_crafted},
                                     {NULL, NULL, NULL}};

#define CFG_HEAD                                                                                   \
    "experiment = { name = \"%s\"; claims = [\"C19\", \"C20\", \"C21\"];\n"                        \
    "  protocol = \"distance_curve\"; };\n"                                                        \
    "seeds = [1, 2, 3];\n"                                                                         \
    "data = { set = \"parallel_lines\"; sigma = 0.0; };\n"                                         \
    "curve = { param = \"data.theta\"; from = -1.0; to = 1.0;\n"                                   \
    "  samples = [\"shared_grid\", \"independent\"]; };\n"                                         \
    "eval = { divergence = \"knn\"; knn_k = 5; };\n"                                               \
    "profiles = { ci = { curve = { points = 11; }; eval = { n = 40; }; n_seeds = 3; };\n"          \
    "  quick = { curve = { points = 11; }; eval = { n = 40; }; n_seeds = 3; };\n"                  \
    "  full = { curve = { points = 11; }; eval = { n = 40; }; n_seeds = 3; }; };\n"

/* 1 PASS (max of 1, 2, 3 with the diverged run's 3), 2 FAIL (mean 2 < 2.5), 3 FAIL (the
 * failed run counts), 4 NOT TESTED (no run has eval.n = 2000), 5 PASS (median 2). */
static const char *CRIT_MIXED =
    "criteria = (\n"
    " { claim = \"C21\"; metric = \"m\"; condition = \"<=\"; threshold = 3.0; over = \"max\";\n"
    "   where = \"curve.samples = \\\"shared_grid\\\"\"; doc = \"max\"; },\n"
    " { claim = \"C19\"; metric = \"m\"; condition = \">=\"; threshold = 2.5; over = \"mean\";\n"
    "   where = \"curve.samples = \\\"shared_grid\\\"\"; doc = \"mean\"; },\n"
    " { claim = \"C20\"; metric = \"m\"; condition = \"<=\"; threshold = 100.0; over = \"each\";\n"
    "   where = \"curve.samples = \\\"independent\\\"\"; doc = \"each\"; },\n"
    " { claim = \"C20\"; metric = \"m\"; condition = \">=\"; threshold = 0.0; over = \"min\";\n"
    "   where = \"eval.n = 2000\"; doc = \"untested\"; },\n"
    " { claim = \"C21\"; metric = \"m\"; condition = \"in\"; threshold = 1.5; threshold_hi = 2.5;\n"
    "   over = \"median\"; where = \"curve.samples = \\\"shared_grid\\\"\"; doc = \"median\"; }\n"
    ");\n";

/* Passing criteria only (plus one not tested): verify exits 0. */
static const char *CRIT_PASS =
    "criteria = (\n"
    " { claim = \"C19\"; metric = \"w1_exact_lipschitz_max\"; condition = \"<=\";\n"
    "   threshold = 1.000000000001; over = \"max\"; where = \"curve.samples = "
    "\\\"shared_grid\\\"\"; },\n"
    " { claim = \"C20\"; metric = \"m\"; condition = \"<\"; threshold = 4.0; over = \"each\";\n"
    "   where = \"curve.samples = \\\"shared_grid\\\"\"; },\n"
    " { claim = \"C21\"; metric = \"m\"; condition = \">=\"; threshold = 0.0; over = \"min\";\n"
    "   where = \"eval.n = 2000\"; }\n"
    ");\n";

/* Write DIR/NAME.cfg and run it (shard_count > 1: only shard 0) into DIR/res. */
static void make_results(const char *name, const char *crit, size_t shard_count) {
    char text[8192], path[512];
    int n = snprintf(text, sizeof text, CFG_HEAD, name);
    snprintf(text + n, sizeof text - (size_t)n, "%s", crit);
    snprintf(path, sizeof path, "%s/%s.cfg", dir, name);
    CHECK(gr_test_write_file(path, text, strlen(text)));
    gr_plan_options po = gr_plan_options_default();
    po.profile = "ci";
    gr_plan *plan = NULL;
    gr_error err;
    gr_error_clear(&err);
    CHECK_OK(gr_plan_load(&plan, path, &po, &err), &err);
    if (!plan) return;
    gr_exp_bundle *b = NULL;
    CHECK_OK(gr_exp_desc_from_plan(&b, plan, &err), &err);
    char out[512];
    snprintf(out, sizeof out, "%s/res", dir);
    gr_runner_options o = gr_runner_options_default();
    o.out_dir = out;
    o.jobs = 2;
    o.protocols = PROTOS;
    if (shard_count > 1) {
        o.shard_index = 0;
        o.shard_count = shard_count;
    }
    gr_runner_report rep;
    if (b) CHECK_OK(gr_runner_execute(gr_exp_bundle_desc(b), &o, &rep, &err), &err);
    gr_exp_bundle_free(b);
    gr_plan_free(plan);
}

static int run(const char *args, char *out, size_t outsz, char *errb, size_t errsz) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s", dir, cli, args);
    return gr_test_shell(dir, cmd, out, outsz, errb, errsz);
}

/* The line of stdout that starts with `start` (a copy), "" if none. */
static void line_of(const char *out, const char *start, char *buf, size_t size) {
    buf[0] = '\0';
    for (const char *p = out; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!strncmp(p, start, strlen(start))) {
            snprintf(buf, size, "%.*s", (int)len, p);
            return;
        }
        p = e ? e + 1 : NULL;
    }
    fprintf(stderr, "  no line starting '%s' in:\n%s", start, out);
}

static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_verify_mixed(void) {
    static char out[65536], errb[8192];
    char l[1024];
    int rc = run("verify res/parallel_lines.h5 --out tables", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 1);
    line_of(out, "C21   PASS       parallel_lines #1: m max = 3, want <= 3", l, sizeof l);
    CHECK(l[0] != '\0');
    CHECK_STR_CONTAINS(l, "n = 3 runs");
    CHECK_STR_CONTAINS(l, "1 diverged");
    /* mean of 1, 2, 3 = 2 with s.e. 1/sqrt(3) = 0.577 */
    line_of(out, "C19   FAIL       parallel_lines #2: m mean = 2 +- 0.577 (s.e.), want >= 2.5", l,
            sizeof l);
    CHECK(l[0] != '\0');
    /* the failed run counts as failing; the worst value is its NaN */
    line_of(out, "C20   FAIL       parallel_lines #3: m worst of each = nan, want <= 100", l,
            sizeof l);
    CHECK(l[0] != '\0');
    CHECK_STR_CONTAINS(l, "n = 3 runs, 2 pass, 1 failed (counted as failing)");
    line_of(out, "C20   NOT TESTED parallel_lines #4: m min >= 0: no run of this profile", l,
            sizeof l);
    CHECK(l[0] != '\0');
    line_of(out, "C21   PASS       parallel_lines #5: m median = 2, want in [1.5, 2.5]", l,
            sizeof l);
    CHECK(l[0] != '\0');
    /* one line per claim, in id order, after every criterion line; a failing claim is NOT
     * REPRODUCED (its criteria keep FAIL) */
    line_of(out, "claim C19   NOT REPRODUCED 1 criterion in parallel_lines: 1 fail", l, sizeof l);
    CHECK(l[0] != '\0');
    line_of(out,
            "claim C20   NOT REPRODUCED 2 criteria in parallel_lines: 1 fail, 1 not tested; 1 "
            "failed run counted as failing",
            l, sizeof l);
    CHECK(l[0] != '\0');
    line_of(out, "claim C21   PASS           2 criteria in parallel_lines: 2 pass", l, sizeof l);
    CHECK(l[0] != '\0');
    {
        const char *c19 = strstr(out, "\nclaim C19"), *c20 = strstr(out, "\nclaim C20"),
                   *c21 = strstr(out, "\nclaim C21"),
                   *last = strstr(out, "\nC21   PASS       "
                                       "parallel_lines #5");
        CHECK(c19 && c20 && c21 && last && last < c19 && c19 < c20 && c20 < c21);
        CHECK(c19 && strstr(c19 + 1, "\nclaim C19") == NULL);
    }
    CHECK_STR_CONTAINS(out, "verify: 1 file, 5 criteria: 2 pass, 2 fail, 0 not run, 1 not tested; "
                            "claims: 1 pass, 2 not reproduced, 0 not run, 0 not tested");
    /* stdout and stderr into one pipe: the "wrote" messages come after every verdict line
     * (stdout is flushed before them), not in the middle */
    {
        static char both[65536], e2[256];
        char cmd[2048];
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && ( '%s' verify res/parallel_lines.h5 --out tables2 2>&1 )", dir, cli);
        CHECK(gr_test_shell(dir, cmd, both, sizeof both, e2, sizeof e2) == 1);
        const char *sum = strstr(both, "verify: 1 file,"), *wrote = strstr(both, "wrote ");
        CHECK(sum && wrote && sum < wrote);
        CHECK(wrote && strstr(wrote, "\nclaim ") == NULL && strstr(wrote, "\nC19 ") == NULL);
    }
    /* the written claims table: one CSV row per criterion plus the header */
    char path[512];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/tables/verdicts.csv", dir);
    char *csv = (char *)gr_test_read_file(path, &len);
    CHECK(csv != NULL);
    if (csv) {
        char *z = realloc(csv, len + 1);
        if (z) {
            csv = z;
            csv[len] = '\0';
            /* header, 5 criteria, the 7 reference-only claims of docs/claims.cfg */
            CHECK(count_lines(csv) == 13);
            CHECK_STR_CONTAINS(csv, "claim,source,statement,experiment,profile,commit,criterion,"
                                    "metric,over,k,condition,where,doc,measured,se,n_runs,n_pass,"
                                    "n_failed,n_diverged,n_missing,verdict,published,against,"
                                    "n_pairs\n");
            /* the words come from the catalogue */
            CHECK_STR_CONTAINS(csv, "C19,\"WGAN §2, Example 1, Fig. 1\",\"Parallel lines at "
                                    "distance θ:");
            CHECK_STR_CONTAINS(csv, ",parallel_lines,ci,");
            CHECK_STR_CONTAINS(csv, ",2,m,mean,,>= 2.5,\"curve.samples = \"\"shared_grid\"\"\","
                                    "mean,2,0.57735026918962");
            CHECK_STR_CONTAINS(csv, ",3,1,0,1,0,FAIL,,,\n");
            CHECK_STR_CONTAINS(csv, ",cited,\"Parzen log-likelihood: MNIST 225 ± 2");
        }
        free(csv);
    }
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/tables/verdicts.%s", dir, k ? "tex" : "md");
        struct stat sb;
        CHECK(stat(path, &sb) == 0 && sb.st_size > 100);
    }
    /* the Markdown table: the count of a failed run, the s.e. of a mean, cited rows */
    snprintf(path, sizeof path, "%s/tables/verdicts.md", dir);
    char *md = (char *)gr_test_read_file(path, &len);
    CHECK(md != NULL);
    if (md) {
        char *z = realloc(md, len + 1);
        if (z) {
            md = z;
            md[len] = '\0';
            CHECK_STR_CONTAINS(md, "| Claim | Source | Statement | Measured | Criterion | "
                                   "Criterion verdict |");
            CHECK_STR_CONTAINS(md, "| C19<br>**NOT REPRODUCED** | WGAN §2, Example 1, Fig. 1 |");
            CHECK_STR_CONTAINS(md, "| C21<br>**PASS** | WGAN Thm. 2 |");
            CHECK_STR_CONTAINS(md, "| 2 ± 0.57735 s.e. (n = 3, 1 diverged) | parallel_lines (ci): "
                                   "mean — `m mean >= 2.5 where curve.samples = "
                                   "\"shared_grid\"` | FAIL |");
            CHECK_STR_CONTAINS(md, "| nan (n = 3, 1 failed) | parallel_lines (ci): each — `m each "
                                   "<= 100 where curve.samples = \"independent\"` | FAIL |");
            CHECK_STR_CONTAINS(md, "| cited (reference only, not rerun) | cited |");
            CHECK_STR_CONTAINS(md, "Claims of the catalogue not in these results: C01, C02,");
        }
        free(md);
    }
}

/* --from renders the CSV verify wrote byte for byte as verify rendered the results; a claim
 * the catalogue lacks is an error naming both; no catalogue is an error. */
static void test_verify_catalogue(void) {
    static char out[65536], errb[8192];
    const char *fmts[3] = {"md", "csv", "tex"};
    for (int k = 0; k < 3; k++) {
        char cmd[512], path[512];
        snprintf(cmd, sizeof cmd, "verify --from tables/verdicts.csv --format %s --stdout",
                 k == 2 ? "latex" : fmts[k]);
        int rc = run(cmd, out, sizeof out, errb, sizeof errb);
        CHECK(rc == 0);
        snprintf(path, sizeof path, "%s/tables/verdicts.%s", dir, fmts[k]);
        size_t len = 0;
        char *want = (char *)gr_test_read_file(path, &len);
        CHECK(want != NULL);
        if (want) {
            CHECK(strlen(out) == len && !memcmp(out, want, len));
            free(want);
        }
    }
    /* results straight to stdout: the same table, the verdict lines on stderr */
    int rc = run("verify res/parallel_lines.h5 --stdout --format md", out, sizeof out, errb,
                 sizeof errb);
    CHECK(rc == 1);
    CHECK_STR_CONTAINS(out, "| Claim | Source | Statement |");
    CHECK_STR_CONTAINS(errb, "claim C19   NOT REPRODUCED");
    /* a catalogue without C21 */
    char path[512];
    snprintf(path, sizeof path, "%s/small.cfg", dir);
    const char *small = "claims = (\n"
                        "  { id = \"C19\"; source = \"s\"; statement = \"t\"; },\n"
                        "  { id = \"C20\"; source = \"s\"; statement = \"t\"; }\n);\n";
    CHECK(gr_test_write_file(path, small, strlen(small)));
    rc = run("verify res/parallel_lines.h5 --no-write --catalogue small.cfg", out, sizeof out, errb,
             sizeof errb);
    CHECK(rc == 2);
    CHECK_STR_CONTAINS(errb, "res/parallel_lines.h5: experiment parallel_lines declares claim C21, "
                             "which the claims catalogue small.cfg does not list");
    rc = run("verify --from tables/verdicts.csv --stdout --catalogue small.cfg", out, sizeof out,
             errb, sizeof errb);
    CHECK(rc == 2);
    CHECK_STR_CONTAINS(errb, "claim C21 (experiment parallel_lines) is not in the claims catalogue "
                             "small.cfg");
    rc = run("verify res/parallel_lines.h5 --no-write --catalogue absent.cfg", out, sizeof out,
             errb, sizeof errb);
    CHECK(rc == 2);
    CHECK_STR_CONTAINS(errb, "absent.cfg: cannot open the claims catalogue");
    rc =
        run("verify res/parallel_lines.h5 --stdout --no-write", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 2);
}

static void test_verify_pass_and_not_run(void) {
    static char out[65536], errb[8192];
    int rc = run("verify res/lines_ok.h5 --no-write", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 0);
    CHECK_STR_CONTAINS(out, "verify: 1 file, 3 criteria: 2 pass, 0 fail, 0 not run, 1 not tested");
    /* shard 0 of 2 holds half the runs: criteria on the others are NOT RUN, exit 1 */
    rc = run("verify res/lines_shard.shard-0-of-2.h5 --no-write", out, sizeof out, errb,
             sizeof errb);
    CHECK(rc == 1);
    CHECK_STR_CONTAINS(out, " NOT RUN    lines_shard #2: m each < 4: ");
    CHECK_STR_CONTAINS(out, "selected runs are not in the file");
    /* two files at once: the union of their lines, the worst exit */
    rc = run("verify res/lines_ok.h5 res/parallel_lines.h5 --no-write", out, sizeof out, errb,
             sizeof errb);
    CHECK(rc == 1);
    CHECK_STR_CONTAINS(out, "verify: 2 files, 8 criteria:");
}

static void test_bad_inputs(void) {
    static char out[16384], errb[8192];
    gr_test_write_in(dir, "not.h5", "this is not HDF5\n");
    const char *cmds[6] = {"verify res/absent.h5", "verify not.h5",      "table not.h5",
                           "table res/absent.h5",  "plot res/absent.h5", "plot not.h5"};
    for (int k = 0; k < 6; k++) {
        int rc = run(cmds[k], out, sizeof out, errb, sizeof errb);
        if (rc != 2 || count_lines(errb) != 1)
            fprintf(stderr, "  '%s': exit %d, stderr: %s\n", cmds[k], rc, errb);
        CHECK(rc == 2);
        CHECK(count_lines(errb) == 1);
        CHECK(strlen(out) == 0);
    }
    int rc = run("verify", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 2);
    rc = run("table res/parallel_lines.h5 --format xls", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 2);
    CHECK_STR_CONTAINS(errb, "unknown format 'xls'");
    rc = run("plot res/parallel_lines.h5 --script nowhere.gp", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 2);
    CHECK(count_lines(errb) == 1);
    CHECK_STR_CONTAINS(errb, "no gnuplot script nowhere.gp");
    /* an experiment without a committed script: lines_ok has no plots/lines_ok.gp */
    rc = run("plot res/lines_ok.h5 --plots plots", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 2);
    CHECK_STR_CONTAINS(errb, "no gnuplot script plots/lines_ok.gp");
}

/* A file as a NUL-terminated string (free it), NULL if it cannot be read. */
static char *read_text(const char *path) {
    size_t len = 0;
    char *t = (char *)gr_test_read_file(path, &len);
    char *z = t ? realloc(t, len + 1) : NULL;
    if (!z) {
        free(t);
        return NULL;
    }
    z[len] = '\0';
    return z;
}

/* table's numbers against mean, std and n computed here from the file's own values. */
static void test_table_numbers(void) {
    static char out[65536], errb[8192];
    int rc = run("table res/parallel_lines.h5 --out tables", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 0);
    char path[512];
    snprintf(path, sizeof path, "%s/res/parallel_lines.h5", dir);
    gr_results *r = NULL;
    gr_error err;
    gr_error_clear(&err);
    CHECK_OK(gr_results_open(&r, path, "parallel_lines", &err), &err);
    if (!r) return;
    static const char *const SET[2] = {"shared_grid", "independent"};
    double sum[2] = {0, 0}, sq[2] = {0, 0}, vals[2][8];
    size_t n[2] = {0, 0}, nfail[2] = {0, 0}, ndiv[2] = {0, 0};
    hid_t runs = H5Gopen2(gr_results_file(r), "runs", H5P_DEFAULT);
    for (size_t i = 0; i < gr_results_run_count(r); i++) {
        gr_results_run_info info;
        CHECK_OK(gr_results_run_get(r, i, &info, &err), &err);
        hid_t g = H5Gopen2(runs, info.id, H5P_DEFAULT);
        char *s = NULL;
        CHECK_OK(gr_h5_attr_read_str(g, "param.curve.samples", &s, &err), &err);
        H5Gclose(g);
        int k = s && !strcmp(s, "independent");
        free(s);
        if (info.status == GR_RUN_FAILED) nfail[k]++;
        if (info.status == GR_RUN_DIVERGED) ndiv[k]++;
        if (info.status != GR_RUN_OK) continue;
        double m;
        CHECK_OK(gr_results_metric(r, i, "m", &m, &err), &err);
        vals[k][n[k]++] = m;
        sum[k] += m;
    }
    H5Gclose(runs);
    gr_results_close(r);
    CHECK(n[0] == 2 && n[1] == 2 && ndiv[0] == 1 && nfail[1] == 1);
    snprintf(path, sizeof path, "%s/tables/parallel_lines.csv", dir);
    size_t len = 0;
    char *z;
    char *csv = read_text(path);
    CHECK(csv != NULL);
    if (!csv) return;
    for (int k = 0; k < 2; k++) {
        double mean = sum[k] / (double)n[k];
        for (size_t j = 0; j < n[k]; j++)
            sq[k] += (vals[k][j] - mean) * (vals[k][j] - mean);
        double sd = sqrt(sq[k] / (double)(n[k] - 1));
        char key[128];
        snprintf(key, sizeof key, ",%s,m,", SET[k]);
        char *row = strstr(csv, key);
        CHECK(row != NULL);
        if (!row) continue;
        size_t rn = 0, rnan = 0, runs_, ok, dv, fl;
        double rmean = NAN, rsd = NAN, rse = NAN;
        int got = sscanf(row + strlen(key), "%zu,%zu,%lf,%lf,%lf,%zu,%zu,%zu,%zu", &rn, &rnan,
                         &rmean, &rsd, &rse, &runs_, &ok, &dv, &fl);
        CHECK(got == 9);
        CHECK(rn == n[k] && rnan == 0 && runs_ == 3 && ok == 2);
        CHECK(dv == ndiv[k] && fl == nfail[k]);
        CHECK_CLOSE(rmean, mean, 1e-15, 0);
        CHECK_CLOSE(rsd, sd, 1e-15, 0);
        CHECK_CLOSE(rse, sd / sqrt((double)n[k]), 1e-15, 0);
    }
    /* by construction: shared_grid 1, 2 (3 diverged); independent 10, 30 (2 failed) */
    CHECK_CLOSE(sum[0], 3.0, 0, 0);
    CHECK_CLOSE(sum[1], 40.0, 0, 0);
    free(csv);
    snprintf(path, sizeof path, "%s/tables/parallel_lines.md", dir);
    char *md = (char *)gr_test_read_file(path, &len);
    CHECK(md != NULL);
    if (md && (z = realloc(md, len + 1))) {
        md = z;
        md[len] = '\0';
        /* m is judged by its mean (criterion 2): the table shows its standard error */
        CHECK_STR_CONTAINS(md, "| `m` (± s.e.) | 1.5 ± 0.5 (n = 2) | 20 ± 10 (n = 2) |");
        CHECK_STR_CONTAINS(md, "| runs ok / diverged / failed | 2 / 1 / 0 ⚠ (not averaged in) | "
                               "2 / 0 / 1 ⚠ (not averaged in) |");
        /* the caption states the sizes run: distance_curve needs no nets or steps, only
         * the declared seeds are sizes here */
        CHECK_STR_CONTAINS(md, "counted, not averaged in; s.e.: standard error of the mean, "
                               "for metrics judged by their mean. Sizes as run: 3 seeds.\n");
    }
    free(md);
    snprintf(path, sizeof path, "%s/tables/parallel_lines.tex", dir);
    char *tex = (char *)gr_test_read_file(path, &len);
    CHECK(tex != NULL);
    if (tex && (z = realloc(tex, len + 1))) {
        tex = z;
        tex[len] = '\0';
        CHECK_STR_CONTAINS(tex, "\\toprule");
        CHECK_STR_CONTAINS(tex, "S[table-format=-1.3e-2]");
        CHECK_STR_CONTAINS(tex, "\\caption{Experiment \\texttt{parallel\\_lines}");
        CHECK_STR_CONTAINS(tex, "profile ci, commit ");
        CHECK_STR_CONTAINS(tex, "\\texttt{m} (mean $\\pm$ s.e.) & 1.500e+00 & 5.00e-01 & 2 & "
                                "2.000e+01 & 1.00e+01 & 2");
    }
    free(tex);
}

/* Three equal values: mean that value and standard deviation exactly 0 (GSL's running
 * mean, not sum / n); a metric without a value in any run: in the CSV, out of the md and
 * LaTeX tables, named in their captions. */
static void test_table_constant(void) {
    static char out[65536], errb[8192];
    int rc = run("table res/lines_const.h5 --out tables", out, sizeof out, errb, sizeof errb);
    CHECK(rc == 0);
    static const char *const EXT[3] = {"csv", "md", "tex"};
    char *text[3] = {NULL, NULL, NULL};
    for (int k = 0; k < 3; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/tables/lines_const.%s", dir, EXT[k]);
        text[k] = read_text(path);
        CHECK(text[k] != NULL);
    }
    if (text[0]) {
        for (int g = 0; g < 2; g++) {
            char key[128];
            snprintf(key, sizeof key, ",%s,c,", g ? "independent" : "shared_grid");
            const char *row = strstr(text[0], key);
            CHECK(row != NULL);
            if (!row) continue;
            size_t rn = 0, rnan = 0;
            double mean = NAN, sd = NAN, se = NAN;
            CHECK(sscanf(row + strlen(key), "%zu,%zu,%lf,%lf,%lf", &rn, &rnan, &mean, &sd, &se) ==
                  5);
            CHECK(rn == 3 && rnan == 0);
            CHECK(mean == 0.1);
            CHECK(sd == 0.0 && se == 0.0);
            snprintf(key, sizeof key, ",%s,none,0,3,nan,nan,nan,",
                     g ? "independent" : "shared_grid");
            CHECK_STR_CONTAINS(text[0], key);
        }
    }
    if (text[1]) {
        CHECK_STR_CONTAINS(text[1], "| `c` | 0.1 ± 0 (n = 3) | 0.1 ± 0 (n = 3) |");
        CHECK(strstr(text[1], "| `none`") == NULL);
        CHECK_STR_CONTAINS(text[1], "Sizes as run: 3 seeds. Not shown, no run recorded a value: "
                                    "`none`.\n");
    }
    if (text[2]) {
        CHECK_STR_CONTAINS(text[2], "\\texttt{c} & 1.000e-01 & 0.00e+00 & 3 & ");
        CHECK(strstr(text[2], "\\texttt{none} &") == NULL);
        CHECK_STR_CONTAINS(text[2], "Not shown, no run recorded a value: \\texttt{none}.}");
    }
    for (int k = 0; k < 3; k++)
        free(text[k]);
}

static int png_or_pdf(const char *path, const char *magic) {
    size_t len = 0;
    unsigned char *b = gr_test_read_file(path, &len);
    int ok = b && len > 1000 && !memcmp(b, magic, strlen(magic));
    free(b);
    return ok;
}

static void test_plot_with_failed_run(void) {
    static char out[16384], errb[16384];
    const char *src = getenv("GR_SOURCE_DIR");
    char args[1024];
    snprintf(args, sizeof args, "plot res/parallel_lines.h5 --plots '%s/plots' --out figs",
             src ? src : "..");
    int rc = run(args, out, sizeof out, errb, sizeof errb);
    if (rc != 0) fprintf(stderr, "  plot: exit %d: %s\n", rc, errb);
    CHECK(rc == 0);
    char path[512];
    snprintf(path, sizeof path, "%s/figs/parallel_lines.png", dir);
    CHECK(png_or_pdf(path, "\211PNG"));
    snprintf(path, sizeof path, "%s/figs/parallel_lines.pdf", dir);
    CHECK(png_or_pdf(path, "%PDF"));
    CHECK_STR_CONTAINS(out, "figs/parallel_lines.png\n");
    /* the failure reaches the figure: meta.gp's note, which the script prints on it */
    snprintf(path, sizeof path, "%s/figs/parallel_lines/meta.gp", dir);
    size_t len = 0;
    char *meta = (char *)gr_test_read_file(path, &len);
    char *z = meta ? realloc(meta, len + 1) : NULL;
    CHECK(z != NULL);
    if (z) {
        meta = z;
        meta[len] = '\0';
        CHECK_STR_CONTAINS(meta, "n_failed = 1\nn_diverged = 1\n");
        CHECK_STR_CONTAINS(meta, "independent, seed 2 failed: crafted failure before any row");
        CHECK_STR_CONTAINS(meta, "shared_grid, seed 3 diverged: crafted divergence");
        CHECK_STR_CONTAINS(meta, "group_n_ok[2] = 2; group_n_failed[2] = 1");
    } else {
        free(meta);
    }
    free(z);
    /* svg on request; the failed run's data file is a header alone */
    snprintf(args, sizeof args,
             "plot res/parallel_lines.h5 --plots '%s/plots' --out figs --format svg",
             src ? src : "..");
    CHECK(run(args, out, sizeof out, errb, sizeof errb) == 0);
    snprintf(path, sizeof path, "%s/figs/parallel_lines.svg", dir);
    CHECK(png_or_pdf(path, "<?xml"));
    /* a script that fails: exit 1, no image left behind */
    gr_test_write_in(dir, "bad.gp", "load plotsdir.'/style.gp'\nplot 'no_such_file.dat'\n");
    snprintf(
        args, sizeof args,
        "plot res/parallel_lines.h5 --plots '%s/plots' --out figs2 --script bad.gp --format png",
        src ? src : "..");
    CHECK(run(args, out, sizeof out, errb, sizeof errb) == 1);
    snprintf(path, sizeof path, "%s/figs2/parallel_lines.png", dir);
    struct stat sb;
    CHECK(stat(path, &sb) != 0);
    /* an experiment without its own script gets the generic figure, and is told so */
    snprintf(args, sizeof args, "plot res/lines_ok.h5 --plots '%s/plots' --out figs --format png",
             src ? src : "..");
    CHECK(run(args, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "drawing the generic figure");
    snprintf(path, sizeof path, "%s/figs/lines_ok.png", dir);
    CHECK(png_or_pdf(path, "\211PNG"));
}

int main(void) {
    cli = gr_test_cli();
    if (!cli) return 1;
    if (gr_test_tmpdir(dir, sizeof dir, "gr_report_") != 0) return 1;
    make_results("parallel_lines", CRIT_MIXED, 1);
    make_results("lines_ok", CRIT_PASS, 1);
    make_results("lines_shard", CRIT_PASS, 2);
    all_ok = 1;
    make_results("lines_const", CRIT_PASS, 1);
    all_ok = 0;
    RUN(test_verify_mixed);
    RUN(test_verify_pass_and_not_run);
    RUN(test_verify_catalogue);
    RUN(test_bad_inputs);
    RUN(test_table_numbers);
    RUN(test_table_constant);
    RUN(test_plot_with_failed_run);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (getenv("GR_TEST_KEEP")) /* to look at the figures */
        fprintf(stderr, "kept %s\n", dir);
    else if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
    return TEST_MAIN_END();
}
