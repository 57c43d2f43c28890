/* tests/eval/test_eval_modes.c — eval/modes.h (CLAIMS C45) and the O12/O13 oracles.
 *
 * Oracle "generators" on 1, 2 (opposite), 4 (alternate, adjacent) and 7 modes of C37's
 * 8-Gaussian ring (R = 2/1.414, s = 0.02/1.414), built here from prob/mixture:
 *  - exact LP between the 8 ring means (weights 1/8) and the generator's means (equal weights):
 *    1.256835 R (= cot(pi/16) R/4), 0.736237 R, 0.382683 R (= R sin(pi/8)), 0.653281 R,
 *    0.179548 R (CLAIMS C45, [NUM]; to their 6 digits, the closed forms to 1e-12);
 *  - on samples (eval/w1.h's points solve): stratified draws, n_k = N w_k points from mode k
 *    exactly (N = 2520, divisible by 8, 7, 4, 2), so the empirical measures are the discrete
 *    ones convolved with empirical noise. Then, deterministically (triangle inequality,
 *    coupling each point with its own centre), |W1_hat - W1_disc| <= e_g + e_r, with e the
 *    mean distance of a sample's points to their centres; e ~ s sqrt(pi/2), so this is
 *    O13's band 2 s sqrt(pi/2) (checked too: e_g + e_r within 3 % of it, the spread of a
 *    mean of 2520 Rayleigh distances being 0.7 %);
 *  - the counts they must give: captured = number of generator modes; nearest counts exactly
 *    n_k (a mode's nearest boundary is R sin(pi/8) = 38 s away); HQ counts per mode
 *    Binomial(n_k, 1 - e^{-9/2}) (the 2-D Rayleigh law below 3 s), checked within 5 SDs
 *    (false alarm 6e-7 per check); the reverse KL equal to log K - H(q) recomputed here from
 *    the returned counts, and log(8/j) <= rKL <= log(8/j) + 35 / (2 N_hq) (the excess,
 *    log j - H(q_hat), is ~ chi2_{j-1} / (2 N_hq); P(chi2_6 > 35) = 4e-6).
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "core/rng.h"
#include "distance/ot.h"
#include "eval/mix_sampler.h"
#include "eval/modes.h"
#include "eval/w1.h"
#include "prob/mixture.h"
#include "test.h"

#define R  TEST_RING_R
#define SD TEST_RING_SD

typedef struct oracle {
    const char *name;
    size_t j;
    size_t modes[7];
    double w1_over_r; /* CLAIMS C45 */
} oracle;

static const oracle ORACLES[5] = {
    {"1 mode", 1, {0}, 1.256835},
    {"2 opposite", 2, {0, 4}, 0.736237},
    {"4 alternate", 4, {0, 2, 4, 6}, 0.382683},
    {"4 adjacent", 4, {0, 1, 2, 3}, 0.653281},
    {"7 modes", 7, {0, 1, 2, 3, 4, 5, 6}, 0.179548},
};

/* exact LP between the 8 means (1/8 each) and the generator's (1/j on its modes) */
static double disc_w1(const oracle *o, double radius) {
    double mu[16], b[8] = {0};
    test_ring_means(radius, mu);
    for (size_t i = 0; i < o->j; i++)
        b[o->modes[i]] = 1.0 / (double)o->j;
    double v = NAN;
    gr_error err;
    CHECK_OK(gr_ot_wasserstein(mu, NULL, 8, mu, b, 8, 2, 1, NULL, &v, &err), &err);
    return v;
}

static void test_discrete_oracles(void) {
    for (int c = 0; c < 5; c++) {
        double v = disc_w1(&ORACLES[c], R);
        CHECK_CLOSE(v / R, ORACLES[c].w1_over_r, 0.0, 5e-7);
        printf("%-12s W1_disc = %.7f R\n", ORACLES[c].name, v / R);
    }
    CHECK_CLOSE(disc_w1(&ORACLES[0], 1.0), 1.0 / tan(M_PI / 16.0) / 4.0, 1e-12, 0.0);
    CHECK_CLOSE(disc_w1(&ORACLES[2], 1.0), sin(M_PI / 8.0), 1e-12, 0.0);
    CHECK_CLOSE(disc_w1(&ORACLES[0], TEST_RING_R), 1.7777, 0.0, 5e-5); /* C45: C37's ring */
}

/* n_k points from each of the listed ring modes (k = 1 mixtures of prob/mixture), into x;
 * the mean distance of the points to their own centres into *e. */
