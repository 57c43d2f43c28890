/* harness/results.c — the results file: per-run files, merge, strict reader
 * (harness/results.h; the schema is documented for users in docs/RESULTS.md). */
#include "harness/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/timer.h"
#include "core/version.h"
#include "io/atomic.h"
#include "io/h5.h"
#include "io/h5io.h"
#include "linalg/blas_core.h"

#define SERIES_MAX 64
#define NAME_MAX_  128

#define SERIES_CHUNK_ROWS 256
static const gr_h5_chunking SERIES_CHUNKING = {SERIES_CHUNK_ROWS, 4, 1, 1};

const char *gr_run_status_name(int status) {
    switch (status) {
    case GR_RUN_OK: return "ok";
    case GR_RUN_DIVERGED: return "diverged";
    case GR_RUN_FAILED: return "failed";
    default: return "unknown";
    }
}

static int status_parse(const char *s) {
    if (!strcmp(s, "ok")) return GR_RUN_OK;
    if (!strcmp(s, "diverged")) return GR_RUN_DIVERGED;
    if (!strcmp(s, "failed")) return GR_RUN_FAILED;
    return -1;
}

static int name_ok(const char *s) {
    if (!s || !*s || strlen(s) >= NAME_MAX_) return 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* ---- string datasets (plain fixed-length NUL-terminated ASCII) ---- */

static hid_t str_type(size_t len) {
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return t;
    if (H5Tset_size(t, len + 1) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0 ||
        H5Tset_cset(t, H5T_CSET_ASCII) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* A scalar string dataset (any length, also beyond an attribute's 4096 bytes). */
static int str_dset_write(hid_t loc, const char *name, const char *text, gr_error *err) {
    size_t len = strlen(text);
    hid_t t = str_type(len), sp = H5Screate(H5S_SCALAR), dcpl = gr_h5_dcpl(), d = -1;
    int st = GR_OK;
    if (t >= 0 && sp >= 0 && dcpl >= 0)
        d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) < 0)
        st = GR_H5_ERROR(err, "writing string dataset %s", name);
    if (d >= 0) H5Dclose(d);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    return st;
}

static int str_dset_read(hid_t loc, const char *name, char **out, gr_error *err) {
    *out = NULL;
    char where[512];
    gr_h5_describe(loc, where, sizeof where);
    if (gr_h5_link_kind(loc, name) != 1)
        return GR_ERROR(err, GR_EFORMAT, "%s: no dataset '%s'", where, name);
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT), ft = -1, sp = -1, mt = -1;
    int st = GR_OK;
    if (d < 0) return gr_h5_error_set(err, GR_EFORMAT, __FILE__, __LINE__, "%s/%s", where, name);
    ft = H5Dget_type(d);
    sp = H5Dget_space(d);
    size_t size = ft >= 0 ? H5Tget_size(ft) : 0;
    if (ft < 0 || sp < 0 || H5Tget_class(ft) != H5T_STRING || H5Tis_variable_str(ft) != 0 ||
        H5Sget_simple_extent_type(sp) != H5S_SCALAR || size == 0 || size > ((size_t)1 << 30)) {
        st = GR_ERROR(err, GR_EFORMAT, "%s/%s: not a scalar fixed-length string dataset", where,
                      name);
    } else {
        char *buf = malloc(size + 1);
        mt = str_type(size - 1);
        if (!buf) {
            st = GR_ERROR(err, GR_ENOMEM, "%s/%s: out of memory", where, name);
        } else if (mt < 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            st = gr_h5_error_set(err, GR_EFORMAT, __FILE__, __LINE__, "reading %s/%s", where, name);
            free(buf);
        } else {
            buf[size] = '\0';
            *out = buf;
        }
    }
    if (mt >= 0) H5Tclose(mt);
    if (sp >= 0) H5Sclose(sp);
    if (ft >= 0) H5Tclose(ft);
    H5Dclose(d);
    return st;
}

/* A 1-D dataset of n >= 1 fixed-length strings (the summary's text columns). */
static int str_column_write(hid_t loc, const char *name, const char *const *s, size_t n,
                            gr_error *err) {
    size_t w = 1;
    for (size_t i = 0; i < n; i++)
        if (strlen(s[i]) > w) w = strlen(s[i]);
    size_t bytes;
    if (gr_size_mul(n, w + 1, &bytes) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "summary column %s too large", name);
    char *buf = calloc(bytes, 1);
    if (!buf) return GR_ERROR(err, GR_ENOMEM, "summary column %s: out of memory", name);
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * (w + 1), s[i], strlen(s[i]));
    hsize_t dims[1] = {(hsize_t)n};
    hid_t t = str_type(w), sp = H5Screate_simple(1, dims, NULL), dcpl = gr_h5_dcpl(), d = -1;
    int st = GR_OK;
    if (t >= 0 && sp >= 0 && dcpl >= 0)
        d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        st = GR_H5_ERROR(err, "writing summary column %s", name);
    if (d >= 0) H5Dclose(d);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    free(buf);
    return st;
}

/* ---- root attributes ---- */

static const char *const ROOT_STR[] = {"format",
                                       "experiment",
                                       "protocol",
                                       "claims",
                                       "profile",
                                       "declaration_sha256",
                                       "ganrepro_version",
                                       "git_commit",
                                       "build_type",
                                       "compiler",
                                       "blas_config",
                                       "blas_core",
                                       "blas_core_selected_by"};
#define N_ROOT_STR (sizeof ROOT_STR / sizeof ROOT_STR[0])

static const char *compiler_name(void) {
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#else
    return "unknown";
#endif
}

