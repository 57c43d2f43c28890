/* tests/cli/test_knn_cli.c — `ganrepro distance js|kl` on tied, duplicated,
 * unequal-size and badly scaled point files, end to end: runs "$GR_CLI distance ..." in a
 * temporary directory and checks the value on stdout, the exit status, the certificate
 * lines and the tie warning on stderr.
 *
 * Known answers: two samples of one law (JS = 0, up to the estimator's spread measured in
 * test_knn.c); a duplicated sample against a continuous one (JS = log 2 exactly, KL = +inf);
 * the same file twice (JS = 0); the duplicated sample read as weights (--repeats weights:
 * JS, KL ~ 0, the value of the file of distinct points). The reproductions of issue 8.4 and 9.4 are
 * here with the numbers the old code printed. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/cli_run.h"
#include "core/rng.h"
#include "test.h"

static char dir[64];
static const char *cli;
static char out[1 << 16], errb[1 << 16];

/* n x d points, one per line, "%.*f" with `digits` decimals (-1: "%.17g") */
static void write_points(const char *name, const double *x, size_t n, size_t d, int digits) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++) {
            if (digits < 0)
                fprintf(f, "%.17g", x[i * d + j]);
            else
                fprintf(f, "%.*f", digits, x[i * d + j]);
            fputc(j + 1 < d ? ' ' : '\n', f);
        }
    fclose(f);
}

static void write_text(const char *name, const char *text) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Run `ganrepro distance ARGS` in dir; stdout into out, stderr into errb; exit status. */
static int run(const char *args) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' distance %s", dir, cli, args);
    return gr_test_shell(dir, cmd, out, sizeof out, errb, sizeof errb);
}

/* The value alone on stdout, exit 0 (NAN, and a failed check, otherwise). */
static double run_value(const char *args) {
    int st = run(args);
    CHECK(st == 0);
    if (st != 0) fprintf(stderr, "  '%s' -> exit %d: %s\n", args, st, errb);
    char *end;
    double v = strtod(out, &end);
    int alone = end != out && *end == '\n' && end[1] == '\0';
    CHECK(alone);
    CHECK(isfinite(v));
    return alone ? v : NAN;
}

/* A key=value line of the certificate on stderr, as a number (NAN if absent). */
static double cert_value(const char *key) {
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s=", key);
    const char *p = strstr(errb, pat);
    return p ? strtod(p + strlen(pat), NULL) : NAN;
}

static void normals(gsl_rng *r, double *x, size_t n, double mu) {
    for (size_t i = 0; i < n; i++)
        x[i] = mu + gsl_ran_gaussian(r, 1.0);
}

/* Issue 8.4: round(N(0,1), 1), 2000 x 1 twice: the old code printed 0.692 (k = 1) and
 * 0.689 (k = 5); the same file twice gave log 2. 2-D: 0.64 / 0.46. The bounds (mean + 4 sd
 * of this code's estimate, 30 seeds, see test_knn.c): 0.08 (k = 1), 0.04 (k = 5). */
