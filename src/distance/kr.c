/* distance/kr.c — the c-transform potential and McShane's extension; contracts in
 * distance/kr.h. */
#include "distance/kr.h"

#include <math.h>

static double dist(const double *a, const double *b, size_t d) {
    double s = 0.0;
    for (size_t c = 0; c < d; c++) {
        double t = a[c] - b[c];
        s += t * t;
    }
    return sqrt(s);
}

static int check_args(const double *p, const double *f, size_t k, size_t d, const double *z,
                      size_t nz, const double *out, const char *what, gr_error *err) {
    if (!p || !f || !z || !out) return GR_ERROR(err, GR_EINVAL, "%s: NULL argument", what);
    if (!k || !d || !nz)
        return GR_ERROR(err, GR_EINVAL, "%s: empty input (points %zu, dimension %zu, queries %zu)",
                        what, k, d, nz);
    for (size_t i = 0; i < k; i++) {
        if (!isfinite(f[i])) return GR_ERROR(err, GR_EDOM, "%s: value %zu is not finite", what, i);
        for (size_t c = 0; c < d; c++)
            if (!isfinite(p[i * d + c]))
                return GR_ERROR(err, GR_EDOM, "%s: point %zu is not finite", what, i);
    }
    for (size_t q = 0; q < nz; q++)
        for (size_t c = 0; c < d; c++)
            if (!isfinite(z[q * d + c]))
                return GR_ERROR(err, GR_EDOM, "%s: query point %zu is not finite", what, q);
    return GR_OK;
}

int gr_kr_potential(const double *y, const double *v, size_t m, size_t d, const double *z,
                    size_t nz, double *f, gr_error *err) {
    GR_TRY(check_args(y, v, m, d, z, nz, f, "kr_potential", err));
    for (size_t q = 0; q < nz; q++) {
        double best = INFINITY;
        for (size_t j = 0; j < m; j++) {
            double t = dist(z + q * d, y + j * d, d) - v[j];
            if (t < best) best = t;
        }
        f[q] = best;
    }
    return GR_OK;
}

static double extend1(const double *p, const double *f, size_t k, size_t d, const double *z,
                      size_t *arg) {
    double best = INFINITY;
    size_t a = 0;
    for (size_t i = 0; i < k; i++) {
        double t = f[i] + dist(z, p + i * d, d);
        if (t < best) best = t, a = i;
    }
    if (arg) *arg = a;
    return best;
}

int gr_kr_extend(const double *p, const double *f, size_t k, size_t d, const double *z, size_t nz,
                 double *F, size_t *argmin, gr_error *err) {
    GR_TRY(check_args(p, f, k, d, z, nz, F, "kr_extend", err));
    for (size_t q = 0; q < nz; q++)
        F[q] = extend1(p, f, k, d, z + q * d, argmin ? argmin + q : NULL);
    return GR_OK;
}

double gr_kr_lipschitz_violation(const double *p, const double *f, size_t k, size_t d) {
    if (!p || !f || k < 2) return 0.0;
    double worst = 0.0;
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) {
            if (a == b) continue;
            double e = f[a] - f[b] - dist(p + a * d, p + b * d, d);
            if (!(e <= worst)) worst = e; /* NaN propagates */
        }
    return worst;
}

int gr_kr_extend_grad_fd(const double *p, const double *f, size_t k, size_t d, const double *z,
                         double h, double *g, gr_error *err) {
    GR_TRY(check_args(p, f, k, d, z, 1, g, "kr_extend_grad_fd", err));
    if (!(h > 0.0) || !isfinite(h))
        return GR_ERROR(err, GR_EDOM, "kr_extend_grad_fd: step h = %g (must be finite, > 0)", h);
    double zz[64];
    if (d > 64) return GR_ERROR(err, GR_EINVAL, "kr_extend_grad_fd: dimension %zu > 64", d);
    for (size_t c = 0; c < d; c++)
        zz[c] = z[c];
    for (size_t c = 0; c < d; c++) {
        zz[c] = z[c] + h;
        double fp = extend1(p, f, k, d, zz, NULL);
        zz[c] = z[c] - h;
        double fm = extend1(p, f, k, d, zz, NULL);
        zz[c] = z[c];
        g[c] = (fp - fm) / (2.0 * h);
    }
    return GR_OK;
}
