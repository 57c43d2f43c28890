/* prob/normal.h — divergences between two normal distributions of equal variance, as
 * functions of delta = |m1 - m2| / s (any dimension: only the direction m2 - m1 matters).
 *
 * They are facts about the normal family that the parallel lines need (prob/lines.h:
 * smoothed by Gaussian noise, the lines' divergences are those of N(0, s^2) and
 * N(theta, s^2) in 1-D), so they live in this room, below distance/. CLAIMS O3 (JS, one 1-D
 * integral by adaptive quadrature), its derivative (C16/O14) and O8 (TV). Natural logs, JS
 * ½-normalised (0 <= JS <= log 2).
 */
#ifndef GR_PROB_NORMAL_H
#define GR_PROB_NORMAL_H

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* O3: JS(N(m1, s^2 I), N(m2, s^2 I)) = E_{Z~N(0,1)} [log 2 - softplus(delta Z - delta^2/2)],
 * integrated by GSL adaptive quadrature (qagil + qagiu split at the kink Z = delta/2) to a
 * requested absolute accuracy of 1e-14; *abserr (may be NULL) is GSL's error estimate.
 * Negative delta is allowed (JS is even in delta). Errors: GR_EINVAL (NULL js),
 * GR_EDOM (non-finite delta), GR_ELIB (quadrature failed to reach its tolerance). */
int gr_normal_js_eqvar(double delta, double *js, double *abserr, gr_error *err);

/* dJS/d delta of the above: -E[sigmoid(delta Z - delta^2/2) (Z - delta)] (odd in delta).
 * With delta = theta/sigma this gives the noisy-Dirac G-gradient of CLAIMS C16/O14:
 * 2 dJS/dtheta = (2/sigma) dJS/ddelta. Errors as gr_normal_js_eqvar. */
int gr_normal_js_eqvar_deriv(double delta, double *djs, double *abserr, gr_error *err);

/* O8: TV = 2 Phi(delta/2) - 1 = erf(delta / (2 sqrt 2)) (TV is sup_A |P(A) - Q(A)|, in
 * [0, 1]). Errors: GR_EINVAL (NULL tv), GR_EDOM (non-finite delta). */
int gr_normal_tv_eqvar(double delta, double *tv, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
