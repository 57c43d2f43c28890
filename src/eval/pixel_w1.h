/* eval/pixel_w1.h — exact W1 between image sets in pixel space (issue 13 item 6): n
 * generated images against n held-out real ones (MNIST: n = 1000, d = 784), uniform
 * weights, Euclidean ground cost, by distance/ot.h's certified network simplex, with its
 * noise floor: the same W1 between two disjoint sets of real images of the same size, the
 * value a perfect generator would get at this n (a generator is distinguishable from the
 * data at this n only as far as it is above the floor).
 *
 * Thin: the images (float) are widened to double into buffers sized once, and solved in
 * one reused gr_ot_workspace (its cost cache, 8 n m bytes, is kept between calls). Each
 * result carries the solver's status and certificate; a value is reported only for a
 * certified optimum (status GR_OK).
 */
#ifndef GR_EVAL_PIXEL_W1_H
#define GR_EVAL_PIXEL_W1_H

#include <stddef.h>

#include "core/error.h"
#include "distance/ot.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One exact W1 and its certificate (the scalar fields of gr_ot_result). */
typedef struct gr_pixel_w1_value {
    int status;               /* GR_OK: certified optimum; else gr_ot_solve's error */
    double value;             /* W1 (NaN unless status == GR_OK) */
    size_t n, m;              /* set sizes */
    size_t iterations;        /* simplex pivots */
    double duality_gap;       /* primal - dual */
    double marginal_residual; /* relative */
    double max_violation;     /* dual feasibility */
    double seconds;           /* wall time of the solve */
} gr_pixel_w1_value;

typedef struct gr_pixel_w1 gr_pixel_w1;

/* For sets of up to n_max images of d pixels each (both >= 1). settings may be NULL (ot's
 * defaults); copied. *out = NULL on error (GR_EINVAL, GR_ENOMEM). */
int gr_pixel_w1_alloc(gr_pixel_w1 **out, size_t n_max, size_t d, const gr_ot_settings *settings,
                      gr_error *err);
void gr_pixel_w1_free(gr_pixel_w1 *w); /* NULL is a no-op */

/* W1 between the n rows of x and the m rows of y (n, m <= n_max, d floats each). The return
 * value is res->status: GR_OK, GR_EINVAL (sizes, NULL), GR_EDOM (non-finite pixel) or a
 * solver failure (GR_EMAXITER, GR_ENOTCONV, ...), whose certificate is still in res. */
int gr_pixel_w1_eval(gr_pixel_w1 *w, gr_pixel_w1_value *res, const float *x, size_t n,
                     const float *y, size_t m, gr_error *err);

/* The pair a curve reports: W1(gen, real_a) and the noise floor W1(real_b, real_a) into *noise,
 * with gen, real_a and real_b n rows each (real_a and real_b disjoint sets of real images). Both
 * are always attempted; returns the first non-OK status (the other result valid). */
int gr_pixel_w1_with_floor(gr_pixel_w1 *w, gr_pixel_w1_value *w1, gr_pixel_w1_value *noise,
                           const float *gen, const float *real_a, const float *real_b, size_t n,
                           gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
