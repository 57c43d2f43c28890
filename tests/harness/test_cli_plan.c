/* tests/harness/test_cli_plan.c — `ganrepro run --dry-run` and `ganrepro list` through the
 * executable: exit codes, the one-line messages on stderr, what stdout holds, and the
 * dry-run and list output that docs/EXPERIMENTS.md quotes (so the page shows what the
 * program prints). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli_run.h"
#include "test.h"

static char dir[256], out[1 << 16], errb[1 << 14];
static const char *cli;

/* Run "CLI " + the printf-formatted rest. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...) {
    char rest[1800], cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s %s", cli, rest);
    return gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
}

static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

#define GOOD                                                                                       \
    "experiment = { name = \"t\"; claims = [\"C19\"]; protocol = \"distance_curve\"; };\n"         \
    "seeds = [3, 4];\n"                                                                            \
    "data = { set = \"parallel_lines\"; sigma = [0.0, 0.5]; };\n"                                  \
    "profiles = {\n"                                                                               \
    "  ci = { curve = { points = 3; }; eval = { n = 10; }; n_seeds = 1; };\n"                      \
    "  quick = { curve = { points = 5; }; eval = { n = 20; }; };\n"                                \
    "  full = { curve = { points = 7; }; eval = { n = 30; }; estimate = { per_unit = 2.0; }; };\n" \
    "};\n"

static void test_dry_run(void) {
    gr_test_write_in(dir, "good.cfg", GOOD);
    char path[512];
    snprintf(path, sizeof path, "%s/good.cfg", dir);
    CHECK(sh("run '%s' --dry-run", path) == 0);
    CHECK_STR_CONTAINS(out, "# experiment: t\n# claims: C19\n# protocol: distance_curve\n"
                            "# profile: quick\n# declaration: sha256:");
    CHECK_STR_CONTAINS(out, "# runs: 4\nrun\tid\tseed\tdata.sigma\n0\t");
    CHECK(count_lines(out) == 7 + 4);
    CHECK(errb[0] == '\0');
    CHECK(sh("run '%s' --dry-run --profile ci", path) == 0);
    CHECK_STR_CONTAINS(out, "# runs: 2\n");
    CHECK_STR_CONTAINS(out, "\t3\t0.5\n"); /* run 1: seed 3, sigma 0.5 */
    CHECK(sh("run '%s' --dry-run --shard 1/2", path) == 0);
    CHECK_STR_CONTAINS(out, "# runs: 2 of 4 (shard 1/2)\n");
    CHECK(count_lines(out) == 7 + 2);
    CHECK(strstr(out, "\n0\t") == NULL && strstr(out, "\n1\t") != NULL && strstr(out, "\n3\t"));
    /* --set: typed, and an array is a sweep */
    CHECK(sh("run '%s' --dry-run --set 'eval.n=[10, 11, 12]'", path) == 0);
    CHECK_STR_CONTAINS(out, "# runs: 12\nrun\tid\tseed\tdata.sigma\teval.n\n");
    /* the declaration reads back to the same hash */
    CHECK(sh("run '%s' --dry-run --declaration --profile full", path) == 0);
    CHECK_STR_CONTAINS(out, "profile = \"full\";\n");
    gr_test_write_in(dir, "resolved.cfg", out);
    char h1[128] = "", h2[128] = "";
    CHECK(sh("run '%s' --dry-run --profile full", path) == 0);
    const char *h = strstr(out, "sha256:");
    if (h) snprintf(h1, sizeof h1, "%.71s", h);
    snprintf(path, sizeof path, "%s/resolved.cfg", dir);
    CHECK(sh("run '%s' --dry-run", path) == 0);
    h = strstr(out, "sha256:");
    if (h) snprintf(h2, sizeof h2, "%.71s", h);
    CHECK(h1[0] && !strcmp(h1, h2));
}

