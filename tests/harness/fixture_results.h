/* tests/harness/fixture_results.h — experiment descriptions for the results/runner tests
 * (no experiment file: the plan is built in C), and a dataset-by-dataset comparison of two
 * HDF5 files. */
#ifndef GR_TESTS_HARNESS_FIXTURE_RESULTS_H
#define GR_TESTS_HARNESS_FIXTURE_RESULTS_H

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/runner.h"
#include "io/h5.h"
#include "test.h"

#define FX_MAX_RUNS 16
#define FX_MAX_SET  16

typedef struct fx_exp {
    gr_exp_desc exp;
    gr_run_desc runs[FX_MAX_RUNS];
    gr_run_param settings[FX_MAX_RUNS][FX_MAX_SET];
    gr_run_param swept[FX_MAX_RUNS][2];
    char ids[FX_MAX_RUNS][48];
    char resolved[FX_MAX_RUNS][512];
} fx_exp;

/* The parallel lines (distance_curve): curve.samples in {shared_grid, independent} x seeds
 * {1, 2}, 11 grid points on [-1, 1], n = 60 samples, kNN k = 5. */
static inline void fx_lines(fx_exp *f, const char *name, const char *hash) {
    memset(f, 0, sizeof *f);
    static const char *const samples[2] = {"shared_grid", "independent"};
    size_t r = 0;
    for (int s = 0; s < 2; s++)
        for (unsigned seed = 1; seed <= 2; seed++, r++) {
            gr_run_param *p = f->settings[r];
            size_t k = 0;
            p[k++] = (gr_run_param){"data.set", "parallel_lines"};
            p[k++] = (gr_run_param){"data.sigma", "0"};
            p[k++] = (gr_run_param){"curve.param", "data.theta"};
            p[k++] = (gr_run_param){"curve.from", "-1"};
            p[k++] = (gr_run_param){"curve.to", "1"};
            p[k++] = (gr_run_param){"curve.points", "11"};
            p[k++] = (gr_run_param){"curve.samples", samples[s]};
            p[k++] = (gr_run_param){"eval.n", "60"};
            p[k++] = (gr_run_param){"eval.knn_k", "5"};
            p[k++] = (gr_run_param){"eval.w1", "true"};
            p[k++] = (gr_run_param){"eval.divergence", "knn"};
            f->swept[r][0] = (gr_run_param){"curve.samples", samples[s]};
            snprintf(f->ids[r], sizeof f->ids[r], "lines-%s-s%u", s ? "ind" : "grid", seed);
            snprintf(f->resolved[r], sizeof f->resolved[r], "curve.samples = \"%s\";\nseed = %u;\n",
                     samples[s], seed);
            f->runs[r] = (gr_run_desc){.id = f->ids[r],
                                       .index = r,
                                       .seed = seed,
                                       .resolved = f->resolved[r],
                                       .n_swept = 1,
                                       .swept = f->swept[r],
                                       .n_settings = k,
                                       .settings = p};
        }
    f->exp = (gr_exp_desc){.name = name,
                           .protocol = "distance_curve",
                           .claims = "C19,C20",
                           .profile = "ci",
                           .declaration = "experiment = { name = \"lines\"; };\n",
                           .declaration_hash = hash,
                           .n_runs = r,
                           .runs = f->runs};
}

