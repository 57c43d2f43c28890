/* eval/divergence.h — JS and KL for evaluation: exact where both densities are known, a kNN
 * estimate from samples otherwise, each reported with its error estimate and +infinity
 * flagged (CLAIMS O4; issue 13.2).
 *
 * This room only chooses and records; the numerics are distance/'s:
 *   EXACT  quadrature through distance/divergence.h (gr_div_js / gr_div_kl) between two
 *          gr_density views (prob/ distributions, gr_sampler_density of a data set, the
 *          density of a generator that has one). abserr is the quadrature's own estimate.
 *   KNN    distance/knn.h: KL by Wang, Kulkarni & Verdu (2009), JS through the mixture
 *          sample; n, m, k are recorded. Its bias at finite n is documented in knn.c
 *          (measured on Gaussian pairs: JS |bias| <= 0.006, sd <= 0.015 at n = 1e3, k = 5;
 *          |bias| <= 0.003, sd <= 0.006 at n = 1e4; KL biased LOW, -7.6 % at n = 1e4, k = 1,
 *          for a correlated 2-D pair, worse when q has lighter tails than p). What the
 *          samples themselves say about the error is estimated here by splitting each
 *          sample in two halves (rows [0, n/2) and [n/2, n), so sample order must not
 *          carry structure): with half estimates a, b and the full estimate f,
 *              se   = |a - b| / 2          (the spread of the full estimate, from two
 *                                           independent half-size ones: Var ~ 1/n)
 *              bias = (a + b) / 2 - f      (how much the estimate still moves when n
 *                                           doubles: the finite-n bias, if it is ~ 1/n)
 *              abserr = sqrt(se^2 + bias^2)
 *          An order of magnitude from one degree of freedom, not a bound; both parts and
 *          the half estimates are in the result.
 * Units: nats always (the quadrature options' `bits` is overridden).
 * +infinity: KL(P||Q) is +inf when P has mass where Q has none (quadrature: a node with p > 0
 * and q = 0; kNN: an atom of the P sample absent from the Q sample). Then the status is
 * GR_EINF, value = +INFINITY, is_inf = 1, abserr = 0: never a NaN, never a finite number.
 * A half estimate that is +inf while the full one is finite makes abserr = +INFINITY.
 * Any other failing status leaves value and abserr NaN (no result), except GR_ENOTCONV of the
 * quadrature, which keeps its best estimate and error.
 */
#ifndef GR_EVAL_DIVERGENCE_H
#define GR_EVAL_DIVERGENCE_H

#include <stddef.h>

#include "core/error.h"
#include "distance/divergence.h"
#include "distance/knn.h"
#include "prob/density.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { GR_EVAL_JS = 0, GR_EVAL_KL = 1 } gr_eval_div_kind;
typedef enum { GR_EVAL_DIV_EXACT = 1, GR_EVAL_DIV_KNN = 2 } gr_eval_div_method;

typedef struct gr_eval_div_result {
    gr_eval_div_kind kind;
    gr_eval_div_method method;
    double value;  /* nats; JS in [0, log 2]; +INFINITY when is_inf */
    double abserr; /* EXACT: quadrature estimate; KNN: split-half estimate (see above) */
    int is_inf;    /* 1: KL is +infinity (status GR_EINF) */
    /* KNN only (0 for EXACT) */
    size_t n, m, k;
    double half_a, half_b; /* estimates on the first and second halves of both samples */
    double se, bias;       /* the two parts of abserr */
    /* the full records of distance/ (the one of `method` is filled) */
    gr_div_result quad;
    gr_knn_result knn;
} gr_eval_div_result;

typedef struct gr_eval_div gr_eval_div;

/* A workspace: quadrature workspace from qopt (NULL: gr_div_options_default), and, when
 * n_max > 0, a kNN workspace for samples of n <= n_max, m <= m_max rows in dimension d <= d_max
 * (n_max = 0: exact only). Errors (*out = NULL): GR_EINVAL (NULL out, bad qopt, n_max > 0
 * with m_max or d_max 0), GR_ENOMEM. */
int gr_eval_div_alloc(gr_eval_div **out, const gr_div_options *qopt, size_t n_max, size_t m_max,
                      size_t d_max, gr_error *err);
void gr_eval_div_free(gr_eval_div *w); /* NULL is a no-op */

/* Exact JS(P,Q) or KL(P||Q) by quadrature between the densities p and q. Returns GR_OK,
 * GR_EINF (KL infinite, flagged as above), or distance/divergence.h's errors (GR_ENOTCONV
 * keeps the best estimate and its error in res). */
int gr_eval_div_exact(gr_eval_div *w, gr_eval_div_kind kind, const gr_density *p,
                      const gr_density *q, gr_eval_div_result *res, gr_error *err);

/* kNN estimate of JS(P,Q) or KL(P||Q) from x ~ P (n x d) and y ~ Q (m x d), options o (NULL:
 * gr_knn_options_default, k = 5), with the split-half error. Needs n/2 > k and m/2 > k
 * (KL: m/2 >= k) for the halves. Errors: GR_EINVAL (no kNN workspace, sizes beyond it, too
 * few points), GR_EINF (KL), distance/knn.h's errors. */
int gr_eval_div_knn(gr_eval_div *w, gr_eval_div_kind kind, const double *x, size_t n,
                    const double *y, size_t m, size_t d, const gr_knn_options *o,
                    gr_eval_div_result *res, gr_error *err);

/* The evaluation's choice: exact when both p and q are given (non-NULL), otherwise the kNN
 * estimate on the samples (which must then be given). res->method says which was used. */
int gr_eval_div_auto(gr_eval_div *w, gr_eval_div_kind kind, const gr_density *p,
                     const gr_density *q, const double *x, size_t n, const double *y, size_t m,
                     size_t d, const gr_knn_options *o, gr_eval_div_result *res, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
