/* tests/prob/test_kolmogorov.c — prob/kolmogorov.h against SciPy: the limiting Kolmogorov
 * law (scipy.stats.kstwobign) and the asymptotic one-sample KS test (scipy.stats.kstest,
 * mode "asymp") on a fixed sample; values printed by tests/reference/kolmogorov_reference.py
 * (SciPy 1.10.1) and pasted below. Plus the two series' agreement at the switch and a
 * Monte-Carlo check of the test's size on exact Cauchy draws (fixed seed). */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "prob/kolmogorov.h"
#include "test.h"

static const double KS_REF[][3] = {
    {0.05, 1, 2.4231674791579003e-213},
    {0.2, 0.99999999999949496, 5.050407338670114e-13},
    {0.4, 0.9971923267772983, 0.0028076732227017387},
    {0.6, 0.86428277905060424, 0.13571722094939573},
    {0.8, 0.54414241157419807, 0.45585758842580193},
    {0.9, 0.39273070794065429, 0.60726929205934566},
    {1.0, 0.26999967167735456, 0.7300003283226455},
    {1.1, 0.1777181926064012, 0.8222818073935988},
    {1.2, 0.11224966667072497, 0.887750333329275},
    {1.5, 0.022217962616525127, 0.97778203738347491},
    {2.0, 0.00067092525577969533, 0.99932907474422028},
    {3.0, 3.0459959489425258e-08, 0.99999996954004056},
    {4.0, 2.5328331098188351e-14, 0.99999999999997469},
    {5.0, 3.8574996959278356e-22, 1},
    {6.0, 1.0760372320042276e-31, 1},
};
static const double SAMPLE[50] = {
    -1.1200108797909398,   -0.045647051015900539, -3.0267874300192528, -0.2775305333695805,
    69.413585846604036,    -0.34982280509881508,  0.32459891499401011, -0.11183996989796391,
    0.38089077689608652,   -0.82625607198451489,  0.72173679568295934, -0.96541663010917744,
    0.49314801987023121,   1.3253225296058255,    -1.2283961601527456, 0.094867350222712435,
    -1.3405775335778447,   -0.2664857650047982,   8.5576053231102716,  0.65405888980617621,
    -2.8058758806657016,   0.76176178325816346,   -14.540925848256023, 1.2895858685256367,
    1.6362355675076978,    -2.1765285751732217,   -2.3445429676305172, 7.2274221767368259,
    -0.51805141001228805,  25.730258133170182,    0.6460129315329507,  0.93350122742977382,
    61.237644083301163,    3.2712194623316577,    -1.3398558421154882, 1.0470403339204435,
    0.87957836771395359,   4.8001123774111676,    1.0556746403984913,  0.15006128963111298,
    -6.1914784683008772,   -0.63185250389082603,  -2.407377236228077,  -0.204215850439214,
    -0.027666857031138629, 0.3087736922995114,    -1.1349397717071308, 1.2659794288475306,
    0.72963381842109554,   1.0019833736790815};

static void test_kstwobign(void) {
    for (size_t i = 0; i < sizeof KS_REF / sizeof KS_REF[0]; i++) {
        double x = KS_REF[i][0];
        CHECK_CLOSE(gr_kolmogorov_sf(x), KS_REF[i][1], 1e-13, 0);
        /* the CDF: relative where it is not tiny; scipy's own value below 1e-12 is its
         * 1 - sf and carries no more than absolute accuracy */
        CHECK_CLOSE(gr_kolmogorov_cdf(x), KS_REF[i][2], 1e-12, 1e-16);
        CHECK_CLOSE(gr_kolmogorov_cdf(x) + gr_kolmogorov_sf(x), 1.0, 0, 2e-16);
    }
    CHECK(gr_kolmogorov_sf(0.0) == 1.0 && gr_kolmogorov_cdf(-1.0) == 0.0);
    CHECK(gr_kolmogorov_sf(INFINITY) == 0.0 && gr_kolmogorov_cdf(INFINITY) == 1.0);
    CHECK(isnan(gr_kolmogorov_sf(NAN)));
}

/* The two series are the same function: they must agree where both converge. */
static void test_series_agree(void) {
    for (double x = 0.9; x <= 1.1001; x += 0.01) {
        double lo = gr_kolmogorov_sf(x - 1e-9), hi = gr_kolmogorov_sf(x + 1e-9);
        CHECK(lo >= hi);
        CHECK_CLOSE(lo, hi, 1e-8, 0);
    }
    CHECK_CLOSE(gr_kolmogorov_sf(1.0 - 1e-12), gr_kolmogorov_sf(1.0), 1e-11, 0);
}

static void test_ks_scipy(void) {
    gr_error err;
    double x[50];
    gr_ks_result r;
    double g = 1.0;
    memcpy(x, SAMPLE, sizeof x);
    CHECK_OK(gr_ks_test(x, 50, gr_cauchy_cdf_fn, &g, &r, &err), &err);
    CHECK_CLOSE(r.d, 0.10257212675148819, 1e-13, 0);
    CHECK_CLOSE(r.p_value, 0.66881896131412155, 1e-12, 0);
    for (size_t i = 1; i < 50; i++)
        CHECK(x[i - 1] <= x[i]); /* sorted in place */
    g = 3.0;
    memcpy(x, SAMPLE, sizeof x);
    CHECK_OK(gr_ks_test(x, 50, gr_cauchy_cdf_fn, &g, &r, &err), &err);
    CHECK_CLOSE(r.d, 0.22623378821481999, 1e-13, 0);
    CHECK_CLOSE(r.p_value, 0.01197390324379087, 1e-11, 0);
    x[3] = NAN;
    CHECK_STATUS(gr_ks_test(x, 50, gr_cauchy_cdf_fn, &g, &r, &err), GR_EDOM);
    CHECK_STATUS(gr_ks_test(x, 0, gr_cauchy_cdf_fn, &g, &r, &err), GR_EINVAL);
}

/* Size of the test: on exact Cauchy(0, 2) draws, p < 0.01 in about 1 % of 400 tests of
 * n = 2000. Binomial(400, 0.01): P(more than 12 rejections) < 1e-3 (false alarm). And
 * every test of a Gaussian sample against that Cauchy rejects. */
static void test_ks_size(void) {
    gr_error err;
    gsl_rng *r;
    CHECK_OK(gr_rng_alloc(&r, 7, GR_STREAM_TEST, &err), &err);
    static double x[2000];
    double g = 2.0;
    int rej = 0, rej_gauss = 0;
    for (int t = 0; t < 400; t++) {
        gr_ks_result res;
        for (int i = 0; i < 2000; i++)
            x[i] = gsl_ran_cauchy(r, 2.0);
        CHECK_OK(gr_ks_test(x, 2000, gr_cauchy_cdf_fn, &g, &res, &err), &err);
        rej += res.p_value < 0.01;
        if (t < 20) {
            for (int i = 0; i < 2000; i++)
                x[i] = gsl_ran_gaussian(r, 2.0);
            CHECK_OK(gr_ks_test(x, 2000, gr_cauchy_cdf_fn, &g, &res, &err), &err);
            rej_gauss += res.p_value < 0.01;
        }
    }
    printf("KS size: %d of 400 rejected at 0.01; Gaussian vs Cauchy: %d of 20\n", rej, rej_gauss);
    CHECK(rej <= 12);
    CHECK(rej_gauss == 20);
    gr_rng_free(r);
}

int main(void) {
    RUN(test_kstwobign);
    RUN(test_series_agree);
    RUN(test_ks_scipy);
    RUN(test_ks_size);
    return TEST_MAIN_END();
}
