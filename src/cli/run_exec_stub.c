/* cli/run_exec_stub.c — STUB: `ganrepro run` without --dry-run.
 *
 * NOT YET IMPLEMENTED: the runner (issue 14 item 2: jobs, skip-complete, resume, results
 * file) is written separately against cli/cmd_run.h and harness/plan.h; when it lands,
 * delete this file. Until then `run` refuses to pretend: it says so and exits 2. */
#include <stdio.h>

#include "cli/cmd_run.h"
#include "cli/commands.h"

int gr_cli_run_execute(const gr_plan *plan, const gr_cli_run_args *a) {
    (void)a;
    fprintf(stderr,
            "ganrepro run: not yet implemented: runner (this build only expands experiments: "
            "use --dry-run to see the %zu runs of %s)\n",
            gr_plan_n_runs(plan), gr_plan_name(plan));
    return GR_EXIT_USAGE;
}
