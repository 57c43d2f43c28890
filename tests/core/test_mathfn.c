/* tests/core/test_mathfn.c — core/mathfn.h (softplus, sigmoid, log-sigmoid in both
 * precisions, log-sum-exp two-pass and streamed) against naive references in long double:
 * log1pl(expl(u)), 1 / (1 + expl(-u)), logl(sum expl(v_k)). long double's exponent range
 * (to e^11356) keeps those direct definitions finite for every argument tested here, so
 * they check the overflow-free forms without sharing them. Edge cases: +-inf, NaN,
 * softplus(+-800), log-sum-exp of -inf entries, empty arrays. */
#include <float.h>
#include <math.h>

#include "core/mathfn.h"
#include "test.h"

/* the arguments: high-entropy values across the range, both signs */
static const double U[] = {0.0,    2.385e-300, -3.7e-17, 1e-8,   -0.4137, 0.5,   1.0,   -2.385,
                           7.21,   -13.7,      18.4,     -36.9,  37.3,    -44.6, 52.9,  -88.3,
                           103.75, -120.2,     709.1,    -700.3, 745.0,   800.0, -745.2};
#define NU (sizeof U / sizeof U[0])

static long double ref_softplus(long double u) { return log1pl(expl(u)); }
static long double ref_sigmoid(long double u) { return 1.0L / (1.0L + expl(-u)); }

/* 2 ulps of double, 3 of float: each form is two or three correctly-rounded-to-1-ulp libm
 * calls and one add, on arguments where the form has no cancellation */
#define DTOL (2 * DBL_EPSILON)
#define FTOL (3 * FLT_EPSILON)

static void test_softplus(void) {
    for (size_t i = 0; i < NU; i++) {
        double u = U[i];
        double want = (double)ref_softplus(u);
        CHECK_CLOSE(gr_softplus(u), want, DTOL, 0x1p-1074);
        CHECK_CLOSE(gr_log_sigmoid(u), -(double)ref_softplus(-(long double)u), DTOL, 0x1p-1074);
        if (fabs(u) < 87.0) { /* expf(u) finite and not subnormal */
            float uf = (float)u;
            CHECK_CLOSE(gr_softplusf(uf), (float)ref_softplus(uf), FTOL, 0x1p-149);
            CHECK_CLOSE(gr_log_sigmoidf(uf), -(float)ref_softplus(-(long double)uf), FTOL,
                        0x1p-149);
        }
    }
    /* exact values */
    CHECK(gr_softplus(800.0) == 800.0); /* log1p(e^-800) = 0 in double */
    CHECK(gr_softplus(-800.0) == 0.0);  /* e^-800 ~ 1e-348 is below the smallest double */
    CHECK(gr_softplus(0.0) == M_LN2);   /* log1p(1) correctly rounded */
    CHECK(gr_softplus(INFINITY) == INFINITY);
    CHECK(gr_softplus(-INFINITY) == 0.0 && !signbit(gr_softplus(-INFINITY)));
    CHECK(isnan(gr_softplus(NAN)));
    CHECK(gr_softplusf(800.0f) == 800.0f);
    CHECK(gr_softplusf(-800.0f) == 0.0f);
    CHECK(gr_softplusf(INFINITY) == INFINITY && gr_softplusf(-INFINITY) == 0.0f);
    CHECK(isnan(gr_softplusf(NAN)));
    CHECK(gr_log_sigmoid(800.0) == 0.0 && gr_log_sigmoid(-800.0) == -800.0);
    CHECK(gr_log_sigmoid(INFINITY) == 0.0 && gr_log_sigmoid(-INFINITY) == -INFINITY);
    CHECK(isnan(gr_log_sigmoid(NAN)) && isnan(gr_log_sigmoidf(NAN)));
    /* softplus(-700) = e^-700 (1 - e^-700 / 2 ...) keeps full relative accuracy, where the
     * naive log(1 + e^u) in double returns 0 */
    CHECK_CLOSE(gr_softplus(-700.3), (double)expl((long double)-700.3), DTOL, 0);
}

