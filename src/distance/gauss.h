/* distance/gauss.h — closed forms for divergences and distances between Gaussians.
 *
 * These are the suite's oracles (CLAIMS.md §G): O1 (KL between multivariate Gaussians),
 * O2 (W2 between multivariate Gaussians), O3 (JS between equal-variance isotropic
 * Gaussians, one 1-D integral done by adaptive quadrature), O6 (W1 between 1-D Gaussians,
 * folded normal) and O8 (TV between equal-variance Gaussians). Natural logs, JS
 * ½-normalised (0 <= JS <= log 2).
 *
 * Covariances are d x d row-major; only their LOWER triangle is read (the matrix is taken
 * to be symmetric by construction, so no tolerance on asymmetry is needed).
 *
 * Workspaces. KL needs 2 d^2 + d doubles, W2 4 d^2 plus an eigen-decomposition's vectors; a
 * gr_gauss_workspace holds them for any d <= d_max (about 40 d_max^2 bytes), and
 * gr_gauss_kl_ws / gr_gauss_w2sq_ws allocate nothing, for callers that evaluate a closed
 * form at every logged step. A larger d is refused (GR_EINVAL), never grown into. The
 * workspace keeps no state between calls: the results are bit for bit those of the one-shot
 * gr_gauss_kl / gr_gauss_w2sq, which allocate and free their memory inside the call. (W2's
 * two products go to OpenBLAS, whose 0.3.21 small-matrix dgemm kernel on SkylakeX / Cooper
 * Lake mallocs a scratch block of its own when 17 <= d <= 100 and d mod 8 is 1 to 4, as
 * counted by tests/distance/test_workspace_alloc; nothing else allocates.) Time saved is
 * small (bench/ws, best of rounds, CPU time, shared 2-core machine): KL 3.0 / 3.1 us and W2
 * 80 / 81 us per call at d = 16 with / without a workspace, KL 27 / 28 ms and W2 5.7 / 5.8 s
 * at d = 784, where GSL's three symmetric eigen-decompositions are the whole cost.
 */
#ifndef GR_DISTANCE_GAUSS_H
#define GR_DISTANCE_GAUSS_H

#include <stddef.h>

#include "core/error.h"
#include "prob/normal.h" /* O3, O8: computed there, named here too */

#ifdef __cplusplus
extern "C" {
#endif

/* O1: KL(N(m1,S1) || N(m2,S2)) = ½[tr(S2^-1 S1) + (m2-m1)' S2^-1 (m2-m1) - d + ln det S2/det S1],
 * through Cholesky factors (no explicit inverse). Errors: GR_EINVAL (NULL, d == 0),
 * GR_EDOM (non-finite entry, or a covariance not positive definite), GR_ENOMEM. Allocates
 * 2 d^2 + d doubles per call (gr_gauss_kl_ws does not). */
int gr_gauss_kl(size_t d, const double *m1, const double *S1, const double *m2, const double *S2,
                double *kl, gr_error *err);

/* O2: W2^2(N(m1,S1), N(m2,S2)) = |m1-m2|^2 + tr(S1 + S2 - 2 (S2^½ S1 S2^½)^½). Symmetric
 * square roots by eigen-decomposition (gsl_eigen_symmv). Covariances may be singular
 * (positive SEMI-definite); eigenvalues in [-d*eps*lambda_max, 0) are rounding and are set to
 * 0, more negative ones are GR_EDOM. The result is clamped at 0 (cancellation when the two
 * Gaussians coincide). Errors as gr_gauss_kl. Allocates a workspace for d per call
 * (gr_gauss_w2sq_ws does not). */
int gr_gauss_w2sq(size_t d, const double *m1, const double *S1, const double *m2, const double *S2,
                  double *w2sq, gr_error *err);

typedef struct gr_gauss_workspace gr_gauss_workspace;

/* *out = a workspace for the KL and W2 closed forms in dimension d <= d_max. Errors (then
 * *out = NULL): GR_EINVAL (NULL out, d_max == 0, 4 d_max^2 doubles overflow size_t),
 * GR_ENOMEM. */
int gr_gauss_workspace_alloc(gr_gauss_workspace **out, size_t d_max, gr_error *err);
void gr_gauss_workspace_free(gr_gauss_workspace *w); /* NULL is a no-op */

/* gr_gauss_kl / gr_gauss_w2sq in the memory of w: no allocation, the same results bit for
 * bit and the same errors, plus GR_EINVAL for a NULL w or d > d_max; never GR_ENOMEM. */
int gr_gauss_kl_ws(gr_gauss_workspace *w, size_t d, const double *m1, const double *S1,
                   const double *m2, const double *S2, double *kl, gr_error *err);
int gr_gauss_w2sq_ws(gr_gauss_workspace *w, size_t d, const double *m1, const double *S1,
                     const double *m2, const double *S2, double *w2sq, gr_error *err);

/* 1-D forms with standard deviations s1, s2 (> 0 for KL, >= 0 for W1/W2):
 * KL = ln(s2/s1) + (s1^2 + (m1-m2)^2)/(2 s2^2) - ½;  W2 = sqrt((m1-m2)^2 + (s1-s2)^2);
 * O6: W1 = E|a + bZ| with a = m1-m2, b = |s1-s2|:
 *     W1 = b sqrt(2/pi) exp(-a^2/(2b^2)) + a erf(a/(b sqrt 2))  (= |a| when b = 0).
 * Errors: GR_EINVAL (NULL output), GR_EDOM (non-finite argument or bad SD). */
int gr_gauss_kl_1d(double m1, double s1, double m2, double s2, double *kl, gr_error *err);
int gr_gauss_w2_1d(double m1, double s1, double m2, double s2, double *w2, gr_error *err);
int gr_gauss_w1_1d(double m1, double s1, double m2, double s2, double *w1, gr_error *err);

/* O3 (JS), its derivative in delta (C16/O14) and O8 (TV) between N(m1, s^2 I) and
 * N(m2, s^2 I), delta = |m1 - m2| / s: prob/normal.h's gr_normal_js_eqvar, _deriv and
 * gr_normal_tv_eqvar under their oracle names here, with the same contracts and the same
 * values bit for bit (the contracts are stated there). */
int gr_gauss_js_eqvar(double delta, double *js, double *abserr, gr_error *err);
int gr_gauss_js_eqvar_deriv(double delta, double *djs, double *abserr, gr_error *err);
int gr_gauss_tv_eqvar(double delta, double *tv, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
