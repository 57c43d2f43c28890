/* tests/cli/cli_run.h — run one shell command line for the CLI tests and capture what it
 * printed: the one runner behind every tests/cli program's own run().
 *
 * gr_test_shell(dir, cmd, out, outsz, errb, errsz) runs `cmd 2> 'DIR/stderr.txt'` through
 * popen: stdout goes into out (NUL-terminated; output beyond the buffer is drained, so the
 * child never dies of SIGPIPE, and fails a check: a test must see all of what it checks),
 * stderr into errb. Returns the exit status, or -1 - s when the command was killed by
 * signal s (directly, or as the shell's 128 + s), or -1000 when it could not be run. */
#ifndef GR_TESTS_CLI_RUN_H
#define GR_TESTS_CLI_RUN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "test.h"

static inline int gr_test_shell(const char *dir, const char *cmd, char *out, size_t outsz,
                                char *errb, size_t errsz) {
    char line[4096], path[512];
    snprintf(path, sizeof path, "%s/stderr.txt", dir);
    if (snprintf(line, sizeof line, "%s 2> '%s'", cmd, path) >= (int)sizeof line) return -1000;
    out[0] = errb[0] = '\0';
    FILE *p = popen(line, "r");
    if (!p) return -1000;
    size_t got = fread(out, 1, outsz - 1, p);
    out[got] = '\0';
    char sink[1024];
    size_t extra = 0, k;
    while ((k = fread(sink, 1, sizeof sink, p)) > 0)
        extra += k;
    CHECK(extra == 0);
    if (extra) fprintf(stderr, "  '%s': %zu bytes of stdout beyond the buffer\n", cmd, extra);
    int st = pclose(p);
    FILE *f = fopen(path, "r");
    if (f) {
        size_t e = fread(errb, 1, errsz - 1, f);
        errb[e] = '\0';
        fclose(f);
    }
    if (st == -1) return -1000;
    if (WIFSIGNALED(st)) return -1 - WTERMSIG(st);
    if (!WIFEXITED(st)) return -1000;
    return WEXITSTATUS(st) > 128 ? -1 - (WEXITSTATUS(st) - 128) : WEXITSTATUS(st);
}

/* Write text to DIR/NAME (a check fails if it cannot). */
static inline void gr_test_write_in(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK(gr_test_write_file(path, text, strlen(text)));
}

/* The executable under test, from $GR_CLI (set by ctest); NULL, with a message, if unset. */
static inline const char *gr_test_cli(void) {
    const char *cli = getenv("GR_CLI");
    if (cli && *cli) return cli;
    fprintf(stderr, "FAIL: GR_CLI is not set (run through ctest)\n");
    return NULL;
}

#endif