static int stratified(gsl_rng *r, const size_t *modes, size_t nm, size_t per, double *x,
                      double *e) {
    double mu[16], s = SD, sum = 0.0;
    test_ring_means(R, mu);
    gr_error err;
    for (size_t i = 0; i < nm; i++) {
        gr_mixture *m = NULL;
        double w = 1.0;
        if (gr_mixture_alloc(&m, 2, 1, &w, mu + 2 * modes[i], &s, 1, &err) != GR_OK) return 0;
        double *xi = x + 2 * i * per;
        int st = gr_mixture_sample(m, r, per, xi, &err);
        gr_mixture_free(m);
        if (st != GR_OK) return 0;
        for (size_t p = 0; p < per; p++)
            sum += hypot(xi[2 * p] - mu[2 * modes[i]], xi[2 * p + 1] - mu[2 * modes[i] + 1]);
    }
    *e = sum / (double)(nm * per);
    return 1;
}

static void test_sample_oracles(void) {
    const size_t N = 2520;
    gr_error err;
    gsl_rng *r = NULL;
    gr_eval_w1 *w = NULL;
    gr_sampler *ring = NULL;
    CHECK_OK(gr_rng_alloc(&r, 4525, GR_STREAM_TEST, &err), &err);
    CHECK_OK(gr_eval_w1_alloc(&w, N, 2, &err), &err);
    CHECK_OK(test_ring_sampler(&ring, NULL, 0, &err), &err);
    double *xg = malloc(2 * N * sizeof *xg), *xr = malloc(2 * N * sizeof *xr);
    if (!r || !w || !ring || !xg || !xr) {
        CHECK(0);
        return;
    }
    const gr_modes *modes = gr_sampler_modes(ring);
    const size_t all8[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    const double o13 = 2.0 * SD * sqrt(M_PI / 2.0), p3 = 1.0 - exp(-4.5);
    for (int c = 0; c < 5; c++) {
        const oracle *o = &ORACLES[c];
        double eg = 0.0, er = 0.0;
        CHECK(stratified(r, o->modes, o->j, N / o->j, xg, &eg));
        CHECK(stratified(r, all8, 8, N / 8, xr, &er));
        gr_eval_w1_solve s;
        CHECK_OK(gr_eval_w1_points(w, xg, xr, N, NULL, &s, &err), &err);
        double wd = o->w1_over_r * R;
        CHECK(fabs(s.value - wd) <= eg + er + 5e-7 * R); /* + the oracle's rounding */
        CHECK_CLOSE(eg + er, o13, 0.03, 0.0);
        /* the counts */
        size_t hq[8], near[8];
        gr_eval_modes_result m;
        CHECK_OK(gr_eval_modes(modes, xg, N, GR_EVAL_MODES_HQ_SDS, hq, near, NULL, &m, &err), &err);
        CHECK(m.captured == o->j && m.k == 8 && m.n == N && m.equal_sds && m.rkl_defined);
        size_t per = N / o->j, hq_sum = 0;
        for (size_t k = 0; k < 8; k++) {
            int on = 0;
            for (size_t i = 0; i < o->j; i++)
                on |= o->modes[i] == k;
            CHECK(near[k] == (on ? per : 0));
            double mean = (double)per * p3, sd = sqrt((double)per * p3 * (1.0 - p3));
            if (on)
                CHECK(fabs((double)hq[k] - mean) <= 5.0 * sd);
            else
                CHECK(hq[k] == 0);
            hq_sum += hq[k];
        }
        CHECK(m.hq == hq_sum);
        CHECK_CLOSE(m.hq_fraction, (double)hq_sum / (double)N, 1e-15, 0.0);
        CHECK(fabs(m.hq_fraction - p3) <= 5.0 * sqrt(p3 * (1.0 - p3) / (double)N));
        double h = 0.0;
        for (size_t k = 0; k < 8; k++)
            if (hq[k]) {
                double q = (double)hq[k] / (double)hq_sum;
                h -= q * log(q);
            }
        CHECK_CLOSE(m.rkl, log(8.0) - h, 1e-12, 1e-14);
        double base = log(8.0 / (double)o->j);
        CHECK(m.rkl >= base - 1e-12 && m.rkl <= base + 35.0 / (2.0 * (double)hq_sum));
        printf("%-12s W1_hat = %.6f R (disc %.6f R, bound %.6f R), captured %zu, HQ %.4f, rKL "
               "%.6f (log(8/%zu) = %.6f)\n",
               o->name, s.value / R, wd / R, (eg + er) / R, m.captured, m.hq_fraction, m.rkl, o->j,
               base);
    }
    /* the real data itself: 8 captured, rKL near 0 */
    size_t hq[8];
    gr_eval_modes_result m;
    CHECK_OK(gr_eval_modes(modes, xr, N, 3.0, hq, NULL, NULL, &m, &err), &err);
    CHECK(m.captured == 8 && m.rkl < 35.0 / (2.0 * (double)m.hq));
    free(xg);
    free(xr);
    gsl_rng_free(r);
    gr_eval_w1_free(w);
    gr_sampler_free(ring);
}

/* the 25-Gaussian grid (5 x 5 at -2..2, SD 0.05, as in the literature), random draws */
static void test_grid25(void) {
    double mu[50], sd[25];
    for (size_t i = 0; i < 25; i++) {
        mu[2 * i] = -2.0 + (double)(i / 5);
        mu[2 * i + 1] = -2.0 + (double)(i % 5);
        sd[i] = 0.05;
    }
    gr_error err;
    gr_sampler *g = NULL;
    gsl_rng *r = NULL;
    CHECK_OK(test_mix_sampler(&g, 2, 25, NULL, mu, sd, "25gaussians", &err), &err);
    CHECK_OK(gr_rng_alloc(&r, 2525, GR_STREAM_TEST, &err), &err);
    double *x = malloc(2500 * 2 * sizeof *x);
    if (!g || !r || !x) {
        CHECK(0);
        return;
    }
    CHECK_OK(gr_sampler_sample(g, r, 2500, x, &err), &err);
    size_t hq[25], near[25], assign[2500];
    gr_eval_modes_result m;
    CHECK_OK(gr_eval_modes(gr_sampler_modes(g), x, 2500, 3.0, hq, near, assign, &m, &err), &err);
    /* P(some mode empty) <= 25 (1 - 1/25)^2500 ~ 1e-43 */
    CHECK(m.captured == 25);
    size_t tot = 0;
    for (size_t k = 0; k < 25; k++)
        tot += near[k];
    CHECK(tot == 2500);
    /* assign agrees with a brute-force nearest centre (equal SDs: Euclidean) */
    size_t bad = 0;
    for (size_t i = 0; i < 2500; i++) {
        size_t b = 0;
        double bd = INFINITY;
        for (size_t k = 0; k < 25; k++) {
            double d = hypot(x[2 * i] - mu[2 * k], x[2 * i + 1] - mu[2 * k + 1]);
            if (d < bd) {
                bd = d;
                b = k;
            }
        }
        bad += b != assign[i];
    }
    CHECK(bad == 0);
    const double p3 = 1.0 - exp(-4.5);
    CHECK(fabs(m.hq_fraction - p3) <= 5.0 * sqrt(p3 * (1.0 - p3) / 2500.0));
    free(x);
    gsl_rng_free(r);
    gr_sampler_free(g);
}

/* hand-placed points: the strict 3-SD boundary, Mahalanobis vs Euclidean, no HQ at all */
static void test_rules(void) {
    gr_error err;
    /* one mode at (1, 2), SD 0.5: distances 1.4995 (HQ), 1.5 (not: strict), 1.5005 (not) */
    const double mu1[2] = {1.0, 2.0}, sd1[1] = {0.5};
    gr_modes one = {1, 2, mu1, sd1, NULL};
    const double x1[6] = {1.0 + 1.4995, 2.0, 1.0, 2.0 - 1.5, 1.0, 2.0 + 1.5005};
    size_t hq[2], near[2], as[3];
    gr_eval_modes_result m;
    CHECK_OK(gr_eval_modes(&one, x1, 3, 3.0, hq, near, as, &m, &err), &err);
    CHECK(hq[0] == 1 && near[0] == 3 && m.hq == 1 && m.captured == 1);
    CHECK(m.rkl_defined && m.rkl == 0.0); /* K = 1: log(1 * 1) */
    /* two modes, A = (0,0) SD 0.1, B = (1,0) SD 1: x = (0.3, 0) is Euclidean-nearer A (0.3 vs
     * 0.7) but 3 SDs from A and 0.7 SD from B: nearest B, HQ there. x = (0.05, 0): A, HQ. */
    const double mu2[4] = {0.0, 0.0, 1.0, 0.0}, sd2[2] = {0.1, 1.0};
    gr_modes two = {2, 2, mu2, sd2, NULL};
    const double x2[4] = {0.3, 0.0, 0.05, 0.0};
    CHECK_OK(gr_eval_modes(&two, x2, 2, 3.0, hq, near, as, &m, &err), &err);
    CHECK(!m.equal_sds && as[0] == 1 && as[1] == 0 && hq[0] == 1 && hq[1] == 1);
    CHECK(m.captured == 2 && m.rkl_defined && fabs(m.rkl) <= 1e-15);
    /* equal SDs: the Euclidean nearest, whatever the SD */
    const double sd2e[2] = {0.2, 0.2};
    gr_modes twoe = {2, 2, mu2, sd2e, NULL};
    CHECK_OK(gr_eval_modes(&twoe, x2, 2, 3.0, hq, near, as, &m, &err), &err);
    CHECK(m.equal_sds && as[0] == 0 && as[1] == 0 && hq[0] == 2 && near[0] == 2);
    /* rKL of one captured mode out of 2: log 2 */
    CHECK_CLOSE(m.rkl, log(2.0), 1e-15, 0.0);
    /* no HQ sample: undefined, flagged, not 0 and not NaN; the counts still returned */
    const double far[4] = {10.0, 10.0, -7.0, 3.0};
    CHECK_OK(gr_eval_modes(&twoe, far, 2, 3.0, hq, near, NULL, &m, &err), &err);
    CHECK(m.hq == 0 && m.captured == 0 && m.hq_fraction == 0.0 && !m.rkl_defined);
    CHECK(isinf(m.rkl) && m.rkl > 0.0);
    CHECK(near[0] + near[1] == 2 && hq[0] == 0 && hq[1] == 0);
    /* a larger threshold (VEEGAN's 10 SDs) */
    CHECK_OK(gr_eval_modes(&two, x2, 2, 10.0, hq, NULL, NULL, &m, &err), &err);
    CHECK(m.hq == 2 && m.hq_sds == 10.0);
    /* the histogram function */
    const size_t c31[2] = {3, 1}, c00[3] = {0, 0, 0};
    double v = 0.0;
    CHECK_OK(gr_eval_modes_rkl(c31, 2, &v, &err), &err);
    CHECK_CLOSE(v, 0.75 * log(1.5) + 0.25 * log(0.5), 1e-15, 0.0);
    CHECK_STATUS(gr_eval_modes_rkl(c00, 3, &v, &err), GR_EDOM);
    CHECK(isinf(v));
    CHECK_STR_CONTAINS(err.msg, "undefined");
    CHECK_STATUS(gr_eval_modes_rkl(NULL, 3, &v, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_modes_rkl(c31, 0, &v, &err), GR_EINVAL);
}

static void test_errors(void) {
    gr_error err;
    const double mu[4] = {0.0, 0.0, 1.0, 0.0}, sd[2] = {0.1, 0.2}, x[4] = {0, 0, 1, 1};
    gr_modes g = {2, 2, mu, sd, NULL};
    size_t hq[2];
    gr_eval_modes_result m;
    CHECK_STATUS(gr_eval_modes(NULL, x, 2, 3.0, hq, NULL, NULL, &m, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_modes(&g, NULL, 2, 3.0, hq, NULL, NULL, &m, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_modes(&g, x, 2, 3.0, NULL, NULL, NULL, &m, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_modes(&g, x, 2, 3.0, hq, NULL, NULL, NULL, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_modes(&g, x, 0, 3.0, hq, NULL, NULL, &m, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_modes(&g, x, 2, 0.0, hq, NULL, NULL, &m, &err), GR_EDOM);
    CHECK_STATUS(gr_eval_modes(&g, x, 2, NAN, hq, NULL, NULL, &m, &err), GR_EDOM);
    CHECK_STATUS(gr_eval_modes(&g, x, 2, INFINITY, hq, NULL, NULL, &m, &err), GR_EDOM);
    gr_modes nomu = {2, 2, NULL, sd, NULL}, zk = {0, 2, mu, sd, NULL};
    CHECK_STATUS(gr_eval_modes(&nomu, x, 2, 3.0, hq, NULL, NULL, &m, &err), GR_EINVAL);
    CHECK_STATUS(gr_eval_modes(&zk, x, 2, 3.0, hq, NULL, NULL, &m, &err), GR_EINVAL);
    const double bad_sd[2] = {0.1, 0.0}, nan_mu[4] = {0, 0, NAN, 0};
    gr_modes bs = {2, 2, mu, bad_sd, NULL}, bm = {2, 2, nan_mu, sd, NULL};
    CHECK_STATUS(gr_eval_modes(&bs, x, 2, 3.0, hq, NULL, NULL, &m, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "mode 1");
    CHECK_STATUS(gr_eval_modes(&bm, x, 2, 3.0, hq, NULL, NULL, &m, &err), GR_EDOM);
    const double xn[4] = {0, 0, 1, NAN};
    CHECK_STATUS(gr_eval_modes(&g, xn, 2, 3.0, hq, NULL, NULL, &m, &err), GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "sample 1");
}

int main(void) {
    RUN(test_discrete_oracles);
    RUN(test_sample_oracles);
    RUN(test_grid25);
    RUN(test_rules);
    RUN(test_errors);
    return TEST_MAIN_END();
}
