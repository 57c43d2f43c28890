/* tests/cli/test_cli.c — the ganrepro executable's top level: --help, --version, unknown
 * commands, and that every command --help lists answers its own --help (the help tells
 * the truth about what exists); a write error on stdout (> /dev/full) exits non-zero for
 * every command, --help and --version; `distance` refuses an option that does not apply to
 * its KIND (issue 9 item 7: w1 --k 3 and js --max-iter 3 were silently ignored) and its
 * --help says what the certificate and the JS clip mean. Runs the binary named by
 * $GR_CLI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/cli_run.h"
#include "test.h"

/* Run "$GR_CLI args", capture stdout (and stderr when merge != 0); return exit code. */
static int run_cli(const char *args, int merge, char *out, size_t size) {
    const char *cli = getenv("GR_CLI");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' %s %s", cli ? cli : "ganrepro", args,
             merge ? "2>&1" : "2>/dev/null");
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_help_and_version(void) {
    static char out[16384];
    CHECK(getenv("GR_CLI") != NULL);
    CHECK(run_cli("--help", 0, out, sizeof out) == 0);
    CHECK_STR_CONTAINS(out, "usage: ganrepro COMMAND");
    CHECK(run_cli("-h", 0, out, sizeof out) == 0);
    CHECK(run_cli("--version", 0, out, sizeof out) == 0);
    CHECK_STR_CONTAINS(out, "ganrepro 0.");
    CHECK_STR_CONTAINS(out, "commit ");
    /* no arguments: usage on stderr, exit 2 */
    CHECK(run_cli("", 1, out, sizeof out) == 2);
    CHECK_STR_CONTAINS(out, "usage:");
    CHECK(run_cli("frobnicate", 1, out, sizeof out) == 2);
    CHECK_STR_CONTAINS(out, "unknown command 'frobnicate'");
}

/* Every command listed under "commands:" must answer `CMD --help` with exit 0. */
static void test_listed_commands_exist(void) {
    static char help[16384], out[16384];
    CHECK(run_cli("--help", 0, help, sizeof help) == 0);
    char *sec = strstr(help, "commands:\n");
    CHECK(sec != NULL);
    if (!sec) return;
    int listed = 0;
    /* command rows are the indented lines right after "commands:" */
    for (char *line = strchr(sec, '\n') + 1; *line == ' ';) {
        char name[64];
        if (sscanf(line, " %63s", name) == 1 && name[0] != '(') {
            char args[128];
            snprintf(args, sizeof args, "%s --help", name);
            int rc = run_cli(args, 0, out, sizeof out);
            if (rc != 0) fprintf(stderr, "'%s --help' exited %d\n", name, rc);
            CHECK(rc == 0);
            CHECK(strlen(out) > 20);
            listed++;
        }
        char *next = strchr(line, '\n');
        if (!next) break;
        line = next + 1;
    }
    printf("%d command(s) listed and answering --help\n", listed);
}

static char dir[64]; /* a temporary directory for point files and captured stderr */

static void write_file(const char *name, const char *text) { gr_test_write_in(dir, name, text); }

/* Run "cd dir && $GR_CLI args [> redirect]": stdout into out (unless redirected), stderr
 * into errb; return the exit status (-1 if it did not exit normally). */
static int run_in_dir(const char *args, const char *redirect, char *out, size_t outsz, char *errb,
                      size_t errsz) {
    const char *cli = getenv("GR_CLI");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s %s", dir, cli ? cli : "ganrepro", args,
             redirect ? redirect : "");
    return gr_test_shell(dir, cmd, out, outsz, errb, errsz);
}

/* Output that never reached its file must not exit 0: the same commands succeed with a
 * working stdout and fail, with a message, when stdout is /dev/full. */
static void test_stdout_write_error(void) {
    static char out[16384], errb[4096];
    CHECK(access("/dev/full", W_OK) == 0); /* the probe needs it: fail, never skip */
    write_file("a.txt", "0 0\n1 1\n2 2\n");
    write_file("b.txt", "0 1\n1 2\n3 3\n");
    const char *cases[] = {"--help", "--version", "distance --help", "distance w1 a.txt b.txt",
                           "distance js a.txt b.txt --k 1"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int ok = run_in_dir(cases[i], NULL, out, sizeof out, errb, sizeof errb);
        CHECK(ok == 0);
        CHECK(strlen(out) > 0);
        int full = run_in_dir(cases[i], "> /dev/full", out, sizeof out, errb, sizeof errb);
        if (full == 0) fprintf(stderr, "  '%s > /dev/full' exited 0\n", cases[i]);
        CHECK(full == 1);
        CHECK_STR_CONTAINS(errb, "error writing to standard output");
    }
}

/* Each value option applies to the KINDs its row names; with any other KIND it is a usage
 * error that names the option and the KINDs it applies to (and nothing is printed on
 * stdout); with its own KINDs it runs. */
