/* tests/harness/test_plan.c — experiment files (harness/plan.h): every malformed file is one
 * exact "FILE:LINE: ..." message; includes give overridable defaults; profiles, --set and
 * sweeps expand into the runs they should; run ids are stable under reordering and
 * reformatting and change exactly where a setting changes; the resolved text reads back to
 * itself; the typed getters return the declared values and refuse the rest. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "harness/plan.h"
#include "harness/schema.h"
#include "test.h"

static char dir[512];

static void put(const char *name, const char *text) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK(gr_test_write_file(path, text, strlen(text)));
}

static gr_plan *load_opt(const char *name, const char *profile, const char *const *sets,
                         size_t n_sets, gr_error *err) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gr_plan_options o = gr_plan_options_default();
    o.profile = profile;
    o.sets = sets;
    o.n_sets = n_sets;
    gr_plan *p = NULL;
    int st = gr_plan_load(&p, path, &o, err);
    if (st != GR_OK) CHECK(p == NULL);
    return p;
}

static gr_plan *load(const char *name, gr_error *err) { return load_opt(name, NULL, NULL, 0, err); }

/* Loading `name` fails with status `status` and exactly "DIR/FILE:LINE: MSG" (file is
 * where the error is, which may be an included file; line 0: no line part). */
static void expect_error(const char *name, int status, const char *file, int line,
                         const char *msg) {
    gr_error err;
    gr_error_clear(&err);
    gr_plan *p = load(name, &err);
    CHECK(p == NULL);
    gr_plan_free(p);
    CHECK_STATUS(err.status, status);
    char want[1024];
    if (line > 0)
        snprintf(want, sizeof want, "%s/%s:%d: %s", dir, file, line, msg);
    else
        snprintf(want, sizeof want, "%s/%s: %s", dir, file, msg);
    CHECK(strcmp(err.msg, want) == 0);
    if (strcmp(err.msg, want)) fprintf(stderr, "  got:  %s\n  want: %s\n", err.msg, want);
    CHECK(strchr(err.msg, '\n') == NULL); /* one line */
}

/* A valid distance_curve experiment: 2 curve.samples x 3 seeds (quick: n_seeds 3). */
#define BASE_CFG                                                                                   \
    "# shared defaults\n"                                                                          \
    "seeds = [11, 12, 13, 14];\n"                                                                  \
    "eval = { knn_k = 7; };\n"
#define HEAD                                                                                       \
    "@include \"base.cfg\"\n"                                                      /* 1 */         \
    "experiment = { name = \"t\"; claims = [\"C19\", \"C20\"];\n"                  /* 2 */         \
    "  protocol = \"distance_curve\"; };\n"                                        /* 3 */         \
    "data = { set = \"parallel_lines\"; };\n"                                      /* 4 */         \
    "profiles = {\n"                                                               /* 5 */         \
    "  ci = { curve = { points = 5; }; eval = { n = 10; }; n_seeds = 1; };\n"      /* 6 */         \
    "  quick = { curve = { points = 21; }; eval = { n = 100; }; n_seeds = 3; };\n" /* 7 */         \
    "  full = { curve = { points = 201; }; eval = { n = 1000; }; };\n"             /* 8 */         \
    "};\n"                                                                         /* 9 */
#define OK_CFG HEAD "curve = { samples = [\"shared_grid\", \"independent\"]; };\n" /* 10 */

