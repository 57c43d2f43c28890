/* gan/games.h — the 1-D location-family games with the exactly optimal discriminator
 * (CLAIMS C01–C03, C11, C14–C16, C18, oracles O3/O11/O14): no network anywhere.
 *
 * The real law P_r and the generator's base law P_0 are finite 1-D Gaussian mixtures whose
 * components may have SD 0 (point masses). The generator is the location family
 * g_theta(z) = theta + z, z ~ P_0, so P_theta = P_0(. - theta). Instance noise of SD sigma
 * (A&B §3, CLAIMS §0 method 3) is added to BOTH of D's inputs and to the generator sample in
 * the G step (A&B Cor. 3.2): the game is then played between the smoothed laws
 * P_{r+e} = P_r * N(0, sigma^2), P_{theta+e} = P_theta * N(0, sigma^2), which are again
 * mixtures with SDs sqrt(sd_k^2 + sigma^2) (O11). With sigma = 0 the clean game is played.
 *
 * For one theta, with p_r, p_g the (smoothed) densities, l(x) = log p_r(x) - log p_g(x) the
 * logit of the optimal discriminator D*(x) = p_r/(p_r + p_g) = sigmoid(l) (GAN Prop. 1),
 * and D* FROZEN at this theta (the gradients are the generator's, through a fixed D*):
 *
 *   criterion  C       = E_r log D* + E_g log(1 - D*)  = E_r[-softplus(-l)] + E_g[-softplus(l)]
 *   js         JS      = (C + log 4) / 2                (GAN Thm 1; derived from C, not separate)
 *   kl_gr      KL(P_g||P_r) = E_g[-l]      kl_rg   KL(P_r||P_g) = E_r[l]
 *   mm_loss    E_z log(1 - D*(g_theta(z)))  = E_g[-softplus(l)]          (minimax G loss)
 *   mm_grad    d/dtheta of mm_loss, D* fixed = E_g[-D*(x) l'(x)]          (= 2 dJS/dtheta, C03/C16)
 *   ns_loss    -E_z log D*(g_theta(z))      = E_g[softplus(-l)]          (non-saturating G loss)
 *   ns_grad    d/dtheta of ns_loss, D* fixed = E_g[-(1 - D*(x)) l'(x)]    (= d[KL_gr - 2
 * JS]/dtheta, C11)
 *
 * where l'(x) = (log p_r)'(x) - (log p_g)'(x) (chain rule through g_theta: dx/dtheta = 1).
 * The identities in parentheses are what the claims check; this module computes only the
 * left-hand sides, so tests can compare them with independent right-hand sides.
 *
 * Quadrature (continuous case: every smoothed component has SD > 0). Each expectation is a
 * sum over the integrating law's components, E_{N(m,s^2)} f = int phi(z) f(m + s z) dz on
 * z in [-Z, Z], Z = GR_DENSITY_BOX_SDS = 12 (mass outside 3.6e-33 per component, times the
 * integrand's size there: not in the error estimate), split at the other components' means
 * and at the midpoints towards them (where D* switches), each piece by GSL QAG with the
 * 61-point Gauss–Kronrod rule. Log-densities by log-sum-exp, so no density underflow can
 * produce NaN; softplus/sigmoid from core/mathfn.h. Every field is a gr_game_value: .val
 * and .err, the sum of GSL's absolute error estimates over components and pieces (weighted
 * by the mixture weights); it leaves out the rounding of the sums themselves (a few ulp of
 * the summands, ~1e-15 absolute), which dominates when an integral is tiny. GSL_EROUND
 * (tolerance below rounding) is accepted: the estimate is then at rounding level. Measured
 * against prob/normal's O3 forms (a different integral of the same quantities): JS, mm_grad
 * and ns_grad agree to 4e-15 absolute on theta = 0.05, 0.10, ..., 10 for N(0,1) vs N(theta,1),
 * and to 5e-16 on the noisy Dirac game (sigma = 0.5, theta <= 3); about 1700 integrand
 * evaluations per call for two single-component laws.
 *
 * Atomic case (sigma = 0 and every component of both laws has SD 0). D* is defined only on
 * the atoms: D*(x) = r(x)/(r(x) + g(x)) with the masses r, g at x (atoms at bit-identical
 * locations are merged). All values are closed-form sums (err = 0; rounding only): C, JS, KL
 * (+INFINITY when a fake atom carries no real mass, or vice versa), mm_loss, ns_loss (+INFINITY
 * when some fake atom carries no real mass: D* = 0 there). The gradients are taken through the
 * locally constant extension of D* (A&B Thm 2.1's perfect discriminator, flat on both supports):
 * mm_grad = 0 exactly, and ns_grad = 0 where ns_loss is finite, NaN where ns_loss = +inf
 * (-log D* is +inf on a neighbourhood of the fake atom: no derivative exists). Any D that
 * agrees with D* on the atoms is optimal, so the point-mass gradient is a property of this
 * chosen extension, which is the one the saturation argument (C03/C07/C10) is about.
 *
 * WGAN's parallel lines (prob/lines.h) smoothed by N(0, sigma^2 I) are this module's noisy
 * Dirac game delta_0 vs delta_theta in x (O10: the y-factor cancels from D* and from every
 * quantity above), so the 2-D lines need no separate code here.
 *
 * A law mixing atoms and SD > 0 components (or one of each kind between the two laws) at
 * sigma = 0 has no common density and is refused with GR_EINVAL.
 *
 * Nothing here allocates except gr_game_workspace_alloc; every evaluation runs in a
 * workspace sized once (or one allocated for the call when ws is NULL).
 */
