/* tests/harness/proto_run.h — one protocol run in process, as the runner writes it: a
 * one-run experiment through gr_results_write_run_file into DIR/NAME.h5, then opened with
 * the strict reader; metric and series readers that CHECK their status. Or a protocol as a
 * user runs it: `ganrepro run` on an experiment file, its results file opened with the
 * strict reader, its metrics read. Shared by the protocol tests. */
#ifndef GR_TESTS_HARNESS_PROTO_RUN_H
#define GR_TESTS_HARNESS_PROTO_RUN_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_run.h"
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
static inline int gr_test_run_protocol(gr_test_run *o, const char *dir, const char *exp_name,
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

/* Metric NAME of run i (NaN, and a failed check, if it cannot be read). */
static inline double gr_test_results_metric(const gr_results *r, size_t i, const char *name) {
    double v = NAN;
    gr_error err;
    CHECK_OK(gr_results_metric(r, i, name, &v, &err), &err);
    return v;
}

static inline double gr_test_run_metric(gr_test_run *o, const char *name) {
    return gr_test_results_metric(o->r, 0, name);
}

static inline double *gr_test_run_series(gr_test_run *o, const char *name, size_t *n) {
    double *v = NULL;
    gr_error err;
    CHECK_OK(gr_results_series_read(o->r, 0, name, &v, n, &err), &err);
    return v;
}

/* Write text to DIR/NAME.cfg and run `ganrepro run DIR/NAME.cfg --jobs 1 --out DIR/OUT`
 * (the executable from $GR_CLI); its exit status, with what it printed on stderr when that
 * is not 0 (-1000 if it could not run). */
static inline int gr_test_run_cli(const char *dir, const char *name, const char *text,
                                  const char *out_dir) {
    const char *cli = gr_test_cli();
    if (!cli) return -1000;
    char file[64], cmd[2048], out[8192], errb[8192];
    snprintf(file, sizeof file, "%s.cfg", name);
    gr_test_write_in(dir, file, text);
    snprintf(cmd, sizeof cmd, "'%s' run '%s/%s' --jobs 1 --out '%s/%s'", cli, dir, file, dir,
             out_dir);
    int st = gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
    if (st != 0) fprintf(stderr, "  %s: exit %d: %s\n", name, st, errb);
    return st;
}

/* DIR/OUT/NAME.h5 (experiment NAME) opened with the strict reader; NULL, and a failed check,
 * if it does not open. */
static inline gr_results *gr_test_results_open(const char *dir, const char *out_dir,
                                               const char *name) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s/%s.h5", dir, out_dir, name);
    gr_results *r = NULL;
    gr_error err;
    CHECK_OK(gr_results_open(&r, path, name, &err), &err);
    return r;
}

#endif
