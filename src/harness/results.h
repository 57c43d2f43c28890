/* harness/results.h — the results file of an experiment (results/NAME.h5): its writer,
 * its strict reader and the merge that builds it from per-run files or shards.
 * docs/RESULTS.md is the user's description of the schema; this header is the contract.
 *
 * Layout (format "ganrepro-results", version GR_RESULTS_FORMAT_VERSION):
 *   /                 root attributes: format, format_version, experiment, protocol,
 *                     claims, profile, declaration_sha256, ganrepro_version, git_commit,
 *                     build_type, compiler, blas_config, blas_core, blas_threads, jobs,
 *                     shard ("all" or "I/N"), runs_planned, start_time, end_time
 *   /declaration      scalar string dataset: the resolved declaration text
 *   /runs/<id>/       one group per run; attributes index, seed, status ("ok", "diverged",
 *                     "failed"), reason, step_reached, wall_time_s, one string attribute
 *                     per swept parameter ("param.<key>"); dataset settings (string)
 *     series/step     int64, extendible (chunked, shuffle+deflate), the shared step axis
 *     series/<name>   float64, same length as step, same chunking
 *     metrics         group whose float64 attributes are the run's final metrics
 *     samples/, probes/  fixed-shape float32/float64 datasets as the protocol writes them
 *   /summary/         one row per run in plan order, one 1-D dataset per column:
 *                     run_id, status (strings), index, seed (int64/uint64), param.<key>
 *                     (float64 when every value is a number, string otherwise), and one
 *                     float64 column per metric (NaN where a run lacks it).
 *
 * Writing: a run is written into its own file (results/NAME.d/<id>.h5) through
 * io/atomic.h (temporary + rename): the file exists only once complete. The experiment's
 * file is then assembled from the per-run files (gr_results_merge), again atomically.
 * So a kill -9 at any moment leaves at most temporaries (removed by the next write) and
 * complete per-run files, which the next run reuses.
 *
 * Identical runs give identical numeric datasets: object time tracking is off and nothing
 * in a dataset depends on the clock (times are attributes: start_time, end_time,
 * wall_time_s).
 */
#ifndef GR_HARNESS_RESULTS_H
#define GR_HARNESS_RESULTS_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "harness/rundesc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_RESULTS_FORMAT         "ganrepro-results"
#define GR_RESULTS_FORMAT_VERSION 1

/* Run statuses, as stored in the status attribute. */
typedef enum gr_run_status {
    GR_RUN_OK = 0,       /* the protocol returned GR_OK */
    GR_RUN_DIVERGED = 1, /* it returned GR_EDIVERGED (a measured outcome: kept on rerun) */
    GR_RUN_FAILED = 2    /* any other error, or the worker died: rerun next time */
} gr_run_status;
const char *gr_run_status_name(int status); /* "ok", "diverged", "failed" */

/* The execution context of the root attributes (what made the file). */
typedef struct gr_results_context {
    int jobs;            /* parallel processes used */
    size_t shard_index;  /* 0-based */
    size_t shard_count;  /* 0 or 1: the whole experiment */
    char start_time[32]; /* ISO 8601 UTC */
} gr_results_context;

/* ---- writing one run (used by protocols) ---- */

typedef struct gr_results_run gr_results_run;

/* Declare the run's series once, before the first row: names of the float64 columns
 * (each [A-Za-z0-9_.]+, not "step"). Each series/<name> and series/step are created. */
int gr_results_run_series_define(gr_results_run *w, const char *const *names, size_t n,
                                 gr_error *err);
/* Append one row: the step and n values (in the order of the definition). Also records
 * the step reached. Rows are buffered (256, one chunk) and written when the buffer is full
 * and when the run ends, whatever its status; nothing is allocated here (the buffers are
 * made by _series_define). */
int gr_results_run_series_row(gr_results_run *w, int64_t step, const double *values, gr_error *err);
/* A final metric (summary column): a float64 attribute of metrics/ (inf and NaN allowed:
 * plain IEEE values). A name may be set once. */
int gr_results_run_metric(gr_results_run *w, const char *name, double value, gr_error *err);
/* A fixed-shape dataset under samples/ or probes/ (group "samples" or "probes"), rank 1
 * or 2, float64 or float32. */
int gr_results_run_dataset_f64(gr_results_run *w, const char *group, const char *name, int rank,
                               const size_t *dims, const double *data, gr_error *err);
int gr_results_run_dataset_f32(gr_results_run *w, const char *group, const char *name, int rank,
                               const size_t *dims, const float *data, gr_error *err);
/* The step reached, when the protocol has no series (the last row's step otherwise). */
void gr_results_run_set_step(gr_results_run *w, int64_t step);
/* The run's group, for protocols that write more (e.g. io/checkpoint.h into a subgroup). */
hid_t gr_results_run_group(const gr_results_run *w);
/* The checkpoint hook: the path where a checkpointing protocol keeps its checkpoint
 * (results/NAME.d/<id>.ckpt.h5), and whether it should continue from it (--resume and
 * the file exists). The runner removes the checkpoint once the run completes ok. */
