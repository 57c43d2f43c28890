/* harness/plot.c — a results file's figure data as gnuplot text files (plot.h). */
#include "harness/plot.h"

#include <errno.h>
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/mem.h"
#include "io/h5.h"
#include "io/h5io.h"

typedef struct names {
    char **v;
    size_t n, cap;
    int oom;
} names;

static int names_has(const names *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return 1;
    return 0;
}

static void names_add(names *l, const char *s) {
    if (names_has(l, s)) return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) {
            l->oom = 1;
            return;
        }
        l->v = nv;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(s))) {
        l->oom = 1;
        return;
    }
    l->n++;
}

static void names_free(names *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static herr_t collect_series(hid_t g, const char *name, const H5L_info_t *info, void *op) {
    (void)g;
    (void)info;
    if (strcmp(name, "step")) names_add(op, name);
    return 0;
}

/* The series names of run i (not "step"), in name order; none when it has no series. */
static void run_series(const gr_resview *v, size_t i, names *out) {
    hid_t runs = H5Gopen2(gr_results_file(v->res), "runs", H5P_DEFAULT);
    if (runs < 0) return;
    hid_t g = H5Gopen2(runs, v->runs[i].id, H5P_DEFAULT);
    if (g >= 0 && gr_h5_link_kind(g, "series") == 1) {
        hid_t s = H5Gopen2(g, "series", H5P_DEFAULT);
        hsize_t idx = 0;
        if (s >= 0) {
            H5Literate(s, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_series, out);
            H5Gclose(s);
        }
    }
    if (g >= 0) H5Gclose(g);
    H5Gclose(runs);
}

static void put_num(FILE *f, double x) {
    if (isnan(x))
        fputs("nan", f);
    else if (isinf(x))
        fputs(x > 0 ? "inf" : "-inf", f);
    else
        fprintf(f, "%.17g", x);
}

/* A gnuplot double-quoted string literal. */
static void put_gp_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

/* Each data file is written as "DIR/NAME.tmp.<pid>" and renamed to DIR/NAME by close_out,
 * so a failed write (a full disk) leaves the previous file, never a truncated one. */
static void tmp_name(char *buf, size_t size, const char *dir, const char *name) {
    snprintf(buf, size, "%s/%s.tmp.%ld", dir, name, (long)getpid());
}

static int open_out(FILE **f, const char *dir, const char *name, gr_error *err) {
    char tmp[4300];
    tmp_name(tmp, sizeof tmp, dir, name);
    *f = fopen(tmp, "w");
    return *f ? GR_OK : GR_ERROR(err, GR_EIO, "cannot write %s/%s: %s", dir, name, strerror(errno));
}

static int close_out(FILE *f, const char *dir, const char *name, gr_error *err) {
    char tmp[4300], path[4200];
    tmp_name(tmp, sizeof tmp, dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    errno = 0;
    int bad = fflush(f) != 0 || ferror(f) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, path) != 0) {
        bad = 1;
        e = errno;
    }
    if (!bad) return GR_OK;
    remove(tmp);
    return GR_ERROR(err, GR_EIO, "writing %s failed: %s", path, e ? strerror(e) : "write error");
}

typedef struct series_data {
    double *step;
    double **col; /* per global series name, NULL if the run lacks it */
    size_t rows;
} series_data;

static int same_setting(const gr_resview *v, size_t a, size_t b) {
    for (size_t k = 0; k < v->n_axes; k++)
        if (strcmp(v->runs[a].params[k], v->runs[b].params[k])) return 0;
    return 1;
}

/* ---- fixed-shape datasets (samples/, probes/) ---- */

typedef struct ds_ctx {
    FILE *f;           /* the data file being written, or NULL while only listing */
    names *list;       /* "group.name" of every dataset (rank 1 or 2, numeric) */
    const char *group; /* "samples" or "probes" */
} ds_ctx;

