/* tests/test.h — the suite's minimal test harness (header only).
 *
 * A test program is a list of `static void test_x(void)` functions run from main with
 * RUN(test_x). Checks never stop a test: each records a pass or a failure (with file,
 * line, expression and values) and the program ends with the closing line
 *     N passed, N failed
 * and exit status 1 if anything failed (TEST_MAIN_END). A test that cannot run its
 * check (missing fixture, failed allocation) must FAIL, never skip itself into green.
 *
 *   CHECK(cond)                          plain boolean
 *   CHECK_OK(status, err)                status == GR_OK, else print err->msg
 *   CHECK_STATUS(status, expected)       a specific error code
 *   CHECK_CLOSE(got, want, rtol, atol)   |got-want| <= atol + rtol*|want|; NaN never
 *                                        passes unless both are NaN; equal infinities pass
 *   CHECK_ARRAY_CLOSE(got, want, n, rtol, atol)  element-wise; reports the worst index
 *   CHECK_STR_CONTAINS(haystack, needle)
 *
 * Every test program starts on the BLAS kernels the CPU deserves: a constructor calls
 * gr_blas_ensure_core (linalg/blas_core.h) before main, which may run the program again
 * with OPENBLAS_CORETYPE set when OpenBLAS fell back to generic kernels. So the tests
 * check the kernels a user's ganrepro gets, and main needs no argc/argv for it.
 */
#ifndef GR_TESTS_TEST_H
#define GR_TESTS_TEST_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "linalg/blas_core.h"

__attribute__((constructor)) static void gr_test_blas_core_(void) {
    gr_blas_ensure_core(0, NULL); /* arguments from /proc/self/cmdline */
}

static int gr_test_passed_ = 0;
static int gr_test_failed_ = 0;
static const char *gr_test_current_ = "";

static inline void gr_test_fail_(const char *file, int line) {
    gr_test_failed_++;
    fprintf(stderr, "FAIL %s (%s:%d): ", gr_test_current_, file, line);
}

static inline int gr_test_close_(double got, double want, double rtol, double atol) {
    if (isnan(got) || isnan(want)) return isnan(got) && isnan(want);
    if (isinf(got) || isinf(want)) return got == want;
    return fabs(got - want) <= atol + rtol * fabs(want);
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            gr_test_passed_++;                                                                     \
        } else {                                                                                   \
            gr_test_fail_(__FILE__, __LINE__);                                                     \
            fprintf(stderr, "CHECK(%s)\n", #cond);                                                 \
        }                                                                                          \
    } while (0)

#define CHECK_OK(status, errp)                                                                     \
    do {                                                                                           \
        int s_ = (status);                                                                         \
        if (s_ == GR_OK) {                                                                         \
            gr_test_passed_++;                                                                     \
        } else {                                                                                   \
            const gr_error *e_ = (errp);                                                           \
            gr_test_fail_(__FILE__, __LINE__);                                                     \
            fprintf(stderr, "%s returned %d (%s): %s\n", #status, s_, gr_strerror(s_),             \
                    e_ ? e_->msg : "");                                                            \
        }                                                                                          \
    } while (0)

#define CHECK_STATUS(status, expected)                                                             \
    do {                                                                                           \
        int s_ = (status), x_ = (expected);                                                        \
        if (s_ == x_) {                                                                            \
            gr_test_passed_++;                                                                     \
        } else {                                                                                   \
            gr_test_fail_(__FILE__, __LINE__);                                                     \
            fprintf(stderr, "%s returned %d (%s), expected %d (%s)\n", #status, s_,                \
                    gr_strerror(s_), x_, gr_strerror(x_));                                         \
        }                                                                                          \
    } while (0)

#define CHECK_CLOSE(got, want, rtol, atol)                                                         \
    do {                                                                                           \
        double g_ = (double)(got), w_ = (double)(want);                                            \
        if (gr_test_close_(g_, w_, (rtol), (atol))) {                                              \
            gr_test_passed_++;                                                                     \
        } else {                                                                                   \
            gr_test_fail_(__FILE__, __LINE__);                                                     \
            fprintf(stderr, "%s = %.17g, expected %.17g (diff %.3g, rtol %g, atol %g)\n", #got,    \
                    g_, w_, g_ - w_, (double)(rtol), (double)(atol));                              \
        }                                                                                          \
    } while (0)