const char *gr_results_run_checkpoint_path(const gr_results_run *w);
int gr_results_run_resume(const gr_results_run *w);

/* ---- the per-run file (used by the runner) ---- */

/* A protocol: runs one run, writing through w. Returns GR_OK (status ok), GR_EDIVERGED
 * (diverged) or another error (failed; err's message becomes the reason). */
typedef int (*gr_protocol_fn)(const gr_run_desc *run, gr_results_run *w, gr_error *err);

/* Write the complete per-run file `path` atomically: root attributes, the run group, the
 * protocol's output, then the status, reason, step and wall time. The protocol's failure
 * is recorded in the file (status failed / diverged) and is not an error of this call;
 * *status gets the run's status. Errors: writing the file failed (nothing left at path). */
int gr_results_write_run_file(const char *path, const gr_exp_desc *exp, const gr_run_desc *run,
                              const gr_results_context *ctx, gr_protocol_fn protocol,
                              const char *checkpoint_path, int resume, int *status, gr_error *err);
/* A per-run file for a run whose worker died (signal, exit without a file): status failed
 * with the given reason and no series. */
int gr_results_write_failed_run_file(const char *path, const gr_exp_desc *exp,
                                     const gr_run_desc *run, const gr_results_context *ctx,
                                     const char *reason, double wall_time_s, gr_error *err);
/* Whether `path` is a complete per-run file of `run` that can be reused: right format and
 * version, same experiment, same run id, same git commit as this build, status ok or
 * diverged. 1 yes (and *status = its status), 0 no (absent, or *why says why: stale
 * commit, failed, unreadable), never an error. */
int gr_results_run_file_reusable(const char *path, const gr_exp_desc *exp, const gr_run_desc *run,
                                 int *status, char *why, size_t why_size);

/* ---- assembling the experiment's file ---- */

/* Write `out` atomically from the runs found in the input files (per-run files or shard
 * / experiment files, all checked strictly first): every input must have the same format
 * version, experiment, declaration hash and git commit (refused with a message naming the
 * two files and the differing value otherwise). Runs are taken in index order; a run id
 * present in several inputs is taken from the first. Root attributes come from the first
 * input, with start_time the earliest, end_time now, shard = `shard` (NULL: "all"); the
 * declaration dataset from `declaration` when non-NULL, else from the first input.
 * *n_runs (may be NULL) gets the number of runs written. */
int gr_results_merge(const char *out, const char *const *inputs, size_t n_inputs, const char *shard,
                     size_t *n_runs, gr_error *err);

/* The runner's assembly: as gr_results_merge, but the root attributes and the declaration
 * are those of `exp` and `ctx` (this build, this invocation), the shard attribute follows
 * ctx, and the inputs (per-run files) may come from older declarations of the same
 * experiment (a run id is the hash of the run's own settings, so a reused run is the same
 * run); the experiment name and the git commit must still agree. n_files may be 0: an
 * experiment file without runs. */
int gr_results_assemble(const char *out, const gr_exp_desc *exp, const gr_results_context *ctx,
                        const char *const *run_files, size_t n_files, size_t *n_runs,
                        gr_error *err);

/* ---- reading (strict) ---- */

typedef struct gr_results gr_results;

typedef struct gr_results_run_info {
    const char *id; /* borrowed from the reader */
    int64_t index;
    uint64_t seed;
    int status; /* gr_run_status */
    char reason[GR_ERROR_MSG_MAX];
    int64_t step_reached;
    double wall_time_s;
} gr_results_run_info;

/* Open `path` read-only and check it: format GR_RESULTS_FORMAT, format_version exactly
 * GR_RESULTS_FORMAT_VERSION, and (experiment non-NULL) that experiment; every run group
 * has its attributes. GR_EFORMAT with a message naming the file and what differs ("x.h5:
 * results format version 2, this build reads version 1"), GR_EIO if it cannot be opened. */
int gr_results_open(gr_results **out, const char *path, const char *experiment, gr_error *err);
void gr_results_close(gr_results *r); /* NULL is a no-op */
hid_t gr_results_file(const gr_results *r);
/* A string root attribute (format, experiment, git_commit, ...) into a malloc'd copy. */
int gr_results_attr_str(const gr_results *r, const char *name, char **out, gr_error *err);
/* The runs, in index order. */
size_t gr_results_run_count(const gr_results *r);
int gr_results_run_get(const gr_results *r, size_t i, gr_results_run_info *info, gr_error *err);
/* Series `name` ("step" included: read as int64 converted to double exactly below 2^53) of
 * run i into a malloc'd array of *n values (free it). */
int gr_results_series_read(const gr_results *r, size_t i, const char *name, double **out, size_t *n,
                           gr_error *err);
/* Metric `name` of run i (GR_EFORMAT if the run lacks it). */
int gr_results_metric(const gr_results *r, size_t i, const char *name, double *out, gr_error *err);
/* Summary column `name` (a float64 column) into out[0 .. run_count-1]. */
int gr_results_summary_read(const gr_results *r, const char *name, double *out, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