static void test_rounded(void) {
    const size_t n = 2000;
    double *a = malloc(2 * n * sizeof *a), *b = malloc(2 * n * sizeof *b);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 84, GR_STREAM_TEST, NULL), NULL);
    normals(r, a, 2 * n, 0.0);
    normals(r, b, 2 * n, 0.0);
    write_points("r1a.txt", a, n, 1, 1);
    write_points("r1b.txt", b, n, 1, 1);
    write_points("r2a.txt", a, n, 2, 1);
    write_points("r2b.txt", b, n, 2, 1);
    double v = run_value("js r1a.txt r1b.txt --k 1");
    CHECK(v >= 0.0 && v <= 0.08);
    /* the warning names both files and the treatment, without --certificate */
    CHECK_STR_CONTAINS(errb, "warning:");
    CHECK_STR_CONTAINS(errb, "of r1a.txt");
    CHECK_STR_CONTAINS(errb, "of r1b.txt");
    CHECK_STR_CONTAINS(errb, "grid");
    v = run_value("js r1a.txt r1b.txt --k 5 --certificate");
    CHECK(v >= 0.0 && v <= 0.04);
    CHECK_STR_CONTAINS(errb, "ties=grid-jitter");
    CHECK(cert_value("tied_a") > 0.9 * (double)n && cert_value("tied_b") > 0.9 * (double)n);
    CHECK(cert_value("atoms") > 10);
    CHECK_CLOSE(cert_value("grid_step_min"), 0.1, 1e-9, 0.0);
    CHECK(cert_value("n_mix") == 2.0 * (double)n);
    CHECK(cert_value("raw") <= 0.04);
    v = run_value("js r1a.txt r1a.txt --k 1");
    CHECK(v <= 0.08); /* the same file twice: old code exactly log 2 */
    v = run_value("js r2a.txt r2b.txt --k 1");
    CHECK(v >= 0.0 && v <= 0.08);
    v = run_value("js r2a.txt r2b.txt --k 5");
    CHECK(v >= 0.0 && v <= 0.04);
    v = run_value("kl r1a.txt r1b.txt --k 5");
    CHECK(fabs(v) <= 0.06);
    free(a);
    free(b);
    gsl_rng_free(r);
}

/* Duplicates off a grid: the old code printed KL -0.67 (k = 1) / +0.43 (k = 5). A value
 * repeated in an i.i.d. sample is an atom, which the continuous second law lacks. */
static void test_duplicated(void) {
    const size_t n = 2000;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 85, GR_STREAM_TEST, NULL), NULL);
    normals(r, a, n / 2, 0.0);
    memcpy(a + n / 2, a, n / 2 * sizeof *a);
    normals(r, b, n, 0.0);
    write_points("dup.txt", a, n, 1, -1);
    write_points("ind.txt", b, n, 1, -1);
    CHECK(run("kl dup.txt ind.txt --k 1") == 2);
    CHECK(out[0] == '\0');
    CHECK_STR_CONTAINS(errb, "KL = +inf");
    CHECK(run("kl dup.txt ind.txt --k 5") == 2);
    CHECK_STR_CONTAINS(errb, "never occurs in the second sample");
    double v = run_value("js dup.txt ind.txt --certificate");
    CHECK(v == log(2.0));
    CHECK_STR_CONTAINS(errb, "ties=atoms");
    CHECK(cert_value("tied_a") == (double)n && cert_value("tied_b") == 0.0);
    CHECK(cert_value("atoms") == (double)(n / 2));
    CHECK_STR_CONTAINS(errb, "read as atoms of the laws (point masses");
    CHECK_STR_CONTAINS(errb, "if they are repeated draws of a continuous law, pass --repeats "
                             "weights");
    CHECK_STR_CONTAINS(errb, "repeats=auto");
    /* the same continuous file twice: JS = 0 and KL = 0 exactly (old JS at k = 1: log 2) */
    CHECK(run_value("js ind.txt ind.txt --k 1") == 0.0);
    CHECK(run_value("kl ind.txt ind.txt --k 1") == 0.0);
    /* continuous data: no warning, ties=none */
    normals(r, a, n, 0.0);
    write_points("ind2.txt", a, n, 1, -1);
    run_value("js ind.txt ind2.txt --certificate");
    CHECK_STR_CONTAINS(errb, "ties=none");
    CHECK(strstr(errb, "warning") == NULL);
    free(a);
    free(b);
    gsl_rng_free(r);
}

/* The weights reading (--repeats weights), issue 8.4's case end to end: a file of 1000
 * N(0,1) draws each written twice against an independent file of 2000. KL = JS = 0; bounds
 * |mean| + 4 sd of the library's estimate over 30 seeds (test_knn.c, test_weights_duplicated):
 * 1-D |KL| <= 0.22 (k = 1), 0.10 (k = 5); 2-D 0.31, 0.11; JS <= 0.08 (k = 1), 0.05 (k = 5).
 * The value printed is that of the file of distinct points, to the last digit. */