static void test_sigmoid(void) {
    for (size_t i = 0; i < NU; i++) {
        double u = U[i];
        CHECK_CLOSE(gr_sigmoid(u), (double)ref_sigmoid(u), DTOL, 0x1p-1074);
        if (fabs(u) < 87.0) {
            float uf = (float)u;
            CHECK_CLOSE(gr_sigmoidf(uf), (float)ref_sigmoid(uf), FTOL, 0x1p-149);
        }
    }
    CHECK(gr_sigmoid(800.0) == 1.0 && gr_sigmoid(-800.0) == 0.0); /* no overflow to NaN */
    CHECK(gr_sigmoid(INFINITY) == 1.0 && gr_sigmoid(-INFINITY) == 0.0);
    CHECK(gr_sigmoid(0.0) == 0.5 && gr_sigmoidf(0.0f) == 0.5f);
    CHECK(gr_sigmoidf(200.0f) == 1.0f && gr_sigmoidf(-200.0f) == 0.0f);
    CHECK(gr_sigmoidf(INFINITY) == 1.0f && gr_sigmoidf(-INFINITY) == 0.0f);
    CHECK(isnan(gr_sigmoid(NAN)) && isnan(gr_sigmoidf(NAN)));
}

static long double ref_lse(const double *v, size_t n) {
    long double s = 0.0L;
    for (size_t k = 0; k < n; k++)
        s += expl((long double)v[k]);
    return logl(s);
}

static double lse_streamed(const double *v, size_t n) {
    gr_lse_acc a = GR_LSE_ACC_INIT;
    for (size_t k = 0; k < n; k++)
        gr_lse_push(&a, v[k]);
    return gr_lse_value(&a);
}

static void test_logsumexp(void) {
    /* exp of these overflows double (700.1, 1000.3) or underflows it (-1000.7): the naive
     * double sum is inf or log(0); long double holds them */
    static const double a[] = {2.385, -1.2, 0.5, 700.1, 699.9, -3.25, 13.0};
    static const double b[] = {1000.3, 999.1, -4.2};
    static const double c[] = {-1000.7, -1001.9, -1000.05};
    static const double d[] = {-INFINITY, 2.385, -INFINITY, -0.731};
    static const double e[] = {3.5};
    const struct {
        const double *v;
        size_t n;
    } cases[] = {{a, 7}, {b, 3}, {c, 3}, {d, 4}, {e, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double want = (double)ref_lse(cases[i].v, cases[i].n);
        /* n terms each within 1 ulp relative, one log: a few ulps of the result's scale */
        CHECK_CLOSE(gr_logsumexp(cases[i].v, cases[i].n), want, 4 * DBL_EPSILON, 0);
        CHECK_CLOSE(lse_streamed(cases[i].v, cases[i].n), want, 4 * DBL_EPSILON, 0);
    }
    CHECK(gr_logsumexp(e, 1) == 3.5 && lse_streamed(e, 1) == 3.5); /* mx + log(1), exact */
    /* empty and all -inf: log 0 = -inf, never NaN */
    CHECK(gr_logsumexp(NULL, 0) == -INFINITY);
    CHECK(lse_streamed(NULL, 0) == -INFINITY);
    const double ninf[] = {-INFINITY, -INFINITY};
    CHECK(gr_logsumexp(ninf, 2) == -INFINITY && lse_streamed(ninf, 2) == -INFINITY);
    /* +inf dominates (exp(inf - inf) would be NaN in the two-pass sum) */
    const double pinf[] = {1.0, INFINITY, -2.0};
    CHECK(gr_logsumexp(pinf, 3) == INFINITY);
    /* NaN poisons */
    const double withnan[] = {1.0, NAN, -2.0};
    CHECK(isnan(gr_logsumexp(withnan, 3)) && isnan(lse_streamed(withnan, 3)));
    /* the two forms agree with each other to rounding on a long random-looking array */
    double v[257];
    for (size_t k = 0; k < 257; k++)
        v[k] = 30.0 * sin(2.385 * (double)k + 0.3) - 0.01 * (double)k;
    double want = (double)ref_lse(v, 257);
    CHECK_CLOSE(gr_logsumexp(v, 257), want, 8 * DBL_EPSILON, 0);
    CHECK_CLOSE(lse_streamed(v, 257), want, 8 * DBL_EPSILON, 0);
}

int main(void) {
    RUN(test_softplus);
    RUN(test_sigmoid);
    RUN(test_logsumexp);
    return TEST_MAIN_END();
}
