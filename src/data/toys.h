/* data/toys.h — the three 2-D toy sets of gan_toy.py (CLAIMS C37), as gr_sampler's, in the
 * scaled units the reference trains on (everything below is already divided by 1.414, 2.828
 * or 7.5).
 *
 * 8 Gaussians ("8gaussians"). Centres 2 (±1, 0), 2 (0, ±1), 2 (±1/√2, ±1/√2) in the order of
 * gan_toy.py — (1,0), (-1,0), (0,1), (0,-1), (s,s), (s,-s), (-s,s), (-s,-s), s = 1/√2 — noise
 * N(0, 0.02² I), all divided by 1.414: centres at radius 2/1.414 = 1.41443, SD 0.02/1.414,
 * weights 1/8. Fresh draws every call. Draw order per point: one gsl_rng_uniform (the
 * centre, prob/mixture.h), then two gsl_ran_gaussian_ziggurat (x, y). The scaled mixture is
 * sampled directly (centre/1.414 + (0.02/1.414) z), equal in law to the reference's
 * (centre + 0.02 z)/1.414 and different from it by rounding only. Log-density: that mixture,
 * exactly (prob/mixture.h; the density view carries its mixture structure).
 *
 * 25 Gaussians ("25gaussians"). A fixed pool of GR_DATA_GAUSS25_POOL = 100 000 points built
 * once at allocation from the stream (seed, GR_STREAM_POOL), as gan_toy.py builds it: for
 * i < 4000, for x in -2..2, for y in -2..2 (that order), two gsl_ran_gaussian_ziggurat z0, z1
 * give the point (2x + 0.05 z0, 2y + 0.05 z1); then the whole pool is shuffled once with
 * gsl_ran_shuffle on the same stream (Fisher-Yates from the last row down, one
 * gsl_rng_uniform_int per row), then divided by 2.828. Sampling reads the pool in that order
 * through a cursor and does NOT touch the rng passed to gr_sampler_sample: a call for n
 * points returns rows cursor .. cursor+n-1 and advances the cursor; when fewer than n rows
 * remain, the cursor first returns to 0, so a batch never straddles the end (exactly
 * gan_toy.py's generator, which with batches of 256 reads 390 batches and drops the last
 * 160 rows every epoch). n > 100 000 is GR_EINVAL. The cursor is the sampler state
 * (gr_sampler_state_*: 16 bytes, the cursor and the pool seed, both uint64 little-endian; a
 * state saved from a pool of another seed is refused with GR_EMISMATCH, a cursor outside
 * the pool with GR_EFORMAT). Modes: the 25 centres (2x, 2y)/2.828 in the x-outer, y-inner
 * order above, SD 0.05/2.828, weights 1/25. Log-density: the pool's GENERATING mixture
 * (prob/mixture.h), exactly; the pool itself is a finite sample of it (an empirical
 * distribution with no density), so a divergence against this density is one against the
 * law the pool was drawn from.
 *
 * Swiss roll ("swissroll"). sklearn's make_swiss_roll(noise=0.25), columns [0, 2], / 7.5:
 * t = 1.5π (1 + 2U) in [1.5π, 4.5π], point (t cos t, t sin t) + N(0, 0.25² I), all / 7.5.
 * Fresh draws every call. Draw order per point: one gsl_rng_uniform U, then two
 * gsl_ran_gaussian_ziggurat z0, z1: x = ((t cos t + 0.25 z0)/7.5, (t sin t + 0.25 z1)/7.5)
 * (sklearn's unused middle column draws nothing here). No modes. Log-density: the
 * curve-plus-noise density
 *     p(x) = 7.5² / (3π) ∫_{1.5π}^{4.5π} N(7.5 x; c(t), 0.25² I) dt,   c(t) = (t cos t, t sin t),
 * by GSL adaptive quadrature over t (QAG, Gauss-Kronrod 31) on pieces split at the local
 * minima of |7.5 x - c(t)| (found by Newton from the angle of x on every turn of the
 * spiral) and at ± 10 noise widths around them, the integrand scaled by its largest
 * candidate value so the log never underflows (far from the roll too). Requested accuracy
 * per piece: relative GR_DATA_SWISSROLL_EPSREL, absolute 1e-15 of that scaled integrand;
 * tests/data measure the result against a brute-force sum over t (100 000 panels of 5-point
 * Gauss-Legendre): worst relative error of the density 1.1e-13 over 32 points (on the roll,
 * between the arms, at both ends, the centre, far outside), and the density integrates to
 * 1 within 6e-11 (polar quadrature, GSL's estimate). About 41 us an evaluation (Release,
 * this machine). The density callback uses a GSL integration
 * workspace held by the sampler: it is NOT thread-safe (one quadrature at a time per
 * sampler), and returns GR_ENOTCONV if a piece misses its tolerance.
 *
 * Boxes (gr_sampler_box and the density views): the mixtures' boxes are those of
 * prob/mixture.h (12 SDs around the extreme centres); the Swiss roll's is the square
 * [-(4.5π + 12 · 0.25)/7.5, +(4.5π + 12 · 0.25)/7.5]² around the whole roll.
 */
#ifndef GR_DATA_TOYS_H
#define GR_DATA_TOYS_H

#include <stdint.h>

#include "core/error.h"
#include "data/sampler.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_DATA_GAUSS8_SCALE     1.414 /* gan_toy.py's divisor */
#define GR_DATA_GAUSS8_RADIUS    2.0   /* before scaling */
#define GR_DATA_GAUSS8_SD        0.02  /* before scaling */
#define GR_DATA_GAUSS25_SCALE    2.828
#define GR_DATA_GAUSS25_SPACING  2.0 /* before scaling */
#define GR_DATA_GAUSS25_SD       0.05
#define GR_DATA_GAUSS25_PER_MODE 4000
#define GR_DATA_GAUSS25_POOL     100000
#define GR_DATA_SWISSROLL_SCALE  7.5
#define GR_DATA_SWISSROLL_NOISE  0.25
#define GR_DATA_SWISSROLL_EPSREL 1e-11

/* 8 Gaussians. Errors: GR_EINVAL (NULL out), GR_ENOMEM. */
int gr_data_gauss8_alloc(gr_sampler **out, gr_error *err);

/* 25 Gaussians: builds the pool from (seed, GR_STREAM_POOL). Errors: GR_EINVAL (NULL out),
 * GR_ENOMEM. */
int gr_data_gauss25_alloc(gr_sampler **out, uint64_t seed, gr_error *err);

/* The pool of a 25-Gaussian sampler (GR_DATA_GAUSS25_POOL x 2, scaled, in reading order) and
 * its cursor (the next row a draw returns), or NULL / GR_EINVAL for another sampler. */
const double *gr_data_gauss25_pool(const gr_sampler *s);
int gr_data_gauss25_cursor(const gr_sampler *s, size_t *cursor, gr_error *err);

/* Swiss roll. Errors: GR_EINVAL (NULL out), GR_ENOMEM. */
int gr_data_swissroll_alloc(gr_sampler **out, gr_error *err);

/* The same draws as gr_sampler_sample on a Swiss roll (same rng use, same points into x,
 * n x 2), plus the latent t of each point (n values, unscaled, in [1.5π, 4.5π)) into t, so
 * the curve before noise, c(t)/7.5, can be checked. GR_EINVAL for another sampler, NULL
 * arguments or n == 0. */
int gr_data_swissroll_sample_t(gr_sampler *s, gsl_rng *rng, size_t n, double *x, double *t,
                               gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