static void test_repeats_weights(void) {
    const size_t n0 = 1000, m = 2000;
    double *z = malloc(2 * n0 * sizeof *z), *a = malloc(4 * n0 * sizeof *a),
           *b = malloc(2 * m * sizeof *b);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 87, GR_STREAM_TEST, NULL), NULL);
    static char v1[sizeof out], v2[sizeof out]; /* stdout of two runs */
    for (size_t d = 1; d <= 2; d++) {
        normals(r, z, n0 * d, 0.0);
        normals(r, b, m * d, 0.0);
        memcpy(a, z, n0 * d * sizeof *a);
        memcpy(a + n0 * d, z, n0 * d * sizeof *a);
        write_points("w_dup.txt", a, 2 * n0, d, -1);
        write_points("w_one.txt", z, n0, d, -1);
        write_points("w_ind.txt", b, m, d, -1);
        double v = run_value("kl w_dup.txt w_ind.txt --repeats weights --k 1");
        CHECK(fabs(v) <= (d == 1 ? 0.22 : 0.31));
        v = run_value("kl w_dup.txt w_ind.txt --repeats weights --certificate");
        CHECK(fabs(v) <= (d == 1 ? 0.10 : 0.11));
        CHECK_STR_CONTAINS(errb, "repeats=weights");
        CHECK_STR_CONTAINS(errb, "ties=weights");
        CHECK(cert_value("distinct_a") == (double)n0 && cert_value("distinct_b") == (double)m);
        CHECK(cert_value("n") == 2.0 * (double)n0 && cert_value("tied_a") == 2.0 * (double)n0);
        /* the warning names the reading and the way back */
        CHECK_STR_CONTAINS(errb, "read as repeated draws of a continuous law (--repeats "
                                 "weights)");
        CHECK_STR_CONTAINS(errb, "pass --repeats atoms");
        CHECK(strstr(errb, "values occur in both files") == NULL);
        memcpy(v1, out, sizeof out);
        run_value("kl w_one.txt w_ind.txt");
        memcpy(v2, out, sizeof out);
        CHECK(!strcmp(v1, v2));
        v = run_value("js w_dup.txt w_ind.txt --repeats weights --k 1");
        CHECK(v >= 0.0 && v <= 0.08);
        v = run_value("js w_dup.txt w_ind.txt --repeats weights");
        CHECK(v >= 0.0 && v <= 0.05);
        memcpy(v1, out, sizeof out);
        run_value("js w_one.txt w_ind.txt");
        memcpy(v2, out, sizeof out);
        CHECK(!strcmp(v1, v2));
        /* the default and --repeats atoms: atoms, which the second law lacks */
        CHECK(run_value("js w_dup.txt w_ind.txt") == log(2.0));
        CHECK_STR_CONTAINS(errb, "pass --repeats weights");
        CHECK(run_value("js w_dup.txt w_ind.txt --repeats atoms --certificate") == log(2.0));
        CHECK_STR_CONTAINS(errb, "repeats=atoms");
        CHECK_STR_CONTAINS(errb, "ties=atoms");
        CHECK(run("kl w_dup.txt w_ind.txt --repeats atoms") == 2);
        CHECK_STR_CONTAINS(errb, "KL = +inf");
        CHECK_STR_CONTAINS(errb, "read as atoms of the laws (point masses); if they are "
                                 "repeated draws of a continuous law, pass --repeats weights");
        CHECK(out[0] == '\0');
        CHECK(run("kl w_dup.txt w_ind.txt --repeats auto") == 2);
    }
    /* the same file twice under weights: every value in both files, counted as an atom of
     * equal mass in each: exactly 0 */
    CHECK(run_value("js w_dup.txt w_dup.txt --repeats weights") == 0.0);
    CHECK_STR_CONTAINS(errb, "1000 values occur in both files and were counted as atoms");
    CHECK(run_value("kl w_dup.txt w_one.txt --repeats weights") == 0.0);
    /* the option applies to js and kl only, once, with one of three values */
    CHECK(run("w1 w_dup.txt w_ind.txt --repeats weights") == 2);
    CHECK_STR_CONTAINS(errb, "--repeats does not apply to w1");
    CHECK(run("sinkhorn w_dup.txt w_ind.txt --repeats atoms") == 2);
    CHECK(run("js w_dup.txt w_ind.txt --repeats weight") == 2);
    CHECK_STR_CONTAINS(errb, "expected auto, atoms or weights, found 'weight'");
    CHECK(run("js w_dup.txt w_ind.txt --repeats atoms --repeats weights") == 2);
    CHECK_STR_CONTAINS(errb, "given twice");
    CHECK(run("js w_dup.txt w_ind.txt --repeats") == 2);
    free(z);
    free(a);
    free(b);
    gsl_rng_free(r);
}

