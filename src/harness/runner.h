/* harness/runner.h — execute an experiment's runs: skip the complete ones, run the others
 * in parallel worker processes, record every outcome, assemble the results file.
 *
 * gr_runner_execute(exp, opt, report, err) is the one entry point (the `run` command
 * calls it after reading the experiment file into a plan; harness/run_from_plan.h makes
 * the gr_exp_desc):
 *   1. selects the runs: all, or with opt->shard_count = N > 1 those with index % N ==
 *      opt->shard_index (every N-th run, 0-based shard I of N);
 *   2. per run, the per-run file OUT/NAME.d/<id>.h5: a complete one with status ok or
 *      diverged made by this git commit is reused (skipped); a failed one, one of another
 *      commit or an unreadable one is run again;
 *   3. runs the rest, at most opt->jobs at a time (0: the machine's online cores), each
 *      in its own forked process with one BLAS thread (openblas_set_num_threads(1)), each
 *      writing its per-run file atomically (harness/results.h). A protocol's error is
 *      recorded as status failed (GR_EDIVERGED: diverged) with its message as the reason;
 *      a worker that dies (signal, exit) is recorded as failed with how it died; the other
 *      runs carry on;
 *   4. assembles OUT/NAME.h5 (shards: OUT/NAME.shard-I-of-N.h5) from the selected runs'
 *      per-run files, atomically, and removes the checkpoints of runs that ended ok.
 * A kill -9 of the runner (or a worker) at any moment leaves complete per-run files,
 * temporaries (removed by the next write) and the previous results file untouched; the
 * next execution skips what is complete and finishes the rest.
 *
 * Resume hook: each run has the checkpoint path OUT/NAME.d/<id>.ckpt.h5
 * (gr_results_run_checkpoint_path); with opt->resume a checkpointing protocol continues
 * from it when it exists (gr_results_run_resume). Before any run starts (and before a
 * stale per-run file is removed), every checkpoint a queued run would continue from is
 * checked by the protocol's checker (gr_protocol_checkpoint_check: readable, this run's,
 * every checksum). An unusable one is an error of the execution (GR_EFORMAT, the message
 * names the file, what was expected, and the two ways out): nothing ran, nothing was
 * written. With opt->restart_corrupt (which implies resume) it is removed instead, one
 * line on the progress stream says so, and that run starts from step 0.
 *
 * Progress (opt->progress non-NULL, normally stderr): core/progress.h's bar (runs done /
 * to run, ETA) on a terminal, plain periodic lines otherwise, and one line per finished run
 * ("NAME: run 3/8 4f2a... seed=1 theta=0.5: ok (1.2s)"). Nothing else is printed; the
 * library writes only to that stream.
 *
 * Returns GR_OK when every selected run has a per-run file and the results file was
 * written, whatever the runs' statuses (report->failed counts the failed ones: the
 * caller's exit code); an error when the description is invalid, the protocol unknown,
 * the directories or the results file cannot be written.
 */
#ifndef GR_HARNESS_RUNNER_H
#define GR_HARNESS_RUNNER_H

#include <stdio.h>

#include "core/progress.h"
#include "harness/protocol.h"
#include "harness/results.h"
#include "harness/rundesc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_runner_options {
    const char *out_dir;          /* folder of results files; NULL: "results" */
    size_t jobs;                  /* parallel worker processes; 0: online cores */
    int resume;                   /* continue interrupted runs from their checkpoints */
    int restart_corrupt;          /* resume, and restart runs whose checkpoint is unusable */
    size_t shard_index;           /* 0-based, < shard_count */
    size_t shard_count;           /* 0 or 1: every run */
    FILE *progress;               /* progress and per-run lines; NULL: silent */
    int progress_mode;            /* GR_PROGRESS_AUTO (default), _BAR, _LINES, _OFF */
    const gr_protocol *protocols; /* table to look exp->protocol up in; NULL: gr_protocols */
} gr_runner_options;

/* out_dir "results", jobs 0, no resume, no shard, progress NULL, AUTO, built-in table. */
gr_runner_options gr_runner_options_default(void);

typedef struct gr_runner_report {
    size_t selected;             /* runs of this shard (all runs without shards) */
    size_t skipped;              /* complete before this execution */
    size_t ok, diverged, failed; /* outcomes of all selected runs, skipped ones included */
    size_t jobs;                 /* worker processes used at most */
    double wall_s;               /* elapsed wall time */
    char results_path[1024];     /* the file written */
} gr_runner_report;

int gr_runner_execute(const gr_exp_desc *exp, const gr_runner_options *opt,
                      gr_runner_report *report, gr_error *err);

/* The paths the runner uses, for callers and tests: OUT/NAME.d, OUT/NAME.d/<id>.h5,
 * OUT/NAME.h5 or OUT/NAME.shard-I-of-N.h5. GR_EINVAL when they do not fit. */
int gr_runner_run_dir(char *buf, size_t size, const char *out_dir, const char *name, gr_error *err);
int gr_runner_results_path(char *buf, size_t size, const char *out_dir, const char *name,
                           size_t shard_index, size_t shard_count, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
