/* harness/resview.c — a results file loaded for plot, table and verify (resview.h). */
#include "harness/resview.h"

#include <errno.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/mem.h"
#include "io/atomic.h"
#include "io/h5.h"
#include "io/h5io.h"

typedef struct view_impl {
    gr_resview pub;
    char **pool; /* every malloc'd string, freed together */
    size_t n_pool, cap_pool;
    char **metric_names;
    double *values;
    gr_resview_run *runs;
    const char **params; /* n_runs x n_axes */
    const char **axes;
} view_impl;

static char *keep(view_impl *v, char *s) {
    if (!s) return NULL;
    if (v->n_pool == v->cap_pool) {
        size_t cap = v->cap_pool ? 2 * v->cap_pool : 32;
        char **np = realloc(v->pool, cap * sizeof *np);
        if (!np) {
            free(s);
            return NULL;
        }
        v->pool = np;
        v->cap_pool = cap;
    }
    v->pool[v->n_pool++] = s;
    return s;
}

static char *keep_dup(view_impl *v, const char *s) { return keep(v, strdup(s ? s : "")); }

/* A scalar fixed-length string dataset (what the writer makes of /declaration). */
static int read_str_dset(hid_t loc, const char *name, const char *path, char **out, gr_error *err) {
    *out = NULL;
    if (gr_h5_link_kind(loc, name) != 1)
        return GR_ERROR(err, GR_EFORMAT, "%s: no dataset /%s", path, name);
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT), ft = -1, sp = -1, mt = -1;
    if (d < 0) return gr_h5_error_set(err, GR_EFORMAT, __FILE__, __LINE__, "%s: /%s", path, name);
    int st = GR_OK;
    ft = H5Dget_type(d);
    sp = H5Dget_space(d);
    size_t size = ft >= 0 ? H5Tget_size(ft) : 0;
    if (ft < 0 || sp < 0 || H5Tget_class(ft) != H5T_STRING || H5Tis_variable_str(ft) != 0 ||
        H5Sget_simple_extent_type(sp) != H5S_SCALAR || size == 0 || size > ((size_t)1 << 30)) {
        st = GR_ERROR(err, GR_EFORMAT, "%s: /%s is not a scalar fixed-length string", path, name);
    } else {
        char *buf = malloc(size + 1);
        mt = H5Tcopy(H5T_C_S1);
        if (mt >= 0) H5Tset_size(mt, size);
        if (!buf) {
            st = GR_ERROR(err, GR_ENOMEM, "%s: /%s: out of memory", path, name);
        } else if (mt < 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            st =
                gr_h5_error_set(err, GR_EFORMAT, __FILE__, __LINE__, "%s: reading /%s", path, name);
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

typedef struct col_list {
    view_impl *v;
    size_t n, cap;
    int oom;
} col_list;

static herr_t collect_col(hid_t g, const char *name, const H5L_info_t *info, void *op) {
    (void)info;
    col_list *c = op;
    if (!strcmp(name, "index") || !strcmp(name, "seed") || !strncmp(name, "param.", 6)) return 0;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0) return 0;
    hid_t t = H5Dget_type(d);
    int is_float = t >= 0 && H5Tget_class(t) == H5T_FLOAT;
    if (t >= 0) H5Tclose(t);
    H5Dclose(d);
    if (!is_float) return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        char **nn = realloc(c->v->metric_names, cap * sizeof *nn);
        if (!nn) {
            c->oom = 1;
            return -1;
        }
        c->v->metric_names = nn;
        c->cap = cap;
    }
    char *s = keep_dup(c->v, name);
    if (!s) {
        c->oom = 1;
        return -1;
    }
    c->v->metric_names[c->n++] = s;
    return 0;
}

