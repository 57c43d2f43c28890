/* cli/results_args.h — what the commands that read results files (plot, table, verify)
 * do alike with their arguments and their inputs.
 *
 * Each command tries its own options on an argument first; what none of them takes goes
 * to gr_cli_results_arg: --help or -h prints the command's usage on stdout (exit 0), any
 * other argument that starts with '-' (but "-" alone) is an unknown option (one line on
 * stderr, exit 2), anything else is one more results file. Each input is then opened with
 * gr_cli_results_open, under the crash guard (cli/guard.h).
 */
#ifndef GR_CLI_RESULTS_ARGS_H
#define GR_CLI_RESULTS_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "harness/resview.h"

/* Argument a of `ganrepro CMD`, which none of the command's options took. Returns -1 when
 * a is a results file (appended: files[(*nf)++] = a; files holds one slot per argument),
 * else the exit status the command returns now: GR_EXIT_OK after usage(stdout) for
 * --help or -h, GR_EXIT_USAGE after "ganrepro CMD: unknown option 'A' (see --help)". */
int gr_cli_results_arg(const char *cmd, const char *a, void (*usage)(FILE *out), const char **files,
                       size_t *nf);

/* gr_resview_open(out, path, err) guarded as a read of path (cli/guard.h): a file that
 * crashes HDF5 ends the process with status 2 and a line naming it. */
int gr_cli_results_open(gr_resview **out, const char *path, gr_error *err);

#endif
