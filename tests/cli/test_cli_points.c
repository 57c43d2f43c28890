/* tests/cli/test_cli_points.c — `ganrepro distance` end to end on the point files of
 * issue 8 item 5 and issue 9 item 1: what the user sees on stdout/stderr and the exit
 * status. Runs "$GR_CLI distance ..." in a temporary directory.
 *
 * Expected value: for A = {(0,0), (1,1), (2,2)} and B = {(0,1), (1,2), (3,3)} with uniform
 * weights, W1 is the best of the 3! assignments (Birkhoff: the LP optimum of equal-size
 * uniform transport is a permutation), the identity: (1 + 1 + sqrt 2) / 3 = (2 + sqrt 2)/3
 * = 1.1380711874576983 (the README's value for the LF files). The CR-only files of the
 * issue printed 2 (one 6-D point each). */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli_run.h"
#include "test.h"

static char dir[64];
static const char *cli;

static void write_file(const char *name, const char *text) { gr_test_write_in(dir, name, text); }

/* Run `ganrepro distance ARGS` in dir; stdout into out, stderr into errbuf. Returns the
 * exit status, or -1 - signal number when the process was killed by a signal. */
static int run(const char *args, char *out, size_t outsz, char *errbuf, size_t errsz) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && exec '%s' distance %s", dir, cli, args);
    return gr_test_shell(dir, cmd, out, outsz, errbuf, errsz);
}

static void expect_value(const char *args, double want) {
    char out[4096], errb[4096];
    int st = run(args, out, sizeof out, errb, sizeof errb);
    CHECK(st == 0);
    char *end;
    double v = strtod(out, &end);
    CHECK(end != out && *end == '\n' && end[1] == '\0'); /* the value alone */
    CHECK_CLOSE(v, want, 1e-15, 0);
    if (st != 0 || fabs(v - want) > 1e-15 * want)
        fprintf(stderr, "  '%s' -> exit %d, stdout '%s', stderr '%s'\n", args, st, out, errb);
}

static void expect_fail(const char *args, const char *n1, const char *n2) {
    char out[4096], errb[4096];
    int st = run(args, out, sizeof out, errb, sizeof errb);
    CHECK(st == 2); /* an input error, not a crash (a signal gives st < 0) */
    CHECK(out[0] == '\0');
    if (n1) CHECK_STR_CONTAINS(errb, n1);
    if (n2) CHECK_STR_CONTAINS(errb, n2);
    if (st != 2) fprintf(stderr, "  '%s' -> exit %d: %s\n", args, st, errb);
}

/* Issue 8.5, verbatim: CR-only files gave 2 with exit 0; every line-end convention must
 * give the LF file's value. */
static void test_line_ends(void) {
    const double want = (2.0 + sqrt(2.0)) / 3.0;
    write_file("a_lf.txt", "0 0\n1 1\n2 2\n");
    write_file("b_lf.txt", "0 1\n1 2\n3 3\n");
    write_file("a.txt", "0 0\r1 1\r2 2\r");
    write_file("b.txt", "0 1\r1 2\r3 3\r");
    write_file("a_crlf.txt", "0 0\r\n1 1\r\n2 2\r\n");
    write_file("b_mixed.txt", "0 1\r\n1 2\r3 3\n");
    expect_value("w1 a_lf.txt b_lf.txt", want);
    expect_value("w1 a.txt b.txt", want);
    expect_value("w1 a_crlf.txt b_mixed.txt", want);
    expect_value("w1 a.txt b_lf.txt", want);
    /* line numbers stay right with CR endings */
    write_file("rag_cr.txt", "0 0\r1 1\r\r2\r");
    expect_fail("w1 rag_cr.txt b.txt", "rag_cr.txt:4:", "expected 2 coordinates (as on line 1)");
    write_file("bom.txt", "\xEF\xBB\xBF"
                          "0 0\n1 1\n2 2\n");
    expect_fail("w1 bom.txt b.txt", "bom.txt:1:", "byte-order mark");
    /* a text path containing ":/" (a directory "runs:") is read as text */
    char sub[128];
    snprintf(sub, sizeof sub, "%s/runs:", dir);
    CHECK(mkdir(sub, 0700) == 0);
    write_file("runs:/a.txt", "0 0\n1 1\n2 2\n");
    expect_value("w1 runs:/a.txt b.txt", want);
}

