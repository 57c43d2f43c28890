/* tests/harness/test_results_tools.c MODE — a results file made by the runner, read by the
 * tools a user has: MODE h5dump (h5dump -H, -a, -d), h5py (/usr/bin/python3 with h5py and
 * pandas: check_results_h5py.py checks the documented schema), progress (the runner's
 * lines when stderr is not a terminal); `same A.h5 B.h5` compares two files' datasets for
 * tests/harness/slurm_shards.sh. A missing tool is a visible skip (exit 77, ctest
 * SKIP_RETURN_CODE), never a pass. */
#define _GNU_SOURCE /* nftw in fixture_results.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_results.h"
#include "test.h"

#define SKIP 77

static char g_tmp[512];

static int make_file(char *file, size_t size, FILE *progress, int mode) {
    static fx_exp f;
    fx_lines(&f, "lines", "sha256:aaaa");
    char out[600];
    snprintf(out, sizeof out, "%s/out", g_tmp);
    gr_runner_options o = gr_runner_options_default();
    o.out_dir = out;
    o.jobs = 2;
    o.progress = progress;
    o.progress_mode = mode;
    gr_runner_report rep;
    gr_error err;
    int st = gr_runner_execute(&f.exp, &o, &rep, &err);
    CHECK_OK(st, &err);
    snprintf(file, size, "%s", rep.results_path);
    return st == GR_OK;
}

static char *run_capture(const char *cmd, int *status) {
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - 1 - n, p)) > 0)
        n += k;
    if (buf) buf[n] = '\0';
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

static int mode_h5dump(const char *file) {
    if (system("command -v h5dump >/dev/null 2>&1") != 0) {
        printf("SKIP: h5dump not found (Debian package hdf5-tools)\n");
        return SKIP;
    }
    char cmd[1200];
    int st;
    snprintf(cmd, sizeof cmd, "h5dump -H '%s'", file);
    char *out = run_capture(cmd, &st);
    CHECK(out && st == 0);
    if (out) {
        CHECK_STR_CONTAINS(out, "ATTRIBUTE \"format_version\"");
        CHECK_STR_CONTAINS(out, "ATTRIBUTE \"declaration_sha256\"");
        CHECK_STR_CONTAINS(out, "GROUP \"summary\"");
        CHECK_STR_CONTAINS(out, "DATASET \"step\"");
        CHECK_STR_CONTAINS(out, "H5T_STD_I64LE");
        CHECK_STR_CONTAINS(out, "H5T_IEEE_F64LE");
        CHECK_STR_CONTAINS(out, "DATASET \"w1_lp_max_abs_err\"");
    }
    free(out);
    snprintf(cmd, sizeof cmd, "h5dump -a /format '%s'", file);
    out = run_capture(cmd, &st);
    CHECK(out && st == 0);
    if (out) CHECK_STR_CONTAINS(out, "\"ganrepro-results\"");
    free(out);
    snprintf(cmd, sizeof cmd, "h5dump -d /runs/lines-grid-s1/series/w1_exact '%s'", file);
    out = run_capture(cmd, &st);
    CHECK(out && st == 0);
    if (out) CHECK_STR_CONTAINS(out, "(0): 1, 0.8, 0.6, 0.4, 0.2, 0, 0.2, 0.4, 0.6, 0.8, 1");
    free(out);
    return -1;
}

static int mode_h5py(const char *file) {
    if (system("/usr/bin/python3 -c 'import h5py, pandas' >/dev/null 2>&1") != 0) {
        printf("SKIP: /usr/bin/python3 with h5py and pandas not found (python3-h5py "
               "python3-pandas)\n");
        return SKIP;
    }
    const char *src = getenv("GR_SOURCE_DIR");
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/harness/check_results_h5py.py' '%s'",
             src ? src : "..", file);
    int st;
    char *out = run_capture(cmd, &st);
    if (out) fputs(out, stdout);
    CHECK(out && st == 0);
    free(out);
    return -1;
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "same")) {
        /* used by slurm_shards.sh: the numeric datasets of two files are identical */
        size_t n = 0;
        int same = fx_same_datasets(argv[2], argv[3], &n);
        printf("%s and %s: %zu datasets, %s\n", argv[2], argv[3], n,
               same ? "identical" : "DIFFERENT");
        return same && n > 0 ? 0 : 1;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: test_results_tools h5dump|h5py|progress | same A.h5 B.h5\n");
        return 2;
    }
    if (gr_test_tmpdir(g_tmp, sizeof g_tmp, "gr_results_tools_") != 0) return 1;
    char file[1024];
    int rc = -1;
    if (!strcmp(argv[1], "progress")) {
        char log[700];
        snprintf(log, sizeof log, "%s/progress.txt", g_tmp);
        FILE *pf = fopen(log, "w");
        CHECK(pf != NULL);
        if (pf && make_file(file, sizeof file, pf, GR_PROGRESS_AUTO)) {
            fclose(pf);
            size_t len;
            unsigned char *raw = gr_test_read_file(log, &len);
            char *t = raw ? malloc(len + 1) : NULL; /* the reader does not NUL-terminate */
            if (t) {
                memcpy(t, raw, len);
                t[len] = '\0';
            }
            free(raw);
            CHECK(t != NULL);
            if (t) {
                fputs(t, stdout);
                CHECK_STR_CONTAINS(t, "lines: 4 runs, 0 complete (skipped), 4 to run on 2 jobs");
                CHECK_STR_CONTAINS(t, "lines: run 4/4 ");
                CHECK_STR_CONTAINS(t, "seed=2 curve.samples=independent: ok (");
                CHECK_STR_CONTAINS(t, "lines: 4/4 (100.0%)"); /* the periodic plain line */
                CHECK_STR_CONTAINS(t, "lines: done, 4 in ");
                CHECK(strchr(t, '\r') == NULL); /* a file is not a terminal: no bar */
                free(t);
            }
        } else if (pf) {
            fclose(pf);
        }
    } else if (make_file(file, sizeof file, NULL, GR_PROGRESS_OFF)) {
        if (!strcmp(argv[1], "h5dump"))
            rc = mode_h5dump(file);
        else if (!strcmp(argv[1], "h5py"))
            rc = mode_h5py(file);
        else {
            fprintf(stderr, "unknown mode %s\n", argv[1]);
            rc = 2;
        }
    }
    fx_rm_rf(g_tmp);
    if (rc >= 0) return rc;
    return TEST_MAIN_END();
}
