/* eval/divergence.c — exact-or-estimated JS and KL with their record (eval/divergence.h). */
#include "eval/divergence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct gr_eval_div {
    gr_div_options qopt;
    gr_div_workspace *quad;
    gr_knn_workspace *knn; /* NULL: exact only */
};

void gr_eval_div_free(gr_eval_div *w) {
    if (!w) return;
    gr_div_workspace_free(w->quad);
    gr_knn_workspace_free(w->knn);
    free(w);
}

int gr_eval_div_alloc(gr_eval_div **out, const gr_div_options *qopt, size_t n_max, size_t m_max,
                      size_t d_max, gr_error *err) {
    if (out) *out = NULL;
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_eval_div_alloc: out is NULL");
    if (n_max > 0 && (m_max == 0 || d_max == 0))
        return GR_ERROR(err, GR_EINVAL,
                        "gr_eval_div_alloc: a kNN workspace needs m_max, d_max > 0");
    gr_eval_div *w = calloc(1, sizeof *w);
    if (!w) return GR_ERROR(err, GR_ENOMEM, "gr_eval_div_alloc: out of memory");
    if (qopt)
        w->qopt = *qopt;
    else
        gr_div_options_default(&w->qopt);
    w->qopt.bits = 0; /* nats, always */
    int st = gr_div_workspace_alloc(&w->quad, &w->qopt, err);
    if (st == GR_OK && n_max > 0) st = gr_knn_workspace_alloc(&w->knn, n_max, m_max, d_max, err);
    if (st != GR_OK) {
        gr_eval_div_free(w);
        return gr_error_prefix(err, st, "gr_eval_div_alloc: ");
    }
    *out = w;
    return GR_OK;
}

static const char *kind_name(gr_eval_div_kind k) { return k == GR_EVAL_KL ? "KL" : "JS"; }

static void result_init(gr_eval_div_result *res, gr_eval_div_kind kind, gr_eval_div_method m) {
    memset(res, 0, sizeof *res);
    res->kind = kind;
    res->method = m;
    res->value = res->abserr = NAN; /* overwritten on every path that returns a result */
}

static void set_inf(gr_eval_div_result *res) {
    res->value = INFINITY;
    res->abserr = 0.0;
    res->is_inf = 1;
}

int gr_eval_div_exact(gr_eval_div *w, gr_eval_div_kind kind, const gr_density *p,
                      const gr_density *q, gr_eval_div_result *res, gr_error *err) {
    if (!w || !p || !q || !res) return GR_ERROR(err, GR_EINVAL, "exact divergence: NULL argument");
    if (kind != GR_EVAL_JS && kind != GR_EVAL_KL)
        return GR_ERROR(err, GR_EINVAL, "exact divergence: unknown kind %d", (int)kind);
    result_init(res, kind, GR_EVAL_DIV_EXACT);
    int st = kind == GR_EVAL_KL ? gr_div_kl(p, q, &w->qopt, w->quad, &res->quad, err)
                                : gr_div_js(p, q, &w->qopt, w->quad, &res->quad, err);
    if (st == GR_EINF || (st == GR_OK && res->quad.is_inf)) {
        set_inf(res);
        return GR_EINF;
    }
    if (st == GR_OK || st == GR_ENOTCONV) { /* ENOTCONV: best estimate and its error */
        res->value = res->quad.value;
        res->abserr = res->quad.abserr;
    }
    return st == GR_OK ? GR_OK : gr_error_prefix(err, st, "exact %s: ", kind_name(kind));
}

/* One kNN estimate; GR_EINF gives +inf. */
static int knn1(gr_eval_div *w, gr_eval_div_kind kind, const double *x, size_t n, const double *y,
                size_t m, size_t d, const gr_knn_options *o, gr_knn_result *r, double *value,
                gr_error *err) {
    int st = kind == GR_EVAL_KL ? gr_knn_kl_ws(w->knn, x, n, y, m, d, o, r, err)
                                : gr_knn_js_ws(w->knn, x, n, y, m, d, o, r, err);
    if (st == GR_EINF)
        *value = INFINITY;
    else if (st == GR_OK)
        *value = r->value;
    return st;
}

int gr_eval_div_knn(gr_eval_div *w, gr_eval_div_kind kind, const double *x, size_t n,
                    const double *y, size_t m, size_t d, const gr_knn_options *o,
                    gr_eval_div_result *res, gr_error *err) {
    if (!w || !x || !y || !res) return GR_ERROR(err, GR_EINVAL, "kNN divergence: NULL argument");
    if (kind != GR_EVAL_JS && kind != GR_EVAL_KL)
        return GR_ERROR(err, GR_EINVAL, "kNN divergence: unknown kind %d", (int)kind);
    if (!w->knn)
        return GR_ERROR(err, GR_EINVAL,
                        "kNN divergence: the workspace was allocated for exact divergences only");
    gr_knn_options def = gr_knn_options_default();
    if (!o) o = &def;
    const size_t k = o->k;
    /* the halves must satisfy distance/knn's sizes: n > k, and m > k (JS) or m >= k (KL) */
    size_t n2 = n / 2, m2 = m / 2;
    if (k == 0 || n2 <= k || (kind == GR_EVAL_JS ? m2 <= k : m2 < k))
        return GR_ERROR(err, GR_EINVAL,
                        "kNN %s: n = %zu, m = %zu too few for k = %zu with the split-half error "
                        "(each half needs more than k points)",
                        kind_name(kind), n, m, k);
    result_init(res, kind, GR_EVAL_DIV_KNN);
    res->n = n;
    res->m = m;
    res->k = k;
    double f, a, b;
    gr_knn_result rh;
    int st = knn1(w, kind, x, n, y, m, d, o, &res->knn, &f, err);
    if (st == GR_EINF) {
        set_inf(res);
        res->half_a = res->half_b = res->se = res->bias = INFINITY;
        return GR_EINF;
    }
    if (st != GR_OK) return gr_error_prefix(err, st, "kNN %s: ", kind_name(kind));
    res->value = f;
    gr_error eh;
    int sa = knn1(w, kind, x, n2, y, m2, d, o, &rh, &a, &eh);
    int sb = knn1(w, kind, x + n2 * d, n - n2, y + m2 * d, m - m2, d, o, &rh, &b, &eh);
    if ((sa != GR_OK && sa != GR_EINF) || (sb != GR_OK && sb != GR_EINF))
        return GR_ERROR(err, sa != GR_OK && sa != GR_EINF ? sa : sb,
                        "kNN %s: half-sample estimate for the error failed: %s", kind_name(kind),
                        eh.msg);
    res->half_a = a;
    res->half_b = b;
    if (isinf(a) || isinf(b)) {
        res->se = res->bias = res->abserr = INFINITY;
    } else {
        res->se = fabs(a - b) / 2.0;
        res->bias = (a + b) / 2.0 - f;
        res->abserr = hypot(res->se, res->bias);
    }
    return GR_OK;
}

int gr_eval_div_auto(gr_eval_div *w, gr_eval_div_kind kind, const gr_density *p,
                     const gr_density *q, const double *x, size_t n, const double *y, size_t m,
                     size_t d, const gr_knn_options *o, gr_eval_div_result *res, gr_error *err) {
    if (p && q) return gr_eval_div_exact(w, kind, p, q, res, err);
    if (!x || !y)
        return GR_ERROR(err, GR_EINVAL, "%s: neither both densities nor both samples given",
                        kind_name(kind));
    return gr_eval_div_knn(w, kind, x, n, y, m, d, o, res, err);
}
