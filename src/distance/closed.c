/* distance/closed.c — parallel-lines closed forms (see closed.h; WGAN Example 1, CLAIMS O10). */
#include "distance/closed.h"

#include <math.h>

#include "distance/gauss.h"

int gr_closed_lines_eval(double theta, gr_closed_lines *out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_closed_lines_eval: NULL output");
    if (!isfinite(theta)) return GR_ERROR(err, GR_EDOM, "gr_closed_lines_eval: theta is %g", theta);
    int apart = theta != 0.0;
    out->w1 = fabs(theta);
    out->js = apart ? M_LN2 : 0.0;
    out->kl = apart ? INFINITY : 0.0;
    out->kl_is_inf = apart;
    out->tv = apart ? 1.0 : 0.0;
    out->js_abserr = 0.0;
    return GR_OK;
}

int gr_closed_lines_smoothed(double theta, double sigma, gr_closed_lines *out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_closed_lines_smoothed: NULL output");
    if (!isfinite(theta) || !isfinite(sigma) || sigma <= 0.0)
        return GR_ERROR(err, GR_EDOM,
                        "gr_closed_lines_smoothed: need finite theta and sigma > 0 (theta=%g, "
                        "sigma=%g)",
                        theta, sigma);
    double delta = theta / sigma;
    out->w1 = fabs(theta);
    GR_TRY(gr_gauss_js_eqvar(delta, &out->js, &out->js_abserr, err));
    out->kl = 0.5 * delta * delta;
    out->kl_is_inf = 0;
    GR_TRY(gr_gauss_tv_eqvar(delta, &out->tv, err));
    return GR_OK;
}
