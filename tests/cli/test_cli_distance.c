/* tests/cli/test_cli_distance.c — `ganrepro distance` end to end: runs "$GR_CLI distance
 * ..." on small point files in a temporary directory; checks the value on stdout, the
 * exit status, and that error messages name the file, the line and what was expected.
 * Expected values: the box-moving example (W1 = 5/3, W2 = sqrt(11/3) for {0,0,4} vs
 * {1,3,3}); a 2-D set moved by (0, 1) where W1 = 1 = |mean difference| (a lower bound
 * that the shift attains); the 1-D simplex/sort identity through the CLI. */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli_run.h"
#include "test.h"

static char dir[64];
static const char *cli;

static void write_file(const char *name, const char *text) { gr_test_write_in(dir, name, text); }

/* Run `ganrepro distance ARGS` in dir; stdout into out, stderr into errbuf; exit status. */
static int run(const char *args, char *out, size_t outsz, char *errbuf, size_t errsz) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' distance %s", dir, cli, args);
    return gr_test_shell(dir, cmd, out, outsz, errbuf, errsz);
}

static double run_value(const char *args) {
    char out[4096], errb[4096];
    int st = run(args, out, sizeof out, errb, sizeof errb);
    CHECK(st == 0);
    if (st != 0) fprintf(stderr, "  '%s' -> exit %d: %s\n", args, st, errb);
    char *end;
    double v = strtod(out, &end);
    CHECK(end != out && *end == '\n' && end[1] == '\0'); /* the value alone */
    return v;
}

static void expect_fail(const char *args, int code, const char *n1, const char *n2) {
    char out[4096], errb[4096];
    int st = run(args, out, sizeof out, errb, sizeof errb);
    CHECK(st == code);
    CHECK(out[0] == '\0'); /* nothing on stdout */
    if (n1) CHECK_STR_CONTAINS(errb, n1);
    if (n2) CHECK_STR_CONTAINS(errb, n2);
    if (st != code) fprintf(stderr, "  '%s' -> exit %d (want %d): %s\n", args, st, code, errb);
}

