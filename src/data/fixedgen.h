/* data/fixedgen.h — fixed "generators" for the fixed-G protocols: samplers built from a data
 * sampler that play the generator's part without training (CLAIMS C31-C34 and gan_toy.py's
 * FIXED_GENERATOR: real + N(0, I); C45's mode-drop oracles: a generator on m of K modes).
 *
 *   noisy    x = y + sigma z, y from the inner sampler, z ~ N(0, I_d)   ("noisy:<inner>")
 *   shift    x = y + v, v a fixed vector                                ("shift:<inner>")
 *   rotate   x = R(angle) y, the 2-D rotation about the origin          ("rotate:<inner>")
 *   collapsed  the Gaussian mixture on m chosen modes of a modes table, with their centres
 *            and SDs (data/mixture.h)                                   ("collapsed")
 *
 * Ownership: noisy, shift and rotate TAKE the inner sampler (freed with theirs, also when
 * their allocation fails), as data/embed.h does: a stateful inner (the 25-Gaussian pool's
 * cursor) must not be advanced by two consumers, so a protocol that needs the real data and
 * a fixed generator made from it allocates the real sampler twice. Their state is the
 * inner's (gr_sampler_state_* forward to it). collapsed copies what it needs from the modes
 * table and keeps nothing.
 *
 * Draw order of a call for n points: noisy, the n inner points in one gr_sampler_sample call
 * (the inner's own order; a pool reads a whole batch with its epoch rule, as alone), then
 * n x d gsl_ran_gaussian_ziggurat, row-major (so the points depend on the batching); shift
 * and rotate draw the n inner points the same way and transform them (no randomness of
 * their own); collapsed, as data/mixture.h (one uniform, then d normals per point).
 *
 * Modes (when the inner has modes): noisy, the same centres with SD sqrt(sd^2 + sigma^2);
 * shift, centres + v; rotate, R centres; same SDs and weights otherwise. collapsed: the m
 * chosen modes, weights those of the table renormalised over them (1/m for the toys).
 * Density (exact, when it exists): noisy, only when the inner density is a Gaussian mixture
 * (its view carries mixture structure): the mixture with every SD replaced by
 * sqrt(sd^2 + sigma^2) (otherwise none: the convolution is not computed); for the
 * 25-Gaussian pool that is the smoothed generating mixture, not the smoothed pool. shift and
 * rotate: the inner's log-density at the pre-image (x - v, R^T x), with mixture structure
 * when the inner has it (rotate: only for isotropic components); none when the inner has
 * none. Box: noisy, the inner's widened by 12 sigma; shift, moved by v; rotate, the bounding
 * box of the rotated inner box. Not thread-safe (shift/rotate densities without mixture
 * structure evaluate through a scratch row of the sampler).
 */
#ifndef GR_DATA_FIXEDGEN_H
#define GR_DATA_FIXEDGEN_H

#include "core/error.h"
#include "data/sampler.h"

#ifdef __cplusplus
extern "C" {
#endif

/* inner + N(0, sigma^2 I), sigma >= 0 (gan_toy.py's fixed generator: sigma = 1).
 * Errors: GR_EINVAL (NULL), GR_EDOM (sigma not finite and >= 0), GR_ENOMEM. */
int gr_data_noisy_alloc(gr_sampler **out, gr_sampler *inner, double sigma, gr_error *err);

/* inner + v (d = inner's dimension values, copied). Errors: GR_EINVAL (NULL), GR_EDOM
 * (non-finite v), GR_ENOMEM. */
int gr_data_shift_alloc(gr_sampler **out, gr_sampler *inner, const double *v, gr_error *err);

/* R(angle) inner, angle in radians, counter-clockwise; 2-D inner only. Errors: GR_EINVAL
 * (NULL), GR_EMISMATCH (inner not 2-D), GR_EDOM (non-finite angle), GR_ENOMEM. */
int gr_data_rotate_alloc(gr_sampler **out, gr_sampler *inner, double angle, gr_error *err);

/* The mixture on modes idx[0..m-1] of the table (distinct indices < modes->k).
 * Errors: GR_EINVAL (NULL, m == 0, an index out of range or repeated), GR_EDOM (the chosen
 * weights sum to 0), GR_ENOMEM. */
int gr_data_collapsed_alloc(gr_sampler **out, const gr_modes *modes, size_t m, const size_t *idx,
                            gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
