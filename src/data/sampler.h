/* data/sampler.h — the one view of a data distribution that training, evaluation and the
 * harness use: draw n points, and, where the distribution has them, its modes (centres and
 * per-mode SDs, for mode counting), its log-density (for exact JS/KL through distance/) and
 * the box that holds its mass (for value surfaces).
 *
 * A gr_sampler is an object with a table of operations. Every data set of data/ (the toy
 * manifolds, the 1-D families, the parallel lines, embedded manifolds, fixed "generators",
 * MNIST) is built by its own gr_data_*_alloc and used only through these functions, so the
 * trainer, the evaluation and the harness never know which one they hold.
 *
 * Randomness. Every draw comes from the gsl_rng the caller passes (one stream per consumer,
 * core/rng.h), in an order each implementation documents, so the same stream state gives
 * the same points. A sampler that keeps a position between calls (the 25-Gaussian pool read
 * in epoch order, MNIST's minibatch order) exposes it through the state functions below, so
 * a checkpoint restores it and a resumed run draws the same batches.
 *
 * Thread safety: a sampler with state (a cursor) is not thread-safe; stateless ones are.
 */
#ifndef GR_DATA_SAMPLER_H
#define GR_DATA_SAMPLER_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "core/error.h"
#include "prob/density.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Modes of a mixture-like distribution, in the units of the points the sampler returns
 * (the scaled units: 8 Gaussians' centres at radius 2/1.414, SD 0.02/1.414). Used by
 * eval/'s mode metrics (CLAIMS C45). Read-only; owned by the sampler. */
typedef struct gr_modes {
    size_t k, d;      /* number of modes, dimension */
    const double *mu; /* k x d centres, row-major */
    const double *sd; /* k per-mode SDs (isotropic) */
    const double *w;  /* k weights, summing to 1 */
} gr_modes;

typedef struct gr_sampler gr_sampler;

/* The operations an implementation fills. `sample` is required; the others may be NULL
 * (the public functions then return GR_EINVAL with a message "NAME has no ..."). */
typedef struct gr_sampler_ops {
    /* n points into x (n x d row-major, double). */
    int (*sample)(void *impl, gsl_rng *rng, size_t n, double *x, gr_error *err);
    /* modes (NULL op: none) */
    const gr_modes *(*modes)(const void *impl);
    /* density view (NULL op: no density). */
    int (*density)(const void *impl, gr_density *out, gr_error *err);
    /* state of a stateful sampler: size in bytes (0 for stateless), save, load */
    size_t (*state_size)(const void *impl);
    int (*state_save)(const void *impl, void *buf, size_t size, gr_error *err);
    int (*state_load)(void *impl, const void *buf, size_t size, gr_error *err);
    void (*free)(void *impl);
} gr_sampler_ops;

/* For implementations (the data/ sources): wrap impl (owned from then on: freed with the sampler,
 * also when this call fails) with its ops, dimension d >= 1, a name (copied, e.g. "8gaussians"),
 * and a box [lo, hi] per coordinate (d values each, copied; NULL for none). */
int gr_sampler_wrap(gr_sampler **out, void *impl, const gr_sampler_ops *ops, size_t d,
                    const char *name, const double *box_lo, const double *box_hi, gr_error *err);

void gr_sampler_free(gr_sampler *s); /* NULL is a no-op */

/* For implementations: the impl pointer of s when s was wrapped with an ops table whose
 * sample and free operations are those of *ops (i.e. s is of that implementation's type),
 * NULL otherwise (also for NULL arguments). Lets a data/ source offer accessors beyond this
 * interface (an embedding's matrix, the Swiss roll's latent t) that refuse foreign samplers. */
void *gr_sampler_impl(const gr_sampler *s, const gr_sampler_ops *ops);

size_t gr_sampler_dim(const gr_sampler *s);
const char *gr_sampler_name(const gr_sampler *s);

/* n points, double (n x d). GR_EINVAL on NULL or n == 0; otherwise the implementation's
 * status. */
int gr_sampler_sample(gr_sampler *s, gsl_rng *rng, size_t n, double *x, gr_error *err);

/* The same n points rounded to float (the networks' precision), through a caller-given
 * double scratch of n x d values (no allocation: training steps must not allocate). */
int gr_sampler_sample_f(gr_sampler *s, gsl_rng *rng, size_t n, float *x, double *scratch,
                        gr_error *err);

/* Modes, or NULL when the distribution has none. */
const gr_modes *gr_sampler_modes(const gr_sampler *s);

/* Density view (valid while s lives). GR_EINVAL with "NAME has no density" if none. */
int gr_sampler_density(const gr_sampler *s, gr_density *out, gr_error *err);

/* Box holding the mass (for value surfaces): d values each into lo, hi. GR_EINVAL if the
 * sampler has none. */
int gr_sampler_box(const gr_sampler *s, double *lo, double *hi, gr_error *err);

/* Cursor state (0 bytes for a stateless sampler; save/load then accept size 0). */
size_t gr_sampler_state_size(const gr_sampler *s);
int gr_sampler_state_save(const gr_sampler *s, void *buf, size_t size, gr_error *err);
int gr_sampler_state_load(gr_sampler *s, const void *buf, size_t size, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