static herr_t collect_ds(hid_t g, const char *name, const H5L_info_t *info, void *op) {
    (void)info;
    ds_ctx *c = op;
    if (gr_h5_link_kind(g, name) != 1) return 0;
    H5O_info_t oi;
    if (H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET)
        return 0; /* datasets only */
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0) return 0;
    hid_t sp = H5Dget_space(d), ty = H5Dget_type(d);
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    int num = ty >= 0 && (H5Tget_class(ty) == H5T_FLOAT || H5Tget_class(ty) == H5T_INTEGER);
    if (ty >= 0) H5Tclose(ty);
    if (sp >= 0) H5Sclose(sp);
    H5Dclose(d);
    if ((rank == 1 || rank == 2) && num) {
        char full[512];
        snprintf(full, sizeof full, "%s.%s", c->group, name);
        names_add(c->list, full);
    }
    return 0;
}

/* The datasets of run i under samples/ and probes/ ("samples.step_300"), in name order. */
static void run_datasets(const gr_resview *v, size_t i, names *out) {
    hid_t runs = H5Gopen2(gr_results_file(v->res), "runs", H5P_DEFAULT);
    if (runs < 0) return;
    hid_t g = H5Gopen2(runs, v->runs[i].id, H5P_DEFAULT);
    const char *groups[2] = {"probes", "samples"};
    for (int k = 0; k < 2 && g >= 0; k++) {
        if (gr_h5_link_kind(g, groups[k]) != 1) continue;
        hid_t s = H5Gopen2(g, groups[k], H5P_DEFAULT);
        hsize_t idx = 0;
        ds_ctx c = {NULL, out, groups[k]};
        if (s >= 0) {
            H5Literate(s, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_ds, &c);
            H5Gclose(s);
        }
    }
    if (g >= 0) H5Gclose(g);
    H5Gclose(runs);
}

/* Write dataset "group.name" of run i as text: rank 1 one value a line, rank 2 (n x d) one
 * row of d values a line; no header line. */