static int write_root(hid_t f, const gr_exp_desc *exp, const gr_results_context *ctx,
                      const char *shard, gr_error *err) {
    gr_blas_info b;
    gr_blas_info_get(&b);
    const char *vals[N_ROOT_STR] = {GR_RESULTS_FORMAT, exp->name,       exp->protocol,
                                    exp->claims,       exp->profile,    exp->declaration_hash,
                                    gr_version(),      gr_git_commit(), gr_build_type(),
                                    compiler_name(),   b.config,        b.core,
                                    b.selected_by};
    GR_TRY(gr_h5_attr_write_i32(f, "format_version", GR_RESULTS_FORMAT_VERSION, err));
    for (size_t i = 0; i < N_ROOT_STR; i++)
        GR_TRY(gr_h5_attr_write_str(f, ROOT_STR[i], vals[i], err));
    GR_TRY(gr_h5_attr_write_i32(f, "blas_threads", b.threads, err));
    GR_TRY(gr_h5_attr_write_i32(f, "jobs", ctx->jobs, err));
    GR_TRY(gr_h5_attr_write_str(f, "shard", shard, err));
    GR_TRY(gr_h5_attr_write_i64(f, "runs_planned", (int64_t)exp->n_runs, err));
    GR_TRY(gr_h5_attr_write_str(f, "start_time", ctx->start_time, err));
    char now[32];
    gr_time_iso8601(now, sizeof now);
    GR_TRY(gr_h5_attr_write_str(f, "end_time", now, err));
    return str_dset_write(f, "declaration", exp->declaration, err);
}

/* ---- the run writer ---- */

/* Rows are buffered and appended a chunk at a time: one HDF5 extend per series per chunk
 * instead of per row (10^4 rows of 10 series took 13.6 s row by row). */
#define ROW_BUF SERIES_CHUNK_ROWS

struct gr_results_run {
    hid_t group, series, metrics;
    size_t n_series;
    char names[SERIES_MAX][NAME_MAX_];
    int64_t *buf_step; /* ROW_BUF steps */
    double *buf_val;   /* ROW_BUF x n_series values, series-major: buf_val[k * ROW_BUF + r] */
    size_t buf_rows;
    int64_t step;
    int has_step;
    const char *ckpt;
    int resume;
};

int gr_results_run_series_define(gr_results_run *w, const char *const *names, size_t n,
                                 gr_error *err) {
    if (!w || (n && !names)) return GR_ERROR(err, GR_EINVAL, "series_define: NULL argument");
    if (w->series >= 0) return GR_ERROR(err, GR_EINVAL, "series are already defined");
    if (n > SERIES_MAX) return GR_ERROR(err, GR_EINVAL, "at most %d series", SERIES_MAX);
    for (size_t i = 0; i < n; i++) {
        if (!name_ok(names[i]) || !strcmp(names[i], "step"))
            return GR_ERROR(err, GR_EINVAL, "series name '%s' is not [A-Za-z0-9_.-]+ or is 'step'",
                            names[i] ? names[i] : "(null)");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(names[i], names[j]))
                return GR_ERROR(err, GR_EINVAL, "series '%s' defined twice", names[i]);
    }
    size_t nval;
    if (gr_size_mul(n ? n : 1, ROW_BUF, &nval) != GR_OK)
        return GR_ERROR(err, GR_EINVAL, "too many series");
    w->buf_step = malloc(ROW_BUF * sizeof *w->buf_step);
    w->buf_val = malloc(nval * sizeof *w->buf_val);
    if (!w->buf_step || !w->buf_val)
        return GR_ERROR(err, GR_ENOMEM, "series buffers: out of memory");
    w->series = gr_h5_group_create(w->group, "series", err);
    if (w->series < 0) return err ? err->status : GR_EIO;
    GR_TRY(gr_h5_series_create(w->series, "step", GR_H5_I64, 0, &SERIES_CHUNKING, err));
    for (size_t i = 0; i < n; i++) {
        GR_TRY(gr_h5_series_create(w->series, names[i], GR_H5_F64, 0, &SERIES_CHUNKING, err));
        snprintf(w->names[i], NAME_MAX_, "%s", names[i]);
    }
    w->n_series = n;
    return GR_OK;
}

/* Append the buffered rows to the datasets. */
static int series_flush(gr_results_run *w, gr_error *err) {
    if (!w->buf_rows) return GR_OK;
    GR_TRY(gr_h5_series_append(w->series, "step", GR_H5_I64, 0, w->buf_step, w->buf_rows, err));
    for (size_t i = 0; i < w->n_series; i++)
        GR_TRY(gr_h5_series_append(w->series, w->names[i], GR_H5_F64, 0, &w->buf_val[i * ROW_BUF],
                                   w->buf_rows, err));
    w->buf_rows = 0;
    return GR_OK;
}

int gr_results_run_series_row(gr_results_run *w, int64_t step, const double *values,
                              gr_error *err) {
    if (!w || (w->n_series && !values))
        return GR_ERROR(err, GR_EINVAL, "series_row: NULL argument");
    if (w->series < 0) return GR_ERROR(err, GR_EINVAL, "series_row before series_define");
    if (w->buf_rows == ROW_BUF) GR_TRY(series_flush(w, err));
    w->buf_step[w->buf_rows] = step;
    for (size_t i = 0; i < w->n_series; i++)
        w->buf_val[i * ROW_BUF + w->buf_rows] = values[i];
    w->buf_rows++;
    w->step = step;
    w->has_step = 1;
    return GR_OK;
}

int gr_results_run_metric(gr_results_run *w, const char *name, double value, gr_error *err) {
    if (!w || !name_ok(name))
        return GR_ERROR(err, GR_EINVAL, "metric name '%s' is not [A-Za-z0-9_.-]+",
                        name ? name : "(null)");
    if (w->metrics < 0) {
        w->metrics = gr_h5_group_create(w->group, "metrics", err);
        if (w->metrics < 0) return err ? err->status : GR_EIO;
    }
    return gr_h5_attr_write_f64(w->metrics, name, value, err);
}