#ifndef GR_GAN_GAMES_H
#define GR_GAN_GAMES_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- laws -------------------------------------------------------------------------- */

enum { GR_GAME_LAW_MAX = 16 }; /* components per law */

/* A 1-D Gaussian mixture by value (no allocation). Fill it with the setters below, which
 * validate and normalise; the fields are then read-only for users. */
typedef struct {
    size_t n;                   /* components, 1..GR_GAME_LAW_MAX */
    double w[GR_GAME_LAW_MAX];  /* weights > 0, sum 1 */
    double mu[GR_GAME_LAW_MAX]; /* means */
    double sd[GR_GAME_LAW_MAX]; /* SDs >= 0; 0 = a point mass at mu */
} gr_game_law;

/* N(mean, sd^2) (sd = 0: the point mass at mean). Errors: GR_EINVAL (NULL law), GR_EDOM
 * (non-finite mean or sd, sd < 0). */
int gr_game_law_normal(gr_game_law *law, double mean, double sd, gr_error *err);

/* The point mass delta_at (= gr_game_law_normal(law, at, 0)). Errors as above. */
int gr_game_law_point(gr_game_law *law, double at, gr_error *err);

/* sum_k w_k N(mean_k, sd_k^2), k < n; weights >= 0 (zero-weight components are dropped),
 * normalised here. Errors: GR_EINVAL (NULL pointer, n = 0, n > GR_GAME_LAW_MAX), GR_EDOM
 * (non-finite value, negative weight or SD, all weights 0). */
int gr_game_law_mixture(gr_game_law *law, size_t n, const double *w, const double *mean,
                        const double *sd, gr_error *err);

/* out = in * N(0, sigma^2): each SD becomes hypot(sd_k, sigma) (O11); out may be in.
 * Errors: GR_EINVAL (NULL, or an invalid in), GR_EDOM (sigma not finite or < 0). */
int gr_game_law_smooth(gr_game_law *out, const gr_game_law *in, double sigma, gr_error *err);

/* ---- evaluation -------------------------------------------------------------------- */

typedef struct {
    double epsabs; /* absolute tolerance per expectation (split over components and pieces) */
    double epsrel; /* relative tolerance per piece */
    size_t limit;  /* GSL subintervals per piece (the workspace size) */
} gr_game_options;

/* Defaults: epsabs 1e-13, epsrel 1e-12, limit 500 — the one place they are set. */
void gr_game_options_default(gr_game_options *opt);

/* The GSL integration workspace and the options, sized once. opt NULL = defaults.
 * Errors: GR_EINVAL (out NULL; epsabs, epsrel not finite or < 0, both 0; limit < 1),
 * GR_ENOMEM; *out = NULL on failure. */
typedef struct gr_game_workspace gr_game_workspace;
int gr_game_workspace_alloc(gr_game_workspace **out, const gr_game_options *opt, gr_error *err);
void gr_game_workspace_free(gr_game_workspace *ws); /* NULL is a no-op */

typedef struct {
    double val; /* the value */
    double err; /* absolute error estimate (0 for the exact atomic sums) */
} gr_game_value;