#define CHECK_ARRAY_CLOSE(got, want, n, rtol, atol)                                                \
    do {                                                                                           \
        size_t n_ = (n), bad_ = 0, worst_ = 0;                                                     \
        double worst_excess_ = -1.0;                                                               \
        for (size_t i_ = 0; i_ < n_; i_++) {                                                       \
            double g_ = (double)(got)[i_], w_ = (double)(want)[i_];                                \
            if (!gr_test_close_(g_, w_, (rtol), (atol))) {                                         \
                double ex_ = (isnan(g_) || isnan(w_) || isinf(g_) || isinf(w_))                    \
                                 ? INFINITY                                                        \
                                 : fabs(g_ - w_) - (atol) - (rtol)*fabs(w_);                       \
                if (bad_ == 0 || ex_ > worst_excess_) {                                            \
                    worst_excess_ = ex_;                                                           \
                    worst_ = i_;                                                                   \
                }                                                                                  \
                bad_++;                                                                            \
            }                                                                                      \
        }                                                                                          \
        if (bad_ == 0) {                                                                           \
            gr_test_passed_++;                                                                     \
        } else {                                                                                   \
            gr_test_fail_(__FILE__, __LINE__);                                                     \
            fprintf(stderr,                                                                        \
                    "%s vs %s: %zu of %zu elements differ; worst [%zu]: %.17g vs %.17g "           \
                    "(rtol %g, atol %g)\n",                                                        \
                    #got, #want, bad_, n_, worst_, (double)(got)[worst_], (double)(want)[worst_],  \
                    (double)(rtol), (double)(atol));                                               \
        }                                                                                          \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                                            \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (h_ && n_ && strstr(h_, n_)) {                                                          \
            gr_test_passed_++;                                                                     \
        } else {                                                                                   \
            gr_test_fail_(__FILE__, __LINE__);                                                     \
            fprintf(stderr, "\"%s\" does not contain \"%s\"\n", h_ ? h_ : "(null)",                \
                    n_ ? n_ : "(null)");                                                           \
        }                                                                                          \
    } while (0)

/* A fresh private directory $TMPDIR/<prefix>XXXXXX (or under /tmp) for a test's files.
 * Returns 0 on success, -1 (with a message on stderr) otherwise. */
static inline int gr_test_tmpdir(char *buf, size_t size, const char *prefix) {
    const char *t = getenv("TMPDIR");
    int n = snprintf(buf, size, "%s/%sXXXXXX", t && t[0] ? t : "/tmp", prefix);
    if (n < 0 || (size_t)n >= size || !mkdtemp(buf)) {
        fprintf(stderr, "FAIL: cannot create a temporary directory for %s\n", prefix);
        return -1;
    }
    return 0;
}

/* The whole of a file, malloc'd (free it), its length in *len; NULL if it cannot be read. */
static inline unsigned char *gr_test_read_file(const char *path, size_t *len) {
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    unsigned char *b = n >= 0 && fseek(f, 0, SEEK_SET) == 0 ? malloc(n > 0 ? (size_t)n : 1) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) *len = (size_t)n;
    return b;
}

/* Write len bytes to path (created or truncated). 1 on success, 0 otherwise. */
static inline int gr_test_write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* Remove a directory made by gr_test_tmpdir: its files, then itself (tests make no
 * subdirectories there). Never follows anything outside `dir`. */
static inline void gr_test_tmpdir_remove(const char *dir) {
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4096];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
                unlink(path);
        }
        closedir(d);
    }
    if (rmdir(dir) != 0) fprintf(stderr, "warning: could not remove %s\n", dir);
}

/* Run one test function, announcing it on failure only. */
#define RUN(fn)                                                                                    \
    do {                                                                                           \
        gr_test_current_ = #fn;                                                                    \
        int before_ = gr_test_failed_;                                                             \
        fn();                                                                                      \
        if (gr_test_failed_ != before_) fprintf(stderr, "-- %s failed\n", #fn);                    \
    } while (0)

/* Print the closing line and return the exit status for main. */
#define TEST_MAIN_END()                                                                            \
    (printf("%d passed, %d failed\n", gr_test_passed_, gr_test_failed_),                           \
     (gr_test_failed_ == 0 && gr_test_passed_ > 0) ? 0 : 1)

#endif
