/* cli/run_exec.c — the execution half of `ganrepro run` (cli/cmd_run.h's
 * gr_cli_run_execute): the plan the reading half (cli/cmd_run.c) loaded becomes a
 * gr_exp_desc (harness/run_from_plan.h), the parsed options become gr_runner_options,
 * the runner executes it, and its report becomes the outcome on stderr, the results
 * file's path on stdout and the exit status: 0 every run ok or diverged, 1 some run failed
 * (the results file records it), 2 the runner could not run or an input is bad (the MNIST
 * files are checked here once, before any run: check_mnist_files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_run.h"
#include "cli/commands.h"
#include "core/progress.h"
#include "data/mnist.h"
#include "harness/proto_gan.h"
#include "harness/run_from_plan.h"
#include "harness/runner.h"

/* Bad MNIST files are bad input (exit 2, one line), not a failure of every run that reads
 * them: before anything runs, when a selected run reads data.set "mnist" and the training
 * images file is in the MNIST folder (plain or .gz), both IDX pairs are loaded once here
 * with every check of data/mnist.h (magic, type, shape, counts against the length, labels
 * 0..9, the pair's N). A missing folder is left to the runs (each fails, with its reason).
 * Returns 0, or GR_EXIT_USAGE after printing the reader's message. */
static int check_mnist_files(const gr_exp_desc *exp, const gr_cli_run_args *a) {
    int uses = 0;
    for (size_t i = 0; i < exp->n_runs && !uses; i++) {
        const char *set = NULL;
        if (!gr_cli_run_in_shard(a, i)) continue;
        if (gr_rundesc_get_str(&exp->runs[i], "data.set", &set, NULL) == GR_OK && set &&
            !strcmp(set, "mnist"))
            uses = 1;
    }
    if (!uses) return 0;
    const char *dir = gr_proto_mnist_dir();
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/train-images-idx3-ubyte", dir);
    FILE *f = fopen(probe, "rb");
    if (!f) {
        snprintf(probe, sizeof probe, "%s/train-images-idx3-ubyte.gz", dir);
        f = fopen(probe, "rb");
    }
    if (!f) return 0;
    fclose(f);
    static const gr_mnist_split splits[2] = {GR_MNIST_TRAIN_ALL, GR_MNIST_TEST};
    for (int k = 0; k < 2; k++) {
        gr_mnist *m = NULL;
        gr_error err;
        gr_error_clear(&err);
        if (gr_mnist_load(&m, dir, splits[k], GR_MNIST_UNIT, &err) != GR_OK) {
            fprintf(stderr, "ganrepro run: %s\n", err.msg);
            return GR_EXIT_USAGE;
        }
        gr_mnist_free(m);
    }
    return 0;
}

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
    int bad = check_mnist_files(gr_exp_bundle_desc(b), a);
    if (bad) {
        gr_exp_bundle_free(b);
        return bad;
    }
    gr_runner_options o = gr_runner_options_default();
    if (a->out) o.out_dir = a->out;
    o.jobs = a->jobs;
    o.resume = a->resume;
    o.restart_corrupt = a->restart_corrupt;
    o.shard_index = a->shard_i;
    o.shard_count = a->shard_n;
    int rc = run_exec(gr_exp_bundle_desc(b), &o);
    gr_exp_bundle_free(b);
    return rc;
}
