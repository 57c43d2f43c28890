/* cli/run_exec.c — the execution options of `ganrepro run` and the runner call
 * (cli/run_exec.h). */
#include "cli/run_exec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/progress.h"

static int parse_count(const char *s, size_t *out) {
    if (!s || !*s) return 0;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE || v > 1000000) return 0;
    *out = (size_t)v;
    return 1;
}

int gr_cli_run_exec_option(int argc, char **argv, int *i, gr_runner_options *o) {
    const char *a = argv[*i];
    if (!strcmp(a, "--resume")) {
        o->resume = 1;
        return 1;
    }
    int takes = !strcmp(a, "--jobs") || !strcmp(a, "--out") || !strcmp(a, "--shard") ||
                !strcmp(a, "--progress");
    if (!takes) return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "ganrepro run: %s needs a value\n", a);
        return -1;
    }
    const char *v = argv[++*i];
    if (!strcmp(a, "--jobs")) {
        if (!parse_count(v, &o->jobs) || o->jobs == 0) {
            fprintf(stderr,
                    "ganrepro run: --jobs '%s': expected a whole number from 1 to 1000000\n", v);
            return -1;
        }
    } else if (!strcmp(a, "--out")) {
        if (!*v) {
            fprintf(stderr, "ganrepro run: --out needs a folder name\n");
            return -1;
        }
        o->out_dir = v;
    } else if (!strcmp(a, "--shard")) {
        const char *slash = strchr(v, '/');
        char idx[32];
        size_t I = 0, N = 0;
        if (!slash || (size_t)(slash - v) >= sizeof idx) goto bad_shard;
        memcpy(idx, v, (size_t)(slash - v));
        idx[slash - v] = '\0';
        if (!parse_count(idx, &I) || !parse_count(slash + 1, &N) || N == 0 || I >= N)
            goto bad_shard;
        o->shard_index = I;
        o->shard_count = N;
    } else {
        if (!strcmp(v, "auto"))
            o->progress_mode = GR_PROGRESS_AUTO;
        else if (!strcmp(v, "bar"))
            o->progress_mode = GR_PROGRESS_BAR;
        else if (!strcmp(v, "lines"))
            o->progress_mode = GR_PROGRESS_LINES;
        else if (!strcmp(v, "off"))
            o->progress_mode = GR_PROGRESS_OFF;
        else {
            fprintf(stderr, "ganrepro run: --progress '%s': expected auto, bar, lines or off\n", v);
            return -1;
        }
    }
    return 1;
bad_shard:
    fprintf(stderr,
            "ganrepro run: --shard '%s': expected I/N with whole numbers 0 <= I < N (Slurm: "
            "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=0-(N-1))\n",
            v);
    return -1;
}

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
