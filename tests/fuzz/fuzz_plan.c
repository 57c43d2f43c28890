/* tests/fuzz/fuzz_plan.c — harness/plan.h's experiment-file reader (gr_plan_load_text: parse,
 * validate against the schema, resolve includes and profiles, expand into runs) on arbitrary
 * text. @include paths are relative to a scratch folder holding experiments/base.cfg's text as
 * "base.cfg" (the seeds include it). On failure: a documented status, one line of message, no
 * plan. On success the contract of plan.h: at least one run, every run id 16 lower-case hex
 * digits and distinct, and the resolved text reads back to itself (same text, same hash). */
#include <sys/stat.h>

#include "fuzz.h"
#include "harness/plan.h"

static const char BASE_CFG[] = "seeds = [1, 2, 3, 4, 5];\n"
                               "nets = { prior = \"normal\"; };\n"
                               "eval = { w1 = true; floor = true; knn_k = 5; };\n"
                               "estimate = { per_run = 0.05; };\n";

static char g_dir[1400], g_base[1500];

static void remove_include_dir(void) {
    unlink(g_base);
    rmdir(g_dir);
}

static const char *include_dir(void) {
    if (g_dir[0]) return g_dir;
    const char *base = gr_fuzz_file("plan-base.cfg", BASE_CFG, sizeof BASE_CFG - 1);
    snprintf(g_dir, sizeof g_dir, "%s.d", base);
    mkdir(g_dir, 0700);
    snprintf(g_base, sizeof g_base, "%s/base.cfg", g_dir);
    GR_FUZZ_CHECK(rename(base, g_base) == 0, "cannot make %s", g_base);
    atexit(remove_include_dir);
    return g_dir;
}

static int is_hex_id(const char *id) {
    if (!id || strlen(id) != GR_RUN_ID_LEN) return 0;
    for (const char *c = id; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    GR_FUZZ_CHECK(text != NULL, "malloc");
    memcpy(text, data, size);
    text[size] = '\0';
    gr_plan *p = (gr_plan *)&p; /* must be overwritten */
    gr_error err;
    memset(&err, 0, sizeof err);
    int s = gr_plan_load_text(&p, text, "fuzz.cfg", include_dir(), NULL, &err);
    if (s == GR_OK) {
        gr_fuzz_note_accepted();
        GR_FUZZ_CHECK(p != NULL, "GR_OK without a plan");
        size_t n = gr_plan_n_runs(p);
        GR_FUZZ_CHECK(n >= 1, "a plan without runs");
        for (size_t i = 0; i < n && i < 64; i++) {
            const gr_run *r = gr_plan_run(p, i);
            GR_FUZZ_CHECK(r != NULL && is_hex_id(gr_run_id(r)), "run %zu id", i);
            GR_FUZZ_CHECK(gr_plan_find_run(p, gr_run_id(r)) == r, "run %zu not found by id", i);
        }
        gr_plan *q = NULL;
        gr_error e2;
        memset(&e2, 0, sizeof e2);
        int s2 = gr_plan_load_text(&q, gr_plan_text(p), "resolved.cfg", include_dir(), NULL, &e2);
        GR_FUZZ_CHECK(s2 == GR_OK, "the resolved text does not read back: %s", e2.msg);
        GR_FUZZ_CHECK(strcmp(gr_plan_text(q), gr_plan_text(p)) == 0, "resolved text changed");
        GR_FUZZ_CHECK(strcmp(gr_plan_hash(q), gr_plan_hash(p)) == 0, "hash changed");
        GR_FUZZ_CHECK(gr_plan_n_runs(q) == n, "runs %zu then %zu", n, gr_plan_n_runs(q));
        gr_plan_free(q);
    } else {
        gr_fuzz_check_failure(s, &err);
        GR_FUZZ_CHECK(p == NULL, "failure left a plan");
        GR_FUZZ_CHECK(s == GR_EFORMAT || s == GR_EIO || s == GR_ENOMEM || s == GR_EINVAL,
                      "status %d not documented", s);
        GR_FUZZ_CHECK(strchr(err.msg, '\n') == NULL, "message of more than one line: %s", err.msg);
    }
    gr_plan_free(p);
    free(text);
    return 0;
}
