/* distance/sinkhorn.c — log-domain Sinkhorn (see sinkhorn.h for the equations). */
#include "distance/sinkhorn.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/mathfn.h"
#include "linalg/vec.h"

struct gr_sinkhorn_workspace {
    size_t n_max, m_max;
    double *C, *f, *g, *la, *lb, *row;
};

gr_sinkhorn_settings gr_sinkhorn_settings_default(void) {
    gr_sinkhorn_settings s;
    s.epsilon = 0.0;
    s.max_iter = 10000;
    s.tol = 1e-9;
    s.p = 1;
    s.tol_mass = 1e-9;
    return s;
}

size_t gr_sinkhorn_settings_describe(const gr_sinkhorn_settings *s, gr_setting *out, size_t cap) {
    const gr_setting all[GR_SINKHORN_SETTINGS_COUNT] = {
        gr_setting_double("epsilon", s->epsilon),   gr_setting_size("max_iter", s->max_iter),
        gr_setting_double("tol", s->tol),           gr_setting_int("p", s->p),
        gr_setting_double("tol_mass", s->tol_mass),
    };
    return gr_settings_copy(out, cap, all, GR_SINKHORN_SETTINGS_COUNT);
}

void gr_sinkhorn_workspace_free(gr_sinkhorn_workspace *w) {
    if (!w) return;
    free(w->C);
    free(w->f);
    free(w->g);
    free(w->la);
    free(w->lb);
    free(w->row);
    free(w);
}

int gr_sinkhorn_workspace_alloc(gr_sinkhorn_workspace **out, size_t n_max, size_t m_max,
                                gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_sinkhorn_workspace_alloc: NULL output");
    *out = NULL;
    if (n_max == 0 || m_max == 0 || n_max > SIZE_MAX / sizeof(double) / m_max)
        return GR_ERROR(err, GR_EINVAL, "Sinkhorn workspace: bad sizes %zu x %zu", n_max, m_max);
    gr_sinkhorn_workspace *w = calloc(1, sizeof *w);
    if (w) {
        w->n_max = n_max;
        w->m_max = m_max;
        w->C = malloc(n_max * m_max * sizeof(double));
        w->f = malloc(n_max * sizeof(double));
        w->g = malloc(m_max * sizeof(double));
        w->la = malloc(n_max * sizeof(double));
        w->lb = malloc(m_max * sizeof(double));
        w->row = malloc((n_max > m_max ? n_max : m_max) * sizeof(double));
    }
    if (!w || !w->C || !w->f || !w->g || !w->la || !w->lb || !w->row) {
        gr_sinkhorn_workspace_free(w);
        return GR_ERROR(err, GR_ENOMEM, "Sinkhorn workspace: no memory for a %zu x %zu cost matrix",
                        n_max, m_max);
    }
    *out = w;
    return GR_OK;
}

static double ground(const double *p, const double *q, size_t d, int pw) {
    double s = gr_linalg_dsqdist(p, q, d);
    return pw == 1 ? sqrt(s) : s;
}

static int check_points(const double *x, size_t len, const char *name, gr_error *err) {
    size_t k = gr_first_nonfinite(x, len);
    if (k < len)
        return GR_ERROR(err, GR_EDOM, "Sinkhorn: coordinate %s[%zu] is not finite", name, k);
    return GR_OK;
}

int gr_sinkhorn_mean_cost(const double *x, size_t n, const double *y, size_t m, size_t d, int p,
                          double *mean, gr_error *err) {
    if (!x || !y || !mean || n == 0 || m == 0 || d == 0 || (p != 1 && p != 2))
        return GR_ERROR(err, GR_EINVAL, "Sinkhorn mean cost: bad arguments");
    GR_TRY(check_points(x, n * d, "x", err));
    GR_TRY(check_points(y, m * d, "y", err));
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            s += ground(x + i * d, y + j * d, d, p);
    *mean = s / ((double)n * (double)m);
    return GR_OK;
}

/* out_i = -eps log sum_j exp(lw_j + (h_j - C_ij)/eps) over a row (stride 1) or a column
 * (stride m) of C. */
static double lse_update(const double *Crow, size_t stride, const double *h, const double *lw,
                         size_t len, double eps, double *tmp) {
    for (size_t k = 0; k < len; k++)
        tmp[k] = lw[k] + (h[k] - Crow[k * stride]) / eps;
    /* all weights zero (not reachable: mass > 0) gives lse = -inf, out = +inf */
    return -eps * gr_logsumexp(tmp, len);
}

