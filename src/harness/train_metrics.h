/* harness/train_metrics.h — claim metrics the train protocol computes at the end of a run
 * from the series it recorded (CLAIMS C24, C25, C39): the rank correlation of a loss-based
 * estimate with exact W1, the first evaluation step at which W1 reaches a target, and the
 * sign of the critic's update/gradient cosine inside vs outside sudden drops ("spikes") of
 * the critic's W estimate. Pure functions on arrays (NaN entries are skipped as stated);
 * no I/O. docs/RESULTS.md ("Protocol train", claim metrics) describes the user-facing
 * metrics built on them. */
#ifndef GR_HARNESS_TRAIN_METRICS_H
#define GR_HARNESS_TRAIN_METRICS_H

#include <stddef.h>

#include "core/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Spearman's rank correlation of the pairs (x[i], y[i]), i < n, for which keep[i] is
 * nonzero (keep NULL: all) and both values are finite. Ranks are 1-based with ties given
 * their average rank; rho = Pearson correlation of the ranks (so ties are handled exactly
 * as scipy.stats.spearmanr does). *n_used = pairs used. *rho = NaN when fewer than 3 pairs
 * or when either rank vector is constant. GR_ENOMEM on allocation failure (the function
 * allocates 4 n doubles; not for use inside a training step). */
int gr_train_spearman(const double *x, const double *y, const unsigned char *keep, size_t n,
                      double *rho, size_t *n_used, gr_error *err);

/* The first step[i] (in array order) with v[i] finite and v[i] <= target; +inf when none
 * (the target was never reached in the recorded evaluations). */
double gr_train_first_step_le(const double *step, const double *v, size_t n, double target);

/* Spike / cosine statistics (C25). The series are the pairs (w[i], c[i]) with both finite,
 * in order (the others are skipped, so the rolling window counts recorded pairs). Pair j
 * (in the compacted order) is judged once j >= window: with m and s the mean and sample
 * standard deviation (n - 1) of the previous `window` values of w, j is a spike when
 * s > 0 and w_j < m - nsd * s (a drop of more than nsd rolling SDs below the rolling mean),
 * calm otherwise. The first `window` pairs are neither. Counts of negative cosines
 * (c < 0) in each class, their fractions and each class's mean cosine (NaN for an empty
 * class), and the smallest cosine of all pairs. */
typedef struct gr_train_spike_stats {
    size_t pairs;               /* finite pairs */
    size_t n_spike, n_calm;     /* judged pairs in each class */
    size_t neg_spike, neg_calm; /* of them with a negative cosine */
    double frac_neg_spike, frac_neg_calm;
    double mean_cos_spike, mean_cos_calm; /* mean cosine of each class (NaN when empty) */
    double min_cos;                       /* smallest cosine of all finite pairs (NaN: none) */
} gr_train_spike_stats;

/* window >= 2 and nsd > 0 (GR_EINVAL otherwise); GR_ENOMEM when the compacted copy (2 n
 * doubles) cannot be allocated. */
int gr_train_spike_cosine(const double *w, const double *c, size_t n, size_t window, double nsd,
                          gr_train_spike_stats *out, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
