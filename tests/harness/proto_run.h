/* tests/harness/proto_run.h — one protocol run in process, as the runner writes it: a
 * one-run experiment through gr_results_write_run_file into DIR/NAME.h5, then opened with
 * the strict reader; metric and series readers that CHECK their status. Shared by the
 * protocol tests. */
#ifndef GR_TESTS_HARNESS_PROTO_RUN_H
#define GR_TESTS_HARNESS_PROTO_RUN_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/protocol.h"
#include "harness/results.h"
#include "test.h"

typedef struct gr_test_run {
    gr_results *r;
    int status; /* the run's recorded status */
    char path[512];
} gr_test_run;

/* Run fn with the settings (key, value pairs) as run "r-NAME" of experiment exp_name
 * (protocol name, claims as recorded); open its file. */
static int gr_test_run_protocol(gr_test_run *o, const char *dir, const char *exp_name,
                                const char *protocol, const char *claims, gr_protocol_fn fn,
                                const char *name, const gr_run_param *p, size_t n) {
    memset(o, 0, sizeof *o);
    char id[64];
    snprintf(id, sizeof id, "r-%s", name);
    snprintf(o->path, sizeof o->path, "%s/%s.h5", dir, name);
    gr_run_desc run = {.id = id,
                       .index = 0,
                       .seed = 1,
                       .resolved = "seed = 1;\n",
                       .n_swept = 0,
                       .swept = NULL,
                       .n_settings = n,
                       .settings = p};
    gr_exp_desc exp = {.name = exp_name,
                       .protocol = protocol,
                       .claims = claims,
                       .profile = "ci",
                       .declaration = "x = 1;\n",
                       .declaration_hash = "sha256:test",
                       .n_runs = 1,
                       .runs = &run};
    gr_results_context ctx = {.jobs = 1, .shard_index = 0, .shard_count = 0};
    snprintf(ctx.start_time, sizeof ctx.start_time, "2026-12-01T00:00:00Z");
    gr_error err;
    int st = gr_results_write_run_file(o->path, &exp, &run, &ctx, fn, NULL, 0, &o->status, &err);
    CHECK_OK(st, &err);
    if (st != GR_OK) return st;
    st = gr_results_open(&o->r, o->path, exp_name, &err);
    CHECK_OK(st, &err);
    return st;
}

static double gr_test_run_metric(gr_test_run *o, const char *name) {
    double v = NAN;
    gr_error err;
    CHECK_OK(gr_results_metric(o->r, 0, name, &v, &err), &err);
    return v;
}

static double *gr_test_run_series(gr_test_run *o, const char *name, size_t *n) {
    double *v = NULL;
    gr_error err;
    CHECK_OK(gr_results_series_read(o->r, 0, name, &v, n, &err), &err);
    return v;
}

#endif