static void test_options_apply_to_kind(void) {
    static char out[4096], errb[4096];
    write_file("a.txt", "0 0\n1 1\n2 2\n");
    write_file("b.txt", "0 1\n1 2\n3 3\n");
    const char *kinds[] = {"w1", "w2", "sinkhorn", "js", "kl"};
    const struct {
        const char *opt, *applies;
    } rules[] = {
        {"--max-iter 100000", "w1 w2 sinkhorn"},
        {"--tol 1e-9", "w1 w2 sinkhorn"},
        {"--epsilon 0.2", "sinkhorn"},
        {"--k 1", "js kl"},
    };
    int refused = 0;
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        for (size_t j = 0; j < sizeof kinds / sizeof kinds[0]; j++) {
            char args[256], optname[32];
            snprintf(args, sizeof args, "distance %s a.txt b.txt %s", kinds[j], rules[r].opt);
            sscanf(rules[r].opt, "%31s", optname);
            /* word match of the kind in the list ("w1" must not match inside "w12") */
            char padded[64], word[16];
            snprintf(padded, sizeof padded, " %s ", rules[r].applies);
            snprintf(word, sizeof word, " %s ", kinds[j]);
            int applies = strstr(padded, word) != NULL;
            int rc = run_in_dir(args, NULL, out, sizeof out, errb, sizeof errb);
            if (applies) {
                if (rc != 0) fprintf(stderr, "  '%s' -> exit %d: %s\n", args, rc, errb);
                CHECK(rc == 0);
                CHECK(strlen(out) > 0);
            } else {
                if (rc != 2) fprintf(stderr, "  '%s' -> exit %d (want 2)\n", args, rc);
                CHECK(rc == 2);
                CHECK(out[0] == '\0');
                CHECK_STR_CONTAINS(errb, optname);
                CHECK_STR_CONTAINS(errb, "does not apply to");
                CHECK_STR_CONTAINS(errb, rules[r].applies);
                refused++;
            }
        }
    }
    CHECK(refused == 11); /* 4 options x 5 kinds = 20 pairs, 9 of them applicable */
    /* the two reproductions of the issue, verbatim, and an option before KIND */
    CHECK(run_in_dir("distance w1 a.txt b.txt --k 3", NULL, out, sizeof out, errb, sizeof errb) ==
          2);
    CHECK_STR_CONTAINS(errb, "--k does not apply to w1");
    CHECK(run_in_dir("distance js a.txt b.txt --max-iter 3", NULL, out, sizeof out, errb,
                     sizeof errb) == 2);
    CHECK_STR_CONTAINS(errb, "--max-iter does not apply to js");
    CHECK(run_in_dir("distance --epsilon 1 w2 a.txt b.txt", NULL, out, sizeof out, errb,
                     sizeof errb) == 2);
    CHECK_STR_CONTAINS(errb, "--epsilon does not apply to w2");
    /* a repeated option would silently drop its first value */
    CHECK(run_in_dir("distance js a.txt b.txt --k 1 --k 2", NULL, out, sizeof out, errb,
                     sizeof errb) == 2);
    CHECK_STR_CONTAINS(errb, "--k given twice");
}

/* The two w1/w2 options of the unbalanced simplex (issue 10.7) obey the same rule: they run
 * with w1 and w2 and are refused, naming the KINDs, with sinkhorn, js and kl. */
static void test_unbalanced_options_apply_to_kind(void) {
    static char out[4096], errb[4096];
    write_file("a.txt", "0 0\n1 1\n2 2\n");
    write_file("b.txt", "0 1\n1 2\n3 3\n");
    const char *kinds[] = {"w1", "w2", "sinkhorn", "js", "kl"};
    const char *opts[] = {"--warm-max-m 4", "--cold-max-n 100"};
    for (size_t r = 0; r < 2; r++)
        for (size_t j = 0; j < 5; j++) {
            char args[256];
            snprintf(args, sizeof args, "distance %s a.txt b.txt %s", kinds[j], opts[r]);
            int rc = run_in_dir(args, NULL, out, sizeof out, errb, sizeof errb);
            if (j < 2) {
                CHECK(rc == 0);
                CHECK(strlen(out) > 0);
            } else {
                CHECK(rc == 2);
                CHECK(out[0] == '\0');
                CHECK_STR_CONTAINS(errb, "does not apply to");
                CHECK_STR_CONTAINS(errb, "it applies to w1 w2 only");
            }
        }
}

/* The help says what the certificate's numbers and the JS clip mean. */
static void test_distance_help_explains(void) {
    static char out[16384], errb[4096];
    CHECK(run_in_dir("distance --help", NULL, out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(out, "primal and dual are W2^2");
    CHECK_STR_CONTAINS(out, "clipped");
    CHECK_STR_CONTAINS(out, "[0, log 2]");
    CHECK_STR_CONTAINS(out, "NaN");
    CHECK_STR_CONTAINS(out, "never ignored");
}

int main(void) {
    if (gr_test_tmpdir(dir, sizeof dir, "gr_test_cli_") != 0) return 1;
    RUN(test_help_and_version);
    RUN(test_listed_commands_exist);
    RUN(test_stdout_write_error);
    RUN(test_options_apply_to_kind);
    RUN(test_unbalanced_options_apply_to_kind);
    RUN(test_distance_help_explains);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