static int export_dataset(const gr_resview *v, size_t i, const char *full, const char *dir,
                          gr_error *err) {
    char group[64], fname[600];
    const char *dot = strchr(full, '.');
    size_t gl = dot ? (size_t)(dot - full) : 0;
    if (!dot || gl >= sizeof group) return GR_ERROR(err, GR_EINTERNAL, "plot: dataset %s", full);
    memcpy(group, full, gl);
    group[gl] = '\0';
    hid_t runs = H5Gopen2(gr_results_file(v->res), "runs", H5P_DEFAULT);
    hid_t g = runs >= 0 ? H5Gopen2(runs, v->runs[i].id, H5P_DEFAULT) : -1;
    hid_t s = g >= 0 ? H5Gopen2(g, group, H5P_DEFAULT) : -1;
    hid_t d = s >= 0 ? H5Dopen2(s, dot + 1, H5P_DEFAULT) : -1;
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dims[2] = {0, 1};
    int rank = sp >= 0 ? H5Sget_simple_extent_dims(sp, dims, NULL) : -1;
    size_t n = 0;
    double *buf = NULL;
    int st = GR_OK;
    if (rank != 1 && rank != 2)
        st = GR_ERROR(err, GR_EFORMAT, "%s: run %s: cannot read dataset %s/%s", v->path,
                      v->runs[i].id, group, dot + 1);
    if (st == GR_OK && rank == 1) dims[1] = 1;
    if (st == GR_OK && gr_size_mul((size_t)dims[0], (size_t)dims[1], &n) != GR_OK)
        st = GR_ERROR(err, GR_EFORMAT, "%s: dataset %s too large", v->path, full);
    if (st == GR_OK && n > 0 && !(buf = malloc(n * sizeof *buf)))
        st = GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
    if (st == GR_OK && n > 0 &&
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        st = GR_ERROR(err, GR_EFORMAT, "%s: run %s: reading dataset %s/%s", v->path, v->runs[i].id,
                      group, dot + 1);
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (s >= 0) H5Gclose(s);
    if (g >= 0) H5Gclose(g);
    if (runs >= 0) H5Gclose(runs);
    FILE *f = NULL;
    snprintf(fname, sizeof fname, "run_%zu.%s.dat", i + 1, full);
    if (st == GR_OK) st = open_out(&f, dir, fname, err);
    if (st == GR_OK) {
        for (size_t r = 0; r < (size_t)dims[0]; r++) {
            for (size_t c = 0; c < (size_t)dims[1]; c++) {
                if (c) fputc(' ', f);
                put_num(f, buf[r * (size_t)dims[1] + c]);
            }
            fputc('\n', f);
        }
        st = close_out(f, dir, fname, err);
    }
    free(buf);
    return st;
}

/* summary.dat: one row per run (K, setting, seed, ok, the swept values as numbers — nan
 * when not numeric — and every summary metric), a header line of column names. */
static int export_summary(const gr_resview *v, const char *dir, const size_t *group_of,
                          gr_error *err) {
    FILE *f;
    GR_TRY(open_out(&f, dir, "summary.dat", err));
    fputs("run group seed ok", f);
    for (size_t a = 0; a < v->n_axes; a++)
        fprintf(f, " param.%s", v->axes[a]);
    for (size_t m = 0; m < v->n_metrics; m++)
        fprintf(f, " %s", v->metrics[m]);
    fputc('\n', f);
    for (size_t i = 0; i < v->n_runs; i++) {
        fprintf(f, "%zu %zu %llu %d", i + 1, group_of[i] + 1, (unsigned long long)v->runs[i].seed,
                v->runs[i].status == GR_RUN_OK);
        for (size_t a = 0; a < v->n_axes; a++) {
            const char *p = v->runs[i].params[a];
            char *end = NULL;
            double x = *p ? strtod(p, &end) : NAN;
            fputc(' ', f);
            put_num(f, end && *end == '\0' ? x : NAN);
        }
        for (size_t m = 0; m < v->n_metrics; m++) {
            fputc(' ', f);
            put_num(f, v->values[m * v->n_runs + i]);
        }
        fputc('\n', f);
    }
    return close_out(f, dir, "summary.dat", err);
}

static int export_groups_meta(const gr_resview *v, const char *dir, series_data *sd,
                              const names *all, size_t *group_of, size_t *first, size_t n_groups,
                              const names *dsl, const names *dsall, gr_error *err);

static int export_all(const gr_resview *v, const char *dir, series_data *sd, const names *all,
                      size_t *group_of, size_t *first, size_t n_groups, gr_error *err) {
    FILE *f;
    char fname[64];
    /* run files */
    for (size_t i = 0; i < v->n_runs; i++) {
        snprintf(fname, sizeof fname, "run_%zu.dat", i + 1);
        GR_TRY(open_out(&f, dir, fname, err));
        fputs("step", f);
        for (size_t s = 0; s < all->n; s++)
            if (sd[i].col[s]) fprintf(f, " %s", all->v[s]);
        fputc('\n', f);
        for (size_t k = 0; k < sd[i].rows; k++) {
            put_num(f, sd[i].step[k]);
            for (size_t s = 0; s < all->n; s++)
                if (sd[i].col[s]) {
                    fputc(' ', f);
                    put_num(f, sd[i].col[s][k]);
                }
            fputc('\n', f);
        }
        GR_TRY(close_out(f, dir, fname, err));
    }
    /* every run's datasets (samples/, probes/) as text, and the summary's rows */
    names *dsl = calloc(v->n_runs ? v->n_runs : 1, sizeof *dsl);
    names dsall = {0};
    if (!dsl) return GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
    int st = GR_OK;
    for (size_t i = 0; st == GR_OK && i < v->n_runs; i++) {
        run_datasets(v, i, &dsl[i]);
        if (dsl[i].oom) st = GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
        for (size_t k = 0; st == GR_OK && k < dsl[i].n; k++) {
            names_add(&dsall, dsl[i].v[k]);
            st = export_dataset(v, i, dsl[i].v[k], dir, err);
        }
    }
    if (dsall.oom && st == GR_OK) st = GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
    if (st == GR_OK) st = export_summary(v, dir, group_of, err);
    if (st == GR_OK)
        st = export_groups_meta(v, dir, sd, all, group_of, first, n_groups, dsl, &dsall, err);
    for (size_t i = 0; i < v->n_runs; i++)
        names_free(&dsl[i]);
    free(dsl);
    names_free(&dsall);
    return st;
}

static int export_groups_meta(const gr_resview *v, const char *dir, series_data *sd,
                              const names *all, size_t *group_of, size_t *first, size_t n_groups,
                              const names *dsl, const names *dsall, gr_error *err) {
    FILE *f;
    char fname[64];
    /* group files: mean and std over the ok runs */
    double *xs = malloc((v->n_runs ? v->n_runs : 1) * sizeof *xs);
    if (!xs) return GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
    for (size_t g = 0; g < n_groups; g++) {
        snprintf(fname, sizeof fname, "group_%zu.dat", g + 1);
        int st = open_out(&f, dir, fname, err);
        if (st != GR_OK) {
            free(xs);
            return st;
        }
        fputs("step", f);
        for (size_t s = 0; s < all->n; s++)
            fprintf(f, " %s_mean %s_std %s_lo %s_hi %s_n", all->v[s], all->v[s], all->v[s],
                    all->v[s], all->v[s]);
        fputc('\n', f);
        size_t ref = (size_t)-1, rows = 0;
        for (size_t i = 0; i < v->n_runs; i++)
            if (group_of[i] == g && v->runs[i].status == GR_RUN_OK && sd[i].rows > rows) {
                ref = i;
                rows = sd[i].rows;
            }
        for (size_t k = 0; ref != (size_t)-1 && k < rows; k++) {
            put_num(f, sd[ref].step[k]);
            for (size_t s = 0; s < all->n; s++) {
                size_t n = 0;
                for (size_t i = 0; i < v->n_runs; i++) {
                    if (group_of[i] != g || v->runs[i].status != GR_RUN_OK) continue;
                    if (!sd[i].col[s] || k >= sd[i].rows || sd[i].step[k] != sd[ref].step[k])
                        continue;
                    double x = sd[i].col[s][k];
                    if (!isnan(x)) xs[n++] = x;
                }
                /* as the tables compute them (table.c) */
                double mean = n ? gsl_stats_mean(xs, 1, n) : NAN;
                double sdv = n > 1 ? gsl_stats_sd_m(xs, 1, n, mean) : NAN;
                fputc(' ', f);
                put_num(f, mean);
                fputc(' ', f);
                put_num(f, sdv);
                fputc(' ', f);
                put_num(f, mean - sdv);
                fputc(' ', f);
                put_num(f, mean + sdv);
                fprintf(f, " %zu", n);
            }
            fputc('\n', f);
        }
        st = close_out(f, dir, fname, err);
        if (st != GR_OK) {
            free(xs);
            return st;
        }
    }
    free(xs);
    /* meta.gp */
    GR_TRY(open_out(&f, dir, "meta.gp", err));
    fputs("# written by ganrepro plot from ", f);
    fputs(v->path, f);
    fputs(" (harness/plot.h describes every variable)\n", f);
    const char *sv[5] = {"experiment", "title", "profile", "commit", "protocol"};
    const char *sx[5] = {v->experiment, v->title, v->profile, v->git_commit, v->protocol};
    for (int k = 0; k < 5; k++) {
        fprintf(f, "%s = ", sv[k]);
        put_gp_str(f, sx[k]);
        fputc('\n', f);
    }
    size_t n_ok = 0, n_failed = 0, n_div = 0;
    for (size_t i = 0; i < v->n_runs; i++) {
        n_ok += v->runs[i].status == GR_RUN_OK;
        n_failed += v->runs[i].status == GR_RUN_FAILED;
        n_div += v->runs[i].status == GR_RUN_DIVERGED;
    }
    fprintf(f, "n_runs = %zu\nn_groups = %zu\nn_ok = %zu\nn_failed = %zu\nn_diverged = %zu\n",
            v->n_runs, n_groups, n_ok, n_failed, n_div);
    size_t na = v->n_runs ? v->n_runs : 1, ng = n_groups ? n_groups : 1;
    char label[2048];
    fprintf(f, "array run_status[%zu]\narray run_group[%zu]\narray run_seed[%zu]\n", na, na, na);
    fprintf(f, "array run_label[%zu]\narray run_reason[%zu]\n", na, na);
    for (size_t i = 0; i < v->n_runs; i++) {
        fprintf(f, "run_status[%zu] = \"%s\"; run_group[%zu] = %zu; run_seed[%zu] = %llu\n", i + 1,
                gr_run_status_name(v->runs[i].status), i + 1, group_of[i] + 1, i + 1,
                (unsigned long long)v->runs[i].seed);
        gr_resview_setting(v, i, label, sizeof label);
        size_t l = strlen(label);
        snprintf(label + l, sizeof label - l, "%sseed %llu", l ? ", " : "",
                 (unsigned long long)v->runs[i].seed);
        fprintf(f, "run_label[%zu] = ", i + 1);
        put_gp_str(f, label);
        fprintf(f, "; run_reason[%zu] = ", i + 1);
        put_gp_str(f, v->runs[i].reason);
        fputc('\n', f);
    }
    fprintf(f, "array group_label[%zu]\narray group_short[%zu]\narray group_n_ok[%zu]\n", ng, ng,
            ng);
    fprintf(f, "array group_n_failed[%zu]\narray group_n_diverged[%zu]\n", ng, ng);
    for (size_t g = 0; g < n_groups; g++) {
        size_t ok = 0, fl = 0, dv = 0;
        for (size_t i = 0; i < v->n_runs; i++)
            if (group_of[i] == g) {
                ok += v->runs[i].status == GR_RUN_OK;
                fl += v->runs[i].status == GR_RUN_FAILED;
                dv += v->runs[i].status == GR_RUN_DIVERGED;
            }
        gr_resview_setting(v, first[g], label, sizeof label);
        fprintf(f, "group_label[%zu] = ", g + 1);
        put_gp_str(f, label[0] ? label : "all runs");
        size_t l = 0; /* the values alone, for legends */
        label[0] = '\0';
        for (size_t a = 0; a < v->n_axes && l < sizeof label; a++)
            if (*v->runs[first[g]].params[a]) {
                int w = snprintf(label + l, sizeof label - l, "%s%s", l ? ", " : "",
                                 v->runs[first[g]].params[a]);
                if (w > 0) l += (size_t)w;
            }
        fprintf(f, "; group_short[%zu] = ", g + 1);
        put_gp_str(f, label[0] ? label : "all runs");
        fprintf(f,
                "; group_n_ok[%zu] = %zu; group_n_failed[%zu] = %zu; group_n_diverged[%zu] = %zu\n",
                g + 1, ok, g + 1, fl, g + 1, dv);
    }
    for (size_t s = 0; s < all->n; s++)
        fprintf(f, "has_%s = 1\n", all->v[s]);
    fprintf(f, "n_series = %zu\nseries_names = \"", all->n);
    for (size_t s = 0; s < all->n; s++)
        fprintf(f, "%s%s", s ? " " : "", all->v[s]);
    fputs("\"\n", f);
    fprintf(f, "array run_datasets[%zu]\n", na);
    for (size_t i = 0; i < v->n_runs; i++) {
        fprintf(f, "run_datasets[%zu] = \"", i + 1);
        for (size_t k = 0; k < dsl[i].n; k++)
            fprintf(f, "%s%s", k ? " " : "", dsl[i].v[k]);
        fputs("\"\n", f);
    }
    fputs("dataset_names = \"", f);
    for (size_t k = 0; k < dsall->n; k++)
        fprintf(f, "%s%s", k ? " " : "", dsall->v[k]);
    fputs("\"\n", f);
    size_t nv = n_groups * v->n_axes;
    fprintf(f, "array group_value[%zu]\n", nv ? nv : 1);
    for (size_t g = 0; g < n_groups; g++)
        for (size_t a = 0; a < v->n_axes; a++) {
            fprintf(f, "group_value[%zu] = ", g * v->n_axes + a + 1);
            put_gp_str(f, v->runs[first[g]].params[a]);
            fputc('\n', f);
        }
    fprintf(f, "n_axes = %zu\naxis_names = \"", v->n_axes);
    for (size_t a = 0; a < v->n_axes; a++)
        fprintf(f, "%s%s", a ? " " : "", v->axes[a]);
    fputs("\"\n", f);
    fputs("failed_note = \"\"", f);
    for (size_t i = 0; i < v->n_runs; i++) {
        if (v->runs[i].status == GR_RUN_OK) continue;
        size_t l = 0; /* the swept values alone: the note must fit the figure's width */
        label[0] = '\0';
        for (size_t a = 0; a < v->n_axes && l < sizeof label; a++)
            if (*v->runs[i].params[a]) {
                int w = snprintf(label + l, sizeof label - l, "%s%s", l ? ", " : "",
                                 v->runs[i].params[a]);
                if (w > 0) l += (size_t)w;
            }
        if (l >= sizeof label) l = sizeof label - 1;
        snprintf(label + l, sizeof label - l, "%sseed %llu %s: %s", l ? ", " : "",
                 (unsigned long long)v->runs[i].seed, gr_run_status_name(v->runs[i].status),
                 v->runs[i].reason);
        fputs(" . ", f);
        put_gp_str(f, label);
        fputs(" . \"\\n\"", f);
    }
    fputc('\n', f);
    return close_out(f, dir, "meta.gp", err);
}

int gr_plot_export(const gr_resview *v, const char *dir, gr_error *err) {
    if (!v || !dir) return GR_ERROR(err, GR_EINVAL, "plot_export: NULL argument");
    GR_TRY(gr_report_mkdir_p(dir, err));
    size_t nr = v->n_runs ? v->n_runs : 1;
    names all = {0};
    series_data *sd = calloc(nr, sizeof *sd);
    size_t *group_of = calloc(nr, sizeof *group_of), *first = calloc(nr, sizeof *first);
    int st = sd && group_of && first ? GR_OK : GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
    size_t n_groups = 0;
    for (size_t i = 0; st == GR_OK && i < v->n_runs; i++) {
        size_t g = 0;
        while (g < n_groups && !same_setting(v, first[g], i))
            g++;
        if (g == n_groups) first[n_groups++] = i;
        group_of[i] = g;
        run_series(v, i, &all);
    }
    if (all.oom) st = GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
    for (size_t i = 0; st == GR_OK && i < v->n_runs; i++) {
        sd[i].col = calloc(all.n ? all.n : 1, sizeof *sd[i].col);
        if (!sd[i].col) {
            st = GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
            break;
        }
        names mine = {0};
        run_series(v, i, &mine);
        if (mine.oom) st = GR_ERROR(err, GR_ENOMEM, "plot: out of memory");
        if (st == GR_OK && mine.n) {
            st = gr_results_series_read(v->res, i, "step", &sd[i].step, &sd[i].rows, err);
            for (size_t s = 0; st == GR_OK && s < all.n; s++) {
                if (!names_has(&mine, all.v[s])) continue;
                size_t n = 0;
                st = gr_results_series_read(v->res, i, all.v[s], &sd[i].col[s], &n, err);
                if (st == GR_OK && n != sd[i].rows)
                    st = GR_ERROR(err, GR_EFORMAT, "%s: run %s: series %s has %zu rows, step %zu",
                                  v->path, v->runs[i].id, all.v[s], n, sd[i].rows);
            }
        }
        names_free(&mine);
    }
    if (st == GR_OK) st = export_all(v, dir, sd, &all, group_of, first, n_groups, err);
    for (size_t i = 0; sd && i < v->n_runs; i++) {
        free(sd[i].step);
        for (size_t s = 0; sd[i].col && s < all.n; s++)
            free(sd[i].col[s]);
        free(sd[i].col);
    }
    free(sd);
    free(group_of);
    free(first);
    names_free(&all);
    return st;
}

/* ---- cross-experiment figures ---- */

int gr_plot_figure_inputs(const char *script, gr_plot_input_name inputs[GR_PLOT_MAX_INPUTS],
                          size_t *n, gr_error *err) {
    static const char prefix[] = "# figure inputs:";
    if (!script || !inputs || !n) return GR_ERROR(err, GR_EINVAL, "figure_inputs: NULL argument");
    *n = 0;
    FILE *f = fopen(script, "r");
    if (!f) return GR_ERROR(err, GR_EIO, "cannot read %s: %s", script, strerror(errno));
    char line[4096];
    int found = 0, st = GR_OK;
    size_t lineno = 0;
    while (st == GR_OK && fgets(line, sizeof line, f)) {
        lineno++;
        if (strncmp(line, prefix, sizeof prefix - 1)) continue;
        if (found++) {
            st = GR_ERROR(err, GR_EFORMAT, "%s:%zu: a second '%s' line", script, lineno, prefix);
            break;
        }
        for (char *p = line + sizeof prefix - 1; st == GR_OK && *p;) {
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                p++;
            if (!*p) break;
            size_t l = 0;
            while (p[l] && p[l] != ' ' && p[l] != '\t' && p[l] != '\n' && p[l] != '\r')
                l++;
            int okc = 1;
            for (size_t i = 0; i < l; i++)
                okc &= (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_';
            if (!okc || l >= sizeof inputs[0])
                st = GR_ERROR(err, GR_EFORMAT,
                              "%s:%zu: '%.*s' is not an experiment name ([a-z0-9_], < 128 bytes)",
                              script, lineno, (int)(l > 200 ? 200 : l), p);
            else if (*n == GR_PLOT_MAX_INPUTS)
                st = GR_ERROR(err, GR_EFORMAT, "%s:%zu: more than %d inputs", script, lineno,
                              GR_PLOT_MAX_INPUTS);
            for (size_t k = 0; st == GR_OK && k < *n; k++)
                if (strlen(inputs[k]) == l && !strncmp(inputs[k], p, l))
                    st = GR_ERROR(err, GR_EFORMAT, "%s:%zu: input %s named twice", script, lineno,
                                  inputs[k]);
            if (st == GR_OK) {
                memcpy(inputs[*n], p, l);
                inputs[(*n)++][l] = '\0';
            }
            p += l;
        }
        if (st == GR_OK && *n == 0)
            st = GR_ERROR(err, GR_EFORMAT, "%s:%zu: '%s' names no experiment", script, lineno,
                          prefix);
    }
    fclose(f);
    if (st == GR_OK && !found)
        st = GR_ERROR(err, GR_EFORMAT,
                      "%s has no '%s NAME...' line: not a figure of several experiments", script,
                      prefix);
    if (st != GR_OK) *n = 0;
    return st;
}

int gr_plot_write_inputs(const char *dir, const gr_plot_input_name *inputs, size_t n,
                         const int *found, gr_error *err) {
    if (!dir || (n && (!inputs || !found)))
        return GR_ERROR(err, GR_EINVAL, "write_inputs: NULL argument");
    FILE *f;
    char sub[4400];
    GR_TRY(open_out(&f, dir, "inputs.gp", err));
    fputs("# written by ganrepro plot --figure (harness/plot.h describes every variable)\n", f);
    size_t na = n ? n : 1;
    fprintf(f, "n_inputs = %zu\narray input_name[%zu]\narray input_found[%zu]\n", n, na, na);
    fprintf(f, "array input_dir[%zu]\n", na);
    for (size_t k = 0; k < n; k++) {
        snprintf(sub, sizeof sub, "%s/%s", dir, inputs[k]);
        fprintf(f, "input_name[%zu] = ", k + 1);
        put_gp_str(f, inputs[k]);
        fprintf(f, "; input_found[%zu] = %d; input_dir[%zu] = ", k + 1, found[k] ? 1 : 0, k + 1);
        put_gp_str(f, sub);
        fputc('\n', f);
    }
    fputs("inputs_note = \"\"", f);
    for (size_t k = 0; k < n; k++)
        if (!found[k]) {
            fputs(" . ", f);
            put_gp_str(f, inputs[k]);
            fputs(" . \": no results file given\\n\"", f);
        }
    fputc('\n', f);
    return close_out(f, dir, "inputs.gp", err);
}

/* ---- drawing ---- */

/* 1 when the image at path ends as a complete file of its format does: a PNG with its IEND
 * chunk, a PDF with "%%EOF", an SVG with "</svg>" near the end. gnuplot's cairo terminals
 * exit 0 after a failed write (a full disk), leaving a truncated image that must not be
 * renamed into place. Another format: 1 (not checked). */
static int image_complete(const char *path, const char *fmt) {
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    const char *mark = !strcmp(fmt, "pdf") ? "%%EOF" : !strcmp(fmt, "svg") ? "</svg>" : NULL;
    if (strcmp(fmt, "png") != 0 && !mark) return 1;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char tail[1024];
    size_t n = 0;
    long want = mark ? (long)sizeof tail : 12;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 12 && fseek(f, size > want ? size - want : 0, SEEK_SET) == 0)
            n = fread(tail, 1, sizeof tail, f);
    }
    fclose(f);
    if (!mark) return n == 12 && memcmp(tail, iend, 12) == 0;
    size_t ml = strlen(mark);
    for (size_t i = 0; i + ml <= n; i++)
        if (memcmp(tail + i, mark, ml) == 0) return 1;
    return 0;
}

