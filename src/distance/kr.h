/* distance/kr.h — Kantorovich-Rubinstein duality made explicit: a 1-Lipschitz critic from
 * an exact W1 solve, its McShane extension to the whole space, and the checks of WGAN-GP's
 * Proposition 1 (CLAIMS C29, O12).
 *
 * For mu = sum_i a_i delta_{x_i}, nu = sum_j b_j delta_{y_j} in R^d with Euclidean ground
 * cost, W1(mu, nu) = max { sum_i a_i f(x_i) - sum_j b_j f(y_j) : f 1-Lipschitz }. From the
 * transport duals (distance/ot.h: u_i + v_j <= |x_i - y_j|, sum a u + sum b v = W1) the
 * c-transform
 *     f(z) = min_j ( |z - y_j| - v_j )
 * is 1-Lipschitz on R^d with f(x_i) >= u_i and f(y_j) <= -v_j, so it attains the maximum
 * (gr_kr_potential). Restricted to a finite set of points p_k with values f_k, the largest
 * 1-Lipschitz extension is McShane's
 *     F(z) = min_k ( f_k + |z - p_k| )
 * (gr_kr_extend), equal to f_k at p_k when the f_k are 1-Lipschitz on the p_k
 * (gr_kr_lipschitz_violation measures how far they are from it). On a pair (x_i, y_j) of
 * the optimal coupling, F(x_i) - F(y_j) = |x_i - y_j| and F is affine with unit slope along
 * the segment between them, so |grad F| = 1 there (WGAN-GP Prop. 1).
 *
 * All in double, no allocation, O(n m d) / O(k nz d).
 */
#ifndef GR_DISTANCE_KR_H
#define GR_DISTANCE_KR_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* f(z_q) = min_j (|z_q - y_j| - v_j) for q < nz into f (nz values); y is m x d, z nz x d.
 * GR_EINVAL (NULL, m, d or nz 0), GR_EDOM (a non-finite input). */
int gr_kr_potential(const double *y, const double *v, size_t m, size_t d, const double *z,
                    size_t nz, double *f, gr_error *err);

/* F(z_q) = min_k (f_k + |z_q - p_k|) for q < nz into F; argmin (nz values, or NULL) gets
 * the minimising k (the lowest on ties). p is k x d. Same errors as gr_kr_potential. */
int gr_kr_extend(const double *p, const double *f, size_t k, size_t d, const double *z, size_t nz,
                 double *F, size_t *argmin, gr_error *err);

/* max over ordered pairs (a, b) of f_a - f_b - |p_a - p_b|, clipped below at 0: 0 when f is
 * 1-Lipschitz on the points. Cannot fail (0 for k < 2 or NULL). */
double gr_kr_lipschitz_violation(const double *p, const double *f, size_t k, size_t d);

/* Central-difference gradient of the McShane extension at z (d values into g), step h > 0:
 * g_c = (F(z + h e_c) - F(z - h e_c)) / (2 h), for d <= 64. GR_EINVAL / GR_EDOM as above
 * (also d > 64, and h not finite and > 0). */
int gr_kr_extend_grad_fd(const double *p, const double *f, size_t k, size_t d, const double *z,
                         double h, double *g, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