static void test_errors_exit_2(void) {
    gr_test_write_in(dir, "bad.cfg", GOOD "eval = { knn_k = 0; };\n");
    char path[512], want[1200];
    snprintf(path, sizeof path, "%s/bad.cfg", dir);
    CHECK(sh("run '%s' --dry-run", path) == 2);
    snprintf(want, sizeof want,
             "%s:9: eval.knn_k = 0 is out of range; eval.knn_k accepts an int in [1, 1000]\n",
             path);
    CHECK(!strcmp(errb, want));
    CHECK(out[0] == '\0');
    snprintf(path, sizeof path, "%s/good.cfg", dir);
    CHECK(sh("run '%s' --dry-run --set eval.n=2.5", path) == 2);
    CHECK(!strcmp(errb, "--set eval.n=2.5: eval.n: wrong type, got the number 2.5; eval.n "
                        "accepts an int in [1, 10000000]\n"));
    CHECK(sh("run '%s' --dry-run --set nope=1", path) == 2);
    CHECK(count_lines(errb) == 1);
    CHECK(sh("run '%s' --dry-run --profile medium", path) == 2);
    CHECK(!strcmp(errb, "ganrepro run: unknown profile 'medium': expected ci, quick or full\n"));
    CHECK(sh("run '%s' --dry-run --bogus", path) == 2);
    CHECK_STR_CONTAINS(errb, "unknown option '--bogus'");
    CHECK(sh("run '%s' --dry-run --shard 2/2", path) == 2);
    CHECK(sh("run --dry-run") == 2);
    CHECK_STR_CONTAINS(errb, "no experiment file");
    CHECK(sh("run '%s/absent.cfg' --dry-run", dir) == 2);
    CHECK_STR_CONTAINS(errb, "absent.cfg: cannot open: No such file or directory");
    CHECK(sh("run --help") == 0);
    CHECK_STR_CONTAINS(out, "usage: ganrepro run EXPERIMENT.cfg");
    CHECK(sh("--help") == 0);
    CHECK_STR_CONTAINS(out, "  list ");
    CHECK_STR_CONTAINS(out, "  run ");
}

static void test_list(void) {
    char sub[300];
    snprintf(sub, sizeof sub, "%s/exps", dir);
    CHECK(mkdir(sub, 0700) == 0);
    gr_test_write_in(sub, "base.cfg", "seeds = [1, 2];\n");
    gr_test_write_in(sub, "a.cfg", "@include \"base.cfg\"\n" GOOD);
    CHECK(sh("list --dir '%s'", sub) == 0);
    CHECK(!strcmp(out, "t                    C19  distance_curve  ci: 2 runs ~?  quick: 4 runs ~?  "
                       "full: 4 runs ~56s\n"));
    CHECK(errb[0] == '\0');
    gr_test_write_in(sub, "b.cfg", "experiment = { name = \"b\"; };\n");
    CHECK(sh("list --dir '%s'", sub) == 2);
    CHECK(count_lines(out) == 1); /* a is still listed */
    CHECK_STR_CONTAINS(errb, "b.cfg:1: experiment.protocol is missing");
    CHECK(count_lines(errb) == 1);
    char p[800];
    snprintf(p, sizeof p, "%s/b.cfg", sub);
    unlink(p);
    snprintf(p, sizeof p, "%s/a.cfg", sub);
    unlink(p);
    snprintf(p, sizeof p, "%s/base.cfg", sub);
    unlink(p);
    rmdir(sub);
    CHECK(sh("list --dir '%s/none'", dir) == 2);
    CHECK(sh("list --bogus") == 2);
}

/* docs/EXPERIMENTS.md quotes the dry run and the list of the shipped example. */
static void test_doc_quotes_real_output(void) {
    size_t len;
    char *doc = (char *)gr_test_read_file("../docs/EXPERIMENTS.md", &len);
    CHECK(doc != NULL);
    if (!doc) return;
    char *page = malloc(len + 1);
    if (!page) {
        free(doc);
        return;
    }
    memcpy(page, doc, len);
    page[len] = '\0';
    free(doc);
    const char *cmds[] = {"run experiments/parallel_lines.cfg --dry-run --profile ci", "list"};
    for (int i = 0; i < 2; i++) {
        char marker[256];
        snprintf(marker, sizeof marker, "$ build/ganrepro %s\n", cmds[i]);
        char *m = strstr(page, marker);
        CHECK(m != NULL);
        if (!m) continue;
        m += strlen(marker);
        char *end = strstr(m, "\n$ ");
        char *fence = strstr(m, "\n```");
        if (!end || (fence && fence < end)) end = fence;
        char quoted[4096];
        snprintf(quoted, sizeof quoted, "%.*s\n", end ? (int)(end - m) : 0, m);
        char cmd[512];
        snprintf(cmd, sizeof cmd, "cd .. && %s %s", cli, cmds[i]);
        CHECK(gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb) == 0);
        CHECK(!strcmp(out, quoted));
        if (strcmp(out, quoted))
            fprintf(stderr, "  docs/EXPERIMENTS.md quotes:\n%s  ganrepro prints:\n%s", quoted, out);
    }
    free(page);
}

int main(void) {
    cli = gr_test_cli();
    if (!cli) return 1;
    if (gr_test_tmpdir(dir, sizeof dir, "gr_cli_plan_") != 0) return 1;
    RUN(test_dry_run);
    RUN(test_errors_exit_2);
    RUN(test_list);
    RUN(test_doc_quotes_real_output);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
