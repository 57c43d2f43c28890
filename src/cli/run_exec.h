/* cli/run_exec.h — the execution half of `ganrepro run`: its options (--jobs, --out,
 * --resume, --shard, --progress) and the call into the runner with the report and exit
 * status. The reading half (the experiment file, --profile, --set, --dry-run) is
 * cmd_run.c's; the seam between the two is one call:
 *
 *     gr_runner_options ro = gr_runner_options_default();
 *     for (int i = 1; i < argc; i++) {
 *         int k = gr_cli_run_exec_option(argc, argv, &i, &ro);
 *         if (k < 0) return GR_EXIT_USAGE;
 *         if (k > 0) continue;
 *         ... the reader's own options ...
 *     }
 *     ... gr_plan_load, gr_exp_desc_from_plan (harness/run_from_plan.h) ...
 *     return gr_cli_run_exec(gr_exp_bundle_desc(bundle), &ro);
 */
#ifndef GR_CLI_RUN_EXEC_H
#define GR_CLI_RUN_EXEC_H

#include "harness/runner.h"

/* The options' lines for `run --help`. */
#define GR_CLI_RUN_EXEC_HELP                                                                       \
    "  --jobs N         parallel worker processes, one BLAS thread each (default: the\n"           \
    "                   machine's cores)\n"                                                        \
    "  --out DIR        folder of results files (default: results): DIR/NAME.h5, per-run\n"        \
    "                   files in DIR/NAME.d/\n"                                                    \
    "  --resume         continue interrupted runs from their checkpoints\n"                        \
    "  --shard I/N      run every N-th run starting at I (0 <= I < N) into\n"                      \
    "                   DIR/NAME.shard-I-of-N.h5; join shards with `ganrepro merge`\n"             \
    "  --progress MODE  auto (bar on a terminal, lines otherwise), bar, lines or off\n"

/* If argv[*i] is one of the options above, consume it (and its value: *i is advanced) into
 * *o and return 1; 0 if it is not one of them; -1 for a bad or missing value (one line on
 * stderr). */
int gr_cli_run_exec_option(int argc, char **argv, int *i, gr_runner_options *o);

/* Execute exp with o (progress on stderr), print the outcome on stderr and the results
 * file's path on stdout. Returns the exit status: 0 every run ok or diverged, 1 some run
 * failed (the results file records it), 2 the runner could not run (message on stderr). */
int gr_cli_run_exec(const gr_exp_desc *exp, const gr_runner_options *o);

#endif