static int run_dataset(gr_results_run *w, const char *group, const char *name, int rank,
                       const size_t *dims, gr_h5_type t, const void *data, gr_error *err) {
    if (!w || !group || (strcmp(group, "samples") && strcmp(group, "probes")))
        return GR_ERROR(err, GR_EINVAL, "dataset group must be \"samples\" or \"probes\"");
    if (!name_ok(name)) return GR_ERROR(err, GR_EINVAL, "dataset name '%s' invalid", name);
    hid_t g;
    if (gr_h5_link_kind(w->group, group) == 1)
        g = gr_h5_group_open(w->group, group, err);
    else
        g = gr_h5_group_create(w->group, group, err);
    if (g < 0) return err ? err->status : GR_EIO;
    int st = gr_h5_dset_write(g, name, t, rank, dims, data, err);
    H5Gclose(g);
    return st;
}

int gr_results_run_dataset_f64(gr_results_run *w, const char *group, const char *name, int rank,
                               const size_t *dims, const double *data, gr_error *err) {
    return run_dataset(w, group, name, rank, dims, GR_H5_F64, data, err);
}
int gr_results_run_dataset_f32(gr_results_run *w, const char *group, const char *name, int rank,
                               const size_t *dims, const float *data, gr_error *err) {
    return run_dataset(w, group, name, rank, dims, GR_H5_F32, data, err);
}

void gr_results_run_set_step(gr_results_run *w, int64_t step) {
    if (!w) return;
    w->step = step;
    w->has_step = 1;
}
hid_t gr_results_run_group(const gr_results_run *w) { return w ? w->group : -1; }
const char *gr_results_run_checkpoint_path(const gr_results_run *w) { return w ? w->ckpt : NULL; }
int gr_results_run_resume(const gr_results_run *w) {
    return w && w->resume && w->ckpt && access(w->ckpt, F_OK) == 0;
}

/* ---- per-run files ---- */

typedef struct run_file_ctx {
    const gr_exp_desc *exp;
    const gr_run_desc *run;
    const gr_results_context *rctx;
    gr_protocol_fn protocol;
    const char *ckpt;
    int resume;
    const char *failed_reason; /* non-NULL: write a failed run without calling the protocol */
    double failed_wall;
    int status;
} run_file_ctx;

static void shard_text(const gr_results_context *c, char *buf, size_t size) {
    if (c->shard_count > 1)
        snprintf(buf, size, "%zu/%zu", c->shard_index, c->shard_count);
    else
        snprintf(buf, size, "all");
}

static int write_run_group_head(hid_t runs, const gr_run_desc *run, hid_t *out, gr_error *err) {
    hid_t g = gr_h5_group_create(runs, run->id, err);
    *out = g;
    if (g < 0) return err ? err->status : GR_EIO;
    GR_TRY(gr_h5_attr_write_i64(g, "index", (int64_t)run->index, err));
    GR_TRY(gr_h5_attr_write_u64(g, "seed", run->seed, err));
    for (size_t k = 0; k < run->n_swept; k++) {
        char an[NAME_MAX_ + 8];
        snprintf(an, sizeof an, "param.%s", run->swept[k].key);
        GR_TRY(gr_h5_attr_write_str(g, an, run->swept[k].value, err));
    }
    return str_dset_write(g, "settings", run->resolved, err);
}

/* Close what a protocol left open in f (groups, datasets, attributes it opened through
 * gr_results_run_group), so H5Fclose really closes and flushes the file before the rename:
 * with HDF5's default close degree an object left open keeps the file open. */
static void close_leftovers(hid_t f) {
    ssize_t n = H5Fget_obj_count(f, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE |
                                        H5F_OBJ_ATTR | H5F_OBJ_LOCAL);
    if (n <= 0) return;
    hid_t *ids = malloc((size_t)n * sizeof *ids);
    if (!ids) return;
    ssize_t got = H5Fget_obj_ids(
        f, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL,
        (size_t)n, ids);
    for (ssize_t i = 0; i < got; i++)
        if (H5Iget_type(ids[i]) == H5I_ATTR)
            H5Aclose(ids[i]);
        else
            H5Oclose(ids[i]);
    free(ids);
}

static int run_file_writer(const char *tmp, void *vctx, gr_error *err) {
    run_file_ctx *c = vctx;
    hid_t f = gr_h5_file_create(tmp, err);
    if (f < 0) return err ? err->status : GR_EIO;
    char shard[64];
    shard_text(c->rctx, shard, sizeof shard);
    int st = write_root(f, c->exp, c->rctx, shard, err);
    hid_t runs = -1, g = -1;
    gr_results_run w = {
        .group = -1, .series = -1, .metrics = -1, .ckpt = c->ckpt, .resume = c->resume};
    if (st == GR_OK) {
        runs = gr_h5_group_create(f, "runs", err);
        if (runs < 0) st = err ? err->status : GR_EIO;
    }
    if (st == GR_OK) st = write_run_group_head(runs, c->run, &g, err);
    if (st == GR_OK) {
        w.group = g;
        gr_error perr;
        gr_error_clear(&perr);
        double t0 = gr_time_wall(), wall = c->failed_wall;
        int pst;
        const char *reason = "";
        if (c->failed_reason) {
            pst = GR_EINTERNAL;
            reason = c->failed_reason;
        } else {
            pst = c->protocol(c->run, &w, &perr);
            wall = gr_time_wall() - t0;
            if (pst != GR_OK) reason = perr.msg[0] ? perr.msg : gr_strerror(pst);
        }
        c->status = pst == GR_OK          ? GR_RUN_OK
                    : pst == GR_EDIVERGED ? GR_RUN_DIVERGED
                                          : GR_RUN_FAILED;
        gr_h5_quiet();
        H5Eclear2(H5E_DEFAULT);
        st = w.series >= 0 ? series_flush(&w, err) : GR_OK; /* a failed run keeps its rows */
        if (st == GR_OK) st = gr_h5_attr_write_str(g, "status", gr_run_status_name(c->status), err);
        if (st == GR_OK) st = gr_h5_attr_write_str(g, "reason", reason, err);
        if (st == GR_OK)
            st = gr_h5_attr_write_i64(g, "step_reached", w.has_step ? w.step : -1, err);
        if (st == GR_OK) st = gr_h5_attr_write_f64(g, "wall_time_s", wall, err);
    }
    free(w.buf_step);
    free(w.buf_val);
    if (w.metrics >= 0) H5Gclose(w.metrics);
    if (w.series >= 0) H5Gclose(w.series);
    if (g >= 0) H5Gclose(g);
    if (runs >= 0) H5Gclose(runs);
    close_leftovers(f);
    if (H5Fclose(f) < 0 && st == GR_OK) st = GR_H5_ERROR(err, "closing %s", tmp);
    return st;
}

