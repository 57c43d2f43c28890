/* tests/harness/test_train_metrics.c — the train protocol's claim metrics
 * (harness/train_metrics.h) on constructed series: Spearman's rho against values computed
 * by hand and by scipy.stats.spearmanr (1.10.1, quoted below), the first step at or below
 * a target, and C25's spike classification with its negative-cosine counts. */
#include <math.h>

#include "harness/train_metrics.h"
#include "test.h"

static void test_spearman(void) {
    gr_error err;
    double rho;
    size_t used;
    /* by hand: ranks of y = (5, 6, 7, 8, 7) are (1, 2, 3.5, 5, 3.5); with x's (1..5) the
     * deviations give 8 / sqrt(10 * 9.5); scipy: 0.8207826816681233 */
    const double x[] = {1, 2, 3, 4, 5}, y[] = {5, 6, 7, 8, 7};
    CHECK_OK(gr_train_spearman(x, y, NULL, 5, &rho, &used, &err), &err);
    CHECK(used == 5);
    CHECK_CLOSE(rho, 8.0 / sqrt(95.0), 1e-14, 0);
    CHECK_CLOSE(rho, 0.8207826816681233, 1e-14, 0);
    /* ties on both sides; scipy.stats.spearmanr: 0.19885368120992467 */
    const double a[] = {3, 1, 4, 1, 5, 9, 2, 6}, b[] = {2, 7, 1, 8, 2, 8, 1, 8};
    CHECK_OK(gr_train_spearman(a, b, NULL, 8, &rho, &used, &err), &err);
    CHECK_CLOSE(rho, 0.19885368120992467, 1e-13, 0);
    /* rank-invariant: any increasing map of x gives the same rho; a decreasing one -rho */
    double ex[5], nx[5];
    for (int i = 0; i < 5; i++) {
        ex[i] = exp(x[i]);
        nx[i] = -x[i] * x[i];
    }
    double r2;
    CHECK_OK(gr_train_spearman(ex, y, NULL, 5, &r2, NULL, &err), &err);
    CHECK_CLOSE(r2, 8.0 / sqrt(95.0), 1e-14, 0);
    CHECK_OK(gr_train_spearman(nx, y, NULL, 5, &r2, NULL, &err), &err);
    CHECK_CLOSE(r2, -8.0 / sqrt(95.0), 1e-14, 0);
    /* NaN pairs and masked pairs are skipped: the same five pairs inside noise */
    const double xs[] = {1, NAN, 2, 3, 100, 4, 5, -7};
    const double ys[] = {5, 0, 6, 7, 1, 8, 7, INFINITY};
    const unsigned char keep[] = {1, 1, 1, 1, 0, 1, 1, 1};
    CHECK_OK(gr_train_spearman(xs, ys, keep, 8, &rho, &used, &err), &err);
    CHECK(used == 5);
    CHECK_CLOSE(rho, 8.0 / sqrt(95.0), 1e-14, 0);
    /* fewer than 3 pairs, or a constant side: NaN (not a number that could pass) */
    CHECK_OK(gr_train_spearman(x, y, NULL, 2, &rho, &used, &err), &err);
    CHECK(isnan(rho) && used == 2);
    const double c[] = {2, 2, 2, 2, 2};
    CHECK_OK(gr_train_spearman(x, c, NULL, 5, &rho, &used, &err), &err);
    CHECK(isnan(rho));
    CHECK_STATUS(gr_train_spearman(x, y, NULL, 5, NULL, NULL, NULL), GR_EINVAL);
}

static void test_first_step(void) {
    const double step[] = {0, 100, 200, 300, 400};
    const double w1[] = {0.5, NAN, 0.1, 0.05, 0.2};
    CHECK(gr_train_first_step_le(step, w1, 5, 0.1) == 200); /* equality counts */
    CHECK(gr_train_first_step_le(step, w1, 5, 0.099) == 300);
    CHECK(gr_train_first_step_le(step, w1, 5, 1.0) == 0);
    CHECK(isinf(gr_train_first_step_le(step, w1, 5, 0.01)));
    CHECK(isinf(gr_train_first_step_le(step, w1, 0, 1.0)));
}

static void test_spikes(void) {
    gr_error err;
    gr_train_spike_stats s;
    /* w alternates 0, 1 (window 4: mean 0.5, SD sqrt(1/3), threshold 0.5 - 3 sqrt(1/3) =
     * -1.232); one drop to -10 at compacted index 8 is the only spike: the window after it
     * holds -10 (mean -2, SD 5.35), so the 1 and 0 that follow are calm. Cosines: negative
     * at the spike and at two calm pairs. A NaN pair in the middle is skipped. */
    const double w[] = {0, 1, 0, 1, 0, 1, NAN, 0, 1, -10, 1, 0, 1, 0};
    const double c[] = {1, 1, 1, 1, -1, 1, -1, 1, 1, -0.5, 1, -0.2, 1, 1};
    CHECK_OK(gr_train_spike_cosine(w, c, 14, 4, 3.0, &s, &err), &err);
    CHECK(s.pairs == 13);
    CHECK(s.n_spike == 1 && s.neg_spike == 1);
    CHECK(s.n_calm == 8 && s.neg_calm == 2); /* pairs 4..12 except 8; negatives at 4, 10 */
    CHECK(s.frac_neg_spike == 1.0);
    CHECK_CLOSE(s.frac_neg_calm, 0.25, 0, 0);
    CHECK(s.mean_cos_spike == -0.5);
    /* calm cosines -1, 1, 1, 1, 1, -0.2, 1, 1: mean 4.8 / 8 */
    CHECK_CLOSE(s.mean_cos_calm, 0.6, 1e-15, 0);
    CHECK(s.min_cos == -1.0); /* pair 4's (the skipped NaN row's -1 is not a pair) */
    /* just inside vs just outside the threshold: -1.23 is not below -1.2320508 */
    const double t = 0.5 - 3.0 * sqrt(1.0 / 3.0);
    double w2[] = {0, 1, 0, 1, t + 1e-9}, c2[] = {1, 1, 1, 1, -1};
    CHECK_OK(gr_train_spike_cosine(w2, c2, 5, 4, 3.0, &s, &err), &err);
    CHECK(s.n_spike == 0 && s.n_calm == 1 && s.neg_calm == 1 && isnan(s.frac_neg_spike));
    w2[4] = t - 1e-9;
    CHECK_OK(gr_train_spike_cosine(w2, c2, 5, 4, 3.0, &s, &err), &err);
    CHECK(s.n_spike == 1 && s.n_calm == 0 && isnan(s.frac_neg_calm));
    /* a constant window (SD 0) never makes a spike, whatever follows */
    const double w3[] = {2, 2, 2, -50}, c3[] = {1, 1, 1, 1};
    CHECK_OK(gr_train_spike_cosine(w3, c3, 4, 3, 3.0, &s, &err), &err);
    CHECK(s.n_spike == 0 && s.n_calm == 1);
    /* fewer pairs than the window: nothing judged */
    CHECK_OK(gr_train_spike_cosine(w3, c3, 2, 3, 3.0, &s, &err), &err);
    CHECK(s.pairs == 2 && s.n_spike == 0 && s.n_calm == 0);
    CHECK_STATUS(gr_train_spike_cosine(w, c, 14, 1, 3.0, &s, NULL), GR_EINVAL);
    CHECK_STATUS(gr_train_spike_cosine(w, c, 14, 4, 0.0, &s, NULL), GR_EINVAL);
}

int main(void) {
    RUN(test_spearman);
    RUN(test_first_step);
    RUN(test_spikes);
    return TEST_MAIN_END();
}