int gr_sinkhorn_solve(gr_sinkhorn_workspace *w, const double *x, const double *a, size_t n,
                      const double *y, const double *b, size_t m, size_t d,
                      const gr_sinkhorn_settings *s, gr_sinkhorn_result *res, gr_error *err) {
    if (!w || !x || !y || !s || !res) return GR_ERROR(err, GR_EINVAL, "Sinkhorn: NULL argument");
    memset(res, 0, sizeof *res);
    res->status = GR_EINVAL;
    if (n == 0 || m == 0 || d == 0)
        return GR_ERROR(err, GR_EINVAL, "Sinkhorn: empty input (n = %zu, m = %zu, d = %zu)", n, m,
                        d);
    if (n > w->n_max || m > w->m_max)
        return GR_ERROR(err, GR_EINVAL, "Sinkhorn: %zu x %zu exceeds the workspace", n, m);
    if (!(s->epsilon > 0) || !isfinite(s->epsilon))
        return GR_ERROR(err, GR_EINVAL, "Sinkhorn: epsilon must be positive and finite (got %g)",
                        s->epsilon);
    if (s->p != 1 && s->p != 2)
        return GR_ERROR(err, GR_EINVAL, "Sinkhorn: p must be 1 or 2 (got %d)", s->p);
    if (s->max_iter == 0 || !(s->tol >= 0) || !(s->tol_mass >= 0))
        return GR_ERROR(err, GR_EINVAL, "Sinkhorn: need max_iter > 0, tol >= 0 and tol_mass >= 0");
    int st;
    if ((st = check_points(x, n * d, "x", err)) || (st = check_points(y, m * d, "y", err)))
        return res->status = st;
    size_t bad;
    if (a && (bad = gr_first_bad_weight(a, n)) < n)
        return res->status = GR_ERROR(err, GR_EDOM, "Sinkhorn: weight a[%zu] = %g", bad, a[bad]);
    if (b && (bad = gr_first_bad_weight(b, m)) < m)
        return res->status = GR_ERROR(err, GR_EDOM, "Sinkhorn: weight b[%zu] = %g", bad, b[bad]);
    double sa = gr_mass_total(a, n), sb = gr_mass_total(b, m);
    if (!(sa > 0) || !(sb > 0))
        return res->status = GR_ERROR(err, GR_EDOM, "Sinkhorn: zero total mass");
    if (gr_masses_differ(sa, sb, s->tol_mass))
        return res->status = GR_ERROR(err, GR_EINFEAS,
                                      "Sinkhorn: total masses differ: %.17g vs %.17g (tol_mass "
                                      "%.3g)",
                                      sa, sb, s->tol_mass);
    const double eps = s->epsilon;
    double csum = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double c = ground(x + i * d, y + j * d, d, s->p);
            w->C[i * m + j] = c;
            csum += c;
        }
    res->mean_cost = csum / ((double)n * (double)m);
    /* log weights; b rescaled to total mass sa; zero weights give -inf (no mass there) */
    for (size_t i = 0; i < n; i++)
        w->la[i] = log(a ? a[i] : 1.0 / (double)n);
    for (size_t j = 0; j < m; j++)
        w->lb[j] = log((b ? b[j] : 1.0 / (double)m) * (sa / sb));
    for (size_t i = 0; i < n; i++)
        w->f[i] = 0.0;
    for (size_t j = 0; j < m; j++)
        w->g[j] = 0.0;

    double merr = INFINITY;
    size_t it = 0;
    while (it < s->max_iter) {
        /* f_i: makes row sums exact; g_j: column sums exact */
        for (size_t i = 0; i < n; i++)
            w->f[i] = lse_update(w->C + i * m, 1, w->g, w->lb, m, eps, w->row);
        for (size_t j = 0; j < m; j++)
            w->g[j] = lse_update(w->C + j, m, w->f, w->la, n, eps, w->row);
        it++;
        /* row marginal error of P with the new g */
        merr = 0.0;
        for (size_t i = 0; i < n; i++) {
            double r = 0.0;
            for (size_t j = 0; j < m; j++)
                r += exp(w->la[i] + w->lb[j] + (w->f[i] + w->g[j] - w->C[i * m + j]) / eps);
            merr += fabs(r - exp(w->la[i]));
        }
        merr /= sa;
        if (!isfinite(merr)) break;
        if (merr <= s->tol) break;
    }
    double cost = 0.0, obj = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double P = exp(w->la[i] + w->lb[j] + (w->f[i] + w->g[j] - w->C[i * m + j]) / eps);
            if (P > 0) {
                cost += P * w->C[i * m + j];
                obj += P * (w->f[i] + w->g[j]);
            }
        }
    res->cost = cost;
    res->objective = obj;
    res->marginal_error = merr;
    res->iterations = it;
    res->epsilon = eps;
    if (!isfinite(merr) || !isfinite(cost))
        return res->status = GR_ERROR(err, GR_ENOTCONV,
                                      "Sinkhorn: non-finite iterate (epsilon "
                                      "%g too small?)",
                                      eps);
    if (merr > s->tol)
        return res->status =
                   GR_ERROR(err, GR_EMAXITER,
                            "Sinkhorn: %zu iterations without reaching tol %.3g (marginal error "
                            "%.3g)",
                            it, s->tol, merr);
    res->status = GR_OK;
    return GR_OK;
}
