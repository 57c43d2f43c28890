/* tests/core/test_check.c — core/check.h's finite-value, weight and mass-balance checks
 * against straightforward loops written here (isfinite per element; a long double sum)
 * and against hand-placed bad entries: NaN, +-inf, DBL_MAX (finite), -0.0 (a valid
 * weight), a tiny negative weight, empty arrays. */
#include <float.h>
#include <math.h>

#include "core/check.h"
#include "test.h"

static void test_first_nonfinite(void) {
    double v[9] = {2.385, -1e308, DBL_MAX, -DBL_MAX, 0x1p-1074, -0.0, 7.5, 3.25, -1.0};
    CHECK(gr_first_nonfinite(v, 9) == 9); /* all finite, extremes included */
    CHECK(gr_first_nonfinite(NULL, 0) == 0);
    CHECK(gr_first_nonfinite(v, 0) == 0);
    const double bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t b = 0; b < 3; b++)
        for (size_t at = 0; at < 9; at++) {
            double w[9];
            for (size_t k = 0; k < 9; k++)
                w[k] = v[k];
            w[at] = bad[b];
            if (at + 2 < 9) w[at + 2] = NAN; /* a later bad entry: the first one is reported */
            CHECK(gr_first_nonfinite(w, 9) == at);
            CHECK(gr_first_nonfinite(w, at) == at); /* the prefix before it is clean */
        }
}

static void test_first_bad_weight(void) {
    double w[6] = {0.25, -0.0, 0.0, DBL_MAX, 0x1p-1074, 1.5};
    CHECK(gr_first_bad_weight(w, 6) == 6); /* -0.0 is not negative */
    CHECK(gr_first_bad_weight(NULL, 0) == 0);
    const double bad[] = {-0x1p-1074, -2.385, NAN, INFINITY, -INFINITY};
    for (size_t b = 0; b < 5; b++)
        for (size_t at = 0; at < 6; at++) {
            double u[6];
            for (size_t k = 0; k < 6; k++)
                u[k] = w[k];
            u[at] = bad[b];
            CHECK(gr_first_bad_weight(u, 6) == at);
        }
}

static void test_mass_total(void) {
    double w[7] = {0.125, 2.385, 1e-17, 3.5, 0.0, 1e16, -0.0};
    long double ref = 0.0L;
    double seq = 0.0;
    for (size_t k = 0; k < 7; k++) {
        ref += w[k];
        seq += w[k];
    }
    CHECK(gr_mass_total(w, 7) == seq); /* index order, bit for bit */
    CHECK_CLOSE(gr_mass_total(w, 7), (double)ref, 7 * DBL_EPSILON, 0);
    CHECK(gr_mass_total(w, 0) == 0.0 && gr_mass_total(NULL, 0) == 0.0);
    /* uniform weights: 1/n added n times, which for n = 10 is 0.9999999999999999 */
    CHECK(gr_mass_total(NULL, 10) == 0.99999999999999989);
    CHECK(gr_mass_total(NULL, 4) == 1.0);
    double u3 = 0.0;
    for (int k = 0; k < 3; k++)
        u3 += 1.0 / 3.0;
    CHECK(gr_mass_total(NULL, 3) == u3);
    double inf[2] = {1.0, INFINITY};
    CHECK(gr_mass_total(inf, 2) == INFINITY);
}

static void test_masses_differ(void) {
    CHECK(!gr_masses_differ(1.0, 1.0, 0.0));
    CHECK(!gr_masses_differ(2.385, 2.385 * (1 + 1e-10), 1e-9));
    CHECK(gr_masses_differ(2.385, 2.385 * (1 + 1e-8), 1e-9));
    CHECK(gr_masses_differ(2.385 * (1 + 1e-8), 2.385, 1e-9)); /* symmetric */
    /* exactly at the tolerance is balanced (strict >): |1 - 1.5| = 0.5 = (1/3) 1.5 */
    CHECK(!gr_masses_differ(1.0, 1.5, 1.0 / 3.0));
    CHECK(gr_masses_differ(1.0, 1.5, 0.33));
    /* relative to the larger: 1e-300 vs 2e-300 differ by half the larger */
    CHECK(gr_masses_differ(1e-300, 2e-300, 0.4) && !gr_masses_differ(1e-300, 2e-300, 0.5));
    CHECK(!gr_masses_differ(0.99999999999999989, 1.0, 1e-9)); /* the n = 10 uniform sum */
}

int main(void) {
    RUN(test_first_nonfinite);
    RUN(test_first_bad_weight);
    RUN(test_mass_total);
    RUN(test_masses_differ);
    return TEST_MAIN_END();
}
