/* tests/linalg/test_vec.c — linalg/vec.h's squared distance and sums of squares against
 * long double loops, bit-for-bit against the plain double loop each replaced (the OT and
 * Sinkhorn costs, the kNN leaf scan, the probe and gradient-penalty norms), and at the
 * edges: d = 0, +-inf and NaN coordinates, float extremes (whose squares fit in double). */
#include <float.h>
#include <math.h>

#include "linalg/vec.h"
#include "test.h"

static void test_sqdist(void) {
    double p[7] = {2.385, -1.25, 1e-3, 7.75, -0.3317, 1e5, 3.0};
    double q[7] = {-0.5, 1.125, 2e-3, 7.5, 0.91, -1e5, 3.0};
    long double ref = 0.0L;
    double plain = 0.0;
    for (size_t k = 0; k < 7; k++) {
        long double t = (long double)p[k] - (long double)q[k];
        ref += t * t;
        double u = p[k] - q[k];
        plain += u * u;
    }
    CHECK(gr_linalg_dsqdist(p, q, 7) == plain);
    CHECK_CLOSE(gr_linalg_dsqdist(p, q, 7), (double)ref, 8 * DBL_EPSILON, 0);
    CHECK(gr_linalg_dsqdist(p, q, 0) == 0.0 && gr_linalg_dsqdist(NULL, NULL, 0) == 0.0);
    CHECK(gr_linalg_dsqdist(p, p, 7) == 0.0);
    CHECK(gr_linalg_dsqdist(p, q, 7) == gr_linalg_dsqdist(q, p, 7)); /* (-t)^2 = t^2 */
    double r[7];
    for (size_t k = 0; k < 7; k++)
        r[k] = p[k];
    r[3] = INFINITY;
    CHECK(gr_linalg_dsqdist(r, q, 7) == INFINITY);
    r[3] = NAN;
    CHECK(isnan(gr_linalg_dsqdist(r, q, 7)));
    r[3] = -INFINITY;
    CHECK(gr_linalg_dsqdist(r, q, 7) == INFINITY);
}

static void test_sumsq(void) {
    float f[6] = {2.385f, -1.25f, 3e-20f, -7.75f, 1e20f, 0.5f};
    double d[6];
    long double ref = 0.0L;
    double plain = 0.0;
    for (size_t k = 0; k < 6; k++) {
        d[k] = (double)f[k];
        ref += (long double)f[k] * (long double)f[k];
        plain += (double)f[k] * (double)f[k];
    }
    CHECK(gr_linalg_ssumsq(f, 6) == plain && gr_linalg_dsumsq(d, 6) == plain);
    CHECK_CLOSE(gr_linalg_ssumsq(f, 6), (double)ref, 6 * DBL_EPSILON, 0);
    CHECK(gr_linalg_ssumsq(NULL, 0) == 0.0 && gr_linalg_dsumsq(NULL, 0) == 0.0);
    /* float extremes: FLT_MAX^2 ~ 1.2e77 and (2^-149)^2 = 2^-298 are ordinary doubles */
    float big[2] = {FLT_MAX, -FLT_MAX}, tiny[2] = {0x1p-149f, -0x1p-149f};
    CHECK(gr_linalg_ssumsq(big, 2) == 2.0 * (double)FLT_MAX * (double)FLT_MAX);
    CHECK(gr_linalg_ssumsq(tiny, 2) == 0x1p-297);
    CHECK(sqrt(gr_linalg_ssumsq(tiny, 2)) == 0x1p-149 * M_SQRT2);
    float bad[3] = {1.0f, INFINITY, 2.0f};
    CHECK(gr_linalg_ssumsq(bad, 3) == INFINITY);
    bad[1] = NAN;
    CHECK(isnan(gr_linalg_ssumsq(bad, 3)));
    double dbad[2] = {-INFINITY, 1.0};
    CHECK(gr_linalg_dsumsq(dbad, 2) == INFINITY);
}

int main(void) {
    RUN(test_sqdist);
    RUN(test_sumsq);
    return TEST_MAIN_END();
}