int gr_results_write_run_file(const char *path, const gr_exp_desc *exp, const gr_run_desc *run,
                              const gr_results_context *ctx, gr_protocol_fn protocol,
                              const char *checkpoint_path, int resume, int *status, gr_error *err) {
    if (!path || !exp || !run || !ctx || !protocol || !status)
        return GR_ERROR(err, GR_EINVAL, "write_run_file: NULL argument");
    gr_h5_quiet();
    run_file_ctx c = {exp, run, ctx, protocol, checkpoint_path, resume, NULL, 0.0, GR_RUN_FAILED};
    int st = gr_atomic_write(path, run_file_writer, &c, err);
    *status = c.status;
    return st;
}

int gr_results_write_failed_run_file(const char *path, const gr_exp_desc *exp,
                                     const gr_run_desc *run, const gr_results_context *ctx,
                                     const char *reason, double wall_time_s, gr_error *err) {
    if (!path || !exp || !run || !ctx || !reason)
        return GR_ERROR(err, GR_EINVAL, "write_failed_run_file: NULL argument");
    gr_h5_quiet();
    run_file_ctx c = {exp, run, ctx, NULL, NULL, 0, reason, wall_time_s, GR_RUN_FAILED};
    return gr_atomic_write(path, run_file_writer, &c, err);
}

/* ---- the strict reader ---- */

typedef struct run_ref {
    char id[GR_RUN_ID_MAX + 1];
    int64_t index;
} run_ref;

struct gr_results {
    hid_t file, runs;
    char path[1024];
    size_t n;
    run_ref *refs;
};

static herr_t collect_run(hid_t g, const char *name, const H5L_info_t *info, void *op) {
    (void)g;
    (void)info;
    gr_results *r = op;
    if (strlen(name) > GR_RUN_ID_MAX) return -1;
    run_ref *nr = realloc(r->refs, (r->n + 1) * sizeof *nr);
    if (!nr) return -1;
    r->refs = nr;
    snprintf(nr[r->n].id, sizeof nr[r->n].id, "%s", name);
    nr[r->n].index = -1;
    r->n++;
    return 0;
}

static int ref_cmp(const void *a, const void *b) {
    const run_ref *x = a, *y = b;
    if (x->index != y->index) return x->index < y->index ? -1 : 1;
    return strcmp(x->id, y->id);
}

void gr_results_close(gr_results *r) {
    if (!r) return;
    if (r->runs >= 0) H5Gclose(r->runs);
    if (r->file >= 0) H5Fclose(r->file);
    free(r->refs);
    free(r);
}

int gr_results_open(gr_results **out, const char *path, const char *experiment, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "results_open: NULL out");
    *out = NULL;
    if (!path) return GR_ERROR(err, GR_EINVAL, "results_open: NULL path");
    gr_h5_quiet();
    if (!gr_h5_has_signature(path, strlen(path)))
        return GR_ERROR(err, access(path, R_OK) ? GR_EIO : GR_EFORMAT, "%s: %s", path,
                        access(path, R_OK) ? "cannot be read" : "not an HDF5 file");
    gr_results *r = calloc(1, sizeof *r);
    if (!r) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
    r->runs = -1;
    snprintf(r->path, sizeof r->path, "%s", path);
    r->file = gr_h5_file_open(path, 0, err);
    int st = GR_OK;
    char *fmt = NULL, *exp = NULL;
    int32_t ver = 0;
    if (r->file < 0) {
        st = err ? err->status : GR_EIO;
        goto done;
    }
    if (gr_h5_attr_read_str(r->file, "format", &fmt, NULL) != GR_OK ||
        strcmp(fmt, GR_RESULTS_FORMAT) != 0) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: not a ganrepro results file (format attribute %s%s%s)",
                      path, fmt ? "\"" : "", fmt ? fmt : "missing", fmt ? "\"" : "");
        goto done;
    }
    if (gr_h5_attr_read_i32(r->file, "format_version", &ver, NULL) != GR_OK) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: format_version attribute missing or not int32", path);
        goto done;
    }
    if (ver != GR_RESULTS_FORMAT_VERSION) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: results format version %d, this build reads version %d",
                      path, (int)ver, GR_RESULTS_FORMAT_VERSION);
        goto done;
    }
    if (gr_h5_attr_read_str(r->file, "experiment", &exp, err) != GR_OK) {
        st = gr_error_prefix(err, GR_EFORMAT, "%s: ", path);
        goto done;
    }
    if (experiment && strcmp(exp, experiment) != 0) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: results of experiment '%s', expected '%s'", path, exp,
                      experiment);
        goto done;
    }
    r->runs = gr_h5_group_open(r->file, "runs", err);
    if (r->runs < 0) {
        st = err ? err->status : GR_EFORMAT;
        goto done;
    }
    hsize_t idx = 0;
    if (H5Literate(r->runs, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_run, r) < 0) {
        st = gr_h5_error_set(err, GR_EFORMAT, __FILE__, __LINE__, "%s: listing /runs", path);
        goto done;
    }
    for (size_t i = 0; i < r->n; i++) {
        gr_results_run_info info;
        r->refs[i].index = INT64_MAX;
        hid_t g = gr_h5_group_open(r->runs, r->refs[i].id, err);
        if (g < 0) {
            st = err ? err->status : GR_EFORMAT;
            goto done;
        }
        st = gr_h5_attr_read_i64(g, "index", &info.index, err);
        H5Gclose(g);
        if (st != GR_OK) goto done;
        r->refs[i].index = info.index;
    }
    if (r->n > 1) qsort(r->refs, r->n, sizeof *r->refs, ref_cmp); /* refs is NULL for 0 runs */
    for (size_t i = 0; i < r->n && st == GR_OK; i++) {
        gr_results_run_info info;
        st = gr_results_run_get(r, i, &info, err);
    }
