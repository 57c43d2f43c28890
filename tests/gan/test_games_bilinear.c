/* tests/gan/test_games_bilinear.c — the bilinear game x y (gan/bilinear.h) against CLAIMS C47's
 * pass criteria, verbatim: the integer 6-cycle from (2, 3) at eta = 1 exactly; H = x^2 + y^2 - eta
 * x y conserved to 1e-12 over 1000 alternating steps for eta in {0.1, 0.5, 1, 1.9}; simultaneous
 * radius^2 after 100 steps at eta = 0.1 equal to 13 * 1.01^100 = 35.1626 to 1e-9; periods 4 and 3
 * at eta = sqrt 2 and sqrt 3 to rounding. Plus C47's other numbers (eta = 2 linear growth to radius
 * 145 after 50 steps, eta = 2.1 to 1.9e14, simultaneous (24, -16) after 6 steps at eta = 1) and the
 * error paths. Expected values: CLAIMS C47 / O16 and the closed forms stated there (the arithmetic
 * is elementary; no fixture needed).
 */
#include <math.h>
#include <stdint.h>

#include "gan/bilinear.h"
#include "test.h"

/* C47: (2, 3) -> (-1, 2), (-3, -1), (-2, -3), (1, -2), (3, 1), (2, 3), exactly */
static void test_six_cycle_exact(void) {
    gr_error err;
    int64_t x[13], y[13];
    CHECK_OK(gr_bilinear_run_exact(GR_BILINEAR_ALTERNATING, 2, 3, 1, 12, x, y, &err), &err);
    const int64_t wx[7] = {2, -1, -3, -2, 1, 3, 2}, wy[7] = {3, 2, -1, -3, -2, 1, 3};
    int same = 1;
    for (size_t t = 0; t < 7; t++)
        if (x[t] != wx[t] || y[t] != wy[t]) same = 0;
    CHECK(same);
    /* period exactly 6: no earlier return, and the second lap repeats the first */
    for (size_t t = 1; t < 6; t++)
        CHECK(!(x[t] == 2 && y[t] == 3));
    for (size_t t = 0; t < 7; t++)
        CHECK(x[t + 6] == x[t] && y[t + 6] == y[t]);
    /* the invariant H = x^2 + y^2 - x y = 7 at every point, in exact integers */
    for (size_t t = 0; t < 13; t++)
        CHECK(x[t] * x[t] + y[t] * y[t] - x[t] * y[t] == 7);
    /* the double version reproduces the same integers (every intermediate is exact) */
    double xd[7], yd[7];
    CHECK_OK(gr_bilinear_run(GR_BILINEAR_ALTERNATING, 2.0, 3.0, 1.0, 6, xd, yd, &err), &err);
    for (size_t t = 0; t < 7; t++)
        CHECK(xd[t] == (double)wx[t] && yd[t] == (double)wy[t]);
}

/* C47: simultaneous play at eta = 1: (24, -16) after 6 steps, x^2 + y^2 = 832 = 13 * 2^6;
 * eta = 2 (trace -2): linear growth, (102, 103), radius 144.96 after 50 steps */
static void test_exact_growth(void) {
    gr_error err;
    int64_t x[51], y[51];
    CHECK_OK(gr_bilinear_run_exact(GR_BILINEAR_SIMULTANEOUS, 2, 3, 1, 6, x, y, &err), &err);
    CHECK(x[6] == 24 && y[6] == -16);
    int64_t r2 = 13;
    for (size_t t = 0; t <= 6; t++, r2 *= 2)
        CHECK(x[t] * x[t] + y[t] * y[t] == r2);
    CHECK_OK(gr_bilinear_run_exact(GR_BILINEAR_ALTERNATING, 2, 3, 2, 50, x, y, &err), &err);
    CHECK(x[50] == 102 && y[50] == 103);
    CHECK_CLOSE(hypot((double)x[50], (double)y[50]), 145.0, 0.0, 0.05);
}

/* C47: H conserved to 1e-12 over 1000 steps for eta in {0.1, 0.5, 1, 1.9}; the orbit stays
 * bounded and never reaches (0, 0) */
static void test_energy_conserved(void) {
    gr_error err;
    static double x[1001], y[1001];
    const double etas[4] = {0.1, 0.5, 1.0, 1.9};
    for (size_t i = 0; i < 4; i++) {
        double eta = etas[i];
        CHECK_OK(gr_bilinear_run(GR_BILINEAR_ALTERNATING, 2.0, 3.0, eta, 1000, x, y, &err), &err);
        double h0 = gr_bilinear_energy(2.0, 3.0, eta), worst = 0.0, rmin = INFINITY;
        CHECK(h0 == 13.0 - 6.0 * eta);
        for (size_t t = 0; t <= 1000; t++) {
            double d = fabs(gr_bilinear_energy(x[t], y[t], eta) - h0);
            if (d > worst) worst = d;
            double r = hypot(x[t], y[t]);
            if (r < rmin) rmin = r;
        }
        fprintf(stderr, "  eta = %.1f: max |H_t - H_0| over 1000 steps = %.3g (H_0 = %g)\n", eta,
                worst, h0);
        CHECK(worst <= 1e-12);
        /* bounded away from the equilibrium: x^2 + y^2 >= H / (1 + eta/2) */
        CHECK(rmin * rmin >= h0 / (1.0 + 0.5 * eta) * (1.0 - 1e-12));
    }
}