/* A test protocol's experiment: n runs with setting x = "1" .. "n", one seed. */
static inline void fx_xs(fx_exp *f, const char *name, const char *protocol, size_t n) {
    memset(f, 0, sizeof *f);
    static const char *const xs[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
    for (size_t r = 0; r < n; r++) {
        f->settings[r][0] = (gr_run_param){"x", xs[r]};
        f->swept[r][0] = (gr_run_param){"x", xs[r]};
        snprintf(f->ids[r], sizeof f->ids[r], "x%s", xs[r]);
        snprintf(f->resolved[r], sizeof f->resolved[r], "x = %s;\n", xs[r]);
        f->runs[r] = (gr_run_desc){.id = f->ids[r],
                                   .index = r,
                                   .seed = 7,
                                   .resolved = f->resolved[r],
                                   .n_swept = 1,
                                   .swept = f->swept[r],
                                   .n_settings = 1,
                                   .settings = f->settings[r]};
    }
    f->exp = (gr_exp_desc){.name = name,
                           .protocol = protocol,
                           .claims = "T1",
                           .profile = "ci",
                           .declaration = "x = [1, 2];\n",
                           .declaration_hash = "sha256:test",
                           .n_runs = n,
                           .runs = f->runs};
}

/* ---- comparing two files dataset by dataset ---- */

typedef struct fx_cmp {
    hid_t other;
    size_t n_dsets, n_diff;
    char first_diff[256];
} fx_cmp;

static herr_t fx_cmp_visit(hid_t obj, const char *name, const H5O_info_t *info, void *op) {
    fx_cmp *c = op;
    if (info->type != H5O_TYPE_DATASET) return 0;
    c->n_dsets++;
    int same = 0;
    hid_t a = H5Dopen2(obj, name, H5P_DEFAULT), b = H5Dopen2(c->other, name, H5P_DEFAULT);
    if (a >= 0 && b >= 0) {
        hid_t ta = H5Dget_type(a), tb = H5Dget_type(b);
        hid_t sa = H5Dget_space(a), sb = H5Dget_space(b);
        hssize_t na = H5Sget_simple_extent_npoints(sa), nb = H5Sget_simple_extent_npoints(sb);
        if (H5Tequal(ta, tb) > 0 && na == nb && na >= 0 && H5Sextent_equal(sa, sb) > 0) {
            size_t bytes = (size_t)na * H5Tget_size(ta);
            unsigned char *ba = malloc(bytes + 1), *bb = malloc(bytes + 1);
            if (ba && bb && H5Dread(a, ta, H5S_ALL, H5S_ALL, H5P_DEFAULT, ba) >= 0 &&
                H5Dread(b, tb, H5S_ALL, H5S_ALL, H5P_DEFAULT, bb) >= 0)
                same = memcmp(ba, bb, bytes) == 0;
            free(ba);
            free(bb);
        }
        H5Sclose(sa);
        H5Sclose(sb);
        H5Tclose(ta);
        H5Tclose(tb);
    }
    if (a >= 0) H5Dclose(a);
    if (b >= 0) H5Dclose(b);
    if (!same) {
        if (!c->n_diff) snprintf(c->first_diff, sizeof c->first_diff, "%s", name);
        c->n_diff++;
    }
    return 0;
}

/* 1 when every dataset of a exists in b with the same type, shape and bytes, and the
 * other way round; *n_dsets gets the number of datasets of a. */
static inline int fx_same_datasets(const char *pa, const char *pb, size_t *n_dsets) {
    gr_h5_quiet();
    hid_t fa = H5Fopen(pa, H5F_ACC_RDONLY, H5P_DEFAULT),
          fb = H5Fopen(pb, H5F_ACC_RDONLY, H5P_DEFAULT);
    int ok = 0;
    if (fa >= 0 && fb >= 0) {
        fx_cmp c1 = {fb, 0, 0, ""}, c2 = {fa, 0, 0, ""};
        H5Ovisit(fa, H5_INDEX_NAME, H5_ITER_INC, fx_cmp_visit, &c1);
        H5Ovisit(fb, H5_INDEX_NAME, H5_ITER_INC, fx_cmp_visit, &c2);
        ok = c1.n_diff == 0 && c2.n_diff == 0 && c1.n_dsets == c2.n_dsets;
        if (!ok)
            fprintf(stderr, "  %s vs %s: %zu/%zu datasets, %zu+%zu differ (first: %s%s)\n", pa, pb,
                    c1.n_dsets, c2.n_dsets, c1.n_diff, c2.n_diff, c1.first_diff, c2.first_diff);
        if (n_dsets) *n_dsets = c1.n_dsets;
    } else {
        fprintf(stderr, "  cannot open %s or %s\n", pa, pb);
    }
    if (fa >= 0) H5Fclose(fa);
    if (fb >= 0) H5Fclose(fb);
    return ok;
}

static inline int fx_copy_file(const char *from, const char *to) {
    size_t len;
    unsigned char *d = gr_test_read_file(from, &len);
    int ok = d && gr_test_write_file(to, d, len);
    free(d);
    return ok;
}

/* Count the directory entries of dir whose name contains `needle`. */
static inline size_t fx_count_names(const char *dir, const char *needle) {
    DIR *d = opendir(dir);
    size_t n = 0;
    if (!d) return 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, needle)) n++;
    closedir(d);
    return n;
}

#include <ftw.h>
static inline int fx_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}
/* Remove a test folder and everything below it (never follows symbolic links). */
static inline void fx_rm_rf(const char *dir) { nftw(dir, fx_rm_one, 16, FTW_DEPTH | FTW_PHYS); }

#endif