int gr_plot_draw(const char *script, const char *datadir, const char *outfile, const char *fmt,
                 const char *plotsdir, gr_error *err) {
    if (!script || !datadir || !outfile || !fmt || !plotsdir)
        return GR_ERROR(err, GR_EINVAL, "plot_draw: NULL argument");
    const char *paths[4] = {datadir, outfile, fmt, plotsdir};
    for (int k = 0; k < 4; k++)
        if (strchr(paths[k], '\''))
            return GR_ERROR(err, GR_EINVAL, "a path holds a quote ('): %s", paths[k]);
    char tmp[4400], expr[9400];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", outfile, (long)getpid());
    int w = snprintf(expr, sizeof expr, "datadir='%s'; outfile='%s'; fmt='%s'; plotsdir='%s'",
                     datadir, tmp, fmt, plotsdir);
    if (w < 0 || (size_t)w >= sizeof expr) return GR_ERROR(err, GR_EINVAL, "paths too long");
    pid_t pid = fork();
    if (pid < 0) return GR_ERROR(err, GR_EIO, "cannot start gnuplot: %s", strerror(errno));
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO); /* gnuplot's print output joins its messages */
        execlp("gnuplot", "gnuplot", "-e", expr, script, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            remove(tmp);
            return GR_ERROR(err, GR_EIO, "waiting for gnuplot: %s", strerror(errno));
        }
    struct stat sb;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        remove(tmp);
        return GR_ERROR(err, GR_EIO, "cannot run gnuplot (install gnuplot-nox)");
    }
    int partial = WIFEXITED(st) && WEXITSTATUS(st) == 0 && stat(tmp, &sb) == 0 && sb.st_size > 0 &&
                  !image_complete(tmp, fmt);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || stat(tmp, &sb) != 0 || sb.st_size == 0 ||
        partial) {
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        remove(tmp);
        /* gnuplot exits 0 when it cannot write its output: say why when the folder is
         * full or read-only (an unwritable output, not a failed script) */
        int full = 0;
        if (code == 0) {
            FILE *probe = fopen(tmp, "w");
            if (!probe) {
                full = errno;
            } else {
                if (fputs("x", probe) < 0 || fflush(probe) != 0) full = errno;
                fclose(probe);
                remove(tmp);
            }
        }
        if (full)
            return GR_ERROR(err, GR_EIO, "gnuplot could not write %s: %s", outfile, strerror(full));
        if (partial)
            return GR_ERROR(err, GR_EIO,
                            "gnuplot %s wrote an incomplete %s (no end of %s file: a full disk?); "
                            "nothing written",
                            script, outfile, fmt);
        return GR_ERROR(err, GR_ELIB, "gnuplot %s on %s exited %d%s: no %s written", script,
                        datadir, code, code == 0 ? " but wrote nothing" : "", outfile);
    }
    if (rename(tmp, outfile) != 0) {
        int e = errno;
        remove(tmp);
        return GR_ERROR(err, GR_EIO, "cannot rename %s to %s: %s", tmp, outfile, strerror(e));
    }
    return GR_OK;
}
