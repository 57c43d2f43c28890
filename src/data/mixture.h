/* data/mixture.h — a Gaussian mixture with one isotropic SD per component, in any dimension,
 * as a gr_sampler (the 8-Gaussian ring, 1-D Gaussians and mixtures, the collapsed
 * "generators" of data/fixedgen.h), built on prob/mixture.h.
 *
 * Draw order per point (prob/mixture.h): one gsl_rng_uniform (the component), then d
 * gsl_ran_gaussian_ziggurat; a stream gives the same points in any batching. Modes: the
 * components (centres, SDs, normalised weights). Log-density: the mixture, exactly, with its
 * mixture structure in the density view (for distance/divergence.h's Gauss-Hermite rule).
 * Box: prob/mixture.h's (12 SDs around the extreme centres). Stateless, thread-safe.
 */
#ifndef GR_DATA_MIXTURE_H
#define GR_DATA_MIXTURE_H

#include "core/error.h"
#include "data/sampler.h"
#include "prob/mixture.h"

#ifdef __cplusplus
extern "C" {
#endif

/* k components in dimension d: weights w (k, >= 0, not all 0; normalised), centres mu
 * (k x d), SDs sd (k, > 0, one per component). name is copied (e.g. "mixture").
 * Errors: GR_EINVAL (NULL, d == 0, k == 0), GR_EDOM (as gr_mixture_alloc), GR_ENOMEM. */
int gr_data_mixture_alloc(gr_sampler **out, const char *name, size_t d, size_t k, const double *w,
                          const double *mu, const double *sd, gr_error *err);

/* The prob/ mixture behind a sampler made by gr_data_mixture_alloc (valid while s lives),
 * or NULL for any other sampler. */
const gr_mixture *gr_data_mixture_get(const gr_sampler *s);

#ifdef __cplusplus
}
#endif

#endif
