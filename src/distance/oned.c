/* distance/oned.c — 1-D Wasserstein distances: sample merge (exact) and quadrature.
 * See oned.h for the formulas (CLAIMS O5). */
#include "distance/oned.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>

#include "core/check.h"

struct gr_oned_workspace {
    size_t n_max, m_max;
    size_t *ix, *iy;
};

void gr_oned_workspace_free(gr_oned_workspace *w) {
    if (!w) return;
    free(w->ix);
    free(w->iy);
    free(w);
}

int gr_oned_workspace_alloc(gr_oned_workspace **out, size_t n_max, size_t m_max, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_oned_workspace_alloc: NULL output");
    *out = NULL;
    gr_oned_workspace *w = calloc(1, sizeof *w);
    if (w) {
        w->n_max = n_max;
        w->m_max = m_max;
        w->ix = malloc((n_max ? n_max : 1) * sizeof(size_t));
        w->iy = malloc((m_max ? m_max : 1) * sizeof(size_t));
    }
    if (!w || !w->ix || !w->iy) {
        gr_oned_workspace_free(w);
        return GR_ERROR(err, GR_ENOMEM, "1-D Wasserstein: no memory for %zu + %zu points", n_max,
                        m_max);
    }
    *out = w;
    return GR_OK;
}

static int check_sample(const double *v, const double *wt, size_t len, const char *name,
                        double *mass, gr_error *err) {
    size_t k = gr_first_nonfinite(v, len);
    if (k < len)
        return GR_ERROR(err, GR_EDOM, "1-D Wasserstein: %s[%zu] is not finite (%g)", name, k, v[k]);
    if (wt && (k = gr_first_bad_weight(wt, len)) < len)
        return GR_ERROR(err, GR_EDOM,
                        "1-D Wasserstein: weight of %s[%zu] = %g is negative or not finite", name,
                        k, wt[k]);
    *mass = wt ? gr_mass_total(wt, len) : 1.0;
    if (!(*mass > 0))
        return GR_ERROR(err, GR_EDOM, "1-D Wasserstein: total weight of %s is zero", name);
    return GR_OK;
}

int gr_oned_wasserstein(gr_oned_workspace *w, const double *x, const double *a, size_t n,
                        const double *y, const double *b, size_t m, int p, double tol_mass,
                        double *value, gr_error *err) {
    if (n == 0 || m == 0)
        return GR_ERROR(err, GR_EINVAL, "1-D Wasserstein: empty sample (n = %zu, m = %zu)", n, m);
    if (p != 1 && p != 2)
        return GR_ERROR(err, GR_EINVAL, "1-D Wasserstein: p must be 1 or 2 (got %d)", p);
    if (!x || !y || !value) return GR_ERROR(err, GR_EINVAL, "1-D Wasserstein: NULL argument");
    double sa, sb;
    GR_TRY(check_sample(x, a, n, "x", &sa, err));
    GR_TRY(check_sample(y, b, m, "y", &sb, err));
    if (!(tol_mass >= 0)) return GR_ERROR(err, GR_EINVAL, "1-D Wasserstein: tol_mass < 0");
    if (gr_masses_differ(sa, sb, tol_mass))
        return GR_ERROR(err, GR_EINFEAS,
                        "1-D Wasserstein: total masses differ: %.17g vs %.17g (tol_mass %.3g)", sa,
                        sb, tol_mass);
    gr_oned_workspace *own = NULL;
    if (!w) {
        GR_TRY(gr_oned_workspace_alloc(&own, n, m, err));
        w = own;
    }
    if (n > w->n_max || m > w->m_max) {
        return GR_ERROR(err, GR_EINVAL, "1-D Wasserstein: %zu + %zu points exceed the workspace", n,
                        m);
    }
    gsl_sort_index(w->ix, x, 1, n);
    gsl_sort_index(w->iy, y, 1, m);
    /* Merge the cumulative weights (normalised to 1): on each u-interval between two
     * consecutive breakpoints both quantile functions are constant. Working with
     * cumulative sums, not remaining masses, keeps the breakpoints free of drift. */
    double wa = a ? 1.0 / sa : 1.0 / (double)n, wb = b ? 1.0 / sb : 1.0 / (double)m;
    size_t i = 0, j = 0;
    double ca = (a ? a[w->ix[0]] : 1.0) * wa, cb = (b ? b[w->iy[0]] : 1.0) * wb, prev = 0.0;
    double acc = 0.0;
    while (i < n && j < m) {
        double next = fmin(ca, cb);
        double dxy = fabs(x[w->ix[i]] - y[w->iy[j]]);
        if (next > prev) acc += (next - prev) * (p == 1 ? dxy : dxy * dxy);
        prev = fmax(prev, next);
        int adv_a = ca <= next, adv_b = cb <= next;
        if (adv_a && ++i < n) ca += (a ? a[w->ix[i]] : 1.0) * wa;
        if (adv_b && ++j < m) cb += (b ? b[w->iy[j]] : 1.0) * wb;
        /* one side exhausted by rounding while the other has < eps left: stop */
    }
    acc *= sa;
    *value = p == 1 ? acc : sqrt(acc);
    gr_oned_workspace_free(own);
    return GR_OK;
}

