/* tests/harness/test_cli_merge.c — `ganrepro merge` as a user runs it: shards written by
 * the runner (--shard I/N in process), joined by the executable, equal the unsharded run;
 * a missing shard is exit 1 with the count, refused shards exit 2 with the reason and no
 * output, usage errors exit 2. */
#define _GNU_SOURCE /* nftw in fixture_results.h */
#include "../cli/cli_run.h"
#include "fixture_results.h"

static char g_tmp[256];

static void make_shards(const char *dir, const char *hash, size_t n) {
    fx_exp f;
    fx_lines(&f, "lines", hash);
    for (size_t i = 0; i < n; i++) {
        gr_runner_options o = gr_runner_options_default();
        o.out_dir = dir;
        o.jobs = 1;
        o.shard_index = i;
        o.shard_count = n;
        gr_runner_report rep;
        gr_error err;
        CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);
    }
}

static void test_merge_cli(void) {
    const char *cli = gr_test_cli();
    CHECK(cli != NULL);
    if (!cli) return;
    char sd[600], ud[600], od[600], cmd[4096], out[4096], errb[4096];
    snprintf(sd, sizeof sd, "%s/s", g_tmp);
    snprintf(ud, sizeof ud, "%s/u", g_tmp);
    snprintf(od, sizeof od, "%s/o", g_tmp);
    make_shards(sd, "sha256:aaaa", 3);
    make_shards(od, "sha256:bbbb", 3);
    fx_exp f;
    fx_lines(&f, "lines", "sha256:aaaa");
    gr_runner_options o = gr_runner_options_default();
    o.out_dir = ud;
    gr_runner_report rep;
    gr_error err;
    CHECK_OK(gr_runner_execute(&f.exp, &o, &rep, &err), &err);

    snprintf(cmd, sizeof cmd, "'%s' merge '%s/all.h5' '%s'/lines.shard-*-of-3.h5", cli, sd, sd);
    CHECK(gr_test_shell(g_tmp, cmd, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "4 runs of 4 planned from 3 files, 0 failed");
    char a[700], b[700];
    snprintf(a, sizeof a, "%s/all.h5", sd);
    snprintf(b, sizeof b, "%s/lines.h5", ud);
    CHECK(fx_same_datasets(a, b, NULL));

    /* a shard left out: written, but exit 1 and the count of missing runs */
    snprintf(cmd, sizeof cmd, "'%s' merge '%s/part.h5' '%s/lines.shard-0-of-3.h5'", cli, sd, sd);
    CHECK(gr_test_shell(g_tmp, cmd, out, sizeof out, errb, sizeof errb) == 1);
    CHECK_STR_CONTAINS(errb, "2 planned runs are missing");

    /* shards of another declaration: refused, nothing written */
    snprintf(cmd, sizeof cmd,
             "'%s' merge '%s/mixed.h5' '%s/lines.shard-0-of-3.h5' '%s/lines.shard-1-of-3.h5'", cli,
             sd, sd, od);
    CHECK(gr_test_shell(g_tmp, cmd, out, sizeof out, errb, sizeof errb) == 2);
    CHECK_STR_CONTAINS(errb, "refusing to merge");
    CHECK_STR_CONTAINS(errb, "different declaration hash (sha256:aaaa vs sha256:bbbb)");
    snprintf(a, sizeof a, "%s/mixed.h5", sd);
    CHECK(access(a, F_OK) != 0);

    /* not a results file */
    snprintf(a, sizeof a, "%s/junk.h5", sd);
    CHECK(gr_test_write_file(a, "junk\n", 5));
    snprintf(cmd, sizeof cmd, "'%s' merge '%s/j.h5' '%s'", cli, sd, a);
    CHECK(gr_test_shell(g_tmp, cmd, out, sizeof out, errb, sizeof errb) == 2);
    CHECK_STR_CONTAINS(errb, "not an HDF5 file");

    /* usage */
    snprintf(cmd, sizeof cmd, "'%s' merge '%s/all.h5'", cli, sd);
    CHECK(gr_test_shell(g_tmp, cmd, out, sizeof out, errb, sizeof errb) == 2);
    CHECK_STR_CONTAINS(errb, "usage: ganrepro merge OUT.h5 SHARD.h5...");
    snprintf(cmd, sizeof cmd, "'%s' merge '%s/all.h5' '%s/all.h5'", cli, sd, sd);
    CHECK(gr_test_shell(g_tmp, cmd, out, sizeof out, errb, sizeof errb) == 2);
    CHECK_STR_CONTAINS(errb, "is also an input");
    snprintf(cmd, sizeof cmd, "'%s' merge --help", cli);
    CHECK(gr_test_shell(g_tmp, cmd, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(out, "Shards of");
    snprintf(cmd, sizeof cmd, "'%s' --help", cli);
    CHECK(gr_test_shell(g_tmp, cmd, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(out, "merge      join the shard files");
}

int main(void) {
    if (gr_test_tmpdir(g_tmp, sizeof g_tmp, "gr_cli_merge_") != 0) return 1;
    RUN(test_merge_cli);
    fx_rm_rf(g_tmp);
    return TEST_MAIN_END();
}
