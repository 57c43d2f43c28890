/* harness/resview.h — a results file loaded for the report tools (plot, table, verify):
 * its provenance, the declaration it was made with (re-parsed into a plan), every run with
 * its status and swept values, and the summary's metric columns.
 *
 * gr_resview_open reads a results file (docs/RESULTS.md) strictly through harness/results.h,
 * reads /declaration and loads it again with gr_plan_load_text, so the criteria, the axes
 * and the planned runs are those of the declaration the results were made with (not of
 * today's experiment file). Nothing is recomputed: every number comes from the file.
 *
 * Runs are in index order (the summary's row order). Each run is matched to the plan's run
 * of the same id (plan_run; NULL when the file holds a run the declaration does not plan,
 * which the runner never writes). Planned runs absent from the file (a shard, an
 * interrupted run) are counted by gr_resview_missing.
 *
 * Errors: GR_EIO (cannot open), GR_EFORMAT (not a results file of version 1, a declaration
 * that does not load, a summary that does not match the runs), with one message naming the
 * file. Ownership: the view owns everything it hands out until gr_resview_free.
 */
#ifndef GR_HARNESS_RESVIEW_H
#define GR_HARNESS_RESVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "harness/plan.h"
#include "harness/results.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_resview_run {
    const char *id;
    int64_t index;
    uint64_t seed;
    int status;                /* gr_run_status */
    const char *reason;        /* "" when ok */
    const char *const *params; /* [n_axes]: the run's value per axis as stored, "" if none */
    const gr_run *plan_run;    /* the declaration's run with this id; NULL if none */
} gr_resview_run;

typedef struct gr_resview {
    const char *path;
    const char *experiment, *protocol, *profile, *git_commit, *claims, *title;
    const char *declaration; /* the resolved declaration text */
    gr_plan *plan;           /* loaded from declaration */
    gr_results *res;         /* the open file (series, metrics) */
    size_t n_runs;
    gr_resview_run *runs;
    size_t n_axes;
    const char *const *axes; /* swept keys, the plan's order */
    size_t n_metrics;
    const char *const *metrics; /* float64 summary columns other than index/seed/param.* */
    const double *values;       /* n_metrics x n_runs, row m = metric m over the runs */
} gr_resview;

int gr_resview_open(gr_resview **out, const char *path, gr_error *err);
void gr_resview_free(gr_resview *v); /* NULL is a no-op */

/* The summary column of metric `name` (n_runs values), NULL when no run wrote it. */
const double *gr_resview_metric(const gr_resview *v, const char *name);
/* Position of the view's run with this id, or (size_t)-1. */
size_t gr_resview_find(const gr_resview *v, const char *id);
/* Planned runs (of the declaration) that the file does not hold. */
size_t gr_resview_missing(const gr_resview *v);
/* "curve.samples = shared_grid, method = gan_ns" for run i ("" without axes) into buf. */
void gr_resview_setting(const gr_resview *v, size_t i, char *buf, size_t size);

/* ---- output helpers shared by the report tools ---- */

/* mkdir -p (mode 0777 before the umask). */
int gr_report_mkdir_p(const char *dir, gr_error *err);
/* Write text to path atomically (io/atomic.h: temporary + rename). */
int gr_report_write_text(const char *path, const char *text, gr_error *err);
/* s with LaTeX's special characters escaped (_ & % # $ { } ~ ^ \\). */
void gr_report_put_tex(FILE *f, const char *s);
/* s as one CSV field (RFC 4180: quoted when it holds a comma, quote or line break). */
void gr_report_put_csv(FILE *f, const char *s);
/* s as a Markdown table cell (| escaped, line breaks as spaces). */
void gr_report_put_md(FILE *f, const char *s);

#ifdef __cplusplus
}
#endif

#endif
