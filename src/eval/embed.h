/* eval/embed.h — evaluation of data embedded in R^D (CLAIMS C46): W1 and mode counts on the
 * projection onto the data's k-dimensional plane, and the off-manifold residual.
 *
 * The real data are x = A u + b with A (D x k) orthonormal columns and u from a k-D toy set.
 * For a point x of R^D:
 *   projection  u = A^T (x - b)                       (k coordinates)
 *   residual    r = |(I - A A^T)(x - b)| = |x - b - A u|   (computed as that difference, not
 *               as sqrt(|x - b|^2 - |u|^2), which cancels)
 * Real points have r = 0 up to rounding, and both maps are 1-Lipschitz, so (C46):
 *   mean_g r  <=  W1(P_g, P_r)  (f = r is 1-Lipschitz and vanishes on the real data), and
 *   W1 on the projections <= W1(P_g, P_r), equal to it when P_g lies on the plane (isometry).
 * The same holds for the empirical measures, so the suite reports both for a generator.
 *
 * Mode counts use the sampler's modes: taken as given when they are k-dimensional (the
 * toy's own units), projected A^T(mu - b) when they are D-dimensional (centres of the
 * embedded mixture; the SDs are isometry-invariant).
 *
 * A workspace holds copies of A and b, the projections of n_max generated and n_max real
 * points, the D-dimensional real draw and a k-dimensional eval/w1 workspace (so W1 and its
 * floor are solved in k dimensions); an evaluation allocates nothing (k < 16, see w1.h).
 */
#ifndef GR_EVAL_EMBED_H
#define GR_EVAL_EMBED_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "core/error.h"
#include "data/sampler.h"
#include "eval/modes.h"
#include "eval/w1.h"

#ifdef __cplusplus
extern "C" {
#endif

/* |A^T A - I|_max accepted by gr_eval_embed_alloc when its tolerance argument is 0. A QR
 * factor in double is orthonormal to ~D eps; 1e-10 refuses any matrix that is not one. */
#define GR_EVAL_EMBED_ORTHO_TOL 1e-10

typedef struct gr_eval_embed gr_eval_embed;

/* A workspace for the plane {A u + b}: A is D x k row-major with orthonormal columns
 * (|A^T A - I|_max <= ortho_tol; 0 = GR_EVAL_EMBED_ORTHO_TOL), b has D values (NULL: 0);
 * both copied. n_max bounds the samples per evaluation. Errors (*out = NULL): GR_EINVAL
 * (NULL out/A, k = 0, k > D, n_max = 0, negative or non-finite ortho_tol), GR_EDOM
 * (non-finite entry, columns not orthonormal within the tolerance: the message gives the
 * deviation), GR_ENOMEM. */
int gr_eval_embed_alloc(gr_eval_embed **out, const double *A, const double *b, size_t D, size_t k,
                        size_t n_max, double ortho_tol, gr_error *err);
void gr_eval_embed_free(gr_eval_embed *e); /* NULL is a no-op */

/* Projections u (n x k; may be NULL when k <= 64) and residuals r (n, may be NULL) of n
 * points x (n x D); *mean_r (may be NULL) gets the mean residual. Any n (no workspace memory
 * used). Errors: GR_EINVAL (NULL e or x, n = 0, u NULL with k > 64), GR_EDOM (non-finite
 * coordinate). */
int gr_eval_embed_project(const gr_eval_embed *e, const double *x, size_t n, double *u, double *r,
                          double *mean_r, gr_error *err);

typedef struct gr_eval_embed_result {
    size_t n, D, k;
    double resid_mean;          /* mean off-manifold residual of the generated points */
    double resid_max;           /* their largest residual */
    double real_resid_max;      /* largest residual of the real points drawn (0 to rounding) */
    gr_eval_w1_result w1;       /* W1 and noise floor on the projections (k-D) */
    int has_modes;              /* 1 when the sampler has modes and mode metrics were made */
    gr_eval_modes_result modes; /* on the generated projections */
} gr_eval_embed_result;

/* One evaluation of n generated points x (n x D) against `real` (a D-dimensional sampler of
 * the embedded data): draws 2n real points (the order of gr_eval_w1_run), projects both
 * samples, solves W1 and the floor on the projections (s NULL: gr_eval_w1_settings_default),
 * and, when gr_sampler_modes(real) is not NULL, the mode metric (HQ radius hq_sds) of the
 * generated projections into hq_counts (K values; may be NULL only when the sampler has no
 * modes). Returns GR_OK when everything is certified; else the first failing status (res
 * holds whatever was computed). Errors: GR_EINVAL (NULL arguments, n = 0 or > n_max,
 * sampler dimension != D, modes of a dimension neither k nor D or more than the workspace was
 * sized for: K <= GR_EVAL_EMBED_MAX_MODES), the sampler's, eval/w1's and eval/modes' statuses. */
#define GR_EVAL_EMBED_MAX_MODES 256
int gr_eval_embed_run(gr_eval_embed *e, const double *x, size_t n, gr_sampler *real, gsl_rng *rng,
                      const gr_ot_settings *s, double hq_sds, size_t *hq_counts,
                      gr_eval_embed_result *res, gr_error *err);

/* The k-dimensional projections the last gr_eval_embed_run solved W1 and the floor on (n x k
 * each, row-major; valid until the next run on e): *gen the generated points', *real the
 * compared real sample's (res->w1.w1 = W1(*gen, *real)), *real2 the floor's second sample's
 * (res->w1.floor = W1(*real, *real2)). Any pointer argument may be NULL. For a caller that
 * stores the exact point sets (an independent LP solver can then recompute both values);
 * the contents are unspecified before the first run. */
void gr_eval_embed_last_points(const gr_eval_embed *e, const double **gen, const double **real,
                               const double **real2);

#ifdef __cplusplus
}
#endif

#endif
