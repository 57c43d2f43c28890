/* eval/w1.h — exact W1 during training: generated samples against fresh real samples, and
 * the noise floor of that comparison (CLAIMS O12).
 *
 * Every value is the certified optimum of the transport LP between two uniform empirical
 * measures of n points each (distance/ot.h, network simplex, Euclidean ground cost):
 *   w1     W1(P_g^n, P_r^n): the caller's n generated points against n real points drawn
 *          fresh from a gr_sampler;
 *   floor  W1(P_r^n, P_r'^n): two independent real n-samples. It is what a generator that
 *          samples P_r exactly would score at this n (E w1 = E floor for such a generator),
 *          so a training curve shows w1 against floor, never w1 alone.
 * Each solve comes with its status and certificate (gr_eval_w1_solve); GR_OK only for a
 * certified optimum.
 *
 * Draw order (reproducibility): gr_eval_w1_run draws, from the caller's rng, first the n real
 * points compared with the generated ones, then the n real points of the second sample of
 * the floor (the floor compares those two real samples); gr_eval_w1_to_data draws the first
 * only, gr_eval_w1_floor draws two samples in that order. The same rng state gives the same
 * points and, the solver being deterministic, bit for bit the same values.
 *
 * Memory: a workspace holds the OT workspace for n_max x n_max and 2 n_max d doubles for the
 * real samples. gr_eval_w1_alloc runs one 1 x 1 solve in dimension d so that distance/ot's
 * lazily allocated 2 d-double buffer exists before the first evaluation: afterwards an
 * evaluation allocates nothing in eval/ or distance/, provided d < settings.cache_min_dim
 * (default 16: every toy; at d >= 16 the first solve allocates ot.h's cost cache of
 * 8 n_max^2 bytes and later ones reuse it) and the settings' warm start is off (the
 * default here, gr_eval_w1_settings_default: the warm start serves very unequal sizes, and
 * here n = m). What the sampler's own draw does is the sampler's contract (data/sampler.h).
 *
 * Cost (bench/eval_w1/eval_w1_bench, Release, one core of a shared 2-core machine, process
 * CPU time, median of 32 evaluations on fresh draws; C37's 8 Gaussians in 2-D): one
 * gr_eval_w1_run (both solves) costs
 *       n =  500:  12 ms (generator = the data)   14 ms (generator on 7 of the 8 modes)
 *       n = 1000:  45 ms                          59 ms
 *       n = 2000: 193 ms                         254 ms
 * (pivots ~ 30 n to 40 n per run; time ~ n^2). gr_eval_w1_to_data is about half of that; the
 * floor at a given n is a property of the data, so a curve can compute it once per n.
 */
#ifndef GR_EVAL_W1_H
#define GR_EVAL_W1_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "core/error.h"
#include "data/sampler.h"
#include "distance/ot.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One certified solve, copied out of distance/ot's result (no pointers into workspaces). */
typedef struct gr_eval_w1_solve {
    int status;               /* GR_OK: certified optimum; else gr_ot_solve's status */
    double value;             /* W1 (NaN when the simplex did not run) */
    double duality_gap;       /* certificate, as gr_ot_result */
    double marginal_residual; /* relative to the total mass */
    double max_violation;     /* dual feasibility, cost units */
    double cost_scale;        /* the largest cost C the tolerances are relative to */
    size_t iterations;        /* simplex pivots */
} gr_eval_w1_solve;

typedef struct gr_eval_w1_result {
    size_t n, d;            /* points per sample, dimension */
    gr_eval_w1_solve w1;    /* generated vs real (meaningful when has_w1) */
    gr_eval_w1_solve floor; /* real vs independent real (meaningful when has_floor) */
    int has_w1, has_floor;  /* which of the two the call computed */
} gr_eval_w1_result;

typedef struct gr_eval_w1 gr_eval_w1;

/* gr_ot_settings_default() with the warm start off (warm_max_m = 0): for n = m it would only
 * be taken at n <= 16, where the cold start is as fast, and it allocates. Cannot fail. */
gr_ot_settings gr_eval_w1_settings_default(void);

/* A workspace for samples of n <= n_max points in dimension d, into *out. Errors (then
 * *out = NULL): GR_EINVAL (out NULL, n_max or d 0, n_max above distance/ot's limit),
 * GR_ENOMEM (also for sizes whose memory overflows size_t). */
int gr_eval_w1_alloc(gr_eval_w1 **out, size_t n_max, size_t d, gr_error *err);
void gr_eval_w1_free(gr_eval_w1 *w); /* NULL is a no-op */

size_t gr_eval_w1_n_max(const gr_eval_w1 *w);
size_t gr_eval_w1_dim(const gr_eval_w1 *w);

/* W1 between n generated points x (n x d row-major, double) and n points drawn from `real`,
 * and the noise floor from a further n real points: res->w1, res->floor, both solves run
 * even if the first fails (res has both records). `s` NULL: gr_eval_w1_settings_default().
 * Returns GR_OK when both are certified; otherwise the first failing status with a message
 * naming which solve failed. Errors: GR_EINVAL (NULL w/x/real/rng/res, n = 0 or > n_max,
 * sampler dimension != d), the sampler's status (nothing solved then), gr_ot_solve's
 * statuses (GR_EDOM for a non-finite generated coordinate, GR_EMAXITER, GR_ENOTCONV). */
int gr_eval_w1_run(gr_eval_w1 *w, const double *x, size_t n, gr_sampler *real, gsl_rng *rng,
                   const gr_ot_settings *s, gr_eval_w1_result *res, gr_error *err);

/* The same for generated points in float (the networks' precision), widened to double in
 * the workspace (exactly: every float is a double). */
int gr_eval_w1_run_f(gr_eval_w1 *w, const float *x, size_t n, gr_sampler *real, gsl_rng *rng,
                     const gr_ot_settings *s, gr_eval_w1_result *res, gr_error *err);

/* Only W1 to n fresh real points (res->has_floor = 0), e.g. when the floor at this n is
 * known from an earlier call. Same errors as gr_eval_w1_run. */
int gr_eval_w1_to_data(gr_eval_w1 *w, const double *x, size_t n, gr_sampler *real, gsl_rng *rng,
                       const gr_ot_settings *s, gr_eval_w1_result *res, gr_error *err);

/* Only the noise floor at n (res->has_w1 = 0): two independent real n-samples. */
int gr_eval_w1_floor(gr_eval_w1 *w, size_t n, gr_sampler *real, gsl_rng *rng,
                     const gr_ot_settings *s, gr_eval_w1_result *res, gr_error *err);

/* The real points the last gr_eval_w1_run / _run_f / _to_data / _floor call drew (n x d,
 * row-major; valid until the next call on w): which = 0 the sample compared with the
 * generated points (res->w1 = W1(x, it)) and the floor's first sample, which = 1 the floor's
 * second sample (res->floor = W1(sample 0, sample 1); drawn only when the call computed the
 * floor). For a caller that stores the exact point sets a value was computed on (the train
 * protocol's final evaluation, so an independent LP solver can recompute it). NULL for a NULL
 * w or another which; the contents are unspecified before the first call. */
const double *gr_eval_w1_last_real(const gr_eval_w1 *w, int which);

/* W1 between two given point sets of n points each (x and y, n x d): the solve behind the
 * calls above, for callers holding both samples (eval/embed.h, on projections). Fills *out;
 * same errors as gr_ot_solve plus GR_EINVAL for n > n_max or NULL arguments. */
int gr_eval_w1_points(gr_eval_w1 *w, const double *x, const double *y, size_t n,
                      const gr_ot_settings *s, gr_eval_w1_solve *out, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