done:
    free(fmt);
    free(exp);
    if (st != GR_OK) {
        gr_results_close(r);
        return st;
    }
    *out = r;
    return GR_OK;
}

hid_t gr_results_file(const gr_results *r) { return r ? r->file : -1; }
size_t gr_results_run_count(const gr_results *r) { return r ? r->n : 0; }

int gr_results_attr_str(const gr_results *r, const char *name, char **out, gr_error *err) {
    if (!r || !name || !out) return GR_ERROR(err, GR_EINVAL, "results_attr_str: NULL argument");
    return gr_h5_attr_read_str(r->file, name, out, err);
}

int gr_results_run_get(const gr_results *r, size_t i, gr_results_run_info *info, gr_error *err) {
    if (!r || !info || i >= r->n) return GR_ERROR(err, GR_EINVAL, "results_run_get: bad argument");
    hid_t g = gr_h5_group_open(r->runs, r->refs[i].id, err);
    if (g < 0) return err ? err->status : GR_EFORMAT;
    char *s = NULL, *reason = NULL;
    info->id = r->refs[i].id;
    int st = gr_h5_attr_read_i64(g, "index", &info->index, err);
    if (st == GR_OK) st = gr_h5_attr_read_u64(g, "seed", &info->seed, err);
    if (st == GR_OK) st = gr_h5_attr_read_str(g, "status", &s, err);
    if (st == GR_OK && (info->status = status_parse(s)) < 0)
        st = GR_ERROR(err, GR_EFORMAT, "%s: run %s: status \"%s\" is not ok, diverged or failed",
                      r->path, info->id, s);
    if (st == GR_OK) st = gr_h5_attr_read_str(g, "reason", &reason, err);
    if (st == GR_OK) snprintf(info->reason, sizeof info->reason, "%s", reason);
    if (st == GR_OK) st = gr_h5_attr_read_i64(g, "step_reached", &info->step_reached, err);
    if (st == GR_OK) st = gr_h5_attr_read_f64(g, "wall_time_s", &info->wall_time_s, err);
    free(s);
    free(reason);
    H5Gclose(g);
    return st;
}

static hid_t open_run_sub(const gr_results *r, size_t i, const char *sub, gr_error *err) {
    if (!r || i >= r->n) return GR_ERROR(err, GR_EINVAL, "run index out of range");
    hid_t g = gr_h5_group_open(r->runs, r->refs[i].id, err);
    if (g < 0) return g;
    hid_t s = gr_h5_group_open(g, sub, err);
    H5Gclose(g);
    return s;
}

