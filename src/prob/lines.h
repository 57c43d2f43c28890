/* prob/lines.h — WGAN's parallel lines (WGAN Example 1; CLAIMS C19-C21, O9, O10): the family
 * of distributions, its sampler, its smoothed densities and its closed-form divergences.
 *
 * P_theta is uniform on the segment {theta} x [0,1] in R^2; P_0 is the real distribution.
 * Clean:  W1 = |theta|, JS = log 2, KL (either direction) = +infinity, TV = 1 for
 * theta != 0, and all four 0 at theta = 0.
 * Smoothed, every member by the same isotropic noise N(0, sigma^2 I) (O9/O10): the y-factor
 * of the product-form density cancels in every ratio, so the divergences are those of
 * N(0, sigma^2) vs N(theta, sigma^2) in 1-D (prob/normal.h): JS = O3(theta/sigma),
 * KL = theta^2/(2 sigma^2), TV = 2 Phi(theta/(2 sigma)) - 1, and W1 = |theta| (a translation).
 *
 * Infinite KL is explicit: the struct carries kl_is_inf = 1 and kl = +INFINITY, never NaN.
 * (distance/divergence.h returns the status GR_EINF in the same situation for general densities.)
 */
#ifndef GR_PROB_LINES_H
#define GR_PROB_LINES_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "core/error.h"
#include "prob/segment.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The divergences between P_0 and P_theta (clean or smoothed). */
typedef struct {
    double w1;        /* Wasserstein-1 */
    double js;        /* Jensen-Shannon, nats, ½-normalised */
    double kl;        /* KL(P0 || P_theta) = KL(P_theta || P0); +INFINITY when kl_is_inf */
    int kl_is_inf;    /* 1 when the exact KL is +infinity (disjoint supports) */
    double tv;        /* total variation sup_A |P(A) - Q(A)| */
    double js_abserr; /* quadrature error estimate of js (0 when exact) */
} gr_lines_closed;

/* Clean parallel lines at offset theta. Errors: GR_EINVAL (NULL), GR_EDOM (non-finite). */
int gr_lines_closed_eval(double theta, gr_lines_closed *out, gr_error *err);

/* Both lines smoothed by N(0, sigma^2 I_2), sigma > 0 (O10 factorisation).
 * Errors: GR_EINVAL (NULL), GR_EDOM (non-finite theta, sigma <= 0), GR_ELIB (quadrature). */
int gr_lines_closed_smoothed(double theta, double sigma, gr_lines_closed *out, gr_error *err);

/* n draws of P_theta smoothed by sigma >= 0 (0: the clean line) into x (n x 2, row-major):
 * each takes one gsl_rng_uniform y, then, when sigma > 0, two gsl_ran_gaussian_ziggurat(rng, 1)
 * values z1, z2: x = (theta + sigma z1, y + sigma z2). The clean draws are exactly
 * (theta, y), y in [0, 1). Errors: GR_EINVAL (NULL rng, or x with n > 0), GR_EDOM (theta not
 * finite, sigma not finite and >= 0). */
int gr_lines_sample(double theta, double sigma, gsl_rng *rng, size_t n, double *x, gr_error *err);

/* The density of P_theta smoothed by sigma > 0: the segment from (theta, 0) to (theta, 1)
 * (prob/segment.h), into *out. The clean line has no density (it is singular in R^2).
 * Errors as gr_segment_alloc. */
int gr_lines_segment_alloc(gr_segment **out, double theta, double sigma, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
