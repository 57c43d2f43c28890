/* cli/run_exec.c — the execution half of `ganrepro run` (cli/cmd_run.h's
 * gr_cli_run_execute): the plan the reading half (cli/cmd_run.c) loaded becomes a
 * gr_exp_desc (harness/run_from_plan.h), the parsed options become gr_runner_options,
 * the runner executes it, and its report becomes the outcome on stderr, the results
 * file's path on stdout and the exit status: 0 every run ok or diverged, 1 some run failed
 * (the results file records it), 2 the runner could not run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_run.h"
#include "cli/commands.h"
#include "core/progress.h"
#include "harness/run_from_plan.h"
#include "harness/runner.h"

static int run_exec(const gr_exp_desc *exp, const gr_runner_options *o) {
    gr_runner_options ro = o ? *o : gr_runner_options_default();
    ro.progress = stderr;
    gr_runner_report rep;
    gr_error err;
    gr_error_clear(&err);
    int st = gr_runner_execute(exp, &ro, &rep, &err);
    if (st != GR_OK) {
        fprintf(stderr, "ganrepro run: %s\n", err.msg);
        return GR_EXIT_USAGE;
    }
    char dur[32];
    gr_progress_format_duration(rep.wall_s, dur, sizeof dur);
    fprintf(stderr,
            "%s: %zu run%s: %zu ok, %zu diverged, %zu failed (%zu skipped as complete) in %s\n",
            exp->name, rep.selected, rep.selected == 1 ? "" : "s", rep.ok, rep.diverged, rep.failed,
            rep.skipped, dur);
    printf("%s\n", rep.results_path);
    if (rep.failed) {
        fprintf(stderr,
                "%s: %zu run%s failed (status and reason in %s); `ganrepro run` again "
                "retries them\n",
                exp->name, rep.failed, rep.failed == 1 ? "" : "s", rep.results_path);
        return GR_EXIT_FAIL;
    }
    return GR_EXIT_OK;
}

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
    int rc = run_exec(gr_exp_bundle_desc(b), &o);
    gr_exp_bundle_free(b);
    return rc;
}
