/* tests/prob/moments.h — sample mean and variance of one coordinate against the exact
 * moments of the distribution, within 5 standard errors (the standard error of the sample
 * variance comes from the exact 4th central moment m4: sqrt((m4 - var^2) / n)). */
#ifndef GR_TESTS_PROB_MOMENTS_H
#define GR_TESTS_PROB_MOMENTS_H

#include "test.h"

/* coordinate j of n points of dimension d (row-major x) */
static void check_moments(const double *x, size_t n, size_t d, size_t j, double mean, double var,
                          double m4) {
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i * d + j];
    double m = s / (double)n, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i * d + j] - m) * (x[i * d + j] - m);
    double v = ss / (double)(n - 1);
    double se_m = sqrt(var / (double)n), se_v = sqrt((m4 - var * var) / (double)n);
    CHECK_CLOSE(m, mean, 0.0, 5.0 * se_m);
    CHECK_CLOSE(v, var, 0.0, 5.0 * se_v);
    if (fabs(m - mean) > 5.0 * se_m || fabs(v - var) > 5.0 * se_v)
        fprintf(stderr,
                "  coordinate %zu: mean %.6f (want %.6f +- %.1e), var %.6f (want %.6f "
                "+- %.1e)\n",
                j, m, mean, se_m, v, var, se_v);
}

#endif
