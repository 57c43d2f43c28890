/* linalg/vec.h — the vector reductions several rooms repeat, static inline so they stay
 * inlined in hot loops (the OT pricing scan, the gradient penalty's per-row norms):
 *   gr_linalg_dsqdist(p, q, d)   sum_k (p[k] - q[k])^2, in double, index order
 *   gr_linalg_ssumsq(x, n)       sum_k x[k]^2 of a float vector, each term and the sum in
 *   gr_linalg_dsumsq(x, n)       double, index order (the float twin cannot overflow or
 *                                underflow: float squares span 1e-90..1e77, inside double)
 * Plain left-to-right sums on purpose: every caller's results were validated with this
 * order. Use sqrt(gr_linalg_ssumsq(...)) for the Euclidean norm of a float gradient.
 * A double vector whose entries exceed ~1e154 overflows dsumsq; nn/mlp_impl.h's layer
 * gradient norms use a scaled sum instead for that reason.
 */
#ifndef GR_LINALG_VEC_H
#define GR_LINALG_VEC_H

#include <stddef.h>

static inline double gr_linalg_dsqdist(const double *p, const double *q, size_t d) {
    double s = 0.0;
    for (size_t k = 0; k < d; k++) {
        double t = p[k] - q[k];
        s += t * t;
    }
    return s;
}

static inline double gr_linalg_ssumsq(const float *x, size_t n) {
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += (double)x[k] * (double)x[k];
    return s;
}

static inline double gr_linalg_dsumsq(const double *x, size_t n) {
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += x[k] * x[k];
    return s;
}

#endif
