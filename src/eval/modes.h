/* eval/modes.h — the suite's mode-count metric (CLAIMS C45) for any mixture with known
 * centres and SDs: the 8 and 25 Gaussians, and embedded ones on their projection
 * (eval/embed.h).
 *
 * For N samples x_i and the K modes (mu_k, s_k) of a gr_modes (data/sampler.h; isotropic SD
 * s_k per mode, in the units of the points):
 *   nearest mode  c(i) = argmin_k |x_i - mu_k| / s_k: the Mahalanobis distance for the
 *                 isotropic covariance s_k^2 I of mode k. When all s_k are equal (bit for
 *                 bit) the comparison is made on the squared Euclidean distances
 *                 |x_i - mu_k|^2 themselves, so c(i) is exactly the Euclidean nearest
 *                 centre; when they differ it is the nearest in SD units (not the most
 *                 likely component: that would add d log s_k and the weights). Ties go to
 *                 the lowest k.
 *   high quality  (HQ) |x_i - mu_c(i)| < hq_sds * s_c(i), strictly (hq_sds = 3 in C45; VEEGAN's
 *                 1200-D task used 10), compared as squares.
 *   counts        nearest[k] = #{i : c(i) = k};  hq[k] = #{i HQ : c(i) = k}.
 *   captured      #{k : hq[k] >= 1}.
 *   hq_fraction   sum_k hq[k] / N.
 *   reverse KL    sum_k q_k log(K q_k), q_k = hq[k] / sum hq (0 log 0 = 0): KL(q || uniform) of the
 *                 HQ mode histogram, in nats, 0 for a uniform histogram, log K for one mode.
 *                 UNDEFINED without an HQ sample: then rkl_defined = 0 and rkl holds the
 *                 sentinel +INFINITY (no defined value, all <= log K, equals it); it is never
 *                 reported as 0 or NaN. Read rkl only when rkl_defined.
 * Computed in one pass, O(N K d), no allocation.
 */
#ifndef GR_EVAL_MODES_H
#define GR_EVAL_MODES_H

#include <stddef.h>

#include "core/error.h"
#include "data/sampler.h"

#ifdef __cplusplus
extern "C" {
#endif

/* C45's threshold in SDs. */
#define GR_EVAL_MODES_HQ_SDS 3.0

typedef struct gr_eval_modes_result {
    size_t n;           /* samples */
    size_t k;           /* modes K */
    size_t captured;    /* modes with >= 1 HQ sample */
    size_t hq;          /* HQ samples */
    double hq_fraction; /* hq / n */
    double rkl;         /* sum_k q_k log(K q_k) over HQ samples; +INFINITY when undefined */
    int rkl_defined;    /* 0 when there is no HQ sample */
    int equal_sds;      /* 1 when every s_k is the same (Euclidean nearest centre) */
    double hq_sds;      /* the threshold used */
} gr_eval_modes_result;

/* The metric for n samples x (n x d row-major, d = modes->d) against `modes`, with HQ radius
 * hq_sds SDs. hq_counts (K values) receives the HQ counts per mode; nearest_counts (K values,
 * or NULL) the nearest-mode counts of all samples; assign (n values, or NULL) each sample's
 * nearest mode c(i). Returns GR_OK (also without an HQ sample: see rkl_defined); GR_EINVAL
 * (NULL modes/x/hq_counts/res, n = 0, K = 0 or d = 0, NULL centres or SDs), GR_EDOM (hq_sds not
 * finite and > 0, an SD not finite and > 0, a non-finite centre or sample coordinate: the
 * message names the row). On error the outputs are unspecified. */
int gr_eval_modes(const gr_modes *modes, const double *x, size_t n, double hq_sds,
                  size_t *hq_counts, size_t *nearest_counts, size_t *assign,
                  gr_eval_modes_result *res, gr_error *err);

/* Reverse KL of a histogram: sum_k q_k log(K q_k) with q_k = c_k / sum c (0 log 0 = 0),
 * the value gr_eval_modes reports. Returns GR_OK; GR_EDOM with *out = +INFINITY when the
 * counts sum to 0 (undefined); GR_EINVAL for NULL or K = 0. */
int gr_eval_modes_rkl(const size_t *counts, size_t k, double *out, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
