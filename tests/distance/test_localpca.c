/* tests/distance/test_localpca.c — distance/localpca.h against closed forms: a line of
 * equally spaced points (known neighbours, covariance eigenvalues var{-2..2} |e|^2 = 2.5 and
 * 0), a random 2-plane in R^16 (lambda_3 / lambda_1 at rounding level), a uniform cube (a
 * full-dimensional sample: every ratio of order 1), errors. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "distance/localpca.h"
#include "test.h"

static void test_line(void) {
    gr_error err;
    gr_localpca *w;
    double x[100 * 3], eig[3], e[3] = {0.6, -0.8, 0.0};
    for (int i = 0; i < 100; i++)
        for (int j = 0; j < 3; j++)
            x[i * 3 + j] = 1.0 + (double)i * e[j];
    CHECK_OK(gr_localpca_alloc(&w, 100, 3, 5, &err), &err);
    CHECK_OK(gr_localpca_eigen(w, x, 100, 50, eig, &err), &err);
    /* neighbours 48..52: offsets -2..2 along e, sample variance 10/4 */
    CHECK_CLOSE(eig[0], 2.5, 1e-12, 0);
    CHECK_CLOSE(eig[1], 0.0, 0, 1e-12);
    CHECK_CLOSE(eig[2], 0.0, 0, 1e-12);
    /* at the end of the line: 0..4, the same spread */
    CHECK_OK(gr_localpca_eigen(w, x, 100, 0, eig, &err), &err);
    CHECK_CLOSE(eig[0], 2.5, 1e-12, 0);
    CHECK_STATUS(gr_localpca_eigen(w, x, 100, 100, eig, &err), GR_EINVAL);
    CHECK_STATUS(gr_localpca_eigen(w, x, 4, 0, eig, &err), GR_EINVAL);
    x[51 * 3] = NAN; /* a NaN point is never a neighbour (its distance is +inf) */
    CHECK_OK(gr_localpca_eigen(w, x, 100, 50, eig, &err), &err);
    CHECK(eig[0] > 2.5);
    x[50 * 3] = NAN; /* the query itself */
    CHECK_STATUS(gr_localpca_eigen(w, x, 100, 50, eig, &err), GR_EDOM);
    gr_localpca_free(w);
    CHECK_STATUS(gr_localpca_alloc(&w, 10, 3, 11, &err), GR_EINVAL);
    CHECK(w == NULL);
    CHECK_STATUS(gr_localpca_alloc(&w, 10, 0, 5, &err), GR_EINVAL);
    gr_localpca_free(NULL);
}

static void test_plane_and_cube(void) {
    gr_error err;
    gsl_rng *r;
    CHECK_OK(gr_rng_alloc(&r, 3, GR_STREAM_TEST, &err), &err);
    enum { N = 4000, D = 16 };
    static double x[N * D], y[N * 3];
    double a[D], b[D], eig[D];
    for (int j = 0; j < D; j++)
        a[j] = gsl_ran_gaussian(r, 1), b[j] = gsl_ran_gaussian(r, 1);
    for (int i = 0; i < N; i++) {
        double s = gsl_ran_gaussian(r, 1), t = gsl_ran_gaussian(r, 1);
        for (int j = 0; j < D; j++)
            x[i * D + j] = s * a[j] + t * b[j];
    }
    gr_localpca *w;
    CHECK_OK(gr_localpca_alloc(&w, N, D, 30, &err), &err);
    double worst = 0;
    for (int q = 0; q < 50; q++) {
        CHECK_OK(gr_localpca_eigen(w, x, N, (size_t)q, eig, &err), &err);
        CHECK(eig[0] >= eig[1] && eig[1] >= eig[2]);
        double rt = fabs(eig[2]) / eig[0];
        if (rt > worst) worst = rt;
    }
    CHECK(worst < 1e-12);
    gr_localpca_free(w);
    /* uniform cube in R^3, 4000 points, 30 neighbours: a ball of radius ~0.12, isotropic:
     * lambda_3 / lambda_1 near 1 (above 0.3 at every interior query) */
    for (int i = 0; i < N * 3; i++)
        y[i] = gsl_rng_uniform(r);
    CHECK_OK(gr_localpca_alloc(&w, N, 3, 30, &err), &err);
    int low = 0;
    for (int q = 0; q < 200; q++) {
        const double *p = y + q * 3;
        if (p[0] < 0.2 || p[0] > 0.8 || p[1] < 0.2 || p[1] > 0.8 || p[2] < 0.2 || p[2] > 0.8)
            continue;
        CHECK_OK(gr_localpca_eigen(w, y, N, (size_t)q, eig, &err), &err);
        low += eig[2] / eig[0] < 0.3;
    }
    CHECK(low == 0);
    gr_localpca_free(w);
    gr_rng_free(r);
}

int main(void) {
    RUN(test_line);
    RUN(test_plane_and_cube);
    return TEST_MAIN_END();
}
