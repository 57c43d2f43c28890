/* core/mathfn.h — the overflow-free scalar functions every room shares: softplus,
 * sigmoid, log-sigmoid (float and double twins, the float ones computed in float), and
 * log-sum-exp, over an array (two passes) or streamed one term at a time (one pass, no
 * buffer). Static inline so that loops calling them (the MLP's activation epilogue, the
 * quadrature integrands, Sinkhorn's updates) still inline and vectorise.
 *
 * Forms (each the only copy in the tree; the call sites' bits are these):
 *   softplus(u)     = max(u, 0) + log1p(exp(-|u|))         never overflows, never log(0)
 *   sigmoid(u)      = 1 / (1 + e^-u) for u >= 0, e^u / (1 + e^u) below: exp never overflows
 *   log_sigmoid(u)  = -softplus(-u)                         (log D of a logit)
 *   logsumexp(v)    = mx + log(sum_k exp(v_k - mx)), mx = max_k v_k, summed in index order;
 *                     -inf when n = 0 or every v_k is -inf, +inf when some v_k is +inf,
 *                     NaN when some v_k is NaN (and none is +inf).
 *   gr_lse_acc      the same value streamed: on a term l > max the running sum is rescaled,
 *                     s = s e^{max - l} + 1 (different rounding from the two-pass form, so
 *                     each caller keeps the form it was validated with).
 */
#ifndef GR_CORE_MATHFN_H
#define GR_CORE_MATHFN_H

#include <math.h>
#include <stddef.h>

static inline double gr_softplus(double u) { return (u > 0.0 ? u : 0.0) + log1p(exp(-fabs(u))); }
static inline float gr_softplusf(float u) {
    return (u > 0.0f ? u : 0.0f) + log1pf(expf(-fabsf(u)));
}

static inline double gr_sigmoid(double u) {
    if (u >= 0.0) return 1.0 / (1.0 + exp(-u));
    double z = exp(u);
    return z / (1.0 + z);
}
static inline float gr_sigmoidf(float u) {
    if (u >= 0.0f) return 1.0f / (1.0f + expf(-u));
    float z = expf(u);
    return z / (1.0f + z);
}

static inline double gr_log_sigmoid(double u) { return -gr_softplus(-u); }
static inline float gr_log_sigmoidf(float u) { return -gr_softplusf(-u); }

/* log sum_k exp(v[k]) over v[0..n) (v may be NULL when n = 0). */
static inline double gr_logsumexp(const double *v, size_t n) {
    double mx = -INFINITY;
    for (size_t k = 0; k < n; k++)
        if (v[k] > mx) mx = v[k];
    if (mx == -INFINITY || mx == INFINITY) return mx;
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += exp(v[k] - mx);
    return mx + log(s);
}

/* Streaming log-sum-exp: gr_lse_acc a = GR_LSE_ACC_INIT; gr_lse_push(&a, l) per term;
 * gr_lse_value(&a) = log sum exp(l) (-inf for no terms or only -inf terms). */
typedef struct {
    double max; /* largest term so far (-inf before the first finite one) */
    double sum; /* sum of exp(term - max) */
} gr_lse_acc;
#define GR_LSE_ACC_INIT                                                                            \
    { -INFINITY, 0.0 }

static inline void gr_lse_push(gr_lse_acc *a, double l) {
    if (l == -INFINITY) return;
    if (l > a->max) {
        a->sum = a->sum * exp(a->max - l) + 1.0;
        a->max = l;
    } else {
        a->sum += exp(l - a->max);
    }
}
static inline double gr_lse_value(const gr_lse_acc *a) {
    return a->max == -INFINITY ? -INFINITY : a->max + log(a->sum);
}

#endif
