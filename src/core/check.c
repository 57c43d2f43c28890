/* core/check.c — finite-value, weight and mass-balance checks (see check.h). */
#include "core/check.h"

#include <math.h>

size_t gr_first_nonfinite(const double *v, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (!isfinite(v[k])) return k;
    return n;
}

size_t gr_first_bad_weight(const double *w, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (!isfinite(w[k]) || w[k] < 0) return k;
    return n;
}

double gr_mass_total(const double *w, size_t n) {
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += w ? w[k] : 1.0 / (double)n;
    return s;
}

int gr_masses_differ(double sa, double sb, double tol) {
    return fabs(sa - sb) > tol * fmax(sa, sb);
}
