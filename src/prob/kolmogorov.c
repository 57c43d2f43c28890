/* prob/kolmogorov.c — the Kolmogorov distribution and the one-sample KS test; contracts in
 * prob/kolmogorov.h. */
#include "prob/kolmogorov.h"

#include <gsl/gsl_sort.h>
#include <math.h>

/* 1 - P(K <= x) by the alternating series, x >= 1: terms fall as exp(-2 k^2 x^2). */
static double sf_alternating(double x) {
    double s = 0, sign = 1;
    for (int k = 1; k <= 100; k++) {
        double t = exp(-2.0 * (double)k * (double)k * x * x);
        s += sign * t;
        sign = -sign;
        if (t < 1e-300 || t < 1e-18 * s) break;
    }
    return 2.0 * s;
}

/* P(K <= x) by the Jacobi-transformed series, 0 < x < 1. */
static double cdf_jacobi(double x) {
    const double c = M_PI * M_PI / (8.0 * x * x);
    double s = 0;
    for (int k = 1; k <= 100; k++) {
        double j = 2.0 * k - 1.0, t = exp(-j * j * c);
        s += t;
        if (t < 1e-300 || t < 1e-18 * s) break;
    }
    return sqrt(2.0 * M_PI) / x * s;
}

double gr_kolmogorov_cdf(double x) {
    if (isnan(x)) return NAN;
    if (x <= 0) return 0.0;
    if (isinf(x)) return 1.0;
    return x < 1.0 ? cdf_jacobi(x) : 1.0 - sf_alternating(x);
}

double gr_kolmogorov_sf(double x) {
    if (isnan(x)) return NAN;
    if (x <= 0) return 1.0;
    if (isinf(x)) return 0.0;
    return x < 1.0 ? 1.0 - cdf_jacobi(x) : sf_alternating(x);
}

int gr_ks_test(double *x, size_t n, gr_cdf_fn F, void *ctx, gr_ks_result *out, gr_error *err) {
    if (!x || !F || !out || n == 0)
        return GR_ERROR(err, GR_EINVAL, "ks test: NULL argument or empty sample");
    for (size_t i = 0; i < n; i++)
        if (isnan(x[i])) return GR_ERROR(err, GR_EDOM, "ks test: x[%zu] is NaN", i);
    gsl_sort(x, 1, n);
    double d = 0, dn = (double)n;
    for (size_t i = 0; i < n; i++) {
        double f = F(x[i], ctx);
        if (!(f >= 0 && f <= 1))
            return GR_ERROR(err, GR_EDOM, "ks test: F(%.17g) = %g is not in [0, 1]", x[i], f);
        double a = (double)(i + 1) / dn - f, b = f - (double)i / dn;
        if (a > d) d = a;
        if (b > d) d = b;
    }
    out->d = d;
    out->n = n;
    out->p_value = gr_kolmogorov_sf(sqrt(dn) * d);
    return GR_OK;
}

double gr_cauchy_cdf_fn(double x, void *ctx) {
    double g = *(const double *)ctx;
    return 0.5 + atan(x / g) / M_PI;
}
