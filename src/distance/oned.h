/* distance/oned.h — Wasserstein distances on the real line: exact for weighted samples, by
 * quadrature for distributions given by quantile functions or CDFs.
 *
 * In 1-D the optimal plan is the monotone (quantile) coupling, so
 *     W_p(mu, nu)^p = int_0^1 |F^-1(u) - G^-1(u)|^p du                 (CLAIMS O5)
 * and for p = 1 also = int_R |F(x) - G(x)| dx. For two samples the quantile functions are
 * step functions: sort both (GSL index heapsort: deterministic; the order among equal
 * values does not matter, they sit at the same place) and merge the cumulative weights,
 * O((n + m) log(n + m)). This is the exact optimum of the same transport LP that
 * distance/ot.h solves, with the same mass convention: weights a, b are masses (NULL = uniform
 * 1/n), the value is the optimal cost for W1 and the square root of it for W2.
 */
#ifndef GR_DISTANCE_ONED_H
#define GR_DISTANCE_ONED_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gr_oned_workspace gr_oned_workspace;

/* Sort buffers for samples of up to n_max and m_max points, into *out. Returns GR_OK;
 * GR_EINVAL (out NULL) or GR_ENOMEM, with a message, and *out = NULL on any failure. */
int gr_oned_workspace_alloc(gr_oned_workspace **out, size_t n_max, size_t m_max, gr_error *err);
void gr_oned_workspace_free(gr_oned_workspace *w); /* NULL is a no-op */

/* *value = W_p between sum a_i delta_{x_i} and sum b_j delta_{y_j} on R, p = 1 or 2.
 * `w` may be NULL (a temporary workspace is allocated). Total masses may differ by at most
 * tol_mass relative (b is then rescaled to sum a, as in gr_ot_solve); more is GR_EINFEAS.
 * Errors: GR_EINVAL (n or m = 0, p not 1/2, workspace too small), GR_EDOM (NaN/Inf
 * coordinate, negative or non-finite weight, zero total mass), GR_EINFEAS, GR_ENOMEM. */
int gr_oned_wasserstein(gr_oned_workspace *w, const double *x, const double *a, size_t n,
                        const double *y, const double *b, size_t m, int p, double tol_mass,
                        double *value, gr_error *err);

/* A real function of one variable: a quantile function on (0, 1) or a CDF on R. */
typedef double (*gr_oned_fn)(double t, void *ctx);

/* Quadrature result with GSL's error estimate. */
typedef struct gr_oned_quad {
    double value;     /* the integral */
    double abserr;    /* GSL's estimate of |value - exact| */
    size_t intervals; /* subintervals used */
} gr_oned_quad;

/* Truncation of the quantile quadrature in z-space (u = Phi(z), |z| <= 8, i.e.
 * u in [6.2e-16, 1 - 6.2e-16]: beyond, u = Phi(z) is not representable next to 1). */
#define GR_ONED_ZMAX 8.0

/* W1 = int_0^1 |Qf(u) - Qg(u)| du, integrated in z-space, = int |Qf(Phi(z)) -
 * Qg(Phi(z))| phi(z) dz over |z| <= GR_ONED_ZMAX by GSL's QAGS. Plain u-space quadrature
 * never samples the tiny u-intervals where the tails live (CLAIMS O6: it misses a sign
 * change at u = Phi(3) and returns 3 instead of 3.00076); in z-space they are ordinary.
 * The neglected tails weigh 2 x 6.2e-16 times |Qf - Qg| out there: negligible unless the
 * tails are heavy, for which gr_oned_w1_cdf is the right tool. Meets `epsabs` or `epsrel`
 * with at most `limit` subintervals; otherwise GR_ENOTCONV (res still filled). */
int gr_oned_w1_quantile(gr_oned_fn qf, void *cf, gr_oned_fn qg, void *cg, double epsabs,
                        double epsrel, size_t limit, gr_oned_quad *res, gr_error *err);

/* W1 = int_R |F(x) - G(x)| dx by GSL's QAGI (maps R to (0, 1]), same contract. */
int gr_oned_w1_cdf(gr_oned_fn F, void *cF, gr_oned_fn G, void *cG, double epsabs, double epsrel,
                   size_t limit, gr_oned_quad *res, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
