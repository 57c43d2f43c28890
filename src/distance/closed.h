/* distance/closed.h — closed forms for the WGAN parallel-lines family (CLAIMS C19-C21, O10).
 *
 * P0 is uniform on the segment {0} x [0,1], P_theta uniform on {theta} x [0,1] (WGAN
 * Example 1). Clean:  W1 = |theta|, JS = log 2, KL (either direction) = +infinity,
 * TV = 1 for theta != 0, and all four 0 at theta = 0.
 * Both segments smoothed by the same isotropic noise N(0, sigma^2 I) (O9/O10): the y-factor
 * of the product-form density cancels in every ratio, so the divergences are those of
 * N(0, sigma^2) vs N(theta, sigma^2) in 1-D: JS = O3(theta/sigma), KL = theta^2/(2 sigma^2),
 * TV = 2 Phi(theta/(2 sigma)) - 1, and W1 = |theta| (a translation).
 *
 * Infinite KL is explicit: the struct carries kl_is_inf = 1 and kl = +INFINITY, never NaN.
 * (distance/divergence.h returns the status GR_EINF in the same situation for general densities.)
 */
#ifndef GR_DISTANCE_CLOSED_H
#define GR_DISTANCE_CLOSED_H

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    double w1;        /* Wasserstein-1 */
    double js;        /* Jensen-Shannon, nats, ½-normalised */
    double kl;        /* KL(P0 || P_theta) = KL(P_theta || P0); +INFINITY when kl_is_inf */
    int kl_is_inf;    /* 1 when the exact KL is +infinity (disjoint supports) */
    double tv;        /* total variation sup_A |P(A) - Q(A)| */
    double js_abserr; /* quadrature error estimate of js (0 when exact) */
} gr_closed_lines;

/* Clean parallel lines at offset theta. Errors: GR_EINVAL (NULL), GR_EDOM (non-finite). */
int gr_closed_lines_eval(double theta, gr_closed_lines *out, gr_error *err);

/* Both lines smoothed by N(0, sigma^2 I_2), sigma > 0 (O10 factorisation).
 * Errors: GR_EINVAL (NULL), GR_EDOM (non-finite theta, sigma <= 0), GR_ELIB (quadrature). */
int gr_closed_lines_smoothed(double theta, double sigma, gr_closed_lines *out, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
