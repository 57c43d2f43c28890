/* tests/fuzz/fuzz_results.c — harness/results.h's strict reader (what `plot`, `table` and
 * `verify` open) on arbitrary bytes: gr_results_open, then every run's record, its "step",
 * "w1_exact" and "theta" series, a metric, a root attribute and the summary's "seed" column.
 * The seeds are small results files of the parallel-lines experiment written by the runner
 * (1 and 2 runs; tests/fuzz/README.md says how they were made). Contract checked: every call
 * either succeeds with values of the documented shape (runs in index order, a status of the
 * three, series of n finite-or-NaN doubles) or fails with a documented status and a message;
 * a failed open gives no reader. */
#include <math.h>

#include "fuzz.h"
#include "harness/results.h"

static void check_fail(int s, const gr_error *err) {
    gr_fuzz_check_failure(s, err);
    GR_FUZZ_CHECK(s == GR_EFORMAT || s == GR_EIO || s == GR_ENOMEM || s == GR_EINVAL ||
                      s == GR_ELIB,
                  "status %d not documented", s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = gr_fuzz_file("results.h5", data, size);
    gr_results *r = (gr_results *)&r; /* must be overwritten */
    gr_error err;
    memset(&err, 0, sizeof err);
    int s = gr_results_open(&r, path, NULL, &err);
    if (s != GR_OK) {
        check_fail(s, &err);
        GR_FUZZ_CHECK(r == NULL, "failed open left a reader");
        gr_fuzz_unlink(path);
        return 0;
    }
    gr_fuzz_note_accepted();
    GR_FUZZ_CHECK(r != NULL, "GR_OK without a reader");
    size_t n = gr_results_run_count(r);
    int64_t last_index = -1;
    for (size_t i = 0; i < n && i < 64; i++) {
        gr_results_run_info info;
        memset(&err, 0, sizeof err);
        s = gr_results_run_get(r, i, &info, &err);
        if (s != GR_OK) {
            check_fail(s, &err);
            continue;
        }
        GR_FUZZ_CHECK(info.id != NULL && info.id[0], "run %zu without an id", i);
        GR_FUZZ_CHECK(info.status >= GR_RUN_OK && info.status <= GR_RUN_FAILED, "status %d",
                      info.status);
        GR_FUZZ_CHECK(info.index > last_index, "runs not in index order");
        last_index = info.index;
        GR_FUZZ_CHECK(memchr(info.reason, '\0', sizeof info.reason) != NULL, "reason");
        static const char *const series[] = {"step", "w1_exact", "theta"};
        for (size_t k = 0; k < 3; k++) {
            double *v = NULL;
            size_t m = 0;
            memset(&err, 0, sizeof err);
            s = gr_results_series_read(r, i, series[k], &v, &m, &err);
            if (s == GR_OK) {
                GR_FUZZ_CHECK(m == 0 || v != NULL, "series %s: %zu values, no array", series[k], m);
                volatile double sink = 0; /* touch every value: ASan sees a short array */
                for (size_t j = 0; j < m; j++)
                    sink += v[j];
                (void)sink;
            } else {
                check_fail(s, &err);
            }
            free(v);
        }
        double x;
        memset(&err, 0, sizeof err);
        s = gr_results_metric(r, i, "w1_lp_max_abs_err", &x, &err);
        if (s != GR_OK) check_fail(s, &err);
    }
    char *exp = NULL;
    memset(&err, 0, sizeof err);
    s = gr_results_attr_str(r, "experiment", &exp, &err);
    if (s == GR_OK)
        GR_FUZZ_CHECK(exp != NULL, "attribute without a string");
    else
        check_fail(s, &err);
    free(exp);
    if (n > 0 && n <= 1024) {
        double *col = malloc(n * sizeof *col);
        GR_FUZZ_CHECK(col != NULL, "malloc");
        memset(&err, 0, sizeof err);
        s = gr_results_summary_read(r, "seed", col, &err);
        if (s != GR_OK) check_fail(s, &err);
        free(col);
    }
    gr_results_close(r);
    gr_fuzz_unlink(path);
    return 0;
}