static void test_valid_and_include_defaults(void) {
    put("base.cfg", BASE_CFG);
    put("ok.cfg", OK_CFG);
    gr_error err;
    gr_plan *p = load("ok.cfg", &err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK(!strcmp(gr_plan_name(p), "t"));
    CHECK(!strcmp(gr_plan_protocol(p), "distance_curve"));
    CHECK(!strcmp(gr_plan_profile(p), "quick"));
    CHECK(gr_plan_n_claims(p) == 2 && !strcmp(gr_plan_claim(p, 1), "C20"));
    CHECK(gr_plan_n_seeds(p) == 3 && gr_plan_seed(p, 2) == 13);
    CHECK(gr_plan_n_runs(p) == 6); /* 2 sample modes x 3 seeds */
    CHECK(gr_plan_n_axes(p) == 1 && !strcmp(gr_plan_axis(p, 0), "curve.samples"));
    /* order: the axis slowest, seeds fastest */
    const gr_run *r3 = gr_plan_run(p, 3);
    CHECK(gr_run_seed(r3) == 11);
    CHECK(!strcmp(gr_run_swept_value(r3, 0), "\"independent\""));
    CHECK(!strcmp(gr_run_swept_value(gr_plan_run(p, 0), 0), "\"shared_grid\""));
    /* the include's value, a default, the profile's sizes */
    int64_t k = 0;
    size_t n = 0;
    double from = 0;
    CHECK_OK(gr_run_get_int(r3, "eval.knn_k", &k, &err), &err);
    CHECK(k == 7);
    CHECK_OK(gr_run_get_size(r3, "eval.n", &n, &err), &err);
    CHECK(n == 100);
    CHECK_OK(gr_run_get_double(r3, "curve.from", &from, &err), &err);
    CHECK(from == -1.0);
    /* an int key read as a double is exact */
    double pts = 0;
    CHECK_OK(gr_run_get_double(r3, "curve.points", &pts, &err), &err);
    CHECK(pts == 21.0);
    const char *s = NULL;
    CHECK_OK(gr_run_get_string(r3, "curve.samples", &s, &err), &err);
    CHECK(s && !strcmp(s, "independent"));
    int b = 0;
    CHECK_OK(gr_run_get_bool(r3, "eval.w1", &b, &err), &err);
    CHECK(b == 1);
    const int64_t *sd = NULL;
    CHECK_OK(gr_run_get_ints(r3, "seeds", &sd, &n, &err), &err);
    CHECK(n == 3 && sd && sd[0] == 11);
    /* refusals */
    CHECK_STATUS(gr_run_get_int(r3, "curve.from", &k, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "curve.from is a double, not an int");
    CHECK_STATUS(gr_run_get_double(r3, "curve.nope", &from, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "curve.nope is not an experiment-file key");
    CHECK_STATUS(gr_run_get_string(r3, "nets.g", &s, &err), GR_EINVAL); /* no default, unset */
    CHECK_STR_CONTAINS(err.msg, "nets.g has no value in run");
    CHECK_STATUS(gr_run_get_double(r3, "method.optim_d.lr", &from, &err), GR_EINVAL);
    CHECK(gr_run_has(r3, "eval.n") == 1 && gr_run_has(r3, "nets.d") == 0);
    CHECK(gr_plan_find_run(p, gr_run_id(r3)) == r3);
    CHECK(strlen(gr_run_id(r3)) == GR_RUN_ID_LEN);
    CHECK(!strncmp(gr_plan_hash(p), "sha256:", 7) && strlen(gr_plan_hash(p)) == 71);
    /* profiles: ci uses 1 seed and 5 points; full all 4 seeds */
    gr_plan_free(p);
    p = load_opt("ok.cfg", "ci", NULL, 0, &err);
    CHECK(p && gr_plan_n_runs(p) == 2);
    if (p) CHECK_OK(gr_run_get_size(gr_plan_run(p, 0), "curve.points", &n, &err), &err);
    CHECK(n == 5);
    gr_plan_free(p);
    p = load_opt("ok.cfg", "full", NULL, 0, &err);
    CHECK(p && gr_plan_n_runs(p) == 8);
    gr_plan_free(p);
}

static void test_malformed(void) {
    put("base.cfg", BASE_CFG);
    put("unknown.cfg", OK_CFG "data2 = 1;\n");
    expect_error("unknown.cfg", GR_EFORMAT, "unknown.cfg", 11,
                 "unknown key data2; the top level has: experiment, profile, seeds, n_seeds, "
                 "data, nets, method, schedule, frozen, fixed, curve, game, preset_check, "
                 "fixed_gen, oracle, eval, probes, estimate, criteria, profiles");
    put("unknown2.cfg", OK_CFG "eval = {\n  nn = 3;\n};\n");
    expect_error("unknown2.cfg", GR_EFORMAT, "unknown2.cfg", 12,
                 "unknown key eval.nn; eval has: every, n, w1, floor, divergence, knn_k, modes, "
                 "n_modes, classifier, estimate_window, estimate_after, w1_target, save_images, "
                 "spike_window");
    put("type.cfg", OK_CFG "data = { theta = \"0.5\"; };\n");
    /* data appears twice in one file: libconfig's duplicate */
    expect_error("type.cfg", GR_EFORMAT, "type.cfg", 11,
                 "duplicate key: a key may appear once per group in a file (to override a "
                 "default of an @include'd file, set the key once here)");
    put("type2.cfg", OK_CFG "fixed = { noise_sd = \"big\"; };\n");
    expect_error("type2.cfg", GR_EFORMAT, "type2.cfg", 11,
                 "fixed.noise_sd: wrong type, got the string \"big\"; fixed.noise_sd accepts a "
                 "number in [0, 1000]");
    put("type3.cfg", OK_CFG "eval = { knn_k = 2.5; };\n");
    expect_error("type3.cfg", GR_EFORMAT, "type3.cfg", 11,
                 "eval.knn_k: wrong type, got the number 2.5; eval.knn_k accepts an int in "
                 "[1, 1000]");
    put("range.cfg", OK_CFG "eval = { knn_k = 0; };\n");
    expect_error("range.cfg", GR_EFORMAT, "range.cfg", 11,
                 "eval.knn_k = 0 is out of range; eval.knn_k accepts an int in [1, 1000]");
    put("range2.cfg", HEAD "method = { name = \"wgan_gp\"; optim_d = { lr = 0.0; }; };\n");
    expect_error("range2.cfg", GR_EFORMAT, "range2.cfg", 10,
                 "method.optim_d.lr = 0 is out of range; method.optim_d.lr accepts a number in "
                 "(0, 10]");
    put("enum.cfg", OK_CFG "eval = { divergence = \"exactly\"; };\n");
    expect_error("enum.cfg", GR_EFORMAT, "enum.cfg", 11,
                 "eval.divergence = \"exactly\" is not accepted; eval.divergence accepts one of "
                 "\"exact\", \"knn\" or \"none\"");
    put("arch.cfg", HEAD "nets = { d = \"2-64relu-1\"; };\n");
    gr_error err;
    gr_plan *p = load("arch.cfg", &err);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(err.msg, "arch.cfg:10: nets.d = \"2-64relu-1\": ");
    gr_plan_free(p);
    /* missing required keys: the line of what requires them */
    put("noset.cfg", "experiment = { name = \"t\"; claims = [\"C19\"];\n"
                     "  protocol = \"distance_curve\"; };\n"
                     "seeds = [1];\n"
                     "curve = { points = 3; };\neval = { n = 4; };\n");
    expect_error("noset.cfg", GR_EFORMAT, "noset.cfg", 2,
                 "data.set is missing; protocol distance_curve needs it (one of "
                 "\"parallel_lines\", \"gauss1d\", \"point_mass\", \"segment\", \"8gaussians\", "
                 "\"25gaussians\", \"swissroll\", \"embedded\" or \"mnist\")");
    put("noseeds.cfg", "experiment = { name = \"t\"; claims = [\"C19\"];\n"
                       "  protocol = \"distance_curve\"; };\n"
                       "data = { set = \"parallel_lines\"; };\n"
                       "curve = { points = 3; };\neval = { n = 4; };\n");
    expect_error("noseeds.cfg", GR_EFORMAT, "noseeds.cfg", 1,
                 "seeds is missing (every experiment needs it); it accepts an array of 1 to "
                 "1000 ints in [0, 2^63 - 1]");
    put("noproto.cfg", "experiment = {\n  name = \"t\";\n};\n");
    expect_error("noproto.cfg", GR_EFORMAT, "noproto.cfg", 1,
                 "experiment.protocol is missing; it accepts one of \"train\", \"frozen_d\", "
                 "\"fixed_critic\", \"distance_curve\", \"objective\", \"game\", "
                 "\"preset_check\", \"fixed_gen\" or \"oracle\"");
    put("nonets.cfg", "experiment = { name = \"t\"; claims = [\"C24\"]; protocol = \"train\"; };\n"
                      "seeds = [1];\ndata = { set = \"8gaussians\"; };\n"
                      "method = { name = \"wgan_gp\"; };\n"
                      "schedule = { steps = 10; };\neval = { n = 4; };\n");
    expect_error("nonets.cfg", GR_EFORMAT, "nonets.cfg", 1,
                 "nets.g is missing; protocol train needs it (an architecture string such as "
                 "\"2-512relu-512relu-1linear\")");
    /* syntax errors and duplicates, in the file or in an include */
    put("syntax.cfg", OK_CFG "\neval = { n = ; };\n");
    expect_error("syntax.cfg", GR_EFORMAT, "syntax.cfg", 12,
                 "syntax error (libconfig): expected KEY = VALUE; with groups in { }, arrays "
                 "in [ ], lists in ( ), strings in \"\"");
    put("badbase.cfg", "seeds = [1];\nseeds = [2];\n");
    put("dupinc.cfg", "@include \"badbase.cfg\"\n" OK_CFG);
    expect_error("dupinc.cfg", GR_EFORMAT, "badbase.cfg", 2,
                 "duplicate key: a key may appear once per group in a file (to override a "
                 "default of an @include'd file, set the key once here)");
    /* includes: missing, cycle, malformed */
    put("missinc.cfg", "# a comment\n@include \"nope.cfg\"\n" OK_CFG);
    char msg[2048];
    snprintf(msg, sizeof msg,
             "cannot open include file \"nope.cfg\" (%s/nope.cfg): No such file or directory", dir);
    expect_error("missinc.cfg", GR_EIO, "missinc.cfg", 2, msg);
    put("cyc1.cfg", "seeds = [1];\n@include \"cyc2.cfg\"\n");
    put("cyc2.cfg", "\n\n@include \"cyc1.cfg\"\n");
    snprintf(msg, sizeof msg, "include cycle: %s/cyc1.cfg -> %s/cyc2.cfg -> %s/cyc1.cfg", dir, dir,
             dir);
    expect_error("cyc1.cfg", GR_EFORMAT, "cyc2.cfg", 3, msg);
    put("self.cfg", "@include \"self.cfg\"\n");
    snprintf(msg, sizeof msg, "include cycle: %s/self.cfg -> %s/self.cfg", dir, dir);
    expect_error("self.cfg", GR_EFORMAT, "self.cfg", 1, msg);
    put("badinc.cfg", "@include base.cfg\n");
    expect_error("badinc.cfg", GR_EFORMAT, "badinc.cfg", 1, "expected @include \"FILE\"");
    /* sweeps */
    put("zero.cfg", HEAD "curve = { samples = []; };\n");
    expect_error("zero.cfg", GR_EFORMAT, "zero.cfg", 10,
                 "curve.samples: a sweep with no values (zero runs); give at least one value: "
                 "one of \"independent\" or \"shared_grid\"");
    put("zerom.cfg", HEAD "method = ( );\n");
    expect_error("zerom.cfg", GR_EFORMAT, "zerom.cfg", 10,
                 "method: a sweep with no methods (zero runs); give at least one group { name = "
                 "\"...\"; }");
    put("nosweep.cfg", HEAD "curve = { from = [0.0, 0.5]; };\n");
    expect_error("nosweep.cfg", GR_EFORMAT, "nosweep.cfg", 10,
                 "curve.from takes one value, not an array (it is not a sweep axis); curve.from "
                 "accepts a number in [-1e+06, 1e+06]");
    put("repeat.cfg", HEAD "fixed = { noise_sd = [0.1, 0.2, 0.1]; };\n");
    expect_error("repeat.cfg", GR_EFORMAT, "repeat.cfg", 10,
                 "fixed.noise_sd: the sweep repeats value 1 as value 3 (two runs with the same "
                 "settings)");
    /* profiles */
    put("profsize.cfg",
        "@include \"base.cfg\"\n"
        "experiment = { name = \"t\"; claims = [\"C19\"]; protocol = \"distance_curve\"; };\n"
        "data = { set = \"parallel_lines\"; };\n"
        "profiles = {\n"
        "  ci = { curve = { points = 5; }; eval = { n = 10; }; };\n"
        "  quick = { eval = { n = 100; }; };\n"
        "  full = { curve = { points = 201; }; eval = { n = 1000; }; };\n"
        "};\n");
    expect_error("profsize.cfg", GR_EFORMAT, "profsize.cfg", 6,
                 "profile quick does not set curve.points, which protocol distance_curve needs "
                 "(an int in [1, 1000000])");
    put("profnone.cfg",
        "@include \"base.cfg\"\n"
        "experiment = { name = \"t\"; claims = [\"C19\"]; protocol = \"distance_curve\"; };\n"
        "data = { set = \"parallel_lines\"; };\n"
        "profiles = {\n"
        "  ci = { curve = { points = 5; }; eval = { n = 10; }; };\n"
        "  full = { curve = { points = 201; }; eval = { n = 1000; }; };\n"
        "};\n");
    expect_error("profnone.cfg", GR_EFORMAT, "profnone.cfg", 4,
                 "profiles has no quick group; an experiment declares its sizes for ci, quick "
                 "and full");
    put("profbad.cfg",
        "@include \"base.cfg\"\n"
        "experiment = { name = \"t\"; claims = [\"C19\"]; protocol = \"distance_curve\"; };\n"
        "data = { set = \"parallel_lines\"; };\n"
        "profiles = {\n"
        "  ci = { curve = { points = 5; from = 0.0; }; eval = { n = 10; }; };\n"
        "};\n");
    expect_error("profbad.cfg", GR_EFORMAT, "profbad.cfg", 5,
                 "curve.from is not a size: a profile sets only sizes (schedule.steps, eval.n, "
                 "n_seeds, probes.*, ...; see docs/EXPERIMENTS.md); set curve.from outside "
                 "profiles");
    put("toomany.cfg", OK_CFG "seeds = [5];\n"); /* quick's n_seeds = 3, line 7 */
    expect_error("toomany.cfg", GR_EFORMAT, "toomany.cfg", 7,
                 "n_seeds = 3 but seeds lists only 1; list more seeds or use fewer");
    /* 32-bit wrap of libconfig 1.5 */
    put("big.cfg", OK_CFG "seeds = [1, 5000000000];\n");
    expect_error("big.cfg", GR_EFORMAT, "big.cfg", 11,
                 "the integer 5000000000 does not fit 32 bits: write it with an L suffix "
                 "(5000000000L), which libconfig reads as 64-bit");
    /* methods */
    put("mkey.cfg", HEAD "method = {\n  name = \"gan_ns\";\n  lambda = 1.0;\n};\n");
    expect_error("mkey.cfg", GR_EFORMAT, "mkey.cfg", 12,
                 "method.lambda does not apply to gan_ns; remove it (see docs/EXPERIMENTS.md for "
                 "each method's settings)");
    put("mopt.cfg", HEAD "method = { name = \"wgan_clip\"; optim_d = { beta1 = 0.5; }; };\n");
    expect_error("mopt.cfg", GR_EFORMAT, "mopt.cfg", 10,
                 "method.optim_d.beta1 does not apply to this optimizer; remove it (see "
                 "docs/EXPERIMENTS.md for each method's settings)");
    put("mlabel.cfg", HEAD "method = ( { name = \"wgan_gp\"; }, { name = \"wgan_gp\"; } );\n");
    expect_error("mlabel.cfg", GR_EFORMAT, "mlabel.cfg", 10,
                 "two method alternatives are labelled wgan_gp; give each a distinct label = "
                 "\"...\"");
    put("mdup.cfg", HEAD "method = ( { name = \"wgan_gp\"; label = \"a\"; },\n"
                         "  { name = \"wgan_gp\"; label = \"b\"; } );\n");
    expect_error("mdup.cfg", GR_EFORMAT, "mdup.cfg", 10,
                 "runs 1 and 4 have the same settings (method alternatives that differ only in "
                 "their label, or one sweeping over another's value)");
    put("mdup2.cfg", HEAD "method = ( { name = \"wgan_gp\"; lambda = [1.0, 10.0]; },\n"
                          "  { name = \"wgan_gp\"; label = \"b\"; lambda = 10.0; } );\n");
    expect_error("mdup2.cfg", GR_EFORMAT, "mdup2.cfg", 10,
                 "runs 4 and 7 have the same settings (method alternatives that differ only in "
                 "their label, or one sweeping over another's value)");
    /* criteria */
    put("crit.cfg", OK_CFG "criteria = ( { claim = \"C21\"; metric = \"x\"; condition = \"<\";\n"
                           "  threshold = 1.0; } );\n");
    expect_error("crit.cfg", GR_EFORMAT, "crit.cfg", 11,
                 "criteria.claim = \"C21\" is not one of experiment.claims");
    put("crit2.cfg",
        OK_CFG "criteria = (\n  { claim = \"C19\"; metric = \"x\"; condition = \"in\";\n"
               "  threshold = 1.0; } );\n");
    expect_error("crit2.cfg", GR_EFORMAT, "crit2.cfg", 12,
                 "condition \"in\" needs threshold_hi (the upper bound)");
    put("crit3.cfg",
        OK_CFG "criteria = (\n  { claim = \"C19\"; metric = \"x\"; condition = \"<\";\n"
               "    threshold = 1.0; where = \"eval.n = big\"; } );\n");
    expect_error("crit3.cfg", GR_EFORMAT, "crit3.cfg", 13,
                 "criteria.where: eval.n = big: not a libconfig value; eval.n accepts an int in "
                 "[1, 10000000]");
    put("crit4.cfg", OK_CFG "criteria = (\n  { claim = \"C19\"; metric = \"x\";\n"
                            "    threshold = 1.0; } );\n");
    expect_error("crit4.cfg", GR_EFORMAT, "crit4.cfg", 12,
                 "criterion 1 has no condition; it accepts one of \"<\", \"<=\", \">\", \">=\" or "
                 "\"in\"");
    put("crit5.cfg", OK_CFG "criteria = (\n  { claim = \"C19\"; metric = \"x\"; op = \"<\";\n"
                            "    threshold = 1.0; } );\n");
    expect_error("crit5.cfg", GR_EFORMAT, "crit5.cfg", 12,
                 "unknown key criteria.op; a criterion has: claim, metric, condition, threshold, "
                 "threshold_hi, over, k, doc, where, against");
}

static void test_set_overrides(void) {
    put("base.cfg", BASE_CFG);
    put("ok.cfg", OK_CFG);
    gr_error err;
    const char *s1[] = {"eval.n=37", "data.sigma=[0.1, 0.2]", "curve.samples=\"independent\""};
    gr_plan *p = load_opt("ok.cfg", "ci", s1, 3, &err);
    CHECK(p != NULL);
    if (p) {
        CHECK(gr_plan_n_runs(p) == 2); /* sigma sweep of 2 x 1 seed; samples now fixed */
        size_t n = 0;
        CHECK_OK(gr_run_get_size(gr_plan_run(p, 1), "eval.n", &n, &err), &err);
        CHECK(n == 37);
        CHECK(gr_plan_n_axes(p) == 1 && !strcmp(gr_plan_axis(p, 0), "data.sigma"));
    }
    gr_plan_free(p);
    struct {
        const char *set, *msg;
    } bad[] = {
        {"eval.nn=3", "--set eval.nn=3: unknown key eval.nn; eval has: every, n, w1, floor, "
                      "divergence, knn_k, modes, n_modes, classifier, estimate_window, "
                      "estimate_after, w1_target, save_images, spike_window"},
        {"nope=3", "--set nope=3: unknown key nope; the top level has: experiment, profile, "
                   "seeds, n_seeds, data, nets, method, schedule, frozen, fixed, curve, game, "
                   "preset_check, fixed_gen, oracle, eval, probes, estimate, criteria, profiles"},
        {"eval.knn_k=abc", "--set eval.knn_k=abc: the value is not libconfig syntax (strings "
                           "need quotes: key='\"text\"'); eval.knn_k accepts an int in [1, 1000]"},
        {"eval.knn_k=2.5", "--set eval.knn_k=2.5: eval.knn_k: wrong type, got the number 2.5; "
                           "eval.knn_k accepts an int in [1, 1000]"},
        {"eval.knn_k=-1", "--set eval.knn_k=-1: eval.knn_k = -1 is out of range; eval.knn_k "
                          "accepts an int in [1, 1000]"},
        {"eval.n=[]", "--set eval.n=[]: eval.n: a sweep with no values (zero runs); give at "
                      "least one value: an int in [1, 10000000]"},
        {"eval.knn_k", "--set eval.knn_k: expected --set KEY=VALUE (e.g. --set "
                       "method.batch=128)"},
        {"eval.knn_k=", "--set eval.knn_k=: the value is not libconfig syntax (strings need "
                        "quotes: key='\"text\"'); eval.knn_k accepts an int in [1, 1000]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gr_error_clear(&err);
        p = load_opt("ok.cfg", NULL, &bad[i].set, 1, &err);
        CHECK(p == NULL);
        CHECK_STATUS(err.status, GR_EFORMAT);
        CHECK(!strcmp(err.msg, bad[i].msg));
        if (strcmp(err.msg, bad[i].msg))
            fprintf(stderr, "  got:  %s\n  want: %s\n", err.msg, bad[i].msg);
        gr_plan_free(p);
    }
    p = load_opt("ok.cfg", "medium", NULL, 0, &err);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(err.msg, "unknown profile 'medium': expected ci, quick or full");
}

/* A training experiment with a method sweep and sweeps inside one alternative. */
#define TRAIN_CFG                                                                                  \
    "experiment = { name = \"five\"; claims = [\"C24\", \"C39\"]; protocol = \"train\"; };\n"      \
    "seeds = [1, 2];\n"                                                                            \
    "data = { set = \"8gaussians\"; };\n"                                                          \
    "nets = { g = \"2-64relu-64relu-2linear\"; d = \"2-64relu-64relu-1linear\"; };\n"              \
    "method = (\n"                                                                                 \
    "  { name = \"gan_ns\"; },\n"                                                                  \
    "  { name = \"wgan_clip\"; clip = [0.01, 0.1]; },\n"                                           \
    "  { name = \"wgan_gp\"; lambda = [1.0, 10.0]; optim_d = { lr = [1e-4, 2e-4]; }; }\n"          \
    ");\n"                                                                                         \
    "schedule = { steps = 100; };\n"                                                               \
    "eval = { n = 50; };\n"

static void test_method_sweep_and_defaults(void) {
    put("train.cfg", TRAIN_CFG);
    gr_error err;
    gr_plan *p = load("train.cfg", &err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    /* (1 + 2 + 2*2) alternatives x 2 seeds */
    CHECK(gr_plan_n_runs(p) == 14);
    CHECK(gr_plan_n_axes(p) == 4);
    CHECK(!strcmp(gr_plan_axis(p, 0), "method") && !strcmp(gr_plan_axis(p, 1), "method.clip") &&
          !strcmp(gr_plan_axis(p, 2), "method.lambda") &&
          !strcmp(gr_plan_axis(p, 3), "method.optim_d.lr"));
    const gr_run *r0 = gr_plan_run(p, 0), *r2 = gr_plan_run(p, 2), *r13 = gr_plan_run(p, 13);
    CHECK(!strcmp(gr_run_swept_value(r0, 0), "\"gan_ns\"") && gr_run_swept_value(r0, 1) == NULL);
    CHECK(!strcmp(gr_run_swept_value(r2, 1), "0.01"));
    CHECK(!strcmp(gr_run_swept_value(r13, 2), "10.0") &&
          !strcmp(gr_run_swept_value(r13, 3), "0.0002"));
    /* the papers' defaults (CLAIMS §0, C26, C30) */
    const char *s;
    double v;
    int64_t k;
    CHECK_OK(gr_run_get_string(r0, "method.optim_d.name", &s, &err), &err);
    CHECK(!strcmp(s, "adam"));
    CHECK_OK(gr_run_get_double(r0, "method.optim_g.lr", &v, &err), &err);
    CHECK(v == 2e-4);
    CHECK_OK(gr_run_get_string(r2, "method.optim_d.name", &s, &err), &err);
    CHECK(!strcmp(s, "rmsprop"));
    CHECK_OK(gr_run_get_double(r2, "method.optim_d.lr", &v, &err), &err);
    CHECK(v == 5e-5);
    CHECK_OK(gr_run_get_int(r2, "method.n_critic", &k, &err), &err);
    CHECK(k == 5);
    CHECK_OK(gr_run_get_double(r2, "method.optim_d.alpha", &v, &err), &err);
    CHECK(v == 0.99);
    CHECK(!gr_run_has(r2, "method.optim_d.beta1")); /* not an RMSProp setting */
    CHECK_OK(gr_run_get_double(r13, "method.optim_d.beta1", &v, &err), &err);
    CHECK(v == 0.0);
    CHECK_OK(gr_run_get_double(r13, "method.optim_g.beta2", &v, &err), &err);
    CHECK(v == 0.9);
    CHECK_OK(gr_run_get_double(r13, "method.optim_g.lr", &v, &err), &err);
    CHECK(v == 1e-4);
    CHECK(!gr_run_has(r0, "method.lambda") && gr_run_has(r13, "method.lambda"));
    CHECK_OK(gr_run_get_string(r13, "method.label", &s, &err), &err);
    CHECK(!strcmp(s, "wgan_gp"));
    /* every id distinct */
    for (size_t i = 0; i < gr_plan_n_runs(p); i++)
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(gr_run_id(gr_plan_run(p, i)), gr_run_id(gr_plan_run(p, j))));
    gr_plan_free(p);
}

/* The presets' defaults, as gan/objective.h's gr_gan_config_preset sets them. */
static void test_presets(void) {
    put("p.cfg", "experiment = { name = \"p\"; claims = [\"C37\"]; protocol = \"train\"; };\n"
                 "seeds = [1];\ndata = { set = \"8gaussians\"; };\n"
                 "nets = { g = \"2-8relu-2linear\"; d = \"2-8relu-1linear\"; };\n"
                 "method = (\n"
                 "  { name = \"wgan_gp\"; preset = \"gan_toy\"; label = \"gp_toy\"; },\n"
                 "  { name = \"wgan_clip\"; preset = \"gan_toy\"; label = \"clip_toy\"; },\n"
                 "  { name = \"wgan_clip\"; preset = \"wgan_code\"; label = \"clip_code\"; },\n"
                 "  { name = \"wgan_clip\"; },\n"
                 "  { name = \"gan_in\"; },\n"
                 "  { name = \"wgan_gp\"; preset = \"gan_toy\"; label = \"gp_toy_rms\";\n"
                 "    optim_d = { name = \"rmsprop_tf\"; }; }\n"
                 ");\nschedule = { steps = 1; };\neval = { n = 2; };\n");
    gr_error err;
    gr_plan *p = load("p.cfg", &err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK(gr_plan_n_runs(p) == 6);
    const gr_run *gp = gr_plan_run(p, 0), *ct = gr_plan_run(p, 1), *cc = gr_plan_run(p, 2),
                 *cp = gr_plan_run(p, 3), *in = gr_plan_run(p, 4), *gr = gr_plan_run(p, 5);
    double v = 0;
    int64_t k = 0;
    int b = -1;
    const char *s = NULL;
    CHECK(gr_run_get_double(gp, "method.lambda", &v, &err) == GR_OK && v == 0.1);
    CHECK(gr_run_get_double(gp, "method.optim_d.beta1", &v, &err) == GR_OK && v == 0.5);
    CHECK(gr_run_get_double(gp, "method.optim_g.beta2", &v, &err) == GR_OK && v == 0.9);
    CHECK(gr_run_get_int(gp, "method.batch", &k, &err) == GR_OK && k == 256);
    CHECK(gr_run_get_string(gp, "method.init", &s, &err) == GR_OK && !strcmp(s, "he"));
    CHECK(gr_run_get_string(ct, "method.optim_d.name", &s, &err) == GR_OK &&
          !strcmp(s, "rmsprop_tf"));
    CHECK(gr_run_get_double(ct, "method.optim_g.alpha", &v, &err) == GR_OK && v == 0.9);
    CHECK(gr_run_get_double(ct, "method.optim_d.eps", &v, &err) == GR_OK && v == 1e-10);
    CHECK(gr_run_get_double(ct, "method.optim_d.lr", &v, &err) == GR_OK && v == 5e-5);
    CHECK(gr_run_get_string(cc, "method.clip_when", &s, &err) == GR_OK && !strcmp(s, "before"));
    CHECK(gr_run_get_bool(cc, "method.warmup", &b, &err) == GR_OK && b == 1);
    CHECK(gr_run_get_string(cc, "method.init", &s, &err) == GR_OK && !strcmp(s, "normal"));
    CHECK(gr_run_get_string(cp, "method.clip_when", &s, &err) == GR_OK && !strcmp(s, "after"));
    CHECK(gr_run_get_bool(cp, "method.warmup", &b, &err) == GR_OK && b == 0);
    CHECK(gr_run_get_double(cp, "method.optim_d.alpha", &v, &err) == GR_OK && v == 0.99);
    CHECK(gr_run_get_int(cp, "method.batch", &k, &err) == GR_OK && k == 64);
    CHECK(gr_run_get_double(in, "method.sigma0", &v, &err) == GR_OK && v == 1.0);
    CHECK(gr_run_get_int(in, "method.sigma_end", &k, &err) == GR_OK && k == 10000);
    CHECK(gr_run_get_string(in, "method.g_loss", &s, &err) == GR_OK && !strcmp(s, "minimax"));
    CHECK(gr_run_get_bool(in, "method.g_sees_noise", &b, &err) == GR_OK && b == 1);
    CHECK(gr_run_get_string(in, "method.init", &s, &err) == GR_OK && !strcmp(s, "torch"));
    /* an optimizer chosen by hand gets that optimizer's defaults */
    CHECK(gr_run_get_double(gr, "method.optim_d.alpha", &v, &err) == GR_OK && v == 0.9);
    CHECK(!gr_run_has(gr, "method.optim_d.beta1") && gr_run_has(gr, "method.optim_g.beta1"));
    /* the preset is not part of the id: the values are */
    CHECK(strstr(gr_run_text(gp), "preset") == NULL);
    gr_plan_free(p);
}

/* Ids of every run of a plan, joined. */
static void ids_of(const gr_plan *p, char *buf, size_t size) {
    buf[0] = '\0';
    for (size_t i = 0; i < gr_plan_n_runs(p); i++) {
        strncat(buf, gr_run_id(gr_plan_run(p, i)), size - strlen(buf) - 1);
        strncat(buf, " ", size - strlen(buf) - 1);
    }
}

static void test_ids_stable_and_sensitive(void) {
    put("a.cfg", TRAIN_CFG);
    /* the same declaration reordered, reformatted, commented, with defaults spelled out */
    put("b.cfg",
        "// the same experiment, written differently\n"
        "eval={n=50;};schedule:{steps=100;};\n"
        "method = ( { name = \"gan_ns\"; optim_d = { lr = 0.0002; }; },\n"
        "  { clip = [0.010, 1e-1]; name = \"wgan_clip\"; },\n"
        "  { optim_d = { lr = [0.0001, 0.0002]; }; lambda = [1, 10]; name = \"wgan_gp\"; } );\n"
        "nets = { d = \"2-64relu-64relu-1linear\"; g = \"2-64relu-64relu-2linear\"; prior = "
        "\"normal\"; "
        "};\n"
        "data = { set = \"8gaussians\"; };  seeds = [1, 2];\n"
        "experiment = { protocol = \"train\"; claims = [\"C24\", \"C39\"]; name = \"five\"; };\n");
    /* renamed, retitled, other claims and criteria: documentation only */
    put("c.cfg",
        "experiment = { name = \"renamed\"; title = \"x\"; claims = [\"C24\"]; protocol = "
        "\"train\"; };\n"
        "seeds = [1, 2];\n"
        "data = { set = \"8gaussians\"; };\n"
        "nets = { g = \"2-64relu-64relu-2linear\"; d = \"2-64relu-64relu-1linear\"; };\n"
        "method = (\n"
        "  { name = \"gan_ns\"; },\n"
        "  { name = \"wgan_clip\"; clip = [0.01, 0.1]; },\n"
        "  { name = \"wgan_gp\"; lambda = [1.0, 10.0]; optim_d = { lr = [1e-4, 2e-4]; }; }\n"
        ");\n"
        "schedule = { steps = 100; };\n"
        "eval = { n = 50; };\n"
        "criteria = ( { claim = \"C24\"; metric = \"rho\"; condition = \">=\"; threshold = 0.8; } "
        ");\n");
    /* one value changed: wgan_clip's second clip value */
    put("d.cfg",
        "experiment = { name = \"five\"; claims = [\"C24\", \"C39\"]; protocol = \"train\"; };\n"
        "seeds = [1, 2];\n"
        "data = { set = \"8gaussians\"; };\n"
        "nets = { g = \"2-64relu-64relu-2linear\"; d = \"2-64relu-64relu-1linear\"; };\n"
        "method = (\n"
        "  { name = \"gan_ns\"; },\n"
        "  { name = \"wgan_clip\"; clip = [0.01, 0.2]; },\n"
        "  { name = \"wgan_gp\"; lambda = [1.0, 10.0]; optim_d = { lr = [1e-4, 2e-4]; }; }\n"
        ");\n"
        "schedule = { steps = 100; };\n"
        "eval = { n = 50; };\n");
    gr_error err;
    gr_plan *a = load("a.cfg", &err), *b = load("b.cfg", &err), *c = load("c.cfg", &err),
            *d = load("d.cfg", &err);
    CHECK(a && b && c && d);
    if (a && b && c && d) {
        static char ia[4096], ib[4096], ic[4096];
        ids_of(a, ia, sizeof ia);
        ids_of(b, ib, sizeof ib);
        ids_of(c, ic, sizeof ic);
        CHECK(!strcmp(ia, ib));
        CHECK(!strcmp(gr_plan_text(a), gr_plan_text(b)));
        CHECK(!strcmp(gr_plan_hash(a), gr_plan_hash(b)));
        CHECK(!strcmp(ia, ic));                               /* renaming reruns nothing */
        CHECK(strcmp(gr_plan_hash(a), gr_plan_hash(c)) != 0); /* but the declaration differs */
        /* d: runs 4, 5 (clip 0.1 -> 0.2, seeds 1 and 2) change, no other */
        CHECK(gr_plan_n_runs(d) == gr_plan_n_runs(a));
        for (size_t i = 0; i < gr_plan_n_runs(a); i++) {
            int same = !strcmp(gr_run_id(gr_plan_run(a, i)), gr_run_id(gr_plan_run(d, i)));
            CHECK(same == !(i == 4 || i == 5));
        }
    }
    /* a profile or a --set changes the runs it touches */
    const char *set[] = {"schedule.steps=101"};
    gr_plan *e = load_opt("a.cfg", NULL, set, 1, &err);
    CHECK(e != NULL);
    if (a && e)
        for (size_t i = 0; i < gr_plan_n_runs(a); i++)
            CHECK(strcmp(gr_run_id(gr_plan_run(a, i)), gr_run_id(gr_plan_run(e, i))));
    /* the id is the SHA-256 prefix of the run's text, which holds its seed and values */
    if (a) {
        const gr_run *r = gr_plan_run(a, 13);
        CHECK_STR_CONTAINS(gr_run_text(r), "seed = 2;");
        CHECK_STR_CONTAINS(gr_run_text(r), "lambda = 10.0;");
        CHECK(strstr(gr_run_text(r), "name = \"five\"") == NULL);
    }
    gr_plan_free(a);
    gr_plan_free(b);
    gr_plan_free(c);
    gr_plan_free(d);
    gr_plan_free(e);
}

static void test_resolved_text_round_trips(void) {
    put("base.cfg", BASE_CFG);
    put("ok.cfg", OK_CFG "criteria = (\n  { claim = \"C19\"; metric = \"w1_lp_max_abs_err\";\n"
                         "    condition = \"<=\"; threshold = 1e-12;\n"
                         "    where = \"curve.samples=\\\"shared_grid\\\"\"; } );\n");
    put("train.cfg", TRAIN_CFG);
    const char *files[] = {"ok.cfg", "train.cfg"};
    const char *profiles[] = {"ci", "quick", "full"};
    for (size_t f = 0; f < 2; f++)
        for (size_t q = 0; q < 3; q++) {
            gr_error err;
            gr_plan *p = load_opt(files[f], profiles[q], NULL, 0, &err);
            CHECK(p != NULL);
            if (!p) {
                fprintf(stderr, "  %s\n", err.msg);
                continue;
            }
            /* the resolved text is an experiment file: same text, hash, runs and profile */
            gr_plan *r = NULL;
            CHECK_OK(gr_plan_load_text(&r, gr_plan_text(p), "resolved.cfg", NULL, NULL, &err),
                     &err);
            if (r) {
                CHECK(!strcmp(gr_plan_text(p), gr_plan_text(r)));
                CHECK(!strcmp(gr_plan_hash(p), gr_plan_hash(r)));
                CHECK(!strcmp(gr_plan_profile(r), profiles[q]));
                CHECK(gr_plan_n_runs(p) == gr_plan_n_runs(r));
                for (size_t i = 0; i < gr_plan_n_runs(p) && i < gr_plan_n_runs(r); i++)
                    CHECK(!strcmp(gr_run_id(gr_plan_run(p, i)), gr_run_id(gr_plan_run(r, i))));
                CHECK(gr_plan_n_criteria(r) == gr_plan_n_criteria(p));
            }
            gr_plan_free(r);
            gr_plan_free(p);
        }
}

static void test_criteria_where(void) {
    put("base.cfg", BASE_CFG);
    put("ok.cfg",
        OK_CFG "criteria = (\n"
               "  { claim = \"C19\"; metric = \"a\"; condition = \"<=\"; threshold = 1e-12;\n"
               "    where = \"curve.samples=\\\"shared_grid\\\"\"; },\n"
               "  { claim = \"C20\"; metric = \"b\"; condition = \"in\"; threshold = 0.5;\n"
               "    threshold_hi = 0.7; over = \"min\";\n"
               "    where = \"curve.samples = \\\"independent\\\" and eval.n = 100\"; },\n"
               "  { claim = \"C20\"; metric = \"c\"; condition = \">\"; threshold = 0;\n"
               "    where = \"eval.n = 2000\"; }\n"
               ");\n");
    gr_error err;
    gr_plan *p = load("ok.cfg", &err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK(gr_plan_n_criteria(p) == 3);
    const gr_criterion *c0 = gr_plan_criterion(p, 0), *c1 = gr_plan_criterion(p, 1);
    CHECK(!strcmp(c0->where, "curve.samples = \"shared_grid\""));
    CHECK(!strcmp(c1->where, "curve.samples = \"independent\" and eval.n = 100"));
    CHECK(isnan(c0->threshold_hi) && c1->threshold_hi == 0.7 && !strcmp(c1->over, "min"));
    CHECK(!strcmp(c0->over, "each") && !strcmp(c0->doc, ""));
    size_t n0 = 0, n1 = 0, n2 = 0;
    for (size_t i = 0; i < gr_plan_n_runs(p); i++) {
        n0 += (size_t)gr_plan_criterion_selects(p, 0, gr_plan_run(p, i));
        n1 += (size_t)gr_plan_criterion_selects(p, 1, gr_plan_run(p, i));
        n2 += (size_t)gr_plan_criterion_selects(p, 2, gr_plan_run(p, i));
    }
    CHECK(n0 == 3 && n1 == 3 && n2 == 0); /* quick: n = 100, 3 seeds per sample mode */
    CHECK(gr_plan_criterion_selects(p, 0, gr_plan_run(p, 0)) == 1);
    CHECK(gr_plan_criterion_selects(p, 0, gr_plan_run(p, 3)) == 0);
    gr_plan_free(p);
}

static void test_estimate(void) {
    put("base.cfg", BASE_CFG);
    put("est.cfg", OK_CFG "estimate = { per_run = 0.5; per_unit = 0.25; };\n");
    gr_error err;
    gr_plan *p = load_opt("est.cfg", "quick", NULL, 0, &err);
    CHECK(p != NULL);
    /* 6 runs x (0.5 + 0.25 x 21 points) */
    if (p) CHECK_CLOSE(gr_plan_estimate_seconds(p), 6 * (0.5 + 0.25 * 21), 1e-12, 0);
    gr_plan_free(p);
    put("ok.cfg", OK_CFG);
    p = load("ok.cfg", &err);
    if (p) CHECK(gr_plan_estimate_seconds(p) == -1); /* no per_unit declared: unknown */
    gr_plan_free(p);
}

static void test_is_experiment(void) {
    put("base.cfg", BASE_CFG);
    put("ok.cfg", OK_CFG);
    put("syntax.cfg", "a = ;\n");
    char path[1024];
    gr_error err;
    snprintf(path, sizeof path, "%s/base.cfg", dir);
    CHECK(gr_plan_file_is_experiment(path, &err) == 0);
    snprintf(path, sizeof path, "%s/ok.cfg", dir);
    CHECK(gr_plan_file_is_experiment(path, &err) == 1);
    snprintf(path, sizeof path, "%s/syntax.cfg", dir);
    CHECK(gr_plan_file_is_experiment(path, &err) == GR_EFORMAT);
    CHECK_STR_CONTAINS(err.msg, "syntax.cfg:1: syntax error");
    snprintf(path, sizeof path, "%s/absent.cfg", dir);
    CHECK(gr_plan_file_is_experiment(path, &err) == GR_EIO);
}

/* The shipped examples load in every profile; base.cfg is not an experiment. */
static void test_shipped_examples(void) {
    const char *profiles[] = {"ci", "quick", "full"};
    size_t want_runs[] = {2, 4, 10};
    for (size_t q = 0; q < 3; q++) {
        gr_plan_options o = gr_plan_options_default();
        o.profile = profiles[q];
        gr_plan *p = NULL;
        gr_error err;
        CHECK_OK(gr_plan_load(&p, "../experiments/parallel_lines.cfg", &o, &err), &err);
        if (!p) continue;
        CHECK(gr_plan_n_runs(p) == want_runs[q]);
        CHECK(!strcmp(gr_plan_name(p), "parallel_lines"));
        CHECK(gr_plan_n_criteria(p) >= 4);
        CHECK(gr_plan_estimate_seconds(p) > 0);
        gr_plan_free(p);
    }
    gr_error err;
    CHECK(gr_plan_file_is_experiment("../experiments/base.cfg", &err) == 0);
}

int main(void) {
    if (gr_test_tmpdir(dir, sizeof dir, "gr_plan_") != 0) return 1;
    RUN(test_valid_and_include_defaults);
    RUN(test_malformed);
    RUN(test_set_overrides);
    RUN(test_method_sweep_and_defaults);
    RUN(test_presets);
    RUN(test_ids_stable_and_sensitive);
    RUN(test_resolved_text_round_trips);
    RUN(test_criteria_where);
    RUN(test_estimate);
    RUN(test_is_experiment);
    RUN(test_shipped_examples);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
