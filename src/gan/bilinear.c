/* gan/bilinear.c — alternating and simultaneous gradient play on v(x, y) = x y (see
 * bilinear.h), in double and in exact int64 arithmetic.
 */
#include "gan/bilinear.h"

#include <math.h>

double gr_bilinear_energy(double x, double y, double eta) { return x * x + y * y - eta * x * y; }

int gr_bilinear_run(gr_bilinear_mode mode, double x0, double y0, double eta, size_t n, double *x,
                    double *y, gr_error *err) {
    if (!x || !y) return GR_ERROR(err, GR_EINVAL, "gr_bilinear_run: NULL trajectory buffer");
    if (mode != GR_BILINEAR_ALTERNATING && mode != GR_BILINEAR_SIMULTANEOUS)
        return GR_ERROR(err, GR_EINVAL, "gr_bilinear_run: unknown mode %d", (int)mode);
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(eta))
        return GR_ERROR(err, GR_EDOM, "gr_bilinear_run: x0 = %g, y0 = %g, eta = %g", x0, y0, eta);
    x[0] = x0;
    y[0] = y0;
    for (size_t t = 0; t < n; t++) {
        double xn = x[t] - eta * y[t];
        double yn = y[t] + eta * (mode == GR_BILINEAR_ALTERNATING ? xn : x[t]);
        x[t + 1] = xn;
        y[t + 1] = yn;
    }
    return GR_OK;
}

/* a - b * c in int64, or 0 on overflow */
static int mul_add(int64_t a, int64_t b, int64_t c, int sign, int64_t *out) {
    int64_t p;
    if (__builtin_mul_overflow(b, c, &p)) return 0;
    return sign > 0 ? !__builtin_add_overflow(a, p, out) : !__builtin_sub_overflow(a, p, out);
}

int gr_bilinear_run_exact(gr_bilinear_mode mode, int64_t x0, int64_t y0, int64_t eta, size_t n,
                          int64_t *x, int64_t *y, gr_error *err) {
    if (!x || !y) return GR_ERROR(err, GR_EINVAL, "gr_bilinear_run_exact: NULL trajectory buffer");
    if (mode != GR_BILINEAR_ALTERNATING && mode != GR_BILINEAR_SIMULTANEOUS)
        return GR_ERROR(err, GR_EINVAL, "gr_bilinear_run_exact: unknown mode %d", (int)mode);
    x[0] = x0;
    y[0] = y0;
    for (size_t t = 0; t < n; t++) {
        int64_t xn, yn;
        if (!mul_add(x[t], eta, y[t], -1, &xn) ||
            !mul_add(y[t], eta, mode == GR_BILINEAR_ALTERNATING ? xn : x[t], 1, &yn))
            return GR_ERROR(err, GR_EDOM,
                            "gr_bilinear_run_exact: step %zu overflows int64 (x = %lld, y = "
                            "%lld, eta = %lld)",
                            t + 1, (long long)x[t], (long long)y[t], (long long)eta);
        x[t + 1] = xn;
        y[t + 1] = yn;
    }
    return GR_OK;
}