int gr_results_series_read(const gr_results *r, size_t i, const char *name, double **out, size_t *n,
                           gr_error *err) {
    if (!out || !n || !name) return GR_ERROR(err, GR_EINVAL, "series_read: NULL argument");
    *out = NULL;
    *n = 0;
    hid_t s = open_run_sub(r, i, "series", err);
    if (s < 0) return err && err->status ? err->status : GR_EFORMAT;
    int is_step = !strcmp(name, "step");
    gr_h5_type t = is_step ? GR_H5_I64 : GR_H5_F64;
    size_t rows = 0;
    int st = gr_h5_series_rows(s, name, t, 0, &rows, err);
    double *buf = NULL;
    if (st == GR_OK) {
        buf = malloc((rows ? rows : 1) * sizeof *buf);
        if (!buf) st = GR_ERROR(err, GR_ENOMEM, "series %s: out of memory", name);
    }
    if (st == GR_OK && rows) {
        if (is_step) {
            int64_t *tmp = malloc(rows * sizeof *tmp);
            if (!tmp) {
                st = GR_ERROR(err, GR_ENOMEM, "series %s: out of memory", name);
            } else {
                st = gr_h5_series_read(s, name, t, 0, rows, tmp, err);
                for (size_t k = 0; st == GR_OK && k < rows; k++)
                    buf[k] = (double)tmp[k];
                free(tmp);
            }
        } else {
            st = gr_h5_series_read(s, name, t, 0, rows, buf, err);
        }
    }
    H5Gclose(s);
    if (st != GR_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    *n = rows;
    return GR_OK;
}

int gr_results_metric(const gr_results *r, size_t i, const char *name, double *out, gr_error *err) {
    hid_t m = open_run_sub(r, i, "metrics", err);
    if (m < 0) return err && err->status ? err->status : GR_EFORMAT;
    int st = gr_h5_attr_read_f64(m, name, out, err);
    H5Gclose(m);
    return st;
}

int gr_results_summary_read(const gr_results *r, const char *name, double *out, gr_error *err) {
    if (!r || !name || !out) return GR_ERROR(err, GR_EINVAL, "summary_read: NULL argument");
    hid_t s = gr_h5_group_open(r->file, "summary", err);
    if (s < 0) return err && err->status ? err->status : GR_EFORMAT;
    size_t dims[1] = {r->n};
    int st = r->n ? gr_h5_dset_read(s, name, GR_H5_F64, 1, dims, out, err) : GR_OK;
    H5Gclose(s);
    return st;
}

/* ---- reuse check ---- */

int gr_results_run_file_reusable(const char *path, const gr_exp_desc *exp, const gr_run_desc *run,
                                 int *status, char *why, size_t why_size) {
    if (why && why_size) why[0] = '\0';
    if (!path || !exp || !run || access(path, F_OK) != 0) return 0;
    gr_error e;
    gr_error_clear(&e);
    gr_results *r = NULL;
    int ok = 0;
    char *commit = NULL;
    gr_results_run_info info;
    if (gr_results_open(&r, path, exp->name, &e) != GR_OK) {
        if (why) snprintf(why, why_size, "unreadable: %s", e.msg);
    } else if (gr_results_attr_str(r, "git_commit", &commit, &e) != GR_OK ||
               strcmp(commit, gr_git_commit()) != 0) {
        if (why)
            snprintf(why, why_size, "made by commit %s, this build is %s", commit ? commit : "?",
                     gr_git_commit());
    } else if (gr_results_run_count(r) != 1 || strcmp(r->refs[0].id, run->id) != 0) {
        if (why) snprintf(why, why_size, "does not hold run %s alone", run->id);
    } else if (gr_results_run_get(r, 0, &info, &e) != GR_OK) {
        if (why) snprintf(why, why_size, "unreadable: %s", e.msg);
    } else if (info.status == GR_RUN_FAILED) {
        if (why) snprintf(why, why_size, "failed before: %s", info.reason);
    } else {
        ok = 1;
        if (status) *status = info.status;
    }
    free(commit);
    gr_results_close(r);
    return ok;
}

/* ---- merge ---- */

typedef struct name_list {
    char **v;
    size_t n;
} name_list;

static int names_add(name_list *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return GR_OK;
    char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
    if (!nv) return GR_ENOMEM;
    l->v = nv;
    if (!(l->v[l->n] = strdup(s))) return GR_ENOMEM;
    l->n++;
    return GR_OK;
}
static void names_free(name_list *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}
static int str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct attr_collect {
    name_list *list;
    const char *prefix; /* only names starting with it ("param." or "") */
    int status;
} attr_collect;

static herr_t collect_attr(hid_t loc, const char *name, const H5A_info_t *info, void *op) {
    (void)loc;
    (void)info;
    attr_collect *c = op;
    size_t pl = strlen(c->prefix);
    if (strncmp(name, c->prefix, pl) != 0) return 0;
    if (names_add(c->list, name) != GR_OK) {
        c->status = GR_ENOMEM;
        return -1;
    }
    return 0;
}

static int is_number(const char *s) {
    if (!*s) return 0;
    char *end;
    (void)strtod(s, &end);
    return *end == '\0';
}

/* /summary of the runs under `runs` (ids in order). */
static int write_summary(hid_t f, hid_t runs, char *const *ids, size_t n, gr_error *err) {
    hid_t s = gr_h5_group_create(f, "summary", err);
    if (s < 0) return err ? err->status : GR_EIO;
    int st = gr_h5_attr_write_i64(s, "rows", (int64_t)n, err);
    name_list params = {0}, metrics = {0};
    hid_t *groups = calloc(n ? n : 1, sizeof *groups);
    char **text = calloc(n ? n : 1, sizeof *text);
    double *col = calloc(n ? n : 1, sizeof *col);
    int64_t *icol = calloc(n ? n : 1, sizeof *icol);
    uint64_t *ucol = calloc(n ? n : 1, sizeof *ucol);
    if (!groups || !text || !col || !icol || !ucol)
        st = GR_ERROR(err, GR_ENOMEM, "summary: out of memory");
    for (size_t i = 0; i < n; i++)
        groups[i] = -1;
    for (size_t i = 0; st == GR_OK && i < n; i++) {
        groups[i] = gr_h5_group_open(runs, ids[i], err);
        if (groups[i] < 0) {
            st = err ? err->status : GR_EFORMAT;
            break;
        }
        attr_collect pc = {&params, "param.", GR_OK}, mc = {&metrics, "", GR_OK};
        hsize_t k = 0;
        H5Aiterate2(groups[i], H5_INDEX_NAME, H5_ITER_INC, &k, collect_attr, &pc);
        if (gr_h5_link_kind(groups[i], "metrics") == 1) {
            hid_t m = gr_h5_group_open(groups[i], "metrics", err);
            if (m >= 0) {
                k = 0;
                H5Aiterate2(m, H5_INDEX_NAME, H5_ITER_INC, &k, collect_attr, &mc);
                H5Gclose(m);
            }
        }
        if (pc.status || mc.status) st = GR_ERROR(err, GR_ENOMEM, "summary: out of memory");
    }
    if (params.n) qsort(params.v, params.n, sizeof *params.v, str_cmp);
    if (metrics.n) qsort(metrics.v, metrics.n, sizeof *metrics.v, str_cmp);
    if (st == GR_OK && n > 0) {
        size_t dims[1] = {n};
        /* run_id, status */
        st = str_column_write(s, "run_id", (const char *const *)ids, n, err);
        for (size_t i = 0; st == GR_OK && i < n; i++)
            st = gr_h5_attr_read_str(groups[i], "status", &text[i], err);
        if (st == GR_OK) st = str_column_write(s, "status", (const char *const *)text, n, err);
        for (size_t i = 0; i < n; i++) {
            free(text[i]);
            text[i] = NULL;
        }
        for (size_t i = 0; st == GR_OK && i < n; i++) {
            st = gr_h5_attr_read_i64(groups[i], "index", &icol[i], err);
            if (st == GR_OK) st = gr_h5_attr_read_u64(groups[i], "seed", &ucol[i], err);
        }
        if (st == GR_OK) st = gr_h5_dset_write(s, "index", GR_H5_I64, 1, dims, icol, err);
        if (st == GR_OK) st = gr_h5_dset_write(s, "seed", GR_H5_U64, 1, dims, ucol, err);
        for (size_t p = 0; st == GR_OK && p < params.n; p++) {
            int numeric = 1;
            for (size_t i = 0; st == GR_OK && i < n; i++) {
                if (H5Aexists(groups[i], params.v[p]) > 0) {
                    st = gr_h5_attr_read_str(groups[i], params.v[p], &text[i], err);
                    if (st == GR_OK && !is_number(text[i])) numeric = 0;
                } else {
                    text[i] = strdup("");
                    if (!text[i]) st = GR_ERROR(err, GR_ENOMEM, "summary: out of memory");
                }
            }
            if (st == GR_OK && numeric) {
                for (size_t i = 0; i < n; i++)
                    col[i] = text[i][0] ? strtod(text[i], NULL) : NAN;
                st = gr_h5_dset_write(s, params.v[p], GR_H5_F64, 1, dims, col, err);
            } else if (st == GR_OK) {
                st = str_column_write(s, params.v[p], (const char *const *)text, n, err);
            }
            for (size_t i = 0; i < n; i++) {
                free(text[i]);
                text[i] = NULL;
            }
        }
        for (size_t m = 0; st == GR_OK && m < metrics.n; m++) {
            for (size_t i = 0; st == GR_OK && i < n; i++) {
                col[i] = NAN;
                if (gr_h5_link_kind(groups[i], "metrics") != 1) continue;
                hid_t mg = gr_h5_group_open(groups[i], "metrics", err);
                if (mg < 0) {
                    st = err ? err->status : GR_EFORMAT;
                    break;
                }
                if (H5Aexists(mg, metrics.v[m]) > 0)
                    st = gr_h5_attr_read_f64(mg, metrics.v[m], &col[i], err);
                H5Gclose(mg);
            }
            if (st == GR_OK) {
                if (gr_h5_link_kind(s, metrics.v[m]) != 0)
                    st = GR_ERROR(err, GR_EFORMAT,
                                  "summary: metric '%s' has the name of another column",
                                  metrics.v[m]);
                else
                    st = gr_h5_dset_write(s, metrics.v[m], GR_H5_F64, 1, dims, col, err);
            }
        }
    }
    for (size_t i = 0; groups && i < n; i++)
        if (groups[i] >= 0) H5Gclose(groups[i]);
    free(groups);
    free(text);
    free(col);
    free(icol);
    free(ucol);
    names_free(&params);
    names_free(&metrics);
    H5Gclose(s);
    return st;
}

typedef struct merge_src {
    size_t input;
    int64_t index;
    char id[GR_RUN_ID_MAX + 1];
} merge_src;

static int src_cmp(const void *a, const void *b) {
    const merge_src *x = a, *y = b;
    if (x->index != y->index) return x->index < y->index ? -1 : 1;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return x->input < y->input ? -1 : x->input > y->input;
}

typedef struct merge_ctx {
    gr_results **in;
    const char *const *paths;
    size_t n_in;
    merge_src *src;
    size_t n_src;
    const gr_exp_desc *exp; /* non-NULL: root attributes from it (the runner's assembly) */
    const gr_results_context *rctx;
    const char *shard;
    const char *start_time;
    size_t bytes; /* the inputs' total size: the in-memory file's growth step */
} merge_ctx;

static int copy_root(hid_t f, const merge_ctx *m, gr_error *err) {
    hid_t src = m->in[0]->file;
    int32_t v32;
    int64_t v64;
    GR_TRY(gr_h5_attr_write_i32(f, "format_version", GR_RESULTS_FORMAT_VERSION, err));
    for (size_t i = 0; i < N_ROOT_STR; i++) {
        char *s = NULL;
        GR_TRY(gr_h5_attr_read_str(src, ROOT_STR[i], &s, err));
        int st = gr_h5_attr_write_str(f, ROOT_STR[i], s, err);
        free(s);
        GR_TRY(st);
    }
    GR_TRY(gr_h5_attr_read_i32(src, "blas_threads", &v32, err));
    GR_TRY(gr_h5_attr_write_i32(f, "blas_threads", v32, err));
    GR_TRY(gr_h5_attr_read_i32(src, "jobs", &v32, err));
    GR_TRY(gr_h5_attr_write_i32(f, "jobs", v32, err));
    GR_TRY(gr_h5_attr_write_str(f, "shard", m->shard ? m->shard : "all", err));
    GR_TRY(gr_h5_attr_read_i64(src, "runs_planned", &v64, err));
    GR_TRY(gr_h5_attr_write_i64(f, "runs_planned", v64, err));
    GR_TRY(gr_h5_attr_write_str(f, "start_time", m->start_time, err));
    char now[32];
    gr_time_iso8601(now, sizeof now);
    GR_TRY(gr_h5_attr_write_str(f, "end_time", now, err));
    char *decl = NULL;
    GR_TRY(str_dset_read(src, "declaration", &decl, err));
    int st = str_dset_write(f, "declaration", decl, err);
    free(decl);
    return st;
}

static int merge_writer(const char *tmp, void *vctx, gr_error *err) {
    merge_ctx *m = vctx;
    /* built in memory: libhdf5 1.10.8's H5Ocopy crashes when a write fails on a full disk */
    hid_t f = gr_h5_file_create_buffered(tmp, m->bytes, err);
    if (f < 0) return err ? err->status : GR_EIO;
    int st;
    if (m->exp) {
        gr_results_context c = *m->rctx;
        snprintf(c.start_time, sizeof c.start_time, "%s", m->start_time);
        st = write_root(f, m->exp, &c, m->shard ? m->shard : "all", err);
    } else {
        st = copy_root(f, m, err);
    }
    hid_t runs = -1, ocpl = H5Pcreate(H5P_OBJECT_COPY);
    if (st == GR_OK) {
        runs = gr_h5_group_create(f, "runs", err);
        if (runs < 0) st = err ? err->status : GR_EIO;
    }
    char **ids = calloc(m->n_src ? m->n_src : 1, sizeof *ids);
    if (!ids && st == GR_OK) st = GR_ERROR(err, GR_ENOMEM, "merge: out of memory");
    for (size_t i = 0; st == GR_OK && i < m->n_src; i++) {
        const merge_src *s = &m->src[i];
        if (H5Ocopy(m->in[s->input]->runs, s->id, runs, s->id, ocpl, H5P_DEFAULT) < 0)
            st = GR_H5_ERROR(err, "copying run %s from %s", s->id, m->paths[s->input]);
        ids[i] = m->src[i].id;
    }
    if (st == GR_OK) st = write_summary(f, runs, ids, m->n_src, err);
    free(ids);
    if (ocpl >= 0) H5Pclose(ocpl);
    if (runs >= 0) H5Gclose(runs);
    if (H5Fclose(f) < 0 && st == GR_OK) st = GR_H5_ERROR(err, "closing %s", tmp);
    return st;
}

static int merge_impl(const char *out, const char *const *inputs, size_t n_in,
                      const gr_exp_desc *exp, const gr_results_context *rctx, const char *shard,
                      size_t *n_runs, gr_error *err) {
    if (!out || (n_in && !inputs)) return GR_ERROR(err, GR_EINVAL, "merge: NULL argument");
    if (!n_in && !exp) return GR_ERROR(err, GR_EINVAL, "merge: no input files");
    gr_h5_quiet();
    merge_ctx m = {0};
    m.paths = inputs;
    m.n_in = n_in;
    m.exp = exp;
    m.rctx = rctx;
    m.shard = shard;
    m.bytes = (size_t)1 << 16; /* root attributes, declaration, summary */
    m.in = calloc(n_in ? n_in : 1, sizeof *m.in);
    char *first[3] = {NULL, NULL, NULL}, *start = NULL;
    static const char *const KEYS[3] = {"experiment", "declaration_sha256", "git_commit"};
    static const char *const WHAT[3] = {"experiment", "declaration hash",
                                        "code version (git commit)"};
    int st = m.in ? GR_OK : GR_ERROR(err, GR_ENOMEM, "merge: out of memory");
    size_t total = 0;
    for (size_t k = 0; st == GR_OK && k < n_in; k++) {
        st = gr_results_open(&m.in[k], inputs[k], exp ? exp->name : NULL, err);
        if (st != GR_OK) break;
        total += m.in[k]->n;
        struct stat sb;
        if (stat(inputs[k], &sb) == 0 && sb.st_size > 0) m.bytes += (size_t)sb.st_size;
        for (int a = 0; st == GR_OK && a < 3; a++) {
            char *v = NULL;
            st = gr_h5_attr_read_str(m.in[k]->file, KEYS[a], &v, err);
            if (st != GR_OK) break;
            if (k == 0) {
                first[a] = v;
            } else {
                /* the runner's assembly reuses runs of older declarations (same run id) */
                if (strcmp(v, first[a]) != 0 && !(exp && a == 1))
                    st = GR_ERROR(err, GR_EFORMAT,
                                  "refusing to merge %s and %s: different %s (%s vs %s)", inputs[0],
                                  inputs[k], WHAT[a], first[a], v);
                free(v);
            }
        }
        char *t = NULL;
        if (st == GR_OK) st = gr_h5_attr_read_str(m.in[k]->file, "start_time", &t, err);
        if (st == GR_OK) {
            if (!start || strcmp(t, start) < 0) {
                free(start);
                start = t;
            } else {
                free(t);
            }
        }
    }
    if (st == GR_OK && exp && rctx && (!start || strcmp(rctx->start_time, start) < 0)) {
        free(start);
        start = strdup(rctx->start_time);
        if (!start) st = GR_ERROR(err, GR_ENOMEM, "merge: out of memory");
    }
    if (st == GR_OK) {
        m.src = calloc(total ? total : 1, sizeof *m.src);
        if (!m.src) st = GR_ERROR(err, GR_ENOMEM, "merge: out of memory");
    }
    for (size_t k = 0; st == GR_OK && k < n_in; k++)
        for (size_t i = 0; i < m.in[k]->n; i++) {
            merge_src *s = &m.src[m.n_src++];
            s->input = k;
            s->index = m.in[k]->refs[i].index;
            snprintf(s->id, sizeof s->id, "%s", m.in[k]->refs[i].id);
        }
    if (st == GR_OK && m.n_src) {
        qsort(m.src, m.n_src, sizeof *m.src, src_cmp);
        size_t w = 0;
        for (size_t i = 0; i < m.n_src; i++)
            if (w == 0 || strcmp(m.src[w - 1].id, m.src[i].id) != 0) m.src[w++] = m.src[i];
        m.n_src = w;
    }
    if (st == GR_OK) {
        m.start_time = start ? start : "";
        st = gr_atomic_write(out, merge_writer, &m, err);
        if (st != GR_OK) st = gr_error_prefix(err, st, "writing %s: ", out);
    }
    if (st == GR_OK && n_runs) *n_runs = m.n_src;
    for (size_t k = 0; m.in && k < n_in; k++)
        gr_results_close(m.in[k]);
    for (int a = 0; a < 3; a++)
        free(first[a]);
    free(start);
    free(m.in);
    free(m.src);
    return st;
}

int gr_results_merge(const char *out, const char *const *inputs, size_t n_inputs, const char *shard,
                     size_t *n_runs, gr_error *err) {
    return merge_impl(out, inputs, n_inputs, NULL, NULL, shard, n_runs, err);
}

int gr_results_assemble(const char *out, const gr_exp_desc *exp, const gr_results_context *ctx,
                        const char *const *run_files, size_t n_files, size_t *n_runs,
                        gr_error *err) {
    if (!exp || !ctx) return GR_ERROR(err, GR_EINVAL, "assemble: NULL argument");
    char shard[64];
    shard_text(ctx, shard, sizeof shard);
    return merge_impl(out, run_files, n_files, exp, ctx, shard, n_runs, err);
}
