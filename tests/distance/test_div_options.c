/* tests/distance/test_div_options.c — the quadrature's break-point gap is a named option
 * of gr_div_options (issue 10.7) and the options are listed for the record.
 * Expected: the documented defaults; a negative or NaN break_gap refused with GR_EINVAL;
 * JS between two 1-D Gaussians of equal SD (closed form: 0 when the means coincide) the
 * same with any gap, since break points only guide the subdivision. */
#include <math.h>
#include <string.h>

#include "distance/divergence.h"
#include "prob/mixture.h"
#include "test.h"

static void test_describe(void) {
    gr_div_options o;
    gr_div_options_default(&o);
    gr_setting v[GR_DIV_OPTIONS_COUNT];
    CHECK(gr_div_options_describe(&o, NULL, 0) == GR_DIV_OPTIONS_COUNT);
    CHECK(gr_div_options_describe(&o, v, GR_DIV_OPTIONS_COUNT) == GR_DIV_OPTIONS_COUNT);
    const char *names[GR_DIV_OPTIONS_COUNT] = {"method",    "epsabs", "epsrel",   "limit",
                                               "hermite_n", "bits",   "break_gap"};
    for (size_t k = 0; k < GR_DIV_OPTIONS_COUNT; k++)
        CHECK(!strcmp(v[k].name, names[k]));
    CHECK(v[0].type == GR_SETTING_INT && v[0].value.integer == GR_DIV_AUTO);
    CHECK(v[1].value.real == 1e-12 && v[2].value.real == 1e-10);
    CHECK(v[3].type == GR_SETTING_SIZE && v[3].value.size == 1000 && v[4].value.size == 48);
    CHECK(v[5].value.integer == 0);
    CHECK(v[6].type == GR_SETTING_DOUBLE && v[6].value.real == 1e-3);
}

/* KL(p || q), p = an equal mixture of N(0, 1) and N(1e-14, 1) (means equal up to rounding:
 * the case the gap exists for), q = N(0.5, 1): KL = 0.5^2 / 2 = 0.125 up to ~1e-14. Adaptive
 * quadrature gives it with every gap; with break_gap = 0 the two means stay separate break
 * points and the extra piece of width 1e-14 costs evaluations (neval), which the default
 * gap avoids. */
static void test_break_gap(void) {
    const double w[2] = {0.5, 0.5}, mu[2] = {0.0, 1e-14}, sd[2] = {1.0, 1.0};
    const double wq = 1.0, muq = 0.5, sdq = 1.0;
    gr_mixture *P = NULL, *Q = NULL;
    gr_error err;
    CHECK_OK(gr_mixture_alloc(&P, 1, 2, w, mu, sd, 1, &err), &err);
    CHECK_OK(gr_mixture_alloc(&Q, 1, 1, &wq, &muq, &sdq, 1, &err), &err);
    if (!P || !Q) return;
    gr_density p, q;
    gr_mixture_density(P, &p);
    gr_mixture_density(Q, &q);
    gr_div_options o;
    gr_div_options_default(&o);
    o.method = GR_DIV_ADAPTIVE;
    gr_div_result rdef, r0, rbig;
    CHECK_OK(gr_div_kl(&p, &q, &o, NULL, &rdef, &err), &err);
    CHECK_CLOSE(rdef.value, 0.125, 1e-9, 0);
    o.break_gap = 0.0;
    CHECK_OK(gr_div_kl(&p, &q, &o, NULL, &r0, &err), &err);
    CHECK_CLOSE(r0.value, 0.125, 1e-9, 0);
    CHECK(r0.neval > rdef.neval);
    o.break_gap = 1e6; /* every interior break point dropped: one piece over the box */
    CHECK_OK(gr_div_kl(&p, &q, &o, NULL, &rbig, &err), &err);
    CHECK_CLOSE(rbig.value, 0.125, 1e-9, 0);
    o.break_gap = -1e-3;
    CHECK_STATUS(gr_div_kl(&p, &q, &o, NULL, &r0, &err), GR_EINVAL);
    CHECK_STR_CONTAINS(err.msg, "break_gap");
    o.break_gap = NAN;
    CHECK_STATUS(gr_div_kl(&p, &q, &o, NULL, &r0, &err), GR_EINVAL);
    gr_mixture_free(P);
    gr_mixture_free(Q);
}

int main(void) {
    RUN(test_describe);
    RUN(test_break_gap);
    return TEST_MAIN_END();
}
