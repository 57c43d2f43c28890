/* prob/normal.c — divergences between two equal-variance normals (see normal.h).
 *
 * The O3 integral is done in z-space by GSL QAGI pieces split at the kink of the integrand.
 */
#include "prob/normal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>

/* ---- O3 ---------------------------------------------------------------------------- */

typedef struct {
    double delta;
    int deriv;
} js_params;

/* phi(z) * [log 2 - softplus(t)], or for the derivative -phi(z) sigmoid(t) (z - delta) */
static double js_integrand(double z, void *vp) {
    const js_params *p = vp;
    double t = p->delta * z - 0.5 * p->delta * p->delta;
    double phi = exp(-0.5 * z * z) / (M_SQRT2 * M_SQRTPI);
    if (phi == 0.0) return 0.0;
    if (p->deriv) {
        double sig = t >= 0.0 ? 1.0 / (1.0 + exp(-t)) : exp(t) / (1.0 + exp(t));
        return -phi * sig * (z - p->delta);
    }
    double sp = t > 0.0 ? t + log1p(exp(-t)) : log1p(exp(t));
    return phi * (M_LN2 - sp);
}

/* the O3 integrals need this absolute accuracy: the oracle values are quoted to 1e-10 */
#define GR_NORMAL_JS_EPSABS 1e-14
#define GR_NORMAL_JS_LIMIT  200

static int js_integral(double delta, int deriv, double *out, double *abserr, gr_error *err) {
    gr_gsl_quiet_enter(); /* GSL raises EROUND (accepted below) through its handler */
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(GR_NORMAL_JS_LIMIT);
    if (!w) {
        gr_gsl_quiet_leave();
        return GR_ERROR(err, GR_ENOMEM, "quadrature workspace");
    }
    js_params p = {delta, deriv};
    gsl_function f = {js_integrand, &p};
    double r1, e1, r2, e2;
    double z0 = 0.5 * delta; /* t = 0 there: the kink of softplus for large delta */
    int g1 =
        gsl_integration_qagil(&f, z0, GR_NORMAL_JS_EPSABS, 0.0, GR_NORMAL_JS_LIMIT, w, &r1, &e1);
    int g2 =
        gsl_integration_qagiu(&f, z0, GR_NORMAL_JS_EPSABS, 0.0, GR_NORMAL_JS_LIMIT, w, &r2, &e2);
    gsl_integration_workspace_free(w);
    gr_gsl_quiet_leave();
    /* GSL_EROUND means the requested accuracy is below rounding level: the estimate is then
     * at rounding level, which is what we want; anything else is a failure. */
    if ((g1 && g1 != GSL_EROUND) || (g2 && g2 != GSL_EROUND))
        return GR_ERROR(err, GR_ELIB, "O3 quadrature at delta = %g: %s", delta,
                        gsl_strerror(g1 ? g1 : g2));
    *out = r1 + r2;
    if (abserr) *abserr = e1 + e2;
    return GR_OK;
}

int gr_normal_js_eqvar(double delta, double *js, double *abserr, gr_error *err) {
    if (!js) return GR_ERROR(err, GR_EINVAL, "gr_normal_js_eqvar: NULL output");
    if (!isfinite(delta)) return GR_ERROR(err, GR_EDOM, "gr_normal_js_eqvar: delta is %g", delta);
    delta = fabs(delta);
    if (delta == 0.0) {
        *js = 0.0;
        if (abserr) *abserr = 0.0;
        return GR_OK;
    }
    GR_TRY(js_integral(delta, 0, js, abserr, err));
    if (*js < 0.0) *js = 0.0; /* rounding at tiny delta; JS >= 0 exactly */
    if (*js > M_LN2) *js = M_LN2;
    return GR_OK;
}

int gr_normal_js_eqvar_deriv(double delta, double *djs, double *abserr, gr_error *err) {
    if (!djs) return GR_ERROR(err, GR_EINVAL, "gr_normal_js_eqvar_deriv: NULL output");
    if (!isfinite(delta))
        return GR_ERROR(err, GR_EDOM, "gr_normal_js_eqvar_deriv: delta is %g", delta);
    if (delta == 0.0) {
        *djs = 0.0;
        if (abserr) *abserr = 0.0;
        return GR_OK;
    }
    double s = delta < 0.0 ? -1.0 : 1.0;
    GR_TRY(js_integral(fabs(delta), 1, djs, abserr, err));
    *djs *= s;
    return GR_OK;
}

int gr_normal_tv_eqvar(double delta, double *tv, gr_error *err) {
    if (!tv) return GR_ERROR(err, GR_EINVAL, "gr_normal_tv_eqvar: NULL output");
    if (!isfinite(delta)) return GR_ERROR(err, GR_EDOM, "gr_normal_tv_eqvar: delta is %g", delta);
    *tv = gsl_sf_erf(fabs(delta) / (2.0 * M_SQRT2));
    return GR_OK;
}
