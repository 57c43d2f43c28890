/* prob/lines.c — the parallel-lines family (see lines.h; WGAN Example 1, CLAIMS O10). */
#include "prob/lines.h"

#include <gsl/gsl_randist.h>
#include <math.h>

#include "prob/normal.h"

int gr_lines_closed_eval(double theta, gr_lines_closed *out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_lines_closed_eval: NULL output");
    if (!isfinite(theta)) return GR_ERROR(err, GR_EDOM, "gr_lines_closed_eval: theta is %g", theta);
    int apart = theta != 0.0;
    out->w1 = fabs(theta);
    out->js = apart ? M_LN2 : 0.0;
    out->kl = apart ? INFINITY : 0.0;
    out->kl_is_inf = apart;
    out->tv = apart ? 1.0 : 0.0;
    out->js_abserr = 0.0;
    return GR_OK;
}

int gr_lines_closed_smoothed(double theta, double sigma, gr_lines_closed *out, gr_error *err) {
    if (!out) return GR_ERROR(err, GR_EINVAL, "gr_lines_closed_smoothed: NULL output");
    if (!isfinite(theta) || !isfinite(sigma) || sigma <= 0.0)
        return GR_ERROR(err, GR_EDOM,
                        "gr_lines_closed_smoothed: need finite theta and sigma > 0 (theta=%g, "
                        "sigma=%g)",
                        theta, sigma);
    double delta = theta / sigma;
    out->w1 = fabs(theta);
    GR_TRY(gr_normal_js_eqvar(delta, &out->js, &out->js_abserr, err));
    out->kl = 0.5 * delta * delta;
    out->kl_is_inf = 0;
    GR_TRY(gr_normal_tv_eqvar(delta, &out->tv, err));
    return GR_OK;
}

int gr_lines_sample(double theta, double sigma, gsl_rng *rng, size_t n, double *x, gr_error *err) {
    if (!rng || (n > 0 && !x)) return GR_ERROR(err, GR_EINVAL, "gr_lines_sample: NULL argument");
    if (!isfinite(theta) || !isfinite(sigma) || sigma < 0.0)
        return GR_ERROR(err, GR_EDOM,
                        "gr_lines_sample: need finite theta and sigma >= 0 (theta=%g, sigma=%g)",
                        theta, sigma);
    for (size_t i = 0; i < n; i++) {
        double y = gsl_rng_uniform(rng);
        if (sigma > 0.0) {
            double z1 = gsl_ran_gaussian_ziggurat(rng, 1.0);
            double z2 = gsl_ran_gaussian_ziggurat(rng, 1.0);
            x[2 * i] = theta + sigma * z1;
            x[2 * i + 1] = y + sigma * z2;
        } else {
            x[2 * i] = theta;
            x[2 * i + 1] = y;
        }
    }
    return GR_OK;
}

int gr_lines_segment_alloc(gr_segment **out, double theta, double sigma, gr_error *err) {
    const double u[2] = {theta, 0.0}, v[2] = {theta, 1.0};
    return gr_segment_alloc(out, 2, u, v, sigma, err);
}
