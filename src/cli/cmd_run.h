/* cli/cmd_run.h — the arguments of `ganrepro run`, parsed in one place for the dry run
 * (cli/cmd_run.c) and for the runner that executes the runs (gr_cli_run_execute).
 *
 * gr_cmd_run parses the arguments (gr_cli_run_parse), loads the plan (harness/plan.h: the
 * experiment file, --profile, --set), then either prints the dry run or hands the plan and
 * the arguments to gr_cli_run_execute. */
#ifndef GR_CLI_CMD_RUN_H
#define GR_CLI_CMD_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "harness/plan.h"

typedef struct gr_cli_run_args {
    const char *path;    /* EXPERIMENT.cfg */
    const char *profile; /* --profile ci|quick|full; NULL: the plan's default (quick) */
    const char **sets;   /* --set KEY=VALUE, in order (argv strings; the array is malloc'd) */
    size_t n_sets;
    int dry_run;             /* --dry-run: print the runs, run nothing */
    int declaration;         /* --declaration (with --dry-run): print the resolved declaration */
    size_t jobs;             /* --jobs N; 0: the machine's cores */
    const char *out;         /* --out DIR; default "results" */
    int resume;              /* --resume (also set by --restart-corrupt) */
    int restart_corrupt;     /* --restart-corrupt: restart runs whose checkpoint is unusable */
    size_t shard_i, shard_n; /* --shard I/N (0 <= I < N): runs with index % N == I; N = 0: all */
    int help;                /* --help was given */
} gr_cli_run_args;

/* Parse argv[1..argc) (argv[0] = "run"). Returns 0, or 2 after printing one line on errout
 * (unknown option, missing value, bad number, no or two experiment files). Free with
 * gr_cli_run_args_free, also after a failure. */
int gr_cli_run_parse(int argc, char **argv, gr_cli_run_args *a, FILE *errout);
void gr_cli_run_args_free(gr_cli_run_args *a);

/* 1 when run index i belongs to the shard of a (always 1 without --shard). */
int gr_cli_run_in_shard(const gr_cli_run_args *a, size_t i);

/* Execute the plan's runs (those of the shard) and write the results file (cli/run_exec.c,
 * on harness/runner.h). Returns the exit status: 0 every run completed (ok or diverged),
 * 1 some run failed, 2 usage or input error. */
int gr_cli_run_execute(const gr_plan *plan, const gr_cli_run_args *a);

#endif