/* n != m: every point is used; the old code took the first min(n, m) rows, here of a
 * sorted file (its lowest values). O3 pair delta = 1, JS = 0.111421 (distance/gauss.h,
 * gr_gauss_js_eqvar), n = 8000 sorted, m = 2000, k = 5: sd <= 0.015 (n = m = 1e3: 0.015,
 * knn.c), 0.045 = 3 sd. */
static void test_unequal(void) {
    const size_t n = 8000, m = 2000;
    double *a = malloc(n * sizeof *a), *b = malloc(m * sizeof *b);
    gsl_rng *r = NULL;
    CHECK_OK(gr_rng_alloc(&r, 86, GR_STREAM_TEST, NULL), NULL);
    normals(r, a, n, 0.0);
    normals(r, b, m, 1.0);
    for (size_t i = 1; i < n; i++) /* insertion sort: the file is sorted */
        for (size_t j = i; j > 0 && a[j - 1] > a[j]; j--) {
            double t = a[j];
            a[j] = a[j - 1];
            a[j - 1] = t;
        }
    write_points("big.txt", a, n, 1, -1);
    write_points("small.txt", b, m, 1, -1);
    double v = run_value("js big.txt small.txt --certificate");
    CHECK_CLOSE(v, 0.111421, 0.0, 0.045);
    CHECK(cert_value("n") == (double)n && cert_value("m") == (double)m);
    CHECK(cert_value("n_mix") == 2.0 * (double)m);
    free(a);
    free(b);
    gsl_rng_free(r);
}

/* Issue 9.4: squared distances overflowed and js/kl printed -nan with status=ok. */
static void test_scaling(void) {
    write_text("e.txt", "1e155 0\n-1e155 0\n1 1\n2 2\n0 0\n3 1\n");
    write_text("f.txt", "0 0\n1 1\n2 2\n3 1\n1 0\n0 1\n");
    double v = run_value("js e.txt f.txt --k 1 --certificate");
    CHECK(v >= 0.0 && v <= log(2.0));
    CHECK_STR_CONTAINS(errb, "status=ok");
    CHECK(strstr(errb, "nan") == NULL);
    v = run_value("kl e.txt f.txt --k 1");
    CHECK(isfinite(v));
    /* beyond what squared distances can hold: refused with a message, nothing on stdout */
    write_text("g.txt", "1e200 0\n-1e200 0\n1 1\n2 2\n0 0\n3 1\n");
    CHECK(run("js f.txt g.txt --k 1") == 2);
    CHECK(out[0] == '\0');
    CHECK_STR_CONTAINS(errb, "orders of magnitude");
}

static void test_help(void) {
    CHECK(run("--help") == 0);
    CHECK_STR_CONTAINS(out, "clipped to [0, log 2]");
    CHECK_STR_CONTAINS(out, "every point of A and B is used");
    CHECK_STR_CONTAINS(out, "grid");
    CHECK_STR_CONTAINS(out, "--repeats R");
    CHECK_STR_CONTAINS(out, "weights: a repeat within a file is one draw");
}

int main(void) {
    gr_core_init();
    if (!(cli = gr_test_cli())) return 1;
    if (gr_test_tmpdir(dir, sizeof dir, "gr_knn_cli_") != 0) return 1;
    RUN(test_rounded);
    RUN(test_duplicated);
    RUN(test_repeats_weights);
    RUN(test_unequal);
    RUN(test_scaling);
    RUN(test_help);
    gr_test_tmpdir_remove(dir);
    return TEST_MAIN_END();
}