static int load(view_impl *v, const char *path, gr_error *err) {
    gr_resview *p = &v->pub;
    p->path = keep_dup(v, path);
    GR_TRY(gr_results_open(&p->res, path, NULL, err));
    static const char *const ATTRS[6] = {"experiment", "protocol", "profile",
                                         "git_commit", "claims",   "format"};
    const char **dst[6] = {&p->experiment, &p->protocol, &p->profile,
                           &p->git_commit, &p->claims,   NULL};
    for (int k = 0; k < 6; k++) {
        if (!dst[k]) continue;
        char *s = NULL;
        if (gr_results_attr_str(p->res, ATTRS[k], &s, err) != GR_OK)
            return gr_error_prefix(err, GR_EFORMAT, "%s: root attribute %s: ", path, ATTRS[k]);
        *dst[k] = keep(v, s);
        if (!*dst[k]) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
    }
    hid_t f = gr_results_file(p->res);
    char *decl = NULL;
    GR_TRY(read_str_dset(f, "declaration", path, &decl, err));
    p->declaration = keep(v, decl);
    if (!p->declaration) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
    char name[1100];
    snprintf(name, sizeof name, "%s:/declaration", path);
    gr_plan_options po = gr_plan_options_default(); /* a resolved one names its profile */
    if (gr_plan_load_text(&p->plan, p->declaration, name, NULL, &po, err) != GR_OK)
        return gr_error_prefix(err, GR_EFORMAT, "the recorded declaration does not load: ");
    p->title = gr_plan_title(p->plan);
    p->n_axes = gr_plan_n_axes(p->plan);
    p->n_runs = gr_results_run_count(p->res);
    size_t cells;
    if (gr_size_mul(p->n_runs ? p->n_runs : 1, p->n_axes ? p->n_axes : 1, &cells) != GR_OK)
        return GR_ERROR(err, GR_EFORMAT, "%s: too many runs", path);
    v->axes = calloc(p->n_axes ? p->n_axes : 1, sizeof *v->axes);
    v->params = calloc(cells, sizeof *v->params);
    v->runs = calloc(p->n_runs ? p->n_runs : 1, sizeof *v->runs);
    if (!v->axes || !v->params || !v->runs) return GR_ERROR(err, GR_ENOMEM, "out of memory");
    for (size_t a = 0; a < p->n_axes; a++)
        v->axes[a] = gr_plan_axis(p->plan, a);
    p->axes = v->axes;
    p->runs = v->runs;
    hid_t runs = gr_h5_group_open(f, "runs", err);
    if (runs < 0) return err && err->status ? err->status : GR_EFORMAT;
    int st = GR_OK;
    for (size_t i = 0; i < p->n_runs && st == GR_OK; i++) {
        gr_results_run_info info;
        st = gr_results_run_get(p->res, i, &info, err);
        if (st != GR_OK) break;
        gr_resview_run *r = &v->runs[i];
        r->id = keep_dup(v, info.id);
        r->index = info.index;
        r->seed = info.seed;
        r->status = info.status;
        r->reason = keep_dup(v, info.reason);
        r->plan_run = gr_plan_find_run(p->plan, info.id);
        r->params = v->params + i * p->n_axes;
        hid_t g = gr_h5_group_open(runs, info.id, err);
        if (g < 0) {
            st = err && err->status ? err->status : GR_EFORMAT;
            break;
        }
        for (size_t a = 0; a < p->n_axes; a++) {
            char an[600];
            snprintf(an, sizeof an, "param.%s", p->axes[a]);
            char *s = NULL;
            if (H5Aexists(g, an) > 0 && gr_h5_attr_read_str(g, an, &s, err) == GR_OK)
                v->params[i * p->n_axes + a] = keep(v, s);
            else
                v->params[i * p->n_axes + a] = keep_dup(v, "");
        }
        H5Gclose(g);
        if (!r->id || !r->reason) st = GR_ERROR(err, GR_ENOMEM, "out of memory");
    }
    H5Gclose(runs);
    GR_TRY(st);
    hid_t s = gr_h5_group_open(f, "summary", err);
    if (s < 0) return err && err->status ? err->status : GR_EFORMAT;
    col_list c = {v, 0, 0, 0};
    hsize_t idx = 0;
    herr_t it = H5Literate(s, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_col, &c);
    H5Gclose(s);
    if (c.oom) return GR_ERROR(err, GR_ENOMEM, "out of memory");
    if (it < 0) return gr_h5_error_set(err, GR_EFORMAT, __FILE__, __LINE__, "%s: /summary", path);
    p->n_metrics = c.n;
    p->metrics = (const char *const *)v->metric_names;
    size_t nv;
    if (gr_size_mul(c.n ? c.n : 1, p->n_runs ? p->n_runs : 1, &nv) != GR_OK)
        return GR_ERROR(err, GR_EFORMAT, "%s: summary too large", path);
    v->values = malloc(nv * sizeof *v->values);
    if (!v->values) return GR_ERROR(err, GR_ENOMEM, "out of memory");
    for (size_t m = 0; m < c.n; m++)
        if (gr_results_summary_read(p->res, p->metrics[m], v->values + m * p->n_runs, err) != GR_OK)
            return gr_error_prefix(err, GR_EFORMAT, "%s: /summary/%s: ", path, p->metrics[m]);
    p->values = v->values;
    return GR_OK;
}

