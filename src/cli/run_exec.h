/* cli/run_exec.h — the execution half of `ganrepro run`: the runner called with the
 * parsed options, its report and the exit status. The reading half (the experiment file,
 * --profile, --set, --dry-run, and the parsing of --jobs, --out, --resume, --shard) is
 * cli/cmd_run.c's; it calls gr_cli_run_execute(plan, args) (cli/cmd_run.h), which
 * cli/run_exec_plan.c implements on top of gr_cli_run_exec below.
 */
#ifndef GR_CLI_RUN_EXEC_H
#define GR_CLI_RUN_EXEC_H

#include "harness/runner.h"

/* Execute exp with o (progress on stderr), print the outcome on stderr and the results
 * file's path on stdout. Returns the exit status: 0 every run ok or diverged, 1 some run
 * failed (the results file records it), 2 the runner could not run (message on stderr). */
int gr_cli_run_exec(const gr_exp_desc *exp, const gr_runner_options *o);

#endif