static void test_values(void) {
    write_file("p.txt", "0\n0\n4\n");
    write_file("q.txt", "# boxes\n1\n3\n3\n");
    write_file("a.txt", "0 0\n1 1\n2 0\n");
    write_file("b.txt", "0 1\n1 2 # moved up\n\n2 1\n");
    CHECK_CLOSE(run_value("w1 p.txt q.txt"), 5.0 / 3.0, 1e-15, 0);
    CHECK_CLOSE(run_value("w2 p.txt q.txt"), sqrt(11.0 / 3.0), 1e-15, 0);
    CHECK_CLOSE(run_value("w1 a.txt b.txt"), 1.0, 1e-15, 0);
    CHECK_CLOSE(run_value("w2 a.txt b.txt --certificate"), 1.0, 1e-15, 0);
    double sk = run_value("sinkhorn a.txt b.txt --epsilon 0.2");
    CHECK(sk >= 1.0 - 1e-9 && sk < 1.05); /* measured 1.0367 */
    /* 1-D through the simplex (points embedded as (x, 0)) = the sort path */
    write_file("p2.txt", "0 0\n0 0\n4 0\n");
    write_file("q2.txt", "1 0\n3 0\n3 0\n");
    CHECK_CLOSE(run_value("w1 p2.txt q2.txt"), 5.0 / 3.0, 1e-15, 0);
    /* an HDF5 dataset as input: a.txt's points as a 3 x 2 int dataset */
    char h5[256];
    snprintf(h5, sizeof h5, "%s/pts.h5", dir);
    hid_t f = H5Fcreate(h5, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[2] = {3, 2};
    const int vals[6] = {0, 0, 1, 1, 2, 0};
    hid_t sp = H5Screate_simple(2, dims, NULL);
    hid_t ds = H5Dcreate2(f, "a", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, vals);
    H5Dclose(ds);
    H5Sclose(sp);
    H5Fclose(f);
    CHECK_CLOSE(run_value("w1 pts.h5:/a b.txt"), 1.0, 1e-15, 0);
    expect_fail("w1 pts.h5:/nope b.txt", 2, "pts.h5", "no dataset '/nope'");
    /* certificate lines go to stderr, stdout keeps the value alone */
    char out[4096], errb[4096];
    CHECK(run("w1 a.txt b.txt --certificate", out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "status=optimal");
    CHECK_STR_CONTAINS(errb, "marginal_residual=");
    CHECK_STR_CONTAINS(errb, "duality_gap=");
    CHECK_STR_CONTAINS(errb, "iterations=");
    CHECK_STR_CONTAINS(errb, "ground_cost=euclidean (primal, dual: W1)");
    /* the W2 certificate says its primal and dual are W2^2, not the W2 on stdout */
    CHECK(run("w2 a.txt b.txt --certificate", out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "ground_cost=squared-euclidean (primal, dual: W2^2; stdout: W2)");
    CHECK(run("w1 p.txt q.txt --certificate", out, sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "method=sort-1d");
    /* js / kl on 2-D samples (kNN; values only sanity-checked here, tests/distance has
     * the estimator's accuracy) */
    char big1[8192] = "", big2[8192] = "";
    for (int i = 0; i < 60; i++) {
        char line[64];
        snprintf(line, sizeof line, "%.6f %.6f\n", sin(1.7 * i), cos(2.3 * i));
        strcat(big1, line);
        snprintf(line, sizeof line, "%.6f %.6f\n", 0.3 + sin(1.1 * i), cos(0.7 * i));
        strcat(big2, line);
    }
    write_file("s1.txt", big1);
    write_file("s2.txt", big2);
    double js = run_value("js s1.txt s2.txt --k 3");
    CHECK(js >= 0 && js <= log(2.0));
    double kl = run_value("kl s1.txt s2.txt");
    CHECK(isfinite(kl));
    static char help[32768];
    CHECK(run("--help", help, sizeof help, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(help, "sort formula");
    CHECK_STR_CONTAINS(help, "--repeats");
}

static void test_errors(void) {
    write_file("a.txt", "0 0\n1 1\n2 0\n");
    write_file("empty.txt", "# only a comment\n");
    write_file("ragged.txt", "0 0\n1 1\n2\n");
    write_file("word.txt", "0 0\n1 abc\n");
    write_file("nan.txt", "0 0\n1 1\nNaN 2\n");
    write_file("inf.txt", "0 0\n1 inf\n");
    write_file("three.txt", "0 0 0\n1 1 1\n");
    expect_fail("w1 empty.txt a.txt", 2, "empty.txt", "expected at least one point");
    expect_fail("w1 a.txt ragged.txt", 2, "ragged.txt:3:", "expected 2 coordinates");
    expect_fail("w2 word.txt a.txt", 2, "word.txt:2: field 2", "expected a number");
    expect_fail("sinkhorn nan.txt a.txt", 2, "nan.txt:3: field 1", "finite");
    expect_fail("js a.txt inf.txt", 2, "inf.txt:2: field 2", "finite");
    expect_fail("w1 a.txt three.txt", 2, "dimension mismatch", "three.txt");
    expect_fail("w1 a.txt missing.txt", 2, "missing.txt", "cannot open");
    expect_fail("w1 a.txt nope.h5:/x", 2, "nope.h5", NULL);
    expect_fail("w3 a.txt a.txt", 2, "unknown KIND 'w3'", "w1 w2 sinkhorn js kl");
    expect_fail("w1 a.txt", 2, "expected KIND A B", NULL);
    expect_fail("", 2, "expected KIND A B", NULL);
    expect_fail("w1 a.txt a.txt a.txt", 2, "too many arguments", NULL);
    expect_fail("w1 a.txt a.txt --bogus", 2, "unknown option '--bogus'", NULL);
    expect_fail("w1 a.txt a.txt --max-iter", 2, "--max-iter needs a value", NULL);
    expect_fail("w1 a.txt a.txt --max-iter -3", 2, "expected a positive integer", NULL);
    expect_fail("sinkhorn a.txt a.txt --epsilon zero", 2, "expected a positive number", NULL);
    expect_fail("kl a.txt a.txt --k 10", 2, NULL, NULL); /* k >= n: the estimator refuses */
    /* iteration cap: exit 1, no value, the reason on stderr */
    char big1[8192] = "", big2[8192] = "";
    for (int i = 0; i < 50; i++) {
        char line[64];
        snprintf(line, sizeof line, "%.6f %.6f\n", sin(1.7 * i), cos(2.3 * i));
        strcat(big1, line);
        snprintf(line, sizeof line, "%.6f %.6f\n", sin(0.9 * i), cos(1.3 * i));
        strcat(big2, line);
    }
    write_file("c1.txt", big1);
    write_file("c2.txt", big2);
    expect_fail("w1 c1.txt c2.txt --max-iter 3", 1, "iteration cap", "status=");
    expect_fail("sinkhorn c1.txt c2.txt --max-iter 2 --epsilon 0.01", 1, "iterations", NULL);
}

/* Very unbalanced w1 (issue 9.6's refusal, reachable from the CLI; issue 10.7): 20 000
 * points against 20 is refused under --cold-max-n 10 000 (exit 2, nothing on stdout) with a
 * message that names the two options that solve it; --cold-max-n 30 000 solves it with the
 * cold start, --warm-max-m 20 with the warm start (under the same --cold-max-n 10 000). The
 * two algorithms must agree to the certificate's duality-gap tolerance (tol_gap = 1e-10
 * relative; measured 6e-13), and the certificate shows which start ran and the settings. */
static void test_unbalanced_options(void) {
    char path[256];
    snprintf(path, sizeof path, "%s/many.txt", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%.6f %.6f\n", 2.0 * sin(1.7 * i + 0.3), 1.5 * cos(2.3 * i));
    fclose(f);
    char few[2048] = "";
    for (int j = 0; j < 20; j++) {
        char line[64];
        snprintf(line, sizeof line, "%.6f %.6f\n", 0.4 + sin(0.9 * j), cos(1.3 * j));
        strcat(few, line);
    }
    write_file("few.txt", few);
    static char out[4096], errb[8192];
    expect_fail("w1 many.txt few.txt --cold-max-n 10000", 2, "too unbalanced", "--cold-max-n");
    CHECK(run("w1 many.txt few.txt --cold-max-n 10000", out, sizeof out, errb, sizeof errb) == 2);
    CHECK_STR_CONTAINS(errb, "cold_max_n = 10000");
    CHECK_STR_CONTAINS(errb, "pass --warm-max-m 20");
    CHECK_STR_CONTAINS(errb, "--cold-max-n 20000 or more");
    /* the transposed problem too (20 sources, 20 000 targets) */
    expect_fail("w2 few.txt many.txt --cold-max-n 10000", 2, "too unbalanced", "--warm-max-m 20");
    /* cold start, allowed */
    CHECK(run("w1 many.txt few.txt --cold-max-n 30000 --certificate", out, sizeof out, errb,
              sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "status=optimal");
    CHECK_STR_CONTAINS(errb, "warm_start=0");
    CHECK_STR_CONTAINS(errb, "setting.cold_max_n=30000");
    double cold = strtod(out, NULL);
    /* warm start, under the low cold limit */
    CHECK(run("w1 many.txt few.txt --cold-max-n 10000 --warm-max-m 20 --certificate", out,
              sizeof out, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(errb, "warm_start=1");
    CHECK_STR_CONTAINS(errb, "setting.warm_max_m=20");
    CHECK_STR_CONTAINS(errb, "setting.cold_max_n=10000");
    double warm = strtod(out, NULL);
    CHECK(cold > 0.1);
    CHECK_CLOSE(warm, cold, 1e-10, 0);
    /* 0 is a value of both (never warm; no limit), a negative number is not */
    write_file("a.txt", "0 0\n1 1\n2 0\n");
    write_file("b.txt", "0 1\n1 2\n2 1\n");
    CHECK_CLOSE(run_value("w1 a.txt b.txt --warm-max-m 0 --cold-max-n 0"), 1.0, 1e-15, 0);
    expect_fail("w1 a.txt b.txt --warm-max-m -1", 2, "--warm-max-m", "integer >= 0");
    expect_fail("w1 a.txt b.txt --cold-max-n x", 2, "--cold-max-n", "integer >= 0");
    expect_fail("w1 a.txt b.txt --cold-max-n", 2, "--cold-max-n needs a value", NULL);
    /* --help lists them */
    static char help[32768];
    CHECK(run("--help", help, sizeof help, errb, sizeof errb) == 0);
    CHECK_STR_CONTAINS(help, "--warm-max-m N w1/w2");
    CHECK_STR_CONTAINS(help, "--cold-max-n N w1/w2");
}

int main(void) {
    gr_core_init();
    if (!(cli = gr_test_cli())) return 1;
    if (gr_test_tmpdir(dir, sizeof dir, "gr_cli_dist_") != 0) return 1;
    RUN(test_values);
    RUN(test_errors);
    RUN(test_unbalanced_options);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