int gr_resview_open(gr_resview **out, const char *path, gr_error *err) {
    if (!out || !path) return GR_ERROR(err, GR_EINVAL, "resview_open: NULL argument");
    *out = NULL;
    gr_h5_quiet();
    view_impl *v = calloc(1, sizeof *v);
    if (!v) return GR_ERROR(err, GR_ENOMEM, "out of memory");
    int st = load(v, path, err);
    if (st != GR_OK) {
        gr_resview_free(&v->pub);
        return st;
    }
    *out = &v->pub;
    return GR_OK;
}

void gr_resview_free(gr_resview *p) {
    if (!p) return;
    view_impl *v = (view_impl *)p;
    gr_results_close(p->res);
    gr_plan_free(p->plan);
    for (size_t i = 0; i < v->n_pool; i++)
        free(v->pool[i]);
    free(v->pool);
    free(v->metric_names);
    free(v->values);
    free(v->runs);
    free(v->params);
    free(v->axes);
    free(v);
}

const double *gr_resview_metric(const gr_resview *v, const char *name) {
    for (size_t m = 0; v && m < v->n_metrics; m++)
        if (!strcmp(v->metrics[m], name)) return v->values + m * v->n_runs;
    return NULL;
}

size_t gr_resview_find(const gr_resview *v, const char *id) {
    for (size_t i = 0; v && i < v->n_runs; i++)
        if (!strcmp(v->runs[i].id, id)) return i;
    return (size_t)-1;
}

size_t gr_resview_missing(const gr_resview *v) {
    size_t miss = 0, n = gr_plan_n_runs(v->plan);
    for (size_t i = 0; i < n; i++)
        if (gr_resview_find(v, gr_run_id(gr_plan_run(v->plan, i))) == (size_t)-1) miss++;
    return miss;
}

void gr_resview_setting(const gr_resview *v, size_t i, char *buf, size_t size) {
    size_t len = 0;
    if (size) buf[0] = '\0';
    for (size_t a = 0; a < v->n_axes && len < size; a++) {
        const char *val = v->runs[i].params[a];
        if (!*val) continue;
        int w = snprintf(buf + len, size - len, "%s%s = %s", len ? ", " : "", v->axes[a], val);
        if (w < 0) break;
        len += (size_t)w;
    }
}

/* ---- output helpers ---- */

int gr_report_mkdir_p(const char *dir, gr_error *err) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return GR_ERROR(err, GR_EINVAL, "path too long: %s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return GR_ERROR(err, GR_EIO, "cannot create %s: %s", tmp, strerror(errno));
            *p = '/';
        }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
        return GR_ERROR(err, GR_EIO, "cannot create %s: %s", tmp, strerror(errno));
    return GR_OK;
}

static int write_text_cb(const char *tmp, void *ctx, gr_error *err) {
    const char *text = ctx;
    FILE *f = fopen(tmp, "wb");
    if (!f) return GR_ERROR(err, GR_EIO, "cannot write %s: %s", tmp, strerror(errno));
    size_t n = strlen(text);
    errno = 0;
    int bad = fwrite(text, 1, n, f) != n;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    return bad ? GR_ERROR(err, GR_EIO, "writing %s failed: %s", tmp,
                          e ? strerror(e) : "write error")
               : GR_OK;
}

int gr_report_write_text(const char *path, const char *text, gr_error *err) {
    return gr_atomic_write(path, write_text_cb, (void *)text, err);
}

void gr_report_put_tex(FILE *f, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '_':
        case '&':
        case '%':
        case '#':
        case '$':
        case '{':
        case '}': fprintf(f, "\\%c", *s); break;
        case '~': fputs("\\textasciitilde{}", f); break;
        case '^': fputs("\\textasciicircum{}", f); break;
        case '\\': fputs("\\textbackslash{}", f); break;
        case '"': fputs("''", f); break;
        case '\n': fputc(' ', f); break;
        default: fputc(*s, f);
        }
    }
}

void gr_report_put_csv(FILE *f, const char *s) {
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void gr_report_put_md(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}
