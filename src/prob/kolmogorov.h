/* prob/kolmogorov.h — the Kolmogorov distribution and the one-sample Kolmogorov-Smirnov
 * test (CLAIMS C12: -log D gradients under white-noise D errors are Cauchy). GSL has no
 * KS test, so it lives here.
 *
 * The limiting law of K = sqrt(n) sup_x |F_n(x) - F(x)| (F continuous):
 *   P(K <= x) = 1 - 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2)                   (x >= 1)
 *             = (sqrt(2 pi) / x) sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 x^2))     (0 < x < 1)
 * (the two series are equal; each is used where it converges fast: 6 and 4 terms reach
 * double precision at the switch x = 1). The survival function is computed from the first
 * series for x >= 1 so its relative accuracy holds deep into the upper tail (1e-31 at x =
 * 6), and as 1 - P(K <= x) below. Checked against scipy.stats.kstwobign
 * (tests/reference/kolmogorov_reference.py) to 1e-14 relative.
 *
 * The test: D = sup_x |F_n(x) - F(x)| = max_i max(i/n - F(x_(i)), F(x_(i)) - (i-1)/n) over
 * the sorted sample, and the asymptotic p-value P(K > sqrt(n) D) (scipy.stats.kstest with
 * mode = "asymp"). The asymptotic p-value differs from the exact finite-n one by O(n^-1/2)
 * relative near the usual levels; at n = 1e5 (C12) that is in the third decimal.
 */
#ifndef GR_PROB_KOLMOGOROV_H
#define GR_PROB_KOLMOGOROV_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* P(K <= x) and P(K > x) of the limiting Kolmogorov law; x <= 0 gives 0 and 1, +inf gives
 * 1 and 0, NaN gives NaN. Cannot fail. */
double gr_kolmogorov_cdf(double x);
double gr_kolmogorov_sf(double x);

/* A continuous CDF for the test: F(x, ctx) in [0, 1]. */
typedef double (*gr_cdf_fn)(double x, void *ctx);

typedef struct gr_ks_result {
    double d;       /* the statistic sup |F_n - F| */
    double p_value; /* asymptotic: gr_kolmogorov_sf(sqrt(n) d) */
    size_t n;
} gr_ks_result;

/* One-sample two-sided KS test of x[0..n-1] against F. x is SORTED IN PLACE (ascending;
 * gsl_sort). Errors: GR_EINVAL (NULL x, F or out; n == 0), GR_EDOM (a NaN in x, or F
 * returning a value outside [0, 1] or NaN). */
int gr_ks_test(double *x, size_t n, gr_cdf_fn F, void *ctx, gr_ks_result *out, gr_error *err);

/* The Cauchy(0, gamma) CDF 1/2 + atan(x / gamma) / pi for gr_ks_test; ctx points to gamma
 * (> 0). */
double gr_cauchy_cdf_fn(double x, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