/* Issue 9.1: an unallocated chunked dataset of (2^62 + 1) x 4 doubles (a few KB on disk)
 * made `sinkhorn` write past a 32-byte block and `js` overflow in knn.c. Now refused
 * before anything is allocated, exit 2 with the size in the message. */
static void test_huge_h5(void) {
    char path[256];
    snprintf(path, sizeof path, "%s/crafted.h5", dir);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[2] = {((hsize_t)1 << 62) + 1, 4}, maxd[2] = {H5S_UNLIMITED, 4}, chunk[2] = {1, 4};
    hid_t s = H5Screate_simple(2, dims, maxd);
    hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(p, 2, chunk);
    H5Pset_alloc_time(p, H5D_ALLOC_TIME_LATE);
    hid_t ds = H5Dcreate2(f, "samples", H5T_IEEE_F64LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
    CHECK(ds >= 0);
    H5Dclose(ds);
    H5Pclose(p);
    H5Sclose(s);
    H5Fclose(f);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && sb.st_size < 4096);
    write_file("ok.txt", "0 0 0 0\n1 2 3 4\n2.5 1 0 -1\n");
    expect_fail("sinkhorn crafted.h5:/samples ok.txt", "4611686018427387905 x 4", "too large");
    expect_fail("js crafted.h5:/samples ok.txt --k 1", "crafted.h5:/samples", "too large");
    expect_fail("w1 ok.txt crafted.h5:/samples", "crafted.h5:/samples", "limit of 2^32");
}

/* Issue 9.3: if libhdf5 still crashes inside a read (damage no check of ours can catch), the
 * CLI names the file and exits 2 instead of dying of the signal. The fault is injected by
 * the guard's test hook, inside the guarded read (cli/guard.h). */
static void test_reader_crash_guard(void) {
    write_file("g_a.txt", "0 0\n1 1\n2 2\n");
    write_file("g_b.txt", "0 1\n1 2\n3 3\n");
    const char *sigs[] = {"SEGV", "FPE"};
    for (size_t i = 0; i < 2; i++) {
        setenv("GR_CLI_TEST_FAULT", sigs[i], 1);
        char out[4096], errb[4096], want[64];
        int st = run("w1 g_a.txt g_b.txt", out, sizeof out, errb, sizeof errb);
        unsetenv("GR_CLI_TEST_FAULT");
        CHECK(st == 2); /* not killed by the signal (st < 0) */
        CHECK(out[0] == '\0');
        CHECK_STR_CONTAINS(errb, "reading g_a.txt: the reader crashed (SIG");
        snprintf(want, sizeof want, "(SIG%s)", sigs[i]);
        CHECK_STR_CONTAINS(errb, want);
        CHECK_STR_CONTAINS(errb, "give untrusted point data as text");
    }
    /* without the hook the same command reads and prints the value */
    expect_value("w1 g_a.txt g_b.txt", (2.0 + sqrt(2.0)) / 3.0);
}

int main(void) {
    gr_core_init();
    if (!(cli = gr_test_cli())) return 1;
    if (gr_test_tmpdir(dir, sizeof dir, "gr_cli_points_") != 0) return 1;
    RUN(test_line_ends);
    RUN(test_huge_h5);
    RUN(test_reader_crash_guard);
    /* runs:/ is a subdirectory: empty it before the harness removes the files */
    char path[256];
    snprintf(path, sizeof path, "%s/runs:/a.txt", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/runs:", dir);
    rmdir(path);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