/* ---- quadrature ----------------------------------------------------------------------- */

typedef struct {
    gr_oned_fn f, g;
    void *cf, *cg;
    int bad; /* set when an evaluation is not finite */
    double bad_at;
    int zspace; /* t is z: evaluate at u = Phi(z), weight phi(z) */
} absdiff_ctx;

static double absdiff(double t, void *vp) {
    absdiff_ctx *c = vp;
    double v;
    if (c->zspace) {
        double u = gsl_cdf_ugaussian_P(t), ph = gsl_ran_ugaussian_pdf(t);
        v = fabs(c->f(u, c->cf) - c->g(u, c->cg)) * ph;
    } else {
        v = fabs(c->f(t, c->cf) - c->g(t, c->cg));
    }
    if (!isfinite(v)) {
        if (!c->bad) c->bad_at = t;
        c->bad = 1;
        return 0.0;
    }
    return v;
}

static int quad(int infinite, gr_oned_fn f, void *cf, gr_oned_fn g, void *cg, double epsabs,
                double epsrel, size_t limit, gr_oned_quad *res, gr_error *err) {
    const char *what = infinite ? "W1 by CDF quadrature" : "W1 by quantile quadrature";
    if (!f || !g || !res) return GR_ERROR(err, GR_EINVAL, "%s: NULL argument", what);
    if (limit == 0 || !(epsabs >= 0) || !(epsrel >= 0) || (epsabs == 0 && epsrel == 0))
        return GR_ERROR(err, GR_EINVAL, "%s: need limit > 0 and a positive tolerance", what);
    gr_gsl_quiet_enter(); /* GSL reports EMAXITER, EROUND, EBADTOL... through its handler */
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(limit);
    if (!ws) {
        gr_gsl_quiet_leave();
        return GR_ERROR(err, GR_ENOMEM, "%s: no memory for %zu subintervals", what, limit);
    }
    absdiff_ctx c = {f, g, cf, cg, 0, 0.0, 0};
    gsl_function F = {absdiff, &c};
    double v = NAN, e = NAN;
    int gs;
    if (infinite) {
        gs = gsl_integration_qagi(&F, epsabs, epsrel, limit, ws, &v, &e);
    } else {
        /* z-space: u = Phi(z), du = phi(z) dz, over |z| <= GR_ONED_ZMAX (see oned.h):
         * QAGS in u-space never samples the tiny u-intervals where the tails live and
         * silently missed a sign change of Qf - Qg at u = Phi(3) (CLAIMS O6 note). */
        c.zspace = 1;
        gs = gsl_integration_qags(&F, -GR_ONED_ZMAX, GR_ONED_ZMAX, epsabs, epsrel, limit, ws, &v,
                                  &e);
    }
    res->value = v;
    res->abserr = e;
    res->intervals = ws->size;
    gsl_integration_workspace_free(ws);
    gr_gsl_quiet_leave();
    if (c.bad)
        return GR_ERROR(err, GR_EDOM, "%s: integrand not finite at t = %.17g", what, c.bad_at);
    if (gs != GSL_SUCCESS)
        return GR_ERROR(err, GR_ENOTCONV, "%s: GSL: %s (value %.17g, abserr %.3g)", what,
                        gsl_strerror(gs), v, e);
    return GR_OK;
}

int gr_oned_w1_quantile(gr_oned_fn qf, void *cf, gr_oned_fn qg, void *cg, double epsabs,
                        double epsrel, size_t limit, gr_oned_quad *res, gr_error *err) {
    return quad(0, qf, cf, qg, cg, epsabs, epsrel, limit, res, err);
}

int gr_oned_w1_cdf(gr_oned_fn F, void *cF, gr_oned_fn G, void *cG, double epsabs, double epsrel,
                   size_t limit, gr_oned_quad *res, gr_error *err) {
    return quad(1, F, cF, G, cG, epsabs, epsrel, limit, res, err);
}
