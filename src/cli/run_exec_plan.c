/* cli/run_exec_plan.c — gr_cli_run_execute (cli/cmd_run.h): `ganrepro run` without
 * --dry-run. The plan the reading half loaded becomes a gr_exp_desc
 * (harness/run_from_plan.h), the parsed options become gr_runner_options, and
 * gr_cli_run_exec runs it. Replaces cli/run_exec_stub.c. Compiled only in a tree that has
 * the experiment-file reader (cli/cmd_run.h, harness/plan.h). */
#include "cli/run_exec.h"

#if defined(__has_include)
#if __has_include("cli/cmd_run.h") && __has_include("harness/plan.h")
#define GR_HAVE_CMD_RUN 1
#endif
#endif

#ifdef GR_HAVE_CMD_RUN
#include <stdio.h>

#include "cli/cmd_run.h"
#include "cli/commands.h"
#include "harness/run_from_plan.h"

int gr_cli_run_execute(const gr_plan *plan, const gr_cli_run_args *a) {
    gr_exp_bundle *b = NULL;
    gr_error err;
    gr_error_clear(&err);
    if (gr_exp_desc_from_plan(&b, plan, &err) != GR_OK) {
        fprintf(stderr, "ganrepro run: %s\n", err.msg);
        return GR_EXIT_USAGE;
    }
    gr_runner_options o = gr_runner_options_default();
    if (a->out) o.out_dir = a->out;
    o.jobs = a->jobs;
    o.resume = a->resume;
    o.shard_index = a->shard_i;
    o.shard_count = a->shard_n;
    int rc = gr_cli_run_exec(gr_exp_bundle_desc(b), &o);
    gr_exp_bundle_free(b);
    return rc;
}
#else
/* This tree has no experiment-file reader: nothing to connect. */
typedef int gr_run_exec_plan_unused_;
#endif