typedef struct {
    double theta, sigma; /* the arguments */
    int atomic;          /* 1: the atomic case (exact sums), 0: quadrature */
    gr_game_value criterion, js, kl_gr, kl_rg;
    gr_game_value mm_loss, mm_grad, ns_loss, ns_grad;
    size_t neval; /* integrand evaluations (0 in the atomic case) */
} gr_game_eval;

/* Evaluate the game at theta with noise sigma (>= 0) on both inputs, as in the file comment,
 * into *res. ws NULL: a workspace with default options is allocated for this call.
 * Errors: GR_EINVAL (NULL real/gen0/res, an invalid law, atoms mixed with densities at
 * sigma = 0), GR_EDOM (theta or sigma not finite, sigma < 0), GR_ENOTCONV (a quadrature
 * piece missed its tolerance: res holds the best estimates, with their error estimates),
 * GR_EDOM also when the log-densities overflow (laws ~1e154 apart), GR_ENOMEM. */
int gr_game_loc_eval(const gr_game_law *real, const gr_game_law *gen0, double theta, double sigma,
                     gr_game_workspace *ws, gr_game_eval *res, gr_error *err);

/* The optimal discriminator itself at n caller points x[i]: logit[i] = l(x_i) =
 * log p_r(x_i) - log p_g(x_i) (D* = sigmoid(logit), computed by log-sum-exp) and, when
 * dlogit is not NULL, dlogit[i] = l'(x_i), for the same smoothed laws as gr_game_loc_eval
 * (for equal-variance normals l is affine, O7: l(x) = (m_r - m_g)(2x - m_r - m_g)/(2 s^2)).
 * For comparing a trained D with D* (C01, C16) or drawing D*'s surface. Atomic case: at a
 * real-only atom logit = +inf, at a fake-only atom -inf, at a shared atom log(r/g), and
 * dlogit = 0 (the locally constant extension); D* is undefined off the atoms (GR_EDOM).
 * Errors: GR_EINVAL (NULL real/gen0, NULL x or logit with n > 0, invalid or mixed laws),
 * GR_EDOM (theta, sigma or some x_i not finite, sigma < 0, an x_i off the atoms, a
 * log-density overflow); the message names the index. */
int gr_game_loc_logit(const gr_game_law *real, const gr_game_law *gen0, double theta, double sigma,
                      size_t n, const double *x, double *logit, double *dlogit, gr_error *err);

/* ---- dynamics (C18) ---------------------------------------------------------------- */

typedef enum {
    GR_GAME_LOSS_MM = 0, /* minimax: descend mm_grad */
    GR_GAME_LOSS_NS = 1  /* non-saturating: descend ns_grad */
} gr_game_loss;

/* Deterministic gradient descent of theta against the exactly optimal D, re-solved at every
 * step: theta[0] = theta0 and, for t < nsteps,
 *     theta[t+1] = theta[t] - eta * grad(theta[t]; sigma_t),
 * grad being mm_grad or ns_grad of gr_game_loc_eval at noise sigma_t = sigma[t] (sigma
 * NULL: 0 at every step; the caller owns the schedule, e.g. sigma_t = s0 (1 - t/T)).
 * theta has nsteps + 1 entries; *done (may be NULL) receives the number of steps completed,
 * theta[0..*done] being valid. Stability note (measured, tests/gan/test_games.c): near the
 * optimum of the noisy Dirac game the curvature of both losses is 1/(2 sigma^2), so a fixed
 * eta needs sigma_t > sqrt(eta)/2 for the last steps to contract; annealing to 0 at a fixed
 * eta throws theta out again. Resolution: l = log p_r - log p_g is a difference of O(1)
 * numbers, so the gradient carries ~1e-16/sigma^2 of rounding and theta settles at ~1e-20,
 * not 0 (measured: 3e-20 after the C18 runs of the test).
 * Errors: GR_EINVAL (NULL real/gen0/theta, bad loss, invalid law), GR_EDOM (theta0 or
 * eta not finite, eta < 0, a schedule entry not finite or < 0), GR_EINF (the loss is +inf
 * at some step: the NS loss at disjoint atoms), GR_EDIVERGED (a gradient or theta became
 * non-finite, or theta left the range where the log-densities are finite in double), and
 * the other statuses of gr_game_loc_eval; the message names the step. */
int gr_game_loc_descend(const gr_game_law *real, const gr_game_law *gen0, gr_game_loss loss,
                        double theta0, double eta, size_t nsteps, const double *sigma,
                        double *theta, size_t *done, gr_game_workspace *ws, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