/* C47: simultaneous radius^2 after 100 steps at eta = 0.1 equals 13 * 1.01^100 = 35.1626 */
static void test_simultaneous_spiral(void) {
    gr_error err;
    double x[101], y[101];
    CHECK_OK(gr_bilinear_run(GR_BILINEAR_SIMULTANEOUS, 2.0, 3.0, 0.1, 100, x, y, &err), &err);
    double r2 = x[100] * x[100] + y[100] * y[100];
    fprintf(stderr, "  simultaneous eta = 0.1: r^2 after 100 steps = %.12f\n", r2);
    CHECK_CLOSE(r2, 13.0 * pow(1.01, 100.0), 0.0, 1e-9);
    CHECK_CLOSE(r2, 35.1626, 0.0, 5e-5); /* the number printed in C47 */
    /* every step multiplies x^2 + y^2 by exactly 1 + eta^2 up to rounding */
    for (size_t t = 0; t < 100; t++) {
        double a = x[t] * x[t] + y[t] * y[t], b = x[t + 1] * x[t + 1] + y[t + 1] * y[t + 1];
        CHECK_CLOSE(b / a, 1.01, 1e-14, 0.0);
    }
}

/* C47: eta = sqrt 2 gives period 4, eta = sqrt 3 period 3, to rounding; no earlier return */
static void test_periods(void) {
    gr_error err;
    double x[13], y[13];
    const double etas[2] = {M_SQRT2, sqrt(3.0)};
    const size_t per[2] = {4, 3};
    for (size_t i = 0; i < 2; i++) {
        CHECK_OK(gr_bilinear_run(GR_BILINEAR_ALTERNATING, 2.0, 3.0, etas[i], 12, x, y, &err), &err);
        for (size_t k = 1; k <= 12 / per[i]; k++) {
            CHECK_CLOSE(x[k * per[i]], 2.0, 0.0, 1e-14 * (double)k);
            CHECK_CLOSE(y[k * per[i]], 3.0, 0.0, 1e-14 * (double)k);
        }
        for (size_t t = 1; t < per[i]; t++)
            CHECK(hypot(x[t] - 2.0, y[t] - 3.0) > 0.5);
    }
}

/* C47: eta > 2 explodes: from (2, 3) at eta = 2.1 the radius is 1.9e14 after 50 steps */
static void test_explodes(void) {
    gr_error err;
    double x[51], y[51];
    CHECK_OK(gr_bilinear_run(GR_BILINEAR_ALTERNATING, 2.0, 3.0, 2.1, 50, x, y, &err), &err);
    CHECK_CLOSE(hypot(x[50], y[50]), 1.9e14, 0.03, 0.0);
}

static void test_errors(void) {
    gr_error err;
    double x[3], y[3];
    int64_t a[3], b[3];
    CHECK_STATUS(gr_bilinear_run(GR_BILINEAR_ALTERNATING, 1, 1, 1, 2, NULL, y, &err), GR_EINVAL);
    CHECK_STATUS(gr_bilinear_run((gr_bilinear_mode)7, 1, 1, 1, 2, x, y, &err), GR_EINVAL);
    CHECK_STATUS(gr_bilinear_run(GR_BILINEAR_ALTERNATING, NAN, 1, 1, 2, x, y, &err), GR_EDOM);
    CHECK_STATUS(gr_bilinear_run(GR_BILINEAR_SIMULTANEOUS, 1, 1, INFINITY, 2, x, y, &err), GR_EDOM);
    CHECK_STATUS(gr_bilinear_run_exact(GR_BILINEAR_ALTERNATING, 1, 1, 1, 2, a, NULL, &err),
                 GR_EINVAL);
    CHECK_STATUS(gr_bilinear_run_exact((gr_bilinear_mode)-1, 1, 1, 1, 2, a, b, &err), GR_EINVAL);
    /* overflow is refused, with the exact points before it kept */
    const int64_t big = INT64_MAX / 2 + 1; /* x - y = 2 big > INT64_MAX at step 1 */
    CHECK_STATUS(gr_bilinear_run_exact(GR_BILINEAR_ALTERNATING, big, -big, 1, 2, a, b, &err),
                 GR_EDOM);
    CHECK_STR_CONTAINS(err.msg, "step 1");
    CHECK(a[0] == big && b[0] == -big);
    /* the y update: simultaneous from (big, big) gives x = 0 but y = 2 big */
    CHECK_STATUS(gr_bilinear_run_exact(GR_BILINEAR_SIMULTANEOUS, big, big, 1, 2, a, b, &err),
                 GR_EDOM);
    /* the product: eta = 2^40 times y = 2^40 */
    CHECK_STATUS(gr_bilinear_run_exact(GR_BILINEAR_ALTERNATING, 0, (int64_t)1 << 40,
                                       (int64_t)1 << 40, 1, a, b, &err),
                 GR_EDOM);
    static int64_t xs[200], ys[200];
    CHECK_STATUS(gr_bilinear_run_exact(GR_BILINEAR_SIMULTANEOUS, 2, 3, 1, 199, xs, ys, &err),
                 GR_EDOM); /* r^2 = 13 * 2^t passes 2^63 near t = 60 */
    /* n = 0 writes the start only */
    CHECK_OK(gr_bilinear_run(GR_BILINEAR_ALTERNATING, 2.5, -1.5, 0.3, 0, x, y, &err), &err);
    CHECK(x[0] == 2.5 && y[0] == -1.5);
}

int main(void) {
    RUN(test_six_cycle_exact);
    RUN(test_exact_growth);
    RUN(test_energy_conserved);
    RUN(test_simultaneous_spiral);
    RUN(test_periods);
    RUN(test_explodes);
    RUN(test_errors);
    return TEST_MAIN_END();
}
