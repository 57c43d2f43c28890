/* eval/modes.c — C45 mode counts, HQ fraction and the HQ histogram's reverse KL
 * (eval/modes.h). */
#include "eval/modes.h"

#include <math.h>

int gr_eval_modes_rkl(const size_t *counts, size_t k, double *out, gr_error *err) {
    if (!counts || !out || k == 0)
        return GR_ERROR(err, GR_EINVAL, "mode histogram reverse KL: NULL argument or K = 0");
    size_t total = 0;
    for (size_t j = 0; j < k; j++)
        total += counts[j];
    if (total == 0) {
        *out = INFINITY;
        return GR_ERROR(err, GR_EDOM,
                        "mode histogram reverse KL is undefined: no high-quality sample");
    }
    /* sum_k q_k log(K q_k) = sum_k q_k log(K c_k / total): one log per nonempty mode */
    double s = 0.0, kt = (double)k / (double)total;
    for (size_t j = 0; j < k; j++)
        if (counts[j] > 0) {
            double q = (double)counts[j] / (double)total;
            s += q * log(kt * (double)counts[j]);
        }
    *out = s < 0.0 ? 0.0 : s; /* >= 0 exactly (Gibbs); rounding can leave -1e-17 */
    return GR_OK;
}

int gr_eval_modes(const gr_modes *modes, const double *x, size_t n, double hq_sds,
                  size_t *hq_counts, size_t *nearest_counts, size_t *assign,
                  gr_eval_modes_result *res, gr_error *err) {
    if (!modes || !x || !hq_counts || !res)
        return GR_ERROR(err, GR_EINVAL, "mode metrics: NULL argument");
    const size_t K = modes->k, d = modes->d;
    if (n == 0 || K == 0 || d == 0)
        return GR_ERROR(err, GR_EINVAL,
                        "mode metrics: n (%zu), number of modes (%zu) and d (%zu) must be positive",
                        n, K, d);
    if (!modes->mu || !modes->sd)
        return GR_ERROR(err, GR_EINVAL, "mode metrics: modes without centres or SDs");
    if (!(isfinite(hq_sds) && hq_sds > 0.0))
        return GR_ERROR(err, GR_EDOM, "mode metrics: HQ threshold %g SDs must be finite and > 0",
                        hq_sds);
    int equal = 1;
    for (size_t k = 0; k < K; k++) {
        if (!(isfinite(modes->sd[k]) && modes->sd[k] > 0.0))
            return GR_ERROR(err, GR_EDOM, "mode metrics: SD of mode %zu is %g (finite, > 0 needed)",
                            k, modes->sd[k]);
        for (size_t j = 0; j < d; j++)
            if (!isfinite(modes->mu[k * d + j]))
                return GR_ERROR(err, GR_EDOM, "mode metrics: centre of mode %zu is not finite", k);
        if (modes->sd[k] != modes->sd[0]) equal = 0;
    }
    for (size_t k = 0; k < K; k++) {
        hq_counts[k] = 0;
        if (nearest_counts) nearest_counts[k] = 0;
    }
    size_t hq = 0;
    const double t2 = hq_sds * hq_sds;
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * d;
        for (size_t j = 0; j < d; j++)
            if (!isfinite(xi[j]))
                return GR_ERROR(err, GR_EDOM,
                                "mode metrics: sample %zu has a non-finite coordinate", i);
        size_t best = 0;
        double best_key = INFINITY, best_d2 = INFINITY;
        for (size_t k = 0; k < K; k++) {
            const double *m = modes->mu + k * d;
            double d2 = 0.0;
            for (size_t j = 0; j < d; j++) {
                double t = xi[j] - m[j];
                d2 += t * t;
            }
            /* squared Mahalanobis distance; with equal SDs the Euclidean one itself */
            double key = equal ? d2 : d2 / (modes->sd[k] * modes->sd[k]);
            if (key < best_key) {
                best_key = key;
                best_d2 = d2;
                best = k;
            }
        }
        if (assign) assign[i] = best;
        if (nearest_counts) nearest_counts[best]++;
        const double s = modes->sd[best];
        if (best_d2 < t2 * s * s) {
            hq_counts[best]++;
            hq++;
        }
    }
    size_t captured = 0;
    for (size_t k = 0; k < K; k++)
        captured += hq_counts[k] > 0;
    res->n = n;
    res->k = K;
    res->captured = captured;
    res->hq = hq;
    res->hq_fraction = (double)hq / (double)n;
    res->equal_sds = equal;
    res->hq_sds = hq_sds;
    if (hq > 0) {
        res->rkl_defined = 1;
        (void)gr_eval_modes_rkl(hq_counts, K, &res->rkl, NULL); /* cannot fail: hq > 0 */
    } else {
        res->rkl_defined = 0;
        res->rkl = INFINITY;
    }
    return GR_OK;
}
