/* distance/divergence.h — JS and KL between known densities by quadrature (CLAIMS O4).
 *
 *   JS(P,Q) = ½ KL(P||M) + ½ KL(Q||M), M = ½(P+Q)   (nats, 0 <= JS <= log 2; bits on request)
 *   KL(P||Q) = E_P[log p - log q]                    (+infinity when P has mass where q = 0)
 *   V(D*)    = E_P log D* + E_Q log(1 - D*), D* = p/(p+q)   (GAN Thm 1: = -log 4 + 2 JS)
 *
 * Integrands are formed from log-densities (log-sum-exp for mixtures; 0 log 0 = 0), so no
 * NaN can arise from underflowed densities. Two methods, both for d = 1 or 2:
 *   ADAPTIVE: GSL QAG (Gauss-Kronrod 61) on each piece between break points (1-D), or
 *             nested (2-D: outer over x_1, inner over x_2) over the union of the densities'
 *             bounding boxes; the break points are the mixture component means when a mixture
 *             structure is known (so narrow components are never stepped over). Error: the sum
 *             of GSL's estimates (2-D: outer estimate + box width x the largest inner one).
 *   HERMITE:  per-component tensor Gauss-Hermite (probabilists' weights, normalised):
 *             E_p f = sum_k w_k sum_ij w_i w_j f(mu_k + sd_k (z_i, z_j)), for mixtures with
 *             tiny components (CLAIMS C37 data, SD 0.014-0.018). Evaluated with n and 2n
 *             nodes per axis; the 2n value is returned, |I_2n - I_n| is the error estimate.
 *   AUTO:     HERMITE when every density whose expectation is taken has mixture
 *             structure and the Hermite estimate meets the tolerance; otherwise (boxes
 *             permitting) ADAPTIVE, keeping the better of the two. Measured: the rule-doubling
 *             estimate is reliable for tiny, well-separated components, but it can UNDER-state
 *             the error of overlapping components of unequal widths (7.6e-5 off with a 3e-5
 *             estimate on a random 1-D mixture), hence the explicit HERMITE method reports
 *             GR_ENOTCONV whenever the rules disagree beyond the tolerance.
 * Infinite KL is reported as the status GR_EINF with res->value = +INFINITY and
 * res->is_inf = 1 (never NaN). It is detected when a quadrature node has p > 0 and q = 0.
 */
#ifndef GR_DISTANCE_DIVERGENCE_H
#define GR_DISTANCE_DIVERGENCE_H

#include <stddef.h>

#include "core/error.h"
#include "core/settings.h"
#include "prob/density.h" /* the view type: prob/ fills it, this file integrates over it */

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { GR_DIV_AUTO = 0, GR_DIV_ADAPTIVE = 1, GR_DIV_HERMITE = 2 } gr_div_method;

typedef struct {
    gr_div_method method;
    double epsabs;    /* ADAPTIVE: absolute tolerance on the integral */
    double epsrel;    /* ADAPTIVE: relative tolerance */
    size_t limit;     /* ADAPTIVE: subintervals per GSL workspace */
    size_t hermite_n; /* HERMITE: nodes per axis of the coarse rule (the fine one has 2n) */
    int bits;         /* report JS/KL/V in bits (divide by log 2) instead of nats */
    double break_gap; /* ADAPTIVE: break points (component means) closer than break_gap x
                         the narrowest component SD to each other or to the box's ends are
                         merged: near-duplicate means (equal up to rounding) would make
                         pieces of width 1e-16, which QAGP rejected (GSL_ESING). >= 0 */
} gr_div_options;

/* Defaults: AUTO, epsabs 1e-12, epsrel 1e-10, limit 1000, hermite_n 48, nats, break_gap
 * 1e-3: the one place they are set. */
void gr_div_options_default(gr_div_options *opt);

/* The options as (name, value) entries (core/settings.h), in declaration order, for a
 * results file: writes min(cap, GR_DIV_OPTIONS_COUNT) entries into out (which may be NULL
 * when cap is 0) and returns GR_DIV_OPTIONS_COUNT. Cannot fail. */
enum { GR_DIV_OPTIONS_COUNT = 7 };
size_t gr_div_options_describe(const gr_div_options *opt, gr_setting *out, size_t cap);

typedef struct {
    double value;         /* the divergence (JS clipped into [0, log 2], KL at >= 0) */
    double raw;           /* the integral before clipping */
    double abserr;        /* absolute error estimate, same unit as value */
    gr_div_method method; /* method actually used (never AUTO) */
    size_t neval;         /* log-density evaluations (both densities) */
    int is_inf;           /* KL: 1 when the exact value is +infinity (status GR_EINF) */
    int bits;             /* 1 when value/abserr are in bits */
} gr_div_result;

/* Workspace: GSL integration workspaces and Gauss-Hermite nodes, sized once from opt
 * (NULL: defaults), into *out. Reuse it across calls (e.g. a divergence curve over theta).
 * Returns GR_OK; GR_EINVAL (invalid options, as the divergence calls check them; out NULL)
 * or GR_ENOMEM, with a message, and *out = NULL on any failure. */
typedef struct gr_div_workspace gr_div_workspace;
int gr_div_workspace_alloc(gr_div_workspace **out, const gr_div_options *opt, gr_error *err);
void gr_div_workspace_free(gr_div_workspace *ws); /* NULL is a no-op */

/* All three: opt NULL = defaults; ws NULL = a workspace is allocated for this call.
 * Errors: GR_EINVAL (NULL p/q/res, d not 1 or 2, ADAPTIVE without a bounding box, HERMITE
 * without mixture structure, bad options), GR_EMISMATCH (p->d != q->d), GR_EDOM (a log-density
 * returned NaN or +inf), a log-density callback's own status, GR_ENOTCONV (the quadrature
 * did not reach its tolerance: res is filled with the best estimate and its error),
 * GR_EINF (KL only: infinite), GR_ENOMEM. */
int gr_div_js(const gr_density *p, const gr_density *q, const gr_div_options *opt,
              gr_div_workspace *ws, gr_div_result *res, gr_error *err);
int gr_div_kl(const gr_density *p, const gr_density *q, const gr_div_options *opt,
              gr_div_workspace *ws, gr_div_result *res, gr_error *err);
int gr_div_gan_value(const gr_density *p, const gr_density *q, const gr_div_options *opt,
                     gr_div_workspace *ws, gr_div_result *res, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
