/* cli/run_exec.c — the runner call of `ganrepro run`, its report and exit status
 * (cli/run_exec.h). */
#include "cli/run_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/progress.h"

int gr_cli_run_exec(const gr_exp_desc *exp, const gr_runner_options *o) {
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
