/* data/lines.h — WGAN Example 1's parallel lines as a sampler (CLAIMS C19-C21, O9/O10):
 * P_theta = law of (theta, U), U ~ U[0, 1], optionally smoothed by N(0, sigma^2 I_2).
 * P_0 (theta = 0) is the real distribution of the example, P_theta the generator's.
 *
 * Built on prob/lines.h. Draw order per point (gr_lines_sample): one gsl_rng_uniform y, then,
 * when sigma > 0, two gsl_ran_gaussian_ziggurat z1, z2: (theta + sigma z1, y + sigma z2);
 * clean draws are exactly (theta, y). Density: the clean line has NONE (it is singular in
 * R^2; gr_sampler_density returns GR_EINVAL); the smoothed one is prob/segment.h's smoothed
 * segment from (theta, 0) to (theta, 1). Box: the clean line's is its support
 * {theta} x [0, 1] (degenerate in x); the smoothed one's is the segment's (12 sigma around).
 * No modes. Stateless, thread-safe. The closed-form divergences between two members are in
 * prob/lines.h (gr_lines_closed_eval / _smoothed).
 */
#ifndef GR_DATA_LINES_H
#define GR_DATA_LINES_H

#include "core/error.h"
#include "data/sampler.h"

#ifdef __cplusplus
extern "C" {
#endif

/* P_theta smoothed by sigma >= 0 ("lines"). Errors: GR_EINVAL (NULL out), GR_EDOM (theta not
 * finite, sigma not finite and >= 0), GR_ENOMEM. */
int gr_data_lines_alloc(gr_sampler **out, double theta, double sigma, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
