/* cli/cmd_merge.c — `ganrepro merge OUT.h5 SHARD.h5...`: join the shard files of one
 * experiment (ganrepro run --shard I/N) into its one results file.
 *
 * Every input is read strictly (harness/results.h); shards of different declarations
 * (declaration_sha256), code versions (git_commit) or experiments are refused, naming the
 * two files and the values. OUT is written atomically (temporary + rename). Exit 0: OUT
 * holds every planned run and none failed; 1: OUT was written but runs are missing or
 * failed (stderr says which count); 2: usage error or a refused input (nothing written).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/guard.h"
#include "harness/results.h"
#include "io/h5io.h"

static void usage(FILE *out) {
    fprintf(out, "usage: ganrepro merge OUT.h5 SHARD.h5...\n"
                 "\n"
                 "Join the shard files of one experiment (written by `ganrepro run --shard I/N`)\n"
                 "into one results file, the same as an unsharded run would write. Shards of\n"
                 "different declarations or code versions (git commit) are refused. OUT is\n"
                 "written under a temporary name and renamed. A run present in several shards\n"
                 "is taken from the first.\n"
                 "\n"
                 "exit status: 0 every planned run merged and none failed; 1 OUT written but\n"
                 "runs are missing or failed; 2 usage error or refused input.\n");
}

int gr_cmd_merge(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return GR_EXIT_OK;
        }
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "ganrepro merge: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return GR_EXIT_USAGE;
        }
    if (argc < 3) {
        usage(stderr);
        return GR_EXIT_USAGE;
    }
    const char *out = argv[1];
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], out)) {
            fprintf(stderr, "ganrepro merge: the output %s is also an input\n", out);
            return GR_EXIT_USAGE;
        }
    gr_error err;
    gr_error_clear(&err);
    size_t n_runs = 0;
    gr_cli_guard_begin(argv[2]);
    int st = gr_results_merge(out, (const char *const *)(argv + 2), (size_t)(argc - 2), NULL,
                              &n_runs, &err);
    gr_cli_guard_end();
    if (st != GR_OK) {
        fprintf(stderr, "ganrepro merge: %s\n", err.msg);
        return GR_EXIT_USAGE;
    }
    gr_results *r = NULL;
    st = gr_results_open(&r, out, NULL, &err);
    if (st != GR_OK) {
        fprintf(stderr, "ganrepro merge: reading back %s: %s\n", out, err.msg);
        return GR_EXIT_FAIL;
    }
    int64_t planned = -1;
    size_t failed = 0;
    if (gr_h5_attr_read_i64(gr_results_file(r), "runs_planned", &planned, &err) != GR_OK)
        planned = -1;
    for (size_t i = 0; i < gr_results_run_count(r); i++) {
        gr_results_run_info info;
        if (gr_results_run_get(r, i, &info, &err) == GR_OK && info.status == GR_RUN_FAILED)
            failed++;
    }
    gr_results_close(r);
    fprintf(stderr,
            "ganrepro merge: wrote %s: %zu run%s of %lld planned from %d file%s, %zu failed\n", out,
            n_runs, n_runs == 1 ? "" : "s", (long long)planned, argc - 2, argc - 2 == 1 ? "" : "s",
            failed);
    if (planned >= 0 && (size_t)planned != n_runs) {
        fprintf(stderr, "ganrepro merge: %lld planned runs are missing (a shard not merged?)\n",
                (long long)planned - (long long)n_runs);
        return GR_EXIT_FAIL;
    }
    return failed ? GR_EXIT_FAIL : GR_EXIT_OK;
}
